//! Two nodes on one PostgreSQL database, as behind a load balancer: start to healthy on an
//! existing database, userinfo and introspection per second with the per-node cache (load from
//! `wrk`, its own process) and the server's CPU time per request, and how long a revocation on
//! one node takes to end the token on the other (SPEC §8: ≥ 8 k/s on 2 cores, within 1 s).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context as _, ensure};
use base64::Engine as _;
use reqwest::StatusCode;
use serde_json::json;
use sqlx::Connection as _;

use super::memory::{ms, round1};
use super::process::{Node, Settings, free_port, load_average, master_key, median, wrk};
use super::web::{access_token, create_client, create_user, signed_in_browser};

const STARTS: usize = 5;
const RUNS: usize = 3;
const RUN_SECONDS: u32 = 10;
const CONNECTIONS: u32 = 16;
const REVOCATIONS: usize = 20;
const EMAIL: &str = "reader@example.com";

pub async fn run(dir: &std::path::Path) -> anyhow::Result<serde_json::Value> {
    let admin = std::env::var("KEYSTEAD_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let name = format!("keystead_bench_{}", std::process::id());
    let mut conn = sqlx::PgConnection::connect(&admin).await.context("PostgreSQL (KEYSTEAD_TEST_POSTGRES_URL)")?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\""))).execute(&mut conn).await?;
    let mut url = reqwest::Url::parse(&admin)?;
    url.set_path(&format!("/{name}"));
    let result = measure(dir, url.as_str()).await;
    let drop_db = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    sqlx::raw_sql(sqlx::AssertSqlSafe(drop_db)).execute(&mut conn).await?;
    result
}

async fn measure(dir: &std::path::Path, database_url: &str) -> anyhow::Result<serde_json::Value> {
    let key = master_key()?;
    let (port_a, port_b) = (free_port()?, free_port()?);
    let issuer = format!("http://127.0.0.1:{port_a}/");
    let settings = |port, sub: &str| -> anyhow::Result<std::path::PathBuf> {
        let dir = dir.join(sub);
        Settings { dir: &dir, port, database_url, master_key: &key, public_url: &issuer }.write()
    };
    let (config_a, config_b) = (settings(port_a, "a")?, settings(port_b, "b")?);
    let url_b = format!("http://127.0.0.1:{port_b}/");

    let (first_start, mut starts) = start_times(&config_a, &issuer).await?;
    let start_median = median(&mut starts);
    println!("2. PostgreSQL, two nodes on one database");
    println!(
        "   start to healthy: {:.0} ms creating the schema, then on the existing database median {start_median:.0} ms \
         (min {:.0}, max {:.0}, {STARTS} starts)",
        ms(first_start),
        starts[0],
        starts[STARTS - 1]
    );

    let (a, _) = Node::start(&config_a, &issuer).await?;
    let (b, _) = Node::start(&config_b, &url_b).await?;
    create_user(&a, EMAIL)?;
    let (client_id, secret) = create_client(&a)?;
    let browser = signed_in_browser(&a, EMAIL).await?;
    let token = access_token(&browser, &a, &client_id, &secret, "openid profile email").await?;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{client_id}:{secret}"));
    let (userinfo_lua, introspect_lua) = scripts(dir, &token, &basic)?;
    let http = reqwest::Client::new();
    let answer: serde_json::Value = http
        .post(a.at("/oauth/introspect"))
        .header("Authorization", format!("Basic {basic}"))
        .form(&[("token", &token)])
        .send()
        .await?
        .json()
        .await?;
    ensure!(answer["active"] == json!(true), "the token is not active: {answer}");

    let load_before = load_average()?;
    let rates = rates(
        &a,
        [("userinfo", "/oauth/userinfo", &userinfo_lua), ("introspection", "/oauth/introspect", &introspect_lua)],
    )?;
    let load_after = load_average()?;
    println!("   load average (1 min) before {load_before:.2}, after {load_after:.2}");

    let (delay_median, delay_max) = revocation_delays(&browser, (&a, &b), &client_id, &secret).await?;
    a.stop()?;
    b.stop()?;
    Ok(json!({
        "start_to_healthy_ms": { "creating_schema": round1(ms(first_start)), "existing_median": round1(start_median),
                                  "existing_min": round1(starts[0]), "existing_max": round1(starts[STARTS - 1]) },
        "rates": rates,
        "load_average": { "before": load_before, "after": load_after },
        "cross_node_revocation_ms": { "median": round1(delay_median), "max": round1(delay_max) },
    }))
}

/// Each of `targets` loaded by `wrk` `RUNS` times on `node`: rate, CPU per request, latency.
fn rates(
    node: &Node,
    targets: [(&str, &str, &PathBuf); 2],
) -> anyhow::Result<serde_json::Map<String, serde_json::Value>> {
    let mut rates = serde_json::Map::new();
    for (what, path, script) in targets {
        let (mut per_s, mut cpu_ms) = (Vec::new(), Vec::new());
        let mut last = None;
        for _ in 0..RUNS {
            let cpu = node.cpu_time()?;
            let run = wrk(&node.at(path), script, CONNECTIONS, RUN_SECONDS)?;
            let used = node.cpu_time()? - cpu;
            ensure!(run.non_2xx == 0, "{what}: {} answers were not 2xx", run.non_2xx);
            per_s.push(run.per_s);
            cpu_ms.push(ms(used) / run.requests as f64);
            last = Some(run);
        }
        let last = last.context("no run")?;
        let (rate, cpu) = (median(&mut per_s), median(&mut cpu_ms));
        println!(
            "   {what:<13} {rate:>8.0} req/s (median of {RUNS} × {RUN_SECONDS} s, wrk -t2 -c{CONNECTIONS}; runs {}), \
             server CPU {cpu:.3} ms/request, last run p50 {:.2} ms p99 {:.2} ms",
            per_s.iter().map(|r| format!("{r:.0}")).collect::<Vec<_>>().join(" / "),
            last.p50_ms,
            last.p99_ms
        );
        rates.insert(
            what.to_owned(),
            json!({ "per_s": rate.round(), "runs": per_s.iter().map(|r| r.round()).collect::<Vec<_>>(),
                    "cpu_ms_per_request": (cpu * 1000.0).round() / 1000.0,
                    "p50_ms": last.p50_ms, "p99_ms": last.p99_ms }),
        );
    }
    Ok(rates)
}

/// `REVOCATIONS` times: a new token, used 20 times on node B (so B has it cached), revoked on
/// node A; the time until B refuses it. Returns the median and the longest, ms.
async fn revocation_delays(
    browser: &reqwest::Client,
    (a, b): (&Node, &Node),
    client_id: &str,
    secret: &str,
) -> anyhow::Result<(f64, f64)> {
    let http = reqwest::Client::new();
    let mut delays = Vec::new();
    for _ in 0..REVOCATIONS {
        let token = access_token(browser, a, client_id, secret, "openid").await?;
        let userinfo = |node: &Node| http.get(node.at("/oauth/userinfo")).bearer_auth(&token).send();
        for _ in 0..20 {
            ensure!(userinfo(b).await?.status() == StatusCode::OK, "the token does not work on node B");
        }
        let res = http
            .post(a.at("/oauth/revoke"))
            .basic_auth(client_id, Some(secret))
            .form(&[("token", &token)])
            .send()
            .await?;
        ensure!(res.status() == StatusCode::OK, "revocation answered {}", res.status());
        let revoked = Instant::now();
        while userinfo(b).await?.status() == StatusCode::OK {
            ensure!(revoked.elapsed() < Duration::from_secs(5), "node B still accepts a revoked token after 5 s");
        }
        delays.push(ms(revoked.elapsed()));
    }
    let delay_median = median(&mut delays);
    let delay_max = delays[delays.len() - 1];
    println!(
        "   revocation on node A → refused on node B: median {delay_median:.2} ms, max {delay_max:.2} ms \
         ({REVOCATIONS} tokens, each used 20 times on B first)"
    );
    Ok((delay_median, delay_max))
}

/// The first start (it creates the schema), then `STARTS` starts on the existing database (ms).
async fn start_times(config: &std::path::Path, url: &str) -> anyhow::Result<(Duration, Vec<f64>)> {
    let (first, first_start) = Node::start(config, url).await?;
    first.stop()?;
    let mut starts = Vec::new();
    for _ in 0..STARTS {
        let (node, took) = Node::start(config, url).await?;
        starts.push(ms(took));
        node.stop()?;
    }
    Ok((first_start, starts))
}

/// `wrk` scripts: userinfo with the bearer token; introspection of it by the client (Basic).
fn scripts(dir: &std::path::Path, token: &str, basic: &str) -> anyhow::Result<(PathBuf, PathBuf)> {
    let userinfo = dir.join("userinfo.lua");
    std::fs::write(&userinfo, format!("wrk.headers[\"Authorization\"] = \"Bearer {token}\"\n"))?;
    let introspect = dir.join("introspect.lua");
    std::fs::write(
        &introspect,
        format!(
            "wrk.method = \"POST\"\nwrk.body = \"token={token}\"\n\
             wrk.headers[\"Content-Type\"] = \"application/x-www-form-urlencoded\"\n\
             wrk.headers[\"Authorization\"] = \"Basic {basic}\"\n"
        ),
    )?;
    Ok((userinfo, introspect))
}
