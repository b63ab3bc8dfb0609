//! My Account → Connected apps: the applications the user authorized, what each can see, and
//! revoking one (its refresh tokens, access tokens and consent end).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::Error;
use serde::Deserialize;

use super::{NavSection, Section, chrome};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::extract::{ClientMeta, RequireSession};
use crate::flash::{self, Level};
use crate::state::AppState;
use crate::ui::Layout;

/// An app as listed.
#[derive(Debug, Clone)]
pub struct AppView {
    client_id: String,
    name: String,
    sees: String,
    granted: String,
}

/// The connected apps page.
#[derive(Template, WebTemplate)]
#[template(path = "account/apps.html")]
pub struct AppsPage {
    layout: Layout,
    nav: Vec<NavSection>,
    csrf: String,
    apps: Vec<AppView>,
}

/// The revoke form.
#[derive(Debug, Deserialize)]
pub struct RevokeAppForm {
    client_id: String,
}

/// `GET /account/apps`
pub async fn show_connected_apps(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
) -> Result<Response, WebError> {
    let apps = state.core.connected_apps(&session).await?;
    let (jar, flashes) = flash::take(jar, &state);
    let (layout, nav) = chrome(&state, &session, &csrf, Section::ConnectedApps);
    let apps = apps
        .into_iter()
        .map(|a| AppView {
            sees: a.scopes.descriptions().join("; "),
            granted: layout.date(&a.granted_at),
            client_id: a.client_id,
            name: a.name,
        })
        .collect();
    let page = AppsPage { layout: layout.with_flashes(flashes), nav, csrf: csrf.value().to_owned(), apps };
    Ok((csrf, jar, page).into_response())
}

/// `POST /account/apps/revoke`
pub async fn revoke_connected_app(
    State(state): State<AppState>,
    RequireSession(session): RequireSession,
    ClientMeta(meta): ClientMeta,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<RevokeAppForm>,
) -> Result<Response, WebError> {
    let text = match state.core.revoke_connected_app(&session, &form.client_id, &meta).await {
        Ok(name) => crate::i18n::current().t1("acct-apps-revoked", "name", name),
        Err(Error::NotFound) => crate::i18n::current().t("acct-apps-not-connected"),
        Err(e) => return Err(e.into()),
    };
    let jar = flash::push(jar, &state, Level::Success, text);
    Ok((jar, Redirect::to("/account/apps")).into_response())
}
