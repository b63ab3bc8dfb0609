//! Security headers on every response: a CSP without inline script, no framing, no sniffing,
//! no referrer (links carry tokens), and HSTS when served over HTTPS.

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use super::RequestContext;
use crate::state::AppState;

// form-action also governs redirects after a POST in Chromium: the OAuth consent step must add
// its client's redirect origin for that response.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; \
                   connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The CSP with images also allowed from `origins` (already-validated http(s) origins such as
/// `https://cdn.example.com`), for a page showing images the operator configured by URL (the
/// extension chooser's icons). A response carrying its own CSP keeps it.
pub(crate) fn csp_with_image_origins<'a>(origins: impl IntoIterator<Item = &'a str>) -> Option<HeaderValue> {
    let mut sources = String::from("img-src 'self' data:");
    for origin in origins {
        if origin.chars().any(|c| c.is_whitespace() || c == ';' || c == ',' || c == '\'' || c.is_control()) {
            continue;
        }
        sources.push(' ');
        sources.push_str(origin);
    }
    HeaderValue::from_str(&CSP.replace("img-src 'self' data:", &sources)).ok()
}

/// Adds the security headers.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let https = req.extensions().get::<RequestContext>().is_some_and(|c| c.https) || state.secure_cookies();
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    let mut set = |name: HeaderName, value: &'static str| {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    };
    set(header::CONTENT_SECURITY_POLICY, CSP);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::REFERRER_POLICY, "no-referrer");
    set(HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    set(HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=(), payment=()");
    if https {
        set(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains");
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
