//! Shared state handed to every handler.

use std::sync::Arc;

use axum::extract::FromRef;
use axum_extra::extract::cookie::Key;
use keystead_core::Core;
use metrics_exporter_prometheus::PrometheusHandle;

/// What handlers share: the core, the metrics handle and the cookie-signing key.
#[derive(Clone)]
pub struct AppState {
    /// The application core.
    pub core: Core,
    inner: Arc<Inner>,
}

struct Inner {
    metrics: PrometheusHandle,
    cookie_key: Key,
    secure_cookies: bool,
    discovery: axum::body::Bytes,
}

impl AppState {
    /// Builds the state; the cookie key is derived from the master key's box.
    pub fn new(core: Core, metrics: PrometheusHandle) -> Self {
        let material = core.cookie_key_material();
        let cookie_key = Key::from(material.as_slice());
        let secure_cookies = core.config().public_url.scheme() == "https";
        let discovery = crate::oauth::discovery_document(&core);
        Self { core, inner: Arc::new(Inner { metrics, cookie_key, secure_cookies, discovery }) }
    }

    /// The OpenID Connect discovery document, serialised when the server started (it depends
    /// only on the configuration).
    pub fn discovery_document(&self) -> axum::body::Bytes {
        self.inner.discovery.clone()
    }

    /// The Prometheus registry handle.
    pub fn metrics(&self) -> &PrometheusHandle {
        &self.inner.metrics
    }

    /// True when the deployment is served over HTTPS: cookies get `Secure` and the `__Host-` prefix.
    pub fn secure_cookies(&self) -> bool {
        self.inner.secure_cookies
    }

    /// A cookie name with the `__Host-` prefix when cookies are secure.
    pub fn cookie_name(&self, base: &str) -> String {
        if self.secure_cookies() { format!("__Host-{base}") } else { base.to_owned() }
    }
}

impl FromRef<AppState> for Key {
    fn from_ref(state: &AppState) -> Self {
        state.inner.cookie_key.clone()
    }
}
