//! The roles page: the built-in and custom roles with their permissions, deleting a custom role,
//! and a new custom role from checked permissions.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::ids::RoleId;
use keystead_core::organizations::{Actor, Permission};
use serde::Deserialize;

use super::{OrgChrome, answer, chrome, load, org_of, permission_description, require, role_label, t};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::extract::{ClientMeta, RequireSession};
use crate::flash;
use crate::state::AppState;
use crate::ui::Layout;

/// A role row.
#[derive(Debug, Clone)]
pub struct RoleRowView {
    id: String,
    name: String,
    permissions: String,
    builtin: bool,
}

/// A permission checkbox.
#[derive(Debug, Clone)]
pub struct PermissionChoice {
    name: &'static str,
    description: String,
}

/// The roles page.
#[derive(Template, WebTemplate)]
#[template(path = "org/roles.html")]
pub struct RolesPage {
    layout: Layout,
    org: OrgChrome,
    csrf: String,
    roles: Vec<RoleRowView>,
    catalogue: Vec<PermissionChoice>,
}

/// A form naming a custom role.
#[derive(Debug, Deserialize)]
pub struct RoleIdForm {
    role: RoleId,
}

/// `GET /org/{slug}/roles`
pub async fn show_org_roles(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
) -> Result<Response, WebError> {
    let (org, perms, _) = load(&state, session.user.id, &slug).await?;
    require(perms, Permission::RolesManage)?;
    let roles = state.core.organization_roles(Actor::User(session.user.id), org.id).await?;
    let (jar, flashes) = flash::take(jar, &state);
    let layout = Layout::new(&state, crate::i18n::current().t1("org-roles-title", "org", &org.name))
        .signed_in(Some(&session), &csrf)
        .branded(org.brand_color.as_deref());
    let page = RolesPage {
        layout: layout.with_flashes(flashes),
        org: chrome(&org, perms, "roles"),
        csrf: csrf.value().to_owned(),
        roles: roles
            .into_iter()
            .map(|r| RoleRowView {
                id: r.id.map(|i| i.to_string()).unwrap_or_default(),
                name: if r.builtin { role_label(&r.name) } else { r.label },
                permissions: r.permissions.iter().map(Permission::as_str).collect::<Vec<_>>().join(", "),
                builtin: r.builtin,
            })
            .collect(),
        catalogue: Permission::ALL
            .into_iter()
            .map(|p| PermissionChoice { name: p.as_str(), description: permission_description(p) })
            .collect(),
    };
    Ok((csrf, jar, page).into_response())
}

/// `POST /org/{slug}/roles`: a custom role from the checked permissions.
pub async fn create_org_role(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let org = org_of(&state, session.user.id, &slug).await?;
    let name = fields.iter().find(|(k, _)| k == "name").map(|(_, v)| v.clone()).unwrap_or_default();
    let permissions: Vec<String> = fields.into_iter().filter(|(k, _)| k == "permission").map(|(_, v)| v).collect();
    let result = state.core.create_role(Actor::User(session.user.id), org.id, &name, &permissions, &meta).await;
    let back = format!("/org/{slug}/roles");
    let done = result.map(|_| crate::i18n::current().t1("org-flash-role-created", "name", name.trim()));
    answer(&state, jar, &back, done)
}

/// `POST /org/{slug}/roles/delete`
pub async fn delete_org_role(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<RoleIdForm>,
) -> Result<Response, WebError> {
    let org = org_of(&state, session.user.id, &slug).await?;
    let result = state.core.delete_role(Actor::User(session.user.id), org.id, form.role, &meta).await;
    let back = format!("/org/{slug}/roles");
    answer(&state, jar, &back, result.map(|()| t("org-flash-role-deleted")))
}
