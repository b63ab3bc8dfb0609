//! The organization's "Single sign-on" admin page, for holders of `sso:manage` (owners, admins):
//! its connections to identity providers with what to register there, connecting an OpenID
//! Connect or SAML provider, enabling, disabling and removing, and the "members must sign in
//! through single sign-on" policy. Every action is one core call that checks the permission.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::ids::SsoConnectionId;
use keystead_core::organizations::{Actor, Permission};
use keystead_core::sessions::SessionInfo;
use keystead_core::sso::{ConnectionKind, NewOidcConnection, NewSamlConnection, SamlMetadataSource, SsoConnection};
use keystead_core::{Code, Error, FieldErrors};
use secrecy::SecretString;
use serde::Deserialize;

use super::Layout;
use super::org_admin::{OrgChrome, chrome, day, load, org_of};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::extract::{ClientMeta, RequireSession};
use crate::flash::{self, Level};
use crate::state::AppState;

/// The body limit of the SAML form: core accepts metadata up to 1 MiB, which URL-encoding can
/// triple (`<`, `>`, `"`, `/`, `=` and spaces become three bytes each), plus the other fields.
pub const SAML_FORM_BODY_LIMIT: usize = 3 * 1024 * 1024 + 64 * 1024;

/// True for the forms that take SAML metadata (`POST /org/{slug}/sso/saml` and
/// `/org/{slug}/sso/{id}/edit`), which are exempt from the server-wide body limit: pasted IdP
/// metadata is often larger; their routes set [`SAML_FORM_BODY_LIMIT`].
pub fn is_saml_form(path: &str) -> bool {
    let Some(rest) = path.strip_prefix("/org/") else { return false };
    let add = rest.strip_suffix("/sso/saml").is_some_and(|slug| !slug.is_empty() && !slug.contains('/'));
    // `/org/{slug}/sso/{id}/edit`: new metadata may be pasted there too.
    let edit = rest
        .strip_suffix("/edit")
        .and_then(|r| r.split_once("/sso/"))
        .is_some_and(|(slug, id)| !slug.is_empty() && !slug.contains('/') && id.parse::<SsoConnectionId>().is_ok());
    add || edit
}

/// A connection as listed.
#[derive(Debug, Clone)]
pub struct ConnectionView {
    id: String,
    name: String,
    kind: &'static str,
    saml: bool,
    issuer: String,
    client_id: String,
    enabled: bool,
    trust_idp_mfa: bool,
    rp_logout: bool,
    redirect_uri: String,
    sp_metadata_url: String,
    acs_url: String,
    added: String,
}

/// What the OpenID Connect form shows again after a refusal (never the client secret).
#[derive(Debug, Clone, Default)]
pub struct OidcValues {
    name: String,
    issuer: String,
    client_id: String,
    scopes: String,
    trust_idp_mfa: bool,
    rp_logout: bool,
}

/// What the SAML form shows again after a refusal.
#[derive(Debug, Clone, Default)]
pub struct SamlValues {
    name: String,
    metadata_url: String,
    metadata: String,
    trust_idp_mfa: bool,
}

/// The page.
#[derive(Template, WebTemplate)]
#[template(path = "org/sso.html")]
pub struct SsoAdminPage {
    layout: Layout,
    org: OrgChrome,
    csrf: String,
    connections: Vec<ConnectionView>,
    any_enabled: bool,
    sso_required: bool,
    redirect_uri: String,
    oidc: OidcValues,
    saml: SamlValues,
    oidc_errors: FieldErrors,
    saml_errors: FieldErrors,
    policy_errors: FieldErrors,
}

/// "Connect an OpenID Connect provider".
#[derive(Debug, Deserialize)]
pub struct OidcForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    client_secret: String,
    #[serde(default)]
    scopes: String,
    trust_idp_mfa: Option<String>,
    rp_logout: Option<String>,
}

/// "Connect a SAML identity provider".
#[derive(Debug, Deserialize)]
pub struct SamlForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    metadata_url: String,
    #[serde(default)]
    metadata: String,
    trust_idp_mfa: Option<String>,
}

/// Enable or disable a connection.
#[derive(Debug, Deserialize)]
pub struct EnableForm {
    connection: SsoConnectionId,
    enabled: bool,
}

/// A form naming a connection.
#[derive(Debug, Deserialize)]
pub struct ConnectionForm {
    connection: SsoConnectionId,
}

/// "Members must sign in through single sign-on".
#[derive(Debug, Deserialize)]
pub struct PolicyForm {
    sso_required: Option<String>,
}

fn connection_view(c: SsoConnection) -> ConnectionView {
    ConnectionView {
        id: c.id.to_string(),
        name: c.name,
        kind: match c.kind {
            ConnectionKind::Oidc => "OpenID Connect",
            ConnectionKind::Saml => "SAML 2.0",
        },
        saml: c.kind == ConnectionKind::Saml,
        issuer: c.issuer,
        client_id: c.client_id.unwrap_or_default(),
        enabled: c.enabled,
        trust_idp_mfa: c.trust_idp_mfa,
        rp_logout: c.rp_logout,
        redirect_uri: c.redirect_uri.unwrap_or_default(),
        sp_metadata_url: c.sp_metadata_url.unwrap_or_default(),
        acs_url: c.acs_url.unwrap_or_default(),
        added: day(c.created_at),
    }
}

/// The page of the organization `slug` (`sso:manage`), with empty forms and no errors.
async fn sso_page(
    state: &AppState,
    session: &SessionInfo,
    csrf: &CsrfToken,
    slug: &str,
) -> Result<SsoAdminPage, Error> {
    let (org, perms, _) = load(state, session.user.id, slug).await.map_err(|e| e.0)?;
    if !perms.contains(Permission::SsoManage) {
        return Err(Error::Forbidden);
    }
    let actor = Actor::User(session.user.id);
    let connections: Vec<ConnectionView> =
        state.core.sso_connections(actor, org.id).await?.into_iter().map(connection_view).collect();
    let sso_required = state.core.sso_required(actor, org.id).await?;
    let layout = Layout::new(state, crate::i18n::current().t1("org-sso-title", "org", &org.name))
        .signed_in(Some(session), csrf)
        .branded(org.brand_color.as_deref());
    Ok(SsoAdminPage {
        layout,
        org: chrome(&org, perms, "sso"),
        csrf: csrf.value().to_owned(),
        any_enabled: connections.iter().any(|c| c.enabled),
        connections,
        sso_required,
        redirect_uri: state.core.sso_redirect_uri().to_string(),
        oidc: OidcValues::default(),
        saml: SamlValues::default(),
        oidc_errors: FieldErrors::new(),
        saml_errors: FieldErrors::new(),
        policy_errors: FieldErrors::new(),
    })
}

/// After an action: its message on the page again, or a refusal core explains.
fn answer(state: &AppState, jar: SignedCookieJar, slug: &str, result: Result<String, Error>) -> Response {
    let jar = match result {
        Ok(message) => flash::push(jar, state, Level::Success, message),
        Err(Error::Invalid(errors)) => {
            let errors = errors.localized(crate::i18n::current());
            let text = errors.0.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join(" ");
            flash::push(jar, state, Level::Error, text)
        }
        Err(Error::Conflict(Code::SsoRequiredNeedsConnection)) => {
            flash::push(jar, state, Level::Error, crate::i18n::current().t("org-sso-required-needs-connection"))
        }
        Err(e) => return WebError(e).into_response(),
    };
    (jar, Redirect::to(&format!("/org/{slug}/sso"))).into_response()
}

/// After a form: its message on the page (post-redirect-get), the page again with the form's
/// field errors put in place by `fill` (422), or a refusal core explains.
async fn answer_form(
    state: &AppState,
    session: &SessionInfo,
    csrf: CsrfToken,
    jar: SignedCookieJar,
    slug: &str,
    result: Result<String, Error>,
    fill: impl FnOnce(&mut SsoAdminPage, FieldErrors),
) -> Response {
    let Err(Error::Invalid(errors)) = result else { return answer(state, jar, slug, result) };
    match sso_page(state, session, &csrf, slug).await {
        Ok(mut page) => {
            fill(&mut page, errors.localized(crate::i18n::current()));
            (StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response()
        }
        Err(e) => WebError(e).into_response(),
    }
}

/// `GET /org/{slug}/sso`
pub async fn show_org_sso(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
) -> Result<Response, WebError> {
    let mut page = sso_page(&state, &session, &csrf, &slug).await?;
    let (jar, flashes) = flash::take(jar, &state);
    page.layout = page.layout.with_flashes(flashes);
    Ok((csrf, jar, page).into_response())
}

/// Scopes as typed: separated by spaces or commas.
pub(super) fn scopes(raw: &str) -> Vec<String> {
    raw.split(|c: char| c.is_whitespace() || c == ',').filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// `POST /org/{slug}/sso/oidc`: core fetches the issuer's discovery before saving.
pub async fn add_org_oidc_connection(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<OidcForm>,
) -> Result<Response, WebError> {
    let org = org_of(&state, session.user.id, &slug).await?;
    let values = OidcValues {
        name: form.name,
        issuer: form.issuer,
        client_id: form.client_id,
        scopes: form.scopes,
        trust_idp_mfa: form.trust_idp_mfa.is_some(),
        rp_logout: form.rp_logout.is_some(),
    };
    let new = NewOidcConnection {
        name: values.name.clone(),
        issuer: values.issuer.clone(),
        client_id: values.client_id.clone(),
        client_secret: SecretString::from(form.client_secret),
        scopes: scopes(&values.scopes),
        claim_mapping: None,
        trust_idp_mfa: values.trust_idp_mfa,
        rp_logout: values.rp_logout,
    };
    let result = state.core.add_oidc_connection(Actor::User(session.user.id), org.id, new, &meta).await;
    let result = result.map(|c| crate::i18n::current().t1("org-flash-oidc-connected", "name", c.name));
    Ok(answer_form(&state, &session, csrf, jar, &slug, result, |page, errors| {
        page.oidc = values;
        page.oidc_errors = errors;
    })
    .await)
}

/// The metadata the SAML form names: the pasted XML, else the URL (an empty URL is refused by
/// core with a message on that field). Both at once is ambiguous, and refused here.
pub(super) fn saml_source(url: &str, xml: &str) -> Result<SamlMetadataSource, Error> {
    let (url, xml) = (url.trim(), xml.trim());
    match (url.is_empty(), xml.is_empty()) {
        (false, false) => Err(Error::invalid(
            "metadata",
            "metadata_twice",
            "Give either the metadata URL or the metadata XML, not both.",
        )),
        (_, false) => Ok(SamlMetadataSource::Xml(xml.to_owned())),
        (_, true) => Ok(SamlMetadataSource::Url(url.to_owned())),
    }
}

/// `POST /org/{slug}/sso/saml`: the metadata is fetched (or taken as pasted) and parsed by core
/// before anything is saved.
pub async fn add_org_saml_connection(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<SamlForm>,
) -> Result<Response, WebError> {
    let org = org_of(&state, session.user.id, &slug).await?;
    let values = SamlValues {
        name: form.name,
        metadata_url: form.metadata_url,
        metadata: form.metadata,
        trust_idp_mfa: form.trust_idp_mfa.is_some(),
    };
    let result = match saml_source(&values.metadata_url, &values.metadata) {
        Ok(metadata) => {
            let new = NewSamlConnection {
                name: values.name.clone(),
                metadata,
                claim_mapping: None,
                trust_idp_mfa: values.trust_idp_mfa,
            };
            state.core.add_saml_connection(Actor::User(session.user.id), org.id, new, &meta).await
        }
        Err(e) => Err(e),
    };
    let result = result.map(|c| crate::i18n::current().t1("org-flash-saml-connected", "name", c.name));
    Ok(answer_form(&state, &session, csrf, jar, &slug, result, |page, errors| {
        page.saml = values;
        page.saml_errors = errors;
    })
    .await)
}

/// `POST /org/{slug}/sso/enable`: enables or disables a connection.
pub async fn enable_org_sso_connection(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<EnableForm>,
) -> Result<Response, WebError> {
    let org = org_of(&state, session.user.id, &slug).await?;
    let actor = Actor::User(session.user.id);
    let result = state.core.set_sso_connection_enabled(actor, org.id, form.connection, form.enabled, &meta).await;
    let done = if form.enabled { "org-flash-sso-enabled" } else { "org-flash-sso-disabled" };
    Ok(answer(&state, jar, &slug, result.map(|()| crate::i18n::current().t(done))))
}

/// `POST /org/{slug}/sso/remove`: the identities linked through it go with it; accounts stay.
pub async fn remove_org_sso_connection(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<ConnectionForm>,
) -> Result<Response, WebError> {
    let org = org_of(&state, session.user.id, &slug).await?;
    let result = state.core.remove_sso_connection(Actor::User(session.user.id), org.id, form.connection, &meta).await;
    Ok(answer(&state, jar, &slug, result.map(|()| crate::i18n::current().t("org-flash-sso-removed"))))
}

/// `POST /org/{slug}/sso/policy`: "Members must sign in through single sign-on".
pub async fn submit_org_sso_policy(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<PolicyForm>,
) -> Result<Response, WebError> {
    let org = org_of(&state, session.user.id, &slug).await?;
    let required = form.sso_required.is_some();
    let result = state.core.set_sso_required(Actor::User(session.user.id), org.id, required, &meta).await;
    let done = if required { "org-flash-sso-required-on" } else { "org-flash-sso-required-off" };
    let result = result.map(|()| crate::i18n::current().t(done));
    Ok(answer_form(&state, &session, csrf, jar, &slug, result, |page, errors| page.policy_errors = errors).await)
}
