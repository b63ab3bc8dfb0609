//! CORS for the provider endpoints a browser application calls (the paths in
//! [`crate::oauth::CORS_PATHS`]): tower-http's `CorsLayer`, with the origins the core allows
//! ([`keystead_core::Core::browser_origin_allowed`]: the registered redirect origins of public
//! clients). Never `*`, never credentials: these endpoints take no cookies. A request without an
//! `Origin` (every non-browser client) passes untouched.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower::{Layer, ServiceExt};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::state::AppState;

/// How long a browser may reuse a preflight answer.
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(600);

/// Adds CORS to the provider's browser-facing endpoints.
pub async fn cors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !req.headers().contains_key(header::ORIGIN) || !crate::oauth::CORS_PATHS.contains(&req.uri().path()) {
        return next.run(req).await;
    }
    let core = state.core.clone();
    let origins = AllowOrigin::async_predicate(move |origin: HeaderValue, _| async move {
        let Ok(origin) = origin.to_str() else { return false };
        core.browser_origin_allowed(origin).await.unwrap_or_else(|e| {
            tracing::warn!(error = %e, "CORS: the allowed origins could not be read");
            false
        })
    });
    let layer = CorsLayer::new()
        .allow_origin(origins)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, HeaderName::from_static("dpop")])
        .expose_headers([header::WWW_AUTHENTICATE, HeaderName::from_static("dpop-nonce"), header::RETRY_AFTER])
        .max_age(PREFLIGHT_MAX_AGE);
    match layer.layer(next).oneshot(req).await {
        Ok(response) => response.into_response(),
        Err(never) => match never {},
    }
}
