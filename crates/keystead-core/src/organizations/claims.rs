//! The organization claims of tokens: the active organization, the user's role there and groups.

use serde::Serialize;

use super::BuiltinRole;
use crate::Core;
use crate::error::Result;
use crate::ids::{OrganizationId, SessionId, UserId};
use crate::store::organizations as store;

/// What a token's `organization` scope says about the active organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgClaims {
    /// The organization's id.
    pub org_id: OrganizationId,
    /// Its name.
    pub org_name: String,
    /// The user's roles there (built-in or custom role names).
    pub org_roles: Vec<String>,
    /// The user's groups there, by name.
    pub groups: Vec<String>,
}

/// The claims for `user` in `active_org`; `None` without an active organization or when the
/// user no longer belongs to it. The OAuth feature calls this for its `organization` scope.
pub async fn token_claims(
    core: &Core,
    user_id: UserId,
    active_org: Option<OrganizationId>,
) -> Result<Option<OrgClaims>> {
    let Some(org) = active_org else { return Ok(None) };
    let mut conn = core.store().conn().await?;
    let Some(m) = store::membership(conn.db(), org, user_id).await? else { return Ok(None) };
    let o = store::get_org(conn.db(), org).await?;
    let groups = store::group_names_of(conn.db(), org, user_id).await?;
    // A built-in role keeps its stable name; a custom one is its name in the organization.
    let role = BuiltinRole::parse(&m.role).map_or(m.role.clone(), |b| b.as_str().to_owned());
    Ok(Some(OrgClaims { org_id: org, org_name: o.name, org_roles: vec![role], groups }))
}

/// The organization a token issued for `sid` describes: the one the session chose in My Account
/// (while the user still belongs to it; without a session, the one they last chose), else the user's first organization — the same rule as
/// the pages ([`Core::my_organizations`]). Tokens refreshed after the session ended fall back
/// the same way.
pub async fn active_for(core: &Core, user_id: UserId, sid: Option<SessionId>) -> Result<Option<OrganizationId>> {
    let mut conn = core.store().conn().await?;
    let rows = store::orgs_of_user(conn.db(), user_id).await?;
    let chosen = match sid {
        Some(sid) => store::active_of_session(conn.db(), sid, user_id).await?,
        None => None,
    };
    let chosen = match chosen {
        Some(c) => Some(c),
        // No session (a refresh after it ended): where the user last chose to be.
        None => store::last_chosen_org(conn.db(), user_id).await?,
    };
    Ok(chosen
        .filter(|a| rows.iter().any(|r| r.organization_id == *a))
        .or_else(|| rows.first().map(|r| r.organization_id)))
}

/// True when an organization `user` belongs to requires a second factor of its members.
pub(crate) async fn requires_mfa(db: crate::store::Db<'_>, user_id: UserId) -> Result<bool> {
    Ok(store::member_of_org_requiring_mfa(db, user_id).await?)
}
