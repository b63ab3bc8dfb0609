//! `keystead admin sso …`: an organization's single sign-on connections. `add-oidc` prints the
//! redirect URI to register at the provider; `add-saml` prints our SP metadata and ACS URLs;
//! `update` changes one in place (a rotated client secret, new IdP metadata).
//! Each command takes `--json`; errors are one line naming the flag.

use std::io::Read as _;
use std::process::ExitCode;

use clap::Subcommand;
use keystead_core::Core;
use keystead_core::audit::RequestMeta;
use keystead_core::ids::SsoConnectionId;
use keystead_core::organizations::Actor;
use keystead_core::sso::{ConnectionChanges, NewOidcConnection, NewSamlConnection, SamlMetadataSource, SsoConnection};
use secrecy::SecretString;

use super::admin_orgs::{by_slug, describe};

#[derive(Debug, Subcommand)]
pub(super) enum SsoCommand {
    /// Connect an OpenID Connect provider (its discovery is fetched and checked first).
    AddOidc {
        /// The organization's short name.
        org: String,
        /// The name users see ("Acme SSO").
        #[arg(long)]
        name: String,
        /// The provider's issuer URL.
        #[arg(long)]
        issuer: String,
        /// The client id registered at the provider.
        #[arg(long)]
        client_id: String,
        /// Read the client secret from standard input (one line), so it is not in the shell history.
        #[arg(long, required = true)]
        client_secret_stdin: bool,
        /// Scopes, space-separated (default: openid email profile).
        #[arg(long)]
        scopes: Option<String>,
        /// Count the provider's second factor (amr/acr) as Keystead's.
        #[arg(long)]
        trust_idp_mfa: bool,
        /// Signing out of Keystead also ends the session at the provider.
        #[arg(long)]
        rp_logout: bool,
        /// Print the connection as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Connect a SAML 2.0 identity provider by its metadata.
    AddSaml {
        /// The organization's short name.
        org: String,
        /// The name users see ("Acme SSO").
        #[arg(long)]
        name: String,
        /// Fetch the IdP metadata from this URL.
        #[arg(long, conflicts_with = "metadata_file", required_unless_present = "metadata_file")]
        metadata_url: Option<String>,
        /// Read the IdP metadata from this file.
        #[arg(long)]
        metadata_file: Option<std::path::PathBuf>,
        /// Count the IdP's multi-factor authentication context as Keystead's second factor.
        #[arg(long)]
        trust_idp_mfa: bool,
        /// Print the connection as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Change a connection: rename it, rotate its client secret, change scopes or settings, or
    /// give a SAML IdP's metadata again. Only the options given change.
    Update(UpdateArgs),
    /// List an organization's connections.
    List {
        /// The organization's short name.
        org: String,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Remove a connection (identities linked through it go; accounts stay).
    Remove {
        /// The organization's short name.
        org: String,
        /// The connection's id.
        id: String,
    },
    /// Enable or disable a connection.
    Enable {
        /// The organization's short name.
        org: String,
        /// The connection's id.
        id: String,
        /// Disable instead.
        #[arg(long)]
        off: bool,
    },
    /// Require members to sign in through SSO (`--off` to stop requiring it).
    Require {
        /// The organization's short name.
        org: String,
        /// Stop requiring it.
        #[arg(long)]
        off: bool,
    },
}

/// `keystead admin sso update`.
#[derive(Debug, clap::Args)]
pub(super) struct UpdateArgs {
    /// The organization's short name.
    org: String,
    /// The connection's id.
    id: String,
    /// A new name.
    #[arg(long)]
    name: Option<String>,
    /// OpenID Connect: a new client id.
    #[arg(long)]
    client_id: Option<String>,
    /// OpenID Connect: read a new client secret from standard input (one line).
    #[arg(long)]
    client_secret_stdin: bool,
    /// OpenID Connect: new scopes, space-separated.
    #[arg(long)]
    scopes: Option<String>,
    /// Count the provider's second factor as Keystead's (true or false).
    #[arg(long)]
    trust_idp_mfa: Option<bool>,
    /// OpenID Connect: signing out also ends the session at the provider (true or false).
    #[arg(long)]
    rp_logout: Option<bool>,
    /// SAML: fetch the IdP metadata again from this URL (same IdP entity).
    #[arg(long, conflicts_with = "metadata_file")]
    metadata_url: Option<String>,
    /// SAML: read the IdP metadata again from this file (same IdP entity).
    #[arg(long)]
    metadata_file: Option<std::path::PathBuf>,
    /// Print the connection as JSON.
    #[arg(long)]
    json: bool,
}

fn print(c: &SsoConnection, json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string(c)?);
        return Ok(());
    }
    let state = if c.enabled { "enabled" } else { "disabled" };
    println!("{}  {}  {}  {}  {state}", c.id, c.kind.as_str(), c.name, c.issuer);
    if let Some(r) = &c.redirect_uri {
        println!("  redirect_uri: {r}");
    }
    if let (Some(m), Some(a)) = (&c.sp_metadata_url, &c.acs_url) {
        println!("  sp_metadata_url: {m}\n  acs_url: {a}");
    }
    Ok(())
}

fn connection_id(id: &str) -> anyhow::Result<SsoConnectionId> {
    id.trim().parse().map_err(|_| anyhow::anyhow!("ID: {id} is not a connection id"))
}

fn not_found(id: SsoConnectionId) -> impl Fn(keystead_core::Error) -> anyhow::Error {
    move |e| match e {
        keystead_core::Error::NotFound => anyhow::anyhow!("ID: the organization has no connection with the id {id}"),
        other => describe(other),
    }
}

/// The metadata from `--metadata-url` or `--metadata-file`, if either is given.
fn metadata_source(
    url: Option<String>,
    file: Option<std::path::PathBuf>,
) -> anyhow::Result<Option<SamlMetadataSource>> {
    Ok(match (url, file) {
        (Some(url), _) => Some(SamlMetadataSource::Url(url)),
        (None, Some(path)) => Some(SamlMetadataSource::Xml(
            std::fs::read_to_string(&path).map_err(|e| anyhow::anyhow!("--metadata-file: {}: {e}", path.display()))?,
        )),
        (None, None) => None,
    })
}

fn read_secret() -> anyhow::Result<SecretString> {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).map_err(|e| anyhow::anyhow!("--client-secret-stdin: {e}"))?;
    let line = s.lines().next().unwrap_or_default().trim().to_owned();
    if line.is_empty() {
        anyhow::bail!("--client-secret-stdin: standard input was empty; pipe the client secret in");
    }
    Ok(SecretString::from(line))
}

pub(super) async fn run(core: &Core, command: SsoCommand) -> anyhow::Result<ExitCode> {
    let meta = RequestMeta::cli();
    match command {
        SsoCommand::AddOidc {
            org,
            name,
            issuer,
            client_id,
            client_secret_stdin: _,
            scopes,
            trust_idp_mfa,
            rp_logout,
            json,
        } => {
            let o = by_slug(core, &org).await.map_err(|e| anyhow::anyhow!("ORG: {e}"))?;
            let new = NewOidcConnection {
                name,
                issuer,
                client_id,
                client_secret: read_secret()?,
                scopes: scopes.into_iter().collect(),
                claim_mapping: None,
                trust_idp_mfa,
                rp_logout,
            };
            let c = core.add_oidc_connection(Actor::Operator, o.id, new, &meta).await.map_err(describe)?;
            print(&c, json)?;
        }
        SsoCommand::AddSaml { org, name, metadata_url, metadata_file, trust_idp_mfa, json } => {
            let o = by_slug(core, &org).await.map_err(|e| anyhow::anyhow!("ORG: {e}"))?;
            let Some(metadata) = metadata_source(metadata_url, metadata_file)? else {
                anyhow::bail!("--metadata-url or --metadata-file: give one")
            };
            let new = NewSamlConnection { name, metadata, claim_mapping: None, trust_idp_mfa };
            let c = core.add_saml_connection(Actor::Operator, o.id, new, &meta).await.map_err(describe)?;
            print(&c, json)?;
        }
        SsoCommand::Update(args) => update(core, args, &meta).await?,
        SsoCommand::List { org, json } => {
            let o = by_slug(core, &org).await.map_err(|e| anyhow::anyhow!("ORG: {e}"))?;
            let all = core.sso_connections(Actor::Operator, o.id).await.map_err(describe)?;
            if json {
                println!("{}", serde_json::to_string(&all)?);
            } else {
                for c in &all {
                    print(c, false)?;
                }
            }
        }
        SsoCommand::Remove { org, id } => {
            let o = by_slug(core, &org).await.map_err(|e| anyhow::anyhow!("ORG: {e}"))?;
            let id = connection_id(&id)?;
            core.remove_sso_connection(Actor::Operator, o.id, id, &meta).await.map_err(not_found(id))?;
            println!("removed  {id}");
        }
        SsoCommand::Enable { org, id, off } => {
            let o = by_slug(core, &org).await.map_err(|e| anyhow::anyhow!("ORG: {e}"))?;
            let id = connection_id(&id)?;
            core.set_sso_connection_enabled(Actor::Operator, o.id, id, !off, &meta).await.map_err(not_found(id))?;
            println!("{}  {id}", if off { "disabled" } else { "enabled" });
        }
        SsoCommand::Require { org, off } => {
            let o = by_slug(core, &org).await.map_err(|e| anyhow::anyhow!("ORG: {e}"))?;
            core.set_sso_required(Actor::Operator, o.id, !off, &meta).await.map_err(describe)?;
            println!("{}  {}", if off { "sso optional" } else { "sso required" }, o.slug);
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn update(core: &Core, a: UpdateArgs, meta: &RequestMeta) -> anyhow::Result<()> {
    let o = by_slug(core, &a.org).await.map_err(|e| anyhow::anyhow!("ORG: {e}"))?;
    let id = connection_id(&a.id)?;
    let changes = ConnectionChanges {
        name: a.name,
        client_id: a.client_id,
        client_secret: if a.client_secret_stdin { Some(read_secret()?) } else { None },
        scopes: a.scopes.map(|s| vec![s]),
        claim_mapping: None,
        trust_idp_mfa: a.trust_idp_mfa,
        rp_logout: a.rp_logout,
        metadata: metadata_source(a.metadata_url, a.metadata_file)?,
    };
    let c = core.update_sso_connection(Actor::Operator, o.id, id, changes, meta).await.map_err(not_found(id))?;
    print(&c, a.json)
}
