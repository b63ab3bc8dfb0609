//! Invoices end to end: the billing system issues them through the admin API (`invoices:write`;
//! idempotent by number; totals computed by Keystead; every bad field named), reads them back
//! with their PDFs (`invoices:read`); the organization's billing administrator reads them in My
//! Account as a page and a PDF, a member without `invoices:read` sees none of them; the billing
//! address on an issued invoice stays as it was; personal invoices are in the data export.

use std::collections::HashMap;

use keystead_core::api_tokens::NewApiToken;
use keystead_core::audit::RequestMeta;
use keystead_core::ids::OrganizationId;
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::TestApp;
use reqwest::StatusCode;
use secrecy::ExposeSecret as _;
use serde_json::{Value, json};

use super::auth::{PASSWORD, active_user, get, signed_in_browser};

async fn token(app: &TestApp, scopes: &[&str], organization: Option<OrganizationId>) -> Result<String, String> {
    let new = NewApiToken {
        name: "billing".into(),
        scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        organization,
        days: None,
    };
    match app.core.create_api_token(Actor::Operator, new, &RequestMeta::cli()).await {
        Ok(t) => Ok(t.token.expose_secret().to_owned()),
        Err(e) => Err(format!("{e:?}")),
    }
}

async fn send(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<&Value>,
) -> (StatusCode, Value) {
    let mut req = reqwest::Client::new().request(method, app.at(path)).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(b);
    }
    let res = req.send().await.unwrap();
    (res.status(), res.json().await.unwrap_or(Value::Null))
}

fn document(number: &str) -> Value {
    json!({"number": number, "issued_on": "2025-12-01", "due_on": "2025-12-31", "currency": "EUR",
        "status": "open", "bill_to": "ada@example.com",
        "lines": [{"description": "CET Pro seat", "quantity": 3, "unit_price_minor": 12000, "tax_rate_percent": 19},
                  {"description": "Eğitim für Jürgen", "quantity": 1, "unit_price_minor": 999, "tax_rate_percent": 7}]})
}

fn address(line1: &str) -> HashMap<String, String> {
    [("name", "Ayşe Yılmaz"), ("line1", line1), ("postal_code", "34433"), ("city", "İstanbul"), ("country", "TR")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// Acme, with Ada its billing administrator (with a billing address) and Bob a member.
async fn acme(app: &TestApp) -> OrganizationId {
    let ada = active_user(app, "ada@example.com").await;
    let bob = active_user(app, "bob@example.com").await;
    let cli = RequestMeta::cli();
    let new = NewOrganization { name: "Acme", slug: Some("acme"), owner: None };
    let org = app.core.create_organization(Actor::Operator, new, &cli).await.unwrap().id;
    app.core.add_organization_member(Actor::Operator, org, ada, "billing_admin", &cli).await.unwrap();
    app.core.add_organization_member(Actor::Operator, org, bob, "member", &cli).await.unwrap();
    app.core.set_billing_address(ada, &address("İstiklal Caddesi 5"), &cli).await.unwrap();
    org
}

#[tokio::test]
async fn the_billing_system_issues_an_invoice_once_and_only_its_readers_see_it() {
    let app = TestApp::new().await;
    let org = acme(&app).await;
    let billing = token(&app, &["invoices:write", "invoices:read"], None).await.unwrap();
    let path = format!("/api/v1/organizations/{org}/invoices");
    let (status, issued) = send(&app, &billing, reqwest::Method::POST, &path, Some(&document("2025-0001"))).await;
    assert_eq!(status, StatusCode::CREATED, "{issued}");
    assert_eq!(
        (issued["net_minor"].as_i64(), issued["tax_minor"].as_i64(), issued["total_minor"].as_i64()),
        (Some(36_999), Some(6_910), Some(43_909)),
        "{issued}"
    );
    assert_eq!(issued["billed_to"]["city"], "İstanbul");
    assert_eq!(issued["taxes"][1], json!({"rate_bp": 1900, "net_minor": 36000, "tax_minor": 6840}));
    let (status, again) = send(&app, &billing, reqwest::Method::POST, &path, Some(&document("2025-0001"))).await;
    assert_eq!((status, &again["id"]), (StatusCode::OK, &issued["id"]), "the same document again: {again}");
    let mut changed = document("2025-0001");
    changed["lines"][0]["quantity"] = json!(4);
    let (status, problem) = send(&app, &billing, reqwest::Method::POST, &path, Some(&changed)).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::CONFLICT, Some("already_exists")), "{problem}");

    // Read back: the list, the invoice, its PDF.
    let (status, list) = send(&app, &billing, reqwest::Method::GET, &path, None).await;
    assert_eq!(
        (status, list["total"].as_i64(), list["items"][0]["number"].as_str()),
        (StatusCode::OK, Some(1), Some("2025-0001")),
        "{list}"
    );
    for bad in ["0", "%0C", "%202", "", "two"] {
        let (status, problem) = send(&app, &billing, reqwest::Method::GET, &format!("{path}?page={bad}"), None).await;
        assert_eq!(
            (status, problem["errors"][0]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("page")),
            "page={bad}: {problem}"
        );
    }
    let id = issued["id"].as_str().unwrap();
    let (status, shown) = send(&app, &billing, reqwest::Method::GET, &format!("/api/v1/invoices/{id}"), None).await;
    assert_eq!((status, &shown["total_minor"]), (StatusCode::OK, &issued["total_minor"]));
    let pdf = reqwest::Client::new()
        .get(app.at(&format!("/api/v1/invoices/{id}/pdf")))
        .bearer_auth(&billing)
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));

    // The address Ada changes later does not change the issued invoice.
    let ada = app.core.user_by_email("ada@example.com").await.unwrap().id;
    app.core.set_billing_address(ada, &address("Bağdat Caddesi 9"), &RequestMeta::cli()).await.unwrap();

    readers_see_it_and_others_do_not(&app, id).await;
}

/// Ada, billing administrator, sees it in My Account and on the organization's page; Bob, a
/// member, and Carol, an outsider, do not.
async fn readers_see_it_and_others_do_not(app: &TestApp, id: &str) {
    let browser = signed_in_browser(app, "ada@example.com", PASSWORD).await;
    let (status, html) = get(app, &browser, "/account/invoices").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!("href=\"/account/invoices/{id}\""))
            && html.contains("EUR 439.09")
            && html.contains("Acme"),
        "{html}"
    );
    let (status, html) = get(app, &browser, &format!("/account/invoices/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("İstiklal Caddesi 5") && !html.contains("Bağdat"), "the address as issued: {html}");
    assert!(
        html.contains("Tax 19% on EUR 360.00") && html.contains("EUR 68.40") && html.contains("Eğitim für Jürgen"),
        "{html}"
    );
    let res =
        browser.get(app.at(&format!("/account/invoices/{id}"))).header("Accept-Language", "de").send().await.unwrap();
    let html = res.text().await.unwrap();
    assert!(html.contains("Rechnung 2025-0001") && html.contains("439,09 EUR") && html.contains("Türkei"), "{html}");
    let res = browser.get(app.at(&format!("/account/invoices/{id}/pdf"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-disposition"], "attachment; filename=\"2025-0001.pdf\"");
    assert!(res.bytes().await.unwrap().starts_with(b"%PDF-"));

    // And on the organization's pages, under its own tab.
    let (status, html) = get(app, &browser, "/org/acme/invoices").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("href=\"/org/acme/invoices\"") && html.contains(&format!("href=\"/account/invoices/{id}/pdf\"")),
        "{html}"
    );

    let bob = signed_in_browser(app, "bob@example.com", PASSWORD).await;
    assert_eq!(get(app, &bob, "/org/acme/invoices").await.0, StatusCode::FORBIDDEN, "a member without invoices:read");
    let (_, members) = get(app, &bob, "/org/acme/members").await;
    assert!(!members.contains("/org/acme/invoices"), "no tab for Bob: {members}");
    active_user(app, "carol@example.com").await;
    let outsider = signed_in_browser(app, "carol@example.com", PASSWORD).await;
    assert_eq!(get(app, &outsider, "/org/acme/invoices").await.0, StatusCode::NOT_FOUND, "not even its existence");
    let (_, html) = get(app, &bob, "/account/invoices").await;
    assert!(html.contains("There are no invoices to show.") && !html.contains("2025-0001"), "{html}");
    for path in [
        format!("/account/invoices/{id}"),
        format!("/account/invoices/{id}/pdf"),
        "/account/invoices/nonsense".to_owned(),
    ] {
        assert_eq!(get(app, &bob, &path).await.0, StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn a_bad_document_is_refused_naming_each_field_and_only_the_billing_token_may_issue() {
    let app = TestApp::new().await;
    let org = acme(&app).await;
    let billing = token(&app, &["invoices:write"], None).await.unwrap();
    let path = format!("/api/v1/organizations/{org}/invoices");
    let bad = json!({"number": "../x", "issued_on": "2025-12-31", "due_on": "2025-12-01", "currency": "EURO",
        "status": "sent", "lines": [{"description": "", "quantity": 0, "unit_price_minor": 1, "tax_rate_percent": 19.123}]});
    let (status, problem) = send(&app, &billing, reqwest::Method::POST, &path, Some(&bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let fields: Vec<String> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{}:{}", e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [
            "number:invalid",
            "due_on:before_issue",
            "currency:unknown_currency",
            "status:invalid",
            "lines[0].description:required",
            "lines[0].quantity:out_of_range",
            "lines[0].tax_rate_percent:invalid"
        ],
        "{problem}"
    );
    let (status, problem) =
        send(&app, &billing, reqwest::Method::POST, &path, Some(&json!({"number": "1", "total": 5}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "totals are never taken from the input: {problem}");
    let mut unknown_buyer = document("2025-0002");
    unknown_buyer["bill_to"] = json!("nobody@example.com");
    let (status, problem) = send(&app, &billing, reqwest::Method::POST, &path, Some(&unknown_buyer)).await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("bill_to")),
        "{problem}"
    );
    let other_org = format!("/api/v1/organizations/{}/invoices", OrganizationId::new());
    assert_eq!(
        send(&app, &billing, reqwest::Method::POST, &other_org, Some(&document("2025-0003"))).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        send(&app, &billing, reqwest::Method::POST, "/api/v1/organizations/x/invoices", Some(&document("2025-0003")))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    // Without the scope; and no organization's token may hold it.
    let reader = token(&app, &["invoices:read", "orgs:write"], None).await.unwrap();
    assert_eq!(
        send(&app, &reader, reqwest::Method::POST, &path, Some(&document("2025-0003"))).await.0,
        StatusCode::FORBIDDEN
    );
    assert!(token(&app, &["invoices:write"], Some(org)).await.is_err());
    assert_eq!(
        send(&app, &billing, reqwest::Method::GET, &path, None).await.0,
        StatusCode::FORBIDDEN,
        "reading needs invoices:read"
    );
    assert_eq!(app.core.organization_invoices(Actor::Operator, org, 1).await.unwrap().total, 0, "nothing issued");
}

#[tokio::test]
async fn a_personal_invoice_and_its_credit_note_are_the_users_and_in_their_export() {
    let app = TestApp::new().await;
    let carol = active_user(&app, "carol@example.com").await;
    let billing = token(&app, &["invoices:write", "invoices:read"], None).await.unwrap();
    let path = format!("/api/v1/users/{carol}/invoices");
    let mut doc = document("P-0001");
    doc["bill_to"] = Value::Null;
    let (status, issued) = send(&app, &billing, reqwest::Method::POST, &path, Some(&doc)).await;
    assert_eq!(status, StatusCode::CREATED, "{issued}");
    let void = json!({"status": "void"});
    let mut voided = doc.clone();
    voided["status"] = void["status"].clone();
    assert_eq!(send(&app, &billing, reqwest::Method::POST, &path, Some(&voided)).await.0, StatusCode::OK);
    let credit = json!({"number": "P-0002", "issued_on": "2025-12-02", "due_on": "2025-12-02", "currency": "EUR",
        "credit_note_of": "P-0001", "lines": [{"description": "CET Pro seat", "quantity": -3, "unit_price_minor": 12000, "tax_rate_percent": 19}]});
    let (status, note) = send(&app, &billing, reqwest::Method::POST, &path, Some(&credit)).await;
    assert_eq!(
        (status, note["total_minor"].as_i64(), note["credit_note_of"].as_str()),
        (StatusCode::CREATED, Some(-42_840), Some("P-0001")),
        "{note}"
    );
    let (_, list) = send(&app, &billing, reqwest::Method::GET, &path, None).await;
    assert_eq!(list["items"][0]["number"], "P-0002", "newest first: {list}");
    assert_eq!(list["items"][1]["status"], "void");

    let browser = signed_in_browser(&app, "carol@example.com", PASSWORD).await;
    let (_, html) = get(&app, &browser, "/account/invoices").await;
    assert!(
        html.contains("P-0001")
            && html.contains("P-0002")
            && html.contains("-EUR 428.40")
            && html.contains("credit note"),
        "{html}"
    );
    let export: Value = browser.get(app.at("/account/data/download")).send().await.unwrap().json().await.unwrap();
    let numbers: Vec<&str> =
        export["invoices"].as_array().unwrap().iter().filter_map(|i| i["number"].as_str()).collect();
    assert_eq!(numbers, ["P-0002", "P-0001"], "{export}");
}
