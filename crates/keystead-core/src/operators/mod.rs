//! Operators of the deployment: accounts that may use the admin console under `/admin`.
//!
//! The role is granted on the command line (`keystead admin operator grant EMAIL`, which is how
//! the first one is made) or by another operator. Holding the role is not enough to use the
//! console: the session must have passed a second factor ([`ConsoleAccess`]). Within the
//! console, changes are made with [`Actor::Operator`] and the request's [`RequestMeta`] carries
//! the operator's account, which the audit log records as the actor.

#[cfg(test)]
mod tests;

use time::OffsetDateTime;

use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Code, Error, Result};
use crate::ids::UserId;
use crate::mfa::AssuranceLevel;
use crate::organizations::Actor;
use crate::sessions::SessionInfo;
use crate::store::{operators as store_operators, users as store_users};

/// An operator, as the console and the CLI list them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Operator {
    /// The account.
    pub user_id: UserId,
    /// Its address.
    pub email: String,
    /// Its full name, when known.
    pub name: Option<String>,
    /// When the role was granted.
    #[serde(with = "time::serde::rfc3339")]
    pub granted_at: OffsetDateTime,
    /// Who granted it (`None`: the command line).
    pub granted_by: Option<String>,
}

/// Whether a session may use the admin console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsoleAccess {
    /// Yes, with the operator's authority.
    Granted,
    /// The account is an operator but the session passed no second factor: set one up (or sign
    /// in with it) first.
    NeedsSecondFactor,
    /// The account is not an operator.
    Refused,
}

impl Core {
    /// Whether `user` holds the operator role.
    pub async fn is_operator(&self, user: UserId) -> Result<bool> {
        let mut conn = self.store().conn().await?;
        Ok(store_operators::is_operator(conn.db(), user).await?)
    }

    /// Whether `session` may use the admin console: an operator's session that passed a second
    /// factor (assurance level 2 or more).
    pub async fn console_access(&self, session: &SessionInfo) -> Result<ConsoleAccess> {
        if !self.is_operator(session.user.id).await? {
            return Ok(ConsoleAccess::Refused);
        }
        Ok(if session.assurance >= AssuranceLevel::Aal2 {
            ConsoleAccess::Granted
        } else {
            ConsoleAccess::NeedsSecondFactor
        })
    }

    /// Every operator, by address (operators only).
    pub async fn operators(&self, actor: Actor) -> Result<Vec<Operator>> {
        actor.require_operator()?;
        let mut conn = self.store().conn().await?;
        let rows = store_operators::list(conn.db()).await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let name = [r.given_name, r.family_name].into_iter().flatten().collect::<Vec<_>>().join(" ");
                Operator {
                    user_id: r.user_id,
                    email: r.email,
                    name: Some(name).filter(|n| !n.is_empty()),
                    granted_at: r.granted_at,
                    granted_by: r.granted_by_email,
                }
            })
            .collect())
    }

    /// Makes `user` an operator (operators only; the command line is one). Only an active
    /// account can hold the role. False when it already did (nothing is recorded then).
    pub async fn grant_operator(&self, actor: Actor, user: UserId, meta: &RequestMeta) -> Result<bool> {
        actor.require_operator()?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let row = match store_users::get(tx.db(), user).await {
            Ok(row) => row,
            Err(crate::store::StoreError::NotFound) => return Err(Error::NotFound),
            Err(e) => return Err(e.into()),
        };
        if row.status != "active" {
            return Err(Error::refused(
                Code::Forbidden,
                "Only an active account (address confirmed, not disabled or closing) can be an operator.",
            ));
        }
        let granted = store_operators::grant(tx.db(), user, meta.operator, now).await?;
        if granted {
            let details = serde_json::json!({"email": row.email});
            audit::record(tx.db(), now, AuditAction::OperatorGranted, None, Some(user), meta, details).await?;
        }
        tx.commit().await?;
        Ok(granted)
    }

    /// Takes the operator role from `user` (operators only). The last operator keeps it: the
    /// console would have nobody left (the command line can still grant it to another account
    /// first). False when they did not hold it.
    pub async fn revoke_operator(&self, actor: Actor, user: UserId, meta: &RequestMeta) -> Result<bool> {
        actor.require_operator()?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let all = store_operators::list(tx.db()).await?;
        if !all.iter().any(|o| o.user_id == user) {
            return Ok(false);
        }
        if all.len() == 1 {
            return Err(Error::refused(
                Code::Forbidden,
                "This is the last operator; grant the role to another account first.",
            ));
        }
        store_operators::revoke(tx.db(), user).await?;
        audit::record(tx.db(), now, AuditAction::OperatorRevoked, None, Some(user), meta, serde_json::json!({}))
            .await?;
        tx.commit().await?;
        Ok(true)
    }
}
