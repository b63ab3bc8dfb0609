//! The admin console under `/admin`, for the deployment's operators: one layout with a left
//! navigation ([`chrome`]), the [`RequireOperator`] guard every page takes, and the
//! re-authentication step dangerous actions need ([`recent_or_reauthenticate`]). Every action
//! calls the same `Core` function as the CLI and the admin API, with [`Actor::Operator`] and the
//! operator's account in the request's metadata, so the audit log names them.

mod agreements;
mod audit;
mod audit_csv;
mod chart;
mod client_form;
mod client_page;
mod clients;
mod dashboard;
mod keys;
mod nav;
mod operators;
mod organization_page;
mod organizations;
mod outbox;
mod products;
pub(crate) mod table;
mod user_actions;
mod user_page;
mod users;
mod webhook_page;
mod webhooks;

pub use nav::{AdminNav, AdminSection, chrome};
pub use operators::{confirm_revoke_operator, grant_operator, revoke_operator, show_operators};
// People: users.
pub use user_actions::{
    close_user, confirm_close_user, confirm_disable_user, confirm_end_user_sessions, confirm_reset_user_mfa,
    disable_user, enable_user, end_user_sessions, resend_user_verification, reset_user_mfa, send_user_password_reset,
};
pub use user_page::show_user;
pub use users::show_users;
// People: organizations.
pub use organization_page::{confirm_delete_organization, delete_organization, show_organization};
pub use organizations::{create_organization, show_new_organization, show_organizations};
// Applications: OAuth clients, signing keys, agreements.
pub use agreements::{
    preview_agreement, publish_agreement_version, show_agreement_version, show_agreement_versions, show_new_agreement,
};
pub use client_page::{
    confirm_delete_client, confirm_rotate_client_secret, delete_client, rotate_client_secret, show_client,
    update_client,
};
pub use clients::{create_client, show_clients, show_new_client};
pub use keys::{confirm_retire_key, confirm_rotate_keys, retire_key, rotate_keys, show_keys};
pub use products::show_products;
pub use webhook_page::{
    confirm_delete_webhook, confirm_rotate_webhook_secret, delete_webhook, resend_webhook_delivery,
    rotate_webhook_secret, show_webhook, test_webhook, update_webhook,
};
pub use webhooks::{create_webhook, show_new_webhook, show_webhooks};
// Records: dashboard, audit log (and its CSV export), email outbox.
pub use audit::show_audit_log;
pub use audit_csv::export_audit_csv;
pub use dashboard::show_dashboard;
pub use outbox::{retry_outbox_message, show_outbox, show_retry_outbox_message};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::Error;
use keystead_core::audit::RequestMeta;
use keystead_core::operators::ConsoleAccess;
use keystead_core::organizations::Actor;
use keystead_core::sessions::SessionInfo;

use crate::error::WebError;
use crate::extract::{ClientMeta, RequireSession};
use crate::flash::{self, Level};
use crate::state::AppState;

/// An operator's session that passed a second factor, with the request's metadata naming the
/// operator. Anyone else is refused (403); an operator without a second factor is sent to set
/// one up.
#[derive(Debug, Clone)]
pub struct RequireOperator {
    /// The operator's session.
    pub session: SessionInfo,
    /// The request's metadata, with the operator as the actor audit events record.
    pub meta: RequestMeta,
}

impl RequireOperator {
    /// The authority console actions are made with.
    pub fn actor(&self) -> Actor {
        Actor::Operator
    }
}

impl FromRequestParts<AppState> for RequireOperator {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let RequireSession(session) = RequireSession::from_request_parts(parts, state).await?;
        match state.core.console_access(&session).await.map_err(|e| WebError(e).into_response())? {
            ConsoleAccess::Granted => {
                let ClientMeta(meta) = match ClientMeta::from_request_parts(parts, state).await {
                    Ok(m) => m,
                    Err(never) => match never {},
                };
                let meta = meta.by_operator(session.user.id);
                Ok(Self { session, meta })
            }
            ConsoleAccess::NeedsSecondFactor => {
                let jar =
                    match SignedCookieJar::<axum_extra::extract::cookie::Key>::from_request_parts(parts, state).await {
                        Ok(jar) => jar,
                        Err(never) => match never {},
                    };
                let text = crate::i18n::current().t("admin-needs-second-factor");
                let jar = flash::push(jar, state, Level::Info, text);
                Err((jar, Redirect::to("/account/two-factor")).into_response())
            }
            ConsoleAccess::Refused => Err(WebError(Error::Forbidden).into_response()),
        }
    }
}

/// The cookie jar back when the operator authenticated within the last ten minutes; otherwise
/// (`Err`) the answer to return: the way to the re-authentication page, which brings them back
/// to `return_to` (a page of the console, the confirmation of the action) afterwards.
#[expect(clippy::result_large_err, reason = "the Err is the answer, returned at once by the handler")]
pub fn recent_or_reauthenticate(
    state: &AppState,
    op: &RequireOperator,
    jar: SignedCookieJar,
    return_to: &str,
) -> Result<SignedCookieJar, Response> {
    match state.core.ensure_recent_authentication(&op.session) {
        Ok(()) => Ok(jar),
        Err(_) => {
            let jar = flash::push(jar, state, Level::Info, crate::i18n::current().t("admin-reauth-needed"));
            let q = url::form_urlencoded::Serializer::new(String::new()).append_pair("return_to", return_to).finish();
            Err((jar, Redirect::to(&format!("/account/reauthenticate?{q}"))).into_response())
        }
    }
}

/// An id from a console URL; a malformed one is simply not found (404), like an unknown one.
pub fn parse_id<T: std::str::FromStr>(raw: &str) -> Result<T, WebError> {
    raw.parse().map_err(|_| WebError(Error::NotFound))
}
