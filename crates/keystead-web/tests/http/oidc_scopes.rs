//! Scopes this server does not understand are ignored (OpenID Connect Core §3.1.2.1), the granted
//! `scope` says what was granted, `phone` and `address` come from the profile (§5.1, §5.4), error
//! descriptions keep to RFC 6749's characters, and revoking a client's own token ends it here
//! (RFC 7009 §2) — each through the `openidconnect` relying party where it can speak the request.

use std::collections::HashMap;

use keystead_core::accounts::profile::{FieldRule, ProfileField};
use keystead_core::audit::RequestMeta;
use keystead_core::oauth::ClientKind;
use keystead_testkit::{TestApp, TestAppOptions};
use openidconnect::core::{CoreAuthenticationFlow, CoreUserInfoClaims};
use openidconnect::{
    AuthorizationCode, CsrfToken, Nonce, OAuth2TokenResponse, PkceCodeChallenge, Scope, TokenIntrospectionResponse,
    TokenResponse as _,
};
use reqwest::StatusCode;

use super::auth::{PASSWORD, active_user, signed_in_browser};
use super::oauth::{LOOPBACK, approve, http, http_via, query_param, real_now, register, relying_party, urlencode};

const ADA: &str = "ada@example.com";

async fn app_collecting_phone() -> TestApp {
    let app = TestApp::start(TestAppOptions {
        configure: Some(Box::new(|c| c.profile.set(ProfileField::Phone, FieldRule::Optional))),
        ..Default::default()
    })
    .await
    .unwrap();
    app.clock.set(real_now());
    app
}

/// The userinfo answer for `token` (a bearer token).
async fn userinfo(app: &TestApp, token: &str) -> serde_json::Value {
    reqwest::Client::new().get(app.at("/oauth/userinfo")).bearer_auth(token).send().await.unwrap().json().await.unwrap()
}

fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

#[tokio::test]
async fn unknown_scopes_are_ignored_and_phone_and_address_come_from_the_profile() {
    let app = app_collecting_phone().await;
    let id = active_user(&app, ADA).await;
    let user = app.core.user_by_id(id).await.unwrap();
    let meta = RequestMeta::cli();
    let names = [("given_name", "Ada"), ("family_name", "Lovelace"), ("phone", "+44 20 7946 0958")];
    app.core.update_profile(&user, &form(&names), &meta).await.unwrap();
    let billing = form(&[
        ("name", "Ada Lovelace"),
        ("line1", "12 St James's Square"),
        ("postal_code", "SW1Y 4JH"),
        ("city", "London"),
        ("country", "GB"),
    ]);
    app.core.set_billing_address(id, &billing, &meta).await.unwrap();
    let browser = signed_in_browser(&app, ADA, PASSWORD).await;
    let desktop = register(&app, ClientKind::Public, true, &[], |_| {}).await;
    let rp = relying_party(&app, &desktop, LOOPBACK).await;

    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, _, nonce) = rp
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .add_scopes(["profile", "phone", "address", "groups", "urn:example:calendar"].map(|s| Scope::new(s.into())))
        .set_pkce_challenge(challenge)
        .url();
    let back = approve(&app, &browser, url.as_str()).await;
    let code = query_param(&back, "code").unwrap_or_else(|| panic!("unknown scopes are ignored: {back}"));
    let tokens = rp
        .exchange_code(AuthorizationCode::new(code))
        .unwrap()
        .set_pkce_verifier(verifier)
        .request_async(&http())
        .await
        .unwrap();
    let granted: Vec<String> = tokens.scopes().unwrap().iter().map(|s| s.to_string()).collect();
    assert_eq!(granted, ["openid", "profile", "phone", "address"], "the granted scope says what was granted");

    let claims = tokens.id_token().unwrap().claims(&rp.id_token_verifier(), &nonce).unwrap();
    assert_eq!(claims.phone_number().map(|p| p.as_str()), Some("+44 20 7946 0958"));
    assert_eq!(claims.phone_number_verified(), Some(false));
    let address = claims.address().unwrap();
    assert_eq!(address.locality.as_ref().map(|l| l.as_str()), Some("London"));
    assert_eq!(address.postal_code.as_ref().map(|l| l.as_str()), Some("SW1Y 4JH"));
    assert_eq!(address.country.as_ref().map(|l| l.as_str()), Some("GB"));
    assert_eq!(address.street_address.as_ref().map(|l| l.as_str()), Some("12 St James's Square"));

    let info: CoreUserInfoClaims =
        rp.user_info(tokens.access_token().clone(), None).unwrap().request_async(&http()).await.unwrap();
    assert_eq!(info.phone_number().map(|p| p.as_str()), Some("+44 20 7946 0958"));
    assert_eq!(info.address().and_then(|a| a.locality.as_ref()).map(|l| l.as_str()), Some("London"));

    // Only unknown values: nothing to grant, so the request is refused with invalid_scope, and
    // a value that is not a scope token at all says so without quoting it back with a `"`.
    for (scope, error) in [("groups", "invalid_scope"), ("openid \"x\\\"", "invalid_scope")] {
        let url = format!(
            "{}?response_type=code&client_id={}&redirect_uri={}&scope={}&state=s&code_challenge={}&code_challenge_method=S256",
            app.at("/oauth/authorize"),
            desktop.client.client_id,
            urlencode(LOOPBACK),
            urlencode(scope),
            PkceCodeChallenge::new_random_sha256().0.as_str()
        );
        let back = super::auth::location(&browser.get(url).send().await.unwrap());
        assert_eq!(query_param(&back, "error").as_deref(), Some(error), "{back}");
        let description = query_param(&back, "error_description").unwrap();
        assert!(description.chars().all(|c| matches!(c, '\x20'..='\x21' | '\x23'..='\x5b' | '\x5d'..='\x7e')));
    }
}

#[tokio::test]
async fn without_a_billing_address_the_address_is_the_profiles_city_and_country() {
    let app = TestApp::start(TestAppOptions {
        configure: Some(Box::new(|c| {
            c.profile.set(ProfileField::City, FieldRule::Optional);
            c.profile.set(ProfileField::Country, FieldRule::Optional);
        })),
        ..Default::default()
    })
    .await
    .unwrap();
    app.clock.set(real_now());
    let id = active_user(&app, ADA).await;
    let user = app.core.user_by_id(id).await.unwrap();
    let details = form(&[("given_name", "Ada"), ("family_name", "Lovelace"), ("city", "İzmir"), ("country", "TR")]);
    app.core.update_profile(&user, &details, &RequestMeta::cli()).await.unwrap();
    let browser = signed_in_browser(&app, ADA, PASSWORD).await;
    let web = register(&app, ClientKind::Confidential, true, &[], |_| {}).await;
    let tokens = super::oauth::tokens_for(&app, &browser, &web, "openid address phone").await;
    assert_eq!(tokens["scope"], "openid phone address");
    let info = userinfo(&app, tokens["access_token"].as_str().unwrap()).await;
    assert_eq!(info["address"], serde_json::json!({"formatted": "İzmir\nTR", "locality": "İzmir", "country": "TR"}));
    assert!(info.get("phone_number").is_none(), "no phone given: no claim");
}

#[tokio::test]
async fn revoking_a_clients_own_token_ends_it_at_this_server() {
    // The relying party sends a revocation only over HTTPS.
    let app = TestApp::start(TestAppOptions { tls: true, ..Default::default() }).await.unwrap();
    app.clock.set(real_now());
    let http = || http_via(app.client());
    let service =
        register(&app, ClientKind::Confidential, false, &["client_credentials"], |n| n.redirect_uris.clear()).await;
    let rp = relying_party(&app, &service, LOOPBACK).await;
    let tokens = rp.exchange_client_credentials().unwrap().request_async(&http()).await.unwrap();
    let other = rp.exchange_client_credentials().unwrap().request_async(&http()).await.unwrap();
    assert!(rp.introspect(tokens.access_token()).request_async(&http()).await.unwrap().active());

    rp.revoke_token(tokens.access_token().into()).unwrap().request_async(&http()).await.unwrap();
    assert!(!rp.introspect(tokens.access_token()).request_async(&http()).await.unwrap().active(), "revoked");
    assert!(rp.introspect(other.access_token()).request_async(&http()).await.unwrap().active(), "only that one");
    let res =
        app.client().get(app.at("/oauth/userinfo")).bearer_auth(tokens.access_token().secret()).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "invalid_token, no longer insufficient_scope");
    // Revoking it again, or once it has been forgotten, is still a 200 (RFC 7009 §2.2).
    rp.revoke_token(tokens.access_token().into()).unwrap().request_async(&http()).await.unwrap();
    app.clock.advance(time::Duration::days(2));
    assert!(app.core.purge_expired_oauth_records().await.unwrap() >= 1, "the revocation is forgotten once expired");
}

#[tokio::test]
async fn claims_asked_for_one_by_one_come_where_asked_and_only_those() {
    let app = app_collecting_phone().await;
    let id = active_user(&app, ADA).await;
    let user = app.core.user_by_id(id).await.unwrap();
    let names = [("given_name", "Ada"), ("family_name", "Lovelace"), ("phone", "+44 20 7946 0958")];
    app.core.update_profile(&user, &form(&names), &RequestMeta::cli()).await.unwrap();
    let browser = signed_in_browser(&app, ADA, PASSWORD).await;
    let web = register(&app, ClientKind::Confidential, false, &[], |_| {}).await;
    let asked = r#"{"userinfo": {"email": {"essential": true}, "phone_number": null},
                    "id_token": {"given_name": null, "nickname": null}}"#;
    let url = |claims: &str| {
        format!(
            "{}?response_type=code&client_id={}&redirect_uri={}&scope=openid&state=s&nonce=n&claims={}",
            app.at("/oauth/authorize"),
            web.client.client_id,
            urlencode("https://app.example/cb"),
            urlencode(claims)
        )
    };
    // The consent screen names what the claims reveal, though only openid is in the scope.
    let consent = browser.get(url(asked)).send().await.unwrap().text().await.unwrap();
    for shown in ["Your email address", "Your phone number", "Your name"] {
        assert!(consent.contains(shown), "{shown}: {consent}");
    }
    let back = approve(&app, &browser, &url(asked)).await;
    let code = query_param(&back, "code").unwrap();
    let tokens: serde_json::Value = reqwest::Client::new()
        .post(app.at("/oauth/token"))
        .basic_auth(&web.client.client_id, Some(super::oauth::secret(&web)))
        .form(&[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", "https://app.example/cb")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(tokens["scope"], "openid", "the claims do not widen the granted scope");
    let id_token = super::oauth::jwt_claims(tokens["id_token"].as_str().unwrap());
    assert_eq!(id_token["given_name"], "Ada");
    for absent in ["family_name", "name", "email", "phone_number"] {
        assert!(id_token.get(absent).is_none(), "{absent} was not asked for in the ID token: {id_token}");
    }
    let info = userinfo(&app, tokens["access_token"].as_str().unwrap()).await;
    assert_eq!((info["email"].as_str(), info["phone_number"].as_str()), (Some(ADA), Some("+44 20 7946 0958")));
    for absent in ["email_verified", "given_name", "phone_number_verified"] {
        assert!(info.get(absent).is_none(), "{absent} was not asked for at userinfo: {info}");
    }
    // A claims parameter that is not the JSON object of §5.5 goes back as invalid_request.
    let to = super::auth::location(&browser.get(url("{\"userinfo\": [\"email\"]}")).send().await.unwrap());
    assert_eq!(query_param(&to, "error").as_deref(), Some("invalid_request"), "{to}");
}
