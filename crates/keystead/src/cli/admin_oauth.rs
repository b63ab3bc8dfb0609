//! `keystead admin client …` (OAuth clients) and `keystead admin keys …` (signing keys).

use std::process::ExitCode;

use clap::Subcommand;
use keystead_core::Core;
use keystead_core::audit::RequestMeta;
use keystead_core::oauth::clients::secret_text;
use keystead_core::oauth::{Client, ClientKind, CreatedClient, NewClient};
use keystead_core::organizations::Actor;

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
        /// An admin API scope (repeatable: users:read, orgs:write, …) the client's own tokens
        /// (client_credentials grant) may carry, to call the admin API as a service.
        #[arg(long = "api-scope")]
        api_scopes: Vec<String>,
        /// Refuse authorization requests that were not pushed first to /oauth/par (RFC 9126).
        #[arg(long)]
        require_par: bool,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Give a confidential client a new secret, printed once.
    RotateSecret {
        /// Its client_id.
        client_id: String,
        /// Hours (0 to 168) the old secret keeps working while the service switches over; 0
        /// (the default) ends it now.
        #[arg(long, default_value_t = 0)]
        keep_previous_hours: u32,
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
    /// Retire the key that signs now: its published successor (or a new key) signs from now
    /// on; the retired key stays published until the tokens it signed have expired.
    Retire {
        /// The key's id (`kid`), as `keystead admin keys list` shows it.
        kid: String,
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
    let cli = RequestMeta::cli();
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
            api_scopes,
            require_par,
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
                api_scopes,
                require_pushed_authorization_requests: require_par,
            };
            let created = core.create_oauth_client(Actor::Operator, new, &cli).await.map_err(super::admin::describe)?;
            print_with_secret(&created, json)?;
        }
        ClientCommand::RotateSecret { client_id, keep_previous_hours, json } => {
            if keep_previous_hours > 168 {
                anyhow::bail!("--keep-previous-hours: choose 0 to 168 hours");
            }
            let keep = time::Duration::hours(i64::from(keep_previous_hours));
            let created = core
                .rotate_oauth_client_secret(Actor::Operator, &client_id, keep, &cli)
                .await
                .map_err(|e| not_found(e, &client_id))?;
            print_with_secret(&created, json)?;
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
            core.delete_oauth_client(Actor::Operator, &client_id, &cli).await.map_err(|e| not_found(e, &client_id))?;
            println!("deleted {client_id}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn run_keys(core: &Core, command: KeysCommand) -> anyhow::Result<ExitCode> {
    let cli = RequestMeta::cli();
    let (keys, json) = match command {
        KeysCommand::Rotate { json } => {
            (core.rotate_signing_keys_now(Actor::Operator, &cli).await.map_err(super::admin::describe)?, json)
        }
        KeysCommand::Retire { kid, json } => {
            let successor = core.retire_signing_key(Actor::Operator, &kid, &cli).await.map_err(|e| match e {
                keystead_core::Error::NotFound => anyhow::anyhow!("no published key has the kid {kid}"),
                other => super::admin::describe(other),
            })?;
            (vec![successor], json)
        }
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

/// A client just registered or given a new secret, with its secret (shown this once).
fn print_with_secret(created: &CreatedClient, json: bool) -> anyhow::Result<()> {
    let CreatedClient { client, secret } = created;
    if json {
        let mut v = serde_json::to_value(client)?;
        if let Some(s) = secret {
            v["client_secret"] = serde_json::json!(secret_text(s));
        }
        println!("{v}");
    } else {
        println!("{}", line(client));
        if let Some(s) = secret {
            println!("client_secret: {}  (shown once: store it now)", secret_text(s));
        }
        if let Some(until) = client.previous_secret_expires_at {
            println!("the previous secret works until {until}");
        }
    }
    Ok(())
}

fn not_found(e: keystead_core::Error, client_id: &str) -> anyhow::Error {
    match e {
        keystead_core::Error::NotFound => anyhow::anyhow!("no client with the client_id {client_id}"),
        other => super::admin::describe(other),
    }
}
