//! Webhooks: URLs of the deployment (operators) or of an organization (its admins) that receive
//! account events, signed the Standard Webhooks way ([`signing`]).
//!
//! Events are the audit log's: every change writes its audit event in its own transaction, and
//! `queue_for` — called by the audit log as it writes one — turns an event that has a webhook
//! type ([`event_type`]) into one delivery row and one job per subscribed endpoint, in that same
//! transaction: no delivery for a change that rolled back, none lost for one that committed.
//! The job runner delivers them at least once (`deliver`), retrying with exponential backoff;
//! an endpoint failing for `webhooks.disable_after_days` is disabled and its owner emailed.

mod deliver;
mod endpoints;
pub mod signing;
#[cfg(test)]
mod tests;

pub(crate) use deliver::deliver;
pub use endpoints::{Delivery, Endpoint, EndpointChanges, NewEndpoint};

use time::OffsetDateTime;

use crate::error::Result;
use crate::ids::{OrganizationId, WebhookDeliveryId};
use crate::jobs::Queue;
use crate::store::Db;
use crate::store::audit::AuditRow;
use crate::store::jobs::{self as store_jobs, NewJob};
use crate::store::webhooks::{self as store, DeliveryRow};

/// Every event type an endpoint may subscribe to, with what it means.
pub const EVENT_TYPES: [(&str, &str); 20] = [
    ("user.created", "An account was created (registration, an operator, the API, single sign-on)."),
    ("user.verified", "An account's email address was proved."),
    ("user.updated", "Personal details, the password or the picture changed."),
    ("user.email_changed", "The primary email address changed."),
    ("user.mfa_changed", "A second factor was added or removed, or all were reset."),
    ("user.disabled", "An operator disabled the account."),
    ("user.enabled", "An operator enabled the account again."),
    ("user.closing", "The account was closed; its data is purged at the end of the grace period."),
    ("user.reactivated", "A closing account was reactivated by its owner."),
    ("user.purged", "A closed account's personal data was deleted."),
    ("user.signed_in", "Someone signed in."),
    ("organization.changed", "An organization was created or its settings, domains or logo changed."),
    ("organization.membership_changed", "A member joined, left, or changed role."),
    ("organization.invitation_changed", "An invitation was sent, resent, revoked, accepted or declined."),
    ("organization.group_changed", "A group, or who is in it, changed."),
    ("organization.role_changed", "A custom role changed."),
    ("license.subscription_changed", "A subscription (plan, seats, validity) changed."),
    ("license.seat_changed", "A seat was assigned or released."),
    ("agreement.published", "A new version of an agreement was published."),
    ("webhook.test", "Sent by \"Send a test event\"."),
];

/// The webhook type of an audit event, if it has one.
pub fn event_type(action: &str, details: &serde_json::Value) -> Option<&'static str> {
    Some(match action {
        "user.registered" => "user.created",
        "user.email_verified" => "user.verified",
        "user.profile_updated" | "user.password_changed" | "user.picture_changed" | "user.picture_removed" => {
            "user.updated"
        }
        "user.email_changed" => "user.email_changed",
        "mfa.method_added" | "mfa.method_removed" | "mfa.reset" => "user.mfa_changed",
        "user.disabled" => "user.disabled",
        "user.enabled" => "user.enabled",
        "user.closed" => "user.closing",
        "user.reactivated" => "user.reactivated",
        "user.purged" => "user.purged",
        "session.signed_in" => "user.signed_in",
        "organization.changed" => "organization.changed",
        "organization.membership_changed" => {
            let event = details.get("event").and_then(serde_json::Value::as_str).unwrap_or_default();
            if event.starts_with("invit") {
                "organization.invitation_changed"
            } else {
                "organization.membership_changed"
            }
        }
        "organization.group_changed" => "organization.group_changed",
        "organization.role_changed" => "organization.role_changed",
        "licensing.subscription_changed" => "license.subscription_changed",
        "licensing.seat_changed" => "license.seat_changed",
        "agreement.published" => "agreement.published",
        _ => return None,
    })
}

/// True when an endpoint's filter (`*`, or space-separated types) takes `event_type`.
pub(crate) fn wants(filter: &str, event_type: &str) -> bool {
    filter.split_whitespace().any(|f| f == "*" || f == event_type)
}

/// Attempts per delivery: with the runner's backoff (30 s doubling to hourly), about two days.
const DELIVERY_ATTEMPTS: i32 = 48;

/// The signed body of an event (Standard Webhooks' `type`, `timestamp`, `data`).
fn payload(row: &AuditRow, event_type: &str) -> String {
    let at = row.occurred_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    serde_json::json!({
        "type": event_type,
        "timestamp": at,
        "data": {
            "event_id": row.id.to_string(),
            "action": row.action,
            "user_id": row.subject_user_id.map(|u| u.to_string()),
            "actor_user_id": row.actor_user_id.map(|u| u.to_string()),
            "organization_id": row.organization_id.map(|o| o.to_string()),
            "details": row.details.0,
        },
    })
    .to_string()
}

/// Queues a delivery of the audit event `row` to every enabled endpoint that wants it, on `db`
/// (the transaction that writes the event).
pub(crate) async fn queue_for(db: Db<'_>, row: &AuditRow) -> Result<()> {
    let Some(event_type) = event_type(&row.action, &row.details.0) else { return Ok(()) };
    let mut db = db;
    let org = row.organization_id.map(OrganizationId);
    let endpoints = store::enabled_for(db.reborrow(), org).await?;
    let wanted: Vec<_> = endpoints.into_iter().filter(|(_, filter)| wants(filter, event_type)).collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let body = payload(row, event_type);
    let event_id = format!("msg_{}", row.id.0.simple());
    for (endpoint, _) in wanted {
        queue_delivery(db.reborrow(), endpoint, &event_id, event_type, &body, row.occurred_at).await?;
    }
    Ok(())
}

/// Writes one delivery and its job.
pub(crate) async fn queue_delivery(
    db: Db<'_>,
    endpoint: crate::ids::WebhookEndpointId,
    event_id: &str,
    event_type: &str,
    body: &str,
    now: OffsetDateTime,
) -> Result<WebhookDeliveryId> {
    let mut db = db;
    let delivery = DeliveryRow {
        id: WebhookDeliveryId::new(),
        endpoint_id: endpoint,
        event_id: event_id.to_owned(),
        event_type: event_type.to_owned(),
        payload: body.to_owned(),
        status: "pending".to_owned(),
        attempts: 0,
        response_status: None,
        last_error: None,
        duration_ms: None,
        created_at: now,
        last_attempt_at: None,
        delivered_at: None,
    };
    store::insert_delivery(db.reborrow(), &delivery).await?;
    let job_payload = serde_json::json!({"delivery": delivery.id.to_string()});
    let job = NewJob {
        id: crate::ids::JobId::new(),
        queue: Queue::Webhook.as_str(),
        payload: &job_payload,
        max_attempts: DELIVERY_ATTEMPTS,
        run_at: now,
        now,
    };
    store_jobs::insert(db, &job).await?;
    Ok(delivery.id)
}
