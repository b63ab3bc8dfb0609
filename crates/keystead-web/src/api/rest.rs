//! The admin API's HTTP conventions, shared by its resources: JSON bodies read within a limit
//! and refused with a problem document that says what is wrong; strong `ETag`s from a record's
//! version with `If-Match` / `If-None-Match`; idempotent creates (`Idempotency-Key`).

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use keystead_core::api_tokens::idempotency::{Idempotency, request_fingerprint};
use keystead_core::{Code, Error};
use serde::de::DeserializeOwned;

use super::admin::ApiCaller;
use crate::error::{ErrorInfo, WebError};
use crate::middleware::error_pages::problem_document;
use crate::state::AppState;

/// The largest JSON body the admin API reads.
pub const MAX_BODY: usize = 256 * 1024;
/// Marks a response replayed for a repeated `Idempotency-Key`.
const REPLAYED: &str = "idempotent-replayed";

/// The request body, at most [`MAX_BODY`] bytes (413 `too_large` beyond, without holding it).
pub async fn read_body(body: Body) -> Result<Bytes, WebError> {
    match http_body_util::Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.downcast_ref::<http_body_util::LengthLimitError>().is_some() => {
            Err(WebError(Error::refused(Code::TooLarge, format!("The body is larger than {} KiB.", MAX_BODY / 1024))))
        }
        Err(_) => Err(WebError(Error::Conflict(Code::MalformedRequest))),
    }
}

/// Parses a JSON body into `T`; 400 `invalid_json` naming the problem (an unknown or
/// missing field, a wrong type, and where) otherwise.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, WebError> {
    serde_json::from_slice(bytes).map_err(|e| {
        let what = if e.is_syntax() || e.is_eof() { "The body is not valid JSON" } else { "The body does not fit" };
        WebError(Error::refused(Code::InvalidJson, format!("{what}: {e}.")))
    })
}

/// `response` with `Location: location` (a create's answer).
pub fn with_location(mut response: Response, location: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    response
}

/// A record version as a strong entity tag (`"…"`).
pub fn etag(version: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or_else(|_| HeaderValue::from_static("\"\""))
}

/// The version an `If-Match` header names: `None` without the header; `*` matches any version
/// (also `None`); anything but one strong tag is a malformed request (400: it names no version
/// at all, unlike a stale tag, which the caller learns of as 412 when it is compared).
pub fn if_match(headers: &HeaderMap) -> Result<Option<String>, WebError> {
    let Some(value) = headers.get(header::IF_MATCH) else { return Ok(None) };
    let value = value.to_str().map(str::trim).unwrap_or_default();
    if value == "*" {
        return Ok(None);
    }
    match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(v) if !v.is_empty() && !v.contains('"') => Ok(Some(v.to_owned())),
        _ => Err(WebError(Error::refused(
            Code::MalformedRequest,
            "If-Match must be the ETag you read (one strong tag in double quotes).",
        ))),
    }
}

/// True when `If-None-Match` names `version` (the caller's copy is current: answer 304).
pub fn not_modified(headers: &HeaderMap, version: &str) -> bool {
    let tag = format!("\"{version}\"");
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim().trim_start_matches("W/") == tag || t.trim() == "*"))
}

/// Runs a create once per `Idempotency-Key` of the caller: without the header it just runs; with it, the
/// first request runs and its answer (success or client error, with its `Location` and
/// `ETag`) is replayed to every retry for 24 hours, marked `Idempotent-Replayed: true`. An
/// answer a retry could change (a server error, overload, a rate limit) is not remembered.
pub async fn idempotent<F>(
    state: &AppState,
    caller: &ApiCaller,
    headers: &HeaderMap,
    (method, path, body): (&str, &str, &[u8]),
    run: F,
) -> Result<Response, WebError>
where
    F: Future<Output = Result<Response, WebError>>,
{
    let Some(key) = headers.get("idempotency-key") else { return Ok(run.await.into_response()) };
    let key = key.to_str().unwrap_or("\u{0}").trim().to_owned();
    let (token, request_id) = (caller.principal.credential.id(), caller.request_id.as_str());
    let fingerprint = request_fingerprint(method, path, body);
    match state.core.idempotency_begin(token, &key, &fingerprint).await? {
        Idempotency::Replay { status, body } => return Ok(replay(status, &body)),
        Idempotency::Proceed => {}
    }
    let response = state.core.within_idempotency_claim(token, &key, run).await.into_response();
    let status = response.status();
    let remember = status.is_success()
        || (status.is_client_error() && !matches!(status, StatusCode::TOO_MANY_REQUESTS | StatusCode::CONFLICT));
    if !remember {
        state.core.idempotency_release(token, &key).await?;
        return Ok(response);
    }
    let (mut parts, body) = response.into_parts();
    let mut bytes = body.collect().await.map(http_body_util::Collected::to_bytes).unwrap_or_default();
    // An error is rendered here (as the error middleware would) so that its replay is the same.
    if let Some(info) = parts.extensions.remove::<ErrorInfo>() {
        bytes = Bytes::from(problem_document(status, &info, request_id).to_string());
        parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        parts.headers.remove(header::CONTENT_LENGTH);
    }
    let kept = |name: header::HeaderName| parts.headers.get(&name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let stored = serde_json::json!({
        "location": kept(header::LOCATION),
        "etag": kept(header::ETAG),
        "content_type": kept(header::CONTENT_TYPE),
        "body": String::from_utf8_lossy(&bytes),
    });
    store_answer(state, (token, &key), status.as_u16(), &stored.to_string()).await;
    Ok(Response::from_parts(parts, Body::from(bytes)))
}

/// Stores the answer for retries, trying again briefly if the database is away for a moment.
/// The change itself is done: its answer goes back even if storing fails (an error would make the
/// client retry it). A retry then finds the claim unanswered — refused while it is recent, run
/// again once it is abandoned (a minute) — the one window where a create can happen twice.
async fn store_answer(state: &AppState, (caller, key): (uuid::Uuid, &str), status: u16, stored: &str) {
    for pause_ms in [0, 50, 250, 1000] {
        tokio::time::sleep(std::time::Duration::from_millis(pause_ms)).await;
        match state.core.idempotency_finish(caller, key, status, stored).await {
            Ok(()) => return,
            Err(e) => tracing::warn!(error = %e, "storing an idempotent answer failed"),
        }
    }
}

fn replay(status: u16, stored: &str) -> Response {
    let stored: serde_json::Value = serde_json::from_str(stored).unwrap_or_default();
    let text = |k: &str| stored.get(k).and_then(serde_json::Value::as_str).map(str::to_owned);
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let mut r = (status, text("body").unwrap_or_default()).into_response();
    for (name, key) in [(header::LOCATION, "location"), (header::ETAG, "etag"), (header::CONTENT_TYPE, "content_type")]
    {
        if let Some(v) = text(key).and_then(|v| HeaderValue::from_str(&v).ok()) {
            r.headers_mut().insert(name, v);
        }
    }
    r.headers_mut().insert(REPLAYED, HeaderValue::from_static("true"));
    r
}

/// A field that may be absent (keep), `null` (clear) or a value (set).
pub mod patch {
    use serde::{Deserialize, Deserializer};

    /// `Some(None)` for `null`, `Some(Some(v))` for a value (absent fields take `default`: `None`).
    pub fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}
