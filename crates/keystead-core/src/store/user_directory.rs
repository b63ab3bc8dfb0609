//! The user directory: accounts by email prefix, name and status, in one stable order
//! (`email_lookup` byte-wise; it is unique) so that a page resumes after its last row (keyset
//! pagination: every page costs the same, however deep).
//!
//! Email prefixes are ranges (`>= prefix AND < prefix || U+10FFFF`) on the byte-wise order: on
//! PostgreSQL with `COLLATE "C"` whatever the database's collation (a linguistic one neither
//! orders bytes nor keeps a prefix contiguous), served by `users_email_lookup_c`; SQLite orders
//! text byte-wise already.

use super::users::{COLUMNS, UserRow};
use super::{Db, StoreError};
use crate::ids::OrganizationId;

/// What a directory page asks for. Text is already normalised by the caller: the prefix as
/// `email_lookup` holds addresses, the name lowercased.
#[derive(Debug, Default)]
pub(crate) struct DirectoryFilter<'a> {
    /// Only members and guests of this organization.
    pub organization: Option<OrganizationId>,
    /// Addresses starting with this.
    pub email_prefix: Option<&'a str>,
    /// Names matching this LIKE pattern ([`like_pattern`]).
    pub name_pattern: Option<&'a str>,
    /// Only accounts in this status.
    pub status: Option<&'a str>,
    /// Leave out purged tombstones.
    pub hide_purged: bool,
    /// Resume after this `email_lookup` (unique, so it alone marks a place).
    pub after: Option<&'a str>,
    /// At most this many rows.
    pub limit: i64,
}

enum Param {
    Text(String),
    Org(OrganizationId),
    Int(i64),
}

/// A lower-case LIKE pattern matching `search` anywhere (its first 100 characters), with `%`,
/// `_` and `\` taken literally (`ESCAPE '\'`).
/// Adds a problem on `field` to `errors` when a search term holds a control character: none is
/// in any name or address, and PostgreSQL refuses a NUL in text outright.
pub(crate) fn check_search(field: &str, search: &str, errors: &mut crate::error::FieldErrors) {
    if search.chars().any(char::is_control) {
        errors.add(field, "invalid_search", "Search without control characters.");
    }
}

pub(crate) fn like_pattern(search: &str) -> String {
    let mut p = String::from("%");
    for c in search.trim().chars().take(100).flat_map(char::to_lowercase) {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// One page of the directory.
pub(crate) async fn page(db: Db<'_>, f: &DirectoryFilter<'_>) -> Result<Vec<UserRow>, StoreError> {
    let c_collate = if matches!(db, Db::Postgres(_)) { " COLLATE \"C\"" } else { "" };
    let key = format!("u.email_lookup{c_collate}");
    let columns = COLUMNS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ");
    let mut params: Vec<Param> = Vec::new();
    let mut next = |p: Param| {
        params.push(p);
        format!("${}", params.len())
    };
    let mut sql = match f.organization {
        Some(org) => format!(
            "SELECT {columns} FROM organization_members m JOIN users u ON u.id = m.user_id \
             WHERE m.organization_id = {}",
            next(Param::Org(org))
        ),
        None => format!("SELECT {columns} FROM users u WHERE 1 = 1"),
    };
    if let Some(prefix) = f.email_prefix.filter(|p| !p.is_empty()) {
        let low = next(Param::Text(prefix.to_owned()));
        let high = next(Param::Text(format!("{prefix}\u{10FFFF}")));
        sql.push_str(&format!(" AND {key} >= {low} AND {key} < {high}"));
    }
    if let Some(pattern) = f.name_pattern {
        let p = next(Param::Text(pattern.to_owned()));
        sql.push_str(&format!(" AND u.name_lookup LIKE {p} ESCAPE '\\'"));
    }
    if let Some(status) = f.status {
        let p = next(Param::Text(status.to_owned()));
        sql.push_str(&format!(" AND u.status = {p}"));
    }
    if f.hide_purged {
        sql.push_str(" AND u.status <> 'purged'");
    }
    if let Some(after) = f.after {
        let p = next(Param::Text(after.to_owned()));
        sql.push_str(&format!(" AND {key} > {p}"));
    }
    let limit = next(Param::Int(f.limit));
    sql.push_str(&format!(" ORDER BY {key} LIMIT {limit}"));
    let sql = sqlx::AssertSqlSafe(sql);
    Ok(super::on_db!(db, |c| {
        let mut q = sqlx::query_as::<_, UserRow>(sql);
        for p in params {
            q = match p {
                Param::Text(s) => q.bind(s),
                Param::Org(o) => q.bind(o),
                Param::Int(n) => q.bind(n),
            };
        }
        q.fetch_all(c).await
    })?)
}
