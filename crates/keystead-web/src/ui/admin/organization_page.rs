//! Console → Organizations → one organization (`/admin/organizations/{slug}`): its settings,
//! members (the first 50, each linked to their user page), open invitations, groups, roles,
//! domains, single sign-on connections and subscriptions with their seats — each read through
//! the same `Core` function as the organization's own admin pages, with the operator's
//! authority — and deleting it (after a recent sign-in, typing its short name).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::organizations::{Actor, MemberKind, Organization};
use keystead_core::{Error, FieldErrors};
use serde::Deserialize;

use super::table::{Table, cells};
use super::{AdminNav, AdminSection, RequireOperator, chrome, recent_or_reauthenticate};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::flash::{self, Level};
use crate::state::AppState;
use crate::ui::Layout;

/// The page.
#[derive(Template, WebTemplate)]
#[template(path = "admin/organization.html")]
pub struct OrganizationPage {
    layout: Layout,
    nav: AdminNav,
    name: String,
    slug: String,
    id: String,
    created: String,
    require_mfa: bool,
    password_lengths: String,
    brand_color: String,
    more_members: bool,
    tables: Vec<Table>,
}

/// The deletion's confirmation.
#[derive(Template, WebTemplate)]
#[template(path = "admin/organization_delete.html")]
pub struct DeleteOrganizationPage {
    layout: Layout,
    nav: AdminNav,
    csrf: String,
    name: String,
    slug: String,
    errors: FieldErrors,
}

/// The deletion form.
#[derive(Debug, Deserialize)]
pub struct DeleteOrganizationForm {
    #[serde(default)]
    confirm: String,
}

async fn organization(state: &AppState, slug: &str) -> Result<Organization, WebError> {
    Ok(state.core.organization_by_slug(Actor::Operator, slug).await?)
}

/// The sections: members, invitations, groups, roles, domains, SSO, subscriptions.
async fn sections(state: &AppState, org: &Organization) -> Result<(Vec<Table>, bool), Error> {
    let (core, actor, id) = (&state.core, Actor::Operator, org.id);
    let l = crate::i18n::current();
    let members = core.organization_members(actor, id, "", 0).await?;
    let member_rows = members
        .members
        .iter()
        .map(|m| {
            let kind = match m.kind {
                MemberKind::Member => String::new(),
                MemberKind::Guest => l.t("admin-user-guest"),
            };
            let role = if kind.is_empty() { m.role.clone() } else { format!("{} ({kind})", m.role) };
            let href = Some(format!("/admin/users/{}", m.user_id));
            cells(
                m.email.clone(),
                href,
                vec![m.name.clone().unwrap_or_default(), role, m.groups.join(", "), l.date(m.joined_at)],
            )
        })
        .collect();
    let invitations = core.organization_invitations(actor, id).await?.into_iter();
    let invitations = invitations.map(|i| cells(i.email, None, vec![i.role, l.date_time(i.expires_at)])).collect();
    let groups = core.organization_groups(actor, id).await?.into_iter();
    let groups = groups
        .map(|g| {
            let policy = l.t(&format!("org-group-policy-{}", g.join_policy.as_str()));
            cells(g.name, None, vec![g.description, policy, g.members.to_string()])
        })
        .collect();
    let roles = core.organization_roles(actor, id).await?.into_iter();
    let roles = roles
        .map(|r| {
            let kind = if r.builtin { l.t("admin-orgs-role-builtin") } else { l.t("admin-orgs-role-custom") };
            let count = r.permissions.iter().count().to_string();
            cells(r.label, None, vec![kind, count])
        })
        .collect();
    let mut tables = vec![
        Table::new(
            "members",
            ["admin-orgs-members-heading", "admin-orgs-members-none"],
            &[
                "admin-user-email",
                "admin-col-name",
                "admin-user-col-role",
                "admin-orgs-col-groups",
                "admin-orgs-col-joined",
            ],
            member_rows,
        ),
        Table::new(
            "invitations",
            ["admin-orgs-invitations-heading", "admin-orgs-invitations-none"],
            &["admin-user-email", "admin-user-col-role", "admin-orgs-col-expires"],
            invitations,
        ),
        Table::new(
            "groups",
            ["admin-orgs-groups-heading", "admin-orgs-groups-none"],
            &["admin-col-name", "admin-orgs-col-description", "admin-orgs-col-join", "admin-orgs-col-members"],
            groups,
        ),
        Table::new(
            "roles",
            ["admin-orgs-roles-heading", "admin-orgs-roles-none"],
            &["admin-col-name", "admin-orgs-col-kind", "admin-orgs-col-permissions"],
            roles,
        ),
    ];
    tables.extend(setup(state, org).await?);
    Ok((tables, members.has_next))
}

/// The sections of how it is set up: domains, SSO connections, subscriptions.
async fn setup(state: &AppState, org: &Organization) -> Result<[Table; 3], Error> {
    let (core, actor, id) = (&state.core, Actor::Operator, org.id);
    let l = crate::i18n::current();
    let domains = core.organization_domains(actor, id).await?.into_iter();
    let domains = domains
        .map(|d| {
            let state = d.verified_at.map_or_else(
                || l.t("admin-orgs-domain-pending"),
                |t| l.t1("admin-orgs-domain-verified", "date", l.date(t)),
            );
            cells(d.domain, None, vec![state, d.check_message.unwrap_or_default()])
        })
        .collect();
    let sso = core.sso_connections(actor, id).await?.into_iter();
    let sso = sso
        .map(|c| {
            let on = if c.enabled { l.t("admin-user-on") } else { l.t("admin-user-off") };
            cells(c.name, None, vec![c.kind.as_str().to_uppercase(), c.issuer, on])
        })
        .collect();
    let subscriptions = core.subscriptions(actor, id).await?.into_iter();
    let subscriptions = subscriptions
        .map(|s| {
            let seats = l.t2("admin-orgs-seats", "used", s.seats_used, "seats", s.seats);
            let until = s.ends_at.map_or_else(|| l.t("admin-orgs-no-end"), |t| l.date(t));
            let live = if s.live { l.t("admin-orgs-live") } else { l.t("admin-orgs-ended") };
            cells(format!("{} — {}", s.product_name, s.plan_name), None, vec![seats, until, live])
        })
        .collect();
    Ok([
        Table::new(
            "domains",
            ["admin-orgs-domains-heading", "admin-orgs-domains-none"],
            &["admin-orgs-col-domain", "admin-user-status", "admin-orgs-col-check"],
            domains,
        ),
        Table::new(
            "sso",
            ["admin-orgs-sso-heading", "admin-orgs-sso-none"],
            &["admin-col-name", "admin-orgs-col-protocol", "admin-orgs-col-issuer", "admin-orgs-col-enabled"],
            sso,
        ),
        Table::new(
            "subscriptions",
            ["admin-orgs-subscriptions-heading", "admin-orgs-subscriptions-none"],
            &["admin-user-col-product", "admin-orgs-col-seats", "admin-user-col-valid-until", "admin-user-status"],
            subscriptions,
        ),
    ])
}

/// `GET /admin/organizations/{slug}`
pub async fn show_organization(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
) -> Result<Response, WebError> {
    let org = organization(&state, &slug).await?;
    let (tables, more_members) = sections(&state, &org).await?;
    let l = crate::i18n::current();
    let lengths = match (org.settings.password_min_length, org.settings.password_max_length) {
        (None, None) => l.t("admin-orgs-password-default"),
        (min, max) => {
            let show = |v: Option<u32>| v.map_or_else(|| "—".to_owned(), |n| n.to_string());
            l.t2("admin-orgs-password-lengths", "min", show(min), "max", show(max))
        }
    };
    let (layout, nav) = chrome(&state, &op.session, &csrf, AdminSection::Organizations, Some(org.name.clone()));
    let (jar, flashes) = flash::take(jar, &state);
    let page = OrganizationPage {
        layout: layout.with_flashes(flashes),
        nav,
        id: org.id.to_string(),
        created: l.date_time(org.created_at),
        require_mfa: org.settings.require_mfa,
        password_lengths: lengths,
        brand_color: org.brand_color.clone().unwrap_or_default(),
        more_members,
        tables,
        name: org.name,
        slug: org.slug,
    };
    Ok((csrf, jar, page).into_response())
}

fn delete_page(state: &AppState, op: &RequireOperator, csrf: &CsrfToken, org: &Organization) -> DeleteOrganizationPage {
    let title = crate::i18n::current().t("admin-orgs-delete-title");
    let (layout, nav) = chrome(state, &op.session, csrf, AdminSection::Organizations, Some(title));
    DeleteOrganizationPage {
        layout,
        nav,
        csrf: csrf.value().to_owned(),
        name: org.name.clone(),
        slug: org.slug.clone(),
        errors: FieldErrors::new(),
    }
}

/// `GET /admin/organizations/{slug}/delete`: the confirmation (after a recent sign-in).
pub async fn confirm_delete_organization(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
) -> Result<Response, WebError> {
    let org = organization(&state, &slug).await?;
    let jar = match recent_or_reauthenticate(&state, &op, jar, &format!("/admin/organizations/{}/delete", org.slug)) {
        Ok(jar) => jar,
        Err(to_reauth) => return Ok(to_reauth),
    };
    let page = delete_page(&state, &op, &csrf, &org);
    Ok((csrf, jar, page).into_response())
}

/// `POST /admin/organizations/{slug}/delete`: deletes it when the short name was typed.
pub async fn delete_organization(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<DeleteOrganizationForm>,
) -> Result<Response, WebError> {
    let org = organization(&state, &slug).await?;
    let jar = match recent_or_reauthenticate(&state, &op, jar, &format!("/admin/organizations/{}/delete", org.slug)) {
        Ok(jar) => jar,
        Err(to_reauth) => return Ok(to_reauth),
    };
    let l = crate::i18n::current();
    match state.core.delete_organization(op.actor(), org.id, &form.confirm, &op.meta).await {
        Ok(()) => {
            let jar = flash::push(jar, &state, Level::Success, l.t1("admin-orgs-deleted", "name", org.name.as_str()));
            Ok((jar, Redirect::to("/admin/organizations")).into_response())
        }
        Err(Error::Invalid(errors)) => {
            let mut page = delete_page(&state, &op, &csrf, &org);
            page.errors = errors.localized(l);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, jar, page).into_response())
        }
        Err(e) => Err(WebError(e)),
    }
}
