//! My Account → Overview (`GET /account`): where a signed-in user lands when nothing else asked
//! for a page — what is set up and what to do next, never a dead end.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::accounts::overview::FEW_RECOVERY_CODES;

use super::{NavSection, Section, chrome};
use crate::csrf::CsrfToken;
use crate::error::WebError;
use crate::extract::RequireSession;
use crate::flash;
use crate::state::AppState;
use crate::ui::Layout;

/// A step of the security setup.
pub struct Step {
    /// What it is ("Two-factor authentication").
    label: String,
    /// Done, or what to do.
    done: bool,
    /// The call to action when not done.
    action: String,
    /// Where to do it.
    href: &'static str,
}

/// An organization on the overview.
pub struct OrgLine {
    name: String,
    active: bool,
}

/// The page.
#[derive(Template, WebTemplate)]
#[template(path = "account/overview.html")]
pub struct OverviewPage {
    layout: Layout,
    nav: Vec<NavSection>,
    name: String,
    /// "Ada Lovelace (ada@example.com)", or the address alone.
    signed_in_as: String,
    steps: Vec<Step>,
    steps_done: usize,
    organizations: Vec<OrgLine>,
    apps: Vec<String>,
    licenses: Vec<String>,
}

/// `GET /account`
pub async fn show_overview(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
) -> Result<Response, WebError> {
    let overview = state.core.account_overview(&session).await?;
    let (layout, nav) = chrome(&state, &session, &csrf, Section::Overview);
    let l = layout.lang;
    let [password, two_factor, codes] = overview.security_steps();
    let mut steps = vec![
        Step {
            label: l.t("overview-step-password"),
            done: password,
            action: l.t("overview-step-password-action"),
            href: "/account/password",
        },
        Step {
            label: l.t("overview-step-two-factor"),
            done: two_factor,
            action: l.t("overview-step-two-factor-action"),
            href: "/account/two-factor",
        },
    ];
    if two_factor {
        steps.push(Step {
            label: l.t1("overview-step-recovery", "min", FEW_RECOVERY_CODES),
            done: codes,
            action: l.t("overview-step-recovery-action"),
            href: "/account/two-factor",
        });
    }
    let steps_done = steps.iter().filter(|s| s.done).count();
    let (jar, flashes) = flash::take(jar, &state);
    let page = OverviewPage {
        layout: layout.with_flashes(flashes),
        nav,
        name: session.user.given_name.clone().unwrap_or_else(|| session.user.display_name()),
        signed_in_as: match session.user.display_name() {
            n if n == session.user.email => n,
            n => format!("{n} ({})", session.user.email),
        },
        steps,
        steps_done,
        organizations: overview.organizations.into_iter().map(|o| OrgLine { name: o.name, active: o.active }).collect(),
        apps: overview.apps.into_iter().map(|a| a.name).collect(),
        licenses: overview.licenses.into_iter().map(|h| format!("{} — {}", h.product_name, h.plan_name)).collect(),
    };
    Ok((csrf, jar, page).into_response())
}
