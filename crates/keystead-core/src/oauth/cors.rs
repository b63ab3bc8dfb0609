//! Which web origins may call the provider's endpoints from a browser (CORS): the origins of the
//! registered redirect URIs of public clients — a browser application is a public client, and
//! the page that receives its code is on its own origin. A loopback redirect URI (RFC 8252 §7.3:
//! any port) allows its loopback host on any port. Confidential clients keep their secret on a
//! server and never call from a page, so their origins are not allowed.
//!
//! The set is read from the database and kept per node: reused for [`FRESH_FOR`]; an origin not
//! in it reads it again at most once every [`RETRY_AFTER`], so a newly registered application
//! works at once on every node without a lookup per request from unknown origins. Removing a
//! client's origin takes effect within [`FRESH_FOR`]. CORS is not what protects these endpoints
//! (codes, PKCE, tokens and client authentication are): it only lets a page read the answer.

use std::collections::HashSet;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use super::ClientKind;
use super::clients::Client;
use crate::Core;
use crate::error::Result;
use crate::store::oauth as store;

/// How long the origin set is reused.
pub const FRESH_FOR: Duration = Duration::from_secs(30);
/// How soon an unknown origin may cause the set to be read again.
pub const RETRY_AFTER: Duration = Duration::from_secs(1);

/// The origin set of one node and when it was read.
#[derive(Debug, Default)]
pub(crate) struct OriginCache(RwLock<Option<(Instant, Arc<Origins>)>>);

/// Allowed origins: exact ones (`https://app.example`, with an explicit non-default port), and
/// loopback hosts allowed on any port (`http://127.0.0.1`).
#[derive(Debug, Default, PartialEq, Eq)]
struct Origins {
    exact: HashSet<String>,
    loopback: HashSet<String>,
}

impl Origins {
    /// The origins of `clients`' redirect URIs (kind and URIs of each client).
    fn of<'a>(clients: impl IntoIterator<Item = (ClientKind, &'a [String])>) -> Self {
        let mut o = Self::default();
        let public = clients.into_iter().filter(|(kind, _)| *kind == ClientKind::Public);
        for uri in public.flat_map(|(_, uris)| uris) {
            let Ok(u) = url::Url::parse(uri) else { continue };
            if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none() {
                continue;
            }
            if is_loopback(&u) {
                o.loopback.insert(format!("{}://{}", u.scheme(), u.host_str().unwrap_or_default()));
            } else {
                o.exact.insert(u.origin().ascii_serialization());
            }
        }
        o
    }

    fn allows(&self, origin: &str) -> bool {
        if self.exact.contains(origin) {
            return true;
        }
        let Ok(u) = url::Url::parse(origin) else { return false };
        // An origin is scheme://host[:port] and nothing else.
        if u.origin().ascii_serialization() != origin || !is_loopback(&u) {
            return false;
        }
        self.loopback.contains(&format!("{}://{}", u.scheme(), u.host_str().unwrap_or_default()))
    }
}

fn is_loopback(u: &url::Url) -> bool {
    match u.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

impl Core {
    /// True when a page on `origin` (the `Origin` header, e.g. `https://app.example`) may read
    /// the answers of the token, userinfo, revocation, device, discovery and JWKS endpoints.
    pub async fn browser_origin_allowed(&self, origin: &str) -> Result<bool> {
        let cache = &self.inner_browser_origins().0;
        let cached = cache.read().ok().and_then(|c| c.clone());
        if let Some((at, origins)) = &cached {
            let age = at.elapsed();
            if age < FRESH_FOR && (origins.allows(origin) || age < RETRY_AFTER) {
                return Ok(origins.allows(origin));
            }
        }
        let clients: Vec<Client> = {
            let mut conn = self.store().conn().await?;
            store::list_clients(conn.db()).await?.into_iter().map(Client::from).collect()
        };
        let origins = Arc::new(Origins::of(clients.iter().map(|c| (c.kind, c.redirect_uris.as_slice()))));
        let allowed = origins.allows(origin);
        if let Ok(mut c) = cache.write() {
            *c = Some((Instant::now(), origins));
        }
        Ok(allowed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(kind: ClientKind, uris: &[&str]) -> (ClientKind, Vec<String>) {
        (kind, uris.iter().map(|u| (*u).to_owned()).collect())
    }

    #[test]
    fn public_clients_redirect_origins_are_allowed_and_nothing_else() {
        let clients = [
            client(
                ClientKind::Public,
                &["https://spa.example/cb", "https://spa.example:8443/cb", "com.example.app:/cb"],
            ),
            client(ClientKind::Public, &["http://127.0.0.1/callback", "http://localhost:3000/cb"]),
            client(ClientKind::Confidential, &["https://server.example/cb"]),
        ];
        let o = Origins::of(clients.iter().map(|(k, u)| (*k, u.as_slice())));
        assert!(o.allows("https://spa.example"));
        assert!(o.allows("https://spa.example:8443"));
        assert!(!o.allows("http://spa.example"), "the scheme is part of the origin");
        assert!(!o.allows("https://spa.example.evil.example"));
        assert!(!o.allows("https://server.example"), "a confidential client calls from its server");
        assert!(o.allows("http://127.0.0.1:5173"), "loopback on any port (RFC 8252 §7.3)");
        assert!(o.allows("http://localhost:8080"));
        assert!(!o.allows("http://127.0.0.1:5173/path"), "an origin has no path");
        assert!(!o.allows("null"));
        assert!(!o.allows("*"));
        assert!(!o.allows(""));
    }
}
