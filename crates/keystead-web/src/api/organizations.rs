//! The admin API's organizations and their members (`orgs:read`, `orgs:write`). The operator's
//! deployment token reaches every organization and creates them; an organization's token
//! reaches only its own (any other is not found) and acts with its maker's permissions there.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use keystead_core::api_tokens::{ApiPrincipal, ApiScope};
use keystead_core::ids::{OrganizationId, UserId};
use keystead_core::organizations::{MEMBERS_PER_PAGE, Member, NewOrganization, Organization, OrganizationChanges};
use keystead_core::{Error, FieldErrors};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::admin::ApiCaller;
use super::rest::{etag, idempotent, if_match, not_modified, parse_json, read_body, with_location};
use super::users::rfc3339;
use crate::error::WebError;
use crate::extract::ClientMeta;
use crate::state::AppState;

/// An organization.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationView {
    id: String,
    name: String,
    /// Its short name, unique, used in URLs.
    slug: String,
    has_logo: bool,
    /// The accent colour of its pages and emails (`#rrggbb`), or `null` for the deployment's.
    brand_color: Option<String>,
    /// Members must use a second factor.
    require_mfa: bool,
    /// Minimum password length for members, instead of the deployment's.
    password_min_length: Option<u32>,
    /// Maximum password length for members, instead of the deployment's.
    password_max_length: Option<u32>,
    #[schema(format = DateTime)]
    created_at: String,
    /// Its last change (name, settings, logo).
    #[schema(format = DateTime)]
    updated_at: String,
}

impl From<Organization> for OrganizationView {
    fn from(o: Organization) -> Self {
        Self {
            id: o.id.to_string(),
            name: o.name,
            slug: o.slug,
            has_logo: o.has_logo,
            brand_color: o.brand_color,
            require_mfa: o.settings.require_mfa,
            password_min_length: o.settings.password_min_length,
            password_max_length: o.settings.password_max_length,
            created_at: rfc3339(o.created_at),
            updated_at: rfc3339(o.updated_at),
        }
    }
}

/// A page of a list: `next_cursor` continues it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    items: Vec<T>,
    /// For the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_cursor: Option<String>,
}

/// Paging parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Members only: addresses or names containing this.
    search: Option<String>,
}

/// A page number in an opaque cursor (`p1.<n>`).
fn page_of(cursor: Option<&str>) -> Result<i64, Error> {
    match cursor {
        None => Ok(0),
        Some(c) => c
            .strip_prefix("p1.")
            .and_then(|n| n.parse::<i64>().ok())
            .filter(|n| (1..=100_000).contains(n))
            .ok_or_else(|| {
                Error::invalid("cursor", "invalid", "This cursor was not made by this API; start from the first page.")
            }),
    }
}

pub(super) fn org_id(raw: &str) -> Result<OrganizationId, Error> {
    raw.trim().parse().map_err(|_| Error::NotFound)
}

/// The actor for `org`: the token's, or not found for another organization's token.
pub(super) fn actor_for(p: &ApiPrincipal, org: OrganizationId) -> Result<keystead_core::organizations::Actor, Error> {
    p.actor_in(org)
}

/// `GET /api/v1/organizations`: every organization (deployment token, by short name, 100 a
/// page), or the token's own.
#[utoipa::path(get, path = "/api/v1/organizations", tag = "organizations", security(("token" = ["orgs:read"])),
    params(Paging),
    responses(
        (status = 200, description = "A page of organizations", body = Page<OrganizationView>),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`"),
        (status = 422, description = "`invalid_input`: a bad cursor"),
    ))]
pub async fn list_organizations(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(paging): Query<Paging>,
) -> Result<Json<Page<OrganizationView>>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::OrgsRead)?;
    if let Some(own) = p.organization {
        let org = state.core.organization(p.actor, own).await?;
        return Ok(Json(Page { items: vec![org.into()], next_cursor: None }));
    }
    const PER_PAGE: i64 = 100;
    let page = page_of(paging.cursor.as_deref())?;
    let mut list = state.core.list_organizations(p.deployment_actor()?, PER_PAGE + 1, page * PER_PAGE).await?;
    let more = list.len() as i64 > PER_PAGE;
    list.truncate(PER_PAGE as usize);
    let next_cursor = more.then(|| format!("p1.{}", page + 1));
    Ok(Json(Page { items: list.into_iter().map(Into::into).collect(), next_cursor }))
}

/// A new organization.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrganizationBody {
    name: String,
    /// Derived from the name when absent.
    slug: Option<String>,
    /// Its first owner (a user id).
    owner_id: Option<String>,
}

/// `POST /api/v1/organizations` (deployment token): 201 with `Location`.
#[utoipa::path(post, path = "/api/v1/organizations", tag = "organizations", security(("token" = ["orgs:write"])),
    request_body = NewOrganizationBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 201, description = "Created", body = OrganizationView),
        (status = 400, description = "`invalid_json`"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or `forbidden` for an organization's token"),
        (status = 409, description = "`idempotency_key_in_use`, or `idempotency_answer_lost` (a retry of a create whose answer was lost)"),
        (status = 422, description = "`invalid_input`: a taken short name, an unknown owner"),
    ))]
pub async fn create_organization(
    State(state): State<AppState>,
    caller: ApiCaller,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let p = &caller.principal;
    p.require(ApiScope::OrgsWrite)?;
    let actor = p.deployment_actor()?;
    let bytes = read_body(body).await?;
    let run = async {
        let b: NewOrganizationBody = parse_json(&bytes)?;
        let owner: Option<UserId> = match b.owner_id.as_deref().map(str::trim) {
            Some(raw) => Some(raw.parse().map_err(|_| Error::invalid("owner_id", "invalid_id", "Give a user id."))?),
            None => None,
        };
        let new = NewOrganization { name: &b.name, slug: b.slug.as_deref(), owner };
        let org = state.core.create_organization(actor, new, &meta).await?;
        let location = format!("/api/v1/organizations/{}", org.id);
        Ok(with_location((StatusCode::CREATED, Json(OrganizationView::from(org))).into_response(), &location))
    };
    idempotent(&state, &caller, &headers, ("POST", "/api/v1/organizations", &bytes), run).await
}

/// `GET /api/v1/organizations/{id}`
#[utoipa::path(get, path = "/api/v1/organizations/{id}", tag = "organizations", security(("token" = ["orgs:read"])),
    params(("id" = String, Path, description = "The organization's id")),
    responses(
        (status = 200, description = "The organization", body = OrganizationView),
        (status = 304, description = "Not modified (`If-None-Match`)"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`"),
        (status = 404, description = "No such organization (for an organization's token: any other)"),
    ))]
pub async fn show_organization(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let p = caller.principal;
    p.require(ApiScope::OrgsRead)?;
    let org = org_id(&id)?;
    let o = state.core.organization(actor_for(&p, org)?, org).await?;
    if not_modified(&headers, &o.version()) {
        return Ok(([(header::ETAG, etag(&o.version()))], StatusCode::NOT_MODIFIED).into_response());
    }
    Ok(organization_response(o))
}

/// One organization with its `ETag`.
fn organization_response(o: Organization) -> Response {
    ([(header::ETAG, etag(&o.version()))], Json(OrganizationView::from(o))).into_response()
}

/// Changes to an organization: each field present is set (`null` clears a password-length
/// override).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationPatch {
    /// A new name.
    name: Option<String>,
    /// Members must use a second factor.
    require_mfa: Option<bool>,
    /// Minimum password length for members, 8 to 128.
    #[serde(default, with = "super::rest::patch")]
    #[schema(value_type = Option<u32>)]
    password_min_length: Option<Option<u32>>,
    /// Maximum password length for members, 8 to 128, not below the minimum.
    #[serde(default, with = "super::rest::patch")]
    #[schema(value_type = Option<u32>)]
    password_max_length: Option<Option<u32>>,
    /// The accent colour, `#rrggbb` (`null` returns to the deployment's).
    #[serde(default, with = "super::rest::patch")]
    #[schema(value_type = Option<String>)]
    brand_color: Option<Option<String>>,
}

/// `PATCH /api/v1/organizations/{id}`: renames it and changes its settings, all or nothing
/// (`org:manage` there; with `If-Match`, 412 when it changed since).
#[utoipa::path(patch, path = "/api/v1/organizations/{id}", tag = "organizations", security(("token" = ["orgs:write"])),
    params(
        ("id" = String, Path, description = "The organization's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag read: refuse the change if it changed since"),
    ),
    request_body = OrganizationPatch,
    responses(
        (status = 200, description = "Changed", body = OrganizationView),
        (status = 400, description = "`invalid_json`, or `malformed_request` for a malformed If-Match"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or the token's maker may not manage it"),
        (status = 404, description = "No such organization"),
        (status = 412, description = "`precondition_failed`: it changed since it was read"),
        (status = 422, description = "`invalid_input` naming the field"),
    ))]
pub async fn update_organization(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let p = caller.principal;
    p.require(ApiScope::OrgsWrite)?;
    let org = org_id(&id)?;
    let actor = actor_for(&p, org)?;
    let b: OrganizationPatch = parse_json(&read_body(body).await?)?;
    let expected = if_match(&headers)?;
    let changes = OrganizationChanges {
        name: b.name,
        require_mfa: b.require_mfa,
        password_min_length: b.password_min_length,
        password_max_length: b.password_max_length,
        brand_color: b.brand_color,
    };
    Ok(organization_response(state.core.change_organization(actor, org, changes, expected.as_deref(), &meta).await?))
}

/// A member of an organization.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberView {
    user_id: String,
    email: String,
    name: Option<String>,
    /// `member` or `guest`.
    kind: String,
    /// Their role (`owner`, `admin`, `member`, a custom role, …).
    role: String,
    /// The groups they are in.
    groups: Vec<String>,
    #[schema(format = DateTime)]
    joined_at: String,
}

impl From<Member> for MemberView {
    fn from(m: Member) -> Self {
        let kind = serde_json::to_value(m.kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        Self {
            user_id: m.user_id.to_string(),
            email: m.email,
            name: m.name,
            kind,
            role: m.role,
            groups: m.groups,
            joined_at: rfc3339(m.joined_at),
        }
    }
}

/// `GET /api/v1/organizations/{id}/members?search=…&cursor=…`: by address, 50 a page.
#[utoipa::path(get, path = "/api/v1/organizations/{id}/members", tag = "organizations", security(("token" = ["orgs:read"])),
    params(("id" = String, Path, description = "The organization's id"), Paging),
    responses(
        (status = 200, description = "A page of members", body = Page<MemberView>),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or the token's maker may not see members"),
        (status = 404, description = "No such organization"),
        (status = 422, description = "`invalid_input`: a bad cursor"),
    ))]
pub async fn list_members(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    Query(paging): Query<Paging>,
) -> Result<Json<Page<MemberView>>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::OrgsRead)?;
    let org = org_id(&id)?;
    let page = page_of(paging.cursor.as_deref())?;
    let search = paging.search.unwrap_or_default();
    let members = state.core.organization_members(actor_for(&p, org)?, org, &search, page).await?;
    let next_cursor = members.has_next.then(|| format!("p1.{}", page + 1));
    debug_assert!(members.members.len() as i64 <= MEMBERS_PER_PAGE);
    Ok(Json(Page { items: members.members.into_iter().map(Into::into).collect(), next_cursor }))
}

/// A membership to add or change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MembershipBody {
    /// The user (adding only).
    user_id: Option<String>,
    /// The role (`member` when adding without one).
    role: Option<String>,
}

/// `POST /api/v1/organizations/{id}/members`: adds an existing account directly (no
/// invitation); 201 with the membership.
#[utoipa::path(post, path = "/api/v1/organizations/{id}/members", tag = "organizations", security(("token" = ["orgs:write"])),
    params(("id" = String, Path, description = "The organization's id")),
    request_body = MembershipBody,
    responses(
        (status = 201, description = "Added", body = MemberView),
        (status = 400, description = "`invalid_json`"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or the token's maker may not grant the role"),
        (status = 404, description = "No such organization"),
        (status = 422, description = "`invalid_input`: an unknown user or role, already a member"),
    ))]
pub async fn add_member(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    ClientMeta(meta): ClientMeta,
    body: Body,
) -> Result<Response, WebError> {
    let p = caller.principal;
    p.require(ApiScope::OrgsWrite)?;
    let org = org_id(&id)?;
    let actor = actor_for(&p, org)?;
    let b: MembershipBody = parse_json(&read_body(body).await?)?;
    let user: UserId = match b.user_id.as_deref().map(str::trim) {
        Some(raw) => raw.parse().map_err(|_| Error::invalid("user_id", "invalid_id", "Give a user id."))?,
        None => return Err(WebError(Error::invalid("user_id", "required", "Give the user's id."))),
    };
    let role = b.role.unwrap_or_else(|| "member".to_owned());
    state.core.add_organization_member(actor, org, user, &role, &meta).await?;
    let member = member_of(&state, actor, org, user).await?;
    Ok((StatusCode::CREATED, Json(member)).into_response())
}

/// The member `user` of `org` as the list shows them.
async fn member_of(
    state: &AppState,
    actor: keystead_core::organizations::Actor,
    org: OrganizationId,
    user: UserId,
) -> Result<MemberView, Error> {
    let email = state.core.user_by_id(user).await?.email;
    let page = state.core.organization_members(actor, org, &email, 0).await?;
    page.members.into_iter().find(|m| m.user_id == user).map(Into::into).ok_or(Error::NotFound)
}

/// `PATCH /api/v1/organizations/{id}/members/{user}`: changes the role.
#[utoipa::path(patch, path = "/api/v1/organizations/{id}/members/{user}", tag = "organizations", security(("token" = ["orgs:write"])),
    params(("id" = String, Path, description = "The organization's id"), ("user" = String, Path, description = "The member's user id")),
    request_body = MembershipBody,
    responses(
        (status = 200, description = "Changed", body = MemberView),
        (status = 400, description = "`invalid_json`"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or the token's maker may not grant the role"),
        (status = 404, description = "No such organization or member"),
        (status = 422, description = "`invalid_input`: an unknown role, the last owner"),
    ))]
pub async fn change_member(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, user)): Path<(String, String)>,
    ClientMeta(meta): ClientMeta,
    body: Body,
) -> Result<Json<MemberView>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::OrgsWrite)?;
    let org = org_id(&id)?;
    let actor = actor_for(&p, org)?;
    let user: UserId = user.trim().parse().map_err(|_| Error::NotFound)?;
    let b: MembershipBody = parse_json(&read_body(body).await?)?;
    let mut errors = FieldErrors::new();
    if b.user_id.is_some() {
        errors.add("user_id", "not_changeable", "The user is in the path; only the role changes.");
    }
    let Some(role) = b.role else {
        errors.add("role", "required", "Give the new role.");
        return Err(WebError(Error::Invalid(errors)));
    };
    errors.into_result()?;
    state.core.change_member_role(actor, org, user, &role, &meta).await?;
    Ok(Json(member_of(&state, actor, org, user).await?))
}

/// `DELETE /api/v1/organizations/{id}/members/{user}`: removes the member (204).
#[utoipa::path(delete, path = "/api/v1/organizations/{id}/members/{user}", tag = "organizations", security(("token" = ["orgs:write"])),
    params(("id" = String, Path, description = "The organization's id"), ("user" = String, Path, description = "The member's user id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or the token's maker may not remove members"),
        (status = 404, description = "No such organization or member"),
        (status = 422, description = "`invalid_input`: the last owner"),
    ))]
pub async fn remove_member(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, user)): Path<(String, String)>,
    ClientMeta(meta): ClientMeta,
) -> Result<StatusCode, WebError> {
    let p = caller.principal;
    p.require(ApiScope::OrgsWrite)?;
    let org = org_id(&id)?;
    let user: UserId = user.trim().parse().map_err(|_| Error::NotFound)?;
    state.core.remove_member(actor_for(&p, org)?, org, user, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}
