//! Console → Organizations: every organization (search by name or short name, sortable by name
//! or creation, 50 a page, with member and guest counts), and creating one — with a first
//! owner named by address, or none for the operators to set up (`Core::create_organization`,
//! the same checks as the command line and the admin API).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::organizations::NewOrganization;
use keystead_core::organizations::{MAX_DIRECTORY_PAGE, ORGANIZATIONS_PER_PAGE, OrganizationQuery, OrganizationSort};
use keystead_core::{Error, FieldErrors};
use serde::Deserialize;

use super::table::SortLink;
use super::{AdminNav, AdminSection, RequireOperator, chrome};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::flash::{self, Level};
use crate::state::AppState;
use crate::ui::Layout;

/// `?q=&sort=&page=` (pages counted from 1 in the URL).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct OrganizationsQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    page: Option<String>,
}

impl OrganizationsQuery {
    fn href(&self, sort: &str, page: i64) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        if !self.q.trim().is_empty() {
            q.append_pair("q", self.q.trim());
        }
        if sort != OrganizationSort::Name.as_str() {
            q.append_pair("sort", sort);
        }
        if page > 0 {
            q.append_pair("page", &(page + 1).to_string());
        }
        let q = q.finish();
        if q.is_empty() { "/admin/organizations".to_owned() } else { format!("/admin/organizations?{q}") }
    }
}

/// An organization as listed.
#[derive(Debug, Clone)]
pub struct OrganizationRow {
    pub(crate) name: String,
    pub(crate) slug: String,
    pub(crate) members: i64,
    pub(crate) guests: i64,
    pub(crate) created: String,
}

/// The list.
#[derive(Template, WebTemplate)]
#[template(path = "admin/organizations.html")]
pub struct OrganizationsPage {
    layout: Layout,
    nav: AdminNav,
    form: OrganizationsQuery,
    errors: FieldErrors,
    organizations: Vec<OrganizationRow>,
    summary: String,
    by_name: SortLink,
    by_created: SortLink,
    previous: Option<String>,
    next: Option<String>,
}

/// The creation form's fields.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct NewOrganizationForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    owner: String,
}

/// The creation form.
#[derive(Template, WebTemplate)]
#[template(path = "admin/organization_new.html")]
pub struct NewOrganizationPage {
    layout: Layout,
    nav: AdminNav,
    csrf: String,
    form: NewOrganizationForm,
    errors: FieldErrors,
}

fn sort_link(form: &OrganizationsQuery, sort: OrganizationSort, orders: [OrganizationSort; 2]) -> SortLink {
    SortLink::new(sort, orders, |next| form.href(next.as_str(), 0))
}

/// `GET /admin/organizations`
pub async fn show_organizations(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
    Query(form): Query<OrganizationsQuery>,
) -> Result<Response, WebError> {
    let l = crate::i18n::current();
    let sort = OrganizationSort::parse(&form.sort);
    let page =
        form.page.as_deref().and_then(|p| p.trim().parse::<i64>().ok()).unwrap_or(1).clamp(1, MAX_DIRECTORY_PAGE + 1)
            - 1;
    let query = OrganizationQuery { search: form.q.trim(), sort, page };
    let (directory, errors) = match state.core.organization_directory(op.actor(), query).await {
        Ok(d) => (Some(d), FieldErrors::new()),
        Err(Error::Invalid(e)) => (None, e.localized(l)),
        Err(e) => return Err(WebError(e)),
    };
    let rows = directory.as_ref().map_or_else(Vec::new, |d| {
        d.organizations
            .iter()
            .map(|o| OrganizationRow {
                name: o.organization.name.clone(),
                slug: o.organization.slug.clone(),
                members: o.members,
                guests: o.guests,
                created: l.date(o.organization.created_at),
            })
            .collect()
    });
    let summary = directory.as_ref().map_or_else(String::new, |d| {
        let first = d.page * ORGANIZATIONS_PER_PAGE + 1;
        let last = first + i64::try_from(d.organizations.len()).unwrap_or(0) - 1;
        l.t_args("admin-orgs-summary", &[("first", first.into()), ("last", last.into()), ("total", d.total.into())])
    });
    let (layout, nav) = chrome(&state, &op.session, &csrf, AdminSection::Organizations, None);
    let (jar, flashes) = flash::take(jar, &state);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let body = OrganizationsPage {
        layout: layout.with_flashes(flashes),
        nav,
        organizations: rows,
        summary,
        by_name: sort_link(&form, sort, [OrganizationSort::Name, OrganizationSort::NameDescending]),
        by_created: sort_link(&form, sort, [OrganizationSort::Oldest, OrganizationSort::Newest]),
        previous: directory.as_ref().filter(|d| d.page > 0).map(|d| form.href(sort.as_str(), d.page - 1)),
        next: directory.as_ref().filter(|d| d.has_next).map(|d| form.href(sort.as_str(), d.page + 1)),
        errors,
        form,
    };
    Ok((status, csrf, jar, body).into_response())
}

fn new_page(
    state: &AppState,
    op: &RequireOperator,
    csrf: &CsrfToken,
    form: NewOrganizationForm,
) -> NewOrganizationPage {
    let title = crate::i18n::current().t("admin-orgs-new-title");
    let (layout, nav) = chrome(state, &op.session, csrf, AdminSection::Organizations, Some(title));
    NewOrganizationPage { layout, nav, csrf: csrf.value().to_owned(), form, errors: FieldErrors::new() }
}

/// `GET /admin/organizations/new`
pub async fn show_new_organization(State(state): State<AppState>, csrf: CsrfToken, op: RequireOperator) -> Response {
    let page = new_page(&state, &op, &csrf, NewOrganizationForm::default());
    (csrf, page).into_response()
}

/// `POST /admin/organizations`: creates it and opens its page.
pub async fn create_organization(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<NewOrganizationForm>,
) -> Result<Response, WebError> {
    let l = crate::i18n::current();
    let owner_email = form.owner.trim();
    let owner = if owner_email.is_empty() {
        Ok(None)
    } else {
        match state.core.user_by_email(owner_email).await {
            Ok(user) => Ok(Some(user.id)),
            Err(Error::NotFound | Error::Invalid(_)) => Err(l.t("admin-orgs-error-owner-unknown")),
            Err(e) => return Err(WebError(e)),
        }
    };
    let result = match owner {
        Ok(owner) => {
            let slug = Some(form.slug.trim()).filter(|s| !s.is_empty());
            let new = NewOrganization { name: form.name.trim(), slug, owner };
            state.core.create_organization(op.actor(), new, &op.meta).await.map_err(|e| match e {
                Error::Invalid(errors) => Ok(errors.localized(l)),
                e => Err(e),
            })
        }
        Err(message) => {
            let mut errors = FieldErrors::new();
            errors.add("owner", "unknown_account", message);
            Err(Ok(errors))
        }
    };
    match result {
        Ok(org) => {
            let jar = flash::push(jar, &state, Level::Success, l.t1("admin-orgs-created", "name", org.name.as_str()));
            Ok((jar, Redirect::to(&format!("/admin/organizations/{}", org.slug))).into_response())
        }
        Err(Ok(errors)) => {
            let mut page = new_page(&state, &op, &csrf, form);
            page.errors = errors;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response())
        }
        Err(Err(e)) => Err(WebError(e)),
    }
}
