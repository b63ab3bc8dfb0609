//! Home-realm discovery at scale (issue 13 §7): 10 000 organizations with 20 000 verified
//! domains, each organization with an enabled SSO connection. Measures, 2 000 times each:
//!
//! 1. `Core::discover_realm` for an address of a connected domain (the added lookup itself),
//! 2. the same for an address of no organization (the common miss),
//! 3. `POST /sign-in` (the email step) for a connected address — the "Continue to …" page —
//!    and for an unknown one — the password page — over loopback (500 each).
//!
//! Runs on SQLite by default, on PostgreSQL with `KEYSTEAD_TEST_DATABASE=postgres`;
//! `KEYSTEAD_BENCH_ORGS` changes the size. Run with `cargo bench -p keystead-web --bench hrd`.

use std::time::{Duration, Instant};

use anyhow::{Context as _, ensure};
use keystead_core::accounts::EmailAddress;
use keystead_core::config::Config;
use keystead_core::organizations::seed;
use keystead_core::sso::Realm;
use keystead_testkit::{TestApp, TestAppOptions};
use reqwest::StatusCode;

const CORE_RUNS: usize = 2_000;
const HTTP_RUNS: usize = 500;

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

async fn lookups(app: &TestApp, address: &str, sso: bool) -> anyhow::Result<(f64, f64)> {
    let email = EmailAddress::parse("email", address).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let mut times = Vec::with_capacity(CORE_RUNS);
    for i in 0..CORE_RUNS + 50 {
        let t = Instant::now();
        let realm = app.core.discover_realm(&email).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let took = t.elapsed();
        ensure!(matches!(realm, Realm::Sso { .. }) == sso, "{address}: {realm:?}");
        if i >= 50 {
            times.push(took);
        }
    }
    times.sort();
    Ok((percentile(&times, 0.5), percentile(&times, 0.99)))
}

async fn email_steps(app: &TestApp, address: &str, expect: &str) -> anyhow::Result<(f64, f64)> {
    let client = app.client();
    let html = client.get(app.at("/sign-in")).send().await?.text().await?;
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).context("csrf field")? + marker.len();
    let csrf = html[start..start + 43].to_owned();
    let mut times = Vec::with_capacity(HTTP_RUNS);
    for i in 0..HTTP_RUNS + 20 {
        let t = Instant::now();
        let res =
            client.post(app.at("/sign-in")).form(&[("csrf_token", csrf.as_str()), ("email", address)]).send().await?;
        ensure!(res.status() == StatusCode::OK, "email step answered {}", res.status());
        let body = res.text().await?;
        let took = t.elapsed();
        ensure!(body.contains(expect), "expected {expect:?}");
        if i >= 20 {
            times.push(took);
        }
    }
    times.sort();
    Ok((percentile(&times, 0.5), percentile(&times, 0.99)))
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let orgs: usize = std::env::var("KEYSTEAD_BENCH_ORGS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let configure = |c: &mut Config| c.rate_limits.sign_in_per_ip = 10_000_000;
    let app =
        TestApp::start(TestAppOptions { configure: Some(Box::new(configure)), ..TestAppOptions::default() }).await?;
    let backend = format!("{:?}", app.core.store().backend());
    let started = Instant::now();
    let seeded = seed::seed(&app.core, orgs, 0, 0, 0).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let domains = keystead_core::sso::seed::domains_and_connections(&app.core, &seeded.organizations, 2)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    println!(
        "Keystead home-realm discovery benchmark on {backend}: {orgs} organizations, {domains} verified domains, {orgs} connections seeded in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let hit = format!("ada@org{}-1.example", orgs / 2);
    let (hit_p50, hit_p99) = lookups(&app, &hit, true).await?;
    println!("1. discover_realm, connected domain: p50 {hit_p50:.3} ms, p99 {hit_p99:.3} ms");
    let (miss_p50, miss_p99) = lookups(&app, "ada@nobody.example", false).await?;
    println!("2. discover_realm, unknown domain: p50 {miss_p50:.3} ms, p99 {miss_p99:.3} ms");
    let (sso_p50, sso_p99) = email_steps(&app, &hit, "Continue to SSO").await?;
    println!("3a. POST /sign-in, connected domain: p50 {sso_p50:.2} ms, p99 {sso_p99:.2} ms");
    let (pw_p50, pw_p99) = email_steps(&app, "ada@nobody.example", "Password").await?;
    println!("3b. POST /sign-in, unknown domain: p50 {pw_p50:.2} ms, p99 {pw_p99:.2} ms");
    println!(
        "{}",
        serde_json::json!({
            "bench": "hrd", "backend": backend, "organizations": orgs, "verified_domains": domains,
            "discover_hit_p50_ms": hit_p50, "discover_hit_p99_ms": hit_p99,
            "discover_miss_p50_ms": miss_p50, "discover_miss_p99_ms": miss_p99,
            "email_step_sso_p50_ms": sso_p50, "email_step_password_p50_ms": pw_p50,
        })
    );
    Ok(())
}
