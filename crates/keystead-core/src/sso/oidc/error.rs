//! What can go wrong between Keystead and an organization's OpenID Connect provider, each with
//! a stable code the web layer turns into a message.

/// Which check of an ID token failed (OpenID Connect Core §3.1.3.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdTokenCheck {
    /// Not a signed JWT with the required claims (`iss`, `sub`, `aud`, `exp`, `iat`).
    Malformed,
    /// Signed with an algorithm we do not accept (`none`, `HS*`, or one the keys cannot do).
    Algorithm,
    /// No key of the provider's JWKS matches the token's `kid`, even after fetching it again.
    Key,
    /// The signature does not verify.
    Signature,
    /// `iss` is not the provider's issuer.
    Issuer,
    /// `aud` does not contain our client id, or `azp` is not our client id.
    Audience,
    /// Expired, or issued in the future.
    Expiry,
    /// `nonce` is missing or not the one sent with the authorization request.
    Nonce,
}

impl IdTokenCheck {
    /// Stable snake_case name of the check.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Malformed => "malformed",
            Self::Algorithm => "algorithm",
            Self::Key => "key",
            Self::Signature => "signature",
            Self::Issuer => "issuer",
            Self::Audience => "audience",
            Self::Expiry => "expiry",
            Self::Nonce => "nonce",
        }
    }
}

/// An OpenID Connect sign-in that could not go on. Messages never contain tokens or secrets.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// The provider could not be reached (DNS, connection, TLS, timeout, refused by the
    /// outbound guard).
    #[error("the identity provider could not be reached at {url}: {reason}")]
    Unreachable {
        /// The URL requested.
        url: String,
        /// Why, in words.
        reason: String,
    },
    /// The discovery document is unusable (HTTP error, not JSON, missing or insecure endpoints).
    #[error("the identity provider's discovery document is unusable: {0}")]
    BadDiscovery(String),
    /// The key set (`jwks_uri`) is unusable.
    #[error("the identity provider's key set is unusable: {0}")]
    BadJwks(String),
    /// The discovery document names another issuer than the one configured (Discovery §4.3).
    #[error("the discovery document names the issuer {found:?}, not {expected:?}")]
    IssuerMismatch {
        /// The configured issuer.
        expected: String,
        /// The `issuer` of the document.
        found: String,
    },
    /// The connection's settings cannot make a valid request.
    #[error("invalid OpenID Connect settings: {0}")]
    InvalidSettings(String),
    /// The redirect back from the provider lacks a parameter.
    #[error("the identity provider's redirect has no {0} parameter")]
    MalformedCallback(&'static str),
    /// The provider redirected back with an error (RFC 6749 §4.1.2.1).
    #[error("the identity provider answered {error}{}", description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    IdpError {
        /// The `error` code, e.g. `access_denied`.
        error: String,
        /// The `error_description`, as given.
        description: Option<String>,
    },
    /// `state` is not the one this browser was sent with: a forged or replayed callback.
    #[error("the state parameter does not match this sign-in")]
    StateMismatch,
    /// The `iss` parameter is missing where the provider promises it, or names another issuer
    /// (RFC 9207 §2.4): a mix-up attack.
    #[error("the iss parameter {found:?} does not match the issuer {expected:?}")]
    IssParameterMismatch {
        /// The provider's issuer.
        expected: String,
        /// The `iss` parameter, if any.
        found: Option<String>,
    },
    /// The token endpoint refused the code (RFC 6749 §5.2).
    #[error("the identity provider refused the code: {error}{}", description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    TokenRefused {
        /// The `error` code, e.g. `invalid_grant`.
        error: String,
        /// The `error_description`, as given.
        description: Option<String>,
    },
    /// The token endpoint answered something that is not a token response with an ID token.
    #[error("the identity provider's token response is unusable: {0}")]
    BadTokenResponse(String),
    /// The ID token failed a check.
    #[error("the ID token failed the {} check: {detail}", check.as_str())]
    BadIdToken {
        /// The check that failed.
        check: IdTokenCheck,
        /// What was wrong, in words (no token content).
        detail: String,
    },
    /// The userinfo endpoint failed or answered for another subject (Core §5.3.4).
    #[error("the identity provider's userinfo answer is unusable: {0}")]
    Userinfo(String),
}

impl OidcError {
    /// A stable snake_case code for logs, metrics and the user message.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unreachable { .. } => "idp_unreachable",
            Self::BadDiscovery(_) => "bad_discovery",
            Self::BadJwks(_) => "bad_jwks",
            Self::IssuerMismatch { .. } => "issuer_mismatch",
            Self::InvalidSettings(_) => "invalid_settings",
            Self::MalformedCallback(_) => "malformed_callback",
            Self::IdpError { .. } => "idp_error",
            Self::StateMismatch => "state_mismatch",
            Self::IssParameterMismatch { .. } => "iss_parameter_mismatch",
            Self::TokenRefused { .. } => "token_refused",
            Self::BadTokenResponse(_) => "bad_token_response",
            Self::BadIdToken { check, .. } => match check {
                IdTokenCheck::Malformed => "id_token_malformed",
                IdTokenCheck::Algorithm => "id_token_algorithm",
                IdTokenCheck::Key => "id_token_key",
                IdTokenCheck::Signature => "id_token_signature",
                IdTokenCheck::Issuer => "id_token_issuer",
                IdTokenCheck::Audience => "id_token_audience",
                IdTokenCheck::Expiry => "id_token_expiry",
                IdTokenCheck::Nonce => "id_token_nonce",
            },
            Self::Userinfo(_) => "userinfo_failed",
        }
    }

    pub(super) fn id_token(check: IdTokenCheck, detail: impl Into<String>) -> Self {
        Self::BadIdToken { check, detail: detail.into() }
    }

    /// The failed ID-token check, if this is one.
    pub fn id_token_check(&self) -> Option<IdTokenCheck> {
        match self {
            Self::BadIdToken { check, .. } => Some(*check),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_snake_case_and_distinct() {
        let errors = [
            OidcError::Unreachable { url: "u".into(), reason: "r".into() },
            OidcError::BadDiscovery("x".into()),
            OidcError::BadJwks("x".into()),
            OidcError::IssuerMismatch { expected: "a".into(), found: "b".into() },
            OidcError::InvalidSettings("x".into()),
            OidcError::MalformedCallback("code"),
            OidcError::IdpError { error: "access_denied".into(), description: None },
            OidcError::StateMismatch,
            OidcError::IssParameterMismatch { expected: "a".into(), found: None },
            OidcError::TokenRefused { error: "invalid_grant".into(), description: Some("used".into()) },
            OidcError::BadTokenResponse("x".into()),
            OidcError::id_token(IdTokenCheck::Malformed, "x"),
            OidcError::id_token(IdTokenCheck::Algorithm, "x"),
            OidcError::id_token(IdTokenCheck::Key, "x"),
            OidcError::id_token(IdTokenCheck::Signature, "x"),
            OidcError::id_token(IdTokenCheck::Issuer, "x"),
            OidcError::id_token(IdTokenCheck::Audience, "x"),
            OidcError::id_token(IdTokenCheck::Expiry, "x"),
            OidcError::id_token(IdTokenCheck::Nonce, "x"),
            OidcError::Userinfo("x".into()),
        ];
        let codes: std::collections::HashSet<&str> = errors.iter().map(OidcError::code).collect();
        assert_eq!(codes.len(), errors.len());
        assert!(codes.iter().all(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_')));
    }

    #[test]
    fn the_provider_error_reads_with_its_description() {
        let e = OidcError::TokenRefused { error: "invalid_grant".into(), description: Some("code used".into()) };
        assert_eq!(e.to_string(), "the identity provider refused the code: invalid_grant (code used)");
        let e = OidcError::IdpError { error: "access_denied".into(), description: None };
        assert_eq!(e.to_string(), "the identity provider answered access_denied");
    }
}
