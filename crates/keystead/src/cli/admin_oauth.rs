//! `keystead admin client …` (OAuth clients) and `keystead admin keys …` (signing keys).

use std::process::ExitCode;

use clap::Subcommand;
use keystead_core::Core;
use keystead_core::oauth::clients::{CreatedClient, secret_text};
use keystead_core::oauth::{Client, ClientKind, NewClient};

#[derive(Debug, Subcommand)]
pub(super) enum ClientCommand {
    /// Register an application. A confidential client's secret is printed once: store it now.
    Create {
        /// The application's name, shown on the "Authorize app" screen.
        #[arg(long)]
        name: String,
        /// A redirect URI (repeatable). Exact match, except `http://127.0.0.1/…` and
        /// `http://[::1]/…`, which match on any port (native apps, RFC 8252 §7.3).
        #[arg(long = "redirect-uri")]
        redirect_uris: Vec<String>,
        /// A public client (desktop, mobile, command line): no secret, PKCE required.
        #[arg(long, conflicts_with = "confidential")]
        public: bool,
        /// A confidential client (a server that keeps a secret). The default.
        #[arg(long)]
        confidential: bool,
        /// A first-party application: no consent screen.
        #[arg(long)]
        first_party: bool,
        /// A grant type (repeatable): authorization_code, refresh_token, client_credentials,
        /// device_code. Default: authorization_code and refresh_token.
        #[arg(long = "grant")]
        grants: Vec<String>,
        /// A URI the application may ask to return to after logout (repeatable).
        #[arg(long = "post-logout-redirect-uri")]
        post_logout_redirect_uris: Vec<String>,
        /// Where back-channel logout tokens are POSTed.
        #[arg(long)]
        backchannel_logout_uri: Option<String>,
        /// ID token signing algorithm: RS256 (default), ES256 or EdDSA.
        #[arg(long)]
        id_token_alg: Option<String>,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the registered applications.
    List {
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show one application.
    Show {
        /// Its client_id.
        client_id: String,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Delete an application with its consents and tokens.
    Delete {
        /// Its client_id.
        client_id: String,
    },
}

#[derive(Debug, Subcommand)]
pub(super) enum KeysCommand {
    /// Publish new signing keys now; they sign after `oauth.key_publish_ahead_hours`, and the
    /// current ones stay published until the tokens they signed have expired.
    Rotate {
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the published signing keys.
    List {
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
}

fn line(c: &Client) -> String {
    let party = if c.first_party { "first-party" } else { "third-party" };
    format!("{}  {:?}  {}  {}  {}", c.client_id, c.name, c.kind.as_str(), party, c.redirect_uris.join(" "))
}

pub(super) async fn run_client(core: &Core, command: ClientCommand) -> anyhow::Result<ExitCode> {
    match command {
        ClientCommand::Create {
            name,
            redirect_uris,
            public,
            confidential: _,
            first_party,
            grants,
            post_logout_redirect_uris,
            backchannel_logout_uri,
            id_token_alg,
            json,
        } => {
            let new = NewClient {
                name,
                kind: if public { ClientKind::Public } else { ClientKind::Confidential },
                first_party,
                redirect_uris,
                grant_types: grants,
                post_logout_redirect_uris,
                backchannel_logout_uri,
                id_token_alg,
            };
            let CreatedClient { client, secret } =
                core.create_oauth_client(new).await.map_err(super::admin::describe)?;
            if json {
                let mut v = serde_json::to_value(&client)?;
                if let Some(s) = &secret {
                    v["client_secret"] = serde_json::json!(secret_text(s));
                }
                println!("{v}");
            } else {
                println!("{}", line(&client));
                if let Some(s) = &secret {
                    println!("client_secret: {}  (shown once: store it now)", secret_text(s));
                }
            }
        }
        ClientCommand::List { json } => {
            let all = core.oauth_clients().await.map_err(super::admin::describe)?;
            if json {
                println!("{}", serde_json::to_string(&all)?);
            } else {
                for c in &all {
                    println!("{}", line(c));
                }
            }
        }
        ClientCommand::Show { client_id, json } => {
            let c = core.oauth_client(&client_id).await.map_err(|e| not_found(e, &client_id))?;
            if json {
                println!("{}", serde_json::to_string(&c)?);
            } else {
                println!("{}", line(&c));
            }
        }
        ClientCommand::Delete { client_id } => {
            core.delete_oauth_client(&client_id).await.map_err(|e| not_found(e, &client_id))?;
            println!("deleted {client_id}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn run_keys(core: &Core, command: KeysCommand) -> anyhow::Result<ExitCode> {
    let (keys, json) = match command {
        KeysCommand::Rotate { json } => (core.rotate_signing_keys(true).await.map_err(super::admin::describe)?, json),
        KeysCommand::List { json } => (core.signing_keys().await.map_err(super::admin::describe)?, json),
    };
    if json {
        println!("{}", serde_json::to_string(&keys)?);
    } else {
        for k in &keys {
            let retired = k.retired_at.map(|t| format!("  retires {t}")).unwrap_or_default();
            println!("{}  {:<5}  signs from {}{retired}", k.kid, k.alg, k.active_from);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn not_found(e: keystead_core::Error, client_id: &str) -> anyhow::Error {
    match e {
        keystead_core::Error::NotFound => anyhow::anyhow!("no client with the client_id {client_id}"),
        other => super::admin::describe(other),
    }
}
