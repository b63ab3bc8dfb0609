//! `keystead backup` and `keystead restore`: a verified copy of the SQLite database, taken while
//! the server runs, and putting one back while it does not. PostgreSQL is pointed to its own tools.

use std::path::{Path, PathBuf};

use clap::Args;
use keystead_core::config::{Config, MasterKeySource};
use keystead_core::store::backup::{self, BackupError, BackupInfo, IfExists};

#[derive(Debug, Args)]
pub(super) struct BackupArgs {
    /// The file to write (it must not exist yet, unless --force).
    #[arg(long, short, value_name = "FILE")]
    output: PathBuf,
    /// Replace --output if it exists.
    #[arg(long)]
    force: bool,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub(super) struct RestoreArgs {
    /// The backup to restore (made by `keystead backup`).
    #[arg(long, short, value_name = "FILE")]
    input: PathBuf,
    /// Replace an existing database (never one a running server has open).
    #[arg(long)]
    force: bool,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

fn if_exists(force: bool) -> IfExists {
    if force { IfExists::Replace } else { IfExists::Refuse }
}

pub(super) async fn run_backup(config: &Config, args: BackupArgs) -> anyhow::Result<()> {
    let info =
        backup::backup_sqlite(&config.database, &args.output, if_exists(args.force)).await.map_err(|e| match e {
            BackupError::Exists(path) => {
                anyhow::anyhow!(
                    "--output {} already exists: choose another file, or add --force to replace it",
                    path.display()
                )
            }
            BackupError::SameFile(_) | BackupError::NotUtf8(_) | BackupError::Io { .. } => {
                anyhow::Error::new(e).context("--output")
            }
            other => anyhow::Error::new(other),
        })?;
    let key = master_key(config);
    if args.json {
        println!(
            "{}",
            serde_json::json!({ "path": absolute(&info.path), "bytes": info.bytes,
            "schema_version": info.schema_version, "master_key": key.json() })
        );
        return Ok(());
    }
    println!(
        "backup written to {} ({} bytes, schema version {}, integrity checked)",
        absolute(&info.path),
        info.bytes,
        info.schema_version
    );
    println!("The master key is NOT in the backup: keep a copy of it apart from the backup.");
    println!("  It is {}.", key.describe());
    println!("  Without it, the TOTP secrets and signing keys in the backup cannot be read.");
    Ok(())
}

pub(super) async fn run_restore(config: &Config, args: RestoreArgs) -> anyhow::Result<()> {
    let info =
        backup::restore_sqlite(&config.database, &args.input, if_exists(args.force)).await.map_err(|e| match e {
            BackupError::Exists(path) => anyhow::anyhow!(
                "a database already exists at {} (database_url): add --force to replace it (once no server is running)",
                path.display()
            ),
            e @ (BackupError::NotADatabase(_)
            | BackupError::NotKeystead { .. }
            | BackupError::NewerSchema { .. }
            | BackupError::Damaged { .. }
            | BackupError::SameFile(_)) => anyhow::Error::new(e).context("--input"),
            other => anyhow::Error::new(other),
        })?;
    let key = master_key(config);
    let known = backup::known_schema_version();
    if args.json {
        println!("{}", restore_json(&args.input, &info, &key, known));
        return Ok(());
    }
    println!(
        "restored {} to {} ({} bytes, schema version {})",
        args.input.display(),
        absolute(&info.path),
        info.bytes,
        info.schema_version
    );
    if info.schema_version < known {
        println!("The server applies the newer migrations (up to {known}) when it starts.");
    }
    match &key {
        MasterKey::File { path, present: false } => println!(
            "warning: there is no master key at {}: put the one from when the backup was made there before \
             starting the server, or a new key is made and the TOTP secrets and signing keys cannot be read.",
            path.display()
        ),
        _ => println!("The server must use the master key from when the backup was made: {}.", key.describe()),
    }
    Ok(())
}

fn restore_json(input: &Path, info: &BackupInfo, key: &MasterKey, known: i64) -> serde_json::Value {
    serde_json::json!({
        "input": absolute(input),
        "path": absolute(&info.path),
        "bytes": info.bytes,
        "schema_version": info.schema_version,
        "pending_migrations": info.schema_version < known,
        "master_key": key.json(),
    })
}

/// Where the master key is, for the reminder (it is never read here).
enum MasterKey {
    File { path: PathBuf, present: bool },
    Inline,
}

fn master_key(config: &Config) -> MasterKey {
    match &config.master_key {
        MasterKeySource::File(path) => MasterKey::File { path: PathBuf::from(absolute(path)), present: path.is_file() },
        MasterKeySource::Inline(_) => MasterKey::Inline,
    }
}

impl MasterKey {
    fn describe(&self) -> String {
        match self {
            Self::File { path, .. } => format!("the file {} (master_key_file)", path.display()),
            Self::Inline => "given in the configuration (master_key, typically KEYSTEAD_MASTER_KEY)".to_owned(),
        }
    }

    fn json(&self) -> serde_json::Value {
        match self {
            Self::File { path, present } => {
                serde_json::json!({ "in_backup": false, "source": "file", "path": path.display().to_string(), "present": present })
            }
            Self::Inline => serde_json::json!({ "in_backup": false, "source": "config", "key": "master_key" }),
        }
    }
}

/// The path as an operator would want to find it again; unchanged if it cannot be resolved.
fn absolute(path: &Path) -> String {
    path.canonicalize().or_else(|_| std::path::absolute(path)).unwrap_or_else(|_| path.to_owned()).display().to_string()
}
