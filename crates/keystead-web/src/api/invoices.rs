//! Invoices through the admin API: the billing system issues them (`invoices:write`,
//! deployment tokens; idempotent by number: the same document again is 200, only its `status`
//! may move on, another document under a taken number is 409) and reads them back with their
//! PDFs (`invoices:read`). The same Core functions as the CLI and the pages.

use std::collections::HashMap;

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use keystead_core::api_tokens::ApiScope;
use keystead_core::courses::Recorded;
use keystead_core::invoices::{Invoice, InvoicePage, NewInvoice, NewLine, Owner};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::admin::ApiCaller;
use super::groups_roles::parse_id;
use super::rest::{parse_json, read_body};
use super::users::rfc3339;
use crate::error::WebError;
use crate::extract::ClientMeta;
use crate::state::AppState;

/// An invoice document as the billing system sends it. Amounts are integers in the currency's
/// minor unit; Keystead computes the totals (tax rounded per line, half away from zero).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceBody {
    /// Unique in the deployment: 1 to 40 letters, digits and `- / . _`.
    pub number: String,
    /// `YYYY-MM-DD`.
    pub issued_on: String,
    /// `YYYY-MM-DD`, not before `issued_on`.
    pub due_on: String,
    /// ISO 4217 (`EUR`).
    pub currency: String,
    /// `open` (default), `paid` or `void`; pushing the same document with a later status moves it on.
    pub status: Option<String>,
    /// One to 500 lines.
    pub lines: Vec<LineBody>,
    /// For a credit note: the number of the invoice of the same owner it reverses.
    pub credit_note_of: Option<String>,
    /// The PDF's language: `en`, `de` or `tr` (default: the deployment's).
    pub language: Option<String>,
    /// The buyer's account (email): its billing address is copied onto the invoice.
    pub bill_to: Option<String>,
    /// The billing address itself (`name`, `company`, `line1`, `line2`, `postal_code`, `city`,
    /// `region`, `country`, `vat_id`), instead of an account's.
    pub billing_address: Option<HashMap<String, String>>,
}

/// A line of an invoice.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineBody {
    /// What was sold (1 to 500 characters).
    pub description: String,
    /// How many: a whole number, not 0 (negative on a credit note).
    pub quantity: i64,
    /// The price of one without tax, in minor units.
    pub unit_price_minor: i64,
    /// The tax rate in percent, at most two decimals.
    pub tax_rate_percent: f64,
}

impl InvoiceBody {
    /// The document as the Core takes it.
    pub fn as_new(&self) -> NewInvoice<'_> {
        NewInvoice {
            number: &self.number,
            issued_on: &self.issued_on,
            due_on: &self.due_on,
            currency: &self.currency,
            status: self.status.as_deref(),
            lines: self
                .lines
                .iter()
                .map(|l| NewLine {
                    description: &l.description,
                    quantity: l.quantity,
                    unit_price_minor: l.unit_price_minor,
                    tax_rate_percent: l.tax_rate_percent,
                })
                .collect(),
            credit_note_of: self.credit_note_of.as_deref(),
            language: self.language.as_deref(),
            bill_to: self.bill_to.as_deref(),
            billing_address: self.billing_address.as_ref(),
        }
    }
}

/// An issued invoice with its computed totals.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceView {
    id: String,
    number: String,
    /// The owning organization (absent: a personal invoice).
    organization_id: Option<String>,
    /// The owning user (personal invoices).
    user_id: Option<String>,
    #[schema(format = Date)]
    issued_on: String,
    #[schema(format = Date)]
    due_on: String,
    currency: String,
    /// `open`, `paid` or `void`.
    status: String,
    credit_note_of: Option<String>,
    language: String,
    /// The buyer as when issued: `{"kind": "address", …}`, `{"kind": "name", "name"}` or
    /// `{"kind": "anonymised", "country"}`.
    #[schema(value_type = Object)]
    billed_to: serde_json::Value,
    /// The seller as when issued.
    #[schema(value_type = Object)]
    seller: serde_json::Value,
    /// The lines with each one's `net_minor` and `tax_minor`.
    #[schema(value_type = Vec<Object>)]
    lines: serde_json::Value,
    /// Net amount and tax per rate (`rate_bp`: hundredths of a percent).
    #[schema(value_type = Vec<Object>)]
    taxes: serde_json::Value,
    net_minor: i64,
    tax_minor: i64,
    total_minor: i64,
    /// Where the PDF is.
    pdf: String,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    updated_at: String,
}

impl From<Invoice> for InvoiceView {
    fn from(i: Invoice) -> Self {
        Self {
            pdf: format!("/api/v1/invoices/{}/pdf", i.id),
            id: i.id.to_string(),
            number: i.number,
            organization_id: i.organization.map(|o| o.to_string()),
            user_id: i.user.map(|u| u.to_string()),
            issued_on: i.issued_on.to_string(),
            due_on: i.due_on.to_string(),
            currency: i.currency,
            status: i.status.as_str().to_owned(),
            credit_note_of: i.credit_note_of,
            language: i.language.tag().to_owned(),
            billed_to: serde_json::to_value(&i.billed_to).unwrap_or_default(),
            seller: serde_json::to_value(&i.seller).unwrap_or_default(),
            lines: serde_json::to_value(&i.lines).unwrap_or_default(),
            taxes: serde_json::to_value(&i.taxes).unwrap_or_default(),
            net_minor: i.net_minor,
            tax_minor: i.tax_minor,
            total_minor: i.total_minor,
            created_at: rfc3339(i.created_at),
            updated_at: rfc3339(i.updated_at),
        }
    }
}

/// One invoice of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceItem {
    id: String,
    number: String,
    #[schema(format = Date)]
    issued_on: String,
    #[schema(format = Date)]
    due_on: String,
    currency: String,
    status: String,
    credit_note: bool,
    total_minor: i64,
}

/// A page of invoices, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceList {
    items: Vec<InvoiceItem>,
    /// How many there are in all.
    total: i64,
    /// This page (from 1; 50 a page).
    page: u32,
}

fn list(p: InvoicePage, page: u32) -> InvoiceList {
    let items = p
        .items
        .into_iter()
        .map(|i| InvoiceItem {
            id: i.id.to_string(),
            number: i.number,
            issued_on: i.issued_on.to_string(),
            due_on: i.due_on.to_string(),
            currency: i.currency,
            status: i.status.as_str().to_owned(),
            credit_note: i.credit_note,
            total_minor: i.total_minor,
        })
        .collect();
    InvoiceList { items, total: p.total, page }
}

/// `?page=`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// From 1 (default 1); 50 invoices a page.
    #[param(value_type = Option<u32>)]
    page: Option<String>,
}

impl PageQuery {
    /// Absent is the first page; anything else must be the number itself (the document says
    /// integer, so `page=%0C` or ` 2` is refused rather than read as page 1 or 2).
    fn page(&self) -> Result<u32, keystead_core::Error> {
        match self.page.as_deref() {
            None => Ok(1),
            Some(p) => p.parse::<u32>().ok().filter(|n| (1..=100_000).contains(n)).ok_or_else(|| {
                keystead_core::Error::invalid("page", "invalid", "Give the page as a whole number from 1.")
            }),
        }
    }
}

async fn issue(
    state: &AppState,
    caller: ApiCaller,
    owner: Owner,
    meta: &keystead_core::audit::RequestMeta,
    body: Body,
) -> Result<Response, WebError> {
    let p = caller.principal;
    p.require(ApiScope::InvoicesWrite)?;
    p.deployment_actor()?;
    let b: InvoiceBody = parse_json(&read_body(body).await?)?;
    let (invoice, recorded) = state.core.create_invoice(owner, &b.as_new(), meta).await?;
    let status = if recorded == Recorded::Created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(InvoiceView::from(invoice))).into_response())
}

/// `POST /api/v1/organizations/{id}/invoices`: issues an organization's invoice.
#[utoipa::path(post, path = "/api/v1/organizations/{id}/invoices", tag = "invoices", security(("token" = ["invoices:write"])),
    params(("id" = String, Path, description = "The organization's id")),
    request_body = InvoiceBody,
    responses(
        (status = 201, description = "Issued", body = InvoiceView),
        (status = 200, description = "The same document was issued before (its status may have moved on)", body = InvoiceView),
        (status = 400, description = "`invalid_json`"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or an organization's token"),
        (status = 404, description = "No such organization"),
        (status = 409, description = "`already_exists`: the number is taken by another document"),
        (status = 422, description = "`invalid_input`, naming each field (`lines[0].quantity`, `status`: `invalid_status_change`, `credit_note_of`, `bill_to`, `billing_address.city`, …)"),
    ))]
pub async fn create_org_invoice(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    ClientMeta(meta): ClientMeta,
    body: Body,
) -> Result<Response, WebError> {
    let owner = Owner::Organization(parse_id(&id)?);
    issue(&state, caller, owner, &meta, body).await
}

/// `GET /api/v1/organizations/{id}/invoices`: an organization's invoices, newest first.
#[utoipa::path(get, path = "/api/v1/organizations/{id}/invoices", tag = "invoices", security(("token" = ["invoices:read"])),
    params(("id" = String, Path, description = "The organization's id"), PageQuery),
    responses(
        (status = 200, description = "A page of invoices", body = InvoiceList),
        (status = 400, description = "`malformed_request`: the query cannot be read (`page` given twice)"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or an organization's token"),
        (status = 404, description = "No such organization"),
        (status = 422, description = "`invalid_input`: `page` is not a whole number from 1"),
    ))]
pub async fn list_org_invoices(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Json<InvoiceList>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::InvoicesRead)?;
    let page = q.page()?;
    let found = state.core.organization_invoices(p.deployment_actor()?, parse_id(&id)?, page).await?;
    Ok(Json(list(found, page)))
}

/// `POST /api/v1/users/{id}/invoices`: issues a personal invoice (a buyer without an organization).
#[utoipa::path(post, path = "/api/v1/users/{id}/invoices", tag = "invoices", security(("token" = ["invoices:write"])),
    params(("id" = String, Path, description = "The user's id")),
    request_body = InvoiceBody,
    responses(
        (status = 201, description = "Issued", body = InvoiceView),
        (status = 200, description = "The same document was issued before", body = InvoiceView),
        (status = 400, description = "`invalid_json`"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or an organization's token"),
        (status = 404, description = "No such account"),
        (status = 409, description = "`already_exists`: the number is taken by another document"),
        (status = 422, description = "`invalid_input`, naming each field"),
    ))]
pub async fn create_user_invoice(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    ClientMeta(meta): ClientMeta,
    body: Body,
) -> Result<Response, WebError> {
    let owner = Owner::User(parse_id(&id)?);
    issue(&state, caller, owner, &meta, body).await
}

/// `GET /api/v1/users/{id}/invoices`: a user's personal invoices, newest first.
#[utoipa::path(get, path = "/api/v1/users/{id}/invoices", tag = "invoices", security(("token" = ["invoices:read"])),
    params(("id" = String, Path, description = "The user's id"), PageQuery),
    responses(
        (status = 200, description = "A page of invoices", body = InvoiceList),
        (status = 400, description = "`malformed_request`: the query cannot be read (`page` given twice)"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or an organization's token"),
        (status = 404, description = "The id is not a user id"),
        (status = 422, description = "`invalid_input`: `page` is not a whole number from 1"),
    ))]
pub async fn list_user_invoices(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Json<InvoiceList>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::InvoicesRead)?;
    let page = q.page()?;
    let found = state.core.user_invoices(p.deployment_actor()?, parse_id(&id)?, page).await?;
    Ok(Json(list(found, page)))
}

/// `GET /api/v1/invoices/{id}`: one invoice with its lines and totals.
#[utoipa::path(get, path = "/api/v1/invoices/{id}", tag = "invoices", security(("token" = ["invoices:read"])),
    params(("id" = String, Path, description = "The invoice's id")),
    responses(
        (status = 200, description = "The invoice", body = InvoiceView),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or an organization's token"),
        (status = 404, description = "No such invoice"),
    ))]
pub async fn show_invoice(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<InvoiceView>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::InvoicesRead)?;
    Ok(Json(state.core.invoice(p.deployment_actor()?, parse_id(&id)?).await?.into()))
}

/// `GET /api/v1/invoices/{id}/pdf`: the invoice as a PDF.
#[utoipa::path(get, path = "/api/v1/invoices/{id}/pdf", tag = "invoices", security(("token" = ["invoices:read"])),
    params(("id" = String, Path, description = "The invoice's id")),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf", body = Vec<u8>),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or an organization's token"),
        (status = 404, description = "No such invoice"),
    ))]
pub async fn invoice_pdf(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let p = caller.principal;
    p.require(ApiScope::InvoicesRead)?;
    let (number, pdf) = state.core.invoice_pdf(p.deployment_actor()?, parse_id(&id)?).await?;
    Ok(pdf_response(&number, pdf))
}

/// A PDF as a download named after the invoice number.
pub(crate) fn pdf_response(number: &str, pdf: Vec<u8>) -> Response {
    let name = keystead_core::invoices::pdf_file_name(number);
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        pdf,
    )
        .into_response()
}
