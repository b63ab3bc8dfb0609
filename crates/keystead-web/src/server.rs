//! Serving: plain HTTP or HTTPS (rustls, from PEM files), the job runner beside it, and a
//! graceful shutdown that lets in-flight requests finish within the grace period.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use keystead_core::Core;
use keystead_core::config::TlsConfig;
use keystead_core::jobs::JobRunner;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

use crate::state::AppState;

/// The TCP peer of a connection, plain or TLS (axum's own `ConnectInfo<SocketAddr>` only knows
/// plain TCP listeners).
#[derive(Debug, Clone, Copy)]
pub struct PeerAddr(pub SocketAddr);

impl Connected<IncomingStream<'_, TcpListener>> for PeerAddr {
    fn connect_info(stream: IncomingStream<'_, TcpListener>) -> Self {
        Self(*stream.remote_addr())
    }
}

impl Connected<IncomingStream<'_, TlsListener>> for PeerAddr {
    fn connect_info(stream: IncomingStream<'_, TlsListener>) -> Self {
        Self(*stream.remote_addr())
    }
}

/// Marks requests that arrived over our own TLS listener.
#[derive(Debug, Clone, Copy)]
pub struct ServedOverTls;

/// The sockets a server answers on.
#[derive(Debug)]
pub struct Listeners {
    /// Every route of the app (plain or TLS, as configured).
    pub main: TcpListener,
    /// `metrics_listen`: only `/metrics`, over plain HTTP ([`crate::health::metrics_router`]).
    pub metrics: Option<TcpListener>,
}

impl From<TcpListener> for Listeners {
    /// The main listener alone: no metrics listener.
    fn from(main: TcpListener) -> Self {
        Self { main, metrics: None }
    }
}

/// Serves until `shutdown` resolves, then stops accepting, waits up to the grace period for
/// in-flight requests and the job runner, and returns.
pub async fn serve(
    core: Core,
    listeners: impl Into<Listeners>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let state = AppState::new(core.clone(), crate::health::metrics_handle());
    serve_app(core, listeners, crate::router(state), shutdown).await
}

/// Serves `app` (normally [`crate::router`]) on the main listener, the metrics router on the
/// metrics listener if there is one, and the job runner beside them; see [`serve`].
pub async fn serve_app(
    core: Core,
    listeners: impl Into<Listeners>,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let Listeners { main: listener, metrics } = listeners.into();
    let (stop_tx, stop_rx) = watch::channel(false);
    let runner = core.config().jobs.enabled.then(|| {
        let mut rx = stop_rx.clone();
        let runner = JobRunner::new(core.clone());
        tokio::spawn(runner.run(async move {
            let _ = rx.wait_for(|stop| *stop).await;
        }))
    });
    // The hot-path cache of this node (PostgreSQL): answers only while this task keeps it fresh.
    let cache = {
        let mut rx = stop_rx.clone();
        let core = core.clone();
        tokio::spawn(async move {
            core.store()
                .keep_cache_fresh(async move {
                    let _ = rx.wait_for(|stop| *stop).await;
                })
                .await;
        })
    };
    let grace = core.config().http.shutdown_grace;
    let signal = async move {
        shutdown.await;
        tracing::info!("shutting down: finishing in-flight requests");
        let _ = stop_tx.send(true);
    };
    let main = async {
        let deadline = grace_over(stop_rx.clone(), grace);
        match &core.config().tls {
            Some(tls) => {
                let app = app.layer(axum::Extension(ServedOverTls));
                let listener = TlsListener::new(listener, tls)?;
                run(listener, app, signal, deadline).await
            }
            None => run(listener, app, signal, deadline).await,
        }
    };
    let metrics = async {
        let Some(listener) = metrics else { return Ok(()) };
        let state = AppState::new(core.clone(), crate::health::metrics_handle());
        let stopped = stop_rx.clone();
        let server = serve_metrics(listener, state, async move {
            let mut stopped = stopped;
            let _ = stopped.wait_for(|stop| *stop).await;
        });
        tokio::select! {
            result = server => result,
            () = grace_over(stop_rx.clone(), grace) => Ok(()),
        }
    };
    let (result, metrics_result) = tokio::join!(main, metrics);
    if let Some(runner) = runner {
        let _ = tokio::time::timeout(grace, runner).await;
    }
    let _ = tokio::time::timeout(grace, cache).await;
    core.store().close().await;
    result.and(metrics_result)
}

/// Serves [`crate::health::metrics_router`] on `listener` (plain HTTP: the address is meant to
/// be private, `metrics_listen`) until `shutdown` resolves and open requests finish.
pub async fn serve_metrics(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    axum::serve(listener, crate::health::metrics_router(state))
        .with_graceful_shutdown(shutdown)
        .await
        .context("metrics server failed")
}

/// Resolves `grace` after the stop signal: connections still open then are closed.
async fn grace_over(mut stopped: watch::Receiver<bool>, grace: Duration) {
    let _ = stopped.wait_for(|stop| *stop).await;
    tokio::time::sleep(grace).await;
}

async fn run<L>(
    listener: L,
    app: Router,
    signal: impl Future<Output = ()> + Send + 'static,
    deadline: impl Future<Output = ()>,
) -> anyhow::Result<()>
where
    L: Listener<Addr = SocketAddr>,
    PeerAddr: for<'a> Connected<IncomingStream<'a, L>>,
{
    let server =
        axum::serve(listener, app.into_make_service_with_connect_info::<PeerAddr>()).with_graceful_shutdown(signal);
    tokio::select! {
        result = std::future::IntoFuture::into_future(server) => result.context("HTTP server failed"),
        () = deadline => {
            tracing::warn!("grace period over: closing the remaining connections");
            Ok(())
        }
    }
}

/// A listener that completes TLS handshakes off the accept path (a slow client cannot stall others).
pub struct TlsListener {
    incoming: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    local: SocketAddr,
}

impl TlsListener {
    /// Wraps `listener` with the certificate and key in `tls`.
    pub fn new(listener: TcpListener, tls: &TlsConfig) -> anyhow::Result<Self> {
        let acceptor = TlsAcceptor::from(Arc::new(server_config(tls)?));
        let local = listener.local_addr()?;
        let (tx, incoming) = mpsc::channel(64);
        tokio::spawn(async move {
            loop {
                let (tcp, addr) = match listener.accept().await {
                    Ok(conn) => conn,
                    Err(e) => {
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                if tx.is_closed() {
                    break;
                }
                let acceptor = acceptor.clone();
                let tx = tx.clone();
                tokio::spawn(async move {
                    match tokio::time::timeout(Duration::from_secs(10), acceptor.accept(tcp)).await {
                        Ok(Ok(stream)) => {
                            let _ = tx.send((stream, addr)).await;
                        }
                        Ok(Err(e)) => tracing::debug!(client = %addr, error = %e, "TLS handshake failed"),
                        Err(_) => tracing::debug!(client = %addr, "TLS handshake timed out"),
                    }
                });
            }
        });
        Ok(Self { incoming, local })
    }
}

impl Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.incoming.recv().await {
            Some(conn) => conn,
            // The accept loop ended: nothing more will arrive.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.local)
    }
}

fn server_config(tls: &TlsConfig) -> anyhow::Result<tokio_rustls::rustls::ServerConfig> {
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(&tls.cert_file).and_then(Iterator::collect).with_context(|| {
            format!("tls.cert_file: cannot read a PEM certificate chain from {}", tls.cert_file.display())
        })?;
    if certs.is_empty() {
        anyhow::bail!("tls.cert_file: no certificate in {}", tls.cert_file.display());
    }
    let key = PrivateKeyDer::from_pem_file(&tls.key_file)
        .with_context(|| format!("tls.key_file: cannot read a PEM private key from {}", tls.key_file.display()))?;
    let provider = Arc::new(tokio_rustls::rustls::crypto::aws_lc_rs::default_provider());
    let mut config = tokio_rustls::rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("TLS protocol setup")?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .context("tls.cert_file / tls.key_file: the key does not match the certificate")?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}
