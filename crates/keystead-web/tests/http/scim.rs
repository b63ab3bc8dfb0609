//! SCIM 2.0 end to end, with the request shapes Entra ID and Okta send (recorded from their
//! provisioning documentation): discovery, matching by `userName`, create, PATCH with Entra's
//! capitalised ops and string booleans and Okta's path-less replace, suspension and
//! reactivation, groups with member add and remove (Entra's value arrays, Okta's path
//! filters), `If-Match`, deprovisioning; and every refusal as a SCIM error.

use keystead_core::api_tokens::NewApiToken;
use keystead_core::audit::RequestMeta;
use keystead_core::ids::{OrganizationId, UserId};
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::TestApp;
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret as _;
use serde_json::{Value, json};

use super::auth::active_user;

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ERROR: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// `acme` (owner ada, verified domain acme.example) and a SCIM token of ada's for it.
async fn acme(app: &TestApp) -> (OrganizationId, UserId, String) {
    let ada = active_user(app, "ada@acme.example").await;
    let meta = RequestMeta::cli();
    let new = NewOrganization { name: "Acme", slug: Some("acme"), owner: Some(ada) };
    let org = app.core.create_organization(Actor::Operator, new, &meta).await.unwrap().id;
    app.core.add_organization_domain(Actor::Operator, org, "acme.example", &meta).await.unwrap();
    let token = scim_token(app, Actor::User(ada), Some(org), "scim").await;
    (org, ada, token)
}

async fn scim_token(app: &TestApp, actor: Actor, org: Option<OrganizationId>, scope: &str) -> String {
    let new = NewApiToken { name: "Directory".into(), scopes: vec![scope.into()], organization: org, days: None };
    app.core.create_api_token(actor, new, &RequestMeta::cli()).await.unwrap().token.expose_secret().to_owned()
}

struct Answer {
    status: StatusCode,
    body: Value,
    headers: reqwest::header::HeaderMap,
}

async fn call(app: &TestApp, token: &str, method: Method, path: &str, body: Option<Value>) -> Answer {
    call_with(app, token, method, path, body, &[]).await
}

async fn call_with(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> Answer {
    let mut request =
        reqwest::Client::new().request(method, app.at(&format!("/scim/v2/acme{path}"))).bearer_auth(token);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    if let Some(b) = body {
        request = request.header("content-type", "application/scim+json").body(b.to_string());
    }
    let response = request.send().await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    Answer { status, body: response.json().await.unwrap_or(Value::Null), headers }
}

fn patch(ops: Value) -> Value {
    json!({"schemas": [PATCH_OP], "Operations": ops})
}

async fn is_member(app: &TestApp, org: OrganizationId, user: &str) -> bool {
    let page = app.core.organization_members(Actor::Operator, org, "", 0).await.unwrap();
    page.members.iter().any(|m| m.user_id.to_string() == user)
}

#[tokio::test]
async fn entra_id_provisions_changes_suspends_groups_and_deprovisions_a_person() {
    let app = TestApp::new().await;
    let (org, _, token) = acme(&app).await;

    let spc = call(&app, &token, Method::GET, "/ServiceProviderConfig", None).await;
    assert_eq!(spc.status, StatusCode::OK, "{}", spc.body);
    assert_eq!(spc.headers["content-type"], "application/scim+json");
    assert_eq!(spc.body["patch"]["supported"], true);
    let schemas = call(&app, &token, Method::GET, "/Schemas", None).await.body;
    assert_eq!(schemas["totalResults"], 3, "{schemas}");
    let types = call(&app, &token, Method::GET, "/ResourceTypes", None).await.body;
    assert_eq!(types["Resources"][0]["schemaExtensions"][0]["schema"], ENTERPRISE, "{types}");

    let lookup = "/Users?filter=userName+eq+%22bob%40acme.example%22";
    assert_eq!(call(&app, &token, Method::GET, lookup, None).await.body["totalResults"], 0);
    let entra_user = json!({
        "schemas": [USER, ENTERPRISE],
        "externalId": "0a21f0f2-8d2a-4f8e-bf98-7b2c8e9c7a11",
        "userName": "bob@acme.example",
        "active": true,
        "displayName": "Bob Builder",
        "emails": [{"primary": true, "type": "work", "value": "bob@acme.example"}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": "Bob Builder", "familyName": "Builder", "givenName": "Bob"},
        ENTERPRISE: {"department": "Sales"}
    });
    let made = call(&app, &token, Method::POST, "/Users", Some(entra_user)).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let bob = made.body["id"].as_str().unwrap().to_owned();
    assert!(made.headers["location"].to_str().unwrap().ends_with(&format!("/scim/v2/acme/Users/{bob}")));
    assert_eq!(made.headers["etag"].to_str().unwrap(), made.body["meta"]["version"].as_str().unwrap());
    assert_eq!(made.body[ENTERPRISE]["department"], "Sales");
    assert!(is_member(&app, org, &bob).await);
    let account = app.core.user_by_email("bob@acme.example").await.unwrap();
    assert!(account.email_verified_at.is_some(), "the organization's domain proves the address");
    let found = call(&app, &token, Method::GET, "/Users?filter=userName%20eq%20%22BOB@acme.example%22", None).await;
    assert_eq!(found.body["Resources"][0]["id"], bob.as_str(), "{}", found.body);

    let ops = json!([
        {"op": "Replace", "path": "displayName", "value": "Bob B."},
        {"op": "Add", "path": format!("{ENTERPRISE}:department"), "value": "Support"},
        {"op": "Replace", "path": "name.givenName", "value": "Robert"}
    ]);
    let changed = call(&app, &token, Method::PATCH, &format!("/Users/{bob}"), Some(patch(ops))).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(
        (changed.body["displayName"].as_str(), changed.body[ENTERPRISE]["department"].as_str()),
        (Some("Bob B."), Some("Support"))
    );
    let account = app.core.user_by_email("bob@acme.example").await.unwrap();
    assert_eq!(account.given_name.as_deref(), Some("Robert"), "a managed account takes the directory's name");

    let off = patch(json!([{"op": "Replace", "path": "active", "value": "False"}]));
    let suspended = call(&app, &token, Method::PATCH, &format!("/Users/{bob}"), Some(off)).await;
    assert_eq!((suspended.status, &suspended.body["active"]), (StatusCode::OK, &json!(false)), "{}", suspended.body);
    assert!(!is_member(&app, org, &bob).await, "a suspended person has no access");

    let sales = json!({"schemas": [GROUP], "displayName": "Sales", "externalId": "g-sales", "members": []});
    let group = call(&app, &token, Method::POST, "/Groups", Some(sales)).await;
    assert_eq!(group.status, StatusCode::CREATED, "{}", group.body);
    let gid = group.body["id"].as_str().unwrap().to_owned();
    let on = patch(json!([{"op": "Replace", "path": "active", "value": "True"}]));
    assert_eq!(call(&app, &token, Method::PATCH, &format!("/Users/{bob}"), Some(on)).await.status, StatusCode::OK);
    let add = patch(json!([{"op": "Add", "path": "members", "value": [{"value": bob}]}]));
    let added = call(&app, &token, Method::PATCH, &format!("/Groups/{gid}"), Some(add)).await;
    assert_eq!(added.body["members"][0]["value"], bob.as_str(), "{}", added.body);
    let user = call(&app, &token, Method::GET, &format!("/Users/{bob}"), None).await.body;
    assert_eq!(user["groups"][0]["display"], "Sales", "{user}");
    let remove = patch(json!([{"op": "Remove", "path": "members", "value": [{"value": bob}]}]));
    let removed = call(&app, &token, Method::PATCH, &format!("/Groups/{gid}"), Some(remove)).await;
    assert_eq!(removed.body["members"], json!([]), "{}", removed.body);
    let slim = "/Groups?excludedAttributes=members&filter=displayName%20eq%20%22Sales%22";
    let listed = call(&app, &token, Method::GET, slim, None).await.body;
    assert_eq!(listed["totalResults"], 1, "{listed}");
    assert!(listed["Resources"][0].get("members").is_none(), "{listed}");

    let gone = call(&app, &token, Method::DELETE, &format!("/Users/{bob}"), None).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    assert!(!is_member(&app, org, &bob).await);
    let missing = call(&app, &token, Method::GET, &format!("/Users/{bob}"), None).await;
    assert_eq!((missing.status, &missing.body["schemas"][0]), (StatusCode::NOT_FOUND, &json!(ERROR)));
    assert_eq!(missing.body["status"], "404");
}

#[tokio::test]
async fn okta_shapes_if_match_and_refusals_are_answered_as_scim() {
    let app = TestApp::new().await;
    let (org, ada, token) = acme(&app).await;
    let okta_user = json!({
        "schemas": [USER], "userName": "carol@acme.example",
        "name": {"givenName": "Carol", "familyName": "Danvers"},
        "emails": [{"primary": true, "value": "carol@acme.example", "type": "work"}],
        "displayName": "Carol Danvers", "locale": "en-US", "externalId": "00u1abcd", "groups": [], "active": true
    });
    let made = call(&app, &token, Method::POST, "/Users", Some(okta_user.clone())).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let carol = made.body["id"].as_str().unwrap().to_owned();
    let again = call(&app, &token, Method::POST, "/Users", Some(okta_user)).await;
    assert_eq!((again.status, &again.body["scimType"]), (StatusCode::CONFLICT, &json!("uniqueness")));

    let deactivate = patch(json!([{"op": "replace", "value": {"id": carol, "active": false}}]));
    let off = call(&app, &token, Method::PATCH, &format!("/Users/{carol}"), Some(deactivate)).await;
    assert_eq!(off.body["active"], false, "{}", off.body);
    let activate = patch(json!([{"op": "replace", "value": {"active": true}}]));
    assert_eq!(
        call(&app, &token, Method::PATCH, &format!("/Users/{carol}"), Some(activate)).await.body["active"],
        true
    );

    let push = json!({"schemas": [GROUP], "displayName": "Eng", "members": [{"value": carol, "display": "carol@acme.example"}]});
    let group = call(&app, &token, Method::POST, "/Groups", Some(push)).await;
    assert_eq!(group.body["members"][0]["value"], carol.as_str(), "{}", group.body);
    let gid = group.body["id"].as_str().unwrap().to_owned();
    let filter = format!("members[value eq \"{carol}\"]");
    let ops = patch(
        json!([{"op": "remove", "path": filter}, {"op": "replace", "value": {"id": gid, "displayName": "Engineering"}}]),
    );
    let g = call(&app, &token, Method::PATCH, &format!("/Groups/{gid}"), Some(ops)).await;
    assert_eq!((g.body["displayName"].as_str(), &g.body["members"]), (Some("Engineering"), &json!([])), "{}", g.body);

    // If-Match: the current version replaces, a stale one is 412; If-None-Match is 304.
    let current = call(&app, &token, Method::GET, &format!("/Users/{carol}"), None).await;
    let etag = current.headers["etag"].to_str().unwrap().to_owned();
    let path = format!("/Users/{carol}");
    let not_modified = call_with(&app, &token, Method::GET, &path, None, &[("if-none-match", &etag)]).await;
    assert_eq!(not_modified.status, StatusCode::NOT_MODIFIED);
    let mut put = current.body.clone();
    put["title"] = json!("Captain");
    let replaced = call_with(&app, &token, Method::PUT, &path, Some(put.clone()), &[("if-match", &etag)]).await;
    assert_eq!((replaced.status, &replaced.body["title"]), (StatusCode::OK, &json!("Captain")), "{}", replaced.body);
    let stale = call_with(&app, &token, Method::PUT, &path, Some(put), &[("if-match", &etag)]).await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED, "{}", stale.body);

    // Refusals.
    let bad = call(&app, &token, Method::GET, "/Users?filter=userName%20eq", None).await;
    assert_eq!((bad.status, &bad.body["scimType"]), (StatusCode::BAD_REQUEST, &json!("invalidFilter")), "{}", bad.body);
    let mut gmail = json!({"schemas": [USER], "userName": "dave", "emails": [{"value": "dave@mail.example"}]});
    active_user(&app, "dave@mail.example").await;
    let theirs = call(&app, &token, Method::POST, "/Users", Some(gmail.clone())).await;
    assert_eq!(theirs.status, StatusCode::CONFLICT, "someone else's account: {}", theirs.body);
    gmail["emails"] = json!([]);
    let no_address = call(&app, &token, Method::POST, "/Users", Some(gmail)).await;
    assert_eq!((no_address.status, &no_address.body["scimType"]), (StatusCode::BAD_REQUEST, &json!("invalidValue")));
    let not_json = reqwest::Client::new().post(app.at("/scim/v2/acme/Users")).bearer_auth(&token).body("{").send();
    assert_eq!(not_json.await.unwrap().status(), StatusCode::BAD_REQUEST);
    let anonymous = reqwest::get(app.at("/scim/v2/acme/Users")).await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert!(anonymous.headers().contains_key("www-authenticate"));
    let unscoped = scim_token(&app, Actor::User(ada), Some(org), "users:read").await;
    assert_eq!(call(&app, &unscoped, Method::GET, "/Users", None).await.status, StatusCode::FORBIDDEN);
    let eve = active_user(&app, "eve@globex.example").await;
    let globex = NewOrganization { name: "Globex", slug: Some("globex"), owner: Some(eve) };
    let globex = app.core.create_organization(Actor::Operator, globex, &RequestMeta::cli()).await.unwrap().id;
    let other = scim_token(&app, Actor::User(eve), Some(globex), "scim").await;
    assert_eq!(call(&app, &other, Method::GET, "/Users", None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(call(&app, &token, Method::GET, "/Nothing", None).await.status, StatusCode::NOT_FOUND);
}
