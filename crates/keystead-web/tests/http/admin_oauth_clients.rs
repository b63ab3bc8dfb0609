//! The admin API's OAuth clients, end to end: an operator's token registers a service (its
//! secret in that answer only), reads it with an ETag, changes it with If-Match (412 when stale),
//! rotates its secret keeping the old one for a while, deletes it. The service then calls the
//! admin API with its own client credentials token: only within the scopes the operator granted,
//! and not once the grant is taken away or the client deleted. An organization's token may not
//! touch clients; bad input names the field.

use keystead_core::api_tokens::NewApiToken;
use keystead_core::audit::RequestMeta;
use keystead_core::ids::OrganizationId;
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::TestApp;
use reqwest::header::{ETAG, IF_MATCH, LOCATION};
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret as _;
use serde_json::{Value, json};

use super::auth::active_user;

async fn token(app: &TestApp, scopes: &[&str], org: Option<OrganizationId>) -> String {
    let scopes = scopes.iter().map(|s| (*s).to_owned()).collect();
    let new = NewApiToken { name: "x".into(), scopes, organization: org, days: None };
    app.core.create_api_token(Actor::Operator, new, &RequestMeta::cli()).await.unwrap().token.expose_secret().to_owned()
}

async fn call(
    app: &TestApp,
    token: &str,
    (method, path): (Method, &str),
    body: Option<Value>,
    if_match: Option<&str>,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let mut request = reqwest::Client::new().request(method, app.at(path)).bearer_auth(token);
    if let Some(b) = body {
        request = request.json(&b);
    }
    if let Some(tag) = if_match {
        request = request.header(IF_MATCH, tag);
    }
    let response = request.send().await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    (status, headers, response.json().await.unwrap_or(Value::Null))
}

/// A client credentials token (the token endpoint's answer, whatever the status).
async fn client_token(app: &TestApp, id: &str, secret: &str, scope: Option<&str>) -> (StatusCode, Value) {
    let mut form = vec![("grant_type", "client_credentials")];
    if let Some(s) = scope {
        form.push(("scope", s));
    }
    let response = reqwest::Client::new()
        .post(app.at("/oauth/token"))
        .basic_auth(id, Some(secret))
        .form(&form)
        .send()
        .await
        .unwrap();
    (response.status(), response.json().await.unwrap())
}

#[tokio::test]
async fn an_operator_registers_changes_rotates_and_deletes_a_client() {
    let app = TestApp::new().await;
    let t = token(&app, &["clients:read", "clients:write"], None).await;
    let body = json!({"name": "Billing sync", "kind": "confidential", "grant_types": ["client_credentials"],
        "api_scopes": ["users:read"]});
    let (status, headers, made) = call(&app, &t, (Method::POST, "/api/v1/oauth-clients"), Some(body), None).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let id = made["client_id"].as_str().unwrap().to_owned();
    let secret = made["client_secret"].as_str().unwrap().to_owned();
    assert_eq!(headers[LOCATION], format!("/api/v1/oauth-clients/{id}").as_str());
    assert_eq!((made["kind"].as_str(), made["api_scopes"][0].as_str()), (Some("confidential"), Some("users:read")));
    assert_eq!(made["require_pushed_authorization_requests"], false);

    let path = format!("/api/v1/oauth-clients/{id}");
    let (status, headers, shown) = call(&app, &t, (Method::GET, &path), None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(shown.get("client_secret").is_none(), "the secret is shown once: {shown}");
    let tag = headers[ETAG].to_str().unwrap().to_owned();
    let (_, listed_headers, list) = call(&app, &t, (Method::GET, "/api/v1/oauth-clients"), None, None).await;
    assert!(list.as_array().unwrap().iter().any(|c| c["client_id"] == id.as_str()), "{list}");
    assert!(listed_headers.get(ETAG).is_none());

    let rename = json!({"name": "Billing", "api_scopes": ["users:read", "orgs:read"],
        "require_pushed_authorization_requests": true});
    let (status, headers, changed) = call(&app, &t, (Method::PATCH, &path), Some(rename.clone()), Some(&tag)).await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["name"], "Billing");
    assert_eq!(changed["require_pushed_authorization_requests"], true);
    assert_ne!(headers[ETAG].to_str().unwrap(), tag);
    let (status, _, stale) = call(&app, &t, (Method::PATCH, &path), Some(rename), Some(&tag)).await;
    assert_eq!((status, stale["code"].as_str()), (StatusCode::PRECONDITION_FAILED, Some("precondition_failed")));
    let bad = json!({"api_scopes": ["users:admin"]});
    let (status, _, refused) = call(&app, &t, (Method::PATCH, &path), Some(bad), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(
        (refused["errors"][0]["field"].as_str(), refused["errors"][0]["code"].as_str()),
        (Some("api_scopes"), Some("unknown_scope"))
    );
    let kind = json!({"kind": "public"});
    let (status, _, refused) = call(&app, &t, (Method::PATCH, &path), Some(kind), None).await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_json")),
        "the kind is fixed"
    );

    let rotate = format!("{path}/secret");
    let (status, _, rotated) =
        call(&app, &t, (Method::POST, &rotate), Some(json!({"keep_previous_hours": 1})), None).await;
    assert_eq!(status, StatusCode::OK, "{rotated}");
    let new_secret = rotated["client_secret"].as_str().unwrap().to_owned();
    assert!(rotated["previous_secret_expires_at"].is_string(), "{rotated}");
    assert_eq!(client_token(&app, &id, &secret, None).await.0, StatusCode::OK, "the old secret, within the hour");
    app.clock.advance(time::Duration::minutes(61));
    assert_eq!(client_token(&app, &id, &secret, None).await.0, StatusCode::UNAUTHORIZED, "the old secret, after it");
    assert_eq!(client_token(&app, &id, &new_secret, None).await.0, StatusCode::OK);
    let (status, _, refused) =
        call(&app, &t, (Method::POST, &rotate), Some(json!({"keep_previous_hours": 200})), None).await;
    assert_eq!(
        (status, refused["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("keep_previous_hours"))
    );

    assert_eq!(call(&app, &t, (Method::DELETE, &path), None, None).await.0, StatusCode::NO_CONTENT);
    assert_eq!(call(&app, &t, (Method::GET, &path), None, None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(call(&app, &t, (Method::DELETE, &path), None, None).await.0, StatusCode::NOT_FOUND);
    let (_, _, audit) = call(
        &app,
        &token(&app, &["audit:read"], None).await,
        (Method::GET, "/api/v1/audit-events?limit=50"),
        None,
        None,
    )
    .await;
    let actions: Vec<&str> = audit["items"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
    for a in ["oauth.client_registered", "oauth.client_changed", "oauth.client_secret_rotated", "oauth.client_deleted"]
    {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
    let (_, _, me) = call(&app, &t, (Method::GET, "/api/v1/token"), None, None).await;
    let via = format!("token:{}", me["id"].as_str().unwrap());
    assert!(audit["items"].as_array().unwrap().iter().any(|e| e["details"]["via"] == via.as_str()), "{audit}");
}

#[tokio::test]
async fn a_service_calls_the_admin_api_with_its_own_token_within_its_granted_scopes() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@acme.example").await;
    let t = token(&app, &["clients:read", "clients:write"], None).await;
    let body = json!({"name": "CRM", "kind": "confidential", "grant_types": ["client_credentials"],
        "api_scopes": ["users:read", "users:write"]});
    let (_, _, made) = call(&app, &t, (Method::POST, "/api/v1/oauth-clients"), Some(body), None).await;
    let (id, secret) = (made["client_id"].as_str().unwrap(), made["client_secret"].as_str().unwrap());

    let (status, granted) = client_token(&app, id, secret, None).await;
    assert_eq!((status, granted["scope"].as_str()), (StatusCode::OK, Some("users:read users:write")), "{granted}");
    let service = granted["access_token"].as_str().unwrap().to_owned();
    let (status, _, me) = call(&app, &service, (Method::GET, "/api/v1/token"), None, None).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(
        (me["kind"].as_str(), me["client_id"].as_str(), me["acts_as"].as_str()),
        (Some("client_credentials"), Some(id), Some("operator"))
    );
    let (status, _, user) = call(&app, &service, (Method::GET, &format!("/api/v1/users/{ada}")), None, None).await;
    assert_eq!((status, user["email"].as_str()), (StatusCode::OK, Some("ada@acme.example")));
    let (status, _, refused) = call(&app, &service, (Method::GET, "/api/v1/oauth-clients"), None, None).await;
    assert_eq!((status, refused["code"].as_str()), (StatusCode::FORBIDDEN, Some("insufficient_scope")));
    // What it changes is in the audit log under its name.
    let disable = format!("/api/v1/users/{ada}/disable");
    assert_eq!(call(&app, &service, (Method::POST, &disable), None, None).await.0, StatusCode::OK);
    let auditor = token(&app, &["audit:read"], None).await;
    let (_, _, page) =
        call(&app, &auditor, (Method::GET, "/api/v1/audit-events?action=user.disabled"), None, None).await;
    assert_eq!(page["items"][0]["details"]["via"], format!("client:{id}"), "{page}");

    let (status, refused) = client_token(&app, id, secret, Some("clients:write")).await;
    assert_eq!((status, refused["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_scope")), "{refused}");

    // Taking the scope away stops the token already issued; so does deleting the client.
    let path = format!("/api/v1/oauth-clients/{id}");
    let (status, _, _) = call(&app, &t, (Method::PATCH, &path), Some(json!({"api_scopes": []})), None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, refused) = call(&app, &service, (Method::GET, &format!("/api/v1/users/{ada}")), None, None).await;
    assert_eq!((status, refused["code"].as_str()), (StatusCode::FORBIDDEN, Some("insufficient_scope")));
    assert_eq!(call(&app, &t, (Method::DELETE, &path), None, None).await.0, StatusCode::NO_CONTENT);
    assert_eq!(call(&app, &service, (Method::GET, "/api/v1/token"), None, None).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_organizations_token_cannot_touch_clients_and_bad_registrations_name_the_field() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@acme.example").await;
    let new = NewOrganization { name: "Acme", slug: Some("acme"), owner: Some(ada) };
    let acme = app.core.create_organization(Actor::Operator, new, &RequestMeta::cli()).await.unwrap().id;
    let org_token = token(&app, &["orgs:read"], Some(acme)).await;
    let (status, _, refused) = call(&app, &org_token, (Method::GET, "/api/v1/oauth-clients"), None, None).await;
    assert_eq!((status, refused["code"].as_str()), (StatusCode::FORBIDDEN, Some("insufficient_scope")));

    let t = token(&app, &["clients:write"], None).await;
    let (status, _, refused) = call(&app, &t, (Method::GET, "/api/v1/oauth-clients"), None, None).await;
    assert_eq!((status, refused["code"].as_str()), (StatusCode::FORBIDDEN, Some("insufficient_scope")));
    for (body, field) in [
        (json!({"name": "App", "kind": "server"}), "kind"),
        (json!({"name": "App", "kind": "public"}), "redirect_uri"),
        (json!({"name": "App", "kind": "public", "redirect_uris": ["http://app.example/cb"]}), "redirect_uri"),
        (json!({"name": "", "kind": "confidential", "grant_types": ["client_credentials"]}), "name"),
        (
            json!({"name": "App", "kind": "public", "redirect_uris": ["https://a.example/cb"], "api_scopes": ["users:read"]}),
            "api_scopes",
        ),
    ] {
        let (status, _, refused) =
            call(&app, &t, (Method::POST, "/api/v1/oauth-clients"), Some(body.clone()), None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {refused}");
        assert_eq!(refused["errors"][0]["field"].as_str(), Some(field), "{body}: {refused}");
    }
    let (status, _, refused) =
        call(&app, &t, (Method::POST, "/api/v1/oauth-clients"), Some(json!({"name": "x"})), None).await;
    assert_eq!((status, refused["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_json")), "kind is required");
    let public = json!({"name": "Desk", "kind": "public", "redirect_uris": ["http://127.0.0.1/cb"]});
    let (_, _, desk) = call(&app, &t, (Method::POST, "/api/v1/oauth-clients"), Some(public), None).await;
    assert!(desk.get("client_secret").is_none(), "{desk}");
    let rotate = format!("/api/v1/oauth-clients/{}/secret", desk["client_id"].as_str().unwrap());
    let (status, _, refused) = call(&app, &t, (Method::POST, &rotate), None, None).await;
    assert_eq!(
        (status, refused["errors"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("public_client"))
    );
}
