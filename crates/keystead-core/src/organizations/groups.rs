//! Groups of an organization: name, description and a join policy; members join open groups
//! themselves, `permission` groups with `groups:join`, and admins add people to closed ones.

use super::{Actor, Permission, access, clean_text};
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Error, FieldErrors, Result};
use crate::ids::{GroupId, OrganizationId, UserId};
use crate::store::StoreError;
use crate::store::organizations::{self as store, GroupRow};

/// Who may join a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JoinPolicy {
    /// Anyone in the organization.
    Open,
    /// Holders of `groups:join`.
    Permission,
    /// Nobody by themselves: administrators add members.
    Closed,
}

impl JoinPolicy {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Permission => "permission",
            Self::Closed => "closed",
        }
    }

    /// The policy with this name.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Open, Self::Permission, Self::Closed].into_iter().find(|p| p.as_str() == s)
    }

    fn stored(s: &str) -> Self {
        Self::parse(s).unwrap_or(Self::Closed)
    }
}

/// A group as one user sees it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Group {
    /// Its id.
    pub id: GroupId,
    /// Its name.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// Who may join.
    pub join_policy: JoinPolicy,
    /// True when the user is in it.
    pub is_member: bool,
    /// True when the user may join it by themselves.
    pub can_join: bool,
    /// How many members it has.
    pub members: i64,
}

/// A group as administrators list it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct GroupSummary {
    /// Its id.
    pub id: GroupId,
    /// Its name.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// Who may join.
    pub join_policy: JoinPolicy,
    /// How many members it has.
    pub members: i64,
    /// When it was made.
    pub created_at: time::OffsetDateTime,
}

/// Checks the new-group form: a name of 1 to 100 characters, a description of at most 500 and a
/// join policy; every problem is reported at once.
pub(crate) fn check_new_group(name: &str, description: &str, policy: &str) -> Result<(String, String, JoinPolicy)> {
    let mut errors = FieldErrors::new();
    let name = clean_text("name", name, 100, &mut errors);
    let description = description.trim().to_owned();
    if description.chars().count() > 500 {
        errors.add_with("description", "too_long", "Use at most 500 characters.", vec![("max", "500".to_owned())]);
    }
    let policy = JoinPolicy::parse(policy.trim());
    if policy.is_none() {
        errors.add("join_policy", "invalid", "Choose who may join: open, permission or closed.");
    }
    errors.into_result()?;
    Ok((name, description, policy.unwrap_or(JoinPolicy::Closed)))
}

impl Core {
    /// Every group of `org` as `user` sees it (member or not, may join or not).
    pub async fn groups_for(&self, user: UserId, org: OrganizationId) -> Result<Vec<Group>> {
        let mut conn = self.store().conn().await?;
        let a = access(conn.db(), org, Actor::User(user)).await?;
        let rows = store::groups_for_user(conn.db(), org, user).await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let join_policy = JoinPolicy::stored(&r.join_policy);
                Group {
                    can_join: !r.is_member && may_join(join_policy, &a),
                    id: r.id,
                    name: r.name,
                    description: r.description,
                    join_policy,
                    is_member: r.is_member,
                    members: r.members,
                }
            })
            .collect())
    }

    /// Every group of `org` with its member count (`members:read`).
    pub async fn organization_groups(&self, actor: Actor, org: OrganizationId) -> Result<Vec<GroupSummary>> {
        let mut conn = self.store().conn().await?;
        access(conn.db(), org, actor).await?.require(Permission::MembersRead)?;
        let rows = store::groups_of_org(conn.db(), org).await?;
        Ok(rows
            .into_iter()
            .map(|r| GroupSummary {
                id: r.id,
                join_policy: JoinPolicy::stored(&r.join_policy),
                name: r.name,
                description: r.description,
                members: r.members,
                created_at: r.created_at,
            })
            .collect())
    }

    /// `NotFound` unless `group` is a group of `org` (for callers addressing it through `org`).
    pub async fn require_group_of(&self, org: OrganizationId, group: GroupId) -> Result<()> {
        let mut conn = self.store().conn().await?;
        match store::group(conn.db(), group).await {
            Ok(g) if g.organization_id == org => Ok(()),
            Ok(_) | Err(StoreError::NotFound) => Err(Error::NotFound),
            Err(e) => Err(e.into()),
        }
    }

    /// Creates a group (`groups:manage`).
    pub async fn create_group(
        &self,
        actor: Actor,
        org: OrganizationId,
        name: &str,
        description: &str,
        policy: &str,
        meta: &RequestMeta,
    ) -> Result<GroupId> {
        let (name, description, policy) = check_new_group(name, description, policy)?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        access(tx.db(), org, actor).await?.require(Permission::GroupsManage)?;
        let row = GroupRow {
            id: GroupId::new(),
            organization_id: org,
            name,
            description,
            join_policy: policy.as_str().to_owned(),
            created_at: now,
        };
        store::insert_group(tx.db(), &row).await.map_err(|e| match e {
            StoreError::Conflict { .. } => {
                Error::invalid("name", "name_taken", "A group with this name exists: choose another.")
            }
            other => other.into(),
        })?;
        let details = serde_json::json!({"event": "created", "group": row.name, "join_policy": row.join_policy});
        audit::record_in_org(tx.db(), now, AuditAction::GroupChanged, actor.user(), None, org, meta, details).await?;
        tx.commit().await?;
        Ok(row.id)
    }

    /// Deletes a group (`groups:manage`).
    pub async fn delete_group(&self, actor: Actor, group: GroupId, meta: &RequestMeta) -> Result<()> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let g = store::group(tx.db(), group).await?;
        access(tx.db(), g.organization_id, actor).await?.require(Permission::GroupsManage)?;
        store::delete_group(tx.db(), group).await?;
        let details = serde_json::json!({"event": "deleted", "group": g.name});
        audit::record_in_org(
            tx.db(),
            now,
            AuditAction::GroupChanged,
            actor.user(),
            None,
            g.organization_id,
            meta,
            details,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The user joins a group by themselves, as its join policy allows.
    pub async fn join_group(&self, user: UserId, group: GroupId, meta: &RequestMeta) -> Result<()> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let g = store::group(tx.db(), group).await?;
        let a = access(tx.db(), g.organization_id, Actor::User(user)).await?;
        match JoinPolicy::stored(&g.join_policy) {
            JoinPolicy::Closed if !a.permissions.contains(Permission::GroupsManage) => {
                return Err(Error::invalid(
                    "group",
                    "group_closed",
                    format!("{} is a closed group: an administrator adds its members.", g.name),
                ));
            }
            JoinPolicy::Permission => a.require(Permission::GroupsJoin)?,
            _ => {}
        }
        if store::add_group_member(tx.db(), group, g.organization_id, user, now).await? {
            let details = serde_json::json!({"event": "joined", "group": g.name});
            let u = Some(user);
            audit::record_in_org(tx.db(), now, AuditAction::GroupChanged, u, u, g.organization_id, meta, details)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The user leaves a group.
    pub async fn leave_group(&self, user: UserId, group: GroupId, meta: &RequestMeta) -> Result<()> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let g = store::group(tx.db(), group).await?;
        access(tx.db(), g.organization_id, Actor::User(user)).await?;
        if store::remove_group_member(tx.db(), group, user).await? {
            let details = serde_json::json!({"event": "left", "group": g.name});
            let u = Some(user);
            audit::record_in_org(tx.db(), now, AuditAction::GroupChanged, u, u, g.organization_id, meta, details)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Adds a member of the organization to a group, whatever its policy (`groups:manage`).
    pub async fn add_to_group(&self, actor: Actor, group: GroupId, user: UserId, meta: &RequestMeta) -> Result<()> {
        self.change_group_member(actor, group, user, true, meta).await
    }

    /// Removes someone from a group (`groups:manage`).
    pub async fn remove_from_group(
        &self,
        actor: Actor,
        group: GroupId,
        user: UserId,
        meta: &RequestMeta,
    ) -> Result<()> {
        self.change_group_member(actor, group, user, false, meta).await
    }

    async fn change_group_member(
        &self,
        actor: Actor,
        group: GroupId,
        user: UserId,
        add: bool,
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let g = store::group(tx.db(), group).await?;
        let org = g.organization_id;
        access(tx.db(), org, actor).await?.require(Permission::GroupsManage)?;
        store::membership(tx.db(), org, user).await?.ok_or_else(|| {
            Error::invalid("user", "not_a_member", "Only members of the organization can be in its groups.")
        })?;
        let changed = if add {
            store::add_group_member(tx.db(), group, org, user, now).await?
        } else {
            store::remove_group_member(tx.db(), group, user).await?
        };
        if changed {
            let event = if add { "member_added" } else { "member_removed" };
            let details = serde_json::json!({"event": event, "group": g.name});
            audit::record_in_org(tx.db(), now, AuditAction::GroupChanged, actor.user(), Some(user), org, meta, details)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

fn may_join(policy: JoinPolicy, a: &super::Access) -> bool {
    match policy {
        JoinPolicy::Open => true,
        JoinPolicy::Permission => a.permissions.contains(Permission::GroupsJoin),
        JoinPolicy::Closed => a.permissions.contains(Permission::GroupsManage),
    }
}
