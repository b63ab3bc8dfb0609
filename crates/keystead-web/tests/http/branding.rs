//! Branding: the deployment's accent colour and logo from configuration, an organization's colour
//! on its members' pages (set through the admin API), every palette served as a stylesheet that
//! keeps WCAG AA contrast; bad settings are refused with the field named.

use keystead_core::Error;
use keystead_core::audit::RequestMeta;
use keystead_core::branding::Rgb;
use keystead_core::ids::UserId;
use keystead_core::organizations::{Actor, NewOrganization, OrganizationChanges};
use keystead_testkit::{TestApp, TestAppOptions};
use reqwest::StatusCode;

use super::auth::{PASSWORD, active_user, get, signed_in_browser};

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(40, 20, image::Rgb([200, 30, 30]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[tokio::test]
async fn the_configured_accent_and_logo_are_on_every_page_and_served() {
    let logo = std::env::temp_dir().join(format!("keystead-logo-{}.png", UserId::new()));
    std::fs::write(&logo, png()).unwrap();
    let app = TestApp::start(TestAppOptions {
        configure: Some(Box::new(move |c| {
            c.interface.accent_color = Rgb::parse("#FFCC00");
            c.interface.logo_file = Some(logo);
        })),
        ..TestAppOptions::default()
    })
    .await
    .unwrap();
    let client = app.client();
    let (_, html) = get(&app, &client, "/sign-in").await;
    assert!(html.contains(r#"<link rel="stylesheet" href="/brand/ffcc00.css">"#), "{html}");
    let src = html.split(r#"<img class="brand-logo" src=""#).nth(1).unwrap().split('"').next().unwrap().to_owned();
    assert!(src.starts_with("/brand/logo?v="), "{src}");

    let res = client.get(app.at("/brand/ffcc00.css")).send().await.unwrap();
    assert_eq!(res.headers()["content-type"], "text/css; charset=utf-8");
    assert!(res.headers()["cache-control"].to_str().unwrap().contains("immutable"));
    let css = res.text().await.unwrap();
    assert!(css.contains("--accent-text: #ffffff;"), "yellow is darkened until white text reads on it: {css}");
    let (light, dark) = css.split_once("@media").unwrap();
    assert!(!light.contains("--accent: #ffcc00;"), "unreadable as link text on the light page: {css}");
    assert!(dark.contains("--accent: #ffcc00; --accent-text: #000000;"), "readable as chosen on the dark page: {css}");

    let res = client.get(app.at(&src)).send().await.unwrap();
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.bytes().await.unwrap().to_vec(), png());

    for bad in ["/brand/ffcc0.css", "/brand/gggggg.css", "/brand/ffcc00.js"] {
        assert_eq!(client.get(app.at(bad)).send().await.unwrap().status(), StatusCode::NOT_FOUND, "{bad}");
    }
}

#[tokio::test]
async fn without_branding_there_is_neither_a_palette_nor_a_logo() {
    let app = TestApp::new().await;
    let (_, html) = get(&app, &app.client(), "/sign-in").await;
    assert!(!html.contains("/brand/"), "{html}");
    assert_eq!(app.client().get(app.at("/brand/logo")).send().await.unwrap().status(), StatusCode::NOT_FOUND);
}

async fn org_of(app: &TestApp, owner: UserId) -> keystead_core::ids::OrganizationId {
    let new = NewOrganization { name: "Acme", slug: None, owner: Some(owner) };
    app.core.create_organization(Actor::Operator, new, &RequestMeta::cli()).await.unwrap().id
}

#[tokio::test]
async fn an_organizations_colour_is_on_its_members_pages_and_a_bad_one_is_refused() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let acme = org_of(&app, ada).await;
    let set = |color: Option<&str>| OrganizationChanges {
        brand_color: Some(color.map(str::to_owned)),
        ..OrganizationChanges::default()
    };
    let org = app.core.change_organization(Actor::User(ada), acme, set(Some("#0A7")), None, &RequestMeta::cli()).await;
    assert_eq!(org.unwrap().brand_color.as_deref(), Some("#00aa77"), "kept in one form");
    let browser = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let (_, html) = get(&app, &browser, "/account/profile").await;
    assert!(html.contains(r#"href="/brand/00aa77.css""#), "{html}");

    let refused =
        app.core.change_organization(Actor::User(ada), acme, set(Some("teal")), None, &RequestMeta::cli()).await;
    match refused {
        Err(Error::Invalid(errors)) => assert_eq!(errors.0[0].field, "brand_color"),
        other => panic!("{other:?}"),
    }
    app.core.change_organization(Actor::User(ada), acme, set(None), None, &RequestMeta::cli()).await.unwrap();
    let (_, html) = get(&app, &browser, "/account/profile").await;
    assert!(!html.contains("/brand/"), "back to the deployment's colour: {html}");
}
