//! The `periodic_jobs` table: one row per periodic job, claimed with a lease per run.

use time::OffsetDateTime;

use super::{Db, StoreError, on_db};

/// Adds the job if it is not known yet, first due at `first_run`.
pub(crate) async fn register(db: Db<'_>, name: &str, first_run: OffsetDateTime) -> Result<(), StoreError> {
    on_db!(db, |c| {
        sqlx::query("INSERT INTO periodic_jobs (name, next_run_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(first_run)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Takes the run of `name` if it is due and nobody holds it. One statement, so exactly one
/// node wins on either backend.
pub(crate) async fn claim(
    db: Db<'_>,
    name: &str,
    owner: &str,
    now: OffsetDateTime,
    lease_until: OffsetDateTime,
) -> Result<bool, StoreError> {
    let n = on_db!(db, |c| sqlx::query(
        "UPDATE periodic_jobs SET lease_owner = $2, lease_until = $3, last_started_at = $4 \
         WHERE name = $1 AND next_run_at <= $4 AND (lease_until IS NULL OR lease_until <= $4)"
    )
    .bind(name)
    .bind(owner)
    .bind(lease_until)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Ends a run: schedules the next one and records the outcome.
pub(crate) async fn finish(
    db: Db<'_>,
    name: &str,
    owner: &str,
    next_run: OffsetDateTime,
    error: Option<&str>,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    on_db!(db, |c| {
        sqlx::query(
        "UPDATE periodic_jobs SET next_run_at = $3, last_finished_at = $4, last_error = $5, lease_owner = NULL, lease_until = NULL \
         WHERE name = $1 AND lease_owner = $2"
    )
    .bind(name)
    .bind(owner)
    .bind(next_run)
    .bind(now)
    .bind(error)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// When the job next runs.
#[cfg(test)]
pub(crate) async fn next_run(db: Db<'_>, name: &str) -> Result<OffsetDateTime, StoreError> {
    let at: Option<OffsetDateTime> =
        on_db!(db, |c| sqlx::query_scalar("SELECT next_run_at FROM periodic_jobs WHERE name = $1")
            .bind(name)
            .fetch_optional(c)
            .await)?;
    at.ok_or(StoreError::NotFound)
}
