//! What every SCIM handler shares: core errors as SCIM errors, `application/scim+json`
//! responses with their `ETag`, the body and the list parameters.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use keystead_core::{Code, Error};
use serde::Deserialize;
use serde_json::Value;

use super::error::{SCIM_JSON, ScimError};
use crate::error::WebError;

/// A handler's failure: a SCIM error, or one rendered like any other (503, 429, 500).
#[derive(Debug)]
pub enum ScimFailure {
    /// Answered as a SCIM error message.
    Scim(ScimError),
    /// Answered as the rest of the server answers it (with `Retry-After` where it applies).
    Other(WebError),
}

impl From<ScimError> for ScimFailure {
    fn from(e: ScimError) -> Self {
        Self::Scim(e)
    }
}

impl From<Error> for ScimFailure {
    fn from(e: Error) -> Self {
        let detail = |d: &str| d.to_owned();
        Self::Scim(match e {
            Error::NotFound => ScimError::not_found("No such resource in this organization."),
            Error::Invalid(errors) => {
                let text: Vec<String> = errors.0.iter().map(|f| format!("{}: {}", f.field, f.message)).collect();
                ScimError::invalid_value(text.join(" "))
            }
            Error::Refused { code: Code::AlreadyExists, detail: d } => ScimError::conflict(d),
            Error::Conflict(Code::AlreadyExists) => ScimError::conflict("This resource exists already."),
            Error::Refused { code: Code::PreconditionFailed, detail: d } => ScimError::precondition_failed(d),
            Error::Refused { code: Code::Forbidden | Code::InsufficientScope, detail: d } => {
                ScimError::new(403, None, detail(&d))
            }
            Error::Forbidden => {
                ScimError::new(403, None, "The token's maker may not add and remove this organization's members.")
            }
            Error::Refused { code: Code::TooLarge, detail: d } => ScimError::new(413, None, d),
            other => return Self::Other(WebError(other)),
        })
    }
}

impl From<WebError> for ScimFailure {
    fn from(e: WebError) -> Self {
        Self::from(e.0)
    }
}

impl IntoResponse for ScimFailure {
    fn into_response(self) -> Response {
        match self {
            Self::Scim(e) => e.into_response(),
            Self::Other(e) => {
                // Rendered (and logged) as elsewhere for its status and Retry-After, then told as
                // a SCIM error, since directories read those.
                let rendered = e.into_response();
                let status = rendered.status();
                let detail = match status {
                    StatusCode::TOO_MANY_REQUESTS => "Too many requests with this token: wait as Retry-After says.",
                    StatusCode::SERVICE_UNAVAILABLE => "The server is busy: retry as Retry-After says.",
                    _ => "Something went wrong on the server; it was logged.",
                };
                let mut r = ScimError::new(status.as_u16(), None, detail).into_response();
                if let Some(after) = rendered.headers().get(header::RETRY_AFTER) {
                    r.headers_mut().insert(header::RETRY_AFTER, after.clone());
                }
                r
            }
        }
    }
}

/// A handler's result.
pub type ScimResult<T = Response> = Result<T, ScimFailure>;

/// A weak entity tag for a version (RFC 7644 §3.14).
pub fn etag(version: &str) -> String {
    format!("W/\"{version}\"")
}

/// `status` with a SCIM JSON body, its `ETag` and, for a creation, its `Location`.
pub fn resource(status: StatusCode, doc: &Value, version: Option<&str>, location: Option<&str>) -> Response {
    let mut r = (status, doc.to_string()).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(SCIM_JSON));
    if let Some(v) = version.and_then(|v| HeaderValue::from_str(&etag(v)).ok()) {
        h.insert(header::ETAG, v);
    }
    if let Some(l) = location.and_then(|l| HeaderValue::from_str(l).ok()) {
        h.insert(header::LOCATION, l);
    }
    r
}

/// 304 when the client's `If-None-Match` names the current version.
pub fn not_modified(headers: &HeaderMap, version: &str) -> Option<Response> {
    let sent = headers.get(header::IF_NONE_MATCH)?.to_str().ok()?;
    let tag = etag(version);
    sent.split(',')
        .map(str::trim)
        .any(|t| t == tag || t == "*" || t.trim_start_matches("W/") == tag.trim_start_matches("W/"))
        .then(|| StatusCode::NOT_MODIFIED.into_response())
}

/// The version an `If-Match` names (`None` without one or with `*`).
pub fn if_match(headers: &HeaderMap) -> Option<String> {
    let sent = headers.get(header::IF_MATCH)?.to_str().ok()?.trim();
    if sent == "*" {
        return None;
    }
    Some(sent.trim_start_matches("W/").trim_matches('"').to_owned())
}

/// True when a PATCH should be tried again: a concurrent change won (the version read is no
/// longer current), the client sent no `If-Match` (it asked for its operations applied, not for
/// a particular version), and it has been tried fewer than three times (`tries` counts).
pub fn retry_patch(e: &Error, sent: Option<&str>, tries: &mut u32) -> bool {
    let again = e.code() == Code::PreconditionFailed && sent.is_none() && *tries < 2;
    *tries += u32::from(again);
    again
}

/// 412 unless the `If-Match` sent (if any) names `current`.
pub fn require_match(headers: &HeaderMap, current: &str) -> ScimResult<()> {
    match if_match(headers) {
        Some(expected) if expected != current => Err(ScimFailure::Scim(ScimError::precondition_failed(
            "The resource changed since you read it: read it again.",
        ))),
        _ => Ok(()),
    }
}

/// The JSON body (at most the API's limit); not JSON is 400 `invalidSyntax`.
pub async fn json_body(body: Body) -> ScimResult<Value> {
    let bytes: Bytes = crate::api::rest::read_body(body).await?;
    serde_json::from_slice(&bytes)
        .map_err(|e| ScimFailure::Scim(ScimError::invalid_syntax(format!("The body is not JSON: {e}."))))
}

/// The list parameters (RFC 7644 §3.4.2).
#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    /// A filter expression.
    pub filter: Option<String>,
    /// 1-based index of the first result.
    #[serde(rename = "startIndex")]
    pub start_index: Option<String>,
    /// How many results at most.
    pub count: Option<String>,
    /// Only these attributes.
    pub attributes: Option<String>,
    /// All but these attributes.
    #[serde(rename = "excludedAttributes")]
    pub excluded_attributes: Option<String>,
}

impl ListParams {
    /// `startIndex` (from 1; less than 1 is 1) and `count` (default and most
    /// [`super::schema::MAX_RESULTS`]; negative is 0), as RFC 7644 §3.4.2.4 says.
    pub fn window(&self) -> ScimResult<(usize, usize)> {
        let number = |name: &str, v: &Option<String>, default: i64| -> ScimResult<i64> {
            match v.as_deref().map(str::trim) {
                None | Some("") => Ok(default),
                Some(s) => s.parse::<i64>().map_err(|_| {
                    ScimFailure::Scim(ScimError::invalid_value(format!("{name} must be a whole number, not {s:?}.")))
                }),
            }
        };
        let max = super::schema::MAX_RESULTS as i64;
        let start = number("startIndex", &self.start_index, 1)?.max(1);
        let count = number("count", &self.count, max)?.clamp(0, max);
        Ok((usize::try_from(start).unwrap_or(1), usize::try_from(count).unwrap_or(0)))
    }
}

/// The parameters of a `POST …/.search` body (RFC 7644 §3.4.3), as a query would give them.
pub async fn search_params(body: Body) -> ScimResult<ListParams> {
    let body = json_body(body).await?;
    let text = |k: &str| -> ScimResult<Option<String>> {
        match body.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(Value::Array(items)) => {
                let names: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
                names.map(|n| Some(n.join(","))).ok_or_else(|| {
                    ScimFailure::Scim(ScimError::invalid_value(format!("{k} must be a list of attribute names.")))
                })
            }
            Some(_) => Err(ScimFailure::Scim(ScimError::invalid_value(format!("{k} has the wrong type.")))),
        }
    };
    Ok(ListParams {
        filter: text("filter")?,
        start_index: text("startIndex")?,
        count: text("count")?,
        attributes: text("attributes")?,
        excluded_attributes: text("excludedAttributes")?,
    })
}

/// One page of `docs` as a ListResponse.
pub fn list(docs: Vec<Value>, (start, count): (usize, usize)) -> Response {
    let total = docs.len();
    let page: Vec<Value> = docs.into_iter().skip(start - 1).take(count).collect();
    resource(StatusCode::OK, &super::schema::list_response(total, start, page), None, None)
}
