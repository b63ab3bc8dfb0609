//! Console → Users: the directory search (`Core::search_users`) with one search box (address,
//! name or id prefix), filters by status, second factor and organization, sortable columns when
//! nothing is searched for, and pages that go on by cursor. Bad filters come back as messages
//! next to their fields.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::accounts::UserStatus;
use keystead_core::accounts::directory::{DirectoryEntry, UserOrder, UserQuery};
use keystead_core::{Error, FieldErrors};
use serde::Deserialize;

use super::table::SortLink;
use super::{AdminNav, AdminSection, RequireOperator, chrome};
use crate::csrf::CsrfToken;
use crate::error::WebError;
use crate::flash;
use crate::state::AppState;
use crate::ui::Layout;

/// The statuses offered by the filter, in the order shown.
const STATUSES: [UserStatus; 6] = [
    UserStatus::Active,
    UserStatus::Unverified,
    UserStatus::IncompleteProfile,
    UserStatus::Disabled,
    UserStatus::Closing,
    UserStatus::Purged,
];

/// `?q=&status=&mfa=&org=&sort=&cursor=`: what the form sends (every field optional).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct UsersQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    mfa: String,
    #[serde(default)]
    org: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    cursor: Option<String>,
}

impl UsersQuery {
    fn order(&self) -> UserOrder {
        match self.sort.as_str() {
            "-email" => UserOrder::EmailDescending,
            "-created" => UserOrder::NewestFirst,
            "created" => UserOrder::OldestFirst,
            _ => UserOrder::EmailAscending,
        }
    }

    /// The query string of this search with `cursor` (and the sort `sort`, if given) instead.
    fn href(&self, sort: Option<&str>, cursor: Option<&str>) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [("q", &self.q), ("status", &self.status), ("mfa", &self.mfa), ("org", &self.org)] {
            if !v.trim().is_empty() {
                q.append_pair(k, v.trim());
            }
        }
        let sort = sort.unwrap_or(&self.sort);
        if !sort.is_empty() && sort != "email" {
            q.append_pair("sort", sort);
        }
        if let Some(c) = cursor {
            q.append_pair("cursor", c);
        }
        let q = q.finish();
        if q.is_empty() { "/admin/users".to_owned() } else { format!("/admin/users?{q}") }
    }
}

/// An option of a filter.
#[derive(Debug, Clone)]
pub struct Choice {
    pub(crate) value: &'static str,
    pub(crate) label: String,
    pub(crate) selected: bool,
}

/// An account as listed.
#[derive(Debug, Clone)]
pub struct UserRow {
    pub(crate) id: String,
    pub(crate) email: String,
    pub(crate) name: String,
    pub(crate) status: &'static str,
    pub(crate) status_label: String,
    pub(crate) mfa: bool,
    pub(crate) created: String,
    pub(crate) last_sign_in: String,
}

/// The page.
#[derive(Template, WebTemplate)]
#[template(path = "admin/users.html")]
pub struct UsersPage {
    layout: Layout,
    nav: AdminNav,
    form: UsersQuery,
    statuses: Vec<Choice>,
    mfa_choices: Vec<Choice>,
    errors: FieldErrors,
    users: Vec<UserRow>,
    /// Sort links; `None` while a search term orders the list by what matched.
    by_email: Option<SortLink>,
    by_created: Option<SortLink>,
    next: Option<String>,
    first: Option<String>,
    searched: bool,
}

/// The message id naming a status.
pub(crate) fn status_key(s: UserStatus) -> &'static str {
    match s {
        UserStatus::Unverified => "admin-user-status-unverified",
        UserStatus::IncompleteProfile => "admin-user-status-incomplete-profile",
        UserStatus::Active => "admin-user-status-active",
        UserStatus::Disabled => "admin-user-status-disabled",
        UserStatus::Closing => "admin-user-status-closing",
        UserStatus::Purged => "admin-user-status-purged",
    }
}

fn row(e: &DirectoryEntry) -> UserRow {
    let l = crate::i18n::current();
    let u = &e.record.user;
    let name = [u.given_name.as_deref(), u.family_name.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
    UserRow {
        id: u.id.to_string(),
        email: u.email.clone(),
        name,
        status: u.status.as_str(),
        status_label: l.t(status_key(u.status)),
        mfa: e.mfa_enabled,
        created: l.date(u.created_at),
        last_sign_in: u.last_sign_in_at.map_or_else(|| l.t("admin-user-never"), |t| l.date_time(t)),
    }
}

fn sort(form: &UsersQuery, ascending: &'static str, descending: &'static str) -> SortLink {
    let orders = match ascending {
        "email" => [UserOrder::EmailAscending, UserOrder::EmailDescending],
        _ => [UserOrder::OldestFirst, UserOrder::NewestFirst],
    };
    SortLink::new(form.order(), orders, |o| form.href(Some(if o == orders[0] { ascending } else { descending }), None))
}

/// The Core query for the form; the errors of what cannot be read (an unknown status or
/// organization) go into `errors`.
async fn to_query(state: &AppState, op: &RequireOperator, form: &UsersQuery, errors: &mut FieldErrors) -> UserQuery {
    let l = crate::i18n::current();
    let status = match form.status.as_str() {
        "" => None,
        s => UserStatus::from_name(s).or_else(|| {
            errors.add("status", "unknown", l.t("admin-users-error-status"));
            None
        }),
    };
    let mfa = match form.mfa.as_str() {
        "with" => Some(true),
        "without" => Some(false),
        _ => None,
    };
    let slug = form.org.trim();
    let organization = if slug.is_empty() {
        None
    } else {
        match state.core.organization_by_slug(op.actor(), &slug.to_lowercase()).await {
            Ok(org) => Some(org.id),
            Err(_) => {
                errors.add("org", "unknown", l.t1("admin-users-error-org", "slug", slug));
                None
            }
        }
    };
    let text = Some(form.q.trim().to_owned()).filter(|t| !t.is_empty());
    UserQuery {
        text,
        status,
        mfa,
        organization,
        order: form.order(),
        cursor: form.cursor.clone(),
        ..UserQuery::default()
    }
}

/// `GET /admin/users`
pub async fn show_users(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
    Query(form): Query<UsersQuery>,
) -> Result<Response, WebError> {
    let l = crate::i18n::current();
    let mut errors = FieldErrors::new();
    let query = to_query(&state, &op, &form, &mut errors).await;
    let page = if errors.is_empty() {
        match state.core.search_users(op.actor(), None, &query).await {
            Ok(page) => Some(page),
            Err(Error::Invalid(e)) => {
                errors = e.localized(l);
                None
            }
            Err(e) => return Err(WebError(e)),
        }
    } else {
        None
    };
    let searched = query.text.is_some();
    let choose =
        |value: &'static str, label: String, current: &str| Choice { value, label, selected: value == current };
    let mut statuses = vec![choose("", l.t("admin-users-any-status"), &form.status)];
    statuses.extend(STATUSES.iter().map(|s| choose(s.as_str(), l.t(status_key(*s)), &form.status)));
    let mfa_choices = vec![
        choose("", l.t("admin-users-mfa-any"), &form.mfa),
        choose("with", l.t("admin-users-mfa-with"), &form.mfa),
        choose("without", l.t("admin-users-mfa-without"), &form.mfa),
    ];
    let (layout, nav) = chrome(&state, &op.session, &csrf, AdminSection::Users, None);
    let (jar, flashes) = flash::take(jar, &state);
    let invalid = !errors.is_empty();
    let body = UsersPage {
        layout: layout.with_flashes(flashes),
        nav,
        users: page.as_ref().map(|p| p.items.iter().map(row).collect()).unwrap_or_default(),
        next: page.as_ref().and_then(|p| p.next_cursor.as_deref()).map(|c| form.href(None, Some(c))),
        first: form.cursor.is_some().then(|| form.href(None, None)),
        by_email: (!searched).then(|| sort(&form, "email", "-email")),
        by_created: (!searched).then(|| sort(&form, "created", "-created")),
        statuses,
        mfa_choices,
        errors,
        searched,
        form,
    };
    let status = if invalid { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, csrf, jar, body).into_response())
}
