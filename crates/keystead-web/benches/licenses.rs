//! Licensing at scale (issue 12 §10): 10 000 organizations each holding a `cet-pro`
//! subscription with a seat for each of their members (10 000 users, one organization each).
//! One signed-in user holding seats in 5 of them measures, sequentially:
//!
//! 1. `GET /account/licenses` (My Account → Licenses),
//! 2. `GET /downloads/file/{token}` for an external-URL download (the 303; the signed link is
//!    checked on every request: MAC, expiry, account and a live license unlocking it),
//! 3. `GET /account/downloads` (My Account → Downloads).
//!
//! p50 / p95 / p99 over loopback (an upper bound of the server time: the HTTP round trip is
//! included). Targets: p50 under 5 ms on SQLite, under 10 ms on PostgreSQL. Runs on SQLite by
//! default, on PostgreSQL with `KEYSTEAD_TEST_DATABASE=postgres`; `KEYSTEAD_BENCH_ORGS` changes
//! the size. Run with `cargo bench -p keystead-web --bench licenses`.

use std::time::{Duration, Instant};

use anyhow::{Context as _, anyhow, ensure};
use keystead_core::accounts::admin::NewUser;
use keystead_core::audit::RequestMeta;
use keystead_core::config::Config;
use keystead_core::organizations::{Actor, seed};
use keystead_testkit::licensing as catalogue;
use keystead_testkit::{TestApp, TestAppOptions};
use reqwest::StatusCode;
use secrecy::SecretString;

const PASSWORD: &str = "velvet harbour kettle mosaic 1843";
const EMAIL: &str = "bench@example.com";
const RUNS: usize = 1000;

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

async fn signed_in_client(app: &TestApp) -> anyhow::Result<reqwest::Client> {
    let client = app.client();
    let html = client.get(app.at("/sign-in")).send().await?.text().await?;
    let start = html.find("name=\"csrf_token\" value=\"").context("csrf field")? + "name=\"csrf_token\" value=\"".len();
    let token = &html[start..start + 43];
    let res = client
        .post(app.at("/sign-in/password"))
        .form(&[("csrf_token", token), ("email", EMAIL), ("password", PASSWORD)])
        .send()
        .await?;
    ensure!(res.status() == StatusCode::SEE_OTHER, "sign-in answered {}", res.status());
    Ok(client)
}

/// Sends `RUNS` requests to `url` (after 50 to warm up); p50, p95 and p99 in ms.
async fn measure(name: &str, client: &reqwest::Client, url: &str, expect: StatusCode) -> anyhow::Result<[f64; 3]> {
    for _ in 0..50 {
        client.get(url).send().await?.bytes().await?;
    }
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        let res = client.get(url).send().await?;
        ensure!(res.status() == expect, "{name} answered {}", res.status());
        res.bytes().await?;
        times.push(t.elapsed());
    }
    times.sort();
    let p = [percentile(&times, 0.5), percentile(&times, 0.95), percentile(&times, 0.99)];
    println!("{name}: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms", p[0], p[1], p[2]);
    Ok(p)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let orgs: usize = std::env::var("KEYSTEAD_BENCH_ORGS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let configure = |c: &mut Config| c.rate_limits.sign_in_per_ip = 10_000_000;
    let app =
        TestApp::start(TestAppOptions { configure: Some(Box::new(configure)), ..TestAppOptions::default() }).await?;
    let backend = format!("{:?}", app.core.store().backend());
    let started = Instant::now();
    let download = catalogue::catalogue(&app.core, "downloads").await?.download;
    let seeded = seed::seed(&app.core, orgs, orgs, 1, 0).await.map_err(|e| anyhow!("{e:?}"))?;
    let seats = keystead_core::licensing::seed::subscribe_all(&app.core, &seeded.organizations, "cet-pro", 10)
        .await
        .map_err(|e| anyhow!("{e:?}"))?;
    let meta = RequestMeta::cli();
    let new = NewUser {
        email: EMAIL,
        given_name: Some("Bench"),
        family_name: Some("User"),
        verified: true,
        password: Some(SecretString::from(PASSWORD)),
    };
    let me = app.core.create_user(new, &meta).await.map_err(|e| anyhow!("{e:?}"))?.id;
    for org in seeded.organizations.iter().step_by((orgs / 5).max(1)).take(5) {
        app.core
            .add_organization_member(Actor::Operator, *org, me, "member", &meta)
            .await
            .map_err(|e| anyhow!("{e:?}"))?;
        app.core.assign_seat(Actor::Operator, *org, "cet-pro", me, &meta).await.map_err(|e| anyhow!("{e:?}"))?;
    }
    ensure!(app.core.licenses_of(me).await.map_err(|e| anyhow!("{e:?}"))?.len() == 5, "5 licenses held");
    println!(
        "Keystead licensing benchmark on {backend}: {orgs} organizations with a subscription each, {} users, {} \
         seats seeded in {:.1} s",
        seeded.users.len() + 1,
        seats + 5,
        started.elapsed().as_secs_f64()
    );

    let client = signed_in_client(&app).await?;
    let licenses = measure("1. GET /account/licenses", &client, &app.at("/account/licenses"), StatusCode::OK).await?;
    let res = client.get(app.at(&format!("/account/downloads/{download}"))).send().await?;
    ensure!(res.status() == StatusCode::SEE_OTHER, "minting a link answered {}", res.status());
    let link = res.headers().get("location").and_then(|v| v.to_str().ok()).context("link")?.to_owned();
    // The link needs no session: measure it as a download manager would fetch it.
    let anonymous = app.client();
    let authorize =
        measure("2. GET /downloads/file/{token} (303)", &anonymous, &app.at(&link), StatusCode::SEE_OTHER).await?;
    let page = measure("3. GET /account/downloads", &client, &app.at("/account/downloads"), StatusCode::OK).await?;

    println!(
        "{}",
        serde_json::json!({
            "bench": "licenses", "backend": backend, "organizations": orgs, "seats": seats + 5,
            "account_licenses_ms": {"p50": licenses[0], "p95": licenses[1], "p99": licenses[2]},
            "download_authorization_ms": {"p50": authorize[0], "p95": authorize[1], "p99": authorize[2]},
            "account_downloads_ms": {"p50": page[0], "p95": page[1], "p99": page[2]},
        })
    );
    Ok(())
}
