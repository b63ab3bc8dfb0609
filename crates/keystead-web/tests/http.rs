//! HTTP tests of the web shell through a real listener: pages, errors, headers, CSRF, limits,
//! TLS, shutdown, operations endpoints, and the browser smoke test.

#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "helpers of these tests fail the test by panicking; one route panics on purpose"
)]

use std::time::Duration;

use axum::Router;
use axum::routing::get;
use keystead_core::Error;
use keystead_testkit::browser::{Browser, screenshot_dir};
use keystead_testkit::{TestApp, TestAppOptions};
use keystead_web::csrf::{CsrfForm, CsrfToken};
use keystead_web::error::WebError;
use keystead_web::{AppState, with_middleware};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};

#[path = "http/account.rs"]
mod account;
#[path = "http/account_close.rs"]
mod account_close;
#[path = "http/account_developer.rs"]
mod account_developer;
#[path = "http/account_picture.rs"]
mod account_picture;
#[path = "http/admin_agreements.rs"]
mod admin_agreements;
#[path = "http/admin_api.rs"]
mod admin_api;
#[path = "http/admin_audit.rs"]
mod admin_audit;
#[path = "http/admin_groups.rs"]
mod admin_groups;
#[path = "http/admin_licensing.rs"]
mod admin_licensing;
#[path = "http/admin_oauth_clients.rs"]
mod admin_oauth_clients;
#[path = "http/admin_org_domains.rs"]
mod admin_org_domains;
#[path = "http/admin_orgs.rs"]
mod admin_orgs;
#[path = "http/admin_user_email.rs"]
mod admin_user_email;
#[path = "http/admin_users.rs"]
mod admin_users;
#[path = "http/admin_webhooks.rs"]
mod admin_webhooks;
#[path = "http/agreements.rs"]
mod agreements;
#[path = "http/auth.rs"]
mod auth;
#[path = "http/branding.rs"]
mod branding;
#[path = "http/branding_orgs.rs"]
mod branding_orgs;
#[path = "http/downloads.rs"]
mod downloads;
#[path = "http/email_locale.rs"]
mod email_locale;
#[path = "http/header.rs"]
mod header;
#[path = "http/i18n.rs"]
mod i18n;
#[path = "http/licensing_api.rs"]
mod licensing_api;
#[path = "http/licensing_landing.rs"]
mod licensing_landing;
#[path = "http/mfa.rs"]
mod mfa;
#[path = "http/my_licenses.rs"]
mod my_licenses;
#[path = "http/oauth.rs"]
mod oauth;
#[path = "http/oauth_cors.rs"]
mod oauth_cors;
#[path = "http/oauth_dpop.rs"]
mod oauth_dpop;
#[path = "http/oauth_par.rs"]
mod oauth_par;
#[path = "http/oidc_hints.rs"]
mod oidc_hints;
#[path = "http/oidc_logout.rs"]
mod oidc_logout;
#[path = "http/oidc_scopes.rs"]
mod oidc_scopes;
#[path = "http/openapi.rs"]
mod openapi;
#[path = "http/openapi_fuzz.rs"]
mod openapi_fuzz;
#[path = "http/openapi_fuzz_seeded.rs"]
mod openapi_fuzz_seeded;
#[path = "http/org_licenses.rs"]
mod org_licenses;
#[path = "http/org_tokens.rs"]
mod org_tokens;
#[path = "http/organizations.rs"]
mod organizations;
#[path = "http/organizations_members.rs"]
mod organizations_members;
#[path = "http/organizations_settings.rs"]
mod organizations_settings;
#[path = "http/overview.rs"]
mod overview;
#[path = "http/passkeys.rs"]
mod passkeys;
#[path = "http/scim.rs"]
mod scim;
#[path = "http/scim_conformance.rs"]
mod scim_conformance;
#[path = "http/social.rs"]
mod social;
#[path = "http/sso_admin.rs"]
mod sso_admin;
#[path = "http/sso_admin_edit.rs"]
mod sso_admin_edit;
#[path = "http/sso_flow.rs"]
mod sso_flow;
#[path = "http/sso_oidc.rs"]
mod sso_oidc;
#[path = "http/sso_saml.rs"]
mod sso_saml;
#[path = "http/sso_saml_flow.rs"]
mod sso_saml_flow;
#[path = "http/unicode_forms.rs"]
mod unicode_forms;

#[path = "http/browser_account.rs"]
mod browser_account;
#[path = "http/browser_auth.rs"]
mod browser_auth;
#[path = "http/browser_cors.rs"]
mod browser_cors;
#[path = "http/browser_languages.rs"]
mod browser_languages;
#[path = "http/browser_license_admin.rs"]
mod browser_license_admin;
#[path = "http/browser_licensing.rs"]
mod browser_licensing;
#[path = "http/browser_mfa.rs"]
mod browser_mfa;
#[path = "http/browser_oauth.rs"]
mod browser_oauth;
#[path = "http/browser_organizations.rs"]
mod browser_organizations;
#[path = "http/browser_social.rs"]
mod browser_social;
#[path = "http/browser_sso.rs"]
mod browser_sso;
#[path = "http/browser_sso_admin.rs"]
mod browser_sso_admin;

#[derive(serde::Deserialize)]
struct NameForm {
    name: String,
}

/// A few extra routes that exercise the shared machinery the way feature pages will.
fn test_router(state: AppState) -> Router {
    let routes = keystead_web::routes()
        .route("/t/form", get(show_form).post(submit_form))
        .route("/t/flash", get(flash_and_redirect))
        .route("/t/overloaded", get(|| async { Err::<(), _>(WebError(Error::Overloaded)) }))
        .route(
            "/t/invalid",
            get(|| async {
                Err::<(), _>(WebError(Error::invalid("email", "invalid_email", "Enter an email address.")))
            }),
        )
        .route(
            "/t/internal",
            get(|| async { Err::<(), _>(WebError(Error::Internal(anyhow::anyhow!("secret cause 42")))) }),
        )
        .route("/t/panic", get(|| async { panic_now() }))
        .route("/api/t/missing", get(|| async { Err::<(), _>(WebError(Error::NotFound)) }))
        .route(
            "/t/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_millis(700)).await;
                "finished"
            }),
        );
    with_middleware(routes, state)
}

fn panic_now() -> &'static str {
    panic!("handler panicked")
}

async fn show_form(csrf: CsrfToken) -> (CsrfToken, String) {
    let token = csrf.value().to_owned();
    (csrf, token)
}

async fn submit_form(CsrfForm(form): CsrfForm<NameForm>) -> String {
    format!("hello {}", form.name)
}

async fn flash_and_redirect(
    axum::extract::State(state): axum::extract::State<AppState>,
    jar: axum_extra::extract::SignedCookieJar,
) -> (axum_extra::extract::SignedCookieJar, axum::response::Redirect) {
    let jar = keystead_web::flash::push(jar, &state, keystead_web::flash::Level::Success, "Saved <b>changes</b>");
    (jar, axum::response::Redirect::to("/"))
}

async fn app_with_test_routes() -> TestApp {
    TestApp::start(TestAppOptions { router: Some(Box::new(test_router)), ..Default::default() }).await.unwrap()
}

#[tokio::test]
async fn health_and_readiness_answer_json() {
    let app = TestApp::new().await;
    let client = app.client();
    let health = client.get(app.at("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    assert_eq!(health.json::<serde_json::Value>().await.unwrap()["status"], "ok");
    let ready = client.get(app.at("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
    assert_eq!(ready.json::<serde_json::Value>().await.unwrap()["status"], "ready");
}

#[tokio::test]
async fn readiness_fails_when_the_database_is_gone() {
    let app = TestApp::new().await;
    app.core.store().close().await;
    let ready = app.client().get(app.at("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(ready.json::<serde_json::Value>().await.unwrap()["status"], "unavailable");
}

#[tokio::test]
async fn the_home_page_uses_the_layout_and_every_security_header() {
    let app = TestApp::new().await;
    let res = app.client().get(app.url.as_str()).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let h = res.headers().clone();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert_eq!(h["x-frame-options"], "DENY");
    assert!(h.get("strict-transport-security").is_none(), "no HSTS over plain HTTP");
    assert!(h.get("x-request-id").is_some());
    let body = res.text().await.unwrap();
    assert!(body.contains("<title>Keystead accounts · Keystead</title>"), "{body}");
    assert!(body.contains("href=\"/static/app.css?v="));
}

#[tokio::test]
async fn every_request_gets_its_own_request_id() {
    let app = TestApp::new().await;
    let client = app.client();
    let a = client.get(app.at("/healthz")).send().await.unwrap();
    let b = client.get(app.at("/healthz")).send().await.unwrap();
    assert_ne!(a.headers()["x-request-id"], b.headers()["x-request-id"]);
}

#[tokio::test]
async fn static_assets_are_cached_by_content_hash_and_revalidated_by_etag() {
    let app = TestApp::new().await;
    let client = app.client();
    let page = client.get(app.url.as_str()).send().await.unwrap().text().await.unwrap();
    let start = page.find("/static/app.css?v=").unwrap();
    let href = &page[start..start + page[start..].find('"').unwrap()];
    let css = client.get(app.at(href)).send().await.unwrap();
    assert_eq!(css.status(), StatusCode::OK);
    assert!(css.headers()[CONTENT_TYPE].to_str().unwrap().starts_with("text/css"));
    assert!(css.headers()["cache-control"].to_str().unwrap().contains("immutable"));
    let etag = css.headers()["etag"].clone();
    assert!(css.text().await.unwrap().contains("prefers-color-scheme: dark"));
    let again = client.get(app.at("/static/app.css")).header("if-none-match", etag).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    let missing = client.get(app.at("/static/nope.js")).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_unknown_page_is_an_html_404_for_people_and_a_problem_document_for_the_api() {
    let app = app_with_test_routes().await;
    let client = app.client();
    let page = client.get(app.at("/no/such/page")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert!(page.headers()[CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    let body = page.text().await.unwrap();
    assert!(body.contains("Page not found") && body.contains("Reference:"), "{body}");

    for path in ["/api/v1/nothing", "/api/t/missing"] {
        let api = client.get(app.at(path)).send().await.unwrap();
        assert_eq!(api.status(), StatusCode::NOT_FOUND);
        assert_eq!(api.headers()[CONTENT_TYPE], "application/problem+json");
        let problem: serde_json::Value = api.json().await.unwrap();
        assert_eq!(problem["code"], "not_found");
        assert_eq!(problem["status"], 404);
        assert!(problem["request_id"].as_str().is_some_and(|s| !s.is_empty()));
    }
}

#[tokio::test]
async fn validation_errors_list_each_field() {
    let app = app_with_test_routes().await;
    let res = app.client().get(app.at("/t/invalid")).header("accept", "application/json").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: serde_json::Value = res.json().await.unwrap();
    assert_eq!(problem["code"], "invalid_input");
    assert_eq!(problem["errors"][0]["field"], "email");
    assert_eq!(problem["errors"][0]["code"], "invalid_email");
}

#[tokio::test]
async fn overload_is_a_503_with_retry_after() {
    let app = app_with_test_routes().await;
    let res = app.client().get(app.at("/t/overloaded")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(res.headers()[RETRY_AFTER], "1");
    assert!(res.text().await.unwrap().contains("The server is busy"));
}

#[tokio::test]
async fn internal_errors_and_panics_show_a_generic_page_without_the_cause() {
    let app = app_with_test_routes().await;
    let client = app.client();
    for path in ["/t/internal", "/t/panic"] {
        let res = client.get(app.at(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR, "{path}");
        let body = res.text().await.unwrap();
        assert!(body.contains("Something went wrong"), "{body}");
        assert!(!body.contains("secret cause") && !body.contains("panicked"), "{body}");
    }
    // The server is still serving after a panic.
    assert_eq!(client.get(app.at("/healthz")).send().await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn a_form_post_needs_the_csrf_token_of_its_cookie() {
    let app = app_with_test_routes().await;
    let client = app.client();
    let token = client.get(app.at("/t/form")).send().await.unwrap().text().await.unwrap();
    assert_eq!(token.len(), 43);
    let ok =
        client.post(app.at("/t/form")).form(&[("csrf_token", token.as_str()), ("name", "Ada")]).send().await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(ok.text().await.unwrap(), "hello Ada");

    let forged =
        client.post(app.at("/t/form")).form(&[("csrf_token", "forged"), ("name", "Eve")]).send().await.unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(forged.text().await.unwrap().contains("This form has expired"));
    let missing = client.post(app.at("/t/form")).form(&[("name", "Eve")]).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::FORBIDDEN);
    // Another browser (no cookie) with a stolen token is refused too.
    let other = app
        .client()
        .post(app.at("/t/form"))
        .form(&[("csrf_token", token.as_str()), ("name", "Eve")])
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_post_from_another_origin_is_refused_before_the_handler() {
    let app = app_with_test_routes().await;
    let client = app.client();
    let token = client.get(app.at("/t/form")).send().await.unwrap().text().await.unwrap();
    let res = client
        .post(app.at("/t/form"))
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .form(&[("csrf_token", token.as_str()), ("name", "Eve")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().await.unwrap().contains("Request from another site refused"));
    let same = client
        .post(app.at("/t/form"))
        .header("origin", app.url.origin().ascii_serialization())
        .form(&[("csrf_token", token.as_str()), ("name", "Ada")])
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_flash_message_shows_once_on_the_next_page_escaped() {
    let app = app_with_test_routes().await;
    let client = app.client();
    let res = client.get(app.at("/t/flash")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = client.get(app.url.as_str()).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("flash-success") && page.contains("Saved &#60;b&#62;changes&#60;/b&#62;"), "{page}");
    assert!(!page.contains("<b>changes"));
    let again = client.get(app.url.as_str()).send().await.unwrap().text().await.unwrap();
    assert!(!again.contains("Saved"), "shown only once");
}

#[tokio::test]
async fn malformed_and_oversized_form_data_get_a_4xx_page() {
    let app = app_with_test_routes().await;
    let client = app.client();
    let token = client.get(app.at("/t/form")).send().await.unwrap().text().await.unwrap();
    let bad_utf8 = [b"csrf_token=".as_slice(), token.as_bytes(), b"&name=%FF%FE".as_slice()].concat();
    let res = client
        .post(app.at("/t/form"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(bad_utf8)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("could not be read"));
    let missing_field = client.post(app.at("/t/form")).form(&[("csrf_token", token.as_str())]).send().await.unwrap();
    assert_eq!(missing_field.status(), StatusCode::BAD_REQUEST);

    let huge = "x".repeat(200 * 1024);
    let res = client
        .post(app.at("/t/form"))
        .form(&[("csrf_token", token.as_str()), ("name", huge.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(res.text().await.unwrap().contains("too large"));
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_report_the_hash_pool_on_the_metrics_listener_only() {
    let app = TestApp::start(TestAppOptions { metrics: true, ..Default::default() }).await.unwrap();
    let client = app.client();
    client.get(app.at("/healthz")).send().await.unwrap();

    let public = client.get(app.at("/metrics")).send().await.unwrap();
    assert_eq!(public.status(), StatusCode::NOT_FOUND, "the public port must not serve /metrics");
    assert!(!public.text().await.unwrap().contains("keystead_http_requests"));

    let res = client.get(app.metrics_at("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()[CONTENT_TYPE].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let text = res.text().await.unwrap();
    assert!(text.contains("keystead_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"}"), "{text}");
    assert!(text.contains("keystead_http_request_duration_seconds_bucket"), "{text}");
    assert!(text.contains("keystead_password_hash_workers"), "{text}");
    // The metrics listener answers nothing else.
    let other = client.get(app.metrics_at("/healthz")).send().await.unwrap();
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn without_metrics_listen_metrics_are_served_nowhere_and_both_listeners_stop_together() {
    let app = TestApp::new().await;
    assert_eq!(app.metrics_addr, None);
    let res = app.client().get(app.at("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    let with_metrics = TestApp::start(TestAppOptions { metrics: true, ..Default::default() }).await.unwrap();
    let metrics_addr = with_metrics.metrics_addr.unwrap();
    tokio::time::timeout(Duration::from_secs(10), with_metrics.stop()).await.unwrap().unwrap();
    assert!(tokio::net::TcpStream::connect(metrics_addr).await.is_err(), "the metrics listener closed on shutdown");
}

#[tokio::test]
async fn https_is_served_with_hsts_and_secure_host_prefixed_cookies() {
    let app = TestApp::start(TestAppOptions { tls: true, router: Some(Box::new(test_router)), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(app.url.scheme(), "https");
    let client = app.client();
    let res = client.get(app.at("/t/form")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["strict-transport-security"].to_str().unwrap().starts_with("max-age="));
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.starts_with("__Host-keystead-csrf=") && cookie.contains("Secure") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let token = res.text().await.unwrap();
    let ok =
        client.post(app.at("/t/form")).form(&[("csrf_token", token.as_str()), ("name", "Ada")]).send().await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
}

#[tokio::test]
async fn shutdown_lets_a_request_in_flight_finish() {
    let mut app = app_with_test_routes().await;
    let client = app.client();
    let url = app.at("/t/slow");
    let slow = tokio::spawn(async move { client.get(url).send().await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    app.begin_shutdown();
    let res = slow.await.unwrap().unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.text().await.unwrap(), "finished");
    app.wait_stopped().await.unwrap();
    assert!(app.client().get(app.at("/healthz")).send().await.is_err(), "no new connections after shutdown");
}

#[tokio::test]
async fn the_browser_loads_the_home_page_and_saves_a_screenshot() {
    let Some(browser) = Browser::launch().await.unwrap() else { return };
    let app = TestApp::new().await;
    browser.goto(app.url.as_str()).await.unwrap();
    assert_eq!(browser.title().await.unwrap(), "Keystead accounts · Keystead");
    assert!(browser.page_text().await.unwrap().contains("Keystead accounts"));
    let path = screenshot_dir().join("home.png");
    browser.screenshot(&path).await.unwrap();
    let png = std::fs::read(&path).unwrap();
    assert!(png.starts_with(b"\x89PNG"), "screenshot is a PNG");
    browser.close().await.unwrap();
}

/// The accessibility check finds what it should: a page of ours with an image without a text
/// alternative and a button without a name fails the browser's close.
#[tokio::test]
async fn the_accessibility_check_reports_a_serious_violation_on_our_pages() {
    let Some(browser) = Browser::launch().await.unwrap() else { return };
    if std::env::var_os(keystead_testkit::axe::AXE_ENV).is_none()
        && !std::path::Path::new(&std::env::var("HOME").unwrap_or_default())
            .join(".cache/keystead-axe/node_modules/axe-core/axe.min.js")
            .exists()
    {
        return;
    }
    let page = r#"<!doctype html><html lang="en"><head><title>t</title><link rel="stylesheet" href="/static/app.css"></head>
<body><main><h1>Broken</h1><img src="/static/none.png"><button></button></main></body></html>"#;
    let router = Router::new().route("/broken", get(move || async move { axum::response::Html(page) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    browser.goto(&format!("http://{addr}/broken")).await.unwrap();
    let verdict = browser.close().await.unwrap_err().to_string();
    assert!(verdict.contains("/broken: critical image-alt") && verdict.contains("button-name"), "{verdict}");
}
#[path = "http/browser_console.rs"]
mod browser_console;
#[path = "http/browser_console_records.rs"]
mod browser_console_records;
#[path = "http/browser_courses.rs"]
mod browser_courses;
#[path = "http/browser_invoices.rs"]
mod browser_invoices;
#[path = "http/console.rs"]
mod console;
#[path = "http/console_apps.rs"]
mod console_apps;
#[path = "http/console_orgs.rs"]
mod console_orgs;
#[path = "http/console_products.rs"]
mod console_products;
#[path = "http/console_records.rs"]
mod console_records;
#[path = "http/console_users.rs"]
mod console_users;
#[path = "http/console_webhooks.rs"]
mod console_webhooks;
#[path = "http/courses.rs"]
mod courses;
#[path = "http/invoices.rs"]
mod invoices;
