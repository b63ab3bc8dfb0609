//! The admin console's Organizations pages through HTTP: the list (search, sort, counts, bad
//! searches as messages), creating one with a first owner, an organization's page (members linked
//! to their user pages, invitations, settings) and deleting one after a recent sign-in and its
//! typed short name; refusals for members, 404s for unknown short names, the audit log naming
//! the operator.

use keystead_core::audit::RequestMeta;
use keystead_core::audit::query::AuditQuery;
use keystead_core::ids::UserId;
use keystead_core::organizations::{Actor, NewOrganization, Organization};
use keystead_testkit::TestApp;
use reqwest::StatusCode;

use super::auth::{PASSWORD, active_user, get, location, post_form, signed_in_browser};
use super::console::operator_browser;

async fn organization(app: &TestApp, name: &str, slug: &str, owner: UserId) -> Organization {
    let new = NewOrganization { name, slug: Some(slug), owner: Some(owner) };
    app.core.create_organization(Actor::Operator, new, &RequestMeta::cli()).await.unwrap()
}

#[tokio::test]
async fn the_list_searches_sorts_and_counts_and_refuses_members() {
    let app = TestApp::new().await;
    let (op, op_id) = operator_browser(&app, "op@example.com").await;
    let ada = active_user(&app, "ada@example.com").await;
    let acme = organization(&app, "Acme Corp", "acme", ada).await;
    organization(&app, "Beta Labs", "beta-labs", ada).await;
    app.core.add_organization_member(Actor::Operator, acme.id, op_id, "member", &RequestMeta::cli()).await.unwrap();
    let (status, html) = get(&app, &op, "/admin/organizations").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("aria-current=\"page\">Organizations</a>"), "{html}");
    assert!(html.contains("href=\"/admin/organizations/acme\">Acme Corp</a>") && html.contains("Beta Labs"), "{html}");
    assert!(html.contains("1–2 of 2"), "{html}");
    let (a, b) = ("/admin/organizations/acme\"", "/admin/organizations/beta-labs\"");
    assert!(html.find(a).unwrap() < html.find(b).unwrap(), "by name: {html}");
    let (_, desc) = get(&app, &op, "/admin/organizations?sort=-name").await;
    assert!(desc.find(b).unwrap() < desc.find(a).unwrap(), "{desc}");
    assert!(desc.contains("aria-sort=\"descending\""), "{desc}");
    let (_, found) = get(&app, &op, "/admin/organizations?q=LABS").await;
    assert!(found.contains(b) && !found.contains(a), "{found}");
    let (_, none) = get(&app, &op, "/admin/organizations?q=zzz").await;
    assert!(none.contains("No organization matches."), "{none}");
    let (status, bad) = get(&app, &op, "/admin/organizations?q=a%01b").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    assert!(bad.contains("aria-invalid=\"true\""), "{bad}");
    let (status, _) = get(&app, &op, "/admin/organizations?page=abc").await;
    assert_eq!(status, StatusCode::OK, "a page that is not a number is the first");
    // A member (even an owner of one) sees nothing of the console's list.
    let owner = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    assert_eq!(get(&app, &owner, "/admin/organizations").await.0, StatusCode::FORBIDDEN);
    assert_eq!(get(&app, &owner, "/admin/organizations/beta-labs").await.0, StatusCode::FORBIDDEN);
    let res = post_form(&app, &owner, "/admin/organizations", &[("name", "Sneaky")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_operator_creates_an_organization_with_a_first_owner_and_reads_its_page() {
    let app = TestApp::new().await;
    let (op, op_id) = operator_browser(&app, "op@example.com").await;
    let ada = active_user(&app, "ada@example.com").await;
    // Mistakes come back next to their fields.
    let res = post_form(&app, &op, "/admin/organizations", &[("name", "Gamma"), ("owner", "nobody@example.com")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("No account has this address.") && html.contains("value=\"Gamma\""), "{html}");
    let res = post_form(&app, &op, "/admin/organizations", &[("name", "  ")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Created with Ada as owner; its page lists her, linked to her user page.
    let res =
        post_form(&app, &op, "/admin/organizations", &[("name", "Gamma Rays"), ("owner", "ada@example.com")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = location(&res);
    assert_eq!(page, "/admin/organizations/gamma-rays");
    let org = app.core.organization_by_slug(Actor::Operator, "gamma-rays").await.unwrap();
    let query = AuditQuery { actor: Some(op_id), organization: Some(org.id.to_string()), ..Default::default() };
    assert!(!app.core.search_audit_events(Actor::Operator, None, &query).await.unwrap().items.is_empty());
    app.core
        .invite_to_organization(Actor::Operator, org.id, "grace@example.com", "member", &RequestMeta::cli())
        .await
        .unwrap();
    let (status, html) = get(&app, &op, &page).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    for part in [
        "Gamma Rays is created.",
        "<h1>Gamma Rays</h1>",
        &format!("href=\"/admin/users/{ada}\">ada@example.com</a>"),
        "grace@example.com",
        "No single sign-on connection.",
        "No subscription.",
        "href=\"/admin/users?org=gamma-rays\"",
    ] {
        assert!(html.contains(part), "{part}: {html}");
    }
    assert_eq!(get(&app, &op, "/admin/organizations/no-such-org").await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn deleting_an_organization_needs_a_recent_sign_in_and_its_short_name() {
    let app = TestApp::new().await;
    let (op, op_id) = operator_browser(&app, "op@example.com").await;
    let ada = active_user(&app, "ada@example.com").await;
    let org = organization(&app, "Doomed Inc", "doomed", ada).await;
    app.clock.advance(time::Duration::minutes(11));
    let res = op.get(app.at("/admin/organizations/doomed/delete")).send().await.unwrap();
    assert!(location(&res).starts_with("/account/reauthenticate?return_to=%2Fadmin%2Forganizations%2Fdoomed%2Fdelete"));
    let res = post_form(&app, &op, "/admin/organizations/doomed/delete", &[("confirm", "doomed")]).await;
    assert!(location(&res).starts_with("/account/reauthenticate"), "the POST checks too");
    assert!(app.core.organization_by_slug(Actor::Operator, "doomed").await.is_ok());
    let back = "/admin/organizations/doomed/delete";
    let res = post_form(&app, &op, "/account/reauthenticate", &[("password", PASSWORD), ("return_to", back)]).await;
    assert_eq!(location(&res), back);
    let (status, html) = get(&app, &op, back).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Type doomed to confirm"), "{html}");
    let res = post_form(&app, &op, back, &[("confirm", "Doomed Inc")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("doomed"));
    let res = post_form(&app, &op, back, &[("confirm", "doomed")]).await;
    assert_eq!(location(&res), "/admin/organizations");
    let (_, html) = get(&app, &op, "/admin/organizations").await;
    assert!(html.contains("Doomed Inc is deleted."), "{html}");
    assert!(app.core.organization_by_slug(Actor::Operator, "doomed").await.is_err());
    let query = AuditQuery { actor: Some(op_id), action: Some("organization.*".to_owned()), ..Default::default() };
    let events = app.core.search_audit_events(Actor::Operator, None, &query).await.unwrap().items;
    assert!(events.iter().any(|e| e.details["event"] == "deleted" && e.details["slug"] == "doomed"), "{events:?}");
    let _ = org;
}
