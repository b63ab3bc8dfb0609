//! OpenID Connect relying party: discovery, the authorization request and the callback checks.
