//! Background work: queued jobs (the outbox: emails now, webhooks later) and periodic jobs, both
//! claimed with leases so that any number of nodes on one database never run a job twice at once.
//! A job runs at least once: one whose node dies between doing it and recording it runs again.

mod periodic;
mod runner;

pub use periodic::Periodic;
pub(crate) use runner::JobError;
pub use runner::{JobRunner, RunReport};

use time::{Duration, OffsetDateTime};

use crate::error::Result;
use crate::ids::JobId;
use crate::store::{Tx, jobs as store_jobs};

/// A queue of one kind of work. A closed set: each has its handler in the runner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Queue {
    /// Emails to deliver through the configured transport.
    Mail,
    /// OpenID Connect back-channel logout tokens to POST to clients.
    BackchannelLogout,
    /// Webhook deliveries.
    Webhook,
}

impl Queue {
    /// Every queue, in the order the runner serves them.
    pub const ALL: [Self; 3] = [Self::Mail, Self::BackchannelLogout, Self::Webhook];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mail => "mail",
            Self::BackchannelLogout => "backchannel_logout",
            Self::Webhook => "webhook",
        }
    }

    /// Jobs claimed and run at once. Each may be sent again when the node dies before its
    /// outcome is recorded, so this bounds the copies one crash causes: small for emails, which
    /// people read; larger for webhooks, whose receivers drop repeats by `webhook-id` and which
    /// must drain hundreds a second.
    pub(crate) fn batch(self) -> i64 {
        match self {
            Self::Mail | Self::BackchannelLogout => 4,
            Self::Webhook => 32,
        }
    }
}

/// The status of a queued job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobStatus {
    /// Waiting to run, running, or waiting for a retry.
    Pending,
    /// Ran successfully.
    Done,
    /// Gave up: a permanent error or too many attempts.
    Dead,
}

impl JobStatus {
    fn parse(s: &str) -> Self {
        match s {
            "done" => Self::Done,
            "dead" => Self::Dead,
            _ => Self::Pending,
        }
    }
}

/// What the delivery log shows of a job.
#[derive(Debug, Clone)]
pub struct JobInfo {
    /// The job.
    pub id: JobId,
    /// Its queue.
    pub queue: String,
    /// Its payload.
    pub payload: serde_json::Value,
    /// Where it stands.
    pub status: JobStatus,
    /// Attempts made so far.
    pub attempts: i32,
    /// When it is next due (or was last due).
    pub run_at: OffsetDateTime,
    /// The node holding it, while one does.
    pub lease_owner: Option<String>,
    /// Until when that node holds it.
    pub lease_until: Option<OffsetDateTime>,
    /// The last failure.
    pub last_error: Option<String>,
    /// When it finished.
    pub finished_at: Option<OffsetDateTime>,
}

impl From<store_jobs::JobRow> for JobInfo {
    fn from(r: store_jobs::JobRow) -> Self {
        Self {
            id: r.id,
            queue: r.queue,
            payload: r.payload.0,
            status: JobStatus::parse(&r.status),
            attempts: r.attempts,
            run_at: r.run_at,
            lease_owner: r.lease_owner,
            lease_until: r.lease_until,
            last_error: r.last_error,
            finished_at: r.finished_at,
        }
    }
}

/// Queues a job inside the caller's transaction: it exists if and only if the transaction commits.
pub(crate) async fn enqueue(
    tx: &mut Tx,
    queue: Queue,
    payload: &serde_json::Value,
    max_attempts: u32,
    now: OffsetDateTime,
) -> Result<JobId> {
    let id = JobId::new();
    let job = store_jobs::NewJob {
        id,
        queue: queue.as_str(),
        payload,
        max_attempts: i32::try_from(max_attempts).unwrap_or(i32::MAX),
        run_at: now,
        now,
    };
    store_jobs::insert(tx.db(), &job).await?;
    tx.queued_job();
    Ok(id)
}

/// Delay before retry number `attempt` (1 = after the first failure): 30 s doubling, at most 1 h,
/// with up to 10 % added jitter so that retries from many jobs do not arrive together.
pub fn retry_delay(attempt: i32, jitter_unit: f64) -> Duration {
    let exp = u32::try_from(attempt.saturating_sub(1).clamp(0, 16)).unwrap_or(0);
    let base = (30_i64.saturating_mul(1_i64 << exp)).min(3600);
    let jitter = (base as f64 * 0.1 * jitter_unit.clamp(0.0, 1.0)) as i64;
    Duration::seconds(base + jitter)
}

#[cfg(test)]
mod tests;
