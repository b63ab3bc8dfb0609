//! An operator changes an account's address through the admin API: vouched for, it is switched
//! at once (the person signs in with it; the old address is told); otherwise the new address gets
//! the confirmation link and nothing changes until it is followed. An address another account
//! uses is 409; an account that proved no address gets the new one unproven with a verification
//! link; an organization's token may not.

use keystead_core::api_tokens::NewApiToken;
use keystead_core::audit::RequestMeta;
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::TestApp;
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret as _;
use serde_json::{Value, json};

use super::auth::{PASSWORD, active_user, mail, post_form, signed_in_browser};

async fn token(app: &TestApp, org: Option<keystead_core::ids::OrganizationId>) -> String {
    let scopes = vec!["users:read".into(), if org.is_some() { "orgs:write".into() } else { "users:write".into() }];
    let new = NewApiToken { name: "x".into(), scopes, organization: org, days: None };
    app.core.create_api_token(Actor::Operator, new, &RequestMeta::cli()).await.unwrap().token.expose_secret().to_owned()
}

async fn change(app: &TestApp, token: &str, user: &str, body: Value) -> (StatusCode, Value) {
    let path = format!("/api/v1/users/{user}/email");
    let response = reqwest::Client::new().request(Method::POST, app.at(&path)).bearer_auth(token).json(&body);
    let response = response.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn an_operator_switches_an_address_at_once_or_by_the_new_addresss_link() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await.to_string();
    active_user(&app, "bob@example.com").await;
    let op = token(&app, None).await;

    let (status, taken) = change(&app, &op, &ada, json!({"email": "Bob@example.com", "verified": true})).await;
    assert_eq!((status, taken["code"].as_str()), (StatusCode::CONFLICT, Some("email_unavailable")), "{taken}");
    let (status, same) = change(&app, &op, &ada, json!({"email": "ADA@example.com"})).await;
    assert_eq!((status, same["errors"][0]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("same_email")));

    let (status, done) = change(&app, &op, &ada, json!({"email": "ada@new.example", "verified": true})).await;
    assert_eq!((status, done["outcome"].as_str()), (StatusCode::OK, Some("changed")), "{done}");
    assert_eq!(done["user"]["email"], "ada@new.example");
    assert!(
        mail(&app, "ada@example.com", "was changed", 0)
            .await
            .text_body()
            .unwrap_or_default()
            .contains("ada@new.example")
    );
    let (status, sent) = change(&app, &op, &ada, json!({"email": "ada@later.example"})).await;
    assert_eq!((status, sent["outcome"].as_str()), (StatusCode::ACCEPTED, Some("confirmation_sent")), "{sent}");
    assert_eq!(sent["user"]["email"], "ada@new.example", "nothing changes before the link");
    let link = mail(&app, "ada@later.example", "Confirm your new email address", 0).await;
    let link = link.links().into_iter().find(|l| l.contains("/account/email/confirm?token=")).unwrap();
    let confirm = link.split("token=").nth(1).unwrap().to_owned();
    let browser = signed_in_browser(&app, "ada@new.example", PASSWORD).await;
    browser.get(&link).send().await.unwrap();
    let res = post_form(&app, &browser, "/account/email/confirm", &[("token", &confirm)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.core.user_by_email("ada@later.example").await.unwrap().id.to_string(), ada);
    assert!(
        mail(&app, "ada@new.example", "was changed", 0)
            .await
            .text_body()
            .unwrap_or_default()
            .contains("ada@later.example")
    );

    let org_token = {
        let owner = active_user(&app, "owner@acme.example").await;
        let new = NewOrganization { name: "Acme", slug: Some("acme"), owner: Some(owner) };
        let acme = app.core.create_organization(Actor::Operator, new, &RequestMeta::cli()).await.unwrap().id;
        token(&app, Some(acme)).await
    };
    let (status, refused) = change(&app, &org_token, &ada, json!({"email": "x@y.example"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
}

#[tokio::test]
async fn an_unproven_address_is_replaced_unproven_with_a_new_verification_link() {
    let app = TestApp::new().await;
    let op = token(&app, None).await;
    let made = reqwest::Client::new()
        .post(app.at("/api/v1/users"))
        .bearer_auth(&op)
        .json(&json!({"email": "typo@exmaple.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), StatusCode::CREATED);
    let id = made.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let (status, refused) = change(&app, &op, &id, json!({"email": "typo@example.com", "verified": true})).await;
    assert_eq!((status, refused["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("verified")));
    let (status, fixed) = change(&app, &op, &id, json!({"email": "typo@example.com"})).await;
    assert_eq!((status, fixed["user"]["status"].as_str()), (StatusCode::OK, Some("unverified")), "{fixed}");
    assert_eq!(fixed["user"]["email"], "typo@example.com");
    mail(&app, "typo@example.com", "", 0).await;
}
