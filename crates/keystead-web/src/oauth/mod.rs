//! The OAuth 2.0 / OpenID Connect endpoints. The token, pushed authorization request,
//! introspection, revocation, userinfo and device endpoints are called by clients across origins without cookies: they are exempt from
//! the CSRF origin check (see [`CSRF_EXEMPT`]) and never read the session cookie.

mod authorize;
mod device;
mod discovery;
mod dpop;
mod endpoints;
mod logout;
mod par;

pub use authorize::{authorize_by_post, decide_authorization, show_authorization};
pub use device::{decide_device, show_device};
pub(crate) use discovery::discovery_document;
pub use discovery::{show_jwks, show_openid_configuration};
pub(crate) use dpop::{dpop_scheme_token, proved_key};
pub use endpoints::{device_authorization, introspect, revoke, token, userinfo};
pub use logout::{confirm_end_session, end_session, end_session_by_post};
pub use par::push_authorization_request;

use askama::Template;
use askama_web::WebTemplate;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use keystead_core::oauth::clients::ClientCredentials;
use keystead_core::oauth::{ErrorCode, MAX_PARAM_LEN, OAuthError};

use crate::state::AppState;
use crate::ui::Layout;

/// Paths called by clients without cookies, exempt from the CSRF origin check (exact match).
/// `/oauth/authorize` and `/oauth/logout` are here for their `POST` forms, which only redirect to
/// the `GET` (the consent decision and the sign-out confirmation are
/// `/oauth/authorize/decision` and `/oauth/logout/confirm`, which are checked).
pub const CSRF_EXEMPT: [&str; 8] = [
    "/oauth/token",
    "/oauth/par",
    "/oauth/introspect",
    "/oauth/revoke",
    "/oauth/device_authorization",
    "/oauth/userinfo",
    "/oauth/authorize",
    "/oauth/logout",
];

/// Endpoints a browser application (a public client's page on its own origin) calls: they
/// answer CORS for the registered redirect origins of public clients (see
/// [`crate::middleware::cors`]). Introspection is for servers with a secret: not here.
pub const CORS_PATHS: [&str; 8] = [
    "/oauth/par",
    "/oauth/token",
    "/oauth/userinfo",
    "/oauth/revoke",
    "/oauth/device_authorization",
    "/.well-known/openid-configuration",
    "/.well-known/oauth-authorization-server",
    "/.well-known/jwks.json",
];

/// Parameters of a request (query or form body), each name with all its values.
#[derive(Debug, Default)]
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    /// Parses `application/x-www-form-urlencoded` text.
    pub(crate) fn parse(raw: &[u8]) -> Self {
        Self(url::form_urlencoded::parse(raw).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
    }

    /// The single value of `name` (the first when repeated; [`Params::repeated`] reports that).
    pub(crate) fn get(&self, name: &str) -> Option<String> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    /// Names among `names` that appear more than once (RFC 6749 §3.1, §3.2).
    pub(crate) fn repeated(&self, names: &[&str]) -> Vec<String> {
        names.iter().filter(|n| self.0.iter().filter(|(k, _)| k == *n).count() > 1).map(|n| (*n).to_owned()).collect()
    }

    /// Names of values longer than [`MAX_PARAM_LEN`] (tokens may be longer: see callers).
    pub(crate) fn oversized(&self, limit: usize) -> Vec<String> {
        self.0.iter().filter(|(_, v)| v.len() > limit).map(|(k, _)| k.clone()).collect()
    }
}

/// The JSON error of the token-style endpoints (RFC 6749 §5.2): 400, or 401 with
/// `WWW-Authenticate` for `invalid_client`, or 503 with `Retry-After` when the server is busy or
/// its database out of reach; never cached.
pub(crate) fn json_error(e: &OAuthError) -> Response {
    let status = match e.code {
        ErrorCode::InvalidClient => StatusCode::UNAUTHORIZED,
        ErrorCode::ServerError => StatusCode::INTERNAL_SERVER_ERROR,
        ErrorCode::TemporarilyUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::BAD_REQUEST,
    };
    let body = serde_json::json!({ "error": e.code.as_str(), "error_description": e.description });
    let mut response = (status, no_store_headers(), axum::Json(body)).into_response();
    match e.code {
        ErrorCode::InvalidClient => {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"keystead\""));
        }
        ErrorCode::TemporarilyUnavailable => {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        _ => {}
    }
    response
}

/// `Cache-Control: no-store` and `Pragma: no-cache` (RFC 6749 §5.1).
pub(crate) fn no_store_headers() -> [(header::HeaderName, HeaderValue); 2] {
    [
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        (header::PRAGMA, HeaderValue::from_static("no-cache")),
    ]
}

/// A JSON success response that is never cached.
pub(crate) fn json_ok(body: impl serde::Serialize) -> Response {
    (StatusCode::OK, no_store_headers(), axum::Json(body)).into_response()
}

/// Reads a form body: the content type must be `application/x-www-form-urlencoded`; values may
/// not repeat (RFC 6749 §3.2) nor exceed the limit (tokens get more room).
pub(crate) fn read_form(headers: &HeaderMap, body: &[u8], names: &[&str]) -> Result<Params, OAuthError> {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !ct.trim_start().to_ascii_lowercase().starts_with("application/x-www-form-urlencoded") {
        return Err(OAuthError::new(ErrorCode::InvalidRequest, "the body must be application/x-www-form-urlencoded"));
    }
    let params = Params::parse(body);
    if let Some(name) = params.repeated(names).first() {
        return Err(OAuthError::new(ErrorCode::InvalidRequest, format!("parameter {name} is repeated")));
    }
    if let Some(name) = params.oversized(16 * 1024).first() {
        return Err(OAuthError::new(ErrorCode::InvalidRequest, format!("parameter {name} is too long")));
    }
    let long_plain = params.0.iter().find(|(k, v)| {
        !matches!(k.as_str(), "token" | "refresh_token" | "id_token_hint" | "access_token" | "request")
            && v.len() > MAX_PARAM_LEN
    });
    if let Some((name, _)) = long_plain {
        return Err(OAuthError::new(ErrorCode::InvalidRequest, format!("parameter {name} is too long")));
    }
    Ok(params)
}

/// Client credentials from `Authorization: Basic` (each part form-decoded, RFC 6749 §2.3.1)
/// and the body.
pub(crate) struct FoundCredentials {
    basic: Option<(String, String)>,
    post_id: Option<String>,
    post_secret: Option<String>,
}

impl FoundCredentials {
    pub(crate) fn read(headers: &HeaderMap, params: &Params) -> Result<Self, OAuthError> {
        let authorization = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
        let basic = match authorization.and_then(|v| after_scheme(v, "basic ")) {
            Some(encoded) => {
                let bad = || OAuthError::new(ErrorCode::InvalidClient, "malformed HTTP Basic credentials");
                let raw = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).map_err(|_| bad())?;
                let text = String::from_utf8(raw).map_err(|_| bad())?;
                let (id, secret) = text.split_once(':').ok_or_else(bad)?;
                let decode = |s: &str| {
                    percent_encoding::percent_decode_str(&s.replace('+', " ")).decode_utf8().map(|c| c.into_owned())
                };
                Some((decode(id).map_err(|_| bad())?, decode(secret).map_err(|_| bad())?))
            }
            None => None,
        };
        Ok(Self { basic, post_id: params.get("client_id"), post_secret: params.get("client_secret") })
    }

    pub(crate) fn as_core(&self) -> ClientCredentials<'_> {
        ClientCredentials {
            basic: self.basic.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
            post_id: self.post_id.as_deref(),
            post_secret: self.post_secret.as_deref(),
        }
    }
}

/// The page for an authorization request that cannot be sent back to the client.
#[derive(Template, WebTemplate)]
#[template(path = "oauth/problem.html")]
pub struct ProblemPage {
    layout: Layout,
    heading: String,
    detail: String,
}

/// What follows an `Authorization` scheme such as `"basic "` or `"bearer "` (matched ignoring
/// case), if anything does. Compared through `str::get`, so no header text can make it slice
/// inside a character.
pub(crate) fn after_scheme<'a>(value: &'a str, scheme: &str) -> Option<&'a str> {
    let named = value.get(..scheme.len())?.eq_ignore_ascii_case(scheme);
    value.get(scheme.len()..).filter(|rest| named && !rest.is_empty())
}

/// The largest request accepted as a form body by [`form_post_as_get`] (an ID token hint may
/// take 16 KiB; other values are limited to `MAX_PARAM_LEN` anyway).
const MAX_POSTED_REQUEST: usize = 20 * 1024;

/// A request a client's page sends by cross-site form `POST` (authorization, RP-initiated
/// logout: both specifications say the endpoint MUST support POST), answered with a `303` to the
/// same parameters as a `GET` of `path`. The POST arrives without the session cookie
/// (`SameSite=Lax`), the `GET` it becomes is a top-level navigation that carries it; nothing is
/// decided here, every check happens on the `GET`.
pub(crate) fn form_post_as_get(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
    path: &str,
    heading: &str,
) -> Response {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !ct.trim_start().to_ascii_lowercase().starts_with("application/x-www-form-urlencoded") {
        return problem_page(
            state,
            heading,
            "A request sent with POST must be a form (application/x-www-form-urlencoded).",
        );
    }
    if body.len() > MAX_POSTED_REQUEST {
        return problem_page(state, heading, "The request is too long.");
    }
    let params = Params::parse(body);
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in &params.0 {
        query.append_pair(name, value);
    }
    match HeaderValue::from_str(&format!("{path}?{}", query.finish())) {
        Ok(v) => (StatusCode::SEE_OTHER, [(header::LOCATION, v)]).into_response(),
        Err(_) => problem_page(state, heading, "The request is malformed."),
    }
}

/// A 400 page explaining what is wrong with the request.
pub(crate) fn problem_page(state: &AppState, heading: &str, detail: &str) -> Response {
    let page =
        ProblemPage { layout: Layout::new(state, heading), heading: heading.to_owned(), detail: detail.to_owned() };
    (StatusCode::BAD_REQUEST, page).into_response()
}

/// The page CSP with `form-action` widened to `target`'s origin: Chromium applies form-action
/// to the redirect that follows a form POST (consent, logout) to the client.
pub(crate) fn csp_allowing_form_target(target: &str) -> Option<HeaderValue> {
    let u = url::Url::parse(target).ok()?;
    let source = match u.scheme() {
        "http" | "https" => u.origin().ascii_serialization(),
        scheme => format!("{scheme}:"),
    };
    if source.contains([' ', ';', ',', '\'']) {
        return None;
    }
    let csp = format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; \
         connect-src 'self'; form-action 'self' {source}; frame-ancestors 'none'; base-uri 'none'"
    );
    HeaderValue::from_str(&csp).ok()
}

#[cfg(test)]
mod tests {
    use super::after_scheme;

    #[test]
    fn an_authorization_scheme_is_matched_without_slicing_inside_a_character() {
        assert_eq!(after_scheme("Bearer abc", "bearer "), Some("abc"));
        assert_eq!(after_scheme("BASIC eA==", "basic "), Some("eA=="));
        assert_eq!(after_scheme("Bearer ", "bearer "), None);
        assert_eq!(after_scheme("Bearé abc", "bearer "), None);
        assert_eq!(after_scheme("Béarer", "bearer "), None);
        assert_eq!(after_scheme("", "basic "), None);
    }
}
