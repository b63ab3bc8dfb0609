//! Console → OAuth clients → one client: its facts, the registration form (changed with a
//! version check), the consents its users gave, and the ways to a new secret and to deletion.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::oauth::{Client, ClientKind};
use keystead_core::{Code, Error, FieldErrors};
use serde::Deserialize;

use super::client_form::{ClientForm, localized};
use super::{AdminNav, AdminSection, RequireOperator, chrome};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::flash::{self, Level};
use crate::state::AppState;
use crate::ui::Layout;

/// Consents a page.
const CONSENTS_PER_PAGE: u32 = 50;

/// A consent as listed.
#[derive(Debug, Clone)]
pub struct ConsentView {
    pub(crate) user_id: String,
    pub(crate) email: String,
    pub(crate) scope: String,
    pub(crate) granted: String,
}

/// The client's page.
#[derive(Template, WebTemplate)]
#[template(path = "admin/client.html")]
pub struct ClientPage {
    layout: Layout,
    nav: AdminNav,
    csrf: String,
    client_id: String,
    heading: String,
    public: bool,
    created: String,
    updated: Option<String>,
    previous_until: Option<String>,
    form: ClientForm,
    errors: FieldErrors,
    /// A problem with the whole form (it changed meanwhile).
    form_error: Option<String>,
    consents: Vec<ConsentView>,
    consent_total: i64,
    newer: Option<String>,
    older: Option<String>,
}

/// `?page=N` of the consents (from 1).
#[derive(Debug, Default, Deserialize)]
pub struct ClientQuery {
    #[serde(default)]
    page: Option<String>,
}

async fn client_page(
    state: &AppState,
    op: &RequireOperator,
    csrf: &CsrfToken,
    client: &Client,
    page_no: u32,
) -> Result<ClientPage, Error> {
    let l = crate::i18n::current();
    let offset = (page_no - 1).saturating_mul(CONSENTS_PER_PAGE);
    let consents = state.core.oauth_client_consents(op.actor(), &client.client_id, offset, CONSENTS_PER_PAGE).await?;
    let here = format!("/admin/clients/{}", client.client_id);
    let shown = i64::from(offset) + i64::try_from(consents.items.len()).unwrap_or(0);
    let (layout, nav) = chrome(state, &op.session, csrf, AdminSection::Clients, Some(client.name.clone()));
    Ok(ClientPage {
        layout,
        nav,
        csrf: csrf.value().to_owned(),
        client_id: client.client_id.clone(),
        heading: client.name.clone(),
        public: client.kind == ClientKind::Public,
        created: l.date_time(client.created_at),
        updated: client.updated_at.map(|t| l.date_time(t)),
        previous_until: client
            .previous_secret_expires_at
            .filter(|t| *t > state.core.clock().now())
            .map(|t| l.date_time(t)),
        form: ClientForm::of(client),
        errors: FieldErrors::new(),
        form_error: None,
        consents: consents
            .items
            .into_iter()
            .map(|c| ConsentView {
                user_id: c.user_id.to_string(),
                email: c.email,
                scope: c.scope,
                granted: l.date(c.granted_at),
            })
            .collect(),
        consent_total: consents.total,
        newer: (page_no > 1).then(|| format!("{here}?page={}#consents", page_no - 1)),
        older: (shown < consents.total).then(|| format!("{here}?page={}#consents", page_no + 1)),
    })
}

fn page_number(raw: Option<&str>) -> u32 {
    raw.and_then(|p| p.parse::<u32>().ok()).filter(|p| (1..=100_000).contains(p)).unwrap_or(1)
}

/// `GET /admin/clients/{id}`
pub async fn show_client(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
    Path(id): Path<String>,
    Query(q): Query<ClientQuery>,
) -> Result<Response, WebError> {
    let client = state.core.oauth_client(&id).await?;
    let mut page = client_page(&state, &op, &csrf, &client, page_number(q.page.as_deref())).await?;
    let (jar, flashes) = flash::take(jar, &state);
    page.layout = page.layout.with_flashes(flashes);
    Ok((csrf, jar, page).into_response())
}

/// `POST /admin/clients/{id}`: changes the registration, if nobody changed it since the form
/// was read (the version it carries).
pub async fn update_client(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
    Path(id): Path<String>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let client = state.core.oauth_client(&id).await?;
    let mut form = ClientForm::posted(&fields);
    form.public = client.kind == ClientKind::Public;
    let version = Some(form.version.as_str()).filter(|v| !v.is_empty());
    let (status, errors, form_error) =
        match state.core.update_oauth_client(op.actor(), &client.client_id, form.changes(), version, &op.meta).await {
            Ok(changed) => {
                let l = crate::i18n::current();
                let jar = flash::push(jar, &state, Level::Success, l.t1("admin-clients-saved", "name", &changed.name));
                return Ok((jar, Redirect::to(&format!("/admin/clients/{}", changed.client_id))).into_response());
            }
            Err(Error::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, errors, None),
            Err(Error::Refused { code: Code::PreconditionFailed, .. }) => {
                let text = crate::i18n::current().t("admin-clients-changed-meanwhile");
                (StatusCode::CONFLICT, FieldErrors::new(), Some(text))
            }
            Err(e) => return Err(WebError(e)),
        };
    let mut page = client_page(&state, &op, &csrf, &client, 1).await?;
    page.form = form;
    page.errors = localized(errors, "admin-clients");
    page.form_error = form_error;
    Ok((status, csrf, page).into_response())
}

/// The secret-rotation confirmation, with the choice of how long the old secret keeps working.
#[derive(Template, WebTemplate)]
#[template(path = "admin/client_rotate.html")]
pub struct RotateSecretPage {
    layout: Layout,
    nav: AdminNav,
    csrf: String,
    client_id: String,
    message: String,
    overlaps: Vec<(u32, String)>,
    errors: FieldErrors,
}

/// How long the previous secret may keep working, in hours: the choices offered (up to
/// Core's seven days).
const OVERLAP_HOURS: [u32; 4] = [0, 1, 24, 168];

fn overlap_label(hours: u32) -> String {
    let l = crate::i18n::current();
    match hours {
        0 => l.t("admin-clients-overlap-none"),
        h if h % 24 == 0 => l.t1("admin-clients-overlap-days", "count", h / 24),
        h => l.t1("admin-clients-overlap-hours", "count", h),
    }
}

/// A confidential client by id; a public one has no secret: not found here.
async fn confidential(state: &AppState, id: &str) -> Result<Client, WebError> {
    let client = state.core.oauth_client(id).await?;
    if client.kind == ClientKind::Public {
        return Err(WebError(Error::NotFound));
    }
    Ok(client)
}

fn rotate_page(state: &AppState, op: &RequireOperator, csrf: &CsrfToken, client: &Client) -> RotateSecretPage {
    let l = crate::i18n::current();
    let title = l.t("admin-clients-rotate-title");
    let (layout, nav) = chrome(state, &op.session, csrf, AdminSection::Clients, Some(title));
    RotateSecretPage {
        layout,
        nav,
        csrf: csrf.value().to_owned(),
        client_id: client.client_id.clone(),
        message: l.t1("admin-clients-rotate-message", "name", &client.name),
        overlaps: OVERLAP_HOURS.iter().map(|h| (*h, overlap_label(*h))).collect(),
        errors: FieldErrors::new(),
    }
}

/// `GET /admin/clients/{id}/secret`: the confirmation (after a recent sign-in).
pub async fn confirm_rotate_client_secret(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let client = confidential(&state, &id).await?;
    let here = format!("/admin/clients/{}/secret", client.client_id);
    let jar = match super::recent_or_reauthenticate(&state, &op, jar, &here) {
        Ok(jar) => jar,
        Err(to_reauth) => return Ok(to_reauth),
    };
    let (jar, flashes) = flash::take(jar, &state);
    let mut page = rotate_page(&state, &op, &csrf, &client);
    page.layout = page.layout.with_flashes(flashes);
    Ok((csrf, jar, page).into_response())
}

/// The rotation form.
#[derive(Debug, Deserialize)]
pub struct RotateForm {
    #[serde(default)]
    keep_hours: String,
}

/// `POST /admin/clients/{id}/secret`: the new secret, shown on the answer this once.
pub async fn rotate_client_secret(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<RotateForm>,
) -> Result<Response, WebError> {
    let client = confidential(&state, &id).await?;
    if let Err(to_reauth) =
        super::recent_or_reauthenticate(&state, &op, jar, &format!("/admin/clients/{}/secret", client.client_id))
    {
        return Ok(to_reauth);
    }
    let hours = form.keep_hours.trim().parse::<u32>().ok().filter(|h| OVERLAP_HOURS.contains(h));
    let Some(hours) = hours else {
        let mut page = rotate_page(&state, &op, &csrf, &client);
        let text = crate::i18n::current().t("admin-clients-error-keep-previous-out-of-range");
        page.errors.add("keep_hours", "out_of_range", text);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response());
    };
    let keep = time::Duration::hours(i64::from(hours));
    let rotated = state.core.rotate_oauth_client_secret(op.actor(), &client.client_id, keep, &op.meta).await?;
    let heading = crate::i18n::current().t("admin-clients-rotated-title");
    let page = super::clients::secret_page(&state, &op, &csrf, heading, &rotated);
    Ok((csrf, page).into_response())
}

/// `GET /admin/clients/{id}/delete`: the confirmation (after a recent sign-in).
pub async fn confirm_delete_client(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let client = state.core.oauth_client(&id).await?;
    let here = format!("/admin/clients/{}/delete", client.client_id);
    let jar = match super::recent_or_reauthenticate(&state, &op, jar, &here) {
        Ok(jar) => jar,
        Err(to_reauth) => return Ok(to_reauth),
    };
    let consents = state.core.oauth_client_consents(op.actor(), &client.client_id, 0, 1).await?.total;
    let l = crate::i18n::current();
    let confirmation = super::operators::Confirmation {
        section: AdminSection::Clients,
        heading: l.t("admin-clients-delete-title"),
        message: l.t2("admin-clients-delete-message", "name", &client.name, "count", consents),
        button: l.t("admin-clients-delete"),
        action: here,
        cancel: format!("/admin/clients/{}", client.client_id),
    };
    Ok(confirmation.page(&state, &op, &csrf, jar))
}

/// `POST /admin/clients/{id}/delete`
pub async fn delete_client(
    State(state): State<AppState>,
    op: RequireOperator,
    jar: SignedCookieJar,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, WebError> {
    let client = state.core.oauth_client(&id).await?;
    let jar =
        match super::recent_or_reauthenticate(&state, &op, jar, &format!("/admin/clients/{}/delete", client.client_id))
        {
            Ok(jar) => jar,
            Err(to_reauth) => return Ok(to_reauth),
        };
    state.core.delete_oauth_client(op.actor(), &client.client_id, &op.meta).await?;
    let l = crate::i18n::current();
    let jar = flash::push(jar, &state, Level::Success, l.t1("admin-clients-deleted", "name", &client.name));
    Ok((jar, Redirect::to("/admin/clients")).into_response())
}
