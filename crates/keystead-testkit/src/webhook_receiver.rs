//! A loopback webhook receiver: records every POST (its `webhook-*` headers and body) and
//! answers with the status it is told to (200 by default), optionally after a delay; and a
//! check of a delivery's signature by an independent implementation, the `standardwebhooks`
//! package from PyPI (run through `python3`).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context as _, bail};
use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;

/// One request as received.
#[derive(Debug, Clone)]
pub struct Received {
    /// `webhook-id`.
    pub id: String,
    /// `webhook-timestamp`.
    pub timestamp: String,
    /// `webhook-signature`.
    pub signature: String,
    /// The body.
    pub body: String,
}

impl Received {
    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_default()
    }
}

#[derive(Debug, Default)]
struct Shared {
    received: Vec<Received>,
    status: u16,
    delay: Duration,
}

/// The receiver; dropped, it stops.
#[derive(Debug)]
pub struct WebhookReceiver {
    url: String,
    shared: Arc<Mutex<Shared>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for WebhookReceiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl WebhookReceiver {
    /// Starts one on 127.0.0.1 (any free port), answering 200.
    pub async fn start() -> anyhow::Result<Self> {
        let shared = Arc::new(Mutex::new(Shared { status: 200, ..Shared::default() }));
        let state = shared.clone();
        let app = Router::new().route(
            "/hook",
            post(move |headers: HeaderMap, body: Bytes| {
                let state = state.clone();
                async move {
                    let h = |k: &str| headers.get(k).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
                    let (status, delay) = {
                        let mut s = state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                        s.received.push(Received {
                            id: h("webhook-id"),
                            timestamp: h("webhook-timestamp"),
                            signature: h("webhook-signature"),
                            body: String::from_utf8_lossy(&body).into_owned(),
                        });
                        (s.status, s.delay)
                    };
                    tokio::time::sleep(delay).await;
                    StatusCode::from_u16(status).unwrap_or(StatusCode::OK)
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://127.0.0.1:{}/hook", listener.local_addr()?.port());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Self { url, shared, task })
    }

    /// Where to send.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Answer every further request with `status`.
    pub fn answer(&self, status: u16) {
        self.lock().status = status;
    }

    /// Wait this long before answering.
    pub fn delay(&self, delay: Duration) {
        self.lock().delay = delay;
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<Received> {
        self.lock().received.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Waits until at least `n` requests arrived (or panics after `within`).
    pub async fn wait_for(&self, n: usize, within: Duration) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            assert!(tokio::time::Instant::now() < deadline, "{} of {n} webhook requests within {within:?}", got.len());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// Verifies `received` with `secret` using the `standardwebhooks` Python package (an
/// implementation nobody on this project wrote); returns the payload it accepted. Errors when
/// the signature does not verify or the package is missing. The package checks the timestamp
/// against the wall clock (±5 minutes); tests run on a fake clock, so its "now" is `now_unix`
/// (the same tolerance, judged from the test's clock).
pub fn verify_independently(secret: &str, received: &Received, now_unix: i64) -> anyhow::Result<serde_json::Value> {
    const SCRIPT: &str = r#"
import json, sys
from datetime import datetime, timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
secret, msg_id, ts, sig, now = sys.argv[1:6]
def at_test_clock(self, header):
    stamp = int(header)
    if abs(stamp - int(now)) > 5 * 60:
        raise WebhookVerificationError("Message timestamp too old or too new")
    return datetime.fromtimestamp(stamp, tz=timezone.utc)
Webhook._Webhook__verify_timestamp = at_test_clock
body = sys.stdin.read()
payload = Webhook(secret).verify(body, {"webhook-id": msg_id, "webhook-timestamp": ts, "webhook-signature": sig})
print(json.dumps(payload))
"#;
    use std::io::Write as _;
    let mut child = std::process::Command::new("python3")
        .args(["-c", SCRIPT, secret, &received.id, &received.timestamp, &received.signature, &now_unix.to_string()])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .context("running python3 (install the standardwebhooks package: pip install standardwebhooks)")?;
    child.stdin.take().context("stdin")?.write_all(received.body.as_bytes())?;
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!("standardwebhooks refused it: {}", String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(serde_json::from_slice(&out.stdout)?)
}
