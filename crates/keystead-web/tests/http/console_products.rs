//! The admin console's Products page through HTTP: the catalogue (products, plans with where
//! their holders land, downloads) as the command line built it; an empty catalogue says so; a
//! member is refused.

use keystead_testkit::{TestApp, licensing};
use reqwest::StatusCode;

use super::auth::{PASSWORD, active_user, get, signed_in_browser};
use super::console::operator_browser;

#[tokio::test]
async fn the_products_page_shows_the_catalogue_to_operators_only() {
    let app = TestApp::new().await;
    let (op, _) = operator_browser(&app, "op@example.com").await;
    let (status, empty) = get(&app, &op, "/admin/products").await;
    assert_eq!(status, StatusCode::OK, "{empty}");
    assert!(empty.contains("No product yet.") && empty.contains("No plan yet."), "{empty}");
    assert!(empty.contains("aria-current=\"page\">Products and licenses</a>"), "{empty}");
    licensing::catalogue(&app.core, "extension_chooser").await.unwrap();
    let (_, html) = get(&app, &op, "/admin/products").await;
    for part in [
        "CET Designer",
        "Space planning and configuration.",
        "desktop app",
        "Warehouse",
        "extension chooser",
        "cet-pro",
        "windows-x64",
    ] {
        assert!(html.contains(part), "{part}: {html}");
    }
    active_user(&app, "member@example.com").await;
    let member = signed_in_browser(&app, "member@example.com", PASSWORD).await;
    assert_eq!(get(&app, &member, "/admin/products").await.0, StatusCode::FORBIDDEN);
}
