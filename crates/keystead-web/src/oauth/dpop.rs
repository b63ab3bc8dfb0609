//! DPoP at the endpoints (RFC 9449): reading the `DPoP` header, verifying it through the core,
//! and the `DPoP-Nonce` header that tells a client the nonce to use (§8).

use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::response::Response;
use keystead_core::oauth::dpop::ProofTarget;
use keystead_core::oauth::{ErrorCode, OAuthError};

use crate::state::AppState;

/// The `DPoP` request header.
pub(crate) const DPOP: HeaderName = HeaderName::from_static("dpop");
/// The `DPoP-Nonce` response header.
pub(crate) const DPOP_NONCE: HeaderName = HeaderName::from_static("dpop-nonce");

/// The key of the request's DPoP proof for `target`, verified (and its `jti` remembered); `None`
/// without a `DPoP` header. More than one header is `invalid_dpop_proof` (§4.3).
pub(crate) async fn proved_key(
    state: &AppState,
    headers: &HeaderMap,
    target: ProofTarget<'_>,
) -> Result<Option<String>, OAuthError> {
    let mut proofs = headers.get_all(&DPOP).iter();
    let Some(first) = proofs.next() else { return Ok(None) };
    if proofs.next().is_some() {
        return Err(OAuthError::new(ErrorCode::InvalidDpopProof, "send one DPoP proof"));
    }
    let proof =
        first.to_str().map_err(|_| OAuthError::new(ErrorCode::InvalidDpopProof, "the DPoP proof is not a JWT"))?;
    state.core.verify_dpop_proof(proof.trim(), target).await.map(Some)
}

/// The token of `Authorization: DPoP <token>` (RFC 9449 §7.1), if that is the scheme used.
pub(crate) fn dpop_scheme_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?;
    super::after_scheme(value, "dpop ").map(str::trim)
}

/// Adds a fresh `DPoP-Nonce` to `response`.
pub(crate) fn with_nonce(state: &AppState, mut response: Response) -> Response {
    if let Ok(v) = HeaderValue::from_str(&state.core.dpop_nonce()) {
        response.headers_mut().insert(DPOP_NONCE, v);
    }
    response
}
