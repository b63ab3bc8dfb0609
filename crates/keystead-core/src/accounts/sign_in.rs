//! Sign-in with email and password. Unknown addresses, wrong passwords and unverified accounts
//! get the same answer after the same work (a dummy hash for unknown users); repeated failures
//! throttle the address progressively, and the owner is told the first time.

use secrecy::SecretString;

use super::closing::ReactivationOffer;
use super::{EmailAddress, User, UserStatus};
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Code, Error, Result};
use crate::mail::{self, Notice};
use crate::passwords::Verification;
use crate::rate_limit::{self, Reservation, limits};
use crate::sessions::{self, NewSession};
use crate::store::users as store_users;

/// The one message for every failed sign-in.
pub const INVALID_CREDENTIALS: &str = "The email address or password is not right, or the address has not been confirmed yet. Check the confirmation email we sent, or reset your password.";

/// How a sign-in with the right credentials ends.
#[derive(Debug)]
pub enum SignInOutcome {
    /// A new session (see its stage for a step still to finish).
    SignedIn(Box<NewSession>),
    /// The account is closing: the owner is offered "Reactivate your account". Only the right
    /// password leads here; a wrong one fails exactly as for any other account.
    ReactivationOffered(ReactivationOffer),
}

fn invalid_credentials() -> Error {
    Error::invalid("password", "invalid_credentials", INVALID_CREDENTIALS)
}

impl Core {
    /// Signs in with a password. On success the session is `Authenticated`, or
    /// `PasswordExpired` when the password is older than the policy allows; for an account in
    /// its closing grace period, the right password gives a reactivation offer instead.
    pub async fn sign_in_with_password(
        &self,
        email: &str,
        password: &SecretString,
        meta: &RequestMeta,
    ) -> Result<SignInOutcome> {
        // A place in the hashing pool first: beyond it the answer is 503 at once, before any
        // database work (SPEC §7, §8).
        let admission = self.passwords().admit()?;
        let email = EmailAddress::parse("email", email)?;
        let now = self.clock().now();
        let (row, stored, reservation) = {
            // One short write transaction: the per-address count and the account's attempt are
            // taken before the slow hash, so parallel guesses cannot outrun the lock.
            let mut tx = self.store().begin().await?;
            if let Some(ip) = meta.ip {
                rate_limit::hit(
                    tx.db(),
                    limits::sign_in_per_ip(self.config().rate_limits.sign_in_per_ip),
                    &ip.to_string(),
                    now,
                )
                .await?;
            }
            // Keyed by address, known or not, so that a lock reveals nothing either.
            let reservation =
                rate_limit::reserve(tx.db(), limits::SIGN_IN_FAILURES_PER_ACCOUNT, email.lookup(), now).await?;
            let row = store_users::find_by_email(tx.db(), email.lookup()).await?;
            tx.commit().await?;
            let stored = row.as_ref().and_then(|r| r.password_hash.clone());
            (row, stored, reservation)
        };
        let password =
            SecretString::from(super::password_policy::normalize(secrecy::ExposeSecret::expose_secret(password)));
        let verification = match &stored {
            Some(hash) => admission.verify(&password, hash).await?,
            None => admission.verify_dummy(&password).await?,
        };
        let purge_at = row.as_ref().and_then(|r| r.purge_at);
        let closed_by_operator = row.as_ref().is_some_and(|r| r.closed_by.as_deref() == Some("operator"));
        let user: Option<User> = row.map(Into::into);
        match (verification, user) {
            (Verification::Match { upgraded }, Some(user)) if user.status.may_sign_in() => self
                .complete_password_sign_in(user, &email, stored.as_deref(), upgraded, meta)
                .await
                .map(|s| SignInOutcome::SignedIn(Box::new(s))),
            (Verification::Match { .. }, Some(user)) if user.status == UserStatus::Closing && !closed_by_operator => {
                let mut tx = self.store().begin().await?;
                rate_limit::reset(tx.db(), limits::SIGN_IN_FAILURES_PER_ACCOUNT, email.lookup()).await?;
                tx.commit().await?;
                let purge_at = purge_at.unwrap_or_else(|| self.clock().now());
                Ok(SignInOutcome::ReactivationOffered(self.offer_reactivation(&user, purge_at)?))
            }
            (Verification::Match { .. }, Some(user))
                if matches!(user.status, UserStatus::Disabled | UserStatus::Closing) =>
            {
                Err(Error::Conflict(Code::AccountDisabled))
            }
            (Verification::Match { .. }, Some(user)) if user.status == UserStatus::Unverified => {
                // The right password for an unconfirmed address: answer as for a wrong one, and
                // send a fresh confirmation link (within the resend limits) to help the owner.
                let _ = self.resend_verification(&user.email).await;
                self.fail_sign_in(Some(&user), reservation, meta).await
            }
            (_, user) => self.fail_sign_in(user.as_ref(), reservation, meta).await,
        }
    }

    /// Checks the password of a signed-in owner again (re-authentication, closing the
    /// account): the attempt is reserved against the account's sign-in lock before the hash,
    /// like a sign-in, and a right password resets the count.
    pub(crate) async fn confirm_password(&self, lookup: &str, hash: &str, password: &str) -> Result<bool> {
        let admission = self.passwords().admit()?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        rate_limit::reserve(tx.db(), limits::SIGN_IN_FAILURES_PER_ACCOUNT, lookup, now).await?;
        tx.commit().await?;
        let password = SecretString::from(super::password_policy::normalize(password));
        let matched = matches!(admission.verify(&password, hash).await?, Verification::Match { .. });
        if matched {
            let mut tx = self.store().begin().await?;
            rate_limit::reset(tx.db(), limits::SIGN_IN_FAILURES_PER_ACCOUNT, lookup).await?;
            tx.commit().await?;
        }
        Ok(matched)
    }

    async fn complete_password_sign_in(
        &self,
        user: User,
        email: &EmailAddress,
        old_hash: Option<&str>,
        upgraded: Option<String>,
        meta: &RequestMeta,
    ) -> Result<NewSession> {
        let now = self.clock().now();
        let policy = &self.config().password_policy;
        let expired = user.password_changed_at.is_some_and(|changed| policy.is_expired(changed, now));
        let mut tx = self.store().begin().await?;
        if let Some(why) = crate::sso::managed_by_sso(tx.db(), user.id).await? {
            // Said only after the right password: nobody learns this of an account they cannot open.
            return Err(Error::invalid("password", "managed_by_sso", why));
        }
        // A second factor, a required setup of one, or the expired password comes next.
        let stage = crate::mfa::stage_after_password(self, tx.db(), &user, expired).await?;
        rate_limit::reset(tx.db(), limits::SIGN_IN_FAILURES_PER_ACCOUNT, email.lookup()).await?;
        if let (Some(old), Some(new)) = (old_hash, upgraded) {
            store_users::upgrade_password_hash(tx.db(), user.id, old, &new).await?;
        }
        store_users::touch_sign_in(tx.db(), user.id, now).await?;
        let session = sessions::create(self, &mut tx, user.clone(), stage, &["pwd"], meta).await?;
        self.notify_if_new_device(&mut tx, &user, meta).await?;
        let details = serde_json::json!({"method": "password", "password_expired": expired});
        audit::record(tx.db(), now, AuditAction::SignedIn, Some(user.id), Some(user.id), meta, details).await?;
        tx.commit().await?;
        Ok(session)
    }

    /// A security notice when the user signs in with a browser never seen signing in before
    /// (not for the very first sign-in of an account).
    pub(crate) async fn notify_if_new_device(
        &self,
        tx: &mut crate::store::Tx,
        user: &User,
        meta: &RequestMeta,
    ) -> Result<()> {
        let (before, from_here) =
            crate::store::audit::signed_in_before(tx.db(), user.id, meta.user_agent.as_deref()).await?;
        if !before || from_here {
            return Ok(());
        }
        let site = self.site_name();
        let l = self.locale_of(user);
        let device = sessions::device_name_in(meta.user_agent.as_deref(), l);
        let from = meta.ip.map_or_else(|| l.t("email-unknown-address"), |ip| ip.to_string());
        let when = l.date_time(self.clock().now());
        let security = self.config().public_url.join("account/security").map_err(|e| Error::Internal(e.into()))?;
        let body = l.t_args(
            "email-new-device-body",
            &[
                ("site", site.into()),
                ("email", (&user.email).into()),
                ("device", device.into()),
                ("ip", from.into()),
                ("when", when.into()),
            ],
        );
        let notice = Notice {
            locale: l,
            subject: l.t1("email-new-device-subject", "site", site),
            paragraphs: vec![body, l.t("email-nothing-to-do")],
            action: Some((l.t("email-new-device-action"), security.into())),
            after: vec![l.t("email-new-device-after")],
            brand: None,
        };
        mail::send_notice(self, tx, &user.email, &notice).await?;
        Ok(())
    }

    /// The failure was counted when the attempt was reserved; what is left is the record of
    /// it for a known account and, when this attempt locked the address, the owner's notice.
    async fn fail_sign_in(
        &self,
        user: Option<&User>,
        reservation: Reservation,
        meta: &RequestMeta,
    ) -> Result<SignInOutcome> {
        let Some(user) = user else { return Err(invalid_credentials()) };
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        audit::record(tx.db(), now, AuditAction::SignInFailed, None, Some(user.id), meta, serde_json::json!({}))
            .await?;
        if reservation.locks_first {
            let details = serde_json::json!({"until": (now + limits::FIRST_LOCK).unix_timestamp()});
            audit::record(tx.db(), now, AuditAction::Throttled, None, Some(user.id), meta, details).await?;
            self.notify_throttled(&mut tx, user, meta).await?;
        }
        tx.commit().await?;
        Err(invalid_credentials())
    }

    async fn notify_throttled(&self, tx: &mut crate::store::Tx, user: &User, meta: &RequestMeta) -> Result<()> {
        let site = self.site_name();
        let reset = self.config().public_url.join("password/forgot").map_err(|e| Error::Internal(e.into()))?;
        let l = self.locale_of(user);
        let from = meta.ip.map_or_else(|| l.t("email-unknown-address"), |ip| ip.to_string());
        let body = l.t_args(
            "email-throttled-body",
            &[("site", site.into()), ("email", (&user.email).into()), ("ip", from.into())],
        );
        let notice = Notice {
            locale: l,
            subject: l.t1("email-throttled-subject", "site", site),
            paragraphs: vec![body, l.t("email-throttled-pause"), l.t("email-throttled-forgot")],
            action: Some((l.t("email-throttled-action"), reset.into())),
            after: vec![l.t("email-throttled-after")],
            brand: None,
        };
        mail::send_notice(self, tx, &user.email, &notice).await?;
        Ok(())
    }
}
