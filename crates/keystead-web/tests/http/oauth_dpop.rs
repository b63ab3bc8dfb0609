//! DPoP (RFC 9449): tokens bound to the client's key, refused without a fresh proof of it —
//! at userinfo, at the applications' and the admin API, and for a public client's refresh token — proofs used once,
//! checked for method, URL, age, key and token hash, and the server nonce when it is required.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{Jwk, ThumbprintHash};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use keystead_core::oauth::ClientKind;
use keystead_testkit::{TestApp, TestAppOptions};
use openidconnect::PkceCodeChallenge;
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use sha2::Digest;

use super::auth::{PASSWORD, active_user, signed_in_browser};
use super::oauth::{LOOPBACK, approve, jwt_claims, query_param, real_now, register, secret, urlencode};

const ADA: &str = "ada@example.com";

/// A client's DPoP key (P-256).
struct Key {
    encoding: EncodingKey,
    jwk: Jwk,
}

impl Key {
    fn new() -> Self {
        let pair = rcgen::KeyPair::generate().unwrap();
        let raw = pair.public_key_raw();
        let jwk: Jwk = serde_json::from_value(json!({
            "kty": "EC", "crv": "P-256",
            "x": URL_SAFE_NO_PAD.encode(&raw[1..33]), "y": URL_SAFE_NO_PAD.encode(&raw[33..65]),
        }))
        .unwrap();
        Self { encoding: EncodingKey::from_ec_der(&pair.serialize_der()), jwk }
    }

    fn thumbprint(&self) -> String {
        self.jwk.thumbprint(ThumbprintHash::SHA256).unwrap()
    }

    /// A proof for `method` `url`, with `claims` added (`ath`, `nonce`, or overrides).
    fn proof(&self, method: &str, url: &str, extra: Value) -> String {
        let mut header = Header::new(Algorithm::ES256);
        header.typ = Some("dpop+jwt".into());
        header.jwk = Some(self.jwk.clone());
        let mut claims = json!({
            "jti": uuid::Uuid::new_v4().to_string(), "htm": method, "htu": url, "iat": real_now().unix_timestamp(),
        });
        for (k, v) in extra.as_object().unwrap() {
            claims[k] = v.clone();
        }
        jsonwebtoken::encode(&header, &claims, &self.encoding).unwrap()
    }
}

fn ath(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(token.as_bytes()))
}

async fn post_token(
    app: &TestApp,
    form: &[(&str, &str)],
    proof: Option<String>,
) -> (StatusCode, Value, Option<String>) {
    let mut req = Client::new().post(app.at("/oauth/token")).form(form);
    if let Some(p) = proof {
        req = req.header("DPoP", p);
    }
    let res = req.send().await.unwrap();
    let nonce = res.headers().get("dpop-nonce").map(|v| v.to_str().unwrap().to_owned());
    (res.status(), res.json().await.unwrap_or(Value::Null), nonce)
}

async fn userinfo(app: &TestApp, scheme: &str, token: &str, proof: Option<String>) -> (StatusCode, Value, String) {
    let mut req = Client::new().get(app.at("/oauth/userinfo")).header("Authorization", format!("{scheme} {token}"));
    if let Some(p) = proof {
        req = req.header("DPoP", p);
    }
    let res = req.send().await.unwrap();
    let www = res.headers().get("www-authenticate").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (res.status(), res.json().await.unwrap_or(Value::Null), www)
}

/// A code for the public desktop client (PKCE), and its verifier.
async fn code(app: &TestApp, client_id: &str, scope: &str) -> (String, String) {
    code_with(app, client_id, scope, "").await
}

/// [`code`] with `extra` query parameters.
async fn code_with(app: &TestApp, client_id: &str, scope: &str, extra: &str) -> (String, String) {
    let browser = signed_in_browser(app, ADA, PASSWORD).await;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let url = format!(
        "{}?response_type=code&client_id={client_id}&redirect_uri={}&scope={}&state=s&code_challenge={}&code_challenge_method=S256{extra}",
        app.at("/oauth/authorize"),
        urlencode(LOOPBACK),
        urlencode(scope),
        challenge.as_str()
    );
    let back = approve(app, &browser, &url).await;
    (query_param(&back, "code").unwrap(), verifier.secret().clone())
}

#[tokio::test]
async fn a_public_clients_tokens_are_bound_to_its_key_and_useless_without_a_proof() {
    let app = super::oauth::app().await;
    active_user(&app, ADA).await;
    let desktop = register(&app, ClientKind::Public, true, &[], |_| {}).await;
    let id = desktop.client.client_id.as_str();
    let (key, thief) = (Key::new(), Key::new());
    let token_url = app.at("/oauth/token");
    let (code, verifier) = code(&app, id, "openid email offline_access licenses").await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("code_verifier", verifier.as_str()),
        ("redirect_uri", LOOPBACK),
        ("client_id", id),
    ];
    let (status, tokens, nonce) = post_token(&app, &form, Some(key.proof("POST", &token_url, json!({})))).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(tokens["token_type"], "DPoP");
    assert!(nonce.is_some(), "a nonce for the next proof");
    let at = tokens["access_token"].as_str().unwrap();
    assert_eq!(jwt_claims(at)["cnf"]["jkt"], key.thumbprint());

    // At userinfo: as a bearer token, or with another key's proof, it is refused.
    let info_url = app.at("/oauth/userinfo");
    let (status, _, www) = userinfo(&app, "Bearer", at, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a bound token is not a bearer token");
    assert!(www.starts_with("Bearer "), "{www}");
    let stolen = thief.proof("GET", &info_url, json!({ "ath": ath(at) }));
    let (status, body, www) = userinfo(&app, "DPoP", at, Some(stolen)).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::UNAUTHORIZED, Some("invalid_token")), "{body}");
    assert!(www.starts_with("DPoP ") && www.contains("algs="), "{www}");
    let proof = key.proof("GET", &info_url, json!({ "ath": ath(at) }));
    let (status, body, _) = userinfo(&app, "DPoP", at, Some(proof.clone())).await;
    assert_eq!((status, body["email"].as_str()), (StatusCode::OK, Some(ADA)), "{body}");
    // A proof is used once, names this method and URL, this token, and is fresh.
    for (bad, why) in [
        (proof, "replayed"),
        (key.proof("POST", &info_url, json!({ "ath": ath(at) })), "another method"),
        (key.proof("GET", &token_url, json!({ "ath": ath(at) })), "another URL"),
        (key.proof("GET", &info_url, json!({})), "no ath"),
        (key.proof("GET", &info_url, json!({ "ath": ath("other") })), "another token's ath"),
        (key.proof("GET", &info_url, json!({ "ath": ath(at), "iat": real_now().unix_timestamp() - 600 })), "too old"),
    ] {
        let (status, body, _) = userinfo(&app, "DPoP", at, Some(bad)).await;
        assert_eq!((status, body["error"].as_str()), (StatusCode::UNAUTHORIZED, Some("invalid_dpop_proof")), "{why}");
    }
    let (status, _, _) = userinfo(&app, "DPoP", at, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the DPoP scheme without a proof");

    // The same at the applications' API (a desktop app reading its licenses).
    let licenses = app.at("/api/v1/me/licenses");
    let me = |scheme: &str, proof: Option<String>| {
        let mut req = Client::new().get(&licenses).header("Authorization", format!("{scheme} {at}"));
        if let Some(p) = proof {
            req = req.header("DPoP", p);
        }
        req.send()
    };
    assert_eq!(me("Bearer", None).await.unwrap().status(), StatusCode::UNAUTHORIZED, "not as a bearer token");
    let stolen = thief.proof("GET", &licenses, json!({ "ath": ath(at) }));
    assert_eq!(me("DPoP", Some(stolen)).await.unwrap().status(), StatusCode::UNAUTHORIZED, "not with another key");
    let proof = key.proof("GET", &licenses, json!({ "ath": ath(at) }));
    assert_eq!(me("DPoP", Some(proof.clone())).await.unwrap().status(), StatusCode::OK, "with a proof of its key");
    assert_eq!(me("DPoP", Some(proof)).await.unwrap().status(), StatusCode::UNAUTHORIZED, "a proof works once");

    // The refresh token is bound too: refused without the key's proof, accepted with it.
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let form = [("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", id)];
    for proof in [None, Some(thief.proof("POST", &token_url, json!({})))] {
        let (status, body, _) = post_token(&app, &form, proof).await;
        assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_grant")), "{body}");
    }
    let (status, renewed, _) = post_token(&app, &form, Some(key.proof("POST", &token_url, json!({})))).await;
    assert_eq!(status, StatusCode::OK, "{renewed}");
    assert_eq!(jwt_claims(renewed["access_token"].as_str().unwrap())["cnf"]["jkt"], key.thumbprint());
}

#[tokio::test]
async fn bad_proofs_at_the_token_endpoint_are_invalid_dpop_proof() {
    let app = super::oauth::app().await;
    let service = register(&app, ClientKind::Confidential, false, &["client_credentials"], |n| {
        n.redirect_uris.clear();
        n.api_scopes = vec!["users:read".into()];
    })
    .await;
    let (id, secret) = (service.client.client_id.as_str(), secret(&service));
    let form = [("grant_type", "client_credentials"), ("client_id", id), ("client_secret", secret)];
    let key = Key::new();
    let url = app.at("/oauth/token");
    let mut header = Header::new(Algorithm::ES256);
    header.jwk = Some(key.jwk.clone());
    let no_typ = jsonwebtoken::encode(
        &header,
        &json!({"jti": "a", "htm": "POST", "htu": url, "iat": real_now().unix_timestamp()}),
        &key.encoding,
    )
    .unwrap();
    let hmac = {
        let mut h = Header::new(Algorithm::HS256);
        h.typ = Some("dpop+jwt".into());
        jsonwebtoken::encode(&h, &json!({"jti": "b", "htm": "POST", "htu": url}), &EncodingKey::from_secret(b"k"))
            .unwrap()
    };
    let with_private = {
        let (body, sig) = key
            .proof("POST", &url, json!({}))
            .split_once('.')
            .map(|(h, rest)| (h.to_owned(), rest.to_owned()))
            .unwrap();
        let mut h: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(body).unwrap()).unwrap();
        h["jwk"]["d"] = json!("AAAA");
        format!("{}.{sig}", URL_SAFE_NO_PAD.encode(h.to_string()))
    };
    for (proof, why) in [
        (no_typ, "no typ"),
        (hmac, "a symmetric alg"),
        (with_private, "a private key in the header"),
        ("not a jwt".to_owned(), "garbage"),
        (key.proof("POST", "https://elsewhere.example/oauth/token", json!({})), "another server"),
        (key.proof("POST", &url, json!({ "iat": real_now().unix_timestamp() + 600 })), "from the future"),
    ] {
        let (status, body, _) = post_token(&app, &form, Some(proof)).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::BAD_REQUEST, Some("invalid_dpop_proof")),
            "{why}: {body}"
        );
    }

    // A client's own DPoP-bound token: introspection says so; the admin API takes it with a
    // proof of its key, never as a bearer token.
    let (status, tokens, _) = post_token(&app, &form, Some(key.proof("POST", &url, json!({})))).await;
    assert_eq!((status, tokens["token_type"].as_str()), (StatusCode::OK, Some("DPoP")), "{tokens}");
    let at = tokens["access_token"].as_str().unwrap();
    let intro: Value = Client::new()
        .post(app.at("/oauth/introspect"))
        .basic_auth(id, Some(secret))
        .form(&[("token", at)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (intro["token_type"].as_str(), intro["cnf"]["jkt"].as_str()),
        (Some("DPoP"), Some(key.thumbprint().as_str()))
    );
    let users = app.at("/api/v1/users");
    let res = Client::new().request(Method::GET, &users).bearer_auth(at).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "not as a bearer token");
    let res = Client::new()
        .get(&users)
        .header("Authorization", format!("DPoP {at}"))
        .header("DPoP", key.proof("GET", &users, json!({ "ath": ath(at) })))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "with a proof of its key: {}", res.text().await.unwrap());
    let discovery: Value =
        Client::new().get(app.at("/.well-known/openid-configuration")).send().await.unwrap().json().await.unwrap();
    assert!(discovery["dpop_signing_alg_values_supported"].as_array().unwrap().contains(&json!("ES256")));
}

#[tokio::test]
async fn when_nonces_are_required_a_proof_without_the_current_one_is_use_dpop_nonce() {
    let app = TestApp::start(TestAppOptions {
        configure: Some(Box::new(|c| c.oauth.dpop_nonce_required = true)),
        ..Default::default()
    })
    .await
    .unwrap();
    app.clock.set(real_now());
    let service =
        register(&app, ClientKind::Confidential, false, &["client_credentials"], |n| n.redirect_uris.clear()).await;
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", service.client.client_id.as_str()),
        ("client_secret", secret(&service)),
    ];
    let key = Key::new();
    let url = app.at("/oauth/token");
    let (status, body, nonce) = post_token(&app, &form, Some(key.proof("POST", &url, json!({})))).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("use_dpop_nonce")), "{body}");
    let nonce = nonce.expect("the nonce to use comes with the error");
    let (status, body, _) = post_token(&app, &form, Some(key.proof("POST", &url, json!({ "nonce": nonce })))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Ten minutes later the nonce is stale (proofs are dated by the server's clock too).
    app.clock.advance(time::Duration::minutes(11));
    let later = json!({ "nonce": nonce, "iat": (real_now() + time::Duration::minutes(11)).unix_timestamp() });
    let (status, body, fresh) = post_token(&app, &form, Some(key.proof("POST", &url, later))).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("use_dpop_nonce")), "{body}");
    assert_ne!(fresh.as_deref(), Some(nonce.as_str()));
}

#[tokio::test]
async fn a_code_bound_to_a_key_by_dpop_jkt_or_a_pushed_proof_is_exchanged_only_with_that_key() {
    let app = super::oauth::app().await;
    active_user(&app, ADA).await;
    let desktop = register(&app, ClientKind::Public, true, &[], |_| {}).await;
    let id = desktop.client.client_id.as_str();
    let (key, thief) = (Key::new(), Key::new());
    let token_url = app.at("/oauth/token");
    let exchange = |code: String, verifier: String, proof: Option<String>| {
        let app = &app;
        async move {
            let form = [
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("code_verifier", verifier.as_str()),
                ("redirect_uri", LOOPBACK),
                ("client_id", id),
            ];
            post_token(app, &form, proof).await
        }
    };
    let bound = format!("&dpop_jkt={}", key.thumbprint());
    for proof in [None, Some(thief.proof("POST", &token_url, json!({})))] {
        let (code, verifier) = code_with(&app, id, "openid", &bound).await;
        let (status, body, _) = exchange(code, verifier, proof).await;
        assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_grant")), "{body}");
    }
    let (code, verifier) = code_with(&app, id, "openid", &bound).await;
    let (status, tokens, _) = exchange(code, verifier, Some(key.proof("POST", &token_url, json!({})))).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(jwt_claims(tokens["access_token"].as_str().unwrap())["cnf"]["jkt"], key.thumbprint());

    // A malformed dpop_jkt goes back to the client as invalid_request.
    let browser = signed_in_browser(&app, ADA, PASSWORD).await;
    let url = format!(
        "{}?response_type=code&client_id={id}&redirect_uri={}&scope=openid&state=s&code_challenge={}&code_challenge_method=S256&dpop_jkt=short",
        app.at("/oauth/authorize"),
        urlencode(LOOPBACK),
        PkceCodeChallenge::new_random_sha256().0.as_str()
    );
    let back = super::auth::location(&browser.get(url).send().await.unwrap());
    assert_eq!(query_param(&back, "error").as_deref(), Some("invalid_request"), "{back}");

    // A proof sent with the pushed request binds the code the same way (RFC 9449 §10.1).
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let push = [
        ("client_id", id),
        ("response_type", "code"),
        ("redirect_uri", LOOPBACK),
        ("scope", "openid"),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let res = Client::new()
        .post(app.at("/oauth/par"))
        .header("DPoP", key.proof("POST", &app.at("/oauth/par"), json!({})))
        .form(&push)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let request_uri = res.json::<Value>().await.unwrap()["request_uri"].as_str().unwrap().to_owned();
    let url = format!("{}?client_id={id}&request_uri={}", app.at("/oauth/authorize"), urlencode(&request_uri));
    let back = approve(&app, &browser, &url).await;
    let code = query_param(&back, "code").unwrap();
    let (status, body, _) =
        exchange(code, verifier.secret().clone(), Some(thief.proof("POST", &token_url, json!({})))).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_grant")), "{body}");
}
