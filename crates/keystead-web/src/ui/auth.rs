//! Sign-in (email first, then password) and sign-out.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::Cookie;
use axum_extra::extract::{CookieJar, SignedCookieJar};
use keystead_core::accounts::EmailAddress;
use keystead_core::accounts::sign_in::SignInOutcome;
use keystead_core::sessions::SessionStage;
use keystead_core::sso::Realm;
use keystead_core::{Code, Error, FieldErrors};
use secrecy::SecretString;
use serde::Deserialize;

use keystead_core::accounts::password_policy::PasswordPolicy;
use keystead_core::i18n::Locale;

use super::{Layout, safe_return_to};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::extract::{ClientMeta, CurrentSession, SESSION_COOKIE, start_session};
use crate::flash::{self, Level};
use crate::state::AppState;

/// Stands for a highlighted value (an address, a name) in a message that a page splits around it.
pub const MARK: &str = "\u{E000}";

/// The text before and after [`MARK`] (all of it before, when the message has none), so that a
/// page can style the value between: `{{ parts.0 }}<span>{{ email }}</span>{{ parts.1 }}`.
pub fn split(text: String) -> (String, String) {
    match text.split_once(MARK) {
        Some((before, after)) => (before.to_owned(), after.to_owned()),
        None => (text, String::new()),
    }
}

/// The message `key` split around its `$email`.
pub fn around(lang: &Locale, key: &str) -> (String, String) {
    split(lang.t1(key, "email", MARK))
}

/// The rules of a new password as the field's hint lists them, and the "Show" button's words.
#[derive(Debug, Clone)]
pub struct PasswordRules {
    /// "Your password needs:"
    pub intro: String,
    /// One line per rule the deployment (or organization) applies.
    pub items: Vec<String>,
    /// How to make a good one.
    pub tip: String,
    /// The show-password button's words.
    pub show: String,
    /// The same button while the password shows.
    pub hide: String,
    /// The script that adds the button.
    pub script: String,
}

/// The hint of a new-password field for `policy`, in `lang`.
pub fn password_rules(policy: &PasswordPolicy, lang: Locale) -> PasswordRules {
    let mut items = vec![lang.t1("auth-password-rule-length", "min", policy.min_length)];
    let rules = [
        (policy.require_lowercase, "auth-password-rule-lowercase"),
        (policy.require_uppercase, "auth-password-rule-uppercase"),
        (policy.require_digit, "auth-password-rule-digit"),
        (policy.require_symbol, "auth-password-rule-symbol"),
        (policy.reject_common, "auth-password-rule-common"),
        (policy.reject_personal_data, "auth-password-rule-personal"),
    ];
    items.extend(rules.into_iter().filter(|(on, _)| *on).map(|(_, key)| lang.t(key)));
    PasswordRules {
        intro: lang.t("auth-password-rules-intro"),
        items,
        tip: lang.t("auth-password-tip"),
        show: lang.t("auth-password-show"),
        hide: lang.t("auth-password-hide"),
        script: crate::assets::url("auth-password.js"),
    }
}

/// The email step.
#[derive(Template, WebTemplate)]
#[template(path = "auth/sign_in_email.html")]
pub struct SignInEmailPage {
    layout: Layout,
    csrf: String,
    email: String,
    return_to: Option<String>,
    errors: FieldErrors,
    /// Offer "Sign in with a passkey" (the server is reached by a domain name).
    passkeys: bool,
    /// "Continue with …" buttons of the configured social presets.
    social: Vec<super::sso::SocialButton>,
}

/// The password step.
#[derive(Template, WebTemplate)]
#[template(path = "auth/sign_in_password.html")]
pub struct SignInPasswordPage {
    layout: Layout,
    csrf: String,
    email: String,
    return_to: Option<String>,
    errors: FieldErrors,
}

/// `?return_to=` (and `reauthenticate=1` when an application asks the user to sign in again,
/// `login_hint=` when it says who is expected)
#[derive(Debug, Deserialize)]
pub struct ReturnTo {
    return_to: Option<String>,
    reauthenticate: Option<String>,
    login_hint: Option<String>,
}

/// The email form.
#[derive(Debug, Deserialize)]
pub struct EmailForm {
    email: String,
    return_to: Option<String>,
}

/// The password form.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    email: String,
    password: String,
    return_to: Option<String>,
}

/// `GET /sign-in`
pub async fn show_sign_in(
    State(state): State<AppState>,
    csrf: CsrfToken,
    session: CurrentSession,
    jar: SignedCookieJar,
    Query(q): Query<ReturnTo>,
) -> Response {
    let return_to = safe_return_to(q.return_to.as_deref());
    if session.authenticated().is_some() && q.reauthenticate.is_none() {
        return Redirect::to(&super::after_sign_in(return_to)).into_response();
    }
    let (jar, flashes) = flash::take(jar, &state);
    let layout = Layout::titled(&state, "auth-sign-in-title").with_flashes(flashes);
    // An application's hint fills in the address when it is one; anything else is ignored
    // (OpenID Connect Core §3.1.2.1: the hint is advisory).
    let email = q
        .login_hint
        .as_deref()
        .map(str::trim)
        .filter(|h| EmailAddress::parse("email", h).is_ok())
        .unwrap_or_default()
        .to_owned();
    let page = SignInEmailPage {
        layout,
        csrf: csrf.value().to_owned(),
        email,
        social: super::sso::social_buttons(&state, return_to.as_deref()),
        return_to,
        errors: FieldErrors::new(),
        passkeys: state.core.passkeys_available(),
    };
    (csrf, jar, page).into_response()
}

/// `POST /sign-in`: the email step; home-realm discovery decides where the user signs in.
pub async fn submit_sign_in_email(
    State(state): State<AppState>,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<EmailForm>,
) -> Response {
    let return_to = safe_return_to(form.return_to.as_deref());
    let csrf_value = csrf.value().to_owned();
    match EmailAddress::parse("email", &form.email) {
        Err(Error::Invalid(errors)) => {
            let layout = Layout::titled(&state, "auth-sign-in-title");
            let passkeys = state.core.passkeys_available();
            let social = super::sso::social_buttons(&state, return_to.as_deref());
            let errors = errors.localized(crate::i18n::current());
            let page =
                SignInEmailPage { layout, csrf: csrf_value, email: form.email, return_to, errors, passkeys, social };
            (StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response()
        }
        Err(e) => WebError(e).into_response(),
        Ok(email) => match state.core.discover_realm(&email).await {
            Ok(Realm::Password) => {
                let layout = Layout::titled(&state, "auth-sign-in-title");
                let page = SignInPasswordPage {
                    layout,
                    csrf: csrf_value,
                    email: email.as_str().to_owned(),
                    return_to,
                    errors: FieldErrors::new(),
                };
                (csrf, page).into_response()
            }
            Ok(Realm::Sso { connection, name, organization }) => {
                super::sso::sso_going_page(&state, connection, name, organization, email.as_str(), return_to.as_deref())
            }
            Err(e) => WebError(e).into_response(),
        },
    }
}

/// `POST /sign-in/password`
pub async fn submit_sign_in_password(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    jar: CookieJar,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Response {
    let return_to = safe_return_to(form.return_to.as_deref());
    let password = SecretString::from(form.password);
    match state.core.sign_in_with_password(&form.email, &password, &meta).await {
        Ok(SignInOutcome::ReactivationOffered(offer)) => super::account::reactivation_page(&state, csrf, offer),
        Ok(SignInOutcome::SignedIn(new)) => {
            let target = match new.session.stage {
                SessionStage::PasswordExpired => "/password/expired".to_owned(),
                SessionStage::SecondFactorPending => super::mfa::second_factor_target(return_to.as_deref()),
                SessionStage::MfaSetupRequired => "/account/two-factor".to_owned(),
                _ => super::after_sign_in(return_to),
            };
            let jar = start_session(jar, &state, &new);
            (jar, Redirect::to(&target)).into_response()
        }
        Err(Error::Invalid(errors)) if errors.for_field("email").next().is_some() => {
            let layout = Layout::titled(&state, "auth-sign-in-title");
            let passkeys = state.core.passkeys_available();
            let csrf_value = csrf.value().to_owned();
            let social = super::sso::social_buttons(&state, return_to.as_deref());
            let errors = errors.localized(crate::i18n::current());
            let page =
                SignInEmailPage { layout, csrf: csrf_value, email: form.email, return_to, errors, passkeys, social };
            (StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response()
        }
        Err(Error::Conflict(Code::AccountDisabled)) => {
            let mut errors = FieldErrors::new();
            errors.add(
                "password",
                "account_disabled",
                "This account is disabled. Contact your administrator to have it enabled again.",
            );
            let layout = Layout::titled(&state, "auth-sign-in-title");
            let email = form.email.trim().to_owned();
            let errors = errors.localized(crate::i18n::current());
            let page = SignInPasswordPage { layout, csrf: csrf.value().to_owned(), email, return_to, errors };
            (StatusCode::FORBIDDEN, csrf, page).into_response()
        }
        Err(Error::Invalid(errors)) => {
            let layout = Layout::titled(&state, "auth-sign-in-title");
            let email = form.email.trim().to_owned();
            let errors = errors.localized(crate::i18n::current());
            let page = SignInPasswordPage { layout, csrf: csrf.value().to_owned(), email, return_to, errors };
            (StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response()
        }
        Err(e) => WebError(e).into_response(),
    }
}

/// `POST /sign-out`
pub async fn sign_out(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    session: CurrentSession,
    cookies: CookieJar,
    signed: SignedCookieJar,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, WebError> {
    let mut provider_logout = None;
    if let Some(s) = &session.0 {
        // Read before the session ends: which provider it came through, if any.
        provider_logout = state.core.sso_logout_url(s).await.unwrap_or_else(|e| {
            tracing::warn!(error = %e, "could not read the session's identity provider");
            None
        });
        state.core.sign_out(s, &meta).await?;
    }
    let cookies = cookies.remove(Cookie::build(state.cookie_name(SESSION_COOKIE)).path("/").build());
    if let Some(url) = provider_logout {
        return Ok((cookies, super::sso::provider_logout_page(&state, &url)).into_response());
    }
    let signed = flash::push(signed, &state, Level::Success, crate::i18n::current().t("auth-flash-signed-out"));
    Ok((cookies, signed, Redirect::to("/sign-in")).into_response())
}
