//! The checks of single authorization request parameters: PKCE, `max_age` and `prompt`.

use super::authorize::{AuthorizeParams, one};
use super::pkce;

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
