//! `keystead admin product|download|plan …`: the operator's licensing catalogue. Each command
//! takes `--json`; errors are one line naming the flag.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use keystead_core::Core;
use keystead_core::audit::RequestMeta;
use keystead_core::licensing::{Download, DownloadSource, NewDownload, NewPlan, NewProduct, Plan, Product};
use keystead_core::organizations::Actor;

use super::admin_orgs::describe;

#[derive(Debug, Subcommand)]
pub(super) enum ProductCommand {
    /// Add a product to the catalogue.
    Create {
        /// Its key: lower-case letters, digits, '.', '_' and '-' (`cet-designer`).
        #[arg(long)]
        key: String,
        /// Its name.
        #[arg(long)]
        name: String,
        /// desktop_app, web_app, extension or bundle.
        #[arg(long)]
        kind: String,
        /// What it does.
        #[arg(long)]
        description: Option<String>,
        /// manufacturer (default) or utility: where the extension chooser lists it.
        #[arg(long)]
        group: Option<String>,
        /// A desktop app's launch URL (`cet://start`).
        #[arg(long)]
        launch_url: Option<String>,
        /// Its icon (an http(s) URL), shown in the extension chooser.
        #[arg(long)]
        icon_url: Option<String>,
        /// Where to learn more about it (an http(s) URL), linked from the extension chooser.
        #[arg(long)]
        learn_more_url: Option<String>,
        /// Print the product as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the products by key.
    List {
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show a product.
    Show {
        /// Its key.
        key: String,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(super) enum DownloadCommand {
    /// Add a download (a file, copied under data_dir/downloads/, or a URL); prints its id.
    Add {
        /// The product's key.
        #[arg(long)]
        product: String,
        /// The version (`2026.1`).
        #[arg(long)]
        version: String,
        /// The platform (`windows-x64`).
        #[arg(long)]
        platform: String,
        /// A local file to copy (its size and SHA-256 are recorded).
        #[arg(long, conflicts_with = "url", required_unless_present = "url")]
        file: Option<PathBuf>,
        /// An external http(s) URL.
        #[arg(long)]
        url: Option<String>,
        /// The release notes' URL.
        #[arg(long)]
        notes_url: Option<String>,
        /// Print the download as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the downloads.
    List {
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(super) enum PlanCommand {
    /// Create a plan (edition) of a product. Plan keys are unique across the deployment, so
    /// `--plan KEY` elsewhere names exactly one plan.
    Create {
        /// The product's key.
        #[arg(long)]
        product: String,
        /// The plan's key (unique across the deployment).
        #[arg(long)]
        key: String,
        /// Its name.
        #[arg(long)]
        name: String,
        /// An entitlement code apps check (`cet.edition.pro`); repeat for more.
        #[arg(long)]
        entitlement: Vec<String>,
        /// The key of an extension product it grants; repeat for more.
        #[arg(long)]
        extension: Vec<String>,
        /// The id of a download it unlocks; repeat for more.
        #[arg(long)]
        download: Vec<String>,
        /// Where holders land after registration: extension_chooser, downloads, none, or a URL.
        #[arg(long)]
        landing: String,
        /// How many machines a holder may activate.
        #[arg(long)]
        max_machines: Option<i64>,
        /// Print the plan as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show a plan with what it grants.
    Show {
        /// Its key.
        key: String,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
}

fn product_line(p: &Product) -> String {
    format!("{}  {}  {}  {:?}", p.key, p.kind.as_str(), p.group.as_str(), p.name)
}

fn download_line(d: &Download) -> String {
    let source = d.url.clone().or_else(|| d.file.clone()).unwrap_or_default();
    format!("{}  {}  {}  {}  {}", d.id, d.product, d.version, d.platform, source)
}

fn plan_line(p: &Plan) -> String {
    format!(
        "{}  {}  {:?}  landing {}  entitlements [{}]  extensions [{}]  downloads {}",
        p.key,
        p.product,
        p.name,
        p.landing.as_str(),
        p.entitlements.join(", "),
        p.extensions.join(", "),
        p.downloads.len()
    )
}

fn print<T: serde::Serialize>(value: &T, json: bool, line: impl Fn(&T) -> String) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string(value)?);
    } else {
        println!("{}", line(value));
    }
    Ok(())
}

fn print_all<T: serde::Serialize>(values: &[T], json: bool, line: impl Fn(&T) -> String) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string(values)?);
    } else {
        for v in values {
            println!("{}", line(v));
        }
    }
    Ok(())
}

fn not_found(what: &str, key: &str) -> impl Fn(keystead_core::Error) -> anyhow::Error {
    let message = format!("no {what} with the key {key}");
    move |e| match e {
        keystead_core::Error::NotFound => anyhow::anyhow!("{message}"),
        other => describe(other),
    }
}

pub(super) async fn run_product(core: &Core, command: ProductCommand) -> anyhow::Result<ExitCode> {
    match command {
        ProductCommand::Create { key, name, kind, description, group, launch_url, icon_url, learn_more_url, json } => {
            let new = NewProduct {
                key: &key,
                name: &name,
                kind: &kind,
                description: description.as_deref(),
                group: group.as_deref(),
                launch_url: launch_url.as_deref(),
                icon_url: icon_url.as_deref(),
                learn_more_url: learn_more_url.as_deref(),
            };
            let p = core.create_product(Actor::Operator, new, &RequestMeta::cli()).await.map_err(describe)?;
            print(&p, json, product_line)?;
        }
        ProductCommand::List { json } => {
            print_all(&core.products(Actor::Operator).await.map_err(describe)?, json, product_line)?;
        }
        ProductCommand::Show { key, json } => {
            let p = core.product(Actor::Operator, &key).await.map_err(not_found("product", &key))?;
            print(&p, json, product_line)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn run_download(core: &Core, command: DownloadCommand) -> anyhow::Result<ExitCode> {
    match command {
        DownloadCommand::Add { product, version, platform, file, url, notes_url, json } => {
            let source = match (file, url) {
                (Some(path), _) => DownloadSource::File(path),
                (None, Some(url)) => DownloadSource::Url(url),
                (None, None) => anyhow::bail!("--file or --url: give one"),
            };
            let new = NewDownload {
                product: &product,
                version: &version,
                platform: &platform,
                source,
                released_at: None,
                notes_url: notes_url.as_deref(),
            };
            let d = core.add_download(Actor::Operator, new, &RequestMeta::cli()).await.map_err(describe)?;
            print(&d, json, |d| d.id.to_string())?;
        }
        DownloadCommand::List { json } => {
            print_all(&core.downloads(Actor::Operator).await.map_err(describe)?, json, download_line)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn run_plan(core: &Core, command: PlanCommand) -> anyhow::Result<ExitCode> {
    match command {
        PlanCommand::Create { product, key, name, entitlement, extension, download, landing, max_machines, json } => {
            let new = NewPlan {
                product: &product,
                key: &key,
                name: &name,
                entitlements: entitlement.iter().map(String::as_str).collect(),
                extensions: extension.iter().map(String::as_str).collect(),
                downloads: download.iter().map(String::as_str).collect(),
                landing: &landing,
                max_machines,
            };
            let p = core.create_plan(Actor::Operator, new, &RequestMeta::cli()).await.map_err(describe)?;
            print(&p, json, plan_line)?;
        }
        PlanCommand::Show { key, json } => {
            let p = core.plan(Actor::Operator, &key).await.map_err(not_found("plan", &key))?;
            print(&p, json, plan_line)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
