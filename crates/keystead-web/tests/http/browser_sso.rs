//! Single sign-on in a real browser: an Acme employee types their work address on the vendor's
//! Keystead, is told they are going to Acme SSO, signs in at Acme's provider (another Keystead,
//! on another origin), comes back with an account made just in time, and finds the linked
//! identity in My Account → Security. Screenshots at each step, the "going" page also on a phone.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Result, ensure};
use keystead_testkit::browser::{Browser, screenshot_dir};
use keystead_testkit::{TestApp, TestAppOptions};

use super::sso_flow::{EMAIL, PASSWORD, acme_connected, identity_provider_with, service_provider};

const PAGE_TIMEOUT: Duration = Duration::from_secs(15);
const DESKTOP: (u32, u32) = (1280, 900);
const PHONE: (u32, u32) = (390, 844);

fn shot(name: &str) -> PathBuf {
    screenshot_dir().join("sso").join(format!("{name}.png"))
}

/// The provider on `localhost` (the vendor is on 127.0.0.1): two sites, so neither sees the
/// other's cookies, as in real life.
async fn provider_on_localhost() -> TestApp {
    let configure: keystead_testkit::app::Configure = Box::new(|c| {
        c.public_url = url::Url::parse(&format!("http://localhost:{}/", c.listen.port())).unwrap();
    });
    TestApp::start(TestAppOptions { configure: Some(configure), ..Default::default() }).await.unwrap()
}

#[tokio::test]
async fn an_employee_signs_in_through_their_organizations_provider_in_a_browser() -> Result<()> {
    let Some(browser) = Browser::launch().await? else { return Ok(()) };
    let sp = service_provider().await;
    let (idp, client_id, secret) = identity_provider_with(provider_on_localhost().await, &sp, None).await;
    acme_connected(&sp, &idp, &client_id, &secret, false).await;
    let outcome = journey(&browser, &sp).await;
    if outcome.is_err() {
        let _ = browser.screenshot(shot("failure")).await;
    }
    browser.close().await?;
    outcome
}

async fn journey(browser: &Browser, sp: &TestApp) -> Result<()> {
    browser.client().set_window_size(DESKTOP.0, DESKTOP.1).await?;
    browser.goto(&sp.at("/sign-in")).await?;
    browser.wait_for_text("Email address", PAGE_TIMEOUT).await?;
    browser.fill("Email address", EMAIL).await?;
    browser.click_button("Continue").await?;

    browser.wait_for_text("Continue to Acme SSO", PAGE_TIMEOUT).await?;
    ensure!(browser.page_text().await?.contains("Acme signs its members in through its own identity provider"));
    browser.screenshot(shot("01-going-to-acme")).await?;
    browser.client().set_window_size(PHONE.0, PHONE.1).await?;
    browser.screenshot(shot("01-going-to-acme-phone")).await?;
    browser.client().set_window_size(DESKTOP.0, DESKTOP.1).await?;
    browser.click_link("Continue to Acme SSO").await?;

    // At Acme's provider: its own sign-in, the address already filled in from login_hint.
    browser.wait_for_text("Email address", PAGE_TIMEOUT).await?;
    let at = browser.current_url().await?;
    ensure!(at.host_str() == Some("localhost"), "at the provider: {at}");
    browser.screenshot(shot("02-provider-sign-in")).await?;
    browser.click_button("Continue").await?;
    browser.wait_for_text("Signing in as", PAGE_TIMEOUT).await?;
    ensure!(browser.page_text().await?.contains(EMAIL), "the provider kept the address from login_hint");
    browser.fill("Password", PASSWORD).await?;
    browser.click_button("Sign in").await?;

    // Back at the vendor, signed in with an account made just now.
    browser.wait_for_text("You are signed in as", PAGE_TIMEOUT).await?;
    let back = browser.current_url().await?;
    ensure!(back.host_str() == Some("127.0.0.1"), "back at the vendor: {back}");
    browser.screenshot(shot("03-signed-in")).await?;
    browser.goto(&sp.at("/account/security")).await?;
    browser.wait_for_text("Acme SSO", PAGE_TIMEOUT).await?;
    browser.screenshot(shot("04-security-linked")).await?;
    let text = browser.page_text().await?;
    ensure!(text.contains(EMAIL), "the linked identity shows its address:\n{text}");
    Ok(())
}
