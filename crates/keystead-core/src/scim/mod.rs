//! SCIM 2.0 provisioning, as rules: an organization's directory (Entra ID, Okta) creates,
//! changes, suspends and removes the organization's people and groups. The protocol (schemas,
//! filters, PATCH) is the web layer's; these functions decide what a change means here.
//!
//! - A provisioned user is an account plus the directory's record of it (`scim_users`). An
//!   address at one of the organization's verified domains is proven by the organization: a new
//!   account for it is verified at once, and an existing one is matched. Any other address makes
//!   a new account that its owner must still prove (by resetting the password or signing in
//!   through the organization's provider); an existing account at such an address joins only
//!   with its owner's consent (an invitation), so it is refused.
//! - The directory changes an account's name and address only when the organization manages
//!   it (its verified domain, or an account this directory made); an account that belongs to
//!   its person keeps its own details, while the directory's record keeps the directory's.
//! - `active: false` suspends the membership: it ends (no access anywhere in the organization),
//!   its role and groups are kept for reactivation. Deleting deprovisions: the membership ends,
//!   the sessions acting in the organization (every session of a managed account) and the
//!   tokens the person made for it are revoked.

mod groups;
mod membership;
#[cfg(test)]
mod tests;
mod users;

use std::collections::HashMap;

use time::OffsetDateTime;

pub use groups::{ScimGroup, ScimGroupWrite};
pub use users::ScimUserWrite;

use crate::Core;
use crate::crypto::version_tag;
use crate::error::{Error, Result};
use crate::ids::{GroupId, OrganizationId, UserId};
use crate::organizations::{Actor, Permission, access};
use crate::store::Db;
use crate::store::scim::{self as store, ScimUserRow};

/// The largest resource document kept for one user (the directory's attributes).
pub const MAX_DOCUMENT_BYTES: usize = 64 * 1024;

/// A provisioned user as the directory sees it.
#[derive(Debug, Clone)]
pub struct ScimUser {
    /// The account's id (the SCIM `id`).
    pub id: UserId,
    /// The directory's login name.
    pub user_name: String,
    /// The directory's own id for the person.
    pub external_id: Option<String>,
    /// False while suspended.
    pub active: bool,
    /// The attributes the directory last wrote (normalised JSON, no `id`, `meta`, `groups`).
    pub document: serde_json::Value,
    /// The provisioned groups the person is in, by name.
    pub groups: Vec<(GroupId, String)>,
    /// When the directory first provisioned or matched the person.
    pub created_at: OffsetDateTime,
    /// When the directory's record last changed.
    pub updated_at: OffsetDateTime,
    /// Changes whenever the record does (the `ETag`).
    pub version: String,
}

/// What reading the directory's records needs: seeing members and inviting them (a plain
/// member sees the member list, not the provisioning records).
async fn may_read(mut db: Db<'_>, org: OrganizationId, actor: Actor) -> Result<()> {
    let a = access(db.reborrow(), org, actor).await?;
    a.require(Permission::MembersRead)?;
    a.require(Permission::MembersInvite)
}

/// What provisioning people needs: adding and removing members.
async fn may_provision(mut db: Db<'_>, org: OrganizationId, actor: Actor) -> Result<()> {
    let a = access(db.reborrow(), org, actor).await?;
    a.require(Permission::MembersInvite)?;
    a.require(Permission::MembersRemove)
}

fn micros(t: OffsetDateTime) -> String {
    t.unix_timestamp_nanos().to_string()
}

async fn user_view(db: Db<'_>, row: ScimUserRow) -> Result<ScimUser> {
    let groups = store::groups_of_user(db, row.organization_id, row.user_id).await?;
    user_view_with(row, groups)
}

/// The view of a record whose groups are known.
fn user_view_with(row: ScimUserRow, groups: Vec<(GroupId, String)>) -> Result<ScimUser> {
    let group_ids: Vec<String> = groups.iter().map(|(id, name)| format!("{id}={name}")).collect();
    let version = version_tag(&[
        &row.user_name,
        row.external_id.as_deref().unwrap_or(""),
        if row.active { "1" } else { "0" },
        &row.document,
        &micros(row.updated_at),
        &group_ids.join(","),
    ]);
    let document = serde_json::from_str(&row.document)
        .map_err(|e| Error::Internal(anyhow::anyhow!("a stored SCIM document is not JSON: {e}")))?;
    Ok(ScimUser {
        id: row.user_id,
        user_name: row.user_name,
        external_id: row.external_id,
        active: row.active,
        document,
        groups,
        created_at: row.created_at,
        updated_at: row.updated_at,
        version,
    })
}

impl Core {
    /// Every user `org`'s directory provisioned, oldest first (`members:read`, `members:invite`).
    pub async fn scim_users(&self, actor: Actor, org: OrganizationId) -> Result<Vec<ScimUser>> {
        let mut conn = self.store().conn().await?;
        may_read(conn.db(), org, actor).await?;
        let rows = store::users_of(conn.db(), org).await?;
        // One query for everyone's groups, not one a person.
        let mut groups: HashMap<UserId, Vec<(GroupId, String)>> = HashMap::new();
        for (user, group, name) in store::group_memberships_of_org(conn.db(), org).await? {
            groups.entry(user).or_default().push((group, name));
        }
        rows.into_iter()
            .map(|row| {
                let theirs = groups.remove(&row.user_id).unwrap_or_default();
                user_view_with(row, theirs)
            })
            .collect()
    }

    /// One provisioned user; `NotFound` for anyone else.
    pub async fn scim_user(&self, actor: Actor, org: OrganizationId, id: UserId) -> Result<ScimUser> {
        let mut conn = self.store().conn().await?;
        may_read(conn.db(), org, actor).await?;
        let row = store::user(conn.db(), org, id).await?.ok_or(Error::NotFound)?;
        user_view(conn.db(), row).await
    }

    /// The provisioned users whose `userName` (compared case-insensitively) or `externalId`
    /// (exactly) is `value`: the directory's usual lookups, answered by index.
    pub async fn scim_users_where(
        &self,
        actor: Actor,
        org: OrganizationId,
        attribute: ScimKey,
        value: &str,
    ) -> Result<Vec<ScimUser>> {
        let mut conn = self.store().conn().await?;
        may_read(conn.db(), org, actor).await?;
        let rows = match attribute {
            ScimKey::UserName => {
                store::user_by_name(conn.db(), org, &value.to_lowercase()).await?.into_iter().collect()
            }
            ScimKey::ExternalId => store::users_by_external_id(conn.db(), org, value).await?,
        };
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(user_view(conn.db(), row).await?);
        }
        Ok(out)
    }
}

/// An indexed attribute of provisioned users.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScimKey {
    /// `userName`, case-insensitive.
    UserName,
    /// `externalId`, exact.
    ExternalId,
}
