//! `kill -9` while webhooks are being delivered: 40 events queued for one endpoint (accounts
//! created while no server runs), a server started, and killed three times while deliveries
//! are in flight (the receiver holds each answer back). No event is lost; the copies a kill
//! causes carry the same `webhook-id`, so a receiver drops them; the delivery log ends with
//! every delivery `delivered`.

use std::collections::HashSet;

use keystead_testkit::{TestDb, WebhookReceiver};

use super::*;

const EVENTS: usize = 40;
/// The server is killed when the receiver has got this many requests.
const KILL_AT: [usize; 3] = [5, 15, 28];
/// The receiver holds each answer this long, so deliveries are in flight when a kill lands.
const ANSWER_DELAY: Duration = Duration::from_millis(150);
const BOUND: Duration = Duration::from_secs(60);

fn config(port: u16, database_url: &str) -> String {
    format!(
        r#"
listen = "127.0.0.1:{port}"
database_url = "{database_url}"

[outbound]
allow_private_networks = true

[jobs]
poll_interval_ms = 100
# A killed node's claims are taken over after this; each delivery takes far less.
lease_seconds = 3
"#
    )
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wait_for(receiver: &WebhookReceiver, count: usize, deadline: Instant) {
    while receiver.received().len() < count {
        assert!(Instant::now() < deadline, "only {} webhook requests, waiting for {count}", receiver.received().len());
        thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn webhooks_killed_three_times_during_delivery_lose_nothing_and_repeat_with_the_same_id() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let receiver = runtime.block_on(WebhookReceiver::start()).unwrap();
    receiver.delay(ANSWER_DELAY);
    let db = runtime.block_on(TestDb::from_env()).unwrap();
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    write(d, "keystead.toml", &config(free_port(), db.url()));
    let migrated = run(keystead(d, &["migrate"]));
    assert!(migrated.status.success(), "{migrated}");
    let made =
        run(keystead(d, &["admin", "webhook", "create", "--url", receiver.url(), "--event", "user.created", "--json"]));
    assert!(made.status.success(), "{made}");
    let endpoint = json(&made.stdout)["id"].as_str().unwrap().to_owned();
    for i in 0..EVENTS {
        let out = run(keystead(d, &["admin", "user", "create", "--email", &format!("u{i}@example.com"), "--verified"]));
        assert!(out.status.success(), "{out}");
    }
    let deadline = Instant::now() + BOUND;
    let mut server = Server::start(keystead(d, &["serve"]));
    for threshold in KILL_AT {
        wait_for(&receiver, threshold, deadline);
        drop(server); // SIGKILL: no shutdown, no record of what was in flight.
        server = Server::start(keystead(d, &["serve"]));
    }
    loop {
        let out = run(keystead(d, &["admin", "webhook", "deliveries", &endpoint, "--limit", "100"]));
        let delivered = out.stdout.lines().filter(|l| l.contains(" delivered ")).count();
        if delivered == EVENTS {
            break;
        }
        assert!(Instant::now() < deadline, "{delivered} of {EVENTS} delivered in time:\n{out}");
        thread::sleep(Duration::from_millis(200));
    }
    let (_, _, stderr) = server.terminate();
    assert_no_panic_text(&stderr);
    let got = receiver.received();
    let ids: HashSet<&str> = got.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), EVENTS, "every event arrived, each under one id");
    let emails: HashSet<String> =
        got.iter().filter_map(|r| r.json()["data"]["user_id"].as_str().map(str::to_owned)).collect();
    assert_eq!(emails.len(), EVENTS);
    for r in &got {
        let first = got.iter().find(|o| o.id == r.id).unwrap();
        assert_eq!(first.body, r.body, "a copy is the same event");
    }
    eprintln!(
        "webhooks on {:?}: {EVENTS} events, {} requests ({} repeated after {} kills)",
        db.backend(),
        got.len(),
        got.len() - EVENTS,
        KILL_AT.len()
    );
}
