//! The admin API's audit log (`audit:read`): events filtered by actor, subject, action and
//! time, newest first, in pages. The operator's token reads the whole log; an organization's
//! token its organization's log.

use axum::Json;
use axum::extract::{Query, State};
use keystead_core::api_tokens::ApiScope;
use keystead_core::audit::AuditEvent;
use keystead_core::audit::query::AuditQuery;
use keystead_core::{Code, Error, FieldErrors};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::admin::ApiCaller;
use super::users::rfc3339;
use crate::error::WebError;
use crate::state::AppState;

/// An audit event.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEventView {
    id: String,
    #[schema(format = DateTime)]
    occurred_at: String,
    /// What happened (`user.disabled`).
    action: String,
    /// Who did it, when a user did (absent: the operator or the system).
    actor_user_id: Option<String>,
    /// To whom.
    subject_user_id: Option<String>,
    /// From which address.
    ip: Option<String>,
    user_agent: Option<String>,
    /// What else the event records.
    #[schema(value_type = Object)]
    details: serde_json::Value,
}

impl From<AuditEvent> for AuditEventView {
    fn from(e: AuditEvent) -> Self {
        Self {
            id: e.id.to_string(),
            occurred_at: rfc3339(e.occurred_at),
            action: e.action,
            actor_user_id: e.actor.map(|u| u.to_string()),
            subject_user_id: e.subject.map(|u| u.to_string()),
            ip: e.ip,
            user_agent: e.user_agent,
            details: e.details,
        }
    }
}

/// The search's parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditSearch {
    /// Done by this user (id).
    actor: Option<String>,
    /// About this user (id).
    subject: Option<String>,
    /// An action (`user.disabled`) or a family (`user.*`).
    action: Option<String>,
    /// At or after (RFC 3339).
    since: Option<String>,
    /// Before (RFC 3339).
    until: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Events per page, 1 to 500 (default 100).
    limit: Option<String>,
}

/// A page of events.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditList {
    /// Newest first.
    items: Vec<AuditEventView>,
    /// For the next (older) page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_cursor: Option<String>,
}

fn to_query(s: AuditSearch) -> Result<AuditQuery, Error> {
    let mut errors = FieldErrors::new();
    let mut id = |field: &'static str, v: Option<String>| match v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => v.parse().ok().or_else(|| {
            errors.add(field, "invalid_id", "Give a user id.");
            None
        }),
        None => None,
    };
    let (actor, subject) = (id("actor", s.actor), id("subject", s.subject));
    let mut time = |field: &'static str, v: Option<String>| match v.as_deref().map(str::trim).filter(|v| !v.is_empty())
    {
        Some(v) => time::OffsetDateTime::parse(v, &time::format_description::well_known::Rfc3339).ok().or_else(|| {
            errors.add(field, "invalid_time", "Give the time as RFC 3339, such as 2026-12-01T00:00:00Z.");
            None
        }),
        None => None,
    };
    let (since, until) = (time("since", s.since), time("until", s.until));
    let limit = match s.limit.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => v.parse::<u32>().ok().or_else(|| {
            errors.add("limit", "not_a_number", "Give the page size as a whole number from 1 to 500.");
            None
        }),
        None => None,
    };
    errors.into_result()?;
    Ok(AuditQuery { actor, subject, action: s.action, since, until, cursor: s.cursor, limit, ..AuditQuery::default() })
}

/// `GET /api/v1/audit-events?actor=…&subject=…&action=…&since=…&until=…&cursor=…&limit=…`
#[utoipa::path(
    get,
    path = "/api/v1/audit-events",
    tag = "audit",
    security(("token" = ["audit:read"])),
    params(AuditSearch),
    responses(
        (status = 200, description = "A page of events, newest first; `next_cursor` continues", body = AuditList),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`"),
        (status = 422, description = "`invalid_input`: a bad id, time, action, limit or cursor (per-field `errors`)"),
        (status = 429, description = "`rate_limited`"),
    )
)]
pub async fn search_audit_events(
    State(state): State<AppState>,
    caller: ApiCaller,
    query: Result<Query<AuditSearch>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<AuditList>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::AuditRead)?;
    let Query(search) = query.map_err(|e| Error::refused(Code::MalformedRequest, e.body_text()))?;
    let page = state.core.search_audit_events(p.actor, p.organization, &to_query(search)?).await?;
    Ok(Json(AuditList { items: page.items.into_iter().map(Into::into).collect(), next_cursor: page.next_cursor }))
}
