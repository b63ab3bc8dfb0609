//! The admin API's seats (`licenses:read` to see who holds them, `licenses:write` to assign):
//! the operator's deployment token, or an organization's token whose maker holds
//! `licenses:assign` there — the same Core functions as the organization's Licenses page. A
//! seat is addressed by plan and member; the organization's current subscription of the plan
//! with a free seat provides it.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use keystead_core::Error;
use keystead_core::api_tokens::ApiScope;
use keystead_core::audit::RequestMeta;
use keystead_core::ids::{GroupId, OrganizationId, UserId};
use keystead_core::licensing::{GroupAssignment, SeatHolder};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::admin::ApiCaller;
use super::groups_roles::parse_id;
use super::rest::{parse_json, read_body};
use super::subscriptions_api::addressed;
use super::users::rfc3339;
use crate::error::WebError;
use crate::extract::ClientMeta;
use crate::state::AppState;

/// Someone holding a seat.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeatView {
    user_id: String,
    email: String,
    #[schema(format = DateTime)]
    assigned_at: String,
}

impl From<SeatHolder> for SeatView {
    fn from(h: SeatHolder) -> Self {
        Self { user_id: h.user.to_string(), email: h.email, assigned_at: rfc3339(h.assigned_at) }
    }
}

/// `GET /api/v1/organizations/{id}/subscriptions/{sub}/seats`: who holds its seats, by email.
#[utoipa::path(get, path = "/api/v1/organizations/{id}/subscriptions/{sub}/seats", tag = "licensing", security(("token" = ["licenses:read"])),
    params(("id" = String, Path, description = "The organization's id"), ("sub" = String, Path, description = "The subscription's id")),
    responses(
        (status = 200, description = "The seat holders", body = Vec<SeatView>),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or the token's maker may not assign licenses"),
        (status = 404, description = "No such subscription of this organization"),
    ))]
pub async fn list_seat_holders(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, sub)): Path<(String, String)>,
) -> Result<Json<Vec<SeatView>>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::LicensesRead)?;
    let (actor, s) = addressed(&state, &p, (&id, &sub)).await?;
    let holders = state.core.seat_holders(actor, s.id).await?;
    Ok(Json(holders.into_iter().map(Into::into).collect()))
}

/// `PUT /api/v1/organizations/{id}/plans/{plan}/seats/{user}`: gives the member a seat of the
/// plan (204; one already held is no change).
#[utoipa::path(put, path = "/api/v1/organizations/{id}/plans/{plan}/seats/{user}", tag = "licensing", security(("token" = ["licenses:write"])),
    params(("id" = String, Path, description = "The organization's id"), ("plan" = String, Path, description = "The plan's key"),
        ("user" = String, Path, description = "The member's user id")),
    responses(
        (status = 204, description = "The member holds a seat of the plan (newly assigned and emailed, or already)"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or the token's maker may not assign licenses"),
        (status = 404, description = "No such organization"),
        (status = 422, description = "`invalid_input`: an unknown plan, no current subscription of it, no free seat (`no_free_seat`, naming `plan`), not a member"),
    ))]
pub async fn assign_seat(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, plan, user)): Path<(String, String, String)>,
    ClientMeta(meta): ClientMeta,
) -> Result<StatusCode, WebError> {
    change_seat(&state, caller, (&id, &plan, &user), &meta, true).await
}

/// `DELETE /api/v1/organizations/{id}/plans/{plan}/seats/{user}`: takes the member's seat of
/// the plan back (204). Holding none is refused (422 `no_seat`), like the Licenses page.
#[utoipa::path(delete, path = "/api/v1/organizations/{id}/plans/{plan}/seats/{user}", tag = "licensing", security(("token" = ["licenses:write"])),
    params(("id" = String, Path, description = "The organization's id"), ("plan" = String, Path, description = "The plan's key"),
        ("user" = String, Path, description = "The member's user id")),
    responses(
        (status = 204, description = "The seat is free again"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or the token's maker may not assign licenses"),
        (status = 404, description = "No such organization"),
        (status = 422, description = "`invalid_input`: an unknown plan, the user holds no seat of it here (`no_seat`)"),
    ))]
pub async fn unassign_seat(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, plan, user)): Path<(String, String, String)>,
    ClientMeta(meta): ClientMeta,
) -> Result<StatusCode, WebError> {
    change_seat(&state, caller, (&id, &plan, &user), &meta, false).await
}

/// Gives (`assign`) or takes back a member's seat of a plan.
async fn change_seat(
    state: &AppState,
    caller: ApiCaller,
    (id, plan, user): (&str, &str, &str),
    meta: &RequestMeta,
    assign: bool,
) -> Result<StatusCode, WebError> {
    let p = caller.principal;
    p.require(ApiScope::LicensesWrite)?;
    let org: OrganizationId = parse_id(id)?;
    let actor = p.actor_in(org)?;
    let user: UserId = user.trim().parse().map_err(|_| Error::invalid("user", "invalid_id", "Give a user id."))?;
    if assign {
        state.core.ensure_seat(actor, org, plan, user, meta).await?;
    } else {
        state.core.unassign_seat(actor, org, plan, user, meta).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// A group whose members are to get seats.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupSeatsBody {
    /// The group's id (one of this organization's groups).
    group: String,
}

/// What assigning seats to a group did.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupSeatsView {
    /// The members given a seat, by email.
    assigned: Vec<String>,
    /// How many members held a seat already.
    already_held: u32,
    /// The members left without one because every seat was taken, by email.
    without_seat: Vec<String>,
}

impl From<GroupAssignment> for GroupSeatsView {
    fn from(g: GroupAssignment) -> Self {
        Self { assigned: g.assigned, already_held: g.already_held, without_seat: g.without_seat }
    }
}

/// `POST /api/v1/organizations/{id}/plans/{plan}/seats/group`: gives every member of a group
/// without a seat of the plan one, in the order they joined the group, while seats are free.
/// Repeating it changes nothing for those who hold one.
#[utoipa::path(post, path = "/api/v1/organizations/{id}/plans/{plan}/seats/group", tag = "licensing", security(("token" = ["licenses:write"])),
    params(("id" = String, Path, description = "The organization's id"), ("plan" = String, Path, description = "The plan's key")),
    request_body = GroupSeatsBody,
    responses(
        (status = 200, description = "Who got a seat, who held one, who is left without", body = GroupSeatsView),
        (status = 400, description = "`invalid_json`"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or the token's maker may not assign licenses"),
        (status = 404, description = "No such organization, or no such group in it"),
        (status = 422, description = "`invalid_input`: a group that is not an id, an unknown plan, no current subscription of it"),
    ))]
pub async fn assign_group_seats(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, plan)): Path<(String, String)>,
    ClientMeta(meta): ClientMeta,
    body: Body,
) -> Result<Json<GroupSeatsView>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::LicensesWrite)?;
    let org: OrganizationId = parse_id(&id)?;
    let actor = p.actor_in(org)?;
    let b: GroupSeatsBody = parse_json(&read_body(body).await?)?;
    let group: GroupId =
        b.group.trim().parse().map_err(|_| Error::invalid("group", "invalid_id", "Give a group id."))?;
    Ok(Json(state.core.assign_seats_to_group(actor, org, &plan, group, &meta).await?.into()))
}
