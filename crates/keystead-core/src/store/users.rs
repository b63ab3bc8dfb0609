//! The `users` and `password_history` tables.

use time::OffsetDateTime;

use super::{Db, StoreError, execute, on_db, user_name_keys};
use crate::ids::UserId;

/// A user row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct UserRow {
    pub id: UserId,
    pub email: String,
    pub email_lookup: String,
    pub email_verified_at: Option<OffsetDateTime>,
    pub password_hash: Option<String>,
    pub password_changed_at: Option<OffsetDateTime>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub locale: Option<String>,
    pub time_zone: Option<String>,
    pub status: String,
    pub purge_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub last_sign_in_at: Option<OffsetDateTime>,
    pub phone: Option<String>,
    pub country: Option<String>,
    pub city: Option<String>,
    pub date_of_birth: Option<time::Date>,
    pub company: Option<String>,
    pub job_title: Option<String>,
    pub closed_by: Option<String>,
}

pub(crate) const COLUMNS: &str = "id, email, email_lookup, email_verified_at, password_hash, password_changed_at, given_name, \
     family_name, locale, time_zone, status, purge_at, created_at, updated_at, last_sign_in_at, phone, country, city, \
     date_of_birth, company, job_title, closed_by";

/// The full name as the directory's name filter matches it: lowercased (Unicode, never by
/// locale), `None` without a name.
pub(crate) fn name_lookup(given: Option<&str>, family: Option<&str>) -> Option<String> {
    let full = [given, family].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let full = full.trim();
    (!full.is_empty()).then(|| full.to_lowercase())
}

/// Inserts a new user (and its name's search keys); a taken email gives `StoreError::Conflict`.
pub(crate) async fn insert(mut db: Db<'_>, u: &UserRow) -> Result<(), StoreError> {
    let name = name_lookup(u.given_name.as_deref(), u.family_name.as_deref());
    on_db!(db.reborrow(), |c| {
        sqlx::query(
        "INSERT INTO users (id, email, email_lookup, email_verified_at, password_hash, password_changed_at, given_name, \
         family_name, locale, time_zone, status, purge_at, created_at, updated_at, last_sign_in_at, name_lookup) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
    )
    .bind(u.id)
    .bind(&u.email)
    .bind(&u.email_lookup)
    .bind(u.email_verified_at)
    .bind(&u.password_hash)
    .bind(u.password_changed_at)
    .bind(&u.given_name)
    .bind(&u.family_name)
    .bind(&u.locale)
    .bind(&u.time_zone)
    .bind(&u.status)
    .bind(u.purge_at)
    .bind(u.created_at)
    .bind(u.updated_at)
    .bind(u.last_sign_in_at)
    .bind(&name)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    user_name_keys::insert_name_keys(db, u.id, name.as_deref()).await
}

/// The user with this canonical email.
pub(crate) async fn find_by_email(db: Db<'_>, email_lookup: &str) -> Result<Option<UserRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM users WHERE email_lookup = $1"));
    Ok(on_db!(db, |c| sqlx::query_as::<_, UserRow>(sql).bind(email_lookup).fetch_optional(c).await)?)
}

/// The user with this id, locked for the rest of the transaction (PostgreSQL `FOR UPDATE`;
/// a SQLite write transaction holds the database already).
pub(crate) async fn get_locked(db: Db<'_>, id: UserId) -> Result<UserRow, StoreError> {
    let lock = if matches!(db, Db::Postgres(_)) { " FOR UPDATE" } else { "" };
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM users WHERE id = $1{lock}"));
    on_db!(db, |c| sqlx::query_as::<_, UserRow>(sql).bind(id).fetch_optional(c).await)?.ok_or(StoreError::NotFound)
}

/// The user with this id.
pub(crate) async fn get(db: Db<'_>, id: UserId) -> Result<UserRow, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM users WHERE id = $1"));
    on_db!(db, |c| sqlx::query_as::<_, UserRow>(sql).bind(id).fetch_optional(c).await)?.ok_or(StoreError::NotFound)
}

/// Marks the email verified and moves an unverified account on to `status`.
pub(crate) async fn mark_verified(
    db: Db<'_>,
    id: UserId,
    status_if_unverified: &str,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query(
        "UPDATE users SET email_verified_at = COALESCE(email_verified_at, $2), \
         status = CASE WHEN status = 'unverified' THEN $3 ELSE status END, updated_at = $2 WHERE id = $1"
    )
    .bind(id)
    .bind(now)
    .bind(status_if_unverified)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Replaces the password hash (keeping the old one in the history).
pub(crate) async fn set_password(db: Db<'_>, id: UserId, hash: &str, now: OffsetDateTime) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query(
        "UPDATE users SET password_hash = $2, password_changed_at = $3, updated_at = $3 WHERE id = $1"
    )
    .bind(id)
    .bind(hash)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Replaces the hash with an upgraded one of the same password (rehash after import); the
/// change date and history stay as they were.
pub(crate) async fn upgrade_password_hash(db: Db<'_>, id: UserId, old: &str, new: &str) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query("UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2")
        .bind(id)
        .bind(old)
        .bind(new)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Records a successful sign-in.
pub(crate) async fn touch_sign_in(db: Db<'_>, id: UserId, now: OffsetDateTime) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query("UPDATE users SET last_sign_in_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Sets the language (`None`: follow the browser).
pub(crate) async fn set_locale(
    db: Db<'_>,
    id: UserId,
    locale: Option<&str>,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query("UPDATE users SET locale = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(locale)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Sets the status.
pub(crate) async fn set_status(db: Db<'_>, id: UserId, status: &str, now: OffsetDateTime) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query("UPDATE users SET status = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(status)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Adds a hash to the user's password history.
pub(crate) async fn push_history(db: Db<'_>, id: UserId, hash: &str, now: OffsetDateTime) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query(
        "INSERT INTO password_history (id, user_id, password_hash, created_at) VALUES ($1, $2, $3, $4)"
    )
    .bind(uuid::Uuid::now_v7())
    .bind(id)
    .bind(hash)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The user's most recent earlier password hashes, newest first.
pub(crate) async fn recent_history(db: Db<'_>, id: UserId, limit: i64) -> Result<Vec<String>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_scalar(
        "SELECT password_hash FROM password_history WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
    )
    .bind(id)
    .bind(limit)
    .fetch_all(c)
    .await)?)
}

/// The editable personal details.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ProfileColumns {
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub phone: Option<String>,
    pub country: Option<String>,
    pub city: Option<String>,
    pub date_of_birth: Option<time::Date>,
    pub company: Option<String>,
    pub job_title: Option<String>,
}

/// Replaces the personal details (and, when given, the status).
pub(crate) async fn update_profile(
    db: Db<'_>,
    id: UserId,
    p: &ProfileColumns,
    status: Option<&str>,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let mut db = db;
    let name = name_lookup(p.given_name.as_deref(), p.family_name.as_deref());
    on_db!(db.reborrow(), |c| sqlx::query(
        "UPDATE users SET given_name = $2, family_name = $3, phone = $4, country = $5, city = $6, date_of_birth = $7, \
         company = $8, job_title = $9, status = COALESCE($10, status), updated_at = $11, name_lookup = $12 \
         WHERE id = $1"
    )
    .bind(id)
    .bind(&p.given_name)
    .bind(&p.family_name)
    .bind(&p.phone)
    .bind(&p.country)
    .bind(&p.city)
    .bind(p.date_of_birth)
    .bind(&p.company)
    .bind(&p.job_title)
    .bind(status)
    .bind(now)
    .bind(&name)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    user_name_keys::replace_name_keys(db, id, name.as_deref()).await
}

/// Switches the account to a new address (already proved); a taken one is a `Conflict`.
pub(crate) async fn set_email(
    db: Db<'_>,
    id: UserId,
    email: &str,
    lookup: &str,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query(
        "UPDATE users SET email = $2, email_lookup = $3, email_verified_at = $4, updated_at = $4 WHERE id = $1"
    )
    .bind(id)
    .bind(email)
    .bind(lookup)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Who closes an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClosedBy {
    /// Its owner, who may reactivate it during the grace period.
    Owner,
    /// An operator, who may close a disabled or unverified account too; not reactivatable.
    Operator,
}

impl ClosedBy {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Operator => "operator",
        }
    }
}

/// Moves an account to `closing` with its purge date; false when it could not be closed by
/// `by` (the owner: not usable — already closing, disabled, unverified; an operator: already
/// closing or purged).
pub(crate) async fn start_closing(
    db: Db<'_>,
    id: UserId,
    purge_at: OffsetDateTime,
    now: OffsetDateTime,
    by: ClosedBy,
) -> Result<bool, StoreError> {
    let n = on_db!(db, |c| sqlx::query(
        "UPDATE users SET status = 'closing', purge_at = $2, updated_at = $3, closed_by = $4 \
         WHERE id = $1 AND (status IN ('active', 'incomplete_profile') \
         OR ($4 = 'operator' AND status IN ('unverified', 'disabled')))"
    )
    .bind(id)
    .bind(purge_at)
    .bind(now)
    .bind(by.as_str())
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Moves a `closing` account back to `status` and forgets the purge date; false when it was
/// not closing (reactivated meanwhile, or purged).
pub(crate) async fn reactivate(db: Db<'_>, id: UserId, status: &str, now: OffsetDateTime) -> Result<bool, StoreError> {
    let n = on_db!(db, |c| sqlx::query(
        "UPDATE users SET status = $2, purge_at = NULL, closed_by = NULL, updated_at = $3 \
         WHERE id = $1 AND status = 'closing' AND (closed_by IS NULL OR closed_by = 'owner')"
    )
    .bind(id)
    .bind(status)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Closed accounts whose grace period has ended, oldest first.
pub(crate) async fn due_purges(db: Db<'_>, now: OffsetDateTime, limit: i64) -> Result<Vec<UserId>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_scalar(
        "SELECT id FROM users WHERE status = 'closing' AND purge_at <= $1 ORDER BY purge_at, id LIMIT $2"
    )
    .bind(now)
    .bind(limit)
    .fetch_all(c)
    .await)?)
}

/// Turns a closing account whose grace period has ended into an anonymised tombstone: the
/// email becomes `purged-<id>@invalid` (freeing the address), every personal column is
/// cleared, and the rows of personal data that hang off the user are deleted. False (and
/// nothing changed) when the account is not due, so that a second runner purges nothing.
///
/// Audit events about the user keep their ids, actions and times (the log stays whole, and
/// the id now names nobody), but lose the client address, user agent and details: those are
/// personal data, and an erasure request outweighs their security value once the account is gone.
pub(crate) async fn purge_personal_data(db: Db<'_>, id: UserId, now: OffsetDateTime) -> Result<bool, StoreError> {
    let mut db = db;
    let tombstone = format!("purged-{}@invalid", id.0.simple());
    let n = on_db!(db.reborrow(), |c| sqlx::query(
        "UPDATE users SET status = 'purged', email = $2, email_lookup = $2, email_verified_at = NULL, \
         password_hash = NULL, password_changed_at = NULL, given_name = NULL, family_name = NULL, locale = NULL, \
         time_zone = NULL, phone = NULL, country = NULL, city = NULL, date_of_birth = NULL, company = NULL, \
         job_title = NULL, last_sign_in_at = NULL, purge_at = NULL, updated_at = $3, name_lookup = NULL \
         WHERE id = $1 AND status = 'closing' AND purge_at <= $3"
    )
    .bind(id)
    .bind(&tombstone)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    if n != 1 {
        return Ok(false);
    }
    for table in PERSONAL_TABLES {
        let sql = sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE user_id = $1"));
        on_db!(db.reborrow(), |c| sqlx::query(sql).bind(id).execute(c).await.map(|r| r.rows_affected()))?;
    }
    let empty = sqlx::types::Json(serde_json::json!({}));
    on_db!(db.reborrow(), |c| sqlx::query(
        "UPDATE audit_events SET ip = NULL, user_agent = NULL, details = $2 \
         WHERE subject_user_id = $1 OR actor_user_id = $1"
    )
    .bind(id)
    .bind(&empty)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(true)
}

/// The tables of personal data keyed by `user_id` that the purge deletes. A feature adding
/// such a table adds it here.
const PERSONAL_TABLES: [&str; 22] = [
    // Courses completed (issue 18).
    "course_completions",
    // The name's search keys (issue 17).
    "user_name_keys",
    "user_pictures",
    "sessions",
    "email_tokens",
    "email_codes",
    "notification_preferences",
    "billing_addresses",
    "password_history",
    // Acceptances hold addresses; no law asks to keep them once the person is gone.
    "agreement_acceptances",
    // Second factors (issue 5).
    "totp_credentials",
    "mfa_email",
    "recovery_codes",
    "passkeys",
    "webauthn_ceremonies",
    // Applications (issue 6): grants first (their refresh tokens go with them).
    "oauth_codes",
    "oauth_device_codes",
    "oauth_grants",
    "oauth_consents",
    // Licensing (issue 12): seats (the membership's cascade would end them too).
    "seats",
    // Organizations (issue 7): group places first, then memberships.
    "organization_group_members",
    "organization_members",
];

/// Ends every emailed link and confirmation code of a user (deletes them).
pub(crate) async fn end_emailed_tokens(db: Db<'_>, id: UserId) -> Result<(), StoreError> {
    let mut db = db;
    for table in ["email_tokens", "email_codes"] {
        let sql = sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE user_id = $1"));
        on_db!(db.reborrow(), |c| sqlx::query(sql).bind(id).execute(c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Removes the password of an account whose claimant never proved the address (a provider
/// proved it for someone else: the pre-registered password must not open the account).
pub(crate) async fn clear_password(db: Db<'_>, id: UserId, now: OffsetDateTime) -> Result<(), StoreError> {
    execute!(
        db,
        "UPDATE users SET password_hash = NULL, password_changed_at = NULL, updated_at = $1 WHERE id = $2",
        now,
        id,
    )?;
    Ok(())
}

/// Sets the account's names (a directory that manages the account changed them).
pub(crate) async fn set_names(
    db: Db<'_>,
    id: UserId,
    given_name: Option<&str>,
    family_name: Option<&str>,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let mut db = db;
    let name = name_lookup(given_name, family_name);
    on_db!(db.reborrow(), |c| sqlx::query(
        "UPDATE users SET given_name = $2, family_name = $3, name_lookup = $4, updated_at = $5 WHERE id = $1"
    )
    .bind(id)
    .bind(given_name)
    .bind(family_name)
    .bind(&name)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    user_name_keys::replace_name_keys(db, id, name.as_deref()).await
}

/// Marks the address unproven (a directory moved an unproven account to another address).
pub(crate) async fn clear_email_verified(db: Db<'_>, id: UserId) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query("UPDATE users SET email_verified_at = NULL WHERE id = $1")
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}
