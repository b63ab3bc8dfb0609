//! Seats: license admins (members holding `licenses:assign`) and the operator assign a
//! subscription's seats to the organization's members. Never more seats than bought, also under
//! a race: each assignment first takes the subscription's seat lock (`store::lock_seats`), then
//! makes one guarded insert. A seat ends with its membership (a composite foreign key).

use time::OffsetDateTime;

use super::is_over;
use super::subscriptions::Subscription;
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Error, Result};
use crate::ids::{OrganizationId, SubscriptionId, UserId};
use crate::organizations::{Actor, Permission, access};
use crate::store::licensing::{self as store, PlanRow, SubscriptionRow};
use crate::store::organizations as org_store;
use crate::store::{Db, StoreError};

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
async fn plan_by_key(db: Db<'_>, key: &str) -> Result<PlanRow> {
    store::find_plan(db, key.trim())
        .await?
        .ok_or_else(|| Error::invalid("plan", "unknown_plan", "No plan with this key."))
}

impl Core {
    /// Gives `user` a seat of the organization's current subscription of `plan` (the first,
    /// oldest start first, with a seat free; one not yet started counts, an ended one does not).
    /// The operator, or a member holding `licenses:assign`; the user must be a member (or guest)
    /// of the organization and hold no seat of the plan there yet. Refused naming `plan` when no
    /// seat is free. (The email telling the user is for a later change.)
    pub async fn assign_seat(
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
        org_store::membership(tx.db(), org, user).await?.ok_or_else(not_a_member)?;
        let current: Vec<SubscriptionRow> = store::subscriptions_of_org(tx.db(), org, Some(plan.id))
            .await?
            .into_iter()
            .filter(|s| !is_over(s.ends_at, s.ended_at, now))
            .collect();
        if current.is_empty() {
            return Err(Error::invalid(
                "plan",
                "no_subscription",
                format!("The organization has no current subscription of {}.", plan.key),
            ));
        }
        // Lock every candidate first, always in the same order, so that concurrent assignments
        // queue rather than deadlock, and the checks below see every committed seat.
        for s in &current {
            store::lock_seats(tx.db(), s.id).await?;
        }
        for s in &current {
            if store::has_seat(tx.db(), s.id, user).await? {
                return Err(Error::invalid(
                    "email",
                    "already_assigned",
                    "This user already holds a seat of this plan.",
                ));
            }
        }
        let mut assigned = None;
        for s in &current {
            let inserted = store::insert_seat_if_free(tx.db(), s.id, user, acting_user(actor), now).await;
            if inserted.map_err(|e| match e {
                StoreError::Conflict { .. } => not_a_member(),
                other => other.into(),
            })? {
                assigned = Some(s.id);
                break;
            }
        }
        let Some(id) = assigned else {
            let total: i64 = current.iter().map(|s| i64::from(s.seats)).sum();
            return Err(Error::invalid(
                "plan",
                "no_free_seat",
                format!("All {total} seats of {} are assigned: unassign one or add seats first.", plan.key),
            ));
        };
        let details = serde_json::json!({"event": "seat_assigned", "subscription": id, "plan": plan.key});
        let by = acting_user(actor);
        audit::record_in_org(tx.db(), now, AuditAction::SeatChanged, by, Some(user), org, meta, details).await?;
        let row = store::get_subscription(tx.db(), id).await?;
        tx.commit().await?;
        Ok(Subscription::from_row(row, now))
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
