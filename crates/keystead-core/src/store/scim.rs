//! The `scim_users` and `scim_groups` tables: what an organization's directory provisioned.

use time::OffsetDateTime;

use super::{Db, StoreError, execute, on_db};
use crate::ids::{GroupId, OrganizationId, UserId};

/// A `scim_users` row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ScimUserRow {
    pub organization_id: OrganizationId,
    pub user_id: UserId,
    pub user_name: String,
    pub user_name_lookup: String,
    pub external_id: Option<String>,
    pub active: bool,
    pub document: String,
    pub managed: bool,
    pub suspended_role: Option<String>,
    pub suspended_groups: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

const USER_COLUMNS: &str = "organization_id, user_id, user_name, user_name_lookup, external_id, active, document, \
     managed, suspended_role, suspended_groups, created_at, updated_at";

pub(crate) async fn insert_user(db: Db<'_>, r: &ScimUserRow) -> Result<(), StoreError> {
    execute!(
        db,
        "INSERT INTO scim_users (organization_id, user_id, user_name, user_name_lookup, external_id, active, \
         document, managed, suspended_role, suspended_groups, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        r.organization_id,
        r.user_id,
        &r.user_name,
        &r.user_name_lookup,
        &r.external_id,
        r.active,
        &r.document,
        r.managed,
        &r.suspended_role,
        &r.suspended_groups,
        r.created_at,
        r.updated_at,
    )?;
    Ok(())
}

/// Rewrites everything but the keys and the creation time.
pub(crate) async fn update_user(db: Db<'_>, r: &ScimUserRow) -> Result<(), StoreError> {
    execute!(
        db,
        "UPDATE scim_users SET user_name = $3, user_name_lookup = $4, external_id = $5, active = $6, document = $7, \
         managed = $8, suspended_role = $9, suspended_groups = $10, updated_at = $11 \
         WHERE organization_id = $1 AND user_id = $2",
        r.organization_id,
        r.user_id,
        &r.user_name,
        &r.user_name_lookup,
        &r.external_id,
        r.active,
        &r.document,
        r.managed,
        &r.suspended_role,
        &r.suspended_groups,
        r.updated_at,
    )?;
    Ok(())
}

pub(crate) async fn user(db: Db<'_>, org: OrganizationId, user: UserId) -> Result<Option<ScimUserRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS} FROM scim_users WHERE organization_id = $1 AND user_id = $2"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, ScimUserRow>(sql).bind(org).bind(user).fetch_optional(c).await)?)
}

/// The row with this `userName` (its lowercase form).
pub(crate) async fn user_by_name(
    db: Db<'_>,
    org: OrganizationId,
    lookup: &str,
) -> Result<Option<ScimUserRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS} FROM scim_users WHERE organization_id = $1 AND user_name_lookup = $2"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, ScimUserRow>(sql).bind(org).bind(lookup).fetch_optional(c).await)?)
}

/// The rows with this `externalId`.
pub(crate) async fn users_by_external_id(
    db: Db<'_>,
    org: OrganizationId,
    external_id: &str,
) -> Result<Vec<ScimUserRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS} FROM scim_users WHERE organization_id = $1 AND external_id = $2 ORDER BY created_at, user_id"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, ScimUserRow>(sql).bind(org).bind(external_id).fetch_all(c).await)?)
}

/// Every row of `org`, oldest first.
pub(crate) async fn users_of(db: Db<'_>, org: OrganizationId) -> Result<Vec<ScimUserRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS} FROM scim_users WHERE organization_id = $1 ORDER BY created_at, user_id"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, ScimUserRow>(sql).bind(org).fetch_all(c).await)?)
}

pub(crate) async fn delete_user(db: Db<'_>, org: OrganizationId, user: UserId) -> Result<u64, StoreError> {
    Ok(execute!(db, "DELETE FROM scim_users WHERE organization_id = $1 AND user_id = $2", org, user)?)
}

/// A provisioned group with its name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ScimGroupRow {
    pub group_id: GroupId,
    pub name: String,
    pub external_id: Option<String>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

const GROUP_SELECT: &str = "SELECT s.group_id, g.name, s.external_id, s.created_at, s.updated_at \
     FROM scim_groups s JOIN organization_groups g ON g.id = s.group_id";

pub(crate) async fn insert_group(
    db: Db<'_>,
    group: GroupId,
    org: OrganizationId,
    external_id: Option<&str>,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    execute!(
        db,
        "INSERT INTO scim_groups (group_id, organization_id, external_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $4)",
        group,
        org,
        external_id,
        now,
    )?;
    Ok(())
}

pub(crate) async fn group(db: Db<'_>, org: OrganizationId, id: GroupId) -> Result<Option<ScimGroupRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("{GROUP_SELECT} WHERE s.organization_id = $1 AND s.group_id = $2"));
    Ok(on_db!(db, |c| sqlx::query_as::<_, ScimGroupRow>(sql).bind(org).bind(id).fetch_optional(c).await)?)
}

/// Locks a provisioned group for the rest of the transaction (PostgreSQL `FOR UPDATE`; a SQLite
/// write transaction holds the database already), so that two writers comparing its version
/// cannot both pass; false when `org` has no such group.
pub(crate) async fn lock_group(db: Db<'_>, org: OrganizationId, id: GroupId) -> Result<bool, StoreError> {
    let lock = if matches!(db, Db::Postgres(_)) { " FOR UPDATE" } else { "" };
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT group_id FROM scim_groups WHERE organization_id = $1 AND group_id = $2{lock}"
    ));
    Ok(on_db!(db, |c| sqlx::query_scalar::<_, GroupId>(sql).bind(org).bind(id).fetch_optional(c).await)?.is_some())
}

/// Every provisioned group of `org`, oldest first.
pub(crate) async fn groups_of(db: Db<'_>, org: OrganizationId) -> Result<Vec<ScimGroupRow>, StoreError> {
    let sql =
        sqlx::AssertSqlSafe(format!("{GROUP_SELECT} WHERE s.organization_id = $1 ORDER BY s.created_at, s.group_id"));
    Ok(on_db!(db, |c| sqlx::query_as::<_, ScimGroupRow>(sql).bind(org).fetch_all(c).await)?)
}

/// The organization's group with this name (provisioned or not).
pub(crate) async fn org_group_named(
    db: Db<'_>,
    org: OrganizationId,
    name: &str,
) -> Result<Option<GroupId>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_scalar::<_, GroupId>(
        "SELECT id FROM organization_groups WHERE organization_id = $1 AND name = $2"
    )
    .bind(org)
    .bind(name)
    .fetch_optional(c)
    .await)?)
}

/// Renames a group and records the directory's id; a taken name is a `Conflict`.
pub(crate) async fn update_group(
    mut db: Db<'_>,
    id: GroupId,
    name: &str,
    external_id: Option<&str>,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    execute!(db.reborrow(), "UPDATE organization_groups SET name = $2 WHERE id = $1", id, name)?;
    execute!(db, "UPDATE scim_groups SET external_id = $2, updated_at = $3 WHERE group_id = $1", id, external_id, now)?;
    Ok(())
}

/// Marks a group changed (its members).
pub(crate) async fn touch_group(db: Db<'_>, id: GroupId, now: OffsetDateTime) -> Result<(), StoreError> {
    execute!(db, "UPDATE scim_groups SET updated_at = $2 WHERE group_id = $1", id, now)?;
    Ok(())
}

/// The members of a group, in id order (stable for versions and pages).
pub(crate) async fn group_member_ids(db: Db<'_>, id: GroupId) -> Result<Vec<UserId>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_scalar::<_, UserId>(
        "SELECT user_id FROM organization_group_members WHERE group_id = $1 ORDER BY user_id"
    )
    .bind(id)
    .fetch_all(c)
    .await)?)
}

/// The provisioned groups `user` is in within `org`, by name.
pub(crate) async fn groups_of_user(
    db: Db<'_>,
    org: OrganizationId,
    user: UserId,
) -> Result<Vec<(GroupId, String)>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, (GroupId, String)>(
        "SELECT g.id, g.name FROM organization_group_members m JOIN organization_groups g ON g.id = m.group_id \
         JOIN scim_groups s ON s.group_id = g.id WHERE m.organization_id = $1 AND m.user_id = $2 ORDER BY g.name"
    )
    .bind(org)
    .bind(user)
    .fetch_all(c)
    .await)?)
}

/// Who is in which provisioned group of `org`: (user, group, group name), by name.
pub(crate) async fn group_memberships_of_org(
    db: Db<'_>,
    org: OrganizationId,
) -> Result<Vec<(UserId, GroupId, String)>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, (UserId, GroupId, String)>(
        "SELECT m.user_id, g.id, g.name FROM organization_group_members m \
         JOIN organization_groups g ON g.id = m.group_id JOIN scim_groups s ON s.group_id = g.id \
         WHERE m.organization_id = $1 ORDER BY g.name"
    )
    .bind(org)
    .fetch_all(c)
    .await)?)
}

/// Every group `user` is in within `org` (to remember across a suspension).
pub(crate) async fn all_group_ids_of_user(
    db: Db<'_>,
    org: OrganizationId,
    user: UserId,
) -> Result<Vec<GroupId>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_scalar::<_, GroupId>(
        "SELECT group_id FROM organization_group_members WHERE organization_id = $1 AND user_id = $2"
    )
    .bind(org)
    .bind(user)
    .fetch_all(c)
    .await)?)
}
