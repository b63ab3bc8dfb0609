//! The operator's account commands (`keystead admin user …`): create, show, disable, enable.

use secrecy::SecretString;

use super::password_policy::PersonalData;
use super::{EmailAddress, User, UserStatus, clean_name};
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Code, Error, FieldErrors, Result};
use crate::sessions;
use crate::store::StoreError;
use crate::store::users as store_users;

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

impl Core {
    /// Creates a user as an operator. A verified user is active at once; otherwise a
    /// verification link is emailed.
    pub async fn create_user(&self, new: NewUser<'_>, meta: &RequestMeta) -> Result<User> {
        let email = EmailAddress::parse("email", new.email)?;
        let mut errors = FieldErrors::new();
        let given_name = clean_name("given_name", new.given_name, &mut errors);
        let family_name = clean_name("family_name", new.family_name, &mut errors);
        errors.into_result()?;
        let hash = match &new.password {
            Some(p) => {
                let names: Vec<&str> = [given_name.as_deref(), family_name.as_deref()].into_iter().flatten().collect();
                let personal = PersonalData { email: email.as_str(), names, ..PersonalData::default() };
                let normalized = self.check_new_password(p, &personal)?;
                Some(self.passwords().hash(&normalized).await?)
            }
            None => None,
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
        let user: User = row.into();
        if !new.verified {
            self.send_verification(&mut tx, &user, None).await?;
        }
        audit::record(
            tx.db(),
            now,
            AuditAction::Registered,
            None,
            Some(user.id),
            meta,
            serde_json::json!({"by": "operator"}),
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// The user with this address.
    pub async fn user_by_email(&self, email: &str) -> Result<User> {
        let email = EmailAddress::parse("email", email)?;
        let mut conn = self.store().conn().await?;
        store_users::find_by_email(conn.db(), email.lookup()).await?.map(Into::into).ok_or(Error::NotFound)
    }

    /// Disables an account and ends its sessions.
    pub async fn disable_user(&self, email: &str, meta: &RequestMeta) -> Result<User> {
        self.set_user_enabled(email, false, meta).await
    }

    /// Enables a disabled account again.
    pub async fn enable_user(&self, email: &str, meta: &RequestMeta) -> Result<User> {
        self.set_user_enabled(email, true, meta).await
    }

    async fn set_user_enabled(&self, email: &str, enabled: bool, meta: &RequestMeta) -> Result<User> {
        let user = self.user_by_email(email).await?;
        if matches!(user.status, UserStatus::Purged | UserStatus::Closing) {
            return Err(Error::Conflict(Code::Forbidden));
        }
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let (status, action) = if enabled {
            let status = if user.email_verified_at.is_some() { UserStatus::Active } else { UserStatus::Unverified };
            (status, AuditAction::Enabled)
        } else {
            sessions::revoke_all(self, &mut tx, user.id).await?;
            crate::oauth::apps::end_for_user(&mut tx, user.id, now, false).await?;
            (UserStatus::Disabled, AuditAction::Disabled)
        };
        store_users::set_status(tx.db(), user.id, status.as_str(), now).await?;
        audit::record(tx.db(), now, action, None, Some(user.id), meta, serde_json::json!({"by": "operator"})).await?;
        let user: User = store_users::get(tx.db(), user.id).await?.into();
        tx.commit().await?;
        Ok(user)
    }
}

impl Core {
    /// One account, as an admin sees it: the operator, any account; within an organization (an
    /// organization's token, or a user acting there), only its members and guests, with
    /// `members:read` there — any other id is not found, so nothing is learnt about others.
    pub async fn user_within(
        &self,
        actor: crate::organizations::Actor,
        within: Option<crate::ids::OrganizationId>,
        id: crate::ids::UserId,
    ) -> Result<User> {
        let mut conn = self.store().conn().await?;
        match (within, actor) {
            (None, crate::organizations::Actor::Operator) => {}
            (None, crate::organizations::Actor::User(_)) => return Err(Error::Forbidden),
            (Some(org), actor) => {
                crate::organizations::access(conn.db(), org, actor)
                    .await?
                    .require(crate::organizations::Permission::MembersRead)?;
                if crate::store::organizations::membership(conn.db(), org, id).await?.is_none() {
                    return Err(Error::NotFound);
                }
            }
        }
        match store_users::get(conn.db(), id).await {
            Ok(row) => Ok(row.into()),
            Err(StoreError::NotFound) => Err(Error::NotFound),
            Err(e) => Err(e.into()),
        }
    }
}
