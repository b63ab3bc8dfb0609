//! Console → Email outbox (`/admin/outbox`): the messages waiting to be sent and those given
//! up, in tabs with their counts and a page at a time, and sending a failed one again.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::Error;
use keystead_core::ids::JobId;
use keystead_core::mail::outbox::{OutboxMessage, OutboxQuery, OutboxStatus};
use serde::Deserialize;

use super::{AdminNav, AdminSection, RequireOperator, chrome, parse_id};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::flash::{self, Level};
use crate::state::AppState;
use crate::ui::Layout;

const HOME: &str = "/admin/outbox";

/// The page's query.
#[derive(Debug, Default, Deserialize)]
pub struct OutboxParams {
    #[serde(default)]
    status: String,
    #[serde(default)]
    cursor: String,
}

/// A message as listed.
#[derive(Debug, Clone)]
pub struct MessageView {
    pub(crate) id: String,
    pub(crate) to: String,
    pub(crate) subject: String,
    pub(crate) attempts: i32,
    pub(crate) last_error: String,
    /// When the next attempt is due (pending) or when it was given up (failed).
    pub(crate) when: String,
    pub(crate) sending: bool,
}

/// The page.
#[derive(Template, WebTemplate)]
#[template(path = "admin/outbox.html")]
pub struct OutboxPageView {
    layout: Layout,
    nav: AdminNav,
    csrf: String,
    failed_tab: bool,
    pending: String,
    failed: String,
    messages: Vec<MessageView>,
    next: Option<String>,
    first: Option<String>,
}

fn view(m: OutboxMessage) -> MessageView {
    let l = crate::i18n::current();
    let dash = || "—".to_owned();
    MessageView {
        id: m.id.to_string(),
        to: m.to,
        subject: m.subject,
        attempts: m.attempts,
        last_error: m.last_error.unwrap_or_default(),
        when: m.failed_at.or(m.next_attempt).map_or_else(dash, |t| l.date_time(t)),
        sending: m.sending,
    }
}

/// `GET /admin/outbox?status=pending|failed`: a page of messages; an unusable page link
/// leads back to the first page.
pub async fn show_outbox(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
    Query(params): Query<OutboxParams>,
) -> Result<Response, WebError> {
    let failed_tab = params.status == "failed";
    let (status, tab) = if failed_tab { (OutboxStatus::Failed, "failed") } else { (OutboxStatus::Pending, "pending") };
    let cursor = Some(params.cursor.trim().to_owned()).filter(|c| !c.is_empty());
    let had_cursor = cursor.is_some();
    let query = OutboxQuery { status, cursor, limit: None };
    let page = match state.core.outbox_messages(op.actor(), &query).await {
        Ok(page) => page,
        Err(Error::Invalid(_)) if had_cursor => {
            return Ok(Redirect::to(&format!("{HOME}?status={tab}")).into_response());
        }
        Err(e) => return Err(WebError(e)),
    };
    let l = crate::i18n::current();
    let (layout, nav) = chrome(&state, &op.session, &csrf, AdminSection::Outbox, None);
    let (jar, flashes) = flash::take(jar, &state);
    let link = |c: &str| {
        let q = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("status", tab)
            .append_pair("cursor", c)
            .finish();
        format!("{HOME}?{q}")
    };
    let view = OutboxPageView {
        layout: layout.with_flashes(flashes),
        nav,
        csrf: csrf.value().to_owned(),
        failed_tab,
        pending: l.number(page.pending),
        failed: l.number(page.failed),
        next: page.next_cursor.as_deref().map(link),
        first: had_cursor.then(|| format!("{HOME}?status={tab}")),
        messages: page.items.into_iter().map(view).collect(),
    };
    Ok((csrf, jar, view).into_response())
}

/// `POST /admin/outbox/{id}/retry`: puts a failed message back in the outbox; back to the
/// failed messages with a word on how it went. Unknown id: 404.
pub async fn retry_outbox_message(
    State(state): State<AppState>,
    op: RequireOperator,
    jar: SignedCookieJar,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, WebError> {
    let id: JobId = parse_id(&id)?;
    let l = crate::i18n::current();
    let jar = match state.core.retry_outbox_message(op.actor(), id, &op.meta).await {
        Ok(m) => flash::push(jar, &state, Level::Success, l.t1("admin-outbox-retried", "to", m.to.as_str())),
        Err(Error::NotFound) => return Err(WebError(Error::NotFound)),
        Err(e @ (Error::Refused { .. } | Error::Conflict(_) | Error::Invalid(_))) => {
            tracing::info!(error = %e, job = %id, "an outbox retry was refused");
            flash::push(jar, &state, Level::Error, l.t("admin-outbox-retry-refused"))
        }
        Err(e) => return Err(WebError(e)),
    };
    Ok((jar, Redirect::to(&format!("{HOME}?status=failed"))).into_response())
}

/// `GET /admin/outbox/{id}/retry`: nothing to show; the failed messages.
pub async fn show_retry_outbox_message(_op: RequireOperator) -> Response {
    (StatusCode::SEE_OTHER, [(axum::http::header::LOCATION, "/admin/outbox?status=failed")]).into_response()
}
