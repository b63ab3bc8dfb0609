//! The organization's "Invoices" page, for holders of `invoices:read` (license and billing
//! administrators, admins, owners): its invoices newest first, 50 a page, each linking to the
//! invoice's page and PDF in My Account (the same page whichever way it is reached).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use keystead_core::invoices::PAGE_SIZE;
use keystead_core::organizations::{Actor, Permission};

use super::Layout;
use super::account::{InvoiceRow, PageQuery, invoice_row, page_number};
use super::org_admin::{OrgChrome, chrome, load, require};
use crate::csrf::CsrfToken;
use crate::error::WebError;
use crate::extract::RequireSession;
use crate::state::AppState;

/// The page.
#[derive(Template, WebTemplate)]
#[template(path = "org/invoices.html")]
pub struct OrgInvoicesPage {
    layout: Layout,
    org: OrgChrome,
    invoices: Vec<InvoiceRow>,
    total: i64,
    page: u32,
    prev_href: Option<String>,
    next_href: Option<String>,
}

/// `GET /org/{slug}/invoices`
pub async fn show_org_invoices(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, WebError> {
    let (org, perms, _) = load(&state, session.user.id, &slug).await?;
    require(perms, Permission::InvoicesRead)?;
    let page = page_number(&q);
    let found = state.core.organization_invoices(Actor::User(session.user.id), org.id, page).await?;
    let l = crate::i18n::current();
    let invoices = found.items.into_iter().map(|i| invoice_row(l, i, org.name.clone())).collect();
    let pages = u32::try_from((found.total + PAGE_SIZE - 1) / PAGE_SIZE).unwrap_or(u32::MAX);
    let base = format!("/org/{}/invoices", org.slug);
    let prev_href = (page > 1).then(|| format!("{base}?page={}", page - 1));
    let next_href = (page < pages).then(|| format!("{base}?page={}", page + 1));
    let layout = Layout::new(&state, l.t1("org-invoices-title", "org", &org.name))
        .signed_in(Some(&session), &csrf)
        .branded(org.brand_color.as_deref());
    let view = OrgInvoicesPage {
        layout,
        org: chrome(&org, perms, "invoices"),
        invoices,
        total: found.total,
        page,
        prev_href,
        next_href,
    };
    Ok((csrf, view).into_response())
}
