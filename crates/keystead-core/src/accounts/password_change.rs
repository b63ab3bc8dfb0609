//! Changing the password from My Account: the current password, the new one twice, then a
//! six-digit code sent by email confirms it. Other sessions end and a notice is sent.

use secrecy::{ExposeSecret, SecretString};

use super::codes;
use crate::Core;
use crate::audit::RequestMeta;
use crate::error::{Error, FieldErrors, Result};
use crate::mail::{self, Notice};
use crate::passwords::Verification;
use crate::sessions::SessionInfo;
use crate::store::users as store_users;

const PURPOSE: &str = "password_change";

impl Core {
    /// Step one: checks the current password and the new one, then emails a code to the
    /// account's address. The new password is kept (hashed) with the code until it is entered.
    pub async fn start_password_change(
        &self,
        session: &SessionInfo,
        current: &SecretString,
        new: &SecretString,
        repeat: &SecretString,
    ) -> Result<()> {
        let user = &session.user;
        let stored = {
            let mut conn = self.store().conn().await?;
            store_users::get(conn.db(), user.id).await?.password_hash
        };
        if let Some(why) = self.password_managed_elsewhere(user.id).await? {
            return Err(Error::invalid("current_password", "managed_by_sso", why));
        }
        let Some(stored) = stored else {
            return Err(Error::invalid(
                "current_password",
                "no_password",
                "Your account has no password yet: use “Send reset link” instead.",
            ));
        };
        let mut errors = FieldErrors::new();
        if new.expose_secret() != repeat.expose_secret() {
            errors.add("repeat_password", "mismatch", "The two new passwords are not the same.");
        }
        let current = SecretString::from(super::password_policy::normalize(current.expose_secret()));
        if matches!(self.passwords().verify(&current, &stored).await?, Verification::Mismatch) {
            errors.add("current_password", "wrong_password", "Your current password is not right.");
        }
        errors.into_result()?;
        let (hash, _) = self.prepare_new_password(user, new).await?;
        let mut tx = self.store().begin().await?;
        let code = codes::issue(self, &mut tx, user.id, PURPOSE, serde_json::json!({ "hash": hash })).await?;
        let site = self.site_name();
        let l = self.locale_of(user);
        let notice = Notice {
            locale: l,
            subject: l.t2("email-code-subject", "code", &code, "site", site),
            paragraphs: vec![l.t("email-password-code-body"), code.clone(), l.t("email-code-10min")],
            action: None,
            after: vec![l.t("email-password-code-after")],
            brand: None,
        };
        mail::send_notice(self, &mut tx, &user.email, &notice).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Step two: the emailed code switches the password; every other session ends.
    pub async fn confirm_password_change(&self, session: &SessionInfo, code: &str, meta: &RequestMeta) -> Result<()> {
        let user = &session.user;
        let payload = codes::redeem(self, user.id, PURPOSE, code).await?;
        let hash = payload
            .get("hash")
            .and_then(|h| h.as_str())
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("password change code without a hash")))?;
        let old = {
            let mut conn = self.store().conn().await?;
            store_users::get(conn.db(), user.id).await?.password_hash
        };
        let mut tx = self.store().begin().await?;
        self.store_new_password(&mut tx, user, hash, old.as_deref(), meta, "changed").await?;
        crate::sessions::revoke_others(self, &mut tx, user.id, session.id).await?;
        tx.commit().await?;
        Ok(())
    }
}
