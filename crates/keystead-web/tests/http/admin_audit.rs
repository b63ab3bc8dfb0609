//! The admin API's audit log and a user's sessions, end to end: a user signs in from two
//! browsers, the operator lists the sessions, ends one and then all (each browser is signed out),
//! and finds those events in the audit log by subject and action family, page by page; an
//! organization's token reads only its organization's log; bad filters name their field.

use keystead_core::api_tokens::NewApiToken;
use keystead_core::audit::RequestMeta;
use keystead_core::ids::OrganizationId;
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::TestApp;
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret as _;
use serde_json::Value;

use super::auth::{PASSWORD, active_user, get, signed_in_browser};

async fn token(app: &TestApp, actor: Actor, scopes: &[&str], org: Option<OrganizationId>) -> String {
    let scopes = scopes.iter().map(|s| (*s).to_owned()).collect();
    let new = NewApiToken { name: "ops".into(), scopes, organization: org, days: None };
    app.core.create_api_token(actor, new, &RequestMeta::cli()).await.unwrap().token.expose_secret().to_owned()
}

async fn call(app: &TestApp, token: &str, method: Method, path: &str) -> (StatusCode, Value) {
    let response = reqwest::Client::new().request(method, app.at(path)).bearer_auth(token).send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn signed_in(app: &TestApp, browser: &reqwest::Client) -> bool {
    let (status, _) = get(app, browser, "/account/profile").await;
    status == StatusCode::OK
}

#[tokio::test]
async fn an_operator_ends_a_users_sessions_and_finds_it_in_the_audit_log() {
    let app = TestApp::new().await;
    let op = token(&app, Actor::Operator, &["users:read", "users:write", "audit:read"], None).await;
    let ada = active_user(&app, "ada@example.com").await;
    let laptop = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    app.clock.advance(time::Duration::seconds(5));
    let phone = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let sessions = format!("/api/v1/users/{ada}/sessions");
    let (status, list) = call(&app, &op, Method::GET, &sessions).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let list = list.as_array().unwrap().clone();
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|s| s["amr"] == serde_json::json!(["pwd"]) && s["assurance"] == "aal1"), "{list:?}");
    // Newest first: the phone's.
    let phones = list[0]["id"].as_str().unwrap();
    assert_eq!(call(&app, &op, Method::DELETE, &format!("{sessions}/{phones}")).await.0, StatusCode::NO_CONTENT);
    assert!(!signed_in(&app, &phone).await && signed_in(&app, &laptop).await);
    assert_eq!(call(&app, &op, Method::DELETE, &format!("{sessions}/{phones}")).await.0, StatusCode::NOT_FOUND);
    let (_, ended) = call(&app, &op, Method::DELETE, &sessions).await;
    assert_eq!(ended["ended"], 1);
    assert!(!signed_in(&app, &laptop).await);

    let path = format!("/api/v1/audit-events?subject={ada}&action=session.*&limit=2");
    let (status, page) = call(&app, &op, Method::GET, &path).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let actions: Vec<&str> = page["items"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions, ["session.revoked", "session.revoked"], "newest first");
    assert_eq!(page["items"][0]["details"]["by"], "operator");
    let cursor = page["next_cursor"].as_str().unwrap();
    let (_, older) = call(&app, &op, Method::GET, &format!("{path}&cursor={cursor}")).await;
    let actions: Vec<&str> = older["items"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions, ["session.signed_in", "session.signed_in"]);
    assert!(older.get("next_cursor").is_none(), "{older}");
    let (_, exact) =
        call(&app, &op, Method::GET, &format!("/api/v1/audit-events?subject={ada}&action=user.registered")).await;
    assert_eq!(exact["items"].as_array().unwrap().len(), 1);

    let (status, bad) =
        call(&app, &op, Method::GET, "/api/v1/audit-events?actor=x&since=yesterday&action=User&limit=0&cursor=q").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    let fields: Vec<&str> = bad["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["actor", "since"], "the rest is checked once these are right");
    let (_, bad) = call(&app, &op, Method::GET, "/api/v1/audit-events?action=User&limit=0&cursor=q").await;
    let fields: Vec<&str> = bad["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["limit", "action", "cursor"]);
}

#[tokio::test]
async fn an_organizations_token_reads_only_its_log_and_no_sessions() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@acme.example").await;
    let eve = active_user(&app, "eve@globex.example").await;
    let new = NewOrganization { name: "Acme", slug: Some("acme"), owner: Some(ada) };
    let acme = app.core.create_organization(Actor::Operator, new, &RequestMeta::cli()).await.unwrap().id;
    let new = NewOrganization { name: "Globex", slug: Some("globex"), owner: Some(eve) };
    app.core.create_organization(Actor::Operator, new, &RequestMeta::cli()).await.unwrap();
    app.core.rename_organization(Actor::User(ada), acme, "Acme Ltd", &RequestMeta::cli()).await.unwrap();
    let acmes = token(&app, Actor::User(ada), &["audit:read", "users:read"], Some(acme)).await;
    let (status, page) = call(&app, &acmes, Method::GET, "/api/v1/audit-events").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let items = page["items"].as_array().unwrap();
    assert!(!items.is_empty());
    let actions: Vec<&str> = items.iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions, ["api.token_created", "organization.changed", "organization.changed"]);
    assert!(!page.to_string().contains("Globex"), "nothing of another organization: {page}");
    let (status, body) = call(&app, &acmes, Method::GET, &format!("/api/v1/users/{ada}/sessions")).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));
}
