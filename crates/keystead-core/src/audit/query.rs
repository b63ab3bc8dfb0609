//! Searching the audit log (the admin API's `GET /api/v1/audit-events`): by actor, subject,
//! action (exact, or a family as `user.*`) and time, newest first, in pages resumed by an
//! opaque cursor. The operator searches the whole log; within an organization (its token, or a
//! user who may manage it) only that organization's log.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use time::OffsetDateTime;

use super::AuditEvent;
use crate::Core;
use crate::error::{Error, FieldErrors, Result};
use crate::ids::{AuditEventId, OrganizationId, UserId};
use crate::organizations::{Actor, Permission, access};
use crate::store::audit::{self as store, AuditFilter, AuditRow};

/// An audit search.
#[derive(Debug, Default, Clone)]
pub struct AuditQuery {
    /// Done by this user.
    pub actor: Option<UserId>,
    /// About this user.
    pub subject: Option<UserId>,
    /// This action (`user.disabled`), or a family (`user.*`).
    pub action: Option<String>,
    /// At or after.
    pub since: Option<OffsetDateTime>,
    /// Before.
    pub until: Option<OffsetDateTime>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Page size, 1 to 500 (default 100).
    pub limit: Option<u32>,
}

/// A page of events.
#[derive(Debug)]
pub struct AuditPage {
    /// Newest first.
    pub items: Vec<AuditEvent>,
    /// For the next (older) page; `None` on the last.
    pub next_cursor: Option<String>,
}

impl From<AuditRow> for AuditEvent {
    fn from(r: AuditRow) -> Self {
        Self {
            id: r.id,
            occurred_at: r.occurred_at,
            action: r.action,
            actor: r.actor_user_id,
            subject: r.subject_user_id,
            ip: r.ip,
            user_agent: r.user_agent,
            details: r.details.0,
        }
    }
}

const CURSOR_VERSION: &str = "a1.";

fn encode_cursor(e: &AuditRow) -> String {
    let raw = format!("{}.{}", e.occurred_at.unix_timestamp_nanos(), e.id.0.simple());
    format!("{CURSOR_VERSION}{}", URL_SAFE_NO_PAD.encode(raw))
}

fn decode_cursor(c: &str) -> Option<(OffsetDateTime, AuditEventId)> {
    let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(c.strip_prefix(CURSOR_VERSION)?).ok()?).ok()?;
    let (nanos, id) = raw.split_once('.')?;
    let at = OffsetDateTime::from_unix_timestamp_nanos(nanos.parse().ok()?).ok()?;
    Some((at, AuditEventId(uuid::Uuid::parse_str(id).ok()?)))
}

/// The stored form of an action filter: exact, or a family (`user.*` → `user.%`).
fn action_filter(action: &str, errors: &mut FieldErrors) -> Option<String> {
    let a = action.trim();
    let valid =
        |s: &str| !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_lowercase() || c == '.' || c == '_');
    match a.strip_suffix('*') {
        Some(family) if valid(family) && family.ends_with('.') => Some(format!("{}%", family.replace('_', "\\_"))),
        None if valid(a) => Some(a.to_owned()),
        _ => {
            errors.add("action", "invalid", "Give an action such as user.disabled, or a family such as user.*.");
            None
        }
    }
}

impl Core {
    /// Events matching `query`, newest first.
    pub async fn search_audit_events(
        &self,
        actor: Actor,
        within: Option<OrganizationId>,
        query: &AuditQuery,
    ) -> Result<AuditPage> {
        let mut errors = FieldErrors::new();
        let limit = query.limit.unwrap_or(100);
        if !(1..=500).contains(&limit) {
            errors.add("limit", "out_of_range", "Ask for 1 to 500 events a page.");
        }
        let action = query.action.as_deref().and_then(|a| action_filter(a, &mut errors));
        let before = match query.cursor.as_deref() {
            Some(c) => decode_cursor(c).or_else(|| {
                errors.add("cursor", "invalid", "This cursor was not made by this API; start from the first page.");
                None
            }),
            None => None,
        };
        if let (Some(since), Some(until)) = (query.since, query.until)
            && since >= until
        {
            errors.add("until", "before_since", "until must be after since.");
        }
        errors.into_result()?;
        let mut conn = self.store().conn().await?;
        match (within, actor) {
            (None, Actor::Operator) => {}
            (None, Actor::User(_)) => return Err(Error::Forbidden),
            (Some(org), actor) => access(conn.db(), org, actor).await?.require(Permission::OrgManage)?,
        }
        let filter = AuditFilter {
            organization: within.map(|o| o.0),
            actor: query.actor,
            subject: query.subject,
            action: action.as_deref(),
            since: query.since,
            until: query.until,
            before,
            limit: i64::from(limit) + 1,
        };
        let mut rows = store::search(conn.db(), &filter).await?;
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let next_cursor = if more { rows.last().map(encode_cursor) } else { None };
        Ok(AuditPage { items: rows.into_iter().map(AuditEvent::from).collect(), next_cursor })
    }
}
