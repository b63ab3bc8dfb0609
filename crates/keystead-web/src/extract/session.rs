//! The signed-in session, from the session cookie.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use keystead_core::sessions::{NewSession, SessionInfo, SessionStage, cookie_value};

use crate::error::WebError;
use crate::state::AppState;

/// The session cookie's base name (`__Host-` is prefixed over HTTPS).
pub const SESSION_COOKIE: &str = "keystead-session";

/// The cookie that carries a new session's token.
pub fn session_cookie(state: &AppState, token: &str) -> Cookie<'static> {
    Cookie::build((state.cookie_name(SESSION_COOKIE), token.to_owned()))
        .path("/")
        .http_only(true)
        .secure(state.secure_cookies())
        .same_site(SameSite::Lax)
        .max_age(
            time::Duration::try_from(state.core.config().sessions.absolute.unsigned_abs())
                .unwrap_or(time::Duration::days(90)),
        )
        .build()
}

/// Sets the cookie of a new session and drops the CSRF cookie, so the session starts with a
/// fresh form token (no fixation of either).
pub fn start_session(jar: CookieJar, state: &AppState, new: &NewSession) -> CookieJar {
    jar.add(session_cookie(state, cookie_value(new)))
        .remove(Cookie::build(state.cookie_name(crate::csrf::COOKIE)).path("/").build())
}

/// The session, when there is a live one (of any stage).
#[derive(Debug, Clone)]
pub struct CurrentSession(pub Option<SessionInfo>);

impl CurrentSession {
    /// The session if it is fully signed in.
    pub fn authenticated(&self) -> Option<&SessionInfo> {
        self.0.as_ref().filter(|s| s.stage == SessionStage::Authenticated)
    }
}

impl FromRequestParts<AppState> for CurrentSession {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(cached) = parts.extensions.get::<CurrentSession>() {
            return Ok(cached.clone());
        }
        let jar = CookieJar::from_headers(&parts.headers);
        let session = match jar.get(&state.cookie_name(SESSION_COOKIE)) {
            Some(cookie) => state.core.session_from_token(cookie.value()).await?,
            None => None,
        };
        crate::i18n::prefer_user(session.as_ref().and_then(|s| s.user.locale.as_deref()));
        // A page's header shows the active organization with a switcher to the others: one
        // indexed query, only for signed-in page views (not for forms' POSTs or JSON).
        if let Some(s) = session.as_ref().filter(|s| s.stage == SessionStage::Authenticated)
            && wants_page(parts)
        {
            crate::scope::set_organizations(state.core.my_organizations(s).await?);
            crate::scope::set_operator(state.core.is_operator(s.user.id).await?);
        }
        let current = Self(session);
        parts.extensions.insert(current.clone());
        Ok(current)
    }
}

/// A `GET` from a browser expecting HTML.
fn wants_page(parts: &Parts) -> bool {
    parts.method == axum::http::Method::GET
        && parts
            .headers
            .get(axum::http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_none_or(|a| a.contains("text/html") || a.contains("*/*"))
}

/// A fully signed-in session; otherwise the user is sent to sign in (and back afterwards), or
/// to the step they must finish first.
#[derive(Debug, Clone)]
pub struct RequireSession(pub SessionInfo);

impl FromRequestParts<AppState> for RequireSession {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let current = CurrentSession::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        match current.0 {
            Some(s) if s.stage == SessionStage::Authenticated => {
                // Missing required data or a required agreement version not yet accepted: that
                // step first. No query for `incomplete_profile`, one indexed query otherwise.
                if state.core.must_complete_profile(&s.user).await.map_err(|e| WebError(e).into_response())? {
                    return Err(Redirect::to(&complete_profile_target(parts)).into_response());
                }
                Ok(Self(s))
            }
            Some(s) if s.stage == SessionStage::PasswordExpired => {
                Err(Redirect::to("/password/expired").into_response())
            }
            Some(s) if s.stage == SessionStage::MfaSetupRequired => {
                Err(Redirect::to("/account/two-factor").into_response())
            }
            Some(s) if s.stage == SessionStage::SecondFactorPending => {
                let here = parts.uri.path_and_query().map_or("/", |p| p.as_str());
                Err(Redirect::to(&crate::ui::mfa::second_factor_target(Some(here))).into_response())
            }
            _ => {
                let here = parts.uri.path_and_query().map_or("/", |p| p.as_str());
                let query =
                    url::form_urlencoded::Serializer::new(String::new()).append_pair("return_to", here).finish();
                Err(Redirect::to(&format!("/sign-in?{query}")).into_response())
            }
        }
    }
}

/// `/complete-profile?return_to=<this page>`.
pub fn complete_profile_target(parts: &Parts) -> String {
    let here = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let query = url::form_urlencoded::Serializer::new(String::new()).append_pair("return_to", here).finish();
    format!("/complete-profile?{query}")
}
