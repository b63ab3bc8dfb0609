//! The sign-in step after the password (authenticator app, email code, passkey, recovery code)
//! and passwordless sign-in with a passkey. Passkey pages carry the WebAuthn options; our small
//! `passkey.js` makes the `navigator.credentials` call and posts the answer in the page's form.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::Cookie;
use axum_extra::extract::{CookieJar, SignedCookieJar};
use keystead_core::mfa::{Method, PasskeyCeremony};
use keystead_core::sessions::{SessionInfo, SessionStage};
use keystead_core::{Code, Error, FieldErrors};
use serde::Deserialize;

use super::{Layout, safe_return_to};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::extract::{ClientMeta, CurrentSession, SESSION_COOKIE, start_session};
use crate::flash::{self, Level};
use crate::state::AppState;

/// A method offered on the second-factor page.
#[derive(Debug, Clone)]
pub struct MethodChoice {
    /// `totp`, `email`, …
    pub key: &'static str,
    /// What a person calls it.
    pub label: &'static str,
    /// The one shown now.
    pub current: bool,
}

/// The second-factor page.
#[derive(Template, WebTemplate)]
#[template(path = "mfa/second_factor.html")]
pub struct SecondFactorPage {
    layout: Layout,
    csrf: String,
    method: &'static str,
    choices: Vec<MethodChoice>,
    return_to: Option<String>,
    /// `&return_to=…` for the links to other methods.
    return_query: String,
    passkeys_available: bool,
    errors: FieldErrors,
}

/// A page that runs one WebAuthn ceremony.
#[derive(Template, WebTemplate)]
#[template(path = "mfa/passkey.html")]
pub struct PasskeyPage {
    /// The layout.
    pub layout: Layout,
    /// The CSRF token.
    pub csrf: String,
    /// `create` (registration) or `get` (sign-in).
    pub mode: &'static str,
    /// The heading.
    pub heading: &'static str,
    /// What to do.
    pub intro: &'static str,
    /// Where the answer goes.
    pub action: &'static str,
    /// The ceremony id.
    pub ceremony: String,
    /// The options JSON.
    pub options: String,
    /// Where to go afterwards.
    pub return_to: Option<String>,
    /// Where "Cancel" leads.
    pub cancel: &'static str,
    /// The script URL.
    pub script: String,
}

impl PasskeyPage {
    /// The page for a started ceremony.
    #[expect(clippy::too_many_arguments, reason = "one page, many plain parts")]
    pub fn new(
        layout: Layout,
        csrf: &CsrfToken,
        mode: &'static str,
        heading: &'static str,
        intro: &'static str,
        action: &'static str,
        ceremony: PasskeyCeremony,
        cancel: &'static str,
    ) -> Self {
        Self {
            layout,
            csrf: csrf.value().to_owned(),
            mode,
            heading,
            intro,
            action,
            ceremony: ceremony.id.to_string(),
            options: ceremony.options,
            return_to: None,
            cancel,
            script: crate::assets::url("passkey.js"),
        }
    }
}

/// `?method=&return_to=`
#[derive(Debug, Deserialize)]
pub struct SecondFactorQuery {
    method: Option<String>,
    return_to: Option<String>,
}

/// The code form.
#[derive(Debug, Deserialize)]
pub struct SecondFactorForm {
    method: String,
    code: String,
    return_to: Option<String>,
}

/// A form with only `return_to`.
#[derive(Debug, Deserialize)]
pub struct ReturnToForm {
    return_to: Option<String>,
}

/// The browser's answer to a passkey ceremony.
#[derive(Debug, Deserialize)]
pub struct PasskeyAnswer {
    ceremony: String,
    credential: String,
    return_to: Option<String>,
}

/// The pending session, or the way back to the password step.
fn pending(session: &CurrentSession) -> Result<&SessionInfo, Redirect> {
    match &session.0 {
        Some(s) if s.stage == SessionStage::SecondFactorPending => Ok(s),
        Some(s) if s.stage == SessionStage::Authenticated => Err(Redirect::to(super::LANDING)),
        _ => Err(Redirect::to("/sign-in")),
    }
}

/// Where a session goes once the second step passed.
fn next_page(stage: SessionStage, return_to: Option<String>) -> String {
    match stage {
        SessionStage::PasswordExpired => "/password/expired".to_owned(),
        _ => super::after_sign_in(return_to),
    }
}

/// `/sign-in/second-factor?return_to=…`
pub fn second_factor_target(return_to: Option<&str>) -> String {
    match return_to {
        Some(r) => {
            let q = url::form_urlencoded::Serializer::new(String::new()).append_pair("return_to", r).finish();
            format!("/sign-in/second-factor?{q}")
        }
        None => "/sign-in/second-factor".to_owned(),
    }
}

async fn second_factor_page(
    state: &AppState,
    session: &SessionInfo,
    csrf: &CsrfToken,
    wanted: Option<&str>,
    return_to: Option<String>,
    errors: FieldErrors,
) -> Result<SecondFactorPage, WebError> {
    let status = state.core.mfa_status(session.user.id).await?;
    let method = wanted.and_then(Method::parse).filter(|m| status.methods.contains(m));
    let method = method.or_else(|| status.methods.first().copied()).unwrap_or(Method::Recovery);
    let choices = status
        .methods
        .iter()
        .map(|m| MethodChoice { key: m.as_str(), label: m.label(), current: *m == method })
        .collect();
    Ok(SecondFactorPage {
        layout: Layout::new(state, "Two-step verification"),
        csrf: csrf.value().to_owned(),
        method: method.as_str(),
        choices,
        return_query: return_to
            .as_deref()
            .map(|r| {
                let q = url::form_urlencoded::Serializer::new(String::new()).append_pair("return_to", r).finish();
                format!("&{q}")
            })
            .unwrap_or_default(),
        return_to,
        passkeys_available: state.core.passkeys_available(),
        errors,
    })
}

/// Ends a pending session that took too long, back to the password.
fn restart(state: &AppState, jar: SignedCookieJar, cookies: CookieJar, text: &str) -> Response {
    let cookies = cookies.remove(Cookie::build(state.cookie_name(SESSION_COOKIE)).path("/").build());
    let jar = flash::push(jar, state, Level::Error, text);
    (cookies, jar, Redirect::to("/sign-in")).into_response()
}

fn is_expired(e: &Error) -> bool {
    matches!(e, Error::Invalid(f) if f.for_field("code").any(|e| e.code == "sign_in_expired"))
}

const TOO_SLOW: &str = "Too much time has passed since you entered your password. Sign in again.";

/// `GET /sign-in/second-factor`
pub async fn show_second_factor(
    State(state): State<AppState>,
    csrf: CsrfToken,
    session: CurrentSession,
    jar: SignedCookieJar,
    cookies: CookieJar,
    Query(q): Query<SecondFactorQuery>,
) -> Result<Response, WebError> {
    let s = match pending(&session) {
        Ok(s) => s,
        Err(r) => return Ok(r.into_response()),
    };
    if let Err(e) = state.core.ensure_pending(s) {
        return Ok(if is_expired(&e) { restart(&state, jar, cookies, TOO_SLOW) } else { WebError(e).into_response() });
    }
    let (jar, flashes) = flash::take(jar, &state);
    let return_to = safe_return_to(q.return_to.as_deref());
    let mut page = second_factor_page(&state, s, &csrf, q.method.as_deref(), return_to, FieldErrors::new()).await?;
    page.layout = page.layout.with_flashes(flashes);
    Ok((csrf, jar, page).into_response())
}

/// `POST /sign-in/second-factor`: a code from the app, an email or a recovery code.
pub async fn submit_second_factor(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    session: CurrentSession,
    jar: SignedCookieJar,
    cookies: CookieJar,
    CsrfForm(form): CsrfForm<SecondFactorForm>,
) -> Result<Response, WebError> {
    let s = match pending(&session) {
        Ok(s) => s,
        Err(r) => return Ok(r.into_response()),
    };
    let return_to = safe_return_to(form.return_to.as_deref());
    let Some(method) = Method::parse(&form.method) else {
        let mut errors = FieldErrors::new();
        errors.add("code", "method_unknown", "Choose one of the ways listed.");
        let page = second_factor_page(&state, s, &csrf, None, return_to, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response());
    };
    match state.core.complete_second_factor(s, method, &form.code, &meta).await {
        Ok(outcome) => {
            let jar = match outcome.recovery_codes_left {
                Some(0) => flash::push(
                    jar,
                    &state,
                    Level::Error,
                    "You used your last recovery code. Make new ones now under My Account → Two-factor authentication.",
                ),
                Some(1) => flash::push(
                    jar,
                    &state,
                    Level::Info,
                    "Recovery code accepted. Only 1 recovery code is left: make new ones soon.",
                ),
                Some(n) => flash::push(
                    jar,
                    &state,
                    Level::Info,
                    format!("Recovery code accepted. {n} recovery codes are left."),
                ),
                None => jar,
            };
            Ok((jar, Redirect::to(&next_page(outcome.stage, return_to))).into_response())
        }
        Err(e) if is_expired(&e) => Ok(restart(&state, jar, cookies, TOO_SLOW)),
        Err(Error::Invalid(errors)) => {
            let page = second_factor_page(&state, s, &csrf, Some(method.as_str()), return_to, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response())
        }
        Err(e) => Err(WebError(e)),
    }
}

/// `POST /sign-in/second-factor/email`: (re)sends the emailed code.
pub async fn send_second_factor_email(
    State(state): State<AppState>,
    session: CurrentSession,
    jar: SignedCookieJar,
    cookies: CookieJar,
    CsrfForm(form): CsrfForm<ReturnToForm>,
) -> Result<Response, WebError> {
    let s = match pending(&session) {
        Ok(s) => s,
        Err(r) => return Ok(r.into_response()),
    };
    let return_to = safe_return_to(form.return_to.as_deref());
    let back = format!(
        "{}{}method=email",
        second_factor_target(return_to.as_deref()),
        if return_to.is_some() { "&" } else { "?" }
    );
    let jar = match state.core.send_sign_in_code(s).await {
        Ok(()) => flash::push(jar, &state, Level::Success, format!("We sent a six-digit code to {}.", s.user.email)),
        Err(e) if is_expired(&e) => return Ok(restart(&state, jar, cookies, TOO_SLOW)),
        Err(Error::RateLimited { retry_after }) => flash::push(
            jar,
            &state,
            Level::Error,
            format!(
                "A code was sent a moment ago. You can ask for another in {}.",
                crate::error::human_duration(retry_after)
            ),
        ),
        Err(e) => return Err(WebError(e)),
    };
    Ok((jar, Redirect::to(&back)).into_response())
}

/// `POST /sign-in/second-factor/passkey`: starts the passkey step.
pub async fn start_second_factor_passkey(
    State(state): State<AppState>,
    csrf: CsrfToken,
    session: CurrentSession,
    jar: SignedCookieJar,
    cookies: CookieJar,
    CsrfForm(form): CsrfForm<ReturnToForm>,
) -> Result<Response, WebError> {
    let s = match pending(&session) {
        Ok(s) => s,
        Err(r) => return Ok(r.into_response()),
    };
    let return_to = safe_return_to(form.return_to.as_deref());
    match state.core.start_passkey_second_factor(s).await {
        Ok(ceremony) => {
            let layout = Layout::new(&state, "Use your passkey");
            let mut page = PasskeyPage::new(
                layout,
                &csrf,
                "get",
                "Use your passkey",
                "Confirm with your passkey (fingerprint, face, PIN or security key) when your browser asks.",
                "/sign-in/second-factor/passkey/finish",
                ceremony,
                "/sign-in/second-factor",
            );
            page.return_to = return_to;
            Ok((csrf, page).into_response())
        }
        Err(e) if is_expired(&e) => Ok(restart(&state, jar, cookies, TOO_SLOW)),
        Err(Error::Invalid(errors)) => {
            let page = second_factor_page(&state, s, &csrf, Some("passkey"), return_to, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response())
        }
        Err(e) => Err(WebError(e)),
    }
}

/// `POST /sign-in/second-factor/passkey/finish`
pub async fn finish_second_factor_passkey(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    session: CurrentSession,
    jar: SignedCookieJar,
    cookies: CookieJar,
    CsrfForm(form): CsrfForm<PasskeyAnswer>,
) -> Result<Response, WebError> {
    let s = match pending(&session) {
        Ok(s) => s,
        Err(r) => return Ok(r.into_response()),
    };
    let return_to = safe_return_to(form.return_to.as_deref());
    match state.core.finish_passkey_second_factor(s, &form.ceremony, &form.credential, &meta).await {
        Ok(outcome) => Ok(Redirect::to(&next_page(outcome.stage, return_to)).into_response()),
        Err(e) if is_expired(&e) => Ok(restart(&state, jar, cookies, TOO_SLOW)),
        Err(Error::Invalid(errors)) => {
            let page = second_factor_page(&state, s, &csrf, Some("passkey"), return_to, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response())
        }
        Err(e) => Err(WebError(e)),
    }
}

/// `POST /sign-in/passkey`: starts a passwordless sign-in.
pub async fn start_passkey_sign_in(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<ReturnToForm>,
) -> Result<Response, WebError> {
    let return_to = safe_return_to(form.return_to.as_deref());
    match state.core.start_passkey_sign_in(&meta).await {
        Ok(ceremony) => {
            let layout = Layout::new(&state, "Sign in with a passkey");
            let mut page = PasskeyPage::new(
                layout,
                &csrf,
                "get",
                "Sign in with a passkey",
                "Choose your passkey when your browser asks, and confirm it with your fingerprint, face, PIN or security key.",
                "/sign-in/passkey/finish",
                ceremony,
                "/sign-in",
            );
            page.return_to = return_to;
            Ok((csrf, page).into_response())
        }
        Err(Error::Invalid(errors)) => {
            let text = errors.0.first().map_or_else(|| "Passkeys are not available.".to_owned(), |e| e.message.clone());
            let jar = flash::push(jar, &state, Level::Error, text);
            Ok((jar, Redirect::to("/sign-in")).into_response())
        }
        Err(e) => Err(WebError(e)),
    }
}

/// `POST /sign-in/passkey/finish`
pub async fn finish_passkey_sign_in(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    jar: SignedCookieJar,
    cookies: CookieJar,
    CsrfForm(form): CsrfForm<PasskeyAnswer>,
) -> Result<Response, WebError> {
    let return_to = safe_return_to(form.return_to.as_deref());
    match state.core.finish_passkey_sign_in(&form.ceremony, &form.credential, &meta).await {
        Ok(new) => {
            let target = next_page(new.session.stage, return_to);
            let cookies = start_session(cookies, &state, &new);
            Ok((cookies, Redirect::to(&target)).into_response())
        }
        Err(Error::Invalid(errors)) => {
            let text = errors.0.first().map_or_else(|| "The passkey was refused.".to_owned(), |e| e.message.clone());
            let jar = flash::push(jar, &state, Level::Error, text);
            Ok((jar, Redirect::to("/sign-in")).into_response())
        }
        Err(Error::Conflict(Code::AccountDisabled)) => {
            let jar = flash::push(
                jar,
                &state,
                Level::Error,
                "This account is disabled. Contact your administrator to have it enabled again.",
            );
            Ok((jar, Redirect::to("/sign-in")).into_response())
        }
        Err(e) => Err(WebError(e)),
    }
}
