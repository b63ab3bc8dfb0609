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
    /// How long the first lock of [`SIGN_IN_FAILURES_PER_ACCOUNT`] lasts (later ones double).
    pub const FIRST_LOCK: Duration = Duration::seconds(30);
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
    /// Admin API requests with one personal access token, per minute (`rate_limits.api_per_token`).
    pub fn api_per_token(max: i32) -> Limit {
        Limit { bucket: "api_token", max, window: Duration::minutes(1) }
    }

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

/// An attempt reserved by [`reserve`], counted before the credential is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Reservation {
    /// True when this attempt crossed the threshold: the key is locked from now on (until a
    /// success resets it), and the owner may be told once.
    pub locks_first: bool,
}

/// Reserves one credential check for `key`, atomically, before the (slow) check itself: at
/// most `limit.max` attempts per window get through however many arrive at once. The attempt
/// that reaches the limit locks the key at once — for a delay that doubles with each further
/// attempt after a lock ends (30 s, 1 min, 2 min, … at most 15 min) — so parallel attempts
/// behind it are refused; a success then lifts the lock with [`reset`]. Run it in a short
/// transaction of its own, committed before the check.
pub(crate) async fn reserve(mut db: Db<'_>, limit: Limit, key: &str, now: OffsetDateTime) -> Result<Reservation> {
    let Some(counter) = store::reserve(db.reborrow(), limit.bucket, key, now, now - limit.window).await? else {
        let until = store::get(db, limit.bucket, key).await?.and_then(|c| c.locked_until).unwrap_or(now);
        return Err(Error::RateLimited { retry_after: to_std(until - now) });
    };
    if counter.count < limit.max {
        return Ok(Reservation { locks_first: false });
    }
    let over = u32::try_from(counter.count - limit.max).unwrap_or(0).min(10);
    let delay = (limits::FIRST_LOCK * (1_i32 << over)).min(Duration::minutes(15));
    store::lock(db, limit.bucket, key, now + delay).await?;
    Ok(Reservation { locks_first: counter.count == limit.max })
}

/// Forgets a key's failures (after a success).
pub(crate) async fn reset(db: Db<'_>, limit: Limit, key: &str) -> Result<()> {
    store::reset(db, limit.bucket, key).await?;
    Ok(())
}
