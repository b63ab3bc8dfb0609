//! Password reset by emailed link (1 h, single use): the same answer whether or not the address
//! has an account; on success every session of the user ends and a notice is sent. Also the
//! forced change of an expired password at sign-in.

use secrecy::{ExposeSecret, SecretString};

use super::password_policy::PersonalData;
use super::tokens::{self, Purpose};
use super::{EmailAddress, User, UserStatus};
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Error, Result};
use crate::mail::{self, Notice};
use crate::passwords::Verification;
use crate::rate_limit::{self, limits};
use crate::sessions::{self, SessionInfo, SessionStage};
use crate::store::{Tx, users as store_users};

/// Who asked for a reset link: the email says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ResetAskedBy {
    /// The account's owner ("Forgot password", My Account's "Send reset link").
    Owner,
    /// An operator, from the console or the command line.
    Operator,
}

impl Core {
    /// Sends a reset link if the address has an account that may use one. Always answers `Ok`
    /// (after the rate limits), so the page reveals nothing.
    pub async fn request_password_reset(&self, email: &str, meta: &RequestMeta) -> Result<()> {
        let email = EmailAddress::parse("email", email)?;
        let now = self.clock().now();
        {
            let mut conn = self.store().conn().await?;
            if let Some(ip) = meta.ip {
                rate_limit::hit(
                    conn.db(),
                    limits::reset_per_ip(self.config().rate_limits.reset_per_ip),
                    &ip.to_string(),
                    now,
                )
                .await?;
            }
            rate_limit::hit(conn.db(), limits::RESET_PER_ACCOUNT, email.lookup(), now).await?;
        }
        let mut tx = self.store().begin().await?;
        if let Some(row) = store_users::find_by_email(tx.db(), email.lookup()).await? {
            let user: User = row.into();
            // Managed by SSO: (organization, connection) naming who signs the user in.
            let managed = crate::store::sso::sso_required_for(tx.db(), user.id).await?;
            if let (Some((org, connection)), false) =
                (managed, matches!(user.status, UserStatus::Disabled | UserStatus::Purged))
            {
                // The same page as always; the owner learns by email why no link came.
                let site = self.site_name();
                let l = self.locale_of(&user);
                let notice = Notice {
                    locale: l,
                    subject: l.t1("email-reset-managed-subject", "site", site),
                    paragraphs: vec![
                        l.t2("email-reset-asked", "site", site, "email", &user.email),
                        l.t2("email-reset-managed-why", "org", org, "connection", connection),
                        l.t("email-reset-managed-next"),
                    ],
                    action: None,
                    after: vec![l.t("email-reset-managed-after")],
                    brand: None,
                };
                mail::send_notice(self, &mut tx, &user.email, &notice).await?;
            } else if !matches!(user.status, UserStatus::Disabled | UserStatus::Purged) {
                self.email_reset_link(&mut tx, &user, ResetAskedBy::Owner).await?;
                audit::record(
                    tx.db(),
                    now,
                    AuditAction::PasswordResetRequested,
                    None,
                    Some(user.id),
                    meta,
                    serde_json::json!({}),
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Emails `user` a reset link (1 h, single use), saying who asked for it.
    pub(crate) async fn email_reset_link(&self, tx: &mut Tx, user: &User, asked_by: ResetAskedBy) -> Result<()> {
        let link = tokens::issue(self, tx, user.id, Purpose::ResetPassword, &user.email, None).await?;
        let site = self.site_name();
        let l = self.locale_of(user);
        let (asked, after) = match asked_by {
            ResetAskedBy::Owner => ("email-reset-asked", "email-reset-after"),
            ResetAskedBy::Operator => ("admin-user-email-reset-asked", "admin-user-email-reset-after"),
        };
        let notice = Notice {
            locale: l,
            subject: l.t1("email-reset-subject", "site", site),
            paragraphs: vec![l.t2(asked, "site", site, "email", &user.email), l.t("email-link-1h")],
            action: Some((l.t("email-reset-action"), link)),
            after: vec![l.t(after)],
            brand: None,
        };
        mail::send_notice(self, tx, &user.email, &notice).await?;
        Ok(())
    }

    /// The address a reset link belongs to, if the link is still good (for the form page).
    pub async fn password_reset_email(&self, token: &str) -> Result<String> {
        let mut conn = self.store().conn().await?;
        Ok(tokens::peek(self, conn.db(), token, Purpose::ResetPassword).await?.email)
    }

    /// The shortest password the reset link's account may choose (its organizations may ask for
    /// more than the deployment), for the form's hint.
    pub async fn password_reset_min_length(&self, token: &str) -> Result<usize> {
        let user = {
            let mut conn = self.store().conn().await?;
            tokens::peek(self, conn.db(), token, Purpose::ResetPassword).await?.user_id
        };
        Ok(self.effective_password_policy(Some(user), None).await?.min_length)
    }

    /// Sets a new password with a reset link; ends every session of the user.
    pub async fn reset_password(&self, token: &str, password: &SecretString, meta: &RequestMeta) -> Result<()> {
        let user: User = {
            let mut conn = self.store().conn().await?;
            let row = tokens::peek(self, conn.db(), token, Purpose::ResetPassword).await?;
            store_users::get(conn.db(), row.user_id).await?.into()
        };
        let (hash, old) = self.prepare_new_password(&user, password).await?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        if let Some(why) = crate::sso::managed_by_sso(tx.db(), user.id).await? {
            // The organization began requiring SSO after the link was sent.
            return Err(Error::invalid("password", "managed_by_sso", why));
        }
        tokens::redeem(self, &mut tx, token, Purpose::ResetPassword).await?;
        self.store_new_password(&mut tx, &user, &hash, old.as_deref(), meta, "reset").await?;
        // The link proved the address.
        store_users::mark_verified(tx.db(), user.id, UserStatus::Active.as_str(), now).await?;
        sessions::revoke_all(self, &mut tx, user.id).await?;
        // SPEC §2: a reset ends every session and every refresh token of the user.
        crate::oauth::apps::end_for_user(&mut tx, user.id, now, false).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces an expired password from a `PasswordExpired` session, which then becomes
    /// fully signed in.
    pub async fn change_expired_password(
        &self,
        session: &SessionInfo,
        password: &SecretString,
        meta: &RequestMeta,
    ) -> Result<()> {
        if session.stage != SessionStage::PasswordExpired {
            return Err(Error::Forbidden);
        }
        let (hash, old) = self.prepare_new_password(&session.user, password).await?;
        let mut tx = self.store().begin().await?;
        self.store_new_password(&mut tx, &session.user, &hash, old.as_deref(), meta, "expired").await?;
        sessions::advance(&mut tx, session.id, SessionStage::Authenticated, &session.amr).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Checks the policy and the history, then hashes: (new hash, current hash).
    pub(crate) async fn prepare_new_password(
        &self,
        user: &User,
        password: &SecretString,
    ) -> Result<(String, Option<String>)> {
        let names: Vec<&str> =
            [user.given_name.as_deref(), user.family_name.as_deref()].into_iter().flatten().collect();
        let personal = PersonalData { email: &user.email, names, ..PersonalData::default() };
        // The deployment's policy tightened by the user's organizations.
        let policy = self.effective_password_policy(Some(user.id), None).await?;
        let password = self.check_password_against(&policy, password, &personal)?;
        let keep = policy.history;
        let (current, history) = {
            let mut conn = self.store().conn().await?;
            let row = store_users::get(conn.db(), user.id).await?;
            let n = i64::from(keep);
            let history = if n > 0 { store_users::recent_history(conn.db(), user.id, n).await? } else { Vec::new() };
            (row.password_hash, history)
        };
        if keep > 0 {
            for old in current.iter().chain(history.iter().take(usize::try_from(keep).unwrap_or(0).saturating_sub(1))) {
                if matches!(self.passwords().verify(&password, old).await?, Verification::Match { .. }) {
                    let mut errors = crate::FieldErrors::new();
                    errors.add_with(
                        "password",
                        "reused",
                        format!("Choose a password you have not used before: the last {keep} cannot be used again."),
                        vec![("count", keep.to_string())],
                    );
                    return Err(Error::Invalid(errors));
                }
            }
        }
        let hash = self.passwords().hash(&SecretString::from(password.expose_secret().to_owned())).await?;
        Ok((hash, current))
    }

    pub(crate) async fn store_new_password(
        &self,
        tx: &mut Tx,
        user: &User,
        hash: &str,
        old: Option<&str>,
        meta: &RequestMeta,
        how: &str,
    ) -> Result<()> {
        let now = self.clock().now();
        if let Some(old) = old {
            store_users::push_history(tx.db(), user.id, old, now).await?;
        }
        store_users::set_password(tx.db(), user.id, hash, now).await?;
        audit::record(
            tx.db(),
            now,
            AuditAction::PasswordChanged,
            Some(user.id),
            Some(user.id),
            meta,
            serde_json::json!({"how": how}),
        )
        .await?;
        let site = self.site_name();
        let reset = self.config().public_url.join("password/forgot").map_err(|e| Error::Internal(e.into()))?;
        let l = self.locale_of(user);
        let notice = Notice {
            locale: l,
            subject: l.t1("email-password-changed-subject", "site", site),
            paragraphs: vec![
                l.t2("email-password-changed-body", "site", site, "email", &user.email),
                l.t("email-password-changed-nothing"),
            ],
            action: Some((l.t("email-password-changed-action"), reset.into())),
            after: vec![l.t("email-security-always")],
            brand: None,
        };
        mail::send_notice(self, tx, &user.email, &notice).await?;
        Ok(())
    }
}
