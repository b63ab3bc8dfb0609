//! Deployment configuration: one TOML file plus `KEYSTEAD_*` environment overrides, read into
//! typed settings with every error reported by its key path.

mod interface;
mod invoices;
mod reader;
mod social;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use config::{Environment, File, FileFormat};
use secrecy::SecretString;
use url::Url;

pub use interface::InterfaceConfig;
pub use invoices::SellerConfig;
pub use reader::ConfigError;
use reader::{Reader, flatten};
pub use social::{SocialConfig, SocialGithub, SocialOidc};

/// Where the settings come from.
#[derive(Debug, Clone, Default)]
pub struct ConfigSources {
    /// The TOML file. `None` looks for `keystead.toml` in the working directory.
    pub file: Option<PathBuf>,
    /// Environment variables to read instead of the process's (tests pass their own).
    pub env: Option<HashMap<String, String>>,
    /// Values that win over both, such as `serve --listen` (key path, value).
    pub overrides: Vec<(String, String)>,
}

/// The whole, validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The product name shown on pages and in emails (`site_name`, default `Keystead`).
    pub site_name: String,
    /// Address the HTTP server binds (`listen`, default `127.0.0.1:8080`).
    pub listen: SocketAddr,
    /// A second, private address serving only Prometheus `/metrics` (`metrics_listen`, such as
    /// `127.0.0.1:9090`; default none: no metrics listener, and `/metrics` is never on `listen`).
    pub metrics_listen: Option<SocketAddr>,
    /// The public base URL: the OIDC issuer and the base of every emailed link (`public_url`).
    pub public_url: Url,
    /// True when `public_url` was not set and is derived from `listen`.
    pub public_url_is_default: bool,
    /// Directory for the SQLite database, master key and mail files (`data_dir`, default `./data`).
    pub data_dir: PathBuf,
    /// Database connection (`database_url`, default SQLite under `data_dir`).
    pub database: DatabaseConfig,
    /// Where the master key comes from.
    pub master_key: MasterKeySource,
    /// Serve HTTPS directly from these files (`tls.cert_file`, `tls.key_file`).
    pub tls: Option<TlsConfig>,
    /// Proxies whose `X-Forwarded-*` headers are trusted (`trusted_proxies`, IPs or CIDRs).
    pub trusted_proxies: Vec<IpNet>,
    /// HTTP limits.
    pub http: HttpConfig,
    /// Password hashing.
    pub passwords: PasswordHashConfig,
    /// Outgoing email.
    pub mail: MailConfig,
    /// Background jobs.
    pub jobs: JobsConfig,
    /// Logging.
    pub log: LogConfig,
    /// Who may register, and how.
    pub registration: RegistrationConfig,
    /// Session lifetimes.
    pub sessions: SessionConfig,
    /// Which personal details are asked for (`profile.*`).
    pub profile: crate::accounts::profile::ProfileFields,
    /// Per-address limits (per-account limits are fixed: they protect the owner).
    pub rate_limits: RateLimitConfig,
    /// The deployment's password rules (organizations may override them later).
    pub password_policy: crate::accounts::password_policy::PasswordPolicy,
    /// Account life-cycle settings (`accounts.*`).
    pub accounts: AccountsConfig,
    /// Two-factor authentication settings (`mfa.*`).
    pub mfa: MfaConfig,
    /// Organization settings (`organizations.*`).
    pub organizations: OrganizationsConfig,
    /// Licensing settings (`licenses.*`).
    pub licenses: LicensesConfig,
    /// OAuth / OpenID Connect token lifetimes and key rotation (`oauth.*`).
    pub oauth: crate::oauth::OAuthConfig,
    /// Requests Keystead makes to URLs it was given (`outbound.*`).
    pub outbound: OutboundConfig,
    /// Social sign-in presets (`social.*`).
    pub social: SocialConfig,
    /// Webhook delivery (`webhooks.*`).
    pub webhooks: WebhooksConfig,
    /// Default language and support contact (`default_locale`, `support_email`, `support_url`).
    pub interface: InterfaceConfig,
    /// The seller named on invoices.
    pub seller: SellerConfig,
}

/// Webhook delivery (`webhooks.*`).
#[derive(Debug, Clone, Copy)]
pub struct WebhooksConfig {
    /// An endpoint whose deliveries have failed without a success for this long is disabled and
    /// its owner emailed (`webhooks.disable_after_days`, default 5, 1–30).
    pub disable_after: time::Duration,
    /// How long one delivery may take (`webhooks.timeout_ms`, default 10 000).
    pub timeout: Duration,
}

impl Default for WebhooksConfig {
    fn default() -> Self {
        Self { disable_after: time::Duration::days(5), timeout: Duration::from_secs(10) }
    }
}

/// Requests Keystead makes to URLs it was given: back-channel logout, later webhooks
/// (`outbound.*`).
#[derive(Debug, Clone, Copy, Default)]
pub struct OutboundConfig {
    /// Also connect to loopback, private and link-local addresses
    /// (`outbound.allow_private_networks`, default false: public addresses only, against
    /// server-side request forgery; see [`crate::outbound`]).
    pub allow_private_networks: bool,
}

/// Two-factor authentication settings (`mfa.*`).
#[derive(Debug, Clone, Copy)]
pub struct MfaConfig {
    /// Every user must enrol a second factor; users without one are led to set it up at their
    /// next sign-in (`mfa.required`, default false).
    pub required: bool,
}

/// Organization settings (`organizations.*`).
#[derive(Debug, Clone, Copy)]
pub struct OrganizationsConfig {
    /// Any verified user may create organizations from My Account
    /// (`organizations.users_may_create`, default false: operators create them).
    pub users_may_create: bool,
    /// The DNS server that checks domain-verification TXT records, `IP:PORT`
    /// (`organizations.dns_resolver`; default: the system's resolvers from `/etc/resolv.conf`).
    pub dns_resolver: Option<SocketAddr>,
    /// How long one DNS check waits for an answer (`organizations.dns_timeout_seconds`, default 5).
    pub dns_timeout: std::time::Duration,
}

/// Licensing settings (`licenses.*`).
#[derive(Debug, Clone)]
pub struct LicensesConfig {
    /// Where users holding no license land after registration and sign-in without a
    /// `return_to`: the marketplace (`licenses.no_license_url`, an absolute http(s) URL; default
    /// none: they land on the home page). See `Core::landing_for`.
    pub no_license_url: Option<Url>,
    /// Where uploaded download files are kept (`licenses.downloads_dir`, default
    /// `<data_dir>/downloads`).
    pub downloads_dir: PathBuf,
    /// How long a signed download link works (`licenses.download_link_seconds`, default 300).
    pub download_link_ttl: time::Duration,
    /// How long an offline license token is valid (`licenses.offline_token_days`, default 14).
    pub offline_token_ttl: time::Duration,
    /// The largest briefcase document (`licenses.briefcase_max_kib`, default 64 KiB).
    pub briefcase_max_bytes: usize,
}

/// Account life-cycle settings (`accounts.*`).
#[derive(Debug, Clone, Copy)]
pub struct AccountsConfig {
    /// How long a closed account can be reactivated before its personal data is purged
    /// (`accounts.closing_grace_days`, default 30).
    pub closing_grace: time::Duration,
}

/// Limits per client address (`rate_limits.*`). Offices behind one NAT address share them.
#[derive(Debug, Clone, Copy)]
pub struct RateLimitConfig {
    /// Sign-in attempts per address per 5 minutes (`rate_limits.sign_in_per_ip`, default 100).
    pub sign_in_per_ip: i32,
    /// Registrations per address per hour (`rate_limits.register_per_ip`, default 20).
    pub register_per_ip: i32,
    /// Password-reset requests per address per hour (`rate_limits.reset_per_ip`, default 20).
    pub reset_per_ip: i32,
    /// Admin API requests per personal access token per minute, shared by every node
    /// (`rate_limits.api_per_token`, default 600).
    pub api_per_token: i32,
}

/// Who may register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationMode {
    /// Anyone may create an account.
    Open,
    /// Only people holding an invitation.
    InviteOnly,
}

/// Registration settings (`registration.*`).
#[derive(Debug, Clone)]
pub struct RegistrationConfig {
    /// `open` (default) or `invite_only` (`registration.mode`).
    pub mode: RegistrationMode,
    /// Refuse addresses at free-mail providers (`registration.require_work_email`, default false).
    pub require_work_email: bool,
    /// The free-mail domains: the shipped list, or `registration.free_email_domains_file`.
    pub free_email_domains: std::sync::Arc<std::collections::HashSet<String>>,
}

/// Session lifetimes (`sessions.*`).
#[derive(Debug, Clone, Copy)]
pub struct SessionConfig {
    /// Ends after this long without a request (`sessions.idle_days`, default 14).
    pub idle: time::Duration,
    /// Ends this long after sign-in whatever happens (`sessions.absolute_days`, default 90).
    pub absolute: time::Duration,
}

/// Database settings.
#[derive(Debug, Clone)]
pub struct DatabaseConfig {
    /// `sqlite://path` or `postgres://…`; kept secret because it may hold a password.
    pub url: SecretString,
    /// Pool size (`database_max_connections`, default 10).
    pub max_connections: u32,
}

/// Where the 32-byte master key that encrypts secrets at rest comes from.
#[derive(Debug, Clone)]
pub enum MasterKeySource {
    /// Given in configuration (`master_key`, base64), typically from `KEYSTEAD_MASTER_KEY`.
    Inline(SecretString),
    /// Read from (or, if missing, generated into) a file (`master_key_file`).
    File(PathBuf),
}

/// Certificate and key for serving HTTPS.
#[derive(Debug, Clone)]
pub struct TlsConfig {
    /// PEM certificate chain.
    pub cert_file: PathBuf,
    /// PEM private key.
    pub key_file: PathBuf,
}

/// An IP network (`10.0.0.0/8`) or a single address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    /// Parses `1.2.3.4`, `10.0.0.0/8`, `::1` or `fd00::/8`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let expected = || "expected an IP address or network such as 10.0.0.0/8".to_owned();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| expected())?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(expected)?,
            None => max,
        };
        Ok(Self { addr, prefix })
    }

    /// True when `ip` is inside this network.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// HTTP server limits.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Largest request body accepted by default (`http.body_limit_kib`, default 64 KiB).
    pub body_limit: usize,
    /// Longest time a request may take (`http.request_timeout_seconds`, default 30).
    pub request_timeout: Duration,
    /// Longest wait for in-flight requests at shutdown (`http.shutdown_grace_seconds`, default 10).
    pub shutdown_grace: Duration,
}

/// Argon2id parameters and the bounded hashing pool.
#[derive(Debug, Clone)]
pub struct PasswordHashConfig {
    /// Memory cost in KiB (`passwords.memory_kib`, default 19456 = 19 MiB).
    pub memory_kib: u32,
    /// Iterations (`passwords.iterations`, default 2).
    pub iterations: u32,
    /// Lanes (`passwords.parallelism`, default 1).
    pub parallelism: u32,
    /// Worker threads (`passwords.workers`, default: the number of CPU cores).
    pub workers: usize,
    /// Requests that may wait for a worker before new ones get 503 (`passwords.queue`, default 8 × workers).
    pub queue: usize,
    /// A worker gives its Argon2 memory back after this long without work
    /// (`passwords.release_memory_after_seconds`, default 60); it is allocated again on the next hash.
    pub release_memory_after: Duration,
}

/// Outgoing email.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// The From address (`mail.from`, default `Keystead <no-reply@localhost>`).
    pub from: String,
    /// How mail leaves (`mail.transport`: `file`, `log` or `smtp`).
    pub transport: MailTransportConfig,
    /// Delivery attempts before a message is given up (`mail.max_attempts`, default 12).
    pub max_attempts: u32,
}

/// The mail transport.
#[derive(Debug, Clone)]
pub enum MailTransportConfig {
    /// One `.eml` file per message in `dir` (`mail.dir`, default `<data_dir>/mail`).
    File {
        /// Target directory.
        dir: PathBuf,
    },
    /// Written to the log, for development.
    Log,
    /// An SMTP relay.
    Smtp(SmtpConfig),
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS (required), usually port 587.
    StartTls,
    /// TLS from the first byte, usually port 465.
    Tls,
    /// No encryption: only for a relay on loopback or a test sink.
    Plain,
}

/// SMTP relay settings (`mail.smtp.*`).
#[derive(Debug, Clone)]
pub struct SmtpConfig {
    /// Host name (`mail.smtp.host`).
    pub host: String,
    /// Port (`mail.smtp.port`, default by security: 587, 465 or 25).
    pub port: u16,
    /// `starttls` (default), `tls` or `plain` (`mail.smtp.security`).
    pub security: SmtpSecurity,
    /// User name for AUTH (`mail.smtp.username`).
    pub username: Option<String>,
    /// Password for AUTH (`mail.smtp.password`).
    pub password: Option<SecretString>,
    /// Connection and command timeout (`mail.smtp.timeout_seconds`, default 30).
    pub timeout: Duration,
}

/// Background job runner settings.
#[derive(Debug, Clone)]
pub struct JobsConfig {
    /// Run jobs in this process (`jobs.enabled`, default true).
    pub enabled: bool,
    /// How often to look for due work when nothing wakes the runner (`jobs.poll_interval_ms`, default 1000).
    pub poll_interval: Duration,
    /// How long a claimed job is reserved before another node may take it (`jobs.lease_seconds`, default 120).
    pub lease: Duration,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// Logging settings.
#[derive(Debug, Clone)]
pub struct LogConfig {
    /// `text` or `json` (`log.format`).
    pub format: LogFormat,
    /// A tracing filter (`log.level`, default `info`).
    pub level: String,
}

/// The default listen address.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

impl Config {
    /// Loads and validates the configuration; on failure returns every problem found.
    pub fn load(sources: &ConfigSources) -> Result<Self, Vec<ConfigError>> {
        let gathered = gather(sources)?;
        let mut r = Reader::new(gathered.merged);
        let config = read_all(&mut r);
        for key in r.unknown_keys(&gathered.file) {
            r.error(&key, "unknown setting (check the spelling; see README.md for every setting)");
        }
        for key in r.unknown_keys(&gathered.env) {
            let var = format!("KEYSTEAD_{}", key.replace('.', "__").to_uppercase());
            r.error(&key, format!("unknown setting, from the environment variable {var} (check the spelling)"));
        }
        if r.errors.is_empty() { Ok(config) } else { Err(r.errors) }
    }

    /// A configuration for tests and embedding: everything default, data under `data_dir`.
    pub fn for_data_dir(data_dir: &Path) -> Result<Self, Vec<ConfigError>> {
        Self::load(&ConfigSources {
            file: Some(PathBuf::new()),
            env: Some(HashMap::new()),
            overrides: vec![("data_dir".into(), data_dir.display().to_string())],
        })
    }

    /// Records the address actually bound (`listen` may ask for port 0) and, when `public_url`
    /// was derived from `listen`, derives it again from the real address.
    pub fn bind_to(&mut self, local: SocketAddr) {
        self.listen = local;
        if self.public_url_is_default {
            let scheme = if self.tls.is_some() { "https" } else { "http" };
            if let Ok(url) = Url::parse(&format!("{scheme}://{}/", display_host(local))) {
                self.public_url = url;
            }
        }
    }

    /// True when the database is SQLite.
    pub fn is_sqlite(&self) -> bool {
        use secrecy::ExposeSecret;
        self.database.url.expose_secret().starts_with("sqlite:")
    }
}

/// The settings given in the file, in the environment, and all of them merged.
struct Gathered {
    file: HashMap<String, config::Value>,
    env: HashMap<String, config::Value>,
    merged: HashMap<String, config::Value>,
}

/// Reads the file and the environment; returns the file's own keys and the merged ones.
fn gather(sources: &ConfigSources) -> Result<Gathered, Vec<ConfigError>> {
    let file_source = match &sources.file {
        Some(p) if p.as_os_str().is_empty() => None,
        Some(p) => Some(File::from(p.as_path()).format(FileFormat::Toml).required(true)),
        None => Some(File::new("keystead.toml", FileFormat::Toml).required(false)),
    };
    let file_label = sources.file.as_ref().map_or_else(|| "keystead.toml".to_owned(), |p| p.display().to_string());
    let as_errors = |e: config::ConfigError| {
        vec![ConfigError { key: file_label.clone(), message: one_line(&e.to_string(), &file_label) }]
    };

    let mut file_only = config::Config::builder();
    if let Some(f) = file_source.clone() {
        file_only = file_only.add_source(f);
    }
    let file_table = file_only.build().map_err(as_errors)?;
    let mut file_values = HashMap::new();
    flatten("", file_table.cache, &mut file_values);

    let env = Environment::with_prefix("KEYSTEAD").prefix_separator("_").separator("__").source(sources.env.clone());
    let env_table = config::Config::builder().add_source(env.clone()).build().map_err(as_errors)?;
    let mut env_values = HashMap::new();
    flatten("", env_table.cache, &mut env_values);
    // Variables for the test suite and the CLI itself share the prefix but are not settings.
    env_values.retain(|k, _| !["test_", "require_", "config"].iter().any(|p| k.starts_with(p)));

    let mut builder = config::Config::builder();
    if let Some(f) = file_source {
        builder = builder.add_source(f);
    }
    builder = builder.add_source(env);
    for (k, v) in &sources.overrides {
        builder = builder.set_override(k.as_str(), v.as_str()).map_err(as_errors)?;
    }
    let merged = builder.build().map_err(as_errors)?;
    let mut merged_values = HashMap::new();
    flatten("", merged.cache, &mut merged_values);
    Ok(Gathered { file: file_values, env: env_values, merged: merged_values })
}

/// Folds a parser's multi-line report (with its source excerpt) into one line.
fn one_line(message: &str, file_label: &str) -> String {
    let is_excerpt = |l: &str| {
        let t = l.trim();
        t.is_empty() || t.starts_with('|') || t.split_once(" |").is_some_and(|(n, _)| n.trim().parse::<u32>().is_ok())
    };
    let parts: Vec<&str> = message.lines().filter(|l| !is_excerpt(l)).map(str::trim).collect();
    let joined = parts.join(": ");
    let joined = joined.trim_end_matches(&format!(": in {file_label}")).trim_end_matches(&format!(" in {file_label}"));
    joined.trim_start_matches(&format!("{file_label}: ")).to_owned()
}

fn read_rate_limits(r: &mut Reader) -> RateLimitConfig {
    let mut limit = |key: &str, default: i64| i32::try_from(r.number(key, default, 1..=1_000_000)).unwrap_or(1_000_000);
    RateLimitConfig {
        sign_in_per_ip: limit("rate_limits.sign_in_per_ip", 100),
        register_per_ip: limit("rate_limits.register_per_ip", 20),
        reset_per_ip: limit("rate_limits.reset_per_ip", 20),
        api_per_token: limit("rate_limits.api_per_token", 600),
    }
}

fn read_all(r: &mut Reader) -> Config {
    let listen = r
        .parsed("listen", |s| {
            s.parse::<SocketAddr>().map_err(|_| "expected an address and port such as 127.0.0.1:8080".into())
        })
        .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080)));
    let metrics_listen = read_metrics_listen(r, listen);
    let tls = read_tls(r);
    let scheme = if tls.is_some() { "https" } else { "http" };
    let default_public = Url::parse(&format!("{scheme}://{}/", display_host(listen))).ok();
    let given_public_url = r.parsed("public_url", parse_public_url);
    let public_url_is_default = given_public_url.is_none();
    let public_url = given_public_url.or(default_public).unwrap_or_else(fallback_url);
    let data_dir = PathBuf::from(r.string("data_dir", "./data"));
    let licenses = read_licenses(r, &data_dir);
    let default_db = format!("sqlite://{}", data_dir.join("keystead.db").display());
    let db_url = r
        .parsed("database_url", |s| {
            if s.starts_with("sqlite:") || s.starts_with("postgres://") || s.starts_with("postgresql://") {
                Ok(s.to_owned())
            } else {
                Err("expected sqlite://PATH or postgres://USER@HOST/DB".into())
            }
        })
        .unwrap_or(default_db);
    let database = DatabaseConfig {
        url: SecretString::from(db_url),
        max_connections: u32::try_from(r.number("database_max_connections", 10, 1..=1000)).unwrap_or(10),
    };
    let master_key = match r.opt_string("master_key") {
        Some(key) => MasterKeySource::Inline(SecretString::from(key)),
        None => MasterKeySource::File(
            r.opt_string("master_key_file").map_or_else(|| data_dir.join("master.key"), PathBuf::from),
        ),
    };
    let trusted_proxies = r
        .list("trusted_proxies")
        .iter()
        .filter_map(|s| match IpNet::parse(s) {
            Ok(net) => Some(net),
            Err(msg) => {
                r.error("trusted_proxies", format!("{msg} (got {s:?})"));
                None
            }
        })
        .collect();
    let site_name = r.string("site_name", "Keystead");
    Config {
        seller: invoices::read_seller(r, &site_name),
        site_name,
        interface: interface::read_interface(r),
        listen,
        metrics_listen,
        public_url,
        public_url_is_default,
        http: read_http(r),
        passwords: read_passwords(r),
        mail: read_mail(r, &data_dir),
        jobs: read_jobs(r),
        log: read_log(r),
        registration: read_registration(r),
        sessions: read_sessions(r),
        password_policy: read_password_policy(r),
        profile: read_profile(r),
        accounts: AccountsConfig {
            closing_grace: time::Duration::days(r.number("accounts.closing_grace_days", 30, 1..=3650)),
        },
        rate_limits: read_rate_limits(r),
        data_dir,
        database,
        master_key,
        tls,
        trusted_proxies,
        mfa: MfaConfig { required: r.boolean("mfa.required", false) },
        organizations: read_organizations(r),
        licenses,
        oauth: read_oauth(r),
        social: social::read_social(r),
        outbound: OutboundConfig { allow_private_networks: r.boolean("outbound.allow_private_networks", false) },
        webhooks: read_webhooks(r),
    }
}

fn read_webhooks(r: &mut Reader) -> WebhooksConfig {
    WebhooksConfig {
        disable_after: time::Duration::days(r.number("webhooks.disable_after_days", 5, 1..=30)),
        timeout: Duration::from_millis(r.number("webhooks.timeout_ms", 10_000, 500..=60_000).unsigned_abs()),
    }
}

/// `metrics_listen`: an address and port, not the same as `listen` (port 0 asks for any port).
fn read_metrics_listen(r: &mut Reader, listen: SocketAddr) -> Option<SocketAddr> {
    let addr = r.parsed("metrics_listen", |s| {
        s.parse::<SocketAddr>().map_err(|_| "expected an address and port such as 127.0.0.1:9090".into())
    })?;
    if addr == listen && addr.port() != 0 {
        r.error("metrics_listen", format!("must differ from listen ({listen}): metrics are kept off the public port"));
        return None;
    }
    Some(addr)
}

fn read_organizations(r: &mut Reader) -> OrganizationsConfig {
    OrganizationsConfig {
        users_may_create: r.boolean("organizations.users_may_create", false),
        dns_resolver: r.parsed("organizations.dns_resolver", |s| {
            s.parse::<SocketAddr>().map_err(|_| "expected an address and port such as 127.0.0.1:53".into())
        }),
        dns_timeout: std::time::Duration::from_secs(
            u64::try_from(r.number("organizations.dns_timeout_seconds", 5, 1..=60)).unwrap_or(5),
        ),
    }
}

fn read_licenses(r: &mut Reader, data_dir: &std::path::Path) -> LicensesConfig {
    LicensesConfig {
        no_license_url: r.parsed("licenses.no_license_url", |s| {
            let url = Url::parse(s.trim()).map_err(|e| format!("expected an absolute http(s) URL: {e}"))?;
            if matches!(url.scheme(), "http" | "https") && url.has_host() {
                Ok(url)
            } else {
                Err("expected an absolute http:// or https:// URL".into())
            }
        }),
        downloads_dir: r
            .parsed("licenses.downloads_dir", |s| {
                if s.trim().is_empty() { Err("must not be empty".into()) } else { Ok(PathBuf::from(s.trim())) }
            })
            .unwrap_or_else(|| data_dir.join("downloads")),
        download_link_ttl: time::Duration::seconds(r.number("licenses.download_link_seconds", 300, 10..=86_400)),
        offline_token_ttl: time::Duration::days(r.number("licenses.offline_token_days", 14, 1..=365)),
        briefcase_max_bytes: usize::try_from(r.number("licenses.briefcase_max_kib", 64, 1..=10_240) * 1024)
            .unwrap_or(64 * 1024),
    }
}

fn read_oauth(r: &mut Reader) -> crate::oauth::OAuthConfig {
    crate::oauth::OAuthConfig {
        access_token_ttl: time::Duration::minutes(r.number("oauth.access_token_minutes", 10, 1..=1440)),
        id_token_ttl: time::Duration::minutes(r.number("oauth.id_token_minutes", 60, 1..=1440)),
        refresh_token_ttl: time::Duration::days(r.number("oauth.refresh_token_days", 30, 1..=3650)),
        key_rotation: time::Duration::days(r.number("oauth.key_rotation_days", 90, 1..=3650)),
        key_publish_ahead: time::Duration::hours(r.number("oauth.key_publish_ahead_hours", 24, 0..=720)),
        access_token_alg: {
            let alg = r.string("oauth.access_token_alg", "ES256");
            crate::oauth::SigningAlg::parse(&alg).unwrap_or_else(|| {
                r.error("oauth.access_token_alg", format!("expected RS256, ES256 or EdDSA, got {alg:?}"));
                crate::oauth::SigningAlg::Es256
            })
        },
        dpop_nonce_required: r.boolean("oauth.dpop_nonce_required", false),
    }
}

fn display_host(listen: SocketAddr) -> String {
    match listen.ip() {
        ip if ip.is_unspecified() => format!("localhost:{}", listen.port()),
        IpAddr::V6(ip) => format!("[{ip}]:{}", listen.port()),
        IpAddr::V4(ip) => format!("{ip}:{}", listen.port()),
    }
}

fn fallback_url() -> Url {
    Url::parse("http://127.0.0.1:8080/").unwrap_or_else(|_| unreachable_url())
}

#[expect(clippy::unwrap_used, reason = "a constant URL that parses")]
fn unreachable_url() -> Url {
    Url::parse("http://localhost/").unwrap()
}

fn parse_public_url(s: &str) -> Result<Url, String> {
    let expected = "expected an absolute http(s) URL such as https://accounts.example.com";
    let mut url = Url::parse(s).map_err(|_| expected.to_owned())?;
    if !matches!(url.scheme(), "http" | "https")
        || url.host().is_none()
        || url.query().is_some()
        || url.fragment().is_some()
    {
        return Err(expected.to_owned());
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

fn read_tls(r: &mut Reader) -> Option<TlsConfig> {
    let cert = r.opt_string("tls.cert_file");
    let key = r.opt_string("tls.key_file");
    match (cert, key) {
        (Some(cert_file), Some(key_file)) => Some(TlsConfig { cert_file: cert_file.into(), key_file: key_file.into() }),
        (None, None) => None,
        (Some(_), None) => {
            r.error("tls.key_file", "required when tls.cert_file is set");
            None
        }
        (None, Some(_)) => {
            r.error("tls.cert_file", "required when tls.key_file is set");
            None
        }
    }
}

fn seconds(r: &mut Reader, key: &str, default: i64, max: i64) -> Duration {
    Duration::from_secs(u64::try_from(r.number(key, default, 1..=max)).unwrap_or(1))
}

fn read_http(r: &mut Reader) -> HttpConfig {
    HttpConfig {
        body_limit: usize::try_from(r.number("http.body_limit_kib", 64, 1..=102_400)).unwrap_or(64) * 1024,
        request_timeout: seconds(r, "http.request_timeout_seconds", 30, 3600),
        shutdown_grace: seconds(r, "http.shutdown_grace_seconds", 10, 600),
    }
}

fn read_passwords(r: &mut Reader) -> PasswordHashConfig {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    let to_u32 = |n: i64| u32::try_from(n).unwrap_or(1);
    let to_usize = |n: i64| usize::try_from(n).unwrap_or(1);
    let workers = to_usize(r.number("passwords.workers", i64::try_from(cores).unwrap_or(2), 1..=256));
    PasswordHashConfig {
        memory_kib: to_u32(r.number("passwords.memory_kib", 19_456, 8..=4_194_304)),
        iterations: to_u32(r.number("passwords.iterations", 2, 1..=100)),
        parallelism: to_u32(r.number("passwords.parallelism", 1, 1..=64)),
        queue: to_usize(r.number("passwords.queue", i64::try_from(workers * 8).unwrap_or(16), 0..=100_000)),
        workers,
        release_memory_after: seconds(r, "passwords.release_memory_after_seconds", 60, 86_400),
    }
}

fn read_mail(r: &mut Reader, data_dir: &Path) -> MailConfig {
    let from = r
        .parsed("mail.from", |s| {
            s.parse::<lettre::message::Mailbox>()
                .map(|_| s.to_owned())
                .map_err(|_| "expected an address such as Example Accounts <accounts@example.com>".into())
        })
        .unwrap_or_else(|| "Keystead <no-reply@localhost>".to_owned());
    let transport = match r.choice("mail.transport", "file", &["file", "log", "smtp"]) {
        "log" => MailTransportConfig::Log,
        "smtp" => MailTransportConfig::Smtp(read_smtp(r)),
        _ => MailTransportConfig::File {
            dir: r.opt_string("mail.dir").map_or_else(|| data_dir.join("mail"), PathBuf::from),
        },
    };
    MailConfig {
        from,
        transport,
        max_attempts: u32::try_from(r.number("mail.max_attempts", 12, 1..=100)).unwrap_or(12),
    }
}

fn read_smtp(r: &mut Reader) -> SmtpConfig {
    let host = r.opt_string("mail.smtp.host").unwrap_or_else(|| {
        r.error("mail.smtp.host", "required when mail.transport is smtp");
        String::new()
    });
    let security = match r.choice("mail.smtp.security", "starttls", &["starttls", "tls", "plain"]) {
        "tls" => SmtpSecurity::Tls,
        "plain" => SmtpSecurity::Plain,
        _ => SmtpSecurity::StartTls,
    };
    let default_port = match security {
        SmtpSecurity::StartTls => 587,
        SmtpSecurity::Tls => 465,
        SmtpSecurity::Plain => 25,
    };
    let username = r.opt_string("mail.smtp.username");
    let password = r.opt_string("mail.smtp.password").map(SecretString::from);
    if username.is_some() != password.is_some() {
        r.error("mail.smtp.password", "mail.smtp.username and mail.smtp.password go together");
    }
    SmtpConfig {
        host,
        port: u16::try_from(r.number("mail.smtp.port", default_port, 1..=65_535)).unwrap_or(default_port as u16),
        security,
        username,
        password,
        timeout: seconds(r, "mail.smtp.timeout_seconds", 30, 600),
    }
}

fn read_jobs(r: &mut Reader) -> JobsConfig {
    JobsConfig {
        enabled: r.boolean("jobs.enabled", true),
        poll_interval: Duration::from_millis(
            u64::try_from(r.number("jobs.poll_interval_ms", 1000, 10..=600_000)).unwrap_or(1000),
        ),
        lease: seconds(r, "jobs.lease_seconds", 120, 86_400),
    }
}

fn read_registration(r: &mut Reader) -> RegistrationConfig {
    let mode = match r.choice("registration.mode", "open", &["open", "invite_only"]) {
        "invite_only" => RegistrationMode::InviteOnly,
        _ => RegistrationMode::Open,
    };
    let require_work_email = r.boolean("registration.require_work_email", false);
    let domains = match r.opt_string("registration.free_email_domains_file") {
        Some(path) => match std::fs::read_to_string(&path) {
            Ok(text) => crate::accounts::email::parse_domain_list(&text),
            Err(e) => {
                r.error("registration.free_email_domains_file", format!("cannot read {path}: {e}"));
                crate::accounts::email::shipped_free_email_domains()
            }
        },
        None => crate::accounts::email::shipped_free_email_domains(),
    };
    RegistrationConfig { mode, require_work_email, free_email_domains: std::sync::Arc::new(domains) }
}

fn read_sessions(r: &mut Reader) -> SessionConfig {
    let idle = r.number("sessions.idle_days", 14, 1..=365);
    let absolute = r.number("sessions.absolute_days", 90, 1..=3650);
    if absolute < idle {
        r.error("sessions.absolute_days", "must be at least sessions.idle_days");
    }
    SessionConfig { idle: time::Duration::days(idle), absolute: time::Duration::days(absolute.max(idle)) }
}

fn read_password_policy(r: &mut Reader) -> crate::accounts::password_policy::PasswordPolicy {
    let defaults = crate::accounts::password_policy::PasswordPolicy::default();
    let to_usize = |n: i64| usize::try_from(n).unwrap_or(10);
    let min_length = to_usize(r.number("password_policy.min_length", 10, 1..=128));
    let max_length = to_usize(r.number("password_policy.max_length", 128, 8..=1024));
    if max_length < min_length {
        r.error("password_policy.max_length", "must be at least password_policy.min_length");
    }
    let min_strength =
        r.raw_present("password_policy.min_strength").then(|| r.number("password_policy.min_strength", 0, 0..=4));
    let max_age =
        r.raw_present("password_policy.max_age_days").then(|| r.number("password_policy.max_age_days", 90, 1..=3650));
    crate::accounts::password_policy::PasswordPolicy {
        min_length,
        max_length: max_length.max(min_length),
        require_lowercase: r.boolean("password_policy.require_lowercase", defaults.require_lowercase),
        require_uppercase: r.boolean("password_policy.require_uppercase", defaults.require_uppercase),
        require_digit: r.boolean("password_policy.require_digit", defaults.require_digit),
        require_symbol: r.boolean("password_policy.require_symbol", defaults.require_symbol),
        reject_common: r.boolean("password_policy.reject_common", defaults.reject_common),
        reject_personal_data: r.boolean("password_policy.reject_personal_data", defaults.reject_personal_data),
        min_strength: min_strength.and_then(|n| u8::try_from(n).ok()),
        max_age_days: max_age.and_then(|n| u32::try_from(n).ok()),
        history: u32::try_from(r.number("password_policy.history", 0, 0..=24)).unwrap_or(0),
    }
}

fn read_profile(r: &mut Reader) -> crate::accounts::profile::ProfileFields {
    use crate::accounts::profile::{FieldRule, ProfileField, ProfileFields};
    let mut fields = ProfileFields::default();
    for field in ProfileField::ALL {
        let key = format!("profile.{}", field.name());
        let default = fields.rule(field).as_str();
        let rule = match r.choice(&key, default, &["required", "optional", "hidden"]) {
            "required" => FieldRule::Required,
            "optional" => FieldRule::Optional,
            _ => FieldRule::Hidden,
        };
        fields.set(field, rule);
    }
    fields
}

fn read_log(r: &mut Reader) -> LogConfig {
    let format = match r.choice("log.format", "text", &["text", "json"]) {
        "json" => LogFormat::Json,
        _ => LogFormat::Text,
    };
    LogConfig { format, level: r.string("log.level", "info") }
}

#[cfg(test)]
mod tests;
