//! Logout: RP-initiated (OpenID Connect RP-Initiated Logout 1.0) and back-channel logout tokens
//! (OpenID Connect Back-Channel Logout 1.0) sent through the job queue with retries.

use serde_json::{Value, json};

use super::clients::Client;
use super::{ErrorCode, OAuthError, OAuthResult, SigningAlg, epoch};
use crate::Core;
use crate::error::Result;
use crate::ids::SessionId;
use crate::jobs::{self, JobError, Queue};
use crate::store::Tx;
use crate::store::oauth as store;

/// The event a logout token carries (Back-Channel Logout §2.4).
const BACKCHANNEL_EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";
/// Attempts to deliver a logout token before giving up.
const LOGOUT_ATTEMPTS: u32 = 8;

/// A validated end-session request (RP-Initiated Logout §2).
#[derive(Debug, Clone)]
pub struct EndSession {
    /// The client named by `id_token_hint` or `client_id`.
    pub client: Option<Client>,
    /// Where to send the browser afterwards, with `state` (only a registered URI).
    pub redirect: Option<String>,
    /// The `sid` of the hinted ID token.
    pub sid: Option<String>,
    /// The `sub` of the hinted ID token.
    pub sub: Option<String>,
}

impl Core {
    /// The claims of an ID token this server issued (its signature checked; expired is fine:
    /// a hint names someone, it grants nothing), or `None` for anything else (an access token too).
    pub(crate) async fn id_token_hint(
        &self,
        hint: &str,
    ) -> crate::error::Result<Option<serde_json::Map<String, Value>>> {
        Ok(self.verify_own_jwt(hint).await?.filter(|v| v.typ.as_deref() != Some("at+jwt")).map(|v| v.claims))
    }

    /// Validates an end-session request. `id_token_hint` must be an ID token this server issued
    /// (expired is fine: §2); a `post_logout_redirect_uri` must be registered for the client.
    pub async fn end_session_request(
        &self,
        id_token_hint: Option<&str>,
        client_id: Option<&str>,
        post_logout_redirect_uri: Option<&str>,
        state: Option<&str>,
    ) -> OAuthResult<EndSession> {
        let bad = |d: &str| OAuthError::new(ErrorCode::InvalidRequest, d);
        let (mut sid, mut sub, mut aud) = (None, None, None);
        if let Some(hint) = id_token_hint.filter(|h| !h.is_empty()) {
            let c =
                self.id_token_hint(hint).await?.ok_or_else(|| bad("id_token_hint is not an ID token issued here"))?;
            sid = c.get("sid").and_then(Value::as_str).map(str::to_owned);
            sub = c.get("sub").and_then(Value::as_str).map(str::to_owned);
            aud = c.get("aud").and_then(Value::as_str).map(str::to_owned);
        }
        if let (Some(a), Some(c)) = (&aud, client_id)
            && a != c
        {
            return Err(bad("client_id does not match the id_token_hint"));
        }
        let client = match aud.as_deref().or(client_id) {
            Some(id) => Some(self.oauth_client(id).await.map_err(|_| bad("unknown client"))?),
            None => None,
        };
        let redirect = match post_logout_redirect_uri.filter(|u| !u.is_empty()) {
            None => None,
            Some(uri) => {
                let Some(c) = &client else {
                    return Err(bad("post_logout_redirect_uri needs id_token_hint or client_id"));
                };
                if !c.allows_post_logout_redirect(uri) {
                    return Err(bad("post_logout_redirect_uri is not registered for this client"));
                }
                let params: Vec<(&str, &str)> =
                    state.filter(|s| !s.is_empty()).map(|s| ("state", s)).into_iter().collect();
                Some(super::authorize::redirect_with(uri, &params))
            }
        };
        Ok(EndSession { client, redirect, sid, sub })
    }
}

/// Called in the transaction that ends a browser session: queues a back-channel logout token
/// for each client that registered a `backchannel_logout_uri` and holds a grant from that
/// session, and revokes those grants that lack `offline_access` (Back-Channel Logout §2.7).
pub(crate) async fn session_ended(core: &Core, tx: &mut Tx, session: SessionId) -> Result<()> {
    let now = core.clock().now();
    let grants = store::grants_of_session(tx.db(), session).await?;
    let mut notified = Vec::new();
    for g in &grants {
        if !super::scopes::Scopes::from_stored(&g.scope).has("offline_access") {
            store::revoke_grant(tx.db(), g.id, now).await?;
        }
        if notified.contains(&g.client_id) {
            continue;
        }
        notified.push(g.client_id);
        let client = Client::from(store::client_by_row_id(tx.db(), g.client_id).await?);
        if let Some(uri) = client.backchannel_logout_uri {
            let payload = json!({
                "uri": uri,
                "client_id": client.client_id,
                "sub": g.user_id.to_string(),
                "sid": session.to_string(),
            });
            jobs::enqueue(tx, Queue::BackchannelLogout, &payload, LOGOUT_ATTEMPTS, now).await?;
        }
    }
    Ok(())
}

/// An error with its causes (reqwest's own message hides why a connection failed).
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Delivers one logout token (Back-Channel Logout §2.5): signed at delivery, POSTed as
/// `logout_token`, redirects not followed, only to public addresses unless the deployment
/// allows private networks ([`crate::outbound`]). 2xx is done; 4xx other than 429 is permanent.
pub(crate) async fn deliver(core: &Core, payload: &Value) -> std::result::Result<(), JobError> {
    let field = |k: &str| payload.get(k).and_then(Value::as_str).map(str::to_owned);
    let (Some(uri), Some(client_id), Some(sub), Some(sid)) =
        (field("uri"), field("client_id"), field("sub"), field("sid"))
    else {
        return Err(JobError::Permanent("malformed logout payload".into()));
    };
    let now = core.clock().now();
    let claims = json!({
        "iss": super::issuer(core),
        "aud": client_id,
        "iat": epoch(now),
        "exp": epoch(now + time::Duration::minutes(2)),
        "jti": uuid::Uuid::now_v7().to_string(),
        "sub": sub,
        "sid": sid,
        "events": { BACKCHANNEL_EVENT: {} },
    });
    let token = core
        .sign_jwt(SigningAlg::Rs256, "logout+jwt", &claims)
        .await
        .map_err(|e| JobError::Transient(format!("signing the logout token: {e}")))?;
    let allow_private = core.config().outbound.allow_private_networks;
    if let Some(why) = crate::outbound::refusal(&uri, allow_private) {
        return Err(JobError::Permanent(format!("POST {uri}: {why}")));
    }
    let http = crate::outbound::client(allow_private, std::time::Duration::from_secs(10))
        .map_err(|e| JobError::Transient(format!("{e:#}")))?;
    let response = http
        .post(&uri)
        .form(&[("logout_token", token.as_str())])
        .send()
        .await
        .map_err(|e| JobError::Transient(format!("POST {uri}: {}", error_chain(&e))))?;
    let status = response.status();
    if status.is_success() {
        Ok(())
    } else if status.is_client_error() && status.as_u16() != 429 {
        Err(JobError::Permanent(format!("POST {uri}: {status}")))
    } else {
        Err(JobError::Transient(format!("POST {uri}: {status}")))
    }
}
