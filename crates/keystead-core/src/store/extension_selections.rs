//! The `extension_selections` table: the extensions each user picked in the extension chooser.

use time::OffsetDateTime;

use super::{Db, StoreError, execute, on_db};
use crate::ids::{ProductId, UserId};

/// The keys of the extensions `user` selected, by key. Whether a license still allows each is
/// for the caller to decide (a lost license hides a selection, it does not delete it).
pub(crate) async fn selected_keys(db: Db<'_>, user: UserId) -> Result<Vec<String>, StoreError> {
    let sql = "SELECT p.key FROM extension_selections s JOIN products p ON p.id = s.product_id \
               WHERE s.user_id = $1 ORDER BY p.key";
    Ok(on_db!(db, |c| sqlx::query_scalar::<_, String>(sql).bind(user).fetch_all(c).await)?)
}

/// Records that `user` selected `product` (nothing when already selected); whether it was new.
pub(crate) async fn select(
    db: Db<'_>,
    user: UserId,
    product: ProductId,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let n = execute!(
        db,
        "INSERT INTO extension_selections (user_id, product_id, selected_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, product_id) DO NOTHING",
        user,
        product,
        now,
    )?;
    Ok(n > 0)
}

/// Removes `user`'s selection of `product`; whether there was one.
pub(crate) async fn deselect(db: Db<'_>, user: UserId, product: ProductId) -> Result<bool, StoreError> {
    let n = execute!(db, "DELETE FROM extension_selections WHERE user_id = $1 AND product_id = $2", user, product)?;
    Ok(n > 0)
}
