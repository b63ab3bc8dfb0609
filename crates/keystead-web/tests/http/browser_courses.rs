//! My Account → Completed courses in a browser: the list a learning system filled, in German, at
//! desktop and phone width, with axe-core at both; screenshots under `courses/`.

use std::time::Duration;

use anyhow::{Context as _, Result, ensure};
use keystead_core::audit::RequestMeta;
use keystead_core::courses::NewCompletion;
use keystead_core::i18n::Locale;
use keystead_testkit::TestApp;
use keystead_testkit::browser::{Browser, screenshot_dir};

use super::auth::{PASSWORD, active_user};

const PAGE_TIMEOUT: Duration = Duration::from_secs(15);

#[tokio::test]
async fn a_user_reads_their_completed_courses_in_german_at_both_widths() -> Result<()> {
    let Some(browser) = Browser::launch().await? else { return Ok(()) };
    let app = TestApp::new().await;
    let outcome = journey(&browser, &app).await;
    if outcome.is_err() {
        let _ = browser.screenshot(screenshot_dir().join("courses").join("failure.png")).await;
    }
    browser.close().await?;
    outcome
}

async fn journey(browser: &Browser, app: &TestApp) -> Result<()> {
    let ada = active_user(app, "ada@example.com").await;
    let at = time::macros::datetime!(2025-11-20 09:30 UTC);
    let courses = [
        ("cet-201", "CET Pro — Ölçüm & Prüfung", Some(92.5), Some("https://learn.example/certificates/81")),
        ("cet-101", "CET Basics", None, None),
    ];
    for (i, (id, title, score, certificate)) in courses.into_iter().enumerate() {
        let completed_at = at - time::Duration::days(30 * i64::try_from(i)?);
        let new = NewCompletion { course_id: id, title, completed_at, score, certificate_url: certificate };
        app.core.record_course_completion(ada, &new, &RequestMeta::cli()).await?;
    }
    super::browser_organizations::sign_in(browser, app, "ada@example.com", PASSWORD).await?;
    let user = app.core.user_by_email("ada@example.com").await?;
    app.core.set_locale(&user, Some(Locale::De), &RequestMeta::cli()).await?;
    browser.client().set_window_size(1280, 900).await.context("sizing the window")?;
    browser.goto(&app.at("/account/courses")).await?;
    browser.wait_for_text("Abgeschlossene Kurse", PAGE_TIMEOUT).await?;
    let text = browser.page_text().await?;
    ensure!(text.contains("CET Pro — Ölçüm & Prüfung") && text.contains("92,5 %"), "{text}");
    ensure!(text.contains("20. November 2025") && text.contains("Zertifikat ansehen"), "{text}");
    browser.check_accessibility().await?;
    let dir = screenshot_dir().join("courses");
    browser.screenshot(dir.join("courses-de.png")).await?;
    browser.client().set_window_size(390, 844).await.context("resizing to phone width")?;
    browser.check_accessibility().await?;
    browser.screenshot(dir.join("courses-de-phone.png")).await?;
    Ok(())
}
