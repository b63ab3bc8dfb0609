//! "Edit connection" on the organization's single sign-on page (`sso:manage`): rename it, rotate
//! an OpenID Connect client secret (left empty, the current one stays), change the client id,
//! scopes and options, or give a SAML IdP's metadata again (the same IdP entity). One core call,
//! [`keystead_core::Core::update_sso_connection`], checks and saves it all.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::ids::SsoConnectionId;
use keystead_core::organizations::{Actor, Permission};
use keystead_core::sessions::SessionInfo;
use keystead_core::sso::{ConnectionChanges, ConnectionKind, SsoConnection};
use keystead_core::{Error, FieldErrors};
use secrecy::SecretString;
use serde::Deserialize;

use super::Layout;
use super::org_admin::{OrgChrome, chrome, load};
use super::org_sso::{saml_source, scopes};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::extract::{ClientMeta, RequireSession};
use crate::flash::{self, Level};
use crate::state::AppState;

/// The form's values (never the client secret).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EditForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    client_secret: String,
    #[serde(default)]
    scopes: String,
    #[serde(default)]
    metadata_url: String,
    #[serde(default)]
    metadata: String,
    trust_idp_mfa: Option<String>,
    rp_logout: Option<String>,
}

/// The page.
#[derive(Template, WebTemplate)]
#[template(path = "org/sso_edit.html")]
pub struct SsoEditPage {
    layout: Layout,
    org: OrgChrome,
    csrf: String,
    id: String,
    saml: bool,
    issuer: String,
    current_metadata_url: String,
    values: EditForm,
    errors: FieldErrors,
}

fn values_of(c: &SsoConnection) -> EditForm {
    EditForm {
        name: c.name.clone(),
        client_id: c.client_id.clone().unwrap_or_default(),
        scopes: c.scopes.join(" "),
        trust_idp_mfa: c.trust_idp_mfa.then(|| "on".to_owned()),
        rp_logout: c.rp_logout.then(|| "on".to_owned()),
        ..EditForm::default()
    }
}

async fn page(
    state: &AppState,
    session: &SessionInfo,
    csrf: &CsrfToken,
    slug: &str,
    id: SsoConnectionId,
) -> Result<(SsoEditPage, SsoConnection), Error> {
    let (org, perms, _) = load(state, session.user.id, slug).await.map_err(|e| e.0)?;
    if !perms.contains(Permission::SsoManage) {
        return Err(Error::Forbidden);
    }
    let connections = state.core.sso_connections(Actor::User(session.user.id), org.id).await?;
    let c = connections.into_iter().find(|c| c.id == id).ok_or(Error::NotFound)?;
    let layout = Layout::new(state, crate::i18n::current().t1("org-sso-edit-title", "name", &c.name))
        .signed_in(Some(session), csrf)
        .branded(org.brand_color.as_deref());
    let page = SsoEditPage {
        layout,
        org: chrome(&org, perms, "sso"),
        csrf: csrf.value().to_owned(),
        id: c.id.to_string(),
        saml: c.kind == ConnectionKind::Saml,
        issuer: c.issuer.clone(),
        current_metadata_url: c.metadata_url.clone().unwrap_or_default(),
        values: values_of(&c),
        errors: FieldErrors::new(),
    };
    Ok((page, c))
}

fn connection_id(raw: &str) -> Result<SsoConnectionId, WebError> {
    raw.parse().map_err(|_| WebError(Error::NotFound))
}

/// `GET /org/{slug}/sso/{id}/edit`
pub async fn show_org_sso_edit(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (page, _) = page(&state, &session, &csrf, &slug, connection_id(&id)?).await?;
    Ok((csrf, page).into_response())
}

/// What the form asks to change: the name, the options (unchecked boxes turn them off), and
/// per protocol the client id, scopes and a non-empty secret, or new metadata when given.
fn changes(form: &EditForm, saml: bool) -> Result<ConnectionChanges, Error> {
    let mut c = ConnectionChanges {
        name: Some(form.name.clone()),
        trust_idp_mfa: Some(form.trust_idp_mfa.is_some()),
        ..ConnectionChanges::default()
    };
    if saml {
        let given = !form.metadata_url.trim().is_empty() || !form.metadata.trim().is_empty();
        c.metadata = if given { Some(saml_source(&form.metadata_url, &form.metadata)?) } else { None };
    } else {
        c.client_id = Some(form.client_id.clone());
        c.scopes = Some(scopes(&form.scopes));
        c.rp_logout = Some(form.rp_logout.is_some());
        c.client_secret =
            Some(form.client_secret.trim()).filter(|s| !s.is_empty()).map(|s| SecretString::from(s.to_owned()));
    }
    Ok(c)
}

/// `POST /org/{slug}/sso/{id}/edit`
pub async fn submit_org_sso_edit(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path((slug, id)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<EditForm>,
) -> Result<Response, WebError> {
    let id = connection_id(&id)?;
    let (mut page, current) = page(&state, &session, &csrf, &slug, id).await?;
    let result = match changes(&form, page.saml) {
        Ok(changes) => {
            state
                .core
                .update_sso_connection(Actor::User(session.user.id), current.organization_id, id, changes, &meta)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(c) => {
            let jar = flash::push(
                jar,
                &state,
                Level::Success,
                crate::i18n::current().t1("org-flash-sso-saved", "name", c.name),
            );
            Ok((jar, Redirect::to(&format!("/org/{slug}/sso"))).into_response())
        }
        Err(Error::Invalid(errors)) => {
            page.values = EditForm { client_secret: String::new(), ..form };
            page.errors = errors.localized(crate::i18n::current());
            Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response())
        }
        Err(e) => Err(WebError(e)),
    }
}
