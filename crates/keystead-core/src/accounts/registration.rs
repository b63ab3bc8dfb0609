//! Registration, email first: the address is checked (syntax, invitation-only deployments, work
//! addresses), then a password under the policy; the account starts `unverified` and a
//! single-use verification link (24 h) goes out. An address that already has an account gets
//! the same page and an email telling its owner instead — nobody learns which addresses exist.

use secrecy::{ExposeSecret, SecretString};

use super::password_policy::{PersonalData, normalize};
use super::tokens::{self, Purpose};
use super::{EmailAddress, User, UserStatus};
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::config::RegistrationMode;
use crate::error::{Code, Error, FieldErrors, Result};
use crate::i18n::Locale;
use crate::mail::{self, Notice};
use crate::rate_limit::{self, limits};
use crate::sessions::{self, NewSession, SessionStage};
use crate::store::StoreError;
use crate::store::users as store_users;

pub use crate::sso::realm::Realm;

/// The result of following a verification link.
#[derive(Debug)]
pub struct Verified {
    /// The session the link signed the user into.
    pub session: NewSession,
    /// Where the user was headed when they registered.
    pub return_to: Option<String>,
}

impl Core {
    /// Step one of registration: is this address acceptable here?
    pub async fn check_registration_email(&self, email: &str) -> Result<EmailAddress> {
        if self.config().registration.mode == RegistrationMode::InviteOnly {
            return Err(Error::Conflict(Code::RegistrationClosed));
        }
        let email = EmailAddress::parse("email", email)?;
        let reg = &self.config().registration;
        if reg.require_work_email && reg.free_email_domains.contains(email.domain()) {
            return Err(Error::invalid(
                "email",
                "work_email_required",
                "Use your company email address — it is tied to your licenses.",
            ));
        }
        Ok(email)
    }

    /// Checks a new password against the deployment's policy and the user's personal data (for
    /// an account that belongs to no organization yet).
    pub fn check_new_password(&self, password: &SecretString, personal: &PersonalData<'_>) -> Result<SecretString> {
        self.check_password_against(&self.config().password_policy, password, personal)
    }

    /// Checks a new password against `policy` (see [`Core::effective_password_policy`]) and the
    /// user's personal data; the normalised password when it passes.
    pub fn check_password_against(
        &self,
        policy: &super::password_policy::PasswordPolicy,
        password: &SecretString,
        personal: &PersonalData<'_>,
    ) -> Result<SecretString> {
        // `check` normalises (NFKC) only as much as it needs, so an enormous input costs little.
        let violations = policy.check(password.expose_secret(), personal);
        if violations.is_empty() {
            return Ok(SecretString::from(normalize(password.expose_secret())));
        }
        let mut errors = FieldErrors::new();
        for v in violations {
            errors.add_with("password", v.code(), v.message(), v.args());
        }
        Err(Error::Invalid(errors))
    }

    /// Step two: creates the account, or — when the address is taken — tells its owner. Either
    /// way the caller shows the same "check your inbox" page. `locale` is the language the
    /// person registered in: the new account keeps it (`users.locale`), so the verification
    /// email and every later one are written in it (`None`: the deployment's default).
    pub async fn register(
        &self,
        email: &str,
        password: &SecretString,
        return_to: Option<&str>,
        locale: Option<Locale>,
        meta: &RequestMeta,
    ) -> Result<EmailAddress> {
        // A place in the hashing pool first: beyond it the answer is 503 at once.
        let admission = self.passwords().admit()?;
        let now = self.clock().now();
        if let Some(ip) = meta.ip {
            let mut tx = self.store().begin().await?;
            rate_limit::hit(
                tx.db(),
                limits::register_per_ip(self.config().rate_limits.register_per_ip),
                &ip.to_string(),
                now,
            )
            .await?;
            tx.commit().await?;
        }
        let email = self.check_registration_email(email).await?;
        let personal = PersonalData { email: email.as_str(), ..PersonalData::default() };
        let password = self.check_new_password(password, &personal)?;
        // Hash before taking the write lock, and for taken addresses too: both paths cost the same.
        let hash = admission.hash(&password).await?;

        let mut tx = self.store().begin().await?;
        if let Some(existing) = store_users::find_by_email(tx.db(), email.lookup()).await? {
            self.notify_already_registered(&mut tx, &existing.into()).await?;
            tx.commit().await?;
            return Ok(email);
        }
        let mut row = super::new_user_row(&email, UserStatus::Unverified, Some(hash), (None, None), None, now);
        row.locale = locale.map(|l| l.tag().to_owned());
        match store_users::insert(tx.db(), &row).await {
            Ok(()) => {}
            // Registered by a concurrent request a moment ago: the same answer as a taken address.
            Err(StoreError::Conflict { .. }) => return Ok(email),
            Err(e) => return Err(e.into()),
        }
        let user: User = row.into();
        self.send_verification(&mut tx, &user, return_to).await?;
        audit::record(tx.db(), now, AuditAction::Registered, Some(user.id), Some(user.id), meta, serde_json::json!({}))
            .await?;
        tx.commit().await?;
        Ok(email)
    }

    /// Sends a new verification link to an unverified account (60 s cooldown, 5 an hour).
    /// Answers the same whether or not the address has an account.
    pub async fn resend_verification(&self, email: &str) -> Result<()> {
        let email = EmailAddress::parse("email", email)?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        rate_limit::hit(tx.db(), limits::VERIFY_RESEND_COOLDOWN, email.lookup(), now).await?;
        rate_limit::hit(tx.db(), limits::VERIFY_RESEND_PER_ACCOUNT, email.lookup(), now).await?;
        if let Some(row) = store_users::find_by_email(tx.db(), email.lookup()).await? {
            let user: User = row.into();
            if user.status == UserStatus::Unverified {
                self.send_verification(&mut tx, &user, None).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Follows a verification link: proves the address, signs the user in.
    pub async fn verify_email(&self, token: &str, meta: &RequestMeta) -> Result<Verified> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let row = tokens::redeem(self, &mut tx, token, Purpose::VerifyEmail).await?;
        let user = store_users::get(tx.db(), row.user_id).await?;
        if user.email != row.email {
            return Err(Error::Conflict(Code::LinkInvalid));
        }
        if user.status == UserStatus::Disabled.as_str() {
            return Err(Error::Conflict(Code::AccountDisabled));
        }
        // Missing required profile data or agreements: the "complete your profile" step first.
        let status = crate::agreements::status_after_verification(self, tx.db(), &user).await?;
        store_users::mark_verified(tx.db(), user.id, status.as_str(), now).await?;
        store_users::touch_sign_in(tx.db(), user.id, now).await?;
        let user: User = store_users::get(tx.db(), user.id).await?.into();
        let session =
            sessions::create(self, &mut tx, user.clone(), SessionStage::Authenticated, &["email"], meta).await?;
        audit::record(
            tx.db(),
            now,
            AuditAction::EmailVerified,
            Some(user.id),
            Some(user.id),
            meta,
            serde_json::json!({}),
        )
        .await?;
        audit::record(
            tx.db(),
            now,
            AuditAction::SignedIn,
            Some(user.id),
            Some(user.id),
            meta,
            serde_json::json!({"method": "email_link"}),
        )
        .await?;
        tx.commit().await?;
        Ok(Verified { session, return_to: row.return_to })
    }

    pub(crate) async fn send_verification(
        &self,
        tx: &mut crate::store::Tx,
        user: &User,
        return_to: Option<&str>,
    ) -> Result<()> {
        let link = tokens::issue(self, tx, user.id, Purpose::VerifyEmail, &user.email, return_to).await?;
        let site = self.site_name();
        let l = self.locale_of(user);
        let notice = Notice {
            locale: l,
            subject: l.t1("email-verify-subject", "site", site),
            paragraphs: vec![l.t2("email-verify-welcome", "site", site, "email", &user.email), l.t("email-link-24h")],
            action: Some((l.t("email-verify-action"), link)),
            after: vec![l.t("email-verify-after")],
            brand: None,
        };
        mail::send_notice(self, tx, &user.email, &notice).await?;
        Ok(())
    }

    async fn notify_already_registered(&self, tx: &mut crate::store::Tx, user: &User) -> Result<()> {
        // At most one such email an hour per account, so the form cannot be used to flood a mailbox.
        let now = self.clock().now();
        if rate_limit::hit(tx.db(), limits::ALREADY_REGISTERED_NOTICE, &user.id.to_string(), now).await.is_err() {
            return Ok(());
        }
        let site = self.site_name();
        let sign_in = self.config().public_url.join("sign-in").map_err(|e| Error::Internal(e.into()))?;
        let reset = self.config().public_url.join("password/forgot").map_err(|e| Error::Internal(e.into()))?;
        let l = self.locale_of(user);
        let notice = Notice {
            locale: l,
            subject: l.t1("email-registered-subject", "site", site),
            paragraphs: vec![
                l.t2("email-registered-body", "site", site, "email", &user.email),
                l.t1("email-registered-reset", "url", reset.as_str()),
            ],
            action: Some((l.t("sign-in"), sign_in.into())),
            after: vec![l.t("email-registered-after")],
            brand: None,
        };
        mail::send_notice(self, tx, &user.email, &notice).await?;
        Ok(())
    }
}
