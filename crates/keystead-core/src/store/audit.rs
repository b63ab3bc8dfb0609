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

/// An audit row with the address of its actor (`None` when no account acted, or it is gone).
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct AuditRowWithActor {
    #[sqlx(flatten)]
    pub event: AuditRow,
    pub actor_email: Option<String>,
}

/// The newest events about `user` with their actors' addresses, in one query (the console's page
/// of a user lists who did what).
pub(crate) async fn for_subject_with_actor(
    db: Db<'_>,
    user: UserId,
    limit: i64,
) -> Result<Vec<AuditRowWithActor>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, AuditRowWithActor>(
        "SELECT a.id, a.occurred_at, a.action, a.actor_user_id, a.subject_user_id, a.organization_id, a.ip, \
         a.user_agent, a.details, u.email AS actor_email \
         FROM audit_events a LEFT JOIN users u ON u.id = a.actor_user_id \
         WHERE a.subject_user_id = $1 ORDER BY a.occurred_at DESC, a.id DESC LIMIT $2"
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

/// What an audit search asks for; every part optional.
#[derive(Debug, Default)]
pub(crate) struct AuditFilter<'a> {
    /// Only events in this organization's log.
    pub organization: Option<uuid::Uuid>,
    /// Only events done by this user.
    pub actor: Option<UserId>,
    /// Only events about this user.
    pub subject: Option<UserId>,
    /// Only this action, or actions starting with this (a `LIKE` pattern ending in `%`).
    pub action: Option<&'a str>,
    /// At or after this time.
    pub since: Option<OffsetDateTime>,
    /// Before this time.
    pub until: Option<OffsetDateTime>,
    /// Continue after this event (the last of the previous page).
    pub before: Option<(OffsetDateTime, AuditEventId)>,
    /// At most this many.
    pub limit: i64,
}

enum Param {
    Uuid(uuid::Uuid),
    User(UserId),
    Text(String),
    Time(OffsetDateTime),
    Event(AuditEventId),
    Int(i64),
}

/// Events matching `f`, newest first (by time, then id).
pub(crate) async fn search(db: Db<'_>, f: &AuditFilter<'_>) -> Result<Vec<AuditRow>, StoreError> {
    let mut params: Vec<Param> = Vec::new();
    let mut next = |p: Param| {
        params.push(p);
        format!("${}", params.len())
    };
    let mut sql = String::from(
        "SELECT id, occurred_at, action, actor_user_id, subject_user_id, organization_id, ip, user_agent, details \
         FROM audit_events WHERE 1 = 1",
    );
    if let Some(org) = f.organization {
        sql.push_str(&format!(" AND organization_id = {}", next(Param::Uuid(org))));
    }
    if let Some(u) = f.actor {
        sql.push_str(&format!(" AND actor_user_id = {}", next(Param::User(u))));
    }
    if let Some(u) = f.subject {
        sql.push_str(&format!(" AND subject_user_id = {}", next(Param::User(u))));
    }
    if let Some(a) = f.action {
        let op = if a.ends_with('%') { "LIKE" } else { "=" };
        let escape = if op == "LIKE" { " ESCAPE '\\'" } else { "" };
        sql.push_str(&format!(" AND action {op} {}{escape}", next(Param::Text(a.to_owned()))));
    }
    if let Some(t) = f.since {
        sql.push_str(&format!(" AND occurred_at >= {}", next(Param::Time(t))));
    }
    if let Some(t) = f.until {
        sql.push_str(&format!(" AND occurred_at < {}", next(Param::Time(t))));
    }
    if let Some((t, id)) = f.before {
        let (t, id) = (next(Param::Time(t)), next(Param::Event(id)));
        sql.push_str(&format!(" AND (occurred_at < {t} OR (occurred_at = {t} AND id < {id}))"));
    }
    sql.push_str(&format!(" ORDER BY occurred_at DESC, id DESC LIMIT {}", next(Param::Int(f.limit))));
    let sql = sqlx::AssertSqlSafe(sql);
    Ok(on_db!(db, |c| {
        let mut q = sqlx::query_as::<_, AuditRow>(sql);
        for p in params {
            q = match p {
                Param::Uuid(v) => q.bind(v),
                Param::User(v) => q.bind(v),
                Param::Text(v) => q.bind(v),
                Param::Time(v) => q.bind(v),
                Param::Event(v) => q.bind(v),
                Param::Int(v) => q.bind(v),
            };
        }
        q.fetch_all(c).await
    })?)
}

/// The addresses of the accounts among `ids` (those that still exist), for showing who acted
/// on whom in a page of events.
pub(crate) async fn emails_of(db: Db<'_>, ids: &[UserId]) -> Result<Vec<(UserId, String)>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!("SELECT id, email FROM users WHERE id IN ({})", marks.join(", "));
    Ok(on_db!(db, |c| {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for id in ids {
            q = q.bind(*id);
        }
        q.fetch_all(c).await
    })?)
}

/// The slugs of the organizations `ids` that still exist (the audit page names them).
pub(crate) async fn slugs_of(
    db: Db<'_>,
    ids: &[crate::ids::OrganizationId],
) -> Result<Vec<(crate::ids::OrganizationId, String)>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!("SELECT id, slug FROM organizations WHERE id IN ({})", marks.join(", "));
    Ok(on_db!(db, |c| {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for id in ids {
            q = q.bind(*id);
        }
        q.fetch_all(c).await
    })?)
}
