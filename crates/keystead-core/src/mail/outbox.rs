//! The outbox as the operator sees it in the console: the messages waiting to be sent (the
//! next due first) and those given up (the latest first), a page at a time, and sending a
//! failed one again.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use time::OffsetDateTime;

use super::OutgoingEmail;
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Code, Error, FieldErrors, Result};
use crate::ids::JobId;
use crate::jobs::Queue;
use crate::organizations::Actor;
use crate::store::jobs::{self as store_jobs, JobRow};

/// Which messages to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OutboxStatus {
    /// Waiting for their first attempt or for a retry.
    #[default]
    Pending,
    /// Given up: a permanent refusal or too many attempts.
    Failed,
}

/// A page of the outbox to list.
#[derive(Debug, Clone, Default)]
pub struct OutboxQuery {
    /// Pending or failed messages.
    pub status: OutboxStatus,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<u32>,
}

/// A message in the outbox.
#[derive(Debug, Clone)]
pub struct OutboxMessage {
    /// The job that delivers it.
    pub id: JobId,
    /// The recipient.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// Attempts made so far.
    pub attempts: i32,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// Pending: when the next attempt is due.
    pub next_attempt: Option<OffsetDateTime>,
    /// Failed: when it was given up.
    pub failed_at: Option<OffsetDateTime>,
    /// A node is sending it right now.
    pub sending: bool,
}

/// A page of messages with the outbox's totals.
#[derive(Debug, Clone)]
pub struct OutboxPage {
    /// The messages of the page.
    pub items: Vec<OutboxMessage>,
    /// For the next page; `None` on the last.
    pub next_cursor: Option<String>,
    /// Messages waiting in all.
    pub pending: i64,
    /// Messages given up in all (until the finished-job retention deletes them).
    pub failed: i64,
}

fn message(row: JobRow, now: OffsetDateTime) -> OutboxMessage {
    let email: Option<OutgoingEmail> = serde_json::from_value(row.payload.0).ok();
    let dead = row.status == "dead";
    OutboxMessage {
        id: row.id,
        to: email.as_ref().map_or_else(|| "?".to_owned(), |e| e.to.clone()),
        subject: email.map_or_else(String::new, |e| e.subject),
        attempts: row.attempts,
        last_error: row.last_error,
        next_attempt: (!dead).then_some(row.run_at),
        failed_at: if dead { row.finished_at } else { None },
        sending: !dead && row.lease_until.is_some_and(|until| until > now),
    }
}

const CURSOR_VERSION: &str = "o1.";

fn encode_cursor(at: OffsetDateTime, id: JobId) -> String {
    let raw = format!("{}.{}", at.unix_timestamp_nanos(), id.0.simple());
    format!("{CURSOR_VERSION}{}", URL_SAFE_NO_PAD.encode(raw))
}

fn decode_cursor(c: &str) -> Option<(OffsetDateTime, JobId)> {
    let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(c.strip_prefix(CURSOR_VERSION)?).ok()?).ok()?;
    let (nanos, id) = raw.split_once('.')?;
    let at = OffsetDateTime::from_unix_timestamp_nanos(nanos.parse().ok()?).ok()?;
    Some((at, JobId(uuid::Uuid::parse_str(id).ok()?)))
}

impl Core {
    /// A page of the outbox's pending or failed messages, with its totals (operators only).
    pub async fn outbox_messages(&self, actor: Actor, query: &OutboxQuery) -> Result<OutboxPage> {
        actor.require_operator()?;
        let mut errors = FieldErrors::new();
        let limit = query.limit.unwrap_or(50);
        if !(1..=200).contains(&limit) {
            errors.add("limit", "out_of_range", "Ask for 1 to 200 messages a page.");
        }
        let from = match query.cursor.as_deref() {
            Some(c) => decode_cursor(c).or_else(|| {
                errors.add("cursor", "invalid", "This page link is not valid; start from the first page.");
                None
            }),
            None => None,
        };
        errors.into_result()?;
        let now = self.clock().now();
        let queue = Queue::Mail.as_str();
        let mut conn = self.store().conn().await?;
        let pending = store_jobs::count_with_status(conn.db(), queue, "pending").await?;
        let failed = store_jobs::count_with_status(conn.db(), queue, "dead").await?;
        let n = i64::from(limit) + 1;
        let mut rows = match query.status {
            OutboxStatus::Pending => store_jobs::pending_page(conn.db(), queue, from, n).await?,
            OutboxStatus::Failed => store_jobs::dead_page(conn.db(), queue, from, n).await?,
        };
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let next_cursor = match (more, rows.last(), query.status) {
            (true, Some(last), OutboxStatus::Pending) => Some(encode_cursor(last.run_at, last.id)),
            (true, Some(last), OutboxStatus::Failed) => last.finished_at.map(|at| encode_cursor(at, last.id)),
            _ => None,
        };
        let items = rows.into_iter().map(|r| message(r, now)).collect();
        Ok(OutboxPage { items, next_cursor, pending, failed })
    }

    /// Puts a failed message back in the outbox, due now with a fresh count of attempts
    /// (operators only; audited as `mail.retried`). `NotFound` for no such message;
    /// `Refused(PreconditionFailed)` when it is not failed (pending again, or delivered).
    pub async fn retry_outbox_message(&self, actor: Actor, id: JobId, meta: &RequestMeta) -> Result<OutboxMessage> {
        actor.require_operator()?;
        let now = self.clock().now();
        let queue = Queue::Mail.as_str();
        let mut tx = self.store().begin().await?;
        let row = store_jobs::get(tx.db(), id).await?;
        if row.queue != queue {
            return Err(Error::NotFound);
        }
        if !store_jobs::revive(tx.db(), id, queue, now).await? {
            return Err(Error::refused(
                Code::PreconditionFailed,
                "Only a failed message can be sent again; this one is waiting or was delivered.",
            ));
        }
        let retried = message(store_jobs::get(tx.db(), id).await?, now);
        let details = serde_json::json!({
            "job_id": id.to_string(),
            "to": retried.to,
            "attempts_before": row.attempts,
            "last_error": row.last_error,
        });
        audit::record(tx.db(), now, AuditAction::MailRetried, None, None, meta, details).await?;
        tx.queued_job();
        tx.commit().await?;
        tracing::info!(job = %id, operator = ?meta.operator, "failed email queued again by an operator");
        Ok(retried)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_foreign_ones_are_refused() {
        let at = time::macros::datetime!(2026-01-02 03:04:05.123456 UTC);
        let id = JobId::new();
        assert_eq!(decode_cursor(&encode_cursor(at, id)), Some((at, id)));
        assert_eq!(decode_cursor("a1.bm9wZQ"), None);
        assert_eq!(decode_cursor("o1.!!"), None);
    }
}
