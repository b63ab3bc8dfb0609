//! Console → Agreements: every version by key with its acceptance count, a version's text and
//! who accepted it, and publishing a new version with a preview rendered on the server exactly
//! as users see it (the Preview button posts the form to the preview action, which shows the
//! form again under the rendered text; no JavaScript).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::agreements::admin::AgreementVersion;
use keystead_core::agreements::{AgreementId, markdown};
use keystead_core::{Error, FieldErrors};
use serde::Deserialize;

use super::client_form::localized;
use super::{AdminNav, AdminSection, RequireOperator, chrome};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::flash::{self, Level};
use crate::state::AppState;
use crate::ui::Layout;

const HOME: &str = "/admin/agreements";

/// Acceptances a page on a version's page.
const ACCEPTORS_PER_PAGE: u32 = 50;

/// A version as listed.
#[derive(Debug, Clone)]
pub struct VersionView {
    pub(crate) id: String,
    pub(crate) version: i64,
    pub(crate) title: String,
    pub(crate) required: bool,
    pub(crate) published: String,
    pub(crate) acceptances: String,
    /// The newest version of its key (the one users are asked to accept).
    pub(crate) current: bool,
}

/// The versions of one key, newest first.
#[derive(Debug, Clone)]
pub struct KeyGroup {
    pub(crate) key: String,
    pub(crate) versions: Vec<VersionView>,
}

/// The list.
#[derive(Template, WebTemplate)]
#[template(path = "admin/agreements.html")]
pub struct AgreementsPage {
    layout: Layout,
    nav: AdminNav,
    groups: Vec<KeyGroup>,
}

/// The publishing form, with the rendered preview once asked for.
#[derive(Template, WebTemplate)]
#[template(path = "admin/agreement_new.html")]
pub struct PublishPage {
    layout: Layout,
    nav: AdminNav,
    csrf: String,
    form: PublishForm,
    errors: FieldErrors,
    /// The text as users will see it (HTML made safe by the renderer).
    preview: Option<String>,
    /// Under the key: its next version number when it has versions, else what a key is.
    key_hint: String,
}

/// Someone who accepted, as listed.
#[derive(Debug, Clone)]
pub struct AcceptorView {
    pub(crate) user_id: String,
    pub(crate) email: String,
    pub(crate) accepted: String,
}

/// One version.
#[derive(Template, WebTemplate)]
#[template(path = "admin/agreement.html")]
pub struct VersionPage {
    layout: Layout,
    nav: AdminNav,
    key: String,
    version: i64,
    title: String,
    required: bool,
    published: String,
    acceptances: String,
    body_html: String,
    acceptors: Vec<AcceptorView>,
    more: Option<String>,
    first: Option<String>,
}

/// The publishing form's fields.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PublishForm {
    #[serde(default)]
    pub(crate) key: String,
    #[serde(default)]
    pub(crate) title: String,
    #[serde(default)]
    pub(crate) body: String,
    #[serde(default)]
    pub(crate) required: Option<String>,
}

/// `?key=` to start a new version of a key from its newest text.
#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    key: Option<String>,
}

/// `?after=` on a version's page: the acceptance the page starts after.
#[derive(Debug, Default, Deserialize)]
pub struct VersionQuery {
    #[serde(default)]
    after: Option<String>,
}

fn groups(versions: Vec<AgreementVersion>) -> Vec<KeyGroup> {
    let l = crate::i18n::current();
    let mut out: Vec<KeyGroup> = Vec::new();
    for v in versions {
        let a = v.agreement;
        let view = VersionView {
            id: a.id.to_string(),
            version: a.version,
            title: a.title,
            required: a.required,
            published: l.date(a.published_at),
            acceptances: l.number(v.acceptances),
            current: out.last().is_none_or(|g| g.key != a.key),
        };
        match out.last_mut() {
            Some(g) if g.key == a.key => g.versions.push(view),
            _ => out.push(KeyGroup { key: a.key, versions: vec![view] }),
        }
    }
    out
}

/// `GET /admin/agreements`
pub async fn show_agreement_versions(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
) -> Result<Response, WebError> {
    let versions = state.core.agreement_versions(op.actor()).await?;
    let (layout, nav) = chrome(&state, &op.session, &csrf, AdminSection::Agreements, None);
    let (jar, flashes) = flash::take(jar, &state);
    let page = AgreementsPage { layout: layout.with_flashes(flashes), nav, groups: groups(versions) };
    Ok((csrf, jar, page).into_response())
}

async fn publish_page(
    state: &AppState,
    op: &RequireOperator,
    csrf: &CsrfToken,
    form: PublishForm,
) -> Result<PublishPage, Error> {
    let key = form.key.trim();
    let latest = state.core.agreement_versions(op.actor()).await?.into_iter().find(|v| v.agreement.key == key);
    let l = crate::i18n::current();
    let (layout, nav) =
        chrome(state, &op.session, csrf, AdminSection::Agreements, Some(l.t("admin-agreements-new-title")));
    Ok(PublishPage {
        layout,
        nav,
        csrf: csrf.value().to_owned(),
        form,
        errors: FieldErrors::new(),
        preview: None,
        key_hint: match latest {
            Some(v) => l.t1("admin-agreements-key-next", "version", v.agreement.version + 1),
            None => l.t("admin-agreements-key-hint"),
        },
    })
}

/// `GET /admin/agreements/new`: an empty form, or with `?key=` the newest version's title and
/// text to start the next one from.
pub async fn show_new_agreement(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    Query(q): Query<NewQuery>,
) -> Result<Response, WebError> {
    let mut form = PublishForm::default();
    if let Some(key) = q.key.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        let versions = state.core.agreement_versions(op.actor()).await?;
        let latest = versions.into_iter().find(|v| v.agreement.key == key).ok_or(Error::NotFound)?;
        let a = latest.agreement;
        form = PublishForm { key: a.key, title: a.title, body: a.body, required: a.required.then(|| "on".to_owned()) };
    }
    let page = publish_page(&state, &op, &csrf, form).await?;
    Ok((csrf, page).into_response())
}

/// `POST /admin/agreements/preview`: the form again, with the text rendered as users see it.
pub async fn preview_agreement(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    CsrfForm(form): CsrfForm<PublishForm>,
) -> Result<Response, WebError> {
    let body = form.body.clone();
    let mut page = publish_page(&state, &op, &csrf, form).await?;
    page.preview = Some(markdown::render(&body));
    Ok((csrf, page).into_response())
}

/// `POST /admin/agreements`: publishes the version; errors stay on the form (422).
pub async fn publish_agreement_version(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<PublishForm>,
) -> Result<Response, WebError> {
    let required = form.required.as_deref().is_some_and(|v| !v.is_empty());
    let published = state.core.publish_agreement(&form.key, &form.title, &form.body, required, &op.meta).await;
    let errors = match published {
        Ok(a) => {
            let l = crate::i18n::current();
            let text = l.t2("admin-agreements-published", "key", a.key.as_str(), "version", a.version);
            let jar = flash::push(jar, &state, Level::Success, text);
            return Ok((jar, Redirect::to(&format!("{HOME}/{}", a.id))).into_response());
        }
        Err(Error::Invalid(errors)) => errors,
        Err(Error::Conflict(_)) => {
            let mut errors = FieldErrors::new();
            errors.add("key", "published_meanwhile", "This version was published a moment ago.");
            errors
        }
        Err(e) => return Err(WebError(e)),
    };
    let mut page = publish_page(&state, &op, &csrf, form).await?;
    page.errors = localized(errors, "admin-agreements");
    Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response())
}

/// `GET /admin/agreements/{id}`: the version as users read it, and who accepted it.
pub async fn show_agreement_version(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
    Path(id): Path<String>,
    Query(q): Query<VersionQuery>,
) -> Result<Response, WebError> {
    let id: AgreementId = super::parse_id(&id)?;
    let after = q.after.as_deref().and_then(|a| uuid::Uuid::parse_str(a).ok());
    let v = state.core.agreement_version(op.actor(), id).await?;
    let accepted = state.core.agreement_acceptances(op.actor(), id, after, ACCEPTORS_PER_PAGE).await?;
    let l = crate::i18n::current();
    let a = v.agreement;
    let title = l.t2("admin-agreements-version-title", "key", a.key.as_str(), "version", a.version);
    let (layout, nav) = chrome(&state, &op.session, &csrf, AdminSection::Agreements, Some(title));
    let (jar, flashes) = flash::take(jar, &state);
    let here = format!("{HOME}/{id}");
    let page = VersionPage {
        layout: layout.with_flashes(flashes),
        nav,
        body_html: a.body_html(),
        key: a.key,
        version: a.version,
        title: a.title,
        required: a.required,
        published: l.date_time(a.published_at),
        acceptances: l.number(v.acceptances),
        acceptors: accepted
            .items
            .into_iter()
            .map(|x| AcceptorView {
                user_id: x.user_id.to_string(),
                email: x.email,
                accepted: l.date_time(x.accepted_at),
            })
            .collect(),
        more: accepted.next.map(|n| format!("{here}?after={n}#acceptances")),
        first: after.map(|_| format!("{here}#acceptances")),
    };
    Ok((csrf, jar, page).into_response())
}
