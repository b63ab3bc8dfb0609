//! The `api_idempotency` table: what an admin API create with an `Idempotency-Key` answered.

use time::OffsetDateTime;

use super::{Db, StoreError, execute, on_db};
use uuid::Uuid;

/// An `api_idempotency` row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct IdempotencyRow {
    pub request_hash: Vec<u8>,
    pub status: i32,
    pub response: Option<String>,
    pub created_at: OffsetDateTime,
}

pub(crate) async fn get(db: Db<'_>, caller: Uuid, key: &str) -> Result<Option<IdempotencyRow>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, IdempotencyRow>(
        "SELECT request_hash, status, response, created_at FROM api_idempotency WHERE caller_id = $1 AND key = $2"
    )
    .bind(caller)
    .bind(key)
    .fetch_optional(c)
    .await)?)
}

/// Claims the key for a request now running: an expired claim (created at or before
/// `expired_before`) or an abandoned one (no answer, at or before `abandoned_before`) is
/// replaced; a live one is left alone. True when this call holds the claim — two requests
/// racing for the same key cannot both (the insert is `ON CONFLICT DO NOTHING`; on PostgreSQL
/// the second waits for the first's transaction and then finds its row).
pub(crate) async fn claim(
    db: Db<'_>,
    (caller, key): (Uuid, &str),
    request_hash: &[u8],
    now: OffsetDateTime,
    (expired_before, abandoned_before): (OffsetDateTime, OffsetDateTime),
) -> Result<bool, StoreError> {
    let mut db = db;
    execute!(
        db.reborrow(),
        "DELETE FROM api_idempotency WHERE caller_id = $1 AND key = $2 \
         AND (created_at <= $3 OR (status = 0 AND created_at <= $4))",
        caller,
        key,
        expired_before,
        abandoned_before,
    )?;
    let n = execute!(
        db,
        "INSERT INTO api_idempotency (caller_id, key, request_hash, status, response, created_at) \
         VALUES ($1, $2, $3, 0, NULL, $4) ON CONFLICT (caller_id, key) DO NOTHING",
        caller,
        key,
        request_hash,
        now,
    )?;
    Ok(n == 1)
}

tokio::task_local! {
    /// The idempotency claim of the admin API create running in this task: the first
    /// transaction the create commits also marks the claim "changed" (status 1), in that same
    /// transaction, so that a retry after a lost answer never runs the create again.
    static CLAIM: std::sync::Arc<Claim>;
}

/// A claimed key and whether a committed transaction has marked it.
#[derive(Debug)]
struct Claim {
    caller: Uuid,
    key: String,
    marked: std::sync::atomic::AtomicBool,
}

/// Runs `fut` (the create that claimed `key`) so that its transactions mark the claim.
pub(crate) async fn within_claim<F: Future>(caller: Uuid, key: &str, fut: F) -> F::Output {
    let claim = Claim { caller, key: key.to_owned(), marked: std::sync::atomic::AtomicBool::new(false) };
    CLAIM.scope(std::sync::Arc::new(claim), fut).await
}

/// The running request's claim, if it is not marked yet (for [`super::Tx::commit`]).
pub(super) fn unmarked_claim() -> Option<(Uuid, String)> {
    CLAIM
        .try_with(|c| (!c.marked.load(std::sync::atomic::Ordering::Acquire)).then(|| (c.caller, c.key.clone())))
        .ok()
        .flatten()
}

/// Notes that the running request's claim is marked (its transaction committed).
pub(super) fn claim_marked() {
    let _ = CLAIM.try_with(|c| c.marked.store(true, std::sync::atomic::Ordering::Release));
}

/// Marks a running claim "changed": the create committed something.
pub(super) async fn mark_changed(db: Db<'_>, caller: Uuid, key: &str) -> Result<(), StoreError> {
    execute!(
        db,
        "UPDATE api_idempotency SET status = 1 WHERE caller_id = $1 AND key = $2 AND status = 0",
        caller,
        key
    )?;
    Ok(())
}

/// Records the response of the request that claimed the key.
pub(crate) async fn finish(db: Db<'_>, caller: Uuid, key: &str, status: i32, response: &str) -> Result<(), StoreError> {
    execute!(
        db,
        "UPDATE api_idempotency SET status = $3, response = $4 WHERE caller_id = $1 AND key = $2 AND status IN (0, 1)",
        caller,
        key,
        status,
        response,
    )?;
    Ok(())
}

/// Forgets a claim (the request failed in a way a retry may fix).
pub(crate) async fn release(db: Db<'_>, caller: Uuid, key: &str) -> Result<(), StoreError> {
    execute!(db, "DELETE FROM api_idempotency WHERE caller_id = $1 AND key = $2 AND status = 0", caller, key)?;
    Ok(())
}

/// Deletes what was remembered before `before`.
pub(crate) async fn purge(db: Db<'_>, before: OffsetDateTime) -> Result<u64, StoreError> {
    Ok(execute!(db, "DELETE FROM api_idempotency WHERE created_at < $1", before)?)
}
