//! Provisioning groups: a directory's group is one of the organization's groups (closed: only
//! administrators and the directory add people), adopted by name when it exists already.

use std::collections::BTreeSet;

use time::OffsetDateTime;

use super::may_read;
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::crypto::version_tag;
use crate::error::{Code, Error, Result};
use crate::ids::{GroupId, OrganizationId, UserId};
use crate::organizations::{Actor, JoinPolicy, Permission, access};
use crate::store::organizations::{self as store_orgs, GroupRow};
use crate::store::scim::{self as store, ScimGroupRow};
use crate::store::{Db, StoreError, Tx};

/// A provisioned group.
#[derive(Debug, Clone)]
pub struct ScimGroup {
    /// Its id.
    pub id: GroupId,
    /// Its name (`displayName`).
    pub display_name: String,
    /// The directory's id for it.
    pub external_id: Option<String>,
    /// Its members.
    pub members: Vec<UserId>,
    /// When it was provisioned.
    pub created_at: OffsetDateTime,
    /// When its name, id or members last changed.
    pub updated_at: OffsetDateTime,
    /// The `ETag`.
    pub version: String,
}

/// What the directory writes about a group.
#[derive(Debug, Clone)]
pub struct ScimGroupWrite {
    /// Its name.
    pub display_name: String,
    /// The directory's id for it.
    pub external_id: Option<String>,
    /// Its members (a creation without them starts empty; a replacement without them keeps
    /// the current ones).
    pub members: Option<Vec<UserId>>,
}

fn check(w: &ScimGroupWrite) -> Result<(String, Option<String>)> {
    let name = w.display_name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(Error::invalid("displayName", "invalid", "Give a displayName of 1 to 100 characters."));
    }
    let external = w.external_id.as_deref().map(str::trim).filter(|e| !e.is_empty()).map(str::to_owned);
    if external.as_ref().is_some_and(|e| e.chars().count() > 256) {
        return Err(Error::invalid("externalId", "too_long", "Use at most 256 characters for externalId."));
    }
    Ok((name, external))
}

fn name_taken(name: &str) -> Error {
    Error::refused(Code::AlreadyExists, format!("A group named {name:?} is already provisioned in this organization."))
}

async fn may_manage(db: Db<'_>, org: OrganizationId, actor: Actor) -> Result<()> {
    access(db, org, actor).await?.require(Permission::GroupsManage)
}

async fn group_view(db: Db<'_>, row: ScimGroupRow) -> Result<ScimGroup> {
    let members = store::group_member_ids(db, row.group_id).await?;
    let ids: Vec<String> = members.iter().map(ToString::to_string).collect();
    let updated = row.updated_at.unix_timestamp_nanos().to_string();
    let version = version_tag(&[&row.name, row.external_id.as_deref().unwrap_or(""), &updated, &ids.join(",")]);
    Ok(ScimGroup {
        id: row.group_id,
        display_name: row.name,
        external_id: row.external_id,
        members,
        created_at: row.created_at,
        updated_at: row.updated_at,
        version,
    })
}

/// The provisioned group `id` of `org`; `NotFound` for any other.
async fn load(mut db: Db<'_>, org: OrganizationId, id: GroupId) -> Result<ScimGroup> {
    let row = store::group(db.reborrow(), org, id).await?.ok_or(Error::NotFound)?;
    group_view(db, row).await
}

impl Core {
    /// Every group `org`'s directory provisioned, oldest first.
    pub async fn scim_groups(&self, actor: Actor, org: OrganizationId) -> Result<Vec<ScimGroup>> {
        let mut conn = self.store().conn().await?;
        may_read(conn.db(), org, actor).await?;
        let mut out = Vec::new();
        for row in store::groups_of(conn.db(), org).await? {
            out.push(group_view(conn.db(), row).await?);
        }
        Ok(out)
    }

    /// One provisioned group; `NotFound` for any other.
    pub async fn scim_group(&self, actor: Actor, org: OrganizationId, id: GroupId) -> Result<ScimGroup> {
        let mut conn = self.store().conn().await?;
        may_read(conn.db(), org, actor).await?;
        load(conn.db(), org, id).await
    }

    /// Provisions a group (`groups:manage`) with its first members: the organization's group
    /// with this name when one exists and is not provisioned yet, or a new closed group.
    pub async fn provision_group(
        &self,
        actor: Actor,
        org: OrganizationId,
        w: &ScimGroupWrite,
        meta: &RequestMeta,
    ) -> Result<ScimGroup> {
        let (name, external) = check(w)?;
        let members = w.members.as_deref().unwrap_or_default();
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        may_manage(tx.db(), org, actor).await?;
        let id = match store::org_group_named(tx.db(), org, &name).await? {
            Some(id) if store::group(tx.db(), org, id).await?.is_some() => return Err(name_taken(&name)),
            Some(id) => id,
            None => {
                let row = GroupRow {
                    id: GroupId::new(),
                    organization_id: org,
                    name: name.clone(),
                    description: String::new(),
                    join_policy: JoinPolicy::Closed.as_str().to_owned(),
                    created_at: now,
                };
                store_orgs::insert_group(tx.db(), &row).await.map_err(|e| match e {
                    StoreError::Conflict { .. } => name_taken(&name),
                    other => other.into(),
                })?;
                row.id
            }
        };
        store::insert_group(tx.db(), id, org, external.as_deref(), now).await?;
        let details = serde_json::json!({"event": "provisioned_by_directory", "group": name});
        audit::record_in_org(tx.db(), now, AuditAction::GroupChanged, None, None, org, meta, details).await?;
        change_members(&mut tx, org, id, (members, &[]), meta, now).await?;
        let view = load(tx.db(), org, id).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Renames a provisioned group and, with `w.members`, sets exactly those members; with
    /// `expected_version` (`If-Match`) a group changed since is `PreconditionFailed`.
    pub async fn replace_scim_group(
        &self,
        actor: Actor,
        org: OrganizationId,
        id: GroupId,
        w: &ScimGroupWrite,
        expected_version: Option<&str>,
        meta: &RequestMeta,
    ) -> Result<ScimGroup> {
        let (name, external) = check(w)?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        may_manage(tx.db(), org, actor).await?;
        if !store::lock_group(tx.db(), org, id).await? {
            return Err(Error::NotFound);
        }
        let current = load(tx.db(), org, id).await?;
        if expected_version.is_some_and(|v| v != current.version) {
            return Err(Error::refused(
                Code::PreconditionFailed,
                "The group changed since you read it: read it again and reapply your change.",
            ));
        }
        if name != current.display_name || external != current.external_id {
            store::update_group(tx.db(), id, &name, external.as_deref(), now).await.map_err(|e| match e {
                StoreError::Conflict { .. } => name_taken(&name),
                other => other.into(),
            })?;
            let details =
                serde_json::json!({"event": "renamed_by_directory", "group": name, "from": current.display_name});
            audit::record_in_org(tx.db(), now, AuditAction::GroupChanged, None, None, org, meta, details).await?;
        }
        if let Some(wanted) = &w.members {
            let wanted: BTreeSet<UserId> = wanted.iter().copied().collect();
            let have: BTreeSet<UserId> = current.members.iter().copied().collect();
            let add: Vec<UserId> = wanted.difference(&have).copied().collect();
            let remove: Vec<UserId> = have.difference(&wanted).copied().collect();
            change_members(&mut tx, org, id, (&add, &remove), meta, now).await?;
        }
        let view = load(tx.db(), org, id).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Adds and removes members of a provisioned group (a PATCH of `members`).
    pub async fn change_scim_group_members(
        &self,
        actor: Actor,
        org: OrganizationId,
        id: GroupId,
        add: &[UserId],
        remove: &[UserId],
        meta: &RequestMeta,
    ) -> Result<ScimGroup> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        may_manage(tx.db(), org, actor).await?;
        if !store::lock_group(tx.db(), org, id).await? {
            return Err(Error::NotFound);
        }
        change_members(&mut tx, org, id, (add, remove), meta, now).await?;
        let view = load(tx.db(), org, id).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Deletes a provisioned group (the organization's group with it).
    pub async fn delete_scim_group(
        &self,
        actor: Actor,
        org: OrganizationId,
        id: GroupId,
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        may_manage(tx.db(), org, actor).await?;
        let g = store::group(tx.db(), org, id).await?.ok_or(Error::NotFound)?;
        store_orgs::delete_group(tx.db(), id).await?;
        let details = serde_json::json!({"event": "deleted_by_directory", "group": g.name});
        audit::record_in_org(tx.db(), now, AuditAction::GroupChanged, None, None, org, meta, details).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Adds and removes members; a member must be a provisioned user of the organization (one
/// suspended is added to the groups their reactivation restores).
async fn change_members(
    tx: &mut Tx,
    org: OrganizationId,
    group: GroupId,
    (add, remove): (&[UserId], &[UserId]),
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<()> {
    let mut changed = false;
    for user in add {
        let Some(mut row) = store::user(tx.db(), org, *user).await? else {
            return Err(Error::invalid(
                "members",
                "unknown_member",
                format!("{user} is not a user provisioned in this organization."),
            ));
        };
        if row.active {
            if store_orgs::membership(tx.db(), org, *user).await?.is_none() {
                return Err(Error::invalid("members", "not_a_member", format!("{user} is not a member.")));
            }
            changed |= store_orgs::add_group_member(tx.db(), group, org, *user, now).await?;
        } else {
            // The kept groups are read and written under the account's lock, as every write of
            // the record is (two groups adding one suspended person at once lose neither).
            crate::accounts::admin::locked(tx, *user).await?;
            row = store::user(tx.db(), org, *user).await?.ok_or(Error::NotFound)?;
            let mut kept = super::membership::parse_groups(&row.suspended_groups);
            if !kept.contains(&group) {
                kept.push(group);
                row.suspended_groups = super::membership::groups_text(&kept);
                store::update_user(tx.db(), &row).await?;
            }
        }
    }
    for user in remove {
        changed |= store_orgs::remove_group_member(tx.db(), group, *user).await?;
        if let Some(row) = store::user(tx.db(), org, *user).await?
            && !row.active
        {
            crate::accounts::admin::locked(tx, *user).await?;
            let mut row = store::user(tx.db(), org, *user).await?.ok_or(Error::NotFound)?;
            let kept: Vec<GroupId> =
                super::membership::parse_groups(&row.suspended_groups).into_iter().filter(|g| *g != group).collect();
            row.suspended_groups = super::membership::groups_text(&kept);
            store::update_user(tx.db(), &row).await?;
        }
    }
    if changed {
        store::touch_group(tx.db(), group, now).await?;
        let details =
            serde_json::json!({"event": "members_changed_by_directory", "added": add.len(), "removed": remove.len()});
        audit::record_in_org(tx.db(), now, AuditAction::GroupChanged, None, None, org, meta, details).await?;
    }
    Ok(())
}
