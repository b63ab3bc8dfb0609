//! Throughput, latency and overload behaviour of the Argon2id password pool
//! (`keystead_core::passwords::HashPool`) at the default parameters: Argon2id m=19456 KiB, t=2,
//! p=1, workers = number of cores, queue = 8 × workers.
//!
//! 1. One hash and one verify through a 1-worker pool (median of 20 sequential runs), the same
//!    Argon2id computed directly with the `argon2` crate (no pool), and the theoretical bound
//!    workers ÷ hash time for the default worker count.
//! 2. Closed loop: 1, 2 and 4 tokio tasks each calling `verify` again as soon as it answers, for
//!    3 s each: verifications/s, p50/p99 latency and the ratio to the bound.
//! 3. Overload: 4 × capacity (workers + queue) callers for 4 s, once retrying at once after a
//!    refusal and once after a 1 ms pause: share of `Overloaded` answers, latency of successful
//!    calls and of refusals, and the highest `stats().in_flight` seen.
//!
//! Prints a readable report, then the same figures as one JSON line (the last line).
//! Run with `cargo bench -p keystead-core --bench hash_pool` (about 30 s).

use std::num::NonZero;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use keystead_core::Error;
use keystead_core::config::PasswordHashConfig;
use keystead_core::passwords::{HashPool, Verification};
use secrecy::SecretString;
use serde_json::{Value, json};

const MEMORY_KIB: u32 = 19_456;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;
const PASSWORD: &str = "correct horse battery staple";
/// Sequential runs for the single-hash figures.
const SINGLE_RUNS: usize = 20;
/// Concurrent callers for the closed-loop rows.
const CALLERS: [usize; 3] = [1, 2, 4];
const CLOSED_LOOP_FOR: Duration = Duration::from_secs(3);
/// Overload callers = this × (workers + queue).
const OVERLOAD_FACTOR: usize = 4;
const OVERLOAD_FOR: Duration = Duration::from_secs(4);
/// Pause after a refusal in the second overload run (a client that waits a little before retrying).
const RETRY_PAUSE: Duration = Duration::from_millis(1);

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let cores = std::thread::available_parallelism().map_or(2, NonZero::get);
    let config = PasswordHashConfig {
        memory_kib: MEMORY_KIB,
        iterations: ITERATIONS,
        parallelism: PARALLELISM,
        workers: cores,
        queue: 8 * cores,
        release_memory_after: Duration::from_secs(60),
    };
    let capacity = config.workers + config.queue;
    println!(
        "Keystead HashPool benchmark: Argon2id m={MEMORY_KIB} KiB, t={ITERATIONS}, p={PARALLELISM}; \
         {cores} cores; default pool {} workers + queue {} = capacity {capacity}; tokio multi-thread runtime",
        config.workers, config.queue
    );

    let (single, stored) = single_runs(&config).await?;
    let bound = config.workers as f64 / single.hash.median.as_secs_f64();
    print_single(&single, config.workers, bound);

    let pool = HashPool::start(&config)?;
    warm_up(&pool, &stored, config.workers).await?;

    println!("\n2. Closed loop on `verify`, default pool, {} s per row", CLOSED_LOOP_FOR.as_secs());
    println!(
        "   callers  verifications/s   p50 ms   p99 ms   ratio to bound   (at most min(callers, workers) ÷ hash time)"
    );
    let mut rows = Vec::new();
    for callers in CALLERS {
        let report = closed_loop(&pool, &stored, callers, CLOSED_LOOP_FOR, Retry::AtOnce).await?;
        let ceiling = callers.min(config.workers) as f64 / single.hash.median.as_secs_f64();
        println!(
            "   {callers:>7}  {:>15.1}   {:>6.1}   {:>6.1}   {:>14.2}   ({ceiling:.1}/s)",
            report.throughput(),
            ms(report.ok.percentile(0.50)),
            ms(report.ok.percentile(0.99)),
            report.throughput() / bound,
        );
        rows.push(report.closed_loop_json(bound));
    }

    let callers = OVERLOAD_FACTOR * capacity;
    println!(
        "\n3. Overload: {callers} callers ({OVERLOAD_FACTOR} × capacity {capacity}) in a closed loop, {} s per run",
        OVERLOAD_FOR.as_secs()
    );
    let mut overload = Vec::new();
    for retry in [Retry::AtOnce, Retry::After(RETRY_PAUSE)] {
        let report = closed_loop(&pool, &stored, callers, OVERLOAD_FOR, retry).await?;
        print_overload(&report, retry, bound, capacity);
        overload.push(report.overload_json(retry, bound, capacity));
    }
    let end = pool.stats();
    println!("\n   pool at the end: in_flight {}, rejected since start {}", end.in_flight, end.rejected);

    let line = json!({
        "bench": "hash_pool",
        "cores": cores,
        "params": { "memory_kib": MEMORY_KIB, "iterations": ITERATIONS, "parallelism": PARALLELISM },
        "workers": config.workers,
        "queue": config.queue,
        "capacity": capacity,
        "single": single.json(),
        "bound_hashes_per_s": round3(bound),
        "closed_loop": rows,
        "overload": overload,
    });
    println!("\n{line}");
    Ok(())
}

/// Min, median and max of a few timed runs.
struct Spread {
    min: Duration,
    median: Duration,
    max: Duration,
}

impl Spread {
    fn of(mut runs: Vec<Duration>) -> anyhow::Result<Self> {
        runs.sort_unstable();
        let (Some(&min), Some(&median), Some(&max)) = (runs.first(), runs.get(runs.len() / 2), runs.last()) else {
            bail!("no runs");
        };
        Ok(Self { min, median, max })
    }

    fn json(&self) -> Value {
        json!({ "min_ms": round3(ms(self.min)), "median_ms": round3(ms(self.median)), "max_ms": round3(ms(self.max)) })
    }
}

struct Single {
    hash: Spread,
    verify: Spread,
    raw: Spread,
}

impl Single {
    fn json(&self) -> Value {
        json!({ "runs": SINGLE_RUNS, "pool_hash": self.hash.json(), "pool_verify": self.verify.json(), "raw_argon2id": self.raw.json() })
    }
}

/// Section 1: a 1-worker pool, sequential calls; also returns a stored hash for the later runs.
async fn single_runs(defaults: &PasswordHashConfig) -> anyhow::Result<(Single, Arc<str>)> {
    let pool = HashPool::start(&PasswordHashConfig { workers: 1, queue: 1, ..defaults.clone() })?;
    let password = SecretString::from(PASSWORD.to_owned());
    let stored: Arc<str> = pool.hash(&password).await?.into(); // also warms the worker up
    let mut hashes = Vec::with_capacity(SINGLE_RUNS);
    for _ in 0..SINGLE_RUNS {
        let start = Instant::now();
        pool.hash(&password).await?;
        hashes.push(start.elapsed());
    }
    let mut verifies = Vec::with_capacity(SINGLE_RUNS);
    for _ in 0..SINGLE_RUNS {
        let start = Instant::now();
        let result = pool.verify(&password, &stored).await?;
        verifies.push(start.elapsed());
        if !matches!(result, Verification::Match { upgraded: None }) {
            bail!("verify of a fresh hash answered {result:?}");
        }
    }
    drop(pool);
    let raw = tokio::task::spawn_blocking(raw_argon2id).await.context("raw argon2 thread")??;
    Ok((Single { hash: Spread::of(hashes)?, verify: Spread::of(verifies)?, raw: Spread::of(raw)? }, stored))
}

/// The same Argon2id computation without the pool, with reused memory as the pool's workers do.
fn raw_argon2id() -> anyhow::Result<Vec<Duration>> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, Some(32)).map_err(|e| anyhow!("argon2: {e}"))?;
    let mut memory = vec![Block::default(); params.block_count()];
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let salt = [7u8; 16];
    let mut out = [0u8; 32];
    let mut runs = Vec::with_capacity(SINGLE_RUNS);
    for i in 0..=SINGLE_RUNS {
        let start = Instant::now();
        argon2
            .hash_password_into_with_memory(PASSWORD.as_bytes(), &salt, &mut out, &mut memory)
            .map_err(|e| anyhow!("argon2: {e}"))?;
        if i > 0 {
            runs.push(start.elapsed()); // the first run is a warm-up
        }
    }
    Ok(runs)
}

fn print_single(single: &Single, workers: usize, bound: f64) {
    println!("\n1. One Argon2id at a time ({SINGLE_RUNS} sequential runs after a warm-up; min / median / max)");
    let row = |name: &str, s: &Spread| {
        println!("   {name:<28} {:>7.2} / {:>7.2} / {:>7.2} ms", ms(s.min), ms(s.median), ms(s.max));
    };
    row("hash, pool of 1 worker", &single.hash);
    row("verify, pool of 1 worker", &single.verify);
    row("raw argon2 crate, no pool", &single.raw);
    println!(
        "   pool overhead on a verify (median − raw median): {:.3} ms",
        ms(single.verify.median) - ms(single.raw.median)
    );
    println!("   theoretical bound: {workers} workers ÷ {:.2} ms = {bound:.1} hashes/s", ms(single.hash.median));
}

/// Lets every worker of the default pool allocate and touch its memory before measuring.
async fn warm_up(pool: &HashPool, stored: &Arc<str>, workers: usize) -> anyhow::Result<()> {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..workers * 2 {
        let (pool, stored) = (pool.clone(), Arc::clone(stored));
        tasks.spawn(async move { pool.verify(&SecretString::from(PASSWORD.to_owned()), &stored).await });
    }
    while let Some(joined) = tasks.join_next().await {
        joined.context("warm-up task")??;
    }
    Ok(())
}

/// What a caller does after an `Overloaded` answer.
#[derive(Debug, Clone, Copy)]
enum Retry {
    /// Yields to the scheduler and calls again.
    AtOnce,
    /// Sleeps, then calls again.
    After(Duration),
}

impl Retry {
    fn label(self) -> String {
        match self {
            Self::AtOnce => "retry at once (yield)".to_owned(),
            Self::After(pause) => format!("retry after {} ms", pause.as_millis()),
        }
    }
}

struct LoopReport {
    callers: usize,
    elapsed: Duration,
    ok: Histogram,
    refused: Histogram,
    max_in_flight: usize,
    rejected_counter: u64,
}

impl LoopReport {
    fn throughput(&self) -> f64 {
        self.ok.count as f64 / self.elapsed.as_secs_f64()
    }

    fn answers(&self) -> u64 {
        self.ok.count + self.refused.count
    }

    fn refused_share(&self) -> f64 {
        self.refused.count as f64 / self.answers().max(1) as f64
    }

    fn closed_loop_json(&self, bound: f64) -> Value {
        json!({
            "callers": self.callers,
            "seconds": round3(self.elapsed.as_secs_f64()),
            "verifications": self.ok.count,
            "verifications_per_s": round3(self.throughput()),
            "p50_ms": round3(ms(self.ok.percentile(0.50))),
            "p99_ms": round3(ms(self.ok.percentile(0.99))),
            "ratio_to_bound": round3(self.throughput() / bound),
            "overloaded": self.refused.count,
            "max_in_flight": self.max_in_flight,
        })
    }

    fn overload_json(&self, retry: Retry, bound: f64, capacity: usize) -> Value {
        json!({
            "retry": match retry { Retry::AtOnce => "at_once".to_owned(), Retry::After(p) => format!("after_{}ms", p.as_millis()) },
            "callers": self.callers,
            "seconds": round3(self.elapsed.as_secs_f64()),
            "answers": self.answers(),
            "overloaded": self.refused.count,
            "overloaded_share": round3(self.refused_share()),
            "ok": self.ok.count,
            "ok_per_s": round3(self.throughput()),
            "ok_ratio_to_bound": round3(self.throughput() / bound),
            "ok_p50_ms": round3(ms(self.ok.percentile(0.50))),
            "ok_p99_ms": round3(ms(self.ok.percentile(0.99))),
            "ok_max_ms": round3(ms(self.ok.max())),
            "refused_p50_us": round3(us(self.refused.percentile(0.50))),
            "refused_p99_us": round3(us(self.refused.percentile(0.99))),
            "refused_max_us": round3(us(self.refused.max())),
            "max_in_flight": self.max_in_flight,
            "capacity": capacity,
            "rejected_counter_delta": self.rejected_counter,
        })
    }
}

fn print_overload(report: &LoopReport, retry: Retry, bound: f64, capacity: usize) {
    println!("   {}:", retry.label());
    println!(
        "     answers {} in {:.2} s: {} ok, {} overloaded = {:.2} % overloaded (pool counter: {} rejected)",
        report.answers(),
        report.elapsed.as_secs_f64(),
        report.ok.count,
        report.refused.count,
        100.0 * report.refused_share(),
        report.rejected_counter,
    );
    println!(
        "     successful: {:.1} verifications/s ({:.2} of bound), p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        report.throughput(),
        report.throughput() / bound,
        ms(report.ok.percentile(0.50)),
        ms(report.ok.percentile(0.99)),
        ms(report.ok.max()),
    );
    println!(
        "     refusals:   p50 {:.2} µs, p99 {:.2} µs, max {:.1} µs",
        us(report.refused.percentile(0.50)),
        us(report.refused.percentile(0.99)),
        us(report.refused.max()),
    );
    println!("     max in-flight seen: {} (capacity {capacity})", report.max_in_flight);
}

/// Runs `callers` tasks that call `verify` back to back until `run_for` has passed.
async fn closed_loop(
    pool: &HashPool,
    stored: &Arc<str>,
    callers: usize,
    run_for: Duration,
    retry: Retry,
) -> anyhow::Result<LoopReport> {
    let rejected_before = pool.stats().rejected;
    let max_in_flight = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let deadline = start + run_for;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..callers {
        let (pool, stored, max_in_flight) = (pool.clone(), Arc::clone(stored), Arc::clone(&max_in_flight));
        tasks.spawn(async move { caller(&pool, &stored, deadline, retry, &max_in_flight).await });
    }
    let sampler = {
        let (pool, max_in_flight) = (pool.clone(), Arc::clone(&max_in_flight));
        tokio::spawn(async move {
            while Instant::now() < deadline {
                max_in_flight.fetch_max(pool.stats().in_flight, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        })
    };
    let (mut ok, mut refused) = (Histogram::new(), Histogram::new());
    while let Some(joined) = tasks.join_next().await {
        let (o, r) = joined.context("caller task")??;
        ok.merge(&o);
        refused.merge(&r);
    }
    let elapsed = start.elapsed();
    sampler.await.context("in-flight sampler")?;
    Ok(LoopReport {
        callers,
        elapsed,
        ok,
        refused,
        max_in_flight: max_in_flight.load(Ordering::Relaxed),
        rejected_counter: pool.stats().rejected - rejected_before,
    })
}

/// One closed-loop caller; returns the latencies of successful calls and of refusals.
async fn caller(
    pool: &HashPool,
    stored: &str,
    deadline: Instant,
    retry: Retry,
    max_in_flight: &AtomicUsize,
) -> anyhow::Result<(Histogram, Histogram)> {
    let password = SecretString::from(PASSWORD.to_owned());
    let (mut ok, mut refused) = (Histogram::new(), Histogram::new());
    while Instant::now() < deadline {
        let start = Instant::now();
        let result = pool.verify(&password, stored).await;
        let took = start.elapsed();
        max_in_flight.fetch_max(pool.stats().in_flight, Ordering::Relaxed);
        match result {
            Ok(Verification::Match { upgraded: None }) => ok.record(took),
            Ok(other) => bail!("verify answered {other:?}"),
            Err(Error::Overloaded) => {
                refused.record(took);
                // A refusal never awaits anything, so without this the task would never give its
                // runtime thread back.
                match retry {
                    Retry::AtOnce => tokio::task::yield_now().await,
                    Retry::After(pause) => tokio::time::sleep(pause).await,
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok((ok, refused))
}

/// Latencies in nanoseconds in log-linear buckets (64 per power of two, under 1.6 % error), so
/// that millions of refusals take no more memory than a few.
struct Histogram {
    buckets: Vec<u64>,
    count: u64,
    max_ns: u64,
}

const SUB_BITS: u32 = 6;
const SUB: u64 = 1 << SUB_BITS;

impl Histogram {
    fn new() -> Self {
        Self { buckets: vec![0; (2 * SUB + u64::from(63 - SUB_BITS) * SUB) as usize], count: 0, max_ns: 0 }
    }

    fn index(ns: u64) -> usize {
        if ns < 2 * SUB {
            return ns as usize;
        }
        let exp = 63 - ns.leading_zeros(); // ≥ SUB_BITS + 1
        let mantissa = ns >> (exp - SUB_BITS); // in [SUB, 2 × SUB)
        (2 * SUB + u64::from(exp - SUB_BITS - 1) * SUB + (mantissa - SUB)) as usize
    }

    /// The middle of a bucket.
    fn value(index: usize) -> u64 {
        let index = index as u64;
        if index < 2 * SUB {
            return index;
        }
        let k = index - 2 * SUB;
        let shift = k / SUB + 1;
        let low = (SUB + k % SUB) << shift;
        low + (1 << shift) / 2
    }

    fn record(&mut self, latency: Duration) {
        let ns = u64::try_from(latency.as_nanos()).unwrap_or(u64::MAX);
        if let Some(bucket) = self.buckets.get_mut(Self::index(ns)) {
            *bucket += 1;
        }
        self.count += 1;
        self.max_ns = self.max_ns.max(ns);
    }

    fn merge(&mut self, other: &Self) {
        for (mine, theirs) in self.buckets.iter_mut().zip(&other.buckets) {
            *mine += theirs;
        }
        self.count += other.count;
        self.max_ns = self.max_ns.max(other.max_ns);
    }

    /// Nearest-rank percentile (`q` in 0..=1); zero when empty.
    fn percentile(&self, q: f64) -> Duration {
        let rank = ((q * self.count as f64).ceil() as u64).clamp(1, self.count.max(1));
        let mut seen = 0;
        for (index, &n) in self.buckets.iter().enumerate() {
            seen += n;
            if seen >= rank && n > 0 {
                return Duration::from_nanos(Self::value(index).min(self.max_ns));
            }
        }
        Duration::ZERO
    }

    fn max(&self) -> Duration {
        Duration::from_nanos(self.max_ns)
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn round3(x: f64) -> f64 {
    (x * 1e3).round() / 1e3
}
