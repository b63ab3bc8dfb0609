//! Membership: a user's organizations and the active one, the member list, role changes,
//! removal and leaving (never leaving an organization without an owner).

use time::OffsetDateTime;

use super::{Actor, BuiltinRole, MEMBERS_PER_PAGE, MemberKind, Permission, access, resolve_role};
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Error, FieldErrors, Result};
use crate::ids::{OrganizationId, UserId};
use crate::sessions::SessionInfo;
use crate::store::Db;
use crate::store::organizations as store;

/// One of the signed-in user's organizations.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MyOrganization {
    /// The organization.
    pub id: OrganizationId,
    /// Its name.
    pub name: String,
    /// Its short name.
    pub slug: String,
    /// Member or guest.
    pub kind: MemberKind,
    /// The user's role there.
    pub role: String,
    /// True for the session's active organization.
    pub active: bool,
    /// The logo's version (for its URL), when one is set.
    pub logo_version: Option<String>,
    /// Its accent colour (`#rrggbb`), when it chose one.
    pub brand_color: Option<String>,
}

/// A member, as listed to admins.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Member {
    /// The user.
    pub user_id: UserId,
    /// Their address.
    pub email: String,
    /// Their name, when known.
    pub name: Option<String>,
    /// Member or guest.
    pub kind: MemberKind,
    /// Their role.
    pub role: String,
    /// The groups they are in.
    pub groups: Vec<String>,
    /// When they joined.
    #[serde(with = "time::serde::rfc3339")]
    pub joined_at: OffsetDateTime,
}

/// One page of the member list.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MemberPage {
    /// The members on this page, in the order asked for.
    pub members: Vec<Member>,
    /// The page number, from 0.
    pub page: i64,
    /// True when another page follows.
    pub has_next: bool,
}

pub(crate) use crate::store::user_directory::like_pattern;

/// The order of the member list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MemberSort {
    /// By address, A to Z.
    #[default]
    Email,
    /// By address, Z to A.
    EmailDescending,
    /// The latest to join first.
    Newest,
    /// The first to join first.
    Oldest,
}

impl MemberSort {
    /// Every order, as offered.
    pub const ALL: [Self; 4] = [Self::Email, Self::EmailDescending, Self::Newest, Self::Oldest];

    /// Its name in a URL (`email`, `-email`, `-joined`, `joined`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::EmailDescending => "-email",
            Self::Newest => "-joined",
            Self::Oldest => "joined",
        }
    }

    /// The order named in a URL; the default for anything else.
    pub fn parse(s: &str) -> Self {
        Self::ALL.into_iter().find(|o| o.as_str() == s).unwrap_or_default()
    }

    fn store(self) -> store::MemberOrder {
        match self {
            Self::Email => store::MemberOrder::Email { descending: false },
            Self::EmailDescending => store::MemberOrder::Email { descending: true },
            Self::Newest => store::MemberOrder::Joined { descending: true },
            Self::Oldest => store::MemberOrder::Joined { descending: false },
        }
    }
}

/// `Invalid` when taking `role` away from `user` would leave `org` without an owner.
pub(crate) async fn keep_an_owner(mut db: Db<'_>, org: OrganizationId, current_role: &str) -> Result<()> {
    if current_role == BuiltinRole::Owner.as_str() && store::count_role(db.reborrow(), org, current_role).await? <= 1 {
        return Err(Error::invalid(
            "user",
            "last_owner",
            "This is the organization's last owner. Make someone else an owner first.",
        ));
    }
    Ok(())
}

impl Core {
    /// The organizations `session`'s user belongs to, by name, the active one marked. With no
    /// active organization chosen (or one the user has left), the first one is active.
    pub async fn my_organizations(&self, session: &SessionInfo) -> Result<Vec<MyOrganization>> {
        let mut conn = self.store().conn().await?;
        let rows = store::orgs_of_user(conn.db(), session.user.id).await?;
        let active = session
            .active_organization
            .filter(|a| rows.iter().any(|r| r.organization_id == *a))
            .or_else(|| rows.first().map(|r| r.organization_id));
        Ok(rows
            .into_iter()
            .map(|r| MyOrganization {
                active: Some(r.organization_id) == active,
                id: r.organization_id,
                name: r.name,
                slug: r.slug,
                kind: MemberKind::parse(&r.kind),
                role: r.role,
                logo_version: r.logo_etag,
                brand_color: r.brand_color,
            })
            .collect())
    }

    /// How many owners `org` has: its admin pages offer neither Remove nor another role for the
    /// last one (`keep_an_owner` refuses both).
    pub async fn organization_owner_count(&self, org: OrganizationId) -> Result<i64> {
        let mut conn = self.store().conn().await?;
        Ok(store::count_role(conn.db(), org, BuiltinRole::Owner.as_str()).await?)
    }

    /// The session's active organization (see [`Core::my_organizations`]).
    pub async fn active_organization(&self, session: &SessionInfo) -> Result<Option<MyOrganization>> {
        Ok(self.my_organizations(session).await?.into_iter().find(|o| o.active))
    }

    /// Makes `org` the session's active organization, without signing in again. `NotFound`
    /// unless the user belongs to it.
    pub async fn switch_organization(
        &self,
        session: &SessionInfo,
        org: OrganizationId,
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        store::membership(tx.db(), org, session.user.id).await?.ok_or(Error::NotFound)?;
        store::set_active(tx.db(), session.id, Some(org)).await?;
        // A new session starts where the user last chose to be.
        store::touch_membership(tx.db(), org, session.user.id, now).await?;
        let user = Some(session.user.id);
        let details = serde_json::json!({"session": session.id});
        audit::record_in_org(tx.db(), now, AuditAction::OrganizationSwitched, user, user, org, meta, details).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds an existing user to an organization with `role` (operators, and holders of
    /// `roles:manage` who may grant the role; invitations are the usual way in).
    pub async fn add_organization_member(
        &self,
        actor: Actor,
        org: OrganizationId,
        user: UserId,
        role: &str,
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let a = access(tx.db(), org, actor).await?;
        a.require(Permission::RolesManage)?;
        let role = resolve_role(tx.db(), org, role).await?;
        a.require_grant(&role)?;
        match crate::store::users::get(tx.db(), user).await {
            Ok(u) if u.status != "purged" => {}
            Ok(_) | Err(crate::store::StoreError::NotFound) => {
                return Err(Error::invalid("user", "unknown_user", "There is no account with this id."));
            }
            Err(e) => return Err(e.into()),
        }
        let row = store::MemberRow {
            organization_id: org,
            user_id: user,
            kind: MemberKind::for_role(&role.name).as_str().to_owned(),
            role: role.name.clone(),
            created_at: now,
        };
        store::insert_member(tx.db(), &row).await.map_err(|e| match e {
            crate::store::StoreError::Conflict { .. } => {
                Error::invalid("user", "already_member", "This person already belongs to the organization.")
            }
            other => other.into(),
        })?;
        let details = serde_json::json!({"event": "added", "role": role.name});
        audit::record_in_org(
            tx.db(),
            now,
            AuditAction::MembershipChanged,
            actor.user(),
            Some(user),
            org,
            meta,
            details,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// One page of members whose address or name contains `search` (`members:read`), by address.
    pub async fn organization_members(
        &self,
        actor: Actor,
        org: OrganizationId,
        search: &str,
        page: i64,
    ) -> Result<MemberPage> {
        self.organization_members_sorted(actor, org, search, MemberSort::Email, page).await
    }

    /// One page of members whose address or name contains `search` (`members:read`), in `sort`.
    pub async fn organization_members_sorted(
        &self,
        actor: Actor,
        org: OrganizationId,
        search: &str,
        sort: MemberSort,
        page: i64,
    ) -> Result<MemberPage> {
        let mut errors = FieldErrors::new();
        crate::store::user_directory::check_search("search", search, &mut errors);
        errors.into_result()?;
        let mut conn = self.store().conn().await?;
        access(conn.db(), org, actor).await?.require(Permission::MembersRead)?;
        let page = page.clamp(0, 100_000);
        let pattern = like_pattern(search);
        let offset = page * MEMBERS_PER_PAGE;
        let order = sort.store();
        let mut rows = store::member_page(conn.db(), org, &pattern, order, (MEMBERS_PER_PAGE + 1, offset)).await?;
        let has_next = rows.len() > usize::try_from(MEMBERS_PER_PAGE).unwrap_or(usize::MAX);
        rows.truncate(usize::try_from(MEMBERS_PER_PAGE).unwrap_or(usize::MAX));
        let groups = store::member_page_groups(conn.db(), org, &pattern, order, (MEMBERS_PER_PAGE, offset)).await?;
        let members = rows
            .into_iter()
            .map(|r| {
                let name =
                    [r.given_name.as_deref(), r.family_name.as_deref()].into_iter().flatten().collect::<Vec<_>>();
                Member {
                    groups: groups.iter().filter(|(u, _)| *u == r.user_id).map(|(_, g)| g.clone()).collect(),
                    user_id: r.user_id,
                    email: r.email,
                    name: (!name.is_empty()).then(|| name.join(" ")),
                    kind: MemberKind::parse(&r.kind),
                    role: r.role,
                    joined_at: r.created_at,
                }
            })
            .collect();
        Ok(MemberPage { members, page, has_next })
    }

    /// Gives a member another role (`roles:manage`; owners only make or unmake owners; nobody
    /// grants permissions they lack; the last owner keeps the role).
    pub async fn change_member_role(
        &self,
        actor: Actor,
        org: OrganizationId,
        user: UserId,
        role: &str,
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let a = access(tx.db(), org, actor).await?;
        a.require(Permission::RolesManage)?;
        let target = store::membership(tx.db(), org, user).await?.ok_or(Error::NotFound)?;
        let role = resolve_role(tx.db(), org, role).await?;
        if target.role == BuiltinRole::Owner.as_str() && !a.owner {
            return Err(Error::Forbidden);
        }
        a.require_grant(&role)?;
        if role.name != target.role {
            keep_an_owner(tx.db(), org, &target.role).await?;
        }
        let kind = MemberKind::for_role(&role.name);
        store::set_member_role(tx.db(), org, user, kind.as_str(), &role.name).await?;
        let details = serde_json::json!({"event": "role_changed", "from": target.role, "to": role.name});
        audit::record_in_org(
            tx.db(),
            now,
            AuditAction::MembershipChanged,
            actor.user(),
            Some(user),
            org,
            meta,
            details,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes a member (`members:remove`; only owners remove owners; never the last owner).
    pub async fn remove_member(
        &self,
        actor: Actor,
        org: OrganizationId,
        user: UserId,
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let a = access(tx.db(), org, actor).await?;
        a.require(Permission::MembersRemove)?;
        let target = store::membership(tx.db(), org, user).await?.ok_or(Error::NotFound)?;
        if target.role == BuiltinRole::Owner.as_str() && !a.owner {
            return Err(Error::Forbidden);
        }
        keep_an_owner(tx.db(), org, &target.role).await?;
        store::delete_member(tx.db(), org, user).await?;
        let details = serde_json::json!({"event": "removed", "role": target.role});
        audit::record_in_org(
            tx.db(),
            now,
            AuditAction::MembershipChanged,
            actor.user(),
            Some(user),
            org,
            meta,
            details,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The user leaves an organization (not as its last owner).
    pub async fn leave_organization(&self, user: UserId, org: OrganizationId, meta: &RequestMeta) -> Result<()> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let m = store::membership(tx.db(), org, user).await?.ok_or(Error::NotFound)?;
        keep_an_owner(tx.db(), org, &m.role).await.map_err(|e| match e {
            Error::Invalid(_) => Error::invalid(
                "organization",
                "last_owner",
                "You are this organization's last owner. Make someone else an owner before you leave.",
            ),
            other => other,
        })?;
        store::delete_member(tx.db(), org, user).await?;
        let details = serde_json::json!({"event": "left", "role": m.role});
        audit::record_in_org(tx.db(), now, AuditAction::MembershipChanged, Some(user), Some(user), org, meta, details)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod unit {
    #[test]
    fn search_patterns_take_wildcards_literally() {
        assert_eq!(super::like_pattern(" Ada_%\\ "), "%ada\\_\\%\\\\%");
        assert_eq!(super::like_pattern(""), "%%");
    }
}
