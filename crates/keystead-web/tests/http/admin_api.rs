//! The admin API over HTTP: personal access tokens as bearer tokens. No token, a token of
//! another kind, an unknown, revoked or expired one are 401 with a `Bearer` challenge and a
//! problem document saying which; a valid one is described by `GET /api/v1/token`. Users by id:
//! the scope is required, and an organization's token sees only its own people.

use keystead_core::accounts::admin::NewUser;
use keystead_core::api_tokens::NewApiToken;
use keystead_core::audit::RequestMeta;
use keystead_core::ids::OrganizationId;
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::TestApp;
use reqwest::StatusCode;
use secrecy::ExposeSecret as _;

async fn call(app: &TestApp, token: Option<&str>) -> (StatusCode, String, serde_json::Value) {
    let mut request = reqwest::Client::new().get(app.at("/api/v1/token"));
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let challenge =
        response.headers().get("www-authenticate").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, challenge, response.json().await.unwrap_or(serde_json::Value::Null))
}

#[tokio::test]
async fn a_personal_access_token_authenticates_the_admin_api_until_it_is_revoked_or_expires() {
    let app = TestApp::new().await;
    let new = NewApiToken {
        name: "Shop sync".into(),
        scopes: vec!["users:read".into(), "audit:read".into()],
        organization: None,
        days: Some(1),
    };
    let made = app.core.create_api_token(Actor::Operator, new, &RequestMeta::cli()).await.unwrap();
    let token = made.token.expose_secret().to_owned();

    let (status, challenge, body) = call(&app, Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(challenge.is_empty());
    assert_eq!(body["id"], made.info.id.to_string());
    assert_eq!(body["scopes"], serde_json::json!(["users:read", "audit:read"]));
    assert_eq!((body["acts_as"].as_str(), body["organization_id"].is_null()), (Some("operator"), true));

    let (status, challenge, body) = call(&app, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(challenge, "Bearer realm=\"keystead\"");
    assert_eq!(body["code"], "unauthenticated", "a problem document: {body}");
    for (bad, says) in [("eyJhbGciOi.x.y", "invalid or has expired"), ("kst_unknown", "not known")] {
        let (status, challenge, body) = call(&app, Some(bad)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{bad}");
        assert!(challenge.contains("error=\"invalid_token\"") && challenge.contains(says), "{challenge}");
        assert!(body["detail"].as_str().unwrap_or_default().contains(says), "{body}");
    }

    app.clock.advance(time::Duration::days(1));
    let (status, challenge, _) = call(&app, Some(&token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(challenge.contains("expired"), "{challenge}");
    app.core.revoke_api_token(Actor::Operator, made.info.id, &RequestMeta::cli()).await.unwrap();
    let (_, challenge, _) = call(&app, Some(&token)).await;
    assert!(challenge.contains("revoked"), "{challenge}");
}

async fn token(app: &TestApp, actor: Actor, scopes: &[&str], organization: Option<OrganizationId>) -> String {
    let new = NewApiToken {
        name: "test".into(),
        scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        organization,
        days: None,
    };
    app.core.create_api_token(actor, new, &RequestMeta::cli()).await.unwrap().token.expose_secret().to_owned()
}

async fn user(app: &TestApp, email: &str) -> keystead_core::ids::UserId {
    let new = NewUser { email, given_name: Some("Given"), family_name: None, verified: true, password: None };
    app.core.create_user(new, &RequestMeta::cli()).await.unwrap().id
}

async fn get_user(app: &TestApp, token: &str, id: &str) -> (StatusCode, serde_json::Value) {
    let response = reqwest::Client::new().get(app.at(&format!("/api/v1/users/{id}"))).bearer_auth(token).send().await;
    let response = response.unwrap();
    (response.status(), response.json().await.unwrap_or(serde_json::Value::Null))
}

#[tokio::test]
async fn users_are_read_with_the_scope_and_an_organizations_token_sees_only_its_people() {
    let app = TestApp::new().await;
    let ada = user(&app, "ada@acme.example").await;
    let bob = user(&app, "bob@acme.example").await;
    let eve = user(&app, "eve@elsewhere.example").await;
    let new = NewOrganization { name: "Acme", slug: Some("acme"), owner: Some(ada) };
    let acme = app.core.create_organization(Actor::Operator, new, &RequestMeta::cli()).await.unwrap().id;
    app.core.add_organization_member(Actor::Operator, acme, bob, "member", &RequestMeta::cli()).await.unwrap();

    let operator = token(&app, Actor::Operator, &["users:read"], None).await;
    let (status, body) = get_user(&app, &operator, &eve.to_string()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!((body["email"].as_str(), body["status"].as_str()), (Some("eve@elsewhere.example"), Some("active")));
    assert!(body["email_verified_at"].is_string() && body.get("password_hash").is_none(), "{body}");
    assert_eq!(get_user(&app, &operator, "not-an-id").await.0, StatusCode::NOT_FOUND);

    let no_scope = token(&app, Actor::Operator, &["audit:read"], None).await;
    let (status, body) = get_user(&app, &no_scope, &eve.to_string()).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("insufficient_scope")), "{body}");

    let acmes = token(&app, Actor::User(ada), &["users:read"], Some(acme)).await;
    assert_eq!(get_user(&app, &acmes, &bob.to_string()).await.0, StatusCode::OK);
    let (status, body) = get_user(&app, &acmes, &eve.to_string()).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")), "not one of Acme's people");
}
