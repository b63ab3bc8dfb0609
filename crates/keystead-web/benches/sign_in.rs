//! End-to-end sign-in load: real HTTP sign-ins against the whole server (`TestApp`) with the
//! real Argon2id defaults (m=19456 KiB, t=2, p=1, workers = cores, queue = 8 × workers).
//!
//! 1. The time of one password verification (median of 20 sequential `verify` calls through the
//!    server's own pool), and the bound workers ÷ that time: no server can sign people in faster.
//! 2. Closed loop: 1, 2, 4 and 8 virtual users, each with its own HTTP client and CSRF cookie,
//!    posting `/sign-in/password` again as soon as the previous answer (303) arrives, for 5 s
//!    each: sign-ins/s, ratio to the bound, p50/p99 latency.
//! 3. Overload: 4 × the pool's capacity (workers + queue) virtual users for 5 s, once retrying at
//!    once after a 503 and once honouring its `Retry-After`: the share of 503 answers and the p99
//!    latency of successes and of 503s.
//!
//! Each virtual user fetches `GET /sign-in` once for its CSRF cookie and token and then sends
//! that cookie by hand: a successful sign-in deletes the CSRF cookie (a new session gets a new
//! token), so a cookie-store client would have to sign out and reload the form between
//! sign-ins, and the measurement would no longer be of sign-ins alone.
//!
//! Prints a readable report, then the same figures as one JSON line (the last line).
//! Run with `cargo bench -p keystead-web --bench sign_in` (about a minute).

use std::collections::BTreeMap;
use std::num::NonZero;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail, ensure};
use keystead_core::accounts::admin::NewUser;
use keystead_core::audit::RequestMeta;
use keystead_core::config::Config;
use keystead_core::passwords::Verification;
use keystead_testkit::{TestApp, TestAppOptions};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, RETRY_AFTER, SET_COOKIE};
use secrecy::SecretString;
use serde_json::{Value, json};

/// Virtual user `n` signs in as `load.test.{n}@example.com`: one account per person, as in real
/// traffic (one account's checks in flight count towards its lock, so a crowd sharing one account
/// would measure the lock, not the pool).
fn email(n: usize) -> String {
    format!("load.test.{n}@example.com")
}
/// Accounts created (at least the most virtual users of any row).
const ACCOUNTS: usize = 128;
const PASSWORD: &str = "velvet harbour kettle mosaic 1843";
const MEMORY_KIB: u32 = 19_456;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;
/// Sequential verifications for the single-hash time.
const SINGLE_RUNS: usize = 20;
/// Virtual users of the closed-loop rows.
const USERS: [usize; 4] = [1, 2, 4, 8];
const RUN_FOR: Duration = Duration::from_secs(5);
/// Overload virtual users = this × (workers + queue).
const OVERLOAD_FACTOR: usize = 4;
const WARM_UP_FOR: Duration = Duration::from_secs(1);

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let cores = std::thread::available_parallelism().map_or(2, NonZero::get);
    let (workers, queue) = (cores, 8 * cores);
    let capacity = workers + queue;
    let app = start_app(workers, queue).await?;
    println!(
        "Keystead sign-in benchmark: POST /sign-in/password over HTTP/1.1 on loopback, SQLite test database; \
         Argon2id m={MEMORY_KIB} KiB, t={ITERATIONS}, p={PARALLELISM}; {cores} cores; pool {workers} workers + \
         queue {queue} = capacity {capacity}; tokio multi-thread runtime (server and clients share the machine)"
    );

    let stored = create_user(&app).await?;
    let hash = single_verify(&app, &stored).await?;
    let bound = workers as f64 / hash.median.as_secs_f64();
    println!("\n1. One verification at a time ({SINGLE_RUNS} sequential `verify` calls through the server's pool)");
    println!("   min / median / max: {:.2} / {:.2} / {:.2} ms", ms(hash.min), ms(hash.median), ms(hash.max));
    println!("   bound: {workers} workers ÷ {:.2} ms = {bound:.1} sign-ins/s", ms(hash.median));

    let _ = run(&app, workers, WARM_UP_FOR, Retry::AtOnce).await?;
    println!("\n2. Closed loop, {} s per row (after a {} s warm-up)", RUN_FOR.as_secs(), WARM_UP_FOR.as_secs());
    println!("   users  sign-ins/s  ratio to bound  of min(users, workers) ÷ hash   p50 ms   p99 ms   other answers");
    let mut rows = Vec::new();
    for users in USERS {
        let report = run(&app, users, RUN_FOR, Retry::AtOnce).await?;
        let ceiling = users.min(workers) as f64 / hash.median.as_secs_f64();
        println!(
            "   {users:>5}  {:>10.1}  {:>14.2}  {:>29.2}   {:>6.1}   {:>6.1}   {}",
            report.ok_per_s(),
            report.ok_per_s() / bound,
            report.ok_per_s() / ceiling,
            ms(percentile(&report.ok, 0.50)),
            ms(percentile(&report.ok, 0.99)),
            report.others(),
        );
        rows.push(report.closed_loop_json(bound, ceiling));
    }

    let users = OVERLOAD_FACTOR * capacity;
    println!("\n3. Overload: {users} users ({OVERLOAD_FACTOR} × capacity {capacity}), {} s per run", RUN_FOR.as_secs());
    let mut overload = Vec::new();
    for retry in [Retry::AtOnce, Retry::HonourRetryAfter] {
        let rejected_before = app.core.passwords().stats().rejected;
        let report = run(&app, users, RUN_FOR, retry).await?;
        let rejected = app.core.passwords().stats().rejected - rejected_before;
        print_overload(&report, retry, bound, rejected);
        overload.push(report.overload_json(retry, bound, rejected));
    }

    let line = json!({
        "bench": "sign_in",
        "cores": cores,
        "params": { "memory_kib": MEMORY_KIB, "iterations": ITERATIONS, "parallelism": PARALLELISM },
        "workers": workers,
        "queue": queue,
        "capacity": capacity,
        "verify_ms": { "min": round3(ms(hash.min)), "median": round3(ms(hash.median)), "max": round3(ms(hash.max)) },
        "bound_per_s": round3(bound),
        "closed_loop": rows,
        "overload": overload,
    });
    println!("\n{line}");
    app.stop().await
}

/// The whole server with the production hashing defaults and no per-address sign-in limit.
async fn start_app(workers: usize, queue: usize) -> anyhow::Result<TestApp> {
    let configure = move |c: &mut Config| {
        c.passwords.memory_kib = MEMORY_KIB;
        c.passwords.iterations = ITERATIONS;
        c.passwords.parallelism = PARALLELISM;
        c.passwords.workers = workers;
        c.passwords.queue = queue;
        c.rate_limits.sign_in_per_ip = 10_000_000;
    };
    TestApp::start(TestAppOptions { configure: Some(Box::new(configure)), ..TestAppOptions::default() }).await
}

/// Creates the verified users and returns a hash of the password made by the same pool.
async fn create_user(app: &TestApp) -> anyhow::Result<String> {
    for n in 0..ACCOUNTS {
        let email = email(n);
        let new = NewUser {
            email: &email,
            given_name: Some("Bench"),
            family_name: Some("User"),
            verified: true,
            password: Some(SecretString::from(PASSWORD.to_owned())),
        };
        app.core.create_user(new, &RequestMeta::cli()).await.context("creating the benchmark users")?;
    }
    Ok(app.core.passwords().hash(&SecretString::from(PASSWORD.to_owned())).await?)
}

struct Spread {
    min: Duration,
    median: Duration,
    max: Duration,
}

async fn single_verify(app: &TestApp, stored: &str) -> anyhow::Result<Spread> {
    let password = SecretString::from(PASSWORD.to_owned());
    let mut runs = Vec::with_capacity(SINGLE_RUNS);
    for _ in 0..SINGLE_RUNS {
        let start = Instant::now();
        let result = app.core.passwords().verify(&password, stored).await?;
        runs.push(start.elapsed());
        ensure!(matches!(result, Verification::Match { upgraded: None }), "verify answered {result:?}");
    }
    runs.sort_unstable();
    let (Some(&min), Some(&median), Some(&max)) = (runs.first(), runs.get(runs.len() / 2), runs.last()) else {
        bail!("no runs");
    };
    Ok(Spread { min, median, max })
}

/// What a virtual user does after a 503.
#[derive(Debug, Clone, Copy)]
enum Retry {
    AtOnce,
    HonourRetryAfter,
}

impl Retry {
    fn label(self) -> &'static str {
        match self {
            Self::AtOnce => "retry at once",
            Self::HonourRetryAfter => "wait for Retry-After",
        }
    }
}

/// What one run measured: latencies of 303s and of 503s, and a count of anything else.
#[derive(Default)]
struct Report {
    users: usize,
    elapsed: Duration,
    ok: Vec<Duration>,
    overloaded: Vec<Duration>,
    other: BTreeMap<String, u64>,
}

impl Report {
    fn merge(&mut self, other: Report) {
        self.ok.extend(other.ok);
        self.overloaded.extend(other.overloaded);
        for (k, v) in other.other {
            *self.other.entry(k).or_default() += v;
        }
    }

    fn ok_per_s(&self) -> f64 {
        self.ok.len() as f64 / self.elapsed.as_secs_f64()
    }

    fn answers(&self) -> u64 {
        (self.ok.len() + self.overloaded.len()) as u64 + self.other.values().sum::<u64>()
    }

    fn overloaded_share(&self) -> f64 {
        self.overloaded.len() as f64 / self.answers().max(1) as f64
    }

    fn others(&self) -> String {
        if self.other.is_empty() {
            return "none".to_owned();
        }
        self.other.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(", ")
    }

    fn closed_loop_json(&self, bound: f64, ceiling: f64) -> Value {
        json!({
            "users": self.users,
            "seconds": round3(self.elapsed.as_secs_f64()),
            "sign_ins": self.ok.len(),
            "sign_ins_per_s": round3(self.ok_per_s()),
            "ratio_to_bound": round3(self.ok_per_s() / bound),
            "ratio_to_min_users_workers": round3(self.ok_per_s() / ceiling),
            "p50_ms": round3(ms(percentile(&self.ok, 0.50))),
            "p99_ms": round3(ms(percentile(&self.ok, 0.99))),
            "overloaded": self.overloaded.len(),
            "other": self.other,
        })
    }

    fn overload_json(&self, retry: Retry, bound: f64, rejected: u64) -> Value {
        json!({
            "retry": match retry { Retry::AtOnce => "at_once", Retry::HonourRetryAfter => "retry_after" },
            "users": self.users,
            "seconds": round3(self.elapsed.as_secs_f64()),
            "answers": self.answers(),
            "sign_ins": self.ok.len(),
            "sign_ins_per_s": round3(self.ok_per_s()),
            "ratio_to_bound": round3(self.ok_per_s() / bound),
            "overloaded": self.overloaded.len(),
            "overloaded_share": round3(self.overloaded_share()),
            "pool_rejected": rejected,
            "ok_p50_ms": round3(ms(percentile(&self.ok, 0.50))),
            "ok_p99_ms": round3(ms(percentile(&self.ok, 0.99))),
            "overloaded_p50_ms": round3(ms(percentile(&self.overloaded, 0.50))),
            "overloaded_p99_ms": round3(ms(percentile(&self.overloaded, 0.99))),
            "other": self.other,
        })
    }
}

fn print_overload(report: &Report, retry: Retry, bound: f64, rejected: u64) {
    println!("   {}:", retry.label());
    println!(
        "     answers {} in {:.2} s: {} signed in, {} × 503 = {:.1} % 503 (pool refusals: {rejected}); other: {}",
        report.answers(),
        report.elapsed.as_secs_f64(),
        report.ok.len(),
        report.overloaded.len(),
        100.0 * report.overloaded_share(),
        report.others(),
    );
    println!(
        "     sign-ins: {:.1}/s ({:.2} of bound), p50 {:.1} ms, p99 {:.1} ms",
        report.ok_per_s(),
        report.ok_per_s() / bound,
        ms(percentile(&report.ok, 0.50)),
        ms(percentile(&report.ok, 0.99)),
    );
    println!(
        "     503s:     p50 {:.1} ms, p99 {:.1} ms",
        ms(percentile(&report.overloaded, 0.50)),
        ms(percentile(&report.overloaded, 0.99)),
    );
}

/// Runs `users` virtual users for `run_for`; their set-up (`GET /sign-in`) is not timed.
async fn run(app: &TestApp, users: usize, run_for: Duration, retry: Retry) -> anyhow::Result<Report> {
    let mut vus = Vec::with_capacity(users);
    ensure!(users <= ACCOUNTS, "more virtual users than accounts");
    for n in 0..users {
        vus.push(VirtualUser::new(app, n).await?);
    }
    let start = Instant::now();
    let deadline = start + run_for;
    let mut tasks = tokio::task::JoinSet::new();
    for vu in vus {
        tasks.spawn(async move { vu.sign_in_until(deadline, retry).await });
    }
    let mut report = Report { users, ..Report::default() };
    while let Some(joined) = tasks.join_next().await {
        report.merge(joined.context("virtual user task")??);
    }
    report.elapsed = start.elapsed();
    Ok(report)
}

/// A client with its own connection and CSRF cookie.
struct VirtualUser {
    client: reqwest::Client,
    url: String,
    cookie: String,
    form: Vec<(&'static str, String)>,
}

impl VirtualUser {
    async fn new(app: &TestApp, n: usize) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
        let page = client.get(app.at("/sign-in")).send().await?;
        ensure!(page.status() == StatusCode::OK, "GET /sign-in answered {}", page.status());
        let cookie = page
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .find(|pair| pair.split('=').next().is_some_and(|name| name.ends_with("keystead-csrf")))
            .context("GET /sign-in set no CSRF cookie")?
            .to_owned();
        let html = page.text().await?;
        let marker = "name=\"csrf_token\" value=\"";
        let token = html
            .split_once(marker)
            .and_then(|(_, rest)| rest.split_once('"'))
            .map(|(token, _)| token.to_owned())
            .context("the sign-in page has no csrf_token field")?;
        let form = vec![("email", email(n)), ("password", PASSWORD.to_owned()), ("csrf_token", token)];
        Ok(Self { client, url: app.at("/sign-in/password"), cookie, form })
    }

    async fn sign_in_until(self, deadline: Instant, retry: Retry) -> anyhow::Result<Report> {
        let mut report = Report::default();
        while Instant::now() < deadline {
            let start = Instant::now();
            let sent = self.client.post(&self.url).header(COOKIE, &self.cookie).form(&self.form).send().await;
            let response = match sent {
                Ok(response) => response,
                Err(e) => {
                    *report.other.entry(format!("transport error: {e}")).or_default() += 1;
                    continue;
                }
            };
            let status = response.status();
            let retry_after = response.headers().get(RETRY_AFTER).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
            // The whole answer, so the connection can be reused.
            let body = response.bytes().await;
            let took = start.elapsed();
            match (status, body) {
                (StatusCode::SEE_OTHER, Ok(_)) => report.ok.push(took),
                (StatusCode::SERVICE_UNAVAILABLE, Ok(_)) => {
                    report.overloaded.push(took);
                    if let (Retry::HonourRetryAfter, Some(secs)) = (retry, retry_after) {
                        tokio::time::sleep(
                            Duration::from_secs(secs).min(deadline.saturating_duration_since(Instant::now())),
                        )
                        .await;
                    }
                }
                (status, Ok(_)) => *report.other.entry(status.as_u16().to_string()).or_default() += 1,
                (_, Err(e)) => *report.other.entry(format!("body error: {e}")).or_default() += 1,
            }
        }
        Ok(report)
    }
}

/// Nearest-rank percentile of unsorted samples (zero when there are none).
fn percentile(samples: &[Duration], p: f64) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len().max(1));
    sorted.get(rank - 1).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
