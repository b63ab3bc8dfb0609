//! The browser journey of a licensed newcomer: register, confirm the address from the email,
//! complete the profile and land on the extension chooser (their organization's license says
//! so), then select an extension and deselect it again — every field found by its label, a
//! screenshot at desktop and phone width at each step.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, Result, ensure};
use fantoccini::Locator;
use keystead_core::audit::RequestMeta;
use keystead_core::organizations::Actor;
use keystead_testkit::browser::{Browser, screenshot_dir};
use keystead_testkit::{TestApp, licensing};

const PAGE_TIMEOUT: Duration = Duration::from_secs(15);
const EMAIL: &str = "lin.designer@example.com";
const PASSWORD: &str = "copper lantern meadow 2718";
const DESKTOP: (u32, u32) = (1280, 900);
const PHONE: (u32, u32) = (390, 844);

fn shot(name: &str) -> PathBuf {
    screenshot_dir().join("licensing").join(format!("{name}.png"))
}

/// Screenshots at phone width (scrolled to the section's heading, below the stacked navigation)
/// and at desktop width (the window ends at desktop width, scrolled to the top).
pub(super) async fn both_widths(browser: &Browser, name: &str) -> Result<()> {
    browser.client().set_window_size(PHONE.0, PHONE.1).await.context("resizing to phone width")?;
    browser.client().execute("document.querySelector('.account-main h1').scrollIntoView();", vec![]).await?;
    browser.screenshot(shot(&format!("{name}-phone"))).await?;
    browser.client().set_window_size(DESKTOP.0, DESKTOP.1).await.context("resizing to desktop width")?;
    browser.client().execute("window.scrollTo(0, 0);", vec![]).await?;
    browser.screenshot(shot(name)).await
}

#[tokio::test]
async fn a_licensed_newcomer_lands_on_the_extension_chooser_and_selects_an_extension_in_a_browser() -> Result<()> {
    let Some(browser) = Browser::launch().await? else { return Ok(()) };
    let app = TestApp::new().await;
    let outcome = journey(&browser, &app).await;
    if outcome.is_err() {
        let _ = browser.screenshot(shot("failure")).await;
    }
    browser.close().await?;
    outcome
}

/// The `aria-pressed` of the toggle button of the card named `name`.
async fn pressed(browser: &Browser, name: &str) -> Result<String> {
    let script = "const card = [...document.querySelectorAll('li.extension')]\
                    .find(li => li.querySelector('.extension-name').textContent.trim() === arguments[0]);\
                  return card ? card.querySelector('button').getAttribute('aria-pressed') : null;";
    let value = browser.client().execute(script, vec![serde_json::json!(name)]).await?;
    value.as_str().map(str::to_owned).with_context(|| format!("no card named {name:?}"))
}

async fn journey(browser: &Browser, app: &TestApp) -> Result<()> {
    browser.client().set_window_size(DESKTOP.0, DESKTOP.1).await?;
    // The organization has bought seats of a plan that lands on the extension chooser.
    licensing::catalogue(&app.core, "extension_chooser").await?;
    let (org, subscription) = licensing::organization(&app.core, "acme", "cet-pro", 5).await?;

    // Registration: address, password, the emailed link.
    browser.goto(&app.at("/register")).await?;
    browser.wait_for_text("Create your account", PAGE_TIMEOUT).await?;
    browser.fill("Email address", EMAIL).await?;
    browser.click_button("Continue").await?;
    browser.wait_for_text("Choose a password", PAGE_TIMEOUT).await?;
    browser.fill("Password", PASSWORD).await?;
    browser.click_button("Continue").await?;
    browser.wait_for_text("Check your inbox", PAGE_TIMEOUT).await?;
    let mails = app.smtp.wait_for(1, PAGE_TIMEOUT).await?;
    let link = mails[0].links().into_iter().find(|l| l.contains("/verify-email")).context("no confirmation link")?;
    browser.goto(&link).await?;
    browser.wait_for_text("Confirm your email address", PAGE_TIMEOUT).await?;
    browser.click_button("Confirm my email address").await?;
    browser.wait_for_text("Complete your profile", PAGE_TIMEOUT).await?;

    // Meanwhile the organization's license admin gives the new account a seat.
    let user = app.core.user_by_email(EMAIL).await?;
    licensing::assign(&app.core, org, "cet-pro", user.id).await?;

    browser.fill("Given name", "Lin").await?;
    browser.fill("Family name", "Designer").await?;
    browser.click_button("Submit").await?;
    // The license lands the user on the chooser, with the profile step's thanks.
    browser.wait_for_text("Thank you — your account is ready.", PAGE_TIMEOUT).await?;
    let url = browser.current_url().await?;
    ensure!(url.path() == "/account/extensions", "landed on {url}");
    let text = browser.page_text().await?;
    ensure!(
        text.contains("Manufacturers") && text.contains("Utilities") && text.contains("Warehouse"),
        "the chooser lists the allowed extensions by group; page:\n{text}"
    );
    ensure!(pressed(browser, "Warehouse").await? == "false", "nothing selected yet");
    both_widths(browser, "1-chooser").await?;

    // Select, see it selected, select again to deselect — plain form posts.
    browser.click_button("Select Warehouse").await?;
    browser.wait_for_text("Warehouse is selected.", PAGE_TIMEOUT).await?;
    ensure!(pressed(browser, "Warehouse").await? == "true", "Warehouse is pressed");
    ensure!(pressed(browser, "Measure").await? == "false", "Measure is not");
    let badge = browser.client().find(Locator::Css("li.extension-selected button")).await?.text().await?;
    ensure!(badge.contains('✓') && badge.contains("Selected"), "the selected state is in words, not colour: {badge:?}");
    ensure!(app.core.selected_extensions(user.id).await? == ["warehouse"], "saved for the user");
    both_widths(browser, "2-selected").await?;

    browser.click_button("Selected Warehouse").await?;
    browser.wait_for_text("Warehouse is no longer selected.", PAGE_TIMEOUT).await?;
    ensure!(pressed(browser, "Warehouse").await? == "false", "Warehouse is deselected");
    ensure!(app.core.selected_extensions(user.id).await?.is_empty(), "the deselection is saved");
    both_widths(browser, "3-deselected").await?;

    // The subscription ends: nothing left to choose, and the way to the licenses.
    app.core.end_subscription(Actor::Operator, subscription, &RequestMeta::cli()).await?;
    browser.goto(&app.at("/account/extensions")).await?;
    browser.wait_for_text("None of your licenses includes extensions.", PAGE_TIMEOUT).await?;
    ensure!(!browser.page_text().await?.contains("Warehouse"), "no extension is offered any more");
    both_widths(browser, "4-empty").await?;
    browser.click_link("See your licenses").await?;
    browser.wait_for_text("Licenses and downloads", PAGE_TIMEOUT).await?;
    Ok(())
}

/// A page on another origin (`localhost` instead of `127.0.0.1`) standing for the marketplace.
async fn marketplace() -> Result<url::Url> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let router = axum::Router::new().route("/", axum::routing::get(|| async { "The marketplace" }));
    tokio::spawn(async move { axum::serve(listener, router).await });
    Ok(url::Url::parse(&format!("http://localhost:{port}/"))?)
}

#[tokio::test]
async fn a_user_without_a_license_signs_in_and_lands_on_the_marketplace_of_another_origin_in_a_browser() -> Result<()> {
    let Some(browser) = Browser::launch().await? else { return Ok(()) };
    let market = marketplace().await?;
    let configured = market.clone();
    let configure = Box::new(move |c: &mut keystead_core::config::Config| c.licenses.no_license_url = Some(configured));
    let app =
        TestApp::start(keystead_testkit::TestAppOptions { configure: Some(configure), ..Default::default() }).await?;
    super::auth::active_user(&app, "nobody@example.com").await;
    let outcome = async {
        browser.goto(&app.at("/sign-in")).await?;
        browser.fill("Email address", "nobody@example.com").await?;
        browser.click_button("Continue").await?;
        browser.wait_for_text("Signing in as", PAGE_TIMEOUT).await?;
        browser.fill("Password", super::auth::PASSWORD).await?;
        browser.click_button("Sign in").await?;
        browser.wait_for_text("The marketplace", PAGE_TIMEOUT).await?;
        let url = browser.current_url().await?;
        ensure!(url.origin() == market.origin(), "landed on {url}");
        Ok(())
    }
    .await;
    if outcome.is_err() {
        let _ = browser.screenshot(shot("marketplace-failure")).await;
    }
    browser.close().await?;
    outcome
}
