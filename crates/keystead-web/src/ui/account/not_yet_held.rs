//! My Account sections whose records Keystead cannot hold yet (invoices):
//! each has its place in the navigation and says plainly that there is nothing to show.
//! The page is true, not a placeholder: no invoice or course can exist for the user until
//! the feature that creates them lands, and that feature replaces the page with its own module.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::{NavSection, Section, chrome};
use crate::csrf::CsrfToken;
use crate::extract::RequireSession;
use crate::state::AppState;
use crate::ui::Layout;

/// A section with nothing to list (`empty` and `explanation` are message ids).
#[derive(Template, WebTemplate)]
#[template(path = "account/not_yet_held.html")]
pub struct EmptySectionPage {
    layout: Layout,
    nav: Vec<NavSection>,
    heading: String,
    empty: &'static str,
    explanation: &'static str,
}

fn render(
    state: &AppState,
    csrf: CsrfToken,
    session: &keystead_core::sessions::SessionInfo,
    section: Section,
    empty: &'static str,
    explanation: &'static str,
) -> Response {
    let (layout, nav) = chrome(state, session, &csrf, section);
    (csrf, EmptySectionPage { layout, nav, heading: section.label(), empty, explanation }).into_response()
}

/// `GET /account/invoices`
pub async fn show_invoices(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
) -> Response {
    render(&state, csrf, &session, Section::Invoices, "acct-invoices-none", "acct-invoices-explanation")
}
