//! `/api/v1/me/…` for desktop and web apps holding a token with the `licenses` scope: the
//! entitlements, offline license tokens bound to a machine, and the briefcase.
//!
//! Which organization `GET /api/v1/me/licenses` describes: by default the session's active
//! organization (the one the `licenses` claim describes); `?organization=<id>` picks one of
//! the user's organizations (an organization where they hold nothing answers an empty list, so
//! nothing is learnt about others), `?organization=all` merges every organization's licenses.

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use keystead_core::ids::{MachineId, OrganizationId};
use keystead_core::licensing::briefcase_too_large;
use keystead_core::{Code, Error};

use super::{BearerUser, LicensesScope};
use crate::error::WebError;
use crate::extract::ClientMeta;
use crate::state::AppState;

/// Where briefcases live (the body limit of their `PUT` is the briefcase limit, not the
/// server's default).
pub const BRIEFCASE_PATH_PREFIX: &str = "/api/v1/me/briefcase/";

type Caller = BearerUser<LicensesScope>;

fn no_store(mut r: Response) -> Response {
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The query of `GET /api/v1/me/licenses`.
#[derive(Debug, serde::Deserialize)]
pub struct LicensesQuery {
    /// An organization id, or `all`.
    organization: Option<String>,
}

/// `GET /api/v1/me/licenses`: the entitlements (see the module documentation for which
/// organization).
#[utoipa::path(
    get,
    path = "/api/v1/me/licenses",
    tag = "licenses",
    security(("oauth" = ["licenses"])),
    params(("organization" = Option<String>, Query, description = "An organization id, or `all`; by default the session's active organization")),
    responses(
        (status = 200, description = "The user's entitlements: products, extensions, downloads, landing", content_type = "application/json"),
        (status = 400, description = "`malformed_request`: a query that cannot be read"),
        (status = 422, description = "`invalid_input`: `organization` is neither an organization id nor `all`"),
        (status = 401, description = "No valid access token"),
        (status = 403, description = "`insufficient_scope`: the token lacks `licenses`"),
    )
)]
pub async fn show_my_licenses(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<LicensesQuery>,
) -> Result<Response, WebError> {
    let entitlements = match q.organization.as_deref().map(str::trim) {
        None | Some("") => state.core.active_entitlements(caller.user, caller.session).await?,
        Some("all") => state.core.entitlements_of(caller.user, None).await?,
        Some(id) => {
            let org: OrganizationId = id.parse().map_err(|_| {
                Error::invalid("organization", "invalid_organization", "Give an organization id, or all.")
            })?;
            state.core.entitlements_of(caller.user, Some(org)).await?
        }
    };
    Ok(no_store(axum::Json(entitlements).into_response()))
}

/// The body of `POST /api/v1/me/license-token`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct TokenRequest {
    product: String,
    fingerprint: String,
    machine_name: String,
}

/// Reads a JSON body, or `invalid_json` saying what is wrong.
fn read_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, WebError> {
    serde_json::from_slice(body)
        .map_err(|e| WebError(Error::refused(Code::InvalidJson, format!("The body is not the JSON expected: {e}."))))
}

/// `POST /api/v1/me/license-token` with `{"product", "fingerprint", "machine_name"}`:
/// activates the machine and answers `{"token", "expires_at"}`; 409 `machine_limit` when the
/// license's machines are all activated, 404 without a license of the product.
#[utoipa::path(
    post,
    path = "/api/v1/me/license-token",
    tag = "licenses",
    security(("oauth" = ["licenses"])),
    request_body(content = TokenRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "`{\"token\", \"expires_at\"}`: an offline license token bound to the machine", content_type = "application/json"),
        (status = 400, description = "`invalid_json`"),
        (status = 422, description = "`invalid_input` naming the field: an empty fingerprint or machine name, an unknown product"),
        (status = 401, description = "No valid access token"),
        (status = 404, description = "No license of the product"),
        (status = 409, description = "`machine_limit`: every machine the license allows is activated"),
    )
)]
pub async fn issue_license_token(
    State(state): State<AppState>,
    caller: Caller,
    ClientMeta(meta): ClientMeta,
    body: Bytes,
) -> Result<Response, WebError> {
    let req: TokenRequest = read_json(&body)?;
    let token =
        state.core.offline_license_token(caller.user, &req.product, &req.fingerprint, &req.machine_name, &meta).await?;
    Ok(no_store(axum::Json(token).into_response()))
}

fn etag(version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or_else(|_| HeaderValue::from_static("\"0\""))
}

/// `GET /api/v1/me/briefcase/{product}`: the document with `ETag: "<version>"` (304 for a
/// matching `If-None-Match`); 404 when none is stored or without a license of the product.
#[utoipa::path(
    get,
    path = "/api/v1/me/briefcase/{product}",
    tag = "licenses",
    security(("oauth" = ["licenses"])),
    params(("product" = String, Path, description = "The product's key")),
    responses(
        (status = 200, description = "The stored JSON document, with its `ETag`", content_type = "application/json"),
        (status = 304, description = "Unchanged since the `If-None-Match` version"),
        (status = 401, description = "No valid access token"),
        (status = 404, description = "None stored, or no license of the product"),
    )
)]
pub async fn show_my_briefcase(
    State(state): State<AppState>,
    caller: Caller,
    Path(product): Path<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let briefcase = state.core.briefcase(caller.user, &product).await?.ok_or(Error::NotFound)?;
    let tag = etag(briefcase.version);
    let cached = headers.get(header::IF_NONE_MATCH).is_some_and(|v| v.as_bytes() == tag.as_bytes());
    let mut r = if cached {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], briefcase.body).into_response()
    };
    r.headers_mut().insert(header::ETAG, tag);
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    Ok(r)
}

/// The version an `If-Match` header names: none without the header; `precondition_failed`
/// for anything but one strong ETag of this API (`"3"`; `*` and lists are not accepted).
fn if_match(headers: &HeaderMap) -> Result<Option<i64>, WebError> {
    let Some(value) = headers.get(header::IF_MATCH) else { return Ok(None) };
    let parsed = value
        .to_str()
        .ok()
        .map(str::trim)
        .and_then(|v| v.strip_prefix('"'))
        .and_then(|v| v.strip_suffix('"'))
        .and_then(|v| v.parse::<i64>().ok());
    match parsed {
        Some(v) => Ok(Some(v)),
        None => Err(WebError(Error::refused(
            Code::PreconditionFailed,
            "If-Match must be the ETag of the version you read, such as \"3\".",
        ))),
    }
}

/// `PUT /api/v1/me/briefcase/{product}` with a JSON object: 201 when created (without
/// `If-Match`), 200 when replaced (with the `If-Match` of the version read), each with the new
/// `ETag`. 412 `precondition_failed` for a stale version, 428 `precondition_required` to
/// replace without one, 413 `too_large`, 400 `invalid_json`.
#[utoipa::path(
    put,
    path = "/api/v1/me/briefcase/{product}",
    tag = "licenses",
    security(("oauth" = ["licenses"])),
    params(("product" = String, Path, description = "The product's key")),
    request_body(content = serde_json::Value, content_type = "application/json", description = "Any JSON object up to `licenses.briefcase_max_kib`"),
    responses(
        (status = 200, description = "Replaced: `{\"version\", \"size\"}` and the new `ETag`", content_type = "application/json"),
        (status = 201, description = "Created: `{\"version\", \"size\"}` and the `ETag`", content_type = "application/json"),
        (status = 400, description = "`invalid_json`"),
        (status = 401, description = "No valid access token"),
        (status = 412, description = "`precondition_failed`: `If-Match` names an older version"),
        (status = 413, description = "`too_large`"),
        (status = 428, description = "`precondition_required`: replacing needs `If-Match`"),
    )
)]
pub async fn replace_my_briefcase(
    State(state): State<AppState>,
    caller: Caller,
    Path(product): Path<String>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let max = state.core.config().licenses.briefcase_max_bytes;
    let expected = if_match(&headers)?;
    // Read at most the limit: a larger body is refused without being held in memory.
    let bytes = match http_body_util::Limited::new(body, max).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) if e.downcast_ref::<http_body_util::LengthLimitError>().is_some() => {
            return Err(WebError(briefcase_too_large(max)));
        }
        Err(_) => return Err(WebError(Error::Conflict(Code::MalformedRequest))),
    };
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| WebError(Error::refused(Code::InvalidJson, "The briefcase must be UTF-8 JSON.")))?;
    let briefcase = state.core.put_briefcase(caller.user, &product, text, expected, &meta).await?;
    let status = if briefcase.version == 1 { StatusCode::CREATED } else { StatusCode::OK };
    let body = serde_json::json!({"version": briefcase.version, "size": briefcase.size});
    let mut r = (status, axum::Json(body)).into_response();
    r.headers_mut().insert(header::ETAG, etag(briefcase.version));
    Ok(r)
}

/// `DELETE /api/v1/me/machines/{id}`: deactivates one of the user's machines (204); 404 for
/// one that is not theirs.
#[utoipa::path(
    delete,
    path = "/api/v1/me/machines/{id}",
    tag = "licenses",
    security(("oauth" = ["licenses"])),
    params(("id" = String, Path, description = "The machine's id")),
    responses(
        (status = 204, description = "Deactivated"),
        (status = 401, description = "No valid access token"),
        (status = 404, description = "Not one of the user's machines"),
    )
)]
pub async fn deactivate_my_machine(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ClientMeta(meta): ClientMeta,
) -> Result<Response, WebError> {
    let id: MachineId = id.parse().map_err(|_| Error::NotFound)?;
    state.core.deactivate_machine(caller.user, id, &meta).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
