//! Registered applications (RFC 6749 §2): public or confidential, their redirect URIs, grant
//! types, and client authentication (`client_secret_basic`, `client_secret_post`, `none`).

use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{ErrorCode, OAuthError, OAuthResult, SigningAlg};
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::crypto::{TokenDigest, new_token, random_bytes};
use crate::error::{Error, FieldErrors, Result};
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
    /// Registered.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(skip)]
    secret_hash: Option<Vec<u8>>,
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
            created_at: r.created_at,
            secret_hash: r.secret_hash,
        }
    }
}

impl Client {
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
fn is_loopback_ip_http(u: &url::Url) -> bool {
    u.scheme() == "http"
        && match u.host() {
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            _ => false,
        }
}

/// What the operator registers.
#[derive(Debug, Clone)]
pub struct NewClient {
    /// The application's name.
    pub name: String,
    /// Public or confidential.
    pub kind: ClientKind,
    /// Skip the consent screen.
    pub first_party: bool,
    /// Redirect URIs (required for the authorization code grant).
    pub redirect_uris: Vec<String>,
    /// Grant types; empty means authorization_code and refresh_token.
    pub grant_types: Vec<String>,
    /// Post-logout redirect URIs.
    pub post_logout_redirect_uris: Vec<String>,
    /// Back-channel logout URI.
    pub backchannel_logout_uri: Option<String>,
    /// ID token algorithm (`RS256` when absent).
    pub id_token_alg: Option<String>,
}

/// A client just registered: the secret is shown once and never stored.
#[derive(Debug)]
pub struct CreatedClient {
    /// The client.
    pub client: Client,
    /// The secret of a confidential client.
    pub secret: Option<SecretString>,
}

/// Checks a redirect URI (RFC 6749 §3.1.2: absolute, no fragment; RFC 9700 §2.6: HTTPS except
/// loopback; RFC 8252 §7.1: a private-use scheme such as `com.example.app:/cb` for native apps).
fn check_redirect(field: &str, uri: &str, kind: ClientKind, errors: &mut FieldErrors) {
    let parsed = match url::Url::parse(uri) {
        Ok(u) if uri.chars().count() <= 512 && !uri.contains(' ') => u,
        _ => {
            errors.add(field, "invalid_uri", format!("{uri:?} is not an absolute URL (at most 512 characters)"));
            return;
        }
    };
    if parsed.fragment().is_some() {
        errors.add(field, "fragment", format!("{uri:?} must not contain a fragment (#…)"));
    }
    let ok = match parsed.scheme() {
        "https" => parsed.host().is_some(),
        "http" => is_loopback_ip_http(&parsed) || parsed.host_str() == Some("localhost"),
        scheme => kind == ClientKind::Public && scheme.contains('.'),
    };
    if !ok {
        errors.add(
            field,
            "insecure_uri",
            format!(
                "{uri:?} must use https (http only for 127.0.0.1 or [::1]; a private-use scheme like com.example.app: only for public clients)"
            ),
        );
    }
}

/// Checks a registration. `allow_private`: whether the deployment lets Keystead send requests to
/// private networks (a back-channel logout URI at a private address literal is refused otherwise).
pub(crate) fn validate(new: &NewClient, allow_private: bool) -> Result<(Vec<GrantType>, SigningAlg)> {
    let mut errors = FieldErrors::new();
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        errors.add("name", "invalid_name", "Give the application a name of 1 to 100 characters.");
    }
    let mut grants = Vec::new();
    for g in &new.grant_types {
        match GrantType::parse(g.trim()) {
            Some(grant) if !grants.contains(&grant) => grants.push(grant),
            Some(_) => {}
            None => errors.add(
                "grant",
                "unknown_grant",
                format!(
                    "{g:?} is not a grant type (authorization_code, refresh_token, client_credentials, device_code)"
                ),
            ),
        }
    }
    if new.grant_types.is_empty() {
        grants = vec![GrantType::AuthorizationCode, GrantType::RefreshToken];
    }
    if new.kind == ClientKind::Public && grants.contains(&GrantType::ClientCredentials) {
        errors.add(
            "grant",
            "public_client_credentials",
            "A public client cannot use client_credentials (RFC 6749 §4.4).",
        );
    }
    if grants.contains(&GrantType::AuthorizationCode) && new.redirect_uris.is_empty() {
        errors.add("redirect_uri", "required", "The authorization_code grant needs at least one redirect URI.");
    }
    for uri in &new.redirect_uris {
        check_redirect("redirect_uri", uri, new.kind, &mut errors);
    }
    for uri in &new.post_logout_redirect_uris {
        check_redirect("post_logout_redirect_uri", uri, new.kind, &mut errors);
    }
    if let Some(uri) = &new.backchannel_logout_uri {
        check_redirect("backchannel_logout_uri", uri, ClientKind::Confidential, &mut errors);
        if errors.0.iter().all(|e| e.field != "backchannel_logout_uri")
            && let Some(why) = crate::outbound::refusal(uri, allow_private)
        {
            errors.add("backchannel_logout_uri", "private_address", why);
        }
    }
    let alg = match new.id_token_alg.as_deref() {
        None => SigningAlg::Rs256,
        Some(a) => SigningAlg::parse(a).unwrap_or_else(|| {
            errors.add("id_token_alg", "unknown_alg", format!("{a:?} is not one of RS256, ES256, EdDSA"));
            SigningAlg::Rs256
        }),
    };
    errors.into_result()?;
    Ok((grants, alg))
}

fn new_client_id() -> anyhow::Result<String> {
    use base64::Engine;
    let mut raw = [0u8; 16];
    random_bytes(&mut raw)?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw))
}

impl Core {
    /// Registers a client. A confidential client gets a 256-bit secret, returned once and
    /// stored as its SHA-256.
    pub async fn create_oauth_client(&self, new: NewClient) -> Result<CreatedClient> {
        let (grants, alg) = validate(&new, self.config().outbound.allow_private_networks)?;
        let now = self.clock().now();
        let (secret, secret_hash) = match new.kind {
            ClientKind::Confidential => {
                let t = new_token()?;
                (Some(t.secret), Some(t.digest.as_bytes().to_vec()))
            }
            ClientKind::Public => (None, None),
        };
        let row = ClientRow {
            id: Uuid::now_v7(),
            client_id: new_client_id()?,
            name: new.name.trim().to_owned(),
            kind: new.kind.as_str().to_owned(),
            secret_hash,
            first_party: new.first_party,
            redirect_uris: new.redirect_uris.join(" "),
            post_logout_redirect_uris: new.post_logout_redirect_uris.join(" "),
            grant_types: grants.iter().map(|g| g.as_str()).collect::<Vec<_>>().join(" "),
            backchannel_logout_uri: new.backchannel_logout_uri.clone(),
            id_token_alg: alg.as_str().to_owned(),
            created_at: now,
        };
        let details = serde_json::json!({
            "client_id": row.client_id,
            "name": row.name,
            "kind": row.kind,
            "first_party": row.first_party,
            "grant_types": row.grant_types,
        });
        let mut tx = self.store().begin().await?;
        store::insert_client(tx.db(), &row).await?;
        let cli = RequestMeta::cli();
        audit::record(tx.db(), now, AuditAction::OAuthClientRegistered, None, None, &cli, details).await?;
        tx.commit().await?;
        Ok(CreatedClient { client: row.into(), secret })
    }

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
        let mut conn = self.store().conn().await?;
        store::find_client(conn.db(), client_id).await?.map(Client::from).ok_or(Error::NotFound)
    }

    /// Deletes a client with its consents, grants and tokens.
    pub async fn delete_oauth_client(&self, client_id: &str) -> Result<()> {
        let client = self.oauth_client(client_id).await?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        if store::delete_client(tx.db(), client_id).await? == 0 {
            return Err(Error::NotFound);
        }
        let details = serde_json::json!({ "client_id": client.client_id, "name": client.name });
        let cli = RequestMeta::cli();
        audit::record(tx.db(), now, AuditAction::OAuthClientDeleted, None, None, &cli, details).await?;
        tx.commit().await?;
        Ok(())
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
        match (client.kind, &client.secret_hash, secret) {
            (ClientKind::Public, _, None) => Ok(client),
            (ClientKind::Confidential, Some(hash), Some(secret)) if secret.len() <= 256 => {
                let presented = TokenDigest::of(secret);
                if bool::from(presented.as_bytes().ct_eq(hash.as_slice())) { Ok(client) } else { Err(failed()) }
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
            created_at: OffsetDateTime::UNIX_EPOCH,
            secret_hash: None,
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

    #[test]
    fn registration_refuses_unsafe_redirects_and_public_client_credentials() {
        let new = NewClient {
            name: "App".into(),
            kind: ClientKind::Public,
            first_party: false,
            redirect_uris: vec!["http://app.example/cb".into(), "https://app.example/cb#x".into()],
            grant_types: vec!["client_credentials".into(), "password".into()],
            post_logout_redirect_uris: vec![],
            backchannel_logout_uri: None,
            id_token_alg: Some("HS256".into()),
        };
        let errors = match validate(&new, false) {
            Err(Error::Invalid(e)) => e,
            _ => FieldErrors::new(),
        };
        let codes: Vec<_> = errors.0.iter().map(|e| e.code).collect();
        for code in ["insecure_uri", "fragment", "unknown_grant", "public_client_credentials", "unknown_alg"] {
            assert!(codes.contains(&code), "{code} missing from {codes:?}");
        }
    }

    #[test]
    fn a_back_channel_uri_at_a_private_address_needs_private_networks_allowed() {
        let new = NewClient {
            name: "App".into(),
            kind: ClientKind::Confidential,
            first_party: false,
            redirect_uris: vec!["https://app.example/cb".into()],
            grant_types: vec![],
            post_logout_redirect_uris: vec![],
            backchannel_logout_uri: Some("http://127.0.0.1:9000/logout".into()),
            id_token_alg: None,
        };
        match validate(&new, false) {
            Err(Error::Invalid(e)) => {
                assert_eq!(e.0.len(), 1, "{e:?}");
                assert_eq!((e.0[0].field.as_str(), e.0[0].code), ("backchannel_logout_uri", "private_address"));
                assert!(e.0[0].message.contains("outbound.allow_private_networks"), "{e:?}");
            }
            other => panic!("expected a field error, got {other:?}"),
        }
        assert!(validate(&new, true).is_ok());
    }

    /// The operator's changes are in the audit log: registering and deleting a client, and
    /// publishing new signing keys.
    async fn operator_changes_are_audited(db: crate::testing::TestDb) {
        let dir = tempfile::tempdir().unwrap();
        let key = crate::testing::new_master_key().unwrap();
        let core =
            crate::testing::core_on(&db, dir.path(), &key, crate::clock::FakeClock::fixed(), |_| {}).await.unwrap();
        let new = NewClient {
            name: "Billing".into(),
            kind: ClientKind::Confidential,
            first_party: true,
            redirect_uris: vec!["https://billing.example/cb".into()],
            grant_types: vec![],
            post_logout_redirect_uris: vec![],
            backchannel_logout_uri: None,
            id_token_alg: None,
        };
        let created = core.create_oauth_client(new).await.unwrap();
        core.delete_oauth_client(&created.client.client_id).await.unwrap();
        assert!(matches!(core.delete_oauth_client(&created.client.client_id).await, Err(Error::NotFound)));
        let rotated = core.rotate_signing_keys(true).await.unwrap();
        assert_eq!(rotated.len(), SigningAlg::ALL.len());
        assert!(core.rotate_signing_keys(false).await.unwrap().is_empty(), "a successor exists: nothing to do");

        let mut conn = core.store().conn().await.unwrap();
        let rows: Vec<(String, sqlx::types::Json<serde_json::Value>)> =
            crate::store::on_db!(conn.db(), |c| sqlx::query_as(
                "SELECT action, details FROM audit_events WHERE action LIKE 'oauth.%' ORDER BY occurred_at, id"
            )
            .fetch_all(c)
            .await)
            .unwrap();
        let actions: Vec<&str> = rows.iter().map(|(a, _)| a.as_str()).collect();
        let rows: Vec<(&str, String)> = rows.iter().map(|(a, d)| (a.as_str(), d.0.to_string())).collect();
        assert_eq!(actions, ["oauth.client_registered", "oauth.client_deleted", "oauth.signing_keys_rotated"]);
        assert!(rows[0].1.contains(&created.client.client_id) && rows[0].1.contains("Billing"), "{}", rows[0].1);
        assert!(rows[1].1.contains(&created.client.client_id), "{}", rows[1].1);
        for k in &rotated {
            assert!(rows[2].1.contains(&k.kid), "{}", rows[2].1);
        }
    }

    #[tokio::test]
    async fn operator_changes_are_audited_on_sqlite() {
        operator_changes_are_audited(crate::testing::TestDb::sqlite().await.unwrap()).await;
    }

    #[tokio::test]
    async fn operator_changes_are_audited_on_postgres() {
        if let Some(db) = crate::testing::TestDb::postgres().await.unwrap() {
            operator_changes_are_audited(db).await;
        }
    }
}
