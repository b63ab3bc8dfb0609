//! RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2–3): with an `id_token_hint`
//! for this browser's session the user is signed out at once; otherwise they confirm first, so
//! that another site cannot sign them out.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::Cookie;
use axum_extra::extract::{CookieJar, SignedCookieJar};
use keystead_core::oauth::logout::EndSession;
use serde::Deserialize;

use super::{csp_allowing_form_target, problem_page};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::extract::{ClientMeta, CurrentSession, SESSION_COOKIE};
use crate::flash::{self, Level};
use crate::state::AppState;
use crate::ui::Layout;

/// The end-session parameters (query or form).
#[derive(Debug, Deserialize)]
pub struct EndSessionParams {
    id_token_hint: Option<String>,
    client_id: Option<String>,
    post_logout_redirect_uri: Option<String>,
    state: Option<String>,
}

/// The confirmation page.
#[derive(Template, WebTemplate)]
#[template(path = "oauth/logout.html")]
pub struct LogoutPage {
    layout: Layout,
    csrf: String,
    client_name: Option<String>,
    id_token_hint: Option<String>,
    client_id: Option<String>,
    post_logout_redirect_uri: Option<String>,
    state: Option<String>,
}

async fn validate(state: &AppState, p: &EndSessionParams) -> Result<EndSession, Response> {
    let too_long = [&p.client_id, &p.post_logout_redirect_uri, &p.state]
        .iter()
        .any(|v| v.as_ref().is_some_and(|s| s.len() > keystead_core::oauth::MAX_PARAM_LEN))
        || p.id_token_hint.as_ref().is_some_and(|s| s.len() > 16 * 1024);
    let locale = crate::i18n::current();
    let heading = locale.t("oauth-invalid-sign-out-request");
    if too_long {
        return Err(problem_page(state, &heading, &locale.t("oauth-param-too-long")));
    }
    state
        .core
        .end_session_request(
            p.id_token_hint.as_deref(),
            p.client_id.as_deref(),
            p.post_logout_redirect_uri.as_deref(),
            p.state.as_deref(),
        )
        .await
        .map_err(|e| problem_page(state, &heading, &e.description))
}

async fn finish(
    state: &AppState,
    session: &CurrentSession,
    meta: &keystead_core::audit::RequestMeta,
    cookies: CookieJar,
    signed: SignedCookieJar,
    plan: &EndSession,
) -> Response {
    if let Some(s) = &session.0
        && let Err(e) = state.core.sign_out(s, meta).await
    {
        return crate::error::WebError(e).into_response();
    }
    let cookies = cookies.remove(Cookie::build(state.cookie_name(SESSION_COOKIE)).path("/").build());
    match &plan.redirect {
        Some(url) => (cookies, Redirect::to(url)).into_response(),
        None => {
            let signed = flash::push(signed, state, Level::Success, crate::i18n::current().t("oauth-signed-out"));
            (cookies, signed, Redirect::to("/sign-in")).into_response()
        }
    }
}

/// `GET /oauth/logout`
pub async fn end_session(
    State(state): State<AppState>,
    session: CurrentSession,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    cookies: CookieJar,
    signed: SignedCookieJar,
    Query(p): Query<EndSessionParams>,
) -> Response {
    let plan = match validate(&state, &p).await {
        Ok(plan) => plan,
        Err(page) => return page,
    };
    let hinted_here = match (&session.0, &plan.sid) {
        (Some(s), Some(sid)) => s.id.to_string() == *sid,
        (None, _) => true,
        _ => false,
    };
    if hinted_here {
        return finish(&state, &session, &meta, cookies, signed, &plan).await;
    }
    let page = LogoutPage {
        layout: Layout::titled(&state, "sign-out"),
        csrf: csrf.value().to_owned(),
        client_name: plan.client.as_ref().map(|c| c.name.clone()),
        id_token_hint: p.id_token_hint,
        client_id: p.client_id,
        post_logout_redirect_uri: p.post_logout_redirect_uri,
        state: p.state,
    };
    let mut response = (csrf, page).into_response();
    if let Some(csp) = plan.redirect.as_deref().and_then(csp_allowing_form_target) {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    response
}

/// `POST /oauth/logout`: the same request from the client's page as a form (RP-Initiated Logout
/// 1.0 §2: the OP MUST support POST), answered like the `GET` it is turned into.
pub async fn end_session_by_post(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let heading = crate::i18n::current().t("oauth-invalid-sign-out-request");
    super::form_post_as_get(&state, &headers, &body, "/oauth/logout", &heading)
}

/// `POST /oauth/logout/confirm`: the confirmation form of this server's own page.
pub async fn confirm_end_session(
    State(state): State<AppState>,
    session: CurrentSession,
    ClientMeta(meta): ClientMeta,
    cookies: CookieJar,
    signed: SignedCookieJar,
    CsrfForm(p): CsrfForm<EndSessionParams>,
) -> Response {
    let plan = match validate(&state, &p).await {
        Ok(plan) => plan,
        Err(page) => return page,
    };
    finish(&state, &session, &meta, cookies, signed, &plan).await
}
