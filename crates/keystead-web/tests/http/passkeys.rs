//! Passkeys over HTTP with a software authenticator (webauthn-authenticator-rs `SoftPasskey`)
//! playing the browser: registration, second factor, passwordless sign-in, and answers for
//! another challenge, origin or user, a removed passkey and unreadable answers.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use keystead_core::ids::UserId;
use keystead_testkit::TestApp;
use reqwest::{Client, StatusCode};
use webauthn_authenticator_rs::prelude::{
    CreationChallengeResponse, RequestChallengeResponse, Url, WebauthnAuthenticator,
};
use webauthn_authenticator_rs::softpasskey::SoftPasskey;

use super::auth::{PASSWORD, active_user, get, location, post_form};
use super::mfa::{app_with, input_value, password_step};

/// The server addressed as `http://localhost:PORT`: WebAuthn needs a domain as RP id.
pub(crate) async fn localhost_app() -> TestApp {
    app_with(|c| {
        c.public_url.set_host(Some("localhost")).unwrap();
    })
    .await
}

fn unescape(s: &str) -> String {
    [("&#34;", "\""), ("&quot;", "\""), ("&#39;", "'"), ("&#60;", "<"), ("&#62;", ">"), ("&#38;", "&"), ("&amp;", "&")]
        .into_iter()
        .fold(s.to_owned(), |s, (entity, c)| s.replace(entity, c))
}

/// (ceremony id, options JSON) of a passkey page.
fn ceremony(html: &str) -> (String, serde_json::Value) {
    let at =
        html.find("data-options=\"").unwrap_or_else(|| panic!("no passkey form: {html}")) + "data-options=\"".len();
    let raw = &html[at..at + html[at..].find('"').unwrap()];
    (input_value(html, "ceremony").unwrap(), serde_json::from_str(&unescape(raw)).unwrap())
}

fn origin(app: &TestApp) -> Url {
    Url::parse(&app.url.origin().ascii_serialization()).unwrap()
}

/// The key's answer to a registration. The server asks for a discoverable credential;
/// `SoftPasskey` cannot store one, so the requirement is dropped here and [`assert_with`] plays
/// the discoverable part (choosing the credential, returning the user handle).
fn register(key: &mut SoftPasskey, origin: Url, mut options: serde_json::Value) -> String {
    let selection = &mut options["publicKey"]["authenticatorSelection"];
    assert_eq!(selection["residentKey"], "required", "{selection}");
    selection["residentKey"] = serde_json::json!("discouraged");
    selection["requireResidentKey"] = serde_json::json!(false);
    let options: CreationChallengeResponse = serde_json::from_value(options).unwrap();
    serde_json::to_string(&key.do_registration(origin, options).unwrap()).unwrap()
}

/// The key's answer; for a discoverable request (no allowed credentials), the browser's choice
/// of `credential` and the user handle it stored are filled in as an authenticator would.
fn assert_with(
    key: &mut SoftPasskey,
    origin: Url,
    mut options: serde_json::Value,
    credential: &str,
    handle: Option<UserId>,
) -> String {
    if options["publicKey"]["allowCredentials"].as_array().is_none_or(Vec::is_empty) {
        options["publicKey"]["allowCredentials"] = serde_json::json!([{"type": "public-key", "id": credential}]);
    }
    let options: RequestChallengeResponse = serde_json::from_value(options).unwrap();
    let mut answer = serde_json::to_value(key.do_authentication(origin, options).unwrap()).unwrap();
    if let Some(user) = handle {
        answer["response"]["userHandle"] = serde_json::json!(URL_SAFE_NO_PAD.encode(user.0.as_bytes()));
    }
    answer.to_string()
}

async fn password_only(app: &TestApp, email: &str) -> Client {
    let client = app.client();
    let res = post_form(app, &client, "/sign-in/password", &[("email", email), ("password", PASSWORD)]).await;
    assert_eq!(location(&res), "/landing");
    client
}

/// Registers a passkey named `name` from a session signed in with the password; returns its
/// credential id (base64url).
async fn add_passkey(app: &TestApp, client: &Client, key: &mut SoftPasskey, name: &str) -> (String, reqwest::Response) {
    let res = post_form(app, client, "/account/two-factor/passkeys/new", &[("name", name)]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let (id, options) = ceremony(&res.text().await.unwrap());
    let answer = register(key, origin(app), options);
    let credential = serde_json::from_str::<serde_json::Value>(&answer).unwrap()["id"].as_str().unwrap().to_owned();
    let res =
        post_form(app, client, "/account/two-factor/passkeys/finish", &[("ceremony", &id), ("credential", &answer)])
            .await;
    (credential, res)
}

async fn signed_in(app: &TestApp, client: &Client) -> bool {
    get(app, client, "/").await.1.contains("You are signed in as")
}

async fn start_second_step(app: &TestApp, client: &Client) -> (String, serde_json::Value) {
    let res = post_form(app, client, "/sign-in/second-factor/passkey", &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    ceremony(&res.text().await.unwrap())
}

async fn start_passwordless(app: &TestApp, client: &Client) -> (String, serde_json::Value) {
    let res = post_form(app, client, "/sign-in/passkey", &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    ceremony(&res.text().await.unwrap())
}

#[tokio::test]
async fn a_registered_passkey_is_a_second_factor_and_signs_in_without_a_password() {
    let app = localhost_app().await;
    let id = active_user(&app, "pk@example.com").await;
    let client = password_only(&app, "pk@example.com").await;
    let (_, page) = get(&app, &app.client(), "/sign-in").await;
    assert!(page.contains("Sign in with a passkey"), "{page}");
    let mut key = SoftPasskey::new(true);
    let (credential, res) = add_passkey(&app, &client, &mut key, "Work laptop").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("Two-factor authentication is on"));
    assert!(!signed_in(&app, &client).await, "the first factor ends every session");
    let status = app.core.mfa_status(id).await.unwrap();
    assert_eq!(status.passkeys.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["Work laptop"]);

    // As the second step after the password.
    let client = password_step(&app, "pk@example.com").await;
    let (ceremony_id, options) = start_second_step(&app, &client).await;
    assert_eq!(options["publicKey"]["allowCredentials"][0]["id"], credential.as_str());
    let answer = assert_with(&mut key, origin(&app), options, &credential, None);
    let res = post_form(
        &app,
        &client,
        "/sign-in/second-factor/passkey/finish",
        &[("ceremony", &ceremony_id), ("credential", &answer)],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/landing");
    assert!(signed_in(&app, &client).await);
    let session = app.core.sessions_of(id).await.unwrap().remove(0);
    assert_eq!(session.amr[0], "pwd");
    assert!(
        session.amr.iter().any(|a| a == "hwk" || a == "swk") && session.amr.contains(&"mfa".to_owned()),
        "{:?}",
        session.amr
    );

    // Without a password.
    let fresh = app.client();
    let (ceremony_id, options) = start_passwordless(&app, &fresh).await;
    let answer = assert_with(&mut key, origin(&app), options, &credential, Some(id));
    let res =
        post_form(&app, &fresh, "/sign-in/passkey/finish", &[("ceremony", &ceremony_id), ("credential", &answer)])
            .await;
    assert_eq!(location(&res), "/landing");
    assert!(signed_in(&app, &fresh).await);
    let sessions = app.core.sessions_of(id).await.unwrap();
    let passwordless = |s: &&keystead_core::sessions::SessionInfo| !s.amr.iter().any(|a| a == "pwd");
    let newest = sessions.iter().find(passwordless).unwrap();
    assert!(newest.amr.iter().any(|a| a == "mfa"), "{:?}", newest.amr);
    assert!(app.core.mfa_status(id).await.unwrap().passkeys[0].last_used_at.is_some());
}

#[tokio::test]
async fn passkey_answers_for_another_challenge_origin_or_user_are_refused() {
    let app = localhost_app().await;
    let ada = active_user(&app, "ada@example.com").await;
    let eve = active_user(&app, "eve@example.com").await;
    let mut ada_key = SoftPasskey::new(true);
    let mut eve_key = SoftPasskey::new(true);
    let (ada_cred, _) =
        add_passkey(&app, &password_only(&app, "ada@example.com").await, &mut ada_key, "Ada's key").await;
    let (eve_cred, _) =
        add_passkey(&app, &password_only(&app, "eve@example.com").await, &mut eve_key, "Eve's key").await;

    let client = password_step(&app, "ada@example.com").await;
    // An answer to one challenge posted with another ceremony.
    let (_, first) = start_second_step(&app, &client).await;
    let (second_id, _) = start_second_step(&app, &client).await;
    let answer = assert_with(&mut ada_key, origin(&app), first, &ada_cred, None);
    let res = post_form(
        &app,
        &client,
        "/sign-in/second-factor/passkey/finish",
        &[("ceremony", &second_id), ("credential", &answer)],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("belongs to another passkey request"));

    // An answer made on another origin (the same host on another port is another origin).
    let (id, options) = start_second_step(&app, &client).await;
    let evil = Url::parse(&format!("http://localhost:{}", app.addr.port() ^ 1)).unwrap();
    let answer = assert_with(&mut ada_key, evil, options, &ada_cred, None);
    let res = post_form(
        &app,
        &client,
        "/sign-in/second-factor/passkey/finish",
        &[("ceremony", &id), ("credential", &answer)],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("made for another website"));

    // Eve's passkey for Ada's second step.
    let (id, mut options) = start_second_step(&app, &client).await;
    options["publicKey"]["allowCredentials"] = serde_json::json!([{"type": "public-key", "id": eve_cred}]);
    let answer = assert_with(&mut eve_key, origin(&app), options, &eve_cred, None);
    let res = post_form(
        &app,
        &client,
        "/sign-in/second-factor/passkey/finish",
        &[("ceremony", &id), ("credential", &answer)],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("not registered to your account"));

    // Eve's passkey claiming to be Ada's account, without a password.
    let fresh = app.client();
    let (id, options) = start_passwordless(&app, &fresh).await;
    let answer = assert_with(&mut eve_key, origin(&app), options, &eve_cred, Some(ada));
    let res = post_form(&app, &fresh, "/sign-in/passkey/finish", &[("ceremony", &id), ("credential", &answer)]).await;
    assert_eq!(location(&res), "/sign-in");
    let (_, page) = get(&app, &fresh, "/sign-in").await;
    assert!(page.contains("does not belong to the account"), "{page}");

    // Malformed ceremony ids and answers.
    let unknown = uuid::Uuid::now_v7().to_string();
    for (ceremony_id, credential, message) in
        [("not-a-uuid", "{}", "not valid"), (unknown.as_str(), "{}", "expired or was used")]
    {
        let res = post_form(
            &app,
            &client,
            "/sign-in/second-factor/passkey/finish",
            &[("ceremony", ceremony_id), ("credential", credential)],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().await.unwrap().contains(message), "{message}");
    }
    let (id, _) = start_second_step(&app, &client).await;
    let res = post_form(
        &app,
        &client,
        "/sign-in/second-factor/passkey/finish",
        &[("ceremony", &id), ("credential", "garbage")],
    )
    .await;
    assert!(res.text().await.unwrap().contains("could not be read"));

    assert!(!signed_in(&app, &client).await && !signed_in(&app, &fresh).await);
    assert!(app.core.sessions_of(ada).await.unwrap().iter().all(|s| s.amr == ["pwd"]));
    assert!(app.core.sessions_of(eve).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_removed_passkey_no_longer_signs_in() {
    let app = localhost_app().await;
    let id = active_user(&app, "rm@example.com").await;
    let mut key = SoftPasskey::new(true);
    let (credential, _) = add_passkey(&app, &password_only(&app, "rm@example.com").await, &mut key, "Old phone").await;
    // Signed in with the passkey (a fresh sign-in), it can be removed at once.
    let client = app.client();
    let (ceremony_id, options) = start_passwordless(&app, &client).await;
    let answer = assert_with(&mut key, origin(&app), options, &credential, Some(id));
    post_form(&app, &client, "/sign-in/passkey/finish", &[("ceremony", &ceremony_id), ("credential", &answer)]).await;
    let passkey = app.core.mfa_status(id).await.unwrap().passkeys[0].id.to_string();
    let res = post_form(&app, &client, "/account/two-factor/passkeys/remove", &[("passkey", &passkey)]).await;
    assert_eq!(location(&res), "/account/two-factor");
    assert!(app.core.mfa_status(id).await.unwrap().passkeys.is_empty());

    let fresh = app.client();
    let (ceremony_id, options) = start_passwordless(&app, &fresh).await;
    let answer = assert_with(&mut key, origin(&app), options, &credential, Some(id));
    let res =
        post_form(&app, &fresh, "/sign-in/passkey/finish", &[("ceremony", &ceremony_id), ("credential", &answer)])
            .await;
    assert_eq!(location(&res), "/sign-in");
    let (_, page) = get(&app, &fresh, "/sign-in").await;
    assert!(page.contains("not registered to your account, or it was removed"), "{page}");
    assert!(!signed_in(&app, &fresh).await);
}

#[tokio::test]
async fn a_server_addressed_by_ip_offers_no_passkeys() {
    let app = TestApp::new().await;
    active_user(&app, "ip@example.com").await;
    let client = password_only(&app, "ip@example.com").await;
    let (_, page) = get(&app, &client, "/account/two-factor").await;
    // The user reads that passkeys are not available, never what the operator should do (that
    // goes to the log).
    assert!(page.contains("Passkeys are not available on this site."), "{page}");
    assert!(!page.contains("domain name"), "{page}");
    let res = post_form(&app, &client, "/account/two-factor/passkeys/new", &[("name", "Laptop")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("Passkeys are not available on this site.") && !page.contains("public_url"), "{page}");
    let (_, page) = get(&app, &app.client(), "/sign-in").await;
    assert!(!page.contains("Sign in with a passkey"));
}
