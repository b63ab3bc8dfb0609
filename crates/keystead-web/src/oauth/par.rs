//! `POST /oauth/par`: pushed authorization requests (RFC 9126 §2). The client authenticates as
//! at the token endpoint and gets a `request_uri` for the browser's authorization request.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use keystead_core::oauth::dpop::ProofTarget;
use keystead_core::oauth::{ErrorCode, OAuthError};

use super::authorize::{NAMES, params_from};
use super::{FoundCredentials, json_error, no_store_headers, read_form};
use crate::state::AppState;

/// `POST /oauth/par`: 201 with `request_uri` and `expires_in`, never cached; errors as at the
/// token endpoint (RFC 9126 §2.3).
pub async fn push_authorization_request(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let result = async {
        let mut names = NAMES.to_vec();
        names.push("client_secret");
        let params = read_form(&headers, &body, &names)?;
        let creds = FoundCredentials::read(&headers, &params)?;
        let client = state.core.authenticate_oauth_client(creds.as_core()).await?;
        let mut pushed = params_from(&params);
        // A DPoP proof here binds the code to its key, as `dpop_jkt` would (RFC 9449 §10.1).
        let target = ProofTarget { method: "POST", path: "/oauth/par", access_token: None };
        if let Some(jkt) = super::dpop::proved_key(&state, &headers, target).await? {
            if pushed.dpop_jkt.as_ref().is_some_and(|asked| *asked != jkt) {
                return Err(OAuthError::new(
                    ErrorCode::InvalidDpopProof,
                    "the DPoP proof is not made with the key of dpop_jkt",
                ));
            }
            pushed.dpop_jkt = Some(jkt);
        }
        state.core.push_authorization_request(&client, &pushed).await
    }
    .await;
    match result {
        Ok(pushed) => (StatusCode::CREATED, no_store_headers(), axum::Json(pushed)).into_response(),
        Err(e) => json_error(&e),
    }
}
