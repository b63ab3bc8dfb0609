//! Registration, email first: address → password → "check your inbox" (with resend) → the
//! emailed link confirms the address and signs the user in.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, SameSite};
use axum_extra::extract::{CookieJar, SignedCookieJar};
use keystead_core::sso::Realm;
use keystead_core::{Code, Error, FieldErrors};
use secrecy::SecretString;
use serde::Deserialize;

use super::{Layout, safe_return_to};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::extract::{ClientMeta, start_session};
use crate::flash::{self, Level};
use crate::state::AppState;

const PENDING_COOKIE: &str = "keystead-pending-email";

/// Step one: the address.
#[derive(Template, WebTemplate)]
#[template(path = "auth/register_email.html")]
pub struct RegisterEmailPage {
    layout: Layout,
    csrf: String,
    email: String,
    return_to: Option<String>,
    errors: FieldErrors,
    closed: bool,
    /// "Continue with …" buttons of the configured social presets (none while closed).
    social: Vec<super::sso::SocialButton>,
}

/// Step two: the password.
#[derive(Template, WebTemplate)]
#[template(path = "auth/register_password.html")]
pub struct RegisterPasswordPage {
    layout: Layout,
    csrf: String,
    email: String,
    return_to: Option<String>,
    errors: FieldErrors,
    /// The hint listing the deployment's password rules.
    rules: super::auth::PasswordRules,
    /// A free-mail address at a deployment that accepts one: warn before the password form.
    free_mail: bool,
}

/// "Check your inbox".
#[derive(Template, WebTemplate)]
#[template(path = "auth/check_email.html")]
pub struct CheckEmailPage {
    layout: Layout,
    csrf: String,
    email: String,
    resend_error: Option<String>,
}

/// The confirmation interstitial (or, without a usable token, the "link no longer works" page).
#[derive(Template, WebTemplate)]
#[template(path = "auth/verify_email.html")]
pub struct VerifyEmailPage {
    layout: Layout,
    csrf: String,
    token: Option<String>,
    errors: FieldErrors,
}

/// The email form.
#[derive(Debug, Deserialize)]
pub struct EmailForm {
    email: String,
    return_to: Option<String>,
    /// "Continue anyway" with a personal (free-mail) address.
    personal_address: Option<String>,
}

/// The password form.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    email: String,
    password: String,
    return_to: Option<String>,
}

/// A form or query carrying an emailed token.
#[derive(Debug, Deserialize)]
pub struct TokenForm {
    token: Option<String>,
}

/// `?return_to=`
#[derive(Debug, Deserialize)]
pub struct ReturnTo {
    return_to: Option<String>,
}

/// Remembers, for the "check your inbox" page, which address is waiting for confirmation.
fn pending_cookie(state: &AppState, email: &str) -> Cookie<'static> {
    Cookie::build((state.cookie_name(PENDING_COOKIE), email.to_owned()))
        .path("/")
        .http_only(true)
        .secure(state.secure_cookies())
        .same_site(SameSite::Lax)
        .max_age(time::Duration::hours(24))
        .build()
}

fn email_page(
    state: &AppState,
    csrf: &CsrfToken,
    email: String,
    return_to: Option<String>,
    errors: FieldErrors,
) -> RegisterEmailPage {
    let closed = state.core.config().registration.mode == keystead_core::config::RegistrationMode::InviteOnly;
    let social = if closed { Vec::new() } else { super::sso::social_buttons(state, return_to.as_deref()) };
    RegisterEmailPage {
        layout: Layout::titled(state, "auth-register-title"),
        csrf: csrf.value().to_owned(),
        email,
        return_to,
        errors: errors.localized(crate::i18n::current()),
        closed,
        social,
    }
}

fn password_page(
    state: &AppState,
    csrf: &CsrfToken,
    email: String,
    return_to: Option<String>,
    errors: FieldErrors,
    free_mail: bool,
) -> RegisterPasswordPage {
    let rules = super::auth::password_rules(&state.core.config().password_policy, crate::i18n::current());
    RegisterPasswordPage {
        layout: Layout::titled(state, "auth-choose-password-title"),
        csrf: csrf.value().to_owned(),
        email,
        return_to,
        errors: errors.localized(crate::i18n::current()),
        rules,
        free_mail,
    }
}

/// `GET /register`
pub async fn show_register(State(state): State<AppState>, csrf: CsrfToken, Query(q): Query<ReturnTo>) -> Response {
    let page = email_page(&state, &csrf, String::new(), safe_return_to(q.return_to.as_deref()), FieldErrors::new());
    (csrf, page).into_response()
}

/// `POST /register`: checks the address, then asks for a password.
pub async fn submit_register_email(
    State(state): State<AppState>,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<EmailForm>,
) -> Response {
    let return_to = safe_return_to(form.return_to.as_deref());
    // An address of an organization with single sign-on registers there, whatever the
    // deployment's own registration rules (the organization vouches for its people).
    if let Ok(email) = keystead_core::accounts::EmailAddress::parse("email", &form.email) {
        match state.core.discover_realm(&email).await {
            Ok(Realm::Sso { connection, name, organization }) => {
                return super::sso::sso_going_page(
                    &state,
                    connection,
                    name,
                    organization,
                    email.as_str(),
                    return_to.as_deref(),
                );
            }
            Ok(Realm::Password) => {}
            Err(e) => return WebError(e).into_response(),
        }
    }
    match state.core.check_registration_email(&form.email).await {
        Ok(email) => {
            // Licenses go to work addresses: a personal one is accepted after a warning.
            let registration = &state.core.config().registration;
            let free_mail = !registration.require_work_email
                && registration.free_email_domains.contains(email.domain())
                && form.personal_address.is_none();
            let page =
                password_page(&state, &csrf, email.as_str().to_owned(), return_to, FieldErrors::new(), free_mail);
            (csrf, page).into_response()
        }
        Err(Error::Invalid(errors)) => {
            let page = email_page(&state, &csrf, form.email, return_to, errors);
            (StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response()
        }
        Err(Error::Conflict(Code::RegistrationClosed)) => {
            let page = email_page(&state, &csrf, form.email, return_to, FieldErrors::new());
            (StatusCode::FORBIDDEN, csrf, page).into_response()
        }
        Err(e) => WebError(e).into_response(),
    }
}

/// `POST /register/password`: creates the account (or tells the owner of a taken address).
pub async fn submit_register_password(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Response {
    let return_to = safe_return_to(form.return_to.as_deref());
    let password = SecretString::from(form.password);
    match state.core.register(&form.email, &password, return_to.as_deref(), Some(crate::i18n::current()), &meta).await {
        Ok(email) => {
            (jar.add(pending_cookie(&state, email.as_str())), Redirect::to("/register/check-email")).into_response()
        }
        Err(Error::Invalid(errors)) if errors.for_field("email").next().is_some() => {
            let page = email_page(&state, &csrf, form.email, return_to, errors);
            (StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response()
        }
        Err(Error::Conflict(Code::RegistrationClosed)) => {
            let page = email_page(&state, &csrf, form.email, return_to, FieldErrors::new());
            (StatusCode::FORBIDDEN, csrf, page).into_response()
        }
        Err(Error::Invalid(errors)) => {
            let page = password_page(&state, &csrf, form.email.trim().to_owned(), return_to, errors, false);
            (StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response()
        }
        Err(e) => WebError(e).into_response(),
    }
}

/// `GET /register/check-email`
pub async fn show_check_email(State(state): State<AppState>, csrf: CsrfToken, jar: SignedCookieJar) -> Response {
    let Some(email) = jar.get(&state.cookie_name(PENDING_COOKIE)).map(|c| c.value().to_owned()) else {
        return Redirect::to("/register").into_response();
    };
    let (jar, flashes) = flash::take(jar, &state);
    let layout = Layout::titled(&state, "auth-check-inbox-title").with_flashes(flashes);
    let page = CheckEmailPage { layout, csrf: csrf.value().to_owned(), email, resend_error: None };
    (csrf, jar, page).into_response()
}

/// `POST /register/resend`
pub async fn resend_verification(
    State(state): State<AppState>,
    csrf: CsrfToken,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<EmailForm>,
) -> Response {
    match state.core.resend_verification(&form.email).await {
        Ok(()) => {
            let jar = flash::push(
                jar.add(pending_cookie(&state, form.email.trim())),
                &state,
                Level::Success,
                crate::i18n::current().t("auth-flash-link-resent"),
            );
            (jar, Redirect::to("/register/check-email")).into_response()
        }
        Err(Error::RateLimited { retry_after }) => {
            let layout = Layout::titled(&state, "auth-check-inbox-title");
            let secs = retry_after.as_secs().max(1);
            let lang = crate::i18n::current();
            let message = lang.t1("auth-resend-wait", "wait", crate::error::human_duration_in(retry_after, lang));
            let page = CheckEmailPage {
                layout,
                csrf: csrf.value().to_owned(),
                email: form.email.trim().to_owned(),
                resend_error: Some(message),
            };
            let retry = [(axum::http::header::RETRY_AFTER, secs.to_string())];
            (StatusCode::TOO_MANY_REQUESTS, retry, csrf, page).into_response()
        }
        Err(Error::Invalid(errors)) => {
            let page = VerifyEmailPage {
                layout: Layout::titled(&state, "auth-send-new-link"),
                csrf: csrf.value().to_owned(),
                token: None,
                errors: errors.localized(crate::i18n::current()),
            };
            (StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response()
        }
        Err(e) => WebError(e).into_response(),
    }
}

/// `GET /verify-email?token=…`: a confirmation button, so that mail scanners that open links
/// do not use up the link or get a session.
pub async fn show_verify_email(State(state): State<AppState>, csrf: CsrfToken, Query(q): Query<TokenForm>) -> Response {
    let token = q.token.filter(|t| !t.is_empty() && t.len() <= 128);
    let title = if token.is_some() { "auth-verify-title" } else { "auth-link-invalid-title" };
    let page = VerifyEmailPage {
        layout: Layout::titled(&state, title),
        csrf: csrf.value().to_owned(),
        token,
        errors: FieldErrors::new(),
    };
    (csrf, page).into_response()
}

/// `POST /verify-email`: confirms, signs in, continues where the user was headed.
pub async fn confirm_email(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    jar: CookieJar,
    CsrfForm(form): CsrfForm<TokenForm>,
) -> Response {
    match state.core.verify_email(form.token.as_deref().unwrap_or(""), &meta).await {
        Ok(verified) => {
            let target = super::after_sign_in(safe_return_to(verified.return_to.as_deref()));
            let jar = start_session(jar, &state, &verified.session)
                .remove(Cookie::build(state.cookie_name(PENDING_COOKIE)).path("/").build());
            (jar, Redirect::to(&target)).into_response()
        }
        Err(Error::Conflict(Code::LinkInvalid)) => {
            let page = VerifyEmailPage {
                layout: Layout::titled(&state, "auth-link-invalid-title"),
                csrf: csrf.value().to_owned(),
                token: None,
                errors: FieldErrors::new(),
            };
            (StatusCode::GONE, csrf, page).into_response()
        }
        Err(e) => WebError(e).into_response(),
    }
}
