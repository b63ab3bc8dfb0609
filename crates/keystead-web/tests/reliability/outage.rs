//! The database cut while the server runs, through a TCP forwarder the test controls: requests
//! and `/readyz` answer 503 (code `unavailable`, `Retry-After`) within the short acquire timeout
//! instead of hanging, and everything works again once the database is back, without a restart —
//! the job runner's own connection included.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use keystead_testkit::{TestApp, TestAppOptions, TestDb};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, RETRY_AFTER};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// A loopback TCP forwarder to PostgreSQL that can be cut (every connection dropped, new ones
/// closed at once) and restored.
struct Forwarder {
    port: u16,
    cut: Arc<AtomicBool>,
    generation: watch::Sender<u64>,
}

impl Forwarder {
    async fn start(upstream: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let cut = Arc::new(AtomicBool::new(false));
        let (generation, _) = watch::channel(0u64);
        let (cut2, gen_tx) = (Arc::clone(&cut), generation.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if cut2.load(Ordering::SeqCst) {
                    drop(inbound);
                    continue;
                }
                let upstream = upstream.clone();
                let mut cancelled = gen_tx.subscribe();
                tokio::spawn(async move {
                    let Ok(mut outbound) = TcpStream::connect(upstream).await else { return };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                        _ = cancelled.changed() => {}
                    }
                });
            }
        });
        Self { port, cut, generation }
    }

    fn cut(&self) {
        self.cut.store(true, Ordering::SeqCst);
        self.generation.send_modify(|g| *g += 1);
    }

    fn restore(&self) {
        self.cut.store(false, Ordering::SeqCst);
    }
}

async fn timed(request: reqwest::RequestBuilder) -> (StatusCode, bool, String, Duration) {
    let started = Instant::now();
    let response = request.send().await.unwrap();
    let status = response.status();
    let retry_after = response.headers().contains_key(RETRY_AFTER);
    let body = response.text().await.unwrap();
    (status, retry_after, body, started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_database_is_answered_503_at_once_and_recovery_needs_no_restart() {
    let _turn = super::ONE_AT_A_TIME.lock().await;
    let Some(db) = TestDb::postgres().await.unwrap() else { return };
    let mut url = url::Url::parse(db.url()).unwrap();
    let upstream = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap_or(5432));
    let forwarder = Forwarder::start(upstream).await;
    url.set_port(Some(forwarder.port)).unwrap();
    let through_forwarder = url.to_string();
    let app = TestApp::start(TestAppOptions {
        without_job_runner: false,
        configure: Some(Box::new(move |config| {
            config.database.url = secrecy::SecretString::from(through_forwarder);
        })),
        ..TestAppOptions::default()
    })
    .await
    .unwrap();
    let client = app.client();
    let page = client.get(app.at("/sign-in")).send().await.unwrap().text().await.unwrap();
    let token = page.split_once("name=\"csrf_token\" value=\"").unwrap().1.split_once('"').unwrap().0.to_owned();
    let ready = || client.get(app.at("/readyz"));
    let sign_in = || {
        client.post(app.at("/sign-in/password")).header(ACCEPT, "application/json").form(&[
            ("email", "ada@example.com"),
            ("password", "whatever it is"),
            ("csrf_token", token.as_str()),
        ])
    };
    assert_eq!(timed(ready()).await.0, StatusCode::OK);

    forwarder.cut();
    for attempt in 0..3 {
        let (status, _, body, took) = timed(ready()).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "/readyz #{attempt}: {body}");
        assert!(took < Duration::from_secs(3), "/readyz took {took:?}");
        let (status, retry_after, body, took) = timed(sign_in()).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "sign-in #{attempt}: {body}");
        assert!(retry_after, "a 503 tells when to retry");
        assert!(body.contains("\"unavailable\""), "the problem document names the code: {body}");
        assert!(took < Duration::from_secs(3), "sign-in took {took:?}");
    }

    forwarder.restore();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if timed(ready()).await.0 == StatusCode::OK {
            break;
        }
        assert!(Instant::now() < deadline, "the server did not recover within 10 s of the database");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Requests reach the database again: a wrong sign-in is a form error, not a 503.
    let (status, _, body, _) = timed(sign_in()).await;
    assert_ne!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(status.is_client_error(), "{status}: {body}");
    // The job runner reconnects too: an email queued now is delivered.
    app.core.send_test_email("after-outage@example.com").await.unwrap();
    let delivered = app.smtp.wait_for(1, Duration::from_secs(10)).await.unwrap();
    assert!(delivered.iter().any(|m| m.to().iter().any(|t| t.contains("after-outage@example.com"))));
    app.stop().await.unwrap();
    drop(db);
}
