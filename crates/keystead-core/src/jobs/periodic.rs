//! Periodic jobs: a closed set, each with its interval and its work.

use time::Duration;

use crate::Core;
use crate::store::jobs as store_jobs;

/// A job that runs on a schedule, on exactly one node per run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Periodic {
    /// Deletes delivered and dead jobs after their retention (30 days), keeping the delivery log bounded.
    PurgeFinishedJobs,
}

impl Periodic {
    /// Every periodic job.
    pub const ALL: [Self; 1] = [Self::PurgeFinishedJobs];

    /// The stored name.
    pub fn name(self) -> &'static str {
        match self {
            Self::PurgeFinishedJobs => "purge_finished_jobs",
        }
    }

    /// Time between runs.
    pub fn interval(self) -> Duration {
        match self {
            Self::PurgeFinishedJobs => Duration::hours(1),
        }
    }

    /// Does the work once.
    pub(crate) async fn run(self, core: &Core) -> anyhow::Result<String> {
        match self {
            Self::PurgeFinishedJobs => {
                let before = core.clock().now() - Duration::days(30);
                let mut conn = core.store().conn().await?;
                let n = store_jobs::purge_finished(conn.db(), before).await?;
                Ok(format!("purged {n} finished jobs"))
            }
        }
    }
}
