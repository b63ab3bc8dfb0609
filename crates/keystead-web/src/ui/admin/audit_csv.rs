//! `GET /admin/audit.csv`: the events the audit page's filters find, oldest page last, as an
//! RFC 4180 file streamed page by page (500 events a statement, following the cursor), with
//! cells a spreadsheet would run as a formula defused. Invalid filters lead back to the page,
//! which shows why; nothing is sent before the first page is read.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Redirect, Response};
use keystead_core::Core;
use keystead_core::audit::AuditEvent;
use keystead_core::audit::query::{AuditPage, AuditQuery};
use keystead_core::organizations::Actor;
use tokio::io::{AsyncRead, ReadBuf};
use tokio::sync::mpsc;
use tokio_util::io::ReaderStream;

use super::RequireOperator;
use super::audit::{AuditFilters, file_stamp};
use crate::error::WebError;
use crate::state::AppState;

/// Events read per statement.
const BATCH: u32 = 500;

/// The header line.
const HEADER: &str = "id,occurred_at,action,actor_id,actor_email,subject_id,subject_email,organization_id,organization_slug,ip,user_agent,details\r\n";

/// One CSV cell (RFC 4180 §2): quoted when it holds a comma, a quote or a line break, quotes
/// doubled. A cell a spreadsheet would take for a formula (starting with `=`, `+`, `-`, `@`, a
/// tab or a carriage return) gets a leading `'` first, so it is shown as text (OWASP, "CSV
/// injection").
pub fn cell(value: &str) -> String {
    let defused =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_owned() };
    if defused.contains([',', '"', '\r', '\n']) { format!("\"{}\"", defused.replace('"', "\"\"")) } else { defused }
}

fn line(page: &AuditPage, e: &AuditEvent) -> String {
    let id = |u: Option<keystead_core::ids::UserId>| u.map(|u| u.to_string()).unwrap_or_default();
    let email =
        |u: Option<keystead_core::ids::UserId>| u.and_then(|u| page.emails.get(&u).cloned()).unwrap_or_default();
    let at = e.occurred_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    let cells = [
        e.id.to_string(),
        at,
        e.action.clone(),
        id(e.actor),
        email(e.actor),
        id(e.subject),
        email(e.subject),
        e.organization.map(|o| o.to_string()).unwrap_or_default(),
        e.organization.and_then(|o| page.organizations.get(&o).cloned()).unwrap_or_default(),
        e.ip.clone().unwrap_or_default(),
        e.user_agent.clone().unwrap_or_default(),
        if e.details.is_null() { String::new() } else { e.details.to_string() },
    ];
    let mut out = cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    out
}

fn chunk(page: &AuditPage) -> Bytes {
    Bytes::from(page.items.iter().map(|e| line(page, e)).collect::<String>())
}

/// The file's bytes as they are produced: a reader fed by the task that reads the pages.
/// An error of that task ends the body with an error, so the client sees a broken transfer,
/// never a file that looks complete.
struct Pages {
    rx: mpsc::Receiver<io::Result<Bytes>>,
    current: Bytes,
}

impl AsyncRead for Pages {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        loop {
            if !this.current.is_empty() {
                let n = buf.remaining().min(this.current.len());
                buf.put_slice(&this.current.split_to(n));
                return Poll::Ready(Ok(()));
            }
            match this.rx.poll_recv(cx) {
                Poll::Ready(Some(Ok(bytes))) => this.current = bytes,
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Err(e)),
                Poll::Ready(None) => return Poll::Ready(Ok(())),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

/// Reads the pages after `first` and sends them on, until the last page or the client leaves.
async fn follow(core: Core, mut query: AuditQuery, first: AuditPage, tx: mpsc::Sender<io::Result<Bytes>>) {
    let mut next = first.next_cursor.clone();
    if tx.send(Ok(Bytes::from_static(HEADER.as_bytes()))).await.is_err() || tx.send(Ok(chunk(&first))).await.is_err() {
        return;
    }
    while let Some(cursor) = next.take() {
        query.cursor = Some(cursor);
        match core.search_audit_events(Actor::Operator, None, &query).await {
            Ok(page) => {
                next = page.next_cursor.clone();
                if tx.send(Ok(chunk(&page))).await.is_err() {
                    return;
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "the audit export stopped");
                let _ = tx.send(Err(io::Error::other("the audit export stopped"))).await;
                return;
            }
        }
    }
}

/// `GET /admin/audit.csv?<the page's filters>`: the whole filtered range (the page's cursor
/// and size are ignored). Invalid filters: back to the page with the same query.
pub async fn export_audit_csv(
    State(state): State<AppState>,
    op: RequireOperator,
    Query(f): Query<AuditFilters>,
) -> Result<Response, WebError> {
    let f = AuditFilters { cursor: String::new(), limit: String::new(), ..f };
    let back = || Redirect::to(&format!("/admin/audit?{}", f.query_string(None))).into_response();
    let Ok(query) = f.query(BATCH) else { return Ok(back()) };
    let first = match state.core.search_audit_events(op.actor(), None, &query).await {
        Ok(page) => page,
        Err(keystead_core::Error::Invalid(_)) => return Ok(back()),
        Err(e) => return Err(WebError(e)),
    };
    let (tx, rx) = mpsc::channel(2);
    tokio::spawn(follow(state.core.clone(), query, first, tx));
    let body = Body::from_stream(ReaderStream::new(Pages { rx, current: Bytes::new() }));
    let name = format!("attachment; filename=\"audit-{}.csv\"", file_stamp(state.core.clock().now()));
    let headers = [
        (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
        (CONTENT_DISPOSITION, name),
        (CACHE_CONTROL, "no-store".to_owned()),
    ];
    Ok((headers, body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_cells_stay_as_they_are() {
        assert_eq!(cell("user.disabled"), "user.disabled");
        assert_eq!(cell(""), "");
        assert_eq!(cell("2026-12-04T10:00:00Z"), "2026-12-04T10:00:00Z");
        assert_eq!(cell("ada@example.com"), "ada@example.com");
    }

    #[test]
    fn commas_quotes_and_line_breaks_are_quoted_with_quotes_doubled() {
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell("{\"to\":\"x\",\"n\":1}"), "\"{\"\"to\"\":\"\"x\"\",\"\"n\"\":1}\"");
    }

    #[test]
    fn cells_a_spreadsheet_would_run_get_a_leading_apostrophe() {
        assert_eq!(cell("=HYPERLINK(\"http://evil\")"), "\"'=HYPERLINK(\"\"http://evil\"\")\"");
        assert_eq!(cell("=1+2"), "'=1+2");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(cell("\rx"), "\"'\rx\"");
        assert_eq!(cell("a=1"), "a=1");
    }
}
