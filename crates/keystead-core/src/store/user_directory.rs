//! The user directory's queries. A search is one or more *branches*, each a range on an index
//! read in its order (addresses, name keys, ids), so that a page stops after about as many index
//! entries as it shows (keyset pagination: every page costs the same, however deep). The caller
//! merges the branches of a search that has several (an address, a name, an id).
//!
//! Text compares byte-wise: on PostgreSQL with `COLLATE "C"` whatever the database's collation
//! (a linguistic one neither orders bytes nor keeps a prefix contiguous), served by
//! `users_email_lookup_c` and the `C` keys of `user_name_keys`; SQLite orders text byte-wise
//! already. A prefix is the range `>= prefix AND < prefix || U+10FFFF`.

use super::users::{COLUMNS, UserRow};
use super::{Db, StoreError};
use crate::ids::{OrganizationId, UserId};

/// What a branch reads, in which order.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Drive<'a> {
    /// Every account (within the filters), by address or by id.
    All(ListOrder),
    /// Addresses starting with this (as `email_lookup` holds them), by address.
    Email(&'a str),
    /// Name keys starting with this (lowercased), by key then id; each account once.
    Name(&'a str),
    /// Ids within this inclusive range, by id.
    Id(UserId, UserId),
}

/// The order of [`Drive::All`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ListOrder {
    /// By `email_lookup`.
    Email,
    /// By id: ids are UUIDv7, so this is the order of creation.
    Created,
}

/// An organization filter and how to read it: a small organization's members are read first
/// and sorted (a few thousand rows at most); a large one is checked per account while the
/// branch's index is read in order (its members are dense enough to fill a page soon).
#[derive(Debug, Clone, Copy)]
pub(crate) struct OrgFilter {
    /// The organization.
    pub id: OrganizationId,
    /// True when it has few members ([`members_up_to`]).
    pub small: bool,
}

/// Conditions every branch of a search applies. Text is already normalised by the caller: an
/// address prefix as `email_lookup` holds addresses, a name prefix lowercased.
#[derive(Debug, Default, Clone)]
pub(crate) struct Filters<'a> {
    /// Only members and guests of this organization.
    pub organization: Option<OrgFilter>,
    /// Only accounts in this status.
    pub status: Option<&'a str>,
    /// Leave out purged tombstones.
    pub hide_purged: bool,
    /// Only accounts with (true) or without (false) a second factor.
    pub mfa: Option<bool>,
    /// Also: the address starts with this.
    pub email_prefix: Option<&'a str>,
    /// Also: a name key starts with this.
    pub name_prefix: Option<&'a str>,
}

/// One ordered read of a search.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Branch<'a> {
    /// What is read, in which order.
    pub drive: Drive<'a>,
    /// Read backwards (only for [`Drive::All`]).
    pub descending: bool,
    /// Leave out ids in this inclusive range (another branch lists them).
    pub not_ids: Option<(UserId, UserId)>,
    /// Resume after this (sort key, id): the key as [`DirectoryRow::sort_key`] gives it.
    pub after: Option<(&'a str, UserId)>,
    /// At most this many rows.
    pub limit: i64,
}

/// A row of a branch: the account, whether it has a second factor, and the key it is ordered
/// by (the address, the name key that matched, or empty for orders by id).
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct DirectoryRow {
    #[sqlx(flatten)]
    pub user: UserRow,
    pub mfa_enabled: bool,
    pub sort_key: String,
}

enum Param {
    Text(String),
    Org(OrganizationId),
    Id(UserId),
    Int(i64),
    Bool(bool),
}

#[derive(Default)]
struct Binds(Vec<Param>);

impl Binds {
    fn add(&mut self, p: Param) -> String {
        self.0.push(p);
        format!("${}", self.0.len())
    }

    fn text(&mut self, s: &str) -> String {
        self.add(Param::Text(s.to_owned()))
    }

    /// `expr` within the prefix range of `prefix`.
    fn prefix(&mut self, expr: &str, prefix: &str) -> String {
        let low = self.text(prefix);
        let high = self.add(Param::Text(format!("{prefix}\u{10FFFF}")));
        format!("{expr} >= {low} AND {expr} < {high}")
    }
}

/// Adds a problem on `field` to `errors` when a search term holds a control character: none is
/// in any name or address, and PostgreSQL refuses a NUL in text outright.
pub(crate) fn check_search(field: &str, search: &str, errors: &mut crate::error::FieldErrors) {
    if search.chars().any(char::is_control) {
        errors.add(field, "invalid_search", "Search without control characters.");
    }
}

/// A lower-case LIKE pattern matching `search` anywhere (its first 100 characters), with `%`,
/// `_` and `\` taken literally (`ESCAPE '\'`).
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

/// How many members (and guests) `org` has, counting no further than `cap`: cheap however large
/// the organization is.
pub(crate) async fn members_up_to(db: Db<'_>, org: OrganizationId, cap: i64) -> Result<i64, StoreError> {
    Ok(super::on_db!(db, |c| sqlx::query_scalar::<_, i64>(
        "SELECT count(*) FROM (SELECT 1 FROM organization_members WHERE organization_id = $1 LIMIT $2) s"
    )
    .bind(org)
    .bind(cap)
    .fetch_one(c)
    .await)?)
}

/// The parts of a branch's statement.
struct Statement {
    from: String,
    conditions: Vec<String>,
    key: String,
    order: Vec<String>,
    binds: Binds,
}

impl Statement {
    fn new(b: &Branch<'_>, f: &Filters<'_>, email: &str) -> Self {
        let mut s = Self {
            from: String::new(),
            conditions: Vec::new(),
            key: String::new(),
            order: Vec::new(),
            binds: Binds::default(),
        };
        let small_org = f.organization.filter(|o| o.small);
        if let Some(o) = small_org {
            // CROSS JOIN fixes SQLite's join order (members first); PostgreSQL plans freely.
            s.from.push_str("organization_members m CROSS JOIN ");
            let org = s.binds.add(Param::Org(o.id));
            s.conditions.push(format!("m.organization_id = {org}"));
        }
        let row_id = match b.drive {
            Drive::Name(prefix) => {
                s.from.push_str("user_name_keys w CROSS JOIN users u");
                s.conditions.push("u.id = w.user_id".to_owned());
                let range = s.binds.prefix("w.key", prefix);
                s.conditions.push(range);
                // Each account once: at its first matching key.
                let low = s.binds.text(prefix);
                s.conditions.push(format!(
                    "NOT EXISTS (SELECT 1 FROM user_name_keys x WHERE x.user_id = w.user_id \
                     AND x.key >= {low} AND x.key < w.key)"
                ));
                s.key = "w.key".to_owned();
                s.order = vec!["w.key".to_owned(), "w.user_id".to_owned()];
                "w.user_id"
            }
            Drive::Email(prefix) => {
                s.from.push_str("users u");
                let range = s.binds.prefix(email, prefix);
                s.conditions.push(range);
                s.key = email.to_owned();
                s.order = vec![email.to_owned()];
                "u.id"
            }
            Drive::Id(low, high) => {
                s.from.push_str("users u");
                let (low, high) = (s.binds.add(Param::Id(low)), s.binds.add(Param::Id(high)));
                s.conditions.push(format!("u.id >= {low} AND u.id <= {high}"));
                s.order = vec!["u.id".to_owned()];
                "u.id"
            }
            Drive::All(ListOrder::Email) => {
                s.from.push_str("users u");
                s.key = email.to_owned();
                s.order = vec![email.to_owned()];
                "u.id"
            }
            Drive::All(ListOrder::Created) => {
                s.from.push_str("users u");
                s.order = vec!["u.id".to_owned()];
                "u.id"
            }
        };
        if small_org.is_some() {
            s.conditions.push(format!("{row_id} = m.user_id"));
        }
        s
    }

    fn filters(&mut self, f: &Filters<'_>, email: &str) {
        if let Some(o) = f.organization.filter(|o| !o.small) {
            let org = self.binds.add(Param::Org(o.id));
            self.conditions.push(format!(
                "EXISTS (SELECT 1 FROM organization_members mo WHERE mo.organization_id = {org} AND mo.user_id = u.id)"
            ));
        }
        if let Some(status) = f.status {
            let p = self.binds.text(status);
            self.conditions.push(format!("u.status = {p}"));
        }
        if f.hide_purged {
            self.conditions.push("u.status <> 'purged'".to_owned());
        }
        if let Some(mfa) = f.mfa {
            let p = self.binds.add(Param::Bool(mfa));
            self.conditions.push(format!("u.mfa_enabled = {p}"));
        }
        if let Some(prefix) = f.email_prefix {
            let range = self.binds.prefix(email, prefix);
            self.conditions.push(range);
        }
        if let Some(prefix) = f.name_prefix {
            let range = self.binds.prefix("x.key", prefix);
            self.conditions.push(format!("EXISTS (SELECT 1 FROM user_name_keys x WHERE x.user_id = u.id AND {range})"));
        }
    }

    fn exclusions_and_place(&mut self, b: &Branch<'_>) {
        if let Some((low, high)) = b.not_ids {
            let (low, high) = (self.binds.add(Param::Id(low)), self.binds.add(Param::Id(high)));
            self.conditions.push(format!("NOT (u.id >= {low} AND u.id <= {high})"));
        }
        if let Some((key, id)) = b.after {
            let op = if b.descending { "<" } else { ">" };
            let id = self.binds.add(Param::Id(id));
            if self.key.is_empty() {
                self.conditions.push(format!("u.id {op} {id}"));
            } else {
                let key_param = self.binds.text(key);
                let row_id = if matches!(b.drive, Drive::Name(_)) { "w.user_id" } else { "u.id" };
                self.conditions.push(format!("({}, {row_id}) {op} ({key_param}, {id})", self.key));
            }
        }
    }

    fn sql(mut self, b: &Branch<'_>) -> (String, Binds) {
        let columns = COLUMNS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ");
        let key = if self.key.is_empty() { "CAST('' AS TEXT)".to_owned() } else { self.key.clone() };
        let direction = if b.descending { " DESC" } else { "" };
        let order = self.order.iter().map(|o| format!("{o}{direction}")).collect::<Vec<_>>().join(", ");
        let limit = self.binds.add(Param::Int(b.limit));
        let conditions = if self.conditions.is_empty() { "1 = 1".to_owned() } else { self.conditions.join(" AND ") };
        let sql = format!(
            "SELECT {columns}, u.mfa_enabled, {key} AS sort_key FROM {} WHERE {conditions} ORDER BY {order} LIMIT {limit}",
            self.from
        );
        (sql, self.binds)
    }
}

/// The rows of one branch, in its order.
pub(crate) async fn branch(db: Db<'_>, f: &Filters<'_>, b: &Branch<'_>) -> Result<Vec<DirectoryRow>, StoreError> {
    let email = if matches!(db, Db::Postgres(_)) { "u.email_lookup COLLATE \"C\"" } else { "u.email_lookup" };
    let mut s = Statement::new(b, f, email);
    s.filters(f, email);
    s.exclusions_and_place(b);
    let (sql, binds) = s.sql(b);
    let sql = sqlx::AssertSqlSafe(sql);
    Ok(super::on_db!(db, |c| {
        let mut q = sqlx::query_as::<_, DirectoryRow>(sql);
        for p in binds.0 {
            q = match p {
                Param::Text(s) => q.bind(s),
                Param::Org(o) => q.bind(o),
                Param::Id(id) => q.bind(id),
                Param::Int(n) => q.bind(n),
                Param::Bool(v) => q.bind(v),
            };
        }
        q.fetch_all(c).await
    })?)
}
