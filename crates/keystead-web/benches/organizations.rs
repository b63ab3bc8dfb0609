//! Organization pages at scale: 10 000 organizations and 100 000 memberships (20 000 users in 5
//! organizations each, the first 1 000 also in one big organization). One signed-in user who
//! belongs to 10 organizations (owner of the big one) measures, 500 sequential requests each:
//!
//! 1. `GET /account/organizations` (My Account → Organizations),
//! 2. `POST /account/organizations/switch` (the "Log in" switch, alternating two organizations),
//! 3. `GET /org/org-000000/members?page=3` (a members page of 50 in the big organization).
//!
//! p50 / p99 over loopback (an upper bound of the server time: the HTTP round trip is included).
//! Runs on SQLite by default, on PostgreSQL with `KEYSTEAD_TEST_DATABASE=postgres`;
//! `KEYSTEAD_BENCH_ORGS` and `KEYSTEAD_BENCH_USERS` change the sizes. Run with
//! `cargo bench -p keystead-web --bench organizations`.

use std::time::{Duration, Instant};

use anyhow::{Context as _, ensure};
use keystead_core::accounts::admin::NewUser;
use keystead_core::audit::RequestMeta;
use keystead_core::config::Config;
use keystead_core::organizations::{Actor, seed};
use keystead_testkit::{TestApp, TestAppOptions};
use reqwest::StatusCode;
use secrecy::SecretString;

const PASSWORD: &str = "velvet harbour kettle mosaic 1843";
const EMAIL: &str = "bench@example.com";
const RUNS: usize = 500;

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

fn csrf_of(html: &str) -> anyhow::Result<String> {
    let start = html.find("name=\"csrf_token\" value=\"").context("csrf field")? + "name=\"csrf_token\" value=\"".len();
    Ok(html[start..start + 43].to_owned())
}

async fn signed_in_client(app: &TestApp) -> anyhow::Result<reqwest::Client> {
    let client = app.client();
    let html = client.get(app.at("/sign-in")).send().await?.text().await?;
    let token = csrf_of(&html)?;
    let res = client
        .post(app.at("/sign-in/password"))
        .form(&[("csrf_token", token.as_str()), ("email", EMAIL), ("password", PASSWORD)])
        .send()
        .await?;
    ensure!(res.status() == StatusCode::SEE_OTHER, "sign-in answered {}", res.status());
    Ok(client)
}

/// Sends `RUNS` requests built by `request` (after 20 to warm up); p50 and p99 in ms.
async fn measure<F>(name: &str, expect: StatusCode, mut request: F) -> anyhow::Result<(f64, f64)>
where
    F: FnMut(usize) -> reqwest::RequestBuilder,
{
    for i in 0..20 {
        request(i).send().await?.bytes().await?;
    }
    let mut times = Vec::with_capacity(RUNS);
    for i in 0..RUNS {
        let t = Instant::now();
        let res = request(i).send().await?;
        ensure!(res.status() == expect, "{name} answered {}", res.status());
        res.bytes().await?;
        times.push(t.elapsed());
    }
    times.sort();
    let (p50, p99) = (percentile(&times, 0.5), percentile(&times, 0.99));
    println!("{name}: p50 {p50:.2} ms, p99 {p99:.2} ms");
    Ok((p50, p99))
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let orgs: usize = std::env::var("KEYSTEAD_BENCH_ORGS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let users: usize = std::env::var("KEYSTEAD_BENCH_USERS").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let configure = |c: &mut Config| c.rate_limits.sign_in_per_ip = 10_000_000;
    let app =
        TestApp::start(TestAppOptions { configure: Some(Box::new(configure)), ..TestAppOptions::default() }).await?;
    let backend = format!("{:?}", app.core.store().backend());
    let started = Instant::now();
    let seeded = seed::seed(&app.core, orgs, users, 5, 1_000).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let meta = RequestMeta::cli();
    let new = NewUser {
        email: EMAIL,
        given_name: Some("Bench"),
        family_name: Some("User"),
        verified: true,
        password: Some(SecretString::from(PASSWORD)),
    };
    let me = app.core.create_user(new, &meta).await.map_err(|e| anyhow::anyhow!("{e:?}"))?.id;
    for (i, org) in seeded.organizations.iter().step_by(orgs / 10).take(10).enumerate() {
        let role = if i == 0 { "owner" } else { "member" };
        app.core
            .add_organization_member(Actor::Operator, *org, me, role, &meta)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    }
    println!(
        "Keystead organizations benchmark on {backend}: {} organizations, {} users, {} memberships seeded in {:.1} s",
        seeded.organizations.len(),
        seeded.users.len(),
        seeded.memberships + 10,
        started.elapsed().as_secs_f64()
    );

    let client = signed_in_client(&app).await?;
    let page_url = app.at("/account/organizations");
    let html = client.get(&page_url).send().await?.text().await?;
    ensure!(html.matches("class=\"org\"").count() == 10, "the user is in 10 organizations");
    let csrf = csrf_of(&html)?;
    let (page_p50, page_p99) =
        measure("1. GET /account/organizations", StatusCode::OK, |_| client.get(&page_url)).await?;

    let switch_url = app.at("/account/organizations/switch");
    let targets = [seeded.organizations[orgs / 10].to_string(), seeded.organizations[0].to_string()];
    let (switch_p50, switch_p99) = measure("2. POST /account/organizations/switch", StatusCode::SEE_OTHER, |i| {
        client.post(&switch_url).form(&[("csrf_token", csrf.as_str()), ("organization", targets[i % 2].as_str())])
    })
    .await?;

    let members_url = app.at("/org/org-000000/members?page=3");
    let html = client.get(&members_url).send().await?.text().await?;
    ensure!(html.matches("Change role<span").count() == 50, "a full page of 50 members");
    let (members_p50, members_p99) =
        measure("3. GET /org/org-000000/members?page=3", StatusCode::OK, |_| client.get(&members_url)).await?;

    println!(
        "{}",
        serde_json::json!({
            "bench": "organizations", "backend": backend, "organizations": orgs, "users": users,
            "memberships": seeded.memberships + 10,
            "account_organizations_p50_ms": page_p50, "account_organizations_p99_ms": page_p99,
            "switch_p50_ms": switch_p50, "switch_p99_ms": switch_p99,
            "members_page_p50_ms": members_p50, "members_page_p99_ms": members_p99,
        })
    );
    Ok(())
}
