//! The groups page: the organization's groups with their join policy and size, adding a member
//! by address, deleting, and a new group.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::Error;
use keystead_core::ids::GroupId;
use keystead_core::organizations::{Actor, JoinPolicy, Permission};
use serde::Deserialize;

use super::{OrgChrome, answer, chrome, load, org_of, require, t};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::extract::{ClientMeta, RequireSession};
use crate::flash;
use crate::state::AppState;
use crate::ui::Layout;

/// A group row.
#[derive(Debug, Clone)]
pub struct GroupRowView {
    id: String,
    name: String,
    description: String,
    /// Who may join, in the request's language.
    policy: String,
    members: i64,
}

/// The groups page.
#[derive(Template, WebTemplate)]
#[template(path = "org/groups.html")]
pub struct OrgGroupsPage {
    layout: Layout,
    org: OrgChrome,
    csrf: String,
    groups: Vec<GroupRowView>,
}

/// The new-group form.
#[derive(Debug, Deserialize)]
pub struct NewGroupForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    join_policy: String,
}

/// A form naming a group (and, to add someone, their address).
#[derive(Debug, Deserialize)]
pub struct OrgGroupForm {
    group: GroupId,
    #[serde(default)]
    email: String,
}

/// `GET /org/{slug}/groups`
pub async fn show_org_groups(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
) -> Result<Response, WebError> {
    let (org, perms, _) = load(&state, session.user.id, &slug).await?;
    require(perms, Permission::GroupsManage)?;
    let groups = state.core.groups_for(session.user.id, org.id).await?;
    let (jar, flashes) = flash::take(jar, &state);
    let layout = Layout::new(&state, crate::i18n::current().t1("org-groups-title", "org", &org.name))
        .signed_in(Some(&session), &csrf)
        .branded(org.brand_color.as_deref());
    let page = OrgGroupsPage {
        layout: layout.with_flashes(flashes),
        org: chrome(&org, perms, "groups"),
        csrf: csrf.value().to_owned(),
        groups: groups
            .into_iter()
            .map(|g| GroupRowView {
                id: g.id.to_string(),
                name: g.name,
                description: g.description,
                policy: t(match g.join_policy {
                    JoinPolicy::Open => "org-group-policy-open",
                    JoinPolicy::Permission => "org-group-policy-permission",
                    JoinPolicy::Closed => "org-group-policy-closed",
                }),
                members: g.members,
            })
            .collect(),
    };
    Ok((csrf, jar, page).into_response())
}

/// `POST /org/{slug}/groups`
pub async fn create_org_group(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<NewGroupForm>,
) -> Result<Response, WebError> {
    let org = org_of(&state, session.user.id, &slug).await?;
    let actor = Actor::User(session.user.id);
    let result = state.core.create_group(actor, org.id, &form.name, &form.description, &form.join_policy, &meta).await;
    let back = format!("/org/{slug}/groups");
    let done = result.map(|_| crate::i18n::current().t1("org-flash-group-created", "name", form.name.trim()));
    answer(&state, jar, &back, done)
}

/// `POST /org/{slug}/groups/delete`
pub async fn delete_org_group(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<OrgGroupForm>,
) -> Result<Response, WebError> {
    org_of(&state, session.user.id, &slug).await?;
    let result = state.core.delete_group(Actor::User(session.user.id), form.group, &meta).await;
    let back = format!("/org/{slug}/groups");
    answer(&state, jar, &back, result.map(|()| t("org-flash-group-deleted")))
}

/// `POST /org/{slug}/groups/add`: adds a member (by address) to a group, whatever its policy.
pub async fn add_org_group_member(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<OrgGroupForm>,
) -> Result<Response, WebError> {
    let (_, perms, _) = load(&state, session.user.id, &slug).await?;
    require(perms, Permission::GroupsManage)?;
    let not_member = || Error::invalid("email", "not_a_member", "No member of the organization has this address.");
    let result = match state.core.user_by_email(&form.email).await {
        Ok(user) => state.core.add_to_group(Actor::User(session.user.id), form.group, user.id, &meta).await,
        Err(Error::NotFound | Error::Invalid(_)) => Err(not_member()),
        Err(e) => Err(e),
    };
    let back = format!("/org/{slug}/groups");
    let done = result.map(|()| crate::i18n::current().t1("org-flash-group-member-added", "email", form.email.trim()));
    answer(&state, jar, &back, done)
}
