//! The runner: claims due work with a lease, runs it, records each outcome the moment it is
//! known, and sleeps until the next poll or until a committed transaction queues something.
//!
//! Delivery is at least once: nothing closes the gap between a relay's `250` and our record of
//! it, so a node killed in that gap sends those messages again (with their Message-ID fixed at
//! queueing, so receivers can drop the copy). The runner keeps the gap small: few jobs at once
//! (`BATCH`), and each outcome written at once on the runner's own connection, never queued
//! behind the pool or behind SQLite's slow busy handler.

use std::future::Future;
use std::sync::Arc;

use time::{Duration, OffsetDateTime};
use tokio::sync::Mutex;
use tokio::task::JoinSet;

use super::{Periodic, Queue, retry_delay};
use crate::Core;
use crate::crypto::random_bytes;
use crate::store::jobs::{self as store_jobs, ClaimedJob, RunnerConn};
use crate::store::periodic as store_periodic;
use crate::store::{Db, StoreError};

/// Runs `$call`, a store call on `$db`, on the runner's own connection (see
/// `JobRunner::retryable` for what is tried again) for at most `$patience`; then the last error.
/// A macro rather than a method taking an async closure: such a closure's future is not `Send`
/// for every lifetime of its connection, which `JoinSet::spawn` needs.
macro_rules! on_own_conn {
    ($runner:expr, $patience:expr, |$db:ident| $call:expr) => {{
        let runner: &JobRunner = $runner;
        let mut last = None;
        let attempts = async {
            loop {
                let mut conn = runner.conn.lock().await;
                let result = match runner.ready(&mut conn).await {
                    Ok($db) => $call.await,
                    Err(e) => Err(e),
                };
                match result {
                    Ok(value) => return Ok(value),
                    Err(e) => last = Some(runner.retryable(e, conn).await?),
                }
            }
        };
        let outcome = tokio::time::timeout($patience, attempts).await;
        outcome.unwrap_or_else(|_| Err(last.unwrap_or(StoreError::Unavailable(sqlx::Error::PoolTimedOut))))
    }};
}

/// How a job attempt failed.
#[derive(Debug)]
pub(crate) enum JobError {
    /// Worth retrying later (a relay that is down, a timeout).
    Transient(String),
    /// Retrying cannot help (a malformed payload, a refused recipient).
    Permanent(String),
}

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RunReport {
    /// Jobs that succeeded.
    pub succeeded: usize,
    /// Jobs that failed (to be retried, or given up).
    pub failed: usize,
    /// Periodic jobs run.
    pub periodic: usize,
}

/// Runs queued and periodic jobs for one node.
#[derive(Debug, Clone)]
pub struct JobRunner {
    core: Core,
    node: String,
    /// The runner's own connection: opened on first use, reopened after an error.
    conn: Arc<Mutex<Option<RunnerConn>>>,
}

// Jobs claimed at once: `Queue::batch`. For emails, measured with three `kill -9` during a burst
// of 60 registrations (`tests/cli/outbox.rs`): 16 (10 at once over lettre's SMTP pool) repeated
// 24–30 messages, 4 repeats 6–11; 4 still delivers ~60 a second through a relay that takes 60 ms
// a message.

/// How long a claim may keep trying (as long as a pool acquire waits).
const CLAIM_PATIENCE: std::time::Duration = std::time::Duration::from_secs(10);

impl JobRunner {
    /// A runner with a unique node name.
    pub fn new(core: Core) -> Self {
        let node = format!("node-{}", uuid::Uuid::now_v7().simple());
        Self { core, node, conn: Arc::new(Mutex::new(None)) }
    }

    /// This node's name, as recorded in leases.
    pub fn node(&self) -> &str {
        &self.node
    }

    /// Makes sure every periodic job has its row (first due now).
    pub async fn register_periodic(&self) -> anyhow::Result<()> {
        let now = self.core.clock().now();
        let mut conn = self.core.store().conn().await?;
        for p in Periodic::ALL {
            store_periodic::register(conn.db(), p.name(), now).await?;
        }
        Ok(())
    }

    /// Runs everything due now, once: each queue until it has nothing due, then each due periodic job.
    pub async fn run_due(&self) -> anyhow::Result<RunReport> {
        let mut report = RunReport::default();
        for queue in Queue::ALL {
            loop {
                let jobs = self.claim(queue).await?;
                if jobs.is_empty() {
                    break;
                }
                // Each task records its own outcome as soon as it has one; waiting here only
                // holds back the next claim. After an error the others still finish (dropping
                // the set would abort them, perhaps between a delivery and its record).
                let mut set = JoinSet::new();
                for job in jobs {
                    let runner = self.clone();
                    set.spawn(crate::store::guard::scope(async move { runner.run_job(job).await }));
                }
                let mut error = None;
                while let Some(done) = set.join_next().await {
                    match done {
                        Ok(Ok(true)) => report.succeeded += 1,
                        Ok(Ok(false)) => report.failed += 1,
                        Ok(Err(e)) => error = error.or(Some(e)),
                        Err(join) => error = error.or(Some(anyhow::anyhow!("job task failed: {join}"))),
                    }
                }
                if let Some(e) = error {
                    return Err(e);
                }
            }
            let backlog = on_own_conn!(self, CLAIM_PATIENCE, |db| store_jobs::backlog(db, queue.as_str()))?;
            metrics::gauge!("keystead_jobs_backlog", "queue" => queue.as_str()).set(backlog as f64);
        }
        for p in Periodic::ALL {
            if self.run_periodic(p).await? {
                report.periodic += 1;
            }
        }
        Ok(report)
    }

    /// Runs until `shutdown` resolves, finishing the pass in progress.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        if let Err(e) = self.register_periodic().await {
            tracing::error!(error = %format!("{e:#}"), "cannot register periodic jobs");
        }
        let wake = self.core.store().jobs_queued();
        let poll = self.core.config().jobs.poll_interval;
        tokio::pin!(shutdown);
        loop {
            if let Err(e) = self.run_due().await {
                tracing::warn!(error = %format!("{e:#}"), "job runner pass failed; retrying at the next poll");
            }
            tokio::select! {
                () = &mut shutdown => break,
                () = wake.notified() => {}
                () = tokio::time::sleep(poll) => {}
            }
        }
        tracing::info!(node = %self.node, "job runner stopped");
    }

    fn lease(&self) -> Duration {
        Duration::try_from(self.core.config().jobs.lease).unwrap_or(Duration::minutes(2))
    }

    async fn claim(&self, queue: Queue) -> anyhow::Result<Vec<ClaimedJob>> {
        let now = self.core.clock().now();
        let until = now + self.lease();
        Ok(on_own_conn!(self, CLAIM_PATIENCE, |db| store_jobs::claim(
            db,
            queue.as_str(),
            &self.node,
            now,
            until,
            queue.batch()
        ))?)
    }

    /// The runner's own connection, opened if it is not.
    async fn ready<'g>(&self, conn: &'g mut Option<RunnerConn>) -> Result<Db<'g>, StoreError> {
        if conn.is_none() {
            *conn = Some(RunnerConn::open(self.core.store()).await?);
        }
        conn.as_mut().map(RunnerConn::db).ok_or(StoreError::NotFound)
    }

    /// After a failed statement: `Ok` (the error, to be tried again) for SQLite's "database is
    /// locked", at once, and for a failed connection, dropped and reopened after a short pause;
    /// `Err` for anything else (a constraint), which trying again cannot help.
    async fn retryable(
        &self,
        error: StoreError,
        mut conn: tokio::sync::MutexGuard<'_, Option<RunnerConn>>,
    ) -> Result<StoreError, StoreError> {
        if store_jobs::is_busy(&error) {
            return Ok(error);
        }
        // A lost connection is `Unavailable` (refused, cut, garbled); `Backend` covers the rest
        // of what a fresh connection may cure.
        if !matches!(error, StoreError::Unavailable(_) | StoreError::Backend(_)) {
            return Err(error);
        }
        tracing::debug!(error = %error, "job runner connection failed; reopening it");
        *conn = None;
        drop(conn);
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        Ok(error)
    }

    /// Runs one claimed job and records the outcome at once; `Ok(true)` when it succeeded.
    async fn run_job(&self, job: ClaimedJob) -> anyhow::Result<bool> {
        let outcome = match job.queue.as_str() {
            "mail" => crate::mail::deliver(&self.core, job.id, &job.payload.0).await,
            "backchannel_logout" => crate::oauth::logout::deliver(&self.core, &job.payload.0).await,
            "webhook" => crate::webhooks::deliver(&self.core, &job.payload.0, job.attempts, job.max_attempts).await,
            other => Err(JobError::Permanent(format!("no handler for queue {other}"))),
        };
        let now = self.core.clock().now();
        // Worth trying as long as the lease holds: after it, another node may run the job anyway.
        let patience = self.core.config().jobs.lease;
        match outcome {
            Ok(()) => {
                if !on_own_conn!(self, patience, |db| store_jobs::complete(db, job.id, &self.node, now))? {
                    tracing::warn!(job = %job.id, "job finished after its lease ran out; another node may run it again");
                }
                Ok(true)
            }
            Err(error) => {
                self.record_failure(&job, error, now, patience).await?;
                Ok(false)
            }
        }
    }

    async fn record_failure(
        &self,
        job: &ClaimedJob,
        error: JobError,
        now: OffsetDateTime,
        patience: std::time::Duration,
    ) -> Result<(), StoreError> {
        let (message, permanent) = match error {
            JobError::Transient(m) => (m, false),
            JobError::Permanent(m) => (m, true),
        };
        let give_up = permanent || job.attempts >= job.max_attempts;
        let retry_at = now + retry_delay(job.attempts, jitter());
        tracing::warn!(job = %job.id, queue = %job.queue, attempt = job.attempts, give_up, error = %message, "job failed");
        on_own_conn!(self, patience, |db| store_jobs::fail(db, job.id, &self.node, &message, retry_at, give_up, now))
    }
    async fn run_periodic(&self, job: Periodic) -> anyhow::Result<bool> {
        let now = self.core.clock().now();
        let lease = Duration::try_from(self.core.config().jobs.lease).unwrap_or(Duration::minutes(2));
        {
            let mut conn = self.core.store().conn().await?;
            if !store_periodic::claim(conn.db(), job.name(), &self.node, now, now + lease).await? {
                return Ok(false);
            }
        }
        let result = crate::store::guard::scope(job.run(&self.core)).await;
        let error = match &result {
            Ok(summary) => {
                tracing::info!(job = job.name(), %summary, "periodic job ran");
                None
            }
            Err(e) => {
                tracing::warn!(job = job.name(), error = %format!("{e:#}"), "periodic job failed");
                Some(format!("{e:#}"))
            }
        };
        let finished = self.core.clock().now();
        let mut conn = self.core.store().conn().await?;
        store_periodic::finish(conn.db(), job.name(), &self.node, now + job.interval(), error.as_deref(), finished)
            .await?;
        Ok(true)
    }
}

fn jitter() -> f64 {
    let mut b = [0u8; 1];
    random_bytes(&mut b).map_or(0.5, |()| f64::from(b[0]) / 255.0)
}
