//! OpenID Connect Discovery 1.0: the provider's metadata and its key set, fetched once and
//! cached by the caller (as JSON) until the keys rotate.

use openidconnect::core::{
    CoreAuthDisplay, CoreClaimName, CoreClaimType, CoreClientAuthMethod, CoreGrantType, CoreJsonWebKey,
    CoreJsonWebKeySet, CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm, CoreResponseMode,
    CoreResponseType, CoreSubjectIdentifierType,
};
use openidconnect::{AdditionalProviderMetadata, JsonWebKey as _, ProviderMetadata};
use serde::{Deserialize, Serialize};

use super::OidcError;
use super::http::{JsonFailure, get_json};

/// Metadata fields `openidconnect`'s core set lacks.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct ExtraMetadata {
    /// RP-Initiated Logout 1.0 §2.1. Kept as text: a malformed one only disables logout.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient")]
    end_session_endpoint: Option<String>,
    /// RFC 9207 §3.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient_bool")]
    authorization_response_iss_parameter_supported: Option<bool>,
}

impl AdditionalProviderMetadata for ExtraMetadata {}

/// Reads a value of the expected type; anything else counts as absent.
fn lenient<'de, D: serde::Deserializer<'de>, T: serde::de::DeserializeOwned>(d: D) -> Result<Option<T>, D::Error> {
    let value = serde_json::Value::deserialize(d)?;
    Ok(serde_json::from_value(value).ok())
}

/// A boolean, also written as `"true"` / `"false"`; anything else counts as absent.
fn lenient_bool<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Bool(b) => Some(b),
        serde_json::Value::String(s) => s.parse().ok(),
        _ => None,
    })
}

/// The provider metadata as `openidconnect` reads it.
pub(super) type Metadata = ProviderMetadata<
    ExtraMetadata,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

/// What discovery found about a provider: its metadata (OpenID Connect Discovery 1.0 §3) and
/// its signing keys (RFC 7517 §5). Serialise it to cache it; [`refresh_keys`] renews the keys.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Discovered {
    metadata: Metadata,
    jwks: CoreJsonWebKeySet,
    /// The issuer is a template for many tenants ([`discover_multi_tenant`]).
    #[serde(default)]
    multi_tenant: bool,
}

impl Discovered {
    /// The issuer identifier, exactly as configured and as the metadata states it (for a
    /// multi-tenant provider, the template with `{tenantid}`).
    pub fn issuer(&self) -> &str {
        self.metadata.issuer().as_str()
    }

    /// True when the issuer is a template for many tenants ([`discover_multi_tenant`]).
    pub fn is_multi_tenant(&self) -> bool {
        self.multi_tenant
    }

    /// The issuer an ID token must name: [`Self::issuer`], or for a multi-tenant provider the
    /// template filled with the token's `tid` (`None` when it has no usable one).
    pub(super) fn expected_issuer(&self, raw_token: &str) -> Option<String> {
        if !self.multi_tenant {
            return Some(self.issuer().to_owned());
        }
        super::tenant::issuer_for(self.issuer(), &super::tenant::unverified_tenant(raw_token)?)
    }

    /// True when `iss` (the RFC 9207 parameter) names this provider: the issuer, or for a
    /// multi-tenant provider the template filled with any one tenant.
    pub(super) fn is_issuer(&self, iss: &str) -> bool {
        if self.multi_tenant { super::tenant::matches_template(self.issuer(), iss) } else { iss == self.issuer() }
    }

    /// Where the browser is sent to sign in.
    pub fn authorization_endpoint(&self) -> &url::Url {
        self.metadata.authorization_endpoint().url()
    }

    /// Where the code is exchanged (always present after [`discover`]).
    pub fn token_endpoint(&self) -> Option<&url::Url> {
        self.metadata.token_endpoint().map(|u| u.url())
    }

    /// The userinfo endpoint, if the provider has one.
    pub fn userinfo_endpoint(&self) -> Option<&url::Url> {
        self.metadata.userinfo_endpoint().map(|u| u.url())
    }

    /// Where RP-initiated logout sends the browser, if the provider supports it.
    pub fn end_session_endpoint(&self) -> Option<url::Url> {
        let raw = self.metadata.additional_metadata().end_session_endpoint.as_deref()?;
        url::Url::parse(raw).ok().filter(secure)
    }

    /// The key set's URL.
    pub fn jwks_uri(&self) -> &url::Url {
        self.metadata.jwks_uri().url()
    }

    /// True when the provider adds `iss` to its authorization responses (RFC 9207 §3).
    pub fn iss_parameter_supported(&self) -> bool {
        self.metadata.additional_metadata().authorization_response_iss_parameter_supported == Some(true)
    }

    /// `token_endpoint_auth_methods_supported`, when stated.
    pub fn token_endpoint_auth_methods(&self) -> Option<Vec<String>> {
        let methods = self.metadata.token_endpoint_auth_methods_supported()?;
        Some(methods.iter().map(|m| m.as_ref().to_owned()).collect())
    }

    /// Why one of the provider's endpoints may not be requested from this deployment
    /// ([`crate::outbound::refusal`]), in words; `None` when all may. The outbound client
    /// refuses names that resolve to private addresses, but an address written as a literal
    /// (`https://169.254.169.254/`) must be checked before the request: call this after
    /// [`discover`] (and check the configured issuer with [`crate::outbound::refusal`] before).
    pub fn refusal(&self, allow_private: bool) -> Option<String> {
        let mut urls = vec![self.authorization_endpoint(), self.jwks_uri()];
        urls.extend(self.token_endpoint());
        urls.extend(self.userinfo_endpoint());
        urls.iter().find_map(|u| crate::outbound::refusal(u.as_str(), allow_private))
    }

    /// The `kid`s of the signing keys held.
    pub fn key_ids(&self) -> Vec<String> {
        self.jwks.keys().iter().filter_map(|k| k.key_id()).map(|kid| kid.as_str().to_owned()).collect()
    }

    pub(super) fn jwks(&self) -> &CoreJsonWebKeySet {
        &self.jwks
    }

    /// A provider made from a metadata document and a key set, for unit tests.
    #[cfg(test)]
    pub(super) fn from_json(metadata: serde_json::Value, jwks: serde_json::Value) -> Self {
        Self {
            metadata: serde_json::from_value(metadata).unwrap(),
            jwks: serde_json::from_value(jwks).unwrap(),
            multi_tenant: false,
        }
    }

    /// [`Self::from_json`] for a multi-tenant provider (`metadata`'s issuer is the template).
    #[cfg(test)]
    pub(super) fn multi_tenant_from_json(metadata: serde_json::Value, jwks: serde_json::Value) -> Self {
        Self { multi_tenant: true, ..Self::from_json(metadata, jwks) }
    }
}

/// A metadata document for unit tests, `extra` fields merged in.
#[cfg(test)]
pub(super) fn test_metadata(extra: serde_json::Value) -> serde_json::Value {
    let mut doc = serde_json::json!({
        "issuer": "https://idp.example/realms/acme",
        "authorization_endpoint": "https://idp.example/auth?tenant=acme",
        "token_endpoint": "https://idp.example/token",
        "userinfo_endpoint": "https://idp.example/userinfo",
        "jwks_uri": "https://idp.example/jwks",
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256", "ES256", "EdDSA", "PS256"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt"],
    });
    if let (Some(doc), Some(extra)) = (doc.as_object_mut(), extra.as_object()) {
        doc.extend(extra.clone());
    }
    doc
}

/// True for `https`, and for `http` to the machine itself (development and tests): OpenID
/// Connect Discovery §3 requires TLS.
pub(super) fn secure(url: &url::Url) -> bool {
    match (url.scheme(), url.host()) {
        ("https", Some(_)) => true,
        ("http", Some(url::Host::Domain(d))) => d.eq_ignore_ascii_case("localhost"),
        ("http", Some(url::Host::Ipv4(ip))) => ip.is_loopback(),
        ("http", Some(url::Host::Ipv6(ip))) => ip.is_loopback(),
        _ => false,
    }
}

/// `issuer` + `/.well-known/openid-configuration`, any trailing `/` of the issuer removed
/// first (Discovery §4.1); `None` when the issuer is not a valid issuer identifier (§2: https,
/// no query, no fragment).
pub(super) fn configuration_url(issuer: &str) -> Option<String> {
    let parsed = url::Url::parse(issuer).ok()?;
    if !secure(&parsed) || parsed.query().is_some() || parsed.fragment().is_some() {
        return None;
    }
    Some(format!("{}/.well-known/openid-configuration", issuer.trim_end_matches('/')))
}

/// Fetches the provider's metadata and key set (OpenID Connect Discovery 1.0 §4), and checks
/// that the metadata names exactly the configured issuer (§4.3) and has the endpoints the
/// authorization code flow needs, each over TLS.
pub async fn discover(http: &reqwest::Client, issuer: &str) -> Result<Discovered, OidcError> {
    discover_as(http, issuer, false).await
}

/// [`discover`] for a multi-tenant endpoint (`https://login.microsoftonline.com/common/v2.0`):
/// the metadata may name the issuer as a template, the configured issuer with its `common`,
/// `organizations` or `consumers` segment written as `{tenantid}`; every ID token must then
/// name the issuer of its own `tid`. Never for an organization's connection, which trusts one
/// tenant only.
pub async fn discover_multi_tenant(http: &reqwest::Client, issuer: &str) -> Result<Discovered, OidcError> {
    discover_as(http, issuer, true).await
}

async fn discover_as(http: &reqwest::Client, issuer: &str, any_tenant: bool) -> Result<Discovered, OidcError> {
    let url = configuration_url(issuer)
        .ok_or_else(|| OidcError::BadDiscovery(format!("{issuer:?} is not an https URL without query or fragment")))?;
    let metadata: Metadata = get_json(http, &url, "the discovery document").await.map_err(|f| match f {
        JsonFailure::Unreachable(e) => e,
        JsonFailure::Unusable(why) => OidcError::BadDiscovery(why),
    })?;
    let stated = metadata.issuer().as_str();
    let template = any_tenant.then(|| super::tenant::template_of(issuer)).flatten();
    let multi_tenant = template.as_deref() == Some(stated);
    if stated != issuer && !multi_tenant {
        return Err(OidcError::IssuerMismatch { expected: issuer.to_owned(), found: metadata.issuer().to_string() });
    }
    let Some(token) = metadata.token_endpoint() else {
        return Err(OidcError::BadDiscovery("the document has no token_endpoint".into()));
    };
    let endpoints = [
        ("authorization_endpoint", Some(metadata.authorization_endpoint().url())),
        ("token_endpoint", Some(token.url())),
        ("jwks_uri", Some(metadata.jwks_uri().url())),
        ("userinfo_endpoint", metadata.userinfo_endpoint().map(|u| u.url())),
    ];
    for (name, url) in endpoints {
        if let Some(url) = url.filter(|u| !secure(u)) {
            return Err(OidcError::BadDiscovery(format!("{name} {url} does not use https")));
        }
    }
    let mut discovered = Discovered { metadata, jwks: CoreJsonWebKeySet::default(), multi_tenant };
    refresh_keys(http, &mut discovered).await?;
    Ok(discovered)
}

/// Fetches the key set again (the provider rotated its keys, OpenID Connect Core §10.1.1).
pub async fn refresh_keys(http: &reqwest::Client, d: &mut Discovered) -> Result<(), OidcError> {
    let url = d.jwks_uri().to_string();
    let jwks: CoreJsonWebKeySet = get_json(http, &url, "the key set").await.map_err(|f| match f {
        JsonFailure::Unreachable(e) => e,
        JsonFailure::Unusable(why) => OidcError::BadJwks(why),
    })?;
    if jwks.keys().is_empty() {
        return Err(OidcError::BadJwks(format!("the key set at {url} has no key we can use")));
    }
    d.jwks = jwks;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn discovered(extra: serde_json::Value) -> Discovered {
        Discovered::from_json(test_metadata(extra), serde_json::json!({"keys": []}))
    }

    #[test]
    fn the_configuration_url_follows_the_issuer_path_without_a_double_slash() {
        let url = |i| configuration_url(i);
        assert_eq!(
            url("https://idp.example/realms/acme").as_deref(),
            Some("https://idp.example/realms/acme/.well-known/openid-configuration")
        );
        assert_eq!(
            url("https://idp.example/").as_deref(),
            Some("https://idp.example/.well-known/openid-configuration")
        );
        assert_eq!(
            url("http://127.0.0.1:8080").as_deref(),
            Some("http://127.0.0.1:8080/.well-known/openid-configuration")
        );
        assert_eq!(url("http://idp.example"), None, "plain http to another machine");
        assert_eq!(url("https://idp.example/?tenant=1"), None);
        assert_eq!(url("https://idp.example/#x"), None);
        assert_eq!(url("idp.example"), None);
    }

    #[test]
    fn only_tls_or_the_machine_itself_counts_as_secure() {
        let ok = |u: &str| secure(&url::Url::parse(u).unwrap());
        assert!(ok("https://idp.example/token"));
        assert!(ok("http://localhost:8080/token") && ok("http://127.0.0.1/x") && ok("http://[::1]/x"));
        assert!(!ok("http://idp.example/token") && !ok("http://10.0.0.5/token") && !ok("ftp://idp.example/"));
    }

    #[test]
    fn rfc_9207_support_and_end_session_are_read_leniently() {
        let d = discovered(serde_json::json!({
            "authorization_response_iss_parameter_supported": "true",
            "end_session_endpoint": "https://idp.example/logout",
        }));
        assert!(d.iss_parameter_supported());
        assert_eq!(d.end_session_endpoint().unwrap().as_str(), "https://idp.example/logout");
        let d = discovered(serde_json::json!({
            "authorization_response_iss_parameter_supported": 1,
            "end_session_endpoint": 7,
        }));
        assert!(!d.iss_parameter_supported());
        assert_eq!(d.end_session_endpoint(), None);
        assert_eq!(d.refusal(false), None);
        let d = discovered(serde_json::json!({ "end_session_endpoint": "http://idp.example/logout" }));
        assert_eq!(d.end_session_endpoint(), None, "no logout over plain http");
    }

    #[test]
    fn an_endpoint_at_a_private_address_literal_is_refused_unless_private_networks_are_allowed() {
        let d = discovered(serde_json::json!({"token_endpoint": "https://169.254.169.254/token"}));
        assert!(d.refusal(false).unwrap().contains("169.254.169.254"));
        assert_eq!(d.refusal(true), None);
    }

    #[test]
    fn a_discovered_provider_survives_a_round_trip_through_json() {
        let jwks = serde_json::json!({"keys": [
            {"kty": "OKP", "crv": "Ed25519", "kid": "k1", "alg": "EdDSA", "use": "sig",
             "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
            {"kty": "weird", "kid": "skipped"},
        ]});
        let metadata = test_metadata(serde_json::json!({"end_session_endpoint": "https://idp.example/logout"}));
        let d = Discovered::from_json(metadata, jwks);
        let text = serde_json::to_string(&d).unwrap();
        let back: Discovered = serde_json::from_str(&text).unwrap();
        assert_eq!(back.issuer(), "https://idp.example/realms/acme");
        assert_eq!(back.key_ids(), ["k1"]);
        assert_eq!(back.token_endpoint().unwrap().as_str(), "https://idp.example/token");
        assert_eq!(back.end_session_endpoint().unwrap().as_str(), "https://idp.example/logout");
        assert_eq!(back.token_endpoint_auth_methods().unwrap(), ["client_secret_post", "private_key_jwt"]);
    }
}
