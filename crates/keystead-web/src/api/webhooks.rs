//! The admin API's webhooks (`webhooks:read`, `webhooks:write`): an organization's token
//! manages its organization's endpoints, the operator's deployment token the deployment's.
//! Secrets are in the response to a create or a rotation only.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use keystead_core::Error;
use keystead_core::api_tokens::{ApiPrincipal, ApiScope};
use keystead_core::ids::{WebhookDeliveryId, WebhookEndpointId};
use keystead_core::organizations::Actor;
use keystead_core::webhooks::{Delivery, EVENT_TYPES, Endpoint, EndpointChanges, NewEndpoint};
use secrecy::{ExposeSecret as _, SecretString};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::admin::ApiCaller;
use super::rest::{idempotent, parse_json, read_body, with_location};
use super::users::rfc3339;
use crate::error::WebError;
use crate::extract::ClientMeta;
use crate::state::AppState;

/// An endpoint as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EndpointView {
    id: String,
    /// The organization it belongs to; absent for the deployment's.
    organization_id: Option<String>,
    url: String,
    description: String,
    /// Event types, or `*`.
    events: Vec<String>,
    enabled: bool,
    /// Why Keystead disabled it (deliveries failing for days).
    disabled_reason: Option<String>,
    #[schema(format = DateTime)]
    failing_since: Option<String>,
    /// Until when the previous secret also signs.
    #[schema(format = DateTime)]
    previous_secret_until: Option<String>,
    #[schema(format = DateTime)]
    created_at: String,
    /// The signing secret (`whsec_…`): only in the answer to a create or a rotation.
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<String>,
}

fn view(e: Endpoint, secret: Option<&SecretString>) -> EndpointView {
    EndpointView {
        id: e.id.to_string(),
        organization_id: e.organization.map(|o| o.to_string()),
        url: e.url,
        description: e.description,
        events: e.events,
        enabled: e.enabled,
        disabled_reason: e.disabled_reason,
        failing_since: e.failing_since.map(rfc3339),
        previous_secret_until: e.previous_secret_until.map(rfc3339),
        created_at: rfc3339(e.created_at),
        secret: secret.map(|s| s.expose_secret().to_owned()),
    }
}

/// One entry of the delivery log.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryView {
    id: String,
    endpoint_id: String,
    /// The `webhook-id` (the same on every attempt and resend).
    event_id: String,
    event_type: String,
    /// `pending`, `delivered` or `failed`.
    status: String,
    attempts: i32,
    response_status: Option<i32>,
    last_error: Option<String>,
    duration_ms: Option<i32>,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    delivered_at: Option<String>,
}

impl From<Delivery> for DeliveryView {
    fn from(d: Delivery) -> Self {
        Self {
            id: d.id.to_string(),
            endpoint_id: d.endpoint.to_string(),
            event_id: d.event_id,
            event_type: d.event_type,
            status: d.status,
            attempts: d.attempts,
            response_status: d.response_status,
            last_error: d.last_error,
            duration_ms: d.duration_ms,
            created_at: rfc3339(d.created_at),
            delivered_at: d.delivered_at.map(rfc3339),
        }
    }
}

/// The actor a token acts as, and the owner (its organization, or the deployment).
fn owner(p: &ApiPrincipal) -> Result<Actor, Error> {
    match p.organization {
        Some(org) => p.actor_in(org),
        None => p.deployment_actor(),
    }
}

fn endpoint_id(raw: &str) -> Result<WebhookEndpointId, Error> {
    raw.trim().parse().map_err(|_| Error::NotFound)
}

/// `GET /api/v1/webhooks`
#[utoipa::path(get, path = "/api/v1/webhooks", tag = "webhooks", security(("token" = ["webhooks:read"])),
    responses(
        (status = 200, description = "The token's organization's endpoints, or the deployment's", body = Vec<EndpointView>),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`"),
    ))]
pub async fn list_webhooks(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<Vec<EndpointView>>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::WebhooksRead)?;
    let list = state.core.webhook_endpoints(owner(&p)?, p.organization).await?;
    Ok(Json(list.into_iter().map(|e| view(e, None)).collect()))
}

/// A new endpoint.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEndpointBody {
    /// Where to POST events (https).
    url: String,
    /// What it is for.
    #[serde(default)]
    description: String,
    /// Event types (see `GET /api/v1/webhook-event-types`), or `["*"]`.
    events: Vec<String>,
}

/// `POST /api/v1/webhooks`: 201 with the secret, shown this once.
#[utoipa::path(post, path = "/api/v1/webhooks", tag = "webhooks", security(("token" = ["webhooks:write"])),
    request_body = NewEndpointBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 201, description = "Created; `secret` is shown this once", body = EndpointView),
        (status = 400, description = "`invalid_json`"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`"),
        (status = 409, description = "`idempotency_key_in_use`, or `idempotency_answer_lost` (a retry of a create whose answer was lost)"),
        (status = 422, description = "`invalid_input`: a URL that cannot receive webhooks, an unknown event type"),
    ))]
pub async fn create_webhook(
    State(state): State<AppState>,
    caller: ApiCaller,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let p = &caller.principal;
    p.require(ApiScope::WebhooksWrite)?;
    let actor = owner(p)?;
    let bytes = read_body(body).await?;
    let run = async {
        let b: NewEndpointBody = parse_json(&bytes)?;
        let new = NewEndpoint { url: b.url, description: b.description, events: b.events };
        let (e, secret) = state.core.create_webhook_endpoint(actor, p.organization, new, &meta).await?;
        let location = format!("/api/v1/webhooks/{}", e.id);
        Ok(with_location((StatusCode::CREATED, Json(view(e, Some(&secret)))).into_response(), &location))
    };
    idempotent(&state, &caller, &headers, ("POST", "/api/v1/webhooks", &bytes), run).await
}

/// `GET /api/v1/webhooks/{id}`
#[utoipa::path(get, path = "/api/v1/webhooks/{id}", tag = "webhooks", security(("token" = ["webhooks:read"])),
    params(("id" = String, Path, description = "The endpoint's id")),
    responses(
        (status = 200, description = "The endpoint", body = EndpointView),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`"),
        (status = 404, description = "No such endpoint of the token's organization (or the deployment)"),
    ))]
pub async fn show_webhook(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<EndpointView>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::WebhooksRead)?;
    Ok(Json(view(state.core.webhook_endpoint(owner(&p)?, endpoint_id(&id)?).await?, None)))
}

/// Changes: each field present is set.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndpointPatch {
    url: Option<String>,
    description: Option<String>,
    events: Option<Vec<String>>,
    /// `true` enables it again (forgetting its failures), `false` pauses it.
    enabled: Option<bool>,
}

/// `PATCH /api/v1/webhooks/{id}`
#[utoipa::path(patch, path = "/api/v1/webhooks/{id}", tag = "webhooks", security(("token" = ["webhooks:write"])),
    params(("id" = String, Path, description = "The endpoint's id")),
    request_body = EndpointPatch,
    responses(
        (status = 200, description = "Changed", body = EndpointView),
        (status = 400, description = "`invalid_json`"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`"),
        (status = 404, description = "No such endpoint"),
        (status = 422, description = "`invalid_input`"),
    ))]
pub async fn update_webhook(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    ClientMeta(meta): ClientMeta,
    body: Body,
) -> Result<Json<EndpointView>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::WebhooksWrite)?;
    let id = endpoint_id(&id)?;
    let b: EndpointPatch = parse_json(&read_body(body).await?)?;
    let changes = EndpointChanges { url: b.url, description: b.description, events: b.events, enabled: b.enabled };
    Ok(Json(view(state.core.update_webhook_endpoint(owner(&p)?, id, changes, &meta).await?, None)))
}

/// `DELETE /api/v1/webhooks/{id}`: 204; queued deliveries are dropped.
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "webhooks", security(("token" = ["webhooks:write"])),
    params(("id" = String, Path, description = "The endpoint's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`"),
        (status = 404, description = "No such endpoint"),
    ))]
pub async fn delete_webhook(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    ClientMeta(meta): ClientMeta,
) -> Result<StatusCode, WebError> {
    let p = caller.principal;
    p.require(ApiScope::WebhooksWrite)?;
    state.core.delete_webhook_endpoint(owner(&p)?, endpoint_id(&id)?, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/webhooks/{id}/rotate-secret`: a new secret (shown this once); the previous one
/// keeps signing for 24 hours.
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/rotate-secret", tag = "webhooks", security(("token" = ["webhooks:write"])),
    params(("id" = String, Path, description = "The endpoint's id")),
    responses(
        (status = 200, description = "Rotated; `secret` is the new one", body = EndpointView),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`"),
        (status = 404, description = "No such endpoint"),
    ))]
pub async fn rotate_webhook_secret(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    ClientMeta(meta): ClientMeta,
) -> Result<Json<EndpointView>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::WebhooksWrite)?;
    let (e, secret) = state.core.rotate_webhook_secret(owner(&p)?, endpoint_id(&id)?, &meta).await?;
    Ok(Json(view(e, Some(&secret))))
}

/// `POST /api/v1/webhooks/{id}/test`: queues a `webhook.test` event (202).
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/test", tag = "webhooks", security(("token" = ["webhooks:write"])),
    params(("id" = String, Path, description = "The endpoint's id")),
    responses(
        (status = 202, description = "Queued", body = DeliveryView),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`"),
        (status = 404, description = "No such endpoint"),
    ))]
pub async fn test_webhook(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<DeliveryView>), WebError> {
    let p = caller.principal;
    p.require(ApiScope::WebhooksWrite)?;
    let d = state.core.send_test_webhook(owner(&p)?, endpoint_id(&id)?).await?;
    Ok((StatusCode::ACCEPTED, Json(d.into())))
}

/// `GET /api/v1/webhooks/{id}/deliveries`: the newest 100.
#[utoipa::path(get, path = "/api/v1/webhooks/{id}/deliveries", tag = "webhooks", security(("token" = ["webhooks:read"])),
    params(("id" = String, Path, description = "The endpoint's id")),
    responses(
        (status = 200, description = "The delivery log, newest first", body = Vec<DeliveryView>),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`"),
        (status = 404, description = "No such endpoint"),
    ))]
pub async fn list_webhook_deliveries(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Vec<DeliveryView>>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::WebhooksRead)?;
    let log = state.core.webhook_deliveries(owner(&p)?, endpoint_id(&id)?, 100).await?;
    Ok(Json(log.into_iter().map(DeliveryView::from).collect()))
}

/// `POST /api/v1/webhook-deliveries/{id}/resend`: sends the event again (same `webhook-id`).
#[utoipa::path(post, path = "/api/v1/webhook-deliveries/{id}/resend", tag = "webhooks", security(("token" = ["webhooks:write"])),
    params(("id" = String, Path, description = "The delivery's id")),
    responses(
        (status = 202, description = "Queued as a new delivery", body = DeliveryView),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`"),
        (status = 404, description = "No such delivery"),
    ))]
pub async fn resend_webhook_delivery(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<DeliveryView>), WebError> {
    let p = caller.principal;
    p.require(ApiScope::WebhooksWrite)?;
    let id: WebhookDeliveryId = id.trim().parse().map_err(|_| Error::NotFound)?;
    let d = state.core.resend_webhook_delivery(owner(&p)?, id).await?;
    Ok((StatusCode::ACCEPTED, Json(d.into())))
}

/// An event type.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventTypeView {
    /// Its name (`user.created`).
    name: &'static str,
    /// What it means.
    description: &'static str,
}

/// `GET /api/v1/webhook-event-types`: every event type an endpoint may subscribe to.
#[utoipa::path(get, path = "/api/v1/webhook-event-types", tag = "webhooks", security(("token" = ["webhooks:read"])),
    responses(
        (status = 200, description = "The catalogue", body = Vec<EventTypeView>),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`"),
    ))]
pub async fn list_webhook_event_types(caller: ApiCaller) -> Result<Json<Vec<EventTypeView>>, WebError> {
    caller.principal.require(ApiScope::WebhooksRead)?;
    Ok(Json(EVENT_TYPES.iter().map(|(name, description)| EventTypeView { name, description }).collect()))
}
