//! Which language a page is written in: the signed-in user's choice, a relying party's
//! `ui_locales` for the sign-in it started, the switcher's cookie, `Accept-Language`, the
//! deployment's `default_locale` — in that order.

use keystead_core::audit::RequestMeta;
use keystead_core::i18n::Locale;
use keystead_core::oauth::ClientKind;
use keystead_testkit::{TestApp, TestAppOptions};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT_LANGUAGE, SET_COOKIE};

use super::auth::{PASSWORD, active_user, location, signed_in_browser};
use super::oauth::{register, urlencode};

async fn page(app: &TestApp, client: &reqwest::Client, path: &str, accept: &str) -> String {
    let res = client.get(app.at(path)).header(ACCEPT_LANGUAGE, accept).send().await.unwrap();
    res.text().await.unwrap()
}

fn lang(html: &str) -> &str {
    let start = html.find("<html lang=\"").unwrap() + 12;
    &html[start..start + html[start..].find('"').unwrap()]
}

#[tokio::test]
async fn accept_language_picks_a_language_the_interface_speaks_else_the_default() {
    let app = TestApp::new().await;
    let client = app.client();
    let de = page(&app, &client, "/sign-in", "de-CH, de;q=0.9, en;q=0.5").await;
    assert_eq!(lang(&de), "de");
    assert!(de.contains(">Konto erstellen</a>"), "the header is German");
    let tr = page(&app, &client, "/sign-in", "fr-FR, tr;q=0.8").await;
    assert_eq!(lang(&tr), "tr");
    assert!(tr.contains(">Hesap oluştur</a>"));
    let fr = page(&app, &client, "/sign-in", "fr, es;q=0.5").await;
    assert_eq!(lang(&fr), "en", "nothing supported: the default");
    let refused = page(&app, &client, "/sign-in", "de;q=0, tr;q=0.1").await;
    assert_eq!(lang(&refused), "tr", "q=0 refuses German");
    let missing = page(&app, &client, "/no-such-page", "de").await;
    assert_eq!(lang(&missing), "de", "error pages too");
}

#[tokio::test]
async fn the_deployment_default_applies_when_the_browser_asks_for_nothing_spoken_here() {
    let app = TestApp::start(TestAppOptions {
        configure: Some(Box::new(|c| c.interface.default_locale = Locale::Tr)),
        ..TestAppOptions::default()
    })
    .await
    .unwrap();
    let client = app.client();
    assert_eq!(lang(&page(&app, &client, "/sign-in", "fr").await), "tr");
    assert_eq!(lang(&page(&app, &client, "/sign-in", "en-GB").await), "en");
}

#[tokio::test]
async fn the_switcher_remembers_the_choice_and_goes_back_only_within_the_site() {
    let app = TestApp::new().await;
    let client = app.client();
    let html = page(&app, &client, "/register?return_to=%2Faccount", "en").await;
    let href = "/language?lang=de&#38;return_to=%2Fregister%3Freturn_to%3D%252Faccount";
    assert!(html.contains(href), "the switcher links back to this page: {html}");
    assert!(html.contains(r#"<span aria-current="true" lang="en">English</span>"#));

    let res = client.get(app.at("/language?lang=de&return_to=%2Fregister")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/register");
    let cookie = res.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    assert!(cookie.contains("keystead-lang=de") && cookie.contains("HttpOnly"), "{cookie}");
    assert_eq!(lang(&page(&app, &client, "/register", "tr, en").await), "de", "the cookie beats Accept-Language");

    let res = client.get(app.at("/language?lang=tr&return_to=%2F%2Fevil.example")).send().await.unwrap();
    assert_eq!(location(&res), "/", "a return_to off the site is dropped");
    let res = client.get(app.at("/language?lang=xx&return_to=%2Fsign-in")).send().await.unwrap();
    assert_eq!(location(&res), "/sign-in");
    assert!(res.headers().get(SET_COOKIE).is_none(), "an unknown language changes nothing");
    assert_eq!(lang(&page(&app, &client, "/sign-in", "en").await), "tr");
}

#[tokio::test]
async fn ui_locales_keeps_the_sign_in_it_started_in_that_language_until_the_visitor_switches() {
    let app = super::oauth::app().await;
    let web = register(&app, ClientKind::Confidential, true, &[], |_| {}).await;
    let client = app.client();
    let url = format!(
        "/oauth/authorize?response_type=code&client_id={}&redirect_uri={}&scope=openid&state=s&ui_locales=fr-CA%20tr%20de",
        web.client.client_id,
        urlencode("https://app.example/cb")
    );
    let res = client.get(app.at(&url)).header(ACCEPT_LANGUAGE, "en").send().await.unwrap();
    let to_sign_in = location(&res);
    assert!(to_sign_in.starts_with("/sign-in"), "{to_sign_in}");
    assert_eq!(lang(&page(&app, &client, &to_sign_in, "en").await), "tr", "the first language spoken here");
    assert_eq!(lang(&page(&app, &client, "/sign-in/password", "de").await), "tr", "for the whole flow");

    client.get(app.at("/language?lang=de")).send().await.unwrap();
    assert_eq!(lang(&page(&app, &client, "/sign-in", "en").await), "de", "the visitor's own choice wins");
}

#[tokio::test]
async fn a_signed_in_users_choice_beats_the_browser_and_the_switcher() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let browser = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    assert_eq!(lang(&page(&app, &browser, "/account/profile", "tr").await), "tr", "no choice yet: the browser's");

    let user = app.core.user_by_id(ada).await.unwrap();
    app.core.set_locale(&user, Some(Locale::De), &RequestMeta::cli()).await.unwrap();
    let html = page(&app, &browser, "/account/profile", "tr").await;
    assert_eq!(lang(&html), "de");
    assert!(html.contains(">Abmelden</button>"), "the account menu is German");
    assert!(!html.contains("language-switcher"), "signed in: the choice is made in My Account");

    browser.get(app.at("/language?lang=tr&return_to=%2Faccount%2Fprofile")).send().await.unwrap();
    assert_eq!(
        app.core.user_by_id(ada).await.unwrap().locale.as_deref(),
        Some("tr"),
        "the switcher saves a signed-in choice"
    );
    assert_eq!(lang(&page(&app, &browser, "/account/profile", "de").await), "tr");
}
