//! Signing in with GitHub, which is an OAuth 2.0 server and not an OpenID provider: the code
//! flow with PKCE through `oauth2`, then the user API (`GET /user`, `GET /user/emails`) for who
//! the person is. GitHub's account id is the subject; the address is the primary one when it is
//! verified, else the first verified one (GitHub says which addresses it verified).

use oauth2::basic::{BasicClient, BasicErrorResponseType};
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, RequestTokenError, Scope, StandardErrorResponse, TokenResponse as _, TokenUrl,
};
use secrecy::{ExposeSecret as _, SecretString};
use serde::Deserialize;

use super::AssertedIdentity;
use super::oidc::http::{adapter, describe_http, send};
use super::oidc::{Begun, OidcError, random_token};
use crate::config::SocialGithub;

/// The scopes asked for: the profile and the email addresses, nothing that writes.
const SCOPES: [&str; 2] = ["read:user", "user:email"];

/// The API version the answers are read as.
const API_VERSION: &str = "2022-11-28";

/// The authorization request: `state`, the PKCE S256 challenge and the scopes. `nonce` is
/// empty (OAuth 2.0 has none).
pub fn begin(cfg: &SocialGithub, redirect_uri: &url::Url) -> Result<Begun, OidcError> {
    let (state, verifier) = (random_token()?, random_token()?);
    let challenge = PkceCodeChallenge::from_code_verifier_sha256(&PkceCodeVerifier::new(verifier.clone()));
    let client = BasicClient::new(ClientId::new(cfg.client_id.clone()))
        .set_auth_uri(AuthUrl::from_url(cfg.authorize_url.clone()))
        .set_redirect_uri(RedirectUrl::from_url(redirect_uri.clone()));
    let sent = state.clone();
    let (authorization_url, _) = client
        .authorize_url(move || CsrfToken::new(sent))
        .add_scopes(SCOPES.iter().map(|s| Scope::new((*s).to_owned())))
        .set_pkce_challenge(challenge)
        .url();
    Ok(Begun { authorization_url, state, nonce: String::new(), pkce_verifier: verifier })
}

/// `GET /user`.
#[derive(Debug, Deserialize)]
struct User {
    id: u64,
    login: String,
    name: Option<String>,
}

/// One entry of `GET /user/emails`.
#[derive(Debug, Deserialize)]
struct Email {
    email: String,
    #[serde(default)]
    primary: bool,
    #[serde(default)]
    verified: bool,
}

/// Exchanges the code (with the PKCE verifier), then reads who signed in from the user API.
pub async fn finish(
    http: &reqwest::Client,
    cfg: &SocialGithub,
    redirect_uri: &url::Url,
    code: &str,
    pkce_verifier: &str,
) -> Result<AssertedIdentity, OidcError> {
    if code.is_empty() {
        return Err(OidcError::MalformedCallback("code"));
    }
    let client = BasicClient::new(ClientId::new(cfg.client_id.clone()))
        .set_client_secret(ClientSecret::new(cfg.client_secret.expose_secret().to_owned()))
        .set_token_uri(TokenUrl::from_url(cfg.token_url.clone()))
        .set_redirect_uri(RedirectUrl::from_url(redirect_uri.clone()))
        .set_auth_type(AuthType::RequestBody);
    let send_token = adapter(http);
    let response = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_owned()))
        .request_async(&send_token)
        .await
        .map_err(|e| refusal(e, &cfg.token_url))?;
    let token = SecretString::from(response.access_token().secret().to_owned());
    let user: User = api_get(http, cfg, "user", &token).await?;
    let emails: Vec<Email> = api_get(http, cfg, "user/emails", &token).await?;
    Ok(identity(cfg, user, &emails))
}

/// The person as [`AssertedIdentity`]: GitHub (its origin) as issuer, the numeric account id
/// as subject (logins can be renamed and reused), the chosen address and the name split once.
fn identity(cfg: &SocialGithub, user: User, emails: &[Email]) -> AssertedIdentity {
    let chosen = emails
        .iter()
        .find(|e| e.primary && e.verified)
        .or_else(|| emails.iter().find(|e| e.verified))
        .or_else(|| emails.iter().find(|e| e.primary));
    let name = user.name.as_deref().map(str::trim).filter(|n| !n.is_empty()).unwrap_or(&user.login);
    let (given, family) = match name.split_once(' ') {
        Some((g, f)) => (g.to_owned(), Some(f.trim().to_owned()).filter(|f| !f.is_empty())),
        None => (name.to_owned(), None),
    };
    AssertedIdentity {
        issuer: cfg.authorize_url.origin().ascii_serialization(),
        subject: user.id.to_string(),
        email: chosen.map(|e| e.email.clone()),
        email_verified: chosen.is_some_and(|e| e.verified),
        given_name: Some(given),
        family_name: family,
        ..AssertedIdentity::default()
    }
}

/// GETs `path` under the API URL as the signed-in user.
async fn api_get<T: serde::de::DeserializeOwned>(
    http: &reqwest::Client,
    cfg: &SocialGithub,
    path: &str,
    token: &SecretString,
) -> Result<T, OidcError> {
    let mut base = cfg.api_url.clone();
    if !base.path().ends_with('/') {
        base.set_path(&format!("{}/", base.path()));
    }
    let url = base.join(path).map_err(|e| OidcError::InvalidSettings(e.to_string()))?;
    let request = http
        .get(url.clone())
        .bearer_auth(token.expose_secret())
        .header(reqwest::header::ACCEPT, "application/vnd.github+json")
        .header(reqwest::header::USER_AGENT, concat!("Keystead/", env!("CARGO_PKG_VERSION")))
        .header("X-GitHub-Api-Version", API_VERSION);
    let answer = send(request, url.as_str()).await?;
    if !answer.status.is_success() {
        return Err(OidcError::Userinfo(format!("GET {path} answered HTTP {}", answer.status.as_u16())));
    }
    serde_json::from_slice(&answer.body).map_err(|e| OidcError::Userinfo(format!("GET {path}: {e}")))
}

/// The token endpoint's failure. GitHub answers a refused code with HTTP 200 and an `error`
/// object, which `oauth2` reads as an unparsable token response: the body is read again as an
/// error response (RFC 6749 §5.2) before giving up.
fn refusal(
    e: RequestTokenError<super::oidc::http::HttpError, StandardErrorResponse<BasicErrorResponseType>>,
    url: &url::Url,
) -> OidcError {
    match e {
        RequestTokenError::ServerResponse(r) => OidcError::TokenRefused {
            error: r.error().as_ref().to_owned(),
            description: r.error_description().cloned(),
        },
        RequestTokenError::Request(e) => OidcError::Unreachable { url: url.to_string(), reason: describe_http(&e) },
        RequestTokenError::Parse(e, body) => {
            match serde_json::from_slice::<StandardErrorResponse<BasicErrorResponseType>>(&body) {
                Ok(r) => OidcError::TokenRefused {
                    error: r.error().as_ref().to_owned(),
                    description: r.error_description().cloned(),
                },
                Err(_) => OidcError::BadTokenResponse(format!("unreadable at {}: {}", e.path(), e.inner())),
            }
        }
        RequestTokenError::Other(why) => OidcError::BadTokenResponse(why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> SocialGithub {
        SocialGithub {
            client_id: "gh-client".into(),
            client_secret: SecretString::from("gh-secret"),
            authorize_url: url::Url::parse("https://github.com/login/oauth/authorize").unwrap(),
            token_url: url::Url::parse("https://github.com/login/oauth/access_token").unwrap(),
            api_url: url::Url::parse("https://api.github.com/").unwrap(),
        }
    }

    fn email(address: &str, primary: bool, verified: bool) -> Email {
        Email { email: address.into(), primary, verified }
    }

    fn user(name: Option<&str>) -> User {
        User { id: 583231, login: "octocat".into(), name: name.map(str::to_owned) }
    }

    #[test]
    fn the_request_asks_for_the_profile_and_addresses_with_pkce() {
        let redirect = url::Url::parse("https://accounts.example/sso/oidc/callback").unwrap();
        let begun = begin(&config(), &redirect).unwrap();
        let params: std::collections::HashMap<_, _> = begun.authorization_url.query_pairs().into_owned().collect();
        assert_eq!(params["client_id"], "gh-client");
        assert_eq!(params["scope"], "read:user user:email");
        assert_eq!(params["state"], begun.state);
        assert_eq!(params["code_challenge_method"], "S256");
        assert_eq!(params["redirect_uri"], redirect.as_str());
        assert!(begun.nonce.is_empty() && begun.pkce_verifier.len() == 43);
    }

    #[test]
    fn the_primary_verified_address_is_chosen_and_an_unverified_one_is_never_called_verified() {
        let all = [email("old@example.com", false, true), email("cat@github.example", true, true)];
        let id = identity(&config(), user(Some("The Octocat")), &all);
        assert_eq!((id.issuer.as_str(), id.subject.as_str()), ("https://github.com", "583231"));
        assert_eq!(id.email.as_deref(), Some("cat@github.example"));
        assert!(id.email_verified);
        assert_eq!((id.given_name.as_deref(), id.family_name.as_deref()), (Some("The"), Some("Octocat")));

        let unverified_primary = [email("new@example.com", true, false), email("old@example.com", false, true)];
        let id = identity(&config(), user(None), &unverified_primary);
        assert_eq!(id.email.as_deref(), Some("old@example.com"), "a verified one over an unverified primary");
        assert_eq!(id.given_name.as_deref(), Some("octocat"), "the login stands in for a missing name");

        let id = identity(&config(), user(Some("Cat")), &[email("new@example.com", true, false)]);
        assert_eq!(id.email.as_deref(), Some("new@example.com"));
        assert!(!id.email_verified);
        assert!(identity(&config(), user(None), &[]).email.is_none());
    }
}
