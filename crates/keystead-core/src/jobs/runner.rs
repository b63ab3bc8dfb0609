//! The runner: claims due work with a lease, runs it, records the outcome, and sleeps until the
//! next poll or until a committed transaction queues something.

use std::future::Future;

use time::Duration;
use tokio::task::JoinSet;

use super::{Periodic, Queue, retry_delay};
use crate::Core;
use crate::crypto::random_bytes;
use crate::store::jobs::{self as store_jobs, ClaimedJob};
use crate::store::periodic as store_periodic;

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
}

const BATCH: i64 = 16;

impl JobRunner {
    /// A runner with a unique node name.
    pub fn new(core: Core) -> Self {
        let node = format!("node-{}", uuid::Uuid::now_v7().simple());
        Self { core, node }
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
                let mut set = JoinSet::new();
                for job in jobs {
                    let runner = self.clone();
                    set.spawn(crate::store::guard::scope(async move { runner.run_job(job).await }));
                }
                while let Some(done) = set.join_next().await {
                    match done {
                        Ok(Ok(true)) => report.succeeded += 1,
                        Ok(Ok(false)) => report.failed += 1,
                        Ok(Err(e)) => return Err(e),
                        Err(join) => return Err(anyhow::anyhow!("job task failed: {join}")),
                    }
                }
            }
            let mut conn = self.core.store().conn().await?;
            let backlog = store_jobs::backlog(conn.db(), queue.as_str()).await?;
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

    async fn claim(&self, queue: Queue) -> anyhow::Result<Vec<ClaimedJob>> {
        let now = self.core.clock().now();
        let lease = Duration::try_from(self.core.config().jobs.lease).unwrap_or(Duration::minutes(2));
        let mut conn = self.core.store().conn().await?;
        Ok(store_jobs::claim(conn.db(), queue.as_str(), &self.node, now, now + lease, BATCH).await?)
    }

    /// Runs one claimed job and records the outcome; `Ok(true)` when it succeeded.
    async fn run_job(&self, job: ClaimedJob) -> anyhow::Result<bool> {
        let outcome = match job.queue.as_str() {
            "mail" => crate::mail::deliver(&self.core, job.id, &job.payload.0).await,
            "backchannel_logout" => crate::oauth::logout::deliver(&self.core, &job.payload.0).await,
            other => Err(JobError::Permanent(format!("no handler for queue {other}"))),
        };
        let now = self.core.clock().now();
        let mut conn = self.core.store().conn().await?;
        match outcome {
            Ok(()) => {
                if !store_jobs::complete(conn.db(), job.id, &self.node, now).await? {
                    tracing::warn!(job = %job.id, "job finished after its lease ran out; another node may run it again");
                }
                Ok(true)
            }
            Err(error) => {
                let (message, permanent) = match error {
                    JobError::Transient(m) => (m, false),
                    JobError::Permanent(m) => (m, true),
                };
                let give_up = permanent || job.attempts >= job.max_attempts;
                let retry_at = now + retry_delay(job.attempts, jitter());
                tracing::warn!(job = %job.id, queue = %job.queue, attempt = job.attempts, give_up, error = %message, "job failed");
                store_jobs::fail(conn.db(), job.id, &self.node, &message, retry_at, give_up, now).await?;
                Ok(false)
            }
        }
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
