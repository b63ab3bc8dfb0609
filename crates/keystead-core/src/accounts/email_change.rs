//! Changing the email address: the new address → a six-digit code to the *current* address →
//! a verification link to the new one → switched, and the old address is told. A taken address
//! gets no hint beyond "could not use this address", and only at the last step.

use super::codes;
use super::tokens::{self, Purpose};
use super::{EmailAddress, User};
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Code, Error, Result};
use crate::ids::UserId;
use crate::mail::{self, Notice};
use crate::sessions::SessionInfo;
use crate::store::users as store_users;
use crate::store::{StoreError, Tx};

const PURPOSE: &str = "email_change";

impl Core {
    /// Step one: emails a code to the current address to confirm the wish to change it.
    pub async fn start_email_change(&self, session: &SessionInfo, new_email: &str) -> Result<EmailAddress> {
        let user = &session.user;
        let new = EmailAddress::parse("new_email", new_email)?;
        if new.lookup() == user.email.to_lowercase() {
            return Err(Error::invalid("new_email", "same_email", "This is already your email address."));
        }
        let mut tx = self.store().begin().await?;
        let code = codes::issue(self, &mut tx, user.id, PURPOSE, serde_json::json!({ "email": new.as_str() })).await?;
        let site = self.site_name();
        let l = self.locale_of(user);
        let notice = Notice {
            locale: l,
            subject: l.t2("email-code-subject", "code", &code, "site", site),
            paragraphs: vec![
                l.t2("email-change-code-body", "site", site, "email", new.as_str()),
                code.clone(),
                l.t("email-code-10min"),
            ],
            action: None,
            after: vec![l.t("email-change-code-after")],
            brand: None,
        };
        mail::send_notice(self, &mut tx, &user.email, &notice).await?;
        tx.commit().await?;
        Ok(new)
    }

    /// Step two: the code from the current address sends a verification link to the new one.
    pub async fn confirm_email_change_code(&self, session: &SessionInfo, code: &str) -> Result<String> {
        let user = &session.user;
        let payload = codes::redeem(self, user.id, PURPOSE, code).await?;
        let new = payload
            .get("email")
            .and_then(|e| e.as_str())
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("email change code without an address")))?
            .to_owned();
        let mut tx = self.store().begin().await?;
        self.send_email_change_link(&mut tx, user.id, &new).await?;
        tx.commit().await?;
        Ok(new)
    }

    /// Emails `new` the link that switches the account to it (step three), in the account's
    /// language.
    pub(crate) async fn send_email_change_link(&self, tx: &mut Tx, user: UserId, new: &str) -> Result<()> {
        let l = self.locale_for(store_users::get(tx.db(), user).await?.locale.as_deref());
        let link = tokens::issue(self, tx, user, Purpose::ChangeEmail, new, None).await?;
        let site = self.site_name();
        let notice = Notice {
            locale: l,
            subject: l.t1("email-change-link-subject", "site", site),
            paragraphs: vec![l.t2("email-change-link-body", "email", new, "site", site), l.t("email-link-24h")],
            action: Some((l.t("email-change-link-action"), link)),
            after: vec![l.t("email-change-link-after")],
            brand: None,
        };
        mail::send_notice(self, tx, new, &notice).await?;
        Ok(())
    }

    /// Step three: the link from the new address switches the account to it; the old address
    /// is told. Other sessions are kept (the password did not change).
    pub async fn complete_email_change(&self, token: &str, meta: &RequestMeta) -> Result<User> {
        let mut tx = self.store().begin().await?;
        let row = tokens::redeem(self, &mut tx, token, Purpose::ChangeEmail).await?;
        let user: User = store_users::get(tx.db(), row.user_id).await?.into();
        let new = EmailAddress::parse("email", &row.email)?;
        let details = serde_json::json!({"from": user.email, "to": new.as_str()});
        self.switch_email(&mut tx, &user, &new, (Some(user.id), details), meta).await?;
        let user: User = store_users::get(tx.db(), user.id).await?.into();
        tx.commit().await?;
        Ok(user)
    }

    /// Switches `user` to the proven address `new`: `Conflict(EmailUnavailable)` when another
    /// account has it; audited as `by` with `details`; the old address is told (always).
    pub(crate) async fn switch_email(
        &self,
        tx: &mut Tx,
        user: &User,
        new: &EmailAddress,
        (by, details): (Option<UserId>, serde_json::Value),
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.clock().now();
        set_address(tx, user.id, new, now).await?;
        audit::record(tx.db(), now, AuditAction::EmailChanged, by, Some(user.id), meta, details).await?;
        let site = self.site_name();
        let l = self.locale_of(user);
        let body = l.t_args(
            "email-changed-body",
            &[("site", site.into()), ("old", (&user.email).into()), ("new", new.as_str().into())],
        );
        let notice = Notice {
            locale: l,
            subject: l.t1("email-changed-subject", "site", site),
            paragraphs: vec![body, l.t("email-changed-next")],
            action: None,
            after: vec![l.t("email-changed-after")],
            brand: None,
        };
        mail::send_notice(self, tx, &user.email, &notice).await?;
        Ok(())
    }
}

/// Gives account `user` the address `new` (proven at `now`): `Conflict(EmailUnavailable)` when
/// another account has it.
pub(crate) async fn set_address(
    tx: &mut Tx,
    user: UserId,
    new: &EmailAddress,
    now: time::OffsetDateTime,
) -> Result<()> {
    match store_users::set_email(tx.db(), user, new.as_str(), new.lookup(), now).await {
        Ok(()) => Ok(()),
        Err(StoreError::Conflict { .. }) => Err(Error::Conflict(Code::EmailUnavailable)),
        Err(e) => Err(e.into()),
    }
}
