//! Forms posted with multi-byte and other unusual text answer with their own field errors,
//! never a 500 (issue 11 item 3; the property tests in keystead-core cover the validators).

use reqwest::StatusCode;

use super::auth::{PASSWORD, active_user, post_form, signed_in_browser};
use keystead_testkit::TestApp;

#[tokio::test]
async fn a_vat_number_with_a_multi_byte_letter_gets_the_form_back_with_a_field_error() {
    let app = TestApp::new().await;
    let id = active_user(&app, "ada@example.com").await;
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let fields = [
        ("name", "Example GmbH"),
        ("line1", "Hauptstraße 1"),
        ("postal_code", "10115"),
        ("city", "Berlin"),
        ("country", "DE"),
        ("vat_id", "DÉ123456"),
    ];

    let res = post_form(&app, &client, "/account/billing", &fields).await;

    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Enter the VAT number with its country prefix"), "{html}");
    assert!(html.contains("value=\"DÉ123456\""), "the typed value stays: {html}");
    assert!(app.core.billing_address(id).await.unwrap().is_none(), "nothing saved");
}

#[tokio::test]
async fn every_billing_and_profile_field_survives_unusual_text() {
    let app = TestApp::new().await;
    active_user(&app, "ada@example.com").await;
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    for odd in ["DÉ", "É", "\u{301}\u{301}", "\u{202E}DE123", "a\u{0}b", "ﬀ", &"É".repeat(300)] {
        let billing = ["name", "line1", "postal_code", "city", "country", "vat_id"].map(|f| (f, odd));
        let res = post_form(&app, &client, "/account/billing", &billing).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "billing with {odd:?}");
        let profile = ["given_name", "family_name", "country", "company"].map(|f| (f, odd));
        let res = post_form(&app, &client, "/account/profile", &profile).await;
        assert!(
            res.status() == StatusCode::UNPROCESSABLE_ENTITY || res.status() == StatusCode::SEE_OTHER,
            "profile with {odd:?}: {}",
            res.status()
        );
    }
}
