//! The `rate_limits` table: attempt counters shared by every node.

use time::OffsetDateTime;

use super::{Db, StoreError, on_db};

/// A counter after an update.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Counter {
    pub window_start: OffsetDateTime,
    pub count: i32,
    pub locked_until: Option<OffsetDateTime>,
}

/// Counts one attempt in the fixed window that starts at the first attempt; a window that began
/// before `window_floor` (now − window length) starts again at `now`. Atomic on both backends.
pub(crate) async fn hit(
    db: Db<'_>,
    bucket: &str,
    key: &str,
    now: OffsetDateTime,
    window_floor: OffsetDateTime,
) -> Result<Counter, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, Counter>(
        "INSERT INTO rate_limits (bucket, key, window_start, count) VALUES ($1, $2, $3, 1) \
         ON CONFLICT (bucket, key) DO UPDATE SET \
           count = CASE WHEN rate_limits.window_start <= $4 THEN 1 ELSE rate_limits.count + 1 END, \
           window_start = CASE WHEN rate_limits.window_start <= $4 THEN $3 ELSE rate_limits.window_start END \
         RETURNING window_start, count, locked_until"
    )
    .bind(bucket)
    .bind(key)
    .bind(now)
    .bind(window_floor)
    .fetch_one(c)
    .await)?)
}

/// Counts one attempt unless the key is locked at `now` (same windows as [`hit`]); `None` when
/// it is locked. Atomic on both backends: on PostgreSQL the upsert holds the row until the
/// transaction ends, so a concurrent reservation waits and then sees the lock this one sets.
pub(crate) async fn reserve(
    db: Db<'_>,
    bucket: &str,
    key: &str,
    now: OffsetDateTime,
    window_floor: OffsetDateTime,
) -> Result<Option<Counter>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, Counter>(
        "INSERT INTO rate_limits (bucket, key, window_start, count) VALUES ($1, $2, $3, 1) \
         ON CONFLICT (bucket, key) DO UPDATE SET \
           count = CASE WHEN rate_limits.window_start <= $4 THEN 1 ELSE rate_limits.count + 1 END, \
           window_start = CASE WHEN rate_limits.window_start <= $4 THEN $3 ELSE rate_limits.window_start END \
         WHERE rate_limits.locked_until IS NULL OR rate_limits.locked_until <= $3 \
         RETURNING window_start, count, locked_until"
    )
    .bind(bucket)
    .bind(key)
    .bind(now)
    .bind(window_floor)
    .fetch_optional(c)
    .await)?)
}

/// The counter, if any.
pub(crate) async fn get(db: Db<'_>, bucket: &str, key: &str) -> Result<Option<Counter>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, Counter>(
        "SELECT window_start, count, locked_until FROM rate_limits WHERE bucket = $1 AND key = $2"
    )
    .bind(bucket)
    .bind(key)
    .fetch_optional(c)
    .await)?)
}

/// Locks the key until `until`.
pub(crate) async fn lock(db: Db<'_>, bucket: &str, key: &str, until: OffsetDateTime) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query("UPDATE rate_limits SET locked_until = $3 WHERE bucket = $1 AND key = $2")
        .bind(bucket)
        .bind(key)
        .bind(until)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Forgets the key (after a success).
pub(crate) async fn reset(db: Db<'_>, bucket: &str, key: &str) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query("DELETE FROM rate_limits WHERE bucket = $1 AND key = $2")
        .bind(bucket)
        .bind(key)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Deletes counters whose window and lock both ended before `before`.
pub(crate) async fn purge_stale(db: Db<'_>, before: OffsetDateTime) -> Result<u64, StoreError> {
    Ok(on_db!(db, |c| sqlx::query(
        "DELETE FROM rate_limits WHERE window_start < $1 AND (locked_until IS NULL OR locked_until < $1)"
    )
    .bind(before)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?)
}
