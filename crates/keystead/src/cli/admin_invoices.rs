//! `keystead admin invoice create|list|pdf`: invoices as the billing system pushes them, from the
//! command line — the same Core functions and the same JSON document as the admin API's
//! `POST /api/v1/organizations/{id}/invoices`. Creating the same document again is `unchanged`
//! (or `updated` when only its status moved on). Errors name the flag, and for the document the
//! field inside it.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use keystead_core::Core;
use keystead_core::audit::RequestMeta;
use keystead_core::courses::Recorded;
use keystead_core::invoices::Owner;
use keystead_core::organizations::Actor;
use keystead_web::api::invoices::InvoiceBody;

use super::admin_orgs::{by_slug, describe, user_id};

/// Whose invoices: an organization's or a user's own.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub(super) struct OwnerArgs {
    /// The organization's short name.
    #[arg(long)]
    org: Option<String>,
    /// The user's email address (a personal invoice).
    #[arg(long)]
    user: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(super) enum InvoiceCommand {
    /// Issue an invoice from a JSON document (as the admin API takes it).
    Create {
        #[command(flatten)]
        owner: OwnerArgs,
        /// The invoice document (JSON): number, issued_on, due_on, currency, status, lines, …
        #[arg(long)]
        file: PathBuf,
        /// Print the invoice as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List invoices, newest first (50 a page).
    List {
        #[command(flatten)]
        owner: OwnerArgs,
        /// The page, from 1.
        #[arg(long, default_value_t = 1)]
        page: u32,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write an invoice's PDF to a file.
    Pdf {
        /// The invoice's id.
        #[arg(long)]
        id: String,
        /// Where to write it.
        #[arg(long)]
        out: PathBuf,
    },
}

async fn owner(core: &Core, o: &OwnerArgs) -> anyhow::Result<Owner> {
    match (&o.org, &o.user) {
        (Some(slug), _) => {
            Ok(Owner::Organization(by_slug(core, slug).await.map_err(|e| anyhow::anyhow!("--org: {e}"))?.id))
        }
        (None, Some(email)) => Ok(Owner::User(user_id(core, "user", email).await?)),
        (None, None) => anyhow::bail!("--org or --user: name whose invoice it is"),
    }
}

/// A refusal of the document names the file and the field in it.
fn describe_document(e: keystead_core::Error) -> anyhow::Error {
    match e {
        keystead_core::Error::Invalid(fields) => {
            let parts: Vec<String> = fields.0.iter().map(|f| format!("{}: {}", f.field, f.message)).collect();
            anyhow::anyhow!("--file: {}", parts.join("; "))
        }
        other => describe(other),
    }
}

pub(super) async fn run(core: &Core, command: InvoiceCommand) -> anyhow::Result<ExitCode> {
    match command {
        InvoiceCommand::Create { owner: o, file, json } => {
            let whose = owner(core, &o).await?;
            let text = std::fs::read_to_string(&file)
                .map_err(|e| anyhow::anyhow!("--file: cannot read {}: {e}", file.display()))?;
            let body: InvoiceBody =
                serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("--file: not an invoice document: {e}"))?;
            let (invoice, recorded) =
                core.create_invoice(whose, &body.as_new(), &RequestMeta::cli()).await.map_err(describe_document)?;
            let recorded = match recorded {
                Recorded::Created => "created",
                Recorded::Updated => "updated",
                Recorded::Unchanged => "unchanged",
            };
            if json {
                let mut doc = serde_json::to_value(&invoice)?;
                doc["recorded"] = recorded.into();
                println!("{doc}");
            } else {
                let total =
                    keystead_core::i18n::Locale::En.money(invoice.total_minor, invoice.exponent, &invoice.currency);
                println!(
                    "{recorded}: invoice {} ({}), total {total}, {}",
                    invoice.number,
                    invoice.id,
                    invoice.status.as_str()
                );
            }
        }
        InvoiceCommand::List { owner: o, page, json } => {
            let found = match owner(core, &o).await? {
                Owner::Organization(org) => core.organization_invoices(Actor::Operator, org, page).await,
                Owner::User(u) => core.user_invoices(Actor::Operator, u, page).await,
            }
            .map_err(|e| match e {
                keystead_core::Error::NotFound => anyhow::anyhow!("--page: there is no page {page}"),
                other => describe(other),
            })?;
            if json {
                let items: Vec<serde_json::Value> = found
                    .items
                    .iter()
                    .map(|i| {
                        serde_json::json!({"id": i.id, "number": i.number, "issued_on": i.issued_on.to_string(),
                            "due_on": i.due_on.to_string(), "currency": i.currency, "status": i.status.as_str(),
                            "credit_note": i.credit_note, "total_minor": i.total_minor})
                    })
                    .collect();
                println!("{}", serde_json::json!({"items": items, "total": found.total, "page": page}));
            } else {
                for i in &found.items {
                    let total = keystead_core::i18n::Locale::En.money(i.total_minor, i.exponent, &i.currency);
                    println!("{}  {}  {}  {:<4}  {total}", i.id, i.issued_on, i.number, i.status.as_str());
                }
                println!("{} invoice(s)", found.total);
            }
        }
        InvoiceCommand::Pdf { id, out } => {
            let id = id.trim().parse().map_err(|_| anyhow::anyhow!("--id: not an invoice id"))?;
            let (_, pdf) = core.invoice_pdf(Actor::Operator, id).await.map_err(|e| match e {
                keystead_core::Error::NotFound => anyhow::anyhow!("--id: no such invoice"),
                other => describe(other),
            })?;
            std::fs::write(&out, pdf).map_err(|e| anyhow::anyhow!("--out: cannot write {}: {e}", out.display()))?;
            println!("wrote {}", out.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
