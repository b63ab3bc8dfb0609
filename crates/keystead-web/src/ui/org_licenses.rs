//! The organization's "Licenses" admin page, for holders of `licenses:assign` (license admins,
//! admins, owners): per subscription the seats used of those bought and who holds them; assign
//! by searching members, unassign, and give a plan's seats to a whole group. Every action is one
//! core call that checks the permission and the seat count itself.

use std::collections::{BTreeMap, HashSet};

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::i18n::Arg;
use keystead_core::ids::{GroupId, UserId};
use keystead_core::licensing::{GroupAssignment, Subscription};
use keystead_core::organizations::{Actor, Permission};
use serde::Deserialize;
use time::OffsetDateTime;

use super::Layout;
use super::org_admin::{OrgChrome, answer, chrome, date, day, load, require};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::extract::{ClientMeta, RequireSession};
use crate::flash;
use crate::state::AppState;

/// Someone holding a seat.
#[derive(Debug, Clone)]
pub struct HolderView {
    user_id: String,
    email: String,
    assigned: String,
}

/// One subscription.
#[derive(Debug, Clone)]
pub struct SubscriptionView {
    title: String,
    plan: String,
    status: String,
    current: bool,
    seats: u32,
    seats_used: u32,
    holders: Vec<HolderView>,
}

/// A plan seats can be assigned from.
#[derive(Debug, Clone)]
pub struct PlanChoice {
    key: String,
    label: String,
}

/// A member found by the search, with the plans they can still be given.
#[derive(Debug, Clone)]
pub struct CandidateView {
    user_id: String,
    email: String,
    name: String,
    plans: Vec<PlanChoice>,
    holds: String,
}

/// A group seats can go to.
#[derive(Debug, Clone)]
pub struct GroupChoice {
    id: String,
    name: String,
    members: i64,
}

/// The page.
#[derive(Template, WebTemplate)]
#[template(path = "org/licenses.html")]
pub struct LicensesPage {
    layout: Layout,
    org: OrgChrome,
    csrf: String,
    subscriptions: Vec<SubscriptionView>,
    plans: Vec<PlanChoice>,
    search: String,
    candidates: Vec<CandidateView>,
    more_candidates: bool,
    groups: Vec<GroupChoice>,
}

/// `?q=`
#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

/// Assign or unassign a member's seat of a plan.
#[derive(Debug, Deserialize)]
pub struct SeatForm {
    user: UserId,
    #[serde(default)]
    plan: String,
}

/// Give a plan's seats to a group.
#[derive(Debug, Deserialize)]
pub struct GroupSeatsForm {
    group: GroupId,
    #[serde(default)]
    plan: String,
}

/// The last day a license is valid: `ends_at` is exclusive (the start of the following day).
pub fn last_day(ends_at: OffsetDateTime) -> String {
    date(ends_at - time::Duration::seconds(1))
}

fn status(s: &Subscription, now: OffsetDateTime) -> String {
    let lang = crate::i18n::current();
    if s.ended_at.is_some() || s.ends_at.is_some_and(|e| e <= now) {
        lang.t("org-licenses-status-ended")
    } else if s.starts_at > now {
        lang.t1("org-licenses-status-starts", "date", day(s.starts_at))
    } else {
        match s.ends_at {
            Some(e) => lang.t1("org-licenses-status-active-until", "date", day(e - time::Duration::seconds(1))),
            None => lang.t("org-licenses-status-active"),
        }
    }
}

fn plan_label(s: &Subscription) -> String {
    format!("{} — {}", s.product_name, s.plan_name)
}

/// `GET /org/{slug}/licenses`
pub async fn show_org_licenses(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    Query(q): Query<SearchQuery>,
) -> Result<Response, WebError> {
    let actor = Actor::User(session.user.id);
    let (org, perms, _) = load(&state, session.user.id, &slug).await?;
    require(perms, Permission::LicensesAssign)?;
    let now = state.core.clock().now();
    let mut subscriptions = Vec::new();
    let mut plans = BTreeMap::new();
    let mut held: HashSet<(String, UserId)> = HashSet::new();
    for s in state.core.subscriptions(actor, org.id).await? {
        let holders = state.core.seat_holders(actor, s.id).await?;
        let current = s.ended_at.is_none() && s.ends_at.is_none_or(|e| e > now);
        if current {
            plans.entry(s.plan.clone()).or_insert_with(|| PlanChoice { key: s.plan.clone(), label: plan_label(&s) });
            held.extend(holders.iter().map(|h| (s.plan.clone(), h.user)));
        }
        subscriptions.push(SubscriptionView {
            title: plan_label(&s),
            plan: s.plan.clone(),
            status: status(&s, now),
            current,
            seats: s.seats,
            seats_used: s.seats_used,
            holders: holders
                .into_iter()
                .map(|h| HolderView { user_id: h.user.to_string(), email: h.email, assigned: day(h.assigned_at) })
                .collect(),
        });
    }
    let plans: Vec<PlanChoice> = plans.into_values().collect();
    let found = state.core.organization_members(actor, org.id, &q.q, 0).await?;
    let candidates = found
        .members
        .into_iter()
        .map(|m| {
            let (holds, free): (Vec<&PlanChoice>, Vec<&PlanChoice>) =
                plans.iter().partition(|p| held.contains(&(p.key.clone(), m.user_id)));
            CandidateView {
                user_id: m.user_id.to_string(),
                email: m.email,
                name: m.name.unwrap_or_default(),
                plans: free.into_iter().cloned().collect(),
                holds: holds.iter().map(|p| p.label.as_str()).collect::<Vec<_>>().join(", "),
            }
        })
        .collect();
    let groups = state
        .core
        .groups_for(session.user.id, org.id)
        .await?
        .into_iter()
        .map(|g| GroupChoice { id: g.id.to_string(), name: g.name, members: g.members })
        .collect();
    let (jar, flashes) = flash::take(jar, &state);
    let layout = Layout::new(&state, crate::i18n::current().t1("org-licenses-title", "org", &org.name))
        .signed_in(Some(&session), &csrf)
        .branded(org.brand_color.as_deref());
    let page = LicensesPage {
        layout: layout.with_flashes(flashes),
        org: chrome(&org, perms, "licenses"),
        csrf: csrf.value().to_owned(),
        subscriptions,
        plans,
        search: q.q,
        candidates,
        more_candidates: found.has_next,
        groups,
    };
    Ok((csrf, jar, page).into_response())
}

/// `POST /org/{slug}/licenses/assign`
pub async fn assign_org_seat(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<SeatForm>,
) -> Result<Response, WebError> {
    let org = super::org_admin::org_of(&state, session.user.id, &slug).await?;
    let actor = Actor::User(session.user.id);
    let result = state.core.assign_seat(actor, org.id, &form.plan, form.user, &meta).await;
    let back = format!("/org/{slug}/licenses");
    let done = result.map(|s| crate::i18n::current().t1("org-flash-seat-assigned", "plan", s.plan_name));
    answer(&state, jar, &back, done)
}

/// `POST /org/{slug}/licenses/unassign`
pub async fn unassign_org_seat(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<SeatForm>,
) -> Result<Response, WebError> {
    let org = super::org_admin::org_of(&state, session.user.id, &slug).await?;
    let actor = Actor::User(session.user.id);
    let result = state.core.unassign_seat(actor, org.id, &form.plan, form.user, &meta).await;
    let back = format!("/org/{slug}/licenses");
    let done = result.map(|s| crate::i18n::current().t1("org-flash-seat-unassigned", "plan", s.plan_name));
    answer(&state, jar, &back, done)
}

/// What a bulk assignment did, in one sentence per outcome.
fn summary(done: &GroupAssignment) -> String {
    let lang = crate::i18n::current();
    let mut parts = vec![lang.t1("org-flash-group-seats-assigned", "count", done.assigned.len())];
    if done.already_held > 0 {
        parts.push(lang.t1("org-flash-group-seats-held", "count", Arg::from(done.already_held)));
    }
    if !done.without_seat.is_empty() {
        parts.push(lang.t1("org-flash-group-seats-none-left", "names", done.without_seat.join(", ")));
    }
    parts.join(" ")
}

/// `POST /org/{slug}/licenses/assign-group`
pub async fn assign_org_group_seats(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<GroupSeatsForm>,
) -> Result<Response, WebError> {
    let org = super::org_admin::org_of(&state, session.user.id, &slug).await?;
    let actor = Actor::User(session.user.id);
    let result = state.core.assign_seats_to_group(actor, org.id, &form.plan, form.group, &meta).await;
    let back = format!("/org/{slug}/licenses");
    answer(&state, jar, &back, result.map(|done| summary(&done)))
}
