//! Token and proof identifiers remembered until they expire: `oauth_revoked_tokens` (access
//! tokens without a grant — a client's own — revoked by their `jti`) and `oauth_dpop_proofs`
//! (DPoP proofs already accepted).

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

/// Remembers an accepted DPoP proof; false when it was already remembered (a replay). Two
/// nodes racing with the same proof cannot both insert it.
pub(crate) async fn remember_proof(db: Db<'_>, hash: &[u8], expires_at: OffsetDateTime) -> Result<bool, StoreError> {
    let n = on_db!(db, |c| sqlx::query(
        "INSERT INTO oauth_dpop_proofs (proof_hash, expires_at) VALUES ($1, $2) ON CONFLICT (proof_hash) DO NOTHING"
    )
    .bind(hash)
    .bind(expires_at)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Forgets revocations of tokens, and proofs, expired by `before`.
pub(crate) async fn purge(db: Db<'_>, before: OffsetDateTime) -> Result<u64, StoreError> {
    let mut db = db;
    let mut n = 0;
    for sql in [
        "DELETE FROM oauth_revoked_tokens WHERE expires_at <= $1",
        "DELETE FROM oauth_dpop_proofs WHERE expires_at <= $1",
    ] {
        n += on_db!(db.reborrow(), |c| sqlx::query(sql).bind(before).execute(c).await.map(|r| r.rows_affected()))?;
    }
    Ok(n)
}
