//! `keystead admin token …`: personal access tokens for the admin API and SCIM, for bootstrap
//! and scripts. `create` prints the token once; `list` never shows it; `revoke` ends it at once.

use std::process::ExitCode;

use clap::Subcommand;
use keystead_core::Core;
use keystead_core::api_tokens::{ApiToken, NewApiToken};
use keystead_core::audit::RequestMeta;
use keystead_core::ids::ApiTokenId;
use keystead_core::organizations::Actor;
use secrecy::ExposeSecret as _;

use super::admin_orgs::{by_slug, describe};

#[derive(Debug, Subcommand)]
pub(super) enum TokenCommand {
    /// Create a token and print it (this once).
    Create {
        /// What it is for ("Shop sync").
        #[arg(long)]
        name: String,
        /// A scope (repeat for several): users:read, users:write, orgs:read, orgs:write,
        /// audit:read, clients:read, clients:write, agreements:read, agreements:write,
        /// licenses:read, licenses:write, webhooks:read, webhooks:write, scim, courses:write,
        /// invoices:read, invoices:write.
        #[arg(long = "scope", required = true)]
        scopes: Vec<String>,
        /// The organization it reaches (its short name); without it the token is the deployment's.
        #[arg(long)]
        org: Option<String>,
        /// Days until it expires (default 90, at most 3650).
        #[arg(long)]
        days: Option<u32>,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List tokens (never the tokens themselves).
    List {
        /// Only this organization's (its short name).
        #[arg(long)]
        org: Option<String>,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Revoke a token at once.
    Revoke {
        /// The token's id (from `list`).
        id: String,
    },
}

fn scopes_text(t: &ApiToken) -> String {
    t.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ")
}

fn when(t: Option<time::OffsetDateTime>) -> String {
    t.and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok()).unwrap_or_else(|| "-".into())
}

/// Field errors named as the flags are (`--scope`, not `--scopes`).
fn flags(e: keystead_core::Error) -> anyhow::Error {
    anyhow::anyhow!("{}", describe(e).to_string().replace("--scopes:", "--scope:"))
}

pub(super) async fn run(core: &Core, command: TokenCommand) -> anyhow::Result<ExitCode> {
    let meta = RequestMeta::cli();
    match command {
        TokenCommand::Create { name, scopes, org, days, json } => {
            let organization = match org {
                Some(slug) => Some(by_slug(core, &slug).await.map_err(|e| anyhow::anyhow!("--org: {e}"))?.id),
                None => None,
            };
            let new = NewApiToken { name, scopes, organization, days };
            let made = core.create_api_token(Actor::Operator, new, &meta).await.map_err(flags)?;
            if json {
                let mut v = serde_json::to_value(&made.info)?;
                v["token"] = made.token.expose_secret().into();
                println!("{v}");
            } else {
                println!("{}", made.token.expose_secret());
                eprintln!(
                    "Copy the token now: it is not shown again. id {}, expires {}",
                    made.info.id,
                    when(made.info.expires_at)
                );
            }
        }
        TokenCommand::List { org, json } => {
            let organization = match org {
                Some(slug) => Some(by_slug(core, &slug).await.map_err(|e| anyhow::anyhow!("--org: {e}"))?.id),
                None => None,
            };
            let all = core.api_tokens(Actor::Operator, organization).await.map_err(describe)?;
            if json {
                println!("{}", serde_json::to_string(&all)?);
            } else {
                for t in &all {
                    let state = if t.revoked_at.is_some() { "revoked" } else { "active" };
                    println!(
                        "{}  {}  {}  {state}  expires {}  last used {}  [{}]",
                        t.id,
                        t.prefix,
                        t.name,
                        when(t.expires_at),
                        when(t.last_used_at),
                        scopes_text(t)
                    );
                }
            }
        }
        TokenCommand::Revoke { id } => {
            let parsed: ApiTokenId = id.trim().parse().map_err(|_| anyhow::anyhow!("ID: {id} is not a token id"))?;
            core.revoke_api_token(Actor::Operator, parsed, &meta).await.map_err(|e| match e {
                keystead_core::Error::NotFound => anyhow::anyhow!("ID: there is no token with the id {parsed}"),
                other => describe(other),
            })?;
            println!("revoked  {parsed}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
