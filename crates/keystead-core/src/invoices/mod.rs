//! Invoices: the billing system pushes them (admin API, CLI); whoever holds `invoices:read` in
//! the owning organization — or the user, for a personal invoice — reads them in My Account, on
//! the organization's pages, as HTML and as a PDF drawn here. An issued invoice keeps the
//! buyer's billing address and the seller's details as they were when it was issued; only its
//! status changes afterwards (open → paid → void). A credit note is a negative invoice naming
//! the original. See `document` for the checks and the rounding rule.

mod create;
pub mod document;
mod notify;
pub mod pdf;
#[cfg(test)]
mod tests;

pub use create::NewInvoice;

/// The PDF's file name for an invoice number (`2026-0001.pdf`; other characters become `-`).
pub fn pdf_file_name(number: &str) -> String {
    format!("{}.pdf", notify::file_name(number))
}
pub use document::{Line, NewLine, TaxTotal};

use time::{Date, OffsetDateTime};

use crate::Core;
use crate::accounts::preferences::BillingAddress;
use crate::config::SellerConfig;
use crate::error::{Error, Result};
use crate::i18n::Locale;
use crate::ids::{InvoiceId, OrganizationId, UserId};
use crate::organizations::permissions::Permission;
use crate::organizations::{self as orgs, Actor};
use crate::store::invoices::{self as store, InvoiceRow, Owners};
use crate::store::{Db, organizations as org_store};

/// Where an invoice stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    /// Issued, not paid yet.
    Open,
    /// Paid.
    Paid,
    /// Cancelled (a credit note may reverse it).
    Void,
}

impl InvoiceStatus {
    /// The stored and API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Paid => "paid",
            Self::Void => "void",
        }
    }

    /// The status with this name.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Open, Self::Paid, Self::Void].into_iter().find(|v| v.as_str() == s.trim())
    }

    /// True when an invoice in this status may move to `next`: open to paid or void, paid to void.
    pub fn may_become(self, next: Self) -> bool {
        matches!((self, next), (Self::Open, Self::Paid | Self::Void) | (Self::Paid, Self::Void))
    }

    /// The message key of its name (`invoice-status-open`).
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Open => "invoice-status-open",
            Self::Paid => "invoice-status-paid",
            Self::Void => "invoice-status-void",
        }
    }
}

/// Whose invoice it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// An organization's: read by its members holding `invoices:read`.
    Organization(OrganizationId),
    /// A user's own (someone who bought without an organization).
    User(UserId),
}

/// To whom the invoice is addressed, as it was when it was issued.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BilledTo {
    /// A billing address (the buyer's, copied from their account, or given with the invoice).
    Address(BillingAddress),
    /// No address was known: the organization's (or the person's) name.
    Name {
        /// The name when the invoice was issued.
        name: String,
    },
    /// The buyer's account was closed and purged: only the country is kept.
    Anonymised {
        /// The ISO 3166-1 alpha-2 country, when known.
        country: Option<String>,
    },
}

/// An invoice with its lines and totals.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Invoice {
    /// Its id.
    pub id: InvoiceId,
    /// Its number, unique in the deployment.
    pub number: String,
    /// The owning organization (absent: a personal invoice).
    pub organization: Option<OrganizationId>,
    /// The owning user (personal invoices).
    pub user: Option<UserId>,
    /// The day it was issued.
    pub issued_on: Date,
    /// The day it is due.
    pub due_on: Date,
    /// The ISO 4217 currency.
    pub currency: String,
    /// Its minor unit's digits (2 for EUR).
    pub exponent: u8,
    /// Open, paid or void.
    pub status: InvoiceStatus,
    /// For a credit note, the number of the invoice it reverses.
    pub credit_note_of: Option<String>,
    /// The language of its PDF.
    #[serde(serialize_with = "locale_tag")]
    pub language: Locale,
    /// The buyer, as when issued.
    pub billed_to: BilledTo,
    /// The seller, as when issued.
    pub seller: SellerConfig,
    /// Its lines.
    pub lines: Vec<Line>,
    /// Net amount and tax per tax rate.
    pub taxes: Vec<TaxTotal>,
    /// The sum of the net amounts.
    pub net_minor: i64,
    /// The sum of the taxes.
    pub tax_minor: i64,
    /// What is to be paid.
    pub total_minor: i64,
    /// When Keystead received it.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When its status (or, on a purge, its address) last changed.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl Invoice {
    /// To whom it is addressed, line by line, in `l` (the PDF and the invoice page).
    pub fn buyer_lines(&self, l: Locale) -> Vec<String> {
        match &self.billed_to {
            BilledTo::Address(a) => {
                let mut out = vec![a.name.clone()];
                out.extend(a.company.clone());
                out.push(a.line1.clone());
                out.extend(a.line2.clone());
                out.push(format!("{} {}", a.postal_code, a.city));
                out.extend(a.region.clone());
                out.push(country_name(l, &a.country));
                out.extend(a.vat_id.as_ref().map(|v| l.t1("invoice-vat-id", "id", v.as_str())));
                out
            }
            BilledTo::Name { name } => vec![name.clone()],
            BilledTo::Anonymised { country } => {
                let mut out = vec![l.t("invoice-anonymised")];
                out.extend(country.as_deref().map(|c| country_name(l, c)));
                out
            }
        }
    }

    /// The seller, line by line (the name first), in `l`.
    pub fn seller_lines(&self, l: Locale) -> Vec<String> {
        let s = &self.seller;
        let mut out = vec![s.name.clone()];
        out.extend(s.address.iter().cloned());
        out.extend(s.vat_id.as_ref().map(|v| l.t1("invoice-vat-id", "id", v.as_str())));
        out.extend(s.email.clone());
        out
    }
}

/// A country's name in `l` (its code when unknown).
pub fn country_name(l: Locale, code: &str) -> String {
    crate::i18n::countries::countries(l)
        .iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| code.to_owned(), |(_, n)| n.clone())
}

fn locale_tag<S: serde::Serializer>(l: &Locale, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(l.tag())
}

/// One invoice of a list, without its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceSummary {
    /// Its id.
    pub id: InvoiceId,
    /// Its number.
    pub number: String,
    /// The owning organization (absent: personal).
    pub organization: Option<OrganizationId>,
    /// Issue day.
    pub issued_on: Date,
    /// Due day.
    pub due_on: Date,
    /// Currency.
    pub currency: String,
    /// Its minor unit's digits.
    pub exponent: u8,
    /// Status.
    pub status: InvoiceStatus,
    /// True for a credit note.
    pub credit_note: bool,
    /// What is to be paid.
    pub total_minor: i64,
}

impl From<InvoiceRow> for InvoiceSummary {
    fn from(r: InvoiceRow) -> Self {
        Self {
            id: r.id,
            exponent: document::exponent(&r.currency),
            number: r.number,
            organization: r.organization_id,
            issued_on: r.issued_on,
            due_on: r.due_on,
            currency: r.currency,
            status: InvoiceStatus::parse(&r.status).unwrap_or(InvoiceStatus::Open),
            credit_note: r.credit_note_of.is_some(),
            total_minor: r.total_minor,
        }
    }
}

/// A page of invoices.
#[derive(Debug, Clone)]
pub struct InvoicePage {
    /// The invoices, newest first.
    pub items: Vec<InvoiceSummary>,
    /// How many there are in all.
    pub total: i64,
}

/// Invoices per page of a list.
pub const PAGE_SIZE: i64 = 50;

/// Reads invoice `id` with its lines (no access check).
pub(crate) async fn load(mut db: Db<'_>, row: InvoiceRow) -> Result<Invoice> {
    let lines: Vec<Line> = store::lines(db.reborrow(), row.id)
        .await?
        .into_iter()
        .map(|l| Line {
            description: l.description,
            quantity: l.quantity,
            unit_price_minor: l.unit_price_minor,
            tax_rate_bp: l.tax_rate_bp,
            net_minor: l.net_minor,
            tax_minor: l.tax_minor,
        })
        .collect();
    let credit_note_of = match row.credit_note_of {
        Some(original) => store::get(db, original).await?.map(|o| o.number),
        None => None,
    };
    let broken = |what: &str, e: serde_json::Error| Error::Internal(anyhow::anyhow!("invoice {}: {what}: {e}", row.id));
    Ok(Invoice {
        id: row.id,
        exponent: document::exponent(&row.currency),
        number: row.number,
        organization: row.organization_id,
        user: row.user_id,
        issued_on: row.issued_on,
        due_on: row.due_on,
        currency: row.currency,
        status: InvoiceStatus::parse(&row.status).unwrap_or(InvoiceStatus::Open),
        credit_note_of,
        language: Locale::parse(&row.language).unwrap_or_default(),
        billed_to: serde_json::from_value(row.billing_address.0).map_err(|e| broken("billing address", e))?,
        seller: serde_json::from_value(row.seller.0).map_err(|e| broken("seller", e))?,
        taxes: document::tax_totals(&lines),
        lines,
        net_minor: row.net_minor,
        tax_minor: row.tax_minor,
        total_minor: row.total_minor,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// `NotFound` unless `actor` may read invoices of `owner`: the operator; the user of a personal
/// invoice; a member holding `invoices:read` in the organization (anyone else is told nothing).
async fn require_reader(mut db: Db<'_>, actor: Actor, owner: Owner) -> Result<()> {
    match (actor, owner) {
        (Actor::Operator, _) => Ok(()),
        (Actor::User(u), Owner::User(o)) if u == o => Ok(()),
        (Actor::User(_), Owner::User(_)) => Err(Error::NotFound),
        (Actor::User(_), Owner::Organization(org)) => {
            let access = orgs::access(db.reborrow(), org, actor).await?;
            access.require(Permission::InvoicesRead).map_err(|_| Error::NotFound)
        }
    }
}

fn owner_of(row: &InvoiceRow) -> Result<Owner> {
    match (row.organization_id, row.user_id) {
        (Some(o), None) => Ok(Owner::Organization(o)),
        (None, Some(u)) => Ok(Owner::User(u)),
        _ => Err(Error::Internal(anyhow::anyhow!("invoice {} has no single owner", row.id))),
    }
}

/// The organizations in which `user` holds `invoices:read`.
pub(crate) async fn readable_organizations(mut db: Db<'_>, user: UserId) -> Result<Vec<OrganizationId>> {
    let mut out = Vec::new();
    for m in org_store::orgs_of_user(db.reborrow(), user).await? {
        let permissions = orgs::role_permissions(db.reborrow(), m.organization_id, &m.role).await?;
        if permissions.contains(Permission::InvoicesRead) {
            out.push(m.organization_id);
        }
    }
    Ok(out)
}

fn check_page(page: u32) -> Result<i64> {
    if (1..=100_000).contains(&page) { Ok(i64::from(page - 1) * PAGE_SIZE) } else { Err(Error::NotFound) }
}

impl Core {
    /// Invoice `id` with its lines, if `actor` may read it (`NotFound` otherwise).
    pub async fn invoice(&self, actor: Actor, id: InvoiceId) -> Result<Invoice> {
        let mut conn = self.store().conn().await?;
        let row = store::get(conn.db(), id).await?.ok_or(Error::NotFound)?;
        require_reader(conn.db(), actor, owner_of(&row)?).await?;
        load(conn.db(), row).await
    }

    /// The invoices `user` may read — their own and those of every organization where they
    /// hold `invoices:read` — newest first, page `page` (from 1) of [`PAGE_SIZE`].
    pub async fn my_invoices(&self, user: UserId, page: u32) -> Result<InvoicePage> {
        let offset = check_page(page)?;
        let mut conn = self.store().conn().await?;
        let organizations = readable_organizations(conn.db(), user).await?;
        let owners = Owners { organizations: &organizations, user: Some(user) };
        let items = store::page(conn.db(), &owners, PAGE_SIZE, offset).await?;
        let total = store::count(conn.db(), &owners).await?;
        Ok(InvoicePage { items: items.into_iter().map(Into::into).collect(), total })
    }

    /// An organization's invoices, newest first, page `page` (from 1); `actor` needs
    /// `invoices:read` there (`Forbidden` for a member without it).
    pub async fn organization_invoices(&self, actor: Actor, org: OrganizationId, page: u32) -> Result<InvoicePage> {
        let offset = check_page(page)?;
        let mut conn = self.store().conn().await?;
        orgs::access(conn.db(), org, actor).await?.require(Permission::InvoicesRead)?;
        let owners = Owners { organizations: &[org], user: None };
        let items = store::page(conn.db(), &owners, PAGE_SIZE, offset).await?;
        let total = store::count(conn.db(), &owners).await?;
        Ok(InvoicePage { items: items.into_iter().map(Into::into).collect(), total })
    }

    /// A user's personal invoices (operators: the API and the CLI).
    pub async fn user_invoices(&self, actor: Actor, user: UserId, page: u32) -> Result<InvoicePage> {
        actor.require_operator()?;
        let offset = check_page(page)?;
        let mut conn = self.store().conn().await?;
        let owners = Owners { organizations: &[], user: Some(user) };
        let items = store::page(conn.db(), &owners, PAGE_SIZE, offset).await?;
        let total = store::count(conn.db(), &owners).await?;
        Ok(InvoicePage { items: items.into_iter().map(Into::into).collect(), total })
    }

    /// Every personal invoice of `user`, in full, newest first (their data export).
    pub async fn personal_invoices(&self, user: UserId) -> Result<Vec<Invoice>> {
        let mut conn = self.store().conn().await?;
        let owners = Owners { organizations: &[], user: Some(user) };
        let rows = store::page(conn.db(), &owners, 100_000, 0).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(load(conn.db(), row).await?);
        }
        Ok(out)
    }

    /// Invoice `id` as a PDF (drawn once, then kept until its status changes), if `actor` may
    /// read it: (the invoice's number, the PDF).
    pub async fn invoice_pdf(&self, actor: Actor, id: InvoiceId) -> Result<(String, Vec<u8>)> {
        let invoice = self.invoice(actor, id).await?;
        let kept = {
            let mut conn = self.store().conn().await?;
            store::pdf(conn.db(), id, pdf::LAYOUT).await?
        };
        if let Some(bytes) = kept {
            return Ok((invoice.number, bytes));
        }
        let bytes = self.draw_invoice(&invoice).await?;
        let mut conn = self.store().conn().await?;
        store::keep_pdf(conn.db(), id, pdf::LAYOUT, &bytes, (invoice.updated_at, self.clock().now())).await?;
        Ok((invoice.number, bytes))
    }

    /// Draws `invoice` as a PDF on a blocking thread (a page takes milliseconds of CPU).
    pub(crate) async fn draw_invoice(&self, invoice: &Invoice) -> Result<Vec<u8>> {
        let invoice = invoice.clone();
        let logo = self.brand().logo.clone();
        tokio::task::spawn_blocking(move || pdf::draw(&invoice, logo.as_ref()))
            .await
            .map_err(|e| Error::Internal(e.into()))?
    }
}

/// Anonymises the personal invoices of a purged account: of each address only the country is
/// kept, and their drawn PDFs are forgotten (the purge calls it in its transaction).
/// Organizations' invoices are untouched. How many invoices.
pub(crate) async fn anonymise_of_user(mut db: Db<'_>, user: UserId, now: OffsetDateTime) -> Result<u64> {
    let mut n = 0;
    for (id, address) in store::personal_addresses(db.reborrow(), user).await? {
        let country = match serde_json::from_value::<BilledTo>(address.0) {
            Ok(BilledTo::Address(a)) => Some(a.country),
            Ok(BilledTo::Anonymised { country }) => country,
            Ok(BilledTo::Name { .. }) | Err(_) => None,
        };
        let address = serde_json::to_value(BilledTo::Anonymised { country }).map_err(|e| Error::Internal(e.into()))?;
        store::anonymise(db.reborrow(), id, &address, now).await?;
        n += 1;
    }
    Ok(n)
}
