//! Pushed authorization requests (RFC 9126): the client sends the parameters of an authorization
//! request straight to the server, authenticated, and sends the browser with only a
//! `request_uri`. Request objects (OpenID Connect Core §6, RFC 9101) are not supported: clients
//! register no keys, and a pushed request already gives the integrity they would.
//!
//! A `request_uri` must reach the authorization endpoint within [`PUSHED_REQUEST_TTL`]. The
//! browser's first arrival opens it for [`OPENED_REQUEST_TTL`], so that signing in (which comes
//! back with the same `client_id` and `request_uri`), a second factor and the consent screen fit;
//! it ends, once, when a code or an error goes back to the client.

use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::authorize::{AuthorizationRequest, AuthorizeError, AuthorizeParams, one};
use super::clients::Client;
use super::{ErrorCode, OAuthError, OAuthResult};
use crate::Core;
use crate::crypto::{TokenDigest, new_token};
use crate::error::Error;
use crate::store::pushed_requests::{self as store, PushedRow};

/// The prefix of the `request_uri` values this server makes (RFC 9126 §2.2).
pub const REQUEST_URI_PREFIX: &str = "urn:ietf:params:oauth:request_uri:";
/// How long a client has to send the browser with a `request_uri` (`expires_in`; RFC 9126 §2.2
/// suggests a short life).
pub const PUSHED_REQUEST_TTL: Duration = Duration::seconds(90);
/// How long the browser has, from its first arrival, to sign in and decide.
pub const OPENED_REQUEST_TTL: Duration = Duration::minutes(10);

/// How the parameters of an authorization request arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Channel {
    /// In the browser's request (the query or a posted form).
    Front,
    /// Pushed by the authenticated client first (RFC 9126).
    Pushed,
}

/// The answer of the pushed authorization request endpoint (RFC 9126 §2.2).
#[derive(Debug, Clone, serde::Serialize)]
pub struct PushedRequest {
    /// `request_uri`: for the browser's authorization request, with `client_id`.
    pub request_uri: String,
    /// `expires_in`: seconds until it must have been used.
    pub expires_in: i64,
}

/// Why an authorization request that came by `channel` is refused before its parameters are
/// looked at: a request object, a `request_uri` from elsewhere, or a client that must push.
pub(super) fn front_channel_refusal(
    client: &Client,
    p: &AuthorizeParams,
    channel: Channel,
) -> Option<(ErrorCode, &'static str)> {
    if channel == Channel::Pushed {
        return None;
    }
    if one(&p.request).is_some() {
        return Some((
            ErrorCode::RequestNotSupported,
            "request objects are not supported; push the parameters to the pushed authorization request endpoint",
        ));
    }
    if one(&p.request_uri).is_some() {
        return Some((
            ErrorCode::RequestUriNotSupported,
            "only request_uri values made by the pushed authorization request endpoint are supported",
        ));
    }
    if client.require_pushed_authorization_requests {
        return Some((
            ErrorCode::InvalidRequest,
            "this client must push its authorization requests to the pushed authorization request endpoint first",
        ));
    }
    None
}

/// Ends the pushed request behind `req`, in the caller's transaction (with the code it issues);
/// `invalid_request_uri` when it has already ended or expired (another tab was first).
pub(super) async fn finish_in(
    tx: &mut crate::store::Tx,
    req: &AuthorizationRequest,
    now: OffsetDateTime,
) -> OAuthResult<()> {
    match req.pushed {
        Some(id) if !store::finish(tx.db(), id, now).await? => {
            Err(OAuthError::new(ErrorCode::InvalidRequestUri, "the request_uri has already been used or has expired"))
        }
        _ => Ok(()),
    }
}

/// The page for a `request_uri` that cannot be used: there is no trusted redirect URI to send an
/// error to (RFC 6749 §4.1.2.1).
fn unusable() -> AuthorizeError {
    AuthorizeError::Page(
        "This sign-in request has expired or was already used (invalid_request_uri). Go back to the application \
         and start again."
            .to_owned(),
    )
}

fn unchecked(e: impl Into<Error>) -> AuthorizeError {
    AuthorizeError::Page(format!("The request could not be checked ({}).", e.into().code()))
}

impl Core {
    /// Keeps an authorization request pushed by the authenticated `client` (RFC 9126 §2), after
    /// the same checks as at the authorization endpoint; every failure is a JSON error.
    pub async fn push_authorization_request(&self, client: &Client, p: &AuthorizeParams) -> OAuthResult<PushedRequest> {
        if one(&p.request_uri).is_some() {
            return Err(OAuthError::new(
                ErrorCode::InvalidRequest,
                "request_uri cannot be pushed (RFC 9126 section 2.1)",
            ));
        }
        if one(&p.request).is_some() {
            return Err(OAuthError::new(
                ErrorCode::RequestNotSupported,
                "request objects are not supported; push the parameters themselves",
            ));
        }
        if one(&p.client_id).is_some_and(|id| id != client.client_id) {
            return Err(OAuthError::new(ErrorCode::InvalidRequest, "client_id is not the authenticated client"));
        }
        let params = AuthorizeParams { client_id: Some(client.client_id.clone()), auth_after: None, ..p.clone() };
        match self.check_authorization(&params, Channel::Pushed).await {
            Ok(_) => {}
            Err(AuthorizeError::Page(description)) => {
                return Err(OAuthError::new(ErrorCode::InvalidRequest, description));
            }
            Err(AuthorizeError::Redirect { error, .. }) => return Err(error),
        }
        let now = self.clock().now();
        let token = new_token()?;
        let request_uri = format!("{REQUEST_URI_PREFIX}{}", secrecy::ExposeSecret::expose_secret(&token.secret));
        let row = PushedRow {
            id: Uuid::now_v7(),
            uri_hash: TokenDigest::of(&request_uri).as_bytes().to_vec(),
            client_id: client.row_id,
            params: serde_json::to_string(&params).map_err(|e| Error::Internal(e.into()))?,
            created_at: now,
            expires_at: now + PUSHED_REQUEST_TTL,
            opened_at: None,
            used_at: None,
        };
        let mut conn = self.store().conn().await?;
        store::insert(conn.db(), &row).await?;
        Ok(PushedRequest { request_uri, expires_in: PUSHED_REQUEST_TTL.whole_seconds() })
    }

    /// The authorization request pushed as `request_uri` by the client named in `p`, which must
    /// be that client's, unexpired and not yet ended; every other parameter of `p` is ignored
    /// (RFC 9126 §4) but this server's own `auth_after`. Its first use opens it.
    pub(super) async fn pushed_authorization(
        &self,
        p: &AuthorizeParams,
        request_uri: &str,
    ) -> Result<AuthorizationRequest, AuthorizeError> {
        if ["client_id", "request_uri"].iter().any(|n| p.repeated.iter().any(|r| r == n)) {
            return Err(AuthorizeError::Page("The request's client_id or request_uri is repeated.".to_owned()));
        }
        let client = match one(&p.client_id) {
            None => return Err(AuthorizeError::Page("The request does not name an application (client_id).".into())),
            Some(id) => match self.oauth_client(id).await {
                Ok(c) => c,
                Err(Error::NotFound) => return Err(unusable()),
                Err(e) => return Err(unchecked(e)),
            },
        };
        let now = self.clock().now();
        let mut conn = self.store().conn().await.map_err(unchecked)?;
        let row = store::find(conn.db(), TokenDigest::of(request_uri).as_bytes())
            .await
            .map_err(unchecked)?
            .filter(|r| r.client_id == client.row_id && r.used_at.is_none() && now < r.expires_at)
            .ok_or_else(unusable)?;
        if row.opened_at.is_none() {
            store::open(conn.db(), row.id, now, now + OPENED_REQUEST_TTL).await.map_err(unchecked)?;
        }
        drop(conn);
        let mut pushed: AuthorizeParams = serde_json::from_str(&row.params).map_err(|_| unusable())?;
        pushed.client_id = Some(client.client_id);
        pushed.auth_after = p.auth_after.clone();
        match self.check_authorization(&pushed, Channel::Pushed).await {
            Ok(req) => Ok(AuthorizationRequest { pushed: Some(row.id), ..req }),
            Err(e) => {
                self.end_pushed(row.id).await;
                Err(e)
            }
        }
    }

    /// Ends the authorization of `req` with `error` for the client: a pushed request it came
    /// from cannot be used again (RFC 9126 §4). Returns `error`.
    pub async fn end_authorization(&self, req: &AuthorizationRequest, error: AuthorizeError) -> AuthorizeError {
        if let Some(id) = req.pushed {
            self.end_pushed(id).await;
        }
        error
    }

    /// Ends a pushed request; if the database cannot be reached it simply expires.
    async fn end_pushed(&self, id: Uuid) {
        let now = self.clock().now();
        let ended = async {
            let mut conn = self.store().conn().await?;
            store::finish(conn.db(), id, now).await.map_err(Error::from)
        };
        if let Err(e) = ended.await {
            tracing::warn!(error = %format!("{e:#}"), "a pushed authorization request could not be ended");
        }
    }
}
