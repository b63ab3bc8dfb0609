//! Entitlements for applications over real HTTP: the `licenses` claim in ID tokens (verified
//! by the `openidconnect` relying party) and userinfo, `GET /api/v1/me/licenses`, offline
//! license tokens verified against the public JWKS with `jsonwebtoken`, the machine limit, the
//! briefcase's ETag / If-Match rules, and the bearer challenges.

use keystead_core::clock::Clock;
use keystead_core::ids::UserId;
use keystead_core::oauth::ClientKind;
use keystead_core::oauth::CreatedClient;
use keystead_testkit::{TestApp, licensing};
use openidconnect::core::CoreAuthenticationFlow;
use openidconnect::{
    AuthorizationCode, CsrfToken, Nonce, OAuth2TokenResponse, PkceCodeChallenge, Scope, TokenResponse,
};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use sha2::Digest;

use super::auth::{PASSWORD, active_user, signed_in_browser};
use super::oauth::{app, approve, http, jwt_claims, query_param, register, relying_party, tokens_for};

const EMAIL: &str = "ada.lovelace@example.com";

/// A server whose user `EMAIL` holds a seat of `cet-pro` (at most 2 machines) in `acme` and
/// selected the extension `warehouse`; a signed-in browser; a first-party confidential app.
async fn licensed() -> (TestApp, Client, CreatedClient, UserId) {
    let app = app().await;
    let user = active_user(&app, EMAIL).await;
    licensing::catalogue(&app.core, "none").await.unwrap();
    let (org, _) = licensing::organization(&app.core, "acme", "cet-pro", 5).await.unwrap();
    licensing::assign(&app.core, org, "cet-pro", user).await.unwrap();
    app.core.set_extension_selected(user, "warehouse", true, &keystead_core::audit::RequestMeta::cli()).await.unwrap();
    let browser = signed_in_browser(&app, EMAIL, PASSWORD).await;
    let web = register(&app, ClientKind::Confidential, true, &[], |_| {}).await;
    (app, browser, web, user)
}

/// An access token for `scope`.
async fn access_token(app: &TestApp, browser: &Client, web: &CreatedClient, scope: &str) -> String {
    tokens_for(app, browser, web, scope).await["access_token"].as_str().unwrap().to_owned()
}

async fn api(app: &TestApp, token: Option<&str>, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
    let req = Client::new().request(method, app.at(path));
    match token {
        Some(t) => req.bearer_auth(t),
        None => req,
    }
}

/// The status and problem document (or JSON body) of a response.
async fn answer(res: reqwest::Response) -> (StatusCode, Value) {
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_licenses_claim_userinfo_and_the_api_describe_the_same_entitlements() {
    let (app, browser, web, _) = licensed().await;
    let rp = relying_party(&app, &web, "https://app.example/cb").await;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, _, nonce) = rp
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .add_scope(Scope::new("licenses".into()))
        .set_pkce_challenge(challenge)
        .url();
    let back = approve(&app, &browser, url.as_str()).await;
    let code = query_param(&back, "code").unwrap();
    let tokens = rp
        .exchange_code(AuthorizationCode::new(code))
        .unwrap()
        .set_pkce_verifier(verifier)
        .request_async(&http())
        .await;
    let tokens = tokens.unwrap();
    let id_token = tokens.id_token().unwrap();
    // The relying party verifies the signature, issuer, audience and nonce.
    id_token.claims(&rp.id_token_verifier(), &nonce).unwrap();
    let claim = jwt_claims(&id_token.to_string())["licenses"].clone();
    assert_eq!(claim["plans"], json!(["cet-pro"]), "{claim}");
    assert_eq!(claim["products"], json!(["cet"]));
    assert_eq!(claim["entitlements"], json!(["cet.edition.pro"]));
    assert_eq!(claim["extensions"], json!(["warehouse"]));
    assert_eq!(claim["valid_until"], Value::Null, "an open-ended subscription");

    let access = tokens.access_token().secret();
    let (status, info) =
        answer(api(&app, Some(access), reqwest::Method::GET, "/oauth/userinfo").await.send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(info["licenses"], claim, "{info}");
    let (status, listed) =
        answer(api(&app, Some(access), reqwest::Method::GET, "/api/v1/me/licenses").await.send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed, claim);
    let (_, all) = answer(
        api(&app, Some(access), reqwest::Method::GET, "/api/v1/me/licenses?organization=all")
            .await
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(all["plans"], json!(["cet-pro"]));
    assert!(all.get("organization").is_none(), "{all}");
    let path = "/api/v1/me/licenses?organization=not-an-id";
    let (status, problem) =
        answer(api(&app, Some(access), reqwest::Method::GET, path).await.send().await.unwrap()).await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("organization"))
    );

    // Without the scope, no claim; a user without licenses gets no claim either.
    let plain = tokens_for(&app, &browser, &web, "openid").await;
    assert!(jwt_claims(plain["id_token"].as_str().unwrap()).get("licenses").is_none());
}

/// Verifies a license token against the server's published JWKS with `jsonwebtoken`.
async fn verify_with_jwks(app: &TestApp, token: &str, product: &str) -> Value {
    let jwks: jsonwebtoken::jwk::JwkSet =
        Client::new().get(app.at("/.well-known/jwks.json")).send().await.unwrap().json().await.unwrap();
    let header = jsonwebtoken::decode_header(token).unwrap();
    assert_eq!(header.typ.as_deref(), Some("license+jwt"));
    let jwk = jwks.find(header.kid.as_deref().unwrap()).unwrap_or_else(|| panic!("the signing key is not published"));
    let key = jsonwebtoken::DecodingKey::from_jwk(jwk).unwrap();
    let mut validation = jsonwebtoken::Validation::new(header.alg);
    validation.set_audience(&[product]);
    validation.set_issuer(&[app.url.as_str().trim_end_matches('/')]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    jsonwebtoken::decode::<Value>(token, &key, &validation).unwrap().claims
}

async fn license_token(app: &TestApp, access: &str, fingerprint: &str) -> (StatusCode, Value) {
    let body = json!({"product": "cet", "fingerprint": fingerprint, "machine_name": "Office PC"});
    let req = api(app, Some(access), reqwest::Method::POST, "/api/v1/me/license-token").await.json(&body);
    answer(req.send().await.unwrap()).await
}

#[tokio::test]
async fn an_offline_token_verifies_against_the_jwks_and_the_machine_limit_is_a_409() {
    let (app, browser, web, user) = licensed().await;
    let access = access_token(&app, &browser, &web, "openid licenses").await;
    let (status, issued) = license_token(&app, &access, "machine-one").await;
    assert_eq!(status, StatusCode::OK, "{issued}");
    let claims = verify_with_jwks(&app, issued["token"].as_str().unwrap(), "cet").await;
    let fourteen_days = (app.clock.now() + time::Duration::days(14)).unix_timestamp();
    assert_eq!(claims["exp"], fourteen_days, "{claims}");
    let hash: String = sha2::Sha256::digest(b"machine-one").iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(claims["machine"], hash);
    assert_eq!(claims["licenses"]["entitlements"], json!(["cet.edition.pro"]));
    let expires = time::OffsetDateTime::parse(
        issued["expires_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert_eq!(expires.unix_timestamp(), fourteen_days);

    // The same machine again is no new activation; a second fits, a third does not.
    assert_eq!(license_token(&app, &access, "machine-one").await.0, StatusCode::OK);
    assert_eq!(license_token(&app, &access, "machine-two").await.0, StatusCode::OK);
    let (status, problem) = license_token(&app, &access, "machine-three").await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["code"], "machine_limit");
    assert!(problem["detail"].as_str().unwrap().contains("allows 2 machines"), "{problem}");

    // Deactivating one frees its slot.
    let machines = app.core.machines_of(user).await.unwrap();
    assert_eq!(machines.len(), 2);
    let path = format!("/api/v1/me/machines/{}", machines[0].id);
    let res = api(&app, Some(&access), reqwest::Method::DELETE, &path).await.send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(license_token(&app, &access, "machine-three").await.0, StatusCode::OK);
    let data: Value = browser.get(app.at("/account/data/download")).send().await.unwrap().json().await.unwrap();
    assert_eq!(data["machines"].as_array().map(Vec::len), Some(2), "{data}");
    // A machine already deactivated is not found.
    let res = api(&app, Some(&access), reqwest::Method::DELETE, &path).await.send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // Bad bodies and products without a license.
    let req = api(&app, Some(&access), reqwest::Method::POST, "/api/v1/me/license-token").await.body("{");
    let (status, problem) = answer(req.send().await.unwrap()).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_json")));
    let body = json!({"product": "nothing", "fingerprint": "x", "machine_name": "PC"});
    let req = api(&app, Some(&access), reqwest::Method::POST, "/api/v1/me/license-token").await.json(&body);
    assert_eq!(req.send().await.unwrap().status(), StatusCode::NOT_FOUND);
}

async fn put_briefcase(app: &TestApp, access: &str, body: String, if_match: Option<&str>) -> reqwest::Response {
    let mut req = api(app, Some(access), reqwest::Method::PUT, "/api/v1/me/briefcase/cet").await.body(body);
    if let Some(tag) = if_match {
        req = req.header("if-match", tag);
    }
    req.header("content-type", "application/json").send().await.unwrap()
}

fn etag_of(res: &reqwest::Response) -> String {
    res.headers()["etag"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_briefcase_is_versioned_with_etag_and_if_match() {
    let (app, browser, web, _) = licensed().await;
    let access = access_token(&app, &browser, &web, "licenses").await;
    let get = || async {
        api(&app, Some(&access), reqwest::Method::GET, "/api/v1/me/briefcase/cet").await.send().await.unwrap()
    };
    let (status, problem) = answer(get().await).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));

    let created = put_briefcase(&app, &access, r#"{"theme":"dark"}"#.into(), None).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(etag_of(&created), "\"1\"");
    let read = get().await;
    assert_eq!((read.status(), etag_of(&read)), (StatusCode::OK, "\"1\"".to_owned()));
    assert_eq!(read.headers()["content-type"], "application/json");
    assert_eq!(read.text().await.unwrap(), r#"{"theme":"dark"}"#);

    // Another machine overwriting without the version it read is refused: 428.
    let (status, problem) = answer(put_briefcase(&app, &access, r#"{"theme":"x"}"#.into(), None).await).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::PRECONDITION_REQUIRED, Some("precondition_required")));
    let replaced = put_briefcase(&app, &access, r#"{"theme":"light"}"#.into(), Some("\"1\"")).await;
    assert_eq!((replaced.status(), etag_of(&replaced)), (StatusCode::OK, "\"2\"".to_owned()));
    // A machine still holding version 1 is told it is stale: 412.
    let (status, problem) =
        answer(put_briefcase(&app, &access, r#"{"theme":"blue"}"#.into(), Some("\"1\"")).await).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::PRECONDITION_FAILED, Some("precondition_failed")));
    assert_eq!(get().await.text().await.unwrap(), r#"{"theme":"light"}"#);

    // Too large (just over the limit, and far over the server's default body limit), not JSON.
    let max = app.core.config().licenses.briefcase_max_bytes;
    for size in [max + 1, 4 * max] {
        let big = format!(r#"{{"a":"{}"}}"#, "x".repeat(size - 8));
        let (status, problem) = answer(put_briefcase(&app, &access, big, Some("\"2\"")).await).await;
        assert_eq!((status, problem["code"].as_str()), (StatusCode::PAYLOAD_TOO_LARGE, Some("too_large")), "{size}");
        assert_eq!(problem["title"], "The document is too large");
    }
    let (status, problem) = answer(put_briefcase(&app, &access, "[1,2]".into(), Some("\"2\"")).await).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_json")));
    let (status, _) = answer(put_briefcase(&app, &access, "{}".into(), Some("*")).await).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);

    // The briefcase is in "Download your data".
    let data: Value = browser.get(app.at("/account/data/download")).send().await.unwrap().json().await.unwrap();
    assert_eq!(data["briefcases"][0]["product"], "cet", "{data}");
    assert_eq!(data["briefcases"][0]["body"], json!({"theme": "light"}));
}

#[tokio::test]
async fn the_api_challenges_missing_and_invalid_tokens_and_tokens_without_the_scope() {
    let (app, browser, web, _) = licensed().await;
    let (status, problem) =
        answer(api(&app, None, reqwest::Method::GET, "/api/v1/me/licenses").await.send().await.unwrap()).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("unauthenticated")));
    let res = api(&app, None, reqwest::Method::GET, "/api/v1/me/licenses").await.send().await.unwrap();
    assert_eq!(res.headers()["www-authenticate"], "Bearer realm=\"keystead\"");
    assert_eq!(res.headers()["content-type"], "application/problem+json");

    let res = api(&app, Some("a.b.c"), reqwest::Method::GET, "/api/v1/me/licenses").await.send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(res.headers()["www-authenticate"].to_str().unwrap().contains("error=\"invalid_token\""));

    let without = access_token(&app, &browser, &web, "openid profile").await;
    for (method, path) in [
        (reqwest::Method::GET, "/api/v1/me/licenses"),
        (reqwest::Method::POST, "/api/v1/me/license-token"),
        (reqwest::Method::GET, "/api/v1/me/briefcase/cet"),
        (reqwest::Method::PUT, "/api/v1/me/briefcase/cet"),
    ] {
        let res = api(&app, Some(&without), method, path).await.body("{}").send().await.unwrap();
        let challenge = res.headers()["www-authenticate"].to_str().unwrap().to_owned();
        let (status, problem) = answer(res).await;
        assert_eq!((status, problem["code"].as_str()), (StatusCode::FORBIDDEN, Some("insufficient_scope")), "{path}");
        assert!(challenge.contains("error=\"insufficient_scope\"") && challenge.contains("scope=\"licenses\""));
    }

    // A user holding no license: no claim, empty entitlements, no briefcase.
    active_user(&app, "nobody@example.com").await;
    let other = signed_in_browser(&app, "nobody@example.com", PASSWORD).await;
    let tokens = tokens_for(&app, &other, &web, "openid licenses").await;
    assert!(jwt_claims(tokens["id_token"].as_str().unwrap()).get("licenses").is_none());
    let access = tokens["access_token"].as_str().unwrap();
    let (status, listed) =
        answer(api(&app, Some(access), reqwest::Method::GET, "/api/v1/me/licenses").await.send().await.unwrap()).await;
    assert_eq!((status, &listed["plans"]), (StatusCode::OK, &json!([])));
    let res = api(&app, Some(access), reqwest::Method::GET, "/api/v1/me/briefcase/cet").await.send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
