//! My Account → Security: sessions and devices, sign-out of one or all others, the identities at
//! other providers the user signs in through (and removing one), recent activity.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::Error;
use keystead_core::ids::{FederatedIdentityId, SessionId};
use keystead_core::sessions::device_name;
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
    ip: String,
    created: String,
    last_seen: String,
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
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    t.format(format).unwrap_or_default()
}

fn describe(action: &str) -> &'static str {
    match action {
        "user.registered" => "Account created",
        "user.email_verified" => "Email address confirmed",
        "session.signed_in" => "Signed in",
        "session.sign_in_failed" => "Failed sign-in attempt",
        "session.signed_out" => "Signed out",
        "session.revoked" => "Signed out other sessions or devices",
        "user.email_changed" => "Email address changed",
        "user.agreement_accepted" => "Agreement accepted",
        "user.picture_changed" => "Profile picture changed",
        "user.picture_removed" => "Profile picture removed",
        "user.billing_address_changed" => "Billing address changed",
        "user.preferences_changed" => "Email notification choices changed",
        "user.closed" => "Account closed",
        "user.reactivated" => "Account reactivated",
        "user.password_reset_requested" => "Password reset requested",
        "user.password_changed" => "Password changed",
        "user.throttled" => "Sign-in paused after failed attempts",
        "user.profile_updated" => "Profile changed",
        "user.data_exported" => "Data downloaded",
        "user.disabled" => "Account disabled by an administrator",
        "user.enabled" => "Account enabled by an administrator",
        "mfa.method_added" => "Two-factor method added",
        "mfa.method_removed" => "Two-factor method removed",
        "mfa.recovery_codes_generated" => "New recovery codes made",
        "mfa.recovery_code_used" => "Recovery code used",
        "session.second_factor_passed" => "Two-step verification passed",
        "session.second_factor_failed" => "Failed two-step verification",
        "mfa.reset" => "Two-factor authentication reset by an administrator",
        "session.reauthenticated" => "Identity confirmed again",
        "oauth.app_authorized" => "App authorized",
        "oauth.app_revoked" => "App access revoked",
        "oauth.token_reuse_detected" => "An app's token was used twice: its access was ended",
        "user.identity_linked" => "Sign-in through another provider added",
        "user.identity_unlinked" => "Sign-in through another provider removed",
        _ => "Account activity",
    }
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
    let sessions = sessions
        .iter()
        .map(|s| SessionView {
            id: s.id.to_string(),
            device: device_name(s.user_agent.as_deref()),
            ip: s.ip.clone().unwrap_or_else(|| "unknown address".to_owned()),
            created: when(s.created_at),
            last_seen: when(s.last_seen_at),
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
                _ => describe(&e.action).to_owned(),
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
    let jar = flash::push(jar, &state, Level::Success, "That session is signed out.");
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
    let text = if n == 1 {
        "1 other session is signed out.".to_owned()
    } else {
        format!("{n} other sessions are signed out.")
    };
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
        Ok(()) => flash::push(jar, &state, Level::Success, "That provider no longer signs you in."),
        Err(Error::Invalid(errors)) => {
            let text = errors.messages("identity").join(" ");
            flash::push(jar, &state, Level::Error, text)
        }
        Err(e) => return Err(WebError(e)),
    };
    Ok((jar, Redirect::to("/account/security")).into_response())
}
