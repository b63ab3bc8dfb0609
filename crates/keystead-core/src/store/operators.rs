//! The `operators` table: accounts that hold the deployment's operator role.

use time::OffsetDateTime;

use super::{Db, StoreError, execute, on_db};
use crate::ids::UserId;

/// An operator with the account's address and name, as the console lists them.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct OperatorRow {
    pub user_id: UserId,
    pub email: String,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub granted_at: OffsetDateTime,
    pub granted_by_email: Option<String>,
}

/// Makes `user` an operator; false when they already were.
pub(crate) async fn grant(
    db: Db<'_>,
    user: UserId,
    by: Option<UserId>,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let n = execute!(
        db,
        "INSERT INTO operators (user_id, granted_at, granted_by) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO NOTHING",
        user,
        now,
        by,
    )?;
    Ok(n > 0)
}

/// Takes the role from `user`; false when they did not hold it.
pub(crate) async fn revoke(db: Db<'_>, user: UserId) -> Result<bool, StoreError> {
    Ok(execute!(db, "DELETE FROM operators WHERE user_id = $1", user)? > 0)
}

/// Whether `user` is an operator (one primary-key lookup).
pub(crate) async fn is_operator(db: Db<'_>, user: UserId) -> Result<bool, StoreError> {
    let sql = "SELECT COUNT(*) FROM operators WHERE user_id = $1";
    Ok(on_db!(db, |c| sqlx::query_scalar::<_, i64>(sql).bind(user).fetch_one(c).await)? > 0)
}

/// Every operator, by address.
pub(crate) async fn list(db: Db<'_>) -> Result<Vec<OperatorRow>, StoreError> {
    let sql = "SELECT o.user_id, u.email, u.given_name, u.family_name, o.granted_at, g.email AS granted_by_email \
               FROM operators o JOIN users u ON u.id = o.user_id LEFT JOIN users g ON g.id = o.granted_by \
               ORDER BY u.email_lookup";
    Ok(on_db!(db, |c| sqlx::query_as::<_, OperatorRow>(sql).fetch_all(c).await)?)
}
