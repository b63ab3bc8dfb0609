//! My Account → Invoices: the user's own invoices and those of every organization where they
//! hold `invoices:read` (license and billing administrators), newest first, 50 a page; each as an
//! HTML page and a PDF download. Others see the empty section: an invoice they may not read is
//! "not found", never hinted at.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use keystead_core::Error;
use keystead_core::i18n::Locale;
use keystead_core::invoices::{Invoice, InvoiceSummary, PAGE_SIZE};
use keystead_core::organizations::Actor;

use super::{NavSection, Section, chrome};
use crate::csrf::CsrfToken;
use crate::error::WebError;
use crate::extract::RequireSession;
use crate::state::AppState;
use crate::ui::Layout;

/// An invoice as listed.
#[derive(Debug, Clone)]
pub struct InvoiceRow {
    pub(crate) href: String,
    pub(crate) number: String,
    pub(crate) credit_note: bool,
    /// The organization's name, or "You".
    pub(crate) owner: String,
    pub(crate) issued: String,
    pub(crate) due: String,
    pub(crate) status: String,
    pub(crate) status_class: &'static str,
    pub(crate) total: String,
}

/// `?page=`
#[derive(Debug, serde::Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

/// The page asked for; a page number that is not one shows the first page.
pub(crate) fn page_number(q: &PageQuery) -> u32 {
    q.page.as_deref().and_then(|p| p.trim().parse::<u32>().ok()).filter(|p| (1..=100_000).contains(p)).unwrap_or(1)
}

/// The list.
#[derive(Template, WebTemplate)]
#[template(path = "account/invoices.html")]
pub struct InvoicesPage {
    layout: Layout,
    nav: Vec<NavSection>,
    invoices: Vec<InvoiceRow>,
    total: i64,
    page: u32,
    prev_href: Option<String>,
    next_href: Option<String>,
}

fn status_class(s: keystead_core::invoices::InvoiceStatus) -> &'static str {
    match s {
        keystead_core::invoices::InvoiceStatus::Open => "badge",
        keystead_core::invoices::InvoiceStatus::Paid => "badge badge-enabled",
        keystead_core::invoices::InvoiceStatus::Void => "badge badge-disabled",
    }
}

/// A listed invoice in the request's language.
pub(crate) fn invoice_row(l: Locale, i: InvoiceSummary, owner: String) -> InvoiceRow {
    InvoiceRow {
        href: format!("/account/invoices/{}", i.id),
        number: i.number,
        credit_note: i.credit_note,
        owner,
        issued: l.day(i.issued_on),
        due: l.day(i.due_on),
        status: l.t(i.status.label_key()),
        status_class: status_class(i.status),
        total: l.money(i.total_minor, i.exponent, &i.currency),
    }
}

/// `GET /account/invoices`
pub async fn show_invoices(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    Query(q): Query<PageQuery>,
) -> Result<Response, WebError> {
    let page = page_number(&q);
    let found = state.core.my_invoices(session.user.id, page).await?;
    let orgs = state.core.my_organizations(&session).await?;
    let l = crate::i18n::current();
    let invoices = found
        .items
        .into_iter()
        .map(|i| {
            let owner = match i.organization {
                Some(o) => orgs.iter().find(|m| m.id == o).map_or_else(String::new, |m| m.name.clone()),
                None => l.t("invoice-owner-you"),
            };
            invoice_row(l, i, owner)
        })
        .collect();
    let pages = u32::try_from((found.total + PAGE_SIZE - 1) / PAGE_SIZE).unwrap_or(u32::MAX);
    let prev_href = (page > 1).then(|| format!("/account/invoices?page={}", page - 1));
    let next_href = (page < pages).then(|| format!("/account/invoices?page={}", page + 1));
    let (layout, nav) = chrome(&state, &session, &csrf, Section::Invoices);
    let view = InvoicesPage { layout, nav, invoices, total: found.total, page, prev_href, next_href };
    Ok((csrf, view).into_response())
}

/// An invoice as its page shows it.
#[derive(Template, WebTemplate)]
#[template(path = "account/invoice.html")]
pub struct InvoicePage {
    layout: Layout,
    nav: Vec<NavSection>,
    title: String,
    invoice: Invoice,
    pdf_href: String,
    buyer: Vec<String>,
    seller: Vec<String>,
    status: String,
    status_class: &'static str,
    lines: Vec<[String; 5]>,
    taxes: Vec<(String, String)>,
    net: String,
    total: String,
}

fn id_of(raw: &str) -> Result<keystead_core::ids::InvoiceId, WebError> {
    raw.parse().map_err(|_| WebError::from(Error::NotFound))
}

/// `GET /account/invoices/{id}`
pub async fn show_invoice(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let invoice = state.core.invoice(Actor::User(session.user.id), id_of(&id)?).await?;
    let l = crate::i18n::current();
    let money = |m: i64| l.money(m, invoice.exponent, &invoice.currency);
    let lines = invoice
        .lines
        .iter()
        .map(|x| {
            [
                x.description.clone(),
                l.number(x.quantity),
                money(x.unit_price_minor),
                l.rate(x.tax_rate_bp),
                money(x.net_minor),
            ]
        })
        .collect();
    let taxes = invoice
        .taxes
        .iter()
        .map(|t| (l.t2("invoice-tax-on", "rate", l.rate(t.rate_bp), "net", money(t.net_minor)), money(t.tax_minor)))
        .collect();
    let title_key = if invoice.credit_note_of.is_some() { "invoice-credit-note-title" } else { "invoice-title" };
    let (layout, nav) = chrome(&state, &session, &csrf, Section::Invoices);
    let view = InvoicePage {
        layout,
        nav,
        title: format!("{} {}", l.t(title_key), invoice.number),
        pdf_href: format!("/account/invoices/{}/pdf", invoice.id),
        buyer: invoice.buyer_lines(l),
        seller: invoice.seller_lines(l),
        status: l.t(invoice.status.label_key()),
        status_class: status_class(invoice.status),
        lines,
        taxes,
        net: money(invoice.net_minor),
        total: money(invoice.total_minor),
        invoice,
    };
    Ok((csrf, view).into_response())
}

/// `GET /account/invoices/{id}/pdf`
pub async fn download_invoice_pdf(
    State(state): State<AppState>,
    RequireSession(session): RequireSession,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let (number, pdf) = state.core.invoice_pdf(Actor::User(session.user.id), id_of(&id)?).await?;
    Ok(crate::api::invoices::pdf_response(&number, pdf))
}
