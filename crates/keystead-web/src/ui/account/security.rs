//! My Account → Security: sessions and devices, sign-out of one or all others, the identities at
//! other providers the user signs in through (and removing one), recent activity.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::Error;
use keystead_core::ids::{FederatedIdentityId, SessionId};
use keystead_core::sessions::device_name_in;
use serde::Deserialize;
use time::OffsetDateTime;

use super::{NavSection, Section, chrome};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::extract::{ClientMeta, RequireSession};
use crate::flash::{self, Level};
use crate::state::AppState;
use crate::ui::Layout;

/// A session as listed.
#[derive(Debug, Clone)]
pub struct SessionView {
    id: String,
    device: String,
    /// "203.0.113.9 · signed in … · last active …", in the page's language.
    dates: String,
    current: bool,
}

/// An audit event as listed.
#[derive(Debug, Clone)]
pub struct ActivityView {
    when: String,
    what: String,
    from: String,
}

/// An identity at another provider, as listed.
#[derive(Debug, Clone)]
pub struct IdentityView {
    id: String,
    provider: String,
    email: String,
    linked: String,
    last_used: String,
}

/// The security page.
#[derive(Template, WebTemplate)]
#[template(path = "account/security.html")]
pub struct SecurityPage {
    layout: Layout,
    nav: Vec<NavSection>,
    csrf: String,
    sessions: Vec<SessionView>,
    identities: Vec<IdentityView>,
    activity: Vec<ActivityView>,
}

/// The form naming a linked identity.
#[derive(Debug, Deserialize)]
pub struct IdentityForm {
    identity: FederatedIdentityId,
}

/// The session form.
#[derive(Debug, Deserialize)]
pub struct SessionForm {
    session: SessionId,
}

fn when(t: OffsetDateTime) -> String {
    crate::i18n::current().date_time(t)
}

/// What an audit action means to the user, in the request's language (`mfa-activity-<action>`).
fn describe(action: &str) -> String {
    let key = format!("mfa-activity-{}", action.replace(['.', '_'], "-"));
    let key = if keystead_core::i18n::Locale::has(&key) { key } else { "mfa-activity-other".to_owned() };
    crate::i18n::current().t(&key)
}

/// `GET /account/security`
pub async fn show_security(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
) -> Result<Response, WebError> {
    let sessions = state.core.sessions_of(session.user.id).await?;
    let identities = state.core.linked_identities(session.user.id).await?;
    let events = state.core.audit_events_for(session.user.id, 20).await?;
    let (jar, flashes) = flash::take(jar, &state);
    let (layout, nav) = chrome(&state, &session, &csrf, Section::Security);
    let locale = crate::i18n::current();
    let sessions = sessions
        .iter()
        .map(|s| SessionView {
            id: s.id.to_string(),
            device: device_name_in(s.user_agent.as_deref(), crate::i18n::current()),
            dates: locale.t_args(
                "mfa-session-dates",
                &[
                    ("ip", s.ip.clone().unwrap_or_else(|| locale.t("mfa-unknown-address")).into()),
                    ("created", when(s.created_at).into()),
                    ("seen", when(s.last_seen_at).into()),
                ],
            ),
            current: s.id == session.id,
        })
        .collect();
    let identities = identities
        .into_iter()
        .map(|i| IdentityView {
            id: i.id.to_string(),
            provider: i.provider_name,
            email: i.email.unwrap_or_default(),
            linked: when(i.linked_at),
            last_used: when(i.last_used_at),
        })
        .collect();
    let activity = events
        .iter()
        .map(|e| ActivityView {
            when: when(e.occurred_at),
            what: match e.details.get("name").and_then(serde_json::Value::as_str) {
                // The application's name, for the events about one (`oauth.*`).
                Some(app) if e.action.starts_with("oauth.") => format!("{} — {app}", describe(&e.action)),
                _ => describe(&e.action),
            },
            from: e.ip.clone().unwrap_or_default(),
        })
        .collect();
    let page = SecurityPage {
        layout: layout.with_flashes(flashes),
        nav,
        csrf: csrf.value().to_owned(),
        sessions,
        identities,
        activity,
    };
    Ok((csrf, jar, page).into_response())
}

/// `POST /account/sessions/revoke`
pub async fn revoke_session(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<SessionForm>,
) -> Result<Response, WebError> {
    state.core.revoke_session(&session, form.session, &meta).await?;
    let jar = flash::push(jar, &state, Level::Success, crate::i18n::current().t("mfa-session-revoked"));
    Ok((jar, Redirect::to("/account/security")).into_response())
}

/// `POST /account/sessions/revoke-others`
pub async fn revoke_other_sessions(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, WebError> {
    let n = state.core.revoke_other_sessions(&session, &meta).await?;
    let text = crate::i18n::current().t1("mfa-sessions-revoked", "count", i64::try_from(n).unwrap_or(i64::MAX));
    let jar = flash::push(jar, &state, Level::Success, text);
    Ok((jar, Redirect::to("/account/security")).into_response())
}

/// `POST /account/identities/remove`: the provider no longer signs the user in; refused (with
/// the reason on the page) when it is their only way in.
pub async fn remove_linked_identity(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<IdentityForm>,
) -> Result<Response, WebError> {
    let jar = match state.core.unlink_identity(session.user.id, form.identity, &meta).await {
        Ok(()) => flash::push(jar, &state, Level::Success, crate::i18n::current().t("mfa-identity-removed")),
        Err(Error::Invalid(errors)) => {
            let text = crate::ui::mfa::localized(errors).messages("identity").join(" ");
            flash::push(jar, &state, Level::Error, text)
        }
        Err(e) => return Err(WebError(e)),
    };
    Ok((jar, Redirect::to("/account/security")).into_response())
}
