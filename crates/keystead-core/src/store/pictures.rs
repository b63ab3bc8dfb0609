//! The `user_pictures` table: each user's re-encoded profile picture in two sizes.

use time::OffsetDateTime;

use super::{Db, StoreError, on_db};
use crate::ids::UserId;

/// A picture to store (both sizes in one format).
#[derive(Debug, Clone)]
pub(crate) struct PictureRow<'a> {
    pub content_type: &'a str,
    pub large: &'a [u8],
    pub small: &'a [u8],
    pub etag: &'a str,
}

/// One stored image: its type, bytes and version.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ImageRow {
    pub content_type: String,
    pub bytes: Vec<u8>,
    pub etag: String,
}

/// Sets (or replaces) the user's picture.
pub(crate) async fn upsert(
    db: Db<'_>,
    user: UserId,
    p: &PictureRow<'_>,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    on_db!(db, |c| {
        sqlx::query(
        "INSERT INTO user_pictures (user_id, content_type, large, small, etag, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (user_id) DO UPDATE SET content_type = $2, large = $3, small = $4, etag = $5, updated_at = $6"
    )
    .bind(user)
    .bind(p.content_type)
    .bind(p.large)
    .bind(p.small)
    .bind(p.etag)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// The large (512 px) or small (128 px) image, if the user has a picture.
pub(crate) async fn image(db: Db<'_>, user: UserId, large: bool) -> Result<Option<ImageRow>, StoreError> {
    let sql = if large {
        "SELECT content_type, large AS bytes, etag FROM user_pictures WHERE user_id = $1"
    } else {
        "SELECT content_type, small AS bytes, etag FROM user_pictures WHERE user_id = $1"
    };
    Ok(on_db!(db, |c| sqlx::query_as::<_, ImageRow>(sql).bind(user).fetch_optional(c).await)?)
}

/// The version of the user's picture, if there is one (no image bytes read).
pub(crate) async fn etag(db: Db<'_>, user: UserId) -> Result<Option<String>, StoreError> {
    let row: Option<(String,)> = on_db!(db, |c| sqlx::query_as("SELECT etag FROM user_pictures WHERE user_id = $1")
        .bind(user)
        .fetch_optional(c)
        .await)?;
    Ok(row.map(|(e,)| e))
}

/// Deletes the user's picture; true when there was one.
pub(crate) async fn delete(db: Db<'_>, user: UserId) -> Result<bool, StoreError> {
    let n = on_db!(db, |c| sqlx::query("DELETE FROM user_pictures WHERE user_id = $1")
        .bind(user)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}
