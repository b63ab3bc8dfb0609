//! The server as deployed: release binary processes measured from outside.
//!
//! 1. `memory`: one node on SQLite — start to healthy, idle RSS, RSS under a password sign-in
//!    load (8 people, 20 s) and at 1, 15, 30, 62 and 75 s after it.
//!    `allocators`: the same for each allocator of `allocators.rs` (glibc as built and with two
//!    arenas, jemalloc and mimalloc preloaded), one after another (about 2 minutes each).
//! 2. `postgres`: two nodes on one PostgreSQL database — start to healthy on an existing
//!    database, userinfo and introspection per second and CPU per request (`wrk -t2 -c16`), and
//!    the delay from a revocation on one node to the token's refusal on the other.
//!
//! 3. `layout` (only when named): writes the order of the binary's code from what a node runs
//!    at start, idle and on its common requests (`layout.rs`; needs valgrind; about a minute).
//!
//! Needs `wrk` (`apt-get install wrk`) and, for the second part, PostgreSQL
//! (`KEYSTEAD_TEST_POSTGRES_URL`, default `postgres://postgres@127.0.0.1:5432/test`: a database
//! is created and dropped). The load generators share the machine's cores with the server.
//! Run with `cargo bench -p keystead --bench node [-- memory|postgres|allocators]` (about 4
//! minutes without `allocators`, which runs only when named); prints a report, then the figures
//! as one JSON line. It measures the server as `cargo build --release -p keystead` builds it
//! (which it runs first), or another build named by `NODE_BENCH_BINARY=<path>` (a profile or
//! build setting to compare).

mod allocators;
mod layout;
mod memory;
mod postgres;
mod process;
mod web;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let only: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let wanted = |part: &str| only.is_empty() || only.iter().any(|a| a == part);
    process::choose_binary()?;
    let dir = tempfile::tempdir()?;
    println!("Keystead node benchmark: {} cores, binary {}", std::thread::available_parallelism()?, process::binary());
    let mut out = serde_json::Map::new();
    if wanted("memory") {
        let as_built = allocators::Allocator::as_built();
        out.insert("memory".into(), memory::run(&dir.path().join("memory"), &as_built).await?);
    }
    if only.iter().any(|a| a == "allocators") {
        let mut runs = Vec::new();
        for (n, allocator) in allocators::all().iter().enumerate() {
            runs.push(memory::run(&dir.path().join(format!("allocator-{n}")), allocator).await?);
        }
        out.insert("allocators".into(), runs.into());
    }
    if wanted("postgres") {
        out.insert("postgres".into(), postgres::run(&dir.path().join("postgres")).await?);
    }
    if only.iter().any(|a| a == "layout") {
        out.insert("layout".into(), layout::run(&dir.path().join("layout")).await?);
    }
    println!("\n{}", serde_json::Value::Object(out));
    Ok(())
}
