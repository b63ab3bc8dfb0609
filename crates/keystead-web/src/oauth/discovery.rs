//! OpenID Connect Discovery 1.0 (§4) and the JWKS (RFC 7517 §5).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use keystead_core::oauth::{SigningAlg, issuer, scopes};
use serde_json::json;

use crate::error::WebError;
use crate::state::AppState;

/// `GET /.well-known/openid-configuration`, and `/.well-known/oauth-authorization-server`
/// (RFC 8414 §3, the same metadata): the document made when the server started.
pub async fn show_openid_configuration(State(state): State<AppState>) -> Response {
    let body = state.discovery_document();
    cached(
        (StatusCode::OK, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response(),
    )
}

/// The discovery document of `core`'s issuer, serialised once.
pub(crate) fn discovery_document(core: &keystead_core::Core) -> Bytes {
    let iss = issuer(core);
    let algs: Vec<&str> = SigningAlg::ALL.iter().map(|a| a.as_str()).collect();
    let doc = json!({
        "issuer": iss,
        "authorization_endpoint": format!("{iss}/oauth/authorize"),
        "token_endpoint": format!("{iss}/oauth/token"),
        "userinfo_endpoint": format!("{iss}/oauth/userinfo"),
        "jwks_uri": format!("{iss}/.well-known/jwks.json"),
        "end_session_endpoint": format!("{iss}/oauth/logout"),
        "introspection_endpoint": format!("{iss}/oauth/introspect"),
        "revocation_endpoint": format!("{iss}/oauth/revoke"),
        "device_authorization_endpoint": format!("{iss}/oauth/device_authorization"),
        "pushed_authorization_request_endpoint": format!("{iss}/oauth/par"),
        // RFC 9126 §5: per client (`require_pushed_authorization_requests` of its registration).
        "require_pushed_authorization_requests": false,
        "scopes_supported": scopes::KNOWN,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials", "urn:ietf:params:oauth:grant-type:device_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": algs,
        "userinfo_signing_alg_values_supported": ["none"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "code_challenge_methods_supported": ["S256"],
        "dpop_signing_alg_values_supported": keystead_core::oauth::dpop::alg_names(),
        "prompt_values_supported": ["none", "login", "consent"],
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "sid", "azp", "at_hash", "name", "given_name", "family_name", "email", "email_verified", "phone_number", "phone_number_verified", "address"],
        "claims_parameter_supported": true,
        // No request objects (clients register no keys); the only request_uri values accepted
        // are the pushed authorization request endpoint's, which its metadata announces: a
        // request_uri of the client's own (OpenID Connect Core §6.2) is not fetched.
        "request_parameter_supported": false,
        "request_uri_parameter_supported": false,
        "authorization_response_iss_parameter_supported": true,
        "backchannel_logout_supported": true,
        "backchannel_logout_session_supported": true,
    });
    Bytes::from(doc.to_string())
}

/// `GET /.well-known/jwks.json`: bytes serialised once per key list.
pub async fn show_jwks(State(state): State<AppState>) -> Result<Response, WebError> {
    let jwks = state.core.oauth_jwks_document().await?;
    let content_type = [(header::CONTENT_TYPE, HeaderValue::from_static("application/jwk-set+json"))];
    Ok(cached((StatusCode::OK, content_type, Bytes::copy_from_slice(jwks.as_bytes())).into_response()))
}

/// Public documents may be cached briefly (a new key is published a day before it signs).
fn cached(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    response
}
