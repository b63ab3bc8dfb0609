//! Recovery codes: ten single-use codes of ten characters (about 50 bits each, drawn from an
//! alphabet without look-alikes), shown once and stored as keyed digests (HMAC-SHA-256 under the
//! emailed-codes key, bound to the user). A new set replaces the old one.

use hmac::{Hmac, KeyInit, Mac};
use subtle::ConstantTimeEq;

use super::Method;
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::crypto::random_bytes;
use crate::error::{Error, Result};
use crate::ids::UserId;
use crate::sessions::SessionInfo;
use crate::store::{Tx, mfa as store};

/// Codes in a set.
pub const RECOVERY_CODE_COUNT: usize = 10;
/// Lower-case letters and digits without 0/o, 1/l/i.
const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
const CODE_LEN: usize = 10;

fn new_code() -> Result<String> {
    let mut out = String::with_capacity(CODE_LEN + 1);
    while out.len() < CODE_LEN + 1 {
        let mut b = [0u8; 1];
        random_bytes(&mut b)?;
        // Reject the top of the range so each character is equally likely.
        let limit = 256 - 256 % ALPHABET.len();
        if usize::from(b[0]) < limit {
            if out.len() == CODE_LEN / 2 {
                out.push('-');
            }
            out.push(char::from(ALPHABET[usize::from(b[0]) % ALPHABET.len()]));
        }
    }
    Ok(out)
}

/// The canonical form of an entered code: lower case, without spaces and dashes.
pub(crate) fn normalize(entered: &str) -> String {
    entered.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_lowercase).collect()
}

fn digest(core: &Core, user: UserId, code: &str) -> Result<Vec<u8>> {
    let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(core.code_key())
        .map_err(|e| Error::Internal(anyhow::anyhow!("code key: {e}")))?;
    mac.update(b"recovery code:");
    mac.update(user.0.as_bytes());
    mac.update(normalize(code).as_bytes());
    Ok(mac.finalize().into_bytes().to_vec())
}

/// Makes a new set for `user` in `tx` (the old set dies); returns the codes to show once.
pub(super) async fn replace(core: &Core, tx: &mut Tx, user: UserId) -> Result<Vec<String>> {
    let mut codes = Vec::with_capacity(RECOVERY_CODE_COUNT);
    let mut rows = Vec::with_capacity(RECOVERY_CODE_COUNT);
    for _ in 0..RECOVERY_CODE_COUNT {
        let code = new_code()?;
        rows.push((uuid::Uuid::now_v7(), digest(core, user, &code)?));
        codes.push(code);
    }
    store::replace_recovery_codes(tx.db(), user, &rows, core.clock().now()).await?;
    Ok(codes)
}

impl Core {
    /// A new set of recovery codes (needs two-factor authentication on and a recent sign-in);
    /// the old set stops working. Returns the codes, to show once.
    pub async fn regenerate_recovery_codes(&self, session: &SessionInfo, meta: &RequestMeta) -> Result<Vec<String>> {
        self.ensure_recent_authentication(session)?;
        let user = &session.user;
        let mut tx = self.store().begin().await?;
        if !super::status_in(tx.db(), user.id).await?.enabled() {
            return Err(Error::invalid(
                "codes",
                "mfa_off",
                "Turn on a second factor first: recovery codes stand in for it.",
            ));
        }
        let codes = replace(self, &mut tx, user.id).await?;
        let now = self.clock().now();
        audit::record(
            tx.db(),
            now,
            AuditAction::RecoveryCodesGenerated,
            Some(user.id),
            Some(user.id),
            meta,
            serde_json::json!({}),
        )
        .await?;
        let text = self.locale_of(user).t2("email-mfa-recovery-body", "site", self.site_name(), "email", &user.email);
        super::notify(self, &mut tx, user, "email-mfa-recovery-subject", vec![text]).await?;
        tx.commit().await?;
        Ok(codes)
    }

    /// Uses a recovery code of `user`; `Ok(Some(left))` with the number of codes still unused,
    /// `Ok(None)` for a wrong or used code (counted towards the account's code lock).
    pub(crate) async fn use_recovery_code(
        &self,
        user: UserId,
        entered: &str,
        meta: &RequestMeta,
    ) -> Result<Option<usize>> {
        super::reserve_code_check(self, user).await?;
        let normalized = normalize(entered);
        let well_formed = normalized.len() == CODE_LEN && normalized.bytes().all(|b| b.is_ascii_alphanumeric());
        let wanted = digest(self, user, &normalized)?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let rows = store::recovery_codes(tx.db(), user).await?;
        let found =
            rows.iter().filter(|r| r.used_at.is_none()).find(|r| bool::from(r.code_hash.as_slice().ct_eq(&wanted)));
        let used = match found {
            Some(row) if well_formed => store::use_recovery_code(tx.db(), row.id, now).await?,
            _ => false,
        };
        if !used {
            drop(tx);
            super::record_code_failure(self, user, Method::Recovery, meta).await?;
            return Ok(None);
        }
        let left = rows.iter().filter(|r| r.used_at.is_none()).count() - 1;
        audit::record(
            tx.db(),
            now,
            AuditAction::RecoveryCodeUsed,
            Some(user),
            Some(user),
            meta,
            serde_json::json!({"left": left}),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(left))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_are_ten_characters_in_two_groups_from_the_alphabet() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..100 {
            let c = super::new_code().unwrap();
            assert_eq!(c.len(), 11, "{c}");
            assert_eq!(&c[5..6], "-");
            assert!(c.replace('-', "").bytes().all(|b| super::ALPHABET.contains(&b)), "{c}");
            seen.insert(c);
        }
        assert_eq!(seen.len(), 100);
        assert_eq!(super::normalize(" ABCDE-fghjk "), "abcdefghjk");
    }
}
