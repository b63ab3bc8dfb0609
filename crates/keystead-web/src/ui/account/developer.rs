//! My Account → Developer: the API tokens the user made (for SCIM provisioning and scripts), in
//! every organization they administer, with Revoke; and a form to make one for any of those
//! organizations. The same core calls as an organization's API tokens page: each checks
//! `org:manage` itself.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::api_tokens::{DEFAULT_DAYS, NewApiToken};
use keystead_core::ids::OrganizationId;
use keystead_core::organizations::Actor;
use keystead_core::sessions::SessionInfo;
use keystead_core::{Error, FieldErrors};
use secrecy::ExposeSecret as _;

use super::{NavSection, Section, chrome};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::extract::{ClientMeta, RequireSession};
use crate::flash::{self, Level};
use crate::state::AppState;
use crate::ui::Layout;
use crate::ui::org_tokens::{RevokeForm, ScopeChoice, TokenView, choices, view};

/// A token as listed here: with its organization.
#[derive(Debug, Clone)]
pub struct MyTokenView {
    token: TokenView,
    organization: String,
}

/// An organization of the form's choice.
#[derive(Debug, Clone)]
pub struct OrgChoice {
    id: String,
    name: String,
    slug: String,
    selected: bool,
}

/// The page.
#[derive(Template, WebTemplate)]
#[template(path = "account/developer.html")]
pub struct DeveloperPage {
    layout: Layout,
    nav: Vec<NavSection>,
    csrf: String,
    tokens: Vec<MyTokenView>,
    organizations: Vec<OrgChoice>,
    scopes: Vec<ScopeChoice>,
    token_name: String,
    days: u32,
    errors: FieldErrors,
    /// The token just created, shown this once, with the SCIM base URL of its organization.
    created: Option<(String, String)>,
}

async fn page(state: &AppState, session: &SessionInfo, csrf: &CsrfToken) -> Result<DeveloperPage, Error> {
    let mine = state.core.my_api_tokens(session.user.id).await?;
    let (layout, nav) = chrome(state, session, csrf, Section::Developer);
    let gone = crate::i18n::current().t("acct-dev-org-gone");
    Ok(DeveloperPage {
        layout,
        nav,
        csrf: csrf.value().to_owned(),
        tokens: mine
            .tokens
            .into_iter()
            .map(|t| MyTokenView {
                organization: t.organization.unwrap_or_else(|| gone.to_owned()),
                token: view(t.token),
            })
            .collect(),
        organizations: mine
            .organizations
            .into_iter()
            .map(|o| OrgChoice { id: o.id.to_string(), name: o.name, slug: o.slug, selected: false })
            .collect(),
        scopes: choices(&[]),
        token_name: String::new(),
        days: DEFAULT_DAYS,
        errors: FieldErrors::new(),
        created: None,
    })
}

/// `GET /account/developer`
pub async fn show_developer(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
) -> Result<Response, WebError> {
    let mut p = page(&state, &session, &csrf).await?;
    let (jar, flashes) = flash::take(jar, &state);
    p.layout = p.layout.with_flashes(flashes);
    Ok((csrf, jar, p).into_response())
}

/// `POST /account/developer/tokens`: the answer is the page with the new token on it, once
/// (pages are `no-store`); a refusal is the page with the errors next to the fields.
pub async fn create_my_api_token(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let scopes: Vec<String> = fields.iter().filter(|(k, _)| k == "scope").map(|(_, v)| v.clone()).collect();
    let (name, org_field) = (field("name"), field("organization"));
    let days = field("days").trim().parse::<u32>().ok();
    let mut p = page(&state, &session, &csrf).await?;
    // Only an organization offered here: anything else is the same answer as choosing none.
    let chosen = p.organizations.iter().find(|o| o.id == org_field).cloned();
    let made = match chosen.as_ref().and_then(|o| o.id.parse::<OrganizationId>().ok()) {
        Some(org) => {
            let new = NewApiToken { name: name.clone(), scopes: scopes.clone(), organization: Some(org), days };
            state.core.create_api_token(Actor::User(session.user.id), new, &meta).await
        }
        None => Err(Error::invalid("organization", "required", "Choose the organization the token reaches.")),
    };
    match made {
        Ok(made) => {
            let slug = chosen.map(|o| o.slug).unwrap_or_default();
            let scim = format!("{}scim/v2/{slug}", state.core.config().public_url);
            p = page(&state, &session, &csrf).await?;
            p.created = Some((made.token.expose_secret().to_owned(), scim));
            Ok((csrf, p).into_response())
        }
        Err(Error::Invalid(errors)) => {
            p.token_name = name;
            p.days = days.unwrap_or(DEFAULT_DAYS);
            p.scopes = choices(&scopes);
            for o in &mut p.organizations {
                o.selected = o.id == org_field;
            }
            p.errors = super::localize_errors(errors, "token");
            Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, p).into_response())
        }
        Err(e) => Err(WebError(e)),
    }
}

/// `POST /account/developer/tokens/revoke`
pub async fn revoke_my_api_token(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<RevokeForm>,
) -> Result<Response, WebError> {
    let jar = match state.core.revoke_api_token(Actor::User(session.user.id), form.token, &meta).await {
        Ok(()) => flash::push(jar, &state, Level::Success, crate::i18n::current().t("acct-token-revoked-flash")),
        Err(Error::Refused { detail, .. }) => flash::push(jar, &state, Level::Error, detail),
        Err(Error::NotFound | Error::Forbidden) => {
            flash::push(jar, &state, Level::Error, crate::i18n::current().t("acct-token-not-yours"))
        }
        Err(e) => return Err(WebError(e)),
    };
    Ok((jar, Redirect::to("/account/developer")).into_response())
}
