//! My Account → Licenses and downloads over HTTP: what a license holder sees, what disappears
//! when the subscription ends, and the link license admins get to their organization's seats.

use keystead_core::audit::RequestMeta;
use keystead_core::organizations::Actor;
use keystead_testkit::TestApp;
use keystead_testkit::licensing;
use reqwest::StatusCode;

use super::auth::{PASSWORD, active_user, get, signed_in_browser};

#[tokio::test]
async fn a_holder_sees_each_license_with_what_it_includes_until_it_ends() {
    let app = TestApp::new().await;
    licensing::catalogue(&app.core, "downloads").await.unwrap();
    let (org, subscription) = licensing::organization(&app.core, "acme", "cet-pro", 3).await.unwrap();
    let ada = active_user(&app, "ada@example.com").await;
    licensing::assign(&app.core, org, "cet-pro", ada).await.unwrap();
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;

    let (status, html) = get(&app, &client, "/account/licenses").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("<h2>CET Designer — CET Pro</h2>"), "{html}");
    assert!(html.contains("From acme · No end date"), "{html}");
    assert!(html.contains("<code>cet.edition.pro</code>"), "{html}");
    assert!(html.contains("Measure, Warehouse"), "{html}");
    assert!(html.contains(">1 download</a>") && html.contains("href=\"/account/extensions\""), "{html}");
    assert!(!html.contains("Licenses you manage"), "a member manages nothing: {html}");

    app.core.end_subscription(Actor::Operator, subscription, &RequestMeta::cli()).await.unwrap();
    let (_, html) = get(&app, &client, "/account/licenses").await;
    assert!(html.contains("No licenses are assigned to you.") && !html.contains("CET Pro"), "{html}");
}

#[tokio::test]
async fn license_admins_get_a_link_to_the_seats_of_their_organization() {
    let app = TestApp::new().await;
    licensing::catalogue(&app.core, "downloads").await.unwrap();
    let (org, _) = licensing::organization(&app.core, "acme", "cet-pro", 3).await.unwrap();
    let lia = active_user(&app, "lia@example.com").await;
    app.core.add_organization_member(Actor::Operator, org, lia, "license_admin", &RequestMeta::cli()).await.unwrap();
    let client = signed_in_browser(&app, "lia@example.com", PASSWORD).await;
    let (_, html) = get(&app, &client, "/account/licenses").await;
    assert!(html.contains("No licenses are assigned to you."), "{html}");
    assert!(html.contains("<a href=\"/org/acme/licenses\">Seats of acme</a>"), "{html}");
}
