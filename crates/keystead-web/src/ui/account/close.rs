//! My Account → Close account (warnings, confirmation, password), and the "Reactivate your
//! account" step that signing in offers during the grace period.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::Cookie;
use axum_extra::extract::{CookieJar, SignedCookieJar};
use keystead_core::accounts::closing::{CloseAccount, ReactivationOffer};
use keystead_core::sessions::{SessionInfo, SessionStage};
use keystead_core::{Code, Error, FieldErrors};
use secrecy::SecretString;
use serde::Deserialize;

use super::{NavSection, Section, chrome};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::extract::{ClientMeta, RequireSession, SESSION_COOKIE, start_session};
use crate::flash::{self, Level};
use crate::state::AppState;
use crate::ui::Layout;

/// The close-account page.
#[derive(Template, WebTemplate)]
#[template(path = "account/close.html")]
pub struct CloseAccountPage {
    layout: Layout,
    nav: Vec<NavSection>,
    csrf: String,
    grace_days: i64,
    purge_date: String,
    has_password: bool,
    /// The organizations the user is the last owner of.
    sole_owner_of: Vec<String>,
    /// The same names as one list ("A, B and C").
    sole_owner_list: String,
    /// Where to ask for help recovering the account within the grace period (configured).
    support_email: Option<String>,
    support_url: Option<String>,
    errors: FieldErrors,
}

/// Names as a list in the request's language: "A", "A and B", "A, B and C".
fn list(names: &[String]) -> String {
    let locale = crate::i18n::current();
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => locale.t2("acct-list-and", "items", init.join(", "), "last", last),
    }
}

/// The close-account form.
#[derive(Debug, Deserialize)]
pub struct CloseAccountForm {
    accept: Option<String>,
    #[serde(default)]
    password: String,
}

/// The "Reactivate your account" page.
#[derive(Template, WebTemplate)]
#[template(path = "auth/reactivate.html")]
pub struct ReactivatePage {
    layout: Layout,
    csrf: String,
    email: String,
    purge_date: String,
    token: String,
}

/// The reactivation form.
#[derive(Debug, Deserialize)]
pub struct ReactivateForm {
    token: String,
}

/// A day in the request's language ("7 March 2026").
fn layout_date(t: time::OffsetDateTime) -> String {
    crate::i18n::current().date(t)
}

async fn close_page(
    state: &AppState,
    session: &SessionInfo,
    csrf: &CsrfToken,
    errors: FieldErrors,
) -> Result<CloseAccountPage, Error> {
    let (layout, nav) = chrome(state, session, csrf, Section::Close);
    let grace = state.core.closing_grace();
    let sole_owner_of = state.core.organizations_solely_owned(session.user.id).await?;
    let interface = &state.core.config().interface;
    Ok(CloseAccountPage {
        layout,
        nav,
        csrf: csrf.value().to_owned(),
        grace_days: grace.whole_days(),
        purge_date: layout_date(state.core.clock().now() + grace),
        has_password: session.user.has_password,
        sole_owner_list: list(&sole_owner_of),
        sole_owner_of,
        support_email: interface.support_email.clone(),
        support_url: interface.support_url.as_ref().map(ToString::to_string),
        errors: super::localize_errors(errors, "close"),
    })
}

/// `GET /account/close`
pub async fn show_close_account(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
) -> Result<Response, WebError> {
    let page = close_page(&state, &session, &csrf, FieldErrors::new()).await?;
    Ok((csrf, page).into_response())
}

/// `POST /account/close`: closes the account, ends this session, and says when the data goes.
pub async fn submit_close_account(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    cookies: CookieJar,
    signed: SignedCookieJar,
    CsrfForm(form): CsrfForm<CloseAccountForm>,
) -> Result<Response, WebError> {
    let input = CloseAccount { accepted: form.accept.is_some(), password: SecretString::from(form.password) };
    match state.core.close_account(&session, &input, &meta).await {
        Ok(purge_at) => {
            let cookies = cookies.remove(Cookie::build(state.cookie_name(SESSION_COOKIE)).path("/").build());
            let text = crate::i18n::current().t1("acct-close-done", "date", layout_date(purge_at));
            let signed = flash::push(signed, &state, Level::Success, text);
            Ok((cookies, signed, Redirect::to("/sign-in")).into_response())
        }
        Err(Error::Invalid(errors)) => {
            let page = close_page(&state, &session, &csrf, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response())
        }
        Err(e) => Err(WebError(e)),
    }
}

/// The reactivation page shown by the sign-in form for a closing account.
pub fn reactivation_page(state: &AppState, csrf: CsrfToken, offer: ReactivationOffer) -> Response {
    let page = ReactivatePage {
        layout: Layout::titled(state, "acct-reactivate-title"),
        csrf: csrf.value().to_owned(),
        email: offer.email,
        purge_date: layout_date(offer.purge_at),
        token: offer.token,
    };
    (csrf, page).into_response()
}

/// `POST /sign-in/reactivate`
pub async fn reactivate_account(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    cookies: CookieJar,
    signed: SignedCookieJar,
    CsrfForm(form): CsrfForm<ReactivateForm>,
) -> Result<Response, WebError> {
    match state.core.reactivate_account(&form.token, &meta).await {
        Ok(new) => {
            let target = match new.session.stage {
                SessionStage::PasswordExpired => "/password/expired",
                _ => "/account/profile",
            };
            let cookies = start_session(cookies, &state, &new);
            let signed = flash::push(signed, &state, Level::Success, crate::i18n::current().t("acct-reactivate-done"));
            Ok((cookies, signed, Redirect::to(target)).into_response())
        }
        Err(Error::Conflict(Code::LinkInvalid)) => {
            let signed = flash::push(signed, &state, Level::Error, crate::i18n::current().t("acct-reactivate-expired"));
            Ok((signed, Redirect::to("/sign-in")).into_response())
        }
        Err(e) => Err(WebError(e)),
    }
}
