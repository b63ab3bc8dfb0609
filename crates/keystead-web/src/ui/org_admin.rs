//! Organization admin pages, for holders of the permissions: members (search, pages of 50,
//! invite, change role, remove, open invitations), groups, custom roles and settings (licenses and
//! single sign-on have their own modules). Every
//! action is checked in core; a refusal for lack of permission is a 403 page and changes nothing.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::ids::{GroupId, InvitationId, RoleId, UserId};
use keystead_core::organizations::{
    Actor, JoinPolicy, Organization, OrganizationDomain, OrganizationSettings, Permission, PermissionSet, logo,
};
use keystead_core::sessions::SessionInfo;
use keystead_core::{Error, FieldErrors};
use serde::Deserialize;

use super::Layout;
use super::account::{answer, role_label};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::extract::{ClientMeta, RequireSession};
use crate::flash;
use crate::state::AppState;

/// A tab of the admin pages.
#[derive(Debug, Clone)]
pub struct Tab {
    pub(super) label: &'static str,
    pub(super) href: String,
    pub(super) current: bool,
}

/// What every admin page shows: the organization, the tabs the user may open.
#[derive(Debug, Clone)]
pub struct OrgChrome {
    pub(super) name: String,
    pub(super) slug: String,
    pub(super) tabs: Vec<Tab>,
    /// The logo's URL, or `None` for the initials.
    pub(super) logo: Option<String>,
    pub(super) initials: String,
}

/// A member row.
#[derive(Debug, Clone)]
pub struct MemberRowView {
    user_id: String,
    email: String,
    name: String,
    role: String,
    role_label: String,
    guest: bool,
    groups: String,
}

/// A role choice.
#[derive(Debug, Clone)]
pub struct RoleChoice {
    name: String,
    label: String,
}

/// An open invitation row.
#[derive(Debug, Clone)]
pub struct InvitationRowView {
    id: String,
    email: String,
    role: String,
    expires: String,
}

/// The members page.
#[derive(Template, WebTemplate)]
#[template(path = "org/members.html")]
pub struct MembersPage {
    layout: Layout,
    org: OrgChrome,
    csrf: String,
    members: Vec<MemberRowView>,
    search: String,
    page: i64,
    prev_href: Option<String>,
    next_href: Option<String>,
    roles: Vec<RoleChoice>,
    invitations: Vec<InvitationRowView>,
    can_invite: bool,
    can_change_roles: bool,
    can_remove: bool,
}

/// A group row.
#[derive(Debug, Clone)]
pub struct GroupRowView {
    id: String,
    name: String,
    description: String,
    policy: &'static str,
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

/// A custom role row.
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
    description: &'static str,
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

/// The settings page.
#[derive(Template, WebTemplate)]
#[template(path = "org/settings.html")]
pub struct SettingsPage {
    layout: Layout,
    org: OrgChrome,
    csrf: String,
    org_name: String,
    require_mfa: bool,
    min_length: String,
    max_length: String,
    domains: Vec<DomainView>,
    owner: bool,
    errors: FieldErrors,
}

/// A domain on the settings page.
#[derive(Debug, Clone)]
pub struct DomainView {
    domain: String,
    verified: bool,
    record_name: String,
    record_value: String,
    /// When the last check ran and what it found (pending domains).
    last_check: Option<String>,
}

/// `?q=&page=`
#[derive(Debug, Deserialize)]
pub struct MembersQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: i64,
}

/// The invite form.
#[derive(Debug, Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

/// The change-role form.
#[derive(Debug, Deserialize)]
pub struct RoleChangeForm {
    user: UserId,
    #[serde(default)]
    role: String,
}

/// A form naming a member.
#[derive(Debug, Deserialize)]
pub struct MemberForm {
    user: UserId,
}

/// A form naming an invitation.
#[derive(Debug, Deserialize)]
pub struct OrgInvitationForm {
    invitation: InvitationId,
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

/// A form naming a custom role.
#[derive(Debug, Deserialize)]
pub struct RoleIdForm {
    role: RoleId,
}

/// The settings form.
#[derive(Debug, Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    name: String,
    require_mfa: Option<String>,
    #[serde(default)]
    password_min_length: String,
    #[serde(default)]
    password_max_length: String,
}

/// The delete form.
#[derive(Debug, Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    confirm: String,
}

/// The organization (by short name) the signed-in user belongs to, and what they may do there.
pub(super) async fn load(
    state: &AppState,
    user: UserId,
    slug: &str,
) -> Result<(Organization, PermissionSet, bool), WebError> {
    let org = org_of(state, user, slug).await?;
    let (perms, owner) = state.core.organization_permissions(Actor::User(user), org.id).await?;
    Ok((org, perms, owner))
}

/// The organization of `slug`, when `user` belongs to it (the actions check their own
/// permission in core: a form post needs no permission set of its own).
pub(super) async fn org_of(state: &AppState, user: UserId, slug: &str) -> Result<Organization, Error> {
    state.core.organization_by_slug(Actor::User(user), slug).await
}

pub(super) fn chrome(org: &Organization, perms: PermissionSet, current: &str) -> OrgChrome {
    let tabs = [
        ("Members", "members", Permission::MembersRead),
        ("Groups", "groups", Permission::GroupsManage),
        ("Roles", "roles", Permission::RolesManage),
        ("Licenses", "licenses", Permission::LicensesAssign),
        ("Single sign-on", "sso", Permission::SsoManage),
        ("API tokens", "tokens", Permission::OrgManage),
        ("Settings", "settings", Permission::OrgManage),
    ]
    .into_iter()
    .filter(|(_, _, p)| perms.contains(*p))
    .map(|(label, path, _)| Tab { label, href: format!("/org/{}/{path}", org.slug), current: path == current })
    .collect();
    OrgChrome {
        name: org.name.clone(),
        slug: org.slug.clone(),
        tabs,
        logo: logo_url(&org.slug, org.logo_version.as_deref()),
        initials: logo::initials(&org.name),
    }
}

/// The URL of an organization's logo at `version` (which makes it immutable), if it has one.
pub fn logo_url(slug: &str, version: Option<&str>) -> Option<String> {
    version.map(|v| format!("/org/{slug}/logo?v={v}"))
}

pub(super) fn require(perms: PermissionSet, p: Permission) -> Result<(), WebError> {
    if perms.contains(p) { Ok(()) } else { Err(WebError(Error::Forbidden)) }
}

pub(super) fn date(t: time::OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    t.format(format).unwrap_or_default()
}

fn members_href(slug: &str, q: &str, page: i64) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("q", q)
        .append_pair("page", &page.to_string())
        .finish();
    format!("/org/{slug}/members?{query}")
}

/// `GET /org/{slug}/members`
pub async fn show_org_members(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    Query(q): Query<MembersQuery>,
) -> Result<Response, WebError> {
    let actor = Actor::User(session.user.id);
    let (org, perms, _) = load(&state, session.user.id, &slug).await?;
    let page = state.core.organization_members(actor, org.id, &q.q, q.page).await?;
    let can_invite = perms.contains(Permission::MembersInvite);
    let invitations = if can_invite { state.core.organization_invitations(actor, org.id).await? } else { Vec::new() };
    let roles = state.core.organization_roles(actor, org.id).await?;
    let members = page
        .members
        .into_iter()
        .map(|m| MemberRowView {
            user_id: m.user_id.to_string(),
            name: m.name.unwrap_or_default(),
            email: m.email,
            role_label: role_label(&m.role),
            role: m.role,
            guest: m.kind == keystead_core::organizations::MemberKind::Guest,
            groups: m.groups.join(", "),
        })
        .collect();
    let (jar, flashes) = flash::take(jar, &state);
    let layout = Layout::new(&state, format!("Members of {}", org.name)).signed_in(Some(&session), &csrf);
    let view = MembersPage {
        layout: layout.with_flashes(flashes),
        org: chrome(&org, perms, "members"),
        csrf: csrf.value().to_owned(),
        members,
        prev_href: (page.page > 0).then(|| members_href(&org.slug, &q.q, page.page - 1)),
        next_href: page.has_next.then(|| members_href(&org.slug, &q.q, page.page + 1)),
        search: q.q,
        page: page.page,
        roles: roles.into_iter().map(|r| RoleChoice { name: r.name, label: r.label }).collect(),
        invitations: invitations
            .into_iter()
            .map(|i| InvitationRowView {
                id: i.id.to_string(),
                email: i.email,
                role: role_label(&i.role),
                expires: date(i.expires_at),
            })
            .collect(),
        can_invite,
        can_change_roles: perms.contains(Permission::RolesManage),
        can_remove: perms.contains(Permission::MembersRemove),
    };
    Ok((csrf, jar, view).into_response())
}

/// `POST /org/{slug}/members/invite`
pub async fn invite_org_member(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<InviteForm>,
) -> Result<Response, WebError> {
    let org = org_of(&state, session.user.id, &slug).await?;
    let result =
        state.core.invite_to_organization(Actor::User(session.user.id), org.id, &form.email, &form.role, &meta).await;
    let back = format!("/org/{slug}/members");
    answer(&state, jar, &back, result.map(|i| format!("An invitation is on its way to {}.", i.email)))
}

/// `POST /org/{slug}/members/role`
pub async fn change_org_member_role(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<RoleChangeForm>,
) -> Result<Response, WebError> {
    let org = org_of(&state, session.user.id, &slug).await?;
    let result =
        state.core.change_member_role(Actor::User(session.user.id), org.id, form.user, &form.role, &meta).await;
    let back = format!("/org/{slug}/members");
    answer(&state, jar, &back, result.map(|()| format!("The role is now {}.", role_label(form.role.trim()))))
}

/// `POST /org/{slug}/members/remove`
pub async fn remove_org_member(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<MemberForm>,
) -> Result<Response, WebError> {
    let org = org_of(&state, session.user.id, &slug).await?;
    let result = state.core.remove_member(Actor::User(session.user.id), org.id, form.user, &meta).await;
    let back = format!("/org/{slug}/members");
    answer(&state, jar, &back, result.map(|()| "The member is removed.".to_owned()))
}

/// `POST /org/{slug}/invitations/revoke`
pub async fn revoke_org_invitation(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<OrgInvitationForm>,
) -> Result<Response, WebError> {
    let org = org_of(&state, session.user.id, &slug).await?;
    let result = state.core.revoke_invitation(Actor::User(session.user.id), org.id, form.invitation, &meta).await;
    let back = format!("/org/{slug}/members");
    answer(&state, jar, &back, result.map(|()| "The invitation is revoked: its link no longer works.".to_owned()))
}

/// `POST /org/{slug}/invitations/resend`
pub async fn resend_org_invitation(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<OrgInvitationForm>,
) -> Result<Response, WebError> {
    let org = org_of(&state, session.user.id, &slug).await?;
    let result = state.core.resend_invitation(Actor::User(session.user.id), org.id, form.invitation, &meta).await;
    let back = format!("/org/{slug}/members");
    answer(&state, jar, &back, result.map(|()| "The invitation is sent again with a new link.".to_owned()))
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
    let layout = Layout::new(&state, format!("Groups of {}", org.name)).signed_in(Some(&session), &csrf);
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
                policy: match g.join_policy {
                    JoinPolicy::Open => "open",
                    JoinPolicy::Permission => "permission",
                    JoinPolicy::Closed => "closed",
                },
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
    answer(&state, jar, &back, result.map(|_| format!("The group {} is created.", form.name.trim())))
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
    answer(&state, jar, &back, result.map(|()| "The group is deleted.".to_owned()))
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
    answer(&state, jar, &back, result.map(|()| format!("{} is in the group.", form.email.trim())))
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
    let layout = Layout::new(&state, format!("Roles of {}", org.name)).signed_in(Some(&session), &csrf);
    let page = RolesPage {
        layout: layout.with_flashes(flashes),
        org: chrome(&org, perms, "roles"),
        csrf: csrf.value().to_owned(),
        roles: roles
            .into_iter()
            .map(|r| RoleRowView {
                id: r.id.map(|i| i.to_string()).unwrap_or_default(),
                name: r.label,
                permissions: r.permissions.iter().map(Permission::as_str).collect::<Vec<_>>().join(", "),
                builtin: r.builtin,
            })
            .collect(),
        catalogue: Permission::ALL
            .into_iter()
            .map(|p| PermissionChoice { name: p.as_str(), description: p.description() })
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
    answer(&state, jar, &back, result.map(|_| format!("The role {} is created.", name.trim())))
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
    answer(&state, jar, &back, result.map(|()| "The role is deleted.".to_owned()))
}

/// `GET /org/{slug}/settings`
pub async fn show_org_settings(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
) -> Result<Response, WebError> {
    let (jar, flashes) = flash::take(jar, &state);
    let mut page = settings_page(&state, &session, &csrf, &slug, FieldErrors::new()).await?;
    page.layout = page.layout.with_flashes(flashes);
    Ok((csrf, jar, page).into_response())
}

fn domain_view(d: OrganizationDomain) -> DomainView {
    let last_check = d.checked_at.map(|at| {
        let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
        let when = at.format(format).unwrap_or_default();
        match d.check_message {
            Some(m) => format!("Last checked {when}: {m}"),
            None => format!("Last checked {when}."),
        }
    });
    DomainView {
        verified: d.verified_at.is_some(),
        domain: d.domain,
        record_name: d.record_name,
        record_value: d.record_value,
        last_check,
    }
}

/// The settings page of the organization `slug` (`org:manage`), with `errors` on its forms.
pub(crate) async fn settings_page(
    state: &AppState,
    session: &SessionInfo,
    csrf: &CsrfToken,
    slug: &str,
    errors: FieldErrors,
) -> Result<SettingsPage, Error> {
    let (org, perms, owner) = load(state, session.user.id, slug).await.map_err(|e| e.0)?;
    if !perms.contains(Permission::OrgManage) {
        return Err(Error::Forbidden);
    }
    let domains = state.core.organization_domains(Actor::User(session.user.id), org.id).await?;
    let layout = Layout::new(state, format!("Settings of {}", org.name)).signed_in(Some(session), csrf);
    let len = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    Ok(SettingsPage {
        layout,
        org: chrome(&org, perms, "settings"),
        csrf: csrf.value().to_owned(),
        org_name: org.name.clone(),
        require_mfa: org.settings.require_mfa,
        min_length: len(org.settings.password_min_length),
        max_length: len(org.settings.password_max_length),
        domains: domains.into_iter().map(domain_view).collect(),
        owner,
        errors,
    })
}

fn parse_length(field: &str, value: &str, errors: &mut FieldErrors) -> Option<u32> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<u32>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.add(field, "not_a_number", "Enter a whole number, or leave it empty.");
            None
        }
    }
}

/// `POST /org/{slug}/settings`: the name and the settings.
pub async fn submit_org_settings(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<SettingsForm>,
) -> Result<Response, WebError> {
    let org = org_of(&state, session.user.id, &slug).await?;
    let actor = Actor::User(session.user.id);
    let mut errors = FieldErrors::new();
    let settings = OrganizationSettings {
        require_mfa: form.require_mfa.is_some(),
        password_min_length: parse_length("password_min_length", &form.password_min_length, &mut errors),
        password_max_length: parse_length("password_max_length", &form.password_max_length, &mut errors),
    };
    let result = match errors.into_result() {
        Ok(()) => match state.core.update_organization_settings(actor, org.id, settings, &meta).await {
            Ok(_) if form.name.trim() != org.name => {
                state.core.rename_organization(actor, org.id, &form.name, &meta).await
            }
            other => other,
        },
        Err(e) => Err(e),
    };
    let back = format!("/org/{slug}/settings");
    answer(&state, jar, &back, result.map(|_| "The settings are saved.".to_owned()))
}

/// `POST /org/{slug}/delete`: owners only, with the short name typed back.
pub async fn delete_org(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<DeleteForm>,
) -> Result<Response, WebError> {
    let org = org_of(&state, session.user.id, &slug).await?;
    let result = state.core.delete_organization(Actor::User(session.user.id), org.id, &form.confirm, &meta).await;
    let back = if result.is_ok() { "/account/organizations".to_owned() } else { format!("/org/{slug}/settings") };
    answer(&state, jar, &back, result.map(|()| format!("{} is deleted.", org.name)))
}
