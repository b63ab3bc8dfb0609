//! `keystead admin …`: operator commands. They open the same database as a running server
//! (SQLite in WAL mode allows it), print JSON with `--json`, and exit non-zero with one line on error.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use keystead_core::config::Config;
use keystead_core::jobs::{JobInfo, JobRunner, JobStatus};

#[derive(Debug, Args)]
pub(super) struct AdminArgs {
    #[command(subcommand)]
    command: AdminCommand,
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Outgoing email.
    Mail {
        #[command(subcommand)]
        command: MailCommand,
    },
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

fn describe(e: keystead_core::Error) -> anyhow::Error {
    match e {
        keystead_core::Error::Invalid(fields) => {
            let parts: Vec<String> = fields.0.iter().map(|f| format!("--{}: {}", f.field, f.message)).collect();
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
