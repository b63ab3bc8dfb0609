//! My Account → Extensions: the extension chooser. The extensions the user's licenses allow,
//! grouped (manufacturers, utilities); each card selects or deselects with a plain form, so it
//! works without JavaScript. Applications read the selection (the `licenses` claim and the API).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::Error;
use keystead_core::licensing::{ExtensionChoice, ProductGroup};
use serde::Deserialize;

use super::{NavSection, Section, chrome};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::extract::{ClientMeta, RequireSession};
use crate::flash::{self, Level};
use crate::state::AppState;
use crate::ui::Layout;

/// Where the chooser lives.
const PAGE: &str = "/account/extensions";

/// An extension as shown on its card.
#[derive(Debug, Clone)]
pub struct ExtensionCard {
    key: String,
    name: String,
    description: String,
    icon_url: Option<String>,
    /// The first letter of the name, for the badge shown without an icon.
    initial: String,
    learn_more_url: Option<String>,
    selected: bool,
}

impl From<ExtensionChoice> for ExtensionCard {
    fn from(c: ExtensionChoice) -> Self {
        let initial = c
            .product
            .name
            .chars()
            .find(|ch| ch.is_alphanumeric())
            .map_or_else(|| "?".to_owned(), |ch| ch.to_uppercase().collect());
        Self {
            key: c.product.key,
            name: c.product.name,
            description: c.product.description,
            icon_url: c.product.icon_url,
            initial,
            learn_more_url: c.product.learn_more_url,
            selected: c.selected,
        }
    }
}

/// A heading of the chooser with its cards.
#[derive(Debug, Clone)]
pub struct ExtensionGroup {
    id: &'static str,
    /// The message id of the heading.
    label: &'static str,
    cards: Vec<ExtensionCard>,
}

/// The chooser page.
#[derive(Template, WebTemplate)]
#[template(path = "account/extensions.html")]
pub struct ExtensionsPage {
    layout: Layout,
    nav: Vec<NavSection>,
    csrf: String,
    groups: Vec<ExtensionGroup>,
    selected: usize,
}

/// The select/deselect form: `product` (the extension's key) and `selected` (`1` or `0`).
#[derive(Debug, Deserialize)]
pub struct SelectForm {
    #[serde(default)]
    product: String,
    #[serde(default)]
    selected: String,
}

/// The cards under their headings, by name; a heading without cards is left out.
fn groups(choices: Vec<ExtensionChoice>) -> Vec<ExtensionGroup> {
    let headings = [
        (ProductGroup::Manufacturer, "manufacturers", "acct-ext-group-manufacturers"),
        (ProductGroup::Utility, "utilities", "acct-ext-group-utilities"),
    ];
    let mut choices = choices;
    choices.sort_by_key(|c| c.product.name.to_lowercase());
    headings
        .into_iter()
        .map(|(group, id, label)| ExtensionGroup {
            id,
            label,
            cards: choices.iter().filter(|c| c.product.group == group).cloned().map(Into::into).collect(),
        })
        .filter(|g| !g.cards.is_empty())
        .collect()
}

/// `GET /account/extensions`
pub async fn show_extensions(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
) -> Result<Response, WebError> {
    let choices = state.core.extension_choices(session.user.id).await?;
    let selected = choices.iter().filter(|c| c.selected).count();
    // Icons are the operator's URLs (validated http(s)): allow their origins on this page only.
    let origins: Vec<String> = choices
        .iter()
        .filter_map(|c| c.product.icon_url.as_deref())
        .filter_map(|u| url::Url::parse(u).ok())
        .map(|u| u.origin().ascii_serialization())
        .filter(|o| o != "null")
        .collect();
    let csp = crate::middleware::csp_with_image_origins(origins.iter().map(String::as_str));
    let (jar, flashes) = flash::take(jar, &state);
    let (layout, nav) = chrome(&state, &session, &csrf, Section::Extensions);
    let page = ExtensionsPage {
        layout: layout.with_flashes(flashes),
        nav,
        csrf: csrf.value().to_owned(),
        groups: groups(choices),
        selected,
    };
    let mut response = (csrf, jar, page).into_response();
    if let Some(csp) = csp {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    Ok(response)
}

/// `POST /account/extensions/select`: selects (`selected=1`) or deselects (`selected=0`) one
/// extension, then back to the chooser. An extension the user's licenses do not allow is a 404.
pub async fn select_extension(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<SelectForm>,
) -> Result<Response, WebError> {
    let selected = match form.selected.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(WebError(Error::invalid("selected", "invalid_choice", "Choose to select or deselect."))),
    };
    let choice = state.core.set_extension_selected(session.user.id, form.product.trim(), selected, &meta).await?;
    let key = if choice.selected { "acct-ext-selected-flash" } else { "acct-ext-deselected-flash" };
    let text = crate::i18n::current().t1(key, "name", choice.product.name);
    let jar = flash::push(jar, &state, Level::Success, text);
    Ok((jar, Redirect::to(PAGE)).into_response())
}
