//! The admin API's organizations and members, end to end: the operator creates an organization
//! with its owner (retried with the same key: one organization), the owner's token renames it,
//! adds a member, makes them an admin, finds them, removes them; the last owner cannot be
//! removed; another organization is not found to it; bad input names the field.

use keystead_core::api_tokens::NewApiToken;
use keystead_core::audit::RequestMeta;
use keystead_core::ids::OrganizationId;
use keystead_core::organizations::Actor;
use keystead_testkit::TestApp;
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret as _;
use serde_json::{Value, json};

use super::auth::active_user;

async fn token(app: &TestApp, actor: Actor, org: Option<OrganizationId>) -> String {
    let new = NewApiToken {
        name: "x".into(),
        scopes: vec!["orgs:read".into(), "orgs:write".into()],
        organization: org,
        days: None,
    };
    app.core.create_api_token(actor, new, &RequestMeta::cli()).await.unwrap().token.expose_secret().to_owned()
}

async fn call(app: &TestApp, token: &str, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let mut request =
        reqwest::Client::new().request(method, app.at(path)).bearer_auth(token).header("idempotency-key", "k1");
    if let Some(b) = body {
        request = request.json(&b);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn an_organization_is_created_and_its_owner_manages_its_members_through_the_api() {
    let app = TestApp::new().await;
    let op = token(&app, Actor::Operator, None).await;
    let ada = active_user(&app, "ada@acme.example").await;
    let bob = active_user(&app, "bob@acme.example").await;
    let body = json!({"name": "Acme Widgets", "slug": "acme", "owner_id": ada.to_string()});
    let (status, org) = call(&app, &op, Method::POST, "/api/v1/organizations", Some(body.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{org}");
    let (status, again) = call(&app, &op, Method::POST, "/api/v1/organizations", Some(body)).await;
    assert_eq!((status, &again["id"]), (StatusCode::CREATED, &org["id"]), "the same key: one organization");
    let id = org["id"].as_str().unwrap().to_owned();
    let (_, list) = call(&app, &op, Method::GET, "/api/v1/organizations", None).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);

    let acme: OrganizationId = id.parse().unwrap();
    let acmes = token(&app, Actor::User(ada), Some(acme)).await;
    let base = format!("/api/v1/organizations/{id}");
    let (status, renamed) = call(&app, &acmes, Method::PATCH, &base, Some(json!({"name": "Acme Ltd"}))).await;
    assert_eq!((status, renamed["name"].as_str()), (StatusCode::OK, Some("Acme Ltd")), "{renamed}");
    let members = format!("{base}/members");
    let (status, added) = call(&app, &acmes, Method::POST, &members, Some(json!({"user_id": bob.to_string()}))).await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    assert_eq!((added["email"].as_str(), added["role"].as_str()), (Some("bob@acme.example"), Some("member")));
    let (status, changed) =
        call(&app, &acmes, Method::PATCH, &format!("{members}/{bob}"), Some(json!({"role": "admin"}))).await;
    assert_eq!((status, changed["role"].as_str()), (StatusCode::OK, Some("admin")), "{changed}");
    let (_, found) = call(&app, &acmes, Method::GET, &format!("{members}?search=bob"), None).await;
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    assert_eq!(call(&app, &acmes, Method::DELETE, &format!("{members}/{bob}"), None).await.0, StatusCode::NO_CONTENT);
    let (status, last) = call(&app, &acmes, Method::DELETE, &format!("{members}/{ada}"), None).await;
    assert_eq!(
        (status, last["errors"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("last_owner")),
        "{last}"
    );

    let nobody = "0190c0de-0000-7000-8000-000000000009";
    let (status, unknown) = call(&app, &acmes, Method::POST, &members, Some(json!({"user_id": nobody}))).await;
    assert_eq!(
        (status, unknown["errors"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_user"))
    );
    let (status, bad) = call(&app, &acmes, Method::GET, &format!("{members}?cursor=zz"), None).await;
    assert_eq!((status, bad["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("cursor")));

    // The organization's token sees only it, and cannot create organizations.
    let (_, own) = call(&app, &acmes, Method::GET, "/api/v1/organizations", None).await;
    assert_eq!(own["items"][0]["id"], id.as_str());
    let (status, _) = call(&app, &acmes, Method::POST, "/api/v1/organizations", Some(json!({"name": "Other"}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let eve = active_user(&app, "eve@globex.example").await;
    let body = json!({"name": "Globex", "slug": "globex", "owner_id": eve.to_string()});
    let other =
        reqwest::Client::new().post(app.at("/api/v1/organizations")).bearer_auth(&op).json(&body).send().await.unwrap();
    let globex: Value = other.json().await.unwrap();
    let path = format!("/api/v1/organizations/{}", globex["id"].as_str().unwrap());
    assert_eq!(call(&app, &acmes, Method::GET, &path, None).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn invitations_are_sent_listed_resent_and_revoked_through_the_api() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@acme.example").await;
    let new = keystead_core::organizations::NewOrganization { name: "Acme", slug: Some("acme"), owner: Some(ada) };
    let acme = app.core.create_organization(Actor::Operator, new, &RequestMeta::cli()).await.unwrap().id;
    let acmes = token(&app, Actor::User(ada), Some(acme)).await;
    let base = format!("/api/v1/organizations/{acme}/invitations");
    let (status, sent) = call(&app, &acmes, Method::POST, &base, Some(json!({"email": "new@acme.example"}))).await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    assert_eq!((sent["email"].as_str(), sent["role"].as_str()), (Some("new@acme.example"), Some("member")));
    super::auth::mail(&app, "new@acme.example", "", 0).await;
    let id = sent["id"].as_str().unwrap().to_owned();
    let (_, list) = call(&app, &acmes, Method::GET, &base, None).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let (status, bad) =
        call(&app, &acmes, Method::POST, &base, Some(json!({"email": "nope", "role": "emperor"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    assert_eq!(bad["errors"][0]["field"], "email");
    app.clock.advance(time::Duration::minutes(2));
    let (status, body) = call(&app, &acmes, Method::POST, &format!("{base}/{id}/resend"), None).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    super::auth::mail(&app, "new@acme.example", "", 1).await;
    assert_eq!(call(&app, &acmes, Method::DELETE, &format!("{base}/{id}"), None).await.0, StatusCode::NO_CONTENT);
    let (_, list) = call(&app, &acmes, Method::GET, &base, None).await;
    assert!(list.as_array().unwrap().is_empty());
    let (status, closed) = call(&app, &acmes, Method::DELETE, &format!("{base}/{id}"), None).await;
    assert_eq!((status, closed["errors"][0]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("closed")));
}
