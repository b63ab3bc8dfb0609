//! Scopes (RFC 6749 §3.3): a space-delimited set of known values, kept in a fixed order. Values
//! this server does not know are ignored (OpenID Connect Core §3.1.2.1: "Scope values used that
//! are not understood by an implementation SHOULD be ignored"); the granted `scope` of the token
//! response says what was granted.

use super::{ErrorCode, OAuthError, OAuthResult};

/// Every scope this server knows, in the order they are shown and stored.
pub const KNOWN: [&str; 8] =
    ["openid", "profile", "email", "phone", "address", "offline_access", "organization", "licenses"];

/// A validated set of scopes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scopes(Vec<&'static str>);

impl Scopes {
    /// Parses a `scope` parameter: known values are kept, unknown ones ignored; a value that is
    /// not a `scope-token` at all (RFC 6749 §3.3: `%x21 / %x23-5B / %x5D-7E`) is `invalid_scope`.
    pub fn parse(raw: &str) -> OAuthResult<Self> {
        let well_formed = |c: char| c == '\x21' || ('\x23'..='\x5b').contains(&c) || ('\x5d'..='\x7e').contains(&c);
        if !raw.chars().all(|c| c == ' ' || well_formed(c)) {
            return Err(OAuthError::new(ErrorCode::InvalidScope, "scope values are printable ASCII without quotes"));
        }
        Ok(Self::from_stored(raw))
    }

    /// [`Scopes::parse`] for a request that must ask for something this server supports.
    pub fn parse_required(raw: &str) -> OAuthResult<Self> {
        let scopes = Self::parse(raw)?;
        if scopes.is_empty() {
            return Err(OAuthError::new(
                ErrorCode::InvalidScope,
                "scope is required (values this server does not support are ignored)",
            ));
        }
        Ok(scopes)
    }

    /// Parses a stored scope string, dropping anything unknown.
    pub fn from_stored(raw: &str) -> Self {
        Self(KNOWN.iter().copied().filter(|k| raw.split(' ').any(|p| p == *k)).collect())
    }

    /// True when `scope` is in the set.
    pub fn has(&self, scope: &str) -> bool {
        self.0.contains(&scope)
    }

    /// True when every scope of `other` is in this set.
    pub fn covers(&self, other: &Self) -> bool {
        other.0.iter().all(|s| self.0.contains(s))
    }

    /// The union of two sets.
    pub fn union(&self, other: &Self) -> Self {
        Self(KNOWN.iter().copied().filter(|k| self.0.contains(k) || other.0.contains(k)).collect())
    }

    /// The scopes of this set that are also in `other`.
    pub fn intersect(&self, other: &Self) -> Self {
        Self(self.0.iter().copied().filter(|k| other.0.contains(k)).collect())
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The values.
    pub fn iter(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.0.iter().copied()
    }

    /// What a person is told each scope lets the app see (for the consent screen and My Account).
    pub fn descriptions(&self) -> Vec<&'static str> {
        self.0
            .iter()
            .filter_map(|s| match *s {
                "openid" => Some("Who you are: your account's identifier"),
                "profile" => Some("Your name"),
                "email" => Some("Your email address"),
                "phone" => Some("Your phone number"),
                "address" => Some("Your address"),
                "offline_access" => Some("Stay connected when you are not using it"),
                "organization" => Some("Your organization, roles and groups"),
                "licenses" => Some("Your licenses"),
                _ => None,
            })
            .collect()
    }
}

impl std::fmt::Display for Scopes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_known_ordered_and_deduplicated() {
        let s = Scopes::parse("email openid  email profile").unwrap();
        assert_eq!(s.to_string(), "openid profile email");
        assert_eq!(Scopes::parse("openid admin groups").unwrap().to_string(), "openid", "unknown values are ignored");
        assert_eq!(Scopes::parse("openid \"x\"").unwrap_err().code, ErrorCode::InvalidScope);
        assert_eq!(Scopes::parse("openid\tprofile").unwrap_err().code, ErrorCode::InvalidScope);
        assert_eq!(Scopes::parse("address phone openid").unwrap().to_string(), "openid phone address");
        assert!(s.covers(&Scopes::parse("openid email").unwrap()));
        assert!(!s.covers(&Scopes::parse("offline_access").unwrap()));
        assert_eq!(s.union(&Scopes::parse("licenses").unwrap()).to_string(), "openid profile email licenses");
    }
}
