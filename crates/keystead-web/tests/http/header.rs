//! The page header of a signed-in user: the active organization (logo or initials and name) with
//! a menu that switches to the user's other organizations.

use keystead_core::audit::RequestMeta;
use keystead_core::ids::{OrganizationId, UserId};
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::TestApp;
use reqwest::StatusCode;

use super::auth::{PASSWORD, active_user, get, location, post_form, signed_in_browser};

async fn org(app: &TestApp, name: &str, owner: UserId) -> OrganizationId {
    let new = NewOrganization { name, slug: None, owner: Some(owner) };
    app.core.create_organization(Actor::Operator, new, &RequestMeta::cli()).await.unwrap().id
}

/// The header's markup (up to `</header>`).
fn header(html: &str) -> &str {
    &html[..html.find("</header>").unwrap()]
}

#[tokio::test]
async fn the_header_shows_the_active_organization_and_switches_to_the_others() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let browser = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let (_, html) = get(&app, &browser, "/account/profile").await;
    assert!(!header(&html).contains("org-menu"), "no organization, no menu");

    org(&app, "Acme Tools", ada).await;
    let zeta = org(&app, "Zeta & Sons", ada).await;
    let (status, html) = get(&app, &browser, "/account/profile").await;
    assert_eq!(status, StatusCode::OK);
    let head = header(&html);
    assert!(head.contains(r#"<span class="org-menu-name">Acme Tools</span>"#), "the first is active: {head}");
    assert!(head.contains(r#"aria-hidden="true">AT</span>"#), "initials without a logo: {head}");
    assert!(head.contains("Switch to Zeta &#38; Sons"), "the other is offered: {head}");
    assert!(!head.contains("Switch to Acme Tools"), "not the active one");

    let res = post_form(&app, &browser, "/account/organizations/switch", &[("organization", &zeta.to_string())]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = get(&app, &browser, &location(&res)).await;
    let head = header(&html);
    assert!(head.contains(r#"<span class="org-menu-name">Zeta &#38; Sons</span>"#), "{head}");
    assert!(head.contains("Switch to Acme Tools"), "{head}");
}
