//! Issuing an invoice: the billing system pushes a document; Keystead checks it, computes its
//! totals, takes the snapshots (buyer's address, seller) and keeps it. Pushing the same number
//! again is idempotent: the same document is the same invoice (only its status may move on);
//! another document under a taken number is refused.

use std::collections::HashMap;

use serde_json::json;

use super::document::{self, NewLine};
use super::{BilledTo, Invoice, InvoiceStatus, Owner, load};
use crate::Core;
use crate::accounts::email::EmailAddress;
use crate::accounts::preferences::BillingAddress;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::courses::Recorded;
use crate::error::{Code, Error, FieldErrors, Result};
use crate::i18n::Locale;
use crate::ids::{InvoiceId, OrganizationId};
use crate::store::invoices::{self as store, InvoiceRow, LineRow};
use crate::store::{Db, organizations as org_store, preferences as pref_store, users as store_users};

/// An invoice document as the billing system pushes it (field names as in the API).
#[derive(Debug, Clone, Default)]
pub struct NewInvoice<'a> {
    /// Unique in the deployment.
    pub number: &'a str,
    /// `YYYY-MM-DD`.
    pub issued_on: &'a str,
    /// `YYYY-MM-DD`, not before the issue day.
    pub due_on: &'a str,
    /// ISO 4217.
    pub currency: &'a str,
    /// `open` (default), `paid` or `void`.
    pub status: Option<&'a str>,
    /// At least one.
    pub lines: Vec<NewLine<'a>>,
    /// For a credit note: the number of the invoice it reverses (same owner).
    pub credit_note_of: Option<&'a str>,
    /// The PDF's language: `en`, `de` or `tr` (default: the deployment's).
    pub language: Option<&'a str>,
    /// The buyer's account (an email): its billing address is copied onto the invoice. For an
    /// organization's invoice a member; for a personal one, the user (the default).
    pub bill_to: Option<&'a str>,
    /// The billing address itself, instead of an account's (fields as on the billing form).
    pub billing_address: Option<&'a HashMap<String, String>>,
}

/// A checked document, ready to store.
struct Checked {
    number: String,
    row: InvoiceRow,
    lines: Vec<LineRow>,
    status: InvoiceStatus,
    address: Option<BillingAddress>,
}

fn line_row((l, position): (document::Line, i32)) -> LineRow {
    LineRow {
        position,
        description: l.description,
        quantity: l.quantity,
        unit_price_minor: l.unit_price_minor,
        tax_rate_bp: l.tax_rate_bp,
        net_minor: l.net_minor,
        tax_minor: l.tax_minor,
    }
}

fn status_and_language(core: &Core, new: &NewInvoice<'_>, errors: &mut FieldErrors) -> (InvoiceStatus, Locale) {
    let status = match new.status.map(str::trim).filter(|s| !s.is_empty()) {
        None => InvoiceStatus::Open,
        Some(s) => InvoiceStatus::parse(s).unwrap_or_else(|| {
            errors.add("status", "invalid", "Give the status as open, paid or void.");
            InvoiceStatus::Open
        }),
    };
    let language = match new.language.map(str::trim).filter(|s| !s.is_empty()) {
        None => core.config().interface.default_locale,
        Some(l) => Locale::parse(l).unwrap_or_else(|| {
            errors.add("language", "invalid", "Give the language as en, de or tr.");
            Locale::default()
        }),
    };
    (status, language)
}

fn check(core: &Core, new: &NewInvoice<'_>) -> Result<Checked> {
    let mut errors = FieldErrors::new();
    let number = document::number(new.number, &mut errors);
    let issued_on = document::date("issued_on", new.issued_on, &mut errors);
    let due_on = document::date("due_on", new.due_on, &mut errors);
    if let (Some(i), Some(d)) = (issued_on, due_on)
        && d < i
    {
        errors.add("due_on", "before_issue", "The due day cannot be before the issue day.");
    }
    let (currency, _) = document::currency(new.currency, &mut errors);
    let (status, language) = status_and_language(core, new, &mut errors);
    let lines = document::lines(&new.lines, &mut errors);
    let net: i64 = lines.iter().map(|l| l.net_minor).sum();
    let tax: i64 = lines.iter().map(|l| l.tax_minor).sum();
    let credit_note = new.credit_note_of.is_some_and(|n| !n.trim().is_empty());
    if credit_note && net + tax > 0 {
        errors.add("lines", "credit_note_positive", "A credit note's total must be zero or negative.");
    } else if !credit_note && net + tax < 0 {
        errors.add("lines", "negative_total", "An invoice's total cannot be negative; issue a credit note instead.");
    }
    let address = new.billing_address.and_then(|input| match BillingAddress::parse(input) {
        Ok(a) => Some(a),
        Err(Error::Invalid(inner)) => {
            for e in inner.0 {
                errors.add_with(format!("billing_address.{}", e.field), e.code, e.message, e.args);
            }
            None
        }
        Err(_) => None,
    });
    errors.into_result()?;
    let parts = json!({
        "issued_on": new.issued_on.trim(), "due_on": new.due_on.trim(), "currency": currency,
        "language": language.tag(), "credit_note_of": new.credit_note_of.map(str::trim),
        "bill_to": new.bill_to.map(|b| b.trim().to_lowercase()), "billing_address": address,
        "lines": lines,
    });
    let now = core.clock().now();
    let row = InvoiceRow {
        id: InvoiceId::new(),
        number: number.clone(),
        organization_id: None,
        user_id: None,
        issued_on: issued_on.unwrap_or(now.date()),
        due_on: due_on.unwrap_or(now.date()),
        currency,
        status: status.as_str().to_owned(),
        credit_note_of: None,
        language: language.tag().to_owned(),
        billing_address: sqlx::types::Json(json!({})),
        seller: sqlx::types::Json(serde_json::to_value(&core.config().seller).map_err(|e| Error::Internal(e.into()))?),
        net_minor: net,
        tax_minor: tax,
        total_minor: net + tax,
        document_hash: document::hash(&parts),
        created_at: now,
        updated_at: now,
    };
    let lines = lines.into_iter().zip(0..).map(line_row).collect();
    Ok(Checked { number, row, lines, status, address })
}

/// To whom the invoice goes: the address given, else the buyer account's billing address, else
/// the organization's (or the person's) name.
async fn billed_to(
    mut db: Db<'_>,
    owner: Owner,
    new: &NewInvoice<'_>,
    given: Option<BillingAddress>,
) -> Result<BilledTo> {
    if let Some(a) = given {
        return Ok(BilledTo::Address(a));
    }
    let buyer = match (new.bill_to.map(str::trim).filter(|b| !b.is_empty()), owner) {
        (Some(email), _) => {
            let email = EmailAddress::parse("bill_to", email)?;
            let user = store_users::find_by_email(db.reborrow(), email.lookup()).await?;
            let user = user
                .filter(|u| u.status != "purged")
                .ok_or_else(|| Error::invalid("bill_to", "unknown_account", "No account has this address."))?;
            let belongs = match owner {
                Owner::User(u) => u == user.id,
                Owner::Organization(org) => org_store::membership(db.reborrow(), org, user.id).await?.is_some(),
            };
            if !belongs {
                return Err(Error::invalid("bill_to", "not_a_member", "The buyer must belong to the invoice's owner."));
            }
            Some(user)
        }
        (None, Owner::User(u)) => Some(store_users::get(db.reborrow(), u).await?),
        (None, Owner::Organization(_)) => None,
    };
    if let Some(user) = &buyer
        && let Some(address) = pref_store::billing_address(db.reborrow(), user.id).await?
    {
        return Ok(BilledTo::Address(address.into()));
    }
    let name = match (owner, buyer) {
        (Owner::Organization(org), _) => org_store::get_org(db, org).await?.name,
        (Owner::User(_), Some(u)) => {
            let name = [u.given_name, u.family_name].into_iter().flatten().collect::<Vec<_>>().join(" ");
            if name.trim().is_empty() { u.email } else { name }
        }
        (Owner::User(_), None) => String::new(),
    };
    Ok(BilledTo::Name { name })
}

/// What a push of a number already taken does: the same document is the same invoice (its
/// status may move on), another document is refused.
async fn push_again(
    core: &Core,
    mut db: Db<'_>,
    owner: Owner,
    known: InvoiceRow,
    checked: &Checked,
    meta: &RequestMeta,
) -> Result<(Invoice, Recorded)> {
    let same_owner = match owner {
        Owner::Organization(o) => known.organization_id == Some(o),
        Owner::User(u) => known.user_id == Some(u),
    };
    if !same_owner || known.document_hash != checked.row.document_hash {
        return Err(Error::refused(
            Code::AlreadyExists,
            format!(
                "Invoice number {} is taken by another document; invoices cannot be changed once issued.",
                checked.number
            ),
        ));
    }
    let was = InvoiceStatus::parse(&known.status).unwrap_or(InvoiceStatus::Open);
    if was == checked.status {
        return Ok((load(db, known).await?, Recorded::Unchanged));
    }
    if !was.may_become(checked.status) {
        return Err(Error::invalid(
            "status",
            "invalid_status_change",
            format!("An invoice that is {} cannot become {}.", was.as_str(), checked.status.as_str()),
        ));
    }
    let now = core.clock().now();
    store::set_status(db.reborrow(), known.id, checked.status.as_str(), now).await?;
    let details =
        json!({"number": known.number, "event": "status_changed", "from": was.as_str(), "to": checked.status.as_str()});
    record(db.reborrow(), now, owner, meta, details).await?;
    let row = store::get(db.reborrow(), known.id).await?.ok_or(Error::NotFound)?;
    Ok((load(db, row).await?, Recorded::Updated))
}

async fn record(
    db: Db<'_>,
    now: time::OffsetDateTime,
    owner: Owner,
    meta: &RequestMeta,
    details: serde_json::Value,
) -> Result<()> {
    match owner {
        Owner::Organization(org) => {
            audit::record_in_org(db, now, AuditAction::InvoiceRecorded, None, None, org, meta, details).await
        }
        Owner::User(u) => audit::record(db, now, AuditAction::InvoiceRecorded, None, Some(u), meta, details).await,
    }
}

async fn check_owner(mut db: Db<'_>, owner: Owner) -> Result<()> {
    match owner {
        Owner::Organization(org) => match org_store::get_org(db.reborrow(), org).await {
            Ok(_) => Ok(()),
            Err(crate::store::StoreError::NotFound) => Err(Error::NotFound),
            Err(e) => Err(e.into()),
        },
        Owner::User(u) => match store_users::get(db, u).await {
            Ok(row) if row.status != "purged" => Ok(()),
            Ok(_) | Err(crate::store::StoreError::NotFound) => Err(Error::NotFound),
            Err(e) => Err(e.into()),
        },
    }
}

impl Core {
    /// Issues an invoice of `owner` from the billing system's document (the admin API, the
    /// CLI): `Created`, or for a number already known with the same document `Unchanged` (or
    /// `Updated` when only its status moved on: open → paid → void). Another document under a
    /// taken number is `Refused(AlreadyExists)`. A new invoice is drawn as a PDF at once and
    /// emailed, attached, to whoever reads the owner's invoices and receives the `invoices`
    /// category. Audited as `invoice.recorded`.
    pub async fn create_invoice(
        &self,
        owner: Owner,
        new: &NewInvoice<'_>,
        meta: &RequestMeta,
    ) -> Result<(Invoice, Recorded)> {
        let mut checked = check(self, new)?;
        let mut tx = self.store().begin().await?;
        check_owner(tx.db(), owner).await?;
        if let Some(known) = store::by_number(tx.db(), &checked.number).await? {
            let answer = push_again(self, tx.db(), owner, known, &checked, meta).await?;
            tx.commit().await?;
            return Ok(answer);
        }
        if let Some(original) = new.credit_note_of.map(str::trim).filter(|n| !n.is_empty()) {
            let found = store::by_number(tx.db(), original).await?.filter(|o| {
                o.credit_note_of.is_none()
                    && match owner {
                        Owner::Organization(org) => o.organization_id == Some(org),
                        Owner::User(u) => o.user_id == Some(u),
                    }
            });
            let Some(found) = found else {
                return Err(Error::invalid(
                    "credit_note_of",
                    "unknown_invoice",
                    "No invoice of this owner has this number.",
                ));
            };
            checked.row.credit_note_of = Some(found.id);
        }
        let billed = billed_to(tx.db(), owner, new, checked.address.take()).await?;
        checked.row.billing_address =
            sqlx::types::Json(serde_json::to_value(&billed).map_err(|e| Error::Internal(e.into()))?);
        let (org, user): (Option<OrganizationId>, _) = match owner {
            Owner::Organization(o) => (Some(o), None),
            Owner::User(u) => (None, Some(u)),
        };
        checked.row.organization_id = org;
        checked.row.user_id = user;
        if !store::insert_new(tx.db(), &checked.row, &checked.lines).await? {
            // Another push of the same number was stored first: answer as for a known number.
            let known = store::by_number(tx.db(), &checked.number).await?.ok_or(Error::NotFound)?;
            let answer = push_again(self, tx.db(), owner, known, &checked, meta).await?;
            tx.commit().await?;
            return Ok(answer);
        }
        let now = self.clock().now();
        let details = json!({"number": checked.number, "event": "issued", "total_minor": checked.row.total_minor,
            "currency": checked.row.currency, "credit_note": checked.row.credit_note_of.is_some()});
        record(tx.db(), now, owner, meta, details).await?;
        let invoice = load(tx.db(), checked.row).await?;
        self.notify_new_invoice(&mut tx, owner, &invoice).await?;
        tx.commit().await?;
        Ok((invoice, Recorded::Created))
    }
}
