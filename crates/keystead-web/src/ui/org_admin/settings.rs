//! The settings page: the organization's name, password rules and accent colour, its logo, its email domains
//! (the forms of those two are handled in `org_assets`) and, for owners, deleting it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::organizations::{Actor, OrganizationChanges, OrganizationDomain, Permission};
use keystead_core::sessions::SessionInfo;
use keystead_core::{Error, FieldErrors};
use serde::Deserialize;

use super::{OrgChrome, answer, chrome, load, org_of, t};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::extract::{ClientMeta, RequireSession};
use crate::flash;
use crate::state::AppState;
use crate::ui::Layout;

/// The settings page.
#[derive(Template, WebTemplate)]
#[template(path = "org/settings.html")]
pub struct SettingsPage {
    layout: Layout,
    org: OrgChrome,
    csrf: String,
    org_name: String,
    require_mfa: bool,
    min_length: String,
    max_length: String,
    /// `#rrggbb`, or empty for the deployment's colour.
    brand_color: String,
    domains: Vec<DomainView>,
    owner: bool,
    errors: FieldErrors,
    /// The logo picker's script (it shows the chosen image before upload).
    logo_script: String,
}

/// A domain on the settings page.
#[derive(Debug, Clone)]
pub struct DomainView {
    domain: String,
    verified: bool,
    record_name: String,
    record_value: String,
    /// When the last check ran and what it found (pending domains).
    last_check: Option<String>,
}

/// The settings form.
#[derive(Debug, Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    name: String,
    require_mfa: Option<String>,
    #[serde(default)]
    password_min_length: String,
    #[serde(default)]
    password_max_length: String,
    #[serde(default)]
    brand_color: String,
}

/// The delete form.
#[derive(Debug, Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    confirm: String,
}

/// `GET /org/{slug}/settings`
pub async fn show_org_settings(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
) -> Result<Response, WebError> {
    let (jar, flashes) = flash::take(jar, &state);
    let mut page = settings_page(&state, &session, &csrf, &slug, FieldErrors::new()).await?;
    page.layout = page.layout.with_flashes(flashes);
    Ok((csrf, jar, page).into_response())
}

fn domain_view(d: OrganizationDomain) -> DomainView {
    let lang = crate::i18n::current();
    let last_check = d.checked_at.map(|at| {
        let when = lang.date_time(at);
        match d.check_message {
            Some(m) => lang.t2("org-domain-last-checked-with", "when", when, "message", m),
            None => lang.t1("org-domain-last-checked", "when", when),
        }
    });
    DomainView {
        verified: d.verified_at.is_some(),
        domain: d.domain,
        record_name: d.record_name,
        record_value: d.record_value,
        last_check,
    }
}

/// The settings page of the organization `slug` (`org:manage`), with `errors` on its forms.
pub(crate) async fn settings_page(
    state: &AppState,
    session: &SessionInfo,
    csrf: &CsrfToken,
    slug: &str,
    errors: FieldErrors,
) -> Result<SettingsPage, Error> {
    let (org, perms, owner) = load(state, session.user.id, slug).await.map_err(|e| e.0)?;
    if !perms.contains(Permission::OrgManage) {
        return Err(Error::Forbidden);
    }
    let domains = state.core.organization_domains(Actor::User(session.user.id), org.id).await?;
    let lang = crate::i18n::current();
    let layout = Layout::new(state, lang.t1("org-settings-title", "org", &org.name))
        .signed_in(Some(session), csrf)
        .branded(org.brand_color.as_deref());
    let len = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    Ok(SettingsPage {
        layout,
        org: chrome(&org, perms, "settings"),
        csrf: csrf.value().to_owned(),
        org_name: org.name.clone(),
        require_mfa: org.settings.require_mfa,
        min_length: len(org.settings.password_min_length),
        max_length: len(org.settings.password_max_length),
        brand_color: org.brand_color.clone().unwrap_or_default(),
        domains: domains.into_iter().map(domain_view).collect(),
        owner,
        errors: errors.localized(lang),
        logo_script: crate::assets::url("org-logo.js"),
    })
}

fn parse_length(field: &str, value: &str, errors: &mut FieldErrors) -> Option<u32> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<u32>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.add(field, "not_a_number", "Enter a whole number, or leave it empty.");
            None
        }
    }
}

/// `POST /org/{slug}/settings`: the name, the settings and the colour, as one change.
pub async fn submit_org_settings(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<SettingsForm>,
) -> Result<Response, WebError> {
    let org = org_of(&state, session.user.id, &slug).await?;
    let actor = Actor::User(session.user.id);
    let mut errors = FieldErrors::new();
    let changes = OrganizationChanges {
        name: Some(form.name.clone()),
        require_mfa: Some(form.require_mfa.is_some()),
        password_min_length: Some(parse_length("password_min_length", &form.password_min_length, &mut errors)),
        password_max_length: Some(parse_length("password_max_length", &form.password_max_length, &mut errors)),
        brand_color: Some(Some(form.brand_color.clone())),
    };
    let result = match errors.into_result() {
        Ok(()) => state.core.change_organization(actor, org.id, changes, None, &meta).await,
        Err(e) => Err(e),
    };
    match result {
        // Refused: the page again with the reasons beside their fields and what was typed kept.
        Err(Error::Invalid(errors)) => {
            let mut page = settings_page(&state, &session, &csrf, &slug, errors).await?;
            page.org_name = form.name;
            page.require_mfa = form.require_mfa.is_some();
            page.min_length = form.password_min_length;
            page.max_length = form.password_max_length;
            page.brand_color = form.brand_color;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response())
        }
        result => answer(&state, jar, &format!("/org/{slug}/settings"), result.map(|_| t("org-flash-settings-saved"))),
    }
}

/// `POST /org/{slug}/delete`: owners only, with the short name typed back.
pub async fn delete_org(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<DeleteForm>,
) -> Result<Response, WebError> {
    let org = org_of(&state, session.user.id, &slug).await?;
    let result = state.core.delete_organization(Actor::User(session.user.id), org.id, &form.confirm, &meta).await;
    let back = if result.is_ok() { "/account/organizations".to_owned() } else { format!("/org/{slug}/settings") };
    let done = result.map(|()| crate::i18n::current().t1("org-flash-org-deleted", "org", &org.name));
    answer(&state, jar, &back, done)
}
