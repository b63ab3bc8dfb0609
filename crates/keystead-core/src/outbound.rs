//! Requests Keystead makes to URLs that operators or clients gave it (back-channel logout tokens
//! today, webhooks later). Such a URL must not become a way into the network Keystead runs in
//! (server-side request forgery, RFC 9700 §4.x, OWASP SSRF prevention): unless the deployment sets
//! `outbound.allow_private_networks`, only public addresses are connected to. A name is resolved
//! by our own resolver, which drops every non-public address, so a name that points at
//! `127.0.0.1` or `10.0.0.5` (or is re-pointed there later, "DNS rebinding") cannot be reached;
//! addresses written as literals are checked before the request. No proxy (it would resolve the
//! name itself) and no redirects (a public server could redirect to a private one).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use anyhow::Context as _;

/// True for an address on the public internet: not loopback, private (RFC 1918, RFC 4193),
/// link-local, shared (RFC 6598), documentation, benchmarking, multicast, reserved or
/// unspecified. IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4) are judged by it.
/// (`IpAddr::is_global` is not stable yet.)
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(a == 0 // "this network" (RFC 791)
        || a == 10 // private (RFC 1918)
        || a == 127 // loopback
        || (a == 100 && (64..128).contains(&b)) // shared address space (RFC 6598)
        || (a == 169 && b == 254) // link-local, cloud metadata endpoints
        || (a == 172 && (16..32).contains(&b)) // private
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments (RFC 6890)
        || (a == 192 && b == 0 && c == 2) // documentation (RFC 5737)
        || (a == 192 && b == 168) // private
        || (a == 198 && (b == 18 || b == 19)) // benchmarking (RFC 2544)
        || (a == 198 && b == 51 && c == 100) // documentation
        || (a == 203 && b == 0 && c == 113) // documentation
        || a >= 224) // multicast, reserved, broadcast
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let s = ip.segments();
    let embedded = |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        return is_public_v4(embedded(s[6], s[7])); // NAT64 (RFC 6052)
    }
    if s[0] == 0x2002 {
        return is_public_v4(embedded(s[1], s[2])); // 6to4 (RFC 3056)
    }
    !(ip.is_unspecified()
        || ip.is_loopback()
        || s[0..6] == [0, 0, 0, 0, 0, 0] // IPv4-compatible (deprecated)
        || (s[0] & 0xfe00) == 0xfc00 // unique local (RFC 4193)
        || (s[0] & 0xffc0) == 0xfe80 // link-local
        || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
        || (s[0] & 0xff00) == 0xff00 // multicast
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation (RFC 3849)
        || (s[0] == 0x2001 && s[1] == 0) // Teredo (RFC 4380)
        || (s[0] == 0x0100 && s[1..4] == [0, 0, 0])) // discard-only (RFC 6666)
}

/// Why a URL may not be requested, in words for the operator; `None` when it may.
/// Checks the scheme and an address written as a literal; names are checked as they resolve.
pub fn refusal(url: &str, allow_private: bool) -> Option<String> {
    let parsed = match url::Url::parse(url) {
        Ok(u) => u,
        Err(_) => return Some(format!("{url:?} is not an absolute URL")),
    };
    if !matches!(parsed.scheme(), "https" | "http") {
        return Some(format!("{url:?} must use https or http"));
    }
    let ip = match parsed.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip),
        Some(url::Host::Domain(_)) => return None,
        None => return Some(format!("{url:?} has no host")),
    };
    (!allow_private && !is_public(ip)).then(|| {
        format!("{ip} is not a public address (set outbound.allow_private_networks = true to allow private networks)")
    })
}

/// Resolves with the system resolver and keeps only public addresses.
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = found.into_iter().filter(|a| is_public(a.ip())).collect();
            if public.is_empty() {
                return Err(format!(
                    "{host} resolves to no public address (set outbound.allow_private_networks = true to allow private networks)"
                )
                .into());
            }
            Ok(Box::new(public.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// An HTTP client for outbound requests: no redirects, no proxy, `timeout` per request and,
/// unless `allow_private`, public addresses only.
pub fn client(allow_private: bool, timeout: Duration) -> anyhow::Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(timeout)
        .user_agent(concat!("Keystead/", env!("CARGO_PKG_VERSION")));
    if !allow_private {
        builder = builder.dns_resolver(PublicOnly);
    }
    builder.build().context("building the outbound HTTP client")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_are_public() {
        let private = [
            "0.0.0.0",
            "10.1.2.3",
            "127.0.0.1",
            "100.64.0.1",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.255",
            "192.0.0.8",
            "192.0.2.1",
            "192.168.1.1",
            "198.18.0.1",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "2002:c0a8:101::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
            "2001:db8::1",
            "2001::1",
            "100::1",
            "::127.0.0.1",
        ];
        for ip in private {
            assert!(!is_public(ip.parse().unwrap()), "{ip} is not public");
        }
        let public = [
            "1.1.1.1",
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
        ];
        for ip in public {
            assert!(is_public(ip.parse().unwrap()), "{ip} is public");
        }
    }

    #[test]
    fn literal_private_addresses_are_refused_unless_allowed() {
        assert!(refusal("http://127.0.0.1:8080/logout", false).unwrap().contains("127.0.0.1 is not a public address"));
        assert!(refusal("https://[fd00::1]/x", false).is_some());
        assert_eq!(refusal("http://127.0.0.1:8080/logout", true), None);
        assert_eq!(refusal("https://rp.example.com/logout", false), None);
        assert_eq!(refusal("https://8.8.8.8/logout", false), None);
        assert!(refusal("ftp://rp.example.com/", false).unwrap().contains("https or http"));
        assert!(refusal("not a url", false).is_some());
    }

    #[tokio::test]
    async fn names_that_resolve_to_private_addresses_are_not_connected_to() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepted = tokio::spawn(async move { listener.accept().await.is_ok() });
        let guarded = client(false, Duration::from_secs(5)).unwrap();
        let err = guarded.post(format!("http://localhost:{port}/logout")).send().await.unwrap_err();
        assert!(format!("{err:?}").contains("resolves to no public address"), "{err:?}");
        assert!(!accepted.is_finished(), "nothing connected");
        // With private networks allowed the same request reaches the listener.
        let open = client(true, Duration::from_secs(5)).unwrap();
        let _ = open.post(format!("http://localhost:{port}/logout")).send().await;
        assert!(accepted.await.unwrap());
    }
}
