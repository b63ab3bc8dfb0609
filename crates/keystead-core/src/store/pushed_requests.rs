//! Pushed authorization requests (RFC 9126; migration 0019): kept by the SHA-256 of their
//! `request_uri`, opened once by the browser and ended when the authorization does.

use time::OffsetDateTime;
use uuid::Uuid;

use super::{Db, StoreError, execute, on_db};

/// A pushed request.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct PushedRow {
    pub id: Uuid,
    pub uri_hash: Vec<u8>,
    pub client_id: Uuid,
    pub params: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub opened_at: Option<OffsetDateTime>,
    pub used_at: Option<OffsetDateTime>,
}

pub(crate) async fn insert(db: Db<'_>, r: &PushedRow) -> Result<(), StoreError> {
    execute!(
        db,
        "INSERT INTO oauth_pushed_requests (id, uri_hash, client_id, params, created_at, expires_at, opened_at, \
         used_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        r.id,
        &r.uri_hash,
        r.client_id,
        &r.params,
        r.created_at,
        r.expires_at,
        r.opened_at,
        r.used_at,
    )?;
    Ok(())
}

pub(crate) async fn find(db: Db<'_>, uri_hash: &[u8]) -> Result<Option<PushedRow>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, PushedRow>(
        "SELECT id, uri_hash, client_id, params, created_at, expires_at, opened_at, used_at \
         FROM oauth_pushed_requests WHERE uri_hash = $1"
    )
    .bind(uri_hash)
    .fetch_optional(c)
    .await)?)
}

/// Records the browser's first arrival and moves the expiry to `expires_at`; false when it had
/// already arrived (then nothing changes).
pub(crate) async fn open(
    db: Db<'_>,
    id: Uuid,
    now: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<bool, StoreError> {
    let n = execute!(
        db,
        "UPDATE oauth_pushed_requests SET opened_at = $2, expires_at = $3 WHERE id = $1 AND opened_at IS NULL",
        id,
        now,
        expires_at,
    )?;
    Ok(n == 1)
}

/// Ends a request that is not yet ended and not expired at `now`; false when it was (so two
/// tabs cannot both finish it).
pub(crate) async fn finish(db: Db<'_>, id: Uuid, now: OffsetDateTime) -> Result<bool, StoreError> {
    let n = execute!(
        db,
        "UPDATE oauth_pushed_requests SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND expires_at > $2",
        id,
        now,
    )?;
    Ok(n == 1)
}
