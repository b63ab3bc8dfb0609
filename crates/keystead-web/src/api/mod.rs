//! The JSON API: applications call `/api/v1/me/…` with a user's OAuth access token, and
//! integrations call the admin API with a personal access token ([`admin`]), both as bearer
//! tokens (RFC 6750). Errors
//! are RFC 9457 problem documents with a stable `code` (rendered by the error middleware from
//! the same mapping as every other error); a missing or invalid token is 401 with
//! `WWW-Authenticate: Bearer`, a token without the endpoint's scope 403 `insufficient_scope`.

pub mod admin;
mod agreements;
mod audit;
mod courses;
mod groups_roles;
mod invitations;
pub mod invoices;
mod licenses;
mod licensing_admin;
mod oauth_clients;
pub mod openapi;
mod org_domains;
mod organizations;
pub mod rest;
mod seats_api;
mod sessions;
mod subscriptions_api;
pub(crate) mod users;
mod users_import;
mod users_write;
mod webhooks;

use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use keystead_core::ids::{SessionId, UserId};
use keystead_core::oauth::ErrorCode;
use keystead_core::oauth::dpop::ProofTarget;
use keystead_core::{Code, Error, FieldErrors};

use crate::error::{WebError, error_response};
use crate::state::AppState;

pub use licenses::{
    BRIEFCASE_PATH_PREFIX, deactivate_my_machine, issue_license_token, replace_my_briefcase, show_my_briefcase,
    show_my_licenses,
};

/// A scope an API endpoint requires of the caller's access token.
pub trait RequiredScope {
    /// The scope's name (`licenses`).
    const NAME: &'static str;
}

/// The `licenses` scope: entitlements, license tokens, briefcases.
#[derive(Debug)]
pub struct LicensesScope;

impl RequiredScope for LicensesScope {
    const NAME: &'static str = "licenses";
}

/// The user an access token (`Authorization: Bearer …`) was issued to, when the token is valid
/// and carries the scope `S`; otherwise the request is answered 401 or 403 with a challenge.
#[derive(Debug)]
pub struct BearerUser<S> {
    /// The user.
    pub user: UserId,
    /// The browser session the token came from (which decides the active organization).
    pub session: Option<SessionId>,
    scope: PhantomData<S>,
}

/// The token of an `Authorization: Bearer …` header (RFC 6750 §2.1), if one was sent.
pub(crate) fn bearer_token(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| crate::oauth::after_scheme(v, "bearer "))
        .map(str::trim)
}

/// The token of `Authorization: DPoP <token>` (RFC 9449 §7.1).
pub(crate) fn dpop_token(parts: &Parts) -> Option<&str> {
    crate::oauth::dpop_scheme_token(&parts.headers)
}

/// With the DPoP scheme (`dpop_token`), the key of the request's DPoP proof for it, verified
/// for this method and path; refused without a good proof. `None` for a bearer token.
pub(crate) async fn proved_key(
    state: &AppState,
    parts: &Parts,
    dpop_token: Option<&str>,
) -> Result<Option<String>, Response> {
    let Some(token) = dpop_token else { return Ok(None) };
    let target = ProofTarget { method: parts.method.as_str(), path: parts.uri.path(), access_token: Some(token) };
    match crate::oauth::proved_key(state, &parts.headers, target).await {
        Ok(Some(jkt)) => Ok(Some(jkt)),
        Ok(None) => Err(unauthorized(Some("invalid_dpop_proof"), "The DPoP scheme needs a DPoP proof.")),
        Err(e) => Err(unauthorized(Some(e.code.as_str()), &e.description)),
    }
}

/// 401 with `WWW-Authenticate: Bearer` (RFC 6750 §3), naming `error` when a token was sent.
pub(crate) fn unauthorized(error: Option<&str>, detail: &str) -> Response {
    let mut r = error_response(Code::Unauthenticated, Some(detail.to_owned()), FieldErrors::new(), None);
    let challenge = match error {
        Some(e) => format!(
            "Bearer realm=\"keystead\", error=\"{e}\", error_description=\"{}\"",
            // A header value is visible ASCII: anything else would drop the whole challenge.
            detail
                .chars()
                .filter(|c| c.is_ascii() && !c.is_ascii_control() && !matches!(c, '"' | '\\'))
                .collect::<String>()
        ),
        None => "Bearer realm=\"keystead\"".to_owned(),
    };
    if let Ok(v) = HeaderValue::from_str(&challenge) {
        r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    r
}

/// 403 `insufficient_scope` naming the scope needed (RFC 6750 §3.1).
fn insufficient_scope(scope: &str) -> Response {
    let detail = format!("This endpoint needs an access token with the scope {scope:?}.");
    let mut r = error_response(Code::InsufficientScope, Some(detail), FieldErrors::new(), None);
    let challenge = format!("Bearer realm=\"keystead\", error=\"insufficient_scope\", scope=\"{scope}\"");
    if let Ok(v) = HeaderValue::from_str(&challenge) {
        r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    r
}

impl<S: RequiredScope + Send + Sync> FromRequestParts<AppState> for BearerUser<S> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let dpop_token = dpop_token(parts);
        let Some(token) = dpop_token.or_else(|| bearer_token(parts)) else {
            return Err(unauthorized(None, "Send an access token: Authorization: Bearer <token>."));
        };
        let at = match state.core.verify_access_token(token).await {
            Ok(at) => at,
            Err(e) if e.code == ErrorCode::TemporarilyUnavailable => {
                return Err(WebError(Error::Overloaded).into_response());
            }
            Err(e) if e.code == ErrorCode::ServerError => {
                return Err(
                    WebError(Error::Internal(anyhow::anyhow!("verifying an access token failed"))).into_response()
                );
            }
            Err(_) => return Err(unauthorized(Some("invalid_token"), "The access token is invalid or has expired.")),
        };
        // A DPoP-bound token comes with the DPoP scheme and a proof of its key (RFC 9449 §7.1);
        // a stolen one must not work as a bearer token.
        let proof_jkt = proved_key(state, parts, dpop_token).await?;
        if let Err(e) = at.check_binding(proof_jkt.as_deref()) {
            return Err(unauthorized(Some("invalid_token"), &e.description));
        }
        let Some(user) = at.user else {
            return Err(unauthorized(Some("invalid_token"), "This token does not belong to a user."));
        };
        if !at.scopes.has(S::NAME) {
            return Err(insufficient_scope(S::NAME));
        }
        Ok(Self { user, session: at.session, scope: PhantomData })
    }
}
