//! Keystead's core: everything but HTTP. Features own their transactions and permission checks;
//! the web layer, the CLI and the job runner all call the same functions.

pub mod accounts;
pub mod agreements;
pub mod api_tokens;
pub mod audit;
pub mod branding;
pub mod clock;
pub mod config;
pub mod courses;
pub mod crypto;
pub mod dashboard;
pub mod error;
pub mod i18n;
pub mod ids;
pub mod invoices;
pub mod jobs;
pub mod licensing;
pub mod mail;
pub mod mfa;
pub mod oauth;
pub mod operators;
pub mod organizations;
pub mod outbound;
pub mod passwords;
pub mod rate_limit;
pub mod scim;
pub mod sessions;
pub mod sso;
pub mod store;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
#[cfg(test)]
mod validation_props;
pub mod webhooks;

use std::sync::Arc;

pub use error::{Code, Error, FieldError, FieldErrors, Result};

use clock::SharedClock;
use config::Config;
use crypto::{MasterKey, MasterKeyOrigin, SecretBox};
use mail::Mailer;
use passwords::HashPool;
use store::Store;

/// The running application core: configuration, database, clock, password pool, secrets box and
/// mailer. Cheap to clone (one shared inner value).
#[derive(Clone, Debug)]
pub struct Core {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: Config,
    store: Store,
    clock: SharedClock,
    passwords: HashPool,
    secrets: SecretBox,
    mailer: Mailer,
    master_key_origin: MasterKeyOrigin,
    cookie_keys: CookieKeys,
    code_key: Redacted<zeroize::Zeroizing<[u8; 32]>>,
    /// The key download links are signed with (HMAC).
    download_link_key: Redacted<zeroize::Zeroizing<[u8; 32]>>,
    /// Image decodes allowed at once (each may use up to 256 MB).
    image_decodes: tokio::sync::Semaphore,
    /// TOTP secrets at rest, under their own derived key.
    mfa_secrets: SecretBox,
    /// Parsed OAuth signing keys.
    oauth_keys: oauth::keys::KeyCache,
    /// The web origins allowed to call the provider from a browser, per node.
    browser_origins: oauth::cors::OriginCache,
    /// Discovery of the social sign-in presets, per node.
    social_discovery: sso::social::DiscoveryCache,
    /// The deployment's accent stylesheet and logo.
    brand: branding::Brand,
}

/// Hides a secret from `Debug`.
struct Redacted<T>(T);

impl<T> std::fmt::Debug for Redacted<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Keys derived for cookies; `Debug` shows nothing of them.
struct CookieKeys(zeroize::Zeroizing<[u8; 32]>, zeroize::Zeroizing<[u8; 32]>);

impl std::fmt::Debug for CookieKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CookieKeys([redacted])")
    }
}

impl Core {
    /// Opens the core: loads (or generates) the master key, connects to the database, starts the
    /// password pool and builds the mailer. Does not migrate: see [`Store::migrate`].
    pub async fn open(config: Config, clock: SharedClock) -> anyhow::Result<Self> {
        let (master_key, master_key_origin) = MasterKey::load(&config.master_key)?;
        let secrets = SecretBox::new(&master_key)?;
        let mfa_secrets = SecretBox::for_purpose(&master_key, "secrets at rest: totp")?;
        let code_key = Redacted(master_key.derive("emailed codes"));
        let download_link_key = Redacted(master_key.derive("download-links"));
        let cookie_keys = CookieKeys(master_key.derive("cookies: signing"), master_key.derive("cookies: encryption"));
        let store = Store::connect(&config.database).await?;
        let passwords = HashPool::start(&config.passwords)?;
        let mailer = Mailer::new(&config.mail.transport)?;
        let brand = branding::Brand::load(config.interface.logo_file.as_deref())?;
        Ok(Self {
            inner: Arc::new(Inner {
                config,
                store,
                clock,
                passwords,
                secrets,
                mailer,
                master_key_origin,
                cookie_keys,
                code_key,
                download_link_key,
                image_decodes: tokio::sync::Semaphore::new(2),
                mfa_secrets,
                oauth_keys: oauth::keys::KeyCache::default(),
                browser_origins: oauth::cors::OriginCache::default(),
                social_discovery: sso::social::DiscoveryCache::default(),
                brand,
            }),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The clock.
    pub fn clock(&self) -> &SharedClock {
        &self.inner.clock
    }

    /// The password hashing pool.
    pub fn passwords(&self) -> &HashPool {
        &self.inner.passwords
    }

    /// Encryption of secrets at rest.
    pub fn secrets(&self) -> &SecretBox {
        &self.inner.secrets
    }

    /// The mail transport.
    pub fn mailer(&self) -> &Mailer {
        &self.inner.mailer
    }

    /// Where the master key came from (the server warns when it was generated beside the data).
    pub fn master_key_origin(&self) -> &MasterKeyOrigin {
        &self.inner.master_key_origin
    }

    /// 64 bytes derived from the master key for signing and encrypting cookies.
    pub fn cookie_key_material(&self) -> zeroize::Zeroizing<Vec<u8>> {
        let mut out = zeroize::Zeroizing::new(Vec::with_capacity(64));
        out.extend_from_slice(self.inner.cookie_keys.0.as_ref());
        out.extend_from_slice(self.inner.cookie_keys.1.as_ref());
        out
    }

    /// The key under which emailed codes are stored (HMAC).
    pub(crate) fn code_key(&self) -> &[u8] {
        self.inner.code_key.0.as_ref()
    }

    /// A short tag (base64url of the first `len` bytes of an HMAC-SHA256 under the code key)
    /// over `label` and `parts`: what the server hands out and later checks with
    /// [`Core::tag_matches`] (DPoP nonces, re-authentication marks), without storing it.
    pub(crate) fn code_tag(&self, label: &[u8], parts: &[&[u8]], len: usize) -> String {
        use base64::Engine;
        use hmac::{KeyInit, Mac};
        let Ok(mut mac) = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(self.code_key()) else {
            return String::new();
        };
        mac.update(label);
        for p in parts {
            mac.update(p);
        }
        let digest = mac.finalize().into_bytes();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..len.min(digest.len())])
    }

    /// True when `presented` is the tag [`Core::code_tag`] makes for these inputs (in constant time).
    pub(crate) fn tag_matches(&self, presented: &str, label: &[u8], parts: &[&[u8]], len: usize) -> bool {
        let expected = self.code_tag(label, parts, len);
        !expected.is_empty() && bool::from(subtle::ConstantTimeEq::ct_eq(expected.as_bytes(), presented.as_bytes()))
    }

    /// The key download links are signed with (HMAC).
    pub(crate) fn download_link_key(&self) -> &[u8] {
        self.inner.download_link_key.0.as_ref()
    }

    /// A place to decode an uploaded image, or `Overloaded` when two are already running.
    pub(crate) fn image_decode_permit(&self) -> Result<tokio::sync::SemaphorePermit<'_>> {
        self.inner.image_decodes.try_acquire().map_err(|_| Error::Overloaded)
    }

    /// The box that seals TOTP secrets.
    pub(crate) fn mfa_secrets(&self) -> &SecretBox {
        &self.inner.mfa_secrets
    }

    /// The cache of parsed OAuth signing keys.
    pub(crate) fn oauth_key_cache(&self) -> &oauth::keys::KeyCache {
        &self.inner.oauth_keys
    }

    /// The cached origins of browser applications (CORS).
    pub(crate) fn inner_browser_origins(&self) -> &oauth::cors::OriginCache {
        &self.inner.browser_origins
    }

    /// The social presets' cached discovery.
    pub(crate) fn social_discovery(&self) -> &sso::social::DiscoveryCache {
        &self.inner.social_discovery
    }

    /// The product name shown on pages and in emails.
    pub fn site_name(&self) -> &str {
        &self.inner.config.site_name
    }
}
