//! The `notification_preferences` and `billing_addresses` tables.

use time::OffsetDateTime;

use super::{Db, StoreError, on_db};
use crate::ids::UserId;

/// Stored opt-ins: (category, enabled).
pub(crate) async fn notification_choices(db: Db<'_>, user: UserId) -> Result<Vec<(String, bool)>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as("SELECT category, enabled FROM notification_preferences WHERE user_id = $1")
        .bind(user)
        .fetch_all(c)
        .await)?)
}

/// Sets one opt-in.
pub(crate) async fn set_notification_choice(
    db: Db<'_>,
    user: UserId,
    category: &str,
    enabled: bool,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query(
        "INSERT INTO notification_preferences (user_id, category, enabled, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, category) DO UPDATE SET enabled = $3, updated_at = $4"
    )
    .bind(user)
    .bind(category)
    .bind(enabled)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// A billing address row.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub(crate) struct BillingRow {
    pub name: String,
    pub company: Option<String>,
    pub line1: String,
    pub line2: Option<String>,
    pub postal_code: String,
    pub city: String,
    pub region: Option<String>,
    pub country: String,
    pub vat_id: Option<String>,
}

pub(crate) async fn billing_address(db: Db<'_>, user: UserId) -> Result<Option<BillingRow>, StoreError> {
    Ok(on_db!(db, |c| {
        sqlx::query_as::<_, BillingRow>(
        "SELECT name, company, line1, line2, postal_code, city, region, country, vat_id FROM billing_addresses WHERE user_id = $1"
    )
    .bind(user)
    .fetch_optional(c)
    .await
    })?)
}

pub(crate) async fn set_billing_address(
    db: Db<'_>,
    user: UserId,
    b: &BillingRow,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    on_db!(db, |c| {
        sqlx::query(
        "INSERT INTO billing_addresses (user_id, name, company, line1, line2, postal_code, city, region, country, vat_id, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (user_id) DO UPDATE SET name = $2, company = $3, \
         line1 = $4, line2 = $5, postal_code = $6, city = $7, region = $8, country = $9, vat_id = $10, updated_at = $11"
    )
    .bind(user)
    .bind(&b.name)
    .bind(&b.company)
    .bind(&b.line1)
    .bind(&b.line2)
    .bind(&b.postal_code)
    .bind(&b.city)
    .bind(&b.region)
    .bind(&b.country)
    .bind(&b.vat_id)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}
