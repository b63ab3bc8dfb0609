//! The `oauth_revoked_tokens` table: access tokens without a grant (a client's own) revoked by
//! their `jti`, until they expire.

use time::OffsetDateTime;

use super::{Db, StoreError, on_db};

/// Remembers `jti` as revoked until `expires_at` (again: nothing changes).
pub(crate) async fn revoke(db: Db<'_>, jti: &str, expires_at: OffsetDateTime) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query(
        "INSERT INTO oauth_revoked_tokens (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING"
    )
    .bind(jti)
    .bind(expires_at)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// True when `jti` was revoked.
pub(crate) async fn is_revoked(db: Db<'_>, jti: &str) -> Result<bool, StoreError> {
    let found: Option<i32> = on_db!(db, |c| sqlx::query_scalar("SELECT 1 FROM oauth_revoked_tokens WHERE jti = $1")
        .bind(jti)
        .fetch_optional(c)
        .await)?;
    Ok(found.is_some())
}

/// Forgets revocations of tokens expired by `before`.
pub(crate) async fn purge(db: Db<'_>, before: OffsetDateTime) -> Result<u64, StoreError> {
    Ok(on_db!(db, |c| sqlx::query("DELETE FROM oauth_revoked_tokens WHERE expires_at <= $1")
        .bind(before)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?)
}
