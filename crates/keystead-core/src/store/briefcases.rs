//! The `briefcases` table: each user's settings document per product. Every write names the
//! version it replaces (one guarded statement), so two writers cannot overwrite each other.

use time::OffsetDateTime;

use super::{Db, StoreError, execute, on_db};
use crate::ids::{ProductId, UserId};

/// A `briefcases` row with its product's key and name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct BriefcaseRow {
    pub product_key: String,
    pub product_name: String,
    pub body: String,
    pub size_bytes: i64,
    pub version: i64,
    pub updated_at: OffsetDateTime,
}

const COLUMNS: &str = "p.key AS product_key, p.name AS product_name, b.body, b.size_bytes, b.version, b.updated_at";

/// The user's briefcase of `product`, if any.
pub(crate) async fn get(db: Db<'_>, user: UserId, product: ProductId) -> Result<Option<BriefcaseRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM briefcases b JOIN products p ON p.id = b.product_id \
         WHERE b.user_id = $1 AND b.product_id = $2"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, BriefcaseRow>(sql).bind(user).bind(product).fetch_optional(c).await)?)
}

/// Every briefcase of the user, by product key.
pub(crate) async fn list_for_user(db: Db<'_>, user: UserId) -> Result<Vec<BriefcaseRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM briefcases b JOIN products p ON p.id = b.product_id \
         WHERE b.user_id = $1 ORDER BY p.key"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, BriefcaseRow>(sql).bind(user).fetch_all(c).await)?)
}

/// Creates the briefcase at version 1 unless one exists; false then.
pub(crate) async fn insert_new(
    db: Db<'_>,
    user: UserId,
    product: ProductId,
    body: &str,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let size = i64::try_from(body.len()).unwrap_or(i64::MAX);
    let n = execute!(
        db,
        "INSERT INTO briefcases (user_id, product_id, body, size_bytes, version, updated_at) \
         VALUES ($1, $2, $3, $4, 1, $5) ON CONFLICT (user_id, product_id) DO NOTHING",
        user,
        product,
        body,
        size,
        now,
    )?;
    Ok(n == 1)
}

/// Replaces the briefcase if its version is still `expected` (bumping the version): one
/// guarded update, so of two writers that read the same version exactly one succeeds. False
/// when the version differs or there is no briefcase.
pub(crate) async fn update_if_version(
    db: Db<'_>,
    user: UserId,
    product: ProductId,
    body: &str,
    expected: i64,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let size = i64::try_from(body.len()).unwrap_or(i64::MAX);
    let n = execute!(
        db,
        "UPDATE briefcases SET body = $3, size_bytes = $4, version = version + 1, updated_at = $5 \
         WHERE user_id = $1 AND product_id = $2 AND version = $6",
        user,
        product,
        body,
        size,
        now,
        expected,
    )?;
    Ok(n == 1)
}

/// Deletes the user's briefcase of `product`; false when there was none.
pub(crate) async fn delete(db: Db<'_>, user: UserId, product: ProductId) -> Result<bool, StoreError> {
    Ok(execute!(db, "DELETE FROM briefcases WHERE user_id = $1 AND product_id = $2", user, product)? == 1)
}
