//! The DNS TXT proof of an email domain: the record an organization publishes and the lookup
//! that checks it (through the system's resolvers, or `organizations.dns_resolver`).
//!
//! Scheme: a TXT record at `_keystead-challenge.<domain>` whose value is
//! `keystead-domain-verification=<token>`, the token being the domain's own (shown on the
//! organization's settings page). Other TXT records at that name are ignored.

use std::net::SocketAddr;

use hickory_resolver::TokioResolver;
use hickory_resolver::config::{NameServerConfig, ResolveHosts, ResolverConfig};
use hickory_resolver::net::NetError;
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::proto::rr::{RData, RecordType};

use crate::config::OrganizationsConfig;

/// The label in front of the domain that carries the proof.
pub const CHALLENGE_LABEL: &str = "_keystead-challenge";
/// What the TXT value starts with; the domain's token follows.
pub const VALUE_PREFIX: &str = "keystead-domain-verification=";

/// The name of the TXT record for `domain`.
pub fn record_name(domain: &str) -> String {
    format!("{CHALLENGE_LABEL}.{domain}")
}

/// The value of the TXT record for `token`.
pub fn record_value(token: &str) -> String {
    format!("{VALUE_PREFIX}{token}")
}

fn resolver(config: &OrganizationsConfig) -> Result<TokioResolver, String> {
    let provider = TokioRuntimeProvider::default();
    let mut builder = match config.dns_resolver {
        Some(addr) => TokioResolver::builder_with_config(server_config(addr), provider),
        None => TokioResolver::builder(provider)
            .map_err(|e| format!("The system's DNS configuration could not be read ({e}).",))?,
    };
    let options = builder.options_mut();
    options.timeout = config.dns_timeout;
    options.attempts = 1;
    // "Check now" right after publishing the record must ask again, not answer from a cache.
    options.cache_size = 0;
    options.use_hosts_file = ResolveHosts::Never;
    builder.build().map_err(|e| format!("The DNS resolver could not start ({e})."))
}

fn server_config(addr: SocketAddr) -> ResolverConfig {
    let mut server = NameServerConfig::udp_and_tcp(addr.ip());
    for c in &mut server.connections {
        c.port = addr.port();
    }
    ResolverConfig::from_name_servers(vec![server])
}

/// Looks the proof up: `Ok` when one TXT record at [`record_name`] is exactly
/// [`record_value`]; otherwise a message saying what was found and what was expected.
pub(crate) async fn check(config: &OrganizationsConfig, domain: &str, token: &str) -> Result<(), String> {
    let name = record_name(domain);
    let expected = record_value(token);
    let want = format!("Expected a TXT record at {name} with the value {expected}.");
    let resolver = resolver(config)?;
    // The trailing dot: the name is absolute, never tried under the host's search domains.
    let lookup = match resolver.lookup(format!("{name}."), RecordType::TXT).await {
        Ok(lookup) => lookup,
        Err(e) => return Err(format!("{} {want}", describe(&e, &name, config))),
    };
    let found: Vec<String> = lookup
        .answers()
        .iter()
        .filter_map(|r| match &r.data {
            // A TXT record's strings are one value (RFC 7208 §3.3 does the same).
            RData::TXT(txt) => Some(txt.txt_data.iter().map(|s| String::from_utf8_lossy(s)).collect::<String>()),
            _ => None,
        })
        .collect();
    if found.iter().any(|v| v.trim() == expected) {
        return Ok(());
    }
    if found.is_empty() {
        return Err(format!("{name} has no TXT record. {want}"));
    }
    let shown: Vec<String> =
        found.iter().take(5).map(|v| format!("\"{}\"", v.chars().take(200).collect::<String>())).collect();
    Err(format!("Found the TXT record {} at {name}, which is not the expected value. {want}", shown.join(", ")))
}

fn describe(e: &NetError, name: &str, config: &OrganizationsConfig) -> String {
    if e.is_nx_domain() {
        format!("{name} does not exist (NXDOMAIN).")
    } else if e.is_no_records_found() {
        format!("{name} has no TXT record.")
    } else if matches!(e, NetError::Timeout) {
        format!("The DNS server did not answer within {} seconds; try again later.", config.dns_timeout.as_secs())
    } else {
        format!("The DNS lookup of {name} failed ({e}).")
    }
}
