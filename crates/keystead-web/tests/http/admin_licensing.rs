//! The admin API's licensing, end to end: the operator's token builds the catalogue and
//! subscribes an organization (a retried create made once); the organization's owner's token
//! assigns its seats (again is no change, never more than bought) and sees who holds them,
//! another organization's token finds nothing of it; a resize honours `If-Match` and the seats
//! in use. Organizations' tokens may not touch the catalogue or subscriptions; a missing scope
//! and a body that is not JSON are refused with their codes.

use keystead_core::api_tokens::NewApiToken;
use keystead_core::audit::RequestMeta;
use keystead_core::ids::{OrganizationId, UserId};
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::TestApp;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret as _;
use serde_json::{Value, json};

use super::auth::active_user;

const READ_WRITE: [&str; 2] = ["licenses:read", "licenses:write"];

async fn token(app: &TestApp, actor: Actor, org: Option<OrganizationId>, scopes: &[&str]) -> String {
    let scopes = scopes.iter().map(|s| (*s).to_owned()).collect();
    let new = NewApiToken { name: "x".into(), scopes, organization: org, days: None };
    app.core.create_api_token(actor, new, &RequestMeta::cli()).await.unwrap().token.expose_secret().to_owned()
}

/// A request with a JSON body (or, for a string, that text) and extra headers.
struct Call<'a> {
    method: Method,
    path: &'a str,
    body: Option<Value>,
    headers: &'a [(&'a str, &'a str)],
}

async fn send(app: &TestApp, token: &str, c: Call<'_>) -> (StatusCode, HeaderMap, Value) {
    let mut request = reqwest::Client::new().request(c.method, app.at(c.path)).bearer_auth(token);
    match c.body {
        Some(Value::String(raw)) => request = request.header("content-type", "application/json").body(raw),
        Some(b) => request = request.json(&b),
        None => {}
    }
    for (name, value) in c.headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    (status, headers, response.json().await.unwrap_or(Value::Null))
}

async fn call(app: &TestApp, token: &str, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let (status, _, body) = send(app, token, Call { method, path, body, headers: &[] }).await;
    (status, body)
}

fn error_code(problem: &Value) -> (Option<&str>, Option<&str>) {
    (problem["errors"][0]["field"].as_str(), problem["errors"][0]["code"].as_str())
}

/// Acme (owned by ada, with bob and carol as members) subscribed to two seats of `cet-pro`,
/// all made through the API with the operator's token.
struct Acme {
    app: TestApp,
    operator: String,
    org: OrganizationId,
    owner: UserId,
    members: [UserId; 2],
    subscription: String,
}

async fn acme() -> Acme {
    let app = TestApp::new().await;
    let owner = active_user(&app, "ada@acme.example").await;
    let members = [active_user(&app, "bob@acme.example").await, active_user(&app, "carol@acme.example").await];
    let new = NewOrganization { name: "Acme", slug: Some("acme"), owner: Some(owner) };
    let org = app.core.create_organization(Actor::Operator, new, &RequestMeta::cli()).await.unwrap().id;
    for m in members {
        app.core.add_organization_member(Actor::Operator, org, m, "member", &RequestMeta::cli()).await.unwrap();
    }
    let operator = token(&app, Actor::Operator, None, &READ_WRITE).await;
    let product = json!({"key": "cet", "name": "CET Designer", "kind": "desktop_app"});
    assert_eq!(call(&app, &operator, Method::POST, "/api/v1/products", Some(product)).await.0, StatusCode::CREATED);
    let plan = json!({"product": "cet", "key": "cet-pro", "name": "CET Pro", "landing": "downloads",
        "entitlements": ["cet.edition.pro"]});
    assert_eq!(call(&app, &operator, Method::POST, "/api/v1/plans", Some(plan)).await.0, StatusCode::CREATED);
    let path = format!("/api/v1/organizations/{org}/subscriptions");
    let (status, sub) = call(&app, &operator, Method::POST, &path, Some(json!({"plan": "cet-pro", "seats": 2}))).await;
    assert_eq!(status, StatusCode::CREATED, "{sub}");
    let subscription = sub["id"].as_str().unwrap().to_owned();
    Acme { app, operator, org, owner, members, subscription }
}

#[tokio::test]
async fn the_operator_builds_the_catalogue_and_subscribes_an_organization() {
    let Acme { app, operator, org, owner, .. } = acme().await;
    let (status, products) = call(&app, &operator, Method::GET, "/api/v1/products", None).await;
    assert_eq!(
        (status, products[0]["key"].as_str(), products[0]["group"].as_str()),
        (StatusCode::OK, Some("cet"), Some("manufacturer"))
    );
    assert_eq!(call(&app, &operator, Method::GET, "/api/v1/products/cet", None).await.1["kind"], "desktop_app");
    assert_eq!(call(&app, &operator, Method::GET, "/api/v1/products/nope", None).await.0, StatusCode::NOT_FOUND);
    let extra =
        json!({"product": "cet", "key": "cet-basic", "name": "CET Basic", "landing": "https://app.example.com/"});
    let (status, basic) = call(&app, &operator, Method::POST, "/api/v1/plans", Some(extra)).await;
    assert_eq!((status, basic["landing"].as_str()), (StatusCode::CREATED, Some("https://app.example.com/")), "{basic}");
    let (_, plans) = call(&app, &operator, Method::GET, "/api/v1/plans", None).await;
    let keys: Vec<&str> = plans.as_array().unwrap().iter().filter_map(|p| p["key"].as_str()).collect();
    assert_eq!(keys, ["cet-basic", "cet-pro"]);
    let (_, pro) = call(&app, &operator, Method::GET, "/api/v1/plans/cet-pro", None).await;
    assert_eq!((&pro["entitlements"], pro["landing"].as_str()), (&json!(["cet.edition.pro"]), Some("downloads")));
    assert_eq!(call(&app, &operator, Method::GET, "/api/v1/downloads", None).await, (StatusCode::OK, json!([])));
    let bad = json!({"product": "nope", "key": "Bad Key", "name": "X", "landing": "none"});
    let (status, problem) = call(&app, &operator, Method::POST, "/api/v1/plans", Some(bad)).await;
    assert_eq!((status, error_code(&problem)), (StatusCode::UNPROCESSABLE_ENTITY, (Some("key"), Some("invalid_code"))));

    // A retried create (same Idempotency-Key) makes one subscription.
    let path = format!("/api/v1/organizations/{org}/subscriptions");
    let body = json!({"plan": "cet-basic", "seats": 5, "starts_at": "2026-01-01T00:00:00Z", "ends_at": "2027-01-01T00:00:00+01:00"});
    let retry =
        || Call { method: Method::POST, path: &path, body: Some(body.clone()), headers: &[("idempotency-key", "k1")] };
    let (status, headers, first) = send(&app, &operator, retry()).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let location = headers["location"].to_str().unwrap();
    assert_eq!(location, format!("{path}/{}", first["id"].as_str().unwrap()));
    assert_eq!(headers["etag"].to_str().unwrap(), format!("\"{}\"", first["version"].as_str().unwrap()));
    assert_eq!(first["ends_at"], "2026-12-31T23:00:00Z");
    let (status, headers, again) = send(&app, &operator, retry()).await;
    assert_eq!(
        (status, &again["id"], headers["idempotent-replayed"].to_str().unwrap()),
        (StatusCode::CREATED, &first["id"], "true")
    );
    let (_, listed) = call(&app, &operator, Method::GET, &path, None).await;
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
    let reversed = json!({"plan": "cet-basic", "seats": 1, "starts_at": "2026-01-01T00:00:00Z", "ends_at": "2025-01-01T00:00:00Z"});
    assert_eq!(call(&app, &operator, Method::POST, &path, Some(reversed)).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, problem) =
        call(&app, &operator, Method::POST, &path, Some(json!({"plan": "cet-pro", "seats": 1, "starts_at": "soon"})))
            .await;
    assert_eq!(
        (status, error_code(&problem)),
        (StatusCode::UNPROCESSABLE_ENTITY, (Some("starts_at"), Some("invalid_date")))
    );

    // An organization's token may neither touch the catalogue nor give subscriptions.
    let owners = token(&app, Actor::User(owner), Some(org), &READ_WRITE).await;
    let product = json!({"key": "own", "name": "Own", "kind": "web_app"});
    let (status, problem) = call(&app, &owners, Method::POST, "/api/v1/products", Some(product)).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));
    assert_eq!(call(&app, &owners, Method::GET, "/api/v1/plans", None).await.0, StatusCode::FORBIDDEN);
    let (status, _) = call(&app, &owners, Method::POST, &path, Some(json!({"plan": "cet-pro", "seats": 100}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A missing scope, and a body that is not JSON.
    let reader = token(&app, Actor::Operator, None, &["licenses:read"]).await;
    let (status, problem) = call(&app, &reader, Method::POST, "/api/v1/products", Some(json!({}))).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::FORBIDDEN, Some("insufficient_scope")));
    let orgs_only = token(&app, Actor::Operator, None, &["orgs:read"]).await;
    let (status, problem) = call(&app, &orgs_only, Method::GET, &path, None).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::FORBIDDEN, Some("insufficient_scope")));
    for raw in ["{not json", r#"{"key": "x", "name": "X", "kind": "bundle", "colour": "red"}"#] {
        let (status, problem) = call(&app, &operator, Method::POST, "/api/v1/products", Some(json!(raw))).await;
        assert_eq!((status, problem["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_json")), "{raw}");
    }
}

#[tokio::test]
async fn an_organizations_token_assigns_its_own_seats_and_no_more_than_bought() {
    let Acme { app, operator, org, owner, members: [bob, carol], subscription } = acme().await;
    let t = token(&app, Actor::User(owner), Some(org), &READ_WRITE).await;
    let (status, listed) =
        call(&app, &t, Method::GET, &format!("/api/v1/organizations/{org}/subscriptions"), None).await;
    assert_eq!(
        (status, listed[0]["id"].as_str(), listed[0]["seats"].as_u64()),
        (StatusCode::OK, Some(subscription.as_str()), Some(2))
    );

    let seat = |user: UserId| format!("/api/v1/organizations/{org}/plans/cet-pro/seats/{user}");
    assert_eq!(call(&app, &t, Method::PUT, &seat(bob), None).await.0, StatusCode::NO_CONTENT);
    assert_eq!(call(&app, &t, Method::PUT, &seat(bob), None).await.0, StatusCode::NO_CONTENT, "again: no change");
    let holders_path = format!("/api/v1/organizations/{org}/subscriptions/{subscription}/seats");
    let (status, holders) = call(&app, &t, Method::GET, &holders_path, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        holders.as_array().unwrap().iter().map(|h| h["email"].as_str().unwrap()).collect::<Vec<_>>(),
        ["bob@acme.example"]
    );
    assert_eq!(holders[0]["user_id"], bob.to_string());
    assert_eq!(call(&app, &t, Method::PUT, &seat(owner), None).await.0, StatusCode::NO_CONTENT);
    let (status, full) = call(&app, &t, Method::PUT, &seat(carol), None).await;
    assert_eq!((status, error_code(&full)), (StatusCode::UNPROCESSABLE_ENTITY, (Some("plan"), Some("no_free_seat"))));
    let (status, bad) =
        call(&app, &t, Method::PUT, &format!("/api/v1/organizations/{org}/plans/cet-pro/seats/bob"), None).await;
    assert_eq!((status, error_code(&bad)), (StatusCode::UNPROCESSABLE_ENTITY, (Some("user"), Some("invalid_id"))));

    assert_eq!(call(&app, &t, Method::DELETE, &seat(bob), None).await.0, StatusCode::NO_CONTENT);
    let (status, none) = call(&app, &t, Method::DELETE, &seat(bob), None).await;
    assert_eq!((status, error_code(&none).1), (StatusCode::UNPROCESSABLE_ENTITY, Some("no_seat")));
    let (_, holders) = call(&app, &t, Method::GET, &holders_path, None).await;
    assert_eq!(holders.as_array().unwrap().len(), 1, "{holders}");

    // A group's members get the seats left.
    let group = app.core.create_group(Actor::Operator, org, "Design", "", "closed", &RequestMeta::cli()).await.unwrap();
    for u in [bob, carol] {
        app.core.add_to_group(Actor::Operator, group, u, &RequestMeta::cli()).await.unwrap();
    }
    let group_path = format!("/api/v1/organizations/{org}/plans/cet-pro/seats/group");
    let (status, done) = call(&app, &t, Method::POST, &group_path, Some(json!({"group": group.to_string()}))).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(
        done,
        json!({"assigned": ["bob@acme.example"], "already_held": 0, "without_seat": ["carol@acme.example"]})
    );
    let (status, bad) = call(&app, &t, Method::POST, &group_path, Some(json!({"group": "design"}))).await;
    assert_eq!((status, error_code(&bad)), (StatusCode::UNPROCESSABLE_ENTITY, (Some("group"), Some("invalid_id"))));

    // The organization's token reads its subscriptions but does not resize them.
    let one = format!("/api/v1/organizations/{org}/subscriptions/{subscription}");
    let (status, sub) = call(&app, &t, Method::GET, &one, None).await;
    assert_eq!((status, sub["seats_used"].as_u64()), (StatusCode::OK, Some(2)));
    let (status, problem) = call(&app, &t, Method::PATCH, &one, Some(json!({"seats": 50}))).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));

    // Another organization's token, and this subscription through another organization.
    let eve = active_user(&app, "eve@globex.example").await;
    let new = NewOrganization { name: "Globex", slug: Some("globex"), owner: Some(eve) };
    let globex = app.core.create_organization(Actor::Operator, new, &RequestMeta::cli()).await.unwrap().id;
    let theirs = token(&app, Actor::User(eve), Some(globex), &READ_WRITE).await;
    for path in [one.clone(), holders_path.clone(), seat(bob)] {
        let method = if path == seat(bob) { Method::DELETE } else { Method::GET };
        assert_eq!(call(&app, &theirs, method, &path, None).await.0, StatusCode::NOT_FOUND, "{path}");
    }
    let through_globex = format!("/api/v1/organizations/{globex}/subscriptions/{subscription}");
    assert_eq!(call(&app, &theirs, Method::GET, &through_globex, None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(call(&app, &operator, Method::GET, &through_globex, None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        call(&app, &operator, Method::GET, &format!("{through_globex}/seats"), None).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_resize_honours_if_match_and_the_seats_in_use() {
    let Acme { app, operator, org, members: [bob, carol], subscription, .. } = acme().await;
    let one = format!("/api/v1/organizations/{org}/subscriptions/{subscription}");
    let get = || Call { method: Method::GET, path: &one, body: None, headers: &[] };
    let (_, headers, read) = send(&app, &operator, get()).await;
    let stale = headers["etag"].to_str().unwrap().to_owned();
    assert_eq!(stale, format!("\"{}\"", read["version"].as_str().unwrap()));

    // A seat assigned since the read: the resize from that read is refused, nothing saved.
    let seat = |user: UserId| format!("/api/v1/organizations/{org}/plans/cet-pro/seats/{user}");
    assert_eq!(call(&app, &operator, Method::PUT, &seat(bob), None).await.0, StatusCode::NO_CONTENT);
    let resize = |tag: &str, seats: i64| {
        let (app, operator, one) = (&app, &operator, &one);
        let tag = tag.to_owned();
        async move {
            let call = Call { method: Method::PATCH, path: one, body: Some(json!({"seats": seats})), headers: &[] };
            send(app, operator, Call { headers: &[("if-match", &tag)], ..call }).await
        }
    };
    let (status, _, problem) = resize(&stale, 5).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::PRECONDITION_FAILED, Some("precondition_failed")));
    assert_eq!(send(&app, &operator, get()).await.2["seats"], 2, "nothing saved");

    let (_, headers, _) = send(&app, &operator, get()).await;
    let fresh = headers["etag"].to_str().unwrap().to_owned();
    assert_ne!(fresh, stale);
    let (status, headers, resized) = resize(&fresh, 5).await;
    assert_eq!((status, resized["seats"].as_u64(), resized["seats_used"].as_u64()), (StatusCode::OK, Some(5), Some(1)));
    let newest = headers["etag"].to_str().unwrap().to_owned();
    assert_ne!(newest, fresh);
    assert_eq!(newest, format!("\"{}\"", resized["version"].as_str().unwrap()));
    assert_eq!(resize("not quoted", 5).await.0, StatusCode::BAD_REQUEST);

    // Not below the seats in use; without If-Match, unconditionally.
    assert_eq!(call(&app, &operator, Method::PUT, &seat(carol), None).await.0, StatusCode::NO_CONTENT);
    let (status, problem) = call(&app, &operator, Method::PATCH, &one, Some(json!({"seats": 1}))).await;
    assert_eq!(
        (status, error_code(&problem)),
        (StatusCode::UNPROCESSABLE_ENTITY, (Some("seats"), Some("below_seats_in_use")))
    );
    let (status, bad) =
        call(&app, &operator, Method::PATCH, &one, Some(json!({"seats": 3, "plan": "cet-basic"}))).await;
    assert_eq!((status, bad["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_json")));
    assert_eq!(call(&app, &operator, Method::PATCH, &one, Some(json!({"seats": 2}))).await.1["seats"], 2);

    let (status, ended) = call(&app, &operator, Method::POST, &format!("{one}/end"), None).await;
    assert_eq!((status, ended["live"].as_bool(), ended["ended_at"].is_string()), (StatusCode::OK, Some(false), true));
    let (status, again) = call(&app, &operator, Method::POST, &format!("{one}/end"), None).await;
    assert_eq!((status, error_code(&again).1), (StatusCode::UNPROCESSABLE_ENTITY, Some("already_ended")));
}
