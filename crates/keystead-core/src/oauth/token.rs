//! The token endpoint (RFC 6749 §3.2, §4.1.3, §4.4, §6; RFC 8628 §3.4): JWT access tokens
//! (RFC 9068), bound to a DPoP key when the request proves one (RFC 9449 §5), and ID tokens
//! (OpenID Connect Core §2, §3.1.3.6). Using them is in [`super::token_use`].

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};
use sha2::Digest;
use time::OffsetDateTime;
use uuid::Uuid;

use super::claims_request::RequestedClaims;
use super::clients::Client;
use super::scopes::Scopes;
use super::{ErrorCode, GrantType, OAuthError, OAuthResult, SigningAlg, claims, epoch, pkce};
use crate::Core;
use crate::accounts::User;
use crate::api_tokens::ApiScope;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::crypto::{TokenDigest, new_token};
use crate::ids::UserId;
use crate::store::oauth::{self as store, GrantRow, RefreshRow};
use crate::store::users as store_users;

/// A token request's parameters (RFC 6749 §4.1.3, §6; RFC 8628 §3.4).
#[derive(Debug, Clone, Default)]
pub struct TokenParams {
    /// `grant_type`
    pub grant_type: Option<String>,
    /// `code`
    pub code: Option<String>,
    /// `redirect_uri`
    pub redirect_uri: Option<String>,
    /// `code_verifier`
    pub code_verifier: Option<String>,
    /// `refresh_token`
    pub refresh_token: Option<String>,
    /// `scope`
    pub scope: Option<String>,
    /// `device_code`
    pub device_code: Option<String>,
    /// The thumbprint of the key of this request's DPoP proof, verified by the endpoint with
    /// [`Core::verify_dpop_proof`]: the tokens are bound to it (RFC 9449 §5).
    pub dpop_jkt: Option<String>,
}

/// A successful token response (RFC 6749 §5.1).
#[derive(Debug, Clone, serde::Serialize)]
pub struct TokenResponse {
    /// The JWT access token.
    pub access_token: String,
    /// `Bearer`, or `DPoP` when the access token is bound to a DPoP key (RFC 9449 §5).
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// A new refresh token (with `offline_access`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// The ID token (with `openid`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    /// The scopes granted.
    pub scope: String,
}

/// A grant's context for issuing tokens.
struct Issue<'a> {
    client: &'a Client,
    user: Option<&'a User>,
    grant: Option<&'a GrantRow>,
    scopes: Scopes,
    nonce: Option<String>,
    refresh_token: Option<String>,
    /// Admin API scopes of a client acting for itself.
    api_scopes: Vec<ApiScope>,
    /// The DPoP key the access token is bound to (`cnf.jkt`).
    jkt: Option<&'a str>,
}

impl Issue<'_> {
    /// The `scope` granted: the OAuth scopes, then any admin API scopes.
    fn granted(&self) -> String {
        let api = self.api_scopes.iter().map(|s| s.as_str());
        self.scopes.iter().chain(api).collect::<Vec<_>>().join(" ")
    }
}

fn invalid_grant(d: &str) -> OAuthError {
    OAuthError::new(ErrorCode::InvalidGrant, d)
}

fn required<'a>(v: &'a Option<String>, name: &str) -> OAuthResult<&'a str> {
    v.as_deref()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| OAuthError::new(ErrorCode::InvalidRequest, format!("{name} is required")))
}

/// Records that a spent `kind` (authorization code, refresh token) of `client` was presented
/// again, in the transaction that revoked its grant: for the user's security log and the
/// operator (a stolen token, or a client that lost track of its tokens).
async fn reuse_detected(
    tx: &mut crate::store::Tx,
    user: UserId,
    client: &Client,
    kind: &str,
    now: OffsetDateTime,
) -> crate::error::Result<()> {
    let details = json!({ "client_id": client.client_id, "name": client.name, "token": kind });
    let meta = RequestMeta::default();
    audit::record(tx.db(), now, AuditAction::TokenReuseDetected, None, Some(user), &meta, details).await
}

/// The left half of the hash of the access token (OpenID Connect Core §3.1.3.6 `at_hash`):
/// SHA-256 for RS256 and ES256, SHA-512 for EdDSA with Ed25519.
pub fn at_hash(access_token: &str, alg: SigningAlg) -> String {
    match alg {
        SigningAlg::EdDsa => {
            let h = sha2::Sha512::digest(access_token.as_bytes());
            URL_SAFE_NO_PAD.encode(&h[..32])
        }
        _ => {
            let h = sha2::Sha256::digest(access_token.as_bytes());
            URL_SAFE_NO_PAD.encode(&h[..16])
        }
    }
}

impl Core {
    /// The token endpoint, after client authentication.
    pub async fn token(&self, client: &Client, p: &TokenParams) -> OAuthResult<TokenResponse> {
        let grant = required(&p.grant_type, "grant_type")?;
        let Some(grant_type) = GrantType::parse(grant).filter(|g| g.as_str() == grant) else {
            return Err(OAuthError::new(ErrorCode::UnsupportedGrantType, "this grant type is not supported"));
        };
        if !client.allows(grant_type) {
            return Err(OAuthError::new(ErrorCode::UnauthorizedClient, "this client may not use this grant type"));
        }
        // The keys are made (or read) before any transaction of the grant opens: on SQLite a key
        // made inside one would wait for its own write lock. Cached for a minute.
        self.published_keys().await?;
        match grant_type {
            GrantType::AuthorizationCode => self.exchange_code(client, p).await,
            GrantType::RefreshToken => self.refresh(client, p).await,
            GrantType::ClientCredentials => self.client_credentials(client, p).await,
            GrantType::DeviceCode => self.exchange_device_code(client, p).await,
        }
    }

    /// `authorization_code` (RFC 6749 §4.1.3, RFC 7636 §4.6). A code already used is a replay:
    /// what it produced is revoked (RFC 6749 §4.1.2).
    async fn exchange_code(&self, client: &Client, p: &TokenParams) -> OAuthResult<TokenResponse> {
        let code = required(&p.code, "code")?;
        let now = self.clock().now();
        // Reads first, outside the write transaction (SQLite has one writer at a time); the
        // code is then claimed by a conditional update inside it, so of two exchanges of one
        // code only one succeeds.
        let mut conn = self.store().conn().await?;
        let Some(row) = store::find_code(conn.db(), TokenDigest::of(code).as_bytes()).await? else {
            return Err(invalid_grant("the code is invalid"));
        };
        if row.client_id != client.row_id {
            return Err(invalid_grant("the code was issued to another client"));
        }
        if row.used_at.is_some() {
            drop(conn);
            let mut tx = self.store().begin().await?;
            if let Some(g) = row.grant_id {
                store::revoke_grant(tx.db(), g, now).await?;
            }
            reuse_detected(&mut tx, row.user_id, client, "authorization_code", now).await?;
            tx.commit().await?;
            return Err(invalid_grant("the code was already used; the tokens it produced are revoked"));
        }
        if row.expires_at <= now {
            return Err(invalid_grant("the code has expired"));
        }
        let refused = match (p.redirect_uri.as_deref(), &row.code_challenge, p.code_verifier.as_deref()) {
            _ if row.dpop_jkt.is_some() && row.dpop_jkt != p.dpop_jkt => {
                Some("the code is bound to a DPoP key (dpop_jkt): send a proof made with it")
            }
            (r, _, _) if r != Some(row.redirect_uri.as_str()) => {
                Some("redirect_uri does not match the authorization request")
            }
            (_, Some(challenge), Some(v)) if !pkce::verify(v, challenge) => Some("the code_verifier does not match"),
            (_, Some(_), None) => Some("code_verifier is required"),
            (_, None, Some(_)) => Some("no code_challenge was sent for this code"),
            _ => None,
        };
        if let Some(reason) = refused {
            drop(conn);
            // A failed attempt burns the code: no guessing of verifiers.
            let mut tx = self.store().begin().await?;
            store::burn_code(tx.db(), row.id, now).await?;
            tx.commit().await?;
            return Err(invalid_grant(reason));
        }
        let user: User = store_users::get(conn.db(), row.user_id).await?.into();
        drop(conn);
        if !user.status.may_sign_in() {
            return Err(invalid_grant("the account can no longer sign in"));
        }
        let grant = GrantRow {
            id: Uuid::now_v7(),
            client_id: client.row_id,
            user_id: row.user_id,
            session_id: row.session_id,
            scope: row.scope.clone(),
            claims: row.claims.clone(),
            nonce: row.nonce.clone(),
            auth_time: row.auth_time,
            amr: row.amr.clone(),
            created_at: now,
            revoked_at: None,
        };
        let scopes = Scopes::from_stored(&row.scope);
        let mut tx = self.store().begin().await?;
        store::insert_grant(tx.db(), &grant).await?;
        if !store::use_code(tx.db(), row.id, grant.id, now).await? {
            // Used (or burned) since it was read: the grant is rolled back with the transaction.
            return Err(invalid_grant("the code was already used"));
        }
        let refresh_token = self.new_refresh(&mut tx, client, &grant, &scopes, (now, p.dpop_jkt.as_deref())).await?;
        tx.commit().await?;
        let issue = Issue {
            client,
            user: Some(&user),
            grant: Some(&grant),
            scopes,
            nonce: row.nonce,
            refresh_token,
            api_scopes: vec![],
            jkt: p.dpop_jkt.as_deref(),
        };
        self.issue_tokens(issue).await
    }

    /// A refresh token for the grant, when `offline_access` was granted and the client may
    /// refresh (OpenID Connect Core §11).
    async fn new_refresh(
        &self,
        tx: &mut crate::store::Tx,
        client: &Client,
        grant: &GrantRow,
        scopes: &Scopes,
        (now, jkt): (OffsetDateTime, Option<&str>),
    ) -> OAuthResult<Option<String>> {
        if !scopes.has("offline_access") || !client.allows(GrantType::RefreshToken) {
            return Ok(None);
        }
        let token = new_token()?;
        let row = RefreshRow {
            id: Uuid::now_v7(),
            token_hash: token.digest.as_bytes().to_vec(),
            grant_id: grant.id,
            created_at: now,
            expires_at: now + self.config().oauth.refresh_token_ttl,
            used_at: None,
            // RFC 9449 §5: a public client's refresh token is bound to its DPoP key (a
            // confidential client's is bound to its secret already).
            dpop_jkt: jkt.filter(|_| client.kind == super::ClientKind::Public).map(str::to_owned),
        };
        store::insert_refresh(tx.db(), &row).await?;
        Ok(Some(secrecy::ExposeSecret::expose_secret(&token.secret).to_owned()))
    }

    /// `refresh_token` (RFC 6749 §6) with rotation; a used token presented again revokes the
    /// whole grant (RFC 9700 §4.14.2).
    async fn refresh(&self, client: &Client, p: &TokenParams) -> OAuthResult<TokenResponse> {
        let presented = required(&p.refresh_token, "refresh_token")?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let Some(row) = store::find_refresh(tx.db(), TokenDigest::of(presented).as_bytes()).await? else {
            return Err(invalid_grant("the refresh token is invalid"));
        };
        let grant = store::find_grant(tx.db(), row.grant_id)
            .await?
            .ok_or_else(|| invalid_grant("the refresh token is invalid"))?;
        if grant.client_id != client.row_id {
            return Err(invalid_grant("the refresh token was issued to another client"));
        }
        if grant.revoked_at.is_some() {
            return Err(invalid_grant("the refresh token has been revoked"));
        }
        if row.dpop_jkt.is_some() && row.dpop_jkt != p.dpop_jkt {
            return Err(invalid_grant("the refresh token is bound to a DPoP key: send a proof made with it"));
        }
        if row.used_at.is_some() || !store::use_refresh(tx.db(), row.id, now).await? {
            store::revoke_grant(tx.db(), grant.id, now).await?;
            reuse_detected(&mut tx, grant.user_id, client, "refresh_token", now).await?;
            tx.commit().await?;
            return Err(invalid_grant("the refresh token was already used; every token of this grant is revoked"));
        }
        if row.expires_at <= now {
            return Err(invalid_grant("the refresh token has expired"));
        }
        let granted = Scopes::from_stored(&grant.scope);
        let scopes = match p.scope.as_deref().filter(|s| !s.is_empty()) {
            None => granted.clone(),
            Some(s) => {
                let asked = Scopes::parse(s)?;
                if !granted.covers(&asked) {
                    return Err(OAuthError::new(ErrorCode::InvalidScope, "the scope exceeds what was granted"));
                }
                asked
            }
        };
        let user: User = store_users::get(tx.db(), grant.user_id).await?.into();
        if !user.status.may_sign_in() {
            return Err(invalid_grant("the account can no longer sign in"));
        }
        // The new refresh token keeps the whole grant's scope; a narrower scope applies to the
        // access token only (RFC 6749 §6).
        let refresh_token = self
            .new_refresh(&mut tx, client, &grant, &granted, (now, row.dpop_jkt.as_deref().or(p.dpop_jkt.as_deref())))
            .await?;
        tx.commit().await?;
        let issue = Issue {
            client,
            user: Some(&user),
            grant: Some(&grant),
            scopes,
            nonce: None,
            refresh_token,
            api_scopes: vec![],
            jkt: p.dpop_jkt.as_deref(),
        };
        self.issue_tokens(issue).await
    }

    /// `client_credentials` (RFC 6749 §4.4): an access token for the client itself; no refresh
    /// token (§4.4.3) and no user scopes. Admin API scopes (`users:read`) are granted as far as
    /// the operator gave them to the client; without a `scope`, all of those (§3.3: the default).
    async fn client_credentials(&self, client: &Client, p: &TokenParams) -> OAuthResult<TokenResponse> {
        let (mut api_scopes, mut other) = (Vec::new(), Vec::new());
        for part in p.scope.as_deref().unwrap_or("").split(' ').filter(|s| !s.is_empty()) {
            match ApiScope::parse(part) {
                Some(s) if client.api_scopes.contains(&s) => api_scopes.push(s),
                Some(_) => {
                    let what = format!("the scope {part} is not granted to this client");
                    return Err(OAuthError::new(ErrorCode::InvalidScope, what));
                }
                None => other.push(part),
            }
        }
        if p.scope.is_none() {
            api_scopes.clone_from(&client.api_scopes);
        }
        api_scopes.sort();
        api_scopes.dedup();
        let scopes = Scopes::parse(&other.join(" "))?;
        if ["openid", "profile", "email", "offline_access"].iter().any(|s| scopes.has(s)) {
            return Err(OAuthError::new(
                ErrorCode::InvalidScope,
                "user scopes cannot be granted to a client acting for itself",
            ));
        }
        self.issue_tokens(Issue {
            client,
            user: None,
            grant: None,
            scopes,
            nonce: None,
            refresh_token: None,
            api_scopes,
            jkt: p.dpop_jkt.as_deref(),
        })
        .await
    }

    /// Signs the access token and, with `openid`, the ID token.
    async fn issue_tokens(&self, i: Issue<'_>) -> OAuthResult<TokenResponse> {
        let now = self.clock().now();
        let cfg = self.config().oauth;
        let iss = super::issuer(self);
        let amr: Vec<String> = i.grant.map(|g| super::split_list(&g.amr)).unwrap_or_default();
        let mut at = json!({
            "iss": iss,
            "aud": iss,
            "exp": epoch(now + cfg.access_token_ttl),
            "iat": epoch(now),
            "jti": Uuid::now_v7().to_string(),
            "client_id": i.client.client_id,
            "scope": i.granted(),
        });
        match (i.user, i.grant) {
            (Some(user), Some(grant)) => {
                at["sub"] = json!(user.id.to_string());
                at["auth_time"] = json!(epoch(grant.auth_time));
                at["amr"] = json!(amr);
                at["acr"] = json!(super::acr_for(&amr));
                at["gid"] = json!(grant.id.to_string());
                if let Some(sid) = grant.session_id {
                    at["sid"] = json!(sid.to_string());
                }
            }
            _ => at["sub"] = json!(i.client.client_id),
        }
        if let Some(jkt) = i.jkt {
            at["cnf"] = json!({ "jkt": jkt });
        }
        let access_token = self.sign_jwt(cfg.access_token_alg, "at+jwt", &at).await?;
        let id_token = match (i.user, i.grant) {
            (Some(user), Some(grant)) if i.scopes.has("openid") => {
                let alg = i.client.id_token_alg;
                let mut claims = Map::new();
                claims.insert("iss".into(), json!(iss));
                claims.insert("sub".into(), json!(user.id.to_string()));
                claims.insert("aud".into(), json!(i.client.client_id));
                claims.insert("azp".into(), json!(i.client.client_id));
                claims.insert("exp".into(), json!(epoch(now + cfg.id_token_ttl)));
                claims.insert("iat".into(), json!(epoch(now)));
                claims.insert("auth_time".into(), json!(epoch(grant.auth_time)));
                if let Some(nonce) = &i.nonce {
                    claims.insert("nonce".into(), json!(nonce));
                }
                claims.insert("amr".into(), json!(amr));
                claims.insert("acr".into(), json!(super::acr_for(&amr)));
                if let Some(sid) = grant.session_id {
                    claims.insert("sid".into(), json!(sid.to_string()));
                }
                claims.insert("at_hash".into(), json!(at_hash(&access_token, alg)));
                let asked = RequestedClaims::from_stored(grant.claims.as_deref());
                claims.extend(claims::released(self, user, &i.scopes, &asked.id_token, grant.session_id).await?);
                Some(self.sign_jwt(alg, "JWT", &Value::Object(claims)).await?)
            }
            _ => None,
        };
        Ok(TokenResponse {
            access_token,
            token_type: if i.jkt.is_some() { "DPoP" } else { "Bearer" },
            expires_in: cfg.access_token_ttl.whole_seconds(),
            scope: i.granted(),
            refresh_token: i.refresh_token,
            id_token,
        })
    }

    /// Creates the grant of an approved device request and issues its tokens (RFC 8628 §3.5).
    pub(crate) async fn issue_for_device(
        &self,
        client: &Client,
        row: &crate::store::oauth::DeviceRow,
        mut tx: crate::store::Tx,
        jkt: Option<&str>,
    ) -> OAuthResult<TokenResponse> {
        let (Some(user_id), Some(auth_time)) = (row.user_id, row.auth_time) else {
            return Err(invalid_grant("the device code is invalid"));
        };
        let (session, scope, amr) = (row.session_id, row.scope.as_str(), row.amr.as_deref().unwrap_or(""));
        let now = self.clock().now();
        let user: User = store_users::get(tx.db(), user_id).await?.into();
        if !user.status.may_sign_in() {
            return Err(invalid_grant("the account can no longer sign in"));
        }
        let grant = GrantRow {
            id: Uuid::now_v7(),
            client_id: client.row_id,
            user_id,
            session_id: session,
            scope: scope.to_owned(),
            claims: None,
            nonce: None,
            auth_time,
            amr: amr.to_owned(),
            created_at: now,
            revoked_at: None,
        };
        store::insert_grant(tx.db(), &grant).await?;
        let scopes = Scopes::from_stored(scope);
        let refresh_token = self.new_refresh(&mut tx, client, &grant, &scopes, (now, jkt)).await?;
        tx.commit().await?;
        let api_scopes = vec![];
        self.issue_tokens(Issue {
            client,
            user: Some(&user),
            grant: Some(&grant),
            scopes,
            nonce: None,
            refresh_token,
            api_scopes,
            jkt,
        })
        .await
    }
}

#[cfg(test)]
impl Core {
    /// The tokens a code exchange would issue for a new grant of `scope` to `client` by `user`
    /// from `session` (tests that need a live access token without the browser steps).
    pub(crate) async fn tokens_for_test(
        &self,
        client: &Client,
        user: &User,
        session: Option<crate::ids::SessionId>,
        scope: &str,
    ) -> OAuthResult<TokenResponse> {
        let now = self.clock().now();
        let grant = GrantRow {
            id: Uuid::now_v7(),
            client_id: client.row_id,
            user_id: user.id,
            session_id: session,
            scope: scope.to_owned(),
            claims: None,
            nonce: None,
            auth_time: now,
            amr: "pwd".to_owned(),
            created_at: now,
            revoked_at: None,
        };
        let mut tx = self.store().begin().await?;
        store::insert_grant(tx.db(), &grant).await?;
        tx.commit().await?;
        let (scopes, jkt) = (Scopes::from_stored(scope), None);
        let issue = Issue {
            client,
            user: Some(user),
            grant: Some(&grant),
            scopes,
            nonce: None,
            refresh_token: None,
            api_scopes: vec![],
            jkt,
        };
        self.issue_tokens(issue).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_hash_is_the_left_half_of_the_algorithms_hash() {
        // OpenID Connect Core §3.1.3.6: 128 bits of SHA-256 → 22 characters; EdDSA: 256 of SHA-512.
        assert_eq!(at_hash("token", SigningAlg::Rs256).len(), 22);
        assert_eq!(at_hash("token", SigningAlg::EdDsa).len(), 43);
        assert_ne!(at_hash("token", SigningAlg::Rs256), at_hash("other", SigningAlg::Rs256));
    }
}
