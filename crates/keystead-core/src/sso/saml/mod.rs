//! SAML 2.0 service provider: metadata, the authentication request and the response checks.
//!
//! Pure protocol, no storage: the caller keeps the request ID with the browser's pending sign-in
//! and remembers assertion IDs against replay. XML signatures are verified by `bergshamra`
//! (pure Rust, aws-lc) against the IdP metadata's certificates only.

mod assertion;
mod error;
mod metadata;
mod request;
mod response;
mod signature;
mod xml;

pub use error::SamlError;
pub use metadata::{IdpMetadata, MAX_METADATA_BYTES, parse_idp_metadata, sp_metadata};
pub use request::{MAX_RELAY_STATE_BYTES, authn_request};
pub use response::{Expected, MAX_RESPONSE_BYTES, Validated, validate_response};

/// The HTTP-Redirect binding (SAML Bindings §3.4).
pub const BINDING_HTTP_REDIRECT: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
/// The HTTP-POST binding (SAML Bindings §3.5).
pub const BINDING_HTTP_POST: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

#[cfg(test)]
pub(in crate::sso) mod tests;
