//! Pushed authorization requests (RFC 9126) over real HTTP: push, sign in and consent through the
//! `request_uri` alone, tokens for the pushed PKCE challenge and nonce (checked by the independent
//! `openidconnect` relying party, which cannot push by itself: the request it builds is pushed
//! here); a request_uri of another client, expired or used is refused, a client that must push
//! cannot do without, bad pushes are JSON errors; request objects are not supported.

use keystead_core::oauth::{ClientKind, CreatedClient};
use keystead_testkit::TestApp;
use openidconnect::core::CoreAuthenticationFlow;
use openidconnect::{AuthorizationCode, CsrfToken, Nonce, PkceCodeChallenge, Scope, TokenResponse};
use reqwest::{Client, StatusCode};
use serde_json::Value;

use super::auth::{PASSWORD, active_user, location, post_form, signed_in_browser};
use super::oauth::{app, approve, http, query_param, register, relying_party, urlencode};

const EMAIL: &str = "ada.lovelace@example.com";
const CB: &str = "https://app.example/cb";
const PREFIX: &str = "urn:ietf:params:oauth:request_uri:";

/// Posts `form` to `/oauth/par`, with HTTP Basic when `basic` is given; the status, the
/// `Cache-Control` header and the JSON.
async fn push(app: &TestApp, basic: Option<(&str, &str)>, form: &[(&str, &str)]) -> (StatusCode, String, Value) {
    let mut req = Client::new().post(app.at("/oauth/par")).form(form);
    if let Some((id, secret)) = basic {
        req = req.basic_auth(id, Some(secret));
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let cache = res.headers().get("cache-control").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, cache, serde_json::from_str(&res.text().await.unwrap()).unwrap_or(Value::Null))
}

/// A complete request of the public `created` with PKCE: the form and the verifier.
fn request(created: &CreatedClient, state: &str) -> (Vec<(&'static str, String)>, String) {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let form = vec![
        ("client_id", created.client.client_id.clone()),
        ("response_type", "code".to_owned()),
        ("redirect_uri", CB.to_owned()),
        ("scope", "openid email".to_owned()),
        ("state", state.to_owned()),
        ("nonce", "n-0S6_WzA2Mj".to_owned()),
        ("code_challenge", challenge.as_str().to_owned()),
        ("code_challenge_method", "S256".to_owned()),
    ];
    (form, verifier.secret().clone())
}

fn pairs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Pushes the public `created`'s request and returns its request_uri.
async fn pushed(app: &TestApp, created: &CreatedClient, state: &str) -> (String, String) {
    let (form, verifier) = request(created, state);
    let (status, _, body) = push(app, None, &pairs(&form)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    (body["request_uri"].as_str().unwrap().to_owned(), verifier)
}

fn authorize_url(app: &TestApp, created: &CreatedClient, request_uri: &str) -> String {
    format!(
        "{}?client_id={}&request_uri={}",
        app.at("/oauth/authorize"),
        created.client.client_id,
        urlencode(request_uri)
    )
}

/// The error page of an authorization request that cannot go back to the app.
async fn refused_page(browser: &Client, url: &str) -> String {
    let res = browser.get(url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{}", location(&res));
    res.text().await.unwrap()
}

#[tokio::test]
async fn a_pushed_request_signs_in_through_its_request_uri_alone_and_is_used_once() {
    let app = app().await;
    active_user(&app, EMAIL).await;
    let desktop = register(&app, ClientKind::Public, false, &[], |_| {}).await;
    let (form, verifier) = request(&desktop, "pushed-state");
    let (status, cache, body) = push(&app, None, &pairs(&form)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(cache, "no-store");
    assert_eq!(body["expires_in"], 90);
    let request_uri = body["request_uri"].as_str().unwrap().to_owned();
    assert!(request_uri.starts_with(PREFIX) && request_uri.len() >= PREFIX.len() + 43, "{request_uri}");

    // The query's own parameters are ignored (RFC 9126 §4): the pushed ones count.
    let url = format!(
        "{}&state=forged&redirect_uri={}&scope=profile",
        authorize_url(&app, &desktop, &request_uri),
        urlencode("https://app.example/other")
    );
    // Not signed in: the sign-in round trip comes back with the same request_uri.
    let browser = app.client();
    let to_sign_in = location(&browser.get(&url).send().await.unwrap());
    let return_to = query_param(&to_sign_in, "return_to").unwrap();
    assert!(return_to.contains("request_uri="), "{return_to}");
    app.clock.advance(time::Duration::seconds(120));
    let form = [("email", EMAIL), ("password", PASSWORD), ("return_to", return_to.as_str())];
    let res = post_form(&app, &browser, "/sign-in/password", &form).await;
    assert_eq!(location(&res), return_to, "signed in after expires_in: the opened request still counts");
    let back = approve(&app, &browser, &app.at(&return_to)).await;
    assert!(back.starts_with(&format!("{CB}?")), "{back}");
    assert_eq!(query_param(&back, "state").as_deref(), Some("pushed-state"));
    let code = query_param(&back, "code").unwrap();

    let exchange = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("code_verifier", verifier.as_str()),
        ("redirect_uri", CB),
        ("client_id", desktop.client.client_id.as_str()),
    ];
    let res = Client::new().post(app.at("/oauth/token")).form(&exchange).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let tokens: Value = res.json().await.unwrap();
    let claims = super::oauth::jwt_claims(tokens["id_token"].as_str().unwrap());
    assert_eq!(claims["nonce"], "n-0S6_WzA2Mj");

    // Used once: the same request_uri (Back, a replay) is refused.
    assert!(refused_page(&browser, &url).await.contains("invalid_request_uri"));
}

#[tokio::test]
async fn the_openidconnect_relying_party_gets_verified_tokens_for_the_request_it_built_and_pushed() {
    let app = app().await;
    active_user(&app, EMAIL).await;
    let browser = signed_in_browser(&app, EMAIL, PASSWORD).await;
    let web = register(&app, ClientKind::Confidential, false, &[], |_| {}).await;
    let rp = relying_party(&app, &web, CB).await;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = rp
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .add_scope(Scope::new("email".into()))
        .set_pkce_challenge(challenge)
        .url();
    // What the relying party would have sent through the browser goes to /oauth/par instead.
    let form: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let secret = keystead_core::oauth::clients::secret_text(web.secret.as_ref().unwrap());
    let res =
        Client::new().post(app.at("/oauth/par")).basic_auth(&web.client.client_id, Some(secret)).form(&form).send();
    let body: Value = res.await.unwrap().json().await.unwrap();
    let request_uri = body["request_uri"].as_str().unwrap_or_else(|| panic!("{body}"));

    let back = approve(&app, &browser, &authorize_url(&app, &web, request_uri)).await;
    assert_eq!(query_param(&back, "state").as_deref(), Some(state.secret().as_str()));
    let code = AuthorizationCode::new(query_param(&back, "code").unwrap());
    let tokens = rp.exchange_code(code).unwrap().set_pkce_verifier(verifier).request_async(&http()).await.unwrap();
    let claims = tokens.id_token().unwrap().claims(&rp.id_token_verifier(), &nonce).unwrap();
    assert_eq!(claims.email().map(|e| e.as_str()), Some(EMAIL));
}

#[tokio::test]
async fn a_request_uri_is_refused_to_another_client_once_expired_and_after_a_cancel() {
    let app = app().await;
    active_user(&app, EMAIL).await;
    let browser = signed_in_browser(&app, EMAIL, PASSWORD).await;
    let desktop = register(&app, ClientKind::Public, false, &[], |_| {}).await;
    let other = register(&app, ClientKind::Public, false, &[], |_| {}).await;

    let (uri, _) = pushed(&app, &desktop, "s").await;
    assert!(refused_page(&browser, &authorize_url(&app, &other, &uri)).await.contains("invalid_request_uri"));
    let unknown = format!("{PREFIX}AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    assert!(refused_page(&browser, &authorize_url(&app, &desktop, &unknown)).await.contains("invalid_request_uri"));

    // Cancelling on the consent screen ends it: the app hears access_denied, once.
    let res = browser.get(authorize_url(&app, &desktop, &uri)).send().await.unwrap();
    let html = res.text().await.unwrap();
    let request = super::oauth::hidden(&html, "request");
    let cancel = [
        ("csrf_token", super::oauth::hidden(&html, "csrf_token")),
        ("request", request.clone()),
        ("decision", "cancel".to_owned()),
    ];
    let res = browser.post(app.at("/oauth/authorize/decision")).form(&cancel).send().await.unwrap();
    assert_eq!(query_param(&location(&res), "error").as_deref(), Some("access_denied"));
    assert_eq!(query_param(&location(&res), "state").as_deref(), Some("s"));
    let res = browser.post(app.at("/oauth/authorize/decision")).form(&cancel).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST, "a second decision on an ended request");

    let (late, _) = pushed(&app, &desktop, "s").await;
    app.clock.advance(time::Duration::seconds(91));
    assert!(refused_page(&browser, &authorize_url(&app, &desktop, &late)).await.contains("invalid_request_uri"));
}

#[tokio::test]
async fn a_client_that_must_push_is_refused_without_and_request_objects_are_not_supported() {
    let app = app().await;
    active_user(&app, EMAIL).await;
    let browser = signed_in_browser(&app, EMAIL, PASSWORD).await;
    let strict =
        register(&app, ClientKind::Public, true, &[], |n| n.require_pushed_authorization_requests = true).await;
    let (form, _) = request(&strict, "s");
    let query = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs(&form)).finish();
    let front = format!("{}?{query}", app.at("/oauth/authorize"));
    let back = location(&browser.get(&front).send().await.unwrap());
    assert!(back.starts_with(CB), "{back}");
    assert_eq!(query_param(&back, "error").as_deref(), Some("invalid_request"));
    assert_eq!(query_param(&back, "state").as_deref(), Some("s"));
    let (uri, _) = pushed(&app, &strict, "s").await;
    let back = location(&browser.get(authorize_url(&app, &strict, &uri)).send().await.unwrap());
    assert!(query_param(&back, "code").is_some(), "a first-party client that pushed: {back}");

    // OpenID Connect Core §6: a request object, or a request_uri that is not ours.
    let relaxed = register(&app, ClientKind::Public, true, &[], |_| {}).await;
    let (form, _) = request(&relaxed, "s2");
    let query = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs(&form)).finish();
    for (extra, error) in [
        ("request=eyJhbGciOiJub25lIn0.e30.", "request_not_supported"),
        ("request_uri=https%3A%2F%2Fapp.example%2Freq.jwt", "request_uri_not_supported"),
    ] {
        let back =
            location(&browser.get(format!("{}?{query}&{extra}", app.at("/oauth/authorize"))).send().await.unwrap());
        assert_eq!(query_param(&back, "error").as_deref(), Some(error), "{back}");
        assert_eq!(query_param(&back, "state").as_deref(), Some("s2"));
    }
}

#[tokio::test]
async fn bad_pushes_are_json_errors_and_a_confidential_client_must_authenticate() {
    let app = app().await;
    let web = register(&app, ClientKind::Confidential, false, &[], |_| {}).await;
    let id = web.client.client_id.as_str();
    let secret = keystead_core::oauth::clients::secret_text(web.secret.as_ref().unwrap());
    let (form, _) = request(&web, "s");
    let good = pairs(&form);

    let (status, _, body) = push(&app, None, &good).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::UNAUTHORIZED, Some("invalid_client")), "{body}");
    let (status, _, body) = push(&app, Some((id, "wrong")), &good).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::UNAUTHORIZED, Some("invalid_client")));
    let (status, _, _) = push(&app, Some((id, secret)), &good).await;
    assert_eq!(status, StatusCode::CREATED);

    let with = |name: &'static str, value: &'static str| {
        let mut f: Vec<(&str, &str)> = good.iter().filter(|(k, _)| *k != name).copied().collect();
        f.push((name, value));
        f
    };
    let without = |name: &str| good.iter().filter(|(k, _)| *k != name).copied().collect::<Vec<_>>();
    let mut repeated = good.clone();
    repeated.push(("scope", "openid"));
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (with("redirect_uri", "https://evil.example/cb"), "invalid_request"),
        (with("request_uri", "urn:ietf:params:oauth:request_uri:abc"), "invalid_request"),
        (with("request", "eyJhbGciOiJub25lIn0.e30."), "request_not_supported"),
        (with("scope", "openid \"root\""), "invalid_scope"),
        (with("response_type", "token"), "unsupported_response_type"),
        (without("response_type"), "invalid_request"),
        (without("redirect_uri"), "invalid_request"),
        (repeated, "invalid_request"),
    ];
    for (form, error) in cases {
        let (status, cache, body) = push(&app, Some((id, secret)), &form).await;
        assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some(error)), "{form:?}: {body}");
        assert_eq!(cache, "no-store");
        let description = body["error_description"].as_str().unwrap();
        assert!(description.chars().all(|c| matches!(c, ' '..='~') && c != '"' && c != '\\'), "{description}");
    }
    let res = Client::new().post(app.at("/oauth/par")).basic_auth(id, Some(secret)).body("{}").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST, "not a form");
    let res = Client::new().get(app.at("/oauth/par")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn discovery_names_the_pushed_authorization_request_endpoint() {
    let app = app().await;
    let doc: Value =
        Client::new().get(app.at("/.well-known/openid-configuration")).send().await.unwrap().json().await.unwrap();
    let issuer = doc["issuer"].as_str().unwrap();
    assert_eq!(doc["pushed_authorization_request_endpoint"], format!("{issuer}/oauth/par"));
    assert_eq!(doc["require_pushed_authorization_requests"], false);
    assert_eq!(doc["request_parameter_supported"], false);
    assert_eq!(doc["request_uri_parameter_supported"], false);
}
