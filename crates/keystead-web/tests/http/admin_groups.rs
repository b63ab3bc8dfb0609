//! The admin API's groups and roles, end to end: an organization's owner creates a group, adds
//! and removes a member, deletes it; creates a custom role, gives it, cannot delete it while
//! held; a group of another organization is not found through this one (even to a token acting
//! as the operator); bad input names the field.

use keystead_core::api_tokens::NewApiToken;
use keystead_core::audit::RequestMeta;
use keystead_core::ids::OrganizationId;
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::TestApp;
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret as _;
use serde_json::{Value, json};

use super::auth::active_user;

async fn token(app: &TestApp, actor: Actor, org: Option<OrganizationId>) -> String {
    let scopes = vec!["orgs:read".into(), "orgs:write".into()];
    let new = NewApiToken { name: "x".into(), scopes, organization: org, days: None };
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
async fn groups_and_roles_are_managed_through_the_api() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@acme.example").await;
    let bob = active_user(&app, "bob@acme.example").await;
    let acme = org(&app, "acme", ada).await;
    app.core.add_organization_member(Actor::Operator, acme, bob, "member", &RequestMeta::cli()).await.unwrap();
    let t = token(&app, Actor::User(ada), Some(acme)).await;
    let groups = format!("/api/v1/organizations/{acme}/groups");

    let (status, made) = call(&app, &t, Method::POST, &groups, Some(json!({"name": "Engineering"}))).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert_eq!((made["join_policy"].as_str(), made["members"].as_i64()), (Some("closed"), Some(0)));
    let gid = made["id"].as_str().unwrap().to_owned();
    let (status, taken) = call(&app, &t, Method::POST, &groups, Some(json!({"name": "Engineering"}))).await;
    assert_eq!((status, taken["errors"][0]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("name_taken")));
    let (status, bad) = call(&app, &t, Method::POST, &groups, Some(json!({"name": "X", "join_policy": "maybe"}))).await;
    assert_eq!((status, bad["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("join_policy")));

    let member = format!("{groups}/{gid}/members/{bob}");
    assert_eq!(call(&app, &t, Method::PUT, &member, None).await.0, StatusCode::NO_CONTENT);
    assert_eq!(call(&app, &t, Method::PUT, &member, None).await.0, StatusCode::NO_CONTENT, "again: no change");
    let (_, list) = call(&app, &t, Method::GET, &groups, None).await;
    assert_eq!(list[0]["members"], 1, "{list}");
    assert_eq!(call(&app, &t, Method::DELETE, &member, None).await.0, StatusCode::NO_CONTENT);
    let outsider = active_user(&app, "eve@globex.example").await;
    let (status, not_member) = call(&app, &t, Method::PUT, &format!("{groups}/{gid}/members/{outsider}"), None).await;
    assert_eq!(
        (status, not_member["errors"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("not_a_member"))
    );

    // Another organization's group is not found through this one, even by the operator.
    let globex = org(&app, "globex", outsider).await;
    let other = app.core.create_group(Actor::Operator, globex, "Sales", "", "open", &RequestMeta::cli()).await.unwrap();
    let operator = token(&app, Actor::Operator, Some(acme)).await;
    let (status, _) = call(&app, &operator, Method::DELETE, &format!("{groups}/{other}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(app.core.organization_groups(Actor::Operator, globex).await.unwrap().len(), 1);

    assert_eq!(call(&app, &t, Method::DELETE, &format!("{groups}/{gid}"), None).await.0, StatusCode::NO_CONTENT);
    assert_eq!(call(&app, &t, Method::GET, &groups, None).await.1, json!([]));

    let roles = format!("/api/v1/organizations/{acme}/roles");
    let body = json!({"name": "Auditor", "permissions": ["members:read"]});
    let (status, role) = call(&app, &t, Method::POST, &roles, Some(body)).await;
    assert_eq!((status, &role["permissions"]), (StatusCode::CREATED, &json!(["members:read"])), "{role}");
    let rid = role["id"].as_str().unwrap().to_owned();
    let (_, all) = call(&app, &t, Method::GET, &roles, None).await;
    assert!(all.as_array().unwrap().iter().any(|r| r["name"] == "owner" && r["builtin"] == true), "{all}");
    let (status, bad) = call(&app, &t, Method::POST, &roles, Some(json!({"name": "X", "permissions": ["fly"]}))).await;
    assert_eq!((status, bad["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("permissions")));
    app.core.change_member_role(Actor::Operator, acme, bob, "Auditor", &RequestMeta::cli()).await.unwrap();
    let (status, held) = call(&app, &t, Method::DELETE, &format!("{roles}/{rid}"), None).await;
    assert_eq!((status, held["errors"][0]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("role_in_use")));
    app.core.change_member_role(Actor::Operator, acme, bob, "member", &RequestMeta::cli()).await.unwrap();
    assert_eq!(call(&app, &t, Method::DELETE, &format!("{roles}/{rid}"), None).await.0, StatusCode::NO_CONTENT);
}
