//! Subscriptions: an organization's seats of a plan for a period. Created, resized and ended by
//! the operator (or the billing system through the CLI or the admin API).

use time::{OffsetDateTime, UtcOffset};

use super::{is_live, is_over, require_operator};
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::crypto::version_tag;
use crate::error::{Code, Error, Result};
use crate::ids::{OrganizationId, PlanId, SubscriptionId};
use crate::organizations::{Actor, Permission, access};
use crate::store::licensing::{self as store, SubscriptionRow};
use crate::store::organizations as org_store;

/// Most seats one subscription may have.
pub const MAX_SEATS: i64 = 1_000_000;

/// An organization's subscription to a plan.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Subscription {
    /// Its id.
    pub id: SubscriptionId,
    /// The organization holding it.
    pub organization: OrganizationId,
    /// The plan's id.
    pub plan_id: PlanId,
    /// The plan's key.
    pub plan: String,
    /// The plan's name.
    pub plan_name: String,
    /// The product's name.
    pub product_name: String,
    /// Seats bought.
    pub seats: u32,
    /// Seats assigned.
    pub seats_used: u32,
    /// When it starts granting licenses.
    #[serde(with = "time::serde::rfc3339")]
    pub starts_at: OffsetDateTime,
    /// When it stops (none: until ended).
    #[serde(with = "time::serde::rfc3339::option")]
    pub ends_at: Option<OffsetDateTime>,
    /// When the operator ended it early.
    #[serde(with = "time::serde::rfc3339::option")]
    pub ended_at: Option<OffsetDateTime>,
    /// True when it grants licenses now.
    pub live: bool,
    /// Its version (the admin API's `ETag`): it changes whenever its seats, the seats in use or
    /// its period change.
    pub version: String,
}

impl Subscription {
    pub(crate) fn from_row(r: SubscriptionRow, now: OffsetDateTime) -> Self {
        let version = version_of(&r);
        Self {
            id: r.id,
            organization: r.organization_id,
            plan_id: r.plan_id,
            plan: r.plan_key,
            plan_name: r.plan_name,
            product_name: r.product_name,
            seats: u32::try_from(r.seats).unwrap_or(0),
            seats_used: u32::try_from(r.seats_used).unwrap_or(u32::MAX),
            live: is_live(r.starts_at, r.ends_at, r.ended_at, now),
            version,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            ended_at: r.ended_at,
        }
    }
}

/// What the operator gives to create a subscription.
#[derive(Debug, Clone, Copy)]
pub struct NewSubscription<'a> {
    /// The plan's key.
    pub plan: &'a str,
    /// Seats bought, 0 to [`MAX_SEATS`].
    pub seats: i64,
    /// When it starts; now when absent.
    pub starts_at: Option<OffsetDateTime>,
    /// When it ends; open-ended when absent.
    pub ends_at: Option<OffsetDateTime>,
}

/// The version of a subscription: a digest of everything it shows that can change (`live`
/// aside, which changes with the time alone).
fn version_of(r: &SubscriptionRow) -> String {
    let time = |t: Option<OffsetDateTime>| t.map(|t| t.unix_timestamp_nanos().to_string()).unwrap_or_default();
    version_tag(&[
        &r.plan_id.to_string(),
        &r.seats.to_string(),
        &r.seats_used.to_string(),
        &time(Some(r.starts_at)),
        &time(r.ends_at),
        &time(r.ended_at),
    ])
}

fn check_seats(seats: i64) -> Result<i32> {
    i32::try_from(seats).ok().filter(|n| (0..=MAX_SEATS).contains(&i64::from(*n))).ok_or_else(|| {
        Error::invalid("seats", "out_of_range", format!("Choose a number of seats from 0 to {MAX_SEATS}."))
    })
}

/// A time as stored: in UTC (so that stored times compare in SQL as they do here), within the
/// years 1 to 9999 that both databases and RFC 3339 hold; `Invalid` naming `field` otherwise.
fn check_time(field: &str, t: OffsetDateTime) -> Result<OffsetDateTime> {
    t.checked_to_offset(UtcOffset::UTC)
        .filter(|t| (1..=9999).contains(&t.year()))
        .ok_or_else(|| Error::invalid(field, "out_of_range", "Choose a time between the years 1 and 9999."))
}

impl Core {
    /// Creates a subscription of `org` to a plan (operator only). Its times are kept in UTC;
    /// `Invalid` naming `seats`, `starts_at`, `ends_at` (not after the start) or `plan`.
    pub async fn create_subscription(
        &self,
        actor: Actor,
        org: OrganizationId,
        new: NewSubscription<'_>,
        meta: &RequestMeta,
    ) -> Result<Subscription> {
        require_operator(actor)?;
        let seats = check_seats(new.seats)?;
        let now = self.clock().now();
        let starts_at = check_time("starts_at", new.starts_at.unwrap_or(now))?;
        let ends_at = new.ends_at.map(|e| check_time("ends_at", e)).transpose()?;
        if ends_at.is_some_and(|e| e <= starts_at) {
            return Err(Error::invalid("ends_at", "before_start", "The end must be after the start."));
        }
        let mut tx = self.store().begin().await?;
        org_store::get_org(tx.db(), org).await?;
        let plan = super::seats::plan_by_key(tx.db(), new.plan).await?;
        let row = SubscriptionRow {
            id: SubscriptionId::new(),
            organization_id: org,
            plan_id: plan.id,
            plan_key: plan.key,
            plan_name: plan.name,
            product_name: String::new(),
            seats,
            seats_used: 0,
            starts_at,
            ends_at,
            ended_at: None,
            created_at: now,
        };
        store::insert_subscription(tx.db(), &row).await?;
        let row = store::get_subscription(tx.db(), row.id).await?;
        let details = serde_json::json!({"event": "subscription_created", "subscription": row.id,
            "plan": row.plan_key, "seats": seats});
        audit::record_in_org(tx.db(), now, AuditAction::SubscriptionChanged, None, None, org, meta, details).await?;
        tx.commit().await?;
        Ok(Subscription::from_row(row, now))
    }

    /// An organization's subscriptions, oldest first: the operator, or a member holding
    /// `licenses:assign`.
    pub async fn subscriptions(&self, actor: Actor, org: OrganizationId) -> Result<Vec<Subscription>> {
        let now = self.clock().now();
        let mut conn = self.store().conn().await?;
        access(conn.db(), org, actor).await?.require(Permission::LicensesAssign)?;
        let rows = store::subscriptions_of_org(conn.db(), org, None).await?;
        Ok(rows.into_iter().map(|r| Subscription::from_row(r, now)).collect())
    }

    /// One of the organization's subscriptions: the operator, or a member holding
    /// `licenses:assign`. Not found when it is another organization's.
    pub async fn subscription(&self, actor: Actor, org: OrganizationId, id: SubscriptionId) -> Result<Subscription> {
        let now = self.clock().now();
        let mut conn = self.store().conn().await?;
        access(conn.db(), org, actor).await?.require(Permission::LicensesAssign)?;
        let row = store::get_subscription(conn.db(), id).await?;
        if row.organization_id != org {
            return Err(Error::NotFound);
        }
        Ok(Subscription::from_row(row, now))
    }

    /// Changes how many seats a subscription has (operator only). Refused below the seats in use:
    /// unassign first. With `expected_version` (the admin API's `If-Match`), a subscription
    /// changed since is `Refused(PreconditionFailed)` and nothing is saved — compared under the
    /// seat lock, so no assignment or other resize can slip in between.
    pub async fn set_subscription_seats(
        &self,
        actor: Actor,
        id: SubscriptionId,
        seats: i64,
        expected_version: Option<&str>,
        meta: &RequestMeta,
    ) -> Result<Subscription> {
        require_operator(actor)?;
        let seats = check_seats(seats)?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        if !store::lock_seats(tx.db(), id).await? {
            return Err(Error::NotFound);
        }
        let before = store::get_subscription(tx.db(), id).await?;
        if expected_version.is_some_and(|v| v != version_of(&before)) {
            return Err(Error::refused(
                Code::PreconditionFailed,
                "The subscription changed since you read it: read it again and reapply your change.",
            ));
        }
        if !store::set_seats(tx.db(), id, seats).await? {
            return Err(Error::invalid(
                "seats",
                "below_seats_in_use",
                format!("{} seats are assigned: unassign some before going below that.", before.seats_used),
            ));
        }
        let details = serde_json::json!({"event": "seats_changed", "subscription": id, "plan": before.plan_key,
            "from": before.seats, "to": seats});
        let org = before.organization_id;
        audit::record_in_org(tx.db(), now, AuditAction::SubscriptionChanged, None, None, org, meta, details).await?;
        let row = store::get_subscription(tx.db(), id).await?;
        tx.commit().await?;
        Ok(Subscription::from_row(row, now))
    }

    /// Ends a subscription now (operator only): its seats grant nothing from then on.
    pub async fn end_subscription(&self, actor: Actor, id: SubscriptionId, meta: &RequestMeta) -> Result<Subscription> {
        require_operator(actor)?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let before = store::get_subscription(tx.db(), id).await?;
        if is_over(before.ends_at, before.ended_at, now) || !store::end_subscription(tx.db(), id, now).await? {
            return Err(Error::invalid("subscription", "already_ended", "This subscription has already ended."));
        }
        let details = serde_json::json!({"event": "subscription_ended", "subscription": id, "plan": before.plan_key});
        let org = before.organization_id;
        audit::record_in_org(tx.db(), now, AuditAction::SubscriptionChanged, None, None, org, meta, details).await?;
        let row = store::get_subscription(tx.db(), id).await?;
        tx.commit().await?;
        Ok(Subscription::from_row(row, now))
    }
}
