//! Server-rendered pages: the shared layout and the pages of the shell.

mod home;

pub use home::show_home;

use askama::Template;
use axum::http::StatusCode;

use crate::assets;
use crate::error::{ErrorInfo, title_for};
use crate::flash::Flash;
use crate::state::AppState;

/// An entry of the account menu.
#[derive(Debug, Clone)]
pub struct MenuEntry {
    /// Visible text.
    pub label: String,
    /// Target.
    pub href: String,
}

/// The signed-in user's account menu in the header.
#[derive(Debug, Clone)]
pub struct AccountMenu {
    /// Name or email shown on the menu button.
    pub display_name: String,
    /// The menu's entries (My Account, Sign out, … as features arrive).
    pub entries: Vec<MenuEntry>,
}

/// What every page's layout shows: product name, stylesheet, title, messages, account menu.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The product name.
    pub site_name: String,
    /// The stylesheet URL (with a content hash for caching).
    pub css_href: String,
    /// The page title.
    pub title: String,
    /// One-time messages.
    pub flashes: Vec<Flash>,
    /// The account menu, when signed in.
    pub account: Option<AccountMenu>,
}

impl Layout {
    /// The layout for a page titled `title`.
    pub fn new(state: &AppState, title: impl Into<String>) -> Self {
        Self {
            site_name: state.core.site_name().to_owned(),
            css_href: assets::url("app.css"),
            title: title.into(),
            flashes: Vec::new(),
            account: None,
        }
    }

    /// Adds one-time messages.
    pub fn with_flashes(mut self, flashes: Vec<Flash>) -> Self {
        self.flashes = flashes;
        self
    }
}

/// The page for any error.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    layout: Layout,
    status: u16,
    heading: &'static str,
    detail: String,
    fields: Vec<(String, String)>,
    request_id: String,
}

impl ErrorPage {
    /// The page for `info` at `status`.
    pub fn new(state: &AppState, status: StatusCode, info: &ErrorInfo, request_id: &str) -> Self {
        let heading = title_for(info.code);
        Self {
            layout: Layout::new(state, heading),
            status: status.as_u16(),
            heading,
            detail: info.detail.clone(),
            fields: info.fields.0.iter().map(|f| (f.field.clone(), f.message.clone())).collect(),
            request_id: request_id.to_owned(),
        }
    }

    /// Renders the HTML.
    pub fn render_html(&self) -> askama::Result<String> {
        self.render()
    }
}
