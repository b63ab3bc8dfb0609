//! The admin API's organization settings and domains, end to end: the owner's token changes the
//! name and settings in one PATCH (all or nothing, 412 on a stale ETag, a bad length names its
//! field and changes nothing), claims a domain, is told the TXT record, checks it before and
//! after it is published (a real DNS server), and removes it; only the operator's token may add
//! a domain verified; another organization's token finds nothing.

use keystead_core::api_tokens::NewApiToken;
use keystead_core::audit::RequestMeta;
use keystead_core::ids::OrganizationId;
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::{DnsServer, TestApp, TestAppOptions};
use reqwest::header::{ETAG, IF_MATCH, IF_NONE_MATCH};
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret as _;
use serde_json::{Value, json};

use super::auth::active_user;

async fn token(app: &TestApp, actor: Actor, org: Option<OrganizationId>) -> String {
    let scopes = vec!["orgs:read".into(), "orgs:write".into()];
    let new = NewApiToken { name: "x".into(), scopes, organization: org, days: None };
    app.core.create_api_token(actor, new, &RequestMeta::cli()).await.unwrap().token.expose_secret().to_owned()
}

async fn call(app: &TestApp, token: &str, (method, path): (Method, &str), body: Option<Value>) -> (StatusCode, Value) {
    let mut request = reqwest::Client::new().request(method, app.at(path)).bearer_auth(token);
    if let Some(b) = body {
        request = request.json(&b);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn org(app: &TestApp, slug: &'static str, owner: keystead_core::ids::UserId) -> OrganizationId {
    let new = NewOrganization { name: slug, slug: Some(slug), owner: Some(owner) };
    app.core.create_organization(Actor::Operator, new, &RequestMeta::cli()).await.unwrap().id
}

#[tokio::test]
async fn an_owner_changes_name_and_settings_at_once_and_with_a_version() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@acme.example").await;
    let acme = org(&app, "acme", ada).await;
    let t = token(&app, Actor::User(ada), Some(acme)).await;
    let path = format!("/api/v1/organizations/{acme}");
    let http = reqwest::Client::new();
    let read = http.get(app.at(&path)).bearer_auth(&t).send().await.unwrap();
    let tag = read.headers()[ETAG].to_str().unwrap().to_owned();
    let again = http.get(app.at(&path)).bearer_auth(&t).header(IF_NONE_MATCH, &tag).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);

    let bad = json!({"name": "Acme GmbH", "password_min_length": 12, "password_max_length": 10});
    let (status, refused) = call(&app, &t, (Method::PATCH, &path), Some(bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["errors"][0]["field"], "password_max_length");
    let (_, unchanged) = call(&app, &t, (Method::GET, &path), None).await;
    assert_eq!(unchanged["name"], "acme", "all or nothing: {unchanged}");

    let change = json!({"name": "Acme GmbH", "require_mfa": true, "password_min_length": 12});
    let response = http.patch(app.at(&path)).bearer_auth(&t).header(IF_MATCH, &tag).json(&change).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_ne!(response.headers()[ETAG].to_str().unwrap(), tag);
    let changed: Value = response.json().await.unwrap();
    assert_eq!((changed["name"].as_str(), changed["require_mfa"].as_bool()), (Some("Acme GmbH"), Some(true)));
    assert_eq!(changed["password_min_length"], 12);
    let stale = http.patch(app.at(&path)).bearer_auth(&t).header(IF_MATCH, &tag).json(&json!({"name": "X"}));
    let stale = stale.send().await.unwrap();
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);
    let (status, cleared) = call(&app, &t, (Method::PATCH, &path), Some(json!({"password_min_length": null}))).await;
    assert_eq!((status, cleared["password_min_length"].is_null()), (StatusCode::OK, true), "{cleared}");
    assert_eq!(cleared["require_mfa"], true, "untouched settings stay");
}

#[tokio::test]
async fn an_owner_claims_proves_and_removes_a_domain_through_the_api() {
    let dns = DnsServer::start().await.unwrap();
    let addr = dns.addr();
    let configure = Box::new(move |c: &mut keystead_core::config::Config| {
        c.organizations.dns_resolver = Some(addr);
        c.organizations.dns_timeout = std::time::Duration::from_secs(1);
    });
    let app = TestApp::start(TestAppOptions { configure: Some(configure), ..TestAppOptions::default() }).await.unwrap();
    let ada = active_user(&app, "ada@acme.example").await;
    let bob = active_user(&app, "bob@beta.example").await;
    let acme = org(&app, "acme", ada).await;
    let beta = org(&app, "beta", bob).await;
    let t = token(&app, Actor::User(ada), Some(acme)).await;
    let domains = format!("/api/v1/organizations/{acme}/domains");

    let (status, made) = call(&app, &t, (Method::POST, &domains), Some(json!({"domain": "Acme.Example"}))).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert_eq!((made["domain"].as_str(), made["status"].as_str()), (Some("acme.example"), Some("pending")));
    let (name, value) = (made["record_name"].as_str().unwrap(), made["record_value"].as_str().unwrap());
    assert_eq!(name, "_keystead-challenge.acme.example");
    let (status, again) = call(&app, &t, (Method::POST, &domains), Some(json!({"domain": "acme.example"}))).await;
    assert_eq!((status, again["errors"][0]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("domain_added")));
    let (status, refused) =
        call(&app, &t, (Method::POST, &domains), Some(json!({"domain": "x.example", "verified": true}))).await;
    assert_eq!((status, refused["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")), "operator only");

    let verify = format!("{domains}/acme.example/verify");
    let (status, failed) = call(&app, &t, (Method::POST, &verify), None).await;
    assert_eq!(
        (status, failed["errors"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("dns_check_failed"))
    );
    assert!(failed["errors"][0]["message"].as_str().unwrap().contains("NXDOMAIN"), "{failed}");
    dns.set_txt(name, &[value]);
    let (status, verified) = call(&app, &t, (Method::POST, &verify), None).await;
    assert_eq!((status, verified["status"].as_str()), (StatusCode::OK, Some("verified")), "{verified}");
    let (status, shown) = call(&app, &t, (Method::GET, &format!("{domains}/ACME.example")), None).await;
    assert_eq!((status, shown["status"].as_str()), (StatusCode::OK, Some("verified")));

    let other = token(&app, Actor::User(bob), Some(beta)).await;
    assert_eq!(call(&app, &other, (Method::GET, &domains), None).await.0, StatusCode::NOT_FOUND);
    let operator = token(&app, Actor::Operator, None).await;
    let beta_domains = format!("/api/v1/organizations/{beta}/domains");
    let body = json!({"domain": "acme.example", "verified": true});
    let (status, taken) = call(&app, &operator, (Method::POST, &beta_domains), Some(body)).await;
    assert_eq!((status, taken["errors"][0]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("domain_taken")));
    let body = json!({"domain": "beta.example", "verified": true});
    let (status, vouched) = call(&app, &operator, (Method::POST, &beta_domains), Some(body)).await;
    assert_eq!((status, vouched["status"].as_str()), (StatusCode::CREATED, Some("verified")), "{vouched}");

    let one = format!("{domains}/acme.example");
    assert_eq!(call(&app, &t, (Method::DELETE, &one), None).await.0, StatusCode::NO_CONTENT);
    assert_eq!(call(&app, &t, (Method::GET, &one), None).await.0, StatusCode::NOT_FOUND);
    let (_, list) = call(&app, &t, (Method::GET, &domains), None).await;
    assert_eq!(list, json!([]));
}
