//! Organization admin pages, for holders of the permissions: members (search, pages of 50,
//! invite, change role, remove, open invitations), groups, custom roles and settings (licenses and
//! single sign-on have their own modules). Every action is checked in core; a refusal for lack of
//! permission is a 403 page and changes nothing. This module holds what every admin page shares:
//! the organization's chrome (name, logo, tabs), loading it with the user's permissions, and the
//! answer to a form in the request's language.

mod confirm;
mod groups;
mod members;
mod roles;
mod settings;

use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::ids::UserId;
use keystead_core::organizations::{Actor, BuiltinRole, Organization, Permission, PermissionSet, logo};
use keystead_core::{Code, Error};

use crate::error::WebError;
use crate::flash::{self, Level};
use crate::state::AppState;

pub use confirm::{
    ConfirmQuery, OrgConfirmPage, confirm_delete_org_group, confirm_delete_org_role, confirm_remove_org_member,
};
pub use groups::{
    GroupRowView, NewGroupForm, OrgGroupForm, OrgGroupsPage, add_org_group_member, create_org_group, delete_org_group,
    show_org_groups,
};
pub use members::{
    InvitationRowView, InviteForm, MemberForm, MemberRowView, MembersPage, MembersQuery, OrgInvitationForm,
    RoleChangeForm, RoleChoice, change_org_member_role, invite_org_member, remove_org_member, resend_org_invitation,
    revoke_org_invitation, show_org_members,
};
pub use roles::{
    PermissionChoice, RoleIdForm, RoleRowView, RolesPage, create_org_role, delete_org_role, show_org_roles,
};
pub(crate) use settings::settings_page;
pub use settings::{
    DeleteForm, DomainView, SettingsForm, SettingsPage, delete_org, show_org_settings, submit_org_settings,
};

/// A tab of the admin pages.
#[derive(Debug, Clone)]
pub struct Tab {
    pub(super) label: String,
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
    let lang = crate::i18n::current();
    let tabs = [
        ("org-tab-members", "members", Permission::MembersRead),
        ("org-tab-groups", "groups", Permission::GroupsManage),
        ("org-tab-roles", "roles", Permission::RolesManage),
        ("org-tab-licenses", "licenses", Permission::LicensesAssign),
        ("org-tab-invoices", "invoices", Permission::InvoicesRead),
        ("org-tab-sso", "sso", Permission::SsoManage),
        ("org-tab-tokens", "tokens", Permission::OrgManage),
        ("org-tab-settings", "settings", Permission::OrgManage),
    ]
    .into_iter()
    .filter(|(_, _, p)| perms.contains(*p))
    .map(|(key, path, _)| Tab {
        label: lang.t(key),
        href: format!("/org/{}/{path}", org.slug),
        current: path == current,
    })
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

/// A day as `2026-12-04` (My Account's licenses page shows days this way too).
pub(crate) fn date(t: time::OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    t.format(format).unwrap_or_default()
}

/// A day in the request's language ("4. Dezember 2026").
pub(super) fn day(t: time::OffsetDateTime) -> String {
    crate::i18n::current().date(t)
}

/// The message `key` in the request's language.
pub(super) fn t(key: &str) -> String {
    crate::i18n::current().t(key)
}

/// The name of a role in the request's language: the built-in roles are translated, a custom
/// role keeps the name its organization gave it.
pub(super) fn role_label(role: &str) -> String {
    match BuiltinRole::parse(role) {
        Some(b) => t(&format!("org-role-{}", b.as_str().replace('_', "-"))),
        None => role.to_owned(),
    }
}

/// What a permission allows, in the request's language.
pub(super) fn permission_description(p: Permission) -> String {
    t(&format!("org-permission-{}", p.as_str().replace(':', "-")))
}

/// Answers a form: a success message, or the reasons it was refused (in the request's
/// language), on the page it came from. Refusals for lack of permission and unexpected failures
/// become error pages.
pub(crate) fn answer(
    state: &AppState,
    jar: SignedCookieJar,
    back: &str,
    result: Result<String, Error>,
) -> Result<Response, WebError> {
    let jar = match result {
        Ok(message) => flash::push(jar, state, Level::Success, message),
        Err(Error::Invalid(errors)) => {
            let errors = errors.localized(crate::i18n::current());
            let text = errors.0.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join(" ");
            flash::push(jar, state, Level::Error, text)
        }
        Err(Error::Conflict(Code::LinkInvalid)) => flash::push(jar, state, Level::Error, t("org-invitation-closed")),
        Err(Error::Conflict(Code::SsoRequiredNeedsConnection)) => {
            flash::push(jar, state, Level::Error, t("org-sso-required-needs-connection"))
        }
        Err(e) => return Err(WebError(e)),
    };
    Ok((jar, Redirect::to(back)).into_response())
}
