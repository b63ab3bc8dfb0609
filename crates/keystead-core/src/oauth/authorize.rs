//! The authorization endpoint (RFC 6749 §3.1, §4.1.1; OpenID Connect Core §3.1.2): validating a
//! request, deciding whether the user must sign in again or consent, and issuing the code.

use time::OffsetDateTime;
use uuid::Uuid;

use super::authorize_params::{challenge, dpop_jkt, max_age, prompts, requested_claims};
use super::claims_request::RequestedClaims;
use super::clients::Client;
use super::par::Channel;
use super::scopes::Scopes;
use super::{CODE_TTL, ErrorCode, GrantType, MAX_PARAM_LEN, OAuthError, OAuthResult};
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::crypto::new_token;
use crate::error::Error;
use crate::ids::UserId;
use crate::sessions::SessionInfo;
use crate::store::oauth::{self as store, CodeRow};

/// The parameters of an authorization request, as received (each at most once). A pushed
/// request (RFC 9126) keeps them as JSON: every parameter of the client, none of this server's.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct AuthorizeParams {
    /// `response_type`
    pub response_type: Option<String>,
    /// `client_id`
    pub client_id: Option<String>,
    /// `redirect_uri`
    pub redirect_uri: Option<String>,
    /// `scope`
    pub scope: Option<String>,
    /// `state`
    pub state: Option<String>,
    /// `nonce`
    pub nonce: Option<String>,
    /// `code_challenge`
    pub code_challenge: Option<String>,
    /// `code_challenge_method`
    pub code_challenge_method: Option<String>,
    /// `prompt`
    pub prompt: Option<String>,
    /// `max_age`
    pub max_age: Option<String>,
    /// `login_hint`
    pub login_hint: Option<String>,
    /// `response_mode`
    pub response_mode: Option<String>,
    /// `id_token_hint`: an ID token this server issued, naming who should be signed in.
    pub id_token_hint: Option<String>,
    /// Not earlier than this sign-in (seconds since the epoch): set by this server when it
    /// sends the user to sign in again for `prompt=login` or `max_age`.
    #[serde(skip)]
    pub auth_after: Option<String>,
    /// `claims`: individual claims asked for (OpenID Connect Core §5.5), JSON.
    pub claims: Option<String>,
    /// `dpop_jkt`: the thumbprint of the DPoP key the code is bound to (RFC 9449 §10).
    pub dpop_jkt: Option<String>,
    /// `request`: a request object (OpenID Connect Core §6.1), answered `request_not_supported`.
    #[serde(skip)]
    pub request: Option<String>,
    /// `request_uri`: one made by the pushed authorization request endpoint (RFC 9126 §4).
    #[serde(skip)]
    pub request_uri: Option<String>,
    /// Names of parameters that appeared more than once (RFC 6749 §3.1: an error).
    #[serde(skip)]
    pub repeated: Vec<String>,
    /// Names of parameters longer than [`MAX_PARAM_LEN`].
    #[serde(skip)]
    pub oversized: Vec<String>,
}

/// A validated authorization request.
#[derive(Debug, Clone)]
pub struct AuthorizationRequest {
    /// The client.
    pub client: Client,
    /// The redirect URI as sent (matched against the registered ones).
    pub redirect_uri: String,
    /// The scopes asked for.
    pub scopes: Scopes,
    /// `state`, returned unchanged.
    pub state: Option<String>,
    /// `nonce`, put in the ID token.
    pub nonce: Option<String>,
    /// The S256 `code_challenge`.
    pub code_challenge: Option<String>,
    /// The DPoP key the code is bound to (RFC 9449 §10).
    pub dpop_jkt: Option<String>,
    /// `prompt=none`.
    pub prompt_none: bool,
    /// `prompt=login`.
    pub prompt_login: bool,
    /// `prompt=consent`.
    pub prompt_consent: bool,
    /// `max_age` in seconds.
    pub max_age: Option<i64>,
    /// `login_hint`.
    pub login_hint: Option<String>,
    /// The `sub` of a valid `id_token_hint`: with `prompt=none`, a session of anyone else is
    /// `login_required` (OpenID Connect Core §3.1.2.1).
    pub hint_sub: Option<String>,
    /// See [`AuthorizeParams::auth_after`].
    pub auth_after: Option<i64>,
    /// The pushed request it came from (RFC 9126), ended when the authorization ends.
    pub(crate) pushed: Option<Uuid>,
    /// Claims asked for one by one (the `claims` parameter).
    pub claims: RequestedClaims,
}

/// Why an authorization request failed.
#[derive(Debug)]
pub enum AuthorizeError {
    /// The client or the redirect URI cannot be trusted: tell the user, never redirect
    /// (RFC 6749 §4.1.2.1, first paragraph).
    Page(String),
    /// Send the error to the client's redirect URI (RFC 6749 §4.1.2.1).
    Redirect {
        /// Where.
        redirect_uri: String,
        /// The error.
        error: OAuthError,
        /// The request's `state`.
        state: Option<String>,
    },
}

/// What happens next for a valid request.
#[derive(Debug)]
pub enum Decision {
    /// The user must sign in (again, when `reauthenticate`).
    SignIn {
        /// True for `prompt=login` or an exceeded `max_age`: the existing session is too old.
        reauthenticate: bool,
    },
    /// Show the "Authorize app" screen.
    Consent,
    /// Issue the code now.
    Issue,
}

pub(super) fn one(p: &Option<String>) -> Option<&str> {
    p.as_deref().filter(|s| !s.is_empty())
}

impl AuthorizationRequest {
    /// The redirect carrying an error to the client.
    pub fn error(&self, code: ErrorCode, description: impl Into<String>) -> AuthorizeError {
        AuthorizeError::Redirect {
            redirect_uri: self.redirect_uri.clone(),
            error: OAuthError::new(code, description),
            state: self.state.clone(),
        }
    }

    /// What the person consents to: the scopes, and those of the claims asked for one by one.
    pub fn consent_scopes(&self) -> Scopes {
        self.scopes.union(&self.claims.scopes())
    }

    /// What to do for this request given the browser's session (`None`: not signed in, or
    /// signed in but with a step still owed) and whether the user has consented before.
    pub fn decide(
        &self,
        session: Option<&SessionInfo>,
        consented: bool,
        now: OffsetDateTime,
    ) -> Result<Decision, AuthorizeError> {
        let Some(session) = session else {
            if self.prompt_none {
                return Err(self.error(ErrorCode::LoginRequired, "the user is not signed in"));
            }
            return Ok(Decision::SignIn { reauthenticate: false });
        };
        if self.prompt_none && self.hint_sub.as_ref().is_some_and(|sub| *sub != session.user.id.to_string()) {
            return Err(self.error(ErrorCode::LoginRequired, "the signed-in user is not the one id_token_hint names"));
        }
        let auth_time = session.auth_time.unix_timestamp();
        let too_old = self.max_age.is_some_and(|max| now.unix_timestamp() - auth_time > max);
        let fresh_enough = self.auth_after.is_none_or(|after| auth_time >= after);
        if !fresh_enough || ((self.prompt_login || too_old) && self.auth_after.is_none()) {
            if self.prompt_none {
                return Err(self.error(ErrorCode::LoginRequired, "the user must sign in again"));
            }
            return Ok(Decision::SignIn { reauthenticate: true });
        }
        if self.client.first_party || (consented && !self.prompt_consent) {
            return Ok(Decision::Issue);
        }
        if self.prompt_none {
            return Err(self.error(ErrorCode::ConsentRequired, "the user has not authorized this application"));
        }
        Ok(Decision::Consent)
    }
}

/// Records, in the caller's transaction, that `user` lets `client` see `scopes`: the stored
/// consent becomes the union with what was granted before; when that is more than before, an
/// audit event says so (the authorization code and the device grant both come here).
pub(crate) async fn record_consent(
    tx: &mut crate::store::Tx,
    user: UserId,
    client: &Client,
    scopes: &Scopes,
    now: OffsetDateTime,
    meta: &RequestMeta,
) -> crate::error::Result<()> {
    let before = store::consent_scope(tx.db(), user, client.row_id).await?;
    let widened = before.as_deref().is_none_or(|s| !Scopes::from_stored(s).covers(scopes));
    let scope = before.map_or_else(|| scopes.clone(), |s| Scopes::from_stored(&s).union(scopes));
    store::upsert_consent(tx.db(), user, client.row_id, &scope.to_string(), now).await?;
    if widened {
        let details =
            serde_json::json!({ "client_id": client.client_id, "name": client.name, "scope": scope.to_string() });
        audit::record(tx.db(), now, AuditAction::AppAuthorized, Some(user), Some(user), meta, details).await?;
    }
    Ok(())
}

/// The redirect URI with `params` added to its query (RFC 6749 §4.1.2).
pub fn redirect_with(redirect_uri: &str, params: &[(&str, &str)]) -> String {
    match url::Url::parse(redirect_uri) {
        Ok(mut u) => {
            {
                let mut q = u.query_pairs_mut();
                for (k, v) in params {
                    q.append_pair(k, v);
                }
            }
            u.to_string()
        }
        Err(_) => redirect_uri.to_owned(),
    }
}

impl AuthorizeError {
    /// The URL to send the browser to, for a redirectable error (with `iss`, RFC 9207).
    pub fn redirect_url(&self, issuer: &str) -> Option<String> {
        match self {
            Self::Page(_) => None,
            Self::Redirect { redirect_uri, error, state } => {
                let mut params =
                    vec![("error", error.code.as_str()), ("error_description", error.description.as_str())];
                if let Some(s) = state {
                    params.push(("state", s.as_str()));
                }
                params.push(("iss", issuer));
                Some(redirect_with(redirect_uri, &params))
            }
        }
    }
}

impl Core {
    /// Validates an authorization request: the parameters themselves, or the ones the client
    /// pushed first when `request_uri` names a pushed request (RFC 9126 §4). The client and
    /// redirect URI are checked first: failures there are shown to the user; everything after
    /// goes back to the client.
    pub async fn validate_authorization(&self, p: &AuthorizeParams) -> Result<AuthorizationRequest, AuthorizeError> {
        match one(&p.request_uri) {
            Some(uri) if uri.starts_with(super::par::REQUEST_URI_PREFIX) => self.pushed_authorization(p, uri).await,
            _ => self.check_authorization(p, Channel::Front).await,
        }
    }

    /// Checks the parameters of an authorization request that came by `channel`.
    pub(super) async fn check_authorization(
        &self,
        p: &AuthorizeParams,
        channel: Channel,
    ) -> Result<AuthorizationRequest, AuthorizeError> {
        let page = |m: &str| AuthorizeError::Page(m.to_owned());
        for name in ["client_id", "redirect_uri"] {
            if p.repeated.iter().any(|r| r == name) || p.oversized.iter().any(|r| r == name) {
                return Err(page(&format!("The request's {name} is repeated or too long.")));
            }
        }
        let client_id =
            one(&p.client_id).ok_or_else(|| page("The request does not name an application (client_id)."))?;
        let client = match self.oauth_client(client_id).await {
            Ok(c) => c,
            Err(Error::NotFound) => return Err(page("The application asking you to sign in is not registered here.")),
            Err(e) => return Err(AuthorizeError::Page(format!("The request could not be checked ({}).", e.code()))),
        };
        let asked = one(&p.redirect_uri).ok_or_else(|| page("The request has no redirect_uri."))?;
        if client.matching_redirect_uri(asked).is_none() {
            return Err(page("The address the application asked to return to is not registered for it."));
        }
        let redirect_uri = asked.to_owned();
        let state = p.state.clone().filter(|s| !s.is_empty() && s.len() <= MAX_PARAM_LEN);
        let fail = |code: ErrorCode, d: &str| AuthorizeError::Redirect {
            redirect_uri: redirect_uri.clone(),
            error: OAuthError::new(code, d),
            state: state.clone(),
        };
        if let Some(name) = p.repeated.first() {
            return Err(fail(ErrorCode::InvalidRequest, &format!("parameter {name} is repeated")));
        }
        if let Some(name) = p.oversized.first() {
            return Err(fail(ErrorCode::InvalidRequest, &format!("parameter {name} is too long")));
        }
        if let Some((code, description)) = super::par::front_channel_refusal(&client, p, channel) {
            return Err(fail(code, description));
        }
        match one(&p.response_type) {
            Some("code") => {}
            Some(_) => return Err(fail(ErrorCode::UnsupportedResponseType, "only response_type=code is supported")),
            None => return Err(fail(ErrorCode::InvalidRequest, "response_type is required")),
        }
        if one(&p.response_mode).is_some_and(|m| m != "query") {
            return Err(fail(ErrorCode::InvalidRequest, "only response_mode=query is supported"));
        }
        if !client.allows(GrantType::AuthorizationCode) {
            return Err(fail(ErrorCode::UnauthorizedClient, "this client may not use the authorization code grant"));
        }
        let scopes = Scopes::parse_required(one(&p.scope).unwrap_or("")).map_err(|e| fail(e.code, &e.description))?;
        let code_challenge =
            challenge(p, client.kind == super::ClientKind::Public).map_err(|d| fail(ErrorCode::InvalidRequest, d))?;
        let prompts = prompts(p).map_err(|d| fail(ErrorCode::InvalidRequest, d))?;
        let prompt_none = prompts.contains(&"none");
        let hint_sub = match one(&p.id_token_hint) {
            None => None,
            Some(hint) => Some(
                self.hinted_subject(hint)
                    .await?
                    .ok_or_else(|| fail(ErrorCode::InvalidRequest, "id_token_hint is not an ID token issued here"))?,
            ),
        };
        let max_age = max_age(p).map_err(|d| fail(ErrorCode::InvalidRequest, d))?;
        Ok(AuthorizationRequest {
            redirect_uri: redirect_uri.clone(),
            scopes,
            state: state.clone(),
            nonce: p.nonce.clone().filter(|s| !s.is_empty()),
            code_challenge,
            dpop_jkt: dpop_jkt(p).map_err(|d| fail(ErrorCode::InvalidRequest, d))?,
            prompt_none,
            // max_age=0 is prompt=login (OpenID Connect Core errata): whole seconds since a
            // sign-in a moment ago would otherwise still be 0.
            prompt_login: prompts.contains(&"login") || max_age == Some(0),
            prompt_consent: prompts.contains(&"consent"),
            max_age,
            login_hint: p.login_hint.clone(),
            hint_sub,
            auth_after: self.reauthenticated_after(one(&p.auth_after), &client.client_id),
            pushed: None,
            claims: requested_claims(p).map_err(|e| fail(e.code, &e.description))?,
            client,
        })
    }

    /// The `sub` of `hint` when it is an ID token this server issued; `None` otherwise.
    async fn hinted_subject(&self, hint: &str) -> Result<Option<String>, AuthorizeError> {
        let claims = self
            .id_token_hint(hint)
            .await
            .map_err(|e| AuthorizeError::Page(format!("The request could not be checked ({}).", e.code())))?;
        Ok(claims.and_then(|c| c.get("sub").and_then(serde_json::Value::as_str).map(str::to_owned)))
    }

    /// True when the user has consented to at least these scopes for this client.
    pub async fn has_consented(&self, req: &AuthorizationRequest, session: &SessionInfo) -> OAuthResult<bool> {
        let mut conn = self.store().conn().await?;
        let stored = store::consent_scope(conn.db(), session.user.id, req.client.row_id).await?;
        Ok(stored.is_some_and(|s| Scopes::from_stored(&s).covers(&req.consent_scopes())))
    }

    /// Records the user's consent (the union with what was granted before) and issues a code.
    pub async fn consent_and_issue_code(
        &self,
        req: &AuthorizationRequest,
        session: &SessionInfo,
        meta: &RequestMeta,
    ) -> OAuthResult<String> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        record_consent(&mut tx, session.user.id, &req.client, &req.consent_scopes(), now, meta).await?;
        tx.commit().await?;
        self.issue_code(req, session).await
    }

    /// Issues a single-use authorization code (RFC 6749 §4.1.2) and returns the redirect URL
    /// with `code`, `state` and `iss` (RFC 9207).
    pub async fn issue_code(&self, req: &AuthorizationRequest, session: &SessionInfo) -> OAuthResult<String> {
        let now = self.clock().now();
        let code = new_token()?;
        let row = CodeRow {
            id: Uuid::now_v7(),
            code_hash: code.digest.as_bytes().to_vec(),
            client_id: req.client.row_id,
            user_id: session.user.id,
            session_id: Some(session.id),
            redirect_uri: req.redirect_uri.clone(),
            scope: req.scopes.to_string(),
            claims: req.claims.to_stored(),
            nonce: req.nonce.clone(),
            code_challenge: req.code_challenge.clone(),
            dpop_jkt: req.dpop_jkt.clone(),
            auth_time: session.auth_time,
            amr: session.amr.join(","),
            created_at: now,
            expires_at: now + CODE_TTL,
            used_at: None,
            grant_id: None,
        };
        let mut tx = self.store().begin().await?;
        super::par::finish_in(&mut tx, req, now).await?;
        store::insert_code(tx.db(), &row).await?;
        tx.commit().await?;
        let issuer = super::issuer(self);
        let secret = secrecy::ExposeSecret::expose_secret(&code.secret);
        let mut params = vec![("code", secret)];
        if let Some(s) = &req.state {
            params.push(("state", s.as_str()));
        }
        params.push(("iss", issuer.as_str()));
        Ok(redirect_with(&req.redirect_uri, &params))
    }
}
