//! Seats: license admins (members holding `licenses:assign`) and the operator assign a
//! subscription's seats to the organization's members. Never more seats than bought, also under
//! a race: each assignment first takes the subscription's seat lock (`store::lock_seats`), then
//! makes one guarded insert. A seat ends with its membership (a composite foreign key).

use time::OffsetDateTime;

use super::is_over;
use super::subscriptions::Subscription;
use crate::Core;
use crate::accounts::preferences::{self, Category};
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Error, FieldErrors, Result};
use crate::i18n::Locale;
use crate::ids::{GroupId, OrganizationId, SubscriptionId, UserId};
use crate::mail::{self, Notice};
use crate::organizations::{Actor, Permission, access};
use crate::store::licensing::{self as store, PlanRow, SubscriptionRow};
use crate::store::{Db, StoreError, Tx};
use crate::store::{license_admin as admin_store, organizations as org_store, users as store_users};

/// What assigning a plan's seats to a group did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct GroupAssignment {
    /// The members given a seat, by email.
    pub assigned: Vec<String>,
    /// How many members held a seat already.
    pub already_held: u32,
    /// The members left without one because every seat was taken.
    pub without_seat: Vec<String>,
}

/// Someone holding a seat.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SeatHolder {
    /// The user.
    pub user: UserId,
    /// Their email address.
    pub email: String,
    /// When the seat was assigned.
    #[serde(with = "time::serde::rfc3339")]
    pub assigned_at: OffsetDateTime,
}

fn acting_user(actor: Actor) -> Option<UserId> {
    match actor {
        Actor::User(u) => Some(u),
        Actor::Operator => None,
    }
}

fn not_a_member() -> Error {
    Error::invalid("email", "not_a_member", "This user is not a member of the organization.")
}

/// The plan with this key, or `Invalid` naming `plan`.
pub(super) async fn plan_by_key(db: Db<'_>, key: &str) -> Result<PlanRow> {
    store::find_plan(db, key.trim())
        .await?
        .ok_or_else(|| Error::invalid("plan", "unknown_plan", "No plan with this key."))
}

/// What became of one member in an assignment.
enum Placement {
    /// A seat of this subscription was assigned.
    Assigned(SubscriptionId),
    /// The member already held a seat of the plan, of this subscription.
    AlreadyHeld(SubscriptionId),
    /// Every seat is taken.
    NoFreeSeat,
}

/// The organization's subscriptions of `plan` that have not ended (a not yet started one
/// counts), each with its seat lock taken — always in the same order, so that concurrent
/// assignments queue rather than deadlock, and the seat counts read after it are current.
/// `Invalid` naming `plan` when there is none.
async fn locked_current(
    tx: &mut Tx,
    org: OrganizationId,
    plan: &PlanRow,
    now: OffsetDateTime,
) -> Result<Vec<SubscriptionRow>> {
    let current: Vec<SubscriptionRow> = store::subscriptions_of_org(tx.db(), org, Some(plan.id))
        .await?
        .into_iter()
        .filter(|s| !is_over(s.ends_at, s.ended_at, now))
        .collect();
    if current.is_empty() {
        let mut errors = FieldErrors::new();
        errors.add_with(
            "plan",
            "no_subscription",
            format!("The organization has no current subscription of {}.", plan.key),
            vec![("plan", plan.key.clone())],
        );
        return Err(Error::Invalid(errors));
    }
    for s in &current {
        store::lock_seats(tx.db(), s.id).await?;
    }
    Ok(current)
}

/// Gives `user` a seat of the first of `current` (locked) with one free: one guarded insert.
async fn place(
    tx: &mut Tx,
    current: &[SubscriptionRow],
    user: UserId,
    by: Option<UserId>,
    now: OffsetDateTime,
) -> Result<Placement> {
    for s in current {
        if store::has_seat(tx.db(), s.id, user).await? {
            return Ok(Placement::AlreadyHeld(s.id));
        }
    }
    for s in current {
        let inserted = store::insert_seat_if_free(tx.db(), s.id, user, by, now).await.map_err(|e| match e {
            StoreError::Conflict { .. } => not_a_member(),
            other => other.into(),
        })?;
        if inserted {
            return Ok(Placement::Assigned(s.id));
        }
    }
    Ok(Placement::NoFreeSeat)
}

/// What assigning a seat the user already holds does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IfHeld {
    /// Refused naming `email`: from a form or the CLI, a second assignment is a mistake.
    Refuse,
    /// Nothing: the admin API's `PUT` states what should be, whatever was.
    Keep,
}

/// A seat just assigned.
#[derive(Clone, Copy)]
struct NewSeat<'a> {
    org: OrganizationId,
    plan: &'a PlanRow,
    user: UserId,
    subscription: SubscriptionId,
}

impl Core {
    /// Records a new seat: the audit event, and the email telling the user (when they have not
    /// turned off the `licenses` notifications), in the assignment's transaction.
    async fn seat_assigned(&self, tx: &mut Tx, actor: Actor, seat: NewSeat<'_>, meta: &RequestMeta) -> Result<()> {
        let NewSeat { org, plan, user, subscription } = seat;
        let now = self.clock().now();
        let details = serde_json::json!({"event": "seat_assigned", "subscription": subscription, "plan": plan.key});
        let by = acting_user(actor);
        audit::record_in_org(tx.db(), now, AuditAction::SeatChanged, by, Some(user), org, meta, details).await?;
        if preferences::wants(tx.db(), user, Category::Licenses).await? {
            let to = store_users::get(tx.db(), user).await?;
            let org: crate::organizations::Organization = org_store::get_org(tx.db(), org).await?.into();
            let mut notice = self.license_notice(self.locale_for(to.locale.as_deref()), &org.name, plan)?;
            notice.brand = Some(crate::organizations::logo::OrganizationBrand::from(&org));
            let to = to.email;
            mail::send_notice(self, tx, &to, &notice).await?;
        }
        Ok(())
    }

    fn license_notice(&self, l: Locale, org_name: &str, plan: &PlanRow) -> Result<Notice> {
        let site = self.site_name();
        let url = self.config().public_url.join("account/licenses").map_err(|e| Error::Internal(e.into()))?;
        let body = l.t_args(
            "email-license-body",
            &[("org", org_name.into()), ("plan", (&plan.name).into()), ("site", site.into())],
        );
        Ok(Notice {
            locale: l,
            subject: l.t1("email-license-subject", "plan", &plan.name),
            paragraphs: vec![body, l.t("email-license-where")],
            action: Some((l.t("email-license-action"), url.into())),
            after: vec![l.t("email-license-after")],
            brand: None,
        })
    }

    /// Gives `user` a seat of the organization's current subscription of `plan` (the first,
    /// oldest start first, with a seat free; one not yet started counts, an ended one does not).
    /// The operator, or a member holding `licenses:assign`; the user must be a member (or guest)
    /// of the organization and hold no seat of the plan there yet. Refused naming `plan` when no
    /// seat is free. The user is emailed (notification category `licenses`).
    pub async fn assign_seat(
        &self,
        actor: Actor,
        org: OrganizationId,
        plan: &str,
        user: UserId,
        meta: &RequestMeta,
    ) -> Result<Subscription> {
        self.give_seat(actor, org, plan, user, IfHeld::Refuse, meta).await
    }

    /// Makes sure `user` holds a seat of `plan` in the organization: [`Core::assign_seat`], except
    /// that a seat already held is no error — nothing is recorded or sent, and the subscription
    /// it is of is returned (the admin API's idempotent `PUT`).
    pub async fn ensure_seat(
        &self,
        actor: Actor,
        org: OrganizationId,
        plan: &str,
        user: UserId,
        meta: &RequestMeta,
    ) -> Result<Subscription> {
        self.give_seat(actor, org, plan, user, IfHeld::Keep, meta).await
    }

    async fn give_seat(
        &self,
        actor: Actor,
        org: OrganizationId,
        plan: &str,
        user: UserId,
        if_held: IfHeld,
        meta: &RequestMeta,
    ) -> Result<Subscription> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        access(tx.db(), org, actor).await?.require(Permission::LicensesAssign)?;
        let plan = plan_by_key(tx.db(), plan).await?;
        org_store::membership(tx.db(), org, user).await?.ok_or_else(not_a_member)?;
        let current = locked_current(&mut tx, org, &plan, now).await?;
        let id = match place(&mut tx, &current, user, acting_user(actor), now).await? {
            Placement::Assigned(id) => {
                let seat = NewSeat { org, plan: &plan, user, subscription: id };
                self.seat_assigned(&mut tx, actor, seat, meta).await?;
                id
            }
            Placement::AlreadyHeld(id) if if_held == IfHeld::Keep => id,
            Placement::AlreadyHeld(_) => {
                return Err(Error::invalid(
                    "email",
                    "already_assigned",
                    "This user already holds a seat of this plan.",
                ));
            }
            Placement::NoFreeSeat => {
                let total: i64 = current.iter().map(|s| i64::from(s.seats)).sum();
                let mut errors = FieldErrors::new();
                errors.add_with(
                    "plan",
                    "no_free_seat",
                    format!("All {total} seats of {} are assigned: unassign one or add seats first.", plan.key),
                    vec![("count", total.to_string()), ("plan", plan.key.clone())],
                );
                return Err(Error::Invalid(errors));
            }
        };
        let row = store::get_subscription(tx.db(), id).await?;
        tx.commit().await?;
        Ok(Subscription::from_row(row, now))
    }

    /// Gives every member of `group` who holds no seat of `plan` in the organization one, in
    /// the order they joined the group, while seats are free — one transaction holding the seat
    /// locks, so the count is never exceeded. Members left without a seat are reported, not an
    /// error; each member assigned is emailed like [`Core::assign_seat`].
    pub async fn assign_seats_to_group(
        &self,
        actor: Actor,
        org: OrganizationId,
        plan: &str,
        group: GroupId,
        meta: &RequestMeta,
    ) -> Result<GroupAssignment> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        access(tx.db(), org, actor).await?.require(Permission::LicensesAssign)?;
        let plan = plan_by_key(tx.db(), plan).await?;
        if !admin_store::group_in_org(tx.db(), org, group).await? {
            return Err(Error::NotFound);
        }
        let members = admin_store::group_members(tx.db(), org, group).await?;
        let current = locked_current(&mut tx, org, &plan, now).await?;
        let mut out = GroupAssignment::default();
        for (user, email) in members {
            match place(&mut tx, &current, user, acting_user(actor), now).await? {
                Placement::Assigned(id) => {
                    let seat = NewSeat { org, plan: &plan, user, subscription: id };
                    self.seat_assigned(&mut tx, actor, seat, meta).await?;
                    out.assigned.push(email);
                }
                Placement::AlreadyHeld(_) => out.already_held += 1,
                Placement::NoFreeSeat => out.without_seat.push(email),
            }
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Takes back `user`'s seat of `plan` in the organization (the operator, or a member holding
    /// `licenses:assign`). `Invalid` naming `email` when they hold none.
    pub async fn unassign_seat(
        &self,
        actor: Actor,
        org: OrganizationId,
        plan: &str,
        user: UserId,
        meta: &RequestMeta,
    ) -> Result<Subscription> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        access(tx.db(), org, actor).await?.require(Permission::LicensesAssign)?;
        let plan = plan_by_key(tx.db(), plan).await?;
        let mut freed = None;
        for s in store::subscriptions_of_org(tx.db(), org, Some(plan.id)).await? {
            if store::delete_seat(tx.db(), s.id, user).await? {
                freed = Some(s.id);
                break;
            }
        }
        let id = freed.ok_or_else(|| {
            Error::invalid("email", "no_seat", "This user holds no seat of this plan in the organization.")
        })?;
        let details = serde_json::json!({"event": "seat_unassigned", "subscription": id, "plan": plan.key});
        let by = acting_user(actor);
        audit::record_in_org(tx.db(), now, AuditAction::SeatChanged, by, Some(user), org, meta, details).await?;
        let row = store::get_subscription(tx.db(), id).await?;
        tx.commit().await?;
        Ok(Subscription::from_row(row, now))
    }

    /// Who holds the seats of a subscription, by email (the operator, or a member of its
    /// organization holding `licenses:assign`).
    pub async fn seat_holders(&self, actor: Actor, id: SubscriptionId) -> Result<Vec<SeatHolder>> {
        let mut conn = self.store().conn().await?;
        let sub = store::get_subscription(conn.db(), id).await?;
        access(conn.db(), sub.organization_id, actor).await?.require(Permission::LicensesAssign)?;
        let rows = store::seat_holders(conn.db(), id).await?;
        Ok(rows.into_iter().map(|(user, email, assigned_at)| SeatHolder { user, email, assigned_at }).collect())
    }
}
