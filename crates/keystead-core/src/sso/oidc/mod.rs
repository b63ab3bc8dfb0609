//! OpenID Connect relying party: discovery, the authorization request and the callback checks.
//! Pure functions and outbound HTTP over the caller's [`crate::outbound::client`]; storing the
//! connection, the pending sign-in and the discovered metadata is the caller's.
//!
//! A sign-in: [`discover`] (cached as JSON, [`refresh_keys`] on rotation) → [`begin`] (send the
//! browser to [`Begun::authorization_url`], keep `state`, `nonce` and `pkce_verifier` for this
//! browser) → the provider redirects back → [`Callback::from_params`] → [`finish`], which checks
//! the callback, exchanges the code and verifies the ID token into an [`AssertedIdentity`].

mod claims;
mod discovery;
mod error;
mod flow;
pub(in crate::sso) use flow::random_token;
pub(in crate::sso) mod http;
mod id_token;
mod tenant;
mod token;

use secrecy::SecretString;
use serde::{Deserialize, Serialize};

pub use claims::map_claims;
pub use discovery::{Discovered, discover, discover_multi_tenant, refresh_keys};
pub use error::{IdTokenCheck, OidcError};
pub use flow::{Begun, Callback, begin, check_callback, end_session_url};
pub use id_token::{VerifiedIdToken, verify_id_token};
pub use token::{Tokens, exchange};

use super::{AssertedIdentity, ClaimMapping};

/// How the client authenticates at the token endpoint (OpenID Connect Core §9).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenEndpointAuth {
    /// `client_secret_basic` unless the provider lists only `client_secret_post`.
    #[default]
    Auto,
    /// HTTP Basic with the client id and secret (RFC 6749 §2.3.1).
    ClientSecretBasic,
    /// The client id and secret in the form body.
    ClientSecretPost,
}

/// A connection's relying-party settings at one provider.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Our client id at the provider.
    pub client_id: String,
    /// Our client secret at the provider.
    pub client_secret: SecretString,
    /// Scopes to request; `openid` is always requested, whether listed or not.
    pub scopes: Vec<String>,
    /// Which claims carry the profile.
    pub mapping: ClaimMapping,
    /// How to authenticate at the token endpoint.
    pub token_endpoint_auth: TokenEndpointAuth,
    /// Further authorization request parameters (`prompt`, `domain_hint`, `hd`, …); the
    /// protocol's own parameters cannot be overridden.
    pub extra_authorize_params: Vec<(String, String)>,
}

impl Settings {
    /// Settings asking for `openid email profile`, standard claims, automatic client
    /// authentication and no extra parameters.
    pub fn new(client_id: impl Into<String>, client_secret: SecretString) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret,
            scopes: vec!["openid".into(), "email".into(), "profile".into()],
            mapping: ClaimMapping::oidc_default(),
            token_endpoint_auth: TokenEndpointAuth::Auto,
            extra_authorize_params: Vec::new(),
        }
    }
}

/// Completes a sign-in from the provider's redirect: checks `state` and the RFC 9207 `iss`
/// parameter ([`check_callback`]), exchanges the code with the PKCE verifier ([`exchange`]),
/// verifies the ID token ([`verify_id_token`]; when its `kid` is unknown the key set is fetched
/// again once, so `d` may change and should then be stored again) and maps its claims, reading
/// userinfo when the ID token carries no email ([`map_claims`]). `now` is the caller's clock.
#[expect(clippy::too_many_arguments, reason = "the pieces of one sign-in, each kept by a different party")]
pub async fn finish(
    http: &reqwest::Client,
    d: &mut Discovered,
    s: &Settings,
    redirect_uri: &url::Url,
    callback: &Callback,
    expected_state: &str,
    nonce: &str,
    pkce_verifier: &str,
    now: time::OffsetDateTime,
) -> Result<AssertedIdentity, OidcError> {
    check_callback(d, callback, expected_state)?;
    let tokens = exchange(http, d, s, redirect_uri, &callback.code, pkce_verifier).await?;
    let verified = match verify_id_token(d, &s.client_id, &tokens.id_token, nonce, now) {
        Err(e) if e.id_token_check() == Some(IdTokenCheck::Key) => {
            refresh_keys(http, d).await?;
            verify_id_token(d, &s.client_id, &tokens.id_token, nonce, now)?
        }
        other => other?,
    };
    let userinfo = if claims::has_email(&verified, &s.mapping) {
        None
    } else {
        claims::fetch_userinfo(http, d, &tokens.access_token, verified.subject()).await?
    };
    Ok(map_claims(&verified, userinfo.as_ref(), &s.mapping))
}
