//! Bulk licensing data for benchmarks (behind the `testing` feature): a subscription for each
//! of many organizations, and a seat for each of their members, written in one transaction
//! without audit events or emails.

use crate::Core;
use crate::error::{Error, Result};
use crate::ids::{OrganizationId, SubscriptionId};
use crate::store::licensing::{self as store, SubscriptionRow};

/// Gives each organization of `orgs` a live subscription of `plan` with `seats` seats, and a
/// seat of it to each of the organization's current members (up to the seats). Returns the
/// number of seats written. Ends with `ANALYZE`, as a bulk load should, so the benchmark
/// measures the plans of a database in service rather than of one without statistics.
pub async fn subscribe_all(core: &Core, orgs: &[OrganizationId], plan: &str, seats: i32) -> Result<u64> {
    let now = core.clock().now();
    let mut tx = core.store().begin().await?;
    let plan = store::find_plan(tx.db(), plan).await?.ok_or(Error::NotFound)?;
    for org in orgs {
        let row = SubscriptionRow {
            id: SubscriptionId::new(),
            organization_id: *org,
            plan_id: plan.id,
            plan_key: plan.key.clone(),
            plan_name: plan.name.clone(),
            product_name: plan.product_name.clone(),
            seats,
            seats_used: 0,
            starts_at: now,
            ends_at: None,
            ended_at: None,
            created_at: now,
        };
        store::insert_subscription(tx.db(), &row).await?;
    }
    let written = store::seed_member_seats(tx.db(), plan.id, now).await?;
    tx.commit().await?;
    let mut conn = core.store().conn().await?;
    store::analyze(conn.db()).await?;
    Ok(written)
}
