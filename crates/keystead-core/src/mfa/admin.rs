//! The operator's `keystead admin user reset-mfa EMAIL` and the admin API's
//! `POST /api/v1/users/{id}/reset-mfa`: for a user who lost every factor.

use super::MfaStatus;
use crate::Core;
use crate::accounts::User;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::Result;
use crate::ids::UserId;
use crate::organizations::Actor;
use crate::sessions;
use crate::store::mfa as store;

impl Core {
    /// Removes every second factor of the account (authenticator app, email codes, passkeys,
    /// recovery codes) and ends its sessions (operator only); audited, and the user is told.
    /// Returns what was enrolled before. `NotFound` for an unknown account.
    pub async fn reset_mfa(&self, actor: Actor, id: UserId, meta: &RequestMeta) -> Result<MfaStatus> {
        crate::accounts::admin::operator_only(actor)?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let user: User = crate::accounts::admin::locked(&mut tx, id).await?.into();
        let before = super::status_in(tx.db(), user.id).await?;
        store::delete_totp(tx.db(), user.id).await?;
        store::disable_email(tx.db(), user.id).await?;
        store::delete_passkeys(tx.db(), user.id).await?;
        store::delete_recovery_codes(tx.db(), user.id).await?;
        let ended = sessions::revoke_all(self, &mut tx, user.id).await?;
        let details = serde_json::json!({
            "totp": before.totp,
            "email": before.email,
            "passkeys": before.passkeys.len(),
            "sessions": ended,
        });
        audit::record(tx.db(), now, AuditAction::MfaReset, None, Some(user.id), meta, details).await?;
        let l = self.locale_of(&user);
        let text = l.t2("email-mfa-reset-body", "site", self.site_name(), "email", &user.email);
        let next = l.t("email-mfa-reset-next");
        super::notify(self, &mut tx, &user, "email-mfa-reset-subject", vec![text, next]).await?;
        tx.commit().await?;
        Ok(before)
    }
}
