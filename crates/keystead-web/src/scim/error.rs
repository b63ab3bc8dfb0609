//! SCIM errors (RFC 7644 §3.12): a status, an optional `scimType` and a detail, rendered as an
//! `application/scim+json` error message.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// The media type of every SCIM response (RFC 7644 §3.1).
pub const SCIM_JSON: &str = "application/scim+json";

/// The schema URN of an error message (RFC 7644 §3.12).
pub const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// A SCIM error (RFC 7644 §3.12).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("SCIM error {status}: {detail}")]
pub struct ScimError {
    /// The HTTP status.
    pub status: u16,
    /// The `scimType` keyword (RFC 7644 Table 9), given only with a 400.
    pub scim_type: Option<&'static str>,
    /// A sentence for the person reading the client's log.
    pub detail: String,
}

impl ScimError {
    /// Any error.
    pub fn new(status: u16, scim_type: Option<&'static str>, detail: impl Into<String>) -> Self {
        Self { status, scim_type, detail: detail.into() }
    }

    /// 400 with a `scimType` (`invalidFilter`, `invalidValue`, `mutability`, …).
    pub fn bad_request(scim_type: &'static str, detail: impl Into<String>) -> Self {
        Self::new(400, Some(scim_type), detail)
    }

    /// 404.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(404, None, detail)
    }

    /// 409 `uniqueness`: the value is taken (RFC 7644 §3.3).
    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::new(409, Some("uniqueness"), detail)
    }

    /// 412: the `If-Match` version is not the current one (RFC 7644 §3.14).
    pub fn precondition_failed(detail: impl Into<String>) -> Self {
        Self::new(412, None, detail)
    }

    /// 400 `invalidFilter`.
    pub fn invalid_filter(detail: impl Into<String>) -> Self {
        Self::bad_request("invalidFilter", detail)
    }

    /// 400 `invalidPath`.
    pub fn invalid_path(detail: impl Into<String>) -> Self {
        Self::bad_request("invalidPath", detail)
    }

    /// 400 `invalidValue`.
    pub fn invalid_value(detail: impl Into<String>) -> Self {
        Self::bad_request("invalidValue", detail)
    }

    /// 400 `invalidSyntax`.
    pub fn invalid_syntax(detail: impl Into<String>) -> Self {
        Self::bad_request("invalidSyntax", detail)
    }

    /// 400 `mutability`: the attribute may not be changed.
    pub fn mutability(detail: impl Into<String>) -> Self {
        Self::bad_request("mutability", detail)
    }

    /// 400 `noTarget`: the path selects nothing.
    pub fn no_target(detail: impl Into<String>) -> Self {
        Self::bad_request("noTarget", detail)
    }

    /// The error message document; `status` is a string, as RFC 7644 §3.12 spells it.
    pub fn body(&self) -> Value {
        let mut body = json!({ "schemas": [ERROR_SCHEMA], "status": self.status.to_string(), "detail": self.detail });
        if let (Some(scim_type), Value::Object(map)) = (self.scim_type, &mut body) {
            map.insert("scimType".to_owned(), Value::from(scim_type));
        }
        body
    }
}

impl IntoResponse for ScimError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = self.body().to_string();
        (status, [(header::CONTENT_TYPE, HeaderValue::from_static(SCIM_JSON))], body).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_carries_the_status_as_a_string_and_the_scim_type() {
        let body = ScimError::bad_request("invalidFilter", "bad").body();
        assert_eq!(
            body,
            json!({"schemas": [ERROR_SCHEMA], "status": "400", "scimType": "invalidFilter", "detail": "bad"})
        );
    }

    #[test]
    fn a_not_found_has_no_scim_type() {
        let body = ScimError::not_found("no such user").body();
        assert_eq!(body, json!({"schemas": [ERROR_SCHEMA], "status": "404", "detail": "no such user"}));
    }

    #[test]
    fn the_constructors_set_status_and_type() {
        assert_eq!(ScimError::conflict("x").status, 409);
        assert_eq!(ScimError::conflict("x").scim_type, Some("uniqueness"));
        assert_eq!(ScimError::precondition_failed("x").status, 412);
        assert_eq!(ScimError::new(413, None, "x").status, 413);
    }

    #[tokio::test]
    async fn the_response_is_scim_json_with_the_status() {
        let response = ScimError::conflict("userName taken").into_response();
        assert_eq!(response.status(), StatusCode::CONFLICT);
        assert_eq!(response.headers()[header::CONTENT_TYPE], SCIM_JSON);
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
        let body: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(body["status"], "409");
        assert_eq!(body["scimType"], "uniqueness");
        assert_eq!(body["detail"], "userName taken");
    }
}
