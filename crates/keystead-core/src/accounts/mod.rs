//! Accounts: registration, email verification, sign-in, password reset, password rules, and the
//! operator's account commands.

pub mod admin;
pub mod admin_email;
pub mod admin_reset;
pub mod closing;
pub mod codes;
pub mod directory;
mod directory_merge;
mod directory_search;
#[cfg(test)]
mod directory_search_tests;
#[cfg(test)]
mod directory_tests;
pub mod dossier;
#[cfg(test)]
mod dossier_tests;
pub mod email;
pub mod email_change;
pub mod export;
pub mod overview;
pub mod password_change;
pub mod password_policy;
pub mod password_reset;
pub mod picture;
pub mod preferences;
pub mod profile;
pub mod registration;
pub mod sign_in;
#[cfg(test)]
mod sign_in_tests;
mod tokens;

use time::OffsetDateTime;

use crate::ids::UserId;
use crate::store::users::UserRow;

pub use email::EmailAddress;

/// Where an account stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    /// Registered; the email address is not proved yet.
    Unverified,
    /// Verified, but required profile data or agreements are missing.
    IncompleteProfile,
    /// In use.
    Active,
    /// Disabled by an operator: cannot sign in.
    Disabled,
    /// Closed by its owner, waiting for the purge.
    Closing,
    /// Personal data deleted.
    Purged,
}

impl UserStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unverified => "unverified",
            Self::IncompleteProfile => "incomplete_profile",
            Self::Active => "active",
            Self::Disabled => "disabled",
            Self::Closing => "closing",
            Self::Purged => "purged",
        }
    }

    /// The status with this stored name, if there is one.
    pub fn from_name(s: &str) -> Option<Self> {
        [Self::Unverified, Self::IncompleteProfile, Self::Active, Self::Disabled, Self::Closing, Self::Purged]
            .into_iter()
            .find(|st| st.as_str() == s)
    }

    fn parse(s: &str) -> Self {
        match s {
            "unverified" => Self::Unverified,
            "incomplete_profile" => Self::IncompleteProfile,
            "active" => Self::Active,
            "closing" => Self::Closing,
            "purged" => Self::Purged,
            _ => Self::Disabled,
        }
    }

    /// True when the account may hold a session.
    pub fn may_sign_in(self) -> bool {
        matches!(self, Self::IncompleteProfile | Self::Active)
    }
}

/// A user account, as features and pages see it (never the password hash).
#[derive(Debug, Clone, serde::Serialize)]
pub struct User {
    /// Its id.
    pub id: UserId,
    /// The primary email address.
    pub email: String,
    /// When the address was proved.
    #[serde(with = "time::serde::rfc3339::option")]
    pub email_verified_at: Option<OffsetDateTime>,
    /// True when a local password is set.
    pub has_password: bool,
    /// When the password last changed.
    #[serde(with = "time::serde::rfc3339::option")]
    pub password_changed_at: Option<OffsetDateTime>,
    /// Given name.
    pub given_name: Option<String>,
    /// Family name.
    pub family_name: Option<String>,
    /// Status.
    pub status: UserStatus,
    /// Created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last successful sign-in.
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_sign_in_at: Option<OffsetDateTime>,
    /// The language the user chose (`en`, `de`, `tr`), or registered in.
    pub locale: Option<String>,
}

impl User {
    /// The name to show: the full name, or the email address.
    pub fn display_name(&self) -> String {
        let name = [self.given_name.as_deref(), self.family_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        if name.trim().is_empty() { self.email.clone() } else { name }
    }
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> Self {
        Self {
            id: r.id,
            email: r.email,
            email_verified_at: r.email_verified_at,
            has_password: r.password_hash.is_some(),
            password_changed_at: r.password_changed_at,
            given_name: r.given_name,
            family_name: r.family_name,
            status: UserStatus::parse(&r.status),
            created_at: r.created_at,
            last_sign_in_at: r.last_sign_in_at,
            locale: r.locale,
        }
    }
}

/// A new account's row: the address, its status, an optional password hash (changed now) and
/// names; everything else empty.
pub(crate) fn new_user_row(
    email: &EmailAddress,
    status: UserStatus,
    password_hash: Option<String>,
    names: (Option<String>, Option<String>),
    verified_at: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> UserRow {
    UserRow {
        id: UserId::new(),
        email: email.as_str().to_owned(),
        email_lookup: email.lookup().to_owned(),
        email_verified_at: verified_at,
        password_changed_at: password_hash.as_ref().map(|_| now),
        password_hash,
        given_name: names.0,
        family_name: names.1,
        locale: None,
        time_zone: None,
        status: status.as_str().to_owned(),
        purge_at: None,
        created_at: now,
        updated_at: now,
        last_sign_in_at: None,
        phone: None,
        country: None,
        city: None,
        date_of_birth: None,
        company: None,
        job_title: None,
        closed_by: None,
    }
}

/// Validates an optional name field: trimmed, at most 100 characters, no control characters.
pub(crate) fn clean_name(field: &str, value: Option<&str>, errors: &mut crate::FieldErrors) -> Option<String> {
    let v = value.map(str::trim).filter(|v| !v.is_empty())?;
    if v.chars().count() > 100 {
        errors.add_with(field, "too_long", "Use at most 100 characters.", vec![("max", "100".to_owned())]);
        return None;
    }
    if v.chars().any(char::is_control) {
        errors.add(field, "invalid", "Remove the control characters.");
        return None;
    }
    Some(v.to_owned())
}
