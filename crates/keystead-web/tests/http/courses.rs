//! Completed courses end to end: a learning system pushes them through the admin API
//! (`courses:write`; idempotent by course id and user; every bad field named), integrations read
//! them back, the user sees them in My Account → Completed courses (in their language) and in
//! their data export.

use keystead_core::api_tokens::NewApiToken;
use keystead_core::audit::RequestMeta;
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::TestApp;
use reqwest::StatusCode;
use secrecy::ExposeSecret as _;
use serde_json::{Value, json};

use super::auth::{PASSWORD, active_user, get, signed_in_browser};

async fn token(app: &TestApp, scopes: &[&str], organization: Option<keystead_core::ids::OrganizationId>) -> String {
    let new = NewApiToken {
        name: "learning".into(),
        scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        organization,
        days: None,
    };
    app.core.create_api_token(Actor::Operator, new, &RequestMeta::cli()).await.unwrap().token.expose_secret().to_owned()
}

async fn push(app: &TestApp, token: &str, user: &str, body: &Value) -> (StatusCode, Value) {
    let url = app.at(&format!("/api/v1/users/{user}/course-completions"));
    let res = reqwest::Client::new().post(url).bearer_auth(token).json(body).send().await.unwrap();
    (res.status(), res.json().await.unwrap_or(Value::Null))
}

async fn list(app: &TestApp, token: &str, user: &str) -> (StatusCode, Value) {
    let url = app.at(&format!("/api/v1/users/{user}/course-completions"));
    let res = reqwest::Client::new().get(url).bearer_auth(token).send().await.unwrap();
    (res.status(), res.json().await.unwrap_or(Value::Null))
}

fn fields(problem: &Value) -> Vec<String> {
    let errors = problem["errors"].as_array().cloned().unwrap_or_default();
    errors
        .iter()
        .map(|e| format!("{}:{}", e["field"].as_str().unwrap_or(""), e["code"].as_str().unwrap_or("")))
        .collect()
}

#[tokio::test]
async fn a_learning_system_pushes_courses_once_and_the_user_sees_them() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await.to_string();
    let lms = token(&app, &["courses:write"], None).await;
    let course = json!({"course_id": "cet-201", "title": "CET Pro — Ölçüm & Prüfung",
        "completed_at": "2025-11-20T09:30:00Z", "score": 92.5,
        "certificate_url": "https://learn.example/certificates/81"});
    let (status, body) = push(&app, &lms, &ada, &course).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!((body["course_id"].as_str(), body["score"].as_f64()), (Some("cet-201"), Some(92.5)), "{body}");
    let (status, again) = push(&app, &lms, &ada, &course).await;
    assert_eq!(
        (status, &again["recorded_at"]),
        (StatusCode::OK, &body["recorded_at"]),
        "the same push changes nothing"
    );
    let older = json!({"course_id": "cet-101", "title": "CET Basics", "completed_at": "2025-10-01T08:00:00+02:00"});
    assert_eq!(push(&app, &lms, &ada, &older).await.0, StatusCode::CREATED);

    // Read back by an integration with users:read, newest first; the LMS token cannot read.
    let reader = token(&app, &["users:read"], None).await;
    let (status, listed) = list(&app, &reader, &ada).await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    let ids: Vec<&str> = listed.as_array().unwrap().iter().filter_map(|c| c["course_id"].as_str()).collect();
    assert_eq!(ids, ["cet-201", "cet-101"]);
    assert_eq!(listed[1]["completed_at"], "2025-10-01T06:00:00Z", "kept in UTC");
    assert_eq!(list(&app, &lms, &ada).await.0, StatusCode::FORBIDDEN);

    // My Account → Completed courses, in the user's language.
    let browser = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let (_, html) = get(&app, &browser, "/account/courses").await;
    assert!(html.contains("CET Pro — Ölçüm &#38; Prüfung") && html.contains("20 November 2025"), "{html}");
    assert!(html.contains("92.5%") && html.contains("href=\"https://learn.example/certificates/81\""), "{html}");
    assert!(html.find("CET Pro").unwrap() < html.find("CET Basics").unwrap(), "newest first");
    let res = browser.get(app.at("/account/courses")).header("Accept-Language", "de").send().await.unwrap();
    let html = res.text().await.unwrap();
    assert!(
        html.contains("20. November 2025") && html.contains("92,5 %") && html.contains("Zertifikat ansehen"),
        "{html}"
    );
    // And in the data export.
    let export: Value = browser.get(app.at("/account/data/download")).send().await.unwrap().json().await.unwrap();
    assert_eq!(export["completed_courses"][0]["course_id"], "cet-201", "{export}");
    assert_eq!(export["completed_courses"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn a_bad_push_is_refused_naming_each_field_and_only_the_right_token_may_push() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let lms = token(&app, &["courses:write"], None).await;
    let bad = json!({"course_id": "", "title": "T", "completed_at": "yesterday", "score": 101,
        "certificate_url": "ftp://x"});
    let (status, problem) = push(&app, &lms, &ada.to_string(), &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(fields(&problem), ["completed_at:invalid_time"], "the time is read first: {problem}");
    let bad = json!({"course_id": "", "title": "T", "completed_at": "2999-01-01T00:00:00Z", "score": 101,
        "certificate_url": "ftp://x"});
    let (status, problem) = push(&app, &lms, &ada.to_string(), &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let expected =
        ["course_id:required", "completed_at:in_future", "score:out_of_range", "certificate_url:invalid_url"];
    assert_eq!(fields(&problem), expected, "{problem}");
    let (status, problem) = push(&app, &lms, &ada.to_string(), &json!({"course_id": "c", "grade": 1})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "unknown or missing fields: {problem}");
    let good = json!({"course_id": "c", "title": "C", "completed_at": "2025-01-01T00:00:00Z"});
    assert_eq!(push(&app, &lms, &keystead_core::ids::UserId::new().to_string(), &good).await.0, StatusCode::NOT_FOUND);
    assert_eq!(push(&app, &lms, "not-an-id", &good).await.0, StatusCode::NOT_FOUND);
    // Without the scope, or as an organization's token (it may not hold the scope at all).
    let reader = token(&app, &["users:read", "users:write"], None).await;
    assert_eq!(push(&app, &reader, &ada.to_string(), &good).await.0, StatusCode::FORBIDDEN);
    let new = NewOrganization { name: "Acme", slug: None, owner: Some(ada) };
    let acme = app.core.create_organization(Actor::Operator, new, &RequestMeta::cli()).await.unwrap().id;
    let refused =
        NewApiToken { name: "x".into(), scopes: vec!["courses:write".into()], organization: Some(acme), days: None };
    assert!(app.core.create_api_token(Actor::Operator, refused, &RequestMeta::cli()).await.is_err());
    assert!(app.core.course_completions(ada).await.unwrap().is_empty(), "nothing recorded");
    // Without any: the empty state.
    let browser = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let (_, html) = get(&app, &browser, "/account/courses").await;
    assert!(html.contains("You have not completed any courses."), "{html}");
}
