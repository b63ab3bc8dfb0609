//! The admin API's user directory at scale (issue 14 §6): 1 000 000 accounts (addresses from
//! small name lists, so that a short prefix matches tens of thousands). Measures, 1 000 times
//! each after a warm-up, `Core::search_users` (a page of 50) for
//!
//! 1. a short prefix (`anna.`: a full page out of ~60 000 matches),
//! 2. a long prefix (one account),
//! 3. a prefix nothing matches,
//! 4. a prefix with the status filter (`disabled`),
//! 5. the page after a cursor deep in the directory,
//! 6. a name filter alone (`öztürk`, a scan: reported, not a target),
//!
//! then the console's one search box (`UserQuery::text`, issue 17): a term that is an address
//! prefix and a name word at once (`anna`), a family name's word (`öztürk`, served by the name
//! keys), an id prefix (8 hexadecimal digits), and the lists without a term that its filters
//! make: newest first, status `disabled`, without a second factor, one organization's people,
//!
//! and `GET /api/v1/users?email=anna.` over loopback with a token (500 times).
//!
//! Runs on SQLite by default, on PostgreSQL with `KEYSTEAD_TEST_DATABASE=postgres`;
//! `KEYSTEAD_BENCH_USERS` changes the size. Run with
//! `cargo bench -p keystead-web --bench user_search`.

use std::time::{Duration, Instant};

use anyhow::ensure;
use keystead_core::accounts::UserStatus;
use keystead_core::accounts::directory::{UserOrder, UserQuery};
use keystead_core::api_tokens::NewApiToken;
use keystead_core::audit::RequestMeta;
use keystead_core::config::Config;
use keystead_core::organizations::{Actor, NewOrganization, seed};
use keystead_testkit::{TestApp, TestAppOptions};
use reqwest::StatusCode;
use secrecy::ExposeSecret as _;

const RUNS: usize = 1_000;
const HTTP_RUNS: usize = 500;

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

fn report(what: &str, mut times: Vec<Duration>) {
    times.sort();
    println!("{what:<48} p50 {:>7.3} ms   p99 {:>7.3} ms", percentile(&times, 0.5), percentile(&times, 0.99));
}

async fn searches(app: &TestApp, what: &str, query: UserQuery, at_least: usize) -> anyhow::Result<()> {
    let mut times = Vec::with_capacity(RUNS);
    for i in 0..RUNS + 50 {
        let t = Instant::now();
        let page = app.core.search_users(Actor::Operator, None, &query).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let took = t.elapsed();
        ensure!(page.items.len() >= at_least, "{what}: {} found", page.items.len());
        if i >= 50 {
            times.push(took);
        }
    }
    report(what, times);
    Ok(())
}

fn prefix(p: &str) -> UserQuery {
    UserQuery { email_prefix: Some(p.to_owned()), ..UserQuery::default() }
}

fn text(t: &str) -> UserQuery {
    UserQuery { text: Some(t.to_owned()), ..UserQuery::default() }
}

/// The console's search box and filters (issue 17).
async fn console(app: &TestApp, one: &str) -> anyhow::Result<()> {
    let fail = |e: keystead_core::Error| anyhow::anyhow!("{e:?}");
    searches(app, "console: term \"anna\" (address or name word)", text("anna"), 50).await?;
    searches(app, "console: term \"öztürk\" (a name's word)", text("öztürk"), 50).await?;
    let found = app.core.search_users(Actor::Operator, None, &prefix(one)).await.map_err(fail)?;
    let id = found.items.first().map(|e| e.record.user.id.to_string()).unwrap_or_default();
    searches(app, "console: term = an id's first 8 digits", text(&id[..8]), 1).await?;
    let newest = UserQuery { order: UserOrder::NewestFirst, ..UserQuery::default() };
    searches(app, "console: newest first", newest, 50).await?;
    let disabled = UserQuery { status: Some(UserStatus::Disabled), ..UserQuery::default() };
    searches(app, "console: status disabled", disabled, 50).await?;
    let without = UserQuery { mfa: Some(false), ..text("mia") };
    searches(app, "console: term \"mia\" without a second factor", without, 50).await?;
    let owner = found.items.first().map(|e| e.record.user.id);
    let new = NewOrganization { name: "Bench Org", slug: Some("bench-org"), owner };
    let org = app.core.create_organization(Actor::Operator, new, &RequestMeta::cli()).await.map_err(fail)?;
    let members = UserQuery { organization: Some(org.id), ..UserQuery::default() };
    searches(app, "console: one organization's people", members, 1).await?;
    Ok(())
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let users: usize = std::env::var("KEYSTEAD_BENCH_USERS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let configure = |c: &mut Config| c.rate_limits.api_per_token = 10_000_000;
    let app =
        TestApp::start(TestAppOptions { configure: Some(Box::new(configure)), ..TestAppOptions::default() }).await?;
    let backend = format!("{:?}", app.core.store().backend());
    let started = Instant::now();
    let emails = seed::seed_directory(&app.core, users, 10_000).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    println!(
        "Keystead user directory benchmark on {backend}: {users} accounts seeded in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let one = emails[users / 2].clone();
    searches(&app, "short prefix \"anna.\" (a page of 50)", prefix("anna."), 50).await?;
    searches(&app, &format!("long prefix {:?} (one)", &one[..one.len() - 4]), prefix(&one[..one.len() - 4]), 1).await?;
    searches(&app, "prefix nothing matches", prefix("zzz"), 0).await?;
    let disabled = UserQuery { status: Some(UserStatus::Disabled), ..prefix("mia.") };
    searches(&app, "prefix \"mia.\" + status disabled", disabled, 1).await?;
    let first =
        app.core.search_users(Actor::Operator, None, &prefix(&one[..6])).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let deep = UserQuery { cursor: first.next_cursor, ..UserQuery::default() };
    searches(&app, "the page after a cursor mid-directory", deep, 50).await?;
    let name = UserQuery { name: Some("öztürk".into()), limit: Some(50), ..UserQuery::default() };
    searches(&app, "name filter alone (scan)", name, 50).await?;
    console(&app, &one).await?;

    let new = NewApiToken { name: "bench".into(), scopes: vec!["users:read".into()], organization: None, days: None };
    let made = app
        .core
        .create_api_token(Actor::Operator, new, &RequestMeta::cli())
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let token = made.token.expose_secret().to_owned();
    let client = reqwest::Client::new();
    let url = app.at("/api/v1/users?email=anna.");
    let mut times = Vec::with_capacity(HTTP_RUNS);
    for i in 0..HTTP_RUNS + 20 {
        let t = Instant::now();
        let r = client.get(&url).bearer_auth(&token).send().await?;
        ensure!(r.status() == StatusCode::OK, "GET /api/v1/users answered {}", r.status());
        let _ = r.bytes().await?;
        if i >= 20 {
            times.push(t.elapsed());
        }
    }
    report("HTTP GET /api/v1/users?email=anna. (loopback)", times);
    Ok(())
}
