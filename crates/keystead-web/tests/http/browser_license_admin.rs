//! The browser journey of a license admin: find a member on the organization's Licenses page,
//! assign them a seat, and the member then sees the license in My Account → Licenses —
//! screenshots of both pages at desktop and phone width.

use std::time::Duration;

use anyhow::{Context as _, Result, ensure};
use keystead_core::audit::RequestMeta;
use keystead_core::organizations::Actor;
use keystead_testkit::browser::Browser;
use keystead_testkit::{TestApp, licensing};

use super::auth::{PASSWORD, active_user};
use super::browser_licensing::both_widths;

const PAGE_TIMEOUT: Duration = Duration::from_secs(15);

#[tokio::test]
async fn a_license_admin_assigns_a_seat_and_the_member_sees_the_license_in_a_browser() -> Result<()> {
    let Some(browser) = Browser::launch().await? else { return Ok(()) };
    let app = TestApp::new().await;
    let outcome = journey(&browser, &app).await;
    if outcome.is_err() {
        let _ =
            browser.screenshot(keystead_testkit::browser::screenshot_dir().join("licensing/admin-failure.png")).await;
    }
    browser.close().await?;
    outcome
}

/// Signs in as `email` and waits for `landed` on the page the sign-in leads to.
async fn sign_in(browser: &Browser, app: &TestApp, email: &str, landed: &str) -> Result<()> {
    browser.client().delete_all_cookies().await.context("signing out by clearing cookies")?;
    browser.goto(&app.at("/sign-in")).await?;
    browser.wait_for_text("Email address", PAGE_TIMEOUT).await?;
    browser.fill("Email address", email).await?;
    browser.click_button("Continue").await?;
    browser.wait_for_text("Signing in as", PAGE_TIMEOUT).await?;
    browser.fill("Password", PASSWORD).await?;
    browser.click_button("Sign in").await?;
    browser.wait_for_text(landed, PAGE_TIMEOUT).await
}

async fn journey(browser: &Browser, app: &TestApp) -> Result<()> {
    let meta = RequestMeta::cli();
    licensing::catalogue(&app.core, "downloads").await?;
    let (org, _) = licensing::organization(&app.core, "acme", "cet-pro", 2).await?;
    let lia = active_user(app, "lia@example.com").await;
    app.core.add_organization_member(Actor::Operator, org, lia, "license_admin", &meta).await?;
    let bob = active_user(app, "bob.builder@example.com").await;
    app.core.add_organization_member(Actor::Operator, org, bob, "member", &meta).await?;

    sign_in(browser, app, "lia@example.com", "You are signed in as").await?;
    browser.goto(&app.at("/org/acme/licenses")).await?;
    browser.wait_for_text("0 of 2 seats used", PAGE_TIMEOUT).await?;
    browser.fill("Find members by name or address", "bob").await?;
    browser.click_button("Search").await?;
    // The unfiltered list showed bob too: wait for the search's own page.
    let deadline = tokio::time::Instant::now() + PAGE_TIMEOUT;
    while browser.current_url().await?.query() != Some("q=bob") {
        ensure!(tokio::time::Instant::now() < deadline, "the search page did not open");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    browser.wait_for_text("bob.builder@example.com", PAGE_TIMEOUT).await?;
    browser.click_button("Assign to bob.builder@example.com").await?;
    browser.wait_for_text("A seat of CET Pro is assigned.", PAGE_TIMEOUT).await?;
    browser.wait_for_text("1 of 2 seats used", PAGE_TIMEOUT).await?;
    both_widths(browser, "admin-1-seat-assigned").await?;
    ensure!(app.core.licenses_of(bob).await?.len() == 1, "the seat is saved");

    // His license lands on the downloads page.
    sign_in(browser, app, "bob.builder@example.com", "CET Designer").await?;
    browser.goto(&app.at("/account/licenses")).await?;
    browser.wait_for_text("CET Designer — CET Pro", PAGE_TIMEOUT).await?;
    browser.wait_for_text("From acme", PAGE_TIMEOUT).await?;
    both_widths(browser, "admin-2-member-licenses").await
}
