//! schemathesis again, with real ids: random ids of the first pass mostly end at "not found", so
//! this pass fixes every path id to a record that exists (an organization with a member, a
//! group, a custom role, an invitation, a pending domain, a subscription and a plan; a user with
//! a session; a webhook endpoint; an agreement; an OAuth client; a product) and gives the
//! `/api/v1/me/…` operations a licensed user's OAuth access token. What the fuzzer changes on the
//! way (a user disabled, a group deleted) is part of the test: no order of calls may end in a
//! 5xx or a response off the document.

use std::fmt::Write as _;

use keystead_core::api_tokens::{ApiScope, NewApiToken};
use keystead_core::audit::RequestMeta;
use keystead_core::oauth::ClientKind;
use keystead_core::organizations::Actor;
use keystead_core::webhooks::NewEndpoint;
use keystead_testkit::app::{Configure, TestAppOptions};
use keystead_testkit::{DnsServer, TestApp, licensing};
use secrecy::ExposeSecret as _;

use super::auth::{PASSWORD, active_user, signed_in_browser};
use super::oauth::{real_now, register, tokens_for};
use super::openapi_fuzz::run;

/// An app with a clock that runs (OAuth tokens are checked against it), no request budget to
/// speak of, and domain checks asking a local DNS server (no waiting on the network).
async fn app(dns: &DnsServer) -> TestApp {
    let addr = dns.addr();
    let configure: Configure = Box::new(move |c| {
        c.rate_limits.api_per_token = 1_000_000;
        c.organizations.dns_resolver = Some(addr);
        c.organizations.dns_timeout = std::time::Duration::from_secs(1);
    });
    let app = TestApp::start(TestAppOptions { configure: Some(configure), ..TestAppOptions::default() }).await.unwrap();
    app.clock.set(real_now());
    app
}

/// One `[[operations]]` block: the operations whose path matches `regex` get these path values.
fn block(toml: &mut String, regex: &str, parameters: &[(&str, String)]) {
    let values: Vec<String> = parameters.iter().map(|(k, v)| format!("\"path.{k}\" = \"{v}\"")).collect();
    writeln!(toml, "[[operations]]\ninclude-path-regex = '{regex}'\nparameters = {{ {} }}\n", values.join(", "))
        .unwrap();
}

#[tokio::test]
async fn schemathesis_with_real_ids_finds_no_server_error_and_no_response_off_its_schema() {
    let dns = DnsServer::start().await.unwrap();
    let app = app(&dns).await;
    let (meta, op) = (RequestMeta::cli(), Actor::Operator);
    let core = &app.core;

    licensing::catalogue(core, "none").await.unwrap();
    let (acme, subscription) = licensing::organization(core, "acme", "cet-pro", 5).await.unwrap();
    let ada = active_user(&app, "ada@acme.example").await;
    licensing::assign(core, acme, "cet-pro", ada).await.unwrap();
    let group = core.create_group(op, acme, "Engineering", "", "closed", &meta).await.unwrap();
    let role = core.create_role(op, acme, "Auditor", &["members:read".to_owned()], &meta).await.unwrap();
    let invitation = core.invite_to_organization(op, acme, "new@acme.example", "member", &meta).await.unwrap().id;
    core.claim_organization_domain(op, acme, "acme.example", &meta).await.unwrap();
    let hook =
        NewEndpoint { url: "https://hooks.example.com/k".into(), description: "CRM".into(), events: vec!["*".into()] };
    let (hook, _) = core.create_webhook_endpoint(op, None, hook, &meta).await.unwrap();
    let agreement = core.publish_agreement("terms", "Terms", "The terms.", false, &meta).await.unwrap().id;

    // A licensed person signed in to an application: their session, and a token for /me.
    let browser = signed_in_browser(&app, "ada@acme.example", PASSWORD).await;
    let web = register(&app, ClientKind::Confidential, true, &[], |_| {}).await;
    let access = tokens_for(&app, &browser, &web, "openid licenses").await["access_token"].as_str().unwrap().to_owned();
    let session = core.user_sessions(op, ada).await.unwrap().first().map(|s| s.id.to_string()).unwrap_or_default();

    let scopes = ApiScope::ALL.iter().filter(|s| **s != ApiScope::Scim).map(|s| s.as_str().to_owned()).collect();
    let new = NewApiToken { name: "schemathesis".into(), scopes, organization: None, days: None };
    let token = core.create_api_token(op, new, &meta).await.unwrap().token;

    let mut toml = String::new();
    let org_values = [
        ("id", acme.to_string()),
        ("group", group.to_string()),
        ("user", ada.to_string()),
        ("role", role.to_string()),
        ("invitation", invitation.to_string()),
        ("domain", "acme.example".to_owned()),
        ("sub", subscription.to_string()),
        ("plan", "cet-pro".to_owned()),
    ];
    block(&mut toml, "^/api/v1/organizations/", &org_values);
    block(&mut toml, "^/api/v1/users/", &[("id", ada.to_string()), ("session", session)]);
    block(&mut toml, "^/api/v1/webhooks/", &[("id", hook.id.to_string())]);
    block(&mut toml, "^/api/v1/agreements/", &[("id", agreement.to_string())]);
    block(&mut toml, "^/api/v1/oauth-clients/", &[("client_id", web.client.client_id.clone())]);
    block(&mut toml, "^/api/v1/products/", &[("key", "cet".to_owned())]);
    block(&mut toml, "^/api/v1/plans/", &[("key", "cet-pro".to_owned())]);
    writeln!(
        toml,
        "[[operations]]\ninclude-path-regex = '^/api/v1/me/'\nheaders = {{ Authorization = \"Bearer {access}\" }}\nparameters = {{ \"path.product\" = \"cet\" }}\n"
    )
    .unwrap();
    let config = std::env::temp_dir().join(format!("keystead-schemathesis-{}.toml", uuid::Uuid::new_v4()));
    std::fs::write(&config, toml).unwrap();

    let header = format!("Authorization: Bearer {}", token.expose_secret());
    let ran = run(&app, &header, Some(&config), "examples,fuzzing").await;
    std::fs::remove_file(&config).ok();
    assert!(
        ran.selected.is_some_and(|n| n > 40) && ran.selected == ran.tested,
        "every operation was tested:\n{}",
        ran.summary
    );
}
