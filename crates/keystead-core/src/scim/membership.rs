//! Ending and restoring a provisioned person's membership, inside the caller's transaction.

use time::OffsetDateTime;

use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Code, Error, Result};
use crate::ids::{GroupId, OrganizationId, UserId};
use crate::organizations::BuiltinRole;
use crate::organizations::members::keep_an_owner;
use crate::store::organizations::{self as store_orgs, MemberRow};
use crate::store::{Tx, api_tokens as store_tokens, scim as store, sessions as store_sessions};

/// Why a membership ends.
#[derive(Debug, Clone, Copy)]
pub(super) enum Ending {
    /// `active: false`: kept for reactivation.
    Suspended,
    /// Deleted by the directory.
    Deprovisioned,
}

/// What a suspension keeps: the role and the groups.
#[derive(Debug, Default)]
pub(super) struct Kept {
    pub role: Option<String>,
    pub groups: Vec<GroupId>,
}

/// Ends `user`'s membership of `org` (if any): the sessions acting in the organization (every
/// session when the organization manages the account) end, the tokens the person made for it
/// are revoked. The last owner is never removed.
pub(super) async fn end(
    core: &Core,
    tx: &mut Tx,
    (org, user): (OrganizationId, UserId),
    managed: bool,
    why: Ending,
    meta: &RequestMeta,
) -> Result<Kept> {
    let now = core.clock().now();
    let Some(m) = store_orgs::membership(tx.db(), org, user).await? else { return Ok(Kept::default()) };
    keep_an_owner(tx.db(), org, &m.role).await.map_err(|_| {
        Error::refused(
            Code::Forbidden,
            "This person is the organization's last owner: make someone else an owner before the directory removes them.",
        )
    })?;
    let groups = store::all_group_ids_of_user(tx.db(), org, user).await?;
    store_orgs::delete_member(tx.db(), org, user).await?;
    let sessions = if managed {
        crate::sessions::revoke_all(core, tx, user).await?
    } else {
        let live = store_sessions::list_in_organization(tx.db(), user, org, now).await?;
        for s in &live {
            store_sessions::delete(tx.db(), s.id).await?;
            crate::oauth::logout::session_ended(core, tx, s.id).await?;
        }
        live.len() as u64
    };
    let tokens = store_tokens::revoke_of_member(tx.db(), org, user, now).await?;
    let event = match why {
        Ending::Suspended => "suspended_by_directory",
        Ending::Deprovisioned => "deprovisioned_by_directory",
    };
    let details = serde_json::json!({"event": event, "role": m.role, "sessions": sessions, "tokens": tokens});
    audit::record_in_org(tx.db(), now, AuditAction::MembershipChanged, None, Some(user), org, meta, details).await?;
    Ok(Kept { role: Some(m.role), groups })
}

/// Makes `user` a member of `org` again (or for the first time), with the kept role (when it
/// still exists) and groups (those still there); nothing when already a member.
pub(super) async fn restore(
    tx: &mut Tx,
    (org, user): (OrganizationId, UserId),
    kept: &Kept,
    first_time: bool,
    meta: &RequestMeta,
    now: OffsetDateTime,
) -> Result<()> {
    if store_orgs::membership(tx.db(), org, user).await?.is_some() {
        return Ok(());
    }
    let role = match kept.role.as_deref() {
        Some(r) if BuiltinRole::parse(r).is_some() || store_orgs::find_role(tx.db(), org, r).await?.is_some() => {
            r.to_owned()
        }
        _ => BuiltinRole::Member.as_str().to_owned(),
    };
    let member = MemberRow { organization_id: org, user_id: user, kind: "member".to_owned(), role, created_at: now };
    store_orgs::insert_member(tx.db(), &member).await?;
    for g in &kept.groups {
        if store_orgs::group(tx.db(), *g).await.is_ok_and(|row| row.organization_id == org) {
            store_orgs::add_group_member(tx.db(), *g, org, user, now).await?;
        }
    }
    let event = if first_time { "provisioned_by_directory" } else { "reactivated_by_directory" };
    let details = serde_json::json!({"event": event, "role": member.role});
    audit::record_in_org(tx.db(), now, AuditAction::MembershipChanged, None, Some(user), org, meta, details).await?;
    Ok(())
}

/// Space-separated group ids, as `scim_users.suspended_groups` keeps them.
pub(super) fn groups_text(groups: &[GroupId]) -> String {
    groups.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ")
}

/// The group ids of `scim_users.suspended_groups`.
pub(super) fn parse_groups(text: &str) -> Vec<GroupId> {
    text.split_whitespace().filter_map(|g| g.parse().ok()).collect()
}
