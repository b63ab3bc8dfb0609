//! My Account → Agreements: every version the user accepted, each readable.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use keystead_core::Error;
use keystead_core::agreements::AgreementId;
use keystead_core::i18n::Arg;
use time::OffsetDateTime;

use super::{NavSection, Section, chrome};
use crate::csrf::CsrfToken;
use crate::error::WebError;
use crate::extract::RequireSession;
use crate::state::AppState;
use crate::ui::Layout;

/// An accepted version as listed.
#[derive(Debug, Clone)]
pub struct AcceptanceView {
    href: String,
    title: String,
    version: i64,
    accepted: String,
    ip: String,
}

/// The list.
#[derive(Template, WebTemplate)]
#[template(path = "account/agreements.html")]
pub struct AgreementsPage {
    layout: Layout,
    nav: Vec<NavSection>,
    acceptances: Vec<AcceptanceView>,
}

/// One accepted version.
#[derive(Template, WebTemplate)]
#[template(path = "account/agreement.html")]
pub struct AgreementPage {
    layout: Layout,
    nav: Vec<NavSection>,
    title: String,
    /// "Version 2 · published … · you accepted it …"
    meta: String,
    /// Sanitised HTML of the Markdown body.
    body_html: String,
}

/// A moment in the request's language.
fn when(t: OffsetDateTime) -> String {
    crate::i18n::current().date_time(t)
}

/// `GET /account/agreements`
pub async fn show_agreements(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
) -> Result<Response, WebError> {
    let acceptances = state
        .core
        .accepted_agreements(session.user.id)
        .await?
        .into_iter()
        .map(|a| AcceptanceView {
            href: format!("/account/agreements/{}", a.agreement_id),
            title: a.title,
            version: a.version,
            accepted: when(a.accepted_at),
            ip: a.ip.unwrap_or_default(),
        })
        .collect();
    let (layout, nav) = chrome(&state, &session, &csrf, Section::Agreements);
    Ok((csrf, AgreementsPage { layout, nav, acceptances }).into_response())
}

/// `GET /account/agreements/{id}`: only versions this user accepted.
pub async fn show_accepted_agreement(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id: AgreementId = id.parse().map_err(|_| WebError(Error::NotFound))?;
    let (agreement, acceptance) = state.core.accepted_agreement(session.user.id, id).await?;
    let (mut layout, nav) = chrome(&state, &session, &csrf, Section::Agreements);
    layout.title = agreement.title.clone();
    let page = AgreementPage {
        layout,
        nav,
        body_html: agreement.body_html(),
        title: agreement.title,
        meta: crate::i18n::current().t_args(
            "acct-agreement-meta",
            &[
                ("version", Arg::from(agreement.version)),
                ("published", Arg::from(when(agreement.published_at))),
                ("accepted", Arg::from(when(acceptance.accepted_at))),
            ],
        ),
    };
    Ok((csrf, page).into_response())
}
