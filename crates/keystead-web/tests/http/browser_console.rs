//! The admin console in Chromium: an operator signs in with an authenticator app, finds a user
//! by a word of her name, opens her page, resets her two-factor authentication through the
//! confirmation page and reads the audit entry it made on her page — axe-core checking every
//! page at desktop and phone width, screenshots of each step (and of the Organizations pages)
//! for a person to look at.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, Result, ensure};
use keystead_core::accounts::admin::NewUser;
use keystead_core::audit::RequestMeta;
use keystead_core::mfa::totp_code_at;
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::TestApp;
use keystead_testkit::browser::{Browser, screenshot_dir};
use secrecy::SecretString;

use super::auth::{PASSWORD, active_user};
use super::mfa::enrol_totp;

const PAGE_TIMEOUT: Duration = Duration::from_secs(15);
const DESKTOP: (u32, u32) = (1280, 900);
const PHONE: (u32, u32) = (390, 844);

fn shot(name: &str) -> PathBuf {
    screenshot_dir().join("console").join(format!("{name}.png"))
}

/// Screenshots at desktop width and at phone width (scrolled to the page's heading), with
/// axe-core run at both.
async fn both_widths(browser: &Browser, name: &str) -> Result<()> {
    both_widths_in(browser, "console", name).await
}

/// [`both_widths`] for any page with the console's layout, the screenshots saved under `dir`.
pub(crate) async fn both_widths_in(browser: &Browser, dir: &str, name: &str) -> Result<()> {
    let shot = |name: &str| screenshot_dir().join(dir).join(format!("{name}.png"));
    browser.screenshot(shot(name)).await?;
    browser.client().set_window_size(PHONE.0, PHONE.1).await.context("resizing to phone width")?;
    browser.client().execute("document.querySelector('.admin-main h1').scrollIntoView();", vec![]).await?;
    browser.check_accessibility().await?;
    browser.screenshot(shot(&format!("{name}-phone"))).await?;
    browser.client().set_window_size(DESKTOP.0, DESKTOP.1).await.context("resizing to desktop width")?;
    browser.client().execute("window.scrollTo(0, 0);", vec![]).await?;
    Ok(())
}

#[tokio::test]
async fn an_operator_finds_a_user_resets_her_two_factor_and_reads_the_audit_entry_in_a_browser() -> Result<()> {
    let Some(browser) = Browser::launch().await? else { return Ok(()) };
    let app = TestApp::new().await;
    let outcome = journey(&browser, &app).await;
    if outcome.is_err() {
        let _ = browser.screenshot(shot("failure")).await;
    }
    browser.close().await?;
    outcome
}

/// Signs the operator in with the password and a code from the app.
async fn sign_in(browser: &Browser, app: &TestApp, email: &str, secret: &str) -> Result<()> {
    browser.client().set_window_size(DESKTOP.0, DESKTOP.1).await.context("sizing the window")?;
    browser.goto(&app.at("/sign-in")).await?;
    browser.wait_for_text("Email address", PAGE_TIMEOUT).await?;
    browser.fill("Email address", email).await?;
    browser.click_button("Continue").await?;
    browser.wait_for_text("Signing in as", PAGE_TIMEOUT).await?;
    browser.fill("Password", PASSWORD).await?;
    browser.click_button("Sign in").await?;
    browser.wait_for_text("Two-step verification", PAGE_TIMEOUT).await?;
    let now = u64::try_from(app.core.clock().now().unix_timestamp())?;
    let code = totp_code_at(secret, now).context("computing the code")?;
    browser.fill("Code from your authenticator app", &code).await?;
    browser.click_button("Verify").await?;
    browser.wait_for_text("You are signed in as", PAGE_TIMEOUT).await
}

async fn journey(browser: &Browser, app: &TestApp) -> Result<()> {
    let meta = RequestMeta::cli();
    let op = active_user(app, "op@example.com").await;
    app.core.grant_operator(Actor::Operator, op, &meta).await?;
    let (secret, _) = enrol_totp(app, "op@example.com").await;
    let password = Some(SecretString::from(PASSWORD));
    let new = NewUser {
        email: "maria.schmidt@example.com",
        given_name: Some("Maria"),
        family_name: Some("Schmidt"),
        verified: true,
        password,
    };
    let maria = app.core.create_user(new, &meta).await?.id;
    enrol_totp(app, "maria.schmidt@example.com").await;
    active_user(app, "max.mustermann@example.com").await;
    let new = NewOrganization { name: "Schmidt & Partner", slug: Some("schmidt-partner"), owner: Some(maria) };
    app.core.create_organization(Actor::Operator, new, &meta).await?;

    sign_in(browser, app, "op@example.com", &secret).await?;
    // Users finds Maria by a word of her name.
    browser.goto(&app.at("/admin/users")).await?;
    browser.wait_for_text("Search users", PAGE_TIMEOUT).await?;
    browser.fill("Search users", "schm").await?;
    browser.click_button("Search").await?;
    browser.wait_for_text("Ordered by what matched", PAGE_TIMEOUT).await?;
    let text = browser.page_text().await?;
    ensure!(text.contains("maria.schmidt@example.com") && !text.contains("max.mustermann"), "the search: {text}");
    both_widths(browser, "1-users-search").await?;

    // Her page, and the reset through its confirmation.
    browser.click_link("maria.schmidt@example.com").await?;
    browser.wait_for_text("Authenticator app", PAGE_TIMEOUT).await?;
    both_widths(browser, "2-user-page").await?;
    browser.click_link("Reset two-factor authentication").await?;
    browser.wait_for_text("Every second factor of maria.schmidt@example.com is removed", PAGE_TIMEOUT).await?;
    both_widths(browser, "3-reset-confirmation").await?;
    browser.click_button("Reset two-factor authentication").await?;
    browser.wait_for_text("Two-factor authentication of maria.schmidt@example.com is reset", PAGE_TIMEOUT).await?;
    ensure!(!app.core.mfa_status(maria).await?.enabled(), "the second factors are gone");

    // The audit entry it made, on her page: the action and the operator who took it.
    browser.wait_for_text("mfa.reset", PAGE_TIMEOUT).await?;
    let audit = browser
        .client()
        .execute("return document.getElementById('section-audit-heading').parentElement.innerText;", vec![])
        .await?;
    let audit = audit.as_str().unwrap_or_default();
    ensure!(audit.contains("mfa.reset") && audit.contains("op@example.com"), "the audit trail: {audit}");
    both_widths(browser, "4-after-reset").await?;
    // And in the audit log, filtered by the action.
    browser.click_link("Audit log").await?;
    browser.wait_for_text("Apply filters", PAGE_TIMEOUT).await?;
    browser.fill("Action", "mfa.reset").await?;
    browser.click_button("Apply filters").await?;
    browser.wait_for_text("maria.schmidt@example.com", PAGE_TIMEOUT).await?;
    let log = browser.client().execute("return document.querySelector('table.admin-table').innerText;", vec![]).await?;
    let log = log.as_str().unwrap_or_default();
    ensure!(log.contains("mfa.reset") && log.contains("op@example.com"), "the audit log: {log}");
    both_widths(browser, "4b-audit-log").await?;

    // The Organizations pages, looked at too.
    browser.click_link("Organizations").await?;
    browser.wait_for_text("Schmidt & Partner", PAGE_TIMEOUT).await?;
    both_widths(browser, "5-organizations").await?;
    browser.click_link("Schmidt & Partner").await?;
    browser.wait_for_text("Subscriptions and seats", PAGE_TIMEOUT).await?;
    both_widths(browser, "6-organization").await
}
