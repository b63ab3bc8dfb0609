//! `keystead admin …`: operator commands. They open the same database as a running server
//! (SQLite in WAL mode allows it), print JSON with `--json`, and exit non-zero with one line on error.

use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use keystead_core::accounts::admin::NewUser;
use keystead_core::agreements::Agreement;
use keystead_core::audit::RequestMeta;
use keystead_core::config::Config;
use keystead_core::jobs::{JobInfo, JobRunner, JobStatus};
use keystead_core::organizations::Actor;
use secrecy::SecretString;

#[derive(Debug, Args)]
pub(super) struct AdminArgs {
    #[command(subcommand)]
    command: AdminCommand,
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// User accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Outgoing email.
    Mail {
        #[command(subcommand)]
        command: MailCommand,
    },
    /// Agreements users accept (terms, privacy policy, …).
    Agreement {
        #[command(subcommand)]
        command: AgreementCommand,
    },
    /// Invoices (as the billing system issues them).
    Invoice {
        #[command(subcommand)]
        command: super::admin_invoices::InvoiceCommand,
    },
    /// Courses users completed (as a learning system reports them).
    Course {
        #[command(subcommand)]
        command: super::admin_courses::CourseCommand,
    },
    /// Organizations (tenants).
    Org {
        #[command(subcommand)]
        command: super::admin_orgs::OrgCommand,
    },
    /// OAuth / OpenID Connect applications.
    Client {
        #[command(subcommand)]
        command: super::admin_oauth::ClientCommand,
    },
    /// OAuth / OpenID Connect signing keys.
    Keys {
        #[command(subcommand)]
        command: super::admin_oauth::KeysCommand,
    },
    /// Licensing catalogue: products.
    Product {
        #[command(subcommand)]
        command: super::admin_licensing::ProductCommand,
    },
    /// Licensing catalogue: downloads (files or links).
    Download {
        #[command(subcommand)]
        command: super::admin_licensing::DownloadCommand,
    },
    /// Licensing catalogue: plans (editions) and what they grant.
    Plan {
        #[command(subcommand)]
        command: super::admin_licensing::PlanCommand,
    },
    /// Organizations' subscriptions to plans.
    Subscription {
        #[command(subcommand)]
        command: super::admin_seats::SubscriptionCommand,
    },
    /// License seats of organization members.
    Seat {
        #[command(subcommand)]
        command: super::admin_seats::SeatCommand,
    },
    /// Single sign-on connections of organizations.
    Sso {
        #[command(subcommand)]
        command: super::admin_sso::SsoCommand,
    },
    /// Personal access tokens for the admin API and SCIM.
    Token {
        #[command(subcommand)]
        command: super::admin_tokens::TokenCommand,
    },
    /// Webhook endpoints: create, list, enable, disable, rotate, delete, deliveries, resend.
    Webhook {
        #[command(subcommand)]
        command: super::admin_webhooks::WebhookCommand,
    },
    /// Operators: the accounts that may use the admin console (`/admin`).
    Operator {
        #[command(subcommand)]
        command: super::admin_operators::OperatorCommand,
    },
}

#[derive(Debug, Subcommand)]
enum AgreementCommand {
    /// Publish a new version of an agreement from a Markdown file.
    Publish {
        /// Which agreement (`terms`, `privacy`): lowercase letters, digits, '-' and '_'.
        #[arg(long)]
        key: String,
        /// The title shown to users.
        #[arg(long)]
        title: String,
        /// The Markdown file with the text.
        #[arg(long)]
        file: std::path::PathBuf,
        /// Every user must accept this version before using their account again.
        #[arg(long)]
        required: bool,
        /// Print the version as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List every published version.
    List {
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create a user (unverified ones get a confirmation email).
    Create {
        /// Email address.
        #[arg(long)]
        email: String,
        /// Full name ("Ada Lovelace": the first word is the given name, the rest the family name).
        #[arg(long)]
        name: Option<String>,
        /// Mark the address as confirmed (no confirmation email).
        #[arg(long)]
        verified: bool,
        /// Read the password from standard input (one line), checked against the policy.
        #[arg(long)]
        password_stdin: bool,
        /// Print the user as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show a user.
    Show {
        /// Email address.
        email: String,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Disable a user: sign-in is refused and every session ends.
    Disable {
        /// Email address.
        email: String,
        /// Print the user as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Enable a disabled user again.
    Enable {
        /// Email address.
        email: String,
        /// Print the user as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Remove every second factor (app, email codes, passkeys, recovery codes) and end every
    /// session; the user is told by email.
    ResetMfa(super::admin_mfa::ResetMfaArgs),
}

#[derive(Debug, Subcommand)]
enum MailCommand {
    /// Send a test email through the configured transport and report the outcome.
    Test {
        /// Recipient address.
        #[arg(long)]
        to: String,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show the outbox: queued, delivered and failed emails.
    Outbox {
        /// How many entries, oldest first.
        #[arg(long, default_value_t = 50)]
        limit: i64,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub(super) async fn run(config: Config, args: AdminArgs) -> anyhow::Result<ExitCode> {
    let core = super::open_core(config).await?;
    if !core.store().is_migrated().await? {
        anyhow::bail!("the database is not migrated: run `keystead migrate` (or start the server once)");
    }
    let code = match args.command {
        AdminCommand::User { command } => run_user(&core, command).await?,
        AdminCommand::Agreement { command } => run_agreement(&core, command).await?,
        AdminCommand::Org { command } => super::admin_orgs::run(&core, command).await?,
        AdminCommand::Course { command } => super::admin_courses::run(&core, command).await?,
        AdminCommand::Invoice { command } => super::admin_invoices::run(&core, command).await?,
        AdminCommand::Client { command } => super::admin_oauth::run_client(&core, command).await?,
        AdminCommand::Keys { command } => super::admin_oauth::run_keys(&core, command).await?,
        AdminCommand::Product { command } => super::admin_licensing::run_product(&core, command).await?,
        AdminCommand::Download { command } => super::admin_licensing::run_download(&core, command).await?,
        AdminCommand::Plan { command } => super::admin_licensing::run_plan(&core, command).await?,
        AdminCommand::Subscription { command } => super::admin_seats::run_subscription(&core, command).await?,
        AdminCommand::Seat { command } => super::admin_seats::run_seat(&core, command).await?,
        AdminCommand::Sso { command } => super::admin_sso::run(&core, command).await?,
        AdminCommand::Token { command } => super::admin_tokens::run(&core, command).await?,
        AdminCommand::Webhook { command } => super::admin_webhooks::run(&core, command).await?,
        AdminCommand::Operator { command } => super::admin_operators::run(&core, command).await?,
        AdminCommand::Mail { command: MailCommand::Test { to, json } } => {
            let id = core.send_test_email(&to).await.map_err(describe)?;
            // Deliver now rather than wait for a server: leases keep a running server from sending it twice.
            JobRunner::new(core.clone()).run_due().await?;
            let job = wait_while_another_node_delivers(&core, id).await?;
            print_job(&job, json);
            if job.status == JobStatus::Done {
                ExitCode::SUCCESS
            } else {
                eprintln!(
                    "error: the test email was not delivered: {}",
                    job.last_error.as_deref().unwrap_or("unknown reason")
                );
                ExitCode::FAILURE
            }
        }
        AdminCommand::Mail { command: MailCommand::Outbox { limit, json } } => {
            let jobs = core.outbox(limit.clamp(1, 10_000)).await.map_err(describe)?;
            if json {
                println!("{}", serde_json::Value::Array(jobs.iter().map(job_json).collect()));
            } else {
                for job in &jobs {
                    print_job(job, false);
                }
            }
            ExitCode::SUCCESS
        }
    };
    core.store().close().await;
    Ok(code)
}

async fn run_user(core: &keystead_core::Core, command: UserCommand) -> anyhow::Result<ExitCode> {
    let meta = RequestMeta::cli();
    let (user, json) = match command {
        UserCommand::Create { email, name, verified, password_stdin, json } => {
            let password = if password_stdin { Some(read_password()?) } else { None };
            let (given, family) = match name.as_deref().map(str::trim) {
                Some(n) => match n.split_once(' ') {
                    Some((g, f)) => (Some(g), Some(f.trim())),
                    None => (Some(n), None),
                },
                None => (None, None),
            };
            let new = NewUser { email: &email, given_name: given, family_name: family, verified, password };
            (core.create_user(new, &meta).await.map_err(describe)?, json)
        }
        UserCommand::Show { email, json } => {
            (core.user_by_email(&email).await.map_err(|e| not_found(e, &email))?, json)
        }
        UserCommand::Disable { email, json } => {
            let id = core.user_by_email(&email).await.map_err(|e| not_found(e, &email))?.id;
            (core.disable_user(Actor::Operator, id, &meta).await.map_err(describe)?.user, json)
        }
        UserCommand::Enable { email, json } => {
            let id = core.user_by_email(&email).await.map_err(|e| not_found(e, &email))?.id;
            (core.enable_user(Actor::Operator, id, &meta).await.map_err(describe)?.user, json)
        }
        UserCommand::ResetMfa(args) => return super::admin_mfa::reset_mfa(core, args).await,
    };
    if json {
        println!("{}", serde_json::to_string(&user)?);
    } else {
        println!("{}  {}  {}  {}", user.id, user.email, user.status.as_str(), user.display_name());
    }
    Ok(ExitCode::SUCCESS)
}

async fn run_agreement(core: &keystead_core::Core, command: AgreementCommand) -> anyhow::Result<ExitCode> {
    let line = |a: &Agreement| {
        let required = if a.required { "required" } else { "optional" };
        format!("{}  {} v{}  {}  {:?}", a.id, a.key, a.version, required, a.title)
    };
    match command {
        AgreementCommand::Publish { key, title, file, required, json } => {
            let body = std::fs::read_to_string(&file)
                .map_err(|e| anyhow::anyhow!("--file: cannot read {}: {e}", file.display()))?;
            let a =
                core.publish_agreement(&key, &title, &body, required, &RequestMeta::cli()).await.map_err(
                    |e| match e {
                        keystead_core::Error::Invalid(f) if f.0.iter().any(|f| f.field == "body") => {
                            anyhow::anyhow!("--file: {}: {}", file.display(), f.messages("body").join(" "))
                        }
                        other => describe(other),
                    },
                )?;
            if json {
                println!("{}", serde_json::to_string(&a)?);
            } else {
                println!("{}", line(&a));
            }
        }
        AgreementCommand::List { json } => {
            let all = core.agreements().await.map_err(describe)?;
            if json {
                println!("{}", serde_json::to_string(&all)?);
            } else {
                for a in &all {
                    println!("{}", line(a));
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn read_password() -> anyhow::Result<SecretString> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).context("--password-stdin: cannot read standard input")?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    if password.is_empty() {
        anyhow::bail!("--password-stdin: standard input is empty");
    }
    Ok(SecretString::from(password))
}

fn not_found(e: keystead_core::Error, email: &str) -> anyhow::Error {
    match e {
        keystead_core::Error::NotFound => anyhow::anyhow!("no user with the email address {email}"),
        other => describe(other),
    }
}

/// A running server may have claimed the message first: wait for its attempt to end.
async fn wait_while_another_node_delivers(
    core: &keystead_core::Core,
    id: keystead_core::ids::JobId,
) -> anyhow::Result<JobInfo> {
    let limit = core.config().jobs.lease + std::time::Duration::from_secs(5);
    let started = std::time::Instant::now();
    loop {
        let job = core.job(id).await.map_err(describe)?;
        if job.status != JobStatus::Pending || job.lease_owner.is_none() || started.elapsed() > limit {
            return Ok(job);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

pub(super) fn describe(e: keystead_core::Error) -> anyhow::Error {
    match e {
        keystead_core::Error::Invalid(fields) => {
            let flag = |f: &str| match f {
                "password" => "password-stdin".to_owned(),
                "api_scopes" => "api-scope".to_owned(),
                f => f.replace('_', "-"),
            };
            let parts: Vec<String> = fields.0.iter().map(|f| format!("--{}: {}", flag(&f.field), f.message)).collect();
            anyhow::anyhow!("{}", parts.join("; "))
        }
        other => anyhow::Error::new(other),
    }
}

fn job_json(job: &JobInfo) -> serde_json::Value {
    serde_json::json!({
        "id": job.id,
        "to": job.payload.get("to"),
        "subject": job.payload.get("subject"),
        // Fixed at queueing: a copy delivered again after a crash carries the same one.
        "message_id": job.payload.get("message_id"),
        "status": status_str(job.status),
        "attempts": job.attempts,
        "last_error": job.last_error,
        "finished_at": job.finished_at.map(|t| t.to_string()),
    })
}

fn status_str(s: JobStatus) -> &'static str {
    match s {
        JobStatus::Pending => "pending",
        JobStatus::Done => "delivered",
        JobStatus::Dead => "failed",
    }
}

fn print_job(job: &JobInfo, json: bool) {
    if json {
        println!("{}", job_json(job));
    } else {
        let to = job.payload.get("to").and_then(|v| v.as_str()).unwrap_or("?");
        let subject = job.payload.get("subject").and_then(|v| v.as_str()).unwrap_or("");
        println!("{}  {:<9}  {}  {:?}  attempts={}", job.id, status_str(job.status), to, subject, job.attempts);
    }
}
