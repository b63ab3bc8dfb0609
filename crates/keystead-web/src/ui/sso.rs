//! Single sign-on pages: "you are going to your organization's provider", the start of the round
//! trip (state cookie, redirect) for a connection or a social preset, the OpenID Connect callback, our SAML metadata and the SAML
//! assertion consumer service, and the page that explains a failed round trip.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use keystead_core::Error;
use keystead_core::ids::SsoConnectionId;
use keystead_core::organizations::logo::OrganizationBrand;
use keystead_core::sessions::SessionStage;
use keystead_core::sso::{FederatedSignIn, OidcCallback, SocialProvider};
use serde::Deserialize;

use super::{Layout, safe_return_to};
use crate::error::WebError;
use crate::extract::ClientMeta;
use crate::extract::start_session;
use crate::state::AppState;

/// The cookie that binds a round trip to the browser that started it.
const STATE_COOKIE: &str = "keystead-sso";

/// True for a SAML assertion consumer service path: the IdP posts there from its own site, so
/// the CSRF layer lets it through (the response's signature, `InResponseTo` and the state
/// cookie protect it).
pub fn is_saml_acs(path: &str) -> bool {
    path.strip_prefix("/sso/saml/").and_then(|rest| rest.strip_suffix("/acs")).is_some_and(|id| !id.contains('/'))
}

/// "You are going to …": the email step found the address's organization provider.
#[derive(Template, WebTemplate)]
#[template(path = "auth/sso_going.html")]
pub struct SsoGoingPage {
    layout: Layout,
    connection_name: String,
    organization: String,
    /// The organization's logo, or `None` for its initials.
    logo: Option<String>,
    initials: String,
    start_href: String,
}

/// A round trip that failed, with what went wrong.
#[derive(Template, WebTemplate)]
#[template(path = "auth/sso_failed.html")]
pub struct SsoFailedPage {
    layout: Layout,
    message: String,
    code: String,
}

/// The page the email steps of sign-in and registration show for an address whose domain
/// belongs to an organization with single sign-on.
pub fn sso_going_page(
    state: &AppState,
    connection: SsoConnectionId,
    connection_name: String,
    organization: OrganizationBrand,
    email: &str,
    return_to: Option<&str>,
) -> Response {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair("login_hint", email);
    if let Some(r) = return_to {
        q.append_pair("return_to", r);
    }
    let start_href = format!("/sso/start/{connection}?{}", q.finish());
    let layout = Layout::titled(state, "auth-sso-going-title").branded(organization.color.as_deref());
    SsoGoingPage {
        layout,
        connection_name,
        logo: super::brand::organization_logo_url(&organization),
        initials: keystead_core::organizations::logo::initials(&organization.name),
        organization: organization.name,
        start_href,
    }
    .into_response()
}

/// `?return_to=&login_hint=`
#[derive(Debug, Deserialize)]
pub struct StartQuery {
    return_to: Option<String>,
    login_hint: Option<String>,
}

fn state_cookie(state: &AppState, value: String) -> Cookie<'static> {
    // The SAML response arrives by a POST from the IdP's site: over HTTPS the cookie must be
    // SameSite=None to come with it (Secure, __Host-); plain HTTP is for development only.
    let same_site = if state.secure_cookies() { SameSite::None } else { SameSite::Lax };
    Cookie::build((state.cookie_name(STATE_COOKIE), value))
        .path("/")
        .http_only(true)
        .secure(state.secure_cookies())
        .same_site(same_site)
        .max_age(time::Duration::minutes(10))
        .build()
}

fn parse_connection(raw: &str) -> Result<SsoConnectionId, WebError> {
    raw.parse().map_err(|_| WebError(Error::NotFound))
}

/// `GET /sso/start/{id}`: to the provider, with the state in a cookie.
pub async fn start_sso(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<StartQuery>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let id = parse_connection(&id)?;
    let return_to = safe_return_to(q.return_to.as_deref());
    let hint = q.login_hint.as_deref().map(str::trim).filter(|h| !h.is_empty() && h.len() <= 320);
    match state.core.begin_sso(id, return_to.as_deref(), hint, Some(crate::i18n::current())).await {
        Ok(redirect) => {
            let jar = jar.add(state_cookie(&state, redirect.state));
            Ok((jar, Redirect::to(redirect.url.as_str())).into_response())
        }
        Err(e) => Ok(failure(&state, e)),
    }
}

/// A "Continue with …" button of a social preset on the sign-in and registration pages.
#[derive(Debug, Clone)]
pub struct SocialButton {
    /// The preset's key (`google`), for the icon class.
    pub key: &'static str,
    /// "Google".
    pub name: &'static str,
    /// `/sso/social/google?return_to=…`.
    pub href: String,
}

/// The buttons of the configured presets, carrying `return_to` (already safe).
pub fn social_buttons(state: &AppState, return_to: Option<&str>) -> Vec<SocialButton> {
    let query = return_to
        .map(|r| {
            format!("?{}", url::form_urlencoded::Serializer::new(String::new()).append_pair("return_to", r).finish())
        })
        .unwrap_or_default();
    state
        .core
        .social_providers()
        .into_iter()
        .map(|p| SocialButton { key: p.key(), name: p.name(), href: format!("/sso/social/{}{query}", p.key()) })
        .collect()
}

/// `?return_to=`
#[derive(Debug, Deserialize)]
pub struct SocialQuery {
    return_to: Option<String>,
}

/// `GET /sso/social/{provider}`: to Google, Microsoft or GitHub, with the state in a cookie.
pub async fn start_social(
    State(state): State<AppState>,
    Path(provider): Path<String>,
    Query(q): Query<SocialQuery>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let provider = SocialProvider::parse(&provider).ok_or(WebError(Error::NotFound))?;
    let return_to = safe_return_to(q.return_to.as_deref());
    match state.core.begin_social(provider, return_to.as_deref(), Some(crate::i18n::current())).await {
        Ok(redirect) => {
            let jar = jar.add(state_cookie(&state, redirect.state));
            Ok((jar, Redirect::to(redirect.url.as_str())).into_response())
        }
        Err(e) => Ok(failure(&state, e)),
    }
}

/// `GET /sso/oidc/callback`
#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    iss: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// `GET /sso/oidc/callback`: the OpenID Connect provider sent the user back.
pub async fn finish_oidc_sso(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    Query(q): Query<CallbackQuery>,
    jar: CookieJar,
) -> Response {
    let browser = jar.get(&state.cookie_name(STATE_COOKIE)).map(|c| c.value().to_owned());
    let callback = OidcCallback {
        code: q.code,
        state: q.state,
        iss: q.iss,
        error: q.error,
        error_description: q.error_description,
    };
    let result = state.core.finish_oidc_sign_in(&callback, browser.as_deref(), &meta).await;
    signed_in(&state, jar, result)
}

/// The form an IdP posts to the assertion consumer service.
#[derive(Debug, Deserialize)]
pub struct AcsForm {
    #[serde(rename = "SAMLResponse")]
    saml_response: Option<String>,
    #[serde(rename = "RelayState")]
    relay_state: Option<String>,
}

/// `POST /sso/saml/{id}/acs`: the SAML IdP posted its response.
pub async fn finish_saml_sso(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    Path(id): Path<String>,
    jar: CookieJar,
    axum::Form(form): axum::Form<AcsForm>,
) -> Response {
    let id = match parse_connection(&id) {
        Ok(id) => id,
        Err(e) => return e.into_response(),
    };
    let browser = jar.get(&state.cookie_name(STATE_COOKIE)).map(|c| c.value().to_owned());
    let response = form.saml_response.unwrap_or_default();
    let relay = form.relay_state.unwrap_or_default();
    let result = state.core.finish_saml_sign_in(id, &response, &relay, browser.as_deref(), &meta).await;
    signed_in(&state, jar, result)
}

/// `GET /sso/saml/{id}/metadata`: our service provider's metadata for the IdP admin.
pub async fn show_saml_metadata(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, WebError> {
    let id = parse_connection(&id)?;
    let xml = state.core.saml_sp_metadata(id).await?;
    Ok(([(header::CONTENT_TYPE, "application/samlmetadata+xml; charset=utf-8")], xml).into_response())
}

/// After a callback: the session cookie and the next step, or the failure page.
fn signed_in(state: &AppState, jar: CookieJar, result: keystead_core::Result<FederatedSignIn>) -> Response {
    let jar = jar.remove(Cookie::build(state.cookie_name(STATE_COOKIE)).path("/").build());
    match result {
        Ok(done) => {
            let target = match done.session.session.stage {
                SessionStage::SecondFactorPending => super::mfa::second_factor_target(done.return_to.as_deref()),
                SessionStage::MfaSetupRequired => "/account/two-factor".to_owned(),
                SessionStage::PasswordExpired => "/password/expired".to_owned(),
                SessionStage::Authenticated => super::after_sign_in(done.return_to),
            };
            let jar = start_session(jar, state, &done.session);
            (jar, Redirect::to(&target)).into_response()
        }
        Err(e) => (jar, failure(state, e)).into_response(),
    }
}

/// The failure page for a round trip; other errors render as usual.
fn failure(state: &AppState, e: Error) -> Response {
    match e {
        Error::Invalid(errors) if errors.for_field("sso").next().is_some() => {
            let first = errors.for_field("sso").next();
            // Only a message written for this page (`field-error-sso-<code>`): a generic one would
            // lose what the provider's answer said.
            let message = first
                .map(|f| {
                    let own = format!("field-error-sso-{}", f.code.replace('_', "-"));
                    let translated =
                        keystead_core::i18n::Locale::has(&own).then(|| f.localized(crate::i18n::current()));
                    translated.flatten().unwrap_or_else(|| f.message.clone())
                })
                .unwrap_or_default();
            let code = first.map(|f| f.code.to_owned()).unwrap_or_default();
            let layout = Layout::titled(state, "auth-sso-failed-title");
            (StatusCode::BAD_REQUEST, SsoFailedPage { layout, message, code }).into_response()
        }
        other => WebError(other).into_response(),
    }
}

/// "Signed out here; ending the session at the provider too" (RP-initiated logout). A page
/// that moves on by itself, not a redirect: the sign-out form's `form-action 'self'` would stop
/// a redirect to another site.
#[derive(Template, WebTemplate)]
#[template(path = "auth/sso_signed_out.html")]
pub struct SsoSignedOutPage {
    layout: Layout,
    target: String,
    host: String,
}

/// The page that sends a signed-out user on to end their provider session.
pub fn provider_logout_page(state: &AppState, url: &url::Url) -> Response {
    let layout = Layout::titled(state, "auth-signed-out-title");
    let host = url.host_str().unwrap_or_default().to_owned();
    SsoSignedOutPage { layout, target: url.to_string(), host }.into_response()
}
