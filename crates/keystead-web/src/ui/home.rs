//! The home page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum_extra::extract::SignedCookieJar;

use super::Layout;
use axum::response::{IntoResponse, Redirect, Response};
use keystead_core::sessions::SessionStage;

use crate::csrf::CsrfToken;
use crate::extract::CurrentSession;
use crate::flash;
use crate::state::AppState;

/// The home page.
#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    layout: Layout,
    user: Option<(String, String)>,
}

/// `GET /`
pub async fn show_home(
    State(state): State<AppState>,
    csrf: CsrfToken,
    session: CurrentSession,
    jar: SignedCookieJar,
) -> Response {
    if session.0.as_ref().is_some_and(|s| s.stage == SessionStage::PasswordExpired) {
        return Redirect::to("/password/expired").into_response();
    }
    if let Some(s) = session.authenticated() {
        match state.core.must_complete_profile(&s.user).await {
            Ok(true) => return Redirect::to("/complete-profile").into_response(),
            Ok(false) => {}
            Err(e) => return crate::error::WebError(e).into_response(),
        }
    }
    let (jar, flashes) = flash::take(jar, &state);
    let title = crate::i18n::current().t1("auth-home-title", "site", state.core.site_name());
    let signed_in = session.authenticated().cloned();
    let layout = Layout::new(&state, title).with_flashes(flashes).signed_in(signed_in.as_ref(), &csrf);
    let user = signed_in.map(|s| (s.user.display_name(), s.user.email));
    (csrf, jar, HomePage { layout, user }).into_response()
}
