//! Provisioning people: create (or match), replace, deprovision.

use time::OffsetDateTime;

use super::membership::{self, Ending, Kept};
use super::{MAX_DOCUMENT_BYTES, ScimUser, may_provision, user_view};
use crate::Core;
use crate::accounts::{EmailAddress, UserStatus, clean_name};
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Code, Error, FieldErrors, Result};
use crate::ids::{OrganizationId, UserId};
use crate::organizations::Actor;
use crate::store::scim::{self as store, ScimUserRow};
use crate::store::users::{self as store_users, UserRow};
use crate::store::{StoreError, Tx, organizations as store_orgs};

/// What the directory writes about a person (from a POST, a PUT or a PATCH's result).
#[derive(Debug, Clone)]
pub struct ScimUserWrite {
    /// The directory's login name (unique in the organization, case-insensitively).
    pub user_name: String,
    /// The directory's id for the person.
    pub external_id: Option<String>,
    /// False to suspend the membership.
    pub active: bool,
    /// The person's address: the account's, for a new account.
    pub email: String,
    /// Given name.
    pub given_name: Option<String>,
    /// Family name.
    pub family_name: Option<String>,
    /// Every attribute as written (kept and shown back).
    pub document: serde_json::Value,
}

/// The checked parts of a write.
struct Checked {
    user_name: String,
    external_id: Option<String>,
    email: EmailAddress,
    given_name: Option<String>,
    family_name: Option<String>,
    document: String,
}

fn check(w: &ScimUserWrite) -> Result<Checked> {
    let mut errors = FieldErrors::new();
    let user_name = w.user_name.trim().to_owned();
    if user_name.is_empty() {
        errors.add("userName", "required", "Give a userName.");
    } else if user_name.chars().count() > 256 {
        errors.add("userName", "too_long", "Use at most 256 characters for userName.");
    }
    let external_id = w.external_id.as_deref().map(str::trim).filter(|e| !e.is_empty()).map(str::to_owned);
    if external_id.as_ref().is_some_and(|e| e.chars().count() > 256) {
        errors.add("externalId", "too_long", "Use at most 256 characters for externalId.");
    }
    let given_name = clean_name("name.givenName", w.given_name.as_deref(), &mut errors);
    let family_name = clean_name("name.familyName", w.family_name.as_deref(), &mut errors);
    let email = match EmailAddress::parse("emails", &w.email) {
        Ok(e) => Some(e),
        Err(Error::Invalid(e)) => {
            errors.0.extend(e.0);
            None
        }
        Err(e) => return Err(e),
    };
    let document = w.document.to_string();
    if document.len() > MAX_DOCUMENT_BYTES {
        errors.add("document", "too_large", format!("Send at most {MAX_DOCUMENT_BYTES} bytes of attributes."));
    }
    errors.into_result()?;
    let email = email.ok_or_else(|| Error::Internal(anyhow::anyhow!("checked above")))?;
    Ok(Checked { user_name, external_id, email, given_name, family_name, document })
}

fn taken(user_name: &str) -> Error {
    Error::refused(
        Code::AlreadyExists,
        format!("The userName {user_name:?} is already provisioned in this organization."),
    )
}

impl Core {
    /// Provisions a person into `org`: matches the account with the address or makes one (see
    /// the module's rules), makes them a member unless `active` is false, and keeps the
    /// directory's record.
    pub async fn provision_user(
        &self,
        actor: Actor,
        org: OrganizationId,
        w: &ScimUserWrite,
        meta: &RequestMeta,
    ) -> Result<ScimUser> {
        let c = check(w)?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        may_provision(tx.db(), org, actor).await?;
        if store::user_by_name(tx.db(), org, &c.user_name.to_lowercase()).await?.is_some() {
            return Err(taken(&c.user_name));
        }
        let owned = store_orgs::verified_owner_of(tx.db(), c.email.domain()).await? == Some(org);
        let (user, managed) = match store_users::find_by_email(tx.db(), c.email.lookup()).await? {
            Some(existing) => self.match_account(&mut tx, org, existing, owned, &c, now).await?,
            None => (self.create_provisioned(&mut tx, org, owned, &c, meta, now).await?, true),
        };
        let mut row = ScimUserRow {
            organization_id: org,
            user_id: user,
            user_name: c.user_name.clone(),
            user_name_lookup: c.user_name.to_lowercase(),
            external_id: c.external_id.clone(),
            active: w.active,
            document: c.document.clone(),
            managed,
            suspended_role: None,
            suspended_groups: String::new(),
            created_at: now,
            updated_at: now,
        };
        if w.active {
            membership::restore(&mut tx, (org, user), &Kept::default(), true, meta, now).await?;
        } else {
            let kept = membership::end(self, &mut tx, (org, user), managed, Ending::Suspended, meta).await?;
            row.suspended_role = kept.role;
            row.suspended_groups = membership::groups_text(&kept.groups);
        }
        store::insert_user(tx.db(), &row).await.map_err(|e| match e {
            StoreError::Conflict { .. } => taken(&c.user_name),
            other => other.into(),
        })?;
        let view = user_view(tx.db(), row).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// An account with the address exists: it is matched when the organization owns the
    /// address or the person is already a member; otherwise only they may join (an invitation).
    async fn match_account(
        &self,
        tx: &mut Tx,
        org: OrganizationId,
        existing: UserRow,
        owned: bool,
        c: &Checked,
        now: OffsetDateTime,
    ) -> Result<(UserId, bool)> {
        let id = existing.id;
        if let Some(other) = store::user(tx.db(), org, id).await? {
            return Err(Error::refused(
                Code::AlreadyExists,
                format!("This address is already provisioned in this organization as {:?}.", other.user_name),
            ));
        }
        let status = crate::accounts::User::from(existing).status;
        if matches!(status, UserStatus::Closing | UserStatus::Purged) {
            return Err(Error::refused(Code::AlreadyExists, "The account with this address is being closed."));
        }
        let member = store_orgs::membership(tx.db(), org, id).await?.is_some();
        if !owned && !member {
            return Err(Error::refused(
                Code::AlreadyExists,
                format!(
                    "An account with {} exists and {} is not a verified domain of this organization: invite the person instead, so that they agree to join.",
                    c.email.as_str(),
                    c.email.domain()
                ),
            ));
        }
        if owned {
            store_users::set_names(tx.db(), id, c.given_name.as_deref(), c.family_name.as_deref(), now).await?;
        }
        Ok((id, owned))
    }

    async fn create_provisioned(
        &self,
        tx: &mut Tx,
        org: OrganizationId,
        owned: bool,
        c: &Checked,
        meta: &RequestMeta,
        now: OffsetDateTime,
    ) -> Result<UserId> {
        let names = (c.given_name.clone(), c.family_name.clone());
        let (status, verified_at) =
            if owned { (UserStatus::Active, Some(now)) } else { (UserStatus::Unverified, None) };
        let mut row = crate::accounts::new_user_row(&c.email, status, None, names, verified_at, now);
        if owned {
            row.status = crate::agreements::status_after_verification(self, tx.db(), &row).await?.as_str().to_owned();
        }
        store_users::insert(tx.db(), &row).await?;
        let details = serde_json::json!({"by": "scim", "organization_id": org.to_string(), "verified": owned});
        audit::record(tx.db(), now, AuditAction::Registered, None, Some(row.id), meta, details).await?;
        Ok(row.id)
    }

    /// Replaces the directory's record of a person (a PUT, or a PATCH's result). With
    /// `expected_version` (`If-Match`) a record changed since is `PreconditionFailed`. A change
    /// of `active` suspends or restores the membership; a managed account takes the new name
    /// and (within the organization's verified domains, or while it is unproven) address.
    pub async fn replace_scim_user(
        &self,
        actor: Actor,
        org: OrganizationId,
        id: UserId,
        w: &ScimUserWrite,
        expected_version: Option<&str>,
        meta: &RequestMeta,
    ) -> Result<ScimUser> {
        let c = check(w)?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        may_provision(tx.db(), org, actor).await?;
        let account = crate::accounts::admin::locked(&mut tx, id).await?;
        let mut row = store::user(tx.db(), org, id).await?.ok_or(Error::NotFound)?;
        let current = user_view(tx.db(), row.clone()).await?.version;
        if expected_version.is_some_and(|v| v != current) {
            return Err(Error::refused(
                Code::PreconditionFailed,
                "The user changed since you read it: read it again and reapply your change.",
            ));
        }
        let lookup = c.user_name.to_lowercase();
        if lookup != row.user_name_lookup && store::user_by_name(tx.db(), org, &lookup).await?.is_some() {
            return Err(taken(&c.user_name));
        }
        if row.managed {
            self.update_managed_account(&mut tx, org, &account, &c, meta, now).await?;
        }
        if row.active && !w.active {
            let kept = membership::end(self, &mut tx, (org, id), row.managed, Ending::Suspended, meta).await?;
            row.suspended_role = kept.role;
            row.suspended_groups = membership::groups_text(&kept.groups);
        } else if !row.active && w.active {
            let kept =
                Kept { role: row.suspended_role.take(), groups: membership::parse_groups(&row.suspended_groups) };
            membership::restore(&mut tx, (org, id), &kept, false, meta, now).await?;
            row.suspended_groups = String::new();
        }
        row.user_name = c.user_name;
        row.user_name_lookup = lookup;
        row.external_id = c.external_id;
        row.active = w.active;
        row.document = c.document;
        row.updated_at = now;
        store::update_user(tx.db(), &row).await.map_err(|e| match e {
            StoreError::Conflict { .. } => taken(&row.user_name),
            other => other.into(),
        })?;
        let view = user_view(tx.db(), row).await?;
        tx.commit().await?;
        Ok(view)
    }

    async fn update_managed_account(
        &self,
        tx: &mut Tx,
        org: OrganizationId,
        account: &UserRow,
        c: &Checked,
        meta: &RequestMeta,
        now: OffsetDateTime,
    ) -> Result<()> {
        if account.given_name != c.given_name || account.family_name != c.family_name {
            store_users::set_names(tx.db(), account.id, c.given_name.as_deref(), c.family_name.as_deref(), now).await?;
            let details = serde_json::json!({"by": "scim", "fields": ["given_name", "family_name"]});
            audit::record(tx.db(), now, AuditAction::ProfileUpdated, None, Some(account.id), meta, details).await?;
        }
        if account.email_lookup == c.email.lookup() {
            return Ok(());
        }
        let owned = store_orgs::verified_owner_of(tx.db(), c.email.domain()).await? == Some(org);
        let unproven = account.email_verified_at.is_none();
        if !owned && !unproven {
            return Err(Error::invalid(
                "emails",
                "domain_not_verified",
                format!(
                    "{} is not a verified domain of this organization, so the directory cannot move the account there.",
                    c.email.domain()
                ),
            ));
        }
        let set = store_users::set_email(tx.db(), account.id, c.email.as_str(), c.email.lookup(), now).await;
        set.map_err(|e| match e {
            StoreError::Conflict { .. } => {
                Error::refused(Code::AlreadyExists, format!("Another account uses {}.", c.email.as_str()))
            }
            other => other.into(),
        })?;
        if !owned {
            // Still unproven: the new address must be proven like the old one.
            store_users::clear_email_verified(tx.db(), account.id).await?;
        }
        let details = serde_json::json!({"by": "scim", "old": account.email, "new": c.email.as_str()});
        audit::record(tx.db(), now, AuditAction::EmailChanged, None, Some(account.id), meta, details).await?;
        Ok(())
    }

    /// Deprovisions a person: the membership ends (sessions in the organization, or every
    /// session of a managed account, and their tokens for it end too) and the record goes.
    pub async fn deprovision_user(
        &self,
        actor: Actor,
        org: OrganizationId,
        id: UserId,
        meta: &RequestMeta,
    ) -> Result<()> {
        let mut tx = self.store().begin().await?;
        may_provision(tx.db(), org, actor).await?;
        let row = store::user(tx.db(), org, id).await?.ok_or(Error::NotFound)?;
        let kept = membership::end(self, &mut tx, (org, id), row.managed, Ending::Deprovisioned, meta).await?;
        if kept.role.is_none() {
            // Suspended already (no membership left to end): the record's end is still told.
            let now = self.clock().now();
            let details = serde_json::json!({"event": "deprovisioned_by_directory", "role": row.suspended_role});
            audit::record_in_org(tx.db(), now, AuditAction::MembershipChanged, None, Some(id), org, meta, details)
                .await?;
        }
        store::delete_user(tx.db(), org, id).await?;
        tx.commit().await?;
        Ok(())
    }
}
