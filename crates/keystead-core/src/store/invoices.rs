//! The `invoices`, `invoice_lines` and `invoice_pdfs` tables.

use sqlx::types::Json;
use time::{Date, OffsetDateTime};

use super::{Db, StoreError, execute, on_db};
use crate::ids::{InvoiceId, OrganizationId, UserId};

/// An invoice as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub(crate) struct InvoiceRow {
    pub id: InvoiceId,
    pub number: String,
    pub organization_id: Option<OrganizationId>,
    pub user_id: Option<UserId>,
    pub issued_on: Date,
    pub due_on: Date,
    pub currency: String,
    pub status: String,
    pub credit_note_of: Option<InvoiceId>,
    pub language: String,
    pub billing_address: Json<serde_json::Value>,
    pub seller: Json<serde_json::Value>,
    pub net_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    pub document_hash: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// A line as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub(crate) struct LineRow {
    pub position: i32,
    pub description: String,
    pub quantity: i64,
    pub unit_price_minor: i64,
    pub tax_rate_bp: i32,
    pub net_minor: i64,
    pub tax_minor: i64,
}

const COLUMNS: &str = "id, number, organization_id, user_id, issued_on, due_on, currency, status, credit_note_of, \
                       language, billing_address, seller, net_minor, tax_minor, total_minor, document_hash, \
                       created_at, updated_at";

/// Stores a new invoice with its lines unless its number is taken; true when it was stored. A
/// second request storing the same number at once waits for the first and stores nothing.
pub(crate) async fn insert_new(mut db: Db<'_>, row: &InvoiceRow, lines: &[LineRow]) -> Result<bool, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO invoices ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, \
         $15, $16, $17, $18) ON CONFLICT (number) DO NOTHING"
    ));
    let n = on_db!(db.reborrow(), |c| {
        sqlx::query(sql)
            .bind(row.id)
            .bind(&row.number)
            .bind(row.organization_id)
            .bind(row.user_id)
            .bind(row.issued_on)
            .bind(row.due_on)
            .bind(&row.currency)
            .bind(&row.status)
            .bind(row.credit_note_of)
            .bind(&row.language)
            .bind(&row.billing_address)
            .bind(&row.seller)
            .bind(row.net_minor)
            .bind(row.tax_minor)
            .bind(row.total_minor)
            .bind(&row.document_hash)
            .bind(row.created_at)
            .bind(row.updated_at)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    if n != 1 {
        return Ok(false);
    }
    for l in lines {
        execute!(
            db.reborrow(),
            "INSERT INTO invoice_lines (invoice_id, position, description, quantity, unit_price_minor, \
             tax_rate_bp, net_minor, tax_minor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            row.id,
            l.position,
            &l.description,
            l.quantity,
            l.unit_price_minor,
            l.tax_rate_bp,
            l.net_minor,
            l.tax_minor,
        )?;
    }
    Ok(true)
}

/// The invoice numbered `number`.
pub(crate) async fn by_number(db: Db<'_>, number: &str) -> Result<Option<InvoiceRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM invoices WHERE number = $1"));
    Ok(on_db!(db, |c| sqlx::query_as::<_, InvoiceRow>(sql).bind(number).fetch_optional(c).await)?)
}

/// The invoice `id`.
pub(crate) async fn get(db: Db<'_>, id: InvoiceId) -> Result<Option<InvoiceRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM invoices WHERE id = $1"));
    Ok(on_db!(db, |c| sqlx::query_as::<_, InvoiceRow>(sql).bind(id).fetch_optional(c).await)?)
}

/// The lines of invoice `id`, in order.
pub(crate) async fn lines(db: Db<'_>, id: InvoiceId) -> Result<Vec<LineRow>, StoreError> {
    let sql = "SELECT position, description, quantity, unit_price_minor, tax_rate_bp, net_minor, tax_minor \
               FROM invoice_lines WHERE invoice_id = $1 ORDER BY position";
    Ok(on_db!(db, |c| sqlx::query_as::<_, LineRow>(sql).bind(id).fetch_all(c).await)?)
}

/// Sets the status of invoice `id` and forgets its drawn PDF.
pub(crate) async fn set_status(
    mut db: Db<'_>,
    id: InvoiceId,
    status: &str,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    execute!(db.reborrow(), "UPDATE invoices SET status = $2, updated_at = $3 WHERE id = $1", id, status, now)?;
    Ok(execute!(db, "DELETE FROM invoice_pdfs WHERE invoice_id = $1", id).map(drop)?)
}

/// Whose invoices a list shows: some organizations' and one user's own.
pub(crate) struct Owners<'a> {
    pub organizations: &'a [OrganizationId],
    pub user: Option<UserId>,
}

impl Owners<'_> {
    /// The `WHERE` condition, its binds numbered from `$1`: the user first, then the organizations.
    fn condition(&self) -> String {
        let mut parts = Vec::new();
        let mut n = 0;
        if self.user.is_some() {
            n += 1;
            parts.push(format!("user_id = ${n}"));
        }
        if !self.organizations.is_empty() {
            let list: Vec<String> = (0..self.organizations.len()).map(|i| format!("${}", n + i + 1)).collect();
            parts.push(format!("organization_id IN ({})", list.join(", ")));
        }
        if parts.is_empty() { "1 = 0".to_owned() } else { parts.join(" OR ") }
    }
}

macro_rules! bind_owners {
    ($q:expr, $owners:expr) => {{
        let mut q = $q;
        if let Some(u) = $owners.user {
            q = q.bind(u);
        }
        for o in $owners.organizations {
            q = q.bind(*o);
        }
        q
    }};
}

/// A page of the owners' invoices, newest first (by issue day, then number). Each owner's
/// newest `offset + limit` are read along its index and only those are merged, so a user who
/// reads several organizations' invoices does not sort them all.
pub(crate) async fn page(
    db: Db<'_>,
    owners: &Owners<'_>,
    limit: i64,
    offset: i64,
) -> Result<Vec<InvoiceRow>, StoreError> {
    let order = "ORDER BY issued_on DESC, number DESC";
    if usize::from(owners.user.is_some()) + owners.organizations.len() == 1 {
        // One owner: its index gives the page directly.
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM invoices WHERE {} {order} LIMIT {limit} OFFSET {offset}",
            owners.condition()
        ));
        return Ok(on_db!(db, |c| bind_owners!(sqlx::query_as::<_, InvoiceRow>(sql), owners).fetch_all(c).await)?);
    }
    let each = limit.saturating_add(offset);
    let mut parts = Vec::new();
    let mut n = 0;
    if owners.user.is_some() {
        n += 1;
        parts.push(format!(
            "SELECT * FROM (SELECT {COLUMNS} FROM invoices WHERE user_id = ${n} {order} LIMIT {each}) u"
        ));
    }
    for i in 0..owners.organizations.len() {
        n += 1;
        parts.push(format!(
            "SELECT * FROM (SELECT {COLUMNS} FROM invoices WHERE organization_id = ${n} {order} LIMIT {each}) o{i}"
        ));
    }
    if parts.is_empty() {
        return Ok(Vec::new());
    }
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT * FROM ({}) mine {order} LIMIT {limit} OFFSET {offset}",
        parts.join(" UNION ALL ")
    ));
    Ok(on_db!(db, |c| bind_owners!(sqlx::query_as::<_, InvoiceRow>(sql), owners).fetch_all(c).await)?)
}

/// How many invoices the owners have.
pub(crate) async fn count(db: Db<'_>, owners: &Owners<'_>) -> Result<i64, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT count(*) FROM invoices WHERE {}", owners.condition()));
    Ok(on_db!(db, |c| bind_owners!(sqlx::query_scalar::<_, i64>(sql), owners).fetch_one(c).await)?)
}

/// The PDF of invoice `id` if drawn with `layout`.
pub(crate) async fn pdf(db: Db<'_>, id: InvoiceId, layout: i32) -> Result<Option<Vec<u8>>, StoreError> {
    let sql = "SELECT pdf FROM invoice_pdfs WHERE invoice_id = $1 AND layout = $2";
    Ok(on_db!(db, |c| sqlx::query_scalar::<_, Vec<u8>>(sql).bind(id).bind(layout).fetch_optional(c).await)?)
}

/// Keeps the PDF of invoice `id` drawn with `layout` from the invoice as it stood at
/// `drawn_from` (its `updated_at`): if its status or address changed meanwhile, nothing is kept,
/// so a PDF of an older state is never served.
pub(crate) async fn keep_pdf(
    db: Db<'_>,
    id: InvoiceId,
    layout: i32,
    pdf: &[u8],
    (drawn_from, now): (OffsetDateTime, OffsetDateTime),
) -> Result<(), StoreError> {
    Ok(execute!(
        db,
        "INSERT INTO invoice_pdfs (invoice_id, layout, pdf, rendered_at) SELECT $1, $2, $3, $4 \
         WHERE EXISTS (SELECT 1 FROM invoices WHERE id = $1 AND updated_at = $5) \
         ON CONFLICT (invoice_id) DO UPDATE SET layout = $2, pdf = $3, rendered_at = $4",
        id,
        layout,
        pdf,
        now,
        drawn_from,
    )
    .map(drop)?)
}

/// The id and billing address of every personal invoice of `user`.
pub(crate) async fn personal_addresses(
    db: Db<'_>,
    user: UserId,
) -> Result<Vec<(InvoiceId, Json<serde_json::Value>)>, StoreError> {
    let sql = "SELECT id, billing_address FROM invoices WHERE user_id = $1";
    Ok(on_db!(db, |c| sqlx::query_as::<_, (InvoiceId, Json<serde_json::Value>)>(sql).bind(user).fetch_all(c).await)?)
}

/// Replaces the billing address of invoice `id` (an account's purge) and forgets its PDF.
pub(crate) async fn anonymise(
    mut db: Db<'_>,
    id: InvoiceId,
    address: &serde_json::Value,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    execute!(db.reborrow(), "DELETE FROM invoice_pdfs WHERE invoice_id = $1", id)?;
    Ok(execute!(db, "UPDATE invoices SET billing_address = $2, updated_at = $3 WHERE id = $1", id, Json(address), now)
        .map(drop)?)
}

/// Every member of `org` with their role (for the invoice email).
pub(crate) async fn members_and_roles(db: Db<'_>, org: OrganizationId) -> Result<Vec<(UserId, String)>, StoreError> {
    let sql = "SELECT user_id, role FROM organization_members WHERE organization_id = $1 ORDER BY created_at";
    Ok(on_db!(db, |c| sqlx::query_as::<_, (UserId, String)>(sql).bind(org).fetch_all(c).await)?)
}
