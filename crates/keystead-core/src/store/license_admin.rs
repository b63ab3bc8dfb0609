//! Reads for license admins: the members of a group a plan's seats go to in bulk.

use super::{Db, StoreError, on_db};
use crate::ids::{GroupId, OrganizationId, UserId};

/// True when `group` is one of the organization's groups.
pub(crate) async fn group_in_org(db: Db<'_>, org: OrganizationId, group: GroupId) -> Result<bool, StoreError> {
    let n = on_db!(db, |c| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM organization_groups WHERE id = $1 AND organization_id = $2"
    )
    .bind(group)
    .bind(org)
    .fetch_one(c)
    .await)?;
    Ok(n > 0)
}

/// The members of `group` (user, email), in the order they joined.
pub(crate) async fn group_members(
    db: Db<'_>,
    org: OrganizationId,
    group: GroupId,
) -> Result<Vec<(UserId, String)>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, (UserId, String)>(
        "SELECT u.id, u.email FROM organization_group_members gm JOIN users u ON u.id = gm.user_id \
         WHERE gm.group_id = $1 AND gm.organization_id = $2 ORDER BY gm.created_at, u.email"
    )
    .bind(group)
    .bind(org)
    .fetch_all(c)
    .await)?)
}
