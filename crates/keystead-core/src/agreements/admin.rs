//! Agreements for operators (the admin API and console): every version with how many accounts
//! accepted it, and who accepted one, a page at a time in the order of acceptance.

use time::OffsetDateTime;

use super::{Agreement, AgreementId};
use crate::Core;
use crate::accounts::admin::operator_only;
use crate::error::{Error, Result};
use crate::ids::UserId;
use crate::organizations::Actor;
use crate::store::StoreError;
use crate::store::agreements as store;

/// Someone who accepted a version.
#[derive(Debug, Clone)]
pub struct Acceptor {
    /// The user.
    pub user_id: UserId,
    /// Their address now.
    pub email: String,
    /// When they accepted.
    pub accepted_at: OffsetDateTime,
    /// From which address.
    pub ip: Option<String>,
}

/// One page of acceptances; `next` continues it.
#[derive(Debug, Clone)]
pub struct AcceptorPage {
    /// The acceptances, oldest first.
    pub items: Vec<Acceptor>,
    /// Where the next page starts (absent on the last).
    pub next: Option<uuid::Uuid>,
}

/// A published version with the number of accounts that accepted it.
#[derive(Debug, Clone)]
pub struct AgreementVersion {
    /// The version.
    pub agreement: Agreement,
    /// How many accounts accepted it.
    pub acceptances: i64,
}

impl Core {
    /// Every published version, by key and then newest first, with its acceptance count
    /// (operator only; one grouped count over the acceptances' index).
    pub async fn agreement_versions(&self, actor: Actor) -> Result<Vec<AgreementVersion>> {
        operator_only(actor)?;
        let mut conn = self.store().conn().await?;
        let counts: std::collections::HashMap<AgreementId, i64> =
            store::acceptance_counts(conn.db()).await?.into_iter().collect();
        Ok(store::list(conn.db())
            .await?
            .into_iter()
            .map(|row| AgreementVersion {
                acceptances: counts.get(&row.id).copied().unwrap_or(0),
                agreement: row.into(),
            })
            .collect())
    }

    /// One version with its acceptance count (operator only); `NotFound` for an unknown one.
    pub async fn agreement_version(&self, actor: Actor, id: AgreementId) -> Result<AgreementVersion> {
        operator_only(actor)?;
        let mut conn = self.store().conn().await?;
        let row = match store::get(conn.db(), id).await {
            Ok(row) => row,
            Err(StoreError::NotFound) => return Err(Error::NotFound),
            Err(e) => return Err(e.into()),
        };
        let acceptances = store::acceptance_count(conn.db(), id).await?;
        Ok(AgreementVersion { agreement: row.into(), acceptances })
    }

    /// Up to `limit` (1–200) acceptances of version `id` after the acceptance `after`
    /// (operator only); `NotFound` for an unknown version.
    pub async fn agreement_acceptances(
        &self,
        actor: Actor,
        id: AgreementId,
        after: Option<uuid::Uuid>,
        limit: u32,
    ) -> Result<AcceptorPage> {
        operator_only(actor)?;
        let limit = i64::from(limit.clamp(1, 200));
        let mut conn = self.store().conn().await?;
        match store::get(conn.db(), id).await {
            Ok(_) => {}
            Err(StoreError::NotFound) => return Err(Error::NotFound),
            Err(e) => return Err(e.into()),
        }
        let mut rows = store::acceptances_of(conn.db(), id, after, limit + 1).await?;
        let more = rows.len() as i64 > limit;
        rows.truncate(usize::try_from(limit).unwrap_or(200));
        let next = if more { rows.last().map(|r| r.id) } else { None };
        let items = rows
            .into_iter()
            .map(|r| Acceptor { user_id: r.user_id, email: r.email, accepted_at: r.accepted_at, ip: r.ip })
            .collect();
        Ok(AcceptorPage { items, next })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::admin::NewUser;
    use crate::audit::RequestMeta;
    use crate::clock::FakeClock;
    use crate::testing::{TestDb, core_test};

    struct T {
        core: Core,
        _dir: tempfile::TempDir,
        _db: TestDb,
    }

    impl T {
        async fn new(db: TestDb) -> Self {
            let dir = tempfile::tempdir().unwrap();
            let key = crate::testing::new_master_key().unwrap();
            let core = crate::testing::core_on(&db, dir.path(), &key, FakeClock::fixed(), |_| {}).await.unwrap();
            Self { core, _dir: dir, _db: db }
        }
    }

    async fn each_version_counts_its_own_acceptances(t: &T) {
        let meta = RequestMeta::cli();
        let v1 = t.core.publish_agreement("terms", "Terms", "One.", true, &meta).await.unwrap();
        let v2 = t.core.publish_agreement("terms", "Terms", "Two.", true, &meta).await.unwrap();
        let privacy = t.core.publish_agreement("privacy", "Privacy", "P.", false, &meta).await.unwrap();
        let mut users = Vec::new();
        for email in ["a@example.com", "b@example.com"] {
            let new = NewUser { email, given_name: None, family_name: None, verified: true, password: None };
            users.push(t.core.create_user(new, &meta).await.unwrap().id);
        }
        let now = t.core.clock().now();
        let mut tx = t.core.store().begin().await.unwrap();
        for u in &users {
            store::accept(tx.db(), *u, v2.id, now, None).await.unwrap();
        }
        store::accept(tx.db(), users[0], v1.id, now, None).await.unwrap();
        tx.commit().await.unwrap();
        let listed = t.core.agreement_versions(Actor::Operator).await.unwrap();
        let counts: Vec<_> =
            listed.iter().map(|v| (v.agreement.key.as_str(), v.agreement.version, v.acceptances)).collect();
        assert_eq!(counts, [("privacy", 1, 0), ("terms", 2, 2), ("terms", 1, 1)]);
        assert_eq!(t.core.agreement_version(Actor::Operator, v2.id).await.unwrap().acceptances, 2);
        assert_eq!(t.core.agreement_version(Actor::Operator, privacy.id).await.unwrap().acceptances, 0);
        let unknown = t.core.agreement_version(Actor::Operator, AgreementId::new()).await;
        assert!(matches!(unknown, Err(Error::NotFound)), "{unknown:?}");
        assert!(matches!(t.core.agreement_versions(Actor::User(users[0])).await, Err(Error::Forbidden)));
    }
    core_test!(each_version_counts_its_own_acceptances);
}
