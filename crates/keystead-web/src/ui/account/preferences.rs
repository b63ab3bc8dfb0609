//! My Account → Notifications and Billing address.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::accounts::preferences::Category;
use keystead_core::i18n::countries::countries;
use keystead_core::{Error, FieldErrors};

use super::{NavSection, Section, chrome};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::extract::{ClientMeta, RequireSession};
use crate::flash::{self, Level};
use crate::state::AppState;
use crate::ui::Layout;

/// A category as shown.
#[derive(Debug, Clone)]
pub struct CategoryView {
    name: &'static str,
    label: String,
    description: String,
    enabled: bool,
    mandatory: bool,
}

/// The notifications page.
#[derive(Template, WebTemplate)]
#[template(path = "account/notifications.html")]
pub struct NotificationsPage {
    layout: Layout,
    nav: Vec<NavSection>,
    csrf: String,
    categories: Vec<CategoryView>,
}

/// The billing page.
#[derive(Template, WebTemplate)]
#[template(path = "account/billing.html")]
pub struct BillingPage {
    layout: Layout,
    nav: Vec<NavSection>,
    csrf: String,
    values: HashMap<String, String>,
    errors: FieldErrors,
    countries: &'static [(&'static str, String)],
}

impl BillingPage {
    fn value(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }
}

/// `GET /account/notifications`
pub async fn show_notifications(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
) -> Result<Response, WebError> {
    let prefs = state.core.notification_preferences(session.user.id).await?;
    let (jar, flashes) = flash::take(jar, &state);
    let (layout, nav) = chrome(&state, &session, &csrf, Section::Notifications);
    let categories = prefs
        .iter()
        .map(|(c, enabled)| CategoryView {
            name: c.as_str(),
            label: layout.t(&format!("acct-notify-{}", c.as_str().replace('_', "-"))),
            description: layout.t(&format!("acct-notify-{}-description", c.as_str().replace('_', "-"))),
            enabled: *enabled,
            mandatory: c.is_mandatory(),
        })
        .collect();
    let page =
        NotificationsPage { layout: layout.with_flashes(flashes), nav, csrf: csrf.value().to_owned(), categories };
    Ok((csrf, jar, page).into_response())
}

/// `POST /account/notifications`: a checked box is `name=on`; unchecked boxes are absent.
pub async fn submit_notifications(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let enabled: Vec<Category> =
        Category::ALL.iter().copied().filter(|c| form.get(c.as_str()).is_some_and(|v| v == "on")).collect();
    state.core.set_notification_preferences(session.user.id, &enabled, &meta).await?;
    let jar = flash::push(jar, &state, Level::Success, crate::i18n::current().t("acct-notify-saved"));
    Ok((jar, Redirect::to("/account/notifications")).into_response())
}

/// `GET /account/billing`
pub async fn show_billing(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
) -> Result<Response, WebError> {
    let address = state.core.billing_address(session.user.id).await?;
    let values = match address {
        Some(a) => HashMap::from([
            ("name".to_owned(), a.name),
            ("company".to_owned(), a.company.unwrap_or_default()),
            ("line1".to_owned(), a.line1),
            ("line2".to_owned(), a.line2.unwrap_or_default()),
            ("postal_code".to_owned(), a.postal_code),
            ("city".to_owned(), a.city),
            ("region".to_owned(), a.region.unwrap_or_default()),
            ("country".to_owned(), a.country),
            ("vat_id".to_owned(), a.vat_id.unwrap_or_default()),
        ]),
        None => HashMap::new(),
    };
    let (jar, flashes) = flash::take(jar, &state);
    let (layout, nav) = chrome(&state, &session, &csrf, Section::Billing);
    let page = BillingPage {
        layout: layout.with_flashes(flashes),
        nav,
        csrf: csrf.value().to_owned(),
        values,
        errors: FieldErrors::new(),
        countries: countries(crate::i18n::current()),
    };
    Ok((csrf, jar, page).into_response())
}

/// `POST /account/billing`
pub async fn submit_billing(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Response {
    match state.core.set_billing_address(session.user.id, &form, &meta).await {
        Ok(_) => {
            let jar = flash::push(jar, &state, Level::Success, crate::i18n::current().t("acct-billing-saved"));
            (jar, Redirect::to("/account/billing")).into_response()
        }
        Err(Error::Invalid(errors)) => {
            let (layout, nav) = chrome(&state, &session, &csrf, Section::Billing);
            let page = BillingPage {
                layout,
                nav,
                csrf: csrf.value().to_owned(),
                values: form,
                errors: super::localize_errors(errors, "billing"),
                countries: countries(crate::i18n::current()),
            };
            (StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response()
        }
        Err(e) => WebError(e).into_response(),
    }
}
