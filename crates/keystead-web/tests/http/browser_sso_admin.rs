//! The organization's Single sign-on page in a browser: an owner with a SAML connection turns
//! on "members must sign in through single sign-on" and disables nothing by mistake — the page
//! at desktop and phone width (390 px), where nothing may stick out sideways: the long URLs to
//! copy wrap inside their card. The API token made there is then listed, with its organization,
//! and revoked in My Account → Developer.

use std::time::Duration;

use anyhow::{Context as _, Result, ensure};
use keystead_core::audit::RequestMeta;
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_core::sso::{NewSamlConnection, SamlMetadataSource};
use keystead_testkit::TestApp;
use keystead_testkit::browser::{Browser, screenshot_dir};

use super::auth::{PASSWORD, active_user};
use super::sso_admin::idp_metadata;

const PAGE_TIMEOUT: Duration = Duration::from_secs(15);

#[tokio::test]
async fn the_single_sign_on_page_sets_the_policy_and_fits_a_phone_in_a_browser() -> Result<()> {
    let Some(browser) = Browser::launch().await? else { return Ok(()) };
    let app = TestApp::new().await;
    let outcome = journey(&browser, &app).await;
    if outcome.is_err() {
        let _ = browser.screenshot(screenshot_dir().join("sso/admin-failure.png")).await;
    }
    browser.close().await?;
    outcome
}

/// How far the page sticks out to the right of the window, in CSS pixels.
async fn overflow(browser: &Browser) -> Result<i64> {
    let script = "return document.documentElement.scrollWidth - window.innerWidth;";
    let value = browser.client().execute(script, vec![]).await.context("measuring the page width")?;
    value.as_i64().context("a width in pixels")
}

async fn journey(browser: &Browser, app: &TestApp) -> Result<()> {
    let meta = RequestMeta::cli();
    let ada = active_user(app, "ada@example.com").await;
    let new = NewOrganization { name: "Acme", slug: Some("acme"), owner: Some(ada) };
    let org = app.core.create_organization(Actor::Operator, new, &meta).await?.id;
    let saml = NewSamlConnection {
        name: "Acme SSO".into(),
        metadata: SamlMetadataSource::Xml(idp_metadata(0)),
        claim_mapping: None,
        trust_idp_mfa: true,
    };
    app.core.add_saml_connection(Actor::Operator, org, saml, &meta).await?;

    browser.goto(&app.at("/sign-in")).await?;
    browser.fill("Email address", "ada@example.com").await?;
    browser.click_button("Continue").await?;
    browser.wait_for_text("Signing in as", PAGE_TIMEOUT).await?;
    browser.fill("Password", PASSWORD).await?;
    browser.click_button("Sign in").await?;
    browser.wait_for_text("You are signed in as", PAGE_TIMEOUT).await?;

    browser.goto(&app.at("/org/acme/sso")).await?;
    browser.wait_for_text("Assertion consumer service (ACS) URL", PAGE_TIMEOUT).await?;
    browser.check("Members must sign in through single sign-on").await?;
    browser.click_button("Save policy").await?;
    browser.wait_for_text("Members now sign in through single sign-on", PAGE_TIMEOUT).await?;
    ensure!(app.core.sso_required(Actor::Operator, org).await?, "the policy is saved");

    browser.client().set_window_size(390, 844).await.context("resizing to phone width")?;
    browser.client().execute("document.querySelector('.account-main h1').scrollIntoView();", vec![]).await?;
    browser.screenshot(screenshot_dir().join("sso/admin-phone.png")).await?;
    browser.client().execute("document.getElementById('saml-heading').scrollIntoView();", vec![]).await?;
    browser.screenshot(screenshot_dir().join("sso/admin-phone-forms.png")).await?;
    let sideways = overflow(browser).await?;
    ensure!(sideways <= 0, "the page is {sideways} px wider than a 390 px phone");
    browser.client().set_window_size(1280, 900).await.context("resizing to desktop width")?;
    browser.client().execute("window.scrollTo(0, 0);", vec![]).await?;
    browser.screenshot(screenshot_dir().join("sso/admin.png")).await?;

    // Edit the connection: a new name, saved back to the list.
    browser.click_link("Edit Acme SSO").await?;
    browser.wait_for_text("New metadata XML (optional)", PAGE_TIMEOUT).await?;
    browser.screenshot(screenshot_dir().join("sso/edit.png")).await?;
    phone_fits(browser, "sso/edit-phone.png").await?;
    browser.fill("Name", "Acme Entra").await?;
    browser.click_button("Save changes").await?;
    browser.wait_for_text("Acme Entra is saved.", PAGE_TIMEOUT).await?;

    // API tokens: one made, shown once, listed.
    browser.goto(&app.at("/org/acme/tokens")).await?;
    browser.wait_for_text("No token yet.", PAGE_TIMEOUT).await?;
    browser.fill("Name", "Entra provisioning").await?;
    browser.check("Provision users and groups through SCIM 2.0. (scim)").await?;
    browser.click_button("Create token").await?;
    browser.wait_for_text("Copy your new token now", PAGE_TIMEOUT).await?;
    browser.screenshot(screenshot_dir().join("sso/tokens.png")).await?;
    phone_fits(browser, "sso/tokens-phone.png").await?;

    // My Account → Developer lists it with its organization; revoked there.
    browser.goto(&app.at("/account/developer")).await?;
    browser.wait_for_text("Entra provisioning", PAGE_TIMEOUT).await?;
    browser.screenshot(screenshot_dir().join("account/developer.png")).await?;
    phone_fits(browser, "account/developer-phone.png").await?;
    browser.click_button("Revoke Entra provisioning").await?;
    browser.wait_for_text("The token is revoked", PAGE_TIMEOUT).await?;
    Ok(())
}

/// At phone width: a screenshot, and nothing sticks out sideways; then back to desktop width.
async fn phone_fits(browser: &Browser, shot: &str) -> Result<()> {
    browser.client().set_window_size(390, 844).await.context("resizing to phone width")?;
    browser.screenshot(screenshot_dir().join(shot)).await?;
    let sideways = overflow(browser).await?;
    ensure!(sideways <= 0, "{shot}: the page is {sideways} px wider than a 390 px phone");
    browser.client().set_window_size(1280, 900).await.context("resizing to desktop width")?;
    Ok(())
}
