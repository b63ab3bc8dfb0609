//! Claims about the user, by scope (OpenID Connect Core §5.4): `profile`, `email`, `phone` and
//! `address` here;
//! `organization` and `licenses` come from their own features through the functions below.

use serde_json::{Map, Value, json};

use super::claims_request::scope_of;
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

/// The `phone` and `address` scopes' claims (OpenID Connect Core §5.1, §5.1.1) from the profile:
/// `phone_number` as the user typed it (`phone_number_verified` false: nothing here verifies a
/// phone); `address` from the billing address when there is one, else the profile's city and
/// country. A claim the user left empty is left out.
async fn contact(core: &Core, user: &User, scopes: &Scopes) -> Result<Map<String, Value>> {
    let mut m = Map::new();
    let profile = core.profile(user.id).await?;
    if scopes.has("phone")
        && let Some(phone) = profile.phone
    {
        m.insert("phone_number".into(), json!(phone));
        m.insert("phone_number_verified".into(), json!(false));
    }
    if scopes.has("address") {
        let address = match core.billing_address(user.id).await? {
            Some(b) => {
                let street =
                    [Some(b.line1.clone()), b.line2.clone()].into_iter().flatten().collect::<Vec<_>>().join("\n");
                let region = b.region.clone().map(|r| format!(" {r}")).unwrap_or_default();
                let formatted = format!("{street}\n{} {}{region}\n{}", b.postal_code, b.city, b.country);
                let mut a = json!({
                    "formatted": formatted, "street_address": street, "locality": b.city,
                    "postal_code": b.postal_code, "country": b.country,
                });
                if let Some(r) = b.region {
                    a["region"] = json!(r);
                }
                Some(a)
            }
            None if profile.city.is_some() || profile.country.is_some() => {
                let formatted =
                    [profile.city.clone(), profile.country.clone()].into_iter().flatten().collect::<Vec<_>>();
                let mut a = json!({ "formatted": formatted.join("\n") });
                if let Some(city) = profile.city {
                    a["locality"] = json!(city);
                }
                if let Some(country) = profile.country {
                    a["country"] = json!(country);
                }
                Some(a)
            }
            None => None,
        };
        if let Some(a) = address {
            m.insert("address".into(), a);
        }
    }
    Ok(m)
}

/// Every claim the scopes allow: standard ones, `phone`, `address`, and those of `organization`
/// and `licenses`.
pub async fn for_scopes(
    core: &Core,
    user: &User,
    scopes: &Scopes,
    sid: Option<SessionId>,
) -> Result<Map<String, Value>> {
    let mut m = standard(user, scopes);
    if scopes.has("phone") || scopes.has("address") {
        m.extend(contact(core, user, scopes).await?);
    }
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

/// The claims the scopes allow, and those of `asked` (claims asked for one by one for this
/// place with the `claims` parameter, OpenID Connect Core §5.5) even where no scope allows them:
/// only the claim asked for, not the rest of its scope.
pub async fn released(
    core: &Core,
    user: &User,
    scopes: &Scopes,
    asked: &[String],
    sid: Option<SessionId>,
) -> Result<Map<String, Value>> {
    if asked.is_empty() {
        return for_scopes(core, user, scopes, sid).await;
    }
    let implied: Vec<&str> = asked.iter().filter_map(|c| scope_of(c)).collect();
    let wider = scopes.union(&Scopes::from_stored(&implied.join(" ")));
    let mut m = for_scopes(core, user, &wider, sid).await?;
    m.retain(|name, _| scope_of(name).is_none_or(|s| scopes.has(s) || asked.iter().any(|a| a == name)));
    Ok(m)
}
