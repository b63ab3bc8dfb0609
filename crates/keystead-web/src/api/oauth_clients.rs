//! The admin API's OAuth clients (deployment token, or a client acting for itself): list, register
//! (the secret in the answer, this once), read with an `ETag`, change with `If-Match`, give a new
//! secret (optionally keeping the old one working for a while), delete — the same Core functions
//! as `keystead admin client`, with the same validation.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use keystead_core::Error;
use keystead_core::api_tokens::ApiScope;
use keystead_core::oauth::{Client, ClientChanges, ClientKind, CreatedClient, NewClient};
use secrecy::ExposeSecret as _;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::admin::ApiCaller;
use super::rest::{etag, idempotent, if_match, not_modified, parse_json, read_body, with_location};
use super::users::rfc3339;
use crate::error::WebError;
use crate::extract::ClientMeta;
use crate::state::AppState;

/// A registered client.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientView {
    client_id: String,
    /// Shown on the consent screen.
    name: String,
    /// `public` or `confidential`.
    kind: &'static str,
    /// A first-party application skips the consent screen.
    first_party: bool,
    redirect_uris: Vec<String>,
    post_logout_redirect_uris: Vec<String>,
    /// `authorization_code`, `refresh_token`, `client_credentials`,
    /// `urn:ietf:params:oauth:grant-type:device_code`.
    grant_types: Vec<&'static str>,
    backchannel_logout_uri: Option<String>,
    /// `RS256`, `ES256` or `EdDSA`.
    id_token_signed_response_alg: &'static str,
    /// Admin API scopes its client credentials tokens may carry.
    api_scopes: Vec<&'static str>,
    /// Authorization requests must be pushed first to `/oauth/par` (RFC 9126 §6).
    require_pushed_authorization_requests: bool,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    updated_at: Option<String>,
    /// Until when the secret before the last rotation still works.
    #[schema(format = DateTime)]
    previous_secret_expires_at: Option<String>,
    /// The secret: only in the answer that made it (registration, rotation).
    #[serde(skip_serializing_if = "Option::is_none")]
    client_secret: Option<String>,
}

impl From<Client> for ClientView {
    fn from(c: Client) -> Self {
        Self {
            kind: c.kind.as_str(),
            grant_types: c.grant_types.iter().map(|g| g.as_str()).collect(),
            id_token_signed_response_alg: c.id_token_alg.as_str(),
            api_scopes: c.api_scopes.iter().map(|s| s.as_str()).collect(),
            created_at: rfc3339(c.created_at),
            updated_at: c.updated_at.map(rfc3339),
            previous_secret_expires_at: c.previous_secret_expires_at.map(rfc3339),
            client_id: c.client_id,
            name: c.name,
            first_party: c.first_party,
            require_pushed_authorization_requests: c.require_pushed_authorization_requests,
            redirect_uris: c.redirect_uris,
            post_logout_redirect_uris: c.post_logout_redirect_uris,
            backchannel_logout_uri: c.backchannel_logout_uri,
            client_secret: None,
        }
    }
}

/// The answer for one client, with its `ETag` (never cached: it may carry a secret).
fn client_response(status: StatusCode, created: CreatedClient) -> Response {
    let tag = etag(&created.client.version());
    let mut view = ClientView::from(created.client);
    view.client_secret = created.secret.map(|s| s.expose_secret().to_owned());
    let mut r = (status, Json(view)).into_response();
    r.headers_mut().insert(header::ETAG, tag);
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// `GET /api/v1/oauth-clients`: every registered client, oldest first.
#[utoipa::path(get, path = "/api/v1/oauth-clients", tag = "oauth-clients", security(("token" = ["clients:read"])),
    responses(
        (status = 200, description = "The clients", body = Vec<ClientView>),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or `forbidden` for an organization's token"),
    ))]
pub async fn list_clients(State(state): State<AppState>, caller: ApiCaller) -> Result<Json<Vec<ClientView>>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::ClientsRead)?;
    p.deployment_actor()?;
    Ok(Json(state.core.oauth_clients().await?.into_iter().map(ClientView::from).collect()))
}

/// A client to register.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewClientBody {
    name: String,
    /// `public` (PKCE, no secret: desktop, mobile, browser apps) or `confidential` (a server).
    kind: String,
    #[serde(default)]
    first_party: bool,
    #[serde(default)]
    redirect_uris: Vec<String>,
    /// Empty: `authorization_code` and `refresh_token`.
    #[serde(default)]
    grant_types: Vec<String>,
    #[serde(default)]
    post_logout_redirect_uris: Vec<String>,
    backchannel_logout_uri: Option<String>,
    /// `RS256` (default), `ES256` or `EdDSA`.
    id_token_signed_response_alg: Option<String>,
    /// Admin API scopes for its client credentials tokens (a confidential client with the
    /// `client_credentials` grant).
    #[serde(default)]
    api_scopes: Vec<String>,
    /// Refuse authorization requests not pushed first to `/oauth/par` (RFC 9126 §6).
    #[serde(default)]
    require_pushed_authorization_requests: bool,
}

fn client_kind(kind: &str) -> Result<ClientKind, WebError> {
    match kind {
        "public" => Ok(ClientKind::Public),
        "confidential" => Ok(ClientKind::Confidential),
        _ => Err(WebError(Error::invalid("kind", "invalid_kind", "Choose public or confidential."))),
    }
}

/// `POST /api/v1/oauth-clients`: registers a client (201; a confidential client's
/// `client_secret` is in this answer only).
#[utoipa::path(post, path = "/api/v1/oauth-clients", tag = "oauth-clients", security(("token" = ["clients:write"])),
    request_body = NewClientBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 201, description = "Registered", body = ClientView),
        (status = 400, description = "`invalid_json`, or a malformed `Idempotency-Key`"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or `forbidden` for an organization's token"),
        (status = 409, description = "`idempotency_key_in_use`, or `idempotency_answer_lost` (a retry of a create whose answer was lost)"),
        (status = 422, description = "`invalid_input` naming the field, or `idempotency_key_reused`"),
    ))]
pub async fn create_client(
    State(state): State<AppState>,
    caller: ApiCaller,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let p = &caller.principal;
    p.require(ApiScope::ClientsWrite)?;
    let actor = p.deployment_actor()?;
    let bytes = read_body(body).await?;
    let run = async {
        let b: NewClientBody = parse_json(&bytes)?;
        let new = NewClient {
            kind: client_kind(&b.kind)?,
            name: b.name,
            first_party: b.first_party,
            redirect_uris: b.redirect_uris,
            grant_types: b.grant_types,
            post_logout_redirect_uris: b.post_logout_redirect_uris,
            backchannel_logout_uri: b.backchannel_logout_uri,
            id_token_alg: b.id_token_signed_response_alg,
            api_scopes: b.api_scopes,
            require_pushed_authorization_requests: b.require_pushed_authorization_requests,
        };
        let created = state.core.create_oauth_client(actor, new, &meta).await?;
        let location = format!("/api/v1/oauth-clients/{}", created.client.client_id);
        Ok(with_location(client_response(StatusCode::CREATED, created), &location))
    };
    idempotent(&state, &caller, &headers, ("POST", "/api/v1/oauth-clients", &bytes), run).await
}

/// `GET /api/v1/oauth-clients/{client_id}` (304 for a current `If-None-Match`).
#[utoipa::path(get, path = "/api/v1/oauth-clients/{client_id}", tag = "oauth-clients", security(("token" = ["clients:read"])),
    params(("client_id" = String, Path, description = "The client's client_id")),
    responses(
        (status = 200, description = "The client", body = ClientView),
        (status = 304, description = "Not modified"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or `forbidden` for an organization's token"),
        (status = 404, description = "No such client"),
    ))]
pub async fn show_client(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(client_id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let p = caller.principal;
    p.require(ApiScope::ClientsRead)?;
    p.deployment_actor()?;
    let client = state.core.oauth_client(&client_id).await?;
    if not_modified(&headers, &client.version()) {
        let mut r = StatusCode::NOT_MODIFIED.into_response();
        r.headers_mut().insert(header::ETAG, etag(&client.version()));
        return Ok(r);
    }
    Ok(client_response(StatusCode::OK, CreatedClient { client, secret: None }))
}

/// Changes: each field present replaces the registered one (`backchannel_logout_uri: null`
/// removes it). The kind cannot change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientPatch {
    name: Option<String>,
    first_party: Option<bool>,
    redirect_uris: Option<Vec<String>>,
    grant_types: Option<Vec<String>>,
    post_logout_redirect_uris: Option<Vec<String>>,
    #[serde(default, with = "super::rest::patch")]
    #[schema(value_type = Option<String>)]
    backchannel_logout_uri: Option<Option<String>>,
    id_token_signed_response_alg: Option<String>,
    api_scopes: Option<Vec<String>>,
    require_pushed_authorization_requests: Option<bool>,
}

/// `PATCH /api/v1/oauth-clients/{client_id}` (with `If-Match`: 412 when it changed since).
#[utoipa::path(patch, path = "/api/v1/oauth-clients/{client_id}", tag = "oauth-clients", security(("token" = ["clients:write"])),
    params(
        ("client_id" = String, Path, description = "The client's client_id"),
        ("If-Match" = Option<String>, Header, description = "The ETag read: refuse the change if the client changed since"),
    ),
    request_body = ClientPatch,
    responses(
        (status = 200, description = "Changed", body = ClientView),
        (status = 400, description = "`invalid_json`, or `malformed_request` for a malformed If-Match"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or `forbidden` for an organization's token"),
        (status = 404, description = "No such client"),
        (status = 412, description = "`precondition_failed`: the client changed since it was read"),
        (status = 422, description = "`invalid_input` naming the field"),
    ))]
pub async fn update_client(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(client_id): Path<String>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let p = caller.principal;
    p.require(ApiScope::ClientsWrite)?;
    let actor = p.deployment_actor()?;
    let b: ClientPatch = parse_json(&read_body(body).await?)?;
    let expected = if_match(&headers)?;
    let changes = ClientChanges {
        name: b.name,
        first_party: b.first_party,
        redirect_uris: b.redirect_uris,
        grant_types: b.grant_types,
        post_logout_redirect_uris: b.post_logout_redirect_uris,
        backchannel_logout_uri: b.backchannel_logout_uri,
        id_token_alg: b.id_token_signed_response_alg,
        api_scopes: b.api_scopes,
        require_pushed_authorization_requests: b.require_pushed_authorization_requests,
    };
    let client = state.core.update_oauth_client(actor, &client_id, changes, expected.as_deref(), &meta).await?;
    Ok(client_response(StatusCode::OK, CreatedClient { client, secret: None }))
}

/// `DELETE /api/v1/oauth-clients/{client_id}`: 204; its consents, grants and tokens go with it.
#[utoipa::path(delete, path = "/api/v1/oauth-clients/{client_id}", tag = "oauth-clients", security(("token" = ["clients:write"])),
    params(("client_id" = String, Path, description = "The client's client_id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or `forbidden` for an organization's token"),
        (status = 404, description = "No such client"),
    ))]
pub async fn delete_client(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(client_id): Path<String>,
    ClientMeta(meta): ClientMeta,
) -> Result<StatusCode, WebError> {
    let p = caller.principal;
    p.require(ApiScope::ClientsWrite)?;
    state.core.delete_oauth_client(p.deployment_actor()?, &client_id, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// How long the old secret keeps working.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RotateSecretBody {
    /// Hours (0 to 168) the old secret keeps working, so the service can switch over; 0 (the
    /// default) ends it now — what to do after a leak.
    #[serde(default)]
    keep_previous_hours: u32,
}

/// `POST /api/v1/oauth-clients/{client_id}/secret`: a new secret for a confidential client,
/// in this answer only.
#[utoipa::path(post, path = "/api/v1/oauth-clients/{client_id}/secret", tag = "oauth-clients", security(("token" = ["clients:write"])),
    params(("client_id" = String, Path, description = "The client's client_id")),
    request_body(content = Option<RotateSecretBody>, description = "Optional: keep the old secret for a while"),
    responses(
        (status = 200, description = "The client with its new `client_secret`", body = ClientView),
        (status = 400, description = "`invalid_json`"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or `forbidden` for an organization's token"),
        (status = 404, description = "No such client"),
        (status = 422, description = "`invalid_input`: a public client, or more than 168 hours"),
    ))]
pub async fn rotate_client_secret(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(client_id): Path<String>,
    ClientMeta(meta): ClientMeta,
    body: Body,
) -> Result<Response, WebError> {
    let p = caller.principal;
    p.require(ApiScope::ClientsWrite)?;
    let actor = p.deployment_actor()?;
    let bytes = read_body(body).await?;
    let b: RotateSecretBody =
        if bytes.iter().all(u8::is_ascii_whitespace) { Default::default() } else { parse_json(&bytes)? };
    let hours = i64::from(b.keep_previous_hours);
    if hours > 168 {
        let why = "Keep the old secret 0 to 168 hours (7 days).";
        return Err(WebError(Error::invalid("keep_previous_hours", "out_of_range", why)));
    }
    let keep = time::Duration::hours(hours);
    let created = state.core.rotate_oauth_client_secret(actor, &client_id, keep, &meta).await?;
    Ok(client_response(StatusCode::OK, created))
}
