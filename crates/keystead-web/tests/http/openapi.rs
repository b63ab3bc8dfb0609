//! The OpenAPI document over HTTP: served without a token, OpenAPI 3.1, every `/api/v1` route in
//! it with its method, and every documented operation served (answering 401 to a caller without
//! a token, never 404 or 405), each with a security scheme that the document defines.

use std::collections::BTreeSet;

use keystead_testkit::TestApp;
use reqwest::{Method, StatusCode};

/// The API's routes, as the router lists them (`api_routes` in lib.rs).
const ROUTES: [(&str, &str); 89] = [
    ("get", "/api/v1/agreements"),
    ("post", "/api/v1/agreements"),
    ("get", "/api/v1/agreements/{id}/acceptances"),
    ("post", "/api/v1/users/{id}/email"),
    ("post", "/api/v1/users/import"),
    ("get", "/api/v1/users/{id}/course-completions"),
    ("post", "/api/v1/users/{id}/course-completions"),
    ("get", "/api/v1/users/{id}/invoices"),
    ("post", "/api/v1/users/{id}/invoices"),
    ("get", "/api/v1/organizations/{id}/invoices"),
    ("post", "/api/v1/organizations/{id}/invoices"),
    ("get", "/api/v1/invoices/{id}"),
    ("get", "/api/v1/invoices/{id}/pdf"),
    ("get", "/api/v1/organizations/{id}/domains"),
    ("post", "/api/v1/organizations/{id}/domains"),
    ("get", "/api/v1/organizations/{id}/domains/{domain}"),
    ("delete", "/api/v1/organizations/{id}/domains/{domain}"),
    ("post", "/api/v1/organizations/{id}/domains/{domain}/verify"),
    ("get", "/api/v1/oauth-clients"),
    ("post", "/api/v1/oauth-clients"),
    ("get", "/api/v1/oauth-clients/{client_id}"),
    ("patch", "/api/v1/oauth-clients/{client_id}"),
    ("delete", "/api/v1/oauth-clients/{client_id}"),
    ("post", "/api/v1/oauth-clients/{client_id}/secret"),
    ("delete", "/api/v1/organizations/{id}/roles/{role}"),
    ("get", "/api/v1/organizations/{id}/groups"),
    ("post", "/api/v1/organizations/{id}/groups"),
    ("delete", "/api/v1/organizations/{id}/groups/{group}"),
    ("put", "/api/v1/organizations/{id}/groups/{group}/members/{user}"),
    ("delete", "/api/v1/organizations/{id}/groups/{group}/members/{user}"),
    ("get", "/api/v1/organizations/{id}/roles"),
    ("post", "/api/v1/organizations/{id}/roles"),
    ("get", "/api/v1/organizations/{id}/invitations"),
    ("post", "/api/v1/organizations/{id}/invitations"),
    ("post", "/api/v1/organizations/{id}/invitations/{invitation}/resend"),
    ("delete", "/api/v1/organizations/{id}/invitations/{invitation}"),
    ("get", "/api/v1/organizations"),
    ("post", "/api/v1/organizations"),
    ("get", "/api/v1/organizations/{id}"),
    ("patch", "/api/v1/organizations/{id}"),
    ("get", "/api/v1/organizations/{id}/members"),
    ("post", "/api/v1/organizations/{id}/members"),
    ("patch", "/api/v1/organizations/{id}/members/{user}"),
    ("delete", "/api/v1/organizations/{id}/members/{user}"),
    ("get", "/api/v1/users/{id}/sessions"),
    ("delete", "/api/v1/users/{id}/sessions"),
    ("delete", "/api/v1/users/{id}/sessions/{session}"),
    ("get", "/api/v1/audit-events"),
    ("get", "/api/v1/webhooks"),
    ("post", "/api/v1/webhooks"),
    ("get", "/api/v1/webhooks/{id}"),
    ("patch", "/api/v1/webhooks/{id}"),
    ("delete", "/api/v1/webhooks/{id}"),
    ("post", "/api/v1/webhooks/{id}/rotate-secret"),
    ("post", "/api/v1/webhooks/{id}/test"),
    ("get", "/api/v1/webhooks/{id}/deliveries"),
    ("post", "/api/v1/webhook-deliveries/{id}/resend"),
    ("get", "/api/v1/webhook-event-types"),
    ("get", "/api/v1/products"),
    ("post", "/api/v1/products"),
    ("get", "/api/v1/products/{key}"),
    ("get", "/api/v1/plans"),
    ("post", "/api/v1/plans"),
    ("get", "/api/v1/plans/{key}"),
    ("get", "/api/v1/downloads"),
    ("get", "/api/v1/organizations/{id}/subscriptions"),
    ("post", "/api/v1/organizations/{id}/subscriptions"),
    ("get", "/api/v1/organizations/{id}/subscriptions/{sub}"),
    ("patch", "/api/v1/organizations/{id}/subscriptions/{sub}"),
    ("post", "/api/v1/organizations/{id}/subscriptions/{sub}/end"),
    ("get", "/api/v1/organizations/{id}/subscriptions/{sub}/seats"),
    ("put", "/api/v1/organizations/{id}/plans/{plan}/seats/{user}"),
    ("delete", "/api/v1/organizations/{id}/plans/{plan}/seats/{user}"),
    ("post", "/api/v1/organizations/{id}/plans/{plan}/seats/group"),
    ("get", "/api/v1/token"),
    ("get", "/api/v1/users"),
    ("post", "/api/v1/users"),
    ("get", "/api/v1/users/{id}"),
    ("patch", "/api/v1/users/{id}"),
    ("delete", "/api/v1/users/{id}"),
    ("post", "/api/v1/users/{id}/disable"),
    ("post", "/api/v1/users/{id}/enable"),
    ("post", "/api/v1/users/{id}/reset-mfa"),
    ("post", "/api/v1/users/{id}/resend-verification"),
    ("get", "/api/v1/me/licenses"),
    ("post", "/api/v1/me/license-token"),
    ("get", "/api/v1/me/briefcase/{product}"),
    ("put", "/api/v1/me/briefcase/{product}"),
    ("delete", "/api/v1/me/machines/{id}"),
];

#[tokio::test]
async fn every_api_route_is_documented_and_every_documented_operation_is_served() {
    let app = TestApp::new().await;
    let response = reqwest::get(app.at("/api/v1/openapi.json")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    let doc: serde_json::Value = response.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    assert_eq!(doc["info"]["title"], "Keystead API");
    let schemes: BTreeSet<&str> =
        doc["components"]["securitySchemes"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(schemes, BTreeSet::from(["oauth", "token"]));

    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            documented.insert((method.clone(), path.clone()));
            let security = op["security"].as_array().unwrap_or_else(|| panic!("{method} {path}: no security"));
            for requirement in security {
                for scheme in requirement.as_object().unwrap().keys() {
                    assert!(schemes.contains(scheme.as_str()), "{method} {path}: unknown scheme {scheme}");
                }
            }
            assert!(op["responses"].as_object().is_some_and(|r| r.contains_key("401")), "{method} {path}");
            let names: Vec<&str> = op["parameters"]
                .as_array()
                .map(|ps| ps.iter().filter_map(|p| p["name"].as_str()).collect())
                .unwrap_or_default();
            let unique: BTreeSet<&str> = names.iter().copied().collect();
            assert_eq!(unique.len(), names.len(), "{method} {path}: a parameter twice: {names:?}");
        }
    }
    let expected: BTreeSet<(String, String)> = ROUTES.iter().map(|(m, p)| ((*m).to_owned(), (*p).to_owned())).collect();
    assert_eq!(documented, expected);

    let client = reqwest::Client::new();
    for (method, path) in ROUTES {
        let concrete = path
            .replace("{product}", "cet")
            .replace("{id}", "0190c0de-0000-7000-8000-000000000000")
            .replace("{session}", "0190c0de-0000-7000-8000-000000000001")
            .replace("{user}", "0190c0de-0000-7000-8000-000000000002")
            .replace("{invitation}", "0190c0de-0000-7000-8000-000000000003")
            .replace("{group}", "0190c0de-0000-7000-8000-000000000004")
            .replace("{role}", "0190c0de-0000-7000-8000-000000000005")
            .replace("{sub}", "0190c0de-0000-7000-8000-000000000006")
            .replace("{key}", "cet")
            .replace("{plan}", "cet-pro");
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let status = client.request(method.clone(), app.at(&concrete)).send().await.unwrap().status();
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {concrete}");
    }
}
