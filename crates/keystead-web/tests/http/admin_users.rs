//! The admin API's users end to end: a shop imports a customer with the bcrypt hash it had
//! (retried with the same `Idempotency-Key`: one account), finds them by address prefix in
//! pages, changes their profile under `If-Match`, disables, enables and closes them — each
//! change seen at sign-in — and every bad request gets a problem document with a stable code.

use keystead_core::api_tokens::NewApiToken;
use keystead_core::audit::RequestMeta;
use keystead_core::ids::OrganizationId;
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::TestApp;
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret as _;
use serde_json::{Value, json};

use super::auth::{active_user, mail, sign_in};

async fn token(app: &TestApp, actor: Actor, scopes: &[&str], organization: Option<OrganizationId>) -> String {
    let new = NewApiToken {
        name: "shop".into(),
        scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        organization,
        days: None,
    };
    app.core.create_api_token(actor, new, &RequestMeta::cli()).await.unwrap().token.expose_secret().to_owned()
}

struct Answer {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

async fn send(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<&str>,
    headers: &[(&str, &str)],
) -> Answer {
    let mut request = reqwest::Client::new().request(method, app.at(path)).bearer_auth(token);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    if let Some(b) = body {
        request = request.header("content-type", "application/json").body(b.to_owned());
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.json().await.unwrap_or(Value::Null);
    Answer { status, headers, body }
}

#[tokio::test]
async fn a_customer_imported_with_a_bcrypt_hash_is_created_once_found_changed_and_closed() {
    let app = TestApp::new().await;
    let shop = token(&app, Actor::Operator, &["users:read", "users:write"], None).await;
    let hash = bcrypt::hash("shop password 1234", 4).unwrap();
    let body = json!({
        "email": "Kunde@Example.com",
        "given_name": "Karl",
        "family_name": "Kunde",
        "email_verified": true,
        "password_hash": hash,
    })
    .to_string();
    let key = [("idempotency-key", "order-4711")];
    let first = send(&app, &shop, Method::POST, "/api/v1/users", Some(&body), &key).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let id = first.body["id"].as_str().unwrap().to_owned();
    assert_eq!(first.headers["location"], format!("/api/v1/users/{id}").as_str());
    assert_eq!(first.body["status"], "active");
    assert_eq!(first.body["has_password"], true);
    // The response was lost; the shop retries with the same key: the same answer, one account.
    let retry = send(&app, &shop, Method::POST, "/api/v1/users", Some(&body), &key).await;
    assert_eq!((retry.status, &retry.body["id"]), (StatusCode::CREATED, &first.body["id"]));
    assert_eq!(retry.headers["idempotent-replayed"], "true");
    assert_eq!(retry.headers["etag"], first.headers["etag"]);
    let other = body.replace("Karl", "Carl");
    let reused = send(&app, &shop, Method::POST, "/api/v1/users", Some(&other), &key).await;
    assert_eq!(
        (reused.status, reused.body["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("idempotency_key_reused"))
    );
    let twice = send(&app, &shop, Method::POST, "/api/v1/users", Some(&body), &[]).await;
    assert_eq!(twice.body["errors"][0]["code"], "email_taken", "{}", twice.body);

    // The customer signs in with the password the shop had.
    let client = app.client();
    assert_eq!(sign_in(&app, &client, "kunde@example.com", "shop password 1234").await.status(), StatusCode::SEE_OTHER);

    found_in_pages(&app, &shop).await;
    let path = format!("/api/v1/users/{id}");
    changed_under_if_match(&app, &shop, &path).await;
    disabled_enabled_and_closed(&app, &shop, &path).await;
}

/// Found by a prefix of the address, in pages.
async fn found_in_pages(app: &TestApp, shop: &str) {
    active_user(app, "kunz@example.com").await;
    active_user(app, "other@example.com").await;
    let page = send(app, shop, Method::GET, "/api/v1/users?email=KUN&limit=1", None, &[]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.body["items"][0]["email"], "Kunde@example.com");
    let cursor = page.body["next_cursor"].as_str().unwrap().to_owned();
    let next =
        send(app, shop, Method::GET, &format!("/api/v1/users?email=kun&limit=1&cursor={cursor}"), None, &[]).await;
    assert_eq!(next.body["items"][0]["email"], "kunz@example.com");
    assert!(next.body.get("next_cursor").is_none(), "{}", next.body);
}

/// A profile change under If-Match; a second writer with the old tag is refused.
async fn changed_under_if_match(app: &TestApp, shop: &str, path: &str) {
    let read = send(app, shop, Method::GET, path, None, &[]).await;
    let tag = read.headers["etag"].to_str().unwrap().to_owned();
    assert_eq!(
        send(app, shop, Method::GET, path, None, &[("if-none-match", &tag)]).await.status,
        StatusCode::NOT_MODIFIED
    );
    let changed = send(
        app,
        shop,
        Method::PATCH,
        path,
        Some(r#"{"company": "Kunde GmbH", "country": "de"}"#),
        &[("if-match", &tag)],
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!((changed.body["company"].as_str(), changed.body["country"].as_str()), (Some("Kunde GmbH"), Some("DE")));
    assert_ne!(changed.headers["etag"].to_str().unwrap(), tag);
    let stale = send(app, shop, Method::PATCH, path, Some(r#"{"company": null}"#), &[("if-match", &tag)]).await;
    assert_eq!(
        (stale.status, stale.body["code"].as_str()),
        (StatusCode::PRECONDITION_FAILED, Some("precondition_failed"))
    );
    let invalid = send(app, shop, Method::PATCH, path, Some(r#"{"country": "XX", "phone": "1"}"#), &[]).await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", invalid.body);
    let codes: Vec<&str> =
        invalid.body["errors"].as_array().unwrap().iter().filter_map(|e| e["code"].as_str()).collect();
    assert!(codes.contains(&"unknown_country") && codes.contains(&"not_collected"), "{codes:?}");
    let unknown = send(app, shop, Method::PATCH, path, Some(r#"{"email": "x@example.com"}"#), &[]).await;
    assert_eq!((unknown.status, unknown.body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_json")));
    assert!(unknown.body["detail"].as_str().unwrap().contains("unknown field `email`"), "{}", unknown.body);
}

/// Disabled: the password no longer opens it; enabled: it does again; deleted: closing, with a
/// purge date, told by email, and not reactivated by signing in.
async fn disabled_enabled_and_closed(app: &TestApp, shop: &str, path: &str) {
    let disabled = send(app, shop, Method::POST, &format!("{path}/disable"), None, &[]).await;
    assert_eq!((disabled.status, disabled.body["status"].as_str()), (StatusCode::OK, Some("disabled")));
    assert_ne!(
        sign_in(app, &app.client(), "kunde@example.com", "shop password 1234").await.status(),
        StatusCode::SEE_OTHER
    );
    let enabled = send(app, shop, Method::POST, &format!("{path}/enable"), None, &[]).await;
    assert_eq!(enabled.body["status"], "active");

    let closed = send(app, shop, Method::DELETE, path, None, &[]).await;
    assert_eq!(
        (closed.status, closed.body["status"].as_str()),
        (StatusCode::ACCEPTED, Some("closing")),
        "{}",
        closed.body
    );
    assert!(closed.body["purge_at"].is_string());
    mail(app, "Kunde@example.com", "was closed", 0).await;
    let after = sign_in(app, &app.client(), "kunde@example.com", "shop password 1234").await;
    assert_ne!(after.status(), StatusCode::SEE_OTHER);
    assert!(!after.text().await.unwrap().contains("Reactivate"));
    let again = send(app, shop, Method::DELETE, path, None, &[]).await;
    assert_eq!((again.status, again.body["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));
}

#[tokio::test]
async fn organizations_tokens_read_their_people_but_change_no_account() {
    // users:write concerns the whole deployment: an organization's token cannot even hold it.
    let app = TestApp::new().await;
    let owner = active_user(&app, "owner@acme.example").await;
    let eve = active_user(&app, "eve@elsewhere.example").await;
    let new = NewOrganization { name: "Acme", slug: Some("acme"), owner: Some(owner) };
    let acme = app.core.create_organization(Actor::Operator, new, &RequestMeta::cli()).await.unwrap().id;
    let new =
        NewApiToken { name: "x".into(), scopes: vec!["users:write".into()], organization: Some(acme), days: None };
    assert!(app.core.create_api_token(Actor::User(owner), new, &RequestMeta::cli()).await.is_err());
    let acmes = token(&app, Actor::User(owner), &["users:read"], Some(acme)).await;
    let listed = send(&app, &acmes, Method::GET, "/api/v1/users", None, &[]).await;
    let emails: Vec<&str> =
        listed.body["items"].as_array().unwrap().iter().filter_map(|u| u["email"].as_str()).collect();
    assert_eq!(emails, ["owner@acme.example"]);
    for (method, path) in [
        (Method::POST, format!("/api/v1/users/{owner}/disable")),
        (Method::POST, format!("/api/v1/users/{eve}/reset-mfa")),
        (Method::DELETE, format!("/api/v1/users/{owner}")),
    ] {
        let a = send(&app, &acmes, method.clone(), &path, None, &[]).await;
        assert_eq!(
            (a.status, a.body["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("insufficient_scope")),
            "{method} {path}"
        );
    }
    let created =
        send(&app, &acmes, Method::POST, "/api/v1/users", Some(r#"{"email": "new@acme.example"}"#), &[]).await;
    assert_eq!(created.status, StatusCode::FORBIDDEN);
    let read_only = token(&app, Actor::Operator, &["users:read"], None).await;
    let a = send(&app, &read_only, Method::POST, &format!("/api/v1/users/{eve}/disable"), None, &[]).await;
    assert_eq!((a.status, a.body["code"].as_str()), (StatusCode::FORBIDDEN, Some("insufficient_scope")));
}

#[tokio::test]
async fn bad_searches_and_bodies_are_problem_documents_naming_what_is_wrong() {
    let app = TestApp::new().await;
    let op = token(&app, Actor::Operator, &["users:read", "users:write"], None).await;
    let bad = send(&app, &op, Method::GET, "/api/v1/users?status=gone&limit=x&cursor=zz", None, &[]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let fields: Vec<&str> = bad.body["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["status", "limit"], "the cursor is checked once the others are right");
    let bad = send(&app, &op, Method::GET, "/api/v1/users?cursor=zz", None, &[]).await;
    assert_eq!(bad.body["errors"][0]["field"], "cursor");
    let not_json = send(&app, &op, Method::POST, "/api/v1/users", Some("{email"), &[]).await;
    assert_eq!((not_json.status, not_json.body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_json")));
    let weak =
        send(&app, &op, Method::POST, "/api/v1/users", Some(r#"{"email": "a@example.com", "password": "short"}"#), &[])
            .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", weak.body);
    assert_eq!(weak.body["errors"][0]["field"], "password");
    let hash = send(
        &app,
        &op,
        Method::POST,
        "/api/v1/users",
        Some(r#"{"email": "a@example.com", "password_hash": "md5:abc"}"#),
        &[],
    )
    .await;
    assert_eq!(hash.body["errors"][0]["code"], "unsupported_hash", "{}", hash.body);
    let key = send(
        &app,
        &op,
        Method::POST,
        "/api/v1/users",
        Some(r#"{"email": "a@example.com"}"#),
        &[("idempotency-key", "")],
    )
    .await;
    assert_eq!((key.status, key.body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("malformed_request")));
    // An error answer is remembered and replayed too.
    let k = [("idempotency-key", "k-1")];
    let first = send(&app, &op, Method::POST, "/api/v1/users", Some(r#"{"email": "nope"}"#), &k).await;
    let again = send(&app, &op, Method::POST, "/api/v1/users", Some(r#"{"email": "nope"}"#), &k).await;
    assert_eq!(first.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!((again.status, &again.body["errors"]), (first.status, &first.body["errors"]));
    assert_eq!(again.headers["content-type"], "application/problem+json");
    let unverified = send(&app, &op, Method::POST, "/api/v1/users", Some(r#"{"email": "new@example.com"}"#), &[]).await;
    let id = unverified.body["id"].as_str().unwrap();
    assert_eq!(unverified.body["status"], "unverified");
    mail(&app, "new@example.com", "", 0).await;
    let resend = format!("/api/v1/users/{id}/resend-verification");
    let resent = send(&app, &op, Method::POST, &resend, None, &[]).await;
    assert_eq!(resent.status, StatusCode::ACCEPTED, "{}", resent.body);
    mail(&app, "new@example.com", "", 1).await;
    let too_soon = send(&app, &op, Method::POST, &resend, None, &[]).await;
    assert_eq!(too_soon.status, StatusCode::TOO_MANY_REQUESTS, "one link a minute: {}", too_soon.body);
    app.clock.advance(time::Duration::seconds(61));
    assert_eq!(send(&app, &op, Method::POST, &resend, None, &[]).await.status, StatusCode::ACCEPTED);
    mail(&app, "new@example.com", "", 2).await;
}

#[tokio::test]
async fn a_user_base_is_imported_in_one_request_and_each_entry_says_what_happened() {
    let app = TestApp::new().await;
    let shop = token(&app, Actor::Operator, &["users:write"], None).await;
    active_user(&app, "taken@example.com").await;
    let hash = bcrypt::hash("moved password 1234", 4).unwrap();
    let body = json!({"users": [
        {"email": "moved@example.com", "email_verified": true, "password_hash": hash, "given_name": "Mo"},
        {"email": "Taken@example.com", "email_verified": true},
        {"email": "not an address"},
        {"email": "plain@example.com", "email_verified": true, "password": "short"},
        {"email": "nohash@example.com", "password_hash": "md5:abc"},
    ]})
    .to_string();
    let report = send(&app, &shop, Method::POST, "/api/v1/users/import", Some(&body), &[]).await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    assert_eq!(
        (report.body["created"].as_u64(), report.body["failed"].as_u64()),
        (Some(1), Some(4)),
        "{}",
        report.body
    );
    let results = report.body["results"].as_array().unwrap();
    assert_eq!((results[0]["status"].as_u64(), results[0]["user"]["given_name"].as_str()), (Some(201), Some("Mo")));
    for (i, field, code) in [(1, "email", "email_taken"), (2, "email", "invalid_email"), (4, "password_hash", "")] {
        assert_eq!(
            (results[i]["index"].as_u64(), results[i]["status"].as_u64()),
            (Some(i as u64), Some(422)),
            "{}",
            results[i]
        );
        assert_eq!(results[i]["errors"][0]["field"], field, "{}", results[i]);
        if !code.is_empty() {
            assert_eq!(results[i]["errors"][0]["code"], code, "{}", results[i]);
        }
    }
    assert_eq!(results[3]["errors"][0]["field"], "password", "the policy: {}", results[3]);
    let client = app.client();
    assert_eq!(
        sign_in(&app, &client, "moved@example.com", "moved password 1234").await.status(),
        StatusCode::SEE_OTHER
    );

    let empty = send(&app, &shop, Method::POST, "/api/v1/users/import", Some(r#"{"users": []}"#), &[]).await;
    assert_eq!(
        (empty.status, empty.body["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("users"))
    );
    let many: Vec<Value> = (0..21).map(|i| json!({"email": format!("p{i}@example.com"), "password": "x"})).collect();
    let plain =
        send(&app, &shop, Method::POST, "/api/v1/users/import", Some(&json!({"users": many}).to_string()), &[]).await;
    assert_eq!(plain.status, StatusCode::UNPROCESSABLE_ENTITY, "more than 20 plain passwords: {}", plain.body);
    assert!(app.core.user_by_email("p0@example.com").await.is_err(), "nothing of a refused import is created");
}
