//! The `claims` request parameter (OpenID Connect Core §5.5): individual claims a client asks
//! for in the ID token or at userinfo, beyond what its scopes give. Claims this server can
//! release on their own are the standard ones of the `profile`, `email`, `phone` and `address`
//! scopes; asking for one asks the person's consent for its scope, and releases that claim only,
//! where it was asked for. Names it does not know are ignored (§5.5.1: "not understood"); so are
//! `value` and `values`, which only say what the client would like.

use serde_json::Value;

use super::scopes::Scopes;
use super::{ErrorCode, OAuthError, OAuthResult};

/// Each claim that may be asked for individually, and the scope it belongs to.
const RELEASABLE: [(&str, &str); 8] = [
    ("name", "profile"),
    ("given_name", "profile"),
    ("family_name", "profile"),
    ("email", "email"),
    ("email_verified", "email"),
    ("phone_number", "phone"),
    ("phone_number_verified", "phone"),
    ("address", "address"),
];

/// The scope a releasable claim belongs to.
pub fn scope_of(claim: &str) -> Option<&'static str> {
    RELEASABLE.iter().find(|(c, _)| *c == claim).map(|(_, s)| *s)
}

/// The claims asked for, by where they go.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RequestedClaims {
    /// Claims for the userinfo response.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub userinfo: Vec<String>,
    /// Claims for the ID token.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub id_token: Vec<String>,
}

impl RequestedClaims {
    /// Parses the parameter: a JSON object whose `userinfo` and `id_token` members are objects
    /// of claim names, each `null` or an object (`essential`, `value`, `values`). Anything else
    /// is `invalid_request`.
    pub fn parse(raw: &str) -> OAuthResult<Self> {
        let bad =
            || OAuthError::new(ErrorCode::InvalidRequest, "claims must be a JSON object (OpenID Connect Core 5.5)");
        let Ok(Value::Object(top)) = serde_json::from_str::<Value>(raw) else { return Err(bad()) };
        let mut out = Self::default();
        for (place, asked) in &top {
            let names = match place.as_str() {
                "userinfo" => &mut out.userinfo,
                "id_token" => &mut out.id_token,
                _ => continue,
            };
            let Value::Object(asked) = asked else { return Err(bad()) };
            for (name, request) in asked {
                if !matches!(request, Value::Null | Value::Object(_)) {
                    return Err(bad());
                }
                if scope_of(name).is_some() && !names.contains(name) {
                    names.push(name.clone());
                }
            }
        }
        Ok(out)
    }

    /// True when nothing is asked for.
    pub fn is_empty(&self) -> bool {
        self.userinfo.is_empty() && self.id_token.is_empty()
    }

    /// The scopes whose claims are asked for (for consent).
    pub fn scopes(&self) -> Scopes {
        let names: Vec<&str> = self.userinfo.iter().chain(&self.id_token).filter_map(|c| scope_of(c)).collect();
        Scopes::from_stored(&names.join(" "))
    }

    /// The stored form (JSON), `None` when nothing is asked for.
    pub fn to_stored(&self) -> Option<String> {
        (!self.is_empty()).then(|| serde_json::to_string(self).unwrap_or_default())
    }

    /// Reads the stored form (nothing when absent or unreadable).
    pub fn from_stored(stored: Option<&str>) -> Self {
        stored.and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_claims_are_kept_by_place_and_the_rest_ignored() {
        let raw = r#"{"userinfo": {"email": {"essential": true}, "nickname": null, "phone_number": null},
                      "id_token": {"name": null, "acr": {"values": ["urn:x"]}}, "other": 1}"#;
        let c = RequestedClaims::parse(raw).unwrap();
        assert_eq!(c.userinfo, ["email", "phone_number"]);
        assert_eq!(c.id_token, ["name"]);
        assert_eq!(c.scopes().to_string(), "profile email phone");
        assert_eq!(RequestedClaims::from_stored(c.to_stored().as_deref()), c);
        for bad in ["", "[]", "{\"userinfo\": []}", "{\"userinfo\": {\"email\": true}}", "nonsense"] {
            assert_eq!(RequestedClaims::parse(bad).unwrap_err().code, ErrorCode::InvalidRequest, "{bad}");
        }
        assert!(RequestedClaims::parse("{}").unwrap().is_empty());
    }
}
