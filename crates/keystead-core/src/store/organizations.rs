//! The organization tables: `organizations`, `organization_domains`, `organization_roles`,
//! `organization_members`, `organization_invitations`, `organization_groups` and
//! `organization_group_members`, and the session's active organization.

use time::OffsetDateTime;

use super::{Db, StoreError, execute, on_db};
use crate::ids::{GroupId, InvitationId, OrganizationId, RoleId, SessionId, UserId};

/// An organization row (without the logo bytes).
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct OrgRow {
    pub id: OrganizationId,
    pub name: String,
    pub slug: String,
    pub require_mfa: bool,
    pub password_min_length: Option<i32>,
    pub password_max_length: Option<i32>,
    pub has_logo: bool,
    pub logo_etag: Option<String>,
    pub brand_color: Option<String>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

pub(super) const ORG_COLUMNS: &str = "id, name, slug, require_mfa, password_min_length, password_max_length, \
     (logo IS NOT NULL) AS has_logo, logo_etag, brand_color, created_at, updated_at";

pub(crate) async fn insert_org(db: Db<'_>, o: &OrgRow) -> Result<(), StoreError> {
    execute!(
        db,
        "INSERT INTO organizations (id, name, slug, require_mfa, password_min_length, password_max_length, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        o.id,
        &o.name,
        &o.slug,
        o.require_mfa,
        o.password_min_length,
        o.password_max_length,
        o.created_at,
        o.updated_at,
    )?;
    Ok(())
}

pub(crate) async fn get_org(db: Db<'_>, id: OrganizationId) -> Result<OrgRow, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {ORG_COLUMNS} FROM organizations WHERE id = $1"));
    on_db!(db, |c| sqlx::query_as::<_, OrgRow>(sql).bind(id).fetch_optional(c).await)?.ok_or(StoreError::NotFound)
}

/// The organization, locked for the rest of the transaction (PostgreSQL `FOR UPDATE`; SQLite's
/// write transaction already serialises writers).
pub(crate) async fn lock_org(db: Db<'_>, id: OrganizationId) -> Result<OrgRow, StoreError> {
    let lock = if matches!(db, Db::Postgres(_)) { " FOR UPDATE" } else { "" };
    let sql = sqlx::AssertSqlSafe(format!("SELECT {ORG_COLUMNS} FROM organizations WHERE id = $1{lock}"));
    on_db!(db, |c| sqlx::query_as::<_, OrgRow>(sql).bind(id).fetch_optional(c).await)?.ok_or(StoreError::NotFound)
}

pub(crate) async fn find_org_by_slug(db: Db<'_>, slug: &str) -> Result<Option<OrgRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {ORG_COLUMNS} FROM organizations WHERE slug = $1"));
    Ok(on_db!(db, |c| sqlx::query_as::<_, OrgRow>(sql).bind(slug).fetch_optional(c).await)?)
}

/// Organizations by slug, a page at a time.
pub(crate) async fn list_orgs(db: Db<'_>, limit: i64, offset: i64) -> Result<Vec<OrgRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {ORG_COLUMNS} FROM organizations ORDER BY slug LIMIT $1 OFFSET $2"));
    Ok(on_db!(db, |c| sqlx::query_as::<_, OrgRow>(sql).bind(limit).bind(offset).fetch_all(c).await)?)
}

pub(crate) async fn update_org(db: Db<'_>, o: &OrgRow) -> Result<(), StoreError> {
    execute!(
        db,
        "UPDATE organizations SET name = $2, require_mfa = $3, password_min_length = $4, password_max_length = $5, \
         updated_at = $6, brand_color = $7 WHERE id = $1",
        o.id,
        &o.name,
        o.require_mfa,
        o.password_min_length,
        o.password_max_length,
        o.updated_at,
        &o.brand_color,
    )?;
    Ok(())
}

pub(crate) async fn delete_org(db: Db<'_>, id: OrganizationId) -> Result<u64, StoreError> {
    Ok(execute!(db, "DELETE FROM organizations WHERE id = $1", id)?)
}

/// Sets (or, with `None`, removes) the logo: (content type, image, version).
pub(crate) async fn set_logo(
    db: Db<'_>,
    id: OrganizationId,
    logo: Option<(&str, &[u8], &str)>,
    now: OffsetDateTime,
) -> Result<u64, StoreError> {
    let (content_type, bytes, etag) = match logo {
        Some((c, b, e)) => (Some(c), Some(b), Some(e)),
        None => (None, None, None),
    };
    Ok(execute!(
        db,
        "UPDATE organizations SET logo = $2, logo_content_type = $3, logo_etag = $4, updated_at = $5 WHERE id = $1",
        id,
        bytes,
        content_type,
        etag,
        now
    )?)
}

/// The logo: (content type, image, version).
pub(crate) async fn logo(db: Db<'_>, id: OrganizationId) -> Result<Option<(String, Vec<u8>, String)>, StoreError> {
    let row = on_db!(db, |c| sqlx::query_as::<_, (Option<String>, Option<Vec<u8>>, Option<String>)>(
        "SELECT logo_content_type, logo, logo_etag FROM organizations WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(c)
    .await)?;
    Ok(match row {
        Some((Some(c), Some(b), Some(e))) => Some((c, b, e)),
        _ => None,
    })
}

// ----- domains --------------------------------------------------------------------------------

/// A domain of an organization.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct DomainRow {
    pub organization_id: OrganizationId,
    pub domain: String,
    pub verification_token: String,
    pub verified_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    pub checked_at: Option<OffsetDateTime>,
    pub check_message: Option<String>,
}

const DOMAIN_COLUMNS: &str =
    "organization_id, domain, verification_token, verified_at, created_at, checked_at, check_message";

pub(crate) async fn insert_domain(db: Db<'_>, d: &DomainRow) -> Result<(), StoreError> {
    execute!(
        db,
        "INSERT INTO organization_domains (organization_id, domain, verification_token, verified_at, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
        d.organization_id,
        &d.domain,
        &d.verification_token,
        d.verified_at,
        d.created_at,
    )?;
    Ok(())
}

pub(crate) async fn domains_of(db: Db<'_>, org: OrganizationId) -> Result<Vec<DomainRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {DOMAIN_COLUMNS} FROM organization_domains WHERE organization_id = $1 ORDER BY domain"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, DomainRow>(sql).bind(org).fetch_all(c).await)?)
}

pub(crate) async fn domain(db: Db<'_>, org: OrganizationId, domain: &str) -> Result<Option<DomainRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {DOMAIN_COLUMNS} FROM organization_domains WHERE organization_id = $1 AND domain = $2"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, DomainRow>(sql).bind(org).bind(domain).fetch_optional(c).await)?)
}

/// The organization that verified `domain`, if any.
pub(crate) async fn verified_owner_of(db: Db<'_>, domain: &str) -> Result<Option<OrganizationId>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_scalar::<_, OrganizationId>(
        "SELECT organization_id FROM organization_domains WHERE domain = $1 AND verified_at IS NOT NULL"
    )
    .bind(domain)
    .fetch_optional(c)
    .await)?)
}

/// Pending domains claimed after `since` and not checked after `checked_before`, oldest first.
pub(crate) async fn pending_domains(
    db: Db<'_>,
    since: OffsetDateTime,
    checked_before: OffsetDateTime,
    limit: i64,
) -> Result<Vec<DomainRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {DOMAIN_COLUMNS} FROM organization_domains WHERE verified_at IS NULL AND created_at > $1 \
         AND (checked_at IS NULL OR checked_at < $2) ORDER BY created_at LIMIT $3"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, DomainRow>(sql)
        .bind(since)
        .bind(checked_before)
        .bind(limit)
        .fetch_all(c)
        .await)?)
}

/// Records a DNS check: `verified` marks the domain verified (a unique violation when another
/// organization verified it first).
pub(crate) async fn record_domain_check(
    db: Db<'_>,
    org: OrganizationId,
    domain: &str,
    now: OffsetDateTime,
    verified: bool,
    message: Option<&str>,
) -> Result<u64, StoreError> {
    let verified_at = verified.then_some(now);
    Ok(execute!(
        db,
        "UPDATE organization_domains SET checked_at = $3, check_message = $4, verified_at = COALESCE(verified_at, $5) \
         WHERE organization_id = $1 AND domain = $2",
        org,
        domain,
        now,
        message,
        verified_at
    )?)
}

pub(crate) async fn delete_domain(db: Db<'_>, org: OrganizationId, domain: &str) -> Result<u64, StoreError> {
    Ok(execute!(db, "DELETE FROM organization_domains WHERE organization_id = $1 AND domain = $2", org, domain)?)
}

// ----- custom roles ---------------------------------------------------------------------------

/// A custom role.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct RoleRow {
    pub id: RoleId,
    pub organization_id: OrganizationId,
    pub name: String,
    pub permissions: String,
    pub created_at: OffsetDateTime,
}

pub(crate) async fn insert_role(db: Db<'_>, r: &RoleRow) -> Result<(), StoreError> {
    execute!(
        db,
        "INSERT INTO organization_roles (id, organization_id, name, permissions, created_at) VALUES ($1, $2, $3, $4, $5)",
        r.id,
        r.organization_id,
        &r.name,
        &r.permissions,
        r.created_at,
    )?;
    Ok(())
}

pub(crate) async fn roles_of(db: Db<'_>, org: OrganizationId) -> Result<Vec<RoleRow>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, RoleRow>(
        "SELECT id, organization_id, name, permissions, created_at FROM organization_roles \
         WHERE organization_id = $1 ORDER BY name"
    )
    .bind(org)
    .fetch_all(c)
    .await)?)
}

pub(crate) async fn find_role(db: Db<'_>, org: OrganizationId, name: &str) -> Result<Option<RoleRow>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, RoleRow>(
        "SELECT id, organization_id, name, permissions, created_at FROM organization_roles \
         WHERE organization_id = $1 AND name = $2"
    )
    .bind(org)
    .bind(name)
    .fetch_optional(c)
    .await)?)
}

pub(crate) async fn delete_role(db: Db<'_>, org: OrganizationId, id: RoleId) -> Result<u64, StoreError> {
    Ok(execute!(db, "DELETE FROM organization_roles WHERE organization_id = $1 AND id = $2", org, id)?)
}

// ----- members --------------------------------------------------------------------------------

/// A membership.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct MemberRow {
    pub organization_id: OrganizationId,
    pub user_id: UserId,
    pub kind: String,
    pub role: String,
    pub created_at: OffsetDateTime,
}

pub(crate) async fn insert_member(db: Db<'_>, m: &MemberRow) -> Result<(), StoreError> {
    execute!(
        db,
        "INSERT INTO organization_members (organization_id, user_id, kind, role, created_at) VALUES ($1, $2, $3, $4, $5)",
        m.organization_id,
        m.user_id,
        &m.kind,
        &m.role,
        m.created_at,
    )?;
    Ok(())
}

pub(crate) async fn membership(db: Db<'_>, org: OrganizationId, user: UserId) -> Result<Option<MemberRow>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, MemberRow>(
        "SELECT organization_id, user_id, kind, role, created_at FROM organization_members \
         WHERE organization_id = $1 AND user_id = $2"
    )
    .bind(org)
    .bind(user)
    .fetch_optional(c)
    .await)?)
}

/// One of a user's organizations.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct UserOrgRow {
    pub organization_id: OrganizationId,
    pub name: String,
    pub slug: String,
    pub kind: String,
    pub role: String,
    pub logo_etag: Option<String>,
    pub brand_color: Option<String>,
}

pub(crate) async fn orgs_of_user(db: Db<'_>, user: UserId) -> Result<Vec<UserOrgRow>, StoreError> {
    Ok(on_db!(db, |c| {
        sqlx::query_as::<_, UserOrgRow>(
        "SELECT m.organization_id, o.name, o.slug, m.kind, m.role, o.logo_etag, o.brand_color FROM organization_members m \
         JOIN organizations o ON o.id = m.organization_id WHERE m.user_id = $1 ORDER BY o.name, o.slug"
    )
    .bind(user)
    .fetch_all(c)
    .await
    })?)
}

/// A member as listed on the members page.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct MemberListRow {
    pub user_id: UserId,
    pub email: String,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub kind: String,
    pub role: String,
    pub created_at: OffsetDateTime,
}

/// The page's filter and order, shared by the page query and its groups query; without a
/// search the filter is left out, so the page reads the organization's members by the index only.
fn member_page_from(search: bool, order: MemberOrder) -> String {
    let order = order.sql();
    if search {
        format!(
            "FROM organization_members m JOIN users u ON u.id = m.user_id \
             WHERE m.organization_id = $1 AND (u.email_lookup LIKE $2 ESCAPE '\\' \
             OR u.name_lookup LIKE $2 ESCAPE '\\') \
             ORDER BY {order} LIMIT $3 OFFSET $4"
        )
    } else {
        format!(
            "FROM organization_members m JOIN users u ON u.id = m.user_id \
             WHERE m.organization_id = $1 AND $2 = '%%' ORDER BY {order} LIMIT $3 OFFSET $4"
        )
    }
}

/// The order of a page of members (addresses are unique, so every order is total).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MemberOrder {
    /// By address.
    Email { descending: bool },
    /// By the day they joined, then by address.
    Joined { descending: bool },
}

impl MemberOrder {
    fn sql(self) -> &'static str {
        match self {
            Self::Email { descending: false } => "u.email_lookup",
            Self::Email { descending: true } => "u.email_lookup DESC",
            Self::Joined { descending: false } => "m.created_at, u.email_lookup",
            Self::Joined { descending: true } => "m.created_at DESC, u.email_lookup",
        }
    }
}

/// Members whose address or name matches `pattern` (a lower-case LIKE pattern; `%%` for all),
/// in `order`.
pub(crate) async fn member_page(
    db: Db<'_>,
    org: OrganizationId,
    pattern: &str,
    order: MemberOrder,
    (limit, offset): (i64, i64),
) -> Result<Vec<MemberListRow>, StoreError> {
    let from = member_page_from(pattern != "%%", order);
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT m.user_id, u.email, u.given_name, u.family_name, m.kind, m.role, m.created_at {from}"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, MemberListRow>(sql)
        .bind(org)
        .bind(pattern)
        .bind(limit)
        .bind(offset)
        .fetch_all(c)
        .await)?)
}

/// (user, group name) for the members of the same page.
pub(crate) async fn member_page_groups(
    db: Db<'_>,
    org: OrganizationId,
    pattern: &str,
    order: MemberOrder,
    (limit, offset): (i64, i64),
) -> Result<Vec<(UserId, String)>, StoreError> {
    let from = member_page_from(pattern != "%%", order);
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT gm.user_id, g.name FROM organization_group_members gm \
         JOIN organization_groups g ON g.id = gm.group_id \
         WHERE gm.organization_id = $1 AND gm.user_id IN (SELECT page.user_id FROM \
         (SELECT m.user_id {from}) page) ORDER BY g.name"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, (UserId, String)>(sql)
        .bind(org)
        .bind(pattern)
        .bind(limit)
        .bind(offset)
        .fetch_all(c)
        .await)?)
}

pub(crate) async fn set_member_role(
    db: Db<'_>,
    org: OrganizationId,
    user: UserId,
    kind: &str,
    role: &str,
) -> Result<u64, StoreError> {
    Ok(execute!(
        db,
        "UPDATE organization_members SET kind = $3, role = $4 WHERE organization_id = $1 AND user_id = $2",
        org,
        user,
        kind,
        role
    )?)
}

pub(crate) async fn delete_member(db: Db<'_>, org: OrganizationId, user: UserId) -> Result<u64, StoreError> {
    Ok(execute!(db, "DELETE FROM organization_members WHERE organization_id = $1 AND user_id = $2", org, user)?)
}

/// How many members hold `role`.
pub(crate) async fn count_role(db: Db<'_>, org: OrganizationId, role: &str) -> Result<i64, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM organization_members WHERE organization_id = $1 AND role = $2"
    )
    .bind(org)
    .bind(role)
    .fetch_one(c)
    .await)?)
}

/// Makes `org` the session's active organization (or none).
pub(crate) async fn set_active(db: Db<'_>, session: SessionId, org: Option<OrganizationId>) -> Result<(), StoreError> {
    execute!(db, "UPDATE sessions SET active_organization_id = $2 WHERE id = $1", session, org)?;
    Ok(())
}

/// The active organization `session` chose, when the session exists and is `user`'s.
pub(crate) async fn active_of_session(
    db: Db<'_>,
    session: SessionId,
    user: UserId,
) -> Result<Option<OrganizationId>, StoreError> {
    let found = on_db!(db, |c| sqlx::query_scalar::<_, Option<OrganizationId>>(
        "SELECT active_organization_id FROM sessions WHERE id = $1 AND user_id = $2"
    )
    .bind(session)
    .bind(user)
    .fetch_optional(c)
    .await)?;
    Ok(found.flatten())
}

/// True when `user` is a member or guest of an organization that requires MFA of its members.
pub(crate) async fn member_of_org_requiring_mfa(db: Db<'_>, user: UserId) -> Result<bool, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_scalar::<_, bool>(
        "SELECT EXISTS (SELECT 1 FROM organization_members m JOIN organizations o ON o.id = m.organization_id \
         WHERE m.user_id = $1 AND o.require_mfa = TRUE)"
    )
    .bind(user)
    .fetch_one(c)
    .await)?)
}

// ----- invitations ----------------------------------------------------------------------------

/// An invitation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct InvitationRow {
    pub id: InvitationId,
    pub organization_id: OrganizationId,
    pub email: String,
    pub email_lookup: String,
    pub kind: String,
    pub role: String,
    pub token_hash: Vec<u8>,
    pub invited_by: Option<UserId>,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub accepted_at: Option<OffsetDateTime>,
    pub declined_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

const INVITATION_COLUMNS: &str = "id, organization_id, email, email_lookup, kind, role, token_hash, invited_by, \
     created_at, expires_at, accepted_at, declined_at, revoked_at";

pub(crate) async fn insert_invitation(db: Db<'_>, i: &InvitationRow) -> Result<(), StoreError> {
    execute!(
        db,
        "INSERT INTO organization_invitations (id, organization_id, email, email_lookup, kind, role, token_hash, \
         invited_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        i.id,
        i.organization_id,
        &i.email,
        &i.email_lookup,
        &i.kind,
        &i.role,
        &i.token_hash,
        i.invited_by,
        i.created_at,
        i.expires_at,
    )?;
    Ok(())
}

pub(crate) async fn invitation(db: Db<'_>, id: InvitationId) -> Result<InvitationRow, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {INVITATION_COLUMNS} FROM organization_invitations WHERE id = $1"));
    on_db!(db, |c| sqlx::query_as::<_, InvitationRow>(sql).bind(id).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)
}

pub(crate) async fn invitation_by_token(db: Db<'_>, hash: &[u8]) -> Result<Option<InvitationRow>, StoreError> {
    let sql =
        sqlx::AssertSqlSafe(format!("SELECT {INVITATION_COLUMNS} FROM organization_invitations WHERE token_hash = $1"));
    Ok(on_db!(db, |c| sqlx::query_as::<_, InvitationRow>(sql).bind(hash).fetch_optional(c).await)?)
}

/// Open (unanswered, unexpired) invitations of an organization, newest first.
pub(crate) async fn open_invitations_of_org(
    db: Db<'_>,
    org: OrganizationId,
    now: OffsetDateTime,
) -> Result<Vec<InvitationRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {INVITATION_COLUMNS} FROM organization_invitations WHERE organization_id = $1 AND expires_at > $2 \
         AND accepted_at IS NULL AND declined_at IS NULL AND revoked_at IS NULL ORDER BY created_at DESC"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, InvitationRow>(sql).bind(org).bind(now).fetch_all(c).await)?)
}

/// Open invitations sent to an address.
pub(crate) async fn open_invitations_for_email(
    db: Db<'_>,
    email_lookup: &str,
    now: OffsetDateTime,
) -> Result<Vec<InvitationRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {INVITATION_COLUMNS} FROM organization_invitations WHERE email_lookup = $1 AND expires_at > $2 \
         AND accepted_at IS NULL AND declined_at IS NULL AND revoked_at IS NULL ORDER BY created_at DESC"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, InvitationRow>(sql).bind(email_lookup).bind(now).fetch_all(c).await)?)
}

/// How an invitation ends.
#[derive(Debug, Clone, Copy)]
pub(crate) enum InvitationEnd {
    Accepted,
    Declined,
    Revoked,
}

/// Ends an open invitation; false when it had already ended or expired (so two answers cannot
/// both win).
pub(crate) async fn end_invitation(
    db: Db<'_>,
    id: InvitationId,
    end: InvitationEnd,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let sql = match end {
        InvitationEnd::Accepted => {
            "UPDATE organization_invitations SET accepted_at = $2 WHERE id = $1 AND expires_at > $2 \
             AND accepted_at IS NULL AND declined_at IS NULL AND revoked_at IS NULL"
        }
        InvitationEnd::Declined => {
            "UPDATE organization_invitations SET declined_at = $2 WHERE id = $1 AND expires_at > $2 \
             AND accepted_at IS NULL AND declined_at IS NULL AND revoked_at IS NULL"
        }
        InvitationEnd::Revoked => {
            "UPDATE organization_invitations SET revoked_at = $2 WHERE id = $1 AND expires_at > $2 \
             AND accepted_at IS NULL AND declined_at IS NULL AND revoked_at IS NULL"
        }
    };
    Ok(execute!(db, sql, id, now)? == 1)
}

/// A new token and expiry for an open invitation (resend).
pub(crate) async fn renew_invitation(
    db: Db<'_>,
    id: InvitationId,
    hash: &[u8],
    now: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<bool, StoreError> {
    Ok(execute!(
        db,
        "UPDATE organization_invitations SET token_hash = $2, expires_at = $4 WHERE id = $1 AND expires_at > $3 \
         AND accepted_at IS NULL AND declined_at IS NULL AND revoked_at IS NULL",
        id,
        hash,
        now,
        expires_at
    )? == 1)
}

// ----- groups ---------------------------------------------------------------------------------

/// A group.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct GroupRow {
    pub id: GroupId,
    pub organization_id: OrganizationId,
    pub name: String,
    pub description: String,
    pub join_policy: String,
    pub created_at: OffsetDateTime,
}

/// A group with whether one user is in it and how many are.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct GroupForUserRow {
    pub id: GroupId,
    pub name: String,
    pub description: String,
    pub join_policy: String,
    pub is_member: bool,
    pub members: i64,
}

pub(crate) async fn insert_group(db: Db<'_>, g: &GroupRow) -> Result<(), StoreError> {
    execute!(
        db,
        "INSERT INTO organization_groups (id, organization_id, name, description, join_policy, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        g.id,
        g.organization_id,
        &g.name,
        &g.description,
        &g.join_policy,
        g.created_at,
    )?;
    Ok(())
}

pub(crate) async fn group(db: Db<'_>, id: GroupId) -> Result<GroupRow, StoreError> {
    on_db!(db, |c| sqlx::query_as::<_, GroupRow>(
        "SELECT id, organization_id, name, description, join_policy, created_at FROM organization_groups WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(c)
    .await)?
    .ok_or(StoreError::NotFound)
}

/// A group with how many are in it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct GroupSummaryRow {
    pub id: GroupId,
    pub name: String,
    pub description: String,
    pub join_policy: String,
    pub members: i64,
    pub created_at: OffsetDateTime,
}

/// Every group of `org`, by name, with its member count.
pub(crate) async fn groups_of_org(db: Db<'_>, org: OrganizationId) -> Result<Vec<GroupSummaryRow>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, GroupSummaryRow>(
        "SELECT g.id, g.name, g.description, g.join_policy, \
         (SELECT COUNT(*) FROM organization_group_members y WHERE y.group_id = g.id) AS members, g.created_at \
         FROM organization_groups g WHERE g.organization_id = $1 ORDER BY g.name"
    )
    .bind(org)
    .fetch_all(c)
    .await)?)
}

/// Every group of `org`, by name, with `user`'s membership.
pub(crate) async fn groups_for_user(
    db: Db<'_>,
    org: OrganizationId,
    user: UserId,
) -> Result<Vec<GroupForUserRow>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, GroupForUserRow>(
        "SELECT g.id, g.name, g.description, g.join_policy, \
         EXISTS (SELECT 1 FROM organization_group_members x WHERE x.group_id = g.id AND x.user_id = $2) AS is_member, \
         (SELECT COUNT(*) FROM organization_group_members y WHERE y.group_id = g.id) AS members \
         FROM organization_groups g WHERE g.organization_id = $1 ORDER BY g.name"
    )
    .bind(org)
    .bind(user)
    .fetch_all(c)
    .await)?)
}

/// Names of the groups `user` is in within `org`.
pub(crate) async fn group_names_of(db: Db<'_>, org: OrganizationId, user: UserId) -> Result<Vec<String>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_scalar::<_, String>(
        "SELECT g.name FROM organization_group_members m JOIN organization_groups g ON g.id = m.group_id \
         WHERE m.organization_id = $1 AND m.user_id = $2 ORDER BY g.name"
    )
    .bind(org)
    .bind(user)
    .fetch_all(c)
    .await)?)
}

/// Adds a member to a group; false when already in it.
pub(crate) async fn add_group_member(
    db: Db<'_>,
    group: GroupId,
    org: OrganizationId,
    user: UserId,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    Ok(execute!(
        db,
        "INSERT INTO organization_group_members (group_id, organization_id, user_id, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (group_id, user_id) DO NOTHING",
        group,
        org,
        user,
        now
    )? == 1)
}

pub(crate) async fn remove_group_member(db: Db<'_>, group: GroupId, user: UserId) -> Result<bool, StoreError> {
    Ok(execute!(db, "DELETE FROM organization_group_members WHERE group_id = $1 AND user_id = $2", group, user)? == 1)
}

pub(crate) async fn delete_group(db: Db<'_>, id: GroupId) -> Result<u64, StoreError> {
    Ok(execute!(db, "DELETE FROM organization_groups WHERE id = $1", id)?)
}

/// Audit events of an organization, newest first.
pub(crate) async fn audit_of_org(
    db: Db<'_>,
    org: OrganizationId,
    limit: i64,
) -> Result<Vec<super::audit::AuditRow>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, super::audit::AuditRow>(
        "SELECT id, occurred_at, action, actor_user_id, subject_user_id, organization_id, ip, user_agent, details \
         FROM audit_events WHERE organization_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT $2"
    )
    .bind(org)
    .bind(limit)
    .fetch_all(c)
    .await)?)
}

// ----- the rest of issue 7: last chosen organization, password overrides, ownerless purges ----

/// Remembers that `user` chose `org` now (a new session starts in the most recently chosen one).
pub(crate) async fn touch_membership(
    db: Db<'_>,
    org: OrganizationId,
    user: UserId,
    now: OffsetDateTime,
) -> Result<u64, StoreError> {
    Ok(execute!(
        db,
        "UPDATE organization_members SET last_active_at = $3 WHERE organization_id = $1 AND user_id = $2",
        org,
        user,
        now
    )?)
}

/// The organization `user` chose most recently, while they still belong to it.
pub(crate) async fn last_chosen_org(db: Db<'_>, user: UserId) -> Result<Option<OrganizationId>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_scalar::<_, OrganizationId>(
        "SELECT organization_id FROM organization_members WHERE user_id = $1 AND last_active_at IS NOT NULL \
         ORDER BY last_active_at DESC LIMIT 1"
    )
    .bind(user)
    .fetch_optional(c)
    .await)?)
}

/// The password-length overrides (min, max) of every organization `user` belongs to that has one.
pub(crate) async fn password_overrides_of_user(
    db: Db<'_>,
    user: UserId,
) -> Result<Vec<(Option<i32>, Option<i32>)>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, (Option<i32>, Option<i32>)>(
        "SELECT o.password_min_length, o.password_max_length FROM organization_members m \
         JOIN organizations o ON o.id = m.organization_id WHERE m.user_id = $1 \
         AND (o.password_min_length IS NOT NULL OR o.password_max_length IS NOT NULL)"
    )
    .bind(user)
    .fetch_all(c)
    .await)?)
}

/// The organizations (id, name) where `user` is the only owner, by name.
pub(crate) async fn orgs_where_sole_owner(
    db: Db<'_>,
    user: UserId,
) -> Result<Vec<(OrganizationId, String)>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, (OrganizationId, String)>(
        "SELECT o.id, o.name FROM organization_members m JOIN organizations o ON o.id = m.organization_id \
         WHERE m.user_id = $1 AND m.role = 'owner' AND NOT EXISTS (SELECT 1 FROM organization_members x \
         WHERE x.organization_id = m.organization_id AND x.role = 'owner' AND x.user_id <> $1) \
         ORDER BY o.name, o.slug"
    )
    .bind(user)
    .fetch_all(c)
    .await)?)
}

/// Who takes over `org` when its last owner `leaving` goes: the longest-standing administrator,
/// else the longest-standing member (never a guest: they come from outside), among accounts
/// that are neither closing nor purged. (user, role they held)
pub(crate) async fn successor_owner(
    db: Db<'_>,
    org: OrganizationId,
    leaving: UserId,
) -> Result<Option<(UserId, String)>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, (UserId, String)>(
        "SELECT m.user_id, m.role FROM organization_members m JOIN users u ON u.id = m.user_id \
         WHERE m.organization_id = $1 AND m.user_id <> $2 AND m.kind = 'member' \
         AND u.status NOT IN ('closing', 'purged') \
         ORDER BY CASE WHEN m.role = 'admin' THEN 0 ELSE 1 END, m.created_at, m.user_id LIMIT 1"
    )
    .bind(org)
    .bind(leaving)
    .fetch_optional(c)
    .await)?)
}
