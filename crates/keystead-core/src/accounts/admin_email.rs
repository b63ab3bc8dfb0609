//! An operator changes an account's email address (the admin API's `POST /users/{id}/email`),
//! as Keycloak's and Auth0's admin APIs allow: either vouching for the new address (switched now,
//! proven) or sending it the same confirmation link the user's own change sends (switched when it
//! is followed). The old address is told either way. An account that has proved no address yet
//! gets the new one at once, still unproven, with a fresh verification link.

use super::admin::{locked, operator_only};
use super::directory::AccountRecord;
use super::{EmailAddress, User, UserStatus};
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Code, Error, Result};
use crate::ids::UserId;
use crate::organizations::Actor;
use crate::store::users as store_users;

/// What an operator's change of address did.
#[derive(Debug)]
pub enum OperatorEmailChange {
    /// The account uses the new address now.
    Changed(AccountRecord),
    /// A confirmation link went to the new address; the account switches when it is followed.
    LinkSent {
        /// The account as it is until then.
        record: AccountRecord,
        /// Where the link went.
        to: String,
    },
}

impl Core {
    /// Changes account `id`'s address to `new_email` (operator only). `vouched`: the operator
    /// knows the address is the person's — switched now and proven; otherwise a confirmation
    /// link goes to it. Closed accounts are refused; an address another account uses is
    /// `Conflict(EmailUnavailable)` when switching now (when the link is followed otherwise).
    pub async fn change_email_as_operator(
        &self,
        actor: Actor,
        id: UserId,
        new_email: &str,
        vouched: bool,
        meta: &RequestMeta,
    ) -> Result<OperatorEmailChange> {
        operator_only(actor)?;
        let new = EmailAddress::parse("email", new_email)?;
        let mut tx = self.store().begin().await?;
        let user: User = locked(&mut tx, id).await?.into();
        if matches!(user.status, UserStatus::Closing | UserStatus::Purged) {
            return Err(Error::refused(Code::Forbidden, "The account is closed; its address can no longer change."));
        }
        if new.lookup() == user.email.to_lowercase() {
            return Err(Error::invalid("email", "same_email", "This is already the account's address."));
        }
        let details = serde_json::json!({"by": "operator", "from": user.email, "to": new.as_str(), "vouched": vouched});
        let outcome = if user.status == UserStatus::Unverified {
            if vouched {
                return Err(Error::invalid(
                    "verified",
                    "account_unverified",
                    "This account has proved no address yet: change it without verified, and a verification link goes to the new address.",
                ));
            }
            self.replace_unproven_email(&mut tx, &user, &new, details, meta).await?;
            OperatorEmailChange::Changed(store_users::get(tx.db(), id).await?.into())
        } else if vouched {
            self.switch_email(&mut tx, &user, &new, (None, details), meta).await?;
            OperatorEmailChange::Changed(store_users::get(tx.db(), id).await?.into())
        } else {
            self.send_email_change_link(&mut tx, id, new.as_str()).await?;
            let now = self.clock().now();
            audit::record(tx.db(), now, AuditAction::EmailChangeRequested, None, Some(id), meta, details).await?;
            let record = store_users::get(tx.db(), id).await?.into();
            OperatorEmailChange::LinkSent { record, to: new.as_str().to_owned() }
        };
        tx.commit().await?;
        Ok(outcome)
    }

    /// An unproven address replaced by another, still unproven, which gets a verification link.
    async fn replace_unproven_email(
        &self,
        tx: &mut crate::store::Tx,
        user: &User,
        new: &EmailAddress,
        details: serde_json::Value,
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.clock().now();
        super::email_change::set_address(tx, user.id, new, now).await?;
        store_users::clear_email_verified(tx.db(), user.id).await?;
        audit::record(tx.db(), now, AuditAction::EmailChanged, None, Some(user.id), meta, details).await?;
        let moved: User = store_users::get(tx.db(), user.id).await?.into();
        self.send_verification(tx, &moved, None).await
    }
}
