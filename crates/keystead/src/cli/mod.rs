//! Command-line interface: `serve`, `migrate`, `check-config`, `admin …`, `backup` and `restore`.

mod admin;
mod admin_courses;
mod admin_invoices;
mod admin_licensing;
mod admin_mfa;
mod admin_oauth;
mod admin_operators;
mod admin_orgs;
mod admin_seats;
mod admin_sso;
mod admin_tokens;
mod admin_webhooks;
mod backup;
mod check_config;
mod migrate;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use keystead_core::Core;
use keystead_core::clock::SystemClock;
use keystead_core::config::{Config, ConfigSources, LogFormat};
use tracing_subscriber::EnvFilter;

/// Keystead: a self-hosted accounts server.
#[derive(Debug, Parser)]
#[command(name = "keystead", version, about)]
pub struct Cli {
    /// Configuration file (TOML). Default: keystead.toml in the working directory, if present.
    #[arg(long, global = true, env = "KEYSTEAD_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server (migrating the database first unless --no-migrate).
    Serve(serve::ServeArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Check the configuration and report every problem by its key.
    CheckConfig,
    /// Administration commands for operators and scripts.
    Admin(admin::AdminArgs),
    /// Copy the SQLite database to a file while the server runs (PostgreSQL: use pg_dump).
    Backup(backup::BackupArgs),
    /// Put a backup in place as the SQLite database; the server must be stopped.
    Restore(backup::RestoreArgs),
}

/// Runs the chosen command.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let sources = |overrides: Vec<(String, String)>| ConfigSources { file: cli.config.clone(), env: None, overrides };
    match cli.command {
        Command::CheckConfig => Ok(check_config::run(&sources(vec![]))),
        Command::Serve(args) => {
            let config = load(&sources(args.overrides()))?;
            init_logging(&config);
            serve::run(config, args).await.map(|()| ExitCode::SUCCESS)
        }
        Command::Migrate => {
            let config = load(&sources(vec![]))?;
            init_logging(&config);
            migrate::run(config).await.map(|()| ExitCode::SUCCESS)
        }
        Command::Admin(args) => {
            let config = load(&sources(vec![]))?;
            admin::run(config, args).await
        }
        Command::Backup(args) => {
            let config = load(&sources(vec![]))?;
            backup::run_backup(&config, args).await.map(|()| ExitCode::SUCCESS)
        }
        Command::Restore(args) => {
            let config = load(&sources(vec![]))?;
            backup::run_restore(&config, args).await.map(|()| ExitCode::SUCCESS)
        }
    }
}

/// Loads the configuration, turning the list of problems into one error line.
fn load(sources: &ConfigSources) -> anyhow::Result<Config> {
    Config::load(sources).map_err(|errors| {
        let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
        anyhow::anyhow!("invalid configuration: {} (run `keystead check-config` for details)", list.join("; "))
    })
}

/// Opens the core with the wall clock.
async fn open_core(config: Config) -> anyhow::Result<Core> {
    Core::open(config, Arc::new(SystemClock)).await.context("cannot start")
}

fn init_logging(config: &Config) {
    let filter = EnvFilter::try_from_env("RUST_LOG")
        .unwrap_or_else(|_| EnvFilter::try_new(&config.log.level).unwrap_or_else(|_| EnvFilter::new("info")));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    let _ = match config.log.format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder.try_init(),
    };
}
