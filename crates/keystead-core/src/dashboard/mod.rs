//! The admin console's dashboard: accounts, sign-ins and failed sign-ins over the last day
//! (hourly) and week (daily), the outbox's backlog, failed jobs and the signing keys' ages, read
//! in a handful of index-only statements (see `store::dashboard`).

#[cfg(test)]
mod tests;

use time::{Duration, OffsetDateTime};

use crate::Core;
use crate::accounts::UserStatus;
use crate::audit::AuditAction;
use crate::error::Result;
use crate::jobs::Queue;
use crate::oauth::keys::KeyInfo;
use crate::organizations::Actor;
use crate::store::{Db, dashboard as store, jobs as store_jobs};

/// Hourly windows in the day's chart.
pub const HOURS: usize = 24;
/// Daily windows in the week's chart.
pub const DAYS: usize = 7;

/// Everything the dashboard shows, read at `at`.
#[derive(Debug, Clone)]
pub struct Dashboard {
    /// When the figures were read.
    pub at: OffsetDateTime,
    /// Accounts.
    pub users: UserFigures,
    /// Successful sign-ins (`session.signed_in`).
    pub sign_ins: Activity,
    /// Failed sign-ins (`session.sign_in_failed`).
    pub sign_in_failures: Activity,
    /// The email outbox.
    pub outbox: OutboxBacklog,
    /// Queued jobs given up in the last 7 days, per queue (queues without any are left out).
    pub job_failures: Vec<QueueFailures>,
    /// Periodic jobs whose last run failed.
    pub periodic_failures: Vec<PeriodicFailure>,
    /// The key each algorithm signs with now.
    pub signing_keys: Vec<SigningKeyAge>,
}

/// Account counts.
#[derive(Debug, Clone, Default)]
pub struct UserFigures {
    /// Accounts, purged ones left out (only a tombstone remains of those).
    pub total: i64,
    /// Accounts per status, in the order of the statuses' names; purged ones included.
    pub by_status: Vec<(UserStatus, i64)>,
    /// Created in the last 24 hours.
    pub new_24h: i64,
    /// Created in the last 7 days.
    pub new_7d: i64,
}

/// Events counted in one window of time: after `start`, up to and including `end` (so an event
/// at the moment of reading is in the last window).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// From (excluded).
    pub start: OffsetDateTime,
    /// Until (included).
    pub end: OffsetDateTime,
    /// Events in the window.
    pub count: i64,
}

/// One kind of event over the last day and week, in windows ending at the time of reading.
#[derive(Debug, Clone)]
pub struct Activity {
    /// [`HOURS`] one-hour windows, oldest first; the last ends now.
    pub hourly: Vec<Window>,
    /// [`DAYS`] 24-hour windows, oldest first; the last ends now.
    pub daily: Vec<Window>,
}

impl Activity {
    /// Events in the last 24 hours.
    pub fn last_24h(&self) -> i64 {
        self.hourly.iter().map(|w| w.count).sum()
    }

    /// Events in the last 7 days.
    pub fn last_7d(&self) -> i64 {
        self.daily.iter().map(|w| w.count).sum()
    }
}

/// The email outbox's backlog.
#[derive(Debug, Clone, Copy, Default)]
pub struct OutboxBacklog {
    /// Messages waiting (for a first attempt or a retry).
    pub pending: i64,
    /// Messages given up.
    pub failed: i64,
    /// When the longest-waiting message was due.
    pub oldest_pending: Option<OffsetDateTime>,
}

/// Jobs of one queue given up in the last 7 days.
#[derive(Debug, Clone)]
pub struct QueueFailures {
    /// The queue (`mail`, `webhook`, `backchannel_logout`).
    pub queue: String,
    /// How many.
    pub count: i64,
}

/// A periodic job whose last run failed.
#[derive(Debug, Clone)]
pub struct PeriodicFailure {
    /// The job (`purge_closed_accounts`).
    pub name: String,
    /// When that run ended.
    pub at: Option<OffsetDateTime>,
    /// Its error.
    pub error: String,
}

/// The key an algorithm signs with now.
#[derive(Debug, Clone)]
pub struct SigningKeyAge {
    /// The algorithm (`ES256`).
    pub alg: &'static str,
    /// The key's id.
    pub kid: String,
    /// Since when it signs.
    pub active_from: OffsetDateTime,
    /// How long it has signed.
    pub age: Duration,
    /// When its successor takes over: the published successor's start, else the end of the
    /// rotation period (the rotation job publishes the successor then; in the past while the
    /// job is overdue).
    pub next_rotation: OffsetDateTime,
}

/// The hourly windows then the daily ones ending at `now`; the last day's window is the sum of
/// the hourly ones, so it is not counted twice.
/// A span of time: from (inclusive) to (exclusive).
type Span = (OffsetDateTime, OffsetDateTime);

fn windows(now: OffsetDateTime) -> (Vec<Span>, Vec<Span>) {
    let back = |unit: Duration, n: usize, i: usize| {
        let ago = |k: usize| unit * i32::try_from(k).unwrap_or(i32::MAX);
        (now - ago(n - i), now - ago(n - i - 1))
    };
    let hourly = (0..HOURS).map(|i| back(Duration::HOUR, HOURS, i)).collect();
    let daily = (0..DAYS).map(|i| back(Duration::DAY, DAYS, i)).collect();
    (hourly, daily)
}

impl Core {
    /// The dashboard's figures (operators only).
    pub async fn dashboard(&self, actor: Actor) -> Result<Dashboard> {
        actor.require_operator()?;
        let now = self.clock().now();
        let signing_keys = key_ages(&self.signing_keys().await?, now, self.config().oauth.key_rotation);
        let mut conn = self.store().conn().await?;
        let mut users = UserFigures::default();
        for (status, n) in store::users_by_status(conn.db()).await? {
            let Some(status) = UserStatus::from_name(&status) else { continue };
            if status != UserStatus::Purged {
                users.total += n;
            }
            users.by_status.push((status, n));
        }
        users.new_24h = store::users_created_since(conn.db(), now - Duration::DAY).await?;
        users.new_7d = store::users_created_since(conn.db(), now - Duration::WEEK).await?;
        let sign_ins = activity(conn.db(), AuditAction::SignedIn, now).await?;
        let sign_in_failures = activity(conn.db(), AuditAction::SignInFailed, now).await?;
        let mail = Queue::Mail.as_str();
        let outbox = OutboxBacklog {
            pending: store_jobs::count_with_status(conn.db(), mail, "pending").await?,
            failed: store_jobs::count_with_status(conn.db(), mail, "dead").await?,
            oldest_pending: store_jobs::oldest_pending(conn.db(), mail).await?,
        };
        let job_failures = store::dead_jobs_since(conn.db(), now - Duration::WEEK)
            .await?
            .into_iter()
            .map(|(queue, count)| QueueFailures { queue, count })
            .collect();
        let periodic_failures = store::periodic_failures(conn.db())
            .await?
            .into_iter()
            .map(|r| PeriodicFailure { name: r.name, at: r.last_finished_at, error: r.last_error })
            .collect();
        Ok(Dashboard {
            at: now,
            users,
            sign_ins,
            sign_in_failures,
            outbox,
            job_failures,
            periodic_failures,
            signing_keys,
        })
    }
}

/// The events of `action` in the day's and the week's windows ending at `now`: one statement.
async fn activity(db: Db<'_>, action: AuditAction, now: OffsetDateTime) -> Result<Activity> {
    let (hourly, daily) = windows(now);
    let counts = store::event_counts(db, action.as_str(), &[&hourly[..], &daily[..DAYS - 1]].concat()).await?;
    let window = |(start, end): (OffsetDateTime, OffsetDateTime), count: i64| Window { start, end, count };
    let hourly: Vec<Window> = hourly.into_iter().zip(counts.iter().copied()).map(|(w, n)| window(w, n)).collect();
    let last_day: i64 = hourly.iter().map(|w| w.count).sum();
    let daily_counts = counts.iter().skip(HOURS).copied().chain([last_day]);
    let daily = daily.into_iter().zip(daily_counts).map(|(w, n)| window(w, n)).collect();
    Ok(Activity { hourly, daily })
}

/// For each algorithm, the key signing at `now`, its age and when its successor takes over.
fn key_ages(keys: &[KeyInfo], now: OffsetDateTime, rotation: Duration) -> Vec<SigningKeyAge> {
    let mut out = Vec::new();
    for alg in crate::oauth::SigningAlg::ALL {
        let of_alg = || keys.iter().filter(|k| k.alg == alg.as_str());
        let current = of_alg()
            .filter(|k| k.active_from <= now && k.retired_at.is_none_or(|r| r > now))
            .max_by_key(|k| k.active_from);
        let Some(current) = current else { continue };
        let successor = of_alg().filter(|k| k.active_from > now).map(|k| k.active_from).min();
        out.push(SigningKeyAge {
            alg: current.alg,
            kid: current.kid.clone(),
            active_from: current.active_from,
            age: now - current.active_from,
            next_rotation: successor.unwrap_or(current.active_from + rotation),
        });
    }
    out
}
