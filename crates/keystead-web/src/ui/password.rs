//! Password reset by emailed link, and the forced change of an expired password.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::sessions::SessionStage;
use keystead_core::{Code, Error, FieldErrors};
use secrecy::SecretString;
use serde::Deserialize;

use super::Layout;
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::extract::{ClientMeta, CurrentSession};
use crate::flash::{self, Level};
use crate::state::AppState;

/// Ask for a reset link, and the "check your inbox" answer.
#[derive(Template, WebTemplate)]
#[template(path = "auth/forgot_password.html")]
pub struct ForgotPasswordPage {
    layout: Layout,
    csrf: String,
    email: String,
    errors: FieldErrors,
    sent: bool,
}

/// Choose a new password (after a reset link, or when the old one expired).
#[derive(Template, WebTemplate)]
#[template(path = "auth/new_password.html")]
pub struct NewPasswordPage {
    layout: Layout,
    csrf: String,
    heading: String,
    /// The message before the address (`auth-new-password-for`, split around `$email`).
    intro: &'static str,
    action: &'static str,
    email: Option<String>,
    token: Option<String>,
    errors: FieldErrors,
    /// The hint listing the password rules that apply.
    rules: super::auth::PasswordRules,
}

/// The email form.
#[derive(Debug, Deserialize)]
pub struct EmailForm {
    email: String,
}

/// `?token=`
#[derive(Debug, Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

/// The new-password form.
#[derive(Debug, Deserialize)]
pub struct NewPasswordForm {
    token: Option<String>,
    password: String,
}

async fn reset_page(
    state: &AppState,
    csrf: &CsrfToken,
    email: Option<String>,
    token: Option<String>,
    errors: FieldErrors,
) -> NewPasswordPage {
    // The account's organizations may ask for a longer password than the deployment.
    let reset_min = match token.as_deref() {
        Some(t) => state.core.password_reset_min_length(t).await.ok(),
        None => None,
    };
    let mut policy = state.core.config().password_policy.clone();
    policy.min_length = reset_min.unwrap_or(policy.min_length);
    NewPasswordPage {
        layout: Layout::titled(state, "auth-new-password-title"),
        csrf: csrf.value().to_owned(),
        heading: crate::i18n::current().t("auth-new-password-title"),
        intro: "auth-new-password-for",
        action: "/password/reset",
        email,
        token,
        errors: errors.localized(crate::i18n::current()),
        rules: super::auth::password_rules(&policy, crate::i18n::current()),
    }
}

async fn expired_page(
    state: &AppState,
    csrf: &CsrfToken,
    user: keystead_core::ids::UserId,
    email: String,
    errors: FieldErrors,
) -> NewPasswordPage {
    // The account's organizations may tighten the deployment's rules.
    let mut policy = match state.core.effective_password_policy(Some(user), None).await {
        Ok(policy) => policy,
        Err(_) => state.core.config().password_policy.clone(),
    };
    policy.min_length = policy.min_length.max(super::account::min_length(state, user).await);
    NewPasswordPage {
        layout: Layout::titled(state, "auth-expired-title"),
        csrf: csrf.value().to_owned(),
        heading: crate::i18n::current().t("auth-expired-title"),
        intro: "auth-expired-for",
        action: "/password/expired",
        email: Some(email),
        token: None,
        errors: errors.localized(crate::i18n::current()),
        rules: super::auth::password_rules(&policy, crate::i18n::current()),
    }
}

/// `GET /password/forgot`
pub async fn show_forgot_password(State(state): State<AppState>, csrf: CsrfToken) -> Response {
    let page = ForgotPasswordPage {
        layout: Layout::titled(&state, "auth-forgot-title"),
        csrf: csrf.value().to_owned(),
        email: String::new(),
        errors: FieldErrors::new(),
        sent: false,
    };
    (csrf, page).into_response()
}

/// `POST /password/forgot`: the same answer whether or not the address has an account.
pub async fn submit_forgot_password(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    CsrfForm(form): CsrfForm<EmailForm>,
) -> Response {
    let result = state.core.request_password_reset(&form.email, &meta).await;
    let (status, errors, sent) = match result {
        Ok(()) => (StatusCode::OK, FieldErrors::new(), true),
        Err(Error::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, errors, false),
        Err(e) => return WebError(e).into_response(),
    };
    let page = ForgotPasswordPage {
        layout: Layout::titled(&state, "auth-forgot-title"),
        csrf: csrf.value().to_owned(),
        email: form.email.trim().to_owned(),
        errors: errors.localized(crate::i18n::current()),
        sent,
    };
    (status, csrf, page).into_response()
}

/// `GET /password/reset?token=…`
pub async fn show_reset_password(
    State(state): State<AppState>,
    csrf: CsrfToken,
    Query(q): Query<TokenQuery>,
) -> Response {
    let token = q.token.unwrap_or_default();
    match state.core.password_reset_email(&token).await {
        Ok(email) => {
            let page = reset_page(&state, &csrf, Some(email), Some(token), FieldErrors::new()).await;
            (csrf, page).into_response()
        }
        Err(Error::Conflict(Code::LinkInvalid)) => {
            let page = reset_page(&state, &csrf, None, None, FieldErrors::new()).await;
            (StatusCode::GONE, csrf, page).into_response()
        }
        Err(e) => WebError(e).into_response(),
    }
}

/// `POST /password/reset`: sets the password; every session of the user ends.
pub async fn submit_reset_password(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<NewPasswordForm>,
) -> Response {
    let token = form.token.unwrap_or_default();
    match state.core.reset_password(&token, &SecretString::from(form.password), &meta).await {
        Ok(()) => {
            let jar = flash::push(jar, &state, Level::Success, crate::i18n::current().t("auth-flash-password-reset"));
            (jar, Redirect::to("/sign-in")).into_response()
        }
        Err(Error::Invalid(errors)) => {
            let email = state.core.password_reset_email(&token).await.ok();
            let page = reset_page(&state, &csrf, email, Some(token), errors).await;
            (StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response()
        }
        Err(Error::Conflict(Code::LinkInvalid)) => {
            let page = reset_page(&state, &csrf, None, None, FieldErrors::new()).await;
            (StatusCode::GONE, csrf, page).into_response()
        }
        Err(e) => WebError(e).into_response(),
    }
}

/// `GET /password/expired`
pub async fn show_expired_password(
    State(state): State<AppState>,
    csrf: CsrfToken,
    session: CurrentSession,
) -> Response {
    match session.0 {
        Some(s) if s.stage == SessionStage::PasswordExpired => {
            let page = expired_page(&state, &csrf, s.user.id, s.user.email.clone(), FieldErrors::new()).await;
            (csrf, page).into_response()
        }
        _ => Redirect::to("/").into_response(),
    }
}

/// `POST /password/expired`
pub async fn submit_expired_password(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    session: CurrentSession,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<NewPasswordForm>,
) -> Response {
    let Some(s) = session.0.filter(|s| s.stage == SessionStage::PasswordExpired) else {
        return Redirect::to("/sign-in").into_response();
    };
    match state.core.change_expired_password(&s, &SecretString::from(form.password), &meta).await {
        Ok(()) => {
            let jar = flash::push(jar, &state, Level::Success, crate::i18n::current().t("auth-flash-password-saved"));
            (jar, Redirect::to(super::LANDING)).into_response()
        }
        Err(Error::Invalid(errors)) => {
            let page = expired_page(&state, &csrf, s.user.id, s.user.email.clone(), errors).await;
            (StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response()
        }
        Err(e) => WebError(e).into_response(),
    }
}
