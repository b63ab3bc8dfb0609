//! Console → Products and licenses: the catalogue as it stands — products, the plans that
//! license them (where a holder lands, machines, entitlements, extensions) and the downloads —
//! read through the same `Core` functions as `keystead admin product|plan|download` and the
//! admin API, which add to it. Each organization's subscriptions and seats are on its page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::SignedCookieJar;

use super::table::{Table, cells};
use super::{AdminNav, AdminSection, RequireOperator, chrome};
use crate::csrf::CsrfToken;
use crate::error::WebError;
use crate::flash;
use crate::state::AppState;
use crate::ui::Layout;

/// The page.
#[derive(Template, WebTemplate)]
#[template(path = "admin/products.html")]
pub struct ProductsPage {
    layout: Layout,
    nav: AdminNav,
    tables: Vec<Table>,
}

/// `GET /admin/products`
pub async fn show_products(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
) -> Result<Response, WebError> {
    let l = crate::i18n::current();
    let actor = op.actor();
    let none = || "—".to_owned();
    let products = state.core.products(actor).await?;
    let products = products
        .into_iter()
        .map(|p| cells(p.name, None, vec![p.key, p.kind.as_str().replace('_', " "), p.description]))
        .collect();
    let plans = state.core.plans(actor).await?;
    let plans = plans
        .into_iter()
        .map(|p| {
            let machines = p.max_machines.map_or_else(|| l.t("admin-products-unlimited"), |n| n.to_string());
            let grants = [p.entitlements.join(", "), p.extensions.join(", ")].into_iter().filter(|s| !s.is_empty());
            let grants = grants.collect::<Vec<_>>().join("; ");
            let landing = p.landing.as_str().replace('_', " ");
            cells(
                p.name,
                None,
                vec![p.key, p.product, landing, machines, if grants.is_empty() { none() } else { grants }],
            )
        })
        .collect();
    let downloads = state.core.downloads(actor).await?;
    let downloads = downloads
        .into_iter()
        .map(|d| {
            let source = d.file_name.or(d.url).unwrap_or_else(none);
            cells(d.product, None, vec![d.version, d.platform, source, l.date(d.released_at)])
        })
        .collect();
    let tables = vec![
        Table::new(
            "products",
            ["admin-products-products-heading", "admin-products-products-none"],
            &["admin-col-name", "admin-products-col-key", "admin-products-col-kind", "admin-orgs-col-description"],
            products,
        ),
        Table::new(
            "plans",
            ["admin-products-plans-heading", "admin-products-plans-none"],
            &[
                "admin-col-name",
                "admin-products-col-key",
                "admin-products-col-product",
                "admin-products-col-landing",
                "admin-products-col-machines",
                "admin-products-col-grants",
            ],
            plans,
        ),
        Table::new(
            "downloads",
            ["admin-products-downloads-heading", "admin-products-downloads-none"],
            &[
                "admin-products-col-product",
                "admin-products-col-version",
                "admin-products-col-platform",
                "admin-products-col-source",
                "admin-products-col-released",
            ],
            downloads,
        ),
    ];
    let (layout, nav) = chrome(&state, &op.session, &csrf, AdminSection::Products, None);
    let (jar, flashes) = flash::take(jar, &state);
    let page = ProductsPage { layout: layout.with_flashes(flashes), nav, tables };
    Ok((csrf, jar, page).into_response())
}
