//! From a verified ID token (and, when it has no email, the userinfo answer, OpenID Connect
//! Core §5.3) to the [`AssertedIdentity`] linking and provisioning read, through the
//! connection's [`ClaimMapping`].

use secrecy::{ExposeSecret as _, SecretString};
use serde_json::{Map, Value};

use super::http::send;
use super::{Discovered, OidcError, VerifiedIdToken};
use crate::sso::{AssertedIdentity, ClaimMapping};

/// A non-empty string claim.
fn text(claims: &Map<String, Value>, name: &str) -> Option<String> {
    claims.get(name).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// A list of strings, also sent as one string.
fn list(claims: &Map<String, Value>, name: &str) -> Vec<String> {
    match claims.get(name) {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        Some(Value::String(one)) if !one.is_empty() => vec![one.clone()],
        _ => Vec::new(),
    }
}

/// `true` as a JSON boolean or the string `"true"`; anything else is not verified.
fn is_true(claims: &Map<String, Value>, name: &str) -> bool {
    matches!(claims.get(name), Some(Value::Bool(true)))
        || matches!(claims.get(name), Some(Value::String(s)) if s == "true")
}

/// True when the ID token carries the mapped email claim.
pub(super) fn has_email(token: &VerifiedIdToken, mapping: &ClaimMapping) -> bool {
    text(&token.claims, &mapping.email).is_some()
}

/// The userinfo claims for `subject`, or `None` when the provider has no userinfo endpoint.
/// An answer for another subject is refused (Core §5.3.4: token substitution).
pub(super) async fn fetch_userinfo(
    http: &reqwest::Client,
    d: &Discovered,
    access_token: &SecretString,
    subject: &str,
) -> Result<Option<Map<String, Value>>, OidcError> {
    let Some(endpoint) = d.userinfo_endpoint() else { return Ok(None) };
    let url = endpoint.as_str();
    let request =
        http.get(url).bearer_auth(access_token.expose_secret()).header(reqwest::header::ACCEPT, "application/json");
    let answer = send(request, url).await?;
    if !answer.status.is_success() {
        return Err(OidcError::Userinfo(format!("HTTP {}", answer.status.as_u16())));
    }
    if answer.content_type == "application/jwt" {
        return Err(OidcError::Userinfo("signed userinfo answers are not supported".into()));
    }
    let claims: Map<String, Value> =
        serde_json::from_slice(&answer.body).map_err(|e| OidcError::Userinfo(format!("not a JSON object: {e}")))?;
    if claims.get("sub").and_then(Value::as_str) != Some(subject) {
        return Err(OidcError::Userinfo("the answer is about another subject".into()));
    }
    Ok(Some(claims))
}

/// Maps the claims through `mapping`. The profile comes from the ID token; when it has no
/// email, the email and the profile claims it lacks come from `userinfo` (already checked to be
/// about the same `sub`). `email_verified` is true only when the provider said `true` about
/// the `email` claim itself: an address mapped from another claim (`upn`,
/// `preferred_username`) is never taken as verified. `amr` and `acr` come from the ID token,
/// and the raw ID token is kept as the logout hint.
pub fn map_claims(
    token: &VerifiedIdToken,
    userinfo: Option<&Map<String, Value>>,
    mapping: &ClaimMapping,
) -> AssertedIdentity {
    let id = &token.claims;
    let source = match userinfo {
        Some(info) if text(id, &mapping.email).is_none() => info,
        _ => id,
    };
    let email = text(source, &mapping.email);
    // Entra ID sends no `email_verified`; its optional `xms_edov` claim says the address's
    // domain is verified by the tenant that owns it (without it, Entra's `email` is only what
    // a tenant administrator typed).
    let email_verified = email.is_some()
        && mapping.email == "email"
        && (is_true(source, "email_verified") || is_true(source, "xms_edov"));
    let pick = |name: &str| text(id, name).or_else(|| userinfo.and_then(|u| text(u, name)));
    let mut groups = list(id, &mapping.groups);
    if groups.is_empty()
        && let Some(info) = userinfo
    {
        groups = list(info, &mapping.groups);
    }
    AssertedIdentity {
        issuer: token.issuer().to_owned(),
        subject: token.subject().to_owned(),
        email,
        email_verified,
        given_name: pick(&mapping.given_name),
        family_name: pick(&mapping.family_name),
        groups,
        amr: list(id, "amr"),
        acr: text(id, "acr"),
        logout_hint: Some(token.raw.clone()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn token(claims: Value) -> VerifiedIdToken {
        let Value::Object(claims) = claims else { panic!("claims are an object") };
        VerifiedIdToken { claims, raw: "h.p.s".into() }
    }

    fn object(v: Value) -> Map<String, Value> {
        let Value::Object(m) = v else { panic!("an object") };
        m
    }

    const ISS: &str = "https://idp.example";

    #[test]
    fn standard_claims_map_to_the_asserted_identity() {
        let t = token(json!({
            "iss": ISS, "sub": "u-1", "email": "ada@acme.example", "email_verified": true,
            "given_name": "Ada", "family_name": "Lovelace", "groups": ["eng", "admins"],
            "amr": ["pwd", "mfa"], "acr": "urn:acme:mfa",
        }));
        let id = map_claims(&t, None, &ClaimMapping::oidc_default());
        assert_eq!(
            id,
            AssertedIdentity {
                issuer: ISS.into(),
                subject: "u-1".into(),
                email: Some("ada@acme.example".into()),
                email_verified: true,
                given_name: Some("Ada".into()),
                family_name: Some("Lovelace".into()),
                groups: vec!["eng".into(), "admins".into()],
                amr: vec!["pwd".into(), "mfa".into()],
                acr: Some("urn:acme:mfa".into()),
                logout_hint: Some("h.p.s".into()),
            }
        );
    }

    #[test]
    fn email_is_verified_only_when_the_provider_said_true() {
        let verified = |v: Value| {
            let t = token(json!({"iss": ISS, "sub": "u", "email": "a@b.example", "email_verified": v}));
            map_claims(&t, None, &ClaimMapping::oidc_default()).email_verified
        };
        assert!(verified(json!(true)) && verified(json!("true")));
        for no in [json!(false), json!("false"), json!("TRUE"), json!(1), json!("yes"), Value::Null] {
            assert!(!verified(no.clone()), "{no}");
        }
        let t = token(json!({"iss": ISS, "sub": "u", "email_verified": true}));
        assert!(!map_claims(&t, None, &ClaimMapping::oidc_default()).email_verified, "no email, nothing verified");
        let entra = token(json!({"iss": ISS, "sub": "u", "email": "a@b.example", "xms_edov": true}));
        assert!(map_claims(&entra, None, &ClaimMapping::oidc_default()).email_verified, "Entra's domain-owner claim");
    }

    #[test]
    fn an_address_mapped_from_another_claim_is_never_verified() {
        let mut mapping = ClaimMapping::oidc_default();
        mapping.email = "upn".into();
        mapping.groups = "roles".into();
        let t =
            token(json!({"iss": ISS, "sub": "u", "upn": "ada@acme.example", "email_verified": true, "roles": "admin"}));
        let id = map_claims(&t, None, &mapping);
        assert_eq!(id.email.as_deref(), Some("ada@acme.example"));
        assert!(!id.email_verified);
        assert_eq!(id.groups, ["admin"]);
    }

    #[test]
    fn userinfo_fills_what_the_id_token_lacks_but_never_overrides_it() {
        let t = token(json!({"iss": ISS, "sub": "u", "given_name": "Ada", "email_verified": true}));
        let info = object(json!({
            "sub": "u", "email": "ada@acme.example", "email_verified": false,
            "given_name": "Eve", "family_name": "Lovelace", "groups": ["eng"],
        }));
        let id = map_claims(&t, Some(&info), &ClaimMapping::oidc_default());
        assert_eq!(id.email.as_deref(), Some("ada@acme.example"));
        assert!(!id.email_verified, "verification follows the address's source");
        assert_eq!(id.given_name.as_deref(), Some("Ada"));
        assert_eq!(id.family_name.as_deref(), Some("Lovelace"));
        assert_eq!(id.groups, ["eng"]);
        assert_eq!(id.subject, "u");
    }
}
