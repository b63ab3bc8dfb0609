//! An operator's view of a user's sessions (the admin API's `/api/v1/users/{id}/sessions`):
//! list them, end one or all — the applications signed in through them are told (back-channel
//! logout), as when the user ends them.

use super::{SessionInfo, info, revoke_all};
use crate::Core;
use crate::accounts::User;
use crate::accounts::admin::operator_only;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Error, Result};
use crate::ids::{SessionId, UserId};
use crate::organizations::Actor;
use crate::store::StoreError;
use crate::store::sessions as store;
use crate::store::users as store_users;

impl Core {
    /// A user's live sessions, newest first (operator only; `NotFound` for an unknown user).
    pub async fn user_sessions(&self, actor: Actor, user: UserId) -> Result<Vec<SessionInfo>> {
        operator_only(actor)?;
        let mut conn = self.store().conn().await?;
        let u: User = match store_users::get(conn.db(), user).await {
            Ok(row) => row.into(),
            Err(StoreError::NotFound) => return Err(Error::NotFound),
            Err(e) => return Err(e.into()),
        };
        let rows = store::list_for_user(conn.db(), user, self.clock().now()).await?;
        Ok(rows.into_iter().map(|r| info(r, u.clone())).collect())
    }

    /// Ends one session of a user (`only`; `NotFound` if it is not theirs) or all of them
    /// (operator only); returns how many ended.
    pub async fn end_user_sessions(
        &self,
        actor: Actor,
        user: UserId,
        only: Option<SessionId>,
        meta: &RequestMeta,
    ) -> Result<u64> {
        operator_only(actor)?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        crate::accounts::admin::locked(&mut tx, user).await?;
        let n = match only {
            Some(target) => {
                let theirs = store::list_for_user(tx.db(), user, now).await?.iter().any(|s| s.id == target);
                if !theirs {
                    return Err(Error::NotFound);
                }
                store::delete(tx.db(), target).await?;
                crate::oauth::logout::session_ended(self, &mut tx, target).await?;
                1
            }
            None => revoke_all(self, &mut tx, user).await?,
        };
        let details = serde_json::json!({"sessions": n, "by": "operator"});
        audit::record(tx.db(), now, AuditAction::SessionsRevoked, None, Some(user), meta, details).await?;
        tx.commit().await?;
        Ok(n)
    }
}
