//! What the licenses a user holds grant, read for all of them at once: four queries whatever
//! the number of licenses (My Account → Licenses, the landing, the extension chooser, tokens).
//! Each starts from the user's seats of live subscriptions ([`HELD_PLANS`]).

use time::OffsetDateTime;

use super::licensing::{DOWNLOAD_COLUMNS, DownloadRow, HELD_PLANS, PLAN_COLUMNS, PRODUCT_COLUMNS, PlanRow, ProductRow};
use super::{Db, StoreError, on_db};
use crate::ids::{PlanId, UserId};

/// A product a plan grants as an extension.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct PlanProduct {
    pub plan_id: PlanId,
    #[sqlx(flatten)]
    pub product: ProductRow,
}

/// A download a plan unlocks.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct PlanDownload {
    pub plan_id: PlanId,
    #[sqlx(flatten)]
    pub download: DownloadRow,
}

/// The plans of the licenses `user` holds at `now`.
pub(crate) async fn plans(db: Db<'_>, user: UserId, now: OffsetDateTime) -> Result<Vec<PlanRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{HELD_PLANS} SELECT {PLAN_COLUMNS} FROM plans pl JOIN products p ON p.id = pl.product_id \
         WHERE pl.id IN (SELECT plan_id FROM held)"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, PlanRow>(sql).bind(user).bind(now).fetch_all(c).await)?)
}

/// (plan, entitlement code) of those plans, by code.
pub(crate) async fn entitlements(
    db: Db<'_>,
    user: UserId,
    now: OffsetDateTime,
) -> Result<Vec<(PlanId, String)>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{HELD_PLANS} SELECT e.plan_id, e.code FROM plan_entitlements e \
         WHERE e.plan_id IN (SELECT plan_id FROM held) ORDER BY e.code"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, (PlanId, String)>(sql).bind(user).bind(now).fetch_all(c).await)?)
}

/// The extensions those plans grant, by key.
pub(crate) async fn extensions(db: Db<'_>, user: UserId, now: OffsetDateTime) -> Result<Vec<PlanProduct>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{HELD_PLANS} SELECT e.plan_id, {PRODUCT_COLUMNS} FROM plan_extensions e JOIN products p ON p.id = e.product_id \
         WHERE e.plan_id IN (SELECT plan_id FROM held) ORDER BY p.key"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, PlanProduct>(sql).bind(user).bind(now).fetch_all(c).await)?)
}

/// The downloads those plans unlock, by product key and newest release first.
pub(crate) async fn downloads(db: Db<'_>, user: UserId, now: OffsetDateTime) -> Result<Vec<PlanDownload>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{HELD_PLANS} SELECT pd.plan_id, {DOWNLOAD_COLUMNS} FROM plan_downloads pd \
         JOIN downloads d ON d.id = pd.download_id JOIN products p ON p.id = d.product_id \
         WHERE pd.plan_id IN (SELECT plan_id FROM held) ORDER BY p.key, d.released_at DESC, d.id"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, PlanDownload>(sql).bind(user).bind(now).fetch_all(c).await)?)
}
