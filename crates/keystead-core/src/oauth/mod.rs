//! The OAuth 2.0 authorization server and OpenID Connect provider (SPEC §3): signing keys and
//! discovery, clients, the authorization and token endpoints, pushed authorization requests,
//! userinfo, introspection, revocation, the device grant and logout. HTTP lives in the web crate;
//! everything else here.

pub mod apps;
pub mod authorize;
mod authorize_params;
pub mod claims;
pub mod claims_request;
pub mod client_consents;
pub mod clients;
pub mod cors;
pub mod device;
pub mod dpop;
pub mod key_admin;
pub mod keys;
pub mod logout;
pub mod par;
#[cfg(test)]
mod par_tests;
pub mod pkce;
pub mod registration;
#[cfg(test)]
mod registration_tests;
pub mod scopes;
pub mod token;
pub mod token_use;

use std::fmt;

pub use clients::{Client, ClientKind, GrantType};
pub use keys::SigningAlg;
pub use registration::{ClientChanges, CreatedClient, NewClient};

/// Token lifetimes and key rotation (`oauth.*`).
#[derive(Debug, Clone, Copy)]
pub struct OAuthConfig {
    /// Life of a JWT access token (`oauth.access_token_minutes`, default 10; RFC 9068).
    pub access_token_ttl: time::Duration,
    /// Life of an ID token (`oauth.id_token_minutes`, default 60).
    pub id_token_ttl: time::Duration,
    /// Life of a refresh token, renewed by each rotation (`oauth.refresh_token_days`, default 30).
    pub refresh_token_ttl: time::Duration,
    /// A signing key signs for this long before the next one takes over
    /// (`oauth.key_rotation_days`, default 90).
    pub key_rotation: time::Duration,
    /// A new key is published this long before it signs, so clients caching the JWKS know it
    /// (`oauth.key_publish_ahead_hours`, default 24).
    pub key_publish_ahead: time::Duration,
    /// The algorithm of access tokens (`oauth.access_token_alg`, default `ES256`: RS256 signing
    /// costs about 30 times more; resource servers must accept RS256 too, RFC 9068 §4).
    pub access_token_alg: SigningAlg,
    /// Every DPoP proof must carry this server's nonce (`oauth.dpop_nonce_required`, default
    /// false; RFC 9449 §8: limits how long a proof made in advance is useful).
    pub dpop_nonce_required: bool,
}

impl Default for OAuthConfig {
    fn default() -> Self {
        Self {
            access_token_ttl: time::Duration::minutes(10),
            id_token_ttl: time::Duration::minutes(60),
            refresh_token_ttl: time::Duration::days(30),
            key_rotation: time::Duration::days(90),
            key_publish_ahead: time::Duration::hours(24),
            access_token_alg: SigningAlg::Es256,
            dpop_nonce_required: false,
        }
    }
}

/// Authorization codes live 60 seconds (RFC 6749 §4.1.2 recommends at most 10 minutes).
pub const CODE_TTL: time::Duration = time::Duration::seconds(60);
/// Device codes live 10 minutes (RFC 8628 §3.2 `expires_in`).
pub const DEVICE_CODE_TTL: time::Duration = time::Duration::minutes(10);
/// The minimum polling interval of the device grant (RFC 8628 §3.2 `interval`).
pub const DEVICE_INTERVAL_SECS: i64 = 5;
/// The longest value accepted for any single request parameter (RFC 6819 §5.1.4.1 hints at
/// limiting input; nothing legitimate comes near this).
pub const MAX_PARAM_LEN: usize = 2048;

/// An OAuth error code (RFC 6749 §4.1.2.1, §5.2; RFC 6750 §3.1; RFC 8628 §3.5; OpenID Connect
/// Core §3.1.2.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorCode {
    /// The request is missing a parameter, repeats one or is otherwise malformed.
    InvalidRequest,
    /// Client authentication failed (RFC 6749 §5.2: 401 with `WWW-Authenticate`).
    InvalidClient,
    /// The code, refresh token or device code is invalid, expired, revoked or for another client.
    InvalidGrant,
    /// The client may not use this grant or response type.
    UnauthorizedClient,
    /// The grant type is not supported.
    UnsupportedGrantType,
    /// The response type is not supported.
    UnsupportedResponseType,
    /// A requested scope is unknown.
    InvalidScope,
    /// The user or the server refused.
    AccessDenied,
    /// An unexpected failure.
    ServerError,
    /// The server is overloaded or its database is out of reach for now (RFC 6749 §4.1.2.1;
    /// answered 503 with `Retry-After` on every endpoint).
    TemporarilyUnavailable,
    /// `prompt=none` but the user is not signed in.
    LoginRequired,
    /// `prompt=none` but consent is needed.
    ConsentRequired,
    /// `prompt=none` but the user must interact.
    InteractionRequired,
    /// Device grant: the user has not decided yet.
    AuthorizationPending,
    /// Device grant: the client polls too fast.
    SlowDown,
    /// Device grant: the device code expired.
    ExpiredToken,
    /// A bearer token is invalid (RFC 6750 §3.1).
    InvalidToken,
    /// The access token is valid but cannot be used here (RFC 6750 §3.1: 403).
    InsufficientScope,
    /// The token type cannot be revoked (RFC 7009 §2.2.1).
    UnsupportedTokenType,
    /// The DPoP proof is missing, malformed, replayed or does not match (RFC 9449 §5, §7.1).
    InvalidDpopProof,
    /// The DPoP proof needs the server's nonce (RFC 9449 §8): sent with a `DPoP-Nonce` header.
    UseDpopNonce,
    /// The `request_uri` is unknown, expired, already used or another client's (RFC 9101 §7,
    /// RFC 9126 §4).
    InvalidRequestUri,
    /// The `request` parameter (a request object) is not supported (OpenID Connect Core
    /// §6.3.2).
    RequestNotSupported,
    /// A `request_uri` not made by the pushed authorization request endpoint (OpenID Connect
    /// Core §6.3.2).
    RequestUriNotSupported,
}

impl ErrorCode {
    /// The registered string.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant => "invalid_grant",
            Self::UnauthorizedClient => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::UnsupportedResponseType => "unsupported_response_type",
            Self::InvalidScope => "invalid_scope",
            Self::AccessDenied => "access_denied",
            Self::ServerError => "server_error",
            Self::TemporarilyUnavailable => "temporarily_unavailable",
            Self::LoginRequired => "login_required",
            Self::ConsentRequired => "consent_required",
            Self::InteractionRequired => "interaction_required",
            Self::AuthorizationPending => "authorization_pending",
            Self::SlowDown => "slow_down",
            Self::ExpiredToken => "expired_token",
            Self::InvalidToken => "invalid_token",
            Self::InsufficientScope => "insufficient_scope",
            Self::UnsupportedTokenType => "unsupported_token_type",
            Self::InvalidDpopProof => "invalid_dpop_proof",
            Self::UseDpopNonce => "use_dpop_nonce",
            Self::InvalidRequestUri => "invalid_request_uri",
            Self::RequestNotSupported => "request_not_supported",
            Self::RequestUriNotSupported => "request_uri_not_supported",
        }
    }
}

/// An OAuth protocol error: the code and a description for the client's developer.
#[derive(Debug)]
pub struct OAuthError {
    /// The error code.
    pub code: ErrorCode,
    /// `error_description`: what was wrong, never a secret.
    pub description: String,
}

impl OAuthError {
    /// An error with a description, kept within the characters RFC 6749 §4.1.2.1 and §5.2 allow
    /// in `error_description` (`%x20-21 / %x23-5B / %x5D-7E`): a quote becomes `'`, a backslash
    /// `/`, anything else outside (control characters, non-ASCII a client sent) `?`.
    pub fn new(code: ErrorCode, description: impl Into<String>) -> Self {
        let description = description
            .into()
            .chars()
            .map(|c| match c {
                '"' => '\'',
                '\\' => '/',
                ' '..='~' => c,
                _ => '?',
            })
            .collect();
        Self { code, description }
    }
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.description)
    }
}

impl std::error::Error for OAuthError {}

impl From<crate::Error> for OAuthError {
    fn from(e: crate::Error) -> Self {
        match e {
            crate::Error::Overloaded | crate::Error::RateLimited { .. } => {
                Self::new(ErrorCode::TemporarilyUnavailable, "the server is busy; retry later")
            }
            crate::Error::Unavailable(cause) => {
                tracing::warn!(error = %format!("{:#}", anyhow::Error::new(cause)), "oauth endpoint: database unavailable");
                Self::new(ErrorCode::TemporarilyUnavailable, "the service is temporarily unavailable; retry later")
            }
            other => {
                tracing::error!(error = %format!("{other:#}"), "oauth endpoint failed");
                Self::new(ErrorCode::ServerError, "an unexpected error occurred")
            }
        }
    }
}

impl From<crate::store::StoreError> for OAuthError {
    fn from(e: crate::store::StoreError) -> Self {
        crate::Error::from(e).into()
    }
}

impl From<anyhow::Error> for OAuthError {
    fn from(e: anyhow::Error) -> Self {
        crate::Error::Internal(e).into()
    }
}

/// Result of the OAuth endpoints.
pub type OAuthResult<T> = Result<T, OAuthError>;

/// The issuer identifier: the public URL without its trailing slash (OpenID Connect Discovery
/// §4.3 requires the issuer to match exactly).
pub fn issuer(core: &crate::Core) -> String {
    core.config().public_url.as_str().trim_end_matches('/').to_owned()
}

/// Seconds since the epoch, for JWT claims.
pub(crate) fn epoch(t: time::OffsetDateTime) -> i64 {
    t.unix_timestamp()
}

/// The `acr` value for the methods a session used: `urn:keystead:acr:mfa` when two different
/// factors were used (RFC 8176 values: `otp`, `hwk`, `swk`, `sms`, … next to `pwd`), else
/// `urn:keystead:acr:pwd`. The one place that maps `amr` to `acr` (the MFA issue fills `amr`).
pub fn acr_for(amr: &[String]) -> &'static str {
    let second = ["otp", "hwk", "swk", "sms", "fpt", "face", "mfa", "pop"];
    let strong = amr.iter().any(|m| second.contains(&m.as_str()));
    if strong { "urn:keystead:acr:mfa" } else { "urn:keystead:acr:pwd" }
}

/// Splits a stored comma- or space-separated list.
pub(crate) fn split_list(s: &str) -> Vec<String> {
    s.split([',', ' ']).filter(|x| !x.is_empty()).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_descriptions_keep_to_the_characters_oauth_allows() {
        let e = OAuthError::new(ErrorCode::InvalidRequest, "unknown value \"é\\n\u{7}\"");
        assert_eq!(e.description, "unknown value '?/n?'");
        assert!(e.description.chars().all(|c| matches!(c, '\x20'..='\x21' | '\x23'..='\x5b' | '\x5d'..='\x7e')));
    }

    #[test]
    fn acr_reflects_a_second_factor() {
        assert_eq!(acr_for(&["pwd".to_owned()]), "urn:keystead:acr:pwd");
        assert_eq!(acr_for(&["pwd".to_owned(), "otp".to_owned()]), "urn:keystead:acr:mfa");
        assert_eq!(acr_for(&["hwk".to_owned()]), "urn:keystead:acr:mfa");
    }
}
