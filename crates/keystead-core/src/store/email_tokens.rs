//! The `email_tokens` table: single-use links sent by email.

use time::OffsetDateTime;

use super::{Db, StoreError, on_db};
use crate::ids::{EmailTokenId, UserId};

/// A token row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct EmailTokenRow {
    pub id: EmailTokenId,
    pub token_hash: Vec<u8>,
    pub user_id: UserId,
    pub purpose: String,
    pub email: String,
    pub return_to: Option<String>,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub used_at: Option<OffsetDateTime>,
}

pub(crate) async fn insert(db: Db<'_>, t: &EmailTokenRow) -> Result<(), StoreError> {
    on_db!(db, |c| {
        sqlx::query(
        "INSERT INTO email_tokens (id, token_hash, user_id, purpose, email, return_to, created_at, expires_at, used_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    )
    .bind(t.id)
    .bind(&t.token_hash)
    .bind(t.user_id)
    .bind(&t.purpose)
    .bind(&t.email)
    .bind(&t.return_to)
    .bind(t.created_at)
    .bind(t.expires_at)
    .bind(t.used_at)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// The token with this digest and purpose, used or not.
pub(crate) async fn find(db: Db<'_>, token_hash: &[u8], purpose: &str) -> Result<Option<EmailTokenRow>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, EmailTokenRow>(
        "SELECT id, token_hash, user_id, purpose, email, return_to, created_at, expires_at, used_at FROM email_tokens \
         WHERE token_hash = $1 AND purpose = $2"
    )
    .bind(token_hash)
    .bind(purpose)
    .fetch_optional(c)
    .await)?)
}

/// Marks the token used if it still is unused and unexpired; returns whether this call did.
/// One statement, so two concurrent uses cannot both succeed.
pub(crate) async fn consume(db: Db<'_>, id: EmailTokenId, now: OffsetDateTime) -> Result<bool, StoreError> {
    let n = on_db!(db, |c| sqlx::query(
        "UPDATE email_tokens SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND expires_at > $2"
    )
    .bind(id)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Ends every unused token of this purpose for the user (a newer link replaces older ones).
pub(crate) async fn retire_for_user(
    db: Db<'_>,
    user: UserId,
    purpose: &str,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query(
        "UPDATE email_tokens SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL"
    )
    .bind(user)
    .bind(purpose)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Deletes tokens that expired before `before`.
pub(crate) async fn purge_expired(db: Db<'_>, before: OffsetDateTime) -> Result<u64, StoreError> {
    Ok(on_db!(db, |c| sqlx::query("DELETE FROM email_tokens WHERE expires_at < $1")
        .bind(before)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?)
}
