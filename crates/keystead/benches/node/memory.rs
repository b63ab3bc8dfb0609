//! Memory of one node on its embedded default (SQLite): idle, under a password sign-in load,
//! and after it (SPEC §8: idle ≤ 20 MiB; under load ≤ idle + workers × Argon2 memory; back
//! within 10 MiB of idle a minute after the load).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;

use super::allocators::Allocator;
use super::process::{Node, load_average, mib, sqlite_config};
use super::web::{SignInLoop, create_user};

/// People signing in at once, each as their own account.
const PEOPLE: usize = 8;
const LOAD_FOR: Duration = Duration::from_secs(20);
/// When RSS is read after the load ends (the workers give their memory back after 60 s).
const AFTER: [u64; 5] = [1, 15, 30, 62, 75];

pub async fn run(dir: &std::path::Path, allocator: &Allocator) -> anyhow::Result<serde_json::Value> {
    let (config, url) = sqlite_config(dir)?;
    // The first start creates the database; the measured node starts on it as it exists.
    let (first, _) = Node::start(&config, &url).await?;
    for n in 0..PEOPLE {
        create_user(&first, &format!("person{n}@example.com"))?;
    }
    first.stop()?;
    let (node, start) = Node::start_with(&config, &url, &allocator.env).await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (idle, idle_hwm) = node.rss_kib()?;
    let (idle_anon, idle_file) = node.rss_split_kib()?;
    let order = super::layout::coverage();
    println!("1. Memory (SQLite, release binary, allocator {}, pid {})", allocator.name, node.pid());
    println!(
        "   start to healthy {:.0} ms; idle {:.1} MiB (high-water {:.1} MiB): {:.1} MiB private, {:.1} MiB \
         mapped from the binary and libraries",
        ms(start),
        mib(idle),
        mib(idle_hwm),
        mib(idle_anon),
        mib(idle_file)
    );

    if let Some((found, listed)) = order {
        println!(
            "   code order: {found} of the {listed} functions it lists are in this binary (-- layout rewrites it)"
        );
    }
    let (rate, under_median, under_max, ended) = sign_in_load(&node).await?;
    println!(
        "   under load ({PEOPLE} people signing in for {} s, {rate:.1} sign-ins/s): median {:.1} MiB, max {:.1} MiB",
        LOAD_FOR.as_secs(),
        mib(under_median),
        mib(under_max)
    );
    let mut after = Vec::new();
    // The last reading, when the workers have given their memory back: the idle the node settles at.
    let mut settled = 0;
    for secs in AFTER {
        let at = ended + Duration::from_secs(secs);
        tokio::time::sleep(at.saturating_duration_since(Instant::now())).await;
        let (rss, _) = node.rss_kib()?;
        let (anon, _) = node.rss_split_kib()?;
        println!(
            "   {secs:>3} s after the load: {:.1} MiB ({:+.1} MiB against idle; private {:.1} MiB)",
            mib(rss),
            mib(rss) - mib(idle),
            mib(anon)
        );
        after.push(json!({ "after_s": secs, "rss_mib": round1(mib(rss)), "private_mib": round1(mib(anon)) }));
        settled = rss;
    }
    let bound = argon2_bound_kib(&config)?;
    println!(
        "   SPEC §8 bound under load: idle + workers × Argon2 memory = idle + {:.1} MiB. Measured: idle at start \
         {:+.1} MiB; idle settled after the load ({:.1} MiB: code, messages and connections the first requests \
         loaded) {:+.1} MiB",
        mib(bound),
        mib(under_median) - mib(idle),
        mib(settled),
        mib(under_median) - mib(settled)
    );
    let load = load_average()?;
    println!("   load average (1 min) at the end: {load:.2}");
    node.stop()?;
    Ok(json!({
        "allocator": allocator.name,
        "start_to_healthy_ms": round1(ms(start)),
        "idle_rss_mib": round1(mib(idle)),
        "idle_high_water_mib": round1(mib(idle_hwm)),
        "idle_private_mib": round1(mib(idle_anon)),
        "idle_file_mib": round1(mib(idle_file)),
        "code_order_found": order.map(|(found, listed)| json!({ "found": found, "listed": listed })),
        "sign_ins_per_s": round1(rate),
        "under_load_rss_mib": { "median": round1(mib(under_median)), "max": round1(mib(under_max)) },
        "after_load": after,
        "argon2_bound_mib": round1(mib(bound)),
        "settled_idle_rss_mib": round1(mib(settled)),
        "load_average": load,
    }))
}

/// What the node's password workers take at most (KiB): `passwords.workers` × `passwords.memory_kib`
/// as the server reads its configuration file.
fn argon2_bound_kib(config: &std::path::Path) -> anyhow::Result<u64> {
    let sources = keystead_core::config::ConfigSources {
        file: Some(config.to_owned()),
        env: Some(std::collections::HashMap::new()),
        overrides: Vec::new(),
    };
    let config = keystead_core::config::Config::load(&sources)
        .map_err(|errors| anyhow::anyhow!("the node's configuration: {errors:?}"))?;
    let p = config.passwords;
    Ok(u64::try_from(p.workers)? * u64::from(p.memory_kib))
}

/// `PEOPLE` people sign in again and again for `LOAD_FOR` while RSS is read every 100 ms;
/// returns sign-ins per second, the median and highest RSS (KiB) and when the load ended.
async fn sign_in_load(node: &Node) -> anyhow::Result<(f64, u64, u64, Instant)> {
    let stop = Arc::new(AtomicBool::new(false));
    let signed_in = Arc::new(AtomicU64::new(0));
    let mut people = Vec::new();
    for n in 0..PEOPLE {
        let person = SignInLoop::new(node, &format!("person{n}@example.com")).await?;
        let (stop, signed_in) = (Arc::clone(&stop), Arc::clone(&signed_in));
        people.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                if person.once().await {
                    signed_in.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    let began = Instant::now();
    let mut under = Vec::new();
    while began.elapsed() < LOAD_FOR {
        tokio::time::sleep(Duration::from_millis(100)).await;
        under.push(node.rss_kib()?.0);
    }
    stop.store(true, Ordering::Relaxed);
    for p in people {
        p.await?;
    }
    let ended = Instant::now();
    let rate = signed_in.load(Ordering::Relaxed) as f64 / ended.duration_since(began).as_secs_f64();
    under.sort_unstable();
    Ok((rate, under[under.len() / 2], under[under.len() - 1], ended))
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
