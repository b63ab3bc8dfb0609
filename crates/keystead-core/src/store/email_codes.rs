//! The `email_codes` table: six-digit codes that confirm a sensitive change.

use sqlx::types::Json;
use time::OffsetDateTime;

use super::{Db, StoreError, on_db};
use crate::ids::UserId;

/// A code row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct CodeRow {
    pub id: uuid::Uuid,
    pub user_id: UserId,
    pub purpose: String,
    pub code_hash: Vec<u8>,
    pub payload: Json<serde_json::Value>,
    pub attempts: i32,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub used_at: Option<OffsetDateTime>,
}

/// Ends the user's open codes of this purpose (a new one replaces them).
pub(crate) async fn retire(db: Db<'_>, user: UserId, purpose: &str, now: OffsetDateTime) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query(
        "UPDATE email_codes SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL"
    )
    .bind(user)
    .bind(purpose)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub(crate) async fn insert(db: Db<'_>, r: &CodeRow) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query(
        "INSERT INTO email_codes (id, user_id, purpose, code_hash, payload, attempts, created_at, expires_at, used_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    )
    .bind(r.id)
    .bind(r.user_id)
    .bind(&r.purpose)
    .bind(&r.code_hash)
    .bind(&r.payload)
    .bind(r.attempts)
    .bind(r.created_at)
    .bind(r.expires_at)
    .bind(r.used_at)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The user's open code of this purpose (unused, unexpired), if any.
pub(crate) async fn open(
    db: Db<'_>,
    user: UserId,
    purpose: &str,
    now: OffsetDateTime,
) -> Result<Option<CodeRow>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, CodeRow>(
        "SELECT id, user_id, purpose, code_hash, payload, attempts, created_at, expires_at, used_at FROM email_codes \
         WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 ORDER BY created_at DESC LIMIT 1"
    )
    .bind(user)
    .bind(purpose)
    .bind(now)
    .fetch_optional(c)
    .await)?)
}

/// Takes one of the code's `max` attempts before the code is compared; the attempts taken so
/// far, or `None` when none is left. One statement, so parallel entries cannot take more.
pub(crate) async fn take_attempt(db: Db<'_>, id: uuid::Uuid, max: i32) -> Result<Option<i32>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_scalar::<_, i32>(
        "UPDATE email_codes SET attempts = attempts + 1 WHERE id = $1 AND attempts < $2 RETURNING attempts"
    )
    .bind(id)
    .bind(max)
    .fetch_optional(c)
    .await)?)
}

/// Uses the code once; returns whether this call did.
pub(crate) async fn consume(db: Db<'_>, id: uuid::Uuid, now: OffsetDateTime) -> Result<bool, StoreError> {
    let n = on_db!(db, |c| sqlx::query(
        "UPDATE email_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND expires_at > $2"
    )
    .bind(id)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}
