//! The organization's "API tokens" page (`org:manage`): personal access tokens that reach only
//! this organization — for its SCIM provisioning from Entra ID or Okta and for its scripts.
//! Creating one shows it on the answer page, this once; the list shows its first characters,
//! scopes, expiry and last use, with Revoke. Each action is one core call that checks the
//! permission ([`keystead_core::Core::create_api_token`] and its neighbours).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::api_tokens::{ApiScope, ApiToken, DEFAULT_DAYS, NewApiToken};
use keystead_core::ids::ApiTokenId;
use keystead_core::organizations::{Actor, Permission};
use keystead_core::sessions::SessionInfo;
use keystead_core::{Error, FieldErrors};
use secrecy::ExposeSecret as _;
use serde::Deserialize;

use super::Layout;
use super::org_admin::{OrgChrome, chrome, date, load, org_of};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::extract::{ClientMeta, RequireSession};
use crate::flash::{self, Level};
use crate::state::AppState;

/// A scope checkbox.
#[derive(Debug, Clone)]
pub struct ScopeChoice {
    pub(crate) name: &'static str,
    /// What it allows, in the request's language.
    pub(crate) description: String,
    pub(crate) checked: bool,
}

/// A token as listed.
#[derive(Debug, Clone)]
pub struct TokenView {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) prefix: String,
    pub(crate) scopes: String,
    pub(crate) created: String,
    pub(crate) expires: String,
    pub(crate) last_used: String,
    pub(crate) revoked: bool,
}

/// The page.
#[derive(Template, WebTemplate)]
#[template(path = "org/tokens.html")]
pub struct TokensPage {
    layout: Layout,
    org: OrgChrome,
    csrf: String,
    tokens: Vec<TokenView>,
    scopes: Vec<ScopeChoice>,
    token_name: String,
    days: u32,
    errors: FieldErrors,
    /// The token just created, shown this once.
    created: Option<String>,
    scim_base: String,
}

/// Revoke a token.
#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    pub(crate) token: ApiTokenId,
}

pub(crate) fn view(t: ApiToken) -> TokenView {
    TokenView {
        id: t.id.to_string(),
        name: t.name,
        prefix: t.prefix,
        scopes: t.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" "),
        created: date(t.created_at),
        expires: t.expires_at.map(date).unwrap_or_else(|| crate::i18n::current().t("org-token-never")),
        last_used: t.last_used_at.map(date).unwrap_or_else(|| crate::i18n::current().t("org-token-never")),
        revoked: t.revoked_at.is_some(),
    }
}

pub(crate) fn choices(checked: &[String]) -> Vec<ScopeChoice> {
    ApiScope::ALL
        .into_iter()
        .filter(|s| s.for_organizations())
        .map(|s| ScopeChoice {
            name: s.as_str(),
            description: crate::i18n::current().t(&format!("org-scope-{}", s.as_str().replace(':', "-"))),
            checked: checked.iter().any(|c| c == s.as_str()),
        })
        .collect()
}

async fn page(state: &AppState, session: &SessionInfo, csrf: &CsrfToken, slug: &str) -> Result<TokensPage, Error> {
    let (org, perms, _) = load(state, session.user.id, slug).await.map_err(|e| e.0)?;
    if !perms.contains(Permission::OrgManage) {
        return Err(Error::Forbidden);
    }
    let tokens = state.core.api_tokens(Actor::User(session.user.id), Some(org.id)).await?;
    let layout = Layout::new(state, crate::i18n::current().t1("org-tokens-title", "org", &org.name))
        .signed_in(Some(session), csrf)
        .branded(org.brand_color.as_deref());
    Ok(TokensPage {
        layout,
        scim_base: format!("{}scim/v2/{}", state.core.config().public_url, org.slug),
        org: chrome(&org, perms, "tokens"),
        csrf: csrf.value().to_owned(),
        tokens: tokens.into_iter().map(view).collect(),
        scopes: choices(&[]),
        token_name: String::new(),
        days: DEFAULT_DAYS,
        errors: FieldErrors::new(),
        created: None,
    })
}

/// `GET /org/{slug}/tokens`
pub async fn show_org_tokens(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
) -> Result<Response, WebError> {
    let mut p = page(&state, &session, &csrf, &slug).await?;
    let (jar, flashes) = flash::take(jar, &state);
    p.layout = p.layout.with_flashes(flashes);
    Ok((csrf, jar, p).into_response())
}

/// `POST /org/{slug}/tokens`: the answer is the page with the new token on it, once (pages
/// are `no-store`); a refusal is the page with the errors next to the fields.
pub async fn create_org_token(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    Path(slug): Path<String>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let org = org_of(&state, session.user.id, &slug).await?;
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let scopes: Vec<String> = fields.iter().filter(|(k, _)| k == "scope").map(|(_, v)| v.clone()).collect();
    let name = field("name");
    let days = field("days").trim().parse::<u32>().ok();
    let new = NewApiToken { name: name.clone(), scopes: scopes.clone(), organization: Some(org.id), days };
    let made = state.core.create_api_token(Actor::User(session.user.id), new, &meta).await;
    let mut p = page(&state, &session, &csrf, &slug).await?;
    match made {
        Ok(made) => {
            p.created = Some(made.token.expose_secret().to_owned());
            Ok((csrf, p).into_response())
        }
        Err(Error::Invalid(errors)) => {
            p.token_name = name;
            p.days = days.unwrap_or(DEFAULT_DAYS);
            p.scopes = choices(&scopes);
            p.errors = errors.localized(crate::i18n::current());
            Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, p).into_response())
        }
        Err(e) => Err(WebError(e)),
    }
}

/// `POST /org/{slug}/tokens/revoke`
pub async fn revoke_org_token(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<RevokeForm>,
) -> Result<Response, WebError> {
    org_of(&state, session.user.id, &slug).await?;
    let jar = match state.core.revoke_api_token(Actor::User(session.user.id), form.token, &meta).await {
        Ok(()) => flash::push(jar, &state, Level::Success, crate::i18n::current().t("org-flash-token-revoked")),
        Err(Error::Refused { detail, .. }) => flash::push(jar, &state, Level::Error, detail),
        Err(e) => return Err(WebError(e)),
    };
    Ok((jar, Redirect::to(&format!("/org/{slug}/tokens"))).into_response())
}
