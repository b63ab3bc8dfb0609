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
use keystead_core::i18n::Locale;
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

/// The emailed sign-in code went out at (session, unix time): the step sends it by itself only
/// the first time it is shown, and says how long until "Send again" works.
const EMAIL_SENT_COOKIE: &str = "keystead-mfa-email";
/// Core's cooldown between two sign-in code emails (`mfa::email`), for the hint on the page.
const EMAIL_COOLDOWN_SECS: i64 = 60;

/// Form errors in the request's language. English keeps core's own sentences (the API's and the
/// tests' words); another language takes this area's message `mfa-error-<field>-<code>` for
/// fields whose names other forms share (`name`, `password`), else the shared scheme
/// (`field-error-<field>-<code>`, then `field-error-<code>`). Looked up with the error's
/// arguments: a message with variables cannot be found without them (`Locale::has` says no).
pub(crate) fn localized(mut errors: FieldErrors) -> FieldErrors {
    let locale = crate::i18n::current();
    if locale == Locale::En {
        return errors;
    }
    for e in &mut errors.0 {
        let field = e.field.replace(['.', '_'], "-");
        let code = e.code.replace('_', "-");
        let args: Vec<(&str, keystead_core::i18n::Arg)> =
            e.args.iter().map(|(k, v)| (*k, v.parse::<i64>().map_or_else(|_| v.clone().into(), Into::into))).collect();
        let keys =
            [format!("mfa-error-{field}-{code}"), format!("field-error-{field}-{code}"), format!("field-error-{code}")];
        if let Some(text) = keys.iter().find_map(|key| {
            let text = locale.t_args(key, &args);
            (text != *key).then_some(text)
        }) {
            e.message = text;
        }
    }
    errors
}

/// A wait ("45 seconds", "2 Minuten") in the request's language, rounded as people say it.
pub(crate) fn wait_text(d: std::time::Duration) -> String {
    let secs = d.as_secs().max(1);
    let (n, key) = if secs < 90 {
        (secs, "mfa-seconds")
    } else if secs < 90 * 60 {
        (secs.div_ceil(60), "mfa-minutes")
    } else {
        (secs.div_ceil(3600), "mfa-hours")
    };
    crate::i18n::current().t1(key, "count", i64::try_from(n).unwrap_or(i64::MAX))
}

/// What a person calls a second-factor method, in the request's language.
pub(crate) fn method_label(m: Method) -> String {
    crate::i18n::current().t(match m {
        Method::Totp => "mfa-method-totp",
        Method::Email => "mfa-method-email",
        Method::Passkey => "mfa-method-passkey",
        Method::Recovery => "mfa-method-recovery",
    })
}

/// The message saying passkeys cannot be used here; the reason (no domain in `public_url`) goes
/// to the operator's log, never to the page.
pub(crate) fn passkeys_unavailable() -> String {
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed) {
        tracing::warn!(
            "passkeys are unavailable: WebAuthn needs public_url to name a domain (not an IP address), served over HTTPS"
        );
    }
    crate::i18n::current().t("mfa-passkeys-not-available")
}

/// A method offered on the second-factor page.
#[derive(Debug, Clone)]
pub struct MethodChoice {
    /// `totp`, `email`, …
    pub key: &'static str,
    /// What a person calls it.
    pub label: String,
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
    /// The user's address (the emailed code's step).
    email: String,
    /// The emailed code went out (now or a moment ago).
    email_sent: bool,
    /// How long until "Send again" can send, when it cannot yet.
    cooldown: Option<String>,
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
    pub heading: String,
    /// What to do.
    pub intro: String,
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
    /// The second step of a sign-in (the header offers no "Sign in / Create account").
    pub second_step: bool,
}

impl PasskeyPage {
    /// The page for a started ceremony.
    #[expect(clippy::too_many_arguments, reason = "one page, many plain parts")]
    pub fn new(
        layout: Layout,
        csrf: &CsrfToken,
        mode: &'static str,
        heading: String,
        intro: String,
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
            second_step: false,
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
        .map(|m| MethodChoice { key: m.as_str(), label: method_label(*m), current: *m == method })
        .collect();
    Ok(SecondFactorPage {
        layout: Layout::titled(state, "mfa-second-factor-title"),
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
        errors: localized(errors),
        email: session.user.email.clone(),
        email_sent: false,
        cooldown: None,
    })
}

/// When this session's sign-in code was emailed (unix seconds), from the step's cookie.
fn email_sent_at(state: &AppState, jar: &SignedCookieJar, session: &SessionInfo) -> Option<i64> {
    let cookie = jar.get(&state.cookie_name(EMAIL_SENT_COOKIE))?;
    let (id, at) = cookie.value().split_once(':')?;
    (id == session.id.to_string()).then(|| at.parse().ok()).flatten()
}

/// Remembers that this session's sign-in code was emailed now.
fn remember_email_sent(state: &AppState, jar: SignedCookieJar, session: &SessionInfo) -> SignedCookieJar {
    let now = state.core.clock().now().unix_timestamp();
    jar.add(
        Cookie::build((state.cookie_name(EMAIL_SENT_COOKIE), format!("{}:{now}", session.id)))
            .path("/sign-in/second-factor")
            .http_only(true)
            .secure(state.secure_cookies())
            .same_site(axum_extra::extract::cookie::SameSite::Lax)
            .max_age(time::Duration::minutes(15))
            .build(),
    )
}

/// The emailed code's step: sends the code the first time the step is shown (rate-limited as
/// "Send again" is), and says how long until another can be sent.
async fn email_step(
    state: &AppState,
    session: &SessionInfo,
    jar: SignedCookieJar,
    page: &mut SecondFactorPage,
) -> Result<SignedCookieJar, Error> {
    let now = state.core.clock().now().unix_timestamp();
    let (jar, sent_at) = match email_sent_at(state, &jar, session) {
        Some(at) => (jar, Some(at)),
        None => match state.core.send_sign_in_code(session).await {
            Ok(()) => (remember_email_sent(state, jar, session), Some(now)),
            Err(Error::RateLimited { retry_after }) => {
                page.cooldown = Some(wait_text(retry_after));
                (jar, None)
            }
            Err(e) => return Err(e),
        },
    };
    if let Some(at) = sent_at {
        page.email_sent = true;
        let left = EMAIL_COOLDOWN_SECS - (now - at);
        if left > 0 {
            page.cooldown = Some(wait_text(std::time::Duration::from_secs(left.unsigned_abs())));
        }
    }
    Ok(jar)
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

fn too_slow() -> String {
    crate::i18n::current().t("mfa-too-slow")
}

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
        return Ok(if is_expired(&e) {
            restart(&state, jar, cookies, &too_slow())
        } else {
            WebError(e).into_response()
        });
    }
    let (jar, flashes) = flash::take(jar, &state);
    let return_to = safe_return_to(q.return_to.as_deref());
    let mut page = second_factor_page(&state, s, &csrf, q.method.as_deref(), return_to, FieldErrors::new()).await?;
    page.layout = page.layout.with_flashes(flashes);
    let jar = if page.method == Method::Email.as_str() {
        match email_step(&state, s, jar.clone(), &mut page).await {
            Ok(jar) => jar,
            Err(e) if is_expired(&e) => return Ok(restart(&state, jar, cookies, &too_slow())),
            Err(e) => return Err(WebError(e)),
        }
    } else {
        jar
    };
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
        errors.add("code", "method_unknown", crate::i18n::current().t("mfa-method-unknown"));
        let page = second_factor_page(&state, s, &csrf, None, return_to, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response());
    };
    match state.core.complete_second_factor(s, method, &form.code, &meta).await {
        Ok(outcome) => {
            let locale = crate::i18n::current();
            let jar = match outcome.recovery_codes_left {
                Some(0) => flash::push(jar, &state, Level::Error, locale.t("mfa-recovery-last-used")),
                Some(n) => flash::push(jar, &state, Level::Info, locale.t1("mfa-recovery-accepted", "count", n)),
                None => jar,
            };
            Ok((jar, Redirect::to(&next_page(outcome.stage, return_to))).into_response())
        }
        Err(e) if is_expired(&e) => Ok(restart(&state, jar, cookies, &too_slow())),
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
    let locale = crate::i18n::current();
    let jar = match state.core.send_sign_in_code(s).await {
        Ok(()) => {
            let jar = remember_email_sent(&state, jar, s);
            flash::push(jar, &state, Level::Success, locale.t1("mfa-email-sent", "email", &s.user.email))
        }
        Err(e) if is_expired(&e) => return Ok(restart(&state, jar, cookies, &too_slow())),
        Err(Error::RateLimited { retry_after }) => {
            flash::push(jar, &state, Level::Error, locale.t1("mfa-email-wait", "wait", wait_text(retry_after)))
        }
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
    if !state.core.passkeys_available() {
        let mut errors = FieldErrors::new();
        errors.add("credential", "passkey_refused", passkeys_unavailable());
        let page = second_factor_page(&state, s, &csrf, Some("passkey"), return_to, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response());
    }
    match state.core.start_passkey_second_factor(s).await {
        Ok(ceremony) => {
            let locale = crate::i18n::current();
            let layout = Layout::titled(&state, "mfa-passkey-use-title");
            let mut page = PasskeyPage::new(
                layout,
                &csrf,
                "get",
                locale.t("mfa-passkey-use-title"),
                locale.t("mfa-passkey-use-intro"),
                "/sign-in/second-factor/passkey/finish",
                ceremony,
                "/sign-in/second-factor",
            );
            page.return_to = return_to;
            page.second_step = true;
            Ok((csrf, page).into_response())
        }
        Err(e) if is_expired(&e) => Ok(restart(&state, jar, cookies, &too_slow())),
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
        Err(e) if is_expired(&e) => Ok(restart(&state, jar, cookies, &too_slow())),
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
    if !state.core.passkeys_available() {
        let jar = flash::push(jar, &state, Level::Error, passkeys_unavailable());
        return Ok((jar, Redirect::to("/sign-in")).into_response());
    }
    match state.core.start_passkey_sign_in(&meta).await {
        Ok(ceremony) => {
            let locale = crate::i18n::current();
            let layout = Layout::titled(&state, "mfa-passkey-sign-in-title");
            let mut page = PasskeyPage::new(
                layout,
                &csrf,
                "get",
                locale.t("mfa-passkey-sign-in-title"),
                locale.t("mfa-passkey-sign-in-intro"),
                "/sign-in/passkey/finish",
                ceremony,
                "/sign-in",
            );
            page.return_to = return_to;
            Ok((csrf, page).into_response())
        }
        Err(Error::Invalid(errors)) => {
            let errors = localized(errors);
            let text = errors
                .0
                .first()
                .map_or_else(|| crate::i18n::current().t("mfa-passkeys-not-available"), |e| e.message.clone());
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
            let errors = localized(errors);
            let text =
                errors.0.first().map_or_else(|| crate::i18n::current().t("mfa-passkey-refused"), |e| e.message.clone());
            let jar = flash::push(jar, &state, Level::Error, text);
            Ok((jar, Redirect::to("/sign-in")).into_response())
        }
        Err(Error::Conflict(Code::AccountDisabled)) => {
            let jar = flash::push(jar, &state, Level::Error, crate::i18n::current().t("mfa-account-disabled"));
            Ok((jar, Redirect::to("/sign-in")).into_response())
        }
        Err(e) => Err(WebError(e)),
    }
}
