//! Renders every error response that has no page of its own — ours ([`ErrorInfo`]) and those
//! made by axum or tower layers (body limit, timeout, bad form data, unknown route) — as an HTML
//! page or, for the API and clients that ask for JSON, an RFC 9457 problem document.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use keystead_core::{Code, FieldErrors};

use super::RequestContext;
use crate::error::{ErrorInfo, detail_for, title_for};
use crate::state::AppState;
use crate::ui::ErrorPage;

/// True when the client should get JSON: everything under `/api/` and `/scim/`, and requests that accept
/// JSON but not HTML.
fn wants_json(req: &Request) -> bool {
    if req.uri().path().starts_with("/api/") || req.uri().path().starts_with("/scim/") {
        return true;
    }
    let accept = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    accept.contains("json") && !accept.contains("text/html")
}

fn code_for_status(status: StatusCode) -> Code {
    match status {
        StatusCode::NOT_FOUND => Code::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => Code::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => Code::PayloadTooLarge,
        StatusCode::REQUEST_TIMEOUT => Code::Timeout,
        StatusCode::FORBIDDEN => Code::CrossOrigin,
        StatusCode::UNAUTHORIZED => Code::Unauthenticated,
        StatusCode::TOO_MANY_REQUESTS => Code::RateLimited,
        StatusCode::SERVICE_UNAVAILABLE => Code::Overloaded,
        s if s.is_client_error() => Code::MalformedRequest,
        _ => Code::Internal,
    }
}

fn already_rendered(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html") || ct.contains("json"))
        && response.extensions().get::<ErrorInfo>().is_none()
}

/// An error as an RFC 9457 problem document with our stable `code` and per-field `errors`.
pub(crate) fn problem_document(status: StatusCode, info: &ErrorInfo, request_id: &str) -> serde_json::Value {
    serde_json::json!({
        "type": "about:blank",
        "title": title_for(info.code),
        "status": status.as_u16(),
        "detail": info.detail,
        "code": info.code.as_str(),
        "errors": info.fields,
        "request_id": request_id,
    })
}

/// The middleware.
pub async fn render_errors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let json = wants_json(&req);
    let request_id = req.extensions().get::<RequestContext>().map(|c| c.request_id.clone()).unwrap_or_default();
    let response = next.run(req).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || already_rendered(&response) {
        return response;
    }
    let info = response.extensions().get::<ErrorInfo>().cloned().unwrap_or_else(|| {
        let code = code_for_status(status);
        ErrorInfo { code, detail: detail_for(code).to_owned(), fields: FieldErrors::new(), retry_after: None }
    });
    let (mut parts, _) = response.into_parts();
    let body = if json {
        let problem = problem_document(status, &info, &request_id);
        parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        Body::from(problem.to_string())
    } else {
        let page = ErrorPage::new(&state, status, &info, &request_id);
        match page.render_html() {
            Ok(html) => {
                parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
                Body::from(html)
            }
            Err(e) => {
                tracing::error!(error = %e, "error page template failed");
                return (status, "error").into_response();
            }
        }
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, body)
}
