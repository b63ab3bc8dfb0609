//! The console's Records pages in Chromium at desktop and phone widths, each checked by
//! axe-core: an operator signs in with an authenticator app, reads the dashboard, filters the
//! audit log (and meets a field error), and sends a failed email again from the outbox.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, Result, ensure};
use keystead_core::audit::RequestMeta;
use keystead_core::jobs::JobStatus;
use keystead_core::organizations::Actor;
use keystead_testkit::TestApp;
use keystead_testkit::browser::{Browser, screenshot_dir};

use super::auth::{PASSWORD, active_user};
use super::console_records::{job_reaches, outbox_drained};
use super::mfa::{app_code, enrol_totp};

const PAGE_TIMEOUT: Duration = Duration::from_secs(15);
const EMAIL: &str = "grace.hopper@example.com";
const DESKTOP: (u32, u32) = (1280, 1000);
const PHONE: (u32, u32) = (390, 844);

fn shot(name: &str) -> PathBuf {
    screenshot_dir().join("console-records").join(format!("{name}.png"))
}

async fn both_widths(browser: &Browser, name: &str) -> Result<()> {
    browser.screenshot(shot(name)).await?;
    browser.client().set_window_size(PHONE.0, PHONE.1).await.context("resizing to phone width")?;
    let saved = browser.screenshot(shot(&format!("{name}-phone"))).await;
    browser.client().set_window_size(DESKTOP.0, DESKTOP.1).await.context("resizing to desktop width")?;
    saved
}

#[tokio::test]
async fn an_operator_reads_the_dashboard_the_audit_log_and_the_outbox_in_a_browser() -> Result<()> {
    let Some(browser) = Browser::launch().await? else { return Ok(()) };
    let app = TestApp::new().await;
    let id = active_user(&app, EMAIL).await;
    app.core.grant_operator(Actor::Operator, id, &RequestMeta::cli()).await?;
    let (secret, _) = enrol_totp(&app, EMAIL).await;
    outbox_drained(&app).await;
    app.smtp.fail_next(1, 550);
    let job = app.core.send_test_email("nobody@example.com").await?;
    job_reaches(&app, job, JobStatus::Dead).await;
    let outcome = journey(&browser, &app, &secret).await;
    if outcome.is_err() {
        let _ = browser.screenshot(shot("failure")).await;
    }
    browser.close().await?;
    outcome
}

async fn journey(browser: &Browser, app: &TestApp, secret: &str) -> Result<()> {
    browser.client().set_window_size(DESKTOP.0, DESKTOP.1).await.context("resizing to desktop width")?;
    browser.goto(&app.at("/sign-in")).await?;
    browser.fill("Email address", EMAIL).await?;
    browser.click_button("Continue").await?;
    browser.wait_for_text("Signing in as", PAGE_TIMEOUT).await?;
    browser.fill("Password", PASSWORD).await?;
    browser.click_button("Sign in").await?;
    browser.wait_for_text("Two-step verification", PAGE_TIMEOUT).await?;
    browser.fill("Code from your authenticator app", &app_code(app, secret)).await?;
    browser.click_button("Verify").await?;
    browser.wait_for_text("You are signed in as", PAGE_TIMEOUT).await?;

    browser.goto(&app.at("/admin")).await?;
    browser.wait_for_text("Sign-ins per hour, last 24 hours", PAGE_TIMEOUT).await?;
    both_widths(browser, "dashboard").await?;

    browser.goto(&app.at("/admin/audit")).await?;
    browser.fill("Subject", EMAIL).await?;
    browser.fill("Action", "operator.*").await?;
    browser.click_button("Apply filters").await?;
    browser.wait_for_text("operator.granted", PAGE_TIMEOUT).await?;
    ensure!(!browser.page_text().await?.contains("session.signed_in"), "only the operator events");
    both_widths(browser, "audit").await?;
    browser.goto(&app.at("/admin/audit?since=2026-12-05&until=2026-12-01")).await?;
    browser.wait_for_text("The last day must not be before the first.", PAGE_TIMEOUT).await?;
    both_widths(browser, "audit-error").await?;

    browser.goto(&app.at("/admin/outbox?status=failed")).await?;
    browser.wait_for_text("nobody@example.com", PAGE_TIMEOUT).await?;
    both_widths(browser, "outbox").await?;
    browser.click_button("Send again").await?;
    browser.wait_for_text("is back in the outbox", PAGE_TIMEOUT).await?;
    Ok(())
}
