//! `keystead check-config`: every configuration problem, one per line, by key path.

use std::process::ExitCode;

use keystead_core::config::{Config, ConfigSources};

pub(super) fn run(sources: &ConfigSources) -> ExitCode {
    match Config::load(sources) {
        Ok(config) => {
            println!("configuration is valid");
            println!("  listen:      {}", config.listen);
            match config.metrics_listen {
                Some(addr) => println!("  metrics:     http://{addr}/metrics"),
                None => println!("  metrics:     off (set metrics_listen to serve /metrics)"),
            }
            println!("  public_url:  {}", config.public_url);
            println!("  data_dir:    {}", config.data_dir.display());
            println!("  database:    {}", if config.is_sqlite() { "SQLite" } else { "PostgreSQL" });
            ExitCode::SUCCESS
        }
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            eprintln!("{} problem(s) found", errors.len());
            ExitCode::FAILURE
        }
    }
}
