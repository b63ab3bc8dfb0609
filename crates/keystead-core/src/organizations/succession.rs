//! No organization is left without an owner when its last owner's account is purged: the
//! longest-standing administrator becomes owner, else the longest-standing member; with nobody
//! left but guests (who come from outside), the organization is deleted. Closing an account
//! warns about it beforehand ([`Core::organizations_solely_owned`]).

use time::OffsetDateTime;

use super::{BuiltinRole, MemberKind};
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::Result;
use crate::ids::{OrganizationId, UserId};
use crate::store::Db;
use crate::store::organizations as store;

/// The organizations (id, name) `user` is the last owner of; read before the purge deletes the
/// memberships.
pub(crate) async fn solely_owned(db: Db<'_>, user: UserId) -> Result<Vec<(OrganizationId, String)>> {
    Ok(store::orgs_where_sole_owner(db, user).await?)
}

/// Hands each of `orgs` over (or deletes it) after `leaving`'s purge, with an event in its log.
pub(crate) async fn hand_over(
    mut db: Db<'_>,
    orgs: &[(OrganizationId, String)],
    leaving: UserId,
    now: OffsetDateTime,
) -> Result<()> {
    let meta = RequestMeta::default();
    for (org, name) in orgs {
        match store::successor_owner(db.reborrow(), *org, leaving).await? {
            Some((heir, was)) => {
                let owner = BuiltinRole::Owner.as_str();
                store::set_member_role(db.reborrow(), *org, heir, MemberKind::Member.as_str(), owner).await?;
                let details = serde_json::json!({
                    "event": "owner_succeeded", "reason": "last_owner_purged", "from_role": was, "role": owner,
                });
                let action = AuditAction::MembershipChanged;
                audit::record_in_org(db.reborrow(), now, action, None, Some(heir), *org, &meta, details).await?;
            }
            None => {
                store::delete_org(db.reborrow(), *org).await?;
                let details = serde_json::json!({"event": "deleted", "reason": "last_owner_purged", "name": name});
                let action = AuditAction::OrganizationChanged;
                audit::record_in_org(db.reborrow(), now, action, None, None, *org, &meta, details).await?;
            }
        }
    }
    Ok(())
}

impl Core {
    /// The names of the organizations `user` is the last owner of (the Close account page warns
    /// that, once the account is purged, someone else will own them or they will be deleted).
    pub async fn organizations_solely_owned(&self, user: UserId) -> Result<Vec<String>> {
        let mut conn = self.store().conn().await?;
        Ok(solely_owned(conn.db(), user).await?.into_iter().map(|(_, name)| name).collect())
    }
}
