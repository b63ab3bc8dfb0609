//! `metrics_listen`: Prometheus metrics on a private address of their own, never on the public
//! port.

use std::net::{SocketAddr, TcpListener};

use tempfile::TempDir;

use super::{PROMPTLY, Server, assert_fails_with_one_line, assert_no_panic_text, http_get, keystead, run, write};

const METRICS_LINE: &str = "Prometheus metrics on http://";

#[test]
fn metrics_listen_serves_prometheus_text_apart_from_the_public_port() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "keystead.toml", "metrics_listen = \"127.0.0.1:0\"\n");
    let server = Server::start(keystead(dir.path(), &["serve", "--listen", "127.0.0.1:0"]));
    let metrics_addr: SocketAddr = server
        .earlier
        .iter()
        .find_map(|l| l.strip_prefix(METRICS_LINE)?.strip_suffix("/metrics")?.parse().ok())
        .unwrap_or_else(|| panic!("no {METRICS_LINE:?} line before the URL: {:?}", server.earlier));
    assert_ne!(metrics_addr, server.addr);

    assert_eq!(http_get(server.addr, "/healthz").status, 200);
    assert_eq!(http_get(server.addr, "/readyz").status, 200);
    let public = http_get(server.addr, "/metrics");
    assert_eq!(public.status, 404, "the public port serves /metrics:\n{}\n{}", public.head, public.body);

    let metrics = http_get(metrics_addr, "/metrics");
    assert_eq!(metrics.status, 200, "{}\n{}", metrics.head, metrics.body);
    assert!(metrics.head.to_ascii_lowercase().contains("content-type: text/plain; version=0.0.4"), "{}", metrics.head);
    assert!(metrics.body.contains("keystead_http_requests_total{route=\"/healthz\""), "{}", metrics.body);
    assert_eq!(http_get(metrics_addr, "/healthz").status, 404, "the metrics port serves only /metrics");

    let (status, took, stderr) = server.terminate();
    assert_eq!(status.code(), Some(0), "exit {status}; stderr:\n{stderr}");
    assert!(took < PROMPTLY, "took {took:?} to stop after SIGTERM; stderr:\n{stderr}");
    assert_no_panic_text(&stderr);
}

#[test]
fn without_metrics_listen_no_metrics_are_served() {
    let dir = TempDir::new().unwrap();
    let server = Server::start(keystead(dir.path(), &["serve", "--listen", "127.0.0.1:0"]));
    assert!(!server.earlier.iter().any(|l| l.starts_with(METRICS_LINE)), "{:?}", server.earlier);
    assert_eq!(http_get(server.addr, "/metrics").status, 404);
}

#[test]
fn a_taken_metrics_port_is_reported_on_one_line_naming_metrics_listen() {
    let dir = TempDir::new().unwrap();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let mut cmd = keystead(dir.path(), &["serve", "--listen", "127.0.0.1:0"]);
    cmd.env("KEYSTEAD_METRICS_LISTEN", &addr).env("RUST_LOG", "off");

    let out = run(cmd);

    assert_fails_with_one_line(&out, &[&addr, "already in use", "metrics_listen"]);
    assert!(!dir.path().join("data").exists(), "refused but still created data/");
    drop(taken);
}

#[test]
fn check_config_shows_the_metrics_address_and_refuses_a_bad_one() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "keystead.toml", "metrics_listen = \"127.0.0.1:9090\"\n");
    let out = run(keystead(dir.path(), &["check-config"]));
    assert!(out.status.success(), "{out}");
    assert!(out.stdout.contains("metrics:     http://127.0.0.1:9090/metrics"), "{out}");

    write(dir.path(), "keystead.toml", "metrics_listen = \"everywhere\"\n");
    let out = run(keystead(dir.path(), &["check-config"]));
    assert!(!out.status.success(), "{out}");
    assert!(out.stderr.lines().any(|l| l.starts_with("metrics_listen: expected an address and port")), "{out}");
}
