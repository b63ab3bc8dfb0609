//! The browser legs: the authorization request (code flow with PKCE, OpenID Connect Core
//! §3.1.2.1, RFC 7636), the checks of the redirect back (RFC 6749 §4.1.2, RFC 9207) and
//! RP-initiated logout (RP-Initiated Logout 1.0 §2).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient};
use openidconnect::{
    AuthUrl, ClientId, CsrfToken, IssuerUrl, LoginHint, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
};
use subtle::ConstantTimeEq as _;

use super::{Discovered, OidcError, Settings};

/// An authorization request ready to send the browser to. Keep `state`, `nonce` and
/// `pkce_verifier` with this browser's pending sign-in (server-side or sealed); they are needed
/// by [`super::finish`] and must never reach the provider or another browser.
#[derive(Clone)]
pub struct Begun {
    /// Where to redirect the browser.
    pub authorization_url: url::Url,
    /// The `state` sent (256 random bits).
    pub state: String,
    /// The `nonce` sent (256 random bits).
    pub nonce: String,
    /// The PKCE code verifier whose S256 challenge was sent (256 random bits).
    pub pkce_verifier: String,
}

impl std::fmt::Debug for Begun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Begun")
            .field("authorization_url", &self.authorization_url.as_str())
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

/// Parameters [`begin`] sets itself, which extra parameters may not override.
const RESERVED: [&str; 9] = [
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "login_hint",
];

/// 256 random bits, URL-safe base64 (43 characters).
pub(in crate::sso) fn random_token() -> Result<String, OidcError> {
    let mut raw = [0u8; 32];
    crate::crypto::random_bytes(&mut raw).map_err(|e| OidcError::InvalidSettings(e.to_string()))?;
    Ok(URL_SAFE_NO_PAD.encode(raw))
}

/// Builds the authorization request (OpenID Connect Core §3.1.2.1): `response_type=code`, the
/// scopes with `openid` first, fresh `state` and `nonce`, a PKCE S256 challenge (RFC 7636 §4.2),
/// the optional `login_hint`, then the connection's extra parameters.
pub fn begin(
    d: &Discovered,
    s: &Settings,
    redirect_uri: &url::Url,
    login_hint: Option<&str>,
) -> Result<Begun, OidcError> {
    if s.client_id.is_empty() {
        return Err(OidcError::InvalidSettings("the client id is empty".into()));
    }
    if let Some(scope) = s.scopes.iter().find(|sc| sc.is_empty() || sc.chars().any(|c| c.is_whitespace())) {
        return Err(OidcError::InvalidSettings(format!("{scope:?} is not a single scope")));
    }
    if let Some((name, _)) = s.extra_authorize_params.iter().find(|(n, _)| RESERVED.contains(&n.as_str())) {
        return Err(OidcError::InvalidSettings(format!("the parameter {name} is set by the sign-in itself")));
    }
    let issuer = IssuerUrl::new(d.issuer().to_owned()).map_err(|e| OidcError::BadDiscovery(e.to_string()))?;
    let client = CoreClient::new(ClientId::new(s.client_id.clone()), issuer, d.jwks().clone())
        .set_auth_uri(AuthUrl::from_url(d.authorization_endpoint().clone()))
        .set_redirect_uri(RedirectUrl::from_url(redirect_uri.clone()));
    let (state, nonce, verifier) = (random_token()?, random_token()?, random_token()?);
    let challenge = PkceCodeChallenge::from_code_verifier_sha256(&PkceCodeVerifier::new(verifier.clone()));
    let (state_sent, nonce_sent) = (state.clone(), nonce.clone());
    let mut request = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            move || CsrfToken::new(state_sent),
            move || Nonce::new(nonce_sent),
        )
        .add_scopes(s.scopes.iter().filter(|sc| *sc != "openid").map(|sc| Scope::new(sc.clone())))
        .set_pkce_challenge(challenge);
    if let Some(hint) = login_hint.filter(|h| !h.is_empty()) {
        request = request.set_login_hint(LoginHint::new(hint.to_owned()));
    }
    for (name, value) in &s.extra_authorize_params {
        request = request.add_extra_param(name.clone(), value.clone());
    }
    let (authorization_url, _, _) = request.url();
    Ok(Begun { authorization_url, state, nonce, pkce_verifier: verifier })
}

/// The provider's redirect back (RFC 6749 §4.1.2), from the query or a `form_post` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callback {
    /// The authorization code.
    pub code: String,
    /// The `state` returned.
    pub state: String,
    /// The `iss` parameter (RFC 9207 §2), when sent.
    pub iss: Option<String>,
}

impl Callback {
    /// Reads the redirect's parameters. An `error` parameter becomes [`OidcError::IdpError`]
    /// (RFC 6749 §4.1.2.1); a missing `code` or `state` is [`OidcError::MalformedCallback`].
    pub fn from_params<I, K, V>(params: I) -> Result<Self, OidcError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let (mut code, mut state, mut iss, mut error, mut description) = (None, None, None, None, None);
        for (k, v) in params {
            let slot = match k.as_ref() {
                "code" => &mut code,
                "state" => &mut state,
                "iss" => &mut iss,
                "error" => &mut error,
                "error_description" => &mut description,
                _ => continue,
            };
            slot.get_or_insert_with(|| v.as_ref().to_owned());
        }
        if let Some(error) = error {
            return Err(OidcError::IdpError { error, description });
        }
        let code = code.filter(|c| !c.is_empty()).ok_or(OidcError::MalformedCallback("code"))?;
        let state = state.filter(|s| !s.is_empty()).ok_or(OidcError::MalformedCallback("state"))?;
        Ok(Self { code, state, iss })
    }
}

/// Checks the redirect belongs to this browser's sign-in at this provider: `state` equals the
/// one sent (compared in constant time), and the `iss` parameter (RFC 9207 §2.4) is the issuer:
/// required when the provider advertises it, and checked whenever present.
pub fn check_callback(d: &Discovered, callback: &Callback, expected_state: &str) -> Result<(), OidcError> {
    let same = !expected_state.is_empty() && bool::from(callback.state.as_bytes().ct_eq(expected_state.as_bytes()));
    if !same {
        return Err(OidcError::StateMismatch);
    }
    let mismatch = || OidcError::IssParameterMismatch { expected: d.issuer().to_owned(), found: callback.iss.clone() };
    match &callback.iss {
        Some(iss) if !d.is_issuer(iss) => Err(mismatch()),
        None if d.iss_parameter_supported() => Err(mismatch()),
        _ => Ok(()),
    }
}

/// Where to send the browser to end its session at the provider (RP-Initiated Logout 1.0
/// §2): the `end_session_endpoint` with `id_token_hint`, `client_id` and the optional
/// `post_logout_redirect_uri` (registered at the provider). `None` when the provider has no
/// such endpoint.
pub fn end_session_url(
    d: &Discovered,
    client_id: &str,
    id_token_hint: &str,
    post_logout_redirect_uri: Option<&url::Url>,
) -> Option<url::Url> {
    let mut url = d.end_session_endpoint()?;
    {
        let mut query = url.query_pairs_mut();
        if !id_token_hint.is_empty() {
            query.append_pair("id_token_hint", id_token_hint);
        }
        query.append_pair("client_id", client_id);
        if let Some(uri) = post_logout_redirect_uri {
            query.append_pair("post_logout_redirect_uri", uri.as_str());
        }
    }
    Some(url)
}

#[cfg(test)]
#[path = "flow_tests.rs"]
mod tests;
