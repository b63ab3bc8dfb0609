//! The reliability suite (issue 11): overload and outages answered quickly and honestly, never
//! with a 500. A test binary of its own, so that its bursts do not share the machine with the
//! rest of the HTTP suite (its latency bounds are generous, but they are bounds); its tests take
//! turns. Runs on the database `KEYSTEAD_TEST_DATABASE` names (CI runs it on both); the outage
//! test needs PostgreSQL.

#![expect(clippy::unwrap_used, reason = "tests fail by panicking")]

#[path = "reliability/burst.rs"]
mod burst;
#[path = "reliability/outage.rs"]
mod outage;

/// One test of this binary at a time.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Nearest-rank percentile of unsorted samples (zero when there are none).
fn percentile(samples: &[std::time::Duration], p: f64) -> std::time::Duration {
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len().max(1));
    sorted.get(rank - 1).copied().unwrap_or_default()
}
