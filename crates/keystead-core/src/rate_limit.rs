//! Rate limits shared by every node (counters in the database): fixed windows per bucket and
//! key, and progressive lock-outs after repeated failures that always end.

use std::time::Duration as StdDuration;

use time::{Duration, OffsetDateTime};

use crate::error::{Error, Result};
use crate::store::{Db, rate_limits as store};

/// A limit: at most `max` hits per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// The counter's name (`sign_in_ip`).
    pub bucket: &'static str,
    /// Hits allowed per window.
    pub max: i32,
    /// The window.
    pub window: Duration,
}

/// The limits Keystead applies (per IP and per account), in one place.
pub mod limits {
    use super::Limit;
    use time::Duration;

    /// Sign-in attempts from one address, per 5 minutes (`rate_limits.sign_in_per_ip`).
    pub fn sign_in_per_ip(max: i32) -> Limit {
        Limit { bucket: "sign_in_ip", max, window: Duration::minutes(5) }
    }
    /// Failed sign-ins for one account before it is throttled (progressively).
    pub const SIGN_IN_FAILURES_PER_ACCOUNT: Limit =
        Limit { bucket: "sign_in_failures", max: 5, window: Duration::minutes(15) };
    /// Registrations from one address, per hour (`rate_limits.register_per_ip`).
    pub fn register_per_ip(max: i32) -> Limit {
        Limit { bucket: "register_ip", max, window: Duration::hours(1) }
    }
    /// Verification emails for one address: at most 5 an hour …
    pub const VERIFY_RESEND_PER_ACCOUNT: Limit = Limit { bucket: "verify_resend", max: 5, window: Duration::hours(1) };
    /// … and one a minute.
    pub const VERIFY_RESEND_COOLDOWN: Limit =
        Limit { bucket: "verify_cooldown", max: 1, window: Duration::seconds(60) };
    /// Reset emails for one address.
    pub const RESET_PER_ACCOUNT: Limit = Limit { bucket: "reset_account", max: 5, window: Duration::hours(1) };
    /// Reset requests from one address, per hour (`rate_limits.reset_per_ip`).
    pub fn reset_per_ip(max: i32) -> Limit {
        Limit { bucket: "reset_ip", max, window: Duration::hours(1) }
    }
    /// "Someone tried to register with your address" emails to one address.
    pub const ALREADY_REGISTERED_NOTICE: Limit =
        Limit { bucket: "already_registered", max: 1, window: Duration::hours(1) };
}

fn to_std(d: Duration) -> StdDuration {
    StdDuration::from_secs(u64::try_from(d.whole_seconds().max(1)).unwrap_or(1))
}

/// Counts a hit; `Err(RateLimited)` when the window's budget is spent or the key is locked.
pub(crate) async fn hit(db: Db<'_>, limit: Limit, key: &str, now: OffsetDateTime) -> Result<()> {
    let counter = store::hit(db, limit.bucket, key, now, now - limit.window).await?;
    if let Some(until) = counter.locked_until.filter(|u| *u > now) {
        return Err(Error::RateLimited { retry_after: to_std(until - now) });
    }
    if counter.count > limit.max {
        return Err(Error::RateLimited { retry_after: to_std(counter.window_start + limit.window - now) });
    }
    Ok(())
}

/// `Err(RateLimited)` if the key is locked, without counting anything.
pub(crate) async fn check_lock(db: Db<'_>, limit: Limit, key: &str, now: OffsetDateTime) -> Result<()> {
    match store::get(db, limit.bucket, key).await? {
        Some(c) => match c.locked_until.filter(|u| *u > now) {
            Some(until) => Err(Error::RateLimited { retry_after: to_std(until - now) }),
            None => Ok(()),
        },
        None => Ok(()),
    }
}

/// What recording a failure led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FailureOutcome {
    /// Under the threshold.
    Counted,
    /// Locked until the given time; `first` when this failure crossed the threshold.
    Locked { until: OffsetDateTime, first: bool },
}

/// Records a failure; past `limit.max` failures in the window the key is locked for a delay
/// that doubles with each further failure (30 s, 1 min, 2 min, … at most 15 min).
pub(crate) async fn record_failure(
    mut db: Db<'_>,
    limit: Limit,
    key: &str,
    now: OffsetDateTime,
) -> Result<FailureOutcome> {
    let counter = store::hit(db.reborrow(), limit.bucket, key, now, now - limit.window).await?;
    if counter.count < limit.max {
        return Ok(FailureOutcome::Counted);
    }
    let over = u32::try_from(counter.count - limit.max).unwrap_or(0).min(10);
    let delay = Duration::seconds(30 * (1_i64 << over)).min(Duration::minutes(15));
    let until = now + delay;
    store::lock(db, limit.bucket, key, until).await?;
    Ok(FailureOutcome::Locked { until, first: counter.count == limit.max })
}

/// Forgets a key's failures (after a success).
pub(crate) async fn reset(db: Db<'_>, limit: Limit, key: &str) -> Result<()> {
    store::reset(db, limit.bucket, key).await?;
    Ok(())
}
