//! `TestApp`: the whole server on a loopback port with a fake clock, a real SMTP sink and a test
//! database (SQLite, or PostgreSQL with `KEYSTEAD_TEST_DATABASE=postgres`); optionally over HTTPS
//! with a throwaway CA.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use keystead_core::Core;
use keystead_core::clock::FakeClock;
use keystead_core::config::{Config, MailTransportConfig, MasterKeySource, SmtpConfig, SmtpSecurity, TlsConfig};
use keystead_core::crypto::MasterKey;
use keystead_core::testing::TestDb;
use keystead_web::AppState;
use secrecy::SecretString;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::smtp::SmtpSink;

/// Builds a replacement router from the app state.
pub type MakeRouter = Box<dyn FnOnce(AppState) -> axum::Router + Send>;
/// Adjusts the configuration before the core opens.
pub type Configure = Box<dyn FnOnce(&mut Config) + Send>;

/// Options for [`TestApp::start`].
#[derive(Default)]
pub struct TestAppOptions {
    /// Serve over HTTPS with a certificate for `localhost` from a throwaway CA.
    pub tls: bool,
    /// Do not start the background job runner (tests then run jobs themselves).
    pub without_job_runner: bool,
    /// Replace the router (for tests of the middleware stack with extra routes).
    pub router: Option<MakeRouter>,
    /// Adjust the configuration before the core opens.
    pub configure: Option<Configure>,
    /// Also serve `/metrics` on a second loopback port (`metrics_listen`), at [`TestApp::metrics_at`].
    pub metrics: bool,
    /// Serve on this listener instead of a new one: its address is known before the server
    /// starts (a provider registers the callback URL, then the server is configured with it).
    pub listener: Option<TcpListener>,
}

/// A running server for one test. Stops when dropped.
pub struct TestApp {
    /// The core the server runs on.
    pub core: Core,
    /// The clock the server reads; move it to test expiries.
    pub clock: FakeClock,
    /// Receives every email the server sends.
    pub smtp: SmtpSink,
    /// The base URL, ending in `/`.
    pub url: url::Url,
    /// The bound address.
    pub addr: SocketAddr,
    /// The metrics listener's address, when [`TestAppOptions::metrics`] asked for one.
    pub metrics_addr: Option<SocketAddr>,
    /// The PEM of the throwaway CA when serving HTTPS.
    pub ca_pem: Option<String>,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<anyhow::Result<()>>>,
    _db: TestDb,
    _dir: tempfile::TempDir,
}

impl TestApp {
    /// The server with default options.
    pub async fn new() -> Self {
        Self::start(TestAppOptions::default()).await.unwrap_or_else(|e| panic!("TestApp failed to start: {e:#}"))
    }

    /// The server with `options`.
    pub async fn start(options: TestAppOptions) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let db = TestDb::from_env().await?;
        let smtp = SmtpSink::start().await?;
        let listener = match options.listener {
            Some(listener) => listener,
            None => TcpListener::bind("127.0.0.1:0").await?,
        };
        let addr = listener.local_addr()?;
        let metrics = if options.metrics { Some(TcpListener::bind("127.0.0.1:0").await?) } else { None };
        let metrics_addr = metrics.as_ref().map(TcpListener::local_addr).transpose()?;
        let mut config = Config::for_data_dir(dir.path()).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        config.listen = addr;
        config.metrics_listen = metrics_addr;
        config.database = db.database_config();
        config.master_key = MasterKeySource::Inline(SecretString::from(MasterKey::generate()?.encode().to_string()));
        // Cheap hashes: tests measure behaviour, benchmarks measure cost.
        config.passwords.memory_kib = 64;
        config.passwords.iterations = 1;
        config.passwords.workers = 2;
        config.passwords.queue = 64;
        config.jobs.enabled = !options.without_job_runner;
        config.jobs.poll_interval = std::time::Duration::from_millis(50);
        config.http.shutdown_grace = std::time::Duration::from_secs(5);
        config.mail.transport = MailTransportConfig::Smtp(SmtpConfig {
            host: smtp.host().to_owned(),
            port: smtp.port(),
            security: SmtpSecurity::Plain,
            username: None,
            password: None,
            timeout: std::time::Duration::from_secs(10),
        });
        let ca_pem = if options.tls {
            let (ca, cert, key) = throwaway_certificates()?;
            let cert_file = dir.path().join("cert.pem");
            let key_file = dir.path().join("key.pem");
            std::fs::write(&cert_file, cert)?;
            std::fs::write(&key_file, key)?;
            config.tls = Some(TlsConfig { cert_file, key_file });
            config.public_url = url::Url::parse(&format!("https://localhost:{}/", addr.port()))?;
            Some(ca)
        } else {
            config.public_url = url::Url::parse(&format!("http://127.0.0.1:{}/", addr.port()))?;
            None
        };
        if let Some(configure) = options.configure {
            configure(&mut config);
        }
        let url = config.public_url.clone();
        let clock = FakeClock::fixed();
        let core = Core::open(config, Arc::new(clock.clone())).await?;
        core.store().migrate().await?;
        let state = AppState::new(core.clone(), keystead_web::health::metrics_handle());
        let app = match options.router {
            Some(make) => make(state),
            None => keystead_web::router(state),
        };
        let (tx, rx) = oneshot::channel::<()>();
        let listeners = keystead_web::Listeners { main: listener, metrics };
        let server = tokio::spawn(keystead_web::serve_app(core.clone(), listeners, app, async move {
            let _ = rx.await;
        }));
        Ok(Self {
            core,
            clock,
            smtp,
            url,
            addr,
            metrics_addr,
            ca_pem,
            shutdown: Some(tx),
            server: Some(server),
            _db: db,
            _dir: dir,
        })
    }

    /// An HTTP client that keeps cookies, does not follow redirects, and trusts the test CA.
    pub fn client(&self) -> reqwest::Client {
        let mut builder = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none());
        if let Some(cert) = self.ca_pem.as_ref().and_then(|ca| reqwest::Certificate::from_pem(ca.as_bytes()).ok()) {
            builder = builder.add_root_certificate(cert).resolve("localhost", self.addr);
        }
        builder.build().unwrap_or_else(|e| panic!("test HTTP client: {e}"))
    }

    /// The absolute URL of `path`.
    pub fn at(&self, path: &str) -> String {
        self.url.join(path.trim_start_matches('/')).map(String::from).unwrap_or_else(|_| format!("{}{path}", self.url))
    }

    /// The URL of `path` on the metrics listener (start with [`TestAppOptions::metrics`]).
    pub fn metrics_at(&self, path: &str) -> String {
        let addr = self.metrics_addr.unwrap_or_else(|| panic!("start the TestApp with `metrics: true`"));
        format!("http://{addr}/{}", path.trim_start_matches('/'))
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        match self.server.take() {
            Some(server) => server.await.context("server task")?,
            None => Ok(()),
        }
    }

    /// Asks the server to stop, without waiting.
    pub fn begin_shutdown(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }

    /// Waits for the server task after [`TestApp::begin_shutdown`].
    pub async fn wait_stopped(&mut self) -> anyhow::Result<()> {
        match self.server.take() {
            Some(server) => server.await.context("server task")?,
            None => Ok(()),
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }
}

/// A CA and a `localhost` / `127.0.0.1` server certificate signed by it: (CA PEM, cert PEM, key PEM).
pub fn throwaway_certificates() -> anyhow::Result<(String, String, String)> {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
    let ca_key = KeyPair::generate()?;
    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    ca_params.distinguished_name.push(DnType::CommonName, "Keystead test CA");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_cert = ca_params.self_signed(&ca_key)?;
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let key = KeyPair::generate()?;
    let mut params = CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])?;
    params.distinguished_name.push(DnType::CommonName, "localhost");
    let cert = params.signed_by(&key, &issuer)?;
    Ok((ca_cert.pem(), cert.pem(), key.serialize_pem()))
}
