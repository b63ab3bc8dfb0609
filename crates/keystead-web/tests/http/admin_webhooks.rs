//! Webhooks through the admin API, end to end: an organization's admin registers its CRM's URL
//! with its token (the secret shown once), a change in the organization reaches the receiver
//! signed — checked by the independent `standardwebhooks` package — while another
//! organization's change does not; the log, a resend, a test event, a rotation and deletion;
//! and another organization's token cannot see the endpoint.

use keystead_core::api_tokens::NewApiToken;
use keystead_core::audit::RequestMeta;
use keystead_core::ids::OrganizationId;
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::{TestApp, TestAppOptions, WebhookReceiver, verify_independently};
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret as _;
use serde_json::{Value, json};

use super::auth::active_user;

async fn token(app: &TestApp, actor: Actor, org: Option<OrganizationId>) -> String {
    let scopes = vec!["webhooks:read".into(), "webhooks:write".into()];
    let new = NewApiToken { name: "crm".into(), scopes, organization: org, days: None };
    app.core.create_api_token(actor, new, &RequestMeta::cli()).await.unwrap().token.expose_secret().to_owned()
}

async fn call(app: &TestApp, token: &str, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
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
async fn an_organizations_crm_receives_its_events_signed_and_manages_its_endpoint() {
    let configure: keystead_testkit::app::Configure = Box::new(|c| c.outbound.allow_private_networks = true);
    let app = TestApp::start(TestAppOptions { configure: Some(configure), ..TestAppOptions::default() }).await.unwrap();
    let hook = WebhookReceiver::start().await.unwrap();
    let ada = active_user(&app, "ada@acme.example").await;
    let eve = active_user(&app, "eve@globex.example").await;
    let acme = org(&app, "acme", ada).await;
    let globex = org(&app, "globex", eve).await;
    let acmes = token(&app, Actor::User(ada), Some(acme)).await;

    let body = json!({"url": hook.url(), "description": "CRM", "events": ["organization.changed"]});
    let (status, created) = call(&app, &acmes, Method::POST, "/api/v1/webhooks", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let secret = created["secret"].as_str().unwrap().to_owned();
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["organization_id"], acme.to_string());
    let (_, listed) = call(&app, &acmes, Method::GET, "/api/v1/webhooks", None).await;
    assert!(listed[0].get("secret").is_none(), "the secret is shown once: {listed}");

    app.core.rename_organization(Actor::User(eve), globex, "Globex Inc", &RequestMeta::cli()).await.unwrap();
    app.core.rename_organization(Actor::User(ada), acme, "Acme Ltd", &RequestMeta::cli()).await.unwrap();
    let got = hook.wait_for(1, std::time::Duration::from_secs(10)).await;
    let now = app.core.clock().now().unix_timestamp();
    let payload = verify_independently(&secret, &got[0], now).unwrap();
    assert_eq!(
        (payload["type"].as_str(), payload["data"]["organization_id"].as_str()),
        (Some("organization.changed"), Some(acme.to_string().as_str()))
    );

    let (status, sent) = call(&app, &acmes, Method::POST, &format!("/api/v1/webhooks/{id}/test"), None).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{sent}");
    hook.wait_for(2, std::time::Duration::from_secs(10)).await;
    let (_, log) = call(&app, &acmes, Method::GET, &format!("/api/v1/webhooks/{id}/deliveries"), None).await;
    assert_eq!(log.as_array().unwrap().len(), 2, "{log}");
    let first = log.as_array().unwrap().iter().find(|d| d["event_type"] == "organization.changed").unwrap().clone();
    let path = format!("/api/v1/webhook-deliveries/{}/resend", first["id"].as_str().unwrap());
    let (status, again) = call(&app, &acmes, Method::POST, &path, None).await;
    assert_eq!((status, &again["event_id"]), (StatusCode::ACCEPTED, &first["event_id"]));
    let got = hook.wait_for(3, std::time::Duration::from_secs(10)).await;
    assert_eq!(
        got.iter().filter(|r| r.id == first["event_id"].as_str().unwrap()).count(),
        2,
        "resent with the same id"
    );

    // Another organization's token knows nothing of it; a bad change names its field.
    let globexs = token(&app, Actor::User(eve), Some(globex)).await;
    assert_eq!(
        call(&app, &globexs, Method::GET, &format!("/api/v1/webhooks/{id}"), None).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, bad) = call(
        &app,
        &acmes,
        Method::PATCH,
        &format!("/api/v1/webhooks/{id}"),
        Some(json!({"events": ["user.exploded"]})),
    )
    .await;
    assert_eq!((status, bad["errors"][0]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_event")));

    let (_, rotated) = call(&app, &acmes, Method::POST, &format!("/api/v1/webhooks/{id}/rotate-secret"), None).await;
    assert_ne!(rotated["secret"].as_str().unwrap(), secret);
    assert!(rotated["previous_secret_until"].is_string());
    assert_eq!(
        call(&app, &acmes, Method::DELETE, &format!("/api/v1/webhooks/{id}"), None).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(call(&app, &acmes, Method::GET, &format!("/api/v1/webhooks/{id}"), None).await.0, StatusCode::NOT_FOUND);
    let (_, types) = call(&app, &acmes, Method::GET, "/api/v1/webhook-event-types", None).await;
    assert!(types.as_array().unwrap().iter().any(|t| t["name"] == "user.signed_in"));
}

#[tokio::test]
async fn urls_inside_the_network_are_refused_unless_the_deployment_allows_them() {
    let app = TestApp::new().await;
    let op = token(&app, Actor::Operator, None).await;
    for url in
        ["http://127.0.0.1:9/hook", "https://10.0.0.5/hook", "https://169.254.169.254/latest", "http://example.com/x"]
    {
        let (status, body) =
            call(&app, &op, Method::POST, "/api/v1/webhooks", Some(json!({"url": url, "events": ["*"]}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{url}: {body}");
        assert_eq!(body["errors"][0]["field"], "url", "{url}");
    }
}
