//! Console → Webhooks → one endpoint (`/admin/webhooks/{id}`): changing it (URL, description,
//! event types, on or off — turning it on again forgets its failures), its delivery log with a
//! resend per delivery, a test event, a new signing secret (the previous one keeps signing for a
//! day) and deletion — the last two after a recent sign-in and a confirmation.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::ids::{WebhookDeliveryId, WebhookEndpointId};
use keystead_core::webhooks::{Endpoint, EndpointChanges};
use keystead_core::{Error, FieldErrors};

use super::operators::Confirmation;
use super::webhooks::{EndpointForm, events_text, secret_page, state as endpoint_state};
use super::{AdminNav, AdminSection, RequireOperator, chrome, parse_id, recent_or_reauthenticate};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::flash::{self, Level};
use crate::state::AppState;
use crate::ui::Layout;

/// Deliveries the page lists, newest first.
const LOG: i64 = 50;

/// A delivery as logged.
#[derive(Debug, Clone)]
pub struct DeliveryRow {
    pub(crate) id: String,
    pub(crate) event_type: String,
    pub(crate) event_id: String,
    /// `pending`, `delivered` or `failed` (the badge's class).
    pub(crate) status: String,
    pub(crate) status_label: String,
    pub(crate) attempts: i32,
    pub(crate) response: String,
    pub(crate) created: String,
}

/// The page.
#[derive(Template, WebTemplate)]
#[template(path = "admin/webhook.html")]
pub struct WebhookPage {
    layout: Layout,
    nav: AdminNav,
    csrf: String,
    id: String,
    url: String,
    events: String,
    state: &'static str,
    state_label: String,
    disabled_reason: Option<String>,
    previous_until: Option<String>,
    created: String,
    form: EndpointForm,
    errors: FieldErrors,
    deliveries: Vec<DeliveryRow>,
}

fn href(id: WebhookEndpointId) -> String {
    format!("/admin/webhooks/{id}")
}

async fn endpoint(state: &AppState, op: &RequireOperator, raw: &str) -> Result<Endpoint, WebError> {
    let id: WebhookEndpointId = parse_id(raw)?;
    Ok(state.core.webhook_endpoint(op.actor(), id).await?)
}

async fn page(
    state: &AppState,
    op: &RequireOperator,
    csrf: &CsrfToken,
    e: &Endpoint,
    form: EndpointForm,
) -> Result<WebhookPage, Error> {
    let l = crate::i18n::current();
    let deliveries = state.core.webhook_deliveries(op.actor(), e.id, LOG).await?;
    let deliveries = deliveries
        .into_iter()
        .map(|d| {
            let key = format!("admin-webhooks-delivery-{}", d.status);
            let response = match (d.response_status, d.last_error) {
                (Some(code), _) => code.to_string(),
                (None, Some(error)) => error,
                (None, None) => "—".to_owned(),
            };
            DeliveryRow {
                id: d.id.to_string(),
                event_type: d.event_type,
                event_id: d.event_id,
                status_label: if keystead_core::i18n::Locale::has(&key) { l.t(&key) } else { d.status.clone() },
                status: d.status,
                attempts: d.attempts,
                response,
                created: l.date_time(d.created_at),
            }
        })
        .collect();
    let (state_class, state_label) = endpoint_state(e);
    let (layout, nav) = chrome(state, &op.session, csrf, AdminSection::Webhooks, Some(e.url.clone()));
    Ok(WebhookPage {
        layout,
        nav,
        csrf: csrf.value().to_owned(),
        id: e.id.to_string(),
        url: e.url.clone(),
        events: events_text(&e.events),
        state: state_class,
        state_label,
        disabled_reason: e.disabled_reason.clone(),
        previous_until: e.previous_secret_until.map(|t| l.date_time(t)),
        created: l.date_time(e.created_at),
        form,
        errors: FieldErrors::new(),
        deliveries,
    })
}

/// `GET /admin/webhooks/{id}`
pub async fn show_webhook(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let e = endpoint(&state, &op, &id).await?;
    let mut body = page(&state, &op, &csrf, &e, EndpointForm::of(&e)).await?;
    let (jar, flashes) = flash::take(jar, &state);
    body.layout = body.layout.with_flashes(flashes);
    Ok((csrf, jar, body).into_response())
}

/// `POST /admin/webhooks/{id}`: saves the form.
pub async fn update_webhook(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
    Path(id): Path<String>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let e = endpoint(&state, &op, &id).await?;
    let form = EndpointForm::posted(&fields);
    let changes = EndpointChanges {
        url: Some(form.url.clone()),
        description: Some(form.description.clone()),
        events: Some(form.chosen()),
        enabled: Some(form.enabled),
    };
    match state.core.update_webhook_endpoint(op.actor(), e.id, changes, &op.meta).await {
        Ok(_) => {
            let jar = flash::push(jar, &state, Level::Success, crate::i18n::current().t("admin-webhooks-saved"));
            Ok((jar, Redirect::to(&href(e.id))).into_response())
        }
        Err(Error::Invalid(errors)) => {
            let mut body = page(&state, &op, &csrf, &e, form).await?;
            body.errors = errors.localized(crate::i18n::current());
            Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, body).into_response())
        }
        Err(e) => Err(WebError(e)),
    }
}

/// `POST /admin/webhooks/{id}/test`: queues a `webhook.test` event.
pub async fn test_webhook(
    State(state): State<AppState>,
    op: RequireOperator,
    jar: SignedCookieJar,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, WebError> {
    let e = endpoint(&state, &op, &id).await?;
    state.core.send_test_webhook(op.actor(), e.id).await?;
    let jar = flash::push(jar, &state, Level::Success, crate::i18n::current().t("admin-webhooks-test-queued"));
    Ok((jar, Redirect::to(&href(e.id))).into_response())
}

/// `POST /admin/webhooks/{id}/deliveries/{delivery}/resend`
pub async fn resend_webhook_delivery(
    State(state): State<AppState>,
    op: RequireOperator,
    jar: SignedCookieJar,
    Path((id, delivery)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, WebError> {
    let e = endpoint(&state, &op, &id).await?;
    let delivery: WebhookDeliveryId = parse_id(&delivery)?;
    // Only a delivery of this endpoint's log (the URL names both).
    let log = state.core.webhook_deliveries(op.actor(), e.id, 500).await?;
    if !log.iter().any(|d| d.id == delivery) {
        return Err(WebError(Error::NotFound));
    }
    let resent = state.core.resend_webhook_delivery(op.actor(), delivery).await?;
    let text = crate::i18n::current().t1("admin-webhooks-resent", "event", resent.event_type.as_str());
    let jar = flash::push(jar, &state, Level::Success, text);
    Ok((jar, Redirect::to(&href(e.id))).into_response())
}

/// A dangerous action on an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dangerous {
    NewSecret,
    Delete,
}

impl Dangerous {
    fn path(self, id: WebhookEndpointId) -> String {
        match self {
            Self::NewSecret => format!("{}/secret", href(id)),
            Self::Delete => format!("{}/delete", href(id)),
        }
    }
}

async fn confirm(
    state: AppState,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
    raw: String,
    action: Dangerous,
) -> Result<Response, WebError> {
    let e = endpoint(&state, &op, &raw).await?;
    let here = action.path(e.id);
    let jar = match recent_or_reauthenticate(&state, &op, jar, &here) {
        Ok(jar) => jar,
        Err(to_reauth) => return Ok(to_reauth),
    };
    let l = crate::i18n::current();
    let (heading, message, button) = match action {
        Dangerous::NewSecret => (
            l.t("admin-webhooks-secret-title"),
            l.t1("admin-webhooks-secret-message", "url", e.url.as_str()),
            l.t("admin-webhooks-new-secret"),
        ),
        Dangerous::Delete => (
            l.t("admin-webhooks-delete-title"),
            l.t1("admin-webhooks-delete-message", "url", e.url.as_str()),
            l.t("admin-webhooks-delete"),
        ),
    };
    let confirmation =
        Confirmation { section: AdminSection::Webhooks, heading, message, button, action: here, cancel: href(e.id) };
    Ok(confirmation.page(&state, &op, &csrf, jar))
}

/// `GET /admin/webhooks/{id}/secret`: the confirmation (after a recent sign-in).
pub async fn confirm_rotate_webhook_secret(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    confirm(state, csrf, op, jar, id, Dangerous::NewSecret).await
}

/// `GET /admin/webhooks/{id}/delete`: the confirmation (after a recent sign-in).
pub async fn confirm_delete_webhook(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    confirm(state, csrf, op, jar, id, Dangerous::Delete).await
}

/// `POST /admin/webhooks/{id}/secret`: the new secret, shown this once.
pub async fn rotate_webhook_secret(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, WebError> {
    let e = endpoint(&state, &op, &id).await?;
    if let Err(to_reauth) = recent_or_reauthenticate(&state, &op, jar, &Dangerous::NewSecret.path(e.id)) {
        return Ok(to_reauth);
    }
    let (endpoint, secret) = state.core.rotate_webhook_secret(op.actor(), e.id, &op.meta).await?;
    let heading = crate::i18n::current().t("admin-webhooks-secret-title");
    let page = secret_page(&state, &op, &csrf, heading, &endpoint, &secret);
    Ok((csrf, page).into_response())
}

/// `POST /admin/webhooks/{id}/delete`
pub async fn delete_webhook(
    State(state): State<AppState>,
    op: RequireOperator,
    jar: SignedCookieJar,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, WebError> {
    let e = endpoint(&state, &op, &id).await?;
    let jar = match recent_or_reauthenticate(&state, &op, jar, &Dangerous::Delete.path(e.id)) {
        Ok(jar) => jar,
        Err(to_reauth) => return Ok(to_reauth),
    };
    state.core.delete_webhook_endpoint(op.actor(), e.id, &op.meta).await?;
    let text = crate::i18n::current().t1("admin-webhooks-deleted", "url", e.url.as_str());
    let jar = flash::push(jar, &state, Level::Success, text);
    Ok((jar, Redirect::to("/admin/webhooks")).into_response())
}
