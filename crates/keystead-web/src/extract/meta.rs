//! The client's address and user agent, for rate limits and the audit log.

use axum::extract::FromRequestParts;
use axum::http::header::USER_AGENT;
use axum::http::request::Parts;
use keystead_core::audit::RequestMeta;

use crate::middleware::RequestContext;

/// Request metadata for core calls. On the admin API and SCIM it also names the credential the
/// caller presented (`via`, which the audit log records): their caller extractors leave a
/// [`CalledVia`] in the request, so a handler lists its caller before `ClientMeta`.
#[derive(Debug, Clone)]
pub struct ClientMeta(pub RequestMeta);

/// The credential an integration called with (`token:<id>`, `client:<client_id>`), left in the
/// request's extensions by the admin API's and SCIM's caller extractors.
#[derive(Debug, Clone)]
pub struct CalledVia(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientMeta {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts.extensions.get::<RequestContext>().and_then(|c| c.client_ip);
        let ua = parts.headers.get(USER_AGENT).and_then(|v| v.to_str().ok());
        let mut meta = RequestMeta::new(ip, ua);
        meta.via = parts.extensions.get::<CalledVia>().map(|v| v.0.clone());
        Ok(Self(meta))
    }
}
