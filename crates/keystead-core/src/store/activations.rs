//! The `machine_activations` table: the machines users' desktop apps activated per product.

use time::OffsetDateTime;

use super::{Db, StoreError, execute, on_db};
use crate::ids::{MachineId, ProductId, UserId};

/// A `machine_activations` row with its product's key and name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct MachineRow {
    pub id: MachineId,
    pub product_key: String,
    pub product_name: String,
    pub name: String,
    pub activated_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
}

const COLUMNS: &str = "m.id, p.key AS product_key, p.name AS product_name, m.name, m.activated_at, m.last_seen_at";

/// Serialises the activations of one user until the transaction ends, so that counting the
/// machines and adding one cannot interleave with another activation: on PostgreSQL a
/// `FOR NO KEY UPDATE` lock on the user's row (it does not block the foreign-key checks of
/// other writes about the user); SQLite's `BEGIN IMMEDIATE` already holds the write lock.
pub(crate) async fn lock_user(db: Db<'_>, user: UserId) -> Result<(), StoreError> {
    if let Db::Postgres(c) = db {
        sqlx::query("SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE").bind(user).execute(c).await?;
    }
    Ok(())
}

/// Marks the activation of `fingerprint` as seen now (and renames it); false when the machine
/// is not activated.
pub(crate) async fn touch(
    db: Db<'_>,
    user: UserId,
    product: ProductId,
    fingerprint: &str,
    name: &str,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let n = execute!(
        db,
        "UPDATE machine_activations SET last_seen_at = $4, name = $5 \
         WHERE user_id = $1 AND product_id = $2 AND fingerprint = $3",
        user,
        product,
        fingerprint,
        now,
        name,
    )?;
    Ok(n == 1)
}

/// Activates a machine unless `limit` machines of the product are active for the user already
/// (no limit when `None`): one guarded insert, run after [`lock_user`]. False when full.
#[expect(clippy::too_many_arguments, reason = "one row's columns and its limit")]
pub(crate) async fn insert_if_room(
    db: Db<'_>,
    id: MachineId,
    user: UserId,
    product: ProductId,
    fingerprint: &str,
    name: &str,
    now: OffsetDateTime,
    limit: Option<i64>,
) -> Result<bool, StoreError> {
    let n = execute!(
        db,
        "INSERT INTO machine_activations (id, user_id, product_id, fingerprint, name, activated_at, last_seen_at) \
         SELECT $1, $2, $3, $4, $5, $6, $6 WHERE $7 IS NULL OR \
         (SELECT COUNT(*) FROM machine_activations WHERE user_id = $2 AND product_id = $3) < $7",
        id,
        user,
        product,
        fingerprint,
        name,
        now,
        limit,
    )?;
    Ok(n == 1)
}

/// The activation of `fingerprint`, if any.
pub(crate) async fn find(
    db: Db<'_>,
    user: UserId,
    product: ProductId,
    fingerprint: &str,
) -> Result<Option<MachineRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM machine_activations m JOIN products p ON p.id = m.product_id \
         WHERE m.user_id = $1 AND m.product_id = $2 AND m.fingerprint = $3"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, MachineRow>(sql)
        .bind(user)
        .bind(product)
        .bind(fingerprint)
        .fetch_optional(c)
        .await)?)
}

/// The user's machine `id` (none when it is someone else's).
pub(crate) async fn find_by_id(db: Db<'_>, user: UserId, id: MachineId) -> Result<Option<MachineRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM machine_activations m JOIN products p ON p.id = m.product_id \
         WHERE m.user_id = $1 AND m.id = $2"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, MachineRow>(sql).bind(user).bind(id).fetch_optional(c).await)?)
}

/// Every machine of the user, by product, then most recently seen first.
pub(crate) async fn list_for_user(db: Db<'_>, user: UserId) -> Result<Vec<MachineRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM machine_activations m JOIN products p ON p.id = m.product_id \
         WHERE m.user_id = $1 ORDER BY p.key, m.last_seen_at DESC, m.id"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, MachineRow>(sql).bind(user).fetch_all(c).await)?)
}

/// Deletes the user's machine `id`; false when there was none.
pub(crate) async fn delete(db: Db<'_>, user: UserId, id: MachineId) -> Result<bool, StoreError> {
    Ok(execute!(db, "DELETE FROM machine_activations WHERE user_id = $1 AND id = $2", user, id)? == 1)
}
