//! `keystead admin org …`: the operator's organization commands (create, list, show, add a
//! verified domain, claim a domain and check its DNS TXT record, add a member). Errors name the
//! flag.

use std::process::ExitCode;

use clap::Subcommand;
use keystead_core::Core;
use keystead_core::audit::RequestMeta;
use keystead_core::organizations::{Actor, NewOrganization, Organization};

#[derive(Debug, Subcommand)]
pub(super) enum OrgCommand {
    /// Create an organization.
    Create {
        /// Its name.
        #[arg(long)]
        name: String,
        /// Its short name (lower-case letters, digits, '-'); derived from the name when absent.
        #[arg(long)]
        slug: Option<String>,
        /// The email address of an existing user who becomes its first owner.
        #[arg(long)]
        owner: Option<String>,
        /// Print the organization as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List organizations by short name.
    List {
        /// How many.
        #[arg(long, default_value_t = 100)]
        limit: i64,
        /// How many to skip.
        #[arg(long, default_value_t = 0)]
        offset: i64,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show an organization with its domains.
    Show {
        /// Its short name.
        slug: String,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Add a verified email domain to an organization.
    AddDomain {
        /// The organization's short name.
        slug: String,
        /// The domain (`example.com`).
        #[arg(long)]
        domain: String,
    },
    /// Claim an email domain for an organization, pending its DNS proof: prints the TXT record
    /// to publish (then run `verify-domain`).
    ClaimDomain {
        /// The organization's short name.
        slug: String,
        /// The domain (`example.com`).
        #[arg(long)]
        domain: String,
        /// Print the domain with its record as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check a pending domain's DNS TXT record now; fails with what was found and expected.
    VerifyDomain {
        /// The organization's short name.
        slug: String,
        /// The domain (`example.com`).
        domain: String,
    },
    /// Add an existing user to an organization with a role.
    AddMember {
        /// The organization's short name.
        slug: String,
        /// The user's email address.
        #[arg(long)]
        email: String,
        /// The role (`owner`, `admin`, `license_admin`, `billing_admin`, `member`, `guest` or a custom role).
        #[arg(long, default_value = "member")]
        role: String,
    },
}

pub(super) fn describe(e: keystead_core::Error) -> anyhow::Error {
    match e {
        keystead_core::Error::Invalid(fields) => {
            let parts: Vec<String> =
                fields.0.iter().map(|f| format!("--{}: {}", f.field.replace('_', "-"), f.message)).collect();
            anyhow::anyhow!("{}", parts.join("; "))
        }
        other => anyhow::Error::new(other),
    }
}

pub(super) async fn by_slug(core: &Core, slug: &str) -> anyhow::Result<Organization> {
    core.organization_by_slug(Actor::Operator, slug).await.map_err(|e| match e {
        keystead_core::Error::NotFound => anyhow::anyhow!("no organization with the short name {slug}"),
        other => describe(other),
    })
}

pub(super) async fn user_id(core: &Core, flag: &str, email: &str) -> anyhow::Result<keystead_core::ids::UserId> {
    match core.user_by_email(email).await {
        Ok(u) => Ok(u.id),
        Err(keystead_core::Error::NotFound | keystead_core::Error::Invalid(_)) => {
            anyhow::bail!("--{flag}: no user with the email address {email}")
        }
        Err(e) => Err(describe(e)),
    }
}

fn line(o: &Organization) -> String {
    format!("{}  {}  {:?}", o.id, o.slug, o.name)
}

pub(super) async fn run(core: &Core, command: OrgCommand) -> anyhow::Result<ExitCode> {
    let meta = RequestMeta::cli();
    match command {
        OrgCommand::Create { name, slug, owner, json } => {
            let owner = match owner {
                Some(email) => Some(user_id(core, "owner", &email).await?),
                None => None,
            };
            let new = NewOrganization { name: &name, slug: slug.as_deref(), owner };
            let o = core.create_organization(Actor::Operator, new, &meta).await.map_err(describe)?;
            if json {
                println!("{}", serde_json::to_string(&o)?);
            } else {
                println!("{}", line(&o));
            }
        }
        OrgCommand::List { limit, offset, json } => {
            let all = core.list_organizations(Actor::Operator, limit, offset).await.map_err(describe)?;
            if json {
                println!("{}", serde_json::to_string(&all)?);
            } else {
                for o in &all {
                    println!("{}", line(o));
                }
            }
        }
        OrgCommand::Show { slug, json } => {
            let o = by_slug(core, &slug).await?;
            let domains = core.organization_domains(Actor::Operator, o.id).await.map_err(describe)?;
            if json {
                let mut v = serde_json::to_value(&o)?;
                v["domains"] = serde_json::to_value(&domains)?;
                println!("{v}");
            } else {
                println!("{}", line(&o));
                for d in &domains {
                    match d.verified_at {
                        Some(_) => println!("  domain {}  verified", d.domain),
                        None => {
                            println!("  domain {}  pending: TXT {} \"{}\"", d.domain, d.record_name, d.record_value)
                        }
                    }
                }
            }
        }
        OrgCommand::AddDomain { slug, domain } => {
            let o = by_slug(core, &slug).await?;
            let d = core.add_organization_domain(Actor::Operator, o.id, &domain, &meta).await.map_err(describe)?;
            println!("{}  {}", o.slug, d.domain);
        }
        OrgCommand::ClaimDomain { slug, domain, json } => claim_domain(core, &slug, &domain, json, &meta).await?,
        OrgCommand::VerifyDomain { slug, domain } => verify_domain(core, &slug, &domain, &meta).await?,
        OrgCommand::AddMember { slug, email, role } => {
            let o = by_slug(core, &slug).await?;
            let user = user_id(core, "email", &email).await?;
            core.add_organization_member(Actor::Operator, o.id, user, &role, &meta).await.map_err(describe)?;
            println!("{}  {}  {}", o.slug, email, role);
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn claim_domain(core: &Core, slug: &str, domain: &str, json: bool, meta: &RequestMeta) -> anyhow::Result<()> {
    let o = by_slug(core, slug).await?;
    let d = core.claim_organization_domain(Actor::Operator, o.id, domain, meta).await.map_err(describe)?;
    if json {
        println!("{}", serde_json::to_string(&d)?);
    } else {
        println!("{}  {}  pending: publish TXT {} \"{}\"", o.slug, d.domain, d.record_name, d.record_value);
    }
    Ok(())
}

/// Fails with the check's message (what was found, what was expected).
async fn verify_domain(core: &Core, slug: &str, domain: &str, meta: &RequestMeta) -> anyhow::Result<()> {
    let o = by_slug(core, slug).await?;
    let d = core.verify_organization_domain(Actor::Operator, o.id, domain, meta).await.map_err(|e| match e {
        keystead_core::Error::NotFound => anyhow::anyhow!("{} has no domain {domain}", o.slug),
        keystead_core::Error::Invalid(fields) => {
            anyhow::anyhow!("{}", fields.0.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join("; "))
        }
        other => describe(other),
    })?;
    println!("{}  {}  verified", o.slug, d.domain);
    Ok(())
}
