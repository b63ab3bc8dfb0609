//! Organizations (tenants): their members and guests, roles and permissions, invitations and
//! groups. Every operation takes the acting principal ([`Actor`]) and checks its permissions
//! here, once, for the web UI, the CLI and the API alike.

mod changes;
mod claims;
mod directory;
#[cfg(test)]
mod directory_tests;
pub mod dns;
pub(crate) mod domains;
pub(crate) mod groups;
mod invitations;
pub mod logo;
pub(crate) mod members;
mod password;
pub mod permissions;
pub(crate) mod roles;
#[cfg(any(test, feature = "testing"))]
pub mod seed;
pub(crate) mod succession;
#[cfg(test)]
mod tests;

use time::OffsetDateTime;

use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Error, FieldErrors, Result};
use crate::ids::{OrganizationId, UserId};
use crate::store::organizations::{self as store, MemberRow, OrgRow};
use crate::store::{Db, StoreError};

pub use changes::OrganizationChanges;
pub(crate) use claims::requires_mfa;
pub use claims::{OrgClaims, active_for, token_claims};
pub use directory::{
    MAX_DIRECTORY_PAGE, ORGANIZATIONS_PER_PAGE, OrganizationDirectory, OrganizationListing, OrganizationQuery,
    OrganizationSort,
};
pub use domains::{DomainRecheck, OrganizationDomain};
pub use groups::{Group, GroupSummary, JoinPolicy};
pub use invitations::{Invitation, InvitationLink};
pub use members::{Member, MemberPage, MemberSort, MyOrganization};
pub use permissions::{BuiltinRole, Permission, PermissionSet};
pub use roles::RoleInfo;

/// Members listed per page.
pub const MEMBERS_PER_PAGE: i64 = 50;

/// Who is acting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in user: may do what their role in the organization permits.
    User(UserId),
    /// The deployment's operator (the CLI): may do everything.
    Operator,
}

impl Actor {
    pub(crate) fn user(self) -> Option<UserId> {
        match self {
            Self::User(u) => Some(u),
            Self::Operator => None,
        }
    }

    /// `Ok` for the operator; `Forbidden` for anyone else.
    pub(crate) fn require_operator(self) -> Result<()> {
        if self == Self::Operator { Ok(()) } else { Err(Error::Forbidden) }
    }
}

/// How someone belongs to an organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberKind {
    /// A member of the organization.
    Member,
    /// Someone from outside it (another organization), invited in.
    Guest,
}

impl MemberKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Guest => "guest",
        }
    }

    pub(crate) fn parse(s: &str) -> Self {
        if s == "guest" { Self::Guest } else { Self::Member }
    }

    /// Guests hold the `guest` role; every other role makes a member.
    fn for_role(role: &str) -> Self {
        if role == BuiltinRole::Guest.as_str() { Self::Guest } else { Self::Member }
    }
}

/// An organization.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Organization {
    /// Its id.
    pub id: OrganizationId,
    /// Its name.
    pub name: String,
    /// Its short name, unique, used in URLs.
    pub slug: String,
    /// True when a logo is set.
    pub has_logo: bool,
    /// The logo's version (for its URL), when one is set.
    pub logo_version: Option<String>,
    /// The accent colour of its pages and emails (`#rrggbb`), when it chose one.
    pub brand_color: Option<String>,
    /// The settings.
    pub settings: OrganizationSettings,
    /// When it was created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When it last changed.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl Organization {
    /// Its version (`ETag`): when it last changed, in microseconds (what PostgreSQL keeps).
    pub fn version(&self) -> String {
        (self.updated_at.unix_timestamp_nanos() / 1000).to_string()
    }
}

/// The settings of an organization.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct OrganizationSettings {
    /// Members must use a second factor (enforced by the MFA feature).
    pub require_mfa: bool,
    /// Minimum password length for members, instead of the deployment's.
    pub password_min_length: Option<u32>,
    /// Maximum password length for members, instead of the deployment's.
    pub password_max_length: Option<u32>,
}

impl From<OrgRow> for Organization {
    fn from(r: OrgRow) -> Self {
        let len = |v: Option<i32>| v.and_then(|n| u32::try_from(n).ok());
        Self {
            id: r.id,
            name: r.name,
            slug: r.slug,
            has_logo: r.has_logo,
            logo_version: r.logo_etag,
            brand_color: r.brand_color,
            settings: OrganizationSettings {
                require_mfa: r.require_mfa,
                password_min_length: len(r.password_min_length),
                password_max_length: len(r.password_max_length),
            },
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// What an operator or a user gives to create an organization.
#[derive(Debug, Clone, Copy)]
pub struct NewOrganization<'a> {
    /// Its name.
    pub name: &'a str,
    /// Its short name; derived from the name when absent.
    pub slug: Option<&'a str>,
    /// Its first owner (an operator may create one without; a user always owns what they create).
    pub owner: Option<UserId>,
}

/// What an actor may do in one organization: resolved once per operation.
#[derive(Debug, Clone)]
pub(crate) struct Access {
    pub permissions: PermissionSet,
    pub owner: bool,
}

impl Access {
    /// `Forbidden` unless the actor holds `p`.
    pub(crate) fn require(&self, p: Permission) -> Result<()> {
        if self.permissions.contains(p) { Ok(()) } else { Err(Error::Forbidden) }
    }

    /// `Forbidden` unless the actor may hand out a role with these permissions: owners only make
    /// owners, and nobody grants a permission they do not hold.
    pub(crate) fn require_grant(&self, role: &ResolvedRole) -> Result<()> {
        let ok = if role.is_owner { self.owner } else { self.permissions.covers(role.permissions) };
        if ok { Ok(()) } else { Err(Error::Forbidden) }
    }
}

/// A role name checked against the built-in roles and the organization's custom roles.
#[derive(Debug, Clone)]
pub(crate) struct ResolvedRole {
    pub name: String,
    pub permissions: PermissionSet,
    pub is_owner: bool,
}

/// The permissions `role` gives in `org`.
pub(crate) async fn role_permissions(db: Db<'_>, org: OrganizationId, role: &str) -> Result<PermissionSet> {
    if let Some(b) = BuiltinRole::parse(role) {
        return Ok(b.permissions());
    }
    Ok(store::find_role(db, org, role)
        .await?
        .map_or(PermissionSet::empty(), |r| PermissionSet::from_stored(&r.permissions)))
}

/// Checks a role name given in a form or on the command line.
pub(crate) async fn resolve_role(db: Db<'_>, org: OrganizationId, role: &str) -> Result<ResolvedRole> {
    let role = role.trim();
    if let Some(b) = BuiltinRole::parse(role) {
        return Ok(ResolvedRole {
            name: role.to_owned(),
            permissions: b.permissions(),
            is_owner: b == BuiltinRole::Owner,
        });
    }
    match store::find_role(db, org, role).await? {
        Some(r) => {
            Ok(ResolvedRole { name: r.name, permissions: PermissionSet::from_stored(&r.permissions), is_owner: false })
        }
        None => Err(Error::invalid("role", "unknown_role", "Choose a role from the list.")),
    }
}

/// What `actor` may do in `org`. A user who is not a member gets `NotFound`: an organization is
/// invisible from outside.
pub(crate) async fn access(mut db: Db<'_>, org: OrganizationId, actor: Actor) -> Result<Access> {
    match actor {
        Actor::Operator => {
            store::get_org(db.reborrow(), org).await?;
            Ok(Access { permissions: PermissionSet::all(), owner: true })
        }
        Actor::User(user) => {
            let m = store::membership(db.reborrow(), org, user).await?.ok_or(Error::NotFound)?;
            let permissions = role_permissions(db, org, &m.role).await?;
            let owner = m.role == BuiltinRole::Owner.as_str();
            Ok(Access { permissions, owner })
        }
    }
}

/// `Invalid` naming `slug` unless it is 2–50 lower-case letters, digits and inner hyphens.
pub(crate) fn check_slug(slug: &str) -> Result<String> {
    let s = slug.trim();
    let ok_chars = s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !(2..=50).contains(&s.len()) || !ok_chars || s.starts_with('-') || s.ends_with('-') {
        let mut errors = FieldErrors::new();
        errors.add_with(
            "slug",
            "invalid_slug",
            "Use 2 to 50 lower-case letters, digits and hyphens (not at the start or end).",
            vec![("min", "2".to_owned()), ("max", "50".to_owned())],
        );
        return Err(Error::Invalid(errors));
    }
    Ok(s.to_owned())
}

/// Checks the settings form: each password length 8 to 128 or unset, the maximum not below the
/// minimum.
pub(crate) fn check_settings(settings: &OrganizationSettings) -> Result<()> {
    let mut errors = FieldErrors::new();
    let in_range = |v: Option<u32>| v.is_none_or(|n| (8..=128).contains(&n));
    if !in_range(settings.password_min_length) {
        let range = vec![("min", "8".to_owned()), ("max", "128".to_owned())];
        errors.add_with(
            "password_min_length",
            "out_of_range",
            "Choose a length from 8 to 128, or leave it empty.",
            range,
        );
    }
    if !in_range(settings.password_max_length) {
        let range = vec![("min", "8".to_owned()), ("max", "128".to_owned())];
        errors.add_with(
            "password_max_length",
            "out_of_range",
            "Choose a length from 8 to 128, or leave it empty.",
            range,
        );
    }
    if let (Some(min), Some(max)) = (settings.password_min_length, settings.password_max_length)
        && max < min
    {
        errors.add("password_max_length", "below_minimum", "The maximum cannot be below the minimum.");
    }
    errors.into_result()
}

/// A short name from a name: "Acme Widgets GmbH" → `acme-widgets-gmbh`.
pub(crate) fn slug_from(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.truncate(50);
    out.trim_end_matches('-').to_owned()
}

/// A name: trimmed, 1 to `max` characters, no control characters.
pub(crate) fn clean_text(field: &str, value: &str, max: usize, errors: &mut FieldErrors) -> String {
    let v = value.trim();
    if v.is_empty() {
        errors.add(field, "required", "Enter a name.");
    } else if v.chars().count() > max {
        errors.add_with(field, "too_long", format!("Use at most {max} characters."), vec![("max", max.to_string())]);
    } else if v.chars().any(char::is_control) {
        errors.add(field, "invalid", "Remove the control characters.");
    }
    v.to_owned()
}

fn slug_taken(e: StoreError) -> Error {
    match e {
        StoreError::Conflict { .. } => {
            Error::invalid("slug", "slug_taken", "This short name is taken by another organization: choose another.")
        }
        other => other.into(),
    }
}

impl Core {
    /// Creates an organization. An operator may name any owner (or none); a user may create
    /// one only where the deployment allows it (`organizations.users_may_create`), and owns it.
    pub async fn create_organization(
        &self,
        actor: Actor,
        new: NewOrganization<'_>,
        meta: &RequestMeta,
    ) -> Result<Organization> {
        let owner = match actor {
            Actor::Operator => new.owner,
            Actor::User(u) if self.config().organizations.users_may_create => Some(u),
            Actor::User(_) => return Err(Error::Forbidden),
        };
        let mut errors = FieldErrors::new();
        let name = clean_text("name", new.name, 100, &mut errors);
        errors.into_result()?;
        let slug = match new.slug.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => check_slug(s)?,
            None => check_slug(&slug_from(&name))
                .map_err(|_| Error::invalid("slug", "slug_required", "Choose a short name: the name gives none."))?,
        };
        let now = self.clock().now();
        let row = OrgRow {
            id: OrganizationId::new(),
            name,
            slug,
            require_mfa: false,
            password_min_length: None,
            password_max_length: None,
            has_logo: false,
            logo_etag: None,
            brand_color: None,
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.store().begin().await?;
        store::insert_org(tx.db(), &row).await.map_err(slug_taken)?;
        if let Some(owner) = owner {
            let m = MemberRow {
                organization_id: row.id,
                user_id: owner,
                kind: MemberKind::Member.as_str().to_owned(),
                role: BuiltinRole::Owner.as_str().to_owned(),
                created_at: now,
            };
            store::insert_member(tx.db(), &m).await.map_err(|e| match e {
                StoreError::Conflict { .. } => Error::invalid("owner", "unknown_user", "No such user."),
                other => other.into(),
            })?;
        }
        let details = serde_json::json!({"event": "created", "name": row.name, "slug": row.slug});
        audit::record_in_org(
            tx.db(),
            now,
            AuditAction::OrganizationChanged,
            actor.user(),
            owner,
            row.id,
            meta,
            details,
        )
        .await?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// An organization the actor belongs to (any organization for the operator).
    pub async fn organization(&self, actor: Actor, org: OrganizationId) -> Result<Organization> {
        let mut conn = self.store().conn().await?;
        access(conn.db(), org, actor).await?;
        Ok(store::get_org(conn.db(), org).await?.into())
    }

    /// An organization by its short name, if the actor belongs to it (`NotFound` otherwise).
    pub async fn organization_by_slug(&self, actor: Actor, slug: &str) -> Result<Organization> {
        if slug.len() > 50 {
            return Err(Error::NotFound);
        }
        let mut conn = self.store().conn().await?;
        let row = store::find_org_by_slug(conn.db(), slug).await?.ok_or(Error::NotFound)?;
        access(conn.db(), row.id, actor).await?;
        Ok(row.into())
    }

    /// What `actor` may do in `org` (for pages that show or hide controls).
    pub async fn organization_permissions(&self, actor: Actor, org: OrganizationId) -> Result<(PermissionSet, bool)> {
        let mut conn = self.store().conn().await?;
        let a = access(conn.db(), org, actor).await?;
        Ok((a.permissions, a.owner))
    }

    /// Every organization, by short name, a page at a time (operators only).
    pub async fn list_organizations(&self, actor: Actor, limit: i64, offset: i64) -> Result<Vec<Organization>> {
        if actor != Actor::Operator {
            return Err(Error::Forbidden);
        }
        let mut conn = self.store().conn().await?;
        let rows = store::list_orgs(conn.db(), limit.clamp(1, 10_000), offset.max(0)).await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Deletes an organization with everything in it. Owners only, and only when `confirmation`
    /// is its short name.
    pub async fn delete_organization(
        &self,
        actor: Actor,
        org: OrganizationId,
        confirmation: &str,
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let a = access(tx.db(), org, actor).await?;
        if !a.owner {
            return Err(Error::Forbidden);
        }
        let row = store::get_org(tx.db(), org).await?;
        if confirmation.trim() != row.slug {
            let mut errors = FieldErrors::new();
            errors.add_with(
                "confirm",
                "confirmation_mismatch",
                format!("Type the organization's short name, {}, to confirm.", row.slug),
                vec![("slug", row.slug.clone())],
            );
            return Err(Error::Invalid(errors));
        }
        store::delete_org(tx.db(), org).await?;
        let details = serde_json::json!({"event": "deleted", "name": row.name, "slug": row.slug});
        audit::record_in_org(tx.db(), now, AuditAction::OrganizationChanged, actor.user(), None, org, meta, details)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The organization's audit trail, newest first (`members:read` at least; admins see it on
    /// the settings page).
    pub async fn organization_audit(
        &self,
        actor: Actor,
        org: OrganizationId,
        limit: i64,
    ) -> Result<Vec<crate::audit::AuditEvent>> {
        let mut conn = self.store().conn().await?;
        access(conn.db(), org, actor).await?.require(Permission::OrgManage)?;
        let rows = store::audit_of_org(conn.db(), org, limit.clamp(1, 1000)).await?;
        Ok(rows.into_iter().map(crate::audit::AuditEvent::from).collect())
    }
}
