//! The upstream SSO relying party (`keystead_core::sso::oidc`) against a real OpenID Connect
//! provider: another Keystead plays the organization's identity provider, a person signs in
//! there, and our relying party discovers it, sends the browser, checks the redirect back,
//! exchanges the code and verifies the ID token; then each forgery and mismatch is refused
//! with its code, and a key rotation at the provider is followed.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use keystead_core::clock::Clock as _;
use keystead_core::oauth::ClientKind;
use keystead_core::oauth::CreatedClient;
use keystead_core::oauth::clients::secret_text;
use keystead_core::sso::oidc::{self, Begun, Callback, Discovered, IdTokenCheck, Settings, TokenEndpointAuth};
use keystead_testkit::{TestApp, TestAppOptions};
use reqwest::Client;
use secrecy::SecretString;
use serde_json::{Value, json};

use super::auth::{PASSWORD, active_user, signed_in_browser};
use super::oauth::{approve, register};

const EMAIL: &str = "katherine.johnson@example.com";
const REDIRECT: &str = "https://accounts.example/sso/oidc/callback";

/// The organization's identity provider, a person signed in there, and our registration.
struct Idp {
    app: TestApp,
    browser: Client,
    client: CreatedClient,
    user_id: String,
}

impl Idp {
    /// Its keys sign as soon as they are made, so a rotation takes effect at once.
    async fn start() -> Self {
        let configure: keystead_testkit::app::Configure = Box::new(|c| {
            c.outbound.allow_private_networks = true;
            c.oauth.key_publish_ahead = time::Duration::ZERO;
        });
        let options = TestAppOptions { configure: Some(configure), without_job_runner: true, ..Default::default() };
        let app = TestApp::start(options).await.unwrap();
        let user_id = active_user(&app, EMAIL).await.to_string();
        let browser = signed_in_browser(&app, EMAIL, PASSWORD).await;
        let client =
            register(&app, ClientKind::Confidential, true, &[], |n| n.redirect_uris = vec![REDIRECT.into()]).await;
        Self { app, browser, client, user_id }
    }

    fn issuer(&self) -> String {
        self.app.url.as_str().trim_end_matches('/').to_owned()
    }

    fn settings(&self) -> Settings {
        let secret = secret_text(self.client.secret.as_ref().unwrap()).to_owned();
        Settings::new(self.client.client.client_id.clone(), SecretString::from(secret))
    }

    fn now(&self) -> time::OffsetDateTime {
        self.app.clock.now()
    }

    /// The person follows the authorization URL; returns the redirect back to us.
    async fn sign_in(&self, begun: &Begun) -> Callback {
        let back = url::Url::parse(&approve(&self.app, &self.browser, begun.authorization_url.as_str()).await).unwrap();
        assert!(back.as_str().starts_with(REDIRECT), "{back}");
        Callback::from_params(back.query_pairs()).unwrap()
    }

    /// Discovery, the authorization request and the sign-in at the provider.
    async fn begin_and_sign_in(&self) -> (Discovered, Settings, Begun, Callback) {
        let d = oidc::discover(&rp(), &self.issuer()).await.unwrap();
        let s = self.settings();
        let begun = oidc::begin(&d, &s, &redirect(), Some(EMAIL)).unwrap();
        let callback = self.sign_in(&begun).await;
        (d, s, begun, callback)
    }
}

/// Our relying party's HTTP client: the outbound guard, private networks allowed (the
/// provider listens on loopback).
fn rp() -> Client {
    keystead_core::outbound::client(true, Duration::from_secs(10)).unwrap()
}

fn redirect() -> url::Url {
    url::Url::parse(REDIRECT).unwrap()
}

fn b64_json(part: &str) -> Value {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

fn b64(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap())
}

#[tokio::test]
async fn signing_in_at_the_organizations_provider_asserts_who_the_person_is() {
    let idp = Idp::start().await;
    let (d, s, begun, callback) = idp.begin_and_sign_in().await;
    assert_eq!(callback.iss.as_deref(), Some(idp.issuer().as_str()), "RFC 9207 iss sent");
    // The caller caches the discovery as JSON.
    let mut cached: Discovered = serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
    let (http, redirect) = (rp(), redirect());
    let finishing = oidc::finish(
        &http,
        &mut cached,
        &s,
        &redirect,
        &callback,
        &begun.state,
        &begun.nonce,
        &begun.pkce_verifier,
        idp.now(),
    );
    fn runs_in_any_handler<T: Send>(t: T) -> T {
        t
    }
    let identity = runs_in_any_handler(finishing).await.unwrap();
    assert_eq!(identity.issuer, idp.issuer());
    assert_eq!(identity.subject, idp.user_id);
    assert_eq!(identity.email.as_deref(), Some(EMAIL));
    assert!(identity.email_verified);
    assert_eq!((identity.given_name.as_deref(), identity.family_name.as_deref()), (Some("Test"), Some("User")));
    assert_eq!(identity.amr, ["pwd"]);
    assert!(identity.acr.is_some());
    let hint = identity.logout_hint.unwrap();
    assert_eq!(b64_json(hint.split('.').nth(1).unwrap())["nonce"], begun.nonce.as_str());

    let back = url::Url::parse("https://accounts.example/signed-out").unwrap();
    let logout = oidc::end_session_url(&d, &s.client_id, &hint, Some(&back)).unwrap();
    assert!(logout.as_str().starts_with(&format!("{}/oauth/logout?", idp.issuer())), "{logout}");
    assert!(logout.query_pairs().any(|(k, v)| k == "id_token_hint" && v == hint));
}

#[tokio::test]
async fn a_tampered_id_token_is_refused_and_client_secret_post_is_understood() {
    let idp = Idp::start().await;
    let (d, mut s, begun, callback) = idp.begin_and_sign_in().await;
    s.token_endpoint_auth = TokenEndpointAuth::ClientSecretPost;
    let tokens = oidc::exchange(&rp(), &d, &s, &redirect(), &callback.code, &begun.pkce_verifier).await.unwrap();
    let genuine = oidc::verify_id_token(&d, &s.client_id, &tokens.id_token, &begun.nonce, idp.now()).unwrap();
    assert_eq!(genuine.subject(), idp.user_id);

    let parts: Vec<&str> = tokens.id_token.split('.').collect();
    let mut claims = b64_json(parts[1]);
    claims["email"] = json!("mallory@example.com");
    let altered = format!("{}.{}.{}", parts[0], b64(&claims), parts[2]);
    let err = oidc::verify_id_token(&d, &s.client_id, &altered, &begun.nonce, idp.now()).unwrap_err();
    assert_eq!(err.code(), "id_token_signature", "{err}");

    // One payload byte flipped: refused whatever it breaks first.
    let mut flipped = tokens.id_token.clone().into_bytes();
    let at = parts[0].len() + 10;
    flipped[at] = if flipped[at] == b'A' { b'B' } else { b'A' };
    let flipped = String::from_utf8(flipped).unwrap();
    assert!(oidc::verify_id_token(&d, &s.client_id, &flipped, &begun.nonce, idp.now()).is_err());
}

#[tokio::test]
async fn an_unsigned_id_token_is_refused() {
    let idp = Idp::start().await;
    let (d, s, begun, callback) = idp.begin_and_sign_in().await;
    let tokens = oidc::exchange(&rp(), &d, &s, &redirect(), &callback.code, &begun.pkce_verifier).await.unwrap();
    let payload = tokens.id_token.split('.').nth(1).unwrap();
    let unsigned = format!("{}.{payload}.", b64(&json!({"alg": "none", "typ": "JWT"})));
    let err = oidc::verify_id_token(&d, &s.client_id, &unsigned, &begun.nonce, idp.now()).unwrap_err();
    assert_eq!(err.id_token_check(), Some(IdTokenCheck::Algorithm), "{err}");
}

/// `finish` on a copy of `d`, with the callback and the pending sign-in's values given.
async fn finish_with(
    d: &Discovered,
    s: &Settings,
    callback: &Callback,
    state: &str,
    nonce: &str,
    verifier: &str,
    now: time::OffsetDateTime,
) -> Result<keystead_core::sso::AssertedIdentity, oidc::OidcError> {
    let mut d = d.clone();
    oidc::finish(&rp(), &mut d, s, &redirect(), callback, state, nonce, verifier, now).await
}

#[tokio::test]
async fn a_wrong_nonce_state_or_iss_parameter_is_refused() {
    let idp = Idp::start().await;
    let (d, s, begun, callback) = idp.begin_and_sign_in().await;
    let (state, nonce, verifier, now) = (&begun.state, &begun.nonce, &begun.pkce_verifier, idp.now());
    let err = finish_with(&d, &s, &callback, "forged-state", nonce, verifier, now).await.unwrap_err();
    assert_eq!(err.code(), "state_mismatch");
    let mixed_up = Callback { iss: Some("https://evil.example".into()), ..callback.clone() };
    let err = finish_with(&d, &s, &mixed_up, state, nonce, verifier, now).await.unwrap_err();
    assert_eq!(err.code(), "iss_parameter_mismatch");
    let stripped = Callback { iss: None, ..callback.clone() };
    let err = finish_with(&d, &s, &stripped, state, nonce, verifier, now).await.unwrap_err();
    assert_eq!(err.code(), "iss_parameter_mismatch", "the provider advertises iss, so it is required");
    // Nothing above spent the code; a wrong nonce is found only in the ID token.
    let err = finish_with(&d, &s, &callback, state, "another-sign-ins-nonce", verifier, now).await.unwrap_err();
    assert_eq!(err.code(), "id_token_nonce", "{err}");
}

#[tokio::test]
async fn an_expired_id_token_is_refused() {
    let idp = Idp::start().await;
    let (mut d, s, begun, callback) = idp.begin_and_sign_in().await;
    let tomorrow = idp.now() + time::Duration::days(1);
    let err = oidc::finish(
        &rp(),
        &mut d,
        &s,
        &redirect(),
        &callback,
        &begun.state,
        &begun.nonce,
        &begun.pkce_verifier,
        tomorrow,
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "id_token_expiry", "{err}");
}

#[tokio::test]
async fn the_token_endpoints_refusal_surfaces_with_its_error_code() {
    let idp = Idp::start().await;
    let (d, s, begun, callback) = idp.begin_and_sign_in().await;
    let err = oidc::exchange(&rp(), &d, &s, &redirect(), &callback.code, "not-the-verifier-0123456789-0123456789-0123")
        .await
        .unwrap_err();
    assert!(matches!(&err, oidc::OidcError::TokenRefused { error, .. } if error == "invalid_grant"), "{err}");
    assert_eq!(err.code(), "token_refused");

    let mut wrong_secret = s.clone();
    wrong_secret.client_secret = SecretString::from("not-the-secret");
    let err =
        oidc::exchange(&rp(), &d, &wrong_secret, &redirect(), &callback.code, &begun.pkce_verifier).await.unwrap_err();
    assert!(matches!(&err, oidc::OidcError::TokenRefused { error, .. } if error == "invalid_client"), "{err}");
}

#[tokio::test]
async fn discovery_refuses_a_document_naming_another_issuer_and_reports_an_unreachable_provider() {
    let idp = Idp::start().await;
    let with_slash = format!("{}/", idp.issuer());
    let err = oidc::discover(&rp(), &with_slash).await.unwrap_err();
    assert!(
        matches!(&err, oidc::OidcError::IssuerMismatch { expected, found } if *expected == with_slash && *found == idp.issuer()),
        "{err}"
    );
    let by_name = idp.issuer().replace("127.0.0.1", "localhost");
    assert_eq!(oidc::discover(&rp(), &by_name).await.unwrap_err().code(), "issuer_mismatch");

    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let err = oidc::discover(&rp(), &format!("http://127.0.0.1:{port}")).await.unwrap_err();
    assert_eq!(err.code(), "idp_unreachable", "{err}");
    // Without private networks, a name resolving to one is not connected to, and endpoints at
    // private address literals are reported for the caller to refuse.
    let guarded = keystead_core::outbound::client(false, Duration::from_secs(10)).unwrap();
    let err = oidc::discover(&guarded, &by_name).await.unwrap_err();
    assert_eq!(err.code(), "idp_unreachable", "the outbound guard holds: {err}");
    let d = oidc::discover(&rp(), &idp.issuer()).await.unwrap();
    assert!(d.refusal(false).unwrap().contains("127.0.0.1 is not a public address"));
    assert_eq!(d.refusal(true), None);
}

#[tokio::test]
async fn after_the_provider_rotates_its_keys_a_cached_discovery_fetches_them_again() {
    let idp = Idp::start().await;
    let mut d = oidc::discover(&rp(), &idp.issuer()).await.unwrap();
    let before = d.key_ids();
    let created = idp.app.core.rotate_signing_keys(true).await.unwrap();
    let new_rs256 = created.iter().find(|k| k.alg == "RS256").unwrap().kid.clone();
    assert!(!before.contains(&new_rs256));

    let s = idp.settings();
    let begun = oidc::begin(&d, &s, &redirect(), None).unwrap();
    let callback = idp.sign_in(&begun).await;
    let tokens = oidc::exchange(&rp(), &d, &s, &redirect(), &callback.code, &begun.pkce_verifier).await.unwrap();
    let kid = b64_json(tokens.id_token.split('.').next().unwrap())["kid"].as_str().unwrap().to_owned();
    assert_eq!(kid, new_rs256, "the new key signs");
    let err = oidc::verify_id_token(&d, &s.client_id, &tokens.id_token, &begun.nonce, idp.now()).unwrap_err();
    assert_eq!(err.id_token_check(), Some(IdTokenCheck::Key), "{err}");

    // finish() fetches the keys again once and verifies; the caller stores the new keys.
    let begun = oidc::begin(&d, &s, &redirect(), None).unwrap();
    let callback = idp.sign_in(&begun).await;
    let identity = oidc::finish(
        &rp(),
        &mut d,
        &s,
        &redirect(),
        &callback,
        &begun.state,
        &begun.nonce,
        &begun.pkce_verifier,
        idp.now(),
    )
    .await
    .unwrap();
    assert_eq!(identity.subject, idp.user_id);
    assert!(d.key_ids().contains(&new_rs256), "{:?}", d.key_ids());
}
