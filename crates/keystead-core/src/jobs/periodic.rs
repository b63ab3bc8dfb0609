//! Periodic jobs: a closed set, each with its interval and its work.

use time::Duration;

use crate::Core;
use crate::store::{
    email_tokens as store_tokens, jobs as store_jobs, rate_limits as store_limits, sessions as store_sessions,
};

/// A job that runs on a schedule, on exactly one node per run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Periodic {
    /// Deletes delivered and dead jobs and the webhook delivery log after their retention (30
    /// days), keeping both bounded.
    PurgeFinishedJobs,
    /// Deletes expired sessions, emailed links expired for a week, stale rate-limit counters,
    /// SSO states and the admin API's idempotency keys after their 24 hours.
    PurgeExpired,
    /// Deletes the personal data of closed accounts whose grace period has ended.
    PurgeClosedAccounts,
    /// Publishes the next OAuth signing keys ahead of their use, retires old ones, and deletes
    /// expired codes, device requests and refresh tokens.
    RotateSigningKeys,
    /// Checks the DNS TXT records of organizations' pending email domains (claimed in the last
    /// 7 days), so a domain is verified soon after its record is published.
    CheckPendingDomains,
}

impl Periodic {
    /// Every periodic job.
    pub const ALL: [Self; 5] = [
        Self::PurgeFinishedJobs,
        Self::PurgeExpired,
        Self::PurgeClosedAccounts,
        Self::RotateSigningKeys,
        Self::CheckPendingDomains,
    ];

    /// The stored name.
    pub fn name(self) -> &'static str {
        match self {
            Self::PurgeFinishedJobs => "purge_finished_jobs",
            Self::PurgeExpired => "purge_expired",
            Self::PurgeClosedAccounts => "purge_closed_accounts",
            Self::RotateSigningKeys => "rotate_signing_keys",
            Self::CheckPendingDomains => "check_pending_domains",
        }
    }

    /// Time between runs.
    pub fn interval(self) -> Duration {
        match self {
            Self::PurgeFinishedJobs => Duration::hours(1),
            Self::PurgeExpired => Duration::minutes(15),
            Self::PurgeClosedAccounts => Duration::hours(1),
            Self::RotateSigningKeys => Duration::hours(1),
            Self::CheckPendingDomains => Duration::minutes(15),
        }
    }

    /// Does the work once.
    pub(crate) async fn run(self, core: &Core) -> anyhow::Result<String> {
        match self {
            Self::PurgeFinishedJobs => {
                let before = core.clock().now() - Duration::days(30);
                let mut conn = core.store().conn().await?;
                let n = store_jobs::purge_finished(conn.db(), before).await?;
                let log = crate::store::webhooks::purge_deliveries(conn.db(), before).await?;
                Ok(format!("purged {n} finished jobs and {log} webhook deliveries"))
            }
            Self::PurgeExpired => {
                let now = core.clock().now();
                let mut conn = core.store().conn().await?;
                let sessions = store_sessions::purge_expired(conn.db(), now).await?;
                let links = store_tokens::purge_expired(conn.db(), now - Duration::days(7)).await?;
                let counters = store_limits::purge_stale(conn.db(), now - Duration::days(1)).await?;
                let sso = crate::store::sso::purge_expired(conn.db(), now).await?;
                let keys =
                    crate::store::idempotency::purge(conn.db(), now - crate::api_tokens::idempotency::REMEMBERED_FOR)
                        .await?;
                Ok(format!(
                    "purged {sessions} sessions, {links} links, {counters} rate-limit counters, {sso} SSO states and used assertions, {keys} idempotency keys"
                ))
            }
            Self::PurgeClosedAccounts => {
                let n = core.purge_closed_accounts().await?;
                Ok(format!("purged {n} closed accounts"))
            }
            Self::RotateSigningKeys => {
                let created = core.rotate_signing_keys(false).await?;
                let purged = core.purge_expired_oauth_records().await?;
                Ok(format!("published {} new signing keys, purged {purged} expired OAuth records", created.len()))
            }
            Self::CheckPendingDomains => {
                let done = core.recheck_pending_domains().await?;
                Ok(format!("checked {} pending domains, {} verified", done.checked, done.verified))
            }
        }
    }
}
