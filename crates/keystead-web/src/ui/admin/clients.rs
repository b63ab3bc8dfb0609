//! Console → OAuth clients: the registered applications (sortable by name or registration),
//! and registering one with the command line's checks; a confidential client's secret is shown
//! once, on the answer to the form (pages are `no-store`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::oauth::{Client, ClientKind, CreatedClient};
use keystead_core::{Error, FieldErrors};
use secrecy::ExposeSecret as _;
use serde::Deserialize;

use super::client_form::{ClientForm, grant_key, localized};
use super::table::SortLink;
use super::{AdminNav, AdminSection, RequireOperator, chrome};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::flash::{self, Level};
use crate::state::AppState;
use crate::ui::Layout;

/// A client as listed.
#[derive(Debug, Clone)]
pub struct ClientRow {
    pub(crate) client_id: String,
    pub(crate) name: String,
    pub(crate) public: bool,
    pub(crate) first_party: bool,
    pub(crate) grants: Vec<String>,
    pub(crate) created: String,
}

/// The list.
#[derive(Template, WebTemplate)]
#[template(path = "admin/clients.html")]
pub struct ClientsPage {
    layout: Layout,
    nav: AdminNav,
    clients: Vec<ClientRow>,
    by_name: SortLink,
    by_created: SortLink,
}

/// The registration form.
#[derive(Template, WebTemplate)]
#[template(path = "admin/client_new.html")]
pub struct NewClientPage {
    layout: Layout,
    nav: AdminNav,
    csrf: String,
    form: ClientForm,
    errors: FieldErrors,
}

/// The answer showing a secret, once (registration of a confidential client, a new secret).
#[derive(Template, WebTemplate)]
#[template(path = "admin/client_secret.html")]
pub struct ClientSecretPage {
    pub(crate) layout: Layout,
    pub(crate) nav: AdminNav,
    pub(crate) heading: String,
    pub(crate) client_id: String,
    pub(crate) name: String,
    pub(crate) secret: String,
    /// Until when the previous secret still works (a rotation with an overlap).
    pub(crate) previous_until: Option<String>,
}

/// `?sort=name|created&dir=asc|desc`
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    sort: Option<String>,
    #[serde(default)]
    dir: Option<String>,
}

pub(crate) fn row(c: &Client) -> ClientRow {
    let l = crate::i18n::current();
    ClientRow {
        client_id: c.client_id.clone(),
        name: c.name.clone(),
        public: c.kind == ClientKind::Public,
        first_party: c.first_party,
        grants: c.grant_types.iter().map(|g| l.t(grant_key(*g))).collect(),
        created: l.date(c.created_at),
    }
}

fn sort_link(column: &'static str, sorted_by: &str, descending: bool) -> SortLink {
    let current = (if column == sorted_by { column } else { "" }, descending);
    SortLink::new(current, [(column, false), (column, true)], |(c, d)| {
        format!("/admin/clients?sort={c}&dir={}", if d { "desc" } else { "asc" })
    })
}

/// `GET /admin/clients`
pub async fn show_clients(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let mut clients = state.core.oauth_clients().await?;
    let by = if q.sort.as_deref() == Some("created") { "created" } else { "name" };
    let descending = q.dir.as_deref() == Some("desc");
    if by == "created" {
        clients.sort_by_key(|c| c.created_at);
    } else {
        clients.sort_by_cached_key(|c| (c.name.to_lowercase(), c.created_at));
    }
    if descending {
        clients.reverse();
    }
    let (layout, nav) = chrome(&state, &op.session, &csrf, AdminSection::Clients, None);
    let (jar, flashes) = flash::take(jar, &state);
    let page = ClientsPage {
        layout: layout.with_flashes(flashes),
        nav,
        clients: clients.iter().map(row).collect(),
        by_name: sort_link("name", by, descending),
        by_created: sort_link("created", by, descending),
    };
    Ok((csrf, jar, page).into_response())
}

fn new_page(state: &AppState, op: &RequireOperator, csrf: &CsrfToken, form: ClientForm) -> NewClientPage {
    let title = crate::i18n::current().t("admin-clients-new-title");
    let (layout, nav) = chrome(state, &op.session, csrf, AdminSection::Clients, Some(title));
    NewClientPage { layout, nav, csrf: csrf.value().to_owned(), form, errors: FieldErrors::new() }
}

/// `GET /admin/clients/new`
pub async fn show_new_client(State(state): State<AppState>, csrf: CsrfToken, op: RequireOperator) -> Response {
    let page = new_page(&state, &op, &csrf, ClientForm::default());
    (csrf, page).into_response()
}

/// The page showing a secret once.
pub(crate) fn secret_page(
    state: &AppState,
    op: &RequireOperator,
    csrf: &CsrfToken,
    heading: String,
    created: &CreatedClient,
) -> ClientSecretPage {
    let l = crate::i18n::current();
    let (layout, nav) = chrome(state, &op.session, csrf, AdminSection::Clients, Some(heading.clone()));
    ClientSecretPage {
        layout,
        nav,
        heading,
        client_id: created.client.client_id.clone(),
        name: created.client.name.clone(),
        secret: created.secret.as_ref().map(|s| s.expose_secret().to_owned()).unwrap_or_default(),
        previous_until: created.client.previous_secret_expires_at.map(|t| l.date_time(t)),
    }
}

/// `POST /admin/clients`: registers the client. A confidential client's answer is the page with
/// its secret (this once); a public one goes to its page.
pub async fn create_client(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let form = ClientForm::posted(&fields);
    match state.core.create_oauth_client(op.actor(), form.new_client(), &op.meta).await {
        Ok(created) if created.secret.is_some() => {
            let heading = crate::i18n::current().t("admin-clients-created-title");
            let page = secret_page(&state, &op, &csrf, heading, &created);
            Ok((csrf, page).into_response())
        }
        Ok(created) => {
            let l = crate::i18n::current();
            let jar =
                flash::push(jar, &state, Level::Success, l.t1("admin-clients-created", "name", &created.client.name));
            Ok((jar, Redirect::to(&format!("/admin/clients/{}", created.client.client_id))).into_response())
        }
        Err(Error::Invalid(errors)) => {
            let mut page = new_page(&state, &op, &csrf, form);
            page.errors = localized(errors, "admin-clients");
            Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response())
        }
        Err(e) => Err(WebError(e)),
    }
}
