//! The overview in My Account: where a signed-in user lands when nothing asked for a page, with
//! what is set up and what to do next — never a page that only says "you are signed in".

use keystead_core::audit::RequestMeta;
use keystead_core::ids::UserId;
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::TestApp;
use reqwest::StatusCode;
use reqwest::header::ACCEPT_LANGUAGE;

use super::auth::{PASSWORD, active_user, get, location, signed_in_browser};

async fn org(app: &TestApp, name: &str, owner: UserId) {
    let new = NewOrganization { name, slug: None, owner: Some(owner) };
    app.core.create_organization(Actor::Operator, new, &RequestMeta::cli()).await.unwrap();
}

#[tokio::test]
async fn after_sign_in_without_a_destination_the_user_lands_on_the_overview_with_next_steps() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let browser = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let res = browser.get(app.at("/landing")).send().await.unwrap();
    assert_eq!((res.status(), location(&res).as_str()), (StatusCode::SEE_OTHER, "/account"));

    let (status, html) = get(&app, &browser, "/account").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Welcome, Test"), "{html}");
    assert!(html.contains("1 of 2 steps done"), "a password, no second factor: {html}");
    assert!(html.contains(r#"<a class="button button-secondary" href="/account/two-factor">Turn it on</a>"#), "{html}");
    assert!(html.contains("You do not belong to an organization yet."), "{html}");
    assert!(html.contains("No application has access to your account yet."), "{html}");
    assert!(
        html.contains(r#"<a href="/account" aria-current="page">Overview</a>"#),
        "the first entry of the navigation: {html}"
    );

    org(&app, "Acme", ada).await;
    org(&app, "Zeta", ada).await;
    let res = browser.get(app.at("/account")).header(ACCEPT_LANGUAGE, "de").send().await.unwrap();
    let html = res.text().await.unwrap();
    assert!(html.contains("Willkommen, Test"), "{html}");
    assert!(html.contains("1 von 2 Schritten erledigt"), "{html}");
    assert!(html.contains("Sie gehören 2 Organisationen an."), "{html}");
}
