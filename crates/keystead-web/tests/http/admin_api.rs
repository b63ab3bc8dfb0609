//! The admin API's authentication over HTTP: personal access tokens as bearer tokens. No token,
//! a token of another kind, an unknown, revoked or expired one are 401 with a `Bearer`
//! challenge and a problem document saying which; a valid one is described by `GET /api/v1/token`.

use keystead_core::api_tokens::NewApiToken;
use keystead_core::audit::RequestMeta;
use keystead_core::organizations::Actor;
use keystead_testkit::TestApp;
use reqwest::StatusCode;
use secrecy::ExposeSecret as _;

async fn call(app: &TestApp, token: Option<&str>) -> (StatusCode, String, serde_json::Value) {
    let mut request = reqwest::Client::new().get(app.at("/api/v1/token"));
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let challenge =
        response.headers().get("www-authenticate").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, challenge, response.json().await.unwrap_or(serde_json::Value::Null))
}

#[tokio::test]
async fn a_personal_access_token_authenticates_the_admin_api_until_it_is_revoked_or_expires() {
    let app = TestApp::new().await;
    let new = NewApiToken {
        name: "Shop sync".into(),
        scopes: vec!["users:read".into(), "audit:read".into()],
        organization: None,
        days: Some(1),
    };
    let made = app.core.create_api_token(Actor::Operator, new, &RequestMeta::cli()).await.unwrap();
    let token = made.token.expose_secret().to_owned();

    let (status, challenge, body) = call(&app, Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(challenge.is_empty());
    assert_eq!(body["id"], made.info.id.to_string());
    assert_eq!(body["scopes"], serde_json::json!(["users:read", "audit:read"]));
    assert_eq!((body["acts_as"].as_str(), body["organization_id"].is_null()), (Some("operator"), true));

    let (status, challenge, body) = call(&app, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(challenge, "Bearer realm=\"keystead\"");
    assert_eq!(body["code"], "unauthenticated", "a problem document: {body}");
    for (bad, says) in [("eyJhbGciOi.x.y", "personal access token"), ("kst_unknown", "not known")] {
        let (status, challenge, body) = call(&app, Some(bad)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{bad}");
        assert!(challenge.contains("error=\"invalid_token\"") && challenge.contains(says), "{challenge}");
        assert!(body["detail"].as_str().unwrap_or_default().contains(says), "{body}");
    }

    app.clock.advance(time::Duration::days(1));
    let (status, challenge, _) = call(&app, Some(&token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(challenge.contains("expired"), "{challenge}");
    app.core.revoke_api_token(Actor::Operator, made.info.id, &RequestMeta::cli()).await.unwrap();
    let (_, challenge, _) = call(&app, Some(&token)).await;
    assert!(challenge.contains("revoked"), "{challenge}");
}
