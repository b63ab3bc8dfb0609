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

/// Whether the user has signed in before at all, and whether from `user_agent`. Two `EXISTS`
/// that stop at the first match (walking the user's events by time), so the cost does not grow
/// with every sign-in an account ever made; this runs inside the sign-in's write transaction.
pub(crate) async fn signed_in_before(
    db: Db<'_>,
    user: UserId,
    user_agent: Option<&str>,
) -> Result<(bool, bool), StoreError> {
    Ok(on_db!(db, |c| {
        sqlx::query_as(
            "SELECT \
               EXISTS (SELECT 1 FROM audit_events WHERE subject_user_id = $1 AND action = 'session.signed_in'), \
               EXISTS (SELECT 1 FROM audit_events WHERE subject_user_id = $1 AND action = 'session.signed_in' \
                       AND user_agent IS NOT DISTINCT FROM $2)",
        )
        .bind(user)
        .bind(user_agent)
        .fetch_one(c)
        .await
    })?)
}
