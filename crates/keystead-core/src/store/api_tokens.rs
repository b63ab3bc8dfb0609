//! The `api_tokens` table: personal access tokens, kept as their SHA-256.

use time::OffsetDateTime;

use super::{Db, StoreError, execute, on_db};
use crate::ids::{ApiTokenId, OrganizationId, UserId};

/// An `api_tokens` row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct TokenRow {
    pub id: ApiTokenId,
    pub name: String,
    pub token_hash: Vec<u8>,
    pub prefix: String,
    pub scopes: String,
    pub organization_id: Option<OrganizationId>,
    pub created_by: Option<UserId>,
    pub created_at: OffsetDateTime,
    pub expires_at: Option<OffsetDateTime>,
    pub last_used_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

const COLUMNS: &str = "id, name, token_hash, prefix, scopes, organization_id, created_by, created_at, expires_at, \
     last_used_at, revoked_at";

pub(crate) async fn insert(db: Db<'_>, t: &TokenRow) -> Result<(), StoreError> {
    execute!(
        db,
        "INSERT INTO api_tokens (id, name, token_hash, prefix, scopes, organization_id, created_by, created_at, \
         expires_at, last_used_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        t.id,
        &t.name,
        &t.token_hash,
        &t.prefix,
        &t.scopes,
        t.organization_id,
        t.created_by,
        t.created_at,
        t.expires_at,
        t.last_used_at,
        t.revoked_at,
    )?;
    Ok(())
}

/// The token with this digest, revoked or not.
pub(crate) async fn by_hash(db: Db<'_>, hash: &[u8]) -> Result<Option<TokenRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM api_tokens WHERE token_hash = $1"));
    Ok(on_db!(db, |c| sqlx::query_as::<_, TokenRow>(sql).bind(hash).fetch_optional(c).await)?)
}

pub(crate) async fn get(db: Db<'_>, id: ApiTokenId) -> Result<Option<TokenRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM api_tokens WHERE id = $1"));
    Ok(on_db!(db, |c| sqlx::query_as::<_, TokenRow>(sql).bind(id).fetch_optional(c).await)?)
}

/// The tokens of one organization, or (`None`) every token of the deployment; newest first.
pub(crate) async fn list(db: Db<'_>, org: Option<OrganizationId>) -> Result<Vec<TokenRow>, StoreError> {
    Ok(match org {
        Some(org) => {
            let sql = sqlx::AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM api_tokens WHERE organization_id = $1 ORDER BY created_at DESC, id"
            ));
            on_db!(db, |c| sqlx::query_as::<_, TokenRow>(sql).bind(org).fetch_all(c).await)?
        }
        None => {
            let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM api_tokens ORDER BY created_at DESC, id"));
            on_db!(db, |c| sqlx::query_as::<_, TokenRow>(sql).fetch_all(c).await)?
        }
    })
}

/// Marks a token revoked; false when it is unknown or was revoked already.
pub(crate) async fn revoke(db: Db<'_>, id: ApiTokenId, now: OffsetDateTime) -> Result<bool, StoreError> {
    let n = execute!(db, "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL", now, id)?;
    Ok(n > 0)
}

/// Records a use, at most once per `every` (a busy token does not write on every request).
pub(crate) async fn touch(
    db: Db<'_>,
    id: ApiTokenId,
    now: OffsetDateTime,
    every: time::Duration,
) -> Result<(), StoreError> {
    execute!(
        db,
        "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $3)",
        now,
        id,
        now - every,
    )?;
    Ok(())
}

/// Revokes every live token `user` made for `org`; returns how many.
pub(crate) async fn revoke_of_member(
    db: Db<'_>,
    org: OrganizationId,
    user: UserId,
    now: OffsetDateTime,
) -> Result<u64, StoreError> {
    Ok(execute!(
        db,
        "UPDATE api_tokens SET revoked_at = $1 WHERE organization_id = $2 AND created_by = $3 AND revoked_at IS NULL",
        now,
        org,
        user,
    )?)
}

/// The tokens `user` made, newest first.
pub(crate) async fn made_by(db: Db<'_>, user: UserId) -> Result<Vec<TokenRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM api_tokens WHERE created_by = $1 ORDER BY created_at DESC, id"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, TokenRow>(sql).bind(user).fetch_all(c).await)?)
}
