//! A browser application on another origin signs in with code + PKCE as a public client, all
//! from its page in Chromium: it reads discovery, sends the person to authorize, then exchanges
//! the code and calls userinfo with `fetch` across origins — which works only because the
//! provider answers CORS for the registered redirect origin. A page on an origin no public
//! client registered cannot read the same answers.

use std::time::Duration;

use anyhow::{Result, ensure};
use keystead_core::oauth::ClientKind;
use keystead_testkit::TestApp;
use keystead_testkit::browser::{Browser, screenshot_dir};

use super::auth::{PASSWORD, active_user};
use super::oauth::register;

const PAGE_TIMEOUT: Duration = Duration::from_secs(15);
const EMAIL: &str = "grace.hopper@example.com";

fn shot(name: &str) -> std::path::PathBuf {
    screenshot_dir().join("oauth").join(format!("{name}.png"))
}

/// The browser application: one page that starts the sign-in at `/` and finishes it at `/cb`.
fn spa(issuer: &str, client_id: &str) -> String {
    let script = r#"
const out = (t) => { document.getElementById("out").textContent = t; };
const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)))
  .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const redirect = location.origin + "/cb";
const discover = async () => (await fetch(ISSUER + "/.well-known/openid-configuration")).json();
async function start() {
  const meta = await discover();
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = b64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  sessionStorage.setItem("verifier", verifier);
  const u = new URL(meta.authorization_endpoint);
  u.search = new URLSearchParams({ response_type: "code", client_id: CLIENT, redirect_uri: redirect,
    scope: "openid email", state: "spa", code_challenge: challenge, code_challenge_method: "S256" });
  location.assign(u.toString());
}
async function finish() {
  const q = new URLSearchParams(location.search);
  const meta = await discover();
  const tr = await fetch(meta.token_endpoint, { method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", code: q.get("code"), redirect_uri: redirect,
      code_verifier: sessionStorage.getItem("verifier"), client_id: CLIENT }) });
  const tokens = await tr.json();
  const info = await (await fetch(meta.userinfo_endpoint, { headers: { Authorization: "Bearer " + tokens.access_token } })).json();
  out("Signed in as " + info.email + " (state " + q.get("state") + ")");
}
async function probe() {
  const res = await fetch(ISSUER + "/oauth/token", { method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "grant_type=authorization_code" });
  out("Read the answer: " + res.status);
}
const run = location.pathname === "/cb" ? finish : location.pathname === "/probe" ? probe : start;
run().catch((e) => out("Blocked: " + e.name));
"#;
    format!(
        "<!doctype html><meta charset=utf-8><title>Browser app</title><pre id=out>Starting</pre>\
         <script>const ISSUER = {issuer:?}; const CLIENT = {client_id:?};{script}</script>"
    )
}

/// Serves the application's page on every path until the test ends, each connection on its own
/// task (Chromium opens speculative connections that may never send a request).
async fn serve(listener: tokio::net::TcpListener, page: String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let reply = std::sync::Arc::new(format!(
        "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{page}",
        page.len()
    ));
    while let Ok((mut stream, _)) = listener.accept().await {
        let reply = std::sync::Arc::clone(&reply);
        tokio::spawn(async move {
            let mut buf = vec![0u8; 16 * 1024];
            if matches!(stream.read(&mut buf).await, Ok(n) if n > 0) {
                let _ = stream.write_all(reply.as_bytes()).await;
            }
        });
    }
}

#[tokio::test]
async fn a_browser_app_on_another_origin_signs_in_with_pkce_and_reads_the_answers() -> Result<()> {
    let Some(browser) = Browser::launch().await? else { return Ok(()) };
    let app = TestApp::new().await;
    let outcome = journey(&browser, &app).await;
    if outcome.is_err() {
        let _ = browser.screenshot(shot("cors-failure")).await;
    }
    browser.close().await?;
    outcome
}

async fn journey(browser: &Browser, app: &TestApp) -> Result<()> {
    active_user(app, EMAIL).await;
    // The page is served on `localhost` (a secure context: WebCrypto works), another origin than
    // the provider's; its redirect URI registers that origin.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let origin = format!("http://localhost:{}", listener.local_addr()?.port());
    let created =
        register(app, ClientKind::Public, false, &[], |n| n.redirect_uris = vec![format!("{origin}/cb")]).await;
    let issuer = app.url.as_str().trim_end_matches('/').to_owned();
    ensure!(!issuer.starts_with(&origin), "the provider is on another origin: {issuer}");
    tokio::spawn(serve(listener, spa(&issuer, &created.client.client_id)));

    browser.goto(&format!("{origin}/")).await?;
    browser.wait_for_text("Sign in", PAGE_TIMEOUT).await?;
    browser.fill("Email address", EMAIL).await?;
    browser.click_button("Continue").await?;
    browser.wait_for_text("Signing in as", PAGE_TIMEOUT).await?;
    browser.fill("Password", PASSWORD).await?;
    browser.click_button("Sign in").await?;
    browser.wait_for_text("Authorize app", PAGE_TIMEOUT).await?;
    browser.click_button("Accept").await?;
    browser.wait_for_text(&format!("Signed in as {EMAIL} (state spa)"), PAGE_TIMEOUT).await?;
    browser.screenshot(shot("cors-01-browser-app-signed-in")).await?;

    // The same page on an origin nobody registered (127.0.0.1 instead of localhost) is refused
    // the answer by the browser: no Access-Control-Allow-Origin for it.
    let port = browser.current_url().await?.port().unwrap_or_default();
    browser.goto(&format!("http://127.0.0.1:{port}/probe")).await?;
    browser.wait_for_text("Blocked: TypeError", PAGE_TIMEOUT).await?;
    browser.goto(&format!("{origin}/probe")).await?;
    browser.wait_for_text("Read the answer: 401", PAGE_TIMEOUT).await?;
    Ok(())
}
