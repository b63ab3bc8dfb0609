//! What an operator does to accounts (`keystead admin user …` and the admin API): create (with
//! a password, or a hash imported from another system), disable, enable, resend the
//! verification link, close. Organizations manage their people through memberships and SCIM,
//! never the accounts themselves (an account may belong to several), so every change here needs
//! the operator.

use std::collections::HashMap;

use secrecy::SecretString;

use super::directory::AccountRecord;
use super::password_policy::PersonalData;
use super::profile::{FieldRule, Profile, ProfileField, validate};
use super::{EmailAddress, User, UserStatus, clean_name};
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Code, Error, FieldErrors, Result};
use crate::ids::UserId;
use crate::organizations::Actor;
use crate::store::users::{self as store_users, ClosedBy};
use crate::store::{StoreError, Tx};
use crate::{mail, sessions};

/// What an operator gives to create a user.
#[derive(Debug)]
pub struct NewUser<'a> {
    /// The address.
    pub email: &'a str,
    /// Given name.
    pub given_name: Option<&'a str>,
    /// Family name.
    pub family_name: Option<&'a str>,
    /// Mark the address as proved (no verification email).
    pub verified: bool,
    /// The password, if any (checked against the policy).
    pub password: Option<SecretString>,
}

/// `Forbidden` unless the operator acts.
pub(crate) fn operator_only(actor: Actor) -> Result<()> {
    match actor {
        Actor::Operator => Ok(()),
        Actor::User(_) => Err(Error::Forbidden),
    }
}

impl Core {
    /// Creates a user as an operator. A verified user is active at once; otherwise a
    /// verification link is emailed.
    pub async fn create_user(&self, new: NewUser<'_>, meta: &RequestMeta) -> Result<User> {
        Ok(self.create_account(Actor::Operator, new, None, meta).await?.user)
    }

    /// Creates an account (operator only): with a password checked against the policy, or with
    /// `imported_hash` — an Argon2, bcrypt or PBKDF2 hash from the system the user comes from,
    /// verified at their first sign-in and then replaced by an Argon2id hash — or with neither
    /// (the user sets one through "Forgot password", or signs in through a provider).
    pub async fn create_account(
        &self,
        actor: Actor,
        new: NewUser<'_>,
        imported_hash: Option<&str>,
        meta: &RequestMeta,
    ) -> Result<AccountRecord> {
        operator_only(actor)?;
        let mut errors = FieldErrors::new();
        let email = EmailAddress::parse("email", new.email);
        let given_name = clean_name("given_name", new.given_name, &mut errors);
        let family_name = clean_name("family_name", new.family_name, &mut errors);
        if let Some(hash) = imported_hash {
            if new.password.is_some() {
                errors.add("password_hash", "conflict", "Give a password or a password hash, not both.");
            } else if let Err(why) = crate::passwords::check_importable(hash) {
                errors.add("password_hash", "unsupported_hash", why);
            }
        }
        let email = match email {
            Ok(e) => Some(e),
            Err(Error::Invalid(e)) => {
                errors.0.extend(e.0);
                None
            }
            Err(e) => return Err(e),
        };
        errors.into_result()?;
        let email = email.ok_or(Error::Internal(anyhow::anyhow!("email checked above")))?;
        let hash = match (&new.password, imported_hash) {
            (Some(p), _) => {
                let names: Vec<&str> = [given_name.as_deref(), family_name.as_deref()].into_iter().flatten().collect();
                let personal = PersonalData { email: email.as_str(), names, ..PersonalData::default() };
                let normalized = self.check_new_password(p, &personal)?;
                Some(self.passwords().hash(&normalized).await?)
            }
            (None, Some(imported)) => Some(imported.to_owned()),
            (None, None) => None,
        };
        let now = self.clock().now();
        let status = if new.verified { UserStatus::Active } else { UserStatus::Unverified };
        let row =
            super::new_user_row(&email, status, hash, (given_name, family_name), new.verified.then_some(now), now);
        let mut tx = self.store().begin().await?;
        match store_users::insert(tx.db(), &row).await {
            Ok(()) => {}
            Err(StoreError::Conflict { .. }) => {
                return Err(Error::invalid(
                    "email",
                    "email_taken",
                    "An account with this email address already exists.",
                ));
            }
            Err(e) => return Err(e.into()),
        }
        let record = AccountRecord::from(row);
        if !new.verified {
            self.send_verification(&mut tx, &record.user, None).await?;
        }
        let details = serde_json::json!({"by": "operator", "imported_hash": imported_hash.is_some()});
        audit::record(tx.db(), now, AuditAction::Registered, None, Some(record.user.id), meta, details).await?;
        tx.commit().await?;
        Ok(record)
    }

    /// The user with this address.
    pub async fn user_by_email(&self, email: &str) -> Result<User> {
        let email = EmailAddress::parse("email", email)?;
        let mut conn = self.store().conn().await?;
        store_users::find_by_email(conn.db(), email.lookup()).await?.map(Into::into).ok_or(Error::NotFound)
    }

    /// Disables an account and ends its sessions and application grants (operator only).
    pub async fn disable_user(&self, actor: Actor, id: UserId, meta: &RequestMeta) -> Result<AccountRecord> {
        self.set_user_enabled(actor, id, false, meta).await
    }

    /// Enables a disabled account again (operator only).
    pub async fn enable_user(&self, actor: Actor, id: UserId, meta: &RequestMeta) -> Result<AccountRecord> {
        self.set_user_enabled(actor, id, true, meta).await
    }

    async fn set_user_enabled(
        &self,
        actor: Actor,
        id: UserId,
        enabled: bool,
        meta: &RequestMeta,
    ) -> Result<AccountRecord> {
        operator_only(actor)?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let user: User = locked(&mut tx, id).await?.into();
        if matches!(user.status, UserStatus::Purged | UserStatus::Closing) {
            return Err(Error::refused(
                Code::Forbidden,
                "The account is closed; it can no longer be disabled or enabled.",
            ));
        }
        let (status, action) = if enabled {
            if user.status != UserStatus::Disabled {
                return Ok(store_users::get(tx.db(), id).await?.into());
            }
            let status = if user.email_verified_at.is_some() { UserStatus::Active } else { UserStatus::Unverified };
            (status, AuditAction::Enabled)
        } else {
            if user.status == UserStatus::Disabled {
                return Ok(store_users::get(tx.db(), id).await?.into());
            }
            sessions::revoke_all(self, &mut tx, user.id).await?;
            crate::oauth::apps::end_for_user(&mut tx, user.id, now, false).await?;
            (UserStatus::Disabled, AuditAction::Disabled)
        };
        store_users::set_status(tx.db(), user.id, status.as_str(), now).await?;
        audit::record(tx.db(), now, action, None, Some(user.id), meta, serde_json::json!({"by": "operator"})).await?;
        let record = store_users::get(tx.db(), user.id).await?.into();
        tx.commit().await?;
        Ok(record)
    }

    /// Emails a new verification link to an account whose address is not proved yet (operator
    /// only; the same cooldown as the user's own "Send again"). `Conflict` when it is proved.
    pub async fn resend_verification_of(&self, actor: Actor, id: UserId, meta: &RequestMeta) -> Result<()> {
        operator_only(actor)?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let row = locked(&mut tx, id).await?;
        let lookup = row.email_lookup.clone();
        let user: User = row.into();
        if user.status != UserStatus::Unverified {
            return Err(Error::refused(
                Code::Forbidden,
                "The account's address is already proved (or the account is closed).",
            ));
        }
        crate::rate_limit::hit(tx.db(), crate::rate_limit::limits::VERIFY_RESEND_COOLDOWN, &lookup, now).await?;
        self.send_verification(&mut tx, &user, None).await?;
        let details = serde_json::json!({"by": "operator"});
        audit::record(tx.db(), now, AuditAction::VerificationResent, None, Some(user.id), meta, details).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Closes an account as an operator (the admin API's delete): status `closing` with the
    /// purge date of the grace period, sessions, application grants and emailed links end, and
    /// the user is told. Unlike an owner's closing, the user cannot reactivate it by signing in.
    pub async fn close_account_as_operator(
        &self,
        actor: Actor,
        id: UserId,
        meta: &RequestMeta,
    ) -> Result<AccountRecord> {
        operator_only(actor)?;
        let now = self.clock().now();
        let purge_at = now + self.closing_grace();
        let mut tx = self.store().begin().await?;
        let user: User = locked(&mut tx, id).await?.into();
        if !store_users::start_closing(tx.db(), id, purge_at, now, ClosedBy::Operator).await? {
            return Err(Error::refused(Code::Forbidden, "The account is already closed."));
        }
        sessions::revoke_all(self, &mut tx, id).await?;
        crate::oauth::apps::end_for_user(&mut tx, id, now, true).await?;
        store_users::end_emailed_tokens(tx.db(), id).await?;
        let details = serde_json::json!({"by": "operator", "purge_at": purge_at.unix_timestamp()});
        audit::record(tx.db(), now, AuditAction::Closed, None, Some(id), meta, details).await?;
        if user.status != UserStatus::Unverified {
            let site = self.site_name();
            let l = self.locale_of(&user);
            let notice = mail::Notice {
                locale: l,
                subject: l.t1("email-operator-closed-subject", "site", site),
                paragraphs: vec![
                    l.t2("email-operator-closed-body", "site", site, "email", &user.email),
                    l.t1("email-operator-closed-purge", "date", l.date(purge_at)),
                ],
                after: vec![l.t("email-operator-closed-after")],
                ..mail::Notice::default()
            };
            mail::send_notice(self, &mut tx, &user.email, &notice).await?;
        }
        let record = store_users::get(tx.db(), id).await?.into();
        tx.commit().await?;
        Ok(record)
    }

    /// Changes an account's personal details as an operator: `changes` names each field to set
    /// (`None` clears it); the others keep their values. The same validation as the user's own
    /// form; a field this deployment does not collect is refused. With `expected_version` (the
    /// admin API's `If-Match`), a record changed since is `Refused(PreconditionFailed)` and
    /// nothing is saved (checked under the row's lock, so two writers cannot both pass).
    pub async fn update_account_profile(
        &self,
        actor: Actor,
        id: UserId,
        changes: &[(ProfileField, Option<String>)],
        expected_version: Option<&str>,
        meta: &RequestMeta,
    ) -> Result<AccountRecord> {
        operator_only(actor)?;
        let fields = &self.config().profile;
        let mut tx = self.store().begin().await?;
        let row = locked(&mut tx, id).await?;
        let current_version = AccountRecord::from(row.clone()).version;
        if expected_version.is_some_and(|v| v != current_version) {
            return Err(Error::refused(
                Code::PreconditionFailed,
                "The account changed since you read it: read it again and reapply your change.",
            ));
        }
        let user: User = row.clone().into();
        if matches!(user.status, UserStatus::Closing | UserStatus::Purged) {
            return Err(Error::refused(Code::Forbidden, "The account is closed; its details can no longer change."));
        }
        let current = Profile::from_row(&row);
        let mut input: HashMap<String, String> =
            ProfileField::ALL.iter().filter_map(|f| current.value(*f).map(|v| (f.name().to_owned(), v))).collect();
        let mut errors = FieldErrors::new();
        for (field, value) in changes {
            if fields.rule(*field) == FieldRule::Hidden {
                errors.add(field.name(), "not_collected", "This deployment does not collect this detail.");
            }
            input.insert(field.name().to_owned(), value.clone().unwrap_or_default());
        }
        let profile = match validate(fields, &input, &current, self.clock().now().date()) {
            Ok(p) => Some(p),
            Err(Error::Invalid(more)) => {
                errors.0.extend(more.0);
                None
            }
            Err(e) => return Err(e),
        };
        errors.into_result()?;
        let profile = profile.ok_or_else(|| Error::Internal(anyhow::anyhow!("validated above")))?;
        self.save_profile(&mut tx, &user, &current, &profile, None, meta).await?;
        let record = store_users::get(tx.db(), id).await?.into();
        tx.commit().await?;
        Ok(record)
    }
}

/// The account, locked for the rest of `tx`; `NotFound` for an unknown id.
pub(crate) async fn locked(tx: &mut Tx, id: UserId) -> Result<store_users::UserRow> {
    match store_users::get_locked(tx.db(), id).await {
        Ok(row) => Ok(row),
        Err(StoreError::NotFound) => Err(Error::NotFound),
        Err(e) => Err(e.into()),
    }
}
