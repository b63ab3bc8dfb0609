//! The licensing tables: `products`, `downloads`, `plans`, `plan_entitlements`,
//! `plan_extensions`, `plan_downloads`, `subscriptions` and `seats`.

use time::OffsetDateTime;

use super::{Db, StoreError, execute, on_db};
use crate::ids::{DownloadId, OrganizationId, PlanId, ProductId, SubscriptionId, UserId};

/// A `products` row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ProductRow {
    pub id: ProductId,
    pub key: String,
    pub name: String,
    pub kind: String,
    pub description: String,
    pub catalogue_group: String,
    pub launch_url: Option<String>,
    pub icon_url: Option<String>,
    pub learn_more_url: Option<String>,
    pub created_at: OffsetDateTime,
}

pub(super) const PRODUCT_COLUMNS: &str = "p.id, p.key, p.name, p.kind, p.description, p.catalogue_group, p.launch_url, p.icon_url, p.learn_more_url, \
     p.created_at";

pub(crate) async fn insert_product(db: Db<'_>, p: &ProductRow) -> Result<(), StoreError> {
    execute!(
        db,
        "INSERT INTO products (id, key, name, kind, description, catalogue_group, launch_url, icon_url, \
         learn_more_url, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        p.id,
        &p.key,
        &p.name,
        &p.kind,
        &p.description,
        &p.catalogue_group,
        p.launch_url.as_deref(),
        p.icon_url.as_deref(),
        p.learn_more_url.as_deref(),
        p.created_at,
    )?;
    Ok(())
}

pub(crate) async fn list_products(db: Db<'_>) -> Result<Vec<ProductRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {PRODUCT_COLUMNS} FROM products p ORDER BY p.key"));
    Ok(on_db!(db, |c| sqlx::query_as::<_, ProductRow>(sql).fetch_all(c).await)?)
}

/// No product or plan key holds a NUL character (PostgreSQL text cannot): such a key names
/// nothing, without asking the database, which would refuse the parameter.
fn impossible_key(key: &str) -> bool {
    key.contains('\0')
}

pub(crate) async fn find_product(db: Db<'_>, key: &str) -> Result<Option<ProductRow>, StoreError> {
    if impossible_key(key) {
        return Ok(None);
    }
    let sql = sqlx::AssertSqlSafe(format!("SELECT {PRODUCT_COLUMNS} FROM products p WHERE p.key = $1"));
    Ok(on_db!(db, |c| sqlx::query_as::<_, ProductRow>(sql).bind(key).fetch_optional(c).await)?)
}

/// The extensions a plan grants.
pub(crate) async fn plan_extensions(db: Db<'_>, plan: PlanId) -> Result<Vec<ProductRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {PRODUCT_COLUMNS} FROM plan_extensions e JOIN products p ON p.id = e.product_id \
         WHERE e.plan_id = $1 ORDER BY p.key"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, ProductRow>(sql).bind(plan).fetch_all(c).await)?)
}

/// A `downloads` row with its product's key.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct DownloadRow {
    pub id: DownloadId,
    pub product_id: ProductId,
    pub product_key: String,
    pub version: String,
    pub platform: String,
    pub file_path: Option<String>,
    pub file_name: Option<String>,
    pub url: Option<String>,
    pub size_bytes: Option<i64>,
    pub sha256: Option<String>,
    pub released_at: OffsetDateTime,
    pub notes_url: Option<String>,
    pub created_at: OffsetDateTime,
}

pub(super) const DOWNLOAD_COLUMNS: &str = "d.id, d.product_id, p.key AS product_key, d.version, d.platform, d.file_path, \
     d.file_name, d.url, d.size_bytes, d.sha256, d.released_at, d.notes_url, d.created_at";

pub(crate) async fn insert_download(db: Db<'_>, d: &DownloadRow) -> Result<(), StoreError> {
    execute!(
        db,
        "INSERT INTO downloads (id, product_id, version, platform, file_path, file_name, url, size_bytes, sha256, \
         released_at, notes_url, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        d.id,
        d.product_id,
        &d.version,
        &d.platform,
        d.file_path.as_deref(),
        d.file_name.as_deref(),
        d.url.as_deref(),
        d.size_bytes,
        d.sha256.as_deref(),
        d.released_at,
        d.notes_url.as_deref(),
        d.created_at,
    )?;
    Ok(())
}

/// Every download, by product, newest release first.
pub(crate) async fn list_downloads(db: Db<'_>) -> Result<Vec<DownloadRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {DOWNLOAD_COLUMNS} FROM downloads d JOIN products p ON p.id = d.product_id \
         ORDER BY p.key, d.released_at DESC, d.id"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, DownloadRow>(sql).fetch_all(c).await)?)
}

pub(crate) async fn find_download(db: Db<'_>, id: DownloadId) -> Result<Option<DownloadRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {DOWNLOAD_COLUMNS} FROM downloads d JOIN products p ON p.id = d.product_id WHERE d.id = $1"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, DownloadRow>(sql).bind(id).fetch_optional(c).await)?)
}

/// The downloads a plan unlocks.
pub(crate) async fn plan_downloads(db: Db<'_>, plan: PlanId) -> Result<Vec<DownloadRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {DOWNLOAD_COLUMNS} FROM plan_downloads pd JOIN downloads d ON d.id = pd.download_id \
         JOIN products p ON p.id = d.product_id WHERE pd.plan_id = $1 ORDER BY p.key, d.released_at DESC, d.id"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, DownloadRow>(sql).bind(plan).fetch_all(c).await)?)
}

/// A `plans` row with its product's key.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct PlanRow {
    pub id: PlanId,
    pub product_id: ProductId,
    pub product_key: String,
    pub product_name: String,
    pub key: String,
    pub name: String,
    pub landing: String,
    pub landing_url: Option<String>,
    pub max_machines: Option<i32>,
    pub created_at: OffsetDateTime,
}

pub(super) const PLAN_COLUMNS: &str = "pl.id, pl.product_id, p.key AS product_key, p.name AS product_name, pl.key, pl.name, pl.landing, \
     pl.landing_url, pl.max_machines, pl.created_at";

/// Inserts a plan with what it grants.
pub(crate) async fn insert_plan(
    mut db: Db<'_>,
    plan: &PlanRow,
    entitlements: &[String],
    extensions: &[ProductId],
    downloads: &[DownloadId],
) -> Result<(), StoreError> {
    execute!(
        db.reborrow(),
        "INSERT INTO plans (id, product_id, key, name, landing, landing_url, max_machines, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        plan.id,
        plan.product_id,
        &plan.key,
        &plan.name,
        &plan.landing,
        plan.landing_url.as_deref(),
        plan.max_machines,
        plan.created_at,
    )?;
    for code in entitlements {
        execute!(db.reborrow(), "INSERT INTO plan_entitlements (plan_id, code) VALUES ($1, $2)", plan.id, code)?;
    }
    for product in extensions {
        execute!(db.reborrow(), "INSERT INTO plan_extensions (plan_id, product_id) VALUES ($1, $2)", plan.id, product)?;
    }
    for download in downloads {
        execute!(
            db.reborrow(),
            "INSERT INTO plan_downloads (plan_id, download_id) VALUES ($1, $2)",
            plan.id,
            download
        )?;
    }
    Ok(())
}

pub(crate) async fn find_plan(db: Db<'_>, key: &str) -> Result<Option<PlanRow>, StoreError> {
    if impossible_key(key) {
        return Ok(None);
    }
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {PLAN_COLUMNS} FROM plans pl JOIN products p ON p.id = pl.product_id WHERE pl.key = $1"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, PlanRow>(sql).bind(key).fetch_optional(c).await)?)
}

/// Every plan, by product key and then plan key.
pub(crate) async fn list_plans(db: Db<'_>) -> Result<Vec<PlanRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {PLAN_COLUMNS} FROM plans pl JOIN products p ON p.id = pl.product_id ORDER BY p.key, pl.key"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, PlanRow>(sql).fetch_all(c).await)?)
}

/// The entitlement codes of a plan, sorted.
pub(crate) async fn plan_entitlements(db: Db<'_>, plan: PlanId) -> Result<Vec<String>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_scalar::<_, String>(
        "SELECT code FROM plan_entitlements WHERE plan_id = $1 ORDER BY code"
    )
    .bind(plan)
    .fetch_all(c)
    .await)?)
}

/// A `subscriptions` row with its plan's key and the seats in use.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct SubscriptionRow {
    pub id: SubscriptionId,
    pub organization_id: OrganizationId,
    pub plan_id: PlanId,
    pub plan_key: String,
    pub plan_name: String,
    pub product_name: String,
    pub seats: i32,
    pub seats_used: i64,
    pub starts_at: OffsetDateTime,
    pub ends_at: Option<OffsetDateTime>,
    pub ended_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
}

const SUBSCRIPTION_COLUMNS: &str = "s.id, s.organization_id, s.plan_id, pl.key AS plan_key, pl.name AS plan_name, \
     (SELECT p.name FROM products p WHERE p.id = pl.product_id) AS product_name, s.seats, \
     (SELECT COUNT(*) FROM seats st WHERE st.subscription_id = s.id) AS seats_used, s.starts_at, s.ends_at, \
     s.ended_at, s.created_at";

pub(crate) async fn insert_subscription(db: Db<'_>, s: &SubscriptionRow) -> Result<(), StoreError> {
    execute!(
        db,
        "INSERT INTO subscriptions (id, organization_id, plan_id, seats, starts_at, ends_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        s.id,
        s.organization_id,
        s.plan_id,
        s.seats,
        s.starts_at,
        s.ends_at,
        s.created_at,
    )?;
    Ok(())
}

pub(crate) async fn get_subscription(db: Db<'_>, id: SubscriptionId) -> Result<SubscriptionRow, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions s JOIN plans pl ON pl.id = s.plan_id WHERE s.id = $1"
    ));
    on_db!(db, |c| sqlx::query_as::<_, SubscriptionRow>(sql).bind(id).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)
}

/// An organization's subscriptions, oldest start first; with `plan`, only that plan's.
pub(crate) async fn subscriptions_of_org(
    db: Db<'_>,
    org: OrganizationId,
    plan: Option<PlanId>,
) -> Result<Vec<SubscriptionRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions s JOIN plans pl ON pl.id = s.plan_id \
         WHERE s.organization_id = $1 AND ($2 IS NULL OR s.plan_id = $2) ORDER BY s.starts_at, s.id"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, SubscriptionRow>(sql).bind(org).bind(plan).fetch_all(c).await)?)
}

/// Takes the subscription's seat lock: bumps `seat_changes`, which on PostgreSQL holds the row's
/// lock until the transaction ends, so the seat count read after it is current and no other
/// assignment or resize of this subscription runs until then. False when there is no such row.
pub(crate) async fn lock_seats(db: Db<'_>, id: SubscriptionId) -> Result<bool, StoreError> {
    Ok(execute!(db, "UPDATE subscriptions SET seat_changes = seat_changes + 1 WHERE id = $1", id)? == 1)
}

/// Gives `user` a seat if one is free: one guarded insert, run after [`lock_seats`]. False when
/// every seat is taken.
pub(crate) async fn insert_seat_if_free(
    db: Db<'_>,
    sub: SubscriptionId,
    user: UserId,
    by: Option<UserId>,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    Ok(execute!(
        db,
        "INSERT INTO seats (subscription_id, organization_id, user_id, assigned_at, assigned_by) \
         SELECT s.id, s.organization_id, $2, $3, $4 FROM subscriptions s WHERE s.id = $1 \
         AND (SELECT COUNT(*) FROM seats st WHERE st.subscription_id = $1) < s.seats",
        sub,
        user,
        now,
        by,
    )? == 1)
}

pub(crate) async fn delete_seat(db: Db<'_>, sub: SubscriptionId, user: UserId) -> Result<bool, StoreError> {
    Ok(execute!(db, "DELETE FROM seats WHERE subscription_id = $1 AND user_id = $2", sub, user)? == 1)
}

pub(crate) async fn has_seat(db: Db<'_>, sub: SubscriptionId, user: UserId) -> Result<bool, StoreError> {
    let found = on_db!(db, |c| sqlx::query_scalar::<_, i32>(
        "SELECT 1 FROM seats WHERE subscription_id = $1 AND user_id = $2"
    )
    .bind(sub)
    .bind(user)
    .fetch_optional(c)
    .await)?;
    Ok(found.is_some())
}

/// Changes the seat count, after [`lock_seats`], unless more seats are in use. False then.
pub(crate) async fn set_seats(db: Db<'_>, id: SubscriptionId, seats: i32) -> Result<bool, StoreError> {
    Ok(execute!(
        db,
        "UPDATE subscriptions SET seats = $2 WHERE id = $1 \
         AND (SELECT COUNT(*) FROM seats st WHERE st.subscription_id = $1) <= $2",
        id,
        seats
    )? == 1)
}

/// Ends a subscription now, unless it has already ended. False then.
pub(crate) async fn end_subscription(db: Db<'_>, id: SubscriptionId, now: OffsetDateTime) -> Result<bool, StoreError> {
    Ok(execute!(db, "UPDATE subscriptions SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL", id, now)? == 1)
}

/// Who holds a seat of a subscription: (user, email, assigned at), by email.
pub(crate) async fn seat_holders(
    db: Db<'_>,
    sub: SubscriptionId,
) -> Result<Vec<(UserId, String, OffsetDateTime)>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, (UserId, String, OffsetDateTime)>(
        "SELECT u.id, u.email, st.assigned_at FROM seats st JOIN users u ON u.id = st.user_id \
         WHERE st.subscription_id = $1 ORDER BY u.email"
    )
    .bind(sub)
    .fetch_all(c)
    .await)?)
}

/// A seat of a live subscription held by a user, with what the licence page shows.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct HeldRow {
    pub subscription_id: SubscriptionId,
    pub plan_id: PlanId,
    pub organization_id: OrganizationId,
    pub organization_name: String,
    pub organization_slug: String,
    pub ends_at: Option<OffsetDateTime>,
    pub assigned_at: OffsetDateTime,
}

/// The user's seats of subscriptions live at `now` (started, not past their end, not ended).
pub(crate) async fn held_by(db: Db<'_>, user: UserId, now: OffsetDateTime) -> Result<Vec<HeldRow>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, HeldRow>(
        "SELECT s.id AS subscription_id, s.plan_id, o.id AS organization_id, o.name AS organization_name, \
         o.slug AS organization_slug, s.ends_at, st.assigned_at \
         FROM seats st JOIN subscriptions s ON s.id = st.subscription_id \
         JOIN organizations o ON o.id = s.organization_id \
         WHERE st.user_id = $1 AND s.ended_at IS NULL AND s.starts_at <= $2 AND (s.ends_at IS NULL OR s.ends_at > $2) \
         ORDER BY o.name, s.starts_at, s.id"
    )
    .bind(user)
    .bind(now)
    .fetch_all(c)
    .await)?)
}

/// A download a user may fetch, with its product's name and launch URL.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct AvailableRow {
    #[sqlx(flatten)]
    pub download: DownloadRow,
    pub product_name: String,
    pub launch_url: Option<String>,
}

/// `held`: the plans of the seats user `$1` holds in subscriptions live at `$2`, shared by the
/// download reads. MATERIALIZED (PostgreSQL 12+, SQLite 3.35+) keeps the planner starting from
/// the user's few seats (index `seats_user`, then each subscription by key): left to itself,
/// PostgreSQL without fresh statistics started from `plan_downloads` and scanned every
/// subscription of the plan (10 000 in the benchmark: 20 ms instead of 0.3 ms).
pub(super) const HELD_PLANS: &str = "WITH held AS MATERIALIZED (SELECT s.plan_id FROM seats st \
     JOIN subscriptions s ON s.id = st.subscription_id WHERE st.user_id = $1 AND s.ended_at IS NULL \
     AND s.starts_at <= $2 AND (s.ends_at IS NULL OR s.ends_at > $2))";

/// Every download a license `user` holds at `now` unlocks, once each, by product name and
/// newest release first. One query: the user's seats (index `seats_user`) → their live
/// subscriptions → the plans' downloads.
pub(crate) async fn downloads_available_to(
    db: Db<'_>,
    user: UserId,
    now: OffsetDateTime,
) -> Result<Vec<AvailableRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{HELD_PLANS} SELECT {DOWNLOAD_COLUMNS}, p.name AS product_name, p.launch_url \
         FROM downloads d JOIN products p ON p.id = d.product_id \
         WHERE d.id IN (SELECT pd.download_id FROM held JOIN plan_downloads pd ON pd.plan_id = held.plan_id) \
         ORDER BY p.name, p.key, d.released_at DESC, d.version DESC, d.platform, d.id"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, AvailableRow>(sql).bind(user).bind(now).fetch_all(c).await)?)
}

/// The download `id` when `user` may fetch it at `now`: their account may hold a session, and
/// one of their seats of a live subscription unlocks it. One query, driven by the user's seats
/// (index `seats_user`), then each subscription and `plan_downloads` row by its key.
pub(crate) async fn download_if_granted(
    db: Db<'_>,
    id: DownloadId,
    user: UserId,
    now: OffsetDateTime,
) -> Result<Option<DownloadRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{HELD_PLANS} SELECT {DOWNLOAD_COLUMNS} FROM downloads d JOIN products p ON p.id = d.product_id \
         WHERE d.id = $3 \
         AND EXISTS (SELECT 1 FROM users u WHERE u.id = $1 AND u.status IN ('active', 'incomplete_profile')) \
         AND EXISTS (SELECT 1 FROM held JOIN plan_downloads pd ON pd.plan_id = held.plan_id AND pd.download_id = d.id)"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, DownloadRow>(sql).bind(user).bind(now).bind(id).fetch_optional(c).await)?)
}

/// Benchmark seeding only: a seat of every subscription of `plan` for each member of its
/// organization, as long as seats are free.
#[cfg(any(test, feature = "testing"))]
pub(crate) async fn seed_member_seats(db: Db<'_>, plan: PlanId, now: OffsetDateTime) -> Result<u64, StoreError> {
    Ok(execute!(
        db,
        "INSERT INTO seats (subscription_id, organization_id, user_id, assigned_at) \
         SELECT s.id, s.organization_id, m.user_id, $2 FROM subscriptions s \
         JOIN organization_members m ON m.organization_id = s.organization_id \
         WHERE s.plan_id = $1 AND (SELECT COUNT(*) FROM organization_members c \
         WHERE c.organization_id = s.organization_id AND c.user_id <= m.user_id) <= s.seats",
        plan,
        now
    )?)
}

/// Benchmark seeding only: refreshes the planner's statistics after a bulk load (as
/// autovacuum or `pg_restore` advice would), so plans are those of a database in service.
#[cfg(any(test, feature = "testing"))]
pub(crate) async fn analyze(db: Db<'_>) -> Result<(), StoreError> {
    execute!(db, "ANALYZE")?;
    Ok(())
}
