//! The independent SCIM 2.0 checker (pip `scim2-tester`, run by `tests/scim/conformance.py`)
//! against an organization's endpoint: discovery, then create, read, query, replace, PATCH
//! (add, replace, remove of every attribute the schemas publish) and delete of Users and Groups.
//! Every check must pass.

use keystead_core::api_tokens::NewApiToken;
use keystead_core::audit::RequestMeta;
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::TestApp;
use keystead_testkit::app::{Configure, TestAppOptions};
use secrecy::ExposeSecret as _;

use super::auth::active_user;

#[tokio::test]
async fn scim2_tester_passes_every_check_against_an_organizations_endpoint() {
    // The test clock stands still, so every request falls in one rate-limit minute.
    let configure: Configure = Box::new(|c| c.rate_limits.api_per_token = 100_000);
    let options = TestAppOptions { configure: Some(configure), ..TestAppOptions::default() };
    let app = TestApp::start(options).await.unwrap();
    let owner = active_user(&app, "owner@acme.example").await;
    let meta = RequestMeta::cli();
    let new = NewOrganization { name: "Acme", slug: Some("acme"), owner: Some(owner) };
    let org = app.core.create_organization(Actor::Operator, new, &meta).await.unwrap().id;
    let new = NewApiToken { name: "Checker".into(), scopes: vec!["scim".into()], organization: Some(org), days: None };
    let token = app.core.create_api_token(Actor::User(owner), new, &meta).await.unwrap().token;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scim/conformance.py");
    let base = app.at("/scim/v2/acme");
    let token = token.expose_secret().to_owned();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new("python3").arg(script).arg(base).arg(token).output()
    })
    .await
    .unwrap()
    .expect("python3 runs (install the checker: pip install scim2-tester==0.5.2 'scim2-client[httpx2]==0.13.2')");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "scim2-tester found problems:\n{stdout}\n{stderr}");
    assert!(stdout.contains(" 0 not passed"), "{stdout}");
}
