//! The organization's Licenses page over HTTP: seats used of those bought, assigning by search,
//! the refusal when no seat is free, unassigning, bulk assignment to a group, the email to the
//! user, and the 403 for members without `licenses:assign`.

use std::time::Duration;

use keystead_core::audit::RequestMeta;
use keystead_core::organizations::Actor;
use keystead_testkit::TestApp;
use keystead_testkit::licensing;
use reqwest::StatusCode;

use super::auth::{PASSWORD, active_user, get, location, post_form, signed_in_browser};

const OP: Actor = Actor::Operator;

/// Posts a form to the page and returns the page it redirects back to.
async fn act(app: &TestApp, client: &reqwest::Client, path: &str, fields: &[(&str, &str)]) -> String {
    let res = post_form(app, client, path, fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}: {}", res.text().await.unwrap());
    assert_eq!(location(&res), "/org/acme/licenses");
    let (status, html) = get(app, client, "/org/acme/licenses").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    html
}

#[tokio::test]
async fn a_license_admin_assigns_seats_up_to_the_count_bought_and_takes_them_back() {
    let app = TestApp::new().await;
    licensing::catalogue(&app.core, "downloads").await.unwrap();
    let (org, _) = licensing::organization(&app.core, "acme", "cet-pro", 2).await.unwrap();
    let meta = RequestMeta::cli();
    let lia = active_user(&app, "lia@example.com").await;
    app.core.add_organization_member(OP, org, lia, "license_admin", &meta).await.unwrap();
    let mut members = Vec::new();
    for email in ["ada@example.com", "bob@example.com", "cy@example.com"] {
        let u = active_user(&app, email).await;
        app.core.add_organization_member(OP, org, u, "member", &meta).await.unwrap();
        members.push(u);
    }
    let client = signed_in_browser(&app, "lia@example.com", PASSWORD).await;
    let (status, html) = get(&app, &client, "/org/acme/licenses").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("CET Designer — CET Pro") && html.contains("0 of 2 seats used"), "{html}");
    assert!(html.contains("href=\"/org/acme/licenses\" aria-current=\"page\""), "the tab is current: {html}");

    let (_, found) = get(&app, &client, "/org/acme/licenses?q=bob").await;
    assert!(found.contains("bob@example.com") && !found.contains("ada@example.com"), "{found}");

    let html =
        act(&app, &client, "/org/acme/licenses/assign", &[("user", &members[0].to_string()), ("plan", "cet-pro")])
            .await;
    assert!(html.contains("A seat of CET Pro is assigned.") && html.contains("1 of 2 seats used"), "{html}");
    act(&app, &client, "/org/acme/licenses/assign", &[("user", &members[1].to_string()), ("plan", "cet-pro")]).await;
    let html =
        act(&app, &client, "/org/acme/licenses/assign", &[("user", &members[2].to_string()), ("plan", "cet-pro")])
            .await;
    assert!(html.contains("All 2 seats of cet-pro are assigned"), "{html}");
    assert!(html.contains("2 of 2 seats used"), "{html}");

    // The user is told by email, with a link to their licenses.
    let mails = app.smtp.wait_for(2, Duration::from_secs(10)).await.unwrap();
    let mail = mails.iter().find(|m| m.to().iter().any(|t| t == "ada@example.com")).unwrap();
    assert_eq!(mail.subject().unwrap_or_default(), "You have a license of CET Pro");
    assert!(mail.links().iter().any(|l| l.ends_with("/account/licenses")), "{mail:?}");

    let html =
        act(&app, &client, "/org/acme/licenses/unassign", &[("user", &members[0].to_string()), ("plan", "cet-pro")])
            .await;
    assert!(html.contains("The seat of CET Pro is free again.") && html.contains("1 of 2 seats used"), "{html}");
    assert!(app.core.licenses_of(members[0]).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_group_gets_the_seats_that_are_left_and_the_page_says_who_did_not() {
    let app = TestApp::new().await;
    licensing::catalogue(&app.core, "downloads").await.unwrap();
    let (org, _) = licensing::organization(&app.core, "acme", "cet-pro", 2).await.unwrap();
    let meta = RequestMeta::cli();
    let admin = active_user(&app, "admin@example.com").await;
    app.core.add_organization_member(OP, org, admin, "admin", &meta).await.unwrap();
    let group = app.core.create_group(OP, org, "Designers", "", "closed", &meta).await.unwrap();
    for email in ["d1@example.com", "d2@example.com", "d3@example.com"] {
        let u = active_user(&app, email).await;
        app.core.add_organization_member(OP, org, u, "member", &meta).await.unwrap();
        app.core.add_to_group(OP, group, u, &meta).await.unwrap();
    }
    let client = signed_in_browser(&app, "admin@example.com", PASSWORD).await;
    let html =
        act(&app, &client, "/org/acme/licenses/assign-group", &[("group", &group.to_string()), ("plan", "cet-pro")])
            .await;
    assert!(html.contains("2 members got a seat. No seat was left for: d3@example.com."), "{html}");
    assert!(html.contains("2 of 2 seats used"), "{html}");
}

#[tokio::test]
async fn members_without_the_permission_get_403_and_forms_need_the_csrf_token() {
    let app = TestApp::new().await;
    licensing::catalogue(&app.core, "downloads").await.unwrap();
    let (org, _) = licensing::organization(&app.core, "acme", "cet-pro", 2).await.unwrap();
    let meta = RequestMeta::cli();
    let member = active_user(&app, "member@example.com").await;
    app.core.add_organization_member(OP, org, member, "member", &meta).await.unwrap();
    let client = signed_in_browser(&app, "member@example.com", PASSWORD).await;
    let (status, _) = get(&app, &client, "/org/acme/licenses").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, html) = get(&app, &client, "/org/acme/members").await;
    assert!(!html.contains("/org/acme/licenses"), "no Licenses tab without the permission: {html}");
    let res =
        post_form(&app, &client, "/org/acme/licenses/assign", &[("user", &member.to_string()), ("plan", "cet-pro")])
            .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(app.core.licenses_of(member).await.unwrap().is_empty());

    let lia = active_user(&app, "lia@example.com").await;
    app.core.add_organization_member(OP, org, lia, "license_admin", &meta).await.unwrap();
    let client = signed_in_browser(&app, "lia@example.com", PASSWORD).await;
    let res = client
        .post(app.at("/org/acme/licenses/assign"))
        .form(&[("user", member.to_string().as_str()), ("plan", "cet-pro")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "no CSRF token");
    assert!(app.core.licenses_of(member).await.unwrap().is_empty());
}
