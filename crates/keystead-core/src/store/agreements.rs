//! The `agreements` and `agreement_acceptances` tables.

use time::OffsetDateTime;

use super::{Db, StoreError, on_db};
use crate::agreements::AgreementId;
use crate::ids::UserId;

/// One published version of an agreement.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct AgreementRow {
    pub id: AgreementId,
    pub key: String,
    pub version: i64,
    pub title: String,
    pub body: String,
    pub required: bool,
    pub published_at: OffsetDateTime,
}

/// An acceptance joined with the version accepted.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct AcceptanceRow {
    pub agreement_id: AgreementId,
    pub key: String,
    pub version: i64,
    pub title: String,
    pub accepted_at: OffsetDateTime,
    pub ip: Option<String>,
}

const COLUMNS: &str = "id, key, version, title, body, required, published_at";

/// The newest version of each key that is required: the versions every user must have accepted.
const CURRENT_REQUIRED: &str = "SELECT a.id, a.key, a.version, a.title, a.body, a.required, a.published_at \
     FROM agreements a WHERE a.required = TRUE \
     AND a.version = (SELECT MAX(b.version) FROM agreements b WHERE b.key = a.key)";

/// Inserts a version; a taken (key, version) gives `StoreError::Conflict`.
pub(crate) async fn insert(db: Db<'_>, a: &AgreementRow) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query(
        "INSERT INTO agreements (id, key, version, title, body, required, published_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)"
    )
    .bind(a.id)
    .bind(&a.key)
    .bind(a.version)
    .bind(&a.title)
    .bind(&a.body)
    .bind(a.required)
    .bind(a.published_at)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The highest version published under `key` (0 when none).
pub(crate) async fn latest_version(db: Db<'_>, key: &str) -> Result<i64, StoreError> {
    let v: Option<i64> = on_db!(db, |c| sqlx::query_scalar("SELECT MAX(version) FROM agreements WHERE key = $1")
        .bind(key)
        .fetch_one(c)
        .await)?;
    Ok(v.unwrap_or(0))
}

/// One version by id.
pub(crate) async fn get(db: Db<'_>, id: AgreementId) -> Result<AgreementRow, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM agreements WHERE id = $1"));
    on_db!(db, |c| sqlx::query_as::<_, AgreementRow>(sql).bind(id).fetch_optional(c).await)?.ok_or(StoreError::NotFound)
}

/// Every version, by key and then newest first.
pub(crate) async fn list(db: Db<'_>) -> Result<Vec<AgreementRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM agreements ORDER BY key, version DESC"));
    Ok(on_db!(db, |c| sqlx::query_as::<_, AgreementRow>(sql).fetch_all(c).await)?)
}

/// The current required versions `user` has not accepted, by key.
pub(crate) async fn pending_for(db: Db<'_>, user: UserId) -> Result<Vec<AgreementRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{CURRENT_REQUIRED} AND NOT EXISTS (SELECT 1 FROM agreement_acceptances x \
         WHERE x.agreement_id = a.id AND x.user_id = $1) ORDER BY a.key"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, AgreementRow>(sql).bind(user).fetch_all(c).await)?)
}

/// True when `user` has a current required version to accept (one indexed query, for every
/// signed-in request).
pub(crate) async fn has_pending(db: Db<'_>, user: UserId) -> Result<bool, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT EXISTS ({CURRENT_REQUIRED} AND NOT EXISTS (SELECT 1 FROM agreement_acceptances x \
         WHERE x.agreement_id = a.id AND x.user_id = $1))"
    ));
    Ok(on_db!(db, |c| sqlx::query_scalar::<_, bool>(sql).bind(user).fetch_one(c).await)?)
}

/// True when `user` has a current required version to accept or one of the `missing` conditions
/// holds for their row (one indexed query, for every signed-in request of an `active` user).
/// `missing` is SQL over the alias `u` built from a fixed list of column names, never from input.
pub(crate) async fn needs_completion(db: Db<'_>, user: UserId, missing: &str) -> Result<bool, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT ({missing}) OR EXISTS ({CURRENT_REQUIRED} AND NOT EXISTS (SELECT 1 FROM agreement_acceptances x \
         WHERE x.agreement_id = a.id AND x.user_id = $1)) FROM users u WHERE u.id = $1"
    ));
    let found = on_db!(db, |c| sqlx::query_scalar::<_, bool>(sql).bind(user).fetch_optional(c).await)?;
    Ok(found.unwrap_or(false))
}

/// Records an acceptance; accepting the same version twice is a no-op.
pub(crate) async fn accept(
    db: Db<'_>,
    user: UserId,
    agreement: AgreementId,
    now: OffsetDateTime,
    ip: Option<&str>,
) -> Result<bool, StoreError> {
    let n = on_db!(db, |c| sqlx::query(
        "INSERT INTO agreement_acceptances (id, user_id, agreement_id, accepted_at, ip) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, agreement_id) DO NOTHING"
    )
    .bind(uuid::Uuid::now_v7())
    .bind(user)
    .bind(agreement)
    .bind(now)
    .bind(ip)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// Every version `user` accepted, newest acceptance first.
pub(crate) async fn accepted_by(db: Db<'_>, user: UserId) -> Result<Vec<AcceptanceRow>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, AcceptanceRow>(
        "SELECT x.agreement_id, a.key, a.version, a.title, x.accepted_at, x.ip \
         FROM agreement_acceptances x JOIN agreements a ON a.id = x.agreement_id \
         WHERE x.user_id = $1 ORDER BY x.accepted_at DESC, a.key"
    )
    .bind(user)
    .fetch_all(c)
    .await)?)
}

/// Who accepted a version.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct AcceptorRow {
    pub id: uuid::Uuid,
    pub user_id: UserId,
    pub email: String,
    pub accepted_at: OffsetDateTime,
    pub ip: Option<String>,
}

/// Up to `limit` acceptances of `agreement` after the acceptance `after`, in acceptance order
/// (ids are time-ordered).
pub(crate) async fn acceptances_of(
    db: Db<'_>,
    agreement: AgreementId,
    after: Option<uuid::Uuid>,
    limit: i64,
) -> Result<Vec<AcceptorRow>, StoreError> {
    let floor = after.unwrap_or(uuid::Uuid::nil());
    Ok(on_db!(db, |c| sqlx::query_as::<_, AcceptorRow>(
        "SELECT x.id, x.user_id, u.email, x.accepted_at, x.ip \
         FROM agreement_acceptances x JOIN users u ON u.id = x.user_id \
         WHERE x.agreement_id = $1 AND x.id > $2 ORDER BY x.id LIMIT $3"
    )
    .bind(agreement)
    .bind(floor)
    .bind(limit)
    .fetch_all(c)
    .await)?)
}

/// How many accounts accepted each version that has acceptances (index
/// `agreement_acceptances_agreement`).
pub(crate) async fn acceptance_counts(db: Db<'_>) -> Result<Vec<(AgreementId, i64)>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, (AgreementId, i64)>(
        "SELECT agreement_id, COUNT(*) FROM agreement_acceptances GROUP BY agreement_id"
    )
    .fetch_all(c)
    .await)?)
}

/// How many accounts accepted version `agreement`.
pub(crate) async fn acceptance_count(db: Db<'_>, agreement: AgreementId) -> Result<i64, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM agreement_acceptances WHERE agreement_id = $1"
    )
    .bind(agreement)
    .fetch_one(c)
    .await)?)
}

#[cfg(test)]
mod tests {
    use time::Duration;

    use super::*;
    use crate::clock::{Clock, FakeClock};
    use crate::store::{Store, users};
    use crate::store_test;

    fn version(key: &str, version: i64, required: bool, now: OffsetDateTime) -> AgreementRow {
        AgreementRow {
            id: AgreementId::new(),
            key: key.to_owned(),
            version,
            title: format!("{key} v{version}"),
            body: "# Terms".to_owned(),
            required,
            published_at: now,
        }
    }

    async fn user(store: &Store, now: OffsetDateTime) -> UserId {
        let row = users::UserRow {
            id: UserId::new(),
            email: "ada@example.com".to_owned(),
            email_lookup: "ada@example.com".to_owned(),
            email_verified_at: Some(now),
            password_hash: None,
            password_changed_at: None,
            given_name: None,
            family_name: None,
            locale: None,
            time_zone: None,
            status: "active".to_owned(),
            purge_at: None,
            created_at: now,
            updated_at: now,
            last_sign_in_at: None,
            phone: None,
            country: None,
            city: None,
            date_of_birth: None,
            company: None,
            job_title: None,
            closed_by: None,
        };
        let mut tx = store.begin().await.unwrap();
        users::insert(tx.db(), &row).await.unwrap();
        tx.commit().await.unwrap();
        row.id
    }

    async fn only_the_newest_required_version_of_each_key_is_pending(store: &Store) {
        let now = FakeClock::fixed().now();
        let id = user(store, now).await;
        let mut c = store.conn().await.unwrap();
        assert!(!has_pending(c.db(), id).await.unwrap());
        let terms1 = version("terms", 1, true, now);
        insert(c.db(), &terms1).await.unwrap();
        insert(c.db(), &version("newsletter", 1, false, now)).await.unwrap();
        assert!(matches!(insert(c.db(), &version("terms", 1, true, now)).await, Err(StoreError::Conflict { .. })));
        assert_eq!(latest_version(c.db(), "terms").await.unwrap(), 1);
        assert_eq!(latest_version(c.db(), "privacy").await.unwrap(), 0);
        assert!(has_pending(c.db(), id).await.unwrap());
        assert_eq!(pending_for(c.db(), id).await.unwrap().iter().map(|a| a.id).collect::<Vec<_>>(), [terms1.id]);

        assert!(accept(c.db(), id, terms1.id, now, Some("192.0.2.1")).await.unwrap());
        assert!(!accept(c.db(), id, terms1.id, now, None).await.unwrap(), "twice is once");
        assert!(!has_pending(c.db(), id).await.unwrap());

        let terms2 = version("terms", 2, true, now + Duration::days(1));
        insert(c.db(), &terms2).await.unwrap();
        assert_eq!(pending_for(c.db(), id).await.unwrap()[0].id, terms2.id);
        // An optional newer version replaces the required one: nothing to accept.
        insert(c.db(), &version("terms", 3, false, now + Duration::days(2))).await.unwrap();
        assert!(!has_pending(c.db(), id).await.unwrap());

        let accepted = accepted_by(c.db(), id).await.unwrap();
        assert_eq!(accepted.len(), 1);
        assert_eq!(
            (accepted[0].version, accepted[0].accepted_at, accepted[0].ip.as_deref()),
            (1, now, Some("192.0.2.1"))
        );
        assert_eq!(list(c.db()).await.unwrap().len(), 4);
        assert_eq!(get(c.db(), terms2.id).await.unwrap().title, "terms v2");
    }
    store_test!(only_the_newest_required_version_of_each_key_is_pending);
}
