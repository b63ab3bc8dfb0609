//! Using the tokens issued here: verifying an access token (RFC 9068 §4) and its DPoP binding
//! (RFC 9449 §7), userinfo (OpenID Connect Core §5.3), introspection (RFC 7662) and revocation
//! (RFC 7009).

use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use uuid::Uuid;

use super::claims_request::RequestedClaims;
use super::clients::Client;
use super::scopes::Scopes;
use super::{ErrorCode, OAuthError, OAuthResult, claims, epoch};
use crate::Core;
use crate::accounts::User;
use crate::crypto::TokenDigest;
use crate::ids::{SessionId, UserId};
use crate::store::oauth as store;

impl Core {
    /// Verifies an access token issued by this server (RFC 9068 §4): signature, `typ`, issuer,
    /// audience, expiry, and that its grant is not revoked.
    pub async fn verify_access_token(&self, token: &str) -> OAuthResult<AccessToken> {
        let invalid = || OAuthError::new(ErrorCode::InvalidToken, "the access token is invalid or has expired");
        let verified = self.verify_own_jwt(token).await?.ok_or_else(invalid)?;
        if verified.typ.as_deref() != Some("at+jwt") {
            return Err(invalid());
        }
        let c = &verified.claims;
        let now = self.clock().now();
        let exp = c.get("exp").and_then(Value::as_i64).ok_or_else(invalid)?;
        if exp <= epoch(now) || c.get("aud").and_then(Value::as_str) != Some(super::issuer(self).as_str()) {
            return Err(invalid());
        }
        let grant = match c.get("gid").and_then(Value::as_str) {
            Some(g) => {
                let id = Uuid::parse_str(g).map_err(|_| invalid())?;
                let grant = self.store().hot_grant(id).await?.ok_or_else(invalid)?;
                if grant.revoked_at.is_some() {
                    return Err(invalid());
                }
                Some(grant)
            }
            None => {
                // A client's own token (no grant) ends when revoked by its jti (RFC 7009).
                let jti = c.get("jti").and_then(Value::as_str).ok_or_else(invalid)?;
                if self.store().hot_jti_revoked(jti).await? {
                    return Err(invalid());
                }
                None
            }
        };
        Ok(AccessToken {
            claims: verified.claims.clone(),
            scopes: Scopes::from_stored(c.get("scope").and_then(Value::as_str).unwrap_or("")),
            user: grant.as_ref().map(|g| g.user_id),
            session: grant.as_ref().and_then(|g| g.session_id),
            asked: RequestedClaims::from_stored(grant.as_ref().and_then(|g| g.claims.as_deref())),
            grant_id: grant.map(|g| g.id),
            jkt: c.get("cnf").and_then(|cnf| cnf.get("jkt")).and_then(Value::as_str).map(str::to_owned),
        })
    }

    /// The UserInfo response (OpenID Connect Core §5.3): needs an access token with `openid`.
    /// `proof_jkt`: the key of the request's verified DPoP proof (with the `DPoP` scheme); a
    /// token bound to a key needs that key's proof, and a proof needs a token bound to its key.
    pub async fn userinfo(&self, token: &str, proof_jkt: Option<&str>) -> OAuthResult<Map<String, Value>> {
        let at = self.verify_access_token(token).await?;
        at.check_binding(proof_jkt)?;
        let Some(user_id) = at.user else {
            return Err(OAuthError::new(ErrorCode::InsufficientScope, "this token was issued to a client, not a user"));
        };
        if !at.scopes.has("openid") {
            return Err(OAuthError::new(ErrorCode::InsufficientScope, "the token lacks the openid scope"));
        }
        let user = self.active_user(user_id).await?;
        let mut out = Map::new();
        out.insert("sub".into(), json!(user.id.to_string()));
        out.extend(claims::released(self, &user, &at.scopes, &at.asked.userinfo, at.session).await?);
        Ok(out)
    }

    async fn active_user(&self, id: UserId) -> OAuthResult<User> {
        let row = self.store().hot_user(id).await?;
        let user: User = row.ok_or(crate::store::StoreError::NotFound)?.into();
        if !user.status.may_sign_in() {
            return Err(OAuthError::new(ErrorCode::InvalidToken, "the account can no longer sign in"));
        }
        Ok(user)
    }

    /// Token introspection (RFC 7662 §2): only for the client the token was issued to; anything
    /// else — unknown, expired, revoked, another client's — is `{"active": false}`.
    pub async fn introspect(&self, client: &Client, token: &str) -> OAuthResult<Value> {
        let inactive = json!({ "active": false });
        if token.is_empty() || token.len() > 16 * 1024 {
            return Ok(inactive);
        }
        if token.contains('.') {
            let Ok(at) = self.verify_access_token(token).await else { return Ok(inactive) };
            if at.claims.get("client_id").and_then(Value::as_str) != Some(client.client_id.as_str()) {
                return Ok(inactive);
            }
            let mut out = at.claims;
            out.insert("active".into(), json!(true));
            out.insert("token_type".into(), json!(if at.jkt.is_some() { "DPoP" } else { "Bearer" }));
            out.remove("gid");
            return Ok(Value::Object(out));
        }
        let now = self.clock().now();
        let mut conn = self.store().conn().await?;
        let Some(row) = store::find_refresh(conn.db(), TokenDigest::of(token).as_bytes()).await? else {
            return Ok(inactive);
        };
        let Some(grant) = store::find_grant(conn.db(), row.grant_id).await? else { return Ok(inactive) };
        if grant.client_id != client.row_id
            || grant.revoked_at.is_some()
            || row.used_at.is_some()
            || row.expires_at <= now
        {
            return Ok(inactive);
        }
        Ok(json!({
            "active": true,
            "token_type": "refresh_token",
            "scope": grant.scope,
            "client_id": client.client_id,
            "sub": grant.user_id.to_string(),
            "iss": super::issuer(self),
            "iat": epoch(row.created_at),
            "exp": epoch(row.expires_at),
        }))
    }

    /// Token revocation (RFC 7009 §2.1): revoking a refresh token or an access token ends the
    /// whole grant. Unknown tokens and tokens of other clients are ignored (§2.2: still 200).
    pub async fn revoke_token(&self, client: &Client, token: &str) -> OAuthResult<()> {
        if token.is_empty() || token.len() > 16 * 1024 {
            return Ok(());
        }
        let now = self.clock().now();
        let grant_id = if token.contains('.') {
            match self.verify_access_token(token).await {
                Ok(at) if at.claims.get("client_id").and_then(Value::as_str) == Some(client.client_id.as_str()) => {
                    if at.grant_id.is_none() {
                        // A client's own token has no grant: remember its jti until it expires.
                        let jti = at.claims.get("jti").and_then(Value::as_str).unwrap_or_default();
                        let exp = at.claims.get("exp").and_then(Value::as_i64).unwrap_or_default();
                        let expires_at = OffsetDateTime::from_unix_timestamp(exp).map_err(anyhow::Error::new)?;
                        // In a transaction: its commit makes this node's cache read again.
                        let mut tx = self.store().begin().await?;
                        crate::store::oauth_jtis::revoke(tx.db(), jti, expires_at).await?;
                        tx.commit().await?;
                    }
                    at.grant_id
                }
                _ => None,
            }
        } else {
            let mut conn = self.store().conn().await?;
            match store::find_refresh(conn.db(), TokenDigest::of(token).as_bytes()).await? {
                Some(row) => store::find_grant(conn.db(), row.grant_id)
                    .await?
                    .filter(|g| g.client_id == client.row_id)
                    .map(|g| g.id),
                None => None,
            }
        };
        if let Some(id) = grant_id {
            let mut tx = self.store().begin().await?;
            store::revoke_grant(tx.db(), id, now).await?;
            tx.commit().await?;
        }
        Ok(())
    }
}

/// A verified access token.
#[derive(Debug, Clone)]
pub struct AccessToken {
    /// Its claims.
    pub claims: Map<String, Value>,
    /// Its scopes.
    pub scopes: Scopes,
    /// The user, for tokens issued to a user.
    pub user: Option<UserId>,
    /// The browser session it came from.
    pub session: Option<SessionId>,
    /// Its grant.
    pub grant_id: Option<Uuid>,
    /// The DPoP key it is bound to (`cnf.jkt`): presented only with a proof made with it.
    pub jkt: Option<String>,
    /// Claims its grant asked for one by one (the `claims` parameter).
    pub asked: RequestedClaims,
}

impl AccessToken {
    /// RFC 9449 §7.1: a DPoP-bound token is presented with a proof of its key (the `DPoP`
    /// scheme), and a proof only with a token bound to it; anything else is `invalid_token`.
    pub fn check_binding(&self, proof_jkt: Option<&str>) -> OAuthResult<()> {
        match (self.jkt.as_deref(), proof_jkt) {
            (None, None) => Ok(()),
            (Some(bound), Some(proved)) if bound == proved => Ok(()),
            (Some(_), None) => Err(OAuthError::new(
                ErrorCode::InvalidToken,
                "this access token is bound to a DPoP key: present it with the DPoP scheme and a proof",
            )),
            _ => Err(OAuthError::new(ErrorCode::InvalidToken, "the DPoP proof is not made with this token's key")),
        }
    }
}
