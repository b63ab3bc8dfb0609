//! Console → Operators: who may use the console, granting the role to an account by its
//! address, and taking it (a confirmation page; both need a recent sign-in).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::ids::UserId;
use keystead_core::{Error, FieldErrors};
use serde::Deserialize;

use super::{AdminNav, AdminSection, RequireOperator, chrome, recent_or_reauthenticate};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::flash::{self, Level};
use crate::state::AppState;
use crate::ui::Layout;

const HOME: &str = "/admin/operators";

/// An operator as listed.
#[derive(Debug, Clone)]
pub struct OperatorView {
    pub(crate) id: String,
    pub(crate) email: String,
    pub(crate) name: String,
    pub(crate) granted: String,
    pub(crate) granted_by: String,
    pub(crate) me: bool,
}

/// The page.
#[derive(Template, WebTemplate)]
#[template(path = "admin/operators.html")]
pub struct OperatorsPage {
    layout: Layout,
    nav: AdminNav,
    csrf: String,
    operators: Vec<OperatorView>,
    email: String,
    errors: FieldErrors,
}

/// A confirmation page for a destructive action (shared by the console's pages).
#[derive(Template, WebTemplate)]
#[template(path = "admin/confirm.html")]
pub struct ConfirmPage {
    pub(crate) layout: Layout,
    pub(crate) nav: AdminNav,
    pub(crate) csrf: String,
    pub(crate) heading: String,
    pub(crate) message: String,
    pub(crate) action: String,
    pub(crate) button: String,
    pub(crate) cancel: String,
}

/// What a confirmation page asks: the console section it belongs to, its words, where the
/// form posts and where "Cancel" leads.
#[derive(Debug, Clone)]
pub(crate) struct Confirmation {
    pub section: AdminSection,
    pub heading: String,
    pub message: String,
    pub button: String,
    pub action: String,
    pub cancel: String,
}

impl Confirmation {
    /// The page, titled by its heading, with the messages waiting in `jar`.
    pub(crate) fn page(
        self,
        state: &AppState,
        op: &RequireOperator,
        csrf: &CsrfToken,
        jar: SignedCookieJar,
    ) -> Response {
        let (layout, nav) = chrome(state, &op.session, csrf, self.section, Some(self.heading.clone()));
        let (jar, flashes) = flash::take(jar, state);
        let page = ConfirmPage {
            layout: layout.with_flashes(flashes),
            nav,
            csrf: csrf.value().to_owned(),
            heading: self.heading,
            message: self.message,
            action: self.action,
            button: self.button,
            cancel: self.cancel,
        };
        (csrf.clone(), jar, page).into_response()
    }
}

/// The grant form.
#[derive(Debug, Deserialize)]
pub struct GrantForm {
    #[serde(default)]
    email: String,
}

async fn page(state: &AppState, op: &RequireOperator, csrf: &CsrfToken) -> Result<OperatorsPage, Error> {
    let l = crate::i18n::current();
    let operators = state.core.operators(op.actor()).await?;
    let (layout, nav) = chrome(state, &op.session, csrf, AdminSection::Operators, None);
    Ok(OperatorsPage {
        layout,
        nav,
        csrf: csrf.value().to_owned(),
        operators: operators
            .into_iter()
            .map(|o| OperatorView {
                id: o.user_id.to_string(),
                me: o.user_id == op.session.user.id,
                email: o.email,
                name: o.name.unwrap_or_default(),
                granted: l.date(o.granted_at),
                granted_by: o.granted_by.unwrap_or_else(|| l.t("admin-operators-by-cli")),
            })
            .collect(),
        email: String::new(),
        errors: FieldErrors::new(),
    })
}

/// `GET /admin/operators`
pub async fn show_operators(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
) -> Result<Response, WebError> {
    let mut p = page(&state, &op, &csrf).await?;
    let (jar, flashes) = flash::take(jar, &state);
    p.layout = p.layout.with_flashes(flashes);
    Ok((csrf, jar, p).into_response())
}

/// `POST /admin/operators`: grants the role to the account with the address given.
pub async fn grant_operator(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<GrantForm>,
) -> Result<Response, WebError> {
    let jar = match recent_or_reauthenticate(&state, &op, jar, HOME) {
        Ok(jar) => jar,
        Err(to_reauth) => return Ok(to_reauth),
    };
    let l = crate::i18n::current();
    let refused = |errors: FieldErrors| async {
        let mut p = page(&state, &op, &csrf).await?;
        p.email = form.email.clone();
        p.errors = crate::ui::mfa::localized(errors);
        Ok::<_, WebError>((StatusCode::UNPROCESSABLE_ENTITY, csrf.clone(), p).into_response())
    };
    let user = match state.core.user_by_email(&form.email).await {
        Ok(user) => user,
        Err(Error::Invalid(errors)) => return refused(errors).await,
        Err(Error::NotFound) => {
            let mut errors = FieldErrors::new();
            errors.add("email", "unknown_account", "No account has this address.");
            return refused(errors).await;
        }
        Err(e) => return Err(WebError(e)),
    };
    let jar = match state.core.grant_operator(op.actor(), user.id, &op.meta).await {
        Ok(true) => flash::push(jar, &state, Level::Success, l.t1("admin-operators-granted", "email", &user.email)),
        Ok(false) => flash::push(jar, &state, Level::Info, l.t1("admin-operators-already", "email", &user.email)),
        Err(Error::Refused { .. }) => {
            let mut errors = FieldErrors::new();
            errors.add("email", "inactive_account", "Only an active account can be an operator.");
            return refused(errors).await;
        }
        Err(e) => return Err(WebError(e)),
    };
    Ok((jar, Redirect::to(HOME)).into_response())
}

async fn operator_email(state: &AppState, op: &RequireOperator, id: UserId) -> Result<String, Error> {
    let all = state.core.operators(op.actor()).await?;
    all.into_iter().find(|o| o.user_id == id).map(|o| o.email).ok_or(Error::NotFound)
}

/// `GET /admin/operators/{id}/revoke`: the confirmation (after a recent sign-in).
pub async fn confirm_revoke_operator(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id: UserId = super::parse_id(&id)?;
    let here = format!("{HOME}/{id}/revoke");
    let jar = match recent_or_reauthenticate(&state, &op, jar, &here) {
        Ok(jar) => jar,
        Err(to_reauth) => return Ok(to_reauth),
    };
    let email = operator_email(&state, &op, id).await?;
    let l = crate::i18n::current();
    let confirmation = Confirmation {
        section: AdminSection::Operators,
        heading: l.t("admin-operators-revoke-title"),
        message: l.t1("admin-operators-revoke-message", "email", &email),
        button: l.t("admin-operators-revoke"),
        action: here,
        cancel: HOME.to_owned(),
    };
    Ok(confirmation.page(&state, &op, &csrf, jar))
}

/// `POST /admin/operators/{id}/revoke`
pub async fn revoke_operator(
    State(state): State<AppState>,
    op: RequireOperator,
    jar: SignedCookieJar,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, WebError> {
    let id: UserId = super::parse_id(&id)?;
    let jar = match recent_or_reauthenticate(&state, &op, jar, &format!("{HOME}/{id}/revoke")) {
        Ok(jar) => jar,
        Err(to_reauth) => return Ok(to_reauth),
    };
    let email = operator_email(&state, &op, id).await?;
    let l = crate::i18n::current();
    let jar = match state.core.revoke_operator(op.actor(), id, &op.meta).await {
        Ok(_) => flash::push(jar, &state, Level::Success, l.t1("admin-operators-revoked", "email", &email)),
        Err(Error::Refused { .. }) => flash::push(jar, &state, Level::Error, l.t("admin-operators-last")),
        Err(e) => return Err(WebError(e)),
    };
    Ok((jar, Redirect::to(HOME)).into_response())
}
