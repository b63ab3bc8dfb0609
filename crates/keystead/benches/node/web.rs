//! The HTTP steps the benchmark takes as a person or an application would: sign in with a
//! password, and get an access token through the authorization-code flow.

use anyhow::{Context as _, ensure};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};

use super::process::Node;

pub const PASSWORD: &str = "velvet harbour kettle mosaic 1843";
pub const REDIRECT_URI: &str = "https://app.example/cb";

/// One person signing in again and again: the CSRF cookie and token are fetched once and sent by
/// hand (a successful sign-in replaces the cookie in a cookie store).
pub struct SignInLoop {
    http: reqwest::Client,
    url: String,
    cookie: String,
    form: Vec<(&'static str, String)>,
}

impl SignInLoop {
    pub async fn new(node: &Node, email: &str) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
        let page = http.get(node.at("/sign-in")).send().await?;
        let cookie = page
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .find(|pair| pair.split('=').next().is_some_and(|name| name.ends_with("keystead-csrf")))
            .context("GET /sign-in set no CSRF cookie")?
            .to_owned();
        let html = page.text().await?;
        let token = csrf_field(&html)?;
        let form = vec![("email", email.to_owned()), ("password", PASSWORD.to_owned()), ("csrf_token", token)];
        Ok(Self { http, url: node.at("/sign-in/password"), cookie, form })
    }

    /// One sign-in; true when it succeeded (303 to the next page).
    pub async fn once(&self) -> bool {
        let sent = self.http.post(&self.url).header(COOKIE, &self.cookie).form(&self.form).send().await;
        sent.is_ok_and(|res| res.status() == StatusCode::SEE_OTHER)
    }
}

fn csrf_field(html: &str) -> anyhow::Result<String> {
    let marker = "name=\"csrf_token\" value=\"";
    html.split_once(marker)
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(token, _)| token.to_owned())
        .context("the page has no csrf_token field")
}

/// A browser (cookie store, redirects not followed) signed in at `node` as `email`.
pub async fn signed_in_browser(node: &Node, email: &str) -> anyhow::Result<reqwest::Client> {
    let browser = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build()?;
    let html = browser.get(node.at("/sign-in")).send().await?.text().await?;
    let form = [("csrf_token", csrf_field(&html)?), ("email", email.to_owned()), ("password", PASSWORD.to_owned())];
    let res = browser.post(node.at("/sign-in/password")).form(&form).send().await?;
    ensure!(res.status() == StatusCode::SEE_OTHER, "sign-in answered {}", res.status());
    Ok(browser)
}

/// A new grant's access token: authorize (a first-party client: no consent screen) from the
/// signed-in `browser`, then exchange the code as the confidential client.
pub async fn access_token(
    browser: &reqwest::Client,
    node: &Node,
    client_id: &str,
    secret: &str,
    scope: &str,
) -> anyhow::Result<String> {
    let authorize = reqwest::Url::parse_with_params(
        &node.at("/oauth/authorize"),
        [("response_type", "code"), ("client_id", client_id), ("redirect_uri", REDIRECT_URI), ("scope", scope)],
    )?;
    let res = browser.get(authorize).send().await?;
    let location = res.headers().get(LOCATION).and_then(|v| v.to_str().ok()).context("authorize: no redirect")?;
    let url = reqwest::Url::parse(location).with_context(|| format!("authorize redirected to {location}"))?;
    let code = url.query_pairs().find(|(k, _)| k == "code").context("authorize: no code")?.1.into_owned();
    let form = [("grant_type", "authorization_code"), ("code", code.as_str()), ("redirect_uri", REDIRECT_URI)];
    let http = reqwest::Client::new();
    let res = http.post(node.at("/oauth/token")).basic_auth(client_id, Some(secret)).form(&form).send().await?;
    ensure!(res.status() == StatusCode::OK, "token endpoint answered {}", res.status());
    let body: serde_json::Value = res.json().await?;
    Ok(body["access_token"].as_str().context("no access_token")?.to_owned())
}

/// Creates `email` with the benchmark's password through the CLI.
pub fn create_user(node: &Node, email: &str) -> anyhow::Result<()> {
    let args =
        ["admin", "user", "create", "--email", email, "--name", "Bench Person", "--verified", "--password-stdin"];
    node.cli(&args, Some(PASSWORD))?;
    Ok(())
}

/// Registers a confidential first-party client through the CLI; returns its id and secret.
pub fn create_client(node: &Node) -> anyhow::Result<(String, String)> {
    let out = node.cli(
        &[
            "admin",
            "client",
            "create",
            "--name",
            "Bench",
            "--redirect-uri",
            REDIRECT_URI,
            "--confidential",
            "--first-party",
            "--grant",
            "authorization_code",
            "--json",
        ],
        None,
    )?;
    let v: serde_json::Value = serde_json::from_str(out.trim()).context("client create --json")?;
    let id = v["client_id"].as_str().context("client_id")?.to_owned();
    let secret = v["client_secret"].as_str().context("client_secret")?.to_owned();
    Ok((id, secret))
}
