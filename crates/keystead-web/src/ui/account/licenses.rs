//! My Account → Licenses and downloads: the licenses the user holds (product, plan,
//! organization, valid until), their entitlements, extensions and downloads; the machines their
//! desktop apps activated (deactivate one to free its place); each product's briefcase (size,
//! last change, download, reset); and for license admins a link to each organization's Licenses
//! page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::Error;
use keystead_core::ids::MachineId;
use keystead_core::licensing::{BriefcaseSummary, HeldLicense, Machine};
use keystead_core::organizations::{Actor, Permission};
use serde::Deserialize;

use super::{NavSection, Section, chrome};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::extract::{ClientMeta, RequireSession};
use crate::flash::{self, Level};
use crate::state::AppState;
use crate::ui::Layout;

/// One license.
#[derive(Debug, Clone)]
pub struct LicenseView {
    title: String,
    organization: String,
    valid: String,
    entitlements: Vec<String>,
    extensions: Vec<String>,
    downloads: usize,
}

/// An activated machine.
#[derive(Debug, Clone)]
pub struct MachineView {
    id: String,
    name: String,
    product: String,
    activated: String,
    last_seen: String,
}

/// A product's briefcase.
#[derive(Debug, Clone)]
pub struct BriefcaseView {
    product: String,
    product_name: String,
    size: String,
    updated: String,
}

/// An organization whose licenses the user administers.
#[derive(Debug, Clone)]
pub struct AdminLink {
    name: String,
    href: String,
}

/// The page.
#[derive(Template, WebTemplate)]
#[template(path = "account/licenses.html")]
pub struct LicensesPage {
    layout: Layout,
    nav: Vec<NavSection>,
    licenses: Vec<LicenseView>,
    admin_links: Vec<AdminLink>,
    machines: Vec<MachineView>,
    briefcases: Vec<BriefcaseView>,
    csrf: String,
    any_extensions: bool,
    any_downloads: bool,
}

fn view(l: HeldLicense) -> LicenseView {
    LicenseView {
        title: format!("{} — {}", l.product_name, l.plan_name),
        organization: l.organization_name,
        valid: l.valid_until.map_or_else(
            || crate::i18n::current().t("acct-licenses-no-end"),
            |e| crate::i18n::current().t1("acct-licenses-valid-until", "date", date(e - time::Duration::seconds(1))),
        ),
        entitlements: l.entitlements,
        extensions: l.extensions.into_iter().map(|p| p.name).collect(),
        downloads: l.downloads.len(),
    }
}

/// A day in the request's language.
fn date(t: time::OffsetDateTime) -> String {
    crate::i18n::current().date(t)
}

fn machine_view(m: Machine) -> MachineView {
    MachineView {
        id: m.id.to_string(),
        name: m.name,
        product: m.product_name,
        activated: date(m.activated_at),
        last_seen: date(m.last_seen_at),
    }
}

fn briefcase_view(b: BriefcaseSummary) -> BriefcaseView {
    let size = super::downloads::human_size_in(crate::i18n::current(), i64::try_from(b.size).unwrap_or(i64::MAX));
    BriefcaseView { product: b.product, product_name: b.product_name, size, updated: date(b.updated_at) }
}

/// `GET /account/licenses`
pub async fn show_licenses(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
) -> Result<Response, WebError> {
    let licenses: Vec<LicenseView> = state.core.licenses_of(session.user.id).await?.into_iter().map(view).collect();
    let mut admin_links = Vec::new();
    for org in state.core.my_organizations(&session).await? {
        let (perms, _) = state.core.organization_permissions(Actor::User(session.user.id), org.id).await?;
        if perms.contains(Permission::LicensesAssign) {
            admin_links.push(AdminLink { href: format!("/org/{}/licenses", org.slug), name: org.name });
        }
    }
    let (layout, nav) = chrome(&state, &session, &csrf, Section::Licenses);
    let (jar, flashes) = flash::take(jar, &state);
    let page = LicensesPage {
        layout: layout.with_flashes(flashes),
        nav,
        any_extensions: licenses.iter().any(|l| !l.extensions.is_empty()),
        any_downloads: licenses.iter().any(|l| l.downloads > 0),
        licenses,
        admin_links,
        machines: state.core.machines_of(session.user.id).await?.into_iter().map(machine_view).collect(),
        briefcases: state.core.briefcases_of(session.user.id).await?.into_iter().map(briefcase_view).collect(),
        csrf: csrf.value().to_owned(),
    };
    Ok((csrf, jar, page).into_response())
}

/// The deactivate form.
#[derive(Debug, Deserialize)]
pub struct MachineForm {
    machine: MachineId,
}

/// A form naming a product (its briefcase).
#[derive(Debug, Deserialize)]
pub struct ProductForm {
    #[serde(default)]
    product: String,
}

/// `POST /account/licenses/machines/deactivate`
pub async fn deactivate_my_machine(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<MachineForm>,
) -> Result<Response, WebError> {
    state.core.deactivate_machine(session.user.id, form.machine, &meta).await?;
    let message = crate::i18n::current().t("acct-machines-deactivated");
    let jar = flash::push(jar, &state, Level::Success, message);
    Ok((jar, Redirect::to("/account/licenses")).into_response())
}

/// `POST /account/licenses/briefcase/reset`
pub async fn reset_my_briefcase(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<ProductForm>,
) -> Result<Response, WebError> {
    state.core.reset_briefcase(session.user.id, &form.product, &meta).await?;
    let jar = flash::push(jar, &state, Level::Success, crate::i18n::current().t("acct-briefcases-reset-done"));
    Ok((jar, Redirect::to("/account/licenses")).into_response())
}

/// `GET /account/licenses/briefcase/{product}`: the document as a JSON file.
pub async fn download_my_briefcase(
    State(state): State<AppState>,
    RequireSession(session): RequireSession,
    Path(product): Path<String>,
) -> Result<Response, WebError> {
    let found = state.core.briefcases_with_bodies(session.user.id).await?.into_iter().find(|b| b.product == product);
    let briefcase = found.ok_or(WebError(Error::NotFound))?;
    let filename = format!("attachment; filename=\"briefcase-{}.json\"", briefcase.product);
    let headers = [
        (header::CONTENT_TYPE, "application/json".to_owned()),
        (header::CONTENT_DISPOSITION, filename),
        (header::CACHE_CONTROL, "private, no-store".to_owned()),
    ];
    Ok((headers, briefcase.body).into_response())
}
