//! The checks of single authorization request parameters: PKCE, `max_age` and `prompt`.

use super::authorize::{AuthorizeParams, one};
use super::claims_request::RequestedClaims;
use super::{OAuthResult, pkce};

/// The S256 `code_challenge` (RFC 7636 §4.3), required of public clients (RFC 9700 §2.1.1).
pub(super) fn challenge(p: &AuthorizeParams, public: bool) -> Result<Option<String>, &'static str> {
    match (one(&p.code_challenge), one(&p.code_challenge_method)) {
        (None, None) if public => Err("public clients must use PKCE (code_challenge, S256)"),
        (None, None) => Ok(None),
        (None, Some(_)) => Err("code_challenge is required"),
        (Some(_), m) if m != Some("S256") => Err("code_challenge_method must be S256"),
        (Some(c), _) if !pkce::valid_challenge(c) => Err("code_challenge must be 43 base64url characters"),
        (Some(c), _) => Ok(Some(c.to_owned())),
    }
}

/// `max_age` in seconds, if given.
pub(super) fn max_age(p: &AuthorizeParams) -> Result<Option<i64>, &'static str> {
    one(&p.max_age)
        .map(|m| m.parse::<i64>().ok().filter(|v| *v >= 0).ok_or("max_age must be a number of seconds"))
        .transpose()
}

/// The `prompt` values (OpenID Connect Core §3.1.2.1); `none` stands alone.
pub(super) fn prompts(p: &AuthorizeParams) -> Result<Vec<&str>, &'static str> {
    let prompts: Vec<&str> = one(&p.prompt).unwrap_or("").split(' ').filter(|s| !s.is_empty()).collect();
    if prompts.iter().any(|p| !["none", "login", "consent", "select_account"].contains(p)) {
        return Err("prompt has an unknown value");
    }
    if prompts.contains(&"none") && prompts.len() > 1 {
        return Err("prompt=none cannot be combined with other values");
    }
    Ok(prompts)
}

/// `dpop_jkt` (RFC 9449 §10), if given: a SHA-256 JWK thumbprint.
pub(super) fn dpop_jkt(p: &AuthorizeParams) -> Result<Option<String>, &'static str> {
    let valid = |j: &str| j.len() == 43 && j.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    match one(&p.dpop_jkt) {
        Some(j) if !valid(j) => Err("dpop_jkt must be a SHA-256 JWK thumbprint (43 base64url characters)"),
        j => Ok(j.map(str::to_owned)),
    }
}

/// The `claims` parameter (OpenID Connect Core §5.5), if given.
pub(super) fn requested_claims(p: &AuthorizeParams) -> OAuthResult<RequestedClaims> {
    one(&p.claims).map_or_else(|| Ok(RequestedClaims::default()), RequestedClaims::parse)
}

/// What re-authentication marks are tagged with (see [`crate::Core::code_tag`]).
const MARK_LABEL: &[u8] = b"reauthentication mark:";
/// How long a re-authentication mark is honoured: the time a person has to sign in again.
const MARK_LIFE_SECS: i64 = 15 * 60;

impl crate::Core {
    /// The mark this server adds to an authorization request when it sends the person to sign
    /// in again (`prompt=login`, `max_age`): when that was, for `client_id`, signed (HMAC under
    /// a key derived from the master key) so that nobody can add one to skip signing in again.
    pub fn reauthentication_mark(&self, client_id: &str) -> String {
        let at = self.clock().now().unix_timestamp();
        format!("{at}.{}", self.code_tag(MARK_LABEL, &[client_id.as_bytes(), &at.to_be_bytes()], 16))
    }

    /// The time of a mark made by [`crate::Core::reauthentication_mark`] for `client_id` in the
    /// last 15 minutes; `None` for anything else (forged, another client's, stale).
    pub(super) fn reauthenticated_after(&self, mark: Option<&str>, client_id: &str) -> Option<i64> {
        let (at, mac) = mark?.split_once('.')?;
        let at: i64 = at.parse().ok()?;
        let now = self.clock().now().unix_timestamp();
        let genuine = self.tag_matches(mac, MARK_LABEL, &[client_id.as_bytes(), &at.to_be_bytes()], 16);
        (genuine && (0..=MARK_LIFE_SECS).contains(&(now - at))).then_some(at)
    }
}
