//! An organization's colour and logo on the pages that name it to someone outside it (the
//! invitation to join it, the sign-in step that sends its members to their identity provider)
//! and in the emails about it (the invitation itself).
//! The logo is served there by a URL carrying its version, which works without a session and
//! stops working when the logo changes.

use keystead_core::audit::RequestMeta;
use keystead_core::ids::OrganizationId;
use keystead_core::organizations::{Actor, NewOrganization, OrganizationChanges};
use keystead_testkit::TestApp;
use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE};

use super::auth::{PASSWORD, active_user, get, post_form, signed_in_browser};
use super::organizations::invitation_link;
use super::sso_flow::{acme_connected, identity_provider, service_provider};

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(40, 20, image::Rgb([20, 90, 200]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Gives `org` the colour #0b6e4f and a logo; returns the logo's version.
async fn brand(app: &TestApp, org: OrganizationId) -> String {
    let changes = OrganizationChanges { brand_color: Some(Some("#0B6E4F".into())), ..OrganizationChanges::default() };
    app.core.change_organization(Actor::Operator, org, changes, None, &RequestMeta::cli()).await.unwrap();
    app.core.set_organization_logo(Actor::Operator, org, png(), &RequestMeta::cli()).await.unwrap()
}

/// The page's accent stylesheet is the organization's and its logo is at a URL anyone holding the
/// page can fetch (but not a guessed one).
async fn assert_branded(app: &TestApp, html: &str, org: OrganizationId, version: &str) {
    assert!(html.contains(r#"<link rel="stylesheet" href="/brand/0b6e4f.css">"#), "{html}");
    let src = format!("/brand/organizations/{org}/{version}");
    assert!(html.contains(&format!(r#"<img class="org-logo" src="{src}" width="64" height="64" alt="">"#)), "{html}");
    let logo = app.client().get(app.at(&src)).send().await.unwrap();
    assert_eq!(logo.status(), StatusCode::OK);
    assert_eq!(logo.headers()[CONTENT_TYPE], "image/jpeg");
    assert!(logo.headers()[CACHE_CONTROL].to_str().unwrap().contains("immutable"));
    assert!(image::load_from_memory(&logo.bytes().await.unwrap()).is_ok());
    for wrong in [format!("/brand/organizations/{org}/x{version}"), format!("/brand/organizations/nonsense/{version}")]
    {
        let res = app.client().get(app.at(&wrong)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{wrong}");
    }
}

#[tokio::test]
async fn an_invitation_shows_the_organizations_colour_and_logo() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let new = NewOrganization { name: "Acme Widgets", slug: Some("acme"), owner: Some(ada) };
    let acme = app.core.create_organization(Actor::Operator, new, &RequestMeta::cli()).await.unwrap().id;
    let admin = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    post_form(&app, &admin, "/org/acme/members/invite", &[("email", "new@example.com"), ("role", "member")]).await;
    let link = invitation_link(&app, 1).await;

    // Without a logo: the initials, and the deployment's colour.
    let (status, html) = get(&app, &app.client(), &format!("/{link}")).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains(r#"<span class="org-logo org-initials" aria-hidden="true">AW</span>"#), "{html}");
    assert!(!html.contains("/brand/"), "{html}");

    let first = app.smtp.messages()[0].html_body().unwrap();
    assert!(first.contains("background:#1f5fbf;color:#ffffff;") && !first.contains("<img"), "{first}");

    let version = brand(&app, acme).await;
    let (_, html) = get(&app, &app.client(), &format!("/{link}")).await;
    assert_branded(&app, &html, acme, &version).await;
    // The invitation email speaks for the organization: its logo and name, its colour.
    post_form(&app, &admin, "/org/acme/members/invite", &[("email", "two@example.com"), ("role", "member")]).await;
    invitation_link(&app, 2).await;
    let mail = app.smtp.messages()[1].html_body().unwrap();
    let logo = format!("<img src=\"{}brand/organizations/{acme}/{version}\"", app.url);
    assert!(mail.contains(&logo) && mail.contains("Acme Widgets</td>"), "{mail}");
    assert!(mail.contains("background:#0b6e4f;color:#ffffff;"), "{mail}");
    // A new logo is a new URL; the old one no longer answers.
    let newer = app.core.set_organization_logo(Actor::Operator, acme, png(), &RequestMeta::cli()).await.unwrap();
    if newer != version {
        let old = app.client().get(app.at(&format!("/brand/organizations/{acme}/{version}"))).send().await.unwrap();
        assert_eq!(old.status(), StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn the_single_sign_on_step_shows_the_organizations_colour_and_logo() {
    let sp = service_provider().await;
    let (idp, client_id, secret) = identity_provider(&sp, None).await;
    let (acme, _) = acme_connected(&sp, &idp, &client_id, &secret, false).await;
    let version = brand(&sp, acme).await;
    let res = post_form(&sp, &sp.client(), "/sign-in", &[("email", super::sso_flow::EMAIL)]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("Continue to Acme SSO"), "{html}");
    assert_branded(&sp, &html, acme, &version).await;
}
