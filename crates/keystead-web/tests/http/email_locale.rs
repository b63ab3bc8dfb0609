//! Emails in the language a person uses: registering with a German or Turkish browser sends the
//! confirmation email in that language (read from the SMTP sink), and the account keeps it.

use keystead_testkit::TestApp;
use reqwest::header::{ACCEPT_LANGUAGE, HeaderMap, HeaderValue};
use reqwest::{Client, StatusCode};

use super::auth::{PASSWORD, location, mail, post_form};

/// A browser (cookies kept, redirects not followed) whose language preference is `lang`.
fn browser_in(lang: &'static str) -> Client {
    let mut headers = HeaderMap::new();
    headers.insert(ACCEPT_LANGUAGE, HeaderValue::from_static(lang));
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap()
}

/// Both steps of the registration form in `client`'s language.
async fn register(app: &TestApp, client: &Client, email: &str) {
    let first = post_form(app, client, "/register", &[("email", email)]).await;
    assert_eq!(first.status(), StatusCode::OK, "{}", first.text().await.unwrap());
    let done = post_form(app, client, "/register/password", &[("email", email), ("password", PASSWORD)]).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER, "{}", done.text().await.unwrap());
    assert_eq!(location(&done), "/register/check-email");
}

#[tokio::test]
async fn registering_in_german_sends_a_german_confirmation_email() {
    let app = TestApp::new().await;
    let client = browser_in("de-DE,de;q=0.9,en;q=0.5");
    register(&app, &client, "ada@example.com").await;

    let mail = mail(&app, "ada@example.com", "Bestätigen", 0).await;
    assert_eq!(mail.subject().as_deref(), Some("Bestätigen Sie Ihre E-Mail-Adresse für Keystead"));
    let text = mail.text_body().unwrap();
    assert!(
        text.contains("Willkommen bei Keystead! Bitte bestätigen Sie, dass ada@example.com Ihre E-Mail-Adresse ist.")
    );
    assert!(text.contains("Meine E-Mail-Adresse bestätigen:"), "{text}");
    assert!(mail.links().iter().any(|l| l.contains("/verify-email?token=")), "{text}");
    let html = mail.html_body().unwrap();
    assert!(html.contains("<html lang=\"de\">") && html.contains("Diese Nachricht wurde von Keystead"), "{html}");
    let user = app.core.user_by_email("ada@example.com").await.unwrap();
    assert_eq!(user.locale.as_deref(), Some("de"), "the account keeps the language it registered in");
}

#[tokio::test]
async fn registering_in_turkish_sends_a_turkish_confirmation_email() {
    let app = TestApp::new().await;
    let client = browser_in("tr");
    register(&app, &client, "ayse@example.com").await;

    let mail = mail(&app, "ayse@example.com", "doğrulayın", 0).await;
    assert_eq!(mail.subject().as_deref(), Some("Keystead için e-posta adresinizi doğrulayın"));
    let text = mail.text_body().unwrap();
    assert!(text.contains("Lütfen ayse@example.com adresinin size ait olduğunu doğrulayın."), "{text}");
    let html = mail.html_body().unwrap();
    assert!(html.contains("<html lang=\"tr\">") && html.contains("Bu ileti Keystead"), "{html}");
}

#[tokio::test]
async fn registering_with_an_english_browser_keeps_the_english_email() {
    let app = TestApp::new().await;
    let client = browser_in("en-GB");
    register(&app, &client, "grace@example.com").await;
    let mail = mail(&app, "grace@example.com", "Confirm", 0).await;
    assert_eq!(mail.subject().as_deref(), Some("Confirm your email address for Keystead"));
    let html = mail.html_body().unwrap();
    assert!(html.contains("<html lang=\"en\">") && html.contains("This message was sent by Keystead"), "{html}");
}
