//! `GET` and `POST /oauth/authorize` and the "Authorize app" consent screen (RFC 6749
//! §4.1.1–4.1.2, OpenID Connect Core §3.1.2).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use keystead_core::audit::RequestMeta;
use keystead_core::oauth::authorize::{AuthorizationRequest, AuthorizeError, AuthorizeParams, Decision};
use keystead_core::oauth::{ErrorCode, MAX_PARAM_LEN, issuer};
use keystead_core::sessions::{SessionInfo, SessionStage};
use serde::Deserialize;

use super::{Params, csp_allowing_form_target, problem_page};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::extract::{ClientMeta, CurrentSession};
use crate::state::AppState;
use crate::ui::Layout;

/// Names whose repetition is an error (RFC 6749 §3.1).
pub(super) const NAMES: [&str; 17] = [
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "prompt",
    "max_age",
    "login_hint",
    "response_mode",
    "id_token_hint",
    "request",
    "request_uri",
    "claims",
    "dpop_jkt",
];

/// The parameter this server adds when it sends the user to sign in again.
const AUTH_AFTER: &str = "ks_auth_after";

/// The consent screen.
#[derive(Template, WebTemplate)]
#[template(path = "oauth/consent.html")]
pub struct ConsentPage {
    layout: Layout,
    csrf: String,
    client_name: String,
    user_email: String,
    scopes: Vec<String>,
    request: String,
}

/// What each scope lets the app see, in the request's language (`oauth-scope-<name>`; scopes
/// that show nothing of the person have no message and are left out, as core's descriptions do).
pub(crate) fn scope_labels(scopes: &keystead_core::oauth::scopes::Scopes) -> Vec<String> {
    let locale = crate::i18n::current();
    scopes
        .iter()
        .filter_map(|name| {
            let key = format!("oauth-scope-{}", name.replace('_', "-"));
            keystead_core::i18n::Locale::has(&key).then(|| locale.t(&key))
        })
        .collect()
}

/// The consent form.
#[derive(Debug, Deserialize)]
pub struct ConsentForm {
    request: String,
    decision: String,
}

fn params_of(query: &str) -> AuthorizeParams {
    params_from(&Params::parse(query.as_bytes()))
}

/// The authorization request parameters among `p` (a query, a form, or a pushed request).
pub(super) fn params_from(p: &Params) -> AuthorizeParams {
    AuthorizeParams {
        response_type: p.get("response_type"),
        client_id: p.get("client_id"),
        redirect_uri: p.get("redirect_uri"),
        scope: p.get("scope"),
        state: p.get("state"),
        nonce: p.get("nonce"),
        code_challenge: p.get("code_challenge"),
        code_challenge_method: p.get("code_challenge_method"),
        prompt: p.get("prompt"),
        max_age: p.get("max_age"),
        login_hint: p.get("login_hint"),
        response_mode: p.get("response_mode"),
        id_token_hint: p.get("id_token_hint"),
        auth_after: p.get(AUTH_AFTER),
        request: p.get("request"),
        request_uri: p.get("request_uri"),
        claims: p.get("claims"),
        dpop_jkt: p.get("dpop_jkt"),
        repeated: p.repeated(&NAMES),
        // An ID token may be longer than other parameters (its claims), and a request object is
        // refused whatever its length; core bounds the ID token at 16 KiB.
        oversized: p.oversized(MAX_PARAM_LEN).into_iter().filter(|n| n != "id_token_hint" && n != "request").collect(),
    }
}

fn found(url: &str) -> Response {
    match HeaderValue::from_str(url) {
        Ok(v) => (StatusCode::FOUND, [(header::LOCATION, v)]).into_response(),
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// Sends the browser to the client. After a navigation that started on one of our own pages
/// (the sign-in form), Chromium would apply that page's CSP `form-action` to the redirect and
/// block it; a page that moves on by itself is not subject to it.
fn to_client(headers: &HeaderMap, url: &str) -> Response {
    let same_origin = headers.get("sec-fetch-site").is_some_and(|v| v == "same-origin");
    if !same_origin {
        return found(url);
    }
    let escaped = url
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\'', "&#39;");
    let locale = crate::i18n::current();
    let (title, link) = (locale.t("oauth-returning"), locale.t("oauth-continue-to-app"));
    let html = format!(
        "<!doctype html><html lang=\"{locale}\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0;url={escaped}\">\
         <title>{title}</title></head><body><p><a href=\"{escaped}\">{link}</a></p></body></html>"
    );
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

/// Sends `e` for the validated `req`: its pushed request (RFC 9126), if any, ends with it.
async fn refuse(state: &AppState, req: &AuthorizationRequest, e: AuthorizeError) -> Response {
    authorize_error(state, &state.core.end_authorization(req, e).await)
}

fn authorize_error(state: &AppState, e: &AuthorizeError) -> Response {
    match e {
        AuthorizeError::Page(detail) => {
            problem_page(state, &crate::i18n::current().t("oauth-invalid-sign-in-request"), detail)
        }
        redirect => match redirect.redirect_url(&issuer(&state.core)) {
            Some(url) => found(&url),
            None => StatusCode::BAD_REQUEST.into_response(),
        },
    }
}

/// Sends the browser to sign in, and back here afterwards. The client's `login_hint` (OpenID
/// Connect Core §3.1.2.1) fills in the address on the sign-in page.
/// With `reauthenticate` (the core's signed mark), the person signs in again first; an earlier
/// mark in the query is replaced.
fn sign_in_redirect(query: &str, login_hint: Option<&str>, reauthenticate: Option<&str>) -> Response {
    let mut here = format!("/oauth/authorize?{query}");
    if let Some(mark) = reauthenticate {
        let kept = url::form_urlencoded::parse(query.as_bytes()).filter(|(k, _)| k != AUTH_AFTER);
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        q.extend_pairs(kept).append_pair(AUTH_AFTER, mark);
        here = format!("/oauth/authorize?{}", q.finish());
    }
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair("return_to", &here);
    if reauthenticate.is_some() {
        q.append_pair("reauthenticate", "1");
    } else if let Some(hint) = login_hint.filter(|h| !h.is_empty()) {
        q.append_pair("login_hint", hint);
    }
    found(&format!("/sign-in?{}", q.finish()))
}

/// `POST /oauth/authorize`: the same request as a form (OpenID Connect Core §3.1.2.1: "MUST
/// support the use of the HTTP GET and POST methods"). It arrives from the client's page, so it
/// is exempt from the cross-origin check, and without the session cookie (SameSite), so it is
/// turned into the equivalent `GET`, which is a top-level navigation that carries the cookie.
/// Nothing is decided here: every check happens on the `GET`.
pub async fn authorize_by_post(State(state): State<AppState>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    let heading = crate::i18n::current().t("oauth-invalid-sign-in-request");
    super::form_post_as_get(&state, &headers, &body, "/oauth/authorize", &heading)
}

/// `GET /oauth/authorize`
pub async fn show_authorization(
    State(state): State<AppState>,
    session: CurrentSession,
    csrf: CsrfToken,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    let req = match state.core.validate_authorization(&params_of(&query)).await {
        Ok(r) => r,
        Err(e) => return authorize_error(&state, &e),
    };
    // A session with a step still owed (expired password, second factor, profile) cannot
    // authorize yet: `prompt=none` says so; otherwise the step comes first.
    let usable = match &session.0 {
        Some(s) if s.stage == SessionStage::Authenticated => match state.core.must_complete_profile(&s.user).await {
            Ok(false) => Some(s),
            Ok(true) if req.prompt_none => {
                let e = req.error(ErrorCode::InteractionRequired, "the user must complete their profile");
                return refuse(&state, &req, e).await;
            }
            Ok(true) => {
                let here = format!("/oauth/authorize?{query}");
                let q = url::form_urlencoded::Serializer::new(String::new()).append_pair("return_to", &here).finish();
                return found(&format!("/complete-profile?{q}"));
            }
            Err(e) => return crate::error::WebError(e).into_response(),
        },
        Some(_) if req.prompt_none => {
            return refuse(&state, &req, req.error(ErrorCode::InteractionRequired, "the user must finish signing in"))
                .await;
        }
        Some(s) if s.stage == SessionStage::PasswordExpired => return found("/password/expired"),
        _ => None,
    };
    let consented = match usable {
        Some(s) => match state.core.has_consented(&req, s).await {
            Ok(c) => c,
            Err(e) => return refuse(&state, &req, req.error(e.code, e.description)).await,
        },
        None => false,
    };
    let now = state.core.clock().now();
    match req.decide(usable, consented, now) {
        Err(e) => refuse(&state, &req, e).await,
        Ok(Decision::SignIn { reauthenticate }) => {
            let mark = reauthenticate.then(|| state.core.reauthentication_mark(&req.client.client_id));
            sign_in_redirect(&query, req.login_hint.as_deref(), mark.as_deref())
        }
        Ok(Decision::Consent) => match usable {
            Some(s) => consent_page(&state, csrf, &req, s, &query),
            None => sign_in_redirect(&query, req.login_hint.as_deref(), None),
        },
        Ok(Decision::Issue) => match usable {
            Some(s) => issue(&state, &headers, &req, s, None).await,
            None => sign_in_redirect(&query, req.login_hint.as_deref(), None),
        },
    }
}

async fn issue(
    state: &AppState,
    headers: &HeaderMap,
    req: &AuthorizationRequest,
    s: &SessionInfo,
    consent: Option<&RequestMeta>,
) -> Response {
    let result = match consent {
        Some(meta) => state.core.consent_and_issue_code(req, s, meta).await,
        None => state.core.issue_code(req, s).await,
    };
    match result {
        Ok(url) => to_client(headers, &url),
        Err(e) => refuse(state, req, req.error(e.code, e.description)).await,
    }
}

fn consent_page(
    state: &AppState,
    csrf: CsrfToken,
    req: &AuthorizationRequest,
    s: &SessionInfo,
    query: &str,
) -> Response {
    let page = ConsentPage {
        layout: Layout::titled(state, "oauth-authorize-title").signed_in(Some(s), &csrf),
        csrf: csrf.value().to_owned(),
        client_name: req.client.name.clone(),
        user_email: s.user.email.clone(),
        scopes: scope_labels(&req.consent_scopes()),
        request: query.to_owned(),
    };
    let mut response = (csrf, page).into_response();
    if let Some(csp) = csp_allowing_form_target(&req.redirect_uri) {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    response
}

/// `POST /oauth/authorize/decision`: Accept or Cancel on the consent screen. The request is validated
/// again from its parameters; only a fully signed-in session may accept.
pub async fn decide_authorization(
    State(state): State<AppState>,
    session: CurrentSession,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<ConsentForm>,
) -> Response {
    let req = match state.core.validate_authorization(&params_of(&form.request)).await {
        Ok(r) => r,
        Err(e) => return authorize_error(&state, &e),
    };
    let Some(s) = session.authenticated() else {
        return sign_in_redirect(&form.request, req.login_hint.as_deref(), None);
    };
    if form.decision != "accept" {
        return refuse(&state, &req, req.error(ErrorCode::AccessDenied, "the user cancelled")).await;
    }
    issue(&state, &headers, &req, s, Some(&meta)).await
}
