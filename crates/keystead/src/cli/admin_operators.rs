//! `keystead admin operator grant|revoke|list`: who may use the admin console (`/admin`). The
//! first operator is made here; the console also asks them for a second factor.

use std::process::ExitCode;

use clap::Subcommand;
use keystead_core::Core;
use keystead_core::audit::RequestMeta;
use keystead_core::organizations::Actor;

/// `keystead admin operator …`.
#[derive(Debug, Subcommand)]
pub(super) enum OperatorCommand {
    /// Make an account an operator (it must be active: address confirmed, not disabled).
    Grant {
        /// Email address of the account.
        email: String,
    },
    /// Take the operator role from an account (the last operator keeps it).
    Revoke {
        /// Email address of the account.
        email: String,
    },
    /// List the operators.
    List {
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
}

fn describe(email: &str, e: keystead_core::Error) -> anyhow::Error {
    match e {
        keystead_core::Error::NotFound => anyhow::anyhow!("no user with the email address {}", email.trim()),
        keystead_core::Error::Invalid(fields) => {
            let parts: Vec<String> = fields.0.iter().map(|f| format!("EMAIL: {}", f.message)).collect();
            anyhow::anyhow!("{}", parts.join("; "))
        }
        keystead_core::Error::Refused { detail, .. } => anyhow::anyhow!("{}: {detail}", email.trim()),
        other => anyhow::Error::new(other),
    }
}

/// Runs `keystead admin operator …`.
pub(super) async fn run(core: &Core, command: OperatorCommand) -> anyhow::Result<ExitCode> {
    let meta = RequestMeta::cli();
    match command {
        OperatorCommand::Grant { email } => {
            let user = core.user_by_email(&email).await.map_err(|e| describe(&email, e))?;
            let new = core.grant_operator(Actor::Operator, user.id, &meta).await.map_err(|e| describe(&email, e))?;
            if new {
                println!(
                    "{} is now an operator; the admin console is at /admin (a second factor is required)",
                    user.email
                );
            } else {
                println!("{} was already an operator", user.email);
            }
        }
        OperatorCommand::Revoke { email } => {
            let user = core.user_by_email(&email).await.map_err(|e| describe(&email, e))?;
            let was = core.revoke_operator(Actor::Operator, user.id, &meta).await.map_err(|e| describe(&email, e))?;
            if was {
                println!("{} is no longer an operator", user.email);
            } else {
                println!("{} was not an operator", user.email);
            }
        }
        OperatorCommand::List { json } => {
            let operators = core.operators(Actor::Operator).await?;
            if json {
                println!("{}", serde_json::to_string(&operators)?);
            } else if operators.is_empty() {
                println!("no operators yet: `keystead admin operator grant EMAIL` makes one");
            } else {
                for o in operators {
                    let by = o.granted_by.as_deref().unwrap_or("the command line");
                    println!("{}\t{}\tgranted {} by {by}", o.email, o.name.as_deref().unwrap_or("-"), o.granted_at);
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
