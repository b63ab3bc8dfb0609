//! `kill -9` while the outbox delivers over SMTP during a burst of registrations: no email is
//! lost, and only the messages in flight at each kill are sent again, with the Message-ID they
//! were queued with (so a receiver can drop the copy).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};

use keystead_testkit::TestDb;
use keystead_testkit::smtp::{ReceivedMail, SmtpSink};

use super::*;

/// Registrations in the burst; each queues one verification email.
const REGISTRATIONS: usize = 60;
/// Clients registering at once.
const CLIENTS: usize = 6;
/// The server is killed when the sink has received this many messages.
const KILL_AT: [usize; 3] = [6, 20, 36];
/// How long the sink waits before each `DATA`, so deliveries stay in flight (and the burst of
/// registrations goes on) while the kills land.
const RELAY_DELAY: Duration = Duration::from_millis(60);
/// Jobs the runner claims and delivers at once (`BATCH` in keystead-core's `jobs/runner.rs`):
/// at most these can be between the relay's 250 and our record of it when a kill lands.
const IN_FLIGHT: usize = 4;
const PASSWORD: &str = "a long and quite unguessable passphrase 47";
/// The whole test, from the first registration to an empty outbox.
const BOUND: Duration = Duration::from_secs(45);

/// The server's settings: cheap password hashing (the burst is about writes, not Argon2), no
/// registration limit, the sink as relay, and short leases so a restarted node soon takes over.
fn config(port: u16, database_url: &str, smtp_port: u16) -> String {
    format!(
        r#"
listen = "127.0.0.1:{port}"
database_url = "{database_url}"

[passwords]
memory_kib = 64
iterations = 1

[rate_limits]
register_per_ip = 100000

[mail]
transport = "smtp"

[mail.smtp]
host = "127.0.0.1"
port = {smtp_port}
security = "plain"
timeout_seconds = 10

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

fn input_value(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\""))?;
    let start = html[..at].rfind('<')?;
    let tag = &html[start..at + html[at..].find('>')?];
    let value = tag.find("value=\"")? + "value=\"".len();
    Some(tag[value..value + tag[value..].find('"')?].to_owned())
}

/// Both steps of the registration form, as a browser sends them.
async fn try_register(base: &str, email: &str) -> Result<(), String> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| e.to_string())?;
    let page = client.get(format!("{base}/register")).send().await.map_err(|e| e.to_string())?;
    let html = page.text().await.map_err(|e| e.to_string())?;
    let csrf = input_value(&html, "csrf_token").ok_or("no csrf_token")?;
    let form = [("csrf_token", csrf.as_str()), ("email", email)];
    let first = client.post(format!("{base}/register")).form(&form).send().await.map_err(|e| e.to_string())?;
    if first.status() != 200 {
        return Err(format!("POST /register: {}", first.status()));
    }
    let form = [("csrf_token", csrf.as_str()), ("email", email), ("password", PASSWORD)];
    let second =
        client.post(format!("{base}/register/password")).form(&form).send().await.map_err(|e| e.to_string())?;
    if second.status() != 303 {
        return Err(format!("POST /register/password: {}", second.status()));
    }
    Ok(())
}

/// Registers `REGISTRATIONS` addresses from `CLIENTS` clients, each retrying through the kills
/// (a retry of a registration that had committed queues an "already registered" notice).
async fn register_all(base: String) -> Vec<String> {
    let next = Arc::new(AtomicUsize::new(0));
    let mut clients = Vec::new();
    for _ in 0..CLIENTS {
        let (next, base) = (Arc::clone(&next), base.clone());
        clients.push(tokio::spawn(async move {
            let deadline = Instant::now() + BOUND;
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= REGISTRATIONS {
                    return;
                }
                let email = format!("user{n}@example.com");
                while let Err(e) = try_register(&base, &email).await {
                    assert!(Instant::now() < deadline, "{email} could not register: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }));
    }
    for client in clients {
        client.await.unwrap();
    }
    (0..REGISTRATIONS).map(|n| format!("user{n}@example.com")).collect()
}

/// Waits until the sink holds `count` messages.
fn wait_for_messages(sink: &SmtpSink, count: usize, deadline: Instant) -> usize {
    loop {
        let got = sink.messages().len();
        if got >= count {
            return got;
        }
        assert!(Instant::now() < deadline, "only {got} messages arrived, waiting for {count}");
        thread::sleep(Duration::from_millis(2));
    }
}

/// The outbox once every message in it is delivered.
fn delivered_outbox(dir: &Path, deadline: Instant) -> Vec<serde_json::Value> {
    loop {
        let out = run(keystead(dir, &["admin", "mail", "outbox", "--json", "--limit", "10000"]));
        assert!(out.status.success(), "{out}");
        let jobs = json(&out.stdout).as_array().unwrap().clone();
        if jobs.len() >= REGISTRATIONS && jobs.iter().all(|j| j["status"] == "delivered") {
            return jobs;
        }
        assert!(Instant::now() < deadline, "the outbox was not delivered in time:\n{out}");
        thread::sleep(Duration::from_millis(200));
    }
}

/// Milliseconds from the sink's acceptance of `mail` to the server's record of it (the outbox's
/// `finished_at`, e.g. `2026-12-03 10:25:16.123456 +00:00:00`), compared as times of day (UTC).
fn record_lag_ms(finished_at: &str, mail: &ReceivedMail) -> f64 {
    let clock = finished_at.split_whitespace().nth(1).unwrap_or_else(|| panic!("{finished_at:?}"));
    let recorded = clock.split(':').map(|p| p.parse::<f64>().unwrap()).fold(0.0, |acc, p| acc * 60.0 + p);
    let received = mail.received_at.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs_f64() % 86_400.0;
    let lag = (recorded - received + 43_200.0).rem_euclid(86_400.0) - 43_200.0;
    lag * 1000.0
}

fn message_id(mail: &ReceivedMail) -> String {
    mail.header("Message-ID").unwrap_or_else(|| panic!("no Message-ID:\n{}", mail.raw))
}

#[test]
fn outbox_killed_three_times_during_delivery_loses_nothing_and_repeats_only_what_was_in_flight() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sink = runtime.block_on(SmtpSink::start()).unwrap();
    sink.delay_data(RELAY_DELAY);
    // SQLite, or PostgreSQL with KEYSTEAD_TEST_DATABASE=postgres (as `.ci/run`'s second pass).
    let db = runtime.block_on(TestDb::from_env()).unwrap();
    let dir = TempDir::new().unwrap();
    let port = free_port();
    write(dir.path(), "keystead.toml", &config(port, db.url(), sink.port()));
    let deadline = Instant::now() + BOUND;
    let mut server = Server::start(keystead(dir.path(), &["serve"]));
    let burst = runtime.spawn(register_all(format!("http://127.0.0.1:{port}")));

    let mut at_kills = Vec::new();
    for threshold in KILL_AT {
        wait_for_messages(&sink, threshold, deadline);
        // `Child::kill` is SIGKILL: no shutdown, no flush, exactly like `kill -9`.
        drop(server);
        at_kills.push(sink.messages().len());
        server = Server::start(keystead(dir.path(), &["serve"]));
    }
    let registered = runtime.block_on(burst).unwrap();
    let outbox = delivered_outbox(dir.path(), deadline);
    // Anything sent late (a copy after the last record) would have arrived by now.
    thread::sleep(RELAY_DELAY * 4);
    let (_, took, stderr) = server.terminate();
    assert!(took < PROMPTLY, "{stderr}");
    assert_no_panic_text(&stderr);

    let mails = sink.messages();
    let mut copies: HashMap<String, Vec<&ReceivedMail>> = HashMap::new();
    let mut lags = Vec::new();
    for mail in &mails {
        copies.entry(message_id(mail)).or_default().push(mail);
    }
    let queued: HashSet<&str> = outbox.iter().map(|j| j["message_id"].as_str().unwrap()).collect();
    assert_eq!(queued.len(), outbox.len(), "every queued email has its own Message-ID");
    for job in &outbox {
        let id = job["message_id"].as_str().unwrap();
        let sent = copies.get(id).unwrap_or_else(|| panic!("lost: {job}"));
        // A copy is the same message: same recipient, same subject, same Message-ID.
        assert!(sent.iter().all(|m| m.to() == [job["to"].as_str().unwrap()] && m.subject() == sent[0].subject()));
        let last = sent.last().unwrap();
        lags.push(record_lag_ms(job["finished_at"].as_str().unwrap(), last));
    }
    assert_eq!(copies.len(), outbox.len(), "the sink got messages that were never queued");
    let recipients: HashSet<String> = mails.iter().flat_map(ReceivedMail::to).collect();
    for email in &registered {
        assert!(recipients.contains(email), "{email} got no email");
    }
    let repeated = mails.len() - copies.len();
    lags.sort_by(f64::total_cmp);
    let at = |q: f64| lags[((lags.len() - 1) as f64 * q) as usize];
    eprintln!(
        "outbox on {:?}: {} queued, {} received, {repeated} repeated; sink count at the kills: {at_kills:?}; \
         from the relay's acceptance to our record: p50 {:.0} ms, p90 {:.0} ms, max {:.0} ms",
        db.backend(),
        outbox.len(),
        mails.len(),
        at(0.5),
        at(0.9),
        at(1.0)
    );
    assert!(
        repeated <= IN_FLIGHT * KILL_AT.len(),
        "{repeated} copies after {} kills: more than the {IN_FLIGHT} in flight at each",
        KILL_AT.len()
    );
}
