//! The operator's organization directory: organizations whose name or short name contains a
//! text, with their member and guest counts, sorted by name or by creation, a page at a time
//! (offset: organizations number in the thousands, not millions, and the page is capped).
//!
//! Names sort case-blind (`LOWER(name)`), the short name (unique) breaking ties, so a page
//! boundary never splits equal keys unpredictably.

use super::organizations::{ORG_COLUMNS, OrgRow};
use super::{Db, StoreError, on_db};

/// The order of the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DirectoryOrder {
    /// By name, A to Z (`descending`: Z to A).
    Name { descending: bool },
    /// By creation, oldest first (`descending`: newest first).
    Created { descending: bool },
}

impl DirectoryOrder {
    fn sql(self) -> &'static str {
        match self {
            Self::Name { descending: false } => "LOWER(o.name), o.slug",
            Self::Name { descending: true } => "LOWER(o.name) DESC, o.slug DESC",
            Self::Created { descending: false } => "o.created_at, o.slug",
            Self::Created { descending: true } => "o.created_at DESC, o.slug DESC",
        }
    }
}

/// A row of the directory.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct DirectoryRow {
    #[sqlx(flatten)]
    pub org: OrgRow,
    /// Members (kind `member`).
    pub members: i64,
    /// Guests.
    pub guests: i64,
}

/// The organizations whose name or short name matches `pattern` (lower-case, from
/// `like_pattern`; `%%` for all).
fn matching() -> String {
    format!(
        "(SELECT {ORG_COLUMNS} FROM organizations WHERE LOWER(name) LIKE $1 ESCAPE '\\' OR slug LIKE $1 ESCAPE '\\') o"
    )
}

/// One page: `limit` rows from `offset` in `order`.
pub(crate) async fn page(
    db: Db<'_>,
    pattern: &str,
    order: DirectoryOrder,
    limit: i64,
    offset: i64,
) -> Result<Vec<DirectoryRow>, StoreError> {
    let count = |kind: &str| {
        format!(
            "(SELECT COUNT(*) FROM organization_members m WHERE m.organization_id = o.id AND m.kind = '{kind}') \
             AS {kind}s"
        )
    };
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT o.*, {}, {} FROM {} ORDER BY {} LIMIT $2 OFFSET $3",
        count("member"),
        count("guest"),
        matching(),
        order.sql(),
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, DirectoryRow>(sql)
        .bind(pattern)
        .bind(limit)
        .bind(offset)
        .fetch_all(c)
        .await)?)
}

/// How many organizations match `pattern`.
pub(crate) async fn count(db: Db<'_>, pattern: &str) -> Result<i64, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {}", matching()));
    Ok(on_db!(db, |c| sqlx::query_scalar::<_, i64>(sql).bind(pattern).fetch_one(c).await)?)
}
