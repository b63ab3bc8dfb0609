//! The `sessions` table.

use time::OffsetDateTime;

use super::{Db, StoreError, on_db};
use crate::ids::{SessionId, UserId};

/// A session row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct SessionRow {
    pub id: SessionId,
    pub token_hash: Vec<u8>,
    pub user_id: UserId,
    pub stage: String,
    pub amr: String,
    pub auth_time: OffsetDateTime,
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
    pub idle_expires_at: OffsetDateTime,
    pub absolute_expires_at: OffsetDateTime,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub active_organization_id: Option<crate::ids::OrganizationId>,
}

const COLUMNS: &str = "id, token_hash, user_id, stage, amr, auth_time, created_at, last_seen_at, idle_expires_at, \
     absolute_expires_at, ip, user_agent, active_organization_id";

pub(crate) async fn insert(db: Db<'_>, s: &SessionRow) -> Result<(), StoreError> {
    on_db!(db, |c| {
        sqlx::query(
        "INSERT INTO sessions (id, token_hash, user_id, stage, amr, auth_time, created_at, last_seen_at, idle_expires_at, \
         absolute_expires_at, ip, user_agent, active_organization_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    )
    .bind(s.id)
    .bind(&s.token_hash)
    .bind(s.user_id)
    .bind(&s.stage)
    .bind(&s.amr)
    .bind(s.auth_time)
    .bind(s.created_at)
    .bind(s.last_seen_at)
    .bind(s.idle_expires_at)
    .bind(s.absolute_expires_at)
    .bind(&s.ip)
    .bind(&s.user_agent)
    .bind(s.active_organization_id)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// The unexpired session with this token digest.
pub(crate) async fn find_live(
    db: Db<'_>,
    token_hash: &[u8],
    now: OffsetDateTime,
) -> Result<Option<SessionRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM sessions WHERE token_hash = $1 AND idle_expires_at > $2 AND absolute_expires_at > $2"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, SessionRow>(sql).bind(token_hash).bind(now).fetch_optional(c).await)?)
}

/// Slides the idle expiry (never past the absolute one).
pub(crate) async fn touch(
    db: Db<'_>,
    id: SessionId,
    now: OffsetDateTime,
    idle_until: OffsetDateTime,
) -> Result<(), StoreError> {
    on_db!(db, |c| {
        sqlx::query(
        "UPDATE sessions SET last_seen_at = $2, idle_expires_at = CASE WHEN $3 < absolute_expires_at THEN $3 ELSE absolute_expires_at END \
         WHERE id = $1"
    )
    .bind(id)
    .bind(now)
    .bind(idle_until)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Moves a session to another stage, with the methods used so far.
pub(crate) async fn set_stage(db: Db<'_>, id: SessionId, stage: &str, amr: &str) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query("UPDATE sessions SET stage = $2, amr = $3 WHERE id = $1")
        .bind(id)
        .bind(stage)
        .bind(amr)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Deletes one session.
pub(crate) async fn delete(db: Db<'_>, id: SessionId) -> Result<u64, StoreError> {
    Ok(on_db!(db, |c| sqlx::query("DELETE FROM sessions WHERE id = $1")
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?)
}

/// Deletes every session of a user; returns how many.
pub(crate) async fn delete_for_user(db: Db<'_>, user: UserId) -> Result<u64, StoreError> {
    Ok(on_db!(db, |c| sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?)
}

/// The user's live sessions, newest first.
pub(crate) async fn list_for_user(
    db: Db<'_>,
    user: UserId,
    now: OffsetDateTime,
) -> Result<Vec<SessionRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM sessions WHERE user_id = $1 AND idle_expires_at > $2 AND absolute_expires_at > $2 \
         ORDER BY created_at DESC"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, SessionRow>(sql).bind(user).bind(now).fetch_all(c).await)?)
}

/// Deletes expired sessions.
pub(crate) async fn purge_expired(db: Db<'_>, now: OffsetDateTime) -> Result<u64, StoreError> {
    Ok(on_db!(db, |c| sqlx::query("DELETE FROM sessions WHERE idle_expires_at <= $1 OR absolute_expires_at <= $1")
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?)
}

/// Deletes every session of a user but one; returns how many.
pub(crate) async fn delete_others(db: Db<'_>, user: UserId, keep: SessionId) -> Result<u64, StoreError> {
    Ok(on_db!(db, |c| sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
        .bind(user)
        .bind(keep)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?)
}

/// The user's live sessions acting in `org` (its active organization).
pub(crate) async fn list_in_organization(
    db: Db<'_>,
    user: UserId,
    org: crate::ids::OrganizationId,
    now: OffsetDateTime,
) -> Result<Vec<SessionRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM sessions WHERE user_id = $1 AND active_organization_id = $2 \
         AND idle_expires_at > $3 AND absolute_expires_at > $3"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, SessionRow>(sql).bind(user).bind(org).bind(now).fetch_all(c).await)?)
}
