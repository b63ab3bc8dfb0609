//! The back-channel leg: the authorization code exchanged at the token endpoint (OpenID
//! Connect Core §3.1.3, RFC 6749 §4.1.3, RFC 7636 §4.5).

use openidconnect::core::{CoreClient, CoreTokenResponse};
use openidconnect::{
    AuthType, AuthorizationCode, ClientId, ClientSecret, IssuerUrl, OAuth2TokenResponse as _, PkceCodeVerifier,
    RedirectUrl, RequestTokenError, TokenResponse as _, TokenUrl,
};
use secrecy::{ExposeSecret as _, SecretString};

use super::http::{adapter, describe_http};
use super::{Discovered, OidcError, Settings, TokenEndpointAuth};

/// What the token endpoint issued.
pub struct Tokens {
    /// The ID token as received, not verified yet (see [`super::verify_id_token`]).
    pub id_token: String,
    /// The access token, for the userinfo endpoint only.
    pub access_token: SecretString,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens").finish_non_exhaustive()
    }
}

/// The client authentication to use: the configured one, or with [`TokenEndpointAuth::Auto`]
/// `client_secret_basic` (the default of OpenID Connect Discovery §3) unless the provider lists
/// `client_secret_post` and not `client_secret_basic`.
pub(super) fn auth_type(d: &Discovered, s: &Settings) -> AuthType {
    match s.token_endpoint_auth {
        TokenEndpointAuth::ClientSecretBasic => AuthType::BasicAuth,
        TokenEndpointAuth::ClientSecretPost => AuthType::RequestBody,
        TokenEndpointAuth::Auto => match d.token_endpoint_auth_methods() {
            Some(methods)
                if methods.iter().any(|m| m == "client_secret_post")
                    && !methods.iter().any(|m| m == "client_secret_basic") =>
            {
                AuthType::RequestBody
            }
            _ => AuthType::BasicAuth,
        },
    }
}

/// Exchanges the authorization `code` with the PKCE verifier, authenticating as the client.
/// A refusal carries the provider's `error` code ([`OidcError::TokenRefused`]); a response
/// without an ID token is [`OidcError::BadTokenResponse`].
pub async fn exchange(
    http: &reqwest::Client,
    d: &Discovered,
    s: &Settings,
    redirect_uri: &url::Url,
    code: &str,
    pkce_verifier: &str,
) -> Result<Tokens, OidcError> {
    let token_url = d.token_endpoint().ok_or_else(|| OidcError::BadDiscovery("no token_endpoint".into()))?;
    let issuer = IssuerUrl::new(d.issuer().to_owned()).map_err(|e| OidcError::BadDiscovery(e.to_string()))?;
    let client = CoreClient::new(ClientId::new(s.client_id.clone()), issuer, d.jwks().clone())
        .set_client_secret(ClientSecret::new(s.client_secret.expose_secret().to_owned()))
        .set_token_uri(TokenUrl::from_url(token_url.clone()))
        .set_redirect_uri(RedirectUrl::from_url(redirect_uri.clone()))
        .set_auth_type(auth_type(d, s));
    let send = adapter(http);
    let response: CoreTokenResponse = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_owned()))
        .request_async(&send)
        .await
        .map_err(|e| refusal(e, token_url))?;
    let id_token = response
        .id_token()
        .map(ToString::to_string)
        .ok_or_else(|| OidcError::BadTokenResponse("no id_token (was the openid scope granted?)".into()))?;
    Ok(Tokens { id_token, access_token: SecretString::from(response.access_token().secret().to_owned()) })
}

/// The token endpoint's failure as an [`OidcError`], without the response body (it may hold
/// tokens).
fn refusal(
    e: RequestTokenError<
        super::http::HttpError,
        openidconnect::StandardErrorResponse<openidconnect::core::CoreErrorResponseType>,
    >,
    url: &url::Url,
) -> OidcError {
    match e {
        RequestTokenError::ServerResponse(r) => OidcError::TokenRefused {
            error: r.error().as_ref().to_owned(),
            description: r.error_description().cloned(),
        },
        RequestTokenError::Request(e) => OidcError::Unreachable { url: url.to_string(), reason: describe_http(&e) },
        RequestTokenError::Parse(e, _) => {
            let path = e.path().to_string();
            if path.starts_with("id_token") {
                OidcError::id_token(super::IdTokenCheck::Malformed, e.inner().to_string())
            } else {
                OidcError::BadTokenResponse(format!("unreadable at {path}: {}", e.inner()))
            }
        }
        RequestTokenError::Other(why) => OidcError::BadTokenResponse(why),
    }
}
