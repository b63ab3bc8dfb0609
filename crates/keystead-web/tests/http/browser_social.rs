//! Social sign-in in a real browser: the sign-in page shows "Continue with GitHub" (desktop and
//! phone screenshots), a click goes to GitHub (the test kit's stand-in, another origin), which
//! answers at once, and the person is back signed in with an account made just now; My Account
//! → Security lists GitHub among the ways they sign in.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Result, ensure};
use keystead_testkit::TestApp;
use keystead_testkit::browser::{Browser, screenshot_dir};
use keystead_testkit::github::{GithubAccount, GithubStandIn};

const PAGE_TIMEOUT: Duration = Duration::from_secs(15);
const DESKTOP: (u32, u32) = (1280, 900);
const PHONE: (u32, u32) = (390, 844);

fn shot(name: &str) -> PathBuf {
    screenshot_dir().join("social").join(format!("{name}.png"))
}

#[tokio::test]
async fn a_person_continues_with_github_in_a_browser() -> Result<()> {
    let Some(browser) = Browser::launch().await? else { return Ok(()) };
    let account = GithubAccount {
        id: 583231,
        login: "octocat".into(),
        name: Some("Mona Octocat".into()),
        emails: vec![("mona@work.example".into(), true, true)],
    };
    let github = GithubStandIn::start(account).await?;
    let settings = github.settings();
    let configure: keystead_testkit::app::Configure = Box::new(move |c| {
        c.outbound.allow_private_networks = true;
        c.social.github = Some(settings);
    });
    let sp =
        TestApp::start(keystead_testkit::TestAppOptions { configure: Some(configure), ..Default::default() }).await?;
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
    browser.wait_for_text("Continue with GitHub", PAGE_TIMEOUT).await?;
    browser.screenshot(shot("01-sign-in")).await?;
    browser.client().set_window_size(PHONE.0, PHONE.1).await?;
    browser.screenshot(shot("01-sign-in-phone")).await?;
    browser.client().set_window_size(DESKTOP.0, DESKTOP.1).await?;
    browser.click_link("Continue with GitHub").await?;

    browser.wait_for_text("You are signed in as", PAGE_TIMEOUT).await?;
    let back = browser.current_url().await?;
    ensure!(back.as_str().starts_with(sp.url.as_str()), "back at Keystead: {back}");
    ensure!(browser.page_text().await?.contains("mona@work.example"), "signed in as GitHub's verified address");
    browser.screenshot(shot("02-signed-in")).await?;
    browser.goto(&sp.at("/account/security")).await?;
    browser.wait_for_text("GitHub", PAGE_TIMEOUT).await?;
    browser.screenshot(shot("03-security-linked")).await?;
    Ok(())
}
