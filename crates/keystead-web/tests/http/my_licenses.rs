//! My Account → Licenses and downloads over HTTP: what a license holder sees, what disappears
//! when the subscription ends, and the link license admins get to their organization's seats.

use keystead_core::audit::RequestMeta;
use keystead_core::organizations::Actor;
use keystead_testkit::TestApp;
use keystead_testkit::licensing;
use reqwest::StatusCode;

use super::auth::{PASSWORD, active_user, get, post_form, signed_in_browser};

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

#[tokio::test]
async fn machines_are_deactivated_and_briefcases_downloaded_and_reset_from_my_account() {
    let app = TestApp::new().await;
    licensing::catalogue(&app.core, "downloads").await.unwrap();
    let (org, _) = licensing::organization(&app.core, "acme", "cet-pro", 3).await.unwrap();
    let meta = RequestMeta::cli();
    let ada = active_user(&app, "ada@example.com").await;
    let bob = active_user(&app, "bob@example.com").await;
    licensing::assign(&app.core, org, "cet-pro", ada).await.unwrap();
    licensing::assign(&app.core, org, "cet-pro", bob).await.unwrap();
    let machine = app.core.activate_machine(ada, "cet", "fp-office", "OFFICE-PC", &meta).await.unwrap();
    let bobs = app.core.activate_machine(bob, "cet", "fp-bob", "BOB-PC", &meta).await.unwrap();
    app.core.put_briefcase(ada, "cet", r#"{"units":"mm"}"#, None, &meta).await.unwrap();
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;

    let (_, html) = get(&app, &client, "/account/licenses").await;
    assert!(html.contains("<strong>OFFICE-PC</strong>") && !html.contains("BOB-PC"), "{html}");
    assert!(html.contains("<strong>CET Designer</strong><br><span class=\"muted small\">14 bytes"), "{html}");

    let res = client.get(app.at("/account/licenses/briefcase/cet")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("briefcase-cet.json"));
    assert_eq!(res.text().await.unwrap(), r#"{"units":"mm"}"#);
    let (status, _) = get(&app, &client, "/account/licenses/briefcase/other").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Someone else's machine cannot be deactivated; one's own can.
    let res =
        post_form(&app, &client, "/account/licenses/machines/deactivate", &[("machine", &bobs.id.to_string())]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.core.machines_of(bob).await.unwrap().len(), 1);
    let res =
        post_form(&app, &client, "/account/licenses/machines/deactivate", &[("machine", &machine.id.to_string())])
            .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = get(&app, &client, "/account/licenses").await;
    assert!(html.contains("The machine is deactivated") && !html.contains("OFFICE-PC"), "{html}");

    let res = post_form(&app, &client, "/account/licenses/briefcase/reset", &[("product", "cet")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = get(&app, &client, "/account/licenses").await;
    assert!(html.contains("The briefcase is empty") && !html.contains("Briefcases</h2>"), "{html}");
    assert!(app.core.briefcases_of(ada).await.unwrap().is_empty());
}
