//! The browser journey of a person: register, confirm the address from the email, sign out,
//! fail and then succeed to sign in — every field found by its label, a screenshot at each step.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, Result, ensure};
use fantoccini::Locator;
use keystead_core::accounts::sign_in::INVALID_CREDENTIALS;
use keystead_testkit::TestApp;
use keystead_testkit::browser::{Browser, screenshot_dir};

/// How long a page may take to show what we wait for.
const PAGE_TIMEOUT: Duration = Duration::from_secs(15);

const EMAIL: &str = "ada.lovelace@example.com";
const PASSWORD: &str = "velvet harbour kettle mosaic 1843";

/// Desktop window size (the session starts at this size).
const DESKTOP: (u32, u32) = (1280, 900);
/// A common phone viewport.
const PHONE: (u32, u32) = (390, 844);

fn shot(name: &str) -> PathBuf {
    screenshot_dir().join("auth").join(format!("{name}.png"))
}

/// Waits for `text`, then saves a screenshot called `name`.
async fn step(browser: &Browser, text: &str, name: &str) -> Result<()> {
    browser.wait_for_text(text, PAGE_TIMEOUT).await?;
    browser.screenshot(shot(name)).await
}

#[tokio::test]
async fn a_person_registers_confirms_signs_out_and_signs_in_again_in_a_browser() -> Result<()> {
    let Some(browser) = Browser::launch().await? else { return Ok(()) };
    let app = TestApp::new().await;
    let outcome = journey(&browser, &app).await;
    if outcome.is_err() {
        // Leave the page that failed for whoever reads the error.
        let _ = browser.screenshot(shot("failure")).await;
    }
    browser.close().await?;
    outcome
}

async fn journey(browser: &Browser, app: &TestApp) -> Result<()> {
    register(browser, app).await?;
    confirm_from_email(browser, app).await?;
    sign_out(browser).await?;
    sign_in_again(browser).await
}

/// Home → "Create account" → address → password → "Check your inbox".
async fn register(browser: &Browser, app: &TestApp) -> Result<()> {
    browser.goto(app.url.as_str()).await?;
    browser.click_link("Create account").await?;
    browser.wait_for_text("Create your account", PAGE_TIMEOUT).await?;
    browser.fill("Email address", EMAIL).await?;
    browser.screenshot(shot("01-register-email")).await?;
    browser.click_button("Continue").await?;

    step(browser, "Choose a password", "02-register-password-empty").await?;
    ensure!(browser.page_text().await?.contains(EMAIL), "the password step names the address");
    browser.fill("Password", PASSWORD).await?;
    browser.screenshot(shot("02-register-password")).await?;
    browser.click_button("Continue").await?;

    step(browser, "Check your inbox", "03-check-email").await?;
    let text = browser.page_text().await?;
    ensure!(text.contains(EMAIL), "the check-your-inbox page names the address; page:\n{text}");
    ensure!(browser.current_url().await?.path() == "/register/check-email", "after registering");
    Ok(())
}

/// Opens the link from the confirmation email and confirms.
async fn confirm_from_email(browser: &Browser, app: &TestApp) -> Result<()> {
    let mails = app.smtp.wait_for(1, PAGE_TIMEOUT).await?;
    let mail = mails.iter().find(|m| m.to().iter().any(|to| to == EMAIL)).context("no email to the new address")?;
    let link = mail
        .links()
        .into_iter()
        .find(|link| link.contains("/verify-email"))
        .with_context(|| format!("no confirmation link in the email; links: {:?}", mail.links()))?;
    browser.goto(&link).await?;
    step(browser, "Confirm your email address", "04-confirm").await?;
    browser.click_button("Confirm my email address").await?;

    // A new account has no name yet: the profile step comes first.
    step(browser, "Complete your profile", "05-complete-profile").await?;
    browser.fill("Given name", "Ada").await?;
    browser.fill("Family name", "Lovelace").await?;
    browser.click_button("Submit").await?;
    // No return_to and no license: the overview of My Account, never a dead end.
    step(browser, "Welcome, Ada", "05b-signed-in").await?;
    ensure!(browser.current_url().await?.path() == "/account", "a newcomer lands on the overview");
    Ok(())
}

/// Opens the account menu (a `<details>` whose summary shows the display name) and signs out.
async fn sign_out(browser: &Browser) -> Result<()> {
    let summary = browser
        .client()
        .find(Locator::Css("details.account-menu > summary"))
        .await
        .context("the account menu in the header")?;
    let name = summary.text().await?;
    ensure!(name.trim() == "Ada Lovelace", "the menu shows the display name, not {name:?}");
    summary.click().await.context("opening the account menu")?;
    browser.screenshot(shot("06-account-menu")).await?;
    browser.click_button("Sign out").await?;

    step(browser, "You are signed out.", "07-signed-out").await?;
    ensure!(browser.current_url().await?.path() == "/sign-in", "sign-out leads to the sign-in page");
    Ok(())
}

/// "Sign in" → address → a wrong password (the one generic message) → the right one.
async fn sign_in_again(browser: &Browser) -> Result<()> {
    browser.click_link("Sign in").await?;
    // The same page again, without the one-time message.
    wait_until_gone(browser, "You are signed out.").await.context("the flash shows once")?;
    browser.wait_for_text("Email address", PAGE_TIMEOUT).await?;
    browser.screenshot(shot("08-sign-in-email")).await?;
    phone_screenshot(browser, "08-sign-in-email-phone").await?;

    browser.fill("Email address", EMAIL).await?;
    browser.click_button("Continue").await?;
    step(browser, "Signing in as", "09-sign-in-password").await?;
    phone_screenshot(browser, "09-sign-in-password-phone").await?;

    browser.fill("Password", "not the password at all").await?;
    browser.click_button("Sign in").await?;
    step(browser, INVALID_CREDENTIALS, "10-sign-in-error").await?;
    phone_screenshot(browser, "10-sign-in-error-phone").await?;
    let text = browser.page_text().await?;
    ensure!(!text.contains("Welcome, Ada"), "a wrong password does not sign in");
    ensure!(text.contains(EMAIL), "the error page keeps the address");

    browser.fill("Password", PASSWORD).await?;
    browser.click_button("Sign in").await?;
    step(browser, "Welcome, Ada", "11-signed-in-again").await?;
    ensure!(browser.current_url().await?.path() == "/account", "sign-in lands on the overview");
    Ok(())
}

/// Waits until the page no longer shows `text`.
async fn wait_until_gone(browser: &Browser, text: &str) -> Result<()> {
    let deadline = tokio::time::Instant::now() + PAGE_TIMEOUT;
    while browser.page_text().await.map_or(true, |page| page.contains(text)) {
        ensure!(tokio::time::Instant::now() < deadline, "{text:?} still shown after {PAGE_TIMEOUT:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}

/// Saves a screenshot at phone width, then goes back to the desktop size.
async fn phone_screenshot(browser: &Browser, name: &str) -> Result<()> {
    browser.client().set_window_size(PHONE.0, PHONE.1).await.context("resizing to phone width")?;
    let saved = browser.screenshot(shot(name)).await;
    browser.client().set_window_size(DESKTOP.0, DESKTOP.1).await.context("resizing to desktop width")?;
    saved
}
