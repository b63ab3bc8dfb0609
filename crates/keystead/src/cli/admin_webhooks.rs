//! `keystead admin webhook …`: the deployment's and organizations' webhook endpoints. `create`
//! and `rotate` print the signing secret once; `deliveries` shows the log, `resend` queues an
//! event again (a running server, or the next `keystead serve`, delivers it).

use std::process::ExitCode;

use clap::Subcommand;
use keystead_core::Core;
use keystead_core::audit::RequestMeta;
use keystead_core::ids::{OrganizationId, WebhookDeliveryId, WebhookEndpointId};
use keystead_core::organizations::Actor;
use keystead_core::webhooks::{Endpoint, EndpointChanges, NewEndpoint};
use secrecy::ExposeSecret as _;

use super::admin_orgs::{by_slug, describe};

#[derive(Debug, Subcommand)]
pub(super) enum WebhookCommand {
    /// Add an endpoint and print its signing secret (this once).
    Create {
        /// Where to POST events (https).
        #[arg(long)]
        url: String,
        /// An event type (repeat for several), or `*` for all; `keystead admin webhook events` lists them.
        #[arg(long = "event", required = true)]
        events: Vec<String>,
        /// What it is for.
        #[arg(long, default_value = "")]
        description: String,
        /// The organization whose events it receives (its short name); without it, the deployment's (all).
        #[arg(long)]
        org: Option<String>,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List endpoints.
    List {
        /// Only this organization's (its short name); without it, the deployment's.
        #[arg(long)]
        org: Option<String>,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Enable (forgetting its failures) or disable an endpoint.
    Enable {
        /// The endpoint's id.
        id: String,
    },
    /// Pause an endpoint: no deliveries until it is enabled again.
    Disable {
        /// The endpoint's id.
        id: String,
    },
    /// Make a new signing secret (printed once); the old one keeps signing for 24 hours.
    Rotate {
        /// The endpoint's id.
        id: String,
    },
    /// Delete an endpoint and its delivery log.
    Delete {
        /// The endpoint's id.
        id: String,
    },
    /// The newest deliveries of an endpoint.
    Deliveries {
        /// The endpoint's id.
        id: String,
        /// How many (default 20).
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
    /// Send a logged delivery again (the same webhook-id).
    Resend {
        /// The delivery's id (from `deliveries`).
        id: String,
    },
    /// The event types an endpoint may receive.
    Events,
}

fn line(e: &Endpoint) -> String {
    let state = match (&e.disabled_reason, e.enabled) {
        (_, true) => "enabled".to_owned(),
        (Some(why), false) => format!("disabled ({why})"),
        (None, false) => "disabled".to_owned(),
    };
    format!("{}  {}  {state}  [{}]  {}", e.id, e.url, e.events.join(" "), e.description)
}

fn endpoint_id(raw: &str) -> anyhow::Result<WebhookEndpointId> {
    raw.trim().parse().map_err(|_| anyhow::anyhow!("ID: {raw} is not an endpoint id"))
}

fn not_found(e: keystead_core::Error, what: &str) -> anyhow::Error {
    match e {
        keystead_core::Error::NotFound => anyhow::anyhow!("ID: there is no {what} with this id"),
        other => anyhow::anyhow!("{}", describe(other).to_string().replace("--events:", "--event:")),
    }
}

async fn organization(core: &Core, org: Option<String>) -> anyhow::Result<Option<OrganizationId>> {
    Ok(match org {
        Some(slug) => Some(by_slug(core, &slug).await.map_err(|e| anyhow::anyhow!("--org: {e}"))?.id),
        None => None,
    })
}

async fn set_enabled(core: &Core, id: &str, enabled: bool) -> anyhow::Result<()> {
    let changes = EndpointChanges { enabled: Some(enabled), ..EndpointChanges::default() };
    let e = core
        .update_webhook_endpoint(Actor::Operator, endpoint_id(id)?, changes, &RequestMeta::cli())
        .await
        .map_err(|e| not_found(e, "endpoint"))?;
    println!("{}", line(&e));
    Ok(())
}

pub(super) async fn run(core: &Core, command: WebhookCommand) -> anyhow::Result<ExitCode> {
    let meta = RequestMeta::cli();
    let op = Actor::Operator;
    match command {
        WebhookCommand::Create { url, events, description, org, json } => {
            let org = organization(core, org).await?;
            let new = NewEndpoint { url, description, events };
            let (e, secret) =
                core.create_webhook_endpoint(op, org, new, &meta).await.map_err(|e| not_found(e, "endpoint"))?;
            if json {
                let v = serde_json::json!({"id": e.id.to_string(), "url": e.url, "events": e.events, "secret": secret.expose_secret()});
                println!("{v}");
            } else {
                println!("{}", secret.expose_secret());
                eprintln!("Copy the signing secret now: it is not shown again. {}", line(&e));
            }
        }
        WebhookCommand::List { org, json } => {
            let all = core.webhook_endpoints(op, organization(core, org).await?).await.map_err(describe)?;
            if json {
                let list: Vec<_> = all
                    .iter()
                    .map(|e| serde_json::json!({"id": e.id.to_string(), "url": e.url, "events": e.events, "enabled": e.enabled, "description": e.description}))
                    .collect();
                println!("{}", serde_json::Value::Array(list));
            } else {
                all.iter().for_each(|e| println!("{}", line(e)));
            }
        }
        WebhookCommand::Enable { id } => set_enabled(core, &id, true).await?,
        WebhookCommand::Disable { id } => set_enabled(core, &id, false).await?,
        WebhookCommand::Rotate { id } => {
            let (e, secret) =
                core.rotate_webhook_secret(op, endpoint_id(&id)?, &meta).await.map_err(|e| not_found(e, "endpoint"))?;
            println!("{}", secret.expose_secret());
            eprintln!("The previous secret keeps signing for 24 hours. {}", line(&e));
        }
        WebhookCommand::Delete { id } => {
            let id = endpoint_id(&id)?;
            core.delete_webhook_endpoint(op, id, &meta).await.map_err(|e| not_found(e, "endpoint"))?;
            println!("deleted  {id}");
        }
        WebhookCommand::Deliveries { id, limit } => {
            let log =
                core.webhook_deliveries(op, endpoint_id(&id)?, limit).await.map_err(|e| not_found(e, "endpoint"))?;
            for d in log {
                let code = d.response_status.map_or_else(|| "-".to_owned(), |c| c.to_string());
                let error = d.last_error.unwrap_or_default();
                println!(
                    "{}  {}  {}  {}  attempts {}  {code}  {error}",
                    d.id, d.event_id, d.event_type, d.status, d.attempts
                );
            }
        }
        WebhookCommand::Resend { id } => {
            let parsed: WebhookDeliveryId =
                id.trim().parse().map_err(|_| anyhow::anyhow!("ID: {id} is not a delivery id"))?;
            let d = core.resend_webhook_delivery(op, parsed).await.map_err(|e| not_found(e, "delivery"))?;
            println!("queued  {}  {}", d.id, d.event_id);
        }
        WebhookCommand::Events => {
            for (name, description) in keystead_core::webhooks::EVENT_TYPES {
                println!("{name:<36} {description}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
