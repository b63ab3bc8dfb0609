//! Registered applications (RFC 6749 §2): public or confidential, their redirect URIs, grant
//! types, and client authentication (`client_secret_basic`, `client_secret_post`, `none`).

use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{ErrorCode, OAuthError, OAuthResult, SigningAlg};
use crate::Core;
use crate::api_tokens::ApiScope;
use crate::crypto::TokenDigest;
use crate::error::{Error, Result};
use crate::store::oauth::{self as store, ClientRow};

/// Whether a client can keep a secret (RFC 6749 §2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientKind {
    /// Runs where a secret would be exposed (desktop, mobile, browser, command line): PKCE, no secret.
    Public,
    /// A server that keeps a secret.
    Confidential,
}

impl ClientKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Confidential => "confidential",
        }
    }
}

/// A grant type a client may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum GrantType {
    /// RFC 6749 §4.1.
    #[serde(rename = "authorization_code")]
    AuthorizationCode,
    /// RFC 6749 §6.
    #[serde(rename = "refresh_token")]
    RefreshToken,
    /// RFC 6749 §4.4 (confidential clients only).
    #[serde(rename = "client_credentials")]
    ClientCredentials,
    /// RFC 8628 §3.4.
    #[serde(rename = "urn:ietf:params:oauth:grant-type:device_code")]
    DeviceCode,
}

impl GrantType {
    /// Every grant type.
    pub const ALL: [Self; 4] = [Self::AuthorizationCode, Self::RefreshToken, Self::ClientCredentials, Self::DeviceCode];

    /// The registered name, as sent in `grant_type`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AuthorizationCode => "authorization_code",
            Self::RefreshToken => "refresh_token",
            Self::ClientCredentials => "client_credentials",
            Self::DeviceCode => "urn:ietf:params:oauth:grant-type:device_code",
        }
    }

    /// Parses a name; `device_code` is accepted as short for the URN (on the command line).
    pub fn parse(s: &str) -> Option<Self> {
        if s == "device_code" {
            return Some(Self::DeviceCode);
        }
        Self::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

/// A registered client.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Client {
    /// Row id (internal).
    #[serde(skip)]
    pub(crate) row_id: Uuid,
    /// The public `client_id`.
    pub client_id: String,
    /// The application's name, shown on the consent screen.
    pub name: String,
    /// Public or confidential.
    pub kind: ClientKind,
    /// A first-party application skips the consent screen.
    pub first_party: bool,
    /// Registered redirect URIs.
    pub redirect_uris: Vec<String>,
    /// Registered post-logout redirect URIs.
    pub post_logout_redirect_uris: Vec<String>,
    /// Allowed grant types.
    pub grant_types: Vec<GrantType>,
    /// Where back-channel logout tokens are POSTed.
    pub backchannel_logout_uri: Option<String>,
    /// `id_token_signed_response_alg`.
    #[serde(serialize_with = "ser_alg")]
    pub id_token_alg: SigningAlg,
    /// The admin API scopes its client credentials tokens may carry (granted by the operator).
    pub api_scopes: Vec<ApiScope>,
    /// Its authorization requests must be pushed first (RFC 9126 §6): one without a pushed
    /// `request_uri` is refused.
    pub require_pushed_authorization_requests: bool,
    /// Registered.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last changed (registration or secret).
    #[serde(with = "time::serde::rfc3339::option")]
    pub updated_at: Option<OffsetDateTime>,
    /// Until when the secret it had before its last rotation still works.
    #[serde(with = "time::serde::rfc3339::option")]
    pub previous_secret_expires_at: Option<OffsetDateTime>,
    #[serde(skip)]
    pub(crate) secret_hash: Option<Vec<u8>>,
    #[serde(skip)]
    previous_secret_hash: Option<Vec<u8>>,
}

fn ser_alg<S: serde::Serializer>(alg: &SigningAlg, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(alg.as_str())
}

impl From<ClientRow> for Client {
    fn from(r: ClientRow) -> Self {
        Self {
            row_id: r.id,
            client_id: r.client_id,
            name: r.name,
            kind: if r.kind == "confidential" { ClientKind::Confidential } else { ClientKind::Public },
            first_party: r.first_party,
            redirect_uris: super::split_list(&r.redirect_uris),
            post_logout_redirect_uris: super::split_list(&r.post_logout_redirect_uris),
            grant_types: super::split_list(&r.grant_types).iter().filter_map(|g| GrantType::parse(g)).collect(),
            backchannel_logout_uri: r.backchannel_logout_uri,
            id_token_alg: SigningAlg::parse(&r.id_token_alg).unwrap_or(SigningAlg::Rs256),
            api_scopes: r.api_scopes.split_whitespace().filter_map(ApiScope::parse).collect(),
            require_pushed_authorization_requests: r.require_pushed_authorization_requests,
            created_at: r.created_at,
            updated_at: r.updated_at,
            previous_secret_expires_at: r.previous_secret_expires_at,
            secret_hash: r.secret_hash,
            previous_secret_hash: r.previous_secret_hash,
        }
    }
}

impl Client {
    /// The registration's version (its `ETag`): when it last changed, in microseconds (what
    /// PostgreSQL keeps, so a registration just written has the version it will be read with).
    pub fn version(&self) -> String {
        (self.updated_at.unwrap_or(self.created_at).unix_timestamp_nanos() / 1000).to_string()
    }

    /// True when `secret` is the client's secret, or the one before it while that still works
    /// (`now` before its expiry). Compared in constant time.
    fn secret_matches(&self, secret: &str, now: OffsetDateTime) -> bool {
        let presented = TokenDigest::of(secret);
        let is = |hash: &Option<Vec<u8>>| hash.as_ref().is_some_and(|h| bool::from(presented.as_bytes().ct_eq(h)));
        let current = is(&self.secret_hash);
        let previous = self.previous_secret_expires_at.is_some_and(|at| now < at) && is(&self.previous_secret_hash);
        current | previous
    }

    /// True when the client may use `grant`.
    pub fn allows(&self, grant: GrantType) -> bool {
        self.grant_types.contains(&grant)
    }

    /// The registered redirect URI that `uri` matches: exactly (RFC 9700 §4.1.3), or — for a
    /// loopback redirect of a native app — on any port (RFC 8252 §7.3).
    pub fn matching_redirect_uri(&self, uri: &str) -> Option<&str> {
        if let Some(exact) = self.redirect_uris.iter().find(|r| r.as_str() == uri) {
            return Some(exact);
        }
        let asked = url::Url::parse(uri).ok().filter(is_loopback_ip_http)?;
        self.redirect_uris.iter().map(String::as_str).find(|r| {
            url::Url::parse(r).ok().filter(is_loopback_ip_http).is_some_and(|reg| {
                reg.host() == asked.host()
                    && reg.path() == asked.path()
                    && reg.query() == asked.query()
                    && asked.fragment().is_none()
                    && asked.username().is_empty()
                    && asked.password().is_none()
            })
        })
    }

    /// True when `uri` is a registered post-logout redirect URI (exact match).
    pub fn allows_post_logout_redirect(&self, uri: &str) -> bool {
        self.post_logout_redirect_uris.iter().any(|r| r == uri)
    }
}

/// `http://127.0.0.1…` or `http://[::1]…` (RFC 8252 §7.3; `localhost` is not recommended, §8.3).
pub(crate) fn is_loopback_ip_http(u: &url::Url) -> bool {
    u.scheme() == "http"
        && match u.host() {
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            _ => false,
        }
}

impl Core {
    /// Every registered client.
    pub async fn oauth_clients(&self) -> Result<Vec<Client>> {
        let mut conn = self.store().conn().await?;
        Ok(store::list_clients(conn.db()).await?.into_iter().map(Client::from).collect())
    }

    /// One client by `client_id`.
    pub async fn oauth_client(&self, client_id: &str) -> Result<Client> {
        if client_id.is_empty() || client_id.len() > 128 {
            return Err(Error::NotFound);
        }
        self.store().hot_client(client_id).await?.map(Client::from).ok_or(Error::NotFound)
    }

    /// Authenticates the client of a token, introspection, revocation or device request
    /// (RFC 6749 §2.3.1): HTTP Basic or the body, never both; a public client sends only its
    /// `client_id`. Every failure is `invalid_client` and says no more.
    pub async fn authenticate_oauth_client(&self, creds: ClientCredentials<'_>) -> OAuthResult<Client> {
        let (client_id, secret) = match creds.basic {
            Some((id, secret)) => {
                if creds.post_secret.is_some() || creds.post_id.is_some_and(|p| p != id) {
                    return Err(OAuthError::new(
                        ErrorCode::InvalidRequest,
                        "use one client authentication method: HTTP Basic or the request body, not both",
                    ));
                }
                (id, Some(secret))
            }
            None => match creds.post_id {
                Some(id) => (id, creds.post_secret),
                None => return Err(OAuthError::new(ErrorCode::InvalidClient, "client authentication is required")),
            },
        };
        let failed = || OAuthError::new(ErrorCode::InvalidClient, "client authentication failed");
        let client = match self.oauth_client(client_id).await {
            Ok(c) => c,
            Err(Error::NotFound) => return Err(failed()),
            Err(e) => return Err(e.into()),
        };
        match (client.kind, secret) {
            (ClientKind::Public, None) => Ok(client),
            (ClientKind::Confidential, Some(secret))
                if secret.len() <= 256 && client.secret_matches(secret, self.clock().now()) =>
            {
                Ok(client)
            }
            _ => Err(failed()),
        }
    }
}

/// The client credentials of a request, as found (RFC 6749 §2.3.1).
#[derive(Debug, Clone, Copy, Default)]
pub struct ClientCredentials<'a> {
    /// From `Authorization: Basic` (already form-decoded): id and secret.
    pub basic: Option<(&'a str, &'a str)>,
    /// `client_id` in the body.
    pub post_id: Option<&'a str>,
    /// `client_secret` in the body.
    pub post_secret: Option<&'a str>,
}

/// The secret as given to the operator once.
pub fn secret_text(secret: &SecretString) -> &str {
    secret.expose_secret()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(uris: &[&str]) -> Client {
        Client {
            row_id: Uuid::nil(),
            client_id: "c".into(),
            name: "App".into(),
            kind: ClientKind::Public,
            first_party: false,
            redirect_uris: uris.iter().map(|s| (*s).to_owned()).collect(),
            post_logout_redirect_uris: vec![],
            grant_types: vec![GrantType::AuthorizationCode],
            backchannel_logout_uri: None,
            id_token_alg: SigningAlg::Rs256,
            api_scopes: vec![],
            require_pushed_authorization_requests: false,
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: None,
            previous_secret_expires_at: None,
            secret_hash: None,
            previous_secret_hash: None,
        }
    }

    #[test]
    fn redirect_uris_match_exactly_except_the_loopback_port() {
        let c = client(&["https://app.example/cb", "http://127.0.0.1/callback", "http://[::1]/cb"]);
        assert!(c.matching_redirect_uri("https://app.example/cb").is_some());
        assert!(c.matching_redirect_uri("https://app.example/cb/").is_none());
        assert!(c.matching_redirect_uri("https://app.example/cb?x=1").is_none());
        assert!(c.matching_redirect_uri("https://app.example:8443/cb").is_none());
        assert!(c.matching_redirect_uri("http://127.0.0.1:53123/callback").is_some());
        assert!(c.matching_redirect_uri("http://[::1]:4000/cb").is_some());
        assert!(c.matching_redirect_uri("http://127.0.0.1:53123/other").is_none());
        assert!(c.matching_redirect_uri("http://localhost:53123/callback").is_none());
        assert!(c.matching_redirect_uri("http://127.0.0.2:53123/callback").is_none());
        assert!(c.matching_redirect_uri("http://user@127.0.0.1:1/callback").is_none());
    }
}
