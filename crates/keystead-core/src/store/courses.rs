//! The `course_completions` table.

use time::OffsetDateTime;

use super::{Db, StoreError, on_db};
use crate::ids::UserId;

/// A completed course as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub(crate) struct CompletionRow {
    pub user_id: UserId,
    pub course_id: String,
    pub title: String,
    pub completed_at: OffsetDateTime,
    pub score: Option<f64>,
    pub certificate_url: Option<String>,
    pub recorded_at: OffsetDateTime,
}

const COLUMNS: &str = "user_id, course_id, title, completed_at, score, certificate_url, recorded_at";

/// The completion of `course` by `user`, if recorded.
pub(crate) async fn get(db: Db<'_>, user: UserId, course: &str) -> Result<Option<CompletionRow>, StoreError> {
    let sql =
        sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM course_completions WHERE user_id = $1 AND course_id = $2"));
    Ok(on_db!(db, |c| sqlx::query_as::<_, CompletionRow>(sql).bind(user).bind(course).fetch_optional(c).await)?)
}

/// Records `row` unless the user's course is recorded already; true when it was new. A second
/// request inserting the same course at once waits for the first and inserts nothing, so only
/// one of them is told the record is new.
pub(crate) async fn insert_new(db: Db<'_>, row: &CompletionRow) -> Result<bool, StoreError> {
    write(db, row, "ON CONFLICT (user_id, course_id) DO NOTHING").await
}

/// Replaces what is recorded of the user's course with `row`.
pub(crate) async fn replace(db: Db<'_>, row: &CompletionRow) -> Result<(), StoreError> {
    let set = "ON CONFLICT (user_id, course_id) DO UPDATE SET title = $3, completed_at = $4, score = $5, \
               certificate_url = $6, recorded_at = $7";
    write(db, row, set).await.map(drop)
}

async fn write(db: Db<'_>, row: &CompletionRow, on_conflict: &'static str) -> Result<bool, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO course_completions (user_id, course_id, title, completed_at, score, certificate_url, \
         recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) {on_conflict}"
    ));
    let n = on_db!(db, |c| {
        sqlx::query(sql)
            .bind(row.user_id)
            .bind(&row.course_id)
            .bind(&row.title)
            .bind(row.completed_at)
            .bind(row.score)
            .bind(&row.certificate_url)
            .bind(row.recorded_at)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

/// Every completion of `user`, newest first.
pub(crate) async fn of_user(db: Db<'_>, user: UserId) -> Result<Vec<CompletionRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM course_completions WHERE user_id = $1 ORDER BY completed_at DESC, course_id"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, CompletionRow>(sql).bind(user).fetch_all(c).await)?)
}
