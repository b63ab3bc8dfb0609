//! My Account → Organizations (the user's organizations with "Log in" to switch the active one,
//! Leave, pending invitations with Accept / Decline, and creating one where allowed) and
//! My Account → Groups (the groups of the active organization, with Join / Leave).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::ids::{GroupId, InvitationId, OrganizationId};
use keystead_core::organizations::{
    Actor, BuiltinRole, Group, Invitation, JoinPolicy, MemberKind, MyOrganization, NewOrganization,
};
use serde::Deserialize;

use super::{NavSection, Section, chrome};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::extract::{ClientMeta, RequireSession};
use crate::flash;
use crate::state::AppState;
use crate::ui::Layout;
use crate::ui::org_admin::answer;

/// An organization as listed.
#[derive(Debug, Clone)]
pub struct OrgView {
    id: String,
    name: String,
    slug: String,
    role: String,
    guest: bool,
    active: bool,
    manage: bool,
    /// The logo's URL, or `None` for the initials.
    logo: Option<String>,
    initials: String,
}

/// An invitation as listed.
#[derive(Debug, Clone)]
pub struct InvitationView {
    id: String,
    organization: String,
    role: String,
    expires: String,
}

/// A group as listed.
#[derive(Debug, Clone)]
pub struct GroupView {
    id: String,
    name: String,
    description: String,
    /// The message id of the join policy.
    policy: &'static str,
    members: i64,
    can_join: bool,
}

/// The organizations page.
#[derive(Template, WebTemplate)]
#[template(path = "account/organizations.html")]
pub struct OrganizationsPage {
    layout: Layout,
    nav: Vec<NavSection>,
    csrf: String,
    organizations: Vec<OrgView>,
    invitations: Vec<InvitationView>,
    may_create: bool,
}

/// The groups page.
#[derive(Template, WebTemplate)]
#[template(path = "account/groups.html")]
pub struct GroupsPage {
    layout: Layout,
    nav: Vec<NavSection>,
    csrf: String,
    organization: Option<String>,
    mine: Vec<GroupView>,
    others: Vec<GroupView>,
}

/// A form naming an organization.
#[derive(Debug, Deserialize)]
pub struct OrganizationForm {
    organization: OrganizationId,
}

/// A form naming an invitation.
#[derive(Debug, Deserialize)]
pub struct InvitationForm {
    invitation: InvitationId,
}

/// A form naming a group.
#[derive(Debug, Deserialize)]
pub struct GroupForm {
    group: GroupId,
}

/// The new-organization form.
#[derive(Debug, Deserialize)]
pub struct NewOrganizationForm {
    name: String,
    #[serde(default)]
    slug: String,
}

/// The label of a role name, in the request's language (a custom role's name as it is).
pub fn role_label(role: &str) -> String {
    let key = |b: BuiltinRole| match b {
        BuiltinRole::Owner => "acct-role-owner",
        BuiltinRole::Admin => "acct-role-admin",
        BuiltinRole::LicenseAdmin => "acct-role-license-admin",
        BuiltinRole::BillingAdmin => "acct-role-billing-admin",
        BuiltinRole::Member => "acct-role-member",
        BuiltinRole::Guest => "acct-role-guest",
    };
    BuiltinRole::parse(role).map_or_else(|| role.to_owned(), |b| crate::i18n::current().t(key(b)))
}

fn date(t: time::OffsetDateTime) -> String {
    crate::i18n::current().date(t)
}

fn org_view(o: MyOrganization) -> OrgView {
    let ordinary = matches!(BuiltinRole::parse(&o.role), Some(BuiltinRole::Member | BuiltinRole::Guest));
    OrgView {
        initials: keystead_core::organizations::logo::initials(&o.name),
        id: o.id.to_string(),
        role: role_label(&o.role),
        guest: o.kind == MemberKind::Guest,
        manage: !ordinary,
        name: o.name,
        logo: crate::ui::org_admin::logo_url(&o.slug, o.logo_version.as_deref()),
        slug: o.slug,
        active: o.active,
    }
}

fn invitation_view(i: Invitation) -> InvitationView {
    InvitationView {
        id: i.id.to_string(),
        organization: i.organization_name,
        role: role_label(&i.role),
        expires: date(i.expires_at),
    }
}

fn group_view(g: Group) -> GroupView {
    GroupView {
        id: g.id.to_string(),
        name: g.name,
        description: g.description,
        policy: match g.join_policy {
            JoinPolicy::Open => "acct-groups-policy-open",
            JoinPolicy::Permission => "acct-groups-policy-permission",
            JoinPolicy::Closed => "acct-groups-policy-closed",
        },
        members: g.members,
        can_join: g.can_join,
    }
}

/// `GET /account/organizations`
pub async fn show_organizations(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
) -> Result<Response, WebError> {
    let organizations = state.core.my_organizations(&session).await?.into_iter().map(org_view).collect();
    let invitations = state.core.my_invitations(&session.user).await?.into_iter().map(invitation_view).collect();
    let (jar, flashes) = flash::take(jar, &state);
    let (layout, nav) = chrome(&state, &session, &csrf, Section::Organizations);
    let page = OrganizationsPage {
        layout: layout.with_flashes(flashes),
        nav,
        csrf: csrf.value().to_owned(),
        organizations,
        invitations,
        may_create: state.core.config().organizations.users_may_create,
    };
    Ok((csrf, jar, page).into_response())
}

/// `POST /account/organizations/switch`: "Log in" to another of the user's organizations.
pub async fn switch_organization(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<OrganizationForm>,
) -> Result<Response, WebError> {
    state.core.switch_organization(&session, form.organization, &meta).await?;
    let name = state.core.organization(Actor::User(session.user.id), form.organization).await?.name;
    answer(&state, jar, "/account/organizations", Ok(crate::i18n::current().t1("acct-orgs-switched", "name", name)))
}

/// `POST /account/organizations/leave`
pub async fn leave_organization(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<OrganizationForm>,
) -> Result<Response, WebError> {
    let name = state.core.organization(Actor::User(session.user.id), form.organization).await?.name;
    let result = state.core.leave_organization(session.user.id, form.organization, &meta).await;
    answer(
        &state,
        jar,
        "/account/organizations",
        result.map(|()| crate::i18n::current().t1("acct-orgs-left", "name", name)),
    )
}

/// `POST /account/organizations/create` (where the deployment lets users create organizations).
pub async fn create_my_organization(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<NewOrganizationForm>,
) -> Result<Response, WebError> {
    let new = NewOrganization { name: &form.name, slug: Some(&form.slug), owner: None };
    let result = state.core.create_organization(Actor::User(session.user.id), new, &meta).await;
    answer(
        &state,
        jar,
        "/account/organizations",
        result.map(|o| crate::i18n::current().t1("acct-orgs-created", "name", o.name)),
    )
}

/// `POST /account/invitations/accept`
pub async fn accept_my_invitation(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<InvitationForm>,
) -> Result<Response, WebError> {
    let result = state.core.accept_invitation(&session.user, form.invitation, &meta).await;
    let result = match result {
        Ok(org) => {
            let name = state.core.organization(Actor::User(session.user.id), org).await?.name;
            Ok(crate::i18n::current().t1("acct-orgs-joined", "name", name))
        }
        Err(e) => Err(e),
    };
    answer(&state, jar, "/account/organizations", result)
}

/// `POST /account/invitations/decline`
pub async fn decline_my_invitation(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<InvitationForm>,
) -> Result<Response, WebError> {
    let result = state.core.decline_invitation(&session.user, form.invitation, &meta).await;
    answer(&state, jar, "/account/organizations", result.map(|()| crate::i18n::current().t("acct-orgs-declined")))
}

/// `GET /account/groups`: the groups of the active organization.
pub async fn show_groups(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
) -> Result<Response, WebError> {
    let active = state.core.active_organization(&session).await?;
    let (mine, others) = match &active {
        Some(org) => {
            let groups = state.core.groups_for(session.user.id, org.id).await?;
            let (mine, others): (Vec<Group>, Vec<Group>) = groups.into_iter().partition(|g| g.is_member);
            (mine.into_iter().map(group_view).collect(), others.into_iter().map(group_view).collect())
        }
        None => (Vec::new(), Vec::new()),
    };
    let (jar, flashes) = flash::take(jar, &state);
    let (layout, nav) = chrome(&state, &session, &csrf, Section::Groups);
    let page = GroupsPage {
        layout: layout.with_flashes(flashes),
        nav,
        csrf: csrf.value().to_owned(),
        organization: active.map(|o| o.name),
        mine,
        others,
    };
    Ok((csrf, jar, page).into_response())
}

/// `POST /account/groups/join`
pub async fn join_group(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<GroupForm>,
) -> Result<Response, WebError> {
    let result = state.core.join_group(session.user.id, form.group, &meta).await;
    answer(&state, jar, "/account/groups", result.map(|()| crate::i18n::current().t("acct-groups-joined")))
}

/// `POST /account/groups/leave`
pub async fn leave_group(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<GroupForm>,
) -> Result<Response, WebError> {
    let result = state.core.leave_group(session.user.id, form.group, &meta).await;
    answer(&state, jar, "/account/groups", result.map(|()| crate::i18n::current().t("acct-groups-left")))
}
