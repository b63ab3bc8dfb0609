//! Six-digit codes sent by email to confirm a sensitive change: 10 minutes, at most 5 attempts,
//! stored as an HMAC under a key derived from the master key (a leaked table does not give the
//! codes away by trying all million), compared in constant time.

use hmac::{Hmac, KeyInit, Mac};
use sqlx::types::Json;
use subtle::ConstantTimeEq;
use time::Duration;

use crate::Core;
use crate::crypto::random_bytes;
use crate::error::{Error, Result};
use crate::ids::UserId;
use crate::store::Tx;
use crate::store::email_codes::{self as store, CodeRow};

/// How long a code works.
pub const CODE_TTL: Duration = Duration::minutes(10);
/// Wrong entries allowed before the code dies.
pub const MAX_ATTEMPTS: i32 = 5;

/// A fresh code: six random digits, uniformly drawn.
fn six_digits() -> Result<String> {
    loop {
        let mut b = [0u8; 4];
        random_bytes(&mut b)?;
        let n = u32::from_le_bytes(b);
        // Reject the top sliver so that every code is equally likely.
        if n < u32::MAX - (u32::MAX % 1_000_000) {
            return Ok(format!("{:06}", n % 1_000_000));
        }
    }
}

fn digest(core: &Core, id: uuid::Uuid, code: &str) -> Result<Vec<u8>> {
    let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(core.code_key())
        .map_err(|e| Error::Internal(anyhow::anyhow!("code key: {e}")))?;
    mac.update(id.as_bytes());
    mac.update(code.as_bytes());
    Ok(mac.finalize().into_bytes().to_vec())
}

/// Issues a code for `purpose` carrying `payload` (what the change will do), replacing open ones.
pub(crate) async fn issue(
    core: &Core,
    tx: &mut Tx,
    user: UserId,
    purpose: &str,
    payload: serde_json::Value,
) -> Result<String> {
    let now = core.clock().now();
    store::retire(tx.db(), user, purpose, now).await?;
    let code = six_digits()?;
    let id = uuid::Uuid::now_v7();
    let row = CodeRow {
        id,
        user_id: user,
        purpose: purpose.to_owned(),
        code_hash: digest(core, id, &code)?,
        payload: Json(payload),
        attempts: 0,
        created_at: now,
        expires_at: now + CODE_TTL,
        used_at: None,
    };
    store::insert(tx.db(), &row).await?;
    Ok(code)
}

/// A refused code: `reason` (`malformed`, `expired`, `exhausted`, `wrong` with the attempts
/// `left`) picks the translated sentence (`field-error-code-invalid-code`).
fn wrong(message: &str, reason: &str, left: Option<i32>) -> Error {
    let mut args = vec![("reason", reason.to_owned())];
    if let Some(left) = left {
        args.push(("left", left.to_string()));
    }
    let mut errors = crate::FieldErrors::new();
    errors.add_with("code", "invalid_code", message, args);
    Error::Invalid(errors)
}

/// Checks an entered code and uses it; returns the payload it carried.
pub(crate) async fn redeem(core: &Core, user: UserId, purpose: &str, entered: &str) -> Result<serde_json::Value> {
    let Some(entered) = crate::mfa::six_digits(entered) else {
        return Err(wrong("Enter the six digits from the email.", "malformed", None));
    };
    let now = core.clock().now();
    let mut tx = core.store().begin().await?;
    let Some(row) = store::open(tx.db(), user, purpose, now).await? else {
        return Err(wrong("This code has expired. Start again to get a new one.", "expired", None));
    };
    // The attempt is taken before the comparison, so parallel entries get no more than
    // MAX_ATTEMPTS between them.
    let Some(taken) = store::take_attempt(tx.db(), row.id, MAX_ATTEMPTS).await? else {
        return Err(wrong("Too many wrong codes. Start again to get a new one.", "exhausted", None));
    };
    let ok = bool::from(digest(core, row.id, &entered)?.as_slice().ct_eq(&row.code_hash));
    if !ok {
        tx.commit().await?;
        let left = MAX_ATTEMPTS - taken;
        return Err(if left > 0 {
            wrong(
                &format!("That code is not right. {left} attempt{} left.", if left == 1 { "" } else { "s" }),
                "wrong",
                Some(left),
            )
        } else {
            wrong("Too many wrong codes. Start again to get a new one.", "exhausted", None)
        });
    }
    if !store::consume(tx.db(), row.id, now).await? {
        return Err(wrong("This code has expired. Start again to get a new one.", "expired", None));
    }
    tx.commit().await?;
    Ok(row.payload.0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_are_six_digits() {
        for _ in 0..200 {
            let c = super::six_digits().unwrap();
            assert_eq!(c.len(), 6);
            assert!(c.chars().all(|c| c.is_ascii_digit()));
        }
    }
}
