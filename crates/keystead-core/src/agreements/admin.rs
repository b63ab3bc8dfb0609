//! Who accepted an agreement version, for operators (the admin API): a paged list in the order
//! of acceptance.

use time::OffsetDateTime;

use super::AgreementId;
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

impl Core {
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
