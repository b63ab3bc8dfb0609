//! The browser journey of an organization guest: an admin invites a new person as a guest; the
//! guest registers through the emailed link, sees both of their organizations in My Account,
//! switches with "Log in", joins an open group and is refused a closed one; the admin then
//! changes the guest's role. Every field is found by its label; each step is saved as a screenshot.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, Result, ensure};
use keystead_core::audit::RequestMeta;
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::TestApp;
use keystead_testkit::browser::{Browser, screenshot_dir};

use super::auth::{PASSWORD, active_user};

const PAGE_TIMEOUT: Duration = Duration::from_secs(15);
const GUEST: &str = "grace.guest@example.com";
const GUEST_PASSWORD: &str = "amber willow compass 1843";

fn shot(name: &str) -> PathBuf {
    screenshot_dir().join("organizations").join(format!("{name}.png"))
}

#[tokio::test]
async fn an_invited_guest_registers_switches_organizations_and_joins_groups_in_a_browser() -> Result<()> {
    let Some(browser) = Browser::launch().await? else { return Ok(()) };
    let app = TestApp::new().await;
    let outcome = journey(&browser, &app).await;
    if outcome.is_err() {
        let _ = browser.screenshot(shot("failure")).await;
    }
    browser.close().await?;
    outcome
}

pub(crate) async fn sign_in(browser: &Browser, app: &TestApp, email: &str, password: &str) -> Result<()> {
    browser.client().delete_all_cookies().await.context("signing out by clearing cookies")?;
    browser.goto(&app.at("/sign-in")).await?;
    browser.wait_for_text("Email address", PAGE_TIMEOUT).await?;
    browser.fill("Email address", email).await?;
    browser.click_button("Continue").await?;
    browser.wait_for_text("Signing in as", PAGE_TIMEOUT).await?;
    browser.fill("Password", password).await?;
    browser.click_button("Sign in").await?;
    browser.wait_for_text("You are signed in as", PAGE_TIMEOUT).await
}

async fn journey(browser: &Browser, app: &TestApp) -> Result<()> {
    let meta = RequestMeta::cli();
    let ada = active_user(app, "ada@example.com").await;
    let acme = NewOrganization { name: "Acme", slug: None, owner: Some(ada) };
    let acme = app.core.create_organization(Actor::Operator, acme, &meta).await?.id;
    app.core.create_group(Actor::User(ada), acme, "Beta testers", "Try new releases first", "open", &meta).await?;
    app.core.create_group(Actor::User(ada), acme, "Staff", "Employees only", "closed", &meta).await?;

    // The admin invites a new person as a guest.
    sign_in(browser, app, "ada@example.com", PASSWORD).await?;
    browser.goto(&app.at("/account/organizations")).await?;
    browser.wait_for_text("Acme", PAGE_TIMEOUT).await?;
    browser.click_link("Manage").await?;
    browser.wait_for_text("Invite someone", PAGE_TIMEOUT).await?;
    browser.fill("Email address", GUEST).await?;
    browser.fill("Role", "Guest").await?;
    browser.click_button("Send invitation").await?;
    browser.wait_for_text(&format!("An invitation is on its way to {GUEST}."), PAGE_TIMEOUT).await?;
    browser.screenshot(shot("1-invited")).await?;

    // The guest opens the emailed link and registers through it.
    let mails = app.smtp.wait_for(1, PAGE_TIMEOUT).await?;
    let link = mails[0].links().into_iter().find(|l| l.contains("/invitations/accept?token=")).context("no link")?;
    browser.client().delete_all_cookies().await?;
    browser.goto(&link).await?;
    browser.wait_for_text(&format!("{GUEST} is invited to join Acme as Guest."), PAGE_TIMEOUT).await?;
    browser.screenshot(shot("2-invitation")).await?;
    browser.fill("Password", GUEST_PASSWORD).await?;
    browser.click_button("Create account and join").await?;
    // The link proved the address; the names the deployment requires come first.
    browser.wait_for_text("Complete your profile", PAGE_TIMEOUT).await?;
    browser.fill("Given name", "Grace").await?;
    browser.fill("Family name", "Guest").await?;
    browser.click_button("Submit").await?;
    // No license: the landing is the home page (no `licenses.no_license_url` here).
    browser.wait_for_text("Thank you — your account is ready.", PAGE_TIMEOUT).await?;
    let guest = app.core.user_by_email(GUEST).await?;
    ensure!(guest.email_verified_at.is_some(), "the link proved the address");

    // The guest has an organization of their own too: both are listed, Acme is the current one.
    let own = NewOrganization { name: "Grace Consulting", slug: None, owner: Some(guest.id) };
    app.core.create_organization(Actor::Operator, own, &meta).await?;
    browser.goto(&app.at("/account/organizations")).await?;
    browser.wait_for_text("Grace Consulting", PAGE_TIMEOUT).await?;
    let text = browser.page_text().await?;
    ensure!(text.contains("Acme") && text.contains("Current") && text.contains("Guest"), "{text}");
    browser.screenshot(shot("3-organizations")).await?;

    // "Log in" switches without signing in again, and back.
    browser.click_button("Log in to Grace Consulting").await?;
    browser.wait_for_text("You are now working in Grace Consulting.", PAGE_TIMEOUT).await?;
    browser.click_button("Log in to Acme").await?;
    browser.wait_for_text("You are now working in Acme.", PAGE_TIMEOUT).await?;
    let sessions = app.core.sessions_of(guest.id).await?;
    ensure!(sessions[0].active_organization == Some(acme), "the session's active organization is Acme");

    // Groups of the active organization: an open one is joined, a closed one refuses.
    browser.click_link("Groups").await?;
    browser.wait_for_text("Your groups in Acme", PAGE_TIMEOUT).await?;
    browser.click_button("Join Beta testers").await?;
    browser.wait_for_text("You joined the group.", PAGE_TIMEOUT).await?;
    // A closed group offers no "Join" that could only be refused.
    let text = browser.page_text().await?;
    ensure!(text.contains("Staff") && !text.contains("Join Staff"), "{text}");
    ensure!(text.contains("An administrator adds members."), "{text}");
    browser.screenshot(shot("4-groups")).await?;
    let groups = app.core.groups_for(guest.id, acme).await?;
    let joined: Vec<_> = groups.iter().filter(|g| g.is_member).map(|g| g.name.as_str()).collect();
    ensure!(joined == ["Beta testers"], "joined {joined:?}");

    // The admin changes the guest's role.
    sign_in(browser, app, "ada@example.com", PASSWORD).await?;
    browser.goto(&app.at("/org/acme/members")).await?;
    browser.wait_for_text(GUEST, PAGE_TIMEOUT).await?;
    browser.fill(&format!("Role of {GUEST}"), "Member").await?;
    browser.click_button(&format!("Change role of {GUEST}")).await?;
    browser.wait_for_text("The role is now Member.", PAGE_TIMEOUT).await?;
    browser.screenshot(shot("5-role-changed")).await?;
    let page = app.core.organization_members(Actor::User(ada), acme, GUEST, 0).await?;
    ensure!(page.members.first().is_some_and(|m| m.role == "member"), "{:?}", page.members);

    // Every admin page of the organization, in the console's layout, at both widths.
    let pages = [("members", "Members"), ("groups", "Groups"), ("roles", "Roles"), ("licenses", "Licenses")];
    let more = [("sso", "Single sign-on"), ("tokens", "API tokens"), ("settings", "Settings")];
    for (path, heading) in pages.into_iter().chain(more) {
        browser.goto(&app.at(&format!("/org/acme/{path}"))).await?;
        browser.wait_for_text(heading, PAGE_TIMEOUT).await?;
        super::browser_console::both_widths_in(browser, "organizations", &format!("6-{path}")).await?;
    }
    Ok(())
}
