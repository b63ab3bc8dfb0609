//! Unit tests of the SAML service provider on fixed XML.

mod fixture;
mod metadata;
mod request;
mod response;
mod wrapping;
