//! Console → Users → one account → actions. The destructive ones (disable, reset two-factor
//! authentication, end all sessions, start closing) show a confirmation page first, and all but
//! ending sessions need a recent sign-in; the others (enable, resend the verification email,
//! send a password reset link) are one button. Each calls the same `Core` function as the
//! command line and the admin API, and its result comes back as a message on the user's page.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::accounts::User;
use keystead_core::ids::UserId;
use keystead_core::{Code, Error};

use super::operators::Confirmation;
use super::{AdminSection, RequireOperator, parse_id, recent_or_reauthenticate};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::flash::{self, Level};
use crate::state::AppState;
use crate::ui::mfa::wait_text;

/// An action that is confirmed on its own page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Confirmed {
    Disable,
    ResetMfa,
    EndSessions,
    Close,
}

impl Confirmed {
    fn segment(self) -> &'static str {
        match self {
            Self::Disable => "disable",
            Self::ResetMfa => "reset-mfa",
            Self::EndSessions => "end-sessions",
            Self::Close => "close",
        }
    }

    /// Whether it needs a sign-in within the last ten minutes.
    fn needs_recent_sign_in(self) -> bool {
        self != Self::EndSessions
    }

    /// Title, button.
    fn keys(self) -> [&'static str; 2] {
        match self {
            Self::Disable => ["admin-user-disable-title", "admin-user-disable"],
            Self::ResetMfa => ["admin-user-reset-mfa-title", "admin-user-reset-mfa"],
            Self::EndSessions => ["admin-user-end-sessions-title", "admin-user-end-sessions"],
            Self::Close => ["admin-user-close-title", "admin-user-close"],
        }
    }
}

fn user_href(id: UserId) -> String {
    format!("/admin/users/{id}")
}

fn back(state: &AppState, jar: SignedCookieJar, id: UserId, level: Level, text: String) -> Response {
    let jar = flash::push(jar, state, level, text);
    (jar, Redirect::to(&user_href(id))).into_response()
}

/// The account, or not found.
async fn account(state: &AppState, op: &RequireOperator, raw: &str) -> Result<User, WebError> {
    let id: UserId = parse_id(raw)?;
    Ok(state.core.user_within(op.actor(), None, id).await?.user)
}

/// What the confirmation says: the action's consequences, then whom it touches.
async fn message(state: &AppState, op: &RequireOperator, action: Confirmed, user: &User) -> Result<String, WebError> {
    let l = crate::i18n::current();
    let email = user.email.as_str();
    let mut text = match action {
        Confirmed::Disable => l.t1("admin-user-disable-message", "email", email),
        Confirmed::ResetMfa => l.t1("admin-user-reset-mfa-message", "email", email),
        Confirmed::EndSessions => l.t1("admin-user-end-sessions-message", "email", email),
        Confirmed::Close => {
            let days = state.core.closing_grace().whole_days();
            l.t2("admin-user-close-message", "email", email, "days", days)
        }
    };
    if action != Confirmed::EndSessions && state.core.is_operator(user.id).await? {
        text = format!("{text} {}", l.t1("admin-user-confirm-operator", "email", email));
    }
    if user.id == op.session.user.id {
        text = format!("{text} {}", l.t("admin-user-confirm-yourself"));
    }
    Ok(text)
}

async fn confirm(
    state: AppState,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
    raw: String,
    action: Confirmed,
) -> Result<Response, WebError> {
    let user = account(&state, &op, &raw).await?;
    let here = format!("{}/{}", user_href(user.id), action.segment());
    let jar = if action.needs_recent_sign_in() {
        match recent_or_reauthenticate(&state, &op, jar, &here) {
            Ok(jar) => jar,
            Err(to_reauth) => return Ok(to_reauth),
        }
    } else {
        jar
    };
    let l = crate::i18n::current();
    let [title, button] = action.keys();
    let message = message(&state, &op, action, &user).await?;
    let confirmation = Confirmation {
        section: AdminSection::Users,
        heading: l.t(title),
        message,
        button: l.t(button),
        action: here,
        cancel: user_href(user.id),
    };
    Ok(confirmation.page(&state, &op, &csrf, jar))
}

/// Carries out a confirmed action and says how it went.
async fn carry_out(
    state: AppState,
    op: RequireOperator,
    jar: SignedCookieJar,
    raw: String,
    action: Confirmed,
) -> Result<Response, WebError> {
    let user = account(&state, &op, &raw).await?;
    let jar = if action.needs_recent_sign_in() {
        let here = format!("{}/{}", user_href(user.id), action.segment());
        match recent_or_reauthenticate(&state, &op, jar, &here) {
            Ok(jar) => jar,
            Err(to_reauth) => return Ok(to_reauth),
        }
    } else {
        jar
    };
    let l = crate::i18n::current();
    let (core, actor, meta, id, email) = (&state.core, op.actor(), &op.meta, user.id, user.email.as_str());
    let (level, text) = match action {
        Confirmed::Disable => match core.disable_user(actor, id, meta).await {
            Ok(_) => (Level::Success, l.t1("admin-user-disabled", "email", email)),
            Err(Error::Refused { .. }) => (Level::Error, l.t("admin-user-state-refused")),
            Err(e) => return Err(WebError(e)),
        },
        Confirmed::ResetMfa => {
            core.reset_mfa(actor, id, meta).await?;
            (Level::Success, l.t1("admin-user-mfa-reset-done", "email", email))
        }
        Confirmed::EndSessions => {
            let n = core.end_user_sessions(actor, id, None, meta).await?;
            (
                Level::Success,
                l.t2("admin-user-sessions-ended", "count", i64::try_from(n).unwrap_or(i64::MAX), "email", email),
            )
        }
        Confirmed::Close => match core.close_account_as_operator(actor, id, meta).await {
            Ok(record) => {
                let date = record.purge_at.map(|t| l.date(t)).unwrap_or_default();
                (Level::Success, l.t2("admin-user-closing-started", "email", email, "date", date))
            }
            Err(Error::Refused { .. }) => (Level::Error, l.t("admin-user-close-refused")),
            Err(e) => return Err(WebError(e)),
        },
    };
    Ok(back(&state, jar, id, level, text))
}

/// The handlers of one confirmed action: its page (`GET`) and its form (`POST`).
macro_rules! confirmed_action {
    ($show:ident, $post:ident, $action:expr, $doc:literal) => {
        #[doc = concat!("`GET /admin/users/{id}/", $doc, "`: the confirmation.")]
        pub async fn $show(
            State(state): State<AppState>,
            csrf: CsrfToken,
            op: RequireOperator,
            jar: SignedCookieJar,
            Path(id): Path<String>,
        ) -> Result<Response, WebError> {
            confirm(state, csrf, op, jar, id, $action).await
        }

        #[doc = concat!("`POST /admin/users/{id}/", $doc, "`")]
        pub async fn $post(
            State(state): State<AppState>,
            op: RequireOperator,
            jar: SignedCookieJar,
            Path(id): Path<String>,
            CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
        ) -> Result<Response, WebError> {
            carry_out(state, op, jar, id, $action).await
        }
    };
}

confirmed_action!(confirm_disable_user, disable_user, Confirmed::Disable, "disable");
confirmed_action!(confirm_reset_user_mfa, reset_user_mfa, Confirmed::ResetMfa, "reset-mfa");
confirmed_action!(confirm_end_user_sessions, end_user_sessions, Confirmed::EndSessions, "end-sessions");
confirmed_action!(confirm_close_user, close_user, Confirmed::Close, "close");

/// `POST /admin/users/{id}/enable`
pub async fn enable_user(
    State(state): State<AppState>,
    op: RequireOperator,
    jar: SignedCookieJar,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, WebError> {
    let user = account(&state, &op, &id).await?;
    let l = crate::i18n::current();
    let (level, text) = match state.core.enable_user(op.actor(), user.id, &op.meta).await {
        Ok(_) => (Level::Success, l.t1("admin-user-enabled", "email", user.email.as_str())),
        Err(Error::Refused { .. }) => (Level::Error, l.t("admin-user-state-refused")),
        Err(e) => return Err(WebError(e)),
    };
    Ok(back(&state, jar, user.id, level, text))
}

/// `POST /admin/users/{id}/resend-verification`
pub async fn resend_user_verification(
    State(state): State<AppState>,
    op: RequireOperator,
    jar: SignedCookieJar,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, WebError> {
    let user = account(&state, &op, &id).await?;
    let l = crate::i18n::current();
    let email = user.email.as_str();
    let (level, text) = match state.core.resend_verification_of(op.actor(), user.id, &op.meta).await {
        Ok(()) => (Level::Success, l.t1("admin-user-verification-sent", "email", email)),
        Err(Error::Refused { .. }) => (Level::Error, l.t1("admin-user-verification-refused", "email", email)),
        Err(Error::RateLimited { retry_after }) => {
            (Level::Error, l.t1("admin-user-wait", "wait", wait_text(retry_after)))
        }
        Err(e) => return Err(WebError(e)),
    };
    Ok(back(&state, jar, user.id, level, text))
}

/// `POST /admin/users/{id}/send-reset`
pub async fn send_user_password_reset(
    State(state): State<AppState>,
    op: RequireOperator,
    jar: SignedCookieJar,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, WebError> {
    let user = account(&state, &op, &id).await?;
    let l = crate::i18n::current();
    let email = user.email.as_str();
    let (level, text) = match state.core.send_password_reset_as_operator(op.actor(), user.id, &op.meta).await {
        Ok(to) => (Level::Success, l.t1("admin-user-reset-sent", "email", to)),
        Err(Error::Refused { code: Code::AccountDisabled, .. }) => {
            (Level::Error, l.t("admin-user-reset-refused-closed"))
        }
        Err(Error::Refused { .. }) => (Level::Error, l.t1("admin-user-reset-refused-sso", "email", email)),
        Err(Error::RateLimited { retry_after }) => {
            (Level::Error, l.t1("admin-user-wait", "wait", wait_text(retry_after)))
        }
        Err(e) => return Err(WebError(e)),
    };
    Ok(back(&state, jar, user.id, level, text))
}
