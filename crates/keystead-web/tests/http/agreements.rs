//! Agreements and "complete your profile" over HTTP: the step after verification, the checks
//! that keep an incomplete account out, acceptance records, new required versions, My Account →
//! Agreements, and that agreement Markdown cannot inject markup.

use std::time::Duration;

use keystead_core::agreements::{Agreement, accept_field};
use keystead_core::audit::RequestMeta;
use keystead_core::clock::Clock;
use keystead_testkit::TestApp;
use reqwest::{Client, StatusCode};

use super::auth::{PASSWORD, active_user, get, location, post_form, signed_in_browser};

const TERMS: &str = "# Terms of Service\n\nYou agree to be **kind**.\n";

async fn publish(app: &TestApp, key: &str, title: &str, body: &str, required: bool) -> Agreement {
    app.core.publish_agreement(key, title, body, required, &RequestMeta::cli()).await.unwrap()
}

fn attribute(html: &str, name: &str) -> String {
    let at = html.find(&format!("name=\"{name}\"")).unwrap_or_else(|| panic!("no {name}: {html}"));
    let tag = &html[at..at + html[at..].find('>').unwrap()];
    let start = tag.find("value=\"").unwrap() + "value=\"".len();
    tag[start..start + tag[start..].find('"').unwrap()].to_owned()
}

/// Registers `email` and follows the emailed link in a new browser; the answer to the link's button.
async fn register_and_verify(app: &TestApp, email: &str) -> (Client, reqwest::Response) {
    let password = secrecy::SecretString::from(PASSWORD);
    app.core.register(email, &password, None, None, &RequestMeta::default()).await.unwrap();
    let mail = app.smtp.wait_for(1, Duration::from_secs(10)).await.unwrap().remove(0);
    let link = mail.links().into_iter().find(|l| l.contains("/verify-email?token=")).unwrap();
    let client = app.client();
    let html = client.get(link).send().await.unwrap().text().await.unwrap();
    let (token, csrf) = (attribute(&html, "token"), attribute(&html, "csrf_token"));
    let res =
        client.post(app.at("/verify-email")).form(&[("csrf_token", csrf), ("token", token)]).send().await.unwrap();
    (client, res)
}

#[tokio::test]
async fn a_new_user_completes_the_profile_and_accepts_the_terms_before_anything_else() {
    let app = TestApp::new().await;
    let terms = publish(&app, "terms", "Terms of Service", TERMS, true).await;
    let (client, verified) = register_and_verify(&app, "ada@example.com").await;
    assert_eq!(verified.status(), StatusCode::SEE_OTHER);
    let user = app.core.user_by_email("ada@example.com").await.unwrap();
    assert_eq!(user.status.as_str(), "incomplete_profile");
    // Wherever the user goes, they are sent to the step first.
    let landing = client.get(app.at(&location(&verified))).send().await.unwrap();
    assert_eq!(location(&landing), "/complete-profile?return_to=%2Flanding");
    let home = client.get(app.at("/")).send().await.unwrap();
    assert_eq!(location(&home), "/complete-profile");
    let res = client.get(app.at("/account/profile")).send().await.unwrap();
    assert_eq!(location(&res), "/complete-profile?return_to=%2Faccount%2Fprofile");

    let (status, html) = get(&app, &client, "/complete-profile?return_to=%2Faccount%2Fprofile").await;
    assert_eq!(status, StatusCode::OK);
    for text in [
        "<label for=\"given_name\">Given name",
        "<label for=\"family_name\">Family name",
        "I accept the Terms of Service",
        "<strong>kind</strong>",
        "version 1",
    ] {
        assert!(html.contains(text), "{text} missing: {html}");
    }
    assert!(!html.contains("name=\"company\""), "only required fields are asked: {html}");

    let checkbox = accept_field(terms.id);
    let bad = post_form(&app, &client, "/complete-profile", &[("given_name", "Ada"), ("family_name", " ")]).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.unwrap();
    for message in ["Enter your family name.", "Accept the Terms of Service to continue."] {
        assert!(html.contains(message), "{message} missing: {html}");
    }
    assert!(html.contains("value=\"Ada\""), "typed values stay: {html}");
    assert_eq!(app.core.profile(user.id).await.unwrap().given_name, None, "nothing saved");
    assert!(app.core.accepted_agreements(user.id).await.unwrap().is_empty(), "nothing accepted");
    let only_names =
        post_form(&app, &client, "/complete-profile", &[("given_name", "Ada"), ("family_name", "Lovelace")]).await;
    assert_eq!(only_names.status(), StatusCode::UNPROCESSABLE_ENTITY, "the checkbox is required");
    assert_eq!(app.core.profile(user.id).await.unwrap().family_name, None, "nothing saved");

    let fields = [
        ("given_name", "Ada"),
        ("family_name", "Lovelace"),
        (checkbox.as_str(), "on"),
        ("return_to", "/account/profile"),
    ];
    let ok = post_form(&app, &client, "/complete-profile", &fields).await;
    assert_eq!((ok.status(), location(&ok)), (StatusCode::SEE_OTHER, "/account/profile".to_owned()));
    let user = app.core.user_by_email("ada@example.com").await.unwrap();
    assert_eq!((user.status.as_str(), user.display_name()), ("active", "Ada Lovelace".to_owned()));
    let accepted = app.core.accepted_agreements(user.id).await.unwrap();
    assert_eq!(accepted.len(), 1);
    assert_eq!((accepted[0].agreement_id, accepted[0].version), (terms.id, 1));
    assert_eq!(accepted[0].accepted_at, app.clock.now());
    assert_eq!(accepted[0].ip.as_deref(), Some("127.0.0.1"));
    let events = app.core.audit_events_for(user.id, 20).await.unwrap();
    assert!(events.iter().any(|e| e.action == "user.agreement_accepted" && e.details["version"] == 1), "{events:?}");

    let (status, html) = get(&app, &client, "/account/profile").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Thank you — your account is ready."), "{html}");
    // Done: the step itself now sends the user on.
    let again = client.get(app.at("/complete-profile")).send().await.unwrap();
    assert_eq!(location(&again), "/landing");
}

#[tokio::test]
async fn without_required_data_or_agreements_verification_leads_straight_in() {
    let app = TestApp::start(keystead_testkit::TestAppOptions {
        configure: Some(Box::new(|c| {
            use keystead_core::accounts::profile::{FieldRule, ProfileField};
            c.profile.set(ProfileField::GivenName, FieldRule::Optional);
            c.profile.set(ProfileField::FamilyName, FieldRule::Optional);
        })),
        ..Default::default()
    })
    .await
    .unwrap();
    publish(&app, "newsletter", "Newsletter terms", "Optional.", false).await;
    let (client, _) = register_and_verify(&app, "ada@example.com").await;
    assert_eq!(app.core.user_by_email("ada@example.com").await.unwrap().status.as_str(), "active");
    assert_eq!(get(&app, &client, "/account/profile").await.0, StatusCode::OK);
}

#[tokio::test]
async fn a_new_required_version_sends_a_signed_in_user_back_on_their_next_request() {
    let app = TestApp::new().await;
    let id = active_user(&app, "ada@example.com").await;
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    assert_eq!(get(&app, &client, "/account/security").await.0, StatusCode::OK);

    let v1 = publish(&app, "terms", "Terms of Service", TERMS, true).await;
    let res = client.get(app.at("/account/security")).send().await.unwrap();
    assert_eq!(location(&res), "/complete-profile?return_to=%2Faccount%2Fsecurity");
    let checkbox = accept_field(v1.id);
    let fields = [
        ("given_name", "Ada"),
        ("family_name", "Lovelace"),
        (checkbox.as_str(), "on"),
        ("return_to", "/account/security"),
    ];
    let ok = post_form(&app, &client, "/complete-profile", &fields).await;
    assert_eq!(location(&ok), "/account/security");
    assert_eq!(get(&app, &client, "/account/security").await.0, StatusCode::OK);

    // An optional version asks nothing; the next required one asks again, and only for it.
    publish(&app, "terms", "Terms of Service", "Version 2", false).await;
    assert_eq!(get(&app, &client, "/account/security").await.0, StatusCode::OK);
    let v3 = publish(&app, "terms", "Terms of Service", "Version 3", true).await;
    let res = client.get(app.at("/")).send().await.unwrap();
    assert_eq!(location(&res), "/complete-profile");
    let (_, html) = get(&app, &client, "/complete-profile").await;
    assert!(html.contains("version 3") && !html.contains("name=\"given_name\""), "{html}");
    let checkbox = accept_field(v3.id);
    post_form(&app, &client, "/complete-profile", &[(checkbox.as_str(), "on")]).await;
    assert_eq!(get(&app, &client, "/account/security").await.0, StatusCode::OK);
    let versions: Vec<i64> = app.core.accepted_agreements(id).await.unwrap().iter().map(|a| a.version).collect();
    assert_eq!(versions.iter().copied().max(), Some(3));
    assert_eq!(versions.len(), 2);
}

#[tokio::test]
async fn my_account_lists_every_accepted_version_and_each_can_be_read() {
    let app = TestApp::new().await;
    active_user(&app, "ada@example.com").await;
    active_user(&app, "eve@example.com").await;
    let ada = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let v1 = publish(&app, "terms", "Terms of Service", TERMS, true).await;
    let first = [("given_name", "Ada"), ("family_name", "Lovelace")];
    let c1 = accept_field(v1.id);
    post_form(&app, &ada, "/complete-profile", &[first[0], first[1], (c1.as_str(), "on")]).await;
    let v2 = publish(&app, "terms", "Terms of Service", "## Changed\n\nNow *version two*.", true).await;
    let c2 = accept_field(v2.id);
    post_form(&app, &ada, "/complete-profile", &[(c2.as_str(), "on")]).await;

    let (status, html) = get(&app, &ada, "/account/agreements").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Terms of Service (version 1)") && html.contains("Terms of Service (version 2)"), "{html}");
    assert!(html.contains("from 127.0.0.1") && html.contains("aria-current=\"page\""), "{html}");
    let (status, html) = get(&app, &ada, &format!("/account/agreements/{}", v1.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<strong>kind</strong>") && html.contains("Version 1"), "{html}");
    let (_, html) = get(&app, &ada, &format!("/account/agreements/{}", v2.id)).await;
    assert!(html.contains("<em>version two</em>"), "{html}");

    // Eve accepted nothing: she cannot read Ada's acceptances, and nonsense ids are 404s.
    let eve = signed_in_browser(&app, "eve@example.com", PASSWORD).await;
    let c = accept_field(v2.id);
    post_form(&app, &eve, "/complete-profile", &[("given_name", "Eve"), ("family_name", "E"), (c.as_str(), "on")])
        .await;
    assert_eq!(get(&app, &eve, &format!("/account/agreements/{}", v1.id)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, &eve, "/account/agreements/not-an-id").await.0, StatusCode::NOT_FOUND);
    let (_, html) = get(&app, &eve, "/account/agreements").await;
    assert!(!html.contains("(version 1)") && html.contains("(version 2)"), "{html}");
    // The data export holds the acceptances.
    let export = ada.get(app.at("/account/data/download")).send().await.unwrap().text().await.unwrap();
    assert!(export.contains("agreements_accepted") && export.contains(&v1.id.to_string()), "{export}");
}

#[tokio::test]
async fn agreement_markdown_cannot_inject_markup_or_scripts() {
    let app = TestApp::new().await;
    active_user(&app, "ada@example.com").await;
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let evil = "Hello <script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[click](javascript:alert(3)) \
                [ok](https://example.com/ok) <iframe src=\"https://evil.example\"></iframe>";
    let a = publish(&app, "terms", "Terms <b>of</b> Service", evil, true).await;
    let (_, html) = get(&app, &client, "/complete-profile").await;
    let c = accept_field(a.id);
    post_form(&app, &client, "/complete-profile", &[("given_name", "Ada"), ("family_name", "L"), (c.as_str(), "on")])
        .await;
    let (_, read) = get(&app, &client, &format!("/account/agreements/{}", a.id)).await;
    for page in [html, read] {
        for bad in ["<script>alert", "<img", "javascript:", "<iframe", "<b>of</b>"] {
            assert!(!page.contains(bad), "{bad} survived: {page}");
        }
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "raw HTML is shown as text: {page}");
        assert!(page.contains("<a href=\"https://example.com/ok\">ok</a>"), "{page}");
    }
}

#[tokio::test]
async fn an_active_user_completes_a_field_the_operator_made_required_later() {
    // The operator created the account with names only; company is now required.
    let app = keystead_testkit::TestApp::start(keystead_testkit::TestAppOptions {
        configure: Some(Box::new(|config| {
            config.profile.set(
                keystead_core::accounts::profile::ProfileField::Company,
                keystead_core::accounts::profile::FieldRule::Required,
            );
        })),
        ..Default::default()
    })
    .await
    .unwrap();
    let id = active_user(&app, "ada@example.com").await;
    assert_eq!(app.core.user_by_email("ada@example.com").await.unwrap().status.as_str(), "active");
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let res = client.get(app.at("/account/security")).send().await.unwrap();
    assert_eq!(location(&res), "/complete-profile?return_to=%2Faccount%2Fsecurity");
    let (status, html) = get(&app, &client, "/complete-profile").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("name=\"company\""), "{html}");
    assert!(!html.contains("name=\"given_name\""), "fields already given are not asked again: {html}");

    let empty = post_form(&app, &client, "/complete-profile", &[("company", " ")]).await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let ok = post_form(&app, &client, "/complete-profile", &[("company", "Analytical Engines Ltd")]).await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER, "{}", ok.text().await.unwrap());
    assert_eq!(app.core.profile(id).await.unwrap().company.as_deref(), Some("Analytical Engines Ltd"));
    assert_eq!(get(&app, &client, "/account/security").await.0, StatusCode::OK);
}
