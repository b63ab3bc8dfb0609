//! Invoices at scale (issue 18 §6): an organization with 10 000 invoices (three lines each).
//! Measures, 1 000 times each after a warm-up,
//!
//! 1. `Core::organization_invoices`, the first page (50) and a page deep in the list (page 150),
//! 2. `Core::my_invoices` of its billing administrator (their own and the organization's),
//! 3. `GET /org/acme/invoices` and `GET /api/v1/organizations/<id>/invoices` over loopback,
//!
//! then draws a one-page invoice as a PDF 400 times on two threads (the target: at least 50 a
//! second on two cores) and reports the PDF's size.
//!
//! Runs on SQLite by default, on PostgreSQL with `KEYSTEAD_TEST_DATABASE=postgres`;
//! `KEYSTEAD_BENCH_INVOICES` changes the count. Run with
//! `cargo bench -p keystead-web --bench invoices`.

use std::time::{Duration, Instant};

use anyhow::{Context as _, ensure};
use keystead_core::api_tokens::NewApiToken;
use keystead_core::audit::RequestMeta;
use keystead_core::ids::{OrganizationId, UserId};
use keystead_core::invoices::{NewInvoice, NewLine, Owner};
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::{TestApp, TestAppOptions};
use secrecy::ExposeSecret as _;

const RUNS: usize = 1_000;
const PDFS: usize = 400;

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

fn report(what: &str, mut times: Vec<Duration>) {
    times.sort();
    println!("{what:<52} p50 {:>7.3} ms   p99 {:>7.3} ms", percentile(&times, 0.5), percentile(&times, 0.99));
}

async fn timed<F, Fut>(what: &str, mut f: F) -> anyhow::Result<()>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let mut times = Vec::with_capacity(RUNS);
    for i in 0..RUNS + 50 {
        let t = Instant::now();
        f().await?;
        if i >= 50 {
            times.push(t.elapsed());
        }
    }
    report(what, times);
    Ok(())
}

fn lines() -> Vec<NewLine<'static>> {
    vec![
        NewLine { description: "CET Pro seat (yearly)", quantity: 3, unit_price_minor: 12_000, tax_rate_percent: 19.0 },
        NewLine {
            description: "Schulung für Güneş Öztürk",
            quantity: 1,
            unit_price_minor: 99_900,
            tax_rate_percent: 19.0,
        },
        NewLine { description: "Reisekosten", quantity: 1, unit_price_minor: 12_050, tax_rate_percent: 7.0 },
    ]
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let count: usize = std::env::var("KEYSTEAD_BENCH_INVOICES").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let configure = |c: &mut keystead_core::config::Config| c.rate_limits.api_per_token = 10_000_000;
    let app =
        TestApp::start(TestAppOptions { configure: Some(Box::new(configure)), ..TestAppOptions::default() }).await?;
    let cli = RequestMeta::cli();
    let fail = |e: keystead_core::Error| anyhow::anyhow!("{e:?}");
    let ada = app
        .core
        .create_user(
            keystead_core::accounts::admin::NewUser {
                email: "ada@example.com",
                given_name: Some("Ada"),
                family_name: Some("Lovelace"),
                verified: true,
                password: Some(secrecy::SecretString::from("correct horse battery staple")),
            },
            &cli,
        )
        .await
        .map_err(fail)?
        .id;
    let org = app
        .core
        .create_organization(Actor::Operator, NewOrganization { name: "Acme", slug: Some("acme"), owner: None }, &cli)
        .await
        .map_err(fail)?;
    app.core.add_organization_member(Actor::Operator, org.id, ada, "billing_admin", &cli).await.map_err(fail)?;
    // Ada reads them but receives no invoice emails while they are issued.
    app.core.set_notification_preferences(ada, &[], &cli).await.map_err(fail)?;
    let started = Instant::now();
    for i in 0..count {
        let number = format!("2025-{i:05}");
        let day = time::Date::from_ordinal_date(2025, u16::try_from(1 + i % 365)?)?;
        let issued_on = day.to_string();
        let doc = NewInvoice {
            number: &number,
            issued_on: &issued_on,
            due_on: &issued_on,
            currency: "EUR",
            lines: lines(),
            ..NewInvoice::default()
        };
        app.core.create_invoice(Owner::Organization(org.id), &doc, &cli).await.map_err(fail)?;
    }
    let db = std::env::var("KEYSTEAD_TEST_DATABASE").unwrap_or_else(|_| "sqlite".into());
    println!("issued {count} invoices in {:.1} s on {db}", started.elapsed().as_secs_f64());

    lists(&app, ada, org.id, count).await?;
    over_http(&app, org.id).await?;
    pdfs(&app, ada, org.id)
}

async fn lists(app: &TestApp, ada: UserId, org: OrganizationId, count: usize) -> anyhow::Result<()> {
    let fail = |e: keystead_core::Error| anyhow::anyhow!("{e:?}");
    let actor = Actor::User(ada);
    timed("organization_invoices, first page", || async {
        let p = app.core.organization_invoices(actor, org, 1).await.map_err(fail)?;
        ensure!(p.items.len() == 50 && p.total == i64::try_from(count)?);
        Ok(())
    })
    .await?;
    let deep = u32::try_from((count / 50).clamp(1, 150))?;
    timed(&format!("organization_invoices, page {deep}"), || async {
        ensure!(!app.core.organization_invoices(actor, org, deep).await.map_err(fail)?.items.is_empty());
        Ok(())
    })
    .await?;
    timed("my_invoices (own + the organization's)", || async {
        ensure!(app.core.my_invoices(ada, 1).await.map_err(fail)?.items.len() == 50);
        Ok(())
    })
    .await?;

    Ok(())
}

async fn over_http(app: &TestApp, org: OrganizationId) -> anyhow::Result<()> {
    let fail = |e: keystead_core::Error| anyhow::anyhow!("{e:?}");
    let cli = RequestMeta::cli();
    let browser = app.client();
    let html = browser.get(app.at("/sign-in")).send().await?.text().await?;
    let csrf =
        html.split("name=\"csrf_token\" value=\"").nth(1).and_then(|s| s.split('"').next()).context("csrf field")?;
    let form = [("csrf_token", csrf), ("email", "ada@example.com"), ("password", "correct horse battery staple")];
    let res = browser.post(app.at("/sign-in/password")).form(&form).send().await?;
    ensure!(res.status() == 303, "sign-in answered {}", res.status());
    timed("GET /org/acme/invoices (HTML)", || async {
        let res = browser.get(app.at("/org/acme/invoices")).send().await?;
        ensure!(res.status() == 200, "{}", res.status());
        res.bytes().await?;
        Ok(())
    })
    .await?;
    let token =
        NewApiToken { name: "bench".into(), scopes: vec!["invoices:read".into()], organization: None, days: None };
    let token =
        app.core.create_api_token(Actor::Operator, token, &cli).await.map_err(fail)?.token.expose_secret().to_owned();
    let api = reqwest::Client::new();
    let url = app.at(&format!("/api/v1/organizations/{org}/invoices"));
    timed("GET /api/v1/organizations/<id>/invoices", || async {
        let res = api.get(&url).bearer_auth(&token).send().await?;
        ensure!(res.status() == 200, "{}", res.status());
        res.bytes().await?;
        Ok(())
    })
    .await?;

    Ok(())
}

/// PDF drawing: one page, on two threads.
fn pdfs(app: &TestApp, ada: UserId, org: OrganizationId) -> anyhow::Result<()> {
    let fail = |e: keystead_core::Error| anyhow::anyhow!("{e:?}");
    let actor = Actor::User(ada);
    let rt = tokio::runtime::Handle::current();
    let first = tokio::task::block_in_place(|| rt.block_on(app.core.organization_invoices(actor, org, 1)))
        .map_err(fail)?
        .items[0]
        .id;
    let invoice = tokio::task::block_in_place(|| rt.block_on(app.core.invoice(actor, first))).map_err(fail)?;
    let size = keystead_core::invoices::pdf::draw(&invoice, None).map_err(fail)?.len();
    let started = Instant::now();
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let invoice = invoice.clone();
            std::thread::spawn(move || {
                for _ in 0..PDFS / 2 {
                    keystead_core::invoices::pdf::draw(&invoice, None).map(drop).map_err(|e| format!("{e:?}"))?;
                }
                Ok::<(), String>(())
            })
        })
        .collect();
    for t in threads {
        t.join().map_err(|_| anyhow::anyhow!("a drawing thread panicked"))?.map_err(anyhow::Error::msg)?;
    }
    let took = started.elapsed().as_secs_f64();
    println!(
        "PDF of one page: {PDFS} drawn in {took:.2} s on 2 threads = {:.0} invoices/s ({size} bytes each)",
        PDFS as f64 / took
    );
    Ok(())
}
