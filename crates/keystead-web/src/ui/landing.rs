//! `GET /landing`: sends a signed-in user where their licenses say (the extension chooser, the
//! downloads page, an external app, My Account → Licenses, the marketplace or home).

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use keystead_core::licensing::Landing;

use crate::error::WebError;
use crate::extract::RequireSession;
use crate::state::AppState;

/// The page or URL for a landing.
fn location(landing: &Landing) -> &str {
    match landing {
        Landing::ExtensionChooser => "/account/extensions",
        Landing::Downloads => "/account/downloads",
        Landing::ExternalApp(url) | Landing::NoLicense(url) => url.as_str(),
        Landing::Licenses => "/account/licenses",
        Landing::Home => "/",
    }
}

/// `GET /landing` (303 to the landing; a visitor signs in first, an incomplete profile is
/// completed first, both by `RequireSession`).
pub async fn show_landing(
    State(state): State<AppState>,
    RequireSession(session): RequireSession,
) -> Result<Response, WebError> {
    let landing = state.core.landing_for(session.user.id).await?;
    Ok(Redirect::to(location(&landing)).into_response())
}
