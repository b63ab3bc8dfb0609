//! The `/device` page (RFC 8628 §3.3): the signed-in user types the code shown on the device,
//! checks which app asks for what, and accepts or cancels.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::{Error, FieldErrors};
use serde::Deserialize;

use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::extract::{ClientMeta, RequireSession};
use crate::flash::{self, Level};
use crate::state::AppState;
use crate::ui::Layout;

/// A pending request as shown.
#[derive(Debug, Clone)]
pub struct PendingView {
    client_name: String,
    user_code: String,
    scopes: Vec<String>,
}

/// The device page: the code form, or the request to accept.
#[derive(Template, WebTemplate)]
#[template(path = "oauth/device.html")]
pub struct DevicePage {
    layout: Layout,
    csrf: String,
    user_email: String,
    user_code: String,
    pending: Option<PendingView>,
    errors: FieldErrors,
}

/// `?user_code=`
#[derive(Debug, Deserialize)]
pub struct DeviceQuery {
    user_code: Option<String>,
}

/// The decision form.
#[derive(Debug, Deserialize)]
pub struct DeviceForm {
    user_code: String,
    decision: String,
}

fn bad_code() -> String {
    crate::i18n::current().t("oauth-device-bad-code")
}

/// `GET /device`
pub async fn show_device(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Query(q): Query<DeviceQuery>,
) -> Result<Response, WebError> {
    let (jar, flashes) = flash::take(jar, &state);
    let layout = Layout::titled(&state, "oauth-device-title").signed_in(Some(&session), &csrf).with_flashes(flashes);
    let typed = q.user_code.unwrap_or_default();
    let typed: String = typed.chars().take(32).collect();
    let mut errors = FieldErrors::new();
    let pending = if typed.trim().is_empty() {
        None
    } else {
        match state.core.pending_device(&typed, &session).await {
            Ok(p) => Some(PendingView {
                client_name: p.client_name,
                user_code: p.user_code,
                scopes: super::authorize::scope_labels(&p.scopes),
            }),
            Err(Error::NotFound) => {
                errors.add("user_code", "invalid_code", bad_code());
                None
            }
            Err(e) => return Err(e.into()),
        }
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = DevicePage {
        layout,
        csrf: csrf.value().to_owned(),
        user_email: session.user.email.clone(),
        user_code: typed,
        pending,
        errors,
    };
    Ok((status, csrf, jar, page).into_response())
}

/// `POST /device/decide`
pub async fn decide_device(
    State(state): State<AppState>,
    RequireSession(session): RequireSession,
    ClientMeta(meta): ClientMeta,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<DeviceForm>,
) -> Result<Response, WebError> {
    let approve = form.decision == "accept";
    match state.core.decide_device(&form.user_code, &session, approve, &meta).await {
        Ok(p) => {
            let key = if approve { "oauth-device-connected" } else { "oauth-device-not-connected" };
            let text = crate::i18n::current().t1(key, "client", p.client_name);
            let jar = flash::push(jar, &state, Level::Success, text);
            Ok((jar, Redirect::to("/device")).into_response())
        }
        Err(Error::NotFound) => {
            let jar = flash::push(jar, &state, Level::Error, bad_code());
            Ok((jar, Redirect::to("/device")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
