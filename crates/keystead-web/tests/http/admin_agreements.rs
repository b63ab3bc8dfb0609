//! The admin API's agreements, end to end: the operator publishes a required version (a retry
//! with the same key publishes once), lists versions, and pages through who accepted it; an
//! organization's token may not; bad input names the field.

use std::collections::HashMap;

use keystead_core::agreements::accept_field;
use keystead_core::api_tokens::NewApiToken;
use keystead_core::audit::RequestMeta;
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::TestApp;
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret as _;
use serde_json::{Value, json};

use super::auth::active_user;

async fn call(app: &TestApp, token: &str, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let mut request = reqwest::Client::new().request(method, app.at(path)).bearer_auth(token);
    if let Some(b) = body {
        // The publishing retried below carries an Idempotency-Key.
        if b["key"] == "terms" {
            request = request.header("idempotency-key", "terms-3");
        }
        request = request.json(&b);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_operator_publishes_a_version_and_pages_through_who_accepted_it() {
    let app = TestApp::new().await;
    let scopes = vec!["agreements:read".into(), "agreements:write".into()];
    let new = NewApiToken { name: "legal".into(), scopes, organization: None, days: None };
    let meta = RequestMeta::cli();
    let op = app.core.create_api_token(Actor::Operator, new, &meta).await.unwrap().token.expose_secret().to_owned();

    let terms = json!({"key": "terms", "title": "Terms of use", "body": "# Terms\n\nBe nice.", "required": true});
    let (status, published) = call(&app, &op, Method::POST, "/api/v1/agreements", Some(terms.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{published}");
    assert_eq!((published["version"].as_i64(), published["required"].as_bool()), (Some(1), Some(true)));
    let (_, again) = call(&app, &op, Method::POST, "/api/v1/agreements", Some(terms)).await;
    assert_eq!(again["id"], published["id"], "the same Idempotency-Key publishes once");
    let (_, list) = call(&app, &op, Method::GET, "/api/v1/agreements", None).await;
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");

    let id = published["id"].as_str().unwrap().to_owned();
    let mut people = Vec::new();
    for email in ["a@example.com", "b@example.com", "c@example.com"] {
        let user = active_user(&app, email).await;
        let user = app.core.user_within(Actor::Operator, None, user).await.unwrap().user;
        let accept = HashMap::from([(accept_field(id.parse().unwrap()), "on".to_owned())]);
        app.core.complete_profile(&user, &accept, &meta).await.unwrap();
        people.push(user.id.to_string());
    }
    let path = format!("/api/v1/agreements/{id}/acceptances?limit=2");
    let (status, first) = call(&app, &op, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    let (_, second) = call(&app, &op, Method::GET, &format!("{path}&cursor={cursor}"), None).await;
    assert!(second.get("next_cursor").is_none(), "{second}");
    let seen: Vec<&str> = [&first, &second]
        .iter()
        .flat_map(|p| p["items"].as_array().unwrap().iter().map(|i| i["user_id"].as_str().unwrap()))
        .collect();
    assert_eq!(seen, people.iter().map(String::as_str).collect::<Vec<_>>(), "everyone, in the order they accepted");

    let (status, bad) = call(&app, &op, Method::GET, &format!("{path}&cursor=zz"), None).await;
    assert_eq!((status, bad["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("cursor")));
    let (status, bad) = call(&app, &op, Method::POST, "/api/v1/agreements", Some(json!({"key": "x"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "missing fields are invalid_json: {bad}");
    let nobody = "/api/v1/agreements/0190c0de-0000-7000-8000-000000000009/acceptances";
    assert_eq!(call(&app, &op, Method::GET, nobody, None).await.0, StatusCode::NOT_FOUND);

    let owner = active_user(&app, "owner@acme.example").await;
    let acme = NewOrganization { name: "Acme", slug: Some("acme"), owner: Some(owner) };
    let acme = app.core.create_organization(Actor::Operator, acme, &meta).await.unwrap().id;
    // Agreements concern the whole deployment: an organization's token cannot hold their scopes.
    let new =
        NewApiToken { name: "org".into(), scopes: vec!["orgs:read".into()], organization: Some(acme), days: None };
    let org = app.core.create_api_token(Actor::User(owner), new, &meta).await.unwrap().token.expose_secret().to_owned();
    assert_eq!(call(&app, &org, Method::GET, "/api/v1/agreements", None).await.0, StatusCode::FORBIDDEN);
}
