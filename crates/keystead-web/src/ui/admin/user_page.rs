//! Console → Users → one account (`/admin/users/{id}`): everything `Core::account_dossier`
//! gathers (profile and status, sessions, second factors, linked identities, organizations,
//! licenses, authorized applications, the audit trail with who acted), and the actions that
//! fit its status (see `user_actions`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::accounts::UserStatus;
use keystead_core::accounts::dossier::{AccountDossier, DOSSIER_EVENTS};
use keystead_core::ids::UserId;
use keystead_core::organizations::MemberKind;
use keystead_core::sessions::device_name_in;

use super::table::{Cells, Table, cells};
use super::users::status_key;
use super::{AdminNav, AdminSection, RequireOperator, chrome, parse_id};
use crate::csrf::CsrfToken;
use crate::error::WebError;
use crate::flash;
use crate::state::AppState;
use crate::ui::Layout;

/// The account's facts.
#[derive(Debug, Clone)]
pub struct Facts {
    pub(crate) id: String,
    pub(crate) email: String,
    pub(crate) name: String,
    pub(crate) status: &'static str,
    pub(crate) status_label: String,
    pub(crate) operator: bool,
    pub(crate) verified: String,
    pub(crate) password: String,
    pub(crate) language: String,
    pub(crate) time_zone: String,
    pub(crate) created: String,
    pub(crate) last_sign_in: String,
    pub(crate) purge_on: Option<String>,
}

/// What the actions offer for the account's status.
#[derive(Debug, Clone, Copy)]
pub struct Offer {
    pub(crate) disable: bool,
    pub(crate) enable: bool,
    pub(crate) reset_mfa: bool,
    pub(crate) resend_verification: bool,
    pub(crate) send_reset: bool,
    pub(crate) end_sessions: bool,
    pub(crate) close: bool,
}

/// Second factors, as shown.
#[derive(Debug, Clone)]
pub struct MfaView {
    pub(crate) app: bool,
    pub(crate) email: bool,
    pub(crate) passkeys: Vec<String>,
    pub(crate) recovery_left: usize,
}

/// The page.
#[derive(Template, WebTemplate)]
#[template(path = "admin/user.html")]
pub struct UserPage {
    layout: Layout,
    nav: AdminNav,
    csrf: String,
    facts: Facts,
    offer: Offer,
    mfa: MfaView,
    /// Sessions, identities, organizations, licenses, applications.
    tables: Vec<Table>,
    /// The audit trail.
    events: Table,
}

fn offer(d: &AccountDossier) -> Offer {
    let s = d.record.user.status;
    let open = !matches!(s, UserStatus::Closing | UserStatus::Purged);
    Offer {
        disable: open && s != UserStatus::Disabled,
        enable: s == UserStatus::Disabled,
        reset_mfa: open && d.mfa.enabled(),
        resend_verification: s == UserStatus::Unverified,
        send_reset: matches!(s, UserStatus::Active | UserStatus::IncompleteProfile | UserStatus::Unverified),
        end_sessions: !d.sessions.is_empty(),
        close: open,
    }
}

fn facts(d: &AccountDossier) -> Facts {
    let l = crate::i18n::current();
    let (u, r) = (&d.record.user, &d.record);
    let name = [u.given_name.as_deref(), u.family_name.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
    Facts {
        id: u.id.to_string(),
        email: u.email.clone(),
        name,
        status: u.status.as_str(),
        status_label: l.t(status_key(u.status)),
        operator: d.operator,
        verified: u
            .email_verified_at
            .map_or_else(|| l.t("admin-user-not-verified"), |t| l.t1("admin-user-verified-on", "date", l.date(t))),
        password: match (u.has_password, u.password_changed_at) {
            (false, _) => l.t("admin-user-password-none"),
            (true, Some(t)) => l.t1("admin-user-password-set", "date", l.date(t)),
            (true, None) => l.t("admin-user-password-set-never-changed"),
        },
        language: r.locale.clone().unwrap_or_else(|| l.t("admin-user-default-language")),
        time_zone: r.time_zone.clone().unwrap_or_else(|| l.t("admin-user-not-given")),
        created: l.date_time(u.created_at),
        last_sign_in: u.last_sign_in_at.map_or_else(|| l.t("admin-user-never"), |t| l.date_time(t)),
        purge_on: r.purge_at.map(|t| l.date(t)),
    }
}

/// The tables of the page: sessions, identities, organizations, licenses, applications, events.
fn tables(d: &AccountDossier) -> [Vec<Cells>; 6] {
    let l = crate::i18n::current();
    let sessions = d
        .sessions
        .iter()
        .map(|s| {
            let ip = s.ip.clone().unwrap_or_else(|| l.t("admin-user-unknown-ip"));
            cells(
                device_name_in(s.user_agent.as_deref(), crate::i18n::current()),
                None,
                vec![ip, l.date_time(s.created_at), l.date_time(s.last_seen_at)],
            )
        })
        .collect();
    let identities = d
        .identities
        .iter()
        .map(|i| {
            let email = i.email.clone().unwrap_or_default();
            cells(i.provider_name.clone(), None, vec![email, l.date(i.linked_at), l.date_time(i.last_used_at)])
        })
        .collect();
    let organizations = d
        .organizations
        .iter()
        .map(|m| {
            let role = match m.kind {
                MemberKind::Guest => format!("{} ({})", m.role, l.t("admin-user-guest")),
                MemberKind::Member => m.role.clone(),
            };
            cells(m.name.clone(), Some(format!("/admin/organizations/{}", m.slug)), vec![role])
        })
        .collect();
    let licenses = d
        .licenses
        .iter()
        .map(|h| {
            let until = h.valid_until.map_or_else(|| l.t("admin-user-until-ended"), |t| l.date(t));
            cells(format!("{} — {}", h.product_name, h.plan_name), None, vec![h.organization_name.clone(), until])
        })
        .collect();
    let apps = d
        .apps
        .iter()
        .map(|a| {
            let href = Some(format!("/admin/clients/{}", a.client_id));
            cells(a.name.clone(), href, vec![a.scopes.descriptions().join("; "), l.date(a.granted_at)])
        })
        .collect();
    let events = d
        .events
        .iter()
        .map(|e| {
            let by = e.actor_email.clone().unwrap_or_else(|| l.t("admin-user-actor-none"));
            let ip = e.event.ip.clone().unwrap_or_default();
            cells(l.date_time(e.event.occurred_at), None, vec![e.event.action.clone(), by, ip])
        })
        .collect();
    [sessions, identities, organizations, licenses, apps, events]
}

/// The tables of the page, and the audit trail's.
fn sections(d: &AccountDossier) -> (Vec<Table>, Table) {
    let l = crate::i18n::current();
    let [sessions, identities, organizations, licenses, apps, events] = tables(d);
    let tables = vec![
        Table::new(
            "sessions",
            ["admin-user-sessions-heading", "admin-user-sessions-none"],
            &["admin-user-col-device", "admin-user-col-ip", "admin-user-col-started", "admin-user-col-last-seen"],
            sessions,
        ),
        Table::new(
            "identities",
            ["admin-user-identities-heading", "admin-user-identities-none"],
            &[
                "admin-user-col-provider",
                "admin-user-col-provider-email",
                "admin-user-col-linked",
                "admin-user-col-last-used",
            ],
            identities,
        ),
        Table::new(
            "organizations",
            ["admin-user-orgs-heading", "admin-user-orgs-none"],
            &["admin-user-col-organization", "admin-user-col-role"],
            organizations,
        ),
        Table::new(
            "licenses",
            ["admin-user-licenses-heading", "admin-user-licenses-none"],
            &["admin-user-col-product", "admin-user-col-organization", "admin-user-col-valid-until"],
            licenses,
        ),
        Table::new(
            "apps",
            ["admin-user-apps-heading", "admin-user-apps-none"],
            &["admin-user-col-app", "admin-user-col-scopes", "admin-user-col-authorized"],
            apps,
        ),
    ];
    let mut events = Table::new(
        "audit",
        ["admin-user-audit-heading", "admin-user-audit-none"],
        &["admin-user-col-when", "admin-user-col-event", "admin-user-col-actor", "admin-user-col-from"],
        events,
    );
    events.intro = l.t1("admin-user-audit-intro", "count", DOSSIER_EVENTS);
    (tables, events)
}

/// `GET /admin/users/{id}`
pub async fn show_user(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id: UserId = parse_id(&id)?;
    let d = state.core.account_dossier(op.actor(), id).await?;
    let l = crate::i18n::current();
    let facts = facts(&d);
    let (layout, nav) = chrome(&state, &op.session, &csrf, AdminSection::Users, Some(facts.email.clone()));
    let (jar, flashes) = flash::take(jar, &state);
    let (tables, events) = sections(&d);
    let mfa = MfaView {
        app: d.mfa.totp,
        email: d.mfa.email,
        passkeys: d
            .mfa
            .passkeys
            .iter()
            .map(|p| l.t2("admin-user-passkey", "name", p.name.as_str(), "date", l.date(p.created_at)))
            .collect(),
        recovery_left: d.mfa.recovery_codes_left,
    };
    let page = UserPage {
        layout: layout.with_flashes(flashes),
        nav,
        csrf: csrf.value().to_owned(),
        offer: offer(&d),
        facts,
        mfa,
        tables,
        events,
    };
    Ok((csrf, jar, page).into_response())
}
