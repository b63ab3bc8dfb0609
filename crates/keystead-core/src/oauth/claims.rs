//! Claims about the user, by scope (OpenID Connect Core §5.4): `profile` and `email` here;
//! `organization` and `licenses` come from their own features through the functions below.

use serde_json::{Map, Value, json};

use super::scopes::Scopes;
use crate::Core;
use crate::accounts::User;
use crate::error::Result;
use crate::ids::SessionId;

/// The standard claims the scopes allow (OpenID Connect Core §5.1): `name`, `given_name`,
/// `family_name`, `updated_at`-free profile; `email`, `email_verified`.
pub fn standard(user: &User, scopes: &Scopes) -> Map<String, Value> {
    let mut m = Map::new();
    if scopes.has("profile") {
        m.insert("name".into(), json!(user.display_name()));
        if let Some(g) = &user.given_name {
            m.insert("given_name".into(), json!(g));
        }
        if let Some(f) = &user.family_name {
            m.insert("family_name".into(), json!(f));
        }
    }
    if scopes.has("email") {
        m.insert("email".into(), json!(user.email));
        m.insert("email_verified".into(), json!(user.email_verified_at.is_some()));
    }
    m
}

/// The `organization` scope's claims for the session's active organization: `org_id`,
/// `org_name`, `org_roles`, `groups` (see [`crate::organizations::token_claims`]). The one place
/// those claims come from, so ID tokens, access tokens and userinfo all agree; `None` when the
/// user belongs to no organization.
pub async fn organization(core: &Core, user: &User, sid: Option<SessionId>) -> Result<Option<Map<String, Value>>> {
    let active = crate::organizations::active_for(core, user.id, sid).await?;
    let Some(c) = crate::organizations::token_claims(core, user.id, active).await? else {
        return Ok(None);
    };
    let mut m = Map::new();
    m.insert("org_id".into(), json!(c.org_id));
    m.insert("org_name".into(), json!(c.org_name));
    m.insert("org_roles".into(), json!(c.org_roles));
    m.insert("groups".into(), json!(c.groups));
    Ok(Some(m))
}

/// The `licenses` scope's claim for the session's active organization: `licenses`, the
/// [`crate::licensing::Entitlements`] object (plan keys, products, entitlement codes, selected
/// extensions, `valid_until`) — the same as `GET /api/v1/me/licenses` answers. `None` (no
/// claim) when the user holds no license there.
pub async fn licenses(core: &Core, user: &User, sid: Option<SessionId>) -> Result<Option<Map<String, Value>>> {
    let held = core.active_entitlements(user.id, sid).await?;
    if held.is_empty() {
        return Ok(None);
    }
    let mut m = Map::new();
    m.insert("licenses".into(), serde_json::to_value(&held).map_err(anyhow::Error::new)?);
    Ok(Some(m))
}

/// Every claim the scopes allow: standard ones and those of `organization` and `licenses`.
pub async fn for_scopes(
    core: &Core,
    user: &User,
    scopes: &Scopes,
    sid: Option<SessionId>,
) -> Result<Map<String, Value>> {
    let mut m = standard(user, scopes);
    if scopes.has("organization")
        && let Some(extra) = organization(core, user, sid).await?
    {
        m.extend(extra);
    }
    if scopes.has("licenses")
        && let Some(extra) = licenses(core, user, sid).await?
    {
        m.extend(extra);
    }
    Ok(m)
}
