//! Social sign-in presets (`social.google.*`, `social.microsoft.*`, `social.github.*`): a
//! client id and secret turn a preset on; its endpoints have the provider's defaults and may be
//! pointed elsewhere (a test stand-in, a GitHub Enterprise server).

use secrecy::SecretString;
use url::Url;

use super::reader::Reader;

/// The social sign-in presets that are configured.
#[derive(Debug, Clone, Default)]
pub struct SocialConfig {
    /// Google (OpenID Connect).
    pub google: Option<SocialOidc>,
    /// Microsoft accounts and any Entra ID tenant (OpenID Connect, the `common` tenant).
    pub microsoft: Option<SocialOidc>,
    /// GitHub (OAuth 2.0 and its user API).
    pub github: Option<SocialGithub>,
}

/// An OpenID Connect preset.
#[derive(Debug, Clone)]
pub struct SocialOidc {
    /// Our client id there.
    pub client_id: String,
    /// Our client secret there.
    pub client_secret: SecretString,
    /// The issuer whose discovery is read (`social.<preset>.issuer`).
    pub issuer: Url,
}

/// The GitHub preset.
#[derive(Debug, Clone)]
pub struct SocialGithub {
    /// Our OAuth app's client id.
    pub client_id: String,
    /// Our OAuth app's client secret.
    pub client_secret: SecretString,
    /// `social.github.authorize_url` (default `https://github.com/login/oauth/authorize`).
    pub authorize_url: Url,
    /// `social.github.token_url` (default `https://github.com/login/oauth/access_token`).
    pub token_url: Url,
    /// `social.github.api_url` (default `https://api.github.com/`): `user` and `user/emails`.
    pub api_url: Url,
}

fn url_setting(r: &mut Reader, key: &str, default: &str) -> Option<Url> {
    r.parsed(key, |s| {
        let url = Url::parse(s.trim()).map_err(|e| format!("expected an absolute http(s) URL: {e}"))?;
        if matches!(url.scheme(), "http" | "https") && url.has_host() {
            Ok(url)
        } else {
            Err("expected an absolute http:// or https:// URL".into())
        }
    })
    .or_else(|| Url::parse(default).ok())
}

/// The client id and secret of a preset, or `None` when it is not configured. One without the
/// other is an error naming the missing key.
fn credentials(r: &mut Reader, preset: &str) -> Option<(String, SecretString)> {
    let id_key = format!("social.{preset}.client_id");
    let secret_key = format!("social.{preset}.client_secret");
    let id = r.opt_string(&id_key);
    let secret = r.opt_string(&secret_key);
    match (id, secret) {
        (Some(id), Some(secret)) => Some((id.trim().to_owned(), SecretString::from(secret.trim().to_owned()))),
        (None, None) => None,
        (Some(_), None) => {
            r.error(&secret_key, format!("set it too, or remove {id_key}"));
            None
        }
        (None, Some(_)) => {
            r.error(&id_key, format!("set it too, or remove {secret_key}"));
            None
        }
    }
}

pub(super) fn read_social(r: &mut Reader) -> SocialConfig {
    let google_issuer = url_setting(r, "social.google.issuer", "https://accounts.google.com");
    let microsoft_issuer = url_setting(r, "social.microsoft.issuer", "https://login.microsoftonline.com/common/v2.0");
    let authorize_url = url_setting(r, "social.github.authorize_url", "https://github.com/login/oauth/authorize");
    let token_url = url_setting(r, "social.github.token_url", "https://github.com/login/oauth/access_token");
    let api_url = url_setting(r, "social.github.api_url", "https://api.github.com/");
    SocialConfig {
        google: credentials(r, "google").zip(google_issuer).map(|((client_id, client_secret), issuer)| SocialOidc {
            client_id,
            client_secret,
            issuer,
        }),
        microsoft: credentials(r, "microsoft")
            .zip(microsoft_issuer)
            .map(|((client_id, client_secret), issuer)| SocialOidc { client_id, client_secret, issuer }),
        github: credentials(r, "github").zip(authorize_url.zip(token_url).zip(api_url)).map(
            |((client_id, client_secret), ((authorize_url, token_url), api_url))| SocialGithub {
                client_id,
                client_secret,
                authorize_url,
                token_url,
                api_url,
            },
        ),
    }
}
