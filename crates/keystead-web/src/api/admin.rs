//! The admin API's caller: a personal access token (`Authorization: Bearer kst_…`, RFC 6750) or
//! an OAuth client's own access token (client credentials grant, with admin API scopes the
//! operator granted the client), turned by core into an [`ApiPrincipal`] whose scopes and
//! organization each endpoint checks through core. A missing, unknown, revoked or expired token is 401 with a `Bearer` challenge
//! saying which; a token without the endpoint's scope is 403 `insufficient_scope`.

use axum::Json;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use keystead_core::Error;
use keystead_core::api_tokens::{ApiPrincipal, Credential, TOKEN_PREFIX};
use keystead_core::organizations::Actor;
use serde::Serialize;

use super::unauthorized;
use crate::error::WebError;
use crate::extract::CalledVia;
use crate::middleware::RequestContext;
use crate::state::AppState;

/// Who called the admin API, with what.
#[derive(Debug)]
pub struct ApiCaller {
    /// The token's principal.
    pub principal: ApiPrincipal,
    /// The request's id (for problem documents rendered before the error middleware).
    pub request_id: String,
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let dpop_token = super::dpop_token(parts);
        let Some(token) = dpop_token.or_else(|| super::bearer_token(parts)) else {
            return Err(unauthorized(
                None,
                "Send a personal access token (Authorization: Bearer kst_...) or a client credentials access token.",
            ));
        };
        let request_id = parts.extensions.get::<RequestContext>().map(|c| c.request_id.clone()).unwrap_or_default();
        let principal = if token.starts_with(TOKEN_PREFIX) {
            if dpop_token.is_some() {
                return Err(unauthorized(Some("invalid_token"), "A personal access token is a bearer token."));
            }
            state.core.authenticate_api_token(token).await
        } else {
            // A client's own token bound to a DPoP key comes with a proof of it (RFC 9449 §7.1).
            let proof_jkt = super::proved_key(state, parts, dpop_token).await?;
            state.core.authenticate_api_client(token, proof_jkt.as_deref()).await
        };
        match principal {
            Ok(principal) => {
                parts.extensions.insert(CalledVia(via(&principal.credential)));
                Ok(Self { principal, request_id })
            }
            Err(Error::Refused { detail, .. }) => Err(unauthorized(Some("invalid_token"), &detail)),
            Err(e) => Err(WebError(e).into_response()),
        }
    }
}

/// How the audit log names a credential.
pub(crate) fn via(credential: &Credential) -> String {
    match credential {
        Credential::Token(t) => format!("token:{t}"),
        Credential::Client { client_id, .. } => format!("client:{client_id}"),
    }
}

/// The token a caller presents, as `GET /api/v1/token` describes it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CurrentToken {
    /// `personal_access_token`, or `client_credentials` for an OAuth client's own token.
    kind: &'static str,
    /// The personal access token's id.
    id: Option<String>,
    /// The OAuth client's `client_id`.
    client_id: Option<String>,
    /// Its scopes.
    scopes: Vec<&'static str>,
    /// The organization it is limited to, if any.
    organization_id: Option<String>,
    /// `operator`, or `user` for a token a user made.
    acts_as: &'static str,
    /// The user whose permissions it acts with.
    user_id: Option<String>,
}

/// `GET /api/v1/token`: which token this is and what it may do (for scripts to check their
/// configuration). Needs no scope.
#[utoipa::path(
    get,
    path = "/api/v1/token",
    tag = "admin",
    security(("token" = [])),
    responses(
        (status = 200, description = "The token presented", body = CurrentToken),
        (status = 401, description = "No token, or an unknown, revoked or expired one (problem document)"),
    )
)]
pub async fn show_current_token(caller: ApiCaller) -> Json<CurrentToken> {
    let p = caller.principal;
    let (acts_as, user_id) = match p.actor {
        Actor::Operator => ("operator", None),
        Actor::User(u) => ("user", Some(u.to_string())),
    };
    let (kind, id, client_id) = match p.credential {
        Credential::Token(t) => ("personal_access_token", Some(t.to_string()), None),
        Credential::Client { client_id, .. } => ("client_credentials", None, Some(client_id)),
    };
    Json(CurrentToken {
        kind,
        id,
        client_id,
        scopes: p.scopes.iter().map(|s| s.as_str()).collect(),
        organization_id: p.organization.map(|o| o.to_string()),
        acts_as,
        user_id,
    })
}
