//! My Account → Licenses and downloads: the licenses the user holds (product, plan,
//! organization, valid until), their entitlements, extensions and downloads; and for license
//! admins a link to each organization's Licenses page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::licensing::HeldLicense;
use keystead_core::organizations::{Actor, Permission};

use super::{NavSection, Section, chrome};
use crate::csrf::CsrfToken;
use crate::error::WebError;
use crate::extract::RequireSession;
use crate::flash;
use crate::state::AppState;
use crate::ui::Layout;
use crate::ui::org_licenses::last_day;

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
    any_extensions: bool,
    any_downloads: bool,
}

fn view(l: HeldLicense) -> LicenseView {
    LicenseView {
        title: format!("{} — {}", l.product_name, l.plan_name),
        organization: l.organization_name,
        valid: l.valid_until.map_or_else(|| "No end date".to_owned(), |e| format!("Valid until {}", last_day(e))),
        entitlements: l.entitlements,
        extensions: l.extensions.into_iter().map(|p| p.name).collect(),
        downloads: l.downloads.len(),
    }
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
    };
    Ok((csrf, jar, page).into_response())
}
