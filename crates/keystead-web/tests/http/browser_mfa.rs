//! Two-factor authentication in Chromium: enrol an authenticator app by reading the key from the
//! page and computing the code as an app would, sign out, sign in with a code; then register a
//! passkey with Chromium's virtual authenticator and sign in with it as the second step and
//! without a password.

use std::time::Duration;

use anyhow::{Context as _, Result, ensure};
use keystead_core::mfa::totp_code_at;
use keystead_testkit::TestApp;
use keystead_testkit::browser::{Browser, screenshot_dir};

use super::auth::{PASSWORD, active_user};
use super::passkeys::localhost_app;

const PAGE_TIMEOUT: Duration = Duration::from_secs(15);
const EMAIL: &str = "katherine.johnson@example.com";

fn shot(name: &str) -> std::path::PathBuf {
    screenshot_dir().join("mfa").join(format!("{name}.png"))
}

fn code_now(app: &TestApp, secret: &str) -> Result<String> {
    let now = u64::try_from(app.core.clock().now().unix_timestamp())?;
    totp_code_at(secret, now).context("computing the code")
}

async fn password(browser: &Browser, app: &TestApp) -> Result<()> {
    browser.goto(&app.at("/sign-in")).await?;
    browser.fill("Email address", EMAIL).await?;
    browser.click_button("Continue").await?;
    browser.wait_for_text("Signing in as", PAGE_TIMEOUT).await?;
    browser.fill("Password", PASSWORD).await?;
    browser.click_button("Sign in").await
}

async fn sign_out(browser: &Browser) -> Result<()> {
    browser.client().execute("document.querySelector('form[action=\"/sign-out\"]').submit();", vec![]).await?;
    browser.wait_for_text("You are signed out", PAGE_TIMEOUT).await
}

#[tokio::test]
async fn a_person_enrols_an_app_and_a_passkey_and_signs_in_with_each_in_a_browser() -> Result<()> {
    let Some(browser) = Browser::launch().await? else { return Ok(()) };
    let app = localhost_app().await;
    active_user(&app, EMAIL).await;
    let outcome = journey(&browser, &app).await;
    if outcome.is_err() {
        let _ = browser.screenshot(shot("failure")).await;
    }
    browser.close().await?;
    outcome
}

async fn journey(browser: &Browser, app: &TestApp) -> Result<()> {
    // The authenticator app: the key is read from the page, the code computed as an app does.
    password(browser, app).await?;
    browser.wait_for_text("You are signed in as", PAGE_TIMEOUT).await?;
    browser.goto(&app.at("/account/two-factor")).await?;
    browser.click_button("Set up an authenticator app").await?;
    browser.wait_for_text("Scan this QR code", PAGE_TIMEOUT).await?;
    browser.screenshot(shot("totp-setup")).await?;
    let secret = browser
        .client()
        .execute("return document.getElementById('secret-key').textContent;", vec![])
        .await?
        .as_str()
        .context("no key on the page")?
        .to_owned();
    browser.fill("Code from the app", &code_now(app, &secret)?).await?;
    browser.click_button("Turn on").await?;
    browser.wait_for_text("Save these recovery codes now", PAGE_TIMEOUT).await?;
    browser.screenshot(shot("recovery-codes")).await?;
    browser.click_link("Sign in again").await?;

    app.clock.advance(time::Duration::seconds(30));
    password(browser, app).await?;
    browser.wait_for_text("Two-step verification", PAGE_TIMEOUT).await?;
    browser.fill("Code from your authenticator app", &code_now(app, &secret)?).await?;
    browser.click_button("Verify").await?;
    browser.wait_for_text("You are signed in as", PAGE_TIMEOUT).await?;

    // A passkey, created by Chromium's virtual authenticator.
    browser.add_virtual_authenticator().await?;
    browser.goto(&app.at("/account/two-factor")).await?;
    browser.fill("Passkey name", "This browser").await?;
    browser.click_button("Add a passkey").await?;
    browser.wait_for_text("Continue with passkey", PAGE_TIMEOUT).await?;
    browser.click_button("Continue with passkey").await?;
    browser.wait_for_text("Your passkey is added", PAGE_TIMEOUT).await?;
    ensure!(browser.page_text().await?.contains("This browser"), "the passkey is listed");
    browser.screenshot(shot("passkeys")).await?;
    sign_out(browser).await?;

    // The passkey as the second step.
    password(browser, app).await?;
    browser.wait_for_text("Two-step verification", PAGE_TIMEOUT).await?;
    browser.click_link("Passkey").await?;
    browser.click_button("Use a passkey").await?;
    browser.wait_for_text("You are signed in as", PAGE_TIMEOUT).await?;
    let user = app.core.user_by_email(EMAIL).await?;
    let sessions = app.core.sessions_of(user.id).await?;
    ensure!(
        sessions.iter().any(|s| s.amr.first().is_some_and(|a| a == "pwd") && s.amr.iter().any(|a| a == "hwk")),
        "a session with password and passkey: {:?}",
        sessions.iter().map(|s| &s.amr).collect::<Vec<_>>()
    );
    sign_out(browser).await?;

    // The passkey alone.
    browser.goto(&app.at("/sign-in")).await?;
    browser.click_button("Sign in with a passkey").await?;
    browser.wait_for_text("You are signed in as", PAGE_TIMEOUT).await?;
    let sessions = app.core.sessions_of(user.id).await?;
    ensure!(
        sessions.iter().any(|s| !s.amr.iter().any(|a| a == "pwd") && s.amr.iter().any(|a| a == "mfa")),
        "a passwordless session: {:?}",
        sessions.iter().map(|s| &s.amr).collect::<Vec<_>>()
    );
    browser.screenshot(shot("signed-in-with-passkey")).await?;
    Ok(())
}
