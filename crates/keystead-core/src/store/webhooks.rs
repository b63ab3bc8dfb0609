//! The `webhook_endpoints` and `webhook_deliveries` tables.

use time::OffsetDateTime;

use super::{Db, StoreError, execute, on_db};
use crate::ids::{OrganizationId, UserId, WebhookDeliveryId, WebhookEndpointId};

/// A `webhook_endpoints` row (the secrets sealed).
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct EndpointRow {
    pub id: WebhookEndpointId,
    pub organization_id: Option<OrganizationId>,
    pub url: String,
    pub description: String,
    pub events: String,
    pub secret: Vec<u8>,
    pub previous_secret: Option<Vec<u8>>,
    pub previous_secret_until: Option<OffsetDateTime>,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub failing_since: Option<OffsetDateTime>,
    pub created_by: Option<UserId>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

const ENDPOINT_COLUMNS: &str = "id, organization_id, url, description, events, secret, previous_secret, \
     previous_secret_until, enabled, disabled_reason, failing_since, created_by, created_at, updated_at";

pub(crate) async fn insert_endpoint(db: Db<'_>, e: &EndpointRow) -> Result<(), StoreError> {
    execute!(
        db,
        "INSERT INTO webhook_endpoints (id, organization_id, url, description, events, secret, previous_secret, \
         previous_secret_until, enabled, disabled_reason, failing_since, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        e.id,
        e.organization_id,
        &e.url,
        &e.description,
        &e.events,
        &e.secret,
        &e.previous_secret,
        e.previous_secret_until,
        e.enabled,
        &e.disabled_reason,
        e.failing_since,
        e.created_by,
        e.created_at,
        e.updated_at,
    )?;
    Ok(())
}

/// Rewrites the editable columns of an endpoint.
pub(crate) async fn update_endpoint(db: Db<'_>, e: &EndpointRow) -> Result<(), StoreError> {
    execute!(
        db,
        "UPDATE webhook_endpoints SET url = $2, description = $3, events = $4, secret = $5, previous_secret = $6, \
         previous_secret_until = $7, enabled = $8, disabled_reason = $9, failing_since = $10, updated_at = $11 \
         WHERE id = $1",
        e.id,
        &e.url,
        &e.description,
        &e.events,
        &e.secret,
        &e.previous_secret,
        e.previous_secret_until,
        e.enabled,
        &e.disabled_reason,
        e.failing_since,
        e.updated_at,
    )?;
    Ok(())
}

pub(crate) async fn get_endpoint(db: Db<'_>, id: WebhookEndpointId) -> Result<Option<EndpointRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1"));
    Ok(on_db!(db, |c| sqlx::query_as::<_, EndpointRow>(sql).bind(id).fetch_optional(c).await)?)
}

/// The endpoints of an organization, or the deployment's (`None`), oldest first.
pub(crate) async fn endpoints(db: Db<'_>, org: Option<OrganizationId>) -> Result<Vec<EndpointRow>, StoreError> {
    let filter = if org.is_some() { "organization_id = $1" } else { "organization_id IS NULL AND $1 IS NULL" };
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE {filter} ORDER BY created_at, id"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, EndpointRow>(sql).bind(org).fetch_all(c).await)?)
}

/// The enabled endpoints an event of `org` goes to: the deployment's, and the organization's.
pub(crate) async fn enabled_for(
    db: Db<'_>,
    org: Option<OrganizationId>,
) -> Result<Vec<(WebhookEndpointId, String)>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, (WebhookEndpointId, String)>(
        "SELECT id, events FROM webhook_endpoints WHERE enabled AND (organization_id IS NULL OR organization_id = $1)"
    )
    .bind(org)
    .fetch_all(c)
    .await)?)
}

pub(crate) async fn delete_endpoint(db: Db<'_>, id: WebhookEndpointId) -> Result<bool, StoreError> {
    Ok(execute!(db, "DELETE FROM webhook_endpoints WHERE id = $1", id)? == 1)
}

/// Notes a failed delivery: the endpoint fails since `now` unless it already did.
pub(crate) async fn mark_failing(db: Db<'_>, id: WebhookEndpointId, now: OffsetDateTime) -> Result<(), StoreError> {
    execute!(db, "UPDATE webhook_endpoints SET failing_since = $2 WHERE id = $1 AND failing_since IS NULL", id, now)?;
    Ok(())
}

/// Notes a successful delivery: the endpoint no longer fails.
pub(crate) async fn mark_healthy(db: Db<'_>, id: WebhookEndpointId) -> Result<(), StoreError> {
    execute!(db, "UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL", id)?;
    Ok(())
}

/// Disables an endpoint that has failed since before `before`; true when this call did.
pub(crate) async fn disable_if_failing_since(
    db: Db<'_>,
    id: WebhookEndpointId,
    before: OffsetDateTime,
    reason: &str,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    Ok(execute!(
        db,
        "UPDATE webhook_endpoints SET enabled = FALSE, disabled_reason = $3, updated_at = $4 \
         WHERE id = $1 AND enabled AND failing_since IS NOT NULL AND failing_since <= $2",
        id,
        before,
        reason,
        now,
    )? == 1)
}

/// A `webhook_deliveries` row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct DeliveryRow {
    pub id: WebhookDeliveryId,
    pub endpoint_id: WebhookEndpointId,
    pub event_id: String,
    pub event_type: String,
    pub payload: String,
    pub status: String,
    pub attempts: i32,
    pub response_status: Option<i32>,
    pub last_error: Option<String>,
    pub duration_ms: Option<i32>,
    pub created_at: OffsetDateTime,
    pub last_attempt_at: Option<OffsetDateTime>,
    pub delivered_at: Option<OffsetDateTime>,
}

const DELIVERY_COLUMNS: &str = "id, endpoint_id, event_id, event_type, payload, status, attempts, response_status, \
     last_error, duration_ms, created_at, last_attempt_at, delivered_at";

pub(crate) async fn insert_delivery(db: Db<'_>, d: &DeliveryRow) -> Result<(), StoreError> {
    execute!(
        db,
        "INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, payload, status, attempts, \
         response_status, last_error, duration_ms, created_at, last_attempt_at, delivered_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        d.id,
        d.endpoint_id,
        &d.event_id,
        &d.event_type,
        &d.payload,
        &d.status,
        d.attempts,
        d.response_status,
        &d.last_error,
        d.duration_ms,
        d.created_at,
        d.last_attempt_at,
        d.delivered_at,
    )?;
    Ok(())
}

pub(crate) async fn get_delivery(db: Db<'_>, id: WebhookDeliveryId) -> Result<Option<DeliveryRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE id = $1"));
    Ok(on_db!(db, |c| sqlx::query_as::<_, DeliveryRow>(sql).bind(id).fetch_optional(c).await)?)
}

/// An endpoint's deliveries, newest first.
pub(crate) async fn deliveries(
    db: Db<'_>,
    endpoint: WebhookEndpointId,
    limit: i64,
) -> Result<Vec<DeliveryRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE endpoint_id = $1 \
         ORDER BY created_at DESC, id DESC LIMIT $2"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, DeliveryRow>(sql).bind(endpoint).bind(limit).fetch_all(c).await)?)
}

/// Records one attempt's outcome.
pub(crate) async fn record_attempt(
    db: Db<'_>,
    id: WebhookDeliveryId,
    status: &str,
    response_status: Option<i32>,
    error: Option<&str>,
    duration_ms: i32,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let delivered = (status == "delivered").then_some(now);
    execute!(
        db,
        "UPDATE webhook_deliveries SET status = $2, attempts = attempts + 1, response_status = $3, last_error = $4, \
         duration_ms = $5, last_attempt_at = $6, delivered_at = COALESCE($7, delivered_at) WHERE id = $1",
        id,
        status,
        response_status,
        error,
        duration_ms,
        now,
        delivered,
    )?;
    Ok(())
}

/// Deletes deliveries created before `before` (the log's retention).
pub(crate) async fn purge_deliveries(db: Db<'_>, before: OffsetDateTime) -> Result<u64, StoreError> {
    Ok(execute!(db, "DELETE FROM webhook_deliveries WHERE created_at < $1", before)?)
}
