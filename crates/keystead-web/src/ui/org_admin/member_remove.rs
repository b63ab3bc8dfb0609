//! Removing a member asks first: `GET /org/{slug}/members/remove?user=…` names who loses what,
//! and its form posts to `remove_org_member` (which checks the permission again in core).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use keystead_core::Error;
use keystead_core::ids::UserId;
use keystead_core::organizations::{Actor, Permission};
use serde::Deserialize;

use super::{OrgChrome, chrome, load, require};
use crate::csrf::CsrfToken;
use crate::error::WebError;
use crate::extract::RequireSession;
use crate::state::AppState;
use crate::ui::Layout;

/// `?user=`
#[derive(Debug, Deserialize)]
pub struct RemoveQuery {
    #[serde(default)]
    user: String,
}

/// The confirmation.
#[derive(Template, WebTemplate)]
#[template(path = "org/member_remove.html")]
pub struct RemoveMemberPage {
    layout: Layout,
    org: OrgChrome,
    csrf: String,
    user: String,
    message: String,
}

/// `GET /org/{slug}/members/remove?user=…`
pub async fn confirm_remove_org_member(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    Path(slug): Path<String>,
    Query(q): Query<RemoveQuery>,
) -> Result<Response, WebError> {
    let (org, perms, _) = load(&state, session.user.id, &slug).await?;
    require(perms, Permission::MembersRemove)?;
    let user: UserId = q.user.trim().parse().map_err(|_| WebError(Error::NotFound))?;
    let member = state.core.user_within(Actor::User(session.user.id), Some(org.id), user).await?;
    let l = crate::i18n::current();
    let message = l.t2("org-members-remove-message", "email", member.user.email.as_str(), "org", org.name.as_str());
    let layout = Layout::new(&state, l.t("org-members-remove-title"))
        .signed_in(Some(&session), &csrf)
        .branded(org.brand_color.as_deref());
    let page = RemoveMemberPage {
        layout,
        org: chrome(&org, perms, "members"),
        csrf: csrf.value().to_owned(),
        user: user.to_string(),
        message,
    };
    Ok((csrf, page).into_response())
}
