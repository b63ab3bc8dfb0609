//! Invoices in a browser: a billing administrator opens My Account → Invoices, follows an
//! invoice (issued by the billing system, in Turkish lira with Turkish letters) to its page,
//! reads it at desktop and phone width with axe-core at both, and downloads its PDF through the
//! page's link; screenshots under `invoices/`.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::{Context as _, Result, ensure};
use keystead_core::audit::RequestMeta;
use keystead_core::invoices::{NewInvoice, NewLine, Owner};
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::TestApp;
use keystead_testkit::browser::{Browser, screenshot_dir};

use super::auth::{PASSWORD, active_user};

const PAGE_TIMEOUT: Duration = Duration::from_secs(15);

#[tokio::test]
async fn a_billing_admin_opens_an_invoice_and_downloads_its_pdf() -> Result<()> {
    let Some(browser) = Browser::launch().await? else { return Ok(()) };
    let app = TestApp::new().await;
    let outcome = journey(&browser, &app).await;
    if outcome.is_err() {
        let _ = browser.screenshot(screenshot_dir().join("invoices").join("failure.png")).await;
    }
    browser.close().await?;
    outcome
}

/// Acme Çelik with Ada its billing administrator, and an invoice in Turkish lira; its id.
async fn issue(app: &TestApp) -> Result<keystead_core::ids::InvoiceId> {
    let cli = RequestMeta::cli();
    let ada = active_user(app, "ada@example.com").await;
    let org = app
        .core
        .create_organization(
            Actor::Operator,
            NewOrganization { name: "Acme Çelik", slug: Some("acme"), owner: None },
            &cli,
        )
        .await?;
    app.core.add_organization_member(Actor::Operator, org.id, ada, "billing_admin", &cli).await?;
    let address: HashMap<String, String> = [
        ("name", "Ayşe Yılmaz"),
        ("line1", "İstiklal Caddesi 5"),
        ("postal_code", "34433"),
        ("city", "İstanbul"),
        ("country", "TR"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    app.core.set_billing_address(ada, &address, &cli).await?;
    let lines = vec![
        NewLine {
            description: "CET Pro koltuk lisansı (yıllık)",
            quantity: 3,
            unit_price_minor: 450_000,
            tax_rate_percent: 20.0,
        },
        NewLine {
            description: "Eğitim: Ölçüm ve güvenlik",
            quantity: 1,
            unit_price_minor: 125_050,
            tax_rate_percent: 20.0,
        },
    ];
    let doc = NewInvoice {
        number: "2025-0042",
        issued_on: "2025-12-01",
        due_on: "2025-12-31",
        currency: "TRY",
        lines,
        bill_to: Some("ada@example.com"),
        language: Some("tr"),
        ..NewInvoice::default()
    };
    let (invoice, _) = app.core.create_invoice(Owner::Organization(org.id), &doc, &cli).await?;
    Ok(invoice.id)
}

async fn journey(browser: &Browser, app: &TestApp) -> Result<()> {
    let invoice = issue(app).await?;

    super::browser_organizations::sign_in(browser, app, "ada@example.com", PASSWORD).await?;
    browser.client().set_window_size(1280, 900).await.context("sizing the window")?;
    browser.goto(&app.at("/account/invoices")).await?;
    browser.wait_for_text("2025-0042", PAGE_TIMEOUT).await?;
    let text = browser.page_text().await?;
    ensure!(text.contains("Acme Çelik") && text.contains("TRY 17,700.60"), "{text}");
    browser.check_accessibility().await?;
    let dir = screenshot_dir().join("invoices");
    browser.screenshot(dir.join("list.png")).await?;
    browser.click_link("2025-0042").await?;
    browser.wait_for_text("Download PDF", PAGE_TIMEOUT).await?;
    ensure!(browser.current_url().await?.path() == format!("/account/invoices/{invoice}"));
    let text = browser.page_text().await?;
    ensure!(
        text.contains("Ayşe Yılmaz")
            && text.contains("İstiklal Caddesi 5")
            && text.contains("Tax 20% on TRY 14,750.50"),
        "{text}"
    );
    browser.check_accessibility().await?;
    browser.screenshot(dir.join("invoice.png")).await?;
    browser.client().set_window_size(390, 844).await.context("resizing to phone width")?;
    browser.check_accessibility().await?;
    browser.screenshot(dir.join("invoice-phone.png")).await?;
    let overflow =
        browser.client().execute("return document.documentElement.scrollWidth - window.innerWidth", vec![]).await?;
    ensure!(overflow.as_i64().is_some_and(|o| o <= 0), "the page scrolls sideways at phone width by {overflow}px");

    // The PDF through the page's own link, with the browser's session.
    let script = r#"
        const done = arguments[arguments.length - 1];
        const link = Array.from(document.querySelectorAll('a[download]')).find(a => a.textContent.includes('PDF'));
        fetch(link.href, {credentials: 'same-origin'}).then(async r => {
            const bytes = new Uint8Array(await r.arrayBuffer());
            done({status: r.status, type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition'),
                  head: String.fromCharCode(...bytes.slice(0, 5)), size: bytes.length});
        }).catch(e => done({error: String(e)}));
    "#;
    let got = browser.client().execute_async(script, vec![]).await.context("downloading the PDF")?;
    ensure!(got["status"] == 200 && got["type"] == "application/pdf" && got["head"] == "%PDF-", "{got}");
    ensure!(got["disposition"] == "attachment; filename=\"2025-0042.pdf\"", "{got}");
    Ok(())
}
