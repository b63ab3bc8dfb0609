//! The user directory as administrators read it: whole account records with a version tag
//! (the admin API's `ETag`), one by id and pages of a search by email prefix, name and status,
//! resumed by an opaque cursor. The operator sees every account; within an organization (its
//! token, or a user acting there with `members:read`) only its members and guests.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::profile::Profile;
use super::{User, UserStatus};
use crate::Core;
use crate::error::{Error, FieldErrors, Result};
use crate::ids::{OrganizationId, UserId};
use crate::organizations::{self, Actor, Permission};
use crate::store::user_directory::{self, DirectoryFilter, like_pattern};
use crate::store::users::{self as store_users, UserRow};
use crate::store::{Db, StoreError};

/// Page sizes a search may ask for.
pub const PAGE_LIMITS: std::ops::RangeInclusive<u32> = 1..=200;
/// The page size when none is asked for.
pub const DEFAULT_PAGE_LIMIT: u32 = 50;

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

/// A directory search.
#[derive(Debug, Default, Clone)]
pub struct UserQuery {
    /// Addresses starting with this (case-insensitive).
    pub email_prefix: Option<String>,
    /// Names containing this (case-insensitive).
    pub name: Option<String>,
    /// Only accounts in this status.
    pub status: Option<UserStatus>,
    /// Where the previous page ended (its `next_cursor`).
    pub cursor: Option<String>,
    /// Page size ([`PAGE_LIMITS`]; [`DEFAULT_PAGE_LIMIT`] when absent).
    pub limit: Option<u32>,
}

/// One page of a search.
#[derive(Debug)]
pub struct UserPage {
    /// The accounts, by address.
    pub items: Vec<AccountRecord>,
    /// Pass as `cursor` for the next page; `None` on the last.
    pub next_cursor: Option<String>,
}

const CURSOR_VERSION: &str = "u1.";

fn encode_cursor(email_lookup: &str) -> String {
    format!("{CURSOR_VERSION}{}", URL_SAFE_NO_PAD.encode(email_lookup))
}

fn decode_cursor(cursor: &str) -> Option<String> {
    let raw = URL_SAFE_NO_PAD.decode(cursor.strip_prefix(CURSOR_VERSION)?).ok()?;
    String::from_utf8(raw).ok().filter(|s| !s.is_empty() && s.len() <= 320)
}

/// Checks that `actor` may read accounts within `within` (the whole deployment when `None`).
async fn may_read(db: Db<'_>, actor: Actor, within: Option<OrganizationId>) -> Result<()> {
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

    /// A page of accounts matching `query`, by address, for the same readers as
    /// [`Core::user_within`]. Purged tombstones are listed only when asked for by status.
    pub async fn search_users(
        &self,
        actor: Actor,
        within: Option<OrganizationId>,
        query: &UserQuery,
    ) -> Result<UserPage> {
        let mut errors = FieldErrors::new();
        let limit = query.limit.unwrap_or(DEFAULT_PAGE_LIMIT);
        if !PAGE_LIMITS.contains(&limit) {
            errors.add("limit", "out_of_range", "Ask for 1 to 200 accounts a page.");
        }
        let after = match query.cursor.as_deref() {
            Some(c) => decode_cursor(c).or_else(|| {
                errors.add("cursor", "invalid", "This cursor was not made by this API; start from the first page.");
                None
            }),
            None => None,
        };
        let email_prefix = query.email_prefix.as_deref().map(|p| p.trim().to_lowercase());
        if email_prefix.as_ref().is_some_and(|p| p.chars().count() > 320) {
            errors.add("email", "too_long", "Use at most 320 characters.");
        }
        for (field, term) in [("email", &query.email_prefix), ("name", &query.name)] {
            user_directory::check_search(field, term.as_deref().unwrap_or_default(), &mut errors);
        }
        errors.into_result()?;
        let name = query.name.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(like_pattern);
        let filter = DirectoryFilter {
            organization: within,
            email_prefix: email_prefix.as_deref(),
            name_pattern: name.as_deref(),
            status: query.status.map(UserStatus::as_str),
            hide_purged: query.status.is_none(),
            after: after.as_deref(),
            limit: i64::from(limit) + 1,
        };
        let mut conn = self.store().conn().await?;
        may_read(conn.db(), actor, within).await?;
        let mut rows = user_directory::page(conn.db(), &filter).await?;
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let next_cursor = more.then(|| rows.last().map(|r| encode_cursor(&r.email_lookup))).flatten();
        Ok(UserPage { items: rows.into_iter().map(AccountRecord::from).collect(), next_cursor })
    }
}
