//! Unit tests of the SAML service provider on fixed XML.

pub(in crate::sso) mod fixture;
mod metadata;
mod request;
mod response;
mod wrapping;
