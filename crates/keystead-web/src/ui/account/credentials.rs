//! My Account → Email address and Password: both changes are confirmed with a six-digit code
//! sent to the current address; a new address is proved by a link. "Send reset link" emails the
//! user a password-reset link (how an account without a password, such as one that signs in
//! through another provider, sets one).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::sessions::SessionInfo;
use keystead_core::{Code, Error, FieldErrors};
use secrecy::SecretString;
use serde::Deserialize;

use super::{NavSection, Section, chrome};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::extract::{ClientMeta, CurrentSession, RequireSession};
use crate::flash::{self, Level};
use crate::state::AppState;
use crate::ui::Layout;
use crate::ui::auth::{PasswordRules, password_rules};
use crate::ui::mfa::{localized, wait_text};

/// Where the email change stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailStep {
    /// Asking for the new address.
    Start,
    /// Waiting for the code sent to the current address.
    Code,
    /// The link went to the new address.
    LinkSent,
    /// The link was opened: confirm.
    Confirm,
    /// The address cannot be used.
    Unavailable,
}

/// The email page.
#[derive(Template, WebTemplate)]
#[template(path = "account/email.html")]
pub struct EmailPage {
    layout: Layout,
    nav: Vec<NavSection>,
    csrf: String,
    step: EmailStep,
    current: String,
    new_email: String,
    token: String,
    errors: FieldErrors,
}

/// The password page.
#[derive(Template, WebTemplate)]
#[template(path = "account/password.html")]
pub struct PasswordPage {
    layout: Layout,
    nav: Vec<NavSection>,
    csrf: String,
    email: String,
    has_password: bool,
    /// Why the password cannot be used or changed here (the user's organization signs its
    /// members in through its identity provider); the form is not shown then.
    managed: Option<String>,
    code_sent: bool,
    /// The rules a new password must follow (the organizations' minimum included), listed.
    rules: PasswordRules,
    errors: FieldErrors,
}

/// The new-address form.
#[derive(Debug, Deserialize)]
pub struct NewEmailForm {
    new_email: String,
}

/// A code form.
#[derive(Debug, Deserialize)]
pub struct CodeForm {
    code: String,
}

/// A token in a link or form.
#[derive(Debug, Deserialize)]
pub struct TokenForm {
    token: Option<String>,
}

/// The password form.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    current_password: String,
    password: String,
    repeat_password: String,
}

fn email_page(state: &AppState, session: Option<&SessionInfo>, csrf: &CsrfToken, step: EmailStep) -> EmailPage {
    let (layout, nav) = match session {
        Some(s) => chrome(state, s, csrf, Section::Email),
        None => (Layout::titled(state, "mfa-email-title"), Vec::new()),
    };
    EmailPage {
        layout,
        nav,
        csrf: csrf.value().to_owned(),
        step,
        current: session.map(|s| s.user.email.clone()).unwrap_or_default(),
        new_email: String::new(),
        token: String::new(),
        errors: FieldErrors::new(),
    }
}

/// `GET /account/email`
pub async fn show_email(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
) -> Response {
    let (jar, flashes) = flash::take(jar, &state);
    let mut page = email_page(&state, Some(&session), &csrf, EmailStep::Start);
    page.layout = page.layout.with_flashes(flashes);
    (csrf, jar, page).into_response()
}

/// `POST /account/email`: sends a code to the current address.
pub async fn submit_new_email(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    CsrfForm(form): CsrfForm<NewEmailForm>,
) -> Response {
    let mut page = email_page(&state, Some(&session), &csrf, EmailStep::Code);
    match state.core.start_email_change(&session, &form.new_email).await {
        Ok(_) => (csrf, page).into_response(),
        Err(Error::Invalid(errors)) => {
            page.step = EmailStep::Start;
            page.new_email = form.new_email;
            page.errors = localized(errors);
            (StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response()
        }
        Err(e) => WebError(e).into_response(),
    }
}

/// `POST /account/email/code`: the code sends a link to the new address.
pub async fn submit_email_code(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Response {
    let mut page = email_page(&state, Some(&session), &csrf, EmailStep::LinkSent);
    match state.core.confirm_email_change_code(&session, &form.code).await {
        Ok(new) => {
            page.new_email = new;
            (csrf, page).into_response()
        }
        Err(Error::Invalid(errors)) => {
            page.step = EmailStep::Code;
            page.errors = localized(errors);
            (StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response()
        }
        Err(e) => WebError(e).into_response(),
    }
}

/// `GET /account/email/confirm?token=…`: a confirm button (mail scanners open links).
pub async fn show_email_confirm(
    State(state): State<AppState>,
    csrf: CsrfToken,
    session: CurrentSession,
    Query(q): Query<TokenForm>,
) -> Response {
    let mut page = email_page(&state, session.authenticated(), &csrf, EmailStep::Confirm);
    page.token = q.token.unwrap_or_default();
    (csrf, page).into_response()
}

/// `POST /account/email/confirm`: switches the address.
pub async fn submit_email_confirm(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    session: CurrentSession,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<TokenForm>,
) -> Response {
    match state.core.complete_email_change(form.token.as_deref().unwrap_or(""), &meta).await {
        Ok(user) => {
            let text = crate::i18n::current().t1("mfa-email-changed", "email", &user.email);
            let jar = flash::push(jar, &state, Level::Success, text);
            let target = if session.authenticated().is_some() { "/account/email" } else { "/sign-in" };
            (jar, Redirect::to(target)).into_response()
        }
        Err(Error::Conflict(Code::EmailUnavailable)) => {
            let page = email_page(&state, session.authenticated(), &csrf, EmailStep::Unavailable);
            (StatusCode::CONFLICT, csrf, page).into_response()
        }
        Err(e) => WebError(e).into_response(),
    }
}

async fn password_page(
    state: &AppState,
    session: &SessionInfo,
    csrf: &CsrfToken,
    code_sent: bool,
    errors: FieldErrors,
) -> Result<PasswordPage, Error> {
    let managed = state.core.password_managed_elsewhere(session.user.id).await?;
    let policy = state.core.effective_password_policy(Some(session.user.id), None).await?;
    let (layout, nav) = chrome(state, session, csrf, Section::Password);
    Ok(PasswordPage {
        layout,
        nav,
        csrf: csrf.value().to_owned(),
        email: session.user.email.clone(),
        has_password: session.user.has_password,
        managed,
        code_sent,
        rules: password_rules(&policy, crate::i18n::current()),
        errors: localized(errors),
    })
}

/// The password page in `status`, or the error page when it cannot be shown.
fn password_response(csrf: CsrfToken, status: StatusCode, page: Result<PasswordPage, Error>) -> Response {
    match page {
        Ok(page) => (status, csrf, page).into_response(),
        Err(e) => WebError(e).into_response(),
    }
}

/// The shortest password the user may choose: the deployment's minimum, raised by their
/// organizations'.
pub(crate) async fn min_length(state: &AppState, user: keystead_core::ids::UserId) -> usize {
    match state.core.effective_password_policy(Some(user), None).await {
        Ok(policy) => policy.min_length,
        Err(_) => state.core.config().password_policy.min_length,
    }
}

/// `GET /account/password`
pub async fn show_password(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
) -> Response {
    let (jar, flashes) = flash::take(jar, &state);
    let page = password_page(&state, &session, &csrf, false, FieldErrors::new()).await;
    let page = page.map(|mut p| {
        p.layout = p.layout.with_flashes(flashes);
        p
    });
    (jar, password_response(csrf, StatusCode::OK, page)).into_response()
}

/// `POST /account/password`: checks both passwords, emails a code.
pub async fn submit_password(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Response {
    let (current, new, repeat) = (
        SecretString::from(form.current_password),
        SecretString::from(form.password),
        SecretString::from(form.repeat_password),
    );
    match state.core.start_password_change(&session, &current, &new, &repeat).await {
        Ok(()) => {
            let page = password_page(&state, &session, &csrf, true, FieldErrors::new()).await;
            password_response(csrf, StatusCode::OK, page)
        }
        Err(Error::Invalid(errors)) => {
            let page = password_page(&state, &session, &csrf, false, errors).await;
            password_response(csrf, StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(e) => WebError(e).into_response(),
    }
}

/// `POST /account/password/code`: the code saves the new password; other sessions end.
pub async fn submit_password_code(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Response {
    match state.core.confirm_password_change(&session, &form.code, &meta).await {
        Ok(()) => {
            let jar = flash::push(jar, &state, Level::Success, crate::i18n::current().t("mfa-password-saved"));
            (jar, Redirect::to("/account/password")).into_response()
        }
        Err(Error::Invalid(errors)) => {
            let page = password_page(&state, &session, &csrf, true, errors).await;
            password_response(csrf, StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(e) => WebError(e).into_response(),
    }
}

/// `POST /account/password/reset-link`: emails the user a link to set a new password (the
/// forgot-password page's link, for the signed-in user's own address).
pub async fn send_password_reset_link(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Response {
    let locale = crate::i18n::current();
    let jar = match state.core.request_password_reset(&session.user.email, &meta).await {
        Ok(()) => {
            flash::push(jar, &state, Level::Success, locale.t1("mfa-reset-link-sent", "email", &session.user.email))
        }
        Err(Error::RateLimited { retry_after }) => {
            flash::push(jar, &state, Level::Error, locale.t1("mfa-reset-link-wait", "wait", wait_text(retry_after)))
        }
        Err(e) => return WebError(e).into_response(),
    };
    (jar, Redirect::to("/account/password")).into_response()
}
