//! The figures of the admin console's dashboard. Each is one statement that an index answers
//! without reading the rows it counts (`users_created`, `users_status_email`,
//! `audit_events_action`, `jobs_due`, `jobs_finished`), so the page stays cheap however many
//! events the deployment has logged.

use time::OffsetDateTime;

use super::{Db, StoreError, on_db};

/// Accounts per stored status.
pub(crate) async fn users_by_status(db: Db<'_>) -> Result<Vec<(String, i64)>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as("SELECT status, COUNT(*) FROM users GROUP BY status ORDER BY status")
        .fetch_all(c)
        .await)?)
}

/// Accounts created at or after `since`.
pub(crate) async fn users_created_since(db: Db<'_>, since: OffsetDateTime) -> Result<i64, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE created_at >= $1")
        .bind(since)
        .fetch_one(c)
        .await)?)
}

/// The statement counting `action`'s events in `windows` windows: a list of bounds joined to
/// one index range count each, so every event is read from the index once at most.
fn window_counts_sql(windows: usize) -> String {
    let values: Vec<String> = (0..windows).map(|i| format!("({i}, ${}, ${})", 2 * i + 2, 2 * i + 3)).collect();
    format!(
        "WITH w(i, lo, hi) AS (VALUES {}) \
         SELECT (SELECT COUNT(*) FROM audit_events e WHERE e.action = $1 AND e.occurred_at > w.lo AND e.occurred_at <= w.hi) \
         FROM w ORDER BY w.i",
        values.join(", ")
    )
}

/// How many events of `action` fall in each window `(start, end]`, in the order given.
pub(crate) async fn event_counts(
    db: Db<'_>,
    action: &str,
    windows: &[(OffsetDateTime, OffsetDateTime)],
) -> Result<Vec<i64>, StoreError> {
    if windows.is_empty() {
        return Ok(Vec::new());
    }
    let sql = window_counts_sql(windows.len());
    Ok(on_db!(db, |c| {
        let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(action);
        for (lo, hi) in windows {
            q = q.bind(*lo).bind(*hi);
        }
        q.fetch_all(c).await
    })?)
}

/// Jobs given up (dead) at or after `since`, per queue.
pub(crate) async fn dead_jobs_since(db: Db<'_>, since: OffsetDateTime) -> Result<Vec<(String, i64)>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as(
        "SELECT queue, COUNT(*) FROM jobs WHERE status = 'dead' AND finished_at >= $1 GROUP BY queue ORDER BY queue"
    )
    .bind(since)
    .fetch_all(c)
    .await)?)
}

/// A periodic job whose last run failed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct PeriodicFailureRow {
    pub name: String,
    pub last_finished_at: Option<OffsetDateTime>,
    pub last_error: String,
}

/// Periodic jobs whose last run failed (a handful of rows: one per periodic job).
pub(crate) async fn periodic_failures(db: Db<'_>) -> Result<Vec<PeriodicFailureRow>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, PeriodicFailureRow>(
        "SELECT name, last_finished_at, last_error FROM periodic_jobs WHERE last_error IS NOT NULL ORDER BY name"
    )
    .fetch_all(c)
    .await)?)
}

/// The plan SQLite chooses for the window counts (for the test that keeps them on the index).
#[cfg(test)]
pub(crate) async fn explain_event_counts(db: Db<'_>) -> Result<String, StoreError> {
    let sql = format!("EXPLAIN QUERY PLAN {}", window_counts_sql(2));
    let now = OffsetDateTime::UNIX_EPOCH;
    Ok(match db {
        Db::Sqlite(c) => {
            let rows: Vec<(i64, i64, i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind("session.signed_in")
                .bind(now)
                .bind(now)
                .bind(now)
                .bind(now)
                .fetch_all(c)
                .await?;
            rows.into_iter().map(|r| r.3).collect::<Vec<_>>().join("\n")
        }
        Db::Postgres(c) => {
            sqlx::query("SET enable_seqscan = off").execute(&mut *c).await?;
            let rows: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql.replace("QUERY PLAN", "")))
                .bind("session.signed_in")
                .bind(now)
                .bind(now)
                .bind(now)
                .bind(now)
                .fetch_all(&mut *c)
                .await?;
            sqlx::query("RESET enable_seqscan").execute(c).await?;
            rows.into_iter().map(|r| r.0).collect::<Vec<_>>().join("\n")
        }
    })
}
