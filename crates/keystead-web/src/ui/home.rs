//! The home page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum_extra::extract::SignedCookieJar;

use super::Layout;
use crate::flash;
use crate::state::AppState;

/// The home page.
#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    layout: Layout,
}

/// `GET /`
pub async fn show_home(State(state): State<AppState>, jar: SignedCookieJar) -> (SignedCookieJar, HomePage) {
    let (jar, flashes) = flash::take(jar, &state);
    let title = format!("{} accounts", state.core.site_name());
    (jar, HomePage { layout: Layout::new(&state, title).with_flashes(flashes) })
}
