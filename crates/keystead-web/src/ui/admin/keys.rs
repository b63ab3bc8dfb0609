//! Console → Signing keys: the published keys with their state and age, rotating them now and
//! retiring the key that signs (each after a recent sign-in and a confirmation page).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::Error;
use keystead_core::oauth::key_admin::KeyState;
use keystead_core::oauth::keys::KeyInfo;

use super::operators::Confirmation;
use super::{AdminNav, AdminSection, RequireOperator, chrome, recent_or_reauthenticate};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::flash::{self, Level};
use crate::state::AppState;
use crate::ui::Layout;

const HOME: &str = "/admin/keys";

/// A key as listed.
#[derive(Debug, Clone)]
pub struct KeyView {
    pub(crate) kid: String,
    pub(crate) alg: &'static str,
    /// `next`, `active` or `retired` (the badge's class).
    pub(crate) state: &'static str,
    pub(crate) state_label: String,
    pub(crate) created: String,
    pub(crate) age: String,
    pub(crate) signs_from: String,
    pub(crate) retires: String,
    pub(crate) unpublished: String,
    pub(crate) active: bool,
}

/// The page.
#[derive(Template, WebTemplate)]
#[template(path = "admin/keys.html")]
pub struct KeysPage {
    layout: Layout,
    nav: AdminNav,
    keys: Vec<KeyView>,
}

fn view(k: &KeyInfo, now: time::OffsetDateTime) -> KeyView {
    let l = crate::i18n::current();
    let state = k.state(now);
    let (name, label) = match state {
        KeyState::Next => ("next", "admin-keys-state-next"),
        KeyState::Active => ("active", "admin-keys-state-active"),
        KeyState::Retired => ("retired", "admin-keys-state-retired"),
    };
    let dash = || "—".to_owned();
    KeyView {
        kid: k.kid.clone(),
        alg: k.alg,
        state: name,
        state_label: l.t(label),
        created: l.date_time(k.created_at),
        age: l.t1("admin-keys-age-days", "count", (now - k.created_at).whole_days().max(0)),
        signs_from: l.date_time(k.active_from),
        retires: k.retired_at.map_or_else(dash, |t| l.date_time(t)),
        unpublished: k.expires_at.map_or_else(dash, |t| l.date_time(t)),
        active: state == KeyState::Active,
    }
}

/// `GET /admin/keys`: by algorithm, oldest first.
pub async fn show_keys(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
) -> Result<Response, WebError> {
    let now = state.core.clock().now();
    let mut keys = state.core.signing_keys().await?;
    keys.sort_by_key(|k| (k.alg, k.active_from));
    let (layout, nav) = chrome(&state, &op.session, &csrf, AdminSection::Keys, None);
    let (jar, flashes) = flash::take(jar, &state);
    let page =
        KeysPage { layout: layout.with_flashes(flashes), nav, keys: keys.iter().map(|k| view(k, now)).collect() };
    Ok((csrf, jar, page).into_response())
}

fn confirm_page(
    state: &AppState,
    op: &RequireOperator,
    csrf: &CsrfToken,
    jar: SignedCookieJar,
    texts: [String; 3],
    action: String,
) -> Response {
    let [heading, message, button] = texts;
    let confirmation =
        Confirmation { section: AdminSection::Keys, heading, message, button, action, cancel: HOME.to_owned() };
    confirmation.page(state, op, csrf, jar)
}

/// `GET /admin/keys/rotate`: the confirmation (after a recent sign-in).
pub async fn confirm_rotate_keys(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
) -> Result<Response, WebError> {
    let here = format!("{HOME}/rotate");
    let jar = match recent_or_reauthenticate(&state, &op, jar, &here) {
        Ok(jar) => jar,
        Err(to_reauth) => return Ok(to_reauth),
    };
    let l = crate::i18n::current();
    let hours = state.core.config().oauth.key_publish_ahead.whole_hours();
    let texts =
        [l.t("admin-keys-rotate-title"), l.t1("admin-keys-rotate-message", "hours", hours), l.t("admin-keys-rotate")];
    Ok(confirm_page(&state, &op, &csrf, jar, texts, here))
}

/// `POST /admin/keys/rotate`
pub async fn rotate_keys(
    State(state): State<AppState>,
    op: RequireOperator,
    jar: SignedCookieJar,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, WebError> {
    let jar = match recent_or_reauthenticate(&state, &op, jar, &format!("{HOME}/rotate")) {
        Ok(jar) => jar,
        Err(to_reauth) => return Ok(to_reauth),
    };
    let created = state.core.rotate_signing_keys_now(op.actor(), &op.meta).await?;
    let l = crate::i18n::current();
    let jar = if created.is_empty() {
        flash::push(jar, &state, Level::Info, l.t("admin-keys-rotate-nothing"))
    } else {
        flash::push(jar, &state, Level::Success, l.t1("admin-keys-rotated", "count", created.len()))
    };
    Ok((jar, Redirect::to(HOME)).into_response())
}

/// The published key `kid`, or not found.
async fn published(state: &AppState, kid: &str) -> Result<KeyInfo, WebError> {
    let keys = state.core.signing_keys().await?;
    keys.into_iter().find(|k| k.kid == kid).ok_or(WebError(Error::NotFound))
}

/// `GET /admin/keys/{kid}/retire`: the confirmation (after a recent sign-in), for the key that
/// signs now; any other goes back to the list with a word why.
pub async fn confirm_retire_key(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
    Path(kid): Path<String>,
) -> Result<Response, WebError> {
    let key = published(&state, &kid).await?;
    let here = format!("{HOME}/{}/retire", key.kid);
    let jar = match recent_or_reauthenticate(&state, &op, jar, &here) {
        Ok(jar) => jar,
        Err(to_reauth) => return Ok(to_reauth),
    };
    let l = crate::i18n::current();
    if key.state(state.core.clock().now()) != KeyState::Active {
        let jar = flash::push(jar, &state, Level::Error, l.t("admin-keys-error-kid-not-signing"));
        return Ok((jar, Redirect::to(HOME)).into_response());
    }
    let texts = [
        l.t("admin-keys-retire-title"),
        l.t2("admin-keys-retire-message", "kid", key.kid.as_str(), "alg", key.alg),
        l.t("admin-keys-retire"),
    ];
    Ok(confirm_page(&state, &op, &csrf, jar, texts, here))
}

/// `POST /admin/keys/{kid}/retire`
pub async fn retire_key(
    State(state): State<AppState>,
    op: RequireOperator,
    jar: SignedCookieJar,
    Path(kid): Path<String>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, WebError> {
    let key = published(&state, &kid).await?;
    let jar = match recent_or_reauthenticate(&state, &op, jar, &format!("{HOME}/{}/retire", key.kid)) {
        Ok(jar) => jar,
        Err(to_reauth) => return Ok(to_reauth),
    };
    let l = crate::i18n::current();
    let jar = match state.core.retire_signing_key(op.actor(), &key.kid, &op.meta).await {
        Ok(successor) => {
            let text = l.t2("admin-keys-retired", "kid", key.kid.as_str(), "successor", successor.kid.as_str());
            flash::push(jar, &state, Level::Success, text)
        }
        Err(Error::Invalid(_)) => flash::push(jar, &state, Level::Error, l.t("admin-keys-error-kid-not-signing")),
        Err(e) => return Err(WebError(e)),
    };
    Ok((jar, Redirect::to(HOME)).into_response())
}
