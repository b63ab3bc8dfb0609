//! The admin API's groups and roles of an organization (`orgs:read` to list, `orgs:write` to
//! change; the token's maker needs `groups:manage` or `roles:manage` there): the same Core
//! functions as the organization's Groups and Roles pages.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use keystead_core::Error;
use keystead_core::api_tokens::ApiScope;
use keystead_core::ids::{GroupId, OrganizationId, RoleId, UserId};
use keystead_core::organizations::{GroupSummary, RoleInfo};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::admin::ApiCaller;
use super::rest::{parse_json, read_body};
use super::users::rfc3339;
use crate::error::WebError;
use crate::extract::ClientMeta;
use crate::state::AppState;

/// An id from a path: anything that is not one names nothing (404).
pub(super) fn parse_id<T: std::str::FromStr>(raw: &str) -> Result<T, Error> {
    raw.trim().parse().map_err(|_| Error::NotFound)
}

/// A group.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupView {
    id: String,
    name: String,
    description: String,
    /// `open`, `permission` or `closed`.
    join_policy: &'static str,
    /// How many members it has.
    members: i64,
    #[schema(format = DateTime)]
    created_at: String,
}

impl From<GroupSummary> for GroupView {
    fn from(g: GroupSummary) -> Self {
        Self {
            id: g.id.to_string(),
            name: g.name,
            description: g.description,
            join_policy: g.join_policy.as_str(),
            members: g.members,
            created_at: rfc3339(g.created_at),
        }
    }
}

/// `GET /api/v1/organizations/{id}/groups`: every group, by name.
#[utoipa::path(get, path = "/api/v1/organizations/{id}/groups", tag = "organizations", security(("token" = ["orgs:read"])),
    params(("id" = String, Path, description = "The organization's id")),
    responses(
        (status = 200, description = "The groups", body = Vec<GroupView>),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`"),
        (status = 404, description = "No such organization"),
    ))]
pub async fn list_groups(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Vec<GroupView>>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::OrgsRead)?;
    let org: OrganizationId = parse_id(&id)?;
    let groups = state.core.organization_groups(p.actor_in(org)?, org).await?;
    Ok(Json(groups.into_iter().map(Into::into).collect()))
}

/// A new group.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGroupBody {
    name: String,
    description: Option<String>,
    /// `open`, `permission` or `closed` (the default).
    join_policy: Option<String>,
}

/// `POST /api/v1/organizations/{id}/groups` (201).
#[utoipa::path(post, path = "/api/v1/organizations/{id}/groups", tag = "organizations", security(("token" = ["orgs:write"])),
    params(("id" = String, Path, description = "The organization's id")),
    request_body = NewGroupBody,
    responses(
        (status = 201, description = "Created", body = GroupView),
        (status = 400, description = "`invalid_json`"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or the token's maker may not manage groups"),
        (status = 404, description = "No such organization"),
        (status = 422, description = "`invalid_input`: a taken or bad name, an unknown join policy"),
    ))]
pub async fn create_group(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    ClientMeta(meta): ClientMeta,
    body: Body,
) -> Result<(StatusCode, Json<GroupView>), WebError> {
    let p = caller.principal;
    p.require(ApiScope::OrgsWrite)?;
    let org: OrganizationId = parse_id(&id)?;
    let actor = p.actor_in(org)?;
    let b: NewGroupBody = parse_json(&read_body(body).await?)?;
    let description = b.description.unwrap_or_default();
    let policy = b.join_policy.unwrap_or_else(|| "closed".to_owned());
    let made = state.core.create_group(actor, org, &b.name, &description, &policy, &meta).await?;
    let group = state.core.organization_groups(actor, org).await?.into_iter().find(|g| g.id == made);
    Ok((StatusCode::CREATED, Json(group.ok_or(Error::NotFound)?.into())))
}

/// `DELETE /api/v1/organizations/{id}/groups/{group}` (204).
#[utoipa::path(delete, path = "/api/v1/organizations/{id}/groups/{group}", tag = "organizations", security(("token" = ["orgs:write"])),
    params(("id" = String, Path, description = "The organization's id"), ("group" = String, Path, description = "The group's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or the token's maker may not manage groups"),
        (status = 404, description = "No such group in this organization"),
    ))]
pub async fn delete_group(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, group)): Path<(String, String)>,
    ClientMeta(meta): ClientMeta,
) -> Result<StatusCode, WebError> {
    let p = caller.principal;
    p.require(ApiScope::OrgsWrite)?;
    let (org, group): (OrganizationId, GroupId) = (parse_id(&id)?, parse_id(&group)?);
    let actor = p.actor_in(org)?;
    state.core.require_group_of(org, group).await?;
    state.core.delete_group(actor, group, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `PUT /api/v1/organizations/{id}/groups/{group}/members/{user}`: adds a member of the
/// organization to the group, whatever its join policy (204; again is no change).
#[utoipa::path(put, path = "/api/v1/organizations/{id}/groups/{group}/members/{user}", tag = "organizations", security(("token" = ["orgs:write"])),
    params(("id" = String, Path, description = "The organization's id"), ("group" = String, Path, description = "The group's id"),
        ("user" = String, Path, description = "The member's user id")),
    responses(
        (status = 204, description = "In the group"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or the token's maker may not manage groups"),
        (status = 404, description = "No such group in this organization"),
        (status = 422, description = "`invalid_input`: not a member of the organization"),
    ))]
pub async fn add_group_member(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, group, user)): Path<(String, String, String)>,
    ClientMeta(meta): ClientMeta,
) -> Result<StatusCode, WebError> {
    change_group_member(&state, caller, (&id, &group, &user), &meta, true).await
}

/// `DELETE /api/v1/organizations/{id}/groups/{group}/members/{user}` (204).
#[utoipa::path(delete, path = "/api/v1/organizations/{id}/groups/{group}/members/{user}", tag = "organizations", security(("token" = ["orgs:write"])),
    params(("id" = String, Path, description = "The organization's id"), ("group" = String, Path, description = "The group's id"),
        ("user" = String, Path, description = "The member's user id")),
    responses(
        (status = 204, description = "Not in the group"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or the token's maker may not manage groups"),
        (status = 404, description = "No such group in this organization"),
        (status = 422, description = "`invalid_input`: not a member of the organization"),
    ))]
pub async fn remove_group_member(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, group, user)): Path<(String, String, String)>,
    ClientMeta(meta): ClientMeta,
) -> Result<StatusCode, WebError> {
    change_group_member(&state, caller, (&id, &group, &user), &meta, false).await
}

/// Adds (`add`) or removes a member of a group addressed through its organization.
async fn change_group_member(
    state: &AppState,
    caller: ApiCaller,
    (id, group, user): (&str, &str, &str),
    meta: &keystead_core::audit::RequestMeta,
    add: bool,
) -> Result<StatusCode, WebError> {
    let p = caller.principal;
    p.require(ApiScope::OrgsWrite)?;
    let (org, group): (OrganizationId, GroupId) = (parse_id(id)?, parse_id(group)?);
    let actor = p.actor_in(org)?;
    state.core.require_group_of(org, group).await?;
    let user: UserId = user.trim().parse().map_err(|_| Error::invalid("user", "invalid_id", "Give a user id."))?;
    if add {
        state.core.add_to_group(actor, group, user, meta).await?;
    } else {
        state.core.remove_from_group(actor, group, user, meta).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// A role.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleView {
    /// A custom role's id (absent for built-in roles).
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    /// The name members hold.
    name: String,
    /// The name shown.
    label: String,
    builtin: bool,
    /// What it permits (`members:read`, `groups:manage`, …).
    permissions: Vec<&'static str>,
}

impl From<RoleInfo> for RoleView {
    fn from(r: RoleInfo) -> Self {
        Self {
            id: r.id.map(|i| i.to_string()),
            name: r.name,
            label: r.label,
            builtin: r.builtin,
            permissions: r.permissions.iter().map(|p| p.as_str()).collect(),
        }
    }
}

/// `GET /api/v1/organizations/{id}/roles`: the built-in roles, then the custom ones.
#[utoipa::path(get, path = "/api/v1/organizations/{id}/roles", tag = "organizations", security(("token" = ["orgs:read"])),
    params(("id" = String, Path, description = "The organization's id")),
    responses(
        (status = 200, description = "The roles", body = Vec<RoleView>),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`"),
        (status = 404, description = "No such organization"),
    ))]
pub async fn list_roles(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Vec<RoleView>>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::OrgsRead)?;
    let org: OrganizationId = parse_id(&id)?;
    let roles = state.core.organization_roles(p.actor_in(org)?, org).await?;
    Ok(Json(roles.into_iter().map(Into::into).collect()))
}

/// A new custom role.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRoleBody {
    name: String,
    /// Permission names (`members:read`, …); only ones the token's maker holds.
    permissions: Vec<String>,
}

/// `POST /api/v1/organizations/{id}/roles` (201).
#[utoipa::path(post, path = "/api/v1/organizations/{id}/roles", tag = "organizations", security(("token" = ["orgs:write"])),
    params(("id" = String, Path, description = "The organization's id")),
    request_body = NewRoleBody,
    responses(
        (status = 201, description = "Created", body = RoleView),
        (status = 400, description = "`invalid_json`"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or the maker may not manage roles or grant these permissions"),
        (status = 404, description = "No such organization"),
        (status = 422, description = "`invalid_input`: a taken, reserved or bad name, unknown permissions"),
    ))]
pub async fn create_role(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    ClientMeta(meta): ClientMeta,
    body: Body,
) -> Result<(StatusCode, Json<RoleView>), WebError> {
    let p = caller.principal;
    p.require(ApiScope::OrgsWrite)?;
    let org: OrganizationId = parse_id(&id)?;
    let actor = p.actor_in(org)?;
    let b: NewRoleBody = parse_json(&read_body(body).await?)?;
    let made = state.core.create_role(actor, org, &b.name, &b.permissions, &meta).await?;
    let role = state.core.organization_roles(actor, org).await?.into_iter().find(|r| r.id == Some(made));
    Ok((StatusCode::CREATED, Json(role.ok_or(Error::NotFound)?.into())))
}

/// `DELETE /api/v1/organizations/{id}/roles/{role}`: a custom role nobody holds (204).
#[utoipa::path(delete, path = "/api/v1/organizations/{id}/roles/{role}", tag = "organizations", security(("token" = ["orgs:write"])),
    params(("id" = String, Path, description = "The organization's id"), ("role" = String, Path, description = "The custom role's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or the token's maker may not manage roles"),
        (status = 404, description = "No such custom role"),
        (status = 422, description = "`invalid_input`: members hold it"),
    ))]
pub async fn delete_role(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, role)): Path<(String, String)>,
    ClientMeta(meta): ClientMeta,
) -> Result<StatusCode, WebError> {
    let p = caller.principal;
    p.require(ApiScope::OrgsWrite)?;
    let (org, role): (OrganizationId, RoleId) = (parse_id(&id)?, parse_id(&role)?);
    state.core.delete_role(p.actor_in(org)?, org, role, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}
