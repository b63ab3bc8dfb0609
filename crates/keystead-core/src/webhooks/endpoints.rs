//! Managing webhook endpoints: the deployment's by the operator, an organization's by whoever
//! may manage it (`org:manage`) — the same rule as its API tokens. The secret is shown once at
//! creation and at each rotation, kept sealed; after a rotation the old one signs too for a day.

use secrecy::SecretString;
use time::{Duration, OffsetDateTime};

use super::deliver::{SECRET_CONTEXT, signing_secrets};
use super::{EVENT_TYPES, signing};
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Error, FieldErrors, Result};
use crate::ids::{OrganizationId, WebhookDeliveryId, WebhookEndpointId};
use crate::organizations::{Actor, Permission, access};
use crate::store::Db;
use crate::store::webhooks::{self as store, DeliveryRow, EndpointRow};

/// How long the previous secret keeps signing after a rotation.
pub const ROTATION_OVERLAP: Duration = Duration::hours(24);

/// A new endpoint.
#[derive(Debug, Clone, Default)]
pub struct NewEndpoint {
    /// Where to POST events (https; http only where private networks are allowed).
    pub url: String,
    /// What it is for.
    pub description: String,
    /// Event types (from [`EVENT_TYPES`]), or `*` for all.
    pub events: Vec<String>,
}

/// Changes to an endpoint; `None` keeps a value.
#[derive(Debug, Clone, Default)]
pub struct EndpointChanges {
    /// A new URL.
    pub url: Option<String>,
    /// A new description.
    pub description: Option<String>,
    /// New event types.
    pub events: Option<Vec<String>>,
    /// Enable (clearing its failure record) or disable it.
    pub enabled: Option<bool>,
}

/// An endpoint as lists show it (never its secret).
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// Its id.
    pub id: WebhookEndpointId,
    /// The organization it belongs to (`None`: the deployment).
    pub organization: Option<OrganizationId>,
    /// Its URL.
    pub url: String,
    /// What it is for.
    pub description: String,
    /// The event types it receives (`*`: all).
    pub events: Vec<String>,
    /// Whether deliveries are made.
    pub enabled: bool,
    /// Why it was disabled by Keystead, if it was.
    pub disabled_reason: Option<String>,
    /// Since when its deliveries fail, if they do.
    pub failing_since: Option<OffsetDateTime>,
    /// Until when the previous secret also signs (after a rotation).
    pub previous_secret_until: Option<OffsetDateTime>,
    /// Created.
    pub created_at: OffsetDateTime,
}

impl From<EndpointRow> for Endpoint {
    fn from(r: EndpointRow) -> Self {
        Self {
            id: r.id,
            organization: r.organization_id,
            url: r.url,
            description: r.description,
            events: r.events.split_whitespace().map(str::to_owned).collect(),
            enabled: r.enabled,
            disabled_reason: r.disabled_reason,
            failing_since: r.failing_since,
            previous_secret_until: r.previous_secret_until,
            created_at: r.created_at,
        }
    }
}

/// One entry of the delivery log.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// Its id.
    pub id: WebhookDeliveryId,
    /// The endpoint.
    pub endpoint: WebhookEndpointId,
    /// The event's id (`webhook-id`), the same on every attempt and resend.
    pub event_id: String,
    /// The event type.
    pub event_type: String,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    /// Attempts made.
    pub attempts: i32,
    /// The last response's status code.
    pub response_status: Option<i32>,
    /// The last error.
    pub last_error: Option<String>,
    /// How long the last attempt took (ms).
    pub duration_ms: Option<i32>,
    /// Queued.
    pub created_at: OffsetDateTime,
    /// Delivered.
    pub delivered_at: Option<OffsetDateTime>,
}

impl From<DeliveryRow> for Delivery {
    fn from(r: DeliveryRow) -> Self {
        Self {
            id: r.id,
            endpoint: r.endpoint_id,
            event_id: r.event_id,
            event_type: r.event_type,
            status: r.status,
            attempts: r.attempts,
            response_status: r.response_status,
            last_error: r.last_error,
            duration_ms: r.duration_ms,
            created_at: r.created_at,
            delivered_at: r.delivered_at,
        }
    }
}

fn check_url(url: &str, allow_private: bool, errors: &mut FieldErrors) -> String {
    let url = url.trim();
    if url.len() > 2000 {
        errors.add("url", "too_long", "Use a URL of at most 2000 characters.");
    } else if !allow_private && !url.starts_with("https://") {
        errors.add("url", "https_required", "Use an https:// URL.");
    } else if let Some(why) = crate::outbound::refusal(url, allow_private) {
        errors.add("url", "not_allowed", format!("This URL cannot receive webhooks: {why}."));
    }
    url.to_owned()
}

fn check_events(events: &[String], errors: &mut FieldErrors) -> String {
    let mut kept: Vec<&str> = Vec::new();
    for e in events.iter().flat_map(|e| e.split([' ', ','])).map(str::trim).filter(|e| !e.is_empty()) {
        if e != "*" && !EVENT_TYPES.iter().any(|(t, _)| *t == e) {
            errors.add("events", "unknown_event", format!("{e:?} is not an event type; see the list of event types."));
        } else if !kept.contains(&e) {
            kept.push(e);
        }
    }
    if kept.is_empty() && errors.for_field("events").next().is_none() {
        errors.add("events", "required", "Choose at least one event type, or * for all.");
    }
    kept.join(" ")
}

fn check_description(d: &str, errors: &mut FieldErrors) -> String {
    let d = d.trim();
    if d.chars().count() > 200 || d.chars().any(char::is_control) {
        errors.add("description", "invalid", "Use at most 200 characters on one line.");
    }
    d.to_owned()
}

async fn may_manage(db: Db<'_>, actor: Actor, org: Option<OrganizationId>) -> Result<()> {
    match (org, actor) {
        (Some(org), actor) => access(db, org, actor).await?.require(Permission::OrgManage),
        (None, Actor::Operator) => Ok(()),
        (None, Actor::User(_)) => Err(Error::Forbidden),
    }
}

impl Core {
    fn seal_secret(&self, secret: &str) -> Result<Vec<u8>> {
        self.secrets().seal(SECRET_CONTEXT, secret.as_bytes()).map_err(Error::Internal)
    }

    /// Creates an endpoint of the deployment (`org` `None`, operator only) or of an
    /// organization; returns it with its secret, shown this once.
    pub async fn create_webhook_endpoint(
        &self,
        actor: Actor,
        org: Option<OrganizationId>,
        new: NewEndpoint,
        meta: &RequestMeta,
    ) -> Result<(Endpoint, SecretString)> {
        let mut errors = FieldErrors::new();
        let url = check_url(&new.url, self.config().outbound.allow_private_networks, &mut errors);
        let events = check_events(&new.events, &mut errors);
        let description = check_description(&new.description, &mut errors);
        errors.into_result()?;
        let secret = signing::new_secret().map_err(Error::Internal)?;
        let now = self.clock().now();
        let row = EndpointRow {
            id: WebhookEndpointId::new(),
            organization_id: org,
            url,
            description,
            events,
            secret: self.seal_secret(&secret)?,
            previous_secret: None,
            previous_secret_until: None,
            enabled: true,
            disabled_reason: None,
            failing_since: None,
            created_by: actor.user(),
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.store().begin().await?;
        may_manage(tx.db(), actor, org).await?;
        store::insert_endpoint(tx.db(), &row).await?;
        self.audit_webhook(&mut tx, actor, &row, "created", meta).await?;
        tx.commit().await?;
        Ok((row.into(), SecretString::from(secret)))
    }

    /// The endpoints of an organization, or the deployment's.
    pub async fn webhook_endpoints(&self, actor: Actor, org: Option<OrganizationId>) -> Result<Vec<Endpoint>> {
        let mut conn = self.store().conn().await?;
        may_manage(conn.db(), actor, org).await?;
        Ok(store::endpoints(conn.db(), org).await?.into_iter().map(Endpoint::from).collect())
    }

    /// One endpoint, for one who may manage it (`NotFound` for anyone else).
    pub async fn webhook_endpoint(&self, actor: Actor, id: WebhookEndpointId) -> Result<Endpoint> {
        let mut conn = self.store().conn().await?;
        Ok(self.managed_endpoint(conn.db(), actor, id).await?.into())
    }

    async fn managed_endpoint(&self, mut db: Db<'_>, actor: Actor, id: WebhookEndpointId) -> Result<EndpointRow> {
        let row = store::get_endpoint(db.reborrow(), id).await?.ok_or(Error::NotFound)?;
        match may_manage(db, actor, row.organization_id).await {
            Ok(()) => Ok(row),
            Err(Error::Forbidden) => Err(Error::NotFound),
            Err(e) => Err(e),
        }
    }

    /// Changes an endpoint. Enabling it again forgets its failures.
    pub async fn update_webhook_endpoint(
        &self,
        actor: Actor,
        id: WebhookEndpointId,
        changes: EndpointChanges,
        meta: &RequestMeta,
    ) -> Result<Endpoint> {
        let mut tx = self.store().begin().await?;
        let mut row = self.managed_endpoint(tx.db(), actor, id).await?;
        let mut errors = FieldErrors::new();
        if let Some(url) = &changes.url {
            row.url = check_url(url, self.config().outbound.allow_private_networks, &mut errors);
        }
        if let Some(events) = &changes.events {
            row.events = check_events(events, &mut errors);
        }
        if let Some(d) = &changes.description {
            row.description = check_description(d, &mut errors);
        }
        errors.into_result()?;
        if let Some(enabled) = changes.enabled {
            if enabled && !row.enabled {
                row.failing_since = None;
                row.disabled_reason = None;
            }
            row.enabled = enabled;
        }
        row.updated_at = self.clock().now();
        store::update_endpoint(tx.db(), &row).await?;
        self.audit_webhook(&mut tx, actor, &row, "changed", meta).await?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// Makes a new secret (shown this once); the previous one keeps signing for a day, so that
    /// receivers can switch without losing an event.
    pub async fn rotate_webhook_secret(
        &self,
        actor: Actor,
        id: WebhookEndpointId,
        meta: &RequestMeta,
    ) -> Result<(Endpoint, SecretString)> {
        let now = self.clock().now();
        let secret = signing::new_secret().map_err(Error::Internal)?;
        let mut tx = self.store().begin().await?;
        let mut row = self.managed_endpoint(tx.db(), actor, id).await?;
        row.previous_secret = Some(std::mem::replace(&mut row.secret, self.seal_secret(&secret)?));
        row.previous_secret_until = Some(now + ROTATION_OVERLAP);
        row.updated_at = now;
        store::update_endpoint(tx.db(), &row).await?;
        self.audit_webhook(&mut tx, actor, &row, "secret_rotated", meta).await?;
        tx.commit().await?;
        Ok((row.into(), SecretString::from(secret)))
    }

    /// Deletes an endpoint and its delivery log; queued deliveries are dropped.
    pub async fn delete_webhook_endpoint(&self, actor: Actor, id: WebhookEndpointId, meta: &RequestMeta) -> Result<()> {
        let mut tx = self.store().begin().await?;
        let row = self.managed_endpoint(tx.db(), actor, id).await?;
        store::delete_endpoint(tx.db(), id).await?;
        self.audit_webhook(&mut tx, actor, &row, "deleted", meta).await?;
        tx.commit().await?;
        Ok(())
    }

    /// An endpoint's delivery log, newest first.
    pub async fn webhook_deliveries(&self, actor: Actor, id: WebhookEndpointId, limit: i64) -> Result<Vec<Delivery>> {
        let mut conn = self.store().conn().await?;
        self.managed_endpoint(conn.db(), actor, id).await?;
        Ok(store::deliveries(conn.db(), id, limit.clamp(1, 500)).await?.into_iter().map(Delivery::from).collect())
    }

    /// Sends a logged event again, as a new delivery with the same `webhook-id` and body.
    pub async fn resend_webhook_delivery(&self, actor: Actor, id: WebhookDeliveryId) -> Result<Delivery> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let old = store::get_delivery(tx.db(), id).await?.ok_or(Error::NotFound)?;
        self.managed_endpoint(tx.db(), actor, old.endpoint_id).await?;
        let new =
            super::queue_delivery(tx.db(), old.endpoint_id, &old.event_id, &old.event_type, &old.payload, now).await?;
        tx.queued_job();
        let row = store::get_delivery(tx.db(), new).await?.ok_or(Error::NotFound)?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// Queues a `webhook.test` event to one endpoint (to check a receiver).
    pub async fn send_test_webhook(&self, actor: Actor, id: WebhookEndpointId) -> Result<Delivery> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let endpoint = self.managed_endpoint(tx.db(), actor, id).await?;
        // The secret must open, or every real delivery would fail too.
        signing_secrets(self, &endpoint, now).map_err(Error::Internal)?;
        let event_id = format!("msg_{}", uuid::Uuid::now_v7().simple());
        let at = now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
        let body =
            serde_json::json!({"type": "webhook.test", "timestamp": at, "data": {"endpoint_id": id.to_string()}});
        let new = super::queue_delivery(tx.db(), id, &event_id, "webhook.test", &body.to_string(), now).await?;
        tx.queued_job();
        let row = store::get_delivery(tx.db(), new).await?.ok_or(Error::NotFound)?;
        tx.commit().await?;
        Ok(row.into())
    }

    async fn audit_webhook(
        &self,
        tx: &mut crate::store::Tx,
        actor: Actor,
        row: &EndpointRow,
        what: &str,
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.clock().now();
        let details = serde_json::json!({"event": what, "endpoint_id": row.id.to_string(), "url": row.url});
        match row.organization_id {
            Some(org) => {
                audit::record_in_org(tx.db(), now, AuditAction::WebhookChanged, actor.user(), None, org, meta, details)
                    .await
            }
            None => audit::record(tx.db(), now, AuditAction::WebhookChanged, actor.user(), None, meta, details).await,
        }
    }
}
