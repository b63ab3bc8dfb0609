//! SAML 2.0 service provider: metadata, the authentication request and the response checks.
