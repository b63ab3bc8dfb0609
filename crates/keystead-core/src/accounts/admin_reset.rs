//! An operator sends a user the link to choose a new password (the console's "Send password
//! reset link", `keystead admin user send-password-reset EMAIL`): the same emailed link as
//! "Forgot password", saying that an administrator sent it.

use super::password_reset::ResetAskedBy;
use super::{User, UserStatus};
use crate::Core;
use crate::accounts::admin::{locked, operator_only};
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Code, Error, Result};
use crate::ids::UserId;
use crate::organizations::Actor;
use crate::rate_limit::{self, limits};

/// Why an operator's reset link was not sent.
pub const RESET_REFUSED_CLOSED: &str = "The account is disabled or closed: no reset link was sent.";

impl Core {
    /// Emails the account a link (1 h, single use) to choose a new password, as "Forgot
    /// password" does (operator only; audited with the operator as actor). Refused for an
    /// account that is disabled or closed, and for one whose organization signs it in through
    /// single sign-on (its password is not used). The same per-account limit as "Forgot
    /// password" (`RateLimited`). Returns the address the link went to.
    pub async fn send_password_reset_as_operator(
        &self,
        actor: Actor,
        id: UserId,
        meta: &RequestMeta,
    ) -> Result<String> {
        operator_only(actor)?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let row = locked(&mut tx, id).await?;
        let lookup = row.email_lookup.clone();
        let user: User = row.into();
        if matches!(user.status, UserStatus::Disabled | UserStatus::Closing | UserStatus::Purged) {
            return Err(Error::refused(Code::AccountDisabled, RESET_REFUSED_CLOSED));
        }
        if let Some(why) = crate::sso::managed_by_sso(tx.db(), user.id).await? {
            return Err(Error::refused(Code::Forbidden, why));
        }
        rate_limit::hit(tx.db(), limits::RESET_PER_ACCOUNT, &lookup, now).await?;
        self.email_reset_link(&mut tx, &user, ResetAskedBy::Operator).await?;
        let details = serde_json::json!({"by": "operator"});
        audit::record(tx.db(), now, AuditAction::PasswordResetRequested, None, Some(user.id), meta, details).await?;
        tx.commit().await?;
        Ok(user.email)
    }
}
