//! The `jobs` table: queued work claimed with leases.

use sqlx::ConnectOptions;
use sqlx::types::Json;
use time::OffsetDateTime;

use super::{Db, Pool, Store, StoreError, on_db};
use crate::ids::JobId;

/// A connection of the job runner's own, outside the pool, for its claims and for recording each
/// outcome the moment it is known: the record never waits for a pool slot behind requests.
pub(crate) enum RunnerConn {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl std::fmt::Debug for RunnerConn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Sqlite(_) => "RunnerConn(sqlite)",
            Self::Postgres(_) => "RunnerConn(postgres)",
        })
    }
}

impl RunnerConn {
    /// How long one SQLite statement waits for the write lock before it is retried (20 ms).
    /// SQLite's busy handler sleeps longer and longer (up to 100 ms between looks) while newer
    /// writers look every millisecond; a short wait and a quick retry keep the runner's records
    /// in step with the requests'.
    const SQLITE_BUSY_TIMEOUT: &'static str = "PRAGMA busy_timeout = 20";

    /// Opens a connection with the pool's settings (SQLite: a short busy timeout, see above).
    pub(crate) async fn open(store: &Store) -> Result<Self, StoreError> {
        Ok(match &store.pool {
            Pool::Sqlite(p) => {
                let mut c = p.connect_options().connect().await?;
                sqlx::query(Self::SQLITE_BUSY_TIMEOUT).execute(&mut c).await?;
                Self::Sqlite(c)
            }
            Pool::Postgres(p) => Self::Postgres(p.connect_options().connect().await?),
        })
    }

    pub(crate) fn db(&mut self) -> Db<'_> {
        match self {
            Self::Sqlite(c) => Db::Sqlite(c),
            Self::Postgres(c) => Db::Postgres(c),
        }
    }
}

/// True for SQLite's "database is locked" (`SQLITE_BUSY`): worth trying again at once.
pub(crate) fn is_busy(e: &StoreError) -> bool {
    // The primary result code is the low byte of an extended one (SQLITE_BUSY_SNAPSHOT is 517).
    matches!(e, StoreError::Unavailable(sqlx::Error::Database(db)) | StoreError::Backend(sqlx::Error::Database(db))
        if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some()
            && db.code().and_then(|c| c.parse::<i32>().ok()).is_some_and(|c| c & 0xff == 5))
}

/// A job to insert.
pub(crate) struct NewJob<'a> {
    pub id: JobId,
    pub queue: &'a str,
    pub payload: &'a serde_json::Value,
    pub max_attempts: i32,
    pub run_at: OffsetDateTime,
    pub now: OffsetDateTime,
}

/// A job as claimed by a runner.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ClaimedJob {
    pub id: JobId,
    pub queue: String,
    pub payload: Json<serde_json::Value>,
    pub attempts: i32,
    pub max_attempts: i32,
}

/// A job's full row, for inspection.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct JobRow {
    pub id: JobId,
    pub queue: String,
    pub payload: Json<serde_json::Value>,
    pub status: String,
    pub attempts: i32,
    pub run_at: OffsetDateTime,
    pub lease_owner: Option<String>,
    pub lease_until: Option<OffsetDateTime>,
    pub last_error: Option<String>,
    pub finished_at: Option<OffsetDateTime>,
}

pub(crate) async fn insert(db: Db<'_>, job: &NewJob<'_>) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query(
        "INSERT INTO jobs (id, queue, payload, status, attempts, max_attempts, run_at, created_at) \
         VALUES ($1, $2, $3, 'pending', 0, $4, $5, $6)"
    )
    .bind(job.id)
    .bind(job.queue)
    .bind(Json(job.payload))
    .bind(job.max_attempts)
    .bind(job.run_at)
    .bind(job.now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Leases up to `limit` due jobs of `queue` to `owner` until `lease_until`, counting an attempt.
/// A job whose lease ran out (its node died) is due again.
pub(crate) async fn claim(
    db: Db<'_>,
    queue: &str,
    owner: &str,
    now: OffsetDateTime,
    lease_until: OffsetDateTime,
    limit: i64,
) -> Result<Vec<ClaimedJob>, StoreError> {
    // The one dialect difference: PostgreSQL nodes must skip rows another node is claiming;
    // SQLite has a single writer, so the plain statement is already exclusive.
    const SELECT_DUE: &str = "SELECT id FROM jobs WHERE queue = $3 AND status = 'pending' AND run_at <= $4 \
         AND (lease_until IS NULL OR lease_until <= $4) ORDER BY run_at LIMIT $5";
    const UPDATE: &str = "UPDATE jobs SET lease_owner = $1, lease_until = $2, attempts = attempts + 1 WHERE id IN";
    const RETURNING: &str = "RETURNING id, queue, payload, attempts, max_attempts";
    let rows = match db {
        Db::Sqlite(c) => {
            sqlx::query_as::<_, ClaimedJob>(const_format(&[UPDATE, " (", SELECT_DUE, ") ", RETURNING]))
                .bind(owner)
                .bind(lease_until)
                .bind(queue)
                .bind(now)
                .bind(limit)
                .fetch_all(c)
                .await?
        }
        Db::Postgres(c) => {
            sqlx::query_as::<_, ClaimedJob>(const_format(&[
                UPDATE,
                " (",
                SELECT_DUE,
                " FOR UPDATE SKIP LOCKED) ",
                RETURNING,
            ]))
            .bind(owner)
            .bind(lease_until)
            .bind(queue)
            .bind(now)
            .bind(limit)
            .fetch_all(c)
            .await?
        }
    };
    Ok(rows)
}

/// Joins static SQL fragments into one audited statement.
fn const_format(parts: &[&'static str]) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(parts.concat())
}

/// Marks a job done, if `owner` still holds its lease. Returns whether it did.
pub(crate) async fn complete(db: Db<'_>, id: JobId, owner: &str, now: OffsetDateTime) -> Result<bool, StoreError> {
    let done = on_db!(db, |c| {
        sqlx::query(
        "UPDATE jobs SET status = 'done', finished_at = $3, lease_owner = NULL, lease_until = NULL, last_error = NULL \
         WHERE id = $1 AND lease_owner = $2 AND status = 'pending'"
    )
    .bind(id)
    .bind(owner)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(done == 1)
}

/// Records a failed attempt: retried at `retry_at`, or dead when `give_up` (attempts exhausted or
/// a permanent error).
pub(crate) async fn fail(
    db: Db<'_>,
    id: JobId,
    owner: &str,
    error: &str,
    retry_at: OffsetDateTime,
    give_up: bool,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let status = if give_up { "dead" } else { "pending" };
    let finished = give_up.then_some(now);
    on_db!(db, |c| {
        sqlx::query(
        "UPDATE jobs SET status = $3, last_error = $4, run_at = $5, finished_at = $6, lease_owner = NULL, lease_until = NULL \
         WHERE id = $1 AND lease_owner = $2 AND status = 'pending'"
    )
    .bind(id)
    .bind(owner)
    .bind(status)
    .bind(error)
    .bind(retry_at)
    .bind(finished)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Jobs of `queue` not yet done or dead.
pub(crate) async fn backlog(db: Db<'_>, queue: &str) -> Result<i64, StoreError> {
    let n: i64 =
        on_db!(db, |c| sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE queue = $1 AND status = 'pending'")
            .bind(queue)
            .fetch_one(c)
            .await)?;
    Ok(n)
}

/// Deletes finished jobs (done or dead) that finished before `before`.
pub(crate) async fn purge_finished(db: Db<'_>, before: OffsetDateTime) -> Result<u64, StoreError> {
    let n = on_db!(db, |c| sqlx::query("DELETE FROM jobs WHERE status IN ('done', 'dead') AND finished_at < $1")
        .bind(before)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n)
}

pub(crate) async fn get(db: Db<'_>, id: JobId) -> Result<JobRow, StoreError> {
    let row = on_db!(db, |c| {
        sqlx::query_as::<_, JobRow>(
        "SELECT id, queue, payload, status, attempts, run_at, lease_owner, lease_until, last_error, finished_at FROM jobs WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(c)
    .await
    })?;
    row.ok_or(StoreError::NotFound)
}

/// Every job of a queue, oldest first (for tests and the admin delivery log).
pub(crate) async fn list(db: Db<'_>, queue: &str, limit: i64) -> Result<Vec<JobRow>, StoreError> {
    let rows = on_db!(db, |c| {
        sqlx::query_as::<_, JobRow>(
            "SELECT id, queue, payload, status, attempts, run_at, lease_owner, lease_until, last_error, finished_at \
         FROM jobs WHERE queue = $1 ORDER BY created_at, id LIMIT $2",
        )
        .bind(queue)
        .bind(limit)
        .fetch_all(c)
        .await
    })?;
    Ok(rows)
}

/// Jobs of `queue` with `status` (`pending` or `dead`).
pub(crate) async fn count_with_status(db: Db<'_>, queue: &str, status: &str) -> Result<i64, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE queue = $1 AND status = $2")
        .bind(queue)
        .bind(status)
        .fetch_one(c)
        .await)?)
}

/// When the longest-waiting pending job of `queue` was (or is) due.
pub(crate) async fn oldest_pending(db: Db<'_>, queue: &str) -> Result<Option<OffsetDateTime>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_scalar("SELECT MIN(run_at) FROM jobs WHERE queue = $1 AND status = 'pending'")
        .bind(queue)
        .fetch_one(c)
        .await)?)
}

const JOB_COLUMNS: &str =
    "id, queue, payload, status, attempts, run_at, lease_owner, lease_until, last_error, finished_at";

/// Pending jobs of `queue`, the next due first (by due time, then id), after `after`.
pub(crate) async fn pending_page(
    db: Db<'_>,
    queue: &str,
    after: Option<(OffsetDateTime, JobId)>,
    limit: i64,
) -> Result<Vec<JobRow>, StoreError> {
    let (at, id) = after.map_or((None, None), |(t, id)| (Some(t), Some(id)));
    let sql = format!(
        "SELECT {JOB_COLUMNS} FROM jobs WHERE queue = $1 AND status = 'pending' \
         AND ($2 IS NULL OR run_at > $2 OR (run_at = $2 AND id > $3)) ORDER BY run_at, id LIMIT $4"
    );
    Ok(on_db!(db, |c| sqlx::query_as::<_, JobRow>(sqlx::AssertSqlSafe(sql))
        .bind(queue)
        .bind(at)
        .bind(id)
        .bind(limit)
        .fetch_all(c)
        .await)?)
}

/// Dead jobs of `queue`, the latest given up first (by time, then id), before `before`.
pub(crate) async fn dead_page(
    db: Db<'_>,
    queue: &str,
    before: Option<(OffsetDateTime, JobId)>,
    limit: i64,
) -> Result<Vec<JobRow>, StoreError> {
    let (at, id) = before.map_or((None, None), |(t, id)| (Some(t), Some(id)));
    let sql = format!(
        "SELECT {JOB_COLUMNS} FROM jobs WHERE queue = $1 AND status = 'dead' \
         AND ($2 IS NULL OR finished_at < $2 OR (finished_at = $2 AND id < $3)) ORDER BY finished_at DESC, id DESC LIMIT $4"
    );
    Ok(on_db!(db, |c| sqlx::query_as::<_, JobRow>(sqlx::AssertSqlSafe(sql))
        .bind(queue)
        .bind(at)
        .bind(id)
        .bind(limit)
        .fetch_all(c)
        .await)?)
}

/// Puts a dead job of `queue` back in line, due at `now`, with its attempts counted from zero
/// (its last error stays until the next attempt). Returns whether it was dead.
pub(crate) async fn revive(db: Db<'_>, id: JobId, queue: &str, now: OffsetDateTime) -> Result<bool, StoreError> {
    let n = on_db!(db, |c| {
        sqlx::query(
        "UPDATE jobs SET status = 'pending', attempts = 0, run_at = $3, finished_at = NULL, lease_owner = NULL, lease_until = NULL \
         WHERE id = $1 AND queue = $2 AND status = 'dead'"
    )
    .bind(id)
    .bind(queue)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}
