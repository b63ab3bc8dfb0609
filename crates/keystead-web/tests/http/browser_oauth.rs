//! The desktop app's "Log in with browser" in Chromium: the app opens the authorize URL with
//! PKCE and a loopback redirect on a random port, the person signs in, sees "Authorize app",
//! accepts, and the app's loopback listener receives the code, which it exchanges for tokens.

use std::time::Duration;

use anyhow::{Context as _, Result, ensure};
use keystead_core::oauth::{ClientKind, NewClient};
use keystead_testkit::TestApp;
use keystead_testkit::browser::{Browser, screenshot_dir};
use openidconnect::PkceCodeChallenge;

use super::auth::{PASSWORD, active_user};

const PAGE_TIMEOUT: Duration = Duration::from_secs(15);
const EMAIL: &str = "katherine.johnson@example.com";

fn shot(name: &str) -> std::path::PathBuf {
    screenshot_dir().join("oauth").join(format!("{name}.png"))
}

#[tokio::test]
async fn a_desktop_app_logs_in_with_the_browser_and_receives_the_code_on_its_loopback_port() -> Result<()> {
    let Some(browser) = Browser::launch().await? else { return Ok(()) };
    let app = TestApp::new().await;
    let outcome = journey(&browser, &app).await;
    if outcome.is_err() {
        let _ = browser.screenshot(shot("failure")).await;
    }
    browser.close().await?;
    outcome
}

async fn journey(browser: &Browser, app: &TestApp) -> Result<()> {
    active_user(app, EMAIL).await;
    let new = NewClient {
        name: "Keystead Desktop".into(),
        kind: ClientKind::Public,
        first_party: false,
        redirect_uris: vec!["http://127.0.0.1/callback".into()],
        grant_types: vec![],
        post_logout_redirect_uris: vec![],
        backchannel_logout_uri: None,
        id_token_alg: None,
        api_scopes: vec![],
        require_pushed_authorization_requests: false,
    };
    let client_id = app
        .core
        .create_oauth_client(
            keystead_core::organizations::Actor::Operator,
            new,
            &keystead_core::audit::RequestMeta::cli(),
        )
        .await?
        .client
        .client_id;
    // The desktop app: a listener on a random loopback port, PKCE, the authorize URL.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let redirect = format!("http://127.0.0.1:{port}/callback");
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut url = url::Url::parse(&app.at("/oauth/authorize"))?;
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", &client_id)
        .append_pair("redirect_uri", &redirect)
        .append_pair("scope", "openid profile email")
        .append_pair("state", "desktop-state")
        .append_pair("code_challenge", challenge.as_str())
        .append_pair("code_challenge_method", "S256");
    let received = tokio::spawn(receive_one(listener));

    browser.goto(url.as_str()).await?;
    browser.wait_for_text("Sign in", PAGE_TIMEOUT).await?;
    browser.screenshot(shot("01-sign-in")).await?;
    browser.fill("Email address", EMAIL).await?;
    browser.click_button("Continue").await?;
    browser.wait_for_text("Signing in as", PAGE_TIMEOUT).await?;
    browser.fill("Password", PASSWORD).await?;
    browser.click_button("Sign in").await?;

    browser.wait_for_text("Authorize app", PAGE_TIMEOUT).await?;
    let text = browser.page_text().await?;
    ensure!(
        text.contains("Keystead Desktop") && text.contains("Your email address"),
        "the consent screen names the app and what it sees:\n{text}"
    );
    browser.screenshot(shot("02-authorize-app")).await?;
    browser.click_button("Accept").await?;

    let path = tokio::time::timeout(PAGE_TIMEOUT, received).await.context("the loopback listener got nothing")???;
    browser.wait_for_text("You can close this window", PAGE_TIMEOUT).await?;
    browser.screenshot(shot("03-back-in-the-app")).await?;
    let back = url::Url::parse(&format!("http://127.0.0.1{path}"))?;
    let param = |name: &str| back.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    ensure!(param("state").as_deref() == Some("desktop-state"), "state comes back: {path}");
    let code = param("code").context("no code in the redirect")?;

    // The app exchanges the code with its verifier.
    let res = reqwest::Client::new()
        .post(app.at("/oauth/token"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", redirect.as_str()),
            ("code_verifier", verifier.secret().as_str()),
            ("client_id", client_id.as_str()),
        ])
        .send()
        .await?;
    ensure!(res.status() == reqwest::StatusCode::OK, "token exchange: {}", res.text().await?);
    let tokens: serde_json::Value = res.json().await?;
    ensure!(tokens["id_token"].as_str().is_some() && tokens["access_token"].as_str().is_some(), "{tokens}");
    Ok(())
}

/// Accepts one request, answers a short page, yields the request's path and query.
async fn receive_one(listener: tokio::net::TcpListener) -> Result<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    loop {
        let (mut stream, _) = listener.accept().await?;
        let mut buf = vec![0u8; 16 * 1024];
        let n = stream.read(&mut buf).await?;
        let text = String::from_utf8_lossy(&buf[..n]).into_owned();
        let path = text.split_whitespace().nth(1).unwrap_or_default().to_owned();
        let body = "<!doctype html><title>Desktop app</title><p>Signed in. You can close this window.</p>";
        let reply = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(reply.as_bytes()).await?;
        // Browsers may ask for /favicon.ico first or after; the callback is what counts.
        if path.starts_with("/callback") {
            return Ok(path);
        }
    }
}
