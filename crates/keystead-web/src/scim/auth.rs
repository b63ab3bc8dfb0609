//! The SCIM caller: a personal access token of the organization in the path, holding the
//! `scim` scope (`Authorization: Bearer kst_…`). Another organization's token finds nothing.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use keystead_core::Error;
use keystead_core::api_tokens::{ApiScope, TOKEN_PREFIX};
use keystead_core::ids::OrganizationId;
use keystead_core::organizations::Actor;

use super::error::ScimError;
use super::respond::ScimFailure;
use crate::state::AppState;

/// Who provisions, where.
#[derive(Debug)]
pub struct ScimCaller {
    /// Whose permissions the token acts with.
    pub actor: Actor,
    /// The organization.
    pub org: OrganizationId,
    /// `https://…/scim/v2/{org}`, as the client addressed it (for `meta.location` and `$ref`).
    pub base: String,
}

fn unauthorized(detail: &str) -> Response {
    let mut r = ScimError::new(401, None, detail).into_response();
    r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"keystead\""));
    r
}

/// The organization segment of `/scim/v2/{org}/…`.
fn org_segment(parts: &Parts) -> Option<&str> {
    let mut segments = parts.uri.path().trim_start_matches('/').split('/');
    (segments.next() == Some("scim") && segments.next() == Some("v2")).then(|| segments.next()).flatten()
}

impl FromRequestParts<AppState> for ScimCaller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Some(token) = crate::api::bearer_token(parts) else {
            return Err(unauthorized("Send the organization's SCIM token: Authorization: Bearer kst_..."));
        };
        if !token.starts_with(TOKEN_PREFIX) {
            return Err(unauthorized("SCIM takes a personal access token of the organization (kst_...)."));
        }
        let principal = match state.core.authenticate_api_token(token).await {
            Ok(p) => p,
            Err(Error::Refused { detail, .. }) => return Err(unauthorized(&detail)),
            Err(e) => return Err(ScimFailure::from(e).into_response()),
        };
        if principal.require(ApiScope::Scim).is_err() {
            return Err(ScimError::new(403, None, "This token lacks the scim scope.").into_response());
        }
        let Some(org) = principal.organization else {
            return Err(ScimError::new(403, None, "SCIM takes a token of the organization, not of the deployment.")
                .into_response());
        };
        let segment = org_segment(parts).unwrap_or_default().to_owned();
        let addressed = if segment == org.to_string() {
            true
        } else {
            match state.core.organization(principal.actor, org).await {
                Ok(o) => o.slug == segment,
                Err(e) => return Err(ScimFailure::from(e).into_response()),
            }
        };
        if !addressed {
            return Err(ScimError::not_found("No such organization for this token.").into_response());
        }
        parts.extensions.insert(crate::extract::CalledVia(crate::api::admin::via(&principal.credential)));
        let public = state.core.config().public_url.as_str().trim_end_matches('/').to_owned();
        Ok(Self { actor: principal.actor, org, base: format!("{public}/scim/v2/{segment}") })
    }
}
