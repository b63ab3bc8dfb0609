//! The endpoints clients call directly, without cookies: token (RFC 6749 §3.2), userinfo
//! (OpenID Connect Core §5.3), introspection (RFC 7662), revocation (RFC 7009) and device
//! authorization (RFC 8628 §3.1).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use keystead_core::oauth::clients::Client;
use keystead_core::oauth::token::TokenParams;
use keystead_core::oauth::{ErrorCode, OAuthError};

use keystead_core::oauth::dpop::ProofTarget;

use super::{FoundCredentials, Params, dpop, json_error, json_ok, read_form};
use crate::state::AppState;

const TOKEN_NAMES: [&str; 10] = [
    "grant_type",
    "code",
    "redirect_uri",
    "code_verifier",
    "refresh_token",
    "scope",
    "device_code",
    "client_id",
    "client_secret",
    "token",
];

async fn authenticated(state: &AppState, headers: &HeaderMap, params: &Params) -> Result<Client, OAuthError> {
    let creds = FoundCredentials::read(headers, params)?;
    state.core.authenticate_oauth_client(creds.as_core()).await
}

/// `POST /oauth/token`; with a `DPoP` proof the tokens are bound to its key (RFC 9449 §5) and
/// the answer carries a `DPoP-Nonce` for the next proof.
pub async fn token(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let with_proof = headers.contains_key(&dpop::DPOP);
    let result = async {
        let params = read_form(&headers, &body, &TOKEN_NAMES)?;
        let client = authenticated(&state, &headers, &params).await?;
        let target = ProofTarget { method: "POST", path: "/oauth/token", access_token: None };
        let dpop_jkt = dpop::proved_key(&state, &headers, target).await?;
        let p = TokenParams {
            grant_type: params.get("grant_type"),
            code: params.get("code"),
            redirect_uri: params.get("redirect_uri"),
            code_verifier: params.get("code_verifier"),
            refresh_token: params.get("refresh_token"),
            scope: params.get("scope"),
            device_code: params.get("device_code"),
            dpop_jkt,
        };
        state.core.token(&client, &p).await
    }
    .await;
    let response = match result {
        Ok(tokens) => json_ok(tokens),
        Err(e) => json_error(&e),
    };
    if with_proof { dpop::with_nonce(&state, response) } else { response }
}

/// `POST /oauth/introspect` (RFC 7662 §2.1): confidential clients only.
pub async fn introspect(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let result = async {
        let params = read_form(&headers, &body, &TOKEN_NAMES)?;
        let client = authenticated(&state, &headers, &params).await?;
        if client.kind != keystead_core::oauth::ClientKind::Confidential {
            return Err(OAuthError::new(ErrorCode::InvalidClient, "only confidential clients may introspect tokens"));
        }
        let token =
            params.get("token").ok_or_else(|| OAuthError::new(ErrorCode::InvalidRequest, "token is required"))?;
        state.core.introspect(&client, &token).await
    }
    .await;
    match result {
        Ok(answer) => json_ok(answer),
        Err(e) => json_error(&e),
    }
}

/// `POST /oauth/revoke` (RFC 7009 §2): 200 whether or not the token was valid.
pub async fn revoke(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let result = async {
        let params = read_form(&headers, &body, &TOKEN_NAMES)?;
        let client = authenticated(&state, &headers, &params).await?;
        let token =
            params.get("token").ok_or_else(|| OAuthError::new(ErrorCode::InvalidRequest, "token is required"))?;
        state.core.revoke_token(&client, &token).await
    }
    .await;
    match result {
        Ok(()) => (StatusCode::OK, super::no_store_headers()).into_response(),
        Err(e) => json_error(&e),
    }
}

/// `POST /oauth/device_authorization` (RFC 8628 §3.1).
pub async fn device_authorization(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let result = async {
        let params = read_form(&headers, &body, &TOKEN_NAMES)?;
        let client = authenticated(&state, &headers, &params).await?;
        state.core.device_authorization(&client, params.get("scope").as_deref()).await
    }
    .await;
    match result {
        Ok(answer) => json_ok(answer),
        Err(e) => json_error(&e),
    }
}

/// `GET` or `POST /oauth/userinfo` with `Authorization: Bearer` (RFC 6750 §2.1), or `DPoP` and a
/// proof for a DPoP-bound token (RFC 9449 §7.1). Failures are 401 with `WWW-Authenticate` in the
/// scheme used (RFC 6750 §3, RFC 9449 §7.1), 403 for a valid token not meant for userinfo.
pub async fn userinfo(
    State(state): State<AppState>,
    method: axum::http::Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let authorization = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let dpop_token = dpop::dpop_scheme_token(&headers).map(str::to_owned);
    let scheme = if dpop_token.is_some() { "DPoP" } else { "Bearer" };
    let from_header = dpop_token
        .clone()
        .or_else(|| authorization.and_then(|v| super::after_scheme(v, "bearer ")).map(|t| t.trim().to_owned()));
    // RFC 6750 §2.2: a form-encoded body may carry it instead (never both ways at once).
    let is_form = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| {
        v.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"))
    });
    let from_body =
        is_form.then(|| super::Params::parse(&body).get("access_token")).flatten().filter(|t| !t.is_empty());
    if from_header.is_some() && from_body.is_some() {
        let e = OAuthError::new(ErrorCode::InvalidRequest, "send the access token one way: the header or the body");
        return json_error(&e);
    }
    let Some(token) = from_header.or(from_body) else {
        let mut r = (StatusCode::UNAUTHORIZED, super::no_store_headers()).into_response();
        r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"keystead\""));
        return r;
    };
    let result = async {
        let proof_jkt = match &dpop_token {
            Some(t) => {
                let target = ProofTarget { method: method.as_str(), path: "/oauth/userinfo", access_token: Some(t) };
                let jkt = dpop::proved_key(&state, &headers, target).await?;
                Some(jkt.ok_or_else(|| {
                    OAuthError::new(ErrorCode::InvalidDpopProof, "the DPoP scheme needs a DPoP proof")
                })?)
            }
            None => None,
        };
        state.core.userinfo(&token, proof_jkt.as_deref()).await
    }
    .await;
    match result {
        Ok(claims) => json_ok(claims),
        Err(e) if matches!(e.code, ErrorCode::ServerError | ErrorCode::TemporarilyUnavailable) => json_error(&e),
        Err(e) => resource_error(&state, &e, scheme),
    }
}

/// A resource endpoint's refusal: 403 for `insufficient_scope`, else 401, with the challenge in
/// the scheme the token came with (and a `DPoP-Nonce` when that is what is missing).
fn resource_error(state: &AppState, e: &OAuthError, scheme: &str) -> Response {
    let body = serde_json::json!({ "error": e.code.as_str(), "error_description": e.description });
    let status = if e.code == ErrorCode::InsufficientScope { StatusCode::FORBIDDEN } else { StatusCode::UNAUTHORIZED };
    let mut r = (status, super::no_store_headers(), axum::Json(body)).into_response();
    let algs = if scheme == "DPoP" {
        format!(", algs=\"{}\"", keystead_core::oauth::dpop::alg_names().join(" "))
    } else {
        String::new()
    };
    let challenge = format!(
        "{scheme} realm=\"keystead\", error=\"{}\", error_description=\"{}\"{algs}",
        e.code.as_str(),
        e.description.replace(['"', '\\'], "")
    );
    if let Ok(v) = HeaderValue::from_str(&challenge) {
        r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    if e.code == ErrorCode::UseDpopNonce { dpop::with_nonce(state, r) } else { r }
}
