//! The browser journey through My Account, as a person walks it: register with a required
//! agreement, complete the profile, upload a picture, rename, change the password with an
//! emailed code, sign out another device, download the data, close the account, reactivate it
//! during the grace period — and a second account that is purged once the grace period ends.
//! Every field is found by its label; every section is saved at desktop and phone width.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, Result, bail, ensure};
use fantoccini::Locator;
use fantoccini::elements::Element;
use keystead_core::accounts::UserStatus;
use keystead_core::accounts::sign_in::INVALID_CREDENTIALS;
use keystead_core::audit::RequestMeta;
use keystead_core::clock::Clock as _;
use keystead_core::jobs::JobRunner;
use keystead_testkit::TestApp;
use keystead_testkit::browser::{Browser, screenshot_dir};
use keystead_testkit::smtp::ReceivedMail;

/// How long a page (or an email) may take to show what we wait for.
const PAGE_TIMEOUT: Duration = Duration::from_secs(15);

const EMAIL: &str = "grace.hopper@example.com";
const PASSWORD: &str = "velvet harbour kettle mosaic 1906";
const NEW_PASSWORD: &str = "copper lantern orchard violin 1952";
const SECOND_EMAIL: &str = "alan.turing@example.com";

/// Desktop window size (the session starts at this size).
const DESKTOP: (u32, u32) = (1280, 900);
/// A common phone viewport.
const PHONE: (u32, u32) = (390, 844);

/// The sections of My Account: navigation label, a text its page shows, screenshot name.
const SECTIONS: [(&str, &str, &str); 9] = [
    ("Profile", "Profile picture", "profile"),
    ("Email address", "Email address", "email"),
    ("Password", "Repeat the new password", "password"),
    ("Security", "Sessions and devices", "security"),
    ("Notifications", "Notifications", "notifications"),
    ("Billing address", "Billing address", "billing"),
    ("Agreements", "Every version you accepted", "agreements"),
    ("Your data", "Download your data", "data"),
    ("Close account", "I have carefully read and accept the above", "close"),
];

fn shot(name: &str) -> PathBuf {
    screenshot_dir().join("account").join(format!("{name}.png"))
}

/// Saves `name` at desktop width and `name-phone` at phone width, then goes back to desktop.
async fn both_widths(browser: &Browser, name: &str) -> Result<()> {
    browser.screenshot(shot(name)).await?;
    browser.client().set_window_size(PHONE.0, PHONE.1).await.context("resizing to phone width")?;
    let saved = browser.screenshot(shot(&format!("{name}-phone"))).await;
    browser.client().set_window_size(DESKTOP.0, DESKTOP.1).await.context("resizing to desktop width")?;
    saved
}

/// The date as pages and emails show it ("7 March 2026").
fn long_date(t: time::OffsetDateTime) -> Result<String> {
    Ok(t.format(time::macros::format_description!("[day padding:none] [month repr:long] [year]"))?)
}

#[tokio::test]
async fn a_person_walks_through_my_account_closes_it_and_comes_back_in_a_browser() -> Result<()> {
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
    app.core
        .publish_agreement("terms", "Terms of Service", TERMS, true, &RequestMeta::cli())
        .await
        .context("publishing the Terms of Service")?;
    register_and_complete_profile(browser, app, EMAIL, ("Grace", "Hopper"), true).await?;
    open_my_account(browser).await?;
    upload_picture(browser).await?;
    rename(browser).await?;
    change_password(browser, app).await?;
    sign_out_the_other_device(browser, app).await?;
    download_data(browser).await?;
    tour_every_section(browser).await?;
    close_account(browser, app, NEW_PASSWORD, true).await?;
    reactivate(browser, app).await?;
    second_account_is_purged_after_the_grace_period(browser, app).await
}

const TERMS: &str = "## Using Keystead\n\nBe kind. Keep your password to yourself.\n\n## Your data\n\nWe keep what you give us and nothing else.";

/// Home → "Create account" → address → password → the emailed link → "Complete your profile".
async fn register_and_complete_profile(
    browser: &Browser,
    app: &TestApp,
    email: &str,
    (given, family): (&str, &str),
    screenshots: bool,
) -> Result<()> {
    browser.goto(app.url.as_str()).await?;
    browser.click_link("Create account").await?;
    browser.wait_for_text("Create your account", PAGE_TIMEOUT).await?;
    browser.fill("Email address", email).await?;
    browser.click_button("Continue").await?;
    browser.wait_for_text("Choose a password", PAGE_TIMEOUT).await?;
    browser.fill("Password", PASSWORD).await?;
    browser.click_button("Continue").await?;
    browser.wait_for_text("Check your inbox", PAGE_TIMEOUT).await?;

    let mail = wait_for_mail(app, email, |m| m.links().iter().any(|l| l.contains("/verify-email"))).await?;
    let link = mail.links().into_iter().find(|l| l.contains("/verify-email")).context("the confirmation link")?;
    browser.goto(&link).await?;
    browser.wait_for_text("Confirm your email address", PAGE_TIMEOUT).await?;
    browser.click_button("Confirm my email address").await?;

    browser.wait_for_text("Complete your profile", PAGE_TIMEOUT).await?;
    let text = browser.page_text().await?;
    ensure!(text.contains("Terms of Service") && text.contains("Be kind."), "the agreement is shown; page:\n{text}");
    if screenshots {
        both_widths(browser, "00-complete-profile").await?;
    }
    browser.fill("Given name", given).await?;
    browser.fill("Family name", family).await?;
    browser.click_button("Submit").await?;
    // The agreement is required: without the tick the page says so and keeps the names.
    browser.wait_for_text("Complete your profile", PAGE_TIMEOUT).await?;
    if screenshots {
        wait_for_field_error(browser).await?;
        both_widths(browser, "00-complete-profile-error").await?;
    }
    browser.check("I accept the Terms of Service").await?;
    browser.click_button("Submit").await?;
    browser.wait_for_text("Thank you — your account is ready.", PAGE_TIMEOUT).await?;
    let text = browser.page_text().await?;
    ensure!(text.contains(&format!("You are signed in as {given} {family}")), "signed in; page:\n{text}");
    Ok(())
}

/// Waits until the page shows a field error (the required agreement not ticked).
async fn wait_for_field_error(browser: &Browser) -> Result<()> {
    let deadline = tokio::time::Instant::now() + PAGE_TIMEOUT;
    while browser.client().find(Locator::Css(".field-error")).await.is_err() {
        ensure!(tokio::time::Instant::now() < deadline, "no error for the unticked agreement");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}

/// Waits for an email to `to` that `matches`.
async fn wait_for_mail(app: &TestApp, to: &str, matches: impl Fn(&ReceivedMail) -> bool) -> Result<ReceivedMail> {
    let deadline = tokio::time::Instant::now() + PAGE_TIMEOUT;
    loop {
        if let Some(mail) = app.smtp.messages().into_iter().rev().find(|m| m.to() == [to] && matches(m)) {
            return Ok(mail);
        }
        ensure!(tokio::time::Instant::now() < deadline, "no matching email to {to} after {PAGE_TIMEOUT:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The six-digit code that starts an email's subject.
fn code_of(mail: &ReceivedMail) -> Option<String> {
    let subject = mail.subject()?;
    let code: String = subject.chars().take(6).collect();
    (code.len() == 6 && code.chars().all(|c| c.is_ascii_digit())).then_some(code)
}

/// The account menu in the header → "My Account" (the overview) → its profile section.
async fn open_my_account(browser: &Browser) -> Result<()> {
    open_account_menu(browser).await?;
    browser.click_link("My Account").await?;
    browser.wait_for_text("You are signed in as", PAGE_TIMEOUT).await?;
    let mut url = browser.current_url().await?;
    ensure!(url.path() == "/account", "My Account opens on the overview");
    url.set_path("/account/profile");
    browser.goto(url.as_str()).await?;
    browser.wait_for_text("Profile picture", PAGE_TIMEOUT).await?;
    Ok(())
}

/// Opens the `<details>` account menu; returns the name its summary shows.
async fn open_account_menu(browser: &Browser) -> Result<String> {
    let summary = browser
        .client()
        .find(Locator::Css("details.account-menu > summary"))
        .await
        .context("the account menu in the header")?;
    let name = summary.text().await?.trim().to_owned();
    summary.click().await.context("opening the account menu")?;
    Ok(name)
}

/// The form control a `<label>` reading exactly `label` points at.
async fn labelled(browser: &Browser, label: &str) -> Result<Element> {
    let xpath = format!("//label[normalize-space()='{label}']");
    let found = browser.client().find(Locator::XPath(&xpath)).await.with_context(|| format!("a label {label:?}"))?;
    let id = found.attr("for").await?.with_context(|| format!("the label {label:?} has no `for`"))?;
    browser.client().find(Locator::Id(&id)).await.with_context(|| format!("the field of the label {label:?}"))
}

/// Writes a small generated PNG and returns its path.
fn write_png(dir: &Path) -> Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("keystead-picture-{}.png", std::process::id()));
    let img = image::RgbImage::from_fn(96, 64, |x, y| {
        let x = u8::try_from(x * 2).unwrap_or(u8::MAX);
        let y = u8::try_from(y * 3).unwrap_or(u8::MAX);
        image::Rgb([x, 90, y])
    });
    img.save(&path).with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}

/// Profile → "Upload a picture" → the picture is shown instead of the initials.
async fn upload_picture(browser: &Browser) -> Result<()> {
    let path = write_png(&std::env::temp_dir())?;
    let input = labelled(browser, "Upload a picture").await?;
    input.send_keys(&path.display().to_string()).await.context("choosing the picture file")?;
    browser.click_button("Upload picture").await?;
    browser.wait_for_text("Your profile picture is saved.", PAGE_TIMEOUT).await?;
    let _ = std::fs::remove_file(&path);
    browser.screenshot(shot("01-picture-uploaded")).await?;
    // Shown, loaded, and the field now offers a replacement.
    let loaded = browser
        .client()
        .execute(
            "const img = document.querySelector('img[alt=\"Your profile picture\"]');
             return img ? [img.complete, img.naturalWidth, img.currentSrc] : null;",
            vec![],
        )
        .await?;
    let Some([complete, width, src]) = loaded.as_array().map(Vec::as_slice) else {
        bail!("no uploaded picture on the profile page: {loaded}");
    };
    ensure!(complete == true && width.as_u64().is_some_and(|w| w > 0), "the picture did not load: {loaded}");
    ensure!(src.as_str().is_some_and(|s| !s.contains("data:")), "the picture is the upload, not initials: {src}");
    labelled(browser, "Replace the picture").await?;
    browser
        .client()
        .find(Locator::XPath("//button[normalize-space()='Remove profile picture']"))
        .await
        .context("a button to remove the uploaded picture")?;
    Ok(())
}

/// Profile → change the family name → Save → the header shows the new name.
async fn rename(browser: &Browser) -> Result<()> {
    browser.fill("Family name", "Hopper-Murray").await?;
    browser.click_button("Save").await?;
    browser.wait_for_text("Your profile is saved.", PAGE_TIMEOUT).await?;
    browser.screenshot(shot("02-profile-saved")).await?;
    let name = browser.client().find(Locator::Css("details.account-menu > summary")).await?.text().await?;
    ensure!(name.trim() == "Grace Hopper-Murray", "the header shows the new name, not {name:?}");
    Ok(())
}

/// Password → current + new twice → Continue → the emailed code → saved.
async fn change_password(browser: &Browser, app: &TestApp) -> Result<()> {
    browser.click_link("Password").await?;
    browser.wait_for_text("Repeat the new password", PAGE_TIMEOUT).await?;
    browser.fill("Current password", PASSWORD).await?;
    browser.fill("New password", NEW_PASSWORD).await?;
    browser.fill("Repeat the new password", NEW_PASSWORD).await?;
    browser.click_button("Continue").await?;
    browser.wait_for_text("We sent a six-digit code", PAGE_TIMEOUT).await?;
    both_widths(browser, "03-password-code").await?;
    let mail = wait_for_mail(app, EMAIL, |m| code_of(m).is_some()).await?;
    let code = code_of(&mail).context("the code")?;
    browser.fill("Confirmation code", &code).await?;
    browser.click_button("Save the new password").await?;
    browser.wait_for_text("Your new password is saved.", PAGE_TIMEOUT).await?;
    browser.screenshot(shot("03-password-saved")).await
}

/// "Sign in" → address → password, in `browser`; returns the page text after signing in.
async fn sign_in(browser: &Browser, app: &TestApp, email: &str, password: &str, expect: &str) -> Result<String> {
    browser.goto(&app.at("/sign-in")).await?;
    browser.wait_for_text("Email address", PAGE_TIMEOUT).await?;
    browser.fill("Email address", email).await?;
    browser.click_button("Continue").await?;
    browser.wait_for_text("Signing in as", PAGE_TIMEOUT).await?;
    browser.fill("Password", password).await?;
    browser.click_button("Sign in").await?;
    browser.wait_for_text(expect, PAGE_TIMEOUT).await?;
    browser.page_text().await
}

/// Signs in from a second browser, then Security → "Sign out all other sessions" there ends.
async fn sign_out_the_other_device(browser: &Browser, app: &TestApp) -> Result<()> {
    let Some(other) = Browser::launch().await? else { bail!("the second browser did not start") };
    let outcome = async {
        sign_in(&other, app, EMAIL, NEW_PASSWORD, "You are signed in as").await?;
        browser.click_link("Security").await?;
        browser.wait_for_text("Sign out all other sessions", PAGE_TIMEOUT).await?;
        both_widths(browser, "04-security-two-sessions").await?;
        browser.click_button("Sign out all other sessions").await?;
        browser.wait_for_text("1 other session is signed out.", PAGE_TIMEOUT).await?;
        browser.screenshot(shot("04-security-signed-out-others")).await?;
        let text = browser.page_text().await?;
        ensure!(!text.contains("Sign out all other sessions"), "only this session is left; page:\n{text}");

        other.goto(&app.at("/account/profile")).await?;
        other.wait_for_text("Sign in", PAGE_TIMEOUT).await?;
        let path = other.current_url().await?.path().to_owned();
        ensure!(path != "/account/profile", "the other browser is signed out, yet shows {path}");
        Ok(())
    }
    .await;
    other.close().await?;
    outcome
}

/// Your data → the "Download your data" link answers JSON about the account.
async fn download_data(browser: &Browser) -> Result<()> {
    browser.click_link("Your data").await?;
    browser.wait_for_text("Download your data", PAGE_TIMEOUT).await?;
    let link = browser.client().find(Locator::LinkText("Download your data")).await?;
    ensure!(link.attr("href").await?.as_deref() == Some("/account/data/download"), "the download link");
    // Fetched by the page itself, with its session cookie, as following the link would.
    let answer = browser
        .client()
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch('/account/data/download')
               .then(r => r.text().then(t => done([r.status, r.headers.get('content-type') || '',
                 r.headers.get('content-disposition') || '', t])))
               .catch(e => done([0, '', '', String(e)]));",
            vec![],
        )
        .await?;
    let Some([status, kind, disposition, body]) = answer.as_array().map(Vec::as_slice) else {
        bail!("the download answered {answer}");
    };
    ensure!(status == 200, "the download answered {status}: {body}");
    ensure!(kind.as_str().is_some_and(|k| k.contains("json")), "the download is JSON, not {kind}");
    ensure!(disposition.as_str().is_some_and(|d| d.contains("attachment")), "a download, not {disposition}");
    let json: serde_json::Value = serde_json::from_str(body.as_str().unwrap_or_default())?;
    let text = json.to_string();
    ensure!(text.contains(EMAIL) && text.contains("Hopper-Murray"), "the export has the account: {text}");
    Ok(())
}

/// Every section of My Account through its navigation, at desktop and phone width.
async fn tour_every_section(browser: &Browser) -> Result<()> {
    for (label, shows, name) in SECTIONS {
        browser.click_link(label).await?;
        browser.wait_for_text(shows, PAGE_TIMEOUT).await?;
        let current = browser
            .client()
            .find(Locator::Css(".account-nav a[aria-current=page]"))
            .await
            .with_context(|| format!("the current section in the navigation on {label}"))?
            .text()
            .await?;
        ensure!(current.trim() == label, "the navigation marks {current:?} on {label}");
        both_widths(browser, &format!("section-{name}")).await?;
    }
    Ok(())
}

/// Close account → tick → password → "Close my account" → signed out with the purge date.
async fn close_account(browser: &Browser, app: &TestApp, password: &str, screenshots: bool) -> Result<()> {
    browser.click_link("Close account").await?;
    browser.wait_for_text("I have carefully read and accept the above", PAGE_TIMEOUT).await?;
    let purge_date = long_date(app.clock.now() + time::Duration::days(30))?;
    browser.check("I have carefully read and accept the above").await?;
    browser.fill("Current password", password).await?;
    browser.click_button("Close my account").await?;
    browser.wait_for_text("Your account is closed and you are signed out.", PAGE_TIMEOUT).await?;
    if screenshots {
        both_widths(browser, "05-closed").await?;
    }
    let text = browser.page_text().await?;
    ensure!(text.contains(&purge_date), "the purge date {purge_date} is shown; page:\n{text}");
    ensure!(browser.current_url().await?.path() == "/sign-in", "closing leads to the sign-in page");
    ensure!(browser.client().find(Locator::Css("details.account-menu")).await.is_err(), "signed out");
    Ok(())
}

/// Signing in during the grace period offers "Reactivate your account".
async fn reactivate(browser: &Browser, app: &TestApp) -> Result<()> {
    let text = sign_in(browser, app, EMAIL, NEW_PASSWORD, "Reactivate your account").await?;
    let purge_date = long_date(app.clock.now() + time::Duration::days(30))?;
    ensure!(text.contains(&purge_date) && text.contains(EMAIL), "the offer names the date; page:\n{text}");
    both_widths(browser, "06-reactivate").await?;
    browser.click_button("Reactivate your account").await?;
    browser.wait_for_text("Welcome back: your account is active again.", PAGE_TIMEOUT).await?;
    browser.screenshot(shot("07-reactivated")).await?;
    let name = open_account_menu(browser).await?;
    ensure!(name == "Grace Hopper-Murray", "signed in again as {name:?}");
    Ok(())
}

/// Signs out, registers a second account, closes it the same way; 31 days later it is gone.
async fn second_account_is_purged_after_the_grace_period(browser: &Browser, app: &TestApp) -> Result<()> {
    // The menu is open from `reactivate`.
    browser.click_button("Sign out").await?;
    browser.wait_for_text("You are signed out.", PAGE_TIMEOUT).await?;
    register_and_complete_profile(browser, app, SECOND_EMAIL, ("Alan", "Turing"), false).await?;
    open_my_account(browser).await?;
    close_account(browser, app, PASSWORD, false).await?;
    app.core.user_by_email(SECOND_EMAIL).await.context("closing keeps the account for now")?;

    app.clock.advance(time::Duration::days(31));
    // The server's own runner runs beside this one and may hold the periodic job's lease.
    let deadline = tokio::time::Instant::now() + PAGE_TIMEOUT;
    while app.core.user_by_email(SECOND_EMAIL).await.is_ok() {
        ensure!(tokio::time::Instant::now() < deadline, "{SECOND_EMAIL} still there 31 days after closing");
        JobRunner::new(app.core.clone()).run_due().await?;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let first = app.core.user_by_email(EMAIL).await.context("the reactivated account is kept")?;
    ensure!(first.status == UserStatus::Active, "still active: {:?}", first.status);
    let text = sign_in(browser, app, SECOND_EMAIL, PASSWORD, INVALID_CREDENTIALS).await?;
    ensure!(!text.contains("Reactivate"), "a purged account cannot be reactivated; page:\n{text}");
    Ok(())
}
