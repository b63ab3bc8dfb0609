//! The `audit_events` table. Append-only: there is no update here, and rows are deleted only
//! by retention (a later issue) — never edited.

use sqlx::types::Json;
use time::OffsetDateTime;

use super::{Db, StoreError, on_db};
use crate::ids::{AuditEventId, UserId};

/// An audit row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct AuditRow {
    pub id: AuditEventId,
    pub occurred_at: OffsetDateTime,
    pub action: String,
    pub actor_user_id: Option<UserId>,
    pub subject_user_id: Option<UserId>,
    pub organization_id: Option<uuid::Uuid>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub details: Json<serde_json::Value>,
}

pub(crate) async fn insert(db: Db<'_>, e: &AuditRow) -> Result<(), StoreError> {
    on_db!(db, |c| {
        sqlx::query(
        "INSERT INTO audit_events (id, occurred_at, action, actor_user_id, subject_user_id, organization_id, ip, user_agent, details) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    )
    .bind(e.id)
    .bind(e.occurred_at)
    .bind(&e.action)
    .bind(e.actor_user_id)
    .bind(e.subject_user_id)
    .bind(e.organization_id)
    .bind(&e.ip)
    .bind(&e.user_agent)
    .bind(&e.details)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Events about a user, newest first.
pub(crate) async fn for_subject(db: Db<'_>, user: UserId, limit: i64) -> Result<Vec<AuditRow>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, AuditRow>(
        "SELECT id, occurred_at, action, actor_user_id, subject_user_id, organization_id, ip, user_agent, details \
         FROM audit_events WHERE subject_user_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT $2"
    )
    .bind(user)
    .bind(limit)
    .fetch_all(c)
    .await)?)
}

/// How many successful sign-ins of the user are recorded, and how many from `user_agent`.
pub(crate) async fn sign_in_counts(
    db: Db<'_>,
    user: UserId,
    user_agent: Option<&str>,
) -> Result<(i64, i64), StoreError> {
    Ok(on_db!(db, |c| {
        sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN user_agent IS NOT DISTINCT FROM $2 THEN 1 ELSE 0 END), 0) FROM audit_events \
         WHERE subject_user_id = $1 AND action = 'session.signed_in'"
    )
    .bind(user)
    .bind(user_agent)
    .fetch_one(c)
    .await
    })?)
}
