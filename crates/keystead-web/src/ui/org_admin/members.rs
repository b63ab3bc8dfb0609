//! The members page: search, pages of 50, invite, change role, remove, open invitations. The
//! last owner of the organization is offered neither Remove nor Change role (core refuses both).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::i18n::Arg;
use keystead_core::ids::{InvitationId, UserId};
use keystead_core::organizations::{Actor, BuiltinRole, MemberKind, MemberSort, Permission};
use serde::Deserialize;

use super::{answer, chrome, day, load, org_of, role_label};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::extract::{ClientMeta, RequireSession};
use crate::flash;
use crate::state::AppState;
use crate::ui::Layout;
use crate::ui::admin::table::SortLink;

use super::OrgChrome;

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
    joined: String,
    /// The organization's only owner: neither removed nor given another role.
    last_owner: bool,
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
    /// The order, as named in the URL (kept by the search form).
    sort: &'static str,
    by_member: SortLink,
    by_joined: SortLink,
    page: i64,
    prev_href: Option<String>,
    next_href: Option<String>,
    roles: Vec<RoleChoice>,
    invitations: Vec<InvitationRowView>,
    can_invite: bool,
    can_change_roles: bool,
    can_remove: bool,
}

/// `?q=&sort=&page=`
#[derive(Debug, Deserialize)]
pub struct MembersQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    sort: String,
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

fn members_href(slug: &str, q: &str, sort: MemberSort, page: i64) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if !q.is_empty() {
        query.append_pair("q", q);
    }
    if sort != MemberSort::default() {
        query.append_pair("sort", sort.as_str());
    }
    if page > 0 {
        query.append_pair("page", &page.to_string());
    }
    let query = query.finish();
    if query.is_empty() {
        return format!("/org/{slug}/members");
    }
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
    let sort = MemberSort::parse(&q.sort);
    let page = state.core.organization_members_sorted(actor, org.id, &q.q, sort, q.page).await?;
    let can_invite = perms.contains(Permission::MembersInvite);
    let invitations = if can_invite { state.core.organization_invitations(actor, org.id).await? } else { Vec::new() };
    let roles = state.core.organization_roles(actor, org.id).await?;
    let owners = state.core.organization_owner_count(org.id).await?;
    let owner = BuiltinRole::Owner.as_str();
    let members = page
        .members
        .into_iter()
        .map(|m| MemberRowView {
            user_id: m.user_id.to_string(),
            name: m.name.unwrap_or_default(),
            email: m.email,
            role_label: role_label(&m.role),
            last_owner: m.role == owner && owners <= 1,
            role: m.role,
            guest: m.kind == MemberKind::Guest,
            groups: m.groups.join(", "),
            joined: day(m.joined_at),
        })
        .collect();
    let (jar, flashes) = flash::take(jar, &state);
    let layout = Layout::new(&state, crate::i18n::current().t1("org-members-title", "org", &org.name))
        .signed_in(Some(&session), &csrf)
        .branded(org.brand_color.as_deref());
    let view = MembersPage {
        layout: layout.with_flashes(flashes),
        org: chrome(&org, perms, "members"),
        csrf: csrf.value().to_owned(),
        members,
        prev_href: (page.page > 0).then(|| members_href(&org.slug, &q.q, sort, page.page - 1)),
        next_href: page.has_next.then(|| members_href(&org.slug, &q.q, sort, page.page + 1)),
        by_member: SortLink::new(sort, [MemberSort::Email, MemberSort::EmailDescending], |s| {
            members_href(&org.slug, &q.q, s, 0)
        }),
        by_joined: SortLink::new(sort, [MemberSort::Oldest, MemberSort::Newest], |s| {
            members_href(&org.slug, &q.q, s, 0)
        }),
        sort: if sort == MemberSort::default() { "" } else { sort.as_str() },
        search: q.q,
        page: page.page,
        roles: roles.into_iter().map(|r| RoleChoice { label: role_label(&r.name), name: r.name }).collect(),
        invitations: invitations
            .into_iter()
            .map(|i| InvitationRowView {
                id: i.id.to_string(),
                email: i.email,
                role: role_label(&i.role),
                expires: day(i.expires_at),
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
    let done = result.map(|i| crate::i18n::current().t1("org-flash-invitation-sent", "email", Arg::from(i.email)));
    answer(&state, jar, &back, done)
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
    let done =
        result.map(|()| crate::i18n::current().t1("org-flash-role-changed", "role", role_label(form.role.trim())));
    answer(&state, jar, &back, done)
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
    answer(&state, jar, &back, result.map(|()| super::t("org-flash-member-removed")))
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
    answer(&state, jar, &back, result.map(|()| super::t("org-flash-invitation-revoked")))
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
    answer(&state, jar, &back, result.map(|()| super::t("org-flash-invitation-resent")))
}
