//! The user directory as administrators read it: whole account records with a version tag
//! (the admin API's `ETag`), one by id, and pages of a search (`Core::search_users`). The operator sees
//! every account; within an organization (its token, or a user acting there with
//! `members:read`) only its members and guests.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::User;
use super::profile::Profile;
use crate::Core;
use crate::error::{Error, Result};
use crate::ids::{OrganizationId, UserId};
use crate::organizations::{self, Actor, Permission};
use crate::store::users::{self as store_users, UserRow};
use crate::store::{Db, StoreError};

pub use super::directory_search::{
    DEFAULT_PAGE_LIMIT, DirectoryEntry, PAGE_LIMITS, SEARCH_MAX_CHARS, UserOrder, UserPage, UserQuery,
};

/// An account with everything an administrator may read about it.
#[derive(Debug, Clone)]
pub struct AccountRecord {
    /// The account.
    pub user: User,
    /// Its personal details.
    pub profile: Profile,
    /// Its language (BCP 47), if chosen.
    pub locale: Option<String>,
    /// Its time zone (IANA), if chosen.
    pub time_zone: Option<String>,
    /// For a closing account, when its personal data will be deleted.
    pub purge_at: Option<OffsetDateTime>,
    /// Its last change.
    pub updated_at: OffsetDateTime,
    /// A tag that changes whenever anything above changes (a strong `ETag`'s value).
    pub version: String,
}

impl From<UserRow> for AccountRecord {
    fn from(row: UserRow) -> Self {
        let version = version_of(&row);
        Self {
            profile: Profile::from_row(&row),
            locale: row.locale.clone(),
            time_zone: row.time_zone.clone(),
            purge_at: row.purge_at,
            updated_at: row.updated_at,
            user: row.into(),
            version,
        }
    }
}

/// The row's version: SHA-256 over every column an administrator reads (the password only as
/// "set" and when it changed), so two records differ in version exactly when they differ.
fn version_of(r: &UserRow) -> String {
    let fields = serde_json::json!([
        r.id.to_string(),
        r.email,
        r.email_verified_at.map(OffsetDateTime::unix_timestamp_nanos).map(|n| n.to_string()),
        r.password_hash.is_some(),
        r.password_changed_at.map(OffsetDateTime::unix_timestamp_nanos).map(|n| n.to_string()),
        r.given_name,
        r.family_name,
        r.locale,
        r.time_zone,
        r.status,
        r.purge_at.map(OffsetDateTime::unix_timestamp_nanos).map(|n| n.to_string()),
        r.last_sign_in_at.map(OffsetDateTime::unix_timestamp_nanos).map(|n| n.to_string()),
        r.phone,
        r.country,
        r.city,
        r.date_of_birth.map(|d| d.to_string()),
        r.company,
        r.job_title,
    ]);
    let digest = Sha256::digest(fields.to_string().as_bytes());
    URL_SAFE_NO_PAD.encode(&digest[..16])
}

/// Checks that `actor` may read accounts within `within` (the whole deployment when `None`).
pub(super) async fn may_read(db: Db<'_>, actor: Actor, within: Option<OrganizationId>) -> Result<()> {
    match (within, actor) {
        (None, Actor::Operator) => Ok(()),
        (None, Actor::User(_)) => Err(Error::Forbidden),
        (Some(org), actor) => organizations::access(db, org, actor).await?.require(Permission::MembersRead),
    }
}

impl Core {
    /// One account, as an admin sees it: the operator, any account; within an organization (an
    /// organization's token, or a user acting there), only its members and guests, with
    /// `members:read` there — any other id is not found, so nothing is learnt about others.
    pub async fn user_within(&self, actor: Actor, within: Option<OrganizationId>, id: UserId) -> Result<AccountRecord> {
        let mut conn = self.store().conn().await?;
        may_read(conn.db(), actor, within).await?;
        if let Some(org) = within
            && crate::store::organizations::membership(conn.db(), org, id).await?.is_none()
        {
            return Err(Error::NotFound);
        }
        match store_users::get(conn.db(), id).await {
            Ok(row) => Ok(row.into()),
            Err(StoreError::NotFound) => Err(Error::NotFound),
            Err(e) => Err(e.into()),
        }
    }
}
