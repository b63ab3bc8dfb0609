//! My Account → Two-factor and passkeys: the authenticator app (QR code and key, confirmed by a
//! code), email codes, passkeys (named, listed, removable), recovery codes (shown once), and the
//! re-authentication that removing a method or making new recovery codes needs.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::Cookie;
use axum_extra::extract::{CookieJar, SignedCookieJar};
use keystead_core::mfa::{Enabled, PasskeyInfo, RECOVERY_CODE_COUNT, TotpSetup};
use keystead_core::sessions::{SessionInfo, SessionStage};
use keystead_core::{Code, Error, FieldErrors};
use secrecy::SecretString;
use serde::Deserialize;
use time::OffsetDateTime;

use super::{NavSection, Section, chrome};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::extract::{ClientMeta, CurrentSession, SESSION_COOKIE};
use crate::flash::{self, Level};
use crate::state::AppState;
use crate::ui::mfa::{PasskeyPage, localized, passkeys_unavailable, wait_text};
use crate::ui::{Layout, safe_return_to};

const HOME: &str = "/account/two-factor";

/// A signed-in session, or one that must set up a second factor before anything else: the
/// setup pages are open to both.
#[derive(Debug, Clone)]
pub struct RequireSetupSession(pub SessionInfo);

impl FromRequestParts<AppState> for RequireSetupSession {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let current = CurrentSession::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        match current.0 {
            Some(s) if matches!(s.stage, SessionStage::Authenticated | SessionStage::MfaSetupRequired) => Ok(Self(s)),
            _ => crate::extract::RequireSession::from_request_parts(parts, state).await.map(|r| Self(r.0)),
        }
    }
}

/// A passkey as listed.
#[derive(Debug, Clone)]
pub struct PasskeyView {
    id: String,
    name: String,
    added: String,
    last_used: String,
    synced: bool,
}

/// The overview page.
#[derive(Template, WebTemplate)]
#[template(path = "account/two_factor.html")]
pub struct TwoFactorPage {
    layout: Layout,
    nav: Vec<NavSection>,
    csrf: String,
    required: bool,
    totp: bool,
    email: bool,
    email_verified: bool,
    passkeys: Vec<PasskeyView>,
    passkeys_available: bool,
    enabled: bool,
    recovery_left: usize,
    recovery_total: usize,
    errors: FieldErrors,
}

/// The authenticator-app setup page.
#[derive(Template, WebTemplate)]
#[template(path = "account/totp_setup.html")]
pub struct TotpSetupPage {
    layout: Layout,
    nav: Vec<NavSection>,
    csrf: String,
    setup: TotpSetup,
    errors: FieldErrors,
}

/// The email-code confirmation page.
#[derive(Template, WebTemplate)]
#[template(path = "account/email_mfa.html")]
pub struct EmailMfaPage {
    layout: Layout,
    nav: Vec<NavSection>,
    csrf: String,
    email: String,
    errors: FieldErrors,
}

/// Recovery codes, shown once.
#[derive(Template, WebTemplate)]
#[template(path = "account/recovery_codes.html")]
pub struct RecoveryCodesPage {
    layout: Layout,
    heading: String,
    codes: Vec<String>,
    download: String,
    signed_out: bool,
    script: String,
}

/// The re-authentication page.
#[derive(Template, WebTemplate)]
#[template(path = "account/reauthenticate.html")]
pub struct ReauthPage {
    layout: Layout,
    nav: Vec<NavSection>,
    csrf: String,
    has_password: bool,
    totp: bool,
    return_to: String,
    errors: FieldErrors,
}

/// The TOTP confirmation form.
#[derive(Debug, Deserialize)]
pub struct TotpForm {
    setup: String,
    code: String,
}

/// A code form.
#[derive(Debug, Deserialize)]
pub struct CodeForm {
    code: String,
}

/// The new-passkey form.
#[derive(Debug, Deserialize)]
pub struct PasskeyNameForm {
    name: String,
}

/// The browser's answer to a registration.
#[derive(Debug, Deserialize)]
pub struct PasskeyAnswer {
    ceremony: String,
    credential: String,
}

/// The passkey removal form.
#[derive(Debug, Deserialize)]
pub struct PasskeyForm {
    passkey: String,
}

/// The re-authentication form.
#[derive(Debug, Deserialize)]
pub struct ReauthForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    code: String,
    return_to: Option<String>,
}

/// `?return_to=`
#[derive(Debug, Deserialize)]
pub struct ReturnTo {
    return_to: Option<String>,
}

fn when(t: OffsetDateTime) -> String {
    crate::i18n::current().date_time(t)
}

fn passkey_view(p: &PasskeyInfo) -> PasskeyView {
    PasskeyView {
        id: p.id.to_string(),
        name: p.name.clone(),
        added: when(p.created_at),
        last_used: p.last_used_at.map_or_else(|| crate::i18n::current().t("mfa-never"), when),
        synced: p.synced,
    }
}

async fn overview(
    state: &AppState,
    session: &SessionInfo,
    csrf: &CsrfToken,
    errors: FieldErrors,
) -> Result<TwoFactorPage, WebError> {
    let status = state.core.mfa_status(session.user.id).await?;
    let (layout, nav) = chrome(state, session, csrf, Section::TwoFactor);
    let passkeys_available = state.core.passkeys_available();
    if !passkeys_available {
        // The reason is for the operator's log; the page only says passkeys are not available.
        let _ = passkeys_unavailable();
    }
    Ok(TwoFactorPage {
        layout,
        nav,
        csrf: csrf.value().to_owned(),
        required: session.stage == SessionStage::MfaSetupRequired,
        totp: status.totp,
        email: status.email,
        email_verified: session.user.email_verified_at.is_some(),
        passkeys: status.passkeys.iter().map(passkey_view).collect(),
        passkeys_available,
        enabled: status.enabled(),
        recovery_left: status.recovery_codes_left,
        recovery_total: RECOVERY_CODE_COUNT,
        errors: localized(errors),
    })
}

/// The page that shows recovery codes once; when MFA just came on, the session cookie goes
/// (every session ended) and the page leads to sign in again.
fn recovery_codes_response(state: &AppState, cookies: CookieJar, codes: Vec<String>, signed_out: bool) -> Response {
    let locale = crate::i18n::current();
    let text = format!(
        "{}\r\n{}\r\n\r\n{}\r\n",
        locale.t1("mfa-recovery-file-title", "site", state.core.site_name()),
        locale.t("mfa-recovery-file-note"),
        codes.join("\r\n")
    );
    let download = format!(
        "data:text/plain;charset=utf-8,{}",
        percent_encoding::utf8_percent_encode(&text, percent_encoding::NON_ALPHANUMERIC)
    );
    let heading = locale.t(if signed_out { "mfa-is-on-title" } else { "mfa-recovery-new-title" });
    let page = RecoveryCodesPage {
        layout: Layout::new(state, heading.clone()),
        heading,
        codes,
        download,
        signed_out,
        script: crate::assets::url("passkey.js"),
    };
    let cookies = if signed_out {
        cookies.remove(Cookie::build(state.cookie_name(SESSION_COOKIE)).path("/").build())
    } else {
        cookies
    };
    (cookies, page).into_response()
}

fn enabled_response(
    state: &AppState,
    cookies: CookieJar,
    jar: SignedCookieJar,
    enabled: Enabled,
    text: &str,
) -> Response {
    match enabled.recovery_codes {
        Some(codes) => recovery_codes_response(state, cookies, codes, enabled.signed_out),
        None => {
            let jar = flash::push(jar, state, Level::Success, text);
            (jar, Redirect::to(HOME)).into_response()
        }
    }
}

/// A step that needs a recent sign-in: off to confirm it, then back here.
fn reauthenticate_first(state: &AppState, jar: SignedCookieJar) -> Response {
    let jar = flash::push(jar, state, Level::Info, crate::i18n::current().t("mfa-reauth-first"));
    (jar, Redirect::to("/account/reauthenticate?return_to=%2Faccount%2Ftwo-factor")).into_response()
}

/// Renders the outcome of a removal or regeneration.
fn after_change(
    state: &AppState,
    jar: SignedCookieJar,
    result: Result<(), Error>,
    done: &str,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok((flash::push(jar, state, Level::Success, done), Redirect::to(HOME)).into_response()),
        Err(Error::Conflict(Code::ReauthenticationRequired)) => Ok(reauthenticate_first(state, jar)),
        Err(e) => Err(WebError(e)),
    }
}

/// `GET /account/two-factor`
pub async fn show_two_factor(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSetupSession(session): RequireSetupSession,
    jar: SignedCookieJar,
) -> Result<Response, WebError> {
    let (jar, flashes) = flash::take(jar, &state);
    let mut page = overview(&state, &session, &csrf, FieldErrors::new()).await?;
    page.layout = page.layout.with_flashes(flashes);
    Ok((csrf, jar, page).into_response())
}

/// `POST /account/two-factor/totp/setup`: a new secret, then the setup page.
pub async fn start_totp_setup(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSetupSession(session): RequireSetupSession,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, WebError> {
    match state.core.start_totp_setup(&session).await {
        Ok(_) => Ok(Redirect::to("/account/two-factor/totp").into_response()),
        Err(Error::Invalid(errors)) => {
            let page = overview(&state, &session, &csrf, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response())
        }
        Err(e) => Err(WebError(e)),
    }
}

/// `GET /account/two-factor/totp`: the QR code and the key of the setup in progress.
pub async fn show_totp_setup(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSetupSession(session): RequireSetupSession,
) -> Result<Response, WebError> {
    let Some(setup) = state.core.totp_setup(&session).await? else {
        return Ok(Redirect::to(HOME).into_response());
    };
    let (layout, nav) = chrome(&state, &session, &csrf, Section::TwoFactor);
    let page = TotpSetupPage { layout, nav, csrf: csrf.value().to_owned(), setup, errors: FieldErrors::new() };
    Ok((csrf, page).into_response())
}

/// `POST /account/two-factor/totp/confirm`
pub async fn confirm_totp_setup(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    RequireSetupSession(session): RequireSetupSession,
    cookies: CookieJar,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<TotpForm>,
) -> Result<Response, WebError> {
    match state.core.confirm_totp_setup(&session, &form.setup, &form.code, &meta).await {
        Ok(enabled) => Ok(enabled_response(&state, cookies, jar, enabled, &crate::i18n::current().t("mfa-totp-done"))),
        Err(Error::Invalid(errors)) => match state.core.totp_setup(&session).await? {
            Some(setup) => {
                let (layout, nav) = chrome(&state, &session, &csrf, Section::TwoFactor);
                let page =
                    TotpSetupPage { layout, nav, csrf: csrf.value().to_owned(), setup, errors: localized(errors) };
                Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response())
            }
            None => {
                let page = overview(&state, &session, &csrf, errors).await?;
                Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response())
            }
        },
        Err(e) => Err(WebError(e)),
    }
}

/// `POST /account/two-factor/totp/remove`
pub async fn remove_totp(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSetupSession(session): RequireSetupSession,
    jar: SignedCookieJar,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, WebError> {
    let result = state.core.disable_totp(&session, &meta).await;
    after_change(&state, jar, result, &crate::i18n::current().t("mfa-totp-removed"))
}

/// `POST /account/two-factor/email`: sends a code to turn email codes on.
pub async fn start_email_mfa(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSetupSession(session): RequireSetupSession,
    jar: SignedCookieJar,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, WebError> {
    match state.core.start_email_mfa(&session).await {
        Ok(()) => {
            let (layout, nav) = chrome(&state, &session, &csrf, Section::TwoFactor);
            let email = session.user.email.clone();
            let page = EmailMfaPage { layout, nav, csrf: csrf.value().to_owned(), email, errors: FieldErrors::new() };
            Ok((csrf, page).into_response())
        }
        Err(Error::RateLimited { retry_after }) => {
            let text = crate::i18n::current().t1("mfa-email-wait-short", "wait", wait_text(retry_after));
            Ok((flash::push(jar, &state, Level::Error, text), Redirect::to(HOME)).into_response())
        }
        Err(Error::Invalid(errors)) => {
            let page = overview(&state, &session, &csrf, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response())
        }
        Err(e) => Err(WebError(e)),
    }
}

/// `POST /account/two-factor/email/confirm`
pub async fn confirm_email_mfa(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    RequireSetupSession(session): RequireSetupSession,
    cookies: CookieJar,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response, WebError> {
    match state.core.confirm_email_mfa(&session, &form.code, &meta).await {
        Ok(enabled) => Ok(enabled_response(&state, cookies, jar, enabled, &crate::i18n::current().t("mfa-email-on"))),
        Err(Error::Invalid(errors)) => {
            let (layout, nav) = chrome(&state, &session, &csrf, Section::TwoFactor);
            let email = session.user.email.clone();
            let page = EmailMfaPage { layout, nav, csrf: csrf.value().to_owned(), email, errors: localized(errors) };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response())
        }
        Err(e) => Err(WebError(e)),
    }
}

/// `POST /account/two-factor/email/remove`
pub async fn remove_email_mfa(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSetupSession(session): RequireSetupSession,
    jar: SignedCookieJar,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, WebError> {
    let result = state.core.disable_email_mfa(&session, &meta).await;
    after_change(&state, jar, result, &crate::i18n::current().t("mfa-email-off"))
}

/// `POST /account/two-factor/passkeys/new`: starts registering a passkey.
pub async fn start_passkey_registration(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSetupSession(session): RequireSetupSession,
    CsrfForm(form): CsrfForm<PasskeyNameForm>,
) -> Result<Response, WebError> {
    if !state.core.passkeys_available() {
        let mut errors = FieldErrors::new();
        errors.add("credential", "passkey_refused", passkeys_unavailable());
        let page = overview(&state, &session, &csrf, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response());
    }
    match state.core.start_passkey_registration(&session, &form.name).await {
        Ok(ceremony) => {
            let locale = crate::i18n::current();
            let layout = Layout::titled(&state, "mfa-passkey-add-title").signed_in(Some(&session), &csrf);
            let page = PasskeyPage::new(
                layout,
                &csrf,
                "create",
                locale.t("mfa-passkey-add-title"),
                locale.t("mfa-passkey-add-intro"),
                "/account/two-factor/passkeys/finish",
                ceremony,
                HOME,
            );
            Ok((csrf, page).into_response())
        }
        Err(Error::Invalid(errors)) => {
            let page = overview(&state, &session, &csrf, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response())
        }
        Err(e) => Err(WebError(e)),
    }
}

/// `POST /account/two-factor/passkeys/finish`
pub async fn finish_passkey_registration(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    RequireSetupSession(session): RequireSetupSession,
    cookies: CookieJar,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<PasskeyAnswer>,
) -> Result<Response, WebError> {
    match state.core.finish_passkey_registration(&session, &form.ceremony, &form.credential, &meta).await {
        Ok(enabled) => {
            Ok(enabled_response(&state, cookies, jar, enabled, &crate::i18n::current().t("mfa-passkey-added")))
        }
        Err(Error::Invalid(errors)) => {
            let page = overview(&state, &session, &csrf, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response())
        }
        Err(e) => Err(WebError(e)),
    }
}

/// `POST /account/two-factor/passkeys/remove`
pub async fn remove_passkey(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSetupSession(session): RequireSetupSession,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<PasskeyForm>,
) -> Result<Response, WebError> {
    let Ok(id) = uuid::Uuid::parse_str(form.passkey.trim()) else {
        return Err(WebError(Error::NotFound));
    };
    let result = state.core.remove_passkey(&session, id, &meta).await;
    after_change(&state, jar, result, &crate::i18n::current().t("mfa-passkey-removed"))
}

/// `POST /account/two-factor/recovery-codes`: a new set, shown once.
pub async fn regenerate_recovery_codes(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    RequireSetupSession(session): RequireSetupSession,
    cookies: CookieJar,
    jar: SignedCookieJar,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, WebError> {
    match state.core.regenerate_recovery_codes(&session, &meta).await {
        Ok(codes) => Ok(recovery_codes_response(&state, cookies, codes, false)),
        Err(Error::Conflict(Code::ReauthenticationRequired)) => Ok(reauthenticate_first(&state, jar)),
        Err(Error::Invalid(errors)) => {
            let page = overview(&state, &session, &csrf, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response())
        }
        Err(e) => Err(WebError(e)),
    }
}

async fn reauth_page(
    state: &AppState,
    session: &SessionInfo,
    csrf: &CsrfToken,
    return_to: Option<String>,
    errors: FieldErrors,
) -> Result<ReauthPage, WebError> {
    let status = state.core.mfa_status(session.user.id).await?;
    let (layout, nav) = chrome(state, session, csrf, Section::TwoFactor);
    Ok(ReauthPage {
        layout,
        nav,
        csrf: csrf.value().to_owned(),
        has_password: session.user.has_password,
        totp: status.totp,
        return_to: return_to.unwrap_or_else(|| HOME.to_owned()),
        errors: localized(errors),
    })
}

/// `GET /account/reauthenticate?return_to=`
pub async fn show_reauthenticate(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSetupSession(session): RequireSetupSession,
    jar: SignedCookieJar,
    Query(q): Query<ReturnTo>,
) -> Result<Response, WebError> {
    let (jar, flashes) = flash::take(jar, &state);
    let mut page =
        reauth_page(&state, &session, &csrf, safe_return_to(q.return_to.as_deref()), FieldErrors::new()).await?;
    page.layout = page.layout.with_flashes(flashes);
    Ok((csrf, jar, page).into_response())
}

/// `POST /account/reauthenticate`
pub async fn submit_reauthenticate(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    RequireSetupSession(session): RequireSetupSession,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<ReauthForm>,
) -> Result<Response, WebError> {
    let return_to = safe_return_to(form.return_to.as_deref());
    let password = SecretString::from(form.password);
    match state.core.reauthenticate(&session, &password, &form.code, &meta).await {
        Ok(()) => {
            let jar = flash::push(jar, &state, Level::Success, crate::i18n::current().t("mfa-reauth-done"));
            Ok((jar, Redirect::to(return_to.as_deref().unwrap_or(HOME))).into_response())
        }
        Err(Error::Invalid(errors)) => {
            let page = reauth_page(&state, &session, &csrf, return_to, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response())
        }
        Err(e) => Err(WebError(e)),
    }
}
