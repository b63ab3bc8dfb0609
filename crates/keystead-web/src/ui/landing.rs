//! `GET /landing`: sends a signed-in user where their licenses say (the extension chooser, the
//! downloads page, an external app, My Account → Licenses, the marketplace or home).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::licensing::Landing;

use super::Layout;
use crate::csrf::CsrfToken;
use crate::error::WebError;
use crate::extract::RequireSession;
use crate::flash;
use crate::state::AppState;

/// The page that moves on to another site (an external app or the marketplace).
#[derive(Template, WebTemplate)]
#[template(path = "landing_away.html")]
pub struct LandingAwayPage {
    layout: Layout,
    target: String,
    host: String,
}

/// Where a landing is: a page of this site, or another site.
enum Target {
    Here(&'static str),
    Away(url::Url),
}

fn target(landing: Landing) -> Target {
    match landing {
        Landing::ExtensionChooser => Target::Here("/account/extensions"),
        Landing::Downloads => Target::Here("/account/downloads"),
        Landing::Licenses => Target::Here("/account/licenses"),
        Landing::Home => Target::Here("/account"),
        Landing::ExternalApp(url) | Landing::NoLicense(url) => Target::Away(url),
    }
}

/// `GET /landing`: a 303 to a page of this site; for another site, a page that moves on by
/// itself (`<meta http-equiv="refresh">`, and a link). Not a redirect there: `/landing` is
/// reached by redirects from sign-in forms, and Chromium applies the form's
/// `form-action 'self'` to every redirect that follows it, so it would stop a redirect to another
/// origin. A visitor signs in first and an incomplete profile is completed first, both by
/// `RequireSession`.
pub async fn show_landing(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
) -> Result<Response, WebError> {
    let landing = state.core.landing_for(session.user.id).await?;
    let url = match target(landing) {
        Target::Here(path) => return Ok(Redirect::to(path).into_response()),
        Target::Away(url) => url,
    };
    let host = url.host_str().unwrap_or_default().to_owned();
    let (jar, flashes) = flash::take(jar, &state);
    let layout = Layout::new(&state, crate::i18n::current().t1("auth-landing-away-title", "host", &host))
        .with_flashes(flashes)
        .signed_in(Some(&session), &csrf);
    let page = LandingAwayPage { layout, target: url.to_string(), host };
    Ok((csrf, jar, page).into_response())
}
