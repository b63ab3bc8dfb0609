//! Destructive actions on the organization pages ask first: removing a member, deleting a group,
//! deleting a role. Each `GET …?{id}=` names what goes, and its form posts to the action (which
//! checks the permission again in core). An unknown or malformed id is a 404.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use keystead_core::Error;
use keystead_core::i18n::Arg;
use keystead_core::ids::UserId;
use keystead_core::organizations::{Actor, Organization, Permission};
use serde::Deserialize;

use super::{OrgChrome, chrome, load, require, role_label};
use crate::csrf::CsrfToken;
use crate::error::WebError;
use crate::extract::RequireSession;
use crate::state::AppState;
use crate::ui::Layout;

/// `?user=`, `?group=` or `?role=`: the id of what the action is about.
#[derive(Debug, Deserialize)]
pub struct ConfirmQuery {
    #[serde(default)]
    user: String,
    #[serde(default)]
    group: String,
    #[serde(default)]
    role: String,
}

/// A confirmation page.
#[derive(Template, WebTemplate)]
#[template(path = "org/confirm.html")]
pub struct OrgConfirmPage {
    layout: Layout,
    org: OrgChrome,
    csrf: String,
    heading: String,
    message: String,
    /// Where the form posts, and the field naming what it is about.
    action: String,
    field: &'static str,
    value: String,
    button: String,
    /// The page the action came from (Cancel).
    back: String,
}

/// What a confirmation page says, before the organization's chrome is put around it.
struct Ask {
    tab: &'static str,
    keys: [&'static str; 2],
    message: String,
    path: &'static str,
    field: &'static str,
    value: String,
}

fn page(
    state: &AppState,
    session: &RequireSession,
    csrf: CsrfToken,
    org: &Organization,
    perms: keystead_core::organizations::PermissionSet,
    ask: Ask,
) -> Response {
    let l = crate::i18n::current();
    let heading = l.t(ask.keys[0]);
    let layout =
        Layout::new(state, heading.clone()).signed_in(Some(&session.0), &csrf).branded(org.brand_color.as_deref());
    let view = OrgConfirmPage {
        layout,
        org: chrome(org, perms, ask.tab),
        csrf: csrf.value().to_owned(),
        heading,
        message: ask.message,
        action: format!("/org/{}/{}", org.slug, ask.path),
        field: ask.field,
        value: ask.value,
        button: l.t(ask.keys[1]),
        back: format!("/org/{}/{}", org.slug, ask.tab),
    };
    (csrf, view).into_response()
}

fn id<T: std::str::FromStr>(raw: &str) -> Result<T, WebError> {
    raw.trim().parse().map_err(|_| WebError(Error::NotFound))
}

/// `GET /org/{slug}/members/remove?user=…`
pub async fn confirm_remove_org_member(
    State(state): State<AppState>,
    csrf: CsrfToken,
    session: RequireSession,
    Path(slug): Path<String>,
    Query(q): Query<ConfirmQuery>,
) -> Result<Response, WebError> {
    let (org, perms, _) = load(&state, session.0.user.id, &slug).await?;
    require(perms, Permission::MembersRemove)?;
    let user: UserId = id(&q.user)?;
    let member = state.core.user_within(Actor::User(session.0.user.id), Some(org.id), user).await?;
    let l = crate::i18n::current();
    let message = l.t2("org-members-remove-message", "email", member.user.email.as_str(), "org", org.name.as_str());
    let keys = ["org-members-remove-title", "org-members-remove"];
    let ask = Ask { tab: "members", keys, message, path: "members/remove", field: "user", value: user.to_string() };
    Ok(page(&state, &session, csrf, &org, perms, ask))
}

/// `GET /org/{slug}/groups/delete?group=…`
pub async fn confirm_delete_org_group(
    State(state): State<AppState>,
    csrf: CsrfToken,
    session: RequireSession,
    Path(slug): Path<String>,
    Query(q): Query<ConfirmQuery>,
) -> Result<Response, WebError> {
    let (org, perms, _) = load(&state, session.0.user.id, &slug).await?;
    require(perms, Permission::GroupsManage)?;
    let group = id(&q.group)?;
    let groups = state.core.groups_for(session.0.user.id, org.id).await?;
    let g = groups.into_iter().find(|g| g.id == group).ok_or(WebError(Error::NotFound))?;
    let args =
        [("group", Arg::from(g.name.as_str())), ("count", Arg::Num(g.members)), ("org", Arg::from(org.name.as_str()))];
    let message = crate::i18n::current().t_args("org-groups-delete-message", &args);
    let keys = ["org-groups-delete-title", "org-delete"];
    let ask = Ask { tab: "groups", keys, message, path: "groups/delete", field: "group", value: group.to_string() };
    Ok(page(&state, &session, csrf, &org, perms, ask))
}

/// `GET /org/{slug}/roles/delete?role=…`
pub async fn confirm_delete_org_role(
    State(state): State<AppState>,
    csrf: CsrfToken,
    session: RequireSession,
    Path(slug): Path<String>,
    Query(q): Query<ConfirmQuery>,
) -> Result<Response, WebError> {
    let (org, perms, _) = load(&state, session.0.user.id, &slug).await?;
    require(perms, Permission::RolesManage)?;
    let role = id(&q.role)?;
    let roles = state.core.organization_roles(Actor::User(session.0.user.id), org.id).await?;
    let r = roles.into_iter().find(|r| r.id == Some(role)).ok_or(WebError(Error::NotFound))?;
    let name = if r.builtin { role_label(&r.name) } else { r.label };
    let message = crate::i18n::current().t1("org-roles-delete-message", "role", name.as_str());
    let keys = ["org-roles-delete-title", "org-delete"];
    let ask = Ask { tab: "roles", keys, message, path: "roles/delete", field: "role", value: role.to_string() };
    Ok(page(&state, &session, csrf, &org, perms, ask))
}
