//! The OAuth 2.0 / OpenID Connect provider against an independent relying party (the
//! `openidconnect` crate) over real HTTP: discovery, code + PKCE with a loopback redirect,
//! ID tokens checked against the JWKS, userinfo, refresh rotation and reuse detection,
//! introspection, revocation, the device grant, client credentials and logout; then the hostile
//! inputs of RFC 6819 / RFC 9700, each answered with the RFC's error and nothing issued.

use std::time::Duration;

use keystead_core::oauth::CreatedClient;
use keystead_core::oauth::{ClientKind, NewClient};
use keystead_testkit::{TestApp, TestAppOptions};
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreDeviceAuthorizationResponse, CoreIdToken, CoreProviderMetadata,
    CoreUserInfoClaims,
};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClientId, ClientSecret, CsrfToken, DeviceAuthorizationUrl, EndpointMaybeSet,
    EndpointSet, IntrospectionUrl, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, RedirectUrl,
    RevocationUrl, Scope, TokenIntrospectionResponse, TokenResponse,
};
use reqwest::{Client, StatusCode};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::auth::{PASSWORD, active_user, location, signed_in_browser};

const EMAIL: &str = "grace.hopper@example.com";
pub(crate) const LOOPBACK: &str = "http://127.0.0.1/callback";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// The relying party's view of the server, every endpoint configured from discovery.
pub(crate) type Rp = CoreClient<EndpointSet, EndpointSet, EndpointSet, EndpointSet, EndpointMaybeSet, EndpointMaybeSet>;

/// The relying party checks token times against the real clock, so the server's fake clock
/// starts at the real time.
#[expect(clippy::disallowed_methods, reason = "the independent relying party reads the real clock")]
pub(crate) fn real_now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

pub(crate) async fn app() -> TestApp {
    let app = TestApp::new().await;
    app.clock.set(real_now());
    app
}

/// A server that may send back-channel logout tokens to loopback listeners (the default refuses
/// private networks), with or without its own job runner.
async fn app_allowing_private_networks(job_runner: bool) -> TestApp {
    let configure: keystead_testkit::app::Configure = Box::new(|c| c.outbound.allow_private_networks = true);
    let options = TestAppOptions { configure: Some(configure), without_job_runner: !job_runner, ..Default::default() };
    let app = TestApp::start(options).await.unwrap();
    app.clock.set(real_now());
    app
}

/// The 15-line adapter from `openidconnect`'s HTTP requests to reqwest 0.13 (no redirects).
async fn send(
    client: Client,
    request: openidconnect::HttpRequest,
) -> Result<openidconnect::HttpResponse, reqwest::Error> {
    let (parts, body) = request.into_parts();
    let response = client.request(parts.method, parts.uri.to_string()).headers(parts.headers).body(body).send().await?;
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.bytes().await?;
    let mut out = openidconnect::HttpResponse::new(bytes.to_vec());
    *out.status_mut() = status;
    *out.headers_mut() = headers;
    Ok(out)
}

pub(crate) fn http() -> impl Fn(
    openidconnect::HttpRequest,
) -> std::pin::Pin<
    Box<dyn Future<Output = Result<openidconnect::HttpResponse, reqwest::Error>>>,
> {
    http_via(Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap())
}

/// [`http`] through `client` (one that trusts the test CA of an HTTPS [`TestApp`]).
pub(crate) fn http_via(
    client: Client,
) -> impl Fn(
    openidconnect::HttpRequest,
) -> std::pin::Pin<Box<dyn Future<Output = Result<openidconnect::HttpResponse, reqwest::Error>>>> {
    move |req| Box::pin(send(client.clone(), req))
}

pub(crate) async fn register(
    app: &TestApp,
    kind: ClientKind,
    first_party: bool,
    grants: &[&str],
    extra: impl FnOnce(&mut NewClient),
) -> CreatedClient {
    let mut new = NewClient {
        name: "Keystead Desktop".into(),
        kind,
        first_party,
        redirect_uris: vec![LOOPBACK.into(), "https://app.example/cb".into()],
        grant_types: grants.iter().map(|g| (*g).to_owned()).collect(),
        post_logout_redirect_uris: vec!["https://app.example/signed-out".into()],
        backchannel_logout_uri: None,
        id_token_alg: None,
        api_scopes: vec![],
        require_pushed_authorization_requests: false,
    };
    extra(&mut new);
    app.core
        .create_oauth_client(
            keystead_core::organizations::Actor::Operator,
            new,
            &keystead_core::audit::RequestMeta::cli(),
        )
        .await
        .unwrap()
}

fn issuer(app: &TestApp) -> String {
    app.url.as_str().trim_end_matches('/').to_owned()
}

pub(crate) async fn relying_party(app: &TestApp, created: &CreatedClient, redirect: &str) -> Rp {
    let meta = CoreProviderMetadata::discover_async(IssuerUrl::new(issuer(app)).unwrap(), &http_via(app.client()))
        .await
        .unwrap();
    let secret =
        created.secret.as_ref().map(|s| ClientSecret::new(keystead_core::oauth::clients::secret_text(s).to_owned()));
    CoreClient::from_provider_metadata(meta, ClientId::new(created.client.client_id.clone()), secret)
        .set_redirect_uri(RedirectUrl::new(redirect.to_owned()).unwrap())
        .set_introspection_url(IntrospectionUrl::new(app.at("/oauth/introspect")).unwrap())
        .set_revocation_url(RevocationUrl::new(app.at("/oauth/revoke")).unwrap())
        .set_device_authorization_url(DeviceAuthorizationUrl::new(app.at("/oauth/device_authorization")).unwrap())
}

/// A one-shot HTTP listener on a random loopback port, as a desktop app runs: yields the path
/// and query of the first request it receives.
async fn loopback_listener() -> (u16, tokio::sync::oneshot::Receiver<String>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let Ok((mut stream, _)) = listener.accept().await else { return };
        let mut buf = vec![0u8; 16 * 1024];
        let mut read = 0;
        while read < buf.len() {
            let n = stream.read(&mut buf[read..]).await.unwrap_or(0);
            read += n;
            if n == 0 || buf[..read].windows(4).any(|w| w == b"\r\n\r\n") {
                break;
            }
        }
        let text = String::from_utf8_lossy(&buf[..read]).into_owned();
        let path = text.split_whitespace().nth(1).unwrap_or_default().to_owned();
        let body = "Signed in. You can close this window.";
        let reply = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = stream.write_all(reply.as_bytes()).await;
        let _ = tx.send(path);
    });
    (port, rx)
}

/// The `value` of the hidden input called `name`, entities decoded.
pub(crate) fn hidden(html: &str, name: &str) -> String {
    let at = html.find(&format!("name=\"{name}\"")).unwrap_or_else(|| panic!("no {name} in {html}"));
    let tag_end = at + html[at..].find('>').unwrap();
    let tag = &html[html[..at].rfind('<').unwrap()..tag_end];
    let start = tag.find("value=\"").unwrap() + 7;
    let raw = &tag[start..start + tag[start..].find('"').unwrap()];
    decode_entities(raw)
}

pub(crate) fn decode_entities(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find(';').unwrap();
        let entity = &tail[1..end];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            e if e.starts_with("#x") => char::from_u32(u32::from_str_radix(&e[2..], 16).unwrap()).unwrap(),
            e => char::from_u32(e[1..].parse().unwrap()).unwrap(),
        };
        out.push(c);
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The signed-in browser follows the authorization URL, pressing Accept on "Authorize app"
/// when it is shown; returns where the server sends it back to the app.
pub(crate) async fn approve(app: &TestApp, browser: &Client, url: &str) -> String {
    let res = browser.get(url).send().await.unwrap();
    if res.status() == StatusCode::FOUND {
        return location(&res);
    }
    assert_eq!(res.status(), StatusCode::OK);
    let csp = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
    let html = res.text().await.unwrap();
    assert!(html.contains("Authorize app") && html.contains("Keystead Desktop"), "{html}");
    assert!(csp.contains("form-action 'self' "), "the consent page lets its form redirect to the app: {csp}");
    let res = browser
        .post(app.at("/oauth/authorize/decision"))
        .form(&[
            ("csrf_token", hidden(&html, "csrf_token")),
            ("request", hidden(&html, "request")),
            ("decision", "accept".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND, "{:?}", res.text().await);
    location(&res)
}

pub(crate) fn query_param(url: &str, name: &str) -> Option<String> {
    let parsed = url::Url::parse(url).or_else(|_| url::Url::parse(&format!("http://x{url}"))).unwrap();
    parsed.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// Posts a form to the token-style endpoint at `path`; returns the status, the JSON and the
/// `WWW-Authenticate` header.
async fn post_token(
    app: &TestApp,
    path: &str,
    basic: Option<(&str, &str)>,
    form: &[(&str, &str)],
) -> (StatusCode, Value, Option<String>) {
    let mut req = Client::new().post(app.at(path)).form(form);
    if let Some((id, secret)) = basic {
        req = req.basic_auth(id, Some(secret));
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let www = res.headers().get("www-authenticate").map(|v| v.to_str().unwrap().to_owned());
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null), www)
}

async fn userinfo_status(app: &TestApp, access_token: &str) -> StatusCode {
    Client::new().get(app.at("/oauth/userinfo")).bearer_auth(access_token).send().await.unwrap().status()
}

/// Signs in a browser and runs the code flow for `created` with PKCE; returns the code, the
/// verifier and the redirect URI used.
async fn code_for(app: &TestApp, browser: &Client, created: &CreatedClient, scope: &str) -> (String, String, String) {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let redirect = "https://app.example/cb";
    let url = format!(
        "{}?response_type=code&client_id={}&redirect_uri={}&scope={}&state=s1&code_challenge={}&code_challenge_method=S256",
        app.at("/oauth/authorize"),
        created.client.client_id,
        urlencode(redirect),
        urlencode(scope),
        challenge.as_str()
    );
    let back = approve(app, browser, &url).await;
    assert!(back.starts_with(redirect), "{back}");
    (query_param(&back, "code").unwrap(), verifier.secret().clone(), redirect.to_owned())
}

/// Runs the code flow for the confidential `created` and exchanges the code with its secret
/// (`client_secret_basic`); returns the token response, which must be a success.
pub(crate) async fn tokens_for(app: &TestApp, browser: &Client, created: &CreatedClient, scope: &str) -> Value {
    let (code, verifier, redirect) = code_for(app, browser, created, scope).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("code_verifier", verifier.as_str()),
        ("redirect_uri", redirect.as_str()),
    ];
    let basic = Some((created.client.client_id.as_str(), secret(created)));
    let (status, tokens, _) = post_token(app, "/oauth/token", basic, &form).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    tokens
}

pub(crate) fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

// ---------------------------------------------------------------------------------------------
// The flows, through the relying party
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn discovery_and_the_jwks_describe_the_provider() {
    let app = app().await;
    let res = Client::new().get(app.at("/.well-known/openid-configuration")).send().await.unwrap();
    assert_eq!(res.headers()["content-type"], "application/json");
    assert_eq!(res.headers()["cache-control"], "public, max-age=300");
    let doc: Value = res.json().await.unwrap();
    assert_eq!(doc["issuer"], issuer(&app));
    assert_eq!(doc["code_challenge_methods_supported"], serde_json::json!(["S256"]));
    assert_eq!(doc["id_token_signing_alg_values_supported"], serde_json::json!(["RS256", "ES256", "EdDSA"]));
    let res = Client::new().get(app.at("/.well-known/jwks.json")).send().await.unwrap();
    assert_eq!(res.headers()["content-type"], "application/jwk-set+json");
    let jwks: Value = res.json().await.unwrap();
    let algs: Vec<&str> = jwks["keys"].as_array().unwrap().iter().map(|k| k["alg"].as_str().unwrap()).collect();
    assert_eq!(algs.len(), 3, "{jwks}");
    for alg in ["RS256", "ES256", "EdDSA"] {
        assert!(algs.contains(&alg), "{alg} missing from {jwks}");
    }
    for k in jwks["keys"].as_array().unwrap() {
        assert!(k["kid"].as_str().is_some_and(|s| s.len() == 43), "{k}");
        assert!(k.get("d").is_none() && k.get("p").is_none(), "no private parts published: {k}");
    }
    // The relying party accepts the document.
    CoreProviderMetadata::discover_async(IssuerUrl::new(issuer(&app)).unwrap(), &http()).await.unwrap();
    // RFC 8414's address serves the same metadata.
    let res = Client::new().get(app.at("/.well-known/oauth-authorization-server")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.unwrap(), doc);
}

#[tokio::test]
async fn a_desktop_app_signs_in_with_pkce_on_a_loopback_port_and_rotates_its_refresh_token() {
    let app = app().await;
    active_user(&app, EMAIL).await;
    let browser = signed_in_browser(&app, EMAIL, PASSWORD).await;
    let desktop = register(&app, ClientKind::Public, false, &[], |_| {}).await;
    assert!(desktop.secret.is_none());
    let (port, received) = loopback_listener().await;
    let rp = relying_party(&app, &desktop, &format!("http://127.0.0.1:{port}/callback")).await;

    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = rp
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .add_scope(Scope::new("profile".into()))
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("offline_access".into()))
        .set_pkce_challenge(challenge)
        .url();
    let back = approve(&app, &browser, url.as_str()).await;
    assert!(back.starts_with(&format!("http://127.0.0.1:{port}/callback?")), "{back}");
    // The browser lands on the app's loopback listener.
    Client::new().get(&back).send().await.unwrap();
    let path = tokio::time::timeout(Duration::from_secs(5), received).await.unwrap().unwrap();
    assert_eq!(query_param(&path, "state").as_deref(), Some(state.secret().as_str()));
    assert_eq!(query_param(&path, "iss").as_deref(), Some(issuer(&app).as_str()));
    let code = query_param(&path, "code").unwrap();

    let tokens = rp
        .exchange_code(AuthorizationCode::new(code))
        .unwrap()
        .set_pkce_verifier(verifier)
        .request_async(&http())
        .await
        .unwrap();
    let id_token = tokens.id_token().unwrap();
    let verifier = rp.id_token_verifier();
    let claims = id_token.claims(&verifier, &nonce).unwrap();
    assert_eq!(claims.email().map(|e| e.as_str()), Some(EMAIL));
    assert!(claims.auth_time().is_some());
    let at_hash = AccessTokenHash::from_token(
        tokens.access_token(),
        id_token.signing_alg().unwrap(),
        id_token.signing_key(&verifier).unwrap(),
    )
    .unwrap();
    assert_eq!(claims.access_token_hash(), Some(&at_hash));
    let raw = jwt_claims(&id_token.to_string());
    assert_eq!(raw["amr"], serde_json::json!(["pwd"]));
    assert_eq!(raw["acr"], "urn:keystead:acr:pwd");
    assert!(raw["sid"].as_str().is_some_and(|s| !s.is_empty()), "{raw}");
    let access = jwt_header(tokens.access_token().secret());
    assert_eq!(access["typ"], "at+jwt", "RFC 9068 access token");
    assert_eq!(access["alg"], "ES256", "access tokens default to ES256 (SPEC §8)");

    let info: CoreUserInfoClaims =
        rp.user_info(tokens.access_token().clone(), None).unwrap().request_async(&http()).await.unwrap();
    assert_eq!(info.email().map(|e| e.as_str()), Some(EMAIL));
    assert_eq!(info.subject(), claims.subject());

    // Refresh: a new refresh token each time; the old one is spent.
    let first_refresh = tokens.refresh_token().unwrap().clone();
    let renewed = rp.exchange_refresh_token(&first_refresh).unwrap().request_async(&http()).await.unwrap();
    let second_refresh = renewed.refresh_token().unwrap().clone();
    assert_ne!(first_refresh.secret(), second_refresh.secret());
    assert_eq!(userinfo_status(&app, renewed.access_token().secret()).await, StatusCode::OK);
    // Replaying the spent token revokes the whole family, including the newest token.
    let replay = rp.exchange_refresh_token(&first_refresh).unwrap().request_async(&http()).await;
    assert!(
        matches!(replay, Err(openidconnect::RequestTokenError::ServerResponse(ref e)) if e.error().as_ref() == "invalid_grant"),
        "{replay:?}"
    );
    let after = rp.exchange_refresh_token(&second_refresh).unwrap().request_async(&http()).await;
    assert!(after.is_err(), "the family is revoked");
    assert_eq!(userinfo_status(&app, renewed.access_token().secret()).await, StatusCode::UNAUTHORIZED);
    // The user's security log says so.
    let (_, security) = super::auth::get(&app, &browser, "/account/security").await;
    assert!(security.contains("token was used twice: its access was ended — Keystead Desktop"), "{security}");
}

fn jwt_part(token: &str, i: usize) -> Value {
    use base64::Engine;
    let part = token.split('.').nth(i).unwrap();
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

pub(crate) fn jwt_claims(token: &str) -> Value {
    jwt_part(token, 1)
}

pub(crate) fn jwt_header(token: &str) -> Value {
    jwt_part(token, 0)
}

#[tokio::test]
async fn a_web_app_introspects_and_revokes_with_its_secret() {
    let app = app().await;
    active_user(&app, EMAIL).await;
    let browser = signed_in_browser(&app, EMAIL, PASSWORD).await;
    let web = register(&app, ClientKind::Confidential, false, &[], |n| n.id_token_alg = Some("EdDSA".into())).await;
    let rp = relying_party(&app, &web, "https://app.example/cb").await;
    let (url, _state, nonce) = rp
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("offline_access".into()))
        .url();
    let back = approve(&app, &browser, url.as_str()).await;
    let code = query_param(&back, "code").unwrap();
    let tokens = rp.exchange_code(AuthorizationCode::new(code)).unwrap().request_async(&http()).await.unwrap();
    let id_token: &CoreIdToken = tokens.id_token().unwrap();
    assert_eq!(jwt_header(&id_token.to_string())["alg"], "EdDSA");
    let verifier = rp.id_token_verifier().set_allowed_algs([openidconnect::core::CoreJwsSigningAlgorithm::EdDsa]);
    id_token.claims(&verifier, &nonce).unwrap();

    let active = rp.introspect(tokens.access_token()).request_async(&http()).await.unwrap();
    assert!(active.active());
    assert_eq!(active.client_id().map(|c| c.as_str()), Some(web.client.client_id.as_str()));
    let refresh = tokens.refresh_token().unwrap().clone();
    let (status, body, _) = post_token(
        &app,
        "/oauth/introspect",
        Some((&web.client.client_id, secret(&web))),
        &[("token", refresh.secret())],
    )
    .await;
    assert_eq!(
        (status, body["active"].clone(), body["token_type"].clone()),
        (StatusCode::OK, Value::Bool(true), "refresh_token".into())
    );

    // (openidconnect refuses a revocation endpoint without HTTPS, so the request is made by hand.)
    let (status, _, _) = post_token(
        &app,
        "/oauth/revoke",
        Some((&web.client.client_id, secret(&web))),
        &[("token", refresh.secret()), ("token_type_hint", "refresh_token")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, body, _) = post_token(
        &app,
        "/oauth/introspect",
        Some((&web.client.client_id, secret(&web))),
        &[("token", refresh.secret())],
    )
    .await;
    assert_eq!(body, serde_json::json!({"active": false}));
    let gone = rp.introspect(tokens.access_token()).request_async(&http()).await.unwrap();
    assert!(!gone.active(), "revoking the refresh token ends the access tokens of its grant");
    assert_eq!(userinfo_status(&app, tokens.access_token().secret()).await, StatusCode::UNAUTHORIZED);
    // Revoking garbage still answers 200 (RFC 7009 §2.2).
    let (status, _, _) =
        post_token(&app, "/oauth/revoke", Some((&web.client.client_id, secret(&web))), &[("token", "nonsense")]).await;
    assert_eq!(status, StatusCode::OK);
}

pub(crate) fn secret(c: &CreatedClient) -> &str {
    keystead_core::oauth::clients::secret_text(c.secret.as_ref().unwrap())
}

#[tokio::test]
async fn consent_is_remembered_per_scope_set_and_first_party_apps_skip_it() {
    let app = app().await;
    active_user(&app, EMAIL).await;
    let browser = signed_in_browser(&app, EMAIL, PASSWORD).await;
    let third = register(&app, ClientKind::Confidential, false, &[], |_| {}).await;
    code_for(&app, &browser, &third, "openid email").await;
    // Same scopes: no screen.
    let url = format!(
        "{}?response_type=code&client_id={}&redirect_uri={}&scope=openid&state=x",
        app.at("/oauth/authorize"),
        third.client.client_id,
        urlencode("https://app.example/cb")
    );
    let res = browser.get(&url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    assert!(query_param(&location(&res), "code").is_some());
    // More scopes: asked again.
    let res = browser.get(url.replace("scope=openid", "scope=openid%20profile")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("Your name"));
    // Cancel: access_denied with the state.
    let res = browser.get(url.replace("scope=openid", "scope=openid%20profile")).send().await.unwrap();
    let html = res.text().await.unwrap();
    let res = browser
        .post(app.at("/oauth/authorize/decision"))
        .form(&[
            ("csrf_token", hidden(&html, "csrf_token")),
            ("request", hidden(&html, "request")),
            ("decision", "cancel".into()),
        ])
        .send()
        .await
        .unwrap();
    let back = location(&res);
    assert_eq!(query_param(&back, "error").as_deref(), Some("access_denied"));
    assert_eq!(query_param(&back, "state").as_deref(), Some("x"));

    let first = register(&app, ClientKind::Confidential, true, &[], |_| {}).await;
    let url = url.replace(&third.client.client_id, &first.client.client_id);
    let res = browser.get(&url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FOUND, "first-party: no consent screen");
    assert!(query_param(&location(&res), "code").is_some());
}

#[tokio::test]
async fn the_consent_page_is_written_in_the_language_the_app_asks_for_with_ui_locales() {
    let app = app().await;
    active_user(&app, EMAIL).await;
    let browser = signed_in_browser(&app, EMAIL, PASSWORD).await;
    let third = register(&app, ClientKind::Confidential, false, &[], |_| {}).await;
    let url = format!(
        "{}?response_type=code&client_id={}&redirect_uri={}&scope={}&state=x&ui_locales={}",
        app.at("/oauth/authorize"),
        third.client.client_id,
        urlencode("https://app.example/cb"),
        urlencode("openid profile offline_access"),
        urlencode("fr-CA de en")
    );
    let res = browser.get(&url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("<html lang=\"de\">"), "{html}");
    assert!(html.contains("<h1 id=\"heading\">App autorisieren</h1>"), "{html}");
    assert!(html.contains("<strong>Keystead Desktop</strong> möchte Ihr Konto bei"), "{html}");
    assert!(html.contains("<li>Ihren Namen</li>") && html.contains("<li>Verbunden bleiben"), "{html}");
    assert!(html.contains(">Zulassen</button>") && html.contains(">Abbrechen</button>"), "{html}");
    // Turkish, asked for the same way.
    let res = browser.get(url.replace(&urlencode("fr-CA de en"), "tr")).send().await.unwrap();
    let html = res.text().await.unwrap();
    assert!(html.contains("<html lang=\"tr\">") && html.contains("Uygulamaya yetki ver"), "{html}");
    assert!(html.contains("<li>Adınız</li>"), "{html}");
}

#[tokio::test]
async fn an_authorization_request_may_be_posted_as_a_form_from_the_apps_page() {
    let app = app().await;
    active_user(&app, EMAIL).await;
    let browser = signed_in_browser(&app, EMAIL, PASSWORD).await;
    let web = register(&app, ClientKind::Confidential, true, &[], |_| {}).await;
    let form = [
        ("response_type", "code"),
        ("client_id", web.client.client_id.as_str()),
        ("redirect_uri", "https://app.example/cb"),
        ("scope", "openid email"),
        ("state", "posted & kept"),
    ];
    // From the app's own page: cross-site, which the consent decision would refuse.
    let cross_site = |req: reqwest::RequestBuilder| {
        req.header("origin", "https://app.example").header("sec-fetch-site", "cross-site")
    };
    let res = cross_site(browser.post(app.at("/oauth/authorize"))).form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let get = location(&res);
    assert!(get.starts_with("/oauth/authorize?"), "{get}");
    let res = browser.get(app.at(&get)).send().await.unwrap();
    let back = location(&res);
    assert!(back.starts_with("https://app.example/cb?code="), "{back}");
    assert_eq!(query_param(&back, "state").as_deref(), Some("posted & kept"));

    // A body that is not a form, or too long, is a page; nothing is redirected.
    let res = browser
        .post(app.at("/oauth/authorize"))
        .body("{}")
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("must be a form"));
    let long = "x".repeat(30_000);
    let res = browser.post(app.at("/oauth/authorize")).form(&[("state", long.as_str())]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    // The consent decision itself stays protected against cross-site posts.
    let res = cross_site(browser.post(app.at("/oauth/authorize/decision")))
        .form(&[("request", "x"), ("decision", "accept"), ("csrf_token", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_login_hint_fills_in_the_address_on_the_sign_in_page() {
    let app = app().await;
    let web = register(&app, ClientKind::Confidential, true, &[], |_| {}).await;
    let anonymous = app.client();
    for (hint, shown) in [(EMAIL, EMAIL), ("not an address", ""), ("", "")] {
        let url = format!(
            "/oauth/authorize?response_type=code&client_id={}&redirect_uri={}&scope=openid&login_hint={}",
            web.client.client_id,
            urlencode("https://app.example/cb"),
            urlencode(hint)
        );
        let res = anonymous.get(app.at(&url)).send().await.unwrap();
        let to_sign_in = location(&res);
        assert!(to_sign_in.starts_with("/sign-in?return_to="), "{to_sign_in}");
        let (status, html) = super::auth::get(&app, &anonymous, &to_sign_in).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(super::auth::input_value(&html, "email").as_deref().unwrap_or(""), shown, "{hint:?}");
    }
}

#[tokio::test]
async fn signing_in_from_the_authorize_link_returns_to_the_app_and_prompt_none_never_shows_a_page() {
    let app = app().await;
    active_user(&app, EMAIL).await;
    let web = register(&app, ClientKind::Confidential, true, &[], |_| {}).await;
    let url = format!(
        "{}?response_type=code&client_id={}&redirect_uri={}&scope=openid&state=abc",
        app.at("/oauth/authorize"),
        web.client.client_id,
        urlencode("https://app.example/cb")
    );
    let anonymous = app.client();
    let res = anonymous.get(format!("{url}&prompt=none")).send().await.unwrap();
    let back = location(&res);
    assert_eq!(query_param(&back, "error").as_deref(), Some("login_required"), "{back}");
    assert_eq!(query_param(&back, "state").as_deref(), Some("abc"));

    let res = anonymous.get(&url).send().await.unwrap();
    let to_sign_in = location(&res);
    assert!(to_sign_in.starts_with("/sign-in?return_to="), "{to_sign_in}");
    let return_to = query_param(&to_sign_in, "return_to").unwrap();
    let res = super::auth::post_form(
        &app,
        &anonymous,
        "/sign-in/password",
        &[("email", EMAIL), ("password", PASSWORD), ("return_to", &return_to)],
    )
    .await;
    assert_eq!(location(&res), return_to);
    let res = anonymous.get(app.at(&return_to)).send().await.unwrap();
    assert!(query_param(&location(&res), "code").is_some(), "{}", location(&res));

    // prompt=login sends a signed-in user to sign in again, and the fresh sign-in then counts.
    let res = anonymous.get(format!("{url}&prompt=login")).send().await.unwrap();
    let again = location(&res);
    assert!(again.contains("reauthenticate=1"), "{again}");
    let (status, html) = super::auth::get(&app, &anonymous, &again).await;
    assert_eq!(status, StatusCode::OK, "the sign-in page is shown although signed in");
    assert!(html.contains("Sign in"));
    app.clock.advance(time::Duration::seconds(5));
    let return_to = query_param(&again, "return_to").unwrap();
    let res = super::auth::post_form(
        &app,
        &anonymous,
        "/sign-in/password",
        &[("email", EMAIL), ("password", PASSWORD), ("return_to", &return_to)],
    )
    .await;
    let res = anonymous.get(app.at(&location(&res))).send().await.unwrap();
    assert!(query_param(&location(&res), "code").is_some(), "{}", location(&res));
}

#[tokio::test]
async fn a_device_signs_in_with_a_user_code_typed_on_the_device_page() {
    let app = app().await;
    active_user(&app, EMAIL).await;
    let browser = signed_in_browser(&app, EMAIL, PASSWORD).await;
    let cli =
        register(&app, ClientKind::Public, false, &["device_code", "refresh_token"], |n| n.redirect_uris.clear()).await;
    let rp = relying_party(&app, &cli, LOOPBACK).await;
    let details: CoreDeviceAuthorizationResponse = rp
        .exchange_device_code()
        .add_scope(Scope::new("openid".into()))
        .add_scope(Scope::new("email".into()))
        .request_async(&http())
        .await
        .unwrap();
    let shown = details.user_code().secret().clone();
    assert!(shown.len() == 9 && shown.as_bytes()[4] == b'-', "{shown}");
    assert!(shown.chars().filter(|c| *c != '-').all(|c| "BCDFGHJKLMNPQRSTVWXZ".contains(c)), "{shown}");
    assert_eq!(details.verification_uri().url().as_str(), app.at("/device"));

    // Polling before the user decides: authorization_pending, then slow_down when too fast.
    let device_code = details.device_code().secret().clone();
    let grant = "urn:ietf:params:oauth:grant-type:device_code";
    let poll =
        [("grant_type", grant), ("device_code", device_code.as_str()), ("client_id", cli.client.client_id.as_str())];
    let (status, body, _) = post_token(&app, "/oauth/token", None, &poll).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("authorization_pending")));
    let (_, body, _) = post_token(&app, "/oauth/token", None, &poll).await;
    assert_eq!(body["error"], "slow_down");

    // The person types the code (lower case, no dash) and accepts.
    let (status, html) =
        super::auth::get(&app, &browser, &format!("/device?user_code={}", shown.replace('-', "").to_lowercase())).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Authorize app") && html.contains(&shown), "{html}");
    let res = browser
        .post(app.at("/device/decide"))
        .form(&[
            ("csrf_token", hidden(&html, "csrf_token")),
            ("user_code", shown.clone()),
            ("decision", "accept".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = super::auth::get(&app, &browser, "/device").await;
    assert!(page.contains("is connected"), "{page}");

    app.clock.advance(time::Duration::seconds(11));
    let tokens =
        rp.exchange_device_access_token(&details).unwrap().request_async(&http(), |_| async {}, None).await.unwrap();
    assert!(tokens.id_token().is_some());
    assert_eq!(userinfo_status(&app, tokens.access_token().secret()).await, StatusCode::OK);
    // Used once only.
    app.clock.advance(time::Duration::seconds(11));
    let (_, body, _) = post_token(&app, "/oauth/token", None, &poll).await;
    assert_eq!(body["error"], "invalid_grant");
    // A wrong code on the page is a form error, not a crash.
    let (status, html) = super::auth::get(&app, &browser, "/device?user_code=BBBB-BBBB").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("not valid or has expired"));
}

#[tokio::test]
async fn a_denied_or_expired_device_request_gives_access_denied_or_expired_token() {
    let app = app().await;
    active_user(&app, EMAIL).await;
    let browser = signed_in_browser(&app, EMAIL, PASSWORD).await;
    let cli = register(&app, ClientKind::Public, false, &["device_code"], |n| n.redirect_uris.clear()).await;
    let id = cli.client.client_id.as_str();
    let start = |scope: &'static str| {
        let app = &app;
        async move {
            let (status, body, _) =
                post_token(app, "/oauth/device_authorization", None, &[("client_id", id), ("scope", scope)]).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            body
        }
    };
    let denied = start("openid").await;
    let (_, html) =
        super::auth::get(&app, &browser, &format!("/device?user_code={}", denied["user_code"].as_str().unwrap())).await;
    browser
        .post(app.at("/device/decide"))
        .form(&[
            ("csrf_token", hidden(&html, "csrf_token")),
            ("user_code", denied["user_code"].as_str().unwrap().to_owned()),
            ("decision", "cancel".into()),
        ])
        .send()
        .await
        .unwrap();
    let grant = "urn:ietf:params:oauth:grant-type:device_code";
    let (_, body, _) = post_token(
        &app,
        "/oauth/token",
        None,
        &[("grant_type", grant), ("device_code", denied["device_code"].as_str().unwrap()), ("client_id", id)],
    )
    .await;
    assert_eq!(body["error"], "access_denied");

    let expired = start("openid").await;
    app.clock.advance(time::Duration::minutes(11));
    let (_, body, _) = post_token(
        &app,
        "/oauth/token",
        None,
        &[("grant_type", grant), ("device_code", expired["device_code"].as_str().unwrap()), ("client_id", id)],
    )
    .await;
    assert_eq!(body["error"], "expired_token");
    let (_, body, _) =
        post_token(&app, "/oauth/device_authorization", None, &[("client_id", id), ("scope", "admin groups")]).await;
    assert_eq!(body["error"], "invalid_scope");

    // Guessing codes on the page is throttled (RFC 8628 §5.1).
    let mut last = StatusCode::OK;
    for _ in 0..20 {
        last = super::auth::get(&app, &browser, "/device?user_code=BBBB-BBBB").await.0;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_service_gets_a_token_with_client_credentials_and_a_public_client_cannot() {
    let app = app().await;
    let service =
        register(&app, ClientKind::Confidential, false, &["client_credentials"], |n| n.redirect_uris.clear()).await;
    let rp = relying_party(&app, &service, LOOPBACK).await;
    let tokens = rp
        .exchange_client_credentials()
        .unwrap()
        .add_scope(Scope::new("licenses".into()))
        .request_async(&http())
        .await
        .unwrap();
    assert!(tokens.refresh_token().is_none(), "RFC 6749 §4.4.3");
    let claims = jwt_claims(tokens.access_token().secret());
    assert_eq!(claims["sub"], service.client.client_id.as_str());
    assert_eq!(claims["client_id"], service.client.client_id.as_str());
    let intro = rp.introspect(tokens.access_token()).request_async(&http()).await.unwrap();
    assert!(intro.active());
    assert_eq!(
        userinfo_status(&app, tokens.access_token().secret()).await,
        StatusCode::FORBIDDEN,
        "no user behind it: valid, but not for userinfo (RFC 6750 §3.1 insufficient_scope)"
    );
    let (status, body, _) = post_token(
        &app,
        "/oauth/token",
        Some((&service.client.client_id, secret(&service))),
        &[("grant_type", "client_credentials"), ("scope", "openid")],
    )
    .await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_scope")));

    let desktop = register(&app, ClientKind::Public, false, &[], |_| {}).await;
    let (status, body, _) = post_token(
        &app,
        "/oauth/token",
        None,
        &[("grant_type", "client_credentials"), ("client_id", &desktop.client.client_id)],
    )
    .await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("unauthorized_client")));
}

#[tokio::test]
async fn logging_out_from_the_app_ends_the_session_returns_with_state_and_tells_other_apps() {
    let app = app_allowing_private_networks(true).await;
    active_user(&app, EMAIL).await;
    let browser = signed_in_browser(&app, EMAIL, PASSWORD).await;
    // A second app with a back-channel logout endpoint, listening on loopback.
    let (bc_port, bc_received) = backchannel_listener().await;
    let other = register(&app, ClientKind::Confidential, false, &[], |n| {
        n.backchannel_logout_uri = Some(format!("http://127.0.0.1:{bc_port}/logout"))
    })
    .await;
    let other_tokens = tokens_for(&app, &browser, &other, "openid").await;

    let web = register(&app, ClientKind::Confidential, false, &[], |_| {}).await;
    let tokens = tokens_for(&app, &browser, &web, "openid").await;
    let id_token = tokens["id_token"].as_str().unwrap();

    // An unregistered post-logout address is refused with a page, and nobody is signed out.
    let bad = format!(
        "/oauth/logout?id_token_hint={id_token}&post_logout_redirect_uri={}",
        urlencode("https://evil.example/")
    );
    let (status, html) = super::auth::get(&app, &browser, &bad).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("not registered"), "{html}");

    let logout = format!(
        "/oauth/logout?id_token_hint={id_token}&post_logout_redirect_uri={}&state=bye",
        urlencode("https://app.example/signed-out")
    );
    let res = browser.get(app.at(&logout)).send().await.unwrap();
    assert_eq!(location(&res), "https://app.example/signed-out?state=bye");
    let (_, home) = super::auth::get(&app, &browser, "/account/profile").await;
    assert!(!home.contains(EMAIL), "signed out");

    let token = tokio::time::timeout(Duration::from_secs(10), bc_received).await.unwrap().unwrap();
    let claims = jwt_claims(&token);
    assert_eq!(claims["aud"], other.client.client_id.as_str());
    assert_eq!(claims["sid"], jwt_claims(id_token)["sid"]);
    assert!(claims["events"].get("http://schemas.openid.net/event/backchannel-logout").is_some(), "{claims}");
    assert!(claims.get("nonce").is_none());
    assert_eq!(jwt_header(&token)["typ"], "logout+jwt");
    // Its grant lacked offline_access: the app's access token ended with the session.
    assert_eq!(userinfo_status(&app, other_tokens["access_token"].as_str().unwrap()).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn back_channel_logout_reaches_no_private_address_unless_the_deployment_allows_it() {
    // The default deployment: a private address literal is refused at registration, by field.
    let app = TestApp::start(TestAppOptions { without_job_runner: true, ..Default::default() }).await.unwrap();
    app.clock.set(real_now());
    let (bc_port, mut bc_received) = backchannel_listener().await;
    let mut new = NewClient {
        name: "Keystead Desktop".into(),
        kind: ClientKind::Confidential,
        first_party: false,
        redirect_uris: vec!["https://app.example/cb".into()],
        grant_types: vec![],
        post_logout_redirect_uris: vec![],
        backchannel_logout_uri: Some(format!("http://127.0.0.1:{bc_port}/logout")),
        id_token_alg: None,
        api_scopes: vec![],
        require_pushed_authorization_requests: false,
    };
    let refused = app
        .core
        .create_oauth_client(
            keystead_core::organizations::Actor::Operator,
            new.clone(),
            &keystead_core::audit::RequestMeta::cli(),
        )
        .await
        .unwrap_err();
    let keystead_core::error::Error::Invalid(errors) = refused else { panic!("{refused:?}") };
    assert_eq!(errors.0[0].field, "backchannel_logout_uri");
    assert!(errors.0[0].message.contains("not a public address"), "{errors:?}");

    // A name is checked as it resolves: `localhost` is registered, but nothing is sent to it.
    new.backchannel_logout_uri = Some(format!("http://localhost:{bc_port}/logout"));
    let created = app
        .core
        .create_oauth_client(
            keystead_core::organizations::Actor::Operator,
            new,
            &keystead_core::audit::RequestMeta::cli(),
        )
        .await
        .unwrap();
    active_user(&app, EMAIL).await;
    let browser = signed_in_browser(&app, EMAIL, PASSWORD).await;
    let tokens = tokens_for(&app, &browser, &created, "openid").await;
    let logout = format!("/oauth/logout?id_token_hint={}", tokens["id_token"].as_str().unwrap());
    let (_, html) = super::auth::get(&app, &browser, &logout).await;
    let (_, after) = super::auth::get(&app, &browser, "/account/profile").await;
    assert!(!after.contains(EMAIL), "signed out: {html}");
    let runner = keystead_core::jobs::JobRunner::new(app.core.clone());
    let report = runner.run_due().await.unwrap();
    assert_eq!(report.failed, 1, "the delivery failed: {report:?}");
    assert!(bc_received.try_recv().is_err(), "the loopback listener received nothing");
}

/// A loopback endpoint that receives one back-channel logout POST and yields its token.
async fn backchannel_listener() -> (u16, tokio::sync::oneshot::Receiver<String>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let Ok((mut stream, _)) = listener.accept().await else { return };
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let n = stream.read(&mut chunk).await.unwrap_or(0);
            buf.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&buf).into_owned();
            if let Some(split) = text.find("\r\n\r\n") {
                let len = text[..split]
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse::<usize>().unwrap())
                    })
                    .unwrap_or(0);
                if buf.len() >= split + 4 + len || n == 0 {
                    let body = &text[split + 4..];
                    let token = url::form_urlencoded::parse(body.as_bytes())
                        .find(|(k, _)| k == "logout_token")
                        .map(|(_, v)| v.into_owned())
                        .unwrap_or_default();
                    let _ =
                        stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").await;
                    let _ = tx.send(token);
                    return;
                }
            }
            if n == 0 {
                return;
            }
        }
    });
    (port, rx)
}

#[tokio::test]
async fn connected_apps_lists_what_each_app_sees_and_revoke_ends_its_tokens() {
    let app = app().await;
    active_user(&app, EMAIL).await;
    let browser = signed_in_browser(&app, EMAIL, PASSWORD).await;
    let web = register(&app, ClientKind::Confidential, false, &[], |_| {}).await;
    let tokens = tokens_for(&app, &browser, &web, "openid email offline_access").await;
    let (status, html) = super::auth::get(&app, &browser, "/account/apps").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Connected apps") && html.contains("Keystead Desktop") && html.contains("Your email address"),
        "{html}"
    );
    let res = browser
        .post(app.at("/account/apps/revoke"))
        .form(&[("csrf_token", hidden(&html, "csrf_token")), ("client_id", web.client.client_id.clone())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = super::auth::get(&app, &browser, "/account/apps").await;
    assert!(html.contains("can no longer use your account") && html.contains("No apps are connected"), "{html}");
    // The security log names what happened and to which app.
    let (_, security) = super::auth::get(&app, &browser, "/account/security").await;
    assert!(security.contains("App authorized — Keystead Desktop"), "{security}");
    assert!(security.contains("App access revoked — Keystead Desktop"), "{security}");
    let (_, body, _) = post_token(
        &app,
        "/oauth/token",
        Some((&web.client.client_id, secret(&web))),
        &[("grant_type", "refresh_token"), ("refresh_token", tokens["refresh_token"].as_str().unwrap())],
    )
    .await;
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(userinfo_status(&app, tokens["access_token"].as_str().unwrap()).await, StatusCode::UNAUTHORIZED);
    // Consent is asked again.
    let url = format!(
        "/oauth/authorize?response_type=code&client_id={}&redirect_uri={}&scope=openid",
        web.client.client_id,
        urlencode("https://app.example/cb")
    );
    let (status, html) = super::auth::get(&app, &browser, &url).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Authorize app"));

    // A first-party app never asks, but one that keeps offline access is listed and revocable.
    let first = register(&app, ClientKind::Confidential, true, &[], |n| n.name = "Keystead Console".into()).await;
    let tokens = tokens_for(&app, &browser, &first, "openid offline_access").await;
    let (_, html) = super::auth::get(&app, &browser, "/account/apps").await;
    assert!(html.contains("Keystead Console"), "{html}");
    let res = browser
        .post(app.at("/account/apps/revoke"))
        .form(&[("csrf_token", hidden(&html, "csrf_token")), ("client_id", first.client.client_id.clone())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = super::auth::get(&app, &browser, "/account/apps").await;
    assert!(!html.contains("<strong>Keystead Console") && html.contains("No apps are connected"), "{html}");
    assert_eq!(userinfo_status(&app, tokens["access_token"].as_str().unwrap()).await, StatusCode::UNAUTHORIZED);
}

// ---------------------------------------------------------------------------------------------
// Hostile inputs (RFC 6819, RFC 9700): the RFC's error, nothing issued
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn requests_that_cannot_be_trusted_are_shown_as_a_page_never_redirected() {
    let app = app().await;
    active_user(&app, EMAIL).await;
    let browser = signed_in_browser(&app, EMAIL, PASSWORD).await;
    let web = register(&app, ClientKind::Confidential, false, &[], |_| {}).await;
    let id = web.client.client_id.as_str();
    let long = "x".repeat(5000);
    for (query, expect) in [
        (
            format!(
                "response_type=code&client_id={id}&redirect_uri={}&scope=openid",
                urlencode("https://evil.example/cb")
            ),
            "not registered",
        ),
        (
            format!(
                "response_type=code&client_id={id}&redirect_uri={}&scope=openid",
                urlencode("https://app.example/cb/../x")
            ),
            "not registered",
        ),
        (
            format!(
                "response_type=code&client_id=nobody&redirect_uri={}&scope=openid",
                urlencode("https://app.example/cb")
            ),
            "not registered here",
        ),
        (format!("response_type=code&redirect_uri={}&scope=openid", urlencode("https://app.example/cb")), "client_id"),
        (
            format!(
                "response_type=code&client_id={id}&client_id={id}&redirect_uri={}",
                urlencode("https://app.example/cb")
            ),
            "repeated",
        ),
        (
            format!("response_type=code&client_id={long}&redirect_uri={}", urlencode("https://app.example/cb")),
            "too long",
        ),
        (format!("response_type=code&client_id={id}&scope=openid"), "redirect_uri"),
    ] {
        let res = browser.get(format!("{}?{query}", app.at("/oauth/authorize"))).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{query}");
        let html = res.text().await.unwrap();
        assert!(html.contains("This sign-in request is not valid") && html.contains(expect), "{query}: {html}");
    }
}

#[tokio::test]
async fn bad_authorization_requests_go_back_to_the_app_with_the_rfc_error() {
    let app = app().await;
    active_user(&app, EMAIL).await;
    let browser = signed_in_browser(&app, EMAIL, PASSWORD).await;
    let desktop = register(&app, ClientKind::Public, false, &[], |_| {}).await;
    let id = desktop.client.client_id.as_str();
    let redirect = urlencode("http://127.0.0.1:4545/callback");
    let challenge = PkceCodeChallenge::new_random_sha256().0;
    let good = format!(
        "client_id={id}&redirect_uri={redirect}&state=st&code_challenge={}&code_challenge_method=S256",
        challenge.as_str()
    );
    for (query, error) in [
        (format!("response_type=token&scope=openid&{good}"), "unsupported_response_type"),
        (format!("scope=openid&{good}"), "invalid_request"),
        (format!("response_type=code&scope=openid%20%22admin%22&{good}"), "invalid_scope"),
        (format!("response_type=code&scope=admin&{good}"), "invalid_scope"),
        (format!("response_type=code&scope=openid&client_id={id}&redirect_uri={redirect}&state=st"), "invalid_request"),
        (format!("response_type=code&scope=openid&{}", good.replace("S256", "plain")), "invalid_request"),
        (format!("response_type=code&scope=openid&scope=email&{good}"), "invalid_request"),
        (format!("response_type=code&scope=openid&nonce={}&{good}", "n".repeat(3000)), "invalid_request"),
        (format!("response_type=code&scope=openid&prompt=none%20login&{good}"), "invalid_request"),
    ] {
        let res = browser.get(format!("{}?{query}", app.at("/oauth/authorize"))).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FOUND, "{query}");
        let back = location(&res);
        assert!(back.starts_with("http://127.0.0.1:4545/callback?"), "{back}");
        assert_eq!(query_param(&back, "error").as_deref(), Some(error), "{query} → {back}");
        assert_eq!(query_param(&back, "state").as_deref(), Some("st"));
        assert!(query_param(&back, "code").is_none());
    }
}

/// One confidential client with a signed-in user, and a second client.
struct Setup {
    app: TestApp,
    browser: Client,
    web: CreatedClient,
    other: CreatedClient,
}

async fn setup() -> Setup {
    let app = app().await;
    active_user(&app, EMAIL).await;
    let browser = signed_in_browser(&app, EMAIL, PASSWORD).await;
    let web = register(&app, ClientKind::Confidential, false, &[], |_| {}).await;
    let other = register(&app, ClientKind::Confidential, false, &[], |_| {}).await;
    Setup { app, browser, web, other }
}

impl Setup {
    fn me(&self) -> Option<(&str, &str)> {
        Some((self.web.client.client_id.as_str(), secret(&self.web)))
    }

    /// Exchanges a code as `creds` with `fields` after `grant_type=authorization_code`.
    async fn exchange(&self, creds: Option<(&str, &str)>, fields: &[(&str, &str)]) -> (StatusCode, Value) {
        let mut form = vec![("grant_type", "authorization_code")];
        form.extend_from_slice(fields);
        let (status, body, _) = post_token(&self.app, "/oauth/token", creds, &form).await;
        (status, body)
    }
}

#[tokio::test]
async fn client_authentication_failures_are_invalid_client_with_a_challenge() {
    let s = setup().await;
    let (app, web) = (&s.app, &s.web);
    // Wrong secret, unknown client, no authentication: 401 invalid_client with a challenge.
    for basic in [Some((web.client.client_id.as_str(), "wrong")), Some(("nobody", "x")), None] {
        let (status, body, www) =
            post_token(app, "/oauth/token", basic, &[("grant_type", "authorization_code"), ("code", "x")]).await;
        assert_eq!((status, body["error"].as_str()), (StatusCode::UNAUTHORIZED, Some("invalid_client")), "{basic:?}");
        assert!(www.is_some_and(|w| w.starts_with("Basic")));
        assert!(body.get("access_token").is_none());
    }
    // Both Basic and a body secret: invalid_request.
    let (status, body) = s.exchange(s.me(), &[("client_secret", secret(web))]).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_request")));
    // client_secret_post works.
    let (code, verifier, redirect) = code_for(app, &s.browser, web, "openid").await;
    let fields = [("code", code.as_str()), ("code_verifier", verifier.as_str()), ("redirect_uri", redirect.as_str())];
    let mut with_post = fields.to_vec();
    with_post.extend([("client_id", web.client.client_id.as_str()), ("client_secret", secret(web))]);
    let (status, body) = s.exchange(None, &with_post).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let first_access = body["access_token"].as_str().unwrap().to_owned();
    // A replayed code: invalid_grant, and the tokens it produced are revoked.
    let (status, body) = s.exchange(s.me(), &fields).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_grant")));
    assert_eq!(userinfo_status(app, &first_access).await, StatusCode::UNAUTHORIZED);
}

/// Ways to misuse a fresh code.
#[derive(Debug, Clone, Copy)]
enum Misuse {
    MissingVerifier,
    WrongVerifier,
    MismatchedRedirect,
    AnotherClient,
    OversizedParameter,
    RepeatedParameter,
}

#[tokio::test]
async fn misused_codes_are_refused_with_the_rfc_error_and_issue_nothing() {
    let s = setup().await;
    let wrong_verifier = "a".repeat(43);
    let long = "r".repeat(4000);
    for misuse in [
        Misuse::MissingVerifier,
        Misuse::WrongVerifier,
        Misuse::MismatchedRedirect,
        Misuse::AnotherClient,
        Misuse::OversizedParameter,
        Misuse::RepeatedParameter,
    ] {
        let (code, verifier, redirect) = code_for(&s.app, &s.browser, &s.web, "openid").await;
        let (c, v, r) = (code.as_str(), verifier.as_str(), redirect.as_str());
        let mut creds = s.me();
        let (fields, error): (Vec<(&str, &str)>, &str) = match misuse {
            Misuse::MissingVerifier => (vec![("code", c), ("redirect_uri", r)], "invalid_grant"),
            Misuse::WrongVerifier => {
                (vec![("code", c), ("redirect_uri", r), ("code_verifier", &wrong_verifier)], "invalid_grant")
            }
            Misuse::MismatchedRedirect => (
                vec![("code", c), ("redirect_uri", "http://127.0.0.1/callback"), ("code_verifier", v)],
                "invalid_grant",
            ),
            Misuse::AnotherClient => {
                creds = Some((s.other.client.client_id.as_str(), secret(&s.other)));
                (vec![("code", c), ("redirect_uri", r), ("code_verifier", v)], "invalid_grant")
            }
            Misuse::OversizedParameter => {
                (vec![("code", c), ("redirect_uri", &long), ("code_verifier", v)], "invalid_request")
            }
            Misuse::RepeatedParameter => {
                (vec![("code", c), ("code", c), ("redirect_uri", r), ("code_verifier", v)], "invalid_request")
            }
        };
        let (status, body) = s.exchange(creds, &fields).await;
        assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some(error)), "{misuse:?}: {body}");
        assert!(body.get("access_token").is_none(), "{misuse:?}");
    }
    // An expired code (60 s).
    let (code, verifier, redirect) = code_for(&s.app, &s.browser, &s.web, "openid").await;
    s.app.clock.advance(time::Duration::seconds(61));
    let (_, body) =
        s.exchange(s.me(), &[("code", &code), ("code_verifier", &verifier), ("redirect_uri", &redirect)]).await;
    assert_eq!(body["error"], "invalid_grant");
}

#[tokio::test]
async fn unsupported_grants_and_bodies_that_are_not_forms_are_refused() {
    let s = setup().await;
    for grant in ["password", "implicit", "urn:x", ""] {
        let (_, body, _) = post_token(&s.app, "/oauth/token", s.me(), &[("grant_type", grant)]).await;
        let expected = if grant.is_empty() { "invalid_request" } else { "unsupported_grant_type" };
        assert_eq!(body["error"], expected, "{grant}");
    }
    let res = Client::new()
        .post(s.app.at("/oauth/token"))
        .basic_auth(&s.web.client.client_id, Some(secret(&s.web)))
        .json(&serde_json::json!({"grant_type": "authorization_code"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "invalid_request");
}

#[tokio::test]
async fn expired_and_revoked_refresh_tokens_are_invalid_grants() {
    let app = app().await;
    active_user(&app, EMAIL).await;
    let browser = signed_in_browser(&app, EMAIL, PASSWORD).await;
    let web = register(&app, ClientKind::Confidential, false, &[], |_| {}).await;
    let me = Some((web.client.client_id.as_str(), secret(&web)));
    let exchange = |code: String, verifier: String, redirect: String| {
        let app = &app;
        async move {
            let (status, body, _) = post_token(
                app,
                "/oauth/token",
                me,
                &[
                    ("grant_type", "authorization_code"),
                    ("code", &code),
                    ("code_verifier", &verifier),
                    ("redirect_uri", &redirect),
                ],
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            body["refresh_token"].as_str().unwrap().to_owned()
        }
    };
    let (c, v, r) = code_for(&app, &browser, &web, "openid offline_access").await;
    let revoked = exchange(c, v, r).await;
    let (status, _, _) =
        post_token(&app, "/oauth/revoke", me, &[("token", &revoked), ("token_type_hint", "refresh_token")]).await;
    assert_eq!(status, StatusCode::OK);
    let (_, body, _) =
        post_token(&app, "/oauth/token", me, &[("grant_type", "refresh_token"), ("refresh_token", &revoked)]).await;
    assert_eq!(body["error"], "invalid_grant");

    let (c, v, r) = code_for(&app, &browser, &web, "openid offline_access").await;
    let expiring = exchange(c, v, r).await;
    let (_, body, _) = post_token(
        &app,
        "/oauth/token",
        me,
        &[("grant_type", "refresh_token"), ("refresh_token", &expiring), ("scope", "openid email")],
    )
    .await;
    assert_eq!(body["error"], "invalid_scope", "more scope than granted");
    app.clock.advance(time::Duration::days(31));
    let (_, body, _) =
        post_token(&app, "/oauth/token", me, &[("grant_type", "refresh_token"), ("refresh_token", &expiring)]).await;
    assert_eq!(body["error"], "invalid_grant");
    let (_, body, _) =
        post_token(&app, "/oauth/token", me, &[("grant_type", "refresh_token"), ("refresh_token", "made-up")]).await;
    assert_eq!(body["error"], "invalid_grant");
}

#[tokio::test]
async fn rotated_keys_are_published_before_they_sign_and_kept_until_their_tokens_expire() {
    let app = app().await;
    let before: Vec<String> = kids(&app, "ES256").await;
    assert_eq!(before.len(), 1);
    let created = app.core.rotate_signing_keys(true).await.unwrap();
    assert_eq!(created.len(), 3);
    let both = kids(&app, "ES256").await;
    assert_eq!(both.len(), 2, "the next key is published at once");
    let service =
        register(&app, ClientKind::Confidential, false, &["client_credentials"], |n| n.redirect_uris.clear()).await;
    let issue = || async {
        let (_, body, _) = post_token(
            &app,
            "/oauth/token",
            Some((&service.client.client_id, secret(&service))),
            &[("grant_type", "client_credentials")],
        )
        .await;
        jwt_header(body["access_token"].as_str().unwrap())["kid"].as_str().unwrap().to_owned()
    };
    assert_eq!(issue().await, before[0], "the old key signs until the new one's time");
    app.clock.advance(time::Duration::hours(25));
    let new_kid = issue().await;
    assert_ne!(new_kid, before[0]);
    assert!(both.contains(&new_kid));
    assert_eq!(kids(&app, "ES256").await.len(), 2, "the old key stays while its tokens may live");
    app.clock.advance(time::Duration::hours(2));
    app.core.rotate_signing_keys(false).await.unwrap();
    assert_eq!(kids(&app, "ES256").await, vec![new_kid], "then it leaves the JWKS");
}

async fn kids(app: &TestApp, alg: &str) -> Vec<String> {
    let jwks: Value = Client::new().get(app.at("/.well-known/jwks.json")).send().await.unwrap().json().await.unwrap();
    jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["alg"] == alg)
        .map(|k| k["kid"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_userinfo_endpoint_challenges_missing_and_bad_tokens() {
    let app = app().await;
    let res = Client::new().get(app.at("/oauth/userinfo")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(res.headers()["www-authenticate"].to_str().unwrap().starts_with("Bearer"));
    let res = Client::new().get(app.at("/oauth/userinfo")).bearer_auth("a.b.c").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(res.headers()["www-authenticate"].to_str().unwrap().contains("error=\"invalid_token\""));
}

#[tokio::test]
async fn the_organization_scope_describes_the_active_organization_and_follows_a_switch() {
    use keystead_core::audit::RequestMeta;
    use keystead_core::organizations::{Actor, NewOrganization};
    let app = app().await;
    let user = active_user(&app, EMAIL).await;
    let meta = RequestMeta::cli();
    let new = |name| NewOrganization { name, slug: None, owner: None };
    let acme = app.core.create_organization(Actor::Operator, new("Acme"), &meta).await.unwrap().id;
    let zeta = app.core.create_organization(Actor::Operator, new("Zeta"), &meta).await.unwrap().id;
    app.core.add_organization_member(Actor::Operator, acme, user, "owner", &meta).await.unwrap();
    app.core.add_organization_member(Actor::Operator, zeta, user, "billing_admin", &meta).await.unwrap();
    let browser = signed_in_browser(&app, EMAIL, PASSWORD).await;
    let web = register(&app, ClientKind::Confidential, true, &[], |_| {}).await;
    let id_token_for = |scope: &'static str| tokens_for(&app, &browser, &web, scope);

    // No organization chosen yet: the first by name is the active one, as on the pages.
    let tokens = id_token_for("openid organization").await;
    let claims = jwt_claims(tokens["id_token"].as_str().unwrap());
    assert_eq!(claims["org_id"], acme.to_string(), "{claims}");
    assert_eq!((claims["org_name"].as_str(), &claims["org_roles"]), (Some("Acme"), &serde_json::json!(["owner"])));
    assert_eq!(claims["groups"], serde_json::json!([]));

    // "Log in" to Zeta in My Account: the next token describes Zeta, and so does userinfo.
    let res = browser
        .post(app.at("/account/organizations/switch"))
        .form(&[("csrf_token", csrf_of(&app, &browser).await), ("organization", zeta.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let tokens = id_token_for("openid organization").await;
    let claims = jwt_claims(tokens["id_token"].as_str().unwrap());
    assert_eq!(claims["org_name"], "Zeta", "{claims}");
    assert_eq!(claims["org_roles"], serde_json::json!(["billing_admin"]));
    let access = tokens["access_token"].as_str().unwrap();
    let info: Value =
        Client::new().get(app.at("/oauth/userinfo")).bearer_auth(access).send().await.unwrap().json().await.unwrap();
    assert_eq!(info["org_name"], "Zeta", "{info}");

    // Without the scope, nothing about organizations is said.
    let tokens = id_token_for("openid").await;
    let claims = jwt_claims(tokens["id_token"].as_str().unwrap());
    assert!(claims.get("org_id").is_none() && claims.get("org_roles").is_none(), "{claims}");

    // "Your data" lists the memberships and the authorised application.
    let data: Value = browser.get(app.at("/account/data/download")).send().await.unwrap().json().await.unwrap();
    let orgs: Vec<&str> = data["organizations"].as_array().unwrap().iter().filter_map(|o| o["name"].as_str()).collect();
    assert_eq!(orgs, ["Acme", "Zeta"], "{data}");
    // A first-party app needs no consent, so it is not among the authorised apps.
    assert_eq!(data["connected_apps"], serde_json::json!([]), "{data}");
}

/// The CSRF token of a signed-in browser's forms (from My Account).
async fn csrf_of(app: &TestApp, browser: &Client) -> String {
    let html = browser.get(app.at("/account/organizations")).send().await.unwrap().text().await.unwrap();
    hidden(&html, "csrf_token")
}

#[tokio::test]
async fn disabling_or_closing_the_account_ends_the_apps_tokens_and_the_purge_leaves_no_membership() {
    use keystead_core::audit::RequestMeta;
    use keystead_core::organizations::{Actor, NewOrganization};
    let app = app().await;
    let user = active_user(&app, EMAIL).await;
    let meta = RequestMeta::cli();
    let new = NewOrganization { name: "Acme", slug: None, owner: None };
    let acme = app.core.create_organization(Actor::Operator, new, &meta).await.unwrap().id;
    app.core.add_organization_member(Actor::Operator, acme, user, "member", &meta).await.unwrap();
    let web = register(&app, ClientKind::Confidential, false, &[], |_| {}).await;
    let signed_in_with_tokens = |browser: Client| {
        let (app, web) = (&app, &web);
        async move {
            let tokens = tokens_for(app, &browser, web, "openid offline_access").await;
            (browser, tokens)
        }
    };
    let refresh = |tokens: &Value| {
        let token = tokens["refresh_token"].as_str().unwrap().to_owned();
        let (app, web) = (&app, &web);
        async move {
            let form = [("grant_type", "refresh_token"), ("refresh_token", token.as_str())];
            post_token(app, "/oauth/token", Some((&web.client.client_id, secret(web))), &form).await
        }
    };

    // An operator disables the account: the app's tokens end with the sessions.
    let (_, tokens) = signed_in_with_tokens(signed_in_browser(&app, EMAIL, PASSWORD).await).await;
    let id = app.core.user_by_email(EMAIL).await.unwrap().id;
    app.core.disable_user(keystead_core::organizations::Actor::Operator, id, &meta).await.unwrap();
    app.core.enable_user(keystead_core::organizations::Actor::Operator, id, &meta).await.unwrap();
    let (status, body, _) = refresh(&tokens).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_grant")));
    assert_eq!(userinfo_status(&app, tokens["access_token"].as_str().unwrap()).await, StatusCode::UNAUTHORIZED);

    // The owner closes the account: tokens end and the app is no longer authorised.
    let (browser, tokens) = signed_in_with_tokens(signed_in_browser(&app, EMAIL, PASSWORD).await).await;
    let html = browser.get(app.at("/account/close")).send().await.unwrap().text().await.unwrap();
    let res = browser
        .post(app.at("/account/close"))
        .form(&[("csrf_token", hidden(&html, "csrf_token").as_str()), ("accept", "on"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, body, _) = refresh(&tokens).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_grant")));

    // After the grace period the purge removes the membership too.
    app.clock.advance(time::Duration::days(31));
    app.core.purge_closed_accounts().await.unwrap();
    let members = app.core.organization_members(Actor::Operator, acme, "", 0).await.unwrap();
    assert!(members.members.is_empty(), "{:?}", members.members);
}

#[tokio::test]
async fn signing_out_other_sessions_from_my_account_tells_the_apps_signed_in_through_them() {
    let app = app_allowing_private_networks(true).await;
    active_user(&app, EMAIL).await;
    let laptop = signed_in_browser(&app, EMAIL, PASSWORD).await;
    let (bc_port, bc_received) = backchannel_listener().await;
    let other = register(&app, ClientKind::Confidential, false, &[], |n| {
        n.backchannel_logout_uri = Some(format!("http://127.0.0.1:{bc_port}/logout"))
    })
    .await;
    let tokens = tokens_for(&app, &laptop, &other, "openid").await;

    // From another browser, My Account → Security → "Sign out all other sessions".
    let phone = signed_in_browser(&app, EMAIL, PASSWORD).await;
    let html = phone.get(app.at("/account/security")).send().await.unwrap().text().await.unwrap();
    let res = phone
        .post(app.at("/account/sessions/revoke-others"))
        .form(&[("csrf_token", hidden(&html, "csrf_token"))])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let token = tokio::time::timeout(Duration::from_secs(10), bc_received).await.unwrap().unwrap();
    let claims = jwt_claims(&token);
    assert_eq!(claims["aud"], other.client.client_id.as_str());
    assert_eq!(claims["sid"], jwt_claims(tokens["id_token"].as_str().unwrap())["sid"]);
    assert_eq!(userinfo_status(&app, tokens["access_token"].as_str().unwrap()).await, StatusCode::UNAUTHORIZED);
}
