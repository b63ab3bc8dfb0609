//! Gives every request an id, the client's address (from `X-Forwarded-For` only when the peer is
//! a configured proxy), a log span carrying both, and request metrics by route.

use std::net::IpAddr;
use std::time::Instant;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use keystead_core::config::IpNet;
use tracing::Instrument;

use crate::server::PeerAddr;
use crate::state::AppState;

/// Facts about the current request, available to handlers as an extension.
#[derive(Debug, Clone)]
pub struct RequestContext {
    /// A fresh UUIDv7, echoed in the `x-request-id` response header and every log line.
    pub request_id: String,
    /// The client's address.
    pub client_ip: Option<IpAddr>,
    /// True when the client reached us over HTTPS (directly or through a trusted proxy).
    pub https: bool,
}

/// The client address: the peer, or — when the peer is a trusted proxy — the right-most
/// `X-Forwarded-For` entry that is not itself a trusted proxy.
pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpNet]) -> Option<IpAddr> {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|n| n.contains(ip));
    let peer = peer?;
    if !is_trusted(peer) {
        return Some(peer);
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    Some(forwarded.into_iter().rev().find(|ip| !is_trusted(*ip)).unwrap_or(peer))
}

/// Request id, client address, span and metrics for one request.
pub async fn request_context(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let request_id = uuid::Uuid::now_v7().to_string();
    let peer = req.extensions().get::<ConnectInfo<PeerAddr>>().map(|c| c.0.0.ip());
    let trusted = &state.core.config().trusted_proxies;
    let from_proxy = peer.is_some_and(|p| trusted.iter().any(|n| n.contains(p)));
    let client_ip = client_ip(peer, req.headers(), trusted);
    let forwarded_https = from_proxy
        && req.headers().get("x-forwarded-proto").is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));
    let https = forwarded_https
        || req.uri().scheme_str() == Some("https")
        || req.extensions().get::<crate::server::ServedOverTls>().is_some();
    let route = req.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_owned(), |m| m.as_str().to_owned());
    let method = req.method().clone();
    let span = tracing::info_span!("request", id = %request_id, method = %method, path = %req.uri().path(), client = ?client_ip);
    req.extensions_mut().insert(RequestContext { request_id: request_id.clone(), client_ip, https });

    // One unit of database work: a handler that holds a transaction may not take a second
    // connection from the pool (keystead_core::store::guard).
    let mut response = keystead_core::store::guard::scope(next.run(req)).instrument(span.clone()).await;

    let status = response.status();
    let elapsed = started.elapsed();
    span.in_scope(|| {
        if status.is_server_error() {
            tracing::warn!(status = status.as_u16(), ms = elapsed.as_millis() as u64, "request failed");
        } else {
            tracing::debug!(status = status.as_u16(), ms = elapsed.as_millis() as u64, "request");
        }
    });
    let labels = [("route", route), ("method", method.to_string()), ("status", status.as_u16().to_string())];
    metrics::counter!("keystead_http_requests_total", &labels).increment(1);
    metrics::histogram!("keystead_http_request_duration_seconds", "route" => labels[0].1.clone())
        .record(elapsed.as_secs_f64());
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("x-request-id", v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(s: &[&str]) -> Vec<IpNet> {
        s.iter().map(|n| IpNet::parse(n).unwrap()).collect()
    }

    #[test]
    fn forwarded_for_is_believed_only_from_a_trusted_proxy() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_static("6.6.6.6, 203.0.113.9"));
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let stranger: IpAddr = "198.51.100.1".parse().unwrap();
        assert_eq!(client_ip(Some(stranger), &h, &nets(&["10.0.0.0/8"])), Some(stranger));
        assert_eq!(client_ip(Some(proxy), &h, &nets(&["10.0.0.0/8"])), Some("203.0.113.9".parse().unwrap()));
        // A chain of trusted proxies is skipped from the right.
        h.insert("x-forwarded-for", HeaderValue::from_static("6.6.6.6, 203.0.113.9, 10.0.0.7"));
        assert_eq!(client_ip(Some(proxy), &h, &nets(&["10.0.0.0/8"])), Some("203.0.113.9".parse().unwrap()));
        assert_eq!(client_ip(Some(proxy), &HeaderMap::new(), &nets(&["10.0.0.0/8"])), Some(proxy));
    }
}
