//! A German and a Turkish newcomer in a browser: the language switcher, registration, the
//! confirmation email in their language, "Complete your profile", and My Account's overview —
//! each step saved at 1280 px and at 390 px (`screenshots/languages/`), and every page checked
//! with axe-core by the browser helper.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, Result, ensure};
use keystead_testkit::TestApp;
use keystead_testkit::browser::{Browser, screenshot_dir};

const PAGE_TIMEOUT: Duration = Duration::from_secs(15);
const DESKTOP: (u32, u32) = (1280, 900);
const PHONE: (u32, u32) = (390, 844);
const PASSWORD: &str = "velvet harbour kettle mosaic 1843";

/// What a person reads at each step, in one language.
struct Words {
    tag: &'static str,
    switcher: &'static str,
    create_account: &'static str,
    register_title: &'static str,
    email_label: &'static str,
    next: &'static str,
    password_title: &'static str,
    password_label: &'static str,
    inbox_title: &'static str,
    mail_subject: &'static str,
    confirm_title: &'static str,
    confirm_button: &'static str,
    profile_title: &'static str,
    given_name: &'static str,
    family_name: &'static str,
    submit: &'static str,
    welcome: &'static str,
    overview: &'static str,
}

const GERMAN: Words = Words {
    tag: "de",
    switcher: "Deutsch",
    create_account: "Konto erstellen",
    register_title: "Konto erstellen",
    email_label: "E-Mail-Adresse",
    next: "Weiter",
    password_title: "Passwort wählen",
    password_label: "Passwort",
    inbox_title: "Prüfen Sie Ihr Postfach",
    mail_subject: "Bestätigen Sie",
    confirm_title: "E-Mail-Adresse bestätigen",
    confirm_button: "Meine E-Mail-Adresse bestätigen",
    profile_title: "Profil vervollständigen",
    given_name: "Vorname",
    family_name: "Nachname",
    submit: "Absenden",
    welcome: "Willkommen, Ada",
    overview: "Übersicht",
};

const TURKISH: Words = Words {
    tag: "tr",
    switcher: "Türkçe",
    create_account: "Hesap oluştur",
    register_title: "Hesabınızı oluşturun",
    email_label: "E-posta adresi",
    next: "Devam",
    password_title: "Bir parola seçin",
    password_label: "Parola",
    inbox_title: "Gelen kutunuzu kontrol edin",
    mail_subject: "doğrulayın",
    confirm_title: "E-posta adresinizi doğrulayın",
    confirm_button: "E-posta adresimi doğrula",
    profile_title: "Profilinizi tamamlayın",
    given_name: "Ad",
    family_name: "Soyadı",
    submit: "Gönder",
    welcome: "Hoş geldiniz, Ada",
    overview: "Genel bakış",
};

fn shot(w: &Words, name: &str) -> PathBuf {
    screenshot_dir().join("languages").join(format!("{}-{name}.png", w.tag))
}

/// Waits for `text`, then saves the page at desktop and at phone width.
async fn step(browser: &Browser, w: &Words, text: &str, name: &str) -> Result<()> {
    browser.wait_for_text(text, PAGE_TIMEOUT).await?;
    browser.screenshot(shot(w, name)).await?;
    browser.client().set_window_size(PHONE.0, PHONE.1).await.context("resizing to phone width")?;
    let wide: bool = browser
        .client()
        .execute("return document.documentElement.scrollWidth > window.innerWidth;", vec![])
        .await?
        .as_bool()
        .unwrap_or(true);
    let saved = browser.screenshot(shot(w, &format!("{name}-phone"))).await;
    browser.check_accessibility().await?;
    browser.client().set_window_size(DESKTOP.0, DESKTOP.1).await.context("resizing to desktop width")?;
    ensure!(!wide, "{name}: the page scrolls sideways at {} px", PHONE.0);
    saved
}

async fn journey(browser: &Browser, app: &TestApp, w: &Words, email: &str) -> Result<()> {
    browser.goto(app.url.as_str()).await?;
    browser.click_link(w.switcher).await?;
    step(browser, w, w.create_account, "01-home").await?;
    let lang: String =
        browser.client().execute("return document.documentElement.lang;", vec![]).await?.as_str().unwrap_or("").into();
    ensure!(lang == w.tag, "<html lang> is {lang:?}");

    browser.goto(&format!("{}register", app.url)).await?;
    step(browser, w, w.register_title, "02-register").await?;
    browser.fill(w.email_label, email).await?;
    browser.click_button(w.next).await?;

    step(browser, w, w.password_title, "03-password").await?;
    browser.fill(w.password_label, PASSWORD).await?;
    browser.click_button(w.next).await?;
    step(browser, w, w.inbox_title, "04-check-email").await?;

    let mails = app.smtp.wait_for(1, PAGE_TIMEOUT).await?;
    let mail = mails.iter().find(|m| m.to().iter().any(|to| to == email)).context("no email to the new address")?;
    let subject = mail.subject().unwrap_or_default();
    ensure!(subject.contains(w.mail_subject), "the confirmation email is in the page's language: {subject:?}");
    let link = mail.links().into_iter().find(|l| l.contains("/verify-email")).context("no confirmation link")?;
    browser.goto(&link).await?;
    step(browser, w, w.confirm_title, "05-confirm").await?;
    browser.click_button(w.confirm_button).await?;

    step(browser, w, w.profile_title, "06-complete-profile").await?;
    browser.fill(w.given_name, "Ada").await?;
    browser.fill(w.family_name, "Lovelace").await?;
    browser.click_button(w.submit).await?;

    step(browser, w, w.welcome, "07-overview").await?;
    ensure!(browser.current_url().await?.path() == "/account", "a newcomer lands on the overview");
    ensure!(browser.page_text().await?.contains(w.overview), "the overview is in the navigation");
    Ok(())
}

async fn walk(w: &Words, email: &str) -> Result<()> {
    let Some(browser) = Browser::launch().await? else { return Ok(()) };
    let app = TestApp::new().await;
    let outcome = journey(&browser, &app, w, email).await;
    if outcome.is_err() {
        let _ = browser.screenshot(shot(w, "failure")).await;
    }
    browser.close().await?;
    outcome
}

#[tokio::test]
async fn a_german_newcomer_registers_and_reaches_my_account_in_german_in_a_browser() -> Result<()> {
    walk(&GERMAN, "grete.weber@example.com").await
}

#[tokio::test]
async fn a_turkish_newcomer_registers_and_reaches_my_account_in_turkish_in_a_browser() -> Result<()> {
    walk(&TURKISH, "ilkay.sahin@example.com").await
}
