//! RP-initiated logout by `POST` (RP-Initiated Logout 1.0 §2: the OP MUST support GET and POST
//! at the end-session endpoint): a client's page posts the logout parameters across sites and
//! gets exactly what the `GET` gives; this server's own confirmation is a separate form and path
//! that keeps its CSRF protection.

use keystead_core::oauth::ClientKind;
use reqwest::StatusCode;
use reqwest::header::ORIGIN;

use super::auth::{PASSWORD, active_user, get, input_value, location, signed_in_browser};
use super::oauth::{app, register, tokens_for, urlencode};

const ADA: &str = "ada@example.com";

#[tokio::test]
async fn a_cross_site_post_to_the_end_session_endpoint_signs_out_like_the_get() {
    let app = app().await;
    active_user(&app, ADA).await;
    let web = register(&app, ClientKind::Confidential, false, &[], |_| {}).await;
    let ada = signed_in_browser(&app, ADA, PASSWORD).await;
    let id_token = tokens_for(&app, &ada, &web, "openid").await["id_token"].as_str().unwrap().to_owned();

    let form = [
        ("id_token_hint", id_token.as_str()),
        ("post_logout_redirect_uri", "https://app.example/signed-out"),
        ("state", "bye"),
    ];
    let res = ada.post(app.at("/oauth/logout")).header(ORIGIN, "https://app.example").form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "the POST is not refused as cross-site");
    let get_it = location(&res);
    assert!(get_it.starts_with("/oauth/logout?id_token_hint="), "{get_it}");
    let (_, still) = get(&app, &ada, "/account/profile").await;
    assert!(still.contains(ADA), "the POST alone decides nothing");

    let res = ada.get(app.at(&get_it)).send().await.unwrap();
    assert_eq!(location(&res), "https://app.example/signed-out?state=bye");
    let (_, after) = get(&app, &ada, "/account/profile").await;
    assert!(!after.contains(ADA), "signed out");

    // A POST that is not a form is a page saying so, not a 500.
    let res = ada.post(app.at("/oauth/logout")).header(ORIGIN, "https://app.example").body("{}").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn without_a_hint_the_user_confirms_on_a_separate_form_that_other_sites_cannot_post() {
    let app = app().await;
    active_user(&app, ADA).await;
    let web = register(&app, ClientKind::Confidential, false, &[], |_| {}).await;
    let ada = signed_in_browser(&app, ADA, PASSWORD).await;
    let ask = format!(
        "/oauth/logout?client_id={}&post_logout_redirect_uri={}&state=s1",
        web.client.client_id,
        urlencode("https://app.example/signed-out")
    );
    let (status, html) = get(&app, &ada, &ask).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("action=\"/oauth/logout/confirm\""), "{html}");
    let csrf = input_value(&html, "csrf_token").unwrap();
    let form = [
        ("csrf_token", csrf.as_str()),
        ("client_id", web.client.client_id.as_str()),
        ("post_logout_redirect_uri", "https://app.example/signed-out"),
        ("state", "s1"),
    ];

    // Another site posting the confirmation is refused, and nobody is signed out.
    let res = ada
        .post(app.at("/oauth/logout/confirm"))
        .header(ORIGIN, "https://evil.example")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let (_, still) = get(&app, &ada, "/account/profile").await;
    assert!(still.contains(ADA));

    let res = ada.post(app.at("/oauth/logout/confirm")).form(&form).send().await.unwrap();
    assert_eq!(location(&res), "https://app.example/signed-out?state=s1");
    let (_, after) = get(&app, &ada, "/account/profile").await;
    assert!(!after.contains(ADA), "signed out");
}
