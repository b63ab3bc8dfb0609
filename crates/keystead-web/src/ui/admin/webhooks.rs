//! Console → Webhooks: the deployment's endpoints (organizations manage their own through their
//! tokens), adding one with the admin API's checks (`Core::create_webhook_endpoint`) and its
//! signing secret shown once, on the answer to the form.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::webhooks::{EVENT_TYPES, Endpoint, NewEndpoint};
use keystead_core::{Error, FieldErrors};
use secrecy::{ExposeSecret as _, SecretString};

use super::{AdminNav, AdminSection, RequireOperator, chrome};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::flash;
use crate::state::AppState;
use crate::ui::Layout;

/// An endpoint as listed.
#[derive(Debug, Clone)]
pub struct EndpointRow {
    pub(crate) id: String,
    pub(crate) url: String,
    pub(crate) description: String,
    pub(crate) events: String,
    /// `enabled`, `failing` or `disabled` (the badge's class).
    pub(crate) state: &'static str,
    pub(crate) state_label: String,
}

/// The list.
#[derive(Template, WebTemplate)]
#[template(path = "admin/webhooks.html")]
pub struct WebhooksPage {
    layout: Layout,
    nav: AdminNav,
    endpoints: Vec<EndpointRow>,
}

/// An event type to choose.
#[derive(Debug, Clone)]
pub struct EventChoice {
    pub(crate) value: &'static str,
    pub(crate) description: &'static str,
    pub(crate) checked: bool,
}

/// The endpoint form's values (adding and changing).
#[derive(Debug, Clone, Default)]
pub struct EndpointForm {
    pub(crate) url: String,
    pub(crate) description: String,
    pub(crate) all: bool,
    pub(crate) events: Vec<String>,
    pub(crate) enabled: bool,
}

impl EndpointForm {
    /// The posted fields: `url`, `description`, `all` (every event), `event` (one per type), `enabled`.
    pub(crate) fn posted(fields: &[(String, String)]) -> Self {
        let value = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
        Self {
            url: value("url"),
            description: value("description"),
            all: fields.iter().any(|(n, v)| n == "all" && v == "on"),
            events: fields.iter().filter(|(n, _)| n == "event").map(|(_, v)| v.clone()).collect(),
            enabled: fields.iter().any(|(n, v)| n == "enabled" && v == "on"),
        }
    }

    pub(crate) fn of(e: &Endpoint) -> Self {
        let all = e.events.iter().any(|t| t == "*");
        Self {
            url: e.url.clone(),
            description: e.description.clone(),
            all,
            events: if all { Vec::new() } else { e.events.clone() },
            enabled: e.enabled,
        }
    }

    /// The event types to send: `*` for all.
    pub(crate) fn chosen(&self) -> Vec<String> {
        if self.all { vec!["*".to_owned()] } else { self.events.clone() }
    }

    pub(crate) fn choices(&self) -> Vec<EventChoice> {
        EVENT_TYPES
            .iter()
            .map(|(value, description)| EventChoice {
                value,
                description,
                checked: self.events.iter().any(|e| e == value),
            })
            .collect()
    }
}

/// The form adding an endpoint.
#[derive(Template, WebTemplate)]
#[template(path = "admin/webhook_new.html")]
pub struct NewWebhookPage {
    layout: Layout,
    nav: AdminNav,
    csrf: String,
    form: EndpointForm,
    errors: FieldErrors,
}

/// The answer showing a signing secret, once (adding an endpoint, a new secret).
#[derive(Template, WebTemplate)]
#[template(path = "admin/webhook_secret.html")]
pub struct WebhookSecretPage {
    layout: Layout,
    nav: AdminNav,
    heading: String,
    id: String,
    url: String,
    secret: String,
    previous_until: Option<String>,
}

/// The state of an endpoint: its badge's class and words.
pub(crate) fn state(e: &Endpoint) -> (&'static str, String) {
    let l = crate::i18n::current();
    match (e.enabled, e.failing_since) {
        (false, _) => ("disabled", l.t("admin-webhooks-state-disabled")),
        (true, Some(since)) => ("failing", l.t1("admin-webhooks-state-failing", "date", l.date_time(since))),
        (true, None) => ("enabled", l.t("admin-webhooks-state-enabled")),
    }
}

/// The event types of an endpoint in a few words.
pub(crate) fn events_text(events: &[String]) -> String {
    if events.iter().any(|e| e == "*") {
        crate::i18n::current().t("admin-webhooks-all-events")
    } else {
        events.join(", ")
    }
}

/// `GET /admin/webhooks`
pub async fn show_webhooks(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
) -> Result<Response, WebError> {
    let endpoints = state.core.webhook_endpoints(op.actor(), None).await?;
    let rows = endpoints
        .iter()
        .map(|e| {
            let (state, state_label) = self::state(e);
            EndpointRow {
                id: e.id.to_string(),
                url: e.url.clone(),
                description: e.description.clone(),
                events: events_text(&e.events),
                state,
                state_label,
            }
        })
        .collect();
    let (layout, nav) = chrome(&state, &op.session, &csrf, AdminSection::Webhooks, None);
    let (jar, flashes) = flash::take(jar, &state);
    let page = WebhooksPage { layout: layout.with_flashes(flashes), nav, endpoints: rows };
    Ok((csrf, jar, page).into_response())
}

fn new_page(state: &AppState, op: &RequireOperator, csrf: &CsrfToken, form: EndpointForm) -> NewWebhookPage {
    let title = crate::i18n::current().t("admin-webhooks-new-title");
    let (layout, nav) = chrome(state, &op.session, csrf, AdminSection::Webhooks, Some(title));
    NewWebhookPage { layout, nav, csrf: csrf.value().to_owned(), form, errors: FieldErrors::new() }
}

/// `GET /admin/webhooks/new`
pub async fn show_new_webhook(State(state): State<AppState>, csrf: CsrfToken, op: RequireOperator) -> Response {
    let page = new_page(&state, &op, &csrf, EndpointForm { enabled: true, ..EndpointForm::default() });
    (csrf, page).into_response()
}

/// The page showing an endpoint's new secret, once.
pub(crate) fn secret_page(
    state: &AppState,
    op: &RequireOperator,
    csrf: &CsrfToken,
    heading: String,
    endpoint: &Endpoint,
    secret: &SecretString,
) -> WebhookSecretPage {
    let l = crate::i18n::current();
    let (layout, nav) = chrome(state, &op.session, csrf, AdminSection::Webhooks, Some(heading.clone()));
    WebhookSecretPage {
        layout,
        nav,
        heading,
        id: endpoint.id.to_string(),
        url: endpoint.url.clone(),
        secret: secret.expose_secret().to_owned(),
        previous_until: endpoint.previous_secret_until.map(|t| l.date_time(t)),
    }
}

/// `POST /admin/webhooks`: adds the endpoint and shows its secret this once.
pub async fn create_webhook(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let form = EndpointForm::posted(&fields);
    let new = NewEndpoint { url: form.url.clone(), description: form.description.clone(), events: form.chosen() };
    match state.core.create_webhook_endpoint(op.actor(), None, new, &op.meta).await {
        Ok((endpoint, secret)) => {
            let heading = crate::i18n::current().t("admin-webhooks-created-title");
            let page = secret_page(&state, &op, &csrf, heading, &endpoint, &secret);
            Ok((csrf, page).into_response())
        }
        Err(Error::Invalid(errors)) => {
            let mut page = new_page(&state, &op, &csrf, form);
            page.errors = errors.localized(crate::i18n::current());
            Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response())
        }
        Err(e) => Err(WebError(e)),
    }
}
