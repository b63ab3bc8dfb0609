//! The client's address and user agent, for rate limits and the audit log.

use axum::extract::FromRequestParts;
use axum::http::header::USER_AGENT;
use axum::http::request::Parts;
use keystead_core::audit::RequestMeta;

use crate::middleware::RequestContext;

/// Request metadata for core calls.
#[derive(Debug, Clone)]
pub struct ClientMeta(pub RequestMeta);

impl<S: Send + Sync> FromRequestParts<S> for ClientMeta {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts.extensions.get::<RequestContext>().and_then(|c| c.client_ip);
        let ua = parts.headers.get(USER_AGENT).and_then(|v| v.to_str().ok());
        Ok(Self(RequestMeta::new(ip, ua)))
    }
}
