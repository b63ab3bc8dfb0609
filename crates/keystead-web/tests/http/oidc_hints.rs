//! The authorization request's hints about who should be signed in and how recently (OpenID
//! Connect Core §3.1.2.1): `prompt=none` with an `id_token_hint` of someone else than the signed-in
//! user is `login_required`, never a code for whoever is signed in; `max_age=0` right after a
//! sign-in still asks to sign in again (the errata: it is `prompt=login`). And how userinfo takes
//! its token (RFC 6750 §2.2 form body) and refuses a valid one that is not for it (403).

use keystead_core::oauth::ClientKind;
use keystead_testkit::TestApp;

use super::auth::{PASSWORD, active_user, location, signed_in_browser};
use super::oauth::{app, query_param, register, tokens_for, urlencode};

const ADA: &str = "ada@example.com";
const BOB: &str = "bob@example.com";

fn authorize(app: &TestApp, client_id: &str, extra: &str) -> String {
    format!(
        "{}?response_type=code&client_id={client_id}&redirect_uri={}&scope=openid&state=s{extra}",
        app.at("/oauth/authorize"),
        urlencode("https://app.example/cb")
    )
}

#[tokio::test]
async fn prompt_none_with_another_users_id_token_hint_is_login_required() {
    let app = app().await;
    active_user(&app, ADA).await;
    active_user(&app, BOB).await;
    let web = register(&app, ClientKind::Confidential, true, &[], |_| {}).await;
    let ada = signed_in_browser(&app, ADA, PASSWORD).await;
    let ada_id_token = tokens_for(&app, &ada, &web, "openid").await["id_token"].as_str().unwrap().to_owned();
    let hint = format!("&prompt=none&id_token_hint={}", urlencode(&ada_id_token));
    let id = &web.client.client_id;

    let bob = signed_in_browser(&app, BOB, PASSWORD).await;
    let back = location(&bob.get(authorize(&app, id, &hint)).send().await.unwrap());
    assert_eq!(query_param(&back, "error").as_deref(), Some("login_required"), "{back}");
    assert!(query_param(&back, "code").is_none());

    let back = location(&ada.get(authorize(&app, id, &hint)).send().await.unwrap());
    assert!(query_param(&back, "code").is_some(), "the hinted user gets a code: {back}");

    // An expired hint still names the user (it grants nothing); a forged one is refused.
    app.clock.advance(time::Duration::days(2));
    let back = location(&bob.get(authorize(&app, id, &hint)).send().await.unwrap());
    assert_eq!(query_param(&back, "error").as_deref(), Some("login_required"), "{back}");
    let forged = format!("&prompt=none&id_token_hint={}", urlencode(&format!("{ada_id_token}x")));
    let back = location(&ada.get(authorize(&app, id, &forged)).send().await.unwrap());
    assert_eq!(query_param(&back, "error").as_deref(), Some("invalid_request"), "{back}");
}

#[tokio::test]
async fn max_age_zero_right_after_signing_in_asks_to_sign_in_again() {
    let app = app().await;
    active_user(&app, ADA).await;
    let web = register(&app, ClientKind::Confidential, true, &[], |_| {}).await;
    let ada = signed_in_browser(&app, ADA, PASSWORD).await;
    let res = ada.get(authorize(&app, &web.client.client_id, "&max_age=0")).send().await.unwrap();
    let to = location(&res);
    assert!(to.contains("reauthenticate=1"), "max_age=0 is prompt=login: {to}");
    let res = ada.get(authorize(&app, &web.client.client_id, "&max_age=0&prompt=none")).send().await.unwrap();
    assert_eq!(query_param(&location(&res), "error").as_deref(), Some("login_required"));
    let res = ada.get(authorize(&app, &web.client.client_id, "&max_age=60")).send().await.unwrap();
    assert!(query_param(&location(&res), "code").is_some(), "a recent enough sign-in counts");
}

#[tokio::test]
async fn userinfo_takes_the_token_in_a_form_body_and_refuses_one_without_openid_as_insufficient_scope() {
    let app = app().await;
    active_user(&app, ADA).await;
    let web = register(&app, ClientKind::Confidential, true, &[], |_| {}).await;
    let ada = signed_in_browser(&app, ADA, PASSWORD).await;
    let token = tokens_for(&app, &ada, &web, "openid email").await["access_token"].as_str().unwrap().to_owned();
    let http = reqwest::Client::new();
    let res = http.post(app.at("/oauth/userinfo")).form(&[("access_token", token.as_str())]).send().await.unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::OK, "RFC 6750 §2.2");
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["email"], ADA);
    let both = http.post(app.at("/oauth/userinfo")).bearer_auth(&token).form(&[("access_token", token.as_str())]);
    let res = both.send().await.unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::BAD_REQUEST, "never both ways");

    let no_openid = tokens_for(&app, &ada, &web, "email").await["access_token"].as_str().unwrap().to_owned();
    let res = http.get(app.at("/oauth/userinfo")).bearer_auth(&no_openid).send().await.unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::FORBIDDEN);
    assert!(res.headers()["www-authenticate"].to_str().unwrap().contains("error=\"insufficient_scope\""));
}

#[tokio::test]
async fn the_mark_of_a_fresh_sign_in_cannot_be_forged_nor_reused_elsewhere_or_later() {
    let app = app().await;
    active_user(&app, ADA).await;
    let web = register(&app, ClientKind::Confidential, true, &[], |_| {}).await;
    let other = register(&app, ClientKind::Confidential, true, &[], |_| {}).await;
    let ada = signed_in_browser(&app, ADA, PASSWORD).await;
    let asks_again = |to: &str| to.contains("reauthenticate=1");
    let now = super::oauth::real_now().unix_timestamp();
    for forged in ["0".to_owned(), format!("{now}"), format!("{now}.AAAAAAAAAAAAAAAAAAAAAA")] {
        let extra = format!("&prompt=login&ks_auth_after={}", urlencode(&forged));
        let to = location(&ada.get(authorize(&app, &web.client.client_id, &extra)).send().await.unwrap());
        assert!(asks_again(&to), "a made-up mark {forged} does not skip signing in again: {to}");
    }
    // The server's own mark, for one client, is refused with another and after 15 minutes.
    let to = location(&ada.get(authorize(&app, &web.client.client_id, "&prompt=login")).send().await.unwrap());
    let mark = query_param(&query_param(&to, "return_to").unwrap(), "ks_auth_after").unwrap();
    let extra = format!("&prompt=login&ks_auth_after={}", urlencode(&mark));
    let to = location(&ada.get(authorize(&app, &other.client.client_id, &extra)).send().await.unwrap());
    assert!(asks_again(&to), "another client's mark: {to}");
    app.clock.advance(time::Duration::minutes(16));
    let to = location(&ada.get(authorize(&app, &web.client.client_id, &extra)).send().await.unwrap());
    assert!(asks_again(&to), "a stale mark: {to}");
}
