//! `keystead serve`: migrate, bind, serve until SIGINT/SIGTERM.

use std::io::ErrorKind;
use std::net::SocketAddr;

use anyhow::Context;
use clap::Args;
use keystead_core::config::Config;
use keystead_core::crypto::MasterKeyOrigin;
use tokio::net::TcpListener;

#[derive(Debug, Args)]
pub(super) struct ServeArgs {
    /// Address to listen on (overrides `listen` / KEYSTEAD_LISTEN).
    #[arg(long, value_name = "ADDR:PORT")]
    listen: Option<String>,
    /// Do not run migrations at start; refuse to start if the schema is behind.
    #[arg(long)]
    no_migrate: bool,
}

impl ServeArgs {
    pub(super) fn overrides(&self) -> Vec<(String, String)> {
        self.listen.iter().map(|l| ("listen".to_owned(), l.clone())).collect()
    }
}

pub(super) async fn run(mut config: Config, args: ServeArgs) -> anyhow::Result<()> {
    // Bind first: a taken port is reported before anything is created on disk.
    let listen = config.listen;
    let listener = bind(listen, "listen, KEYSTEAD_LISTEN or serve --listen").await?;
    let metrics = match config.metrics_listen {
        Some(addr) => Some(bind(addr, "metrics_listen or KEYSTEAD_METRICS_LISTEN").await?),
        None => None,
    };
    let local = listener.local_addr().context("listener address")?;
    config.bind_to(local);
    let core = super::open_core(config).await?;
    match core.master_key_origin() {
        MasterKeyOrigin::Generated(path) => tracing::warn!(
            path = %path.display(),
            "generated a new master key beside the data; for production set master_key (KEYSTEAD_MASTER_KEY) from a secret store and keep a backup: without it encrypted secrets cannot be read"
        ),
        MasterKeyOrigin::File(path) => tracing::warn!(
            path = %path.display(),
            "the master key is read from a file beside the data; for production set master_key (KEYSTEAD_MASTER_KEY) from a secret store"
        ),
        MasterKeyOrigin::Configured => {}
    }
    if args.no_migrate {
        if !core.store().is_migrated().await? {
            anyhow::bail!(
                "the database schema is behind this version: run `keystead migrate` first (or start without --no-migrate)"
            );
        }
    } else {
        core.store().migrate().await?;
    }
    let public_url = core.config().public_url.clone();
    tracing::info!(%local, %public_url, database = ?core.store().backend(), "Keystead is ready");
    if let Some(metrics) = &metrics {
        let addr = metrics.local_addr().context("metrics listener address")?;
        tracing::info!(%addr, "Prometheus metrics are served apart from the public port");
        println!("Prometheus metrics on http://{addr}/metrics");
    }
    println!("Keystead is listening on {public_url} (bound to {local})");
    let listeners = keystead_web::Listeners { main: listener, metrics };
    keystead_web::serve(core, listeners, shutdown_signal()).await
}

/// Binds `addr`, explaining a failure in one line that names where the address is set.
async fn bind(addr: SocketAddr, set_with: &str) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr).await.map_err(|e| match e.kind() {
        ErrorKind::AddrInUse => {
            anyhow::anyhow!("cannot listen on {addr}: the address is already in use (set {set_with})")
        }
        ErrorKind::PermissionDenied => {
            anyhow::anyhow!("cannot listen on {addr}: permission denied (choose a port above 1024 with {set_with})")
        }
        _ => anyhow::anyhow!("cannot listen on {addr}: {e} (set {set_with})"),
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
