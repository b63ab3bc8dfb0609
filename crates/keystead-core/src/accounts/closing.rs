//! Closing an account: the owner closes it (warnings, a confirmation and the password), may
//! reactivate it by signing in during the grace period, and a periodic job then purges the
//! personal data, leaving an anonymised tombstone.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use secrecy::{ExposeSecret, SecretString};
use time::{Duration, OffsetDateTime};

use super::{User, UserStatus};
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Code, Error, FieldErrors, Result};
use crate::ids::UserId;
use crate::mail::{self, Notice};
use crate::sessions::{self, NewSession, SessionInfo};
use crate::store::users as store_users;

/// How long after a correct password the "Reactivate your account" offer stays valid.
const OFFER_LIFETIME: Duration = Duration::minutes(10);
/// Without a password (single sign-on, later), the sign-in must be this recent.
const FRESH_SIGN_IN: Duration = Duration::minutes(5);
const OFFER_CONTEXT: &str = "account reactivation offer v1";
/// Accounts purged per batch by the periodic job.
const PURGE_BATCH: i64 = 100;

/// What the owner confirms on the close-account form.
#[derive(Debug)]
pub struct CloseAccount {
    /// The "I have carefully read and accept the above" checkbox.
    pub accepted: bool,
    /// The current password (ignored for accounts without one, which need a fresh sign-in).
    pub password: SecretString,
}

/// Offered when the right password is given for a closing account: proof, for a short while,
/// that the owner may reactivate it without typing the password again.
#[derive(Debug, Clone)]
pub struct ReactivationOffer {
    /// Opaque, sealed with the master key; valid for ten minutes.
    pub token: String,
    /// The account's address.
    pub email: String,
    /// When the personal data will be deleted unless the account is reactivated.
    pub purge_at: OffsetDateTime,
}

/// A date as emails and pages show it (`14 March 2025`).
pub fn display_date(t: OffsetDateTime) -> String {
    let format = time::macros::format_description!("[day padding:none] [month repr:long] [year]");
    t.format(format).unwrap_or_default()
}

impl Core {
    /// The grace period between closing an account and the purge of its personal data.
    pub fn closing_grace(&self) -> Duration {
        self.config().accounts.closing_grace
    }

    /// Closes the signed-in user's account: status `closing` with a purge date, every session
    /// and emailed link or code ends, and a confirmation email states the purge date. Needs the
    /// confirmation box and the current password (or, without one, a sign-in in the last five
    /// minutes); anything missing or wrong changes nothing. Returns the purge date.
    pub async fn close_account(
        &self,
        session: &SessionInfo,
        input: &CloseAccount,
        meta: &RequestMeta,
    ) -> Result<OffsetDateTime> {
        let now = self.clock().now();
        let row = {
            let mut conn = self.store().conn().await?;
            store_users::get(conn.db(), session.user.id).await?
        };
        let user: User = row.clone().into();
        if !user.status.may_sign_in() {
            return Err(Error::Forbidden);
        }
        let password = input.password.expose_secret();
        let mut errors = FieldErrors::new();
        if !input.accepted {
            errors.add("accept", "required", "Tick the box to confirm that you have read and accept the above.");
        }
        if row.password_hash.is_some() && password.is_empty() {
            errors.add("password", "required", "Enter your current password.");
        }
        if row.password_hash.is_none() && session.auth_time + FRESH_SIGN_IN < now {
            errors.add(
                "password",
                "reauthenticate",
                "Sign out and sign in again, then close the account within five minutes.",
            );
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        if let Some(hash) = &row.password_hash {
            self.check_close_password(&row.email_lookup, hash, password).await?;
        }
        let purge_at = now + self.closing_grace();
        let mut tx = self.store().begin().await?;
        if !store_users::start_closing(tx.db(), user.id, purge_at, now, crate::store::users::ClosedBy::Owner).await? {
            return Err(Error::Forbidden);
        }
        sessions::revoke_all(self, &mut tx, user.id).await?;
        crate::oauth::apps::end_for_user(&mut tx, user.id, now, true).await?;
        store_users::end_emailed_tokens(tx.db(), user.id).await?;
        let details = serde_json::json!({"purge_at": purge_at.unix_timestamp()});
        audit::record(tx.db(), now, AuditAction::Closed, Some(user.id), Some(user.id), meta, details).await?;
        mail::send_notice(self, &mut tx, &user.email, &self.closed_notice(&user, now, purge_at)?).await?;
        tx.commit().await?;
        Ok(purge_at)
    }

    /// The account with this id, whatever its status (a purged account's tombstone included).
    pub async fn user_by_id(&self, id: UserId) -> Result<User> {
        let mut conn = self.store().conn().await?;
        Ok(store_users::get(conn.db(), id).await?.into())
    }

    /// Checks the password given on the close form; failures count towards the account's
    /// sign-in lock, so a borrowed session cannot be used to guess the password.
    async fn check_close_password(&self, lookup: &str, hash: &str, password: &str) -> Result<()> {
        if self.confirm_password(lookup, hash, password).await? {
            return Ok(());
        }
        Err(Error::invalid("password", "wrong_password", "The password is not right."))
    }

    fn closed_notice(&self, user: &User, now: OffsetDateTime, purge_at: OffsetDateTime) -> Result<Notice> {
        let site = self.site_name();
        let sign_in = self.config().public_url.join("sign-in").map_err(|e| Error::Internal(e.into()))?;
        let l = self.locale_of(user);
        let closed = l.t_args(
            "email-closed-body",
            &[("site", site.into()), ("email", (&user.email).into()), ("date", l.date(now).into())],
        );
        Ok(Notice {
            locale: l,
            subject: l.t1("email-closed-subject", "site", site),
            paragraphs: vec![closed, l.t1("email-closed-purge", "date", l.date(purge_at)), l.t("email-closed-apps")],
            action: Some((l.t("email-closed-action"), sign_in.into())),
            after: vec![l.t("email-closed-after")],
            brand: None,
        })
    }

    /// Makes the offer shown after the right password for a closing account.
    pub(crate) fn offer_reactivation(&self, user: &User, purge_at: OffsetDateTime) -> Result<ReactivationOffer> {
        let expires = self.clock().now() + OFFER_LIFETIME;
        let mut plain = user.id.0.as_bytes().to_vec();
        plain.extend_from_slice(&expires.unix_timestamp().to_be_bytes());
        let sealed = self.secrets().seal(OFFER_CONTEXT, &plain).map_err(Error::Internal)?;
        Ok(ReactivationOffer { token: URL_SAFE_NO_PAD.encode(sealed), email: user.email.clone(), purge_at })
    }

    fn open_offer(&self, token: &str) -> Option<UserId> {
        let sealed = URL_SAFE_NO_PAD.decode(token.as_bytes()).ok()?;
        let plain = self.secrets().open(OFFER_CONTEXT, &sealed).ok()?;
        let (id, expires) = plain.split_at_checked(16)?;
        let id = uuid::Uuid::from_slice(id).ok()?;
        let expires = i64::from_be_bytes(expires.try_into().ok()?);
        (self.clock().now().unix_timestamp() < expires).then_some(UserId(id))
    }

    /// Reactivates a closing account with the offer from a sign-in and signs the owner in.
    /// Sessions and app authorisations ended at closing stay ended. An unknown or expired offer,
    /// or an account no longer closing, is `Conflict(LinkInvalid)`.
    pub async fn reactivate_account(&self, token: &str, meta: &RequestMeta) -> Result<NewSession> {
        let id = self.open_offer(token).ok_or(Error::Conflict(Code::LinkInvalid))?;
        let now = self.clock().now();
        let profile_complete = self.profile(id).await?.missing(&self.config().profile).is_empty();
        let status = if profile_complete { UserStatus::Active } else { UserStatus::IncompleteProfile };
        let mut tx = self.store().begin().await?;
        if !store_users::reactivate(tx.db(), id, status.as_str(), now).await? {
            return Err(Error::Conflict(Code::LinkInvalid));
        }
        store_users::touch_sign_in(tx.db(), id, now).await?;
        let user: User = store_users::get(tx.db(), id).await?.into();
        let policy = &self.config().password_policy;
        let expired = user.password_changed_at.is_some_and(|changed| policy.is_expired(changed, now));
        // With a second factor enrolled, the session still waits for it.
        let stage = crate::mfa::stage_after_password(self, tx.db(), &user, expired).await?;
        let session = sessions::create(self, &mut tx, user.clone(), stage, &["pwd"], meta).await?;
        audit::record(tx.db(), now, AuditAction::Reactivated, Some(id), Some(id), meta, serde_json::json!({})).await?;
        let site = self.site_name();
        let l = self.locale_of(&user);
        let notice = Notice {
            locale: l,
            subject: l.t1("email-reactivated-subject", "site", site),
            paragraphs: vec![l.t2("email-reactivated-body", "site", site, "email", &user.email)],
            action: None,
            after: vec![l.t("email-reactivated-after")],
            brand: None,
        };
        mail::send_notice(self, &mut tx, &user.email, &notice).await?;
        tx.commit().await?;
        Ok(session)
    }

    /// Purges every closed account whose grace period has ended: personal data deleted, an
    /// anonymised tombstone kept, a `user.purged` audit event recorded. Each account is purged
    /// in its own transaction by a conditional update, so concurrent runs purge it once.
    /// Returns how many accounts this call purged.
    pub async fn purge_closed_accounts(&self) -> Result<u64> {
        let mut purged = 0;
        loop {
            let now = self.clock().now();
            let due = {
                let mut conn = self.store().conn().await?;
                store_users::due_purges(conn.db(), now, PURGE_BATCH).await?
            };
            let mut this_batch = 0;
            for id in &due {
                let mut tx = self.store().begin().await?;
                // Read before the purge deletes the memberships.
                let owned = crate::organizations::succession::solely_owned(tx.db(), *id).await?;
                if store_users::purge_personal_data(tx.db(), *id, now).await? {
                    crate::organizations::succession::hand_over(tx.db(), &owned, *id, now).await?;
                    crate::invoices::anonymise_of_user(tx.db(), *id, now).await?;
                    let meta = RequestMeta::default();
                    audit::record(tx.db(), now, AuditAction::Purged, None, Some(*id), &meta, serde_json::json!({}))
                        .await?;
                    this_batch += 1;
                }
                tx.commit().await?;
            }
            purged += this_batch;
            if this_batch == 0 || due.len() < usize::try_from(PURGE_BATCH).unwrap_or(usize::MAX) {
                return Ok(purged);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use time::Duration;

    use crate::clock::{Clock, FakeClock};
    use crate::ids::UserId;
    use crate::store::{Store, users};
    use crate::store_test;

    async fn closing_user(store: &Store, email: &str, purge_at: time::OffsetDateTime) -> UserId {
        let now = FakeClock::fixed().now();
        let row = users::UserRow {
            id: UserId::new(),
            email: email.to_owned(),
            email_lookup: email.to_lowercase(),
            email_verified_at: Some(now),
            password_hash: Some("$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA".to_owned()),
            password_changed_at: Some(now),
            given_name: Some("Ada".to_owned()),
            family_name: Some("Lovelace".to_owned()),
            locale: None,
            time_zone: None,
            status: "active".to_owned(),
            purge_at: None,
            created_at: now,
            updated_at: now,
            last_sign_in_at: Some(now),
            phone: None,
            country: None,
            city: None,
            date_of_birth: None,
            company: None,
            job_title: None,
            closed_by: None,
        };
        let mut tx = store.begin().await.unwrap();
        users::insert(tx.db(), &row).await.unwrap();
        users::push_history(tx.db(), row.id, "old", now).await.unwrap();
        assert!(
            users::start_closing(tx.db(), row.id, purge_at, now, crate::store::users::ClosedBy::Owner).await.unwrap()
        );
        assert!(
            !users::start_closing(tx.db(), row.id, purge_at, now, crate::store::users::ClosedBy::Owner).await.unwrap(),
            "already closing"
        );
        tx.commit().await.unwrap();
        row.id
    }

    async fn a_closing_account_is_purged_once_and_only_when_due(store: &Store) {
        let now = FakeClock::fixed().now();
        let purge_at = now + Duration::days(30);
        let id = closing_user(store, "Ada@example.com", purge_at).await;
        let mut c = store.conn().await.unwrap();
        assert!(users::due_purges(c.db(), now, 10).await.unwrap().is_empty());
        assert!(!users::purge_personal_data(c.db(), id, now).await.unwrap(), "not due yet");
        let later = purge_at + Duration::minutes(1);
        assert_eq!(users::due_purges(c.db(), later, 10).await.unwrap(), [id]);
        assert!(users::purge_personal_data(c.db(), id, later).await.unwrap());
        assert!(!users::purge_personal_data(c.db(), id, later).await.unwrap(), "purged once");
        let row = users::get(c.db(), id).await.unwrap();
        assert_eq!(row.status, "purged");
        assert_eq!(row.email, format!("purged-{}@invalid", id.0.simple()));
        assert!(row.password_hash.is_none() && row.given_name.is_none() && row.family_name.is_none());
        assert!(users::recent_history(c.db(), id, 5).await.unwrap().is_empty());
        assert!(users::find_by_email(c.db(), "ada@example.com").await.unwrap().is_none(), "the address is free");
        assert!(users::due_purges(c.db(), later, 10).await.unwrap().is_empty());
    }
    store_test!(a_closing_account_is_purged_once_and_only_when_due);

    async fn reactivating_clears_the_purge_date(store: &Store) {
        let now = FakeClock::fixed().now();
        let id = closing_user(store, "bob@example.com", now + Duration::days(30)).await;
        let mut c = store.conn().await.unwrap();
        assert!(users::reactivate(c.db(), id, "active", now).await.unwrap());
        assert!(!users::reactivate(c.db(), id, "active", now).await.unwrap(), "no longer closing");
        let row = users::get(c.db(), id).await.unwrap();
        assert_eq!((row.status.as_str(), row.purge_at), ("active", None));
        assert!(users::due_purges(c.db(), now + Duration::days(60), 10).await.unwrap().is_empty());
    }
    store_test!(reactivating_clears_the_purge_date);
}
