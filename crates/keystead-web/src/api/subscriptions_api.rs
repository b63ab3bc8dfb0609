//! The admin API's subscriptions of an organization (`licenses:read` to read, `licenses:write`
//! to change): the operator's deployment token creates, resizes and ends them; an
//! organization's token reads its own (its maker needs `licenses:assign` there) and any other
//! is not found. Each subscription carries its version as `ETag`; a resize honours `If-Match`.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use keystead_core::Error;
use keystead_core::api_tokens::{ApiPrincipal, ApiScope};
use keystead_core::ids::{OrganizationId, SubscriptionId};
use keystead_core::licensing::{NewSubscription, Subscription};
use keystead_core::organizations::Actor;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use utoipa::ToSchema;

use super::admin::ApiCaller;
use super::groups_roles::parse_id;
use super::rest::{etag, idempotent, if_match, parse_json, read_body, with_location};
use super::users::rfc3339;
use crate::error::WebError;
use crate::extract::ClientMeta;
use crate::state::AppState;

/// An organization's subscription to a plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionView {
    id: String,
    organization_id: String,
    /// The plan's key.
    plan: String,
    plan_name: String,
    product_name: String,
    /// Seats bought.
    seats: u32,
    /// Seats assigned.
    seats_used: u32,
    /// When it starts granting licenses.
    #[schema(format = DateTime)]
    starts_at: String,
    /// When it stops (absent: open-ended).
    #[schema(format = DateTime)]
    ends_at: Option<String>,
    /// When it was ended early.
    #[schema(format = DateTime)]
    ended_at: Option<String>,
    /// Whether it grants licenses now.
    live: bool,
    /// Its version (the `ETag` without quotes).
    version: String,
}

impl From<Subscription> for SubscriptionView {
    fn from(s: Subscription) -> Self {
        Self {
            id: s.id.to_string(),
            organization_id: s.organization.to_string(),
            plan: s.plan,
            plan_name: s.plan_name,
            product_name: s.product_name,
            seats: s.seats,
            seats_used: s.seats_used,
            starts_at: rfc3339(s.starts_at),
            ends_at: s.ends_at.map(rfc3339),
            ended_at: s.ended_at.map(rfc3339),
            live: s.live,
            version: s.version,
        }
    }
}

/// A subscription as a response: its JSON with its `ETag`.
fn subscription_response(status: StatusCode, s: Subscription) -> Response {
    let tag = etag(&s.version);
    let mut r = (status, Json(SubscriptionView::from(s))).into_response();
    r.headers_mut().insert(header::ETAG, tag);
    r
}

/// The actor for the organization a path names, and the subscription it names there (another
/// organization's is not found).
pub(super) async fn addressed(
    state: &AppState,
    p: &ApiPrincipal,
    (id, sub): (&str, &str),
) -> Result<(Actor, Subscription), Error> {
    let (org, sub): (OrganizationId, SubscriptionId) = (parse_id(id)?, parse_id(sub)?);
    let actor = p.actor_in(org)?;
    Ok((actor, state.core.subscription(actor, org, sub).await?))
}

/// `GET /api/v1/organizations/{id}/subscriptions`: oldest start first.
#[utoipa::path(get, path = "/api/v1/organizations/{id}/subscriptions", tag = "licensing", security(("token" = ["licenses:read"])),
    params(("id" = String, Path, description = "The organization's id")),
    responses(
        (status = 200, description = "The subscriptions", body = Vec<SubscriptionView>),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or the token's maker may not assign licenses"),
        (status = 404, description = "No such organization (for an organization's token: any other)"),
    ))]
pub async fn list_subscriptions(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Vec<SubscriptionView>>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::LicensesRead)?;
    let org: OrganizationId = parse_id(&id)?;
    let subscriptions = state.core.subscriptions(p.actor_in(org)?, org).await?;
    Ok(Json(subscriptions.into_iter().map(Into::into).collect()))
}

/// A new subscription.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSubscriptionBody {
    /// The plan's key.
    plan: String,
    /// Seats bought, 0 to 1 000 000.
    seats: i64,
    /// When it starts granting licenses (RFC 3339); now when absent.
    #[schema(format = DateTime)]
    starts_at: Option<String>,
    /// When it stops (RFC 3339, after the start); open-ended when absent.
    #[schema(format = DateTime)]
    ends_at: Option<String>,
}

/// An RFC 3339 time from a body, or `Invalid` naming `field`.
fn instant(field: &str, value: Option<&str>) -> Result<Option<OffsetDateTime>, Error> {
    value
        .map(|v| {
            OffsetDateTime::parse(v.trim(), &Rfc3339).map_err(|_| {
                Error::invalid(field, "invalid_date", "Give a time as RFC 3339, such as 2027-01-01T00:00:00Z.")
            })
        })
        .transpose()
}

/// `POST /api/v1/organizations/{id}/subscriptions` (deployment token): 201 with `Location`.
#[utoipa::path(post, path = "/api/v1/organizations/{id}/subscriptions", tag = "licensing", security(("token" = ["licenses:write"])),
    params(("id" = String, Path, description = "The organization's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    request_body = NewSubscriptionBody,
    responses(
        (status = 201, description = "Created, with its `ETag`", body = SubscriptionView),
        (status = 400, description = "`invalid_json`"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or `forbidden`: only the operator gives subscriptions"),
        (status = 404, description = "No such organization"),
        (status = 409, description = "`idempotency_key_in_use`, or `idempotency_answer_lost` (a retry of a create whose answer was lost)"),
        (status = 422, description = "`invalid_input`: an unknown plan, seats out of range, a bad time, an end before the start"),
    ))]
pub async fn create_subscription(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let p = &caller.principal;
    p.require(ApiScope::LicensesWrite)?;
    let org: OrganizationId = parse_id(&id)?;
    let actor = p.actor_in(org)?;
    let bytes = read_body(body).await?;
    let run = async {
        let b: NewSubscriptionBody = parse_json(&bytes)?;
        let starts_at = instant("starts_at", b.starts_at.as_deref())?;
        let ends_at = instant("ends_at", b.ends_at.as_deref())?;
        let new = NewSubscription { plan: &b.plan, seats: b.seats, starts_at, ends_at };
        let s = state.core.create_subscription(actor, org, new, &meta).await?;
        let location = format!("/api/v1/organizations/{org}/subscriptions/{}", s.id);
        Ok(with_location(subscription_response(StatusCode::CREATED, s), &location))
    };
    let path = format!("/api/v1/organizations/{org}/subscriptions");
    idempotent(&state, &caller, &headers, ("POST", &path, &bytes), run).await
}

/// `GET /api/v1/organizations/{id}/subscriptions/{sub}`
#[utoipa::path(get, path = "/api/v1/organizations/{id}/subscriptions/{sub}", tag = "licensing", security(("token" = ["licenses:read"])),
    params(("id" = String, Path, description = "The organization's id"), ("sub" = String, Path, description = "The subscription's id")),
    responses(
        (status = 200, description = "The subscription, with its `ETag`", body = SubscriptionView),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or the token's maker may not assign licenses"),
        (status = 404, description = "No such subscription of this organization"),
    ))]
pub async fn show_subscription(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, sub)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let p = caller.principal;
    p.require(ApiScope::LicensesRead)?;
    let (_, s) = addressed(&state, &p, (&id, &sub)).await?;
    Ok(subscription_response(StatusCode::OK, s))
}

/// A change of a subscription.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionPatch {
    /// The new number of seats, 0 to 1 000 000, not below the seats in use.
    seats: i64,
}

/// `PATCH /api/v1/organizations/{id}/subscriptions/{sub}` (deployment token): changes the
/// number of seats. `If-Match` (optional) makes it conditional on the version read.
#[utoipa::path(patch, path = "/api/v1/organizations/{id}/subscriptions/{sub}", tag = "licensing", security(("token" = ["licenses:write"])),
    params(("id" = String, Path, description = "The organization's id"), ("sub" = String, Path, description = "The subscription's id"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` read; the change is refused if the subscription changed since")),
    request_body = SubscriptionPatch,
    responses(
        (status = 200, description = "Changed; the new `ETag`", body = SubscriptionView),
        (status = 400, description = "`invalid_json`, or `malformed_request`: an `If-Match` that is not one strong tag"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or `forbidden`: only the operator changes subscriptions"),
        (status = 404, description = "No such subscription of this organization"),
        (status = 412, description = "`precondition_failed`: the subscription changed since the `If-Match` version"),
        (status = 422, description = "`invalid_input`: seats out of range or below the seats in use (`below_seats_in_use`)"),
    ))]
pub async fn update_subscription(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, sub)): Path<(String, String)>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let p = caller.principal;
    p.require(ApiScope::LicensesWrite)?;
    // The body first: a request that is not a valid change is 400 whatever its preconditions.
    let patch: SubscriptionPatch = parse_json(&read_body(body).await?)?;
    let expected = if_match(&headers)?;
    let (actor, s) = addressed(&state, &p, (&id, &sub)).await?;
    let changed = state.core.set_subscription_seats(actor, s.id, patch.seats, expected.as_deref(), &meta).await?;
    Ok(subscription_response(StatusCode::OK, changed))
}

/// `POST /api/v1/organizations/{id}/subscriptions/{sub}/end` (deployment token): ends it now;
/// its seats grant nothing from then on.
#[utoipa::path(post, path = "/api/v1/organizations/{id}/subscriptions/{sub}/end", tag = "licensing", security(("token" = ["licenses:write"])),
    params(("id" = String, Path, description = "The organization's id"), ("sub" = String, Path, description = "The subscription's id")),
    responses(
        (status = 200, description = "Ended; the new `ETag`", body = SubscriptionView),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or `forbidden`: only the operator ends subscriptions"),
        (status = 404, description = "No such subscription of this organization"),
        (status = 422, description = "`invalid_input`: it has already ended (`already_ended`)"),
    ))]
pub async fn end_subscription(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, sub)): Path<(String, String)>,
    ClientMeta(meta): ClientMeta,
) -> Result<Response, WebError> {
    let p = caller.principal;
    p.require(ApiScope::LicensesWrite)?;
    let (actor, s) = addressed(&state, &p, (&id, &sub)).await?;
    let ended = state.core.end_subscription(actor, s.id, &meta).await?;
    Ok(subscription_response(StatusCode::OK, ended))
}
