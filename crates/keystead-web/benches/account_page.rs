//! My Account page speed: the signed-in `GET /account/profile` (session lookup with its user,
//! profile read, template render) with 10 000 users in the database.
//!
//! 1. 1 000 sequential requests from one signed-in browser: p50 / p99 latency over loopback
//!    (an upper bound of the server time: it includes the HTTP round trip).
//! 2. 8 concurrent signed-in browsers for 5 s: requests per second.
//!
//! Runs on SQLite by default, on PostgreSQL with `KEYSTEAD_TEST_DATABASE=postgres`.
//! `KEYSTEAD_BENCH_USERS` changes the number of users. Run with
//! `cargo bench -p keystead-web --bench account_page`.

use std::time::{Duration, Instant};

use anyhow::{Context as _, ensure};
use keystead_core::accounts::admin::NewUser;
use keystead_core::audit::RequestMeta;
use keystead_core::config::Config;
use keystead_testkit::{TestApp, TestAppOptions};
use reqwest::StatusCode;
use secrecy::SecretString;

const PASSWORD: &str = "velvet harbour kettle mosaic 1843";

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

async fn signed_in_client(app: &TestApp, email: &str) -> anyhow::Result<reqwest::Client> {
    let client = app.client();
    let html = client.get(app.at("/sign-in")).send().await?.text().await?;
    let start = html.find("name=\"csrf_token\" value=\"").context("csrf field")? + "name=\"csrf_token\" value=\"".len();
    let token = &html[start..start + 43];
    let res = client
        .post(app.at("/sign-in/password"))
        .form(&[("csrf_token", token), ("email", email), ("password", PASSWORD)])
        .send()
        .await?;
    ensure!(res.status() == StatusCode::SEE_OTHER, "sign-in answered {}", res.status());
    Ok(client)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let users: usize = std::env::var("KEYSTEAD_BENCH_USERS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let configure = |c: &mut Config| c.rate_limits.sign_in_per_ip = 10_000_000;
    let app =
        TestApp::start(TestAppOptions { configure: Some(Box::new(configure)), ..TestAppOptions::default() }).await?;
    let backend = format!("{:?}", app.core.store().backend());
    let started = Instant::now();
    for i in 0..users {
        let email = format!("user{i:06}@example.com");
        let password = (i < 8).then(|| SecretString::from(PASSWORD));
        let new =
            NewUser { email: &email, given_name: Some("Test"), family_name: Some("User"), verified: true, password };
        app.core.create_user(new, &RequestMeta::cli()).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    }
    println!(
        "Keystead My Account benchmark on {backend}: {users} users created in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let client = signed_in_client(&app, "user000000@example.com").await?;
    let url = app.at("/account/profile");
    for _ in 0..50 {
        client.get(&url).send().await?.bytes().await?;
    }
    let mut times = Vec::with_capacity(1000);
    for _ in 0..1000 {
        let t = Instant::now();
        let res = client.get(&url).send().await?;
        ensure!(res.status() == StatusCode::OK, "GET /account/profile answered {}", res.status());
        res.bytes().await?;
        times.push(t.elapsed());
    }
    times.sort();
    let (p50, p99) = (percentile(&times, 0.5), percentile(&times, 0.99));
    println!("1. sequential GET /account/profile: p50 {p50:.2} ms, p99 {p99:.2} ms (loopback round trip included)");

    let mut clients = Vec::new();
    for i in 0..8 {
        clients.push(signed_in_client(&app, &format!("user{i:06}@example.com")).await?);
    }
    let until = Instant::now() + Duration::from_secs(5);
    let mut tasks = Vec::new();
    for client in clients {
        let url = url.clone();
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            while Instant::now() < until {
                if let Ok(res) = client.get(&url).send().await
                    && res.status() == StatusCode::OK
                    && res.bytes().await.is_ok()
                {
                    n += 1;
                }
            }
            n
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await?;
    }
    let rps = total as f64 / 5.0;
    println!("2. 8 concurrent browsers for 5 s: {rps:.0} requests/s");
    println!(
        "{}",
        serde_json::json!({"bench": "account_page", "backend": backend, "users": users, "p50_ms": p50, "p99_ms": p99, "requests_per_s": rps})
    );
    Ok(())
}
