//! SCIM 2.0 (RFC 7643, RFC 7644) per organization under `/scim/v2/{org}/…` (`{org}` its short
//! name or id): corporate directories (Entra ID, Okta) provision the organization's users and
//! groups with a token of that organization holding the `scim` scope. The protocol (schemas,
//! filters, PATCH) lives here; every rule (who may be provisioned, what deprovisioning ends) is
//! one core function ([`keystead_core::scim`]).

mod auth;
pub mod discovery;
pub mod error;
pub mod filter;
pub mod groups;
pub mod patch;
pub mod respond;
pub mod schema;
pub mod users;

use time::OffsetDateTime;

/// A time as SCIM writes it (RFC 3339, UTC).
fn rfc3339(t: OffsetDateTime) -> String {
    crate::api::users::rfc3339(t)
}
