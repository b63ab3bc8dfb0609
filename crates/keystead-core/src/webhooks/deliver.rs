//! One delivery attempt (a job of the `webhook` queue): POST the stored body, signed with the
//! endpoint's secrets, to its URL through the SSRF-guarded client; record the attempt (status,
//! response code, duration) in the delivery log; on failure let the runner retry with backoff,
//! and disable an endpoint that has failed for `webhooks.disable_after_days`, telling its owner.

use std::sync::OnceLock;
use std::time::Instant;

use serde_json::Value;

use crate::Core;
use crate::ids::WebhookDeliveryId;
use crate::jobs::JobError;
use crate::store::users as store_users;
use crate::store::webhooks::{self as store, DeliveryRow, EndpointRow};

/// The sealing context of endpoint secrets.
pub(super) const SECRET_CONTEXT: &str = "webhook endpoint secret v1";

/// One client per setting, reused (connection pools, TLS set-up made once).
fn http(allow_private: bool) -> Result<&'static reqwest::Client, JobError> {
    static PUBLIC: OnceLock<reqwest::Client> = OnceLock::new();
    static PRIVATE: OnceLock<reqwest::Client> = OnceLock::new();
    let cell = if allow_private { &PRIVATE } else { &PUBLIC };
    if let Some(c) = cell.get() {
        return Ok(c);
    }
    let client = crate::outbound::client(allow_private, std::time::Duration::from_secs(60))
        .map_err(|e| JobError::Transient(format!("{e:#}")))?;
    Ok(cell.get_or_init(|| client))
}

/// The secrets that sign now: the current one, and the previous one during a rotation.
pub(super) fn signing_secrets(core: &Core, e: &EndpointRow, now: time::OffsetDateTime) -> anyhow::Result<Vec<String>> {
    let open = |sealed: &[u8]| -> anyhow::Result<String> {
        let plain = core.secrets().open(SECRET_CONTEXT, sealed)?;
        Ok(String::from_utf8(plain.to_vec())?)
    };
    let mut secrets = vec![open(&e.secret)?];
    if let (Some(previous), Some(until)) = (&e.previous_secret, e.previous_secret_until)
        && until > now
    {
        secrets.push(open(previous)?);
    }
    Ok(secrets)
}

/// Runs one attempt of the delivery named in `payload`.
pub(crate) async fn deliver(core: &Core, payload: &Value, attempt: i32, max_attempts: i32) -> Result<(), JobError> {
    let id: WebhookDeliveryId = payload
        .get("delivery")
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| JobError::Permanent("malformed webhook job".into()))?;
    let transient = |e: crate::store::StoreError| JobError::Transient(format!("reading the delivery: {e}"));
    let (delivery, endpoint) = {
        let mut conn = core.store().conn().await.map_err(transient)?;
        let Some(delivery) = store::get_delivery(conn.db(), id).await.map_err(transient)? else {
            return Ok(()); // Its endpoint was deleted: nothing to send.
        };
        let Some(endpoint) = store::get_endpoint(conn.db(), delivery.endpoint_id).await.map_err(transient)? else {
            return Ok(());
        };
        (delivery, endpoint)
    };
    if !endpoint.enabled {
        record(core, &delivery, &endpoint, Attempt::refused("the endpoint is disabled"), true).await?;
        return Err(JobError::Permanent("the endpoint is disabled".into()));
    }
    let attempt_outcome = post(core, &delivery, &endpoint).await;
    let last = attempt >= max_attempts || attempt_outcome.permanent;
    let ok = attempt_outcome.ok();
    let error = attempt_outcome.error.clone();
    let permanent = attempt_outcome.permanent;
    record(core, &delivery, &endpoint, attempt_outcome, last).await?;
    match (ok, error) {
        (true, _) => Ok(()),
        (false, e) if permanent => Err(JobError::Permanent(e.unwrap_or_default())),
        (false, e) => Err(JobError::Transient(e.unwrap_or_default())),
    }
}

/// What one attempt came to.
struct Attempt {
    status: Option<u16>,
    error: Option<String>,
    millis: i32,
    permanent: bool,
}

impl Attempt {
    fn refused(why: &str) -> Self {
        Self { status: None, error: Some(why.to_owned()), millis: 0, permanent: true }
    }

    fn ok(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

async fn post(core: &Core, d: &DeliveryRow, e: &EndpointRow) -> Attempt {
    let allow_private = core.config().outbound.allow_private_networks;
    if let Some(why) = crate::outbound::refusal(&e.url, allow_private) {
        return Attempt::refused(&why);
    }
    let now = core.clock().now();
    let secrets = match signing_secrets(core, e, now) {
        Ok(s) => s,
        Err(err) => return Attempt::refused(&format!("the endpoint's secret cannot be opened: {err:#}")),
    };
    let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
    let timestamp = now.unix_timestamp();
    let signature = match super::signing::signature_header(&refs, &d.event_id, timestamp, &d.payload) {
        Ok(s) => s,
        Err(err) => return Attempt::refused(&format!("signing: {err:#}")),
    };
    let client = match http(allow_private) {
        Ok(c) => c,
        Err(JobError::Transient(m) | JobError::Permanent(m)) => {
            return Attempt { status: None, error: Some(m), millis: 0, permanent: false };
        }
    };
    let started = Instant::now();
    let sent = client
        .post(&e.url)
        .timeout(core.config().webhooks.timeout)
        .header("content-type", "application/json")
        .header("webhook-id", &d.event_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(d.payload.clone())
        .send()
        .await;
    let millis = i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX);
    match sent {
        Ok(r) if r.status().is_success() => {
            Attempt { status: Some(r.status().as_u16()), error: None, millis, permanent: false }
        }
        Ok(r) => {
            let status = r.status();
            // Standard Webhooks: 410 Gone means "stop sending"; anything else is retried.
            let permanent = status == reqwest::StatusCode::GONE;
            Attempt { status: Some(status.as_u16()), error: Some(format!("answered {status}")), millis, permanent }
        }
        Err(err) => {
            let mut chain = err.to_string();
            let mut source = std::error::Error::source(&err);
            while let Some(s) = source {
                chain.push_str(&format!(": {s}"));
                source = s.source();
            }
            Attempt { status: None, error: Some(chain), millis, permanent: false }
        }
    }
}

/// Writes the attempt to the log and the endpoint's health; disables an endpoint failing too long.
async fn record(core: &Core, d: &DeliveryRow, e: &EndpointRow, a: Attempt, last: bool) -> Result<(), JobError> {
    let now = core.clock().now();
    let transient = |err: crate::store::StoreError| JobError::Transient(format!("recording the attempt: {err}"));
    let status = if a.ok() {
        "delivered"
    } else if last {
        "failed"
    } else {
        "pending"
    };
    let mut tx = core.store().begin().await.map_err(transient)?;
    let code = a.status.map(i32::from);
    store::record_attempt(tx.db(), d.id, status, code, a.error.as_deref(), a.millis, now).await.map_err(transient)?;
    if a.ok() {
        store::mark_healthy(tx.db(), e.id).await.map_err(transient)?;
    } else if e.enabled {
        store::mark_failing(tx.db(), e.id, now).await.map_err(transient)?;
        let since = now - core.config().webhooks.disable_after;
        let reason = format!("Deliveries failed for {} days", core.config().webhooks.disable_after.whole_days());
        if store::disable_if_failing_since(tx.db(), e.id, since, &reason, now).await.map_err(transient)? {
            tell_owner(core, &mut tx, e).await?;
        }
    }
    tx.commit().await.map_err(transient)?;
    Ok(())
}

async fn tell_owner(core: &Core, tx: &mut crate::store::Tx, e: &EndpointRow) -> Result<(), JobError> {
    tracing::warn!(endpoint = %e.id, url = %e.url, "webhook endpoint disabled after failing deliveries");
    let Some(owner) = e.created_by else { return Ok(()) };
    let row = store_users::get(tx.db(), owner).await.map_err(|err| JobError::Transient(err.to_string()))?;
    let days = core.config().webhooks.disable_after.whole_days();
    let l = core.locale_for(row.locale.as_deref());
    let notice = crate::mail::Notice {
        locale: l,
        subject: l.t("email-webhook-disabled-subject"),
        paragraphs: vec![
            l.t2("email-webhook-disabled-body", "url", &e.url, "days", days),
            l.t("email-webhook-disabled-next"),
        ],
        ..crate::mail::Notice::default()
    };
    crate::mail::send_notice(core, tx, &row.email, &notice)
        .await
        .map_err(|err| JobError::Transient(format!("{err:?}")))?;
    Ok(())
}
