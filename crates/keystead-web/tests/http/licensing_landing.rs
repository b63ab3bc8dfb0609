//! Landing after sign-in by the user's licenses (`/landing`), and the extension chooser
//! (`/account/extensions`) used the way a browser without JavaScript does: plain forms.

use keystead_core::audit::RequestMeta;
use keystead_core::ids::{OrganizationId, UserId};
use keystead_core::licensing::{NewPlan, NewProduct, NewSubscription};
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::{TestApp, TestAppOptions, licensing};
use reqwest::{Client, StatusCode};

use super::auth::{PASSWORD, active_user, get, location, post_form, signed_in_browser};

const MARKETPLACE: &str = "https://market.example.com/start";
const WEB_APP: &str = "https://app.example.com/sign-in";

/// An app with the testkit catalogue (plan `cet-pro` landing on the chooser) and the plans
/// `cet-dl` (downloads), `cet-web` (an external app) and `cet-basic` (no landing), each held by
/// an organization; `no_license_url` set when given.
async fn app(no_license_url: Option<&'static str>) -> TestApp {
    let configure = no_license_url.map(|u| {
        Box::new(move |c: &mut keystead_core::config::Config| {
            c.licenses.no_license_url = Some(url::Url::parse(u).unwrap());
        }) as keystead_testkit::app::Configure
    });
    let app = TestApp::start(TestAppOptions { configure, ..Default::default() }).await.unwrap();
    licensing::catalogue(&app.core, "extension_chooser").await.unwrap();
    licensing::plan(&app.core, "cet-dl", "CET Downloads", "downloads", &[]).await.unwrap();
    licensing::plan(&app.core, "cet-web", "CET Web", WEB_APP, &[]).await.unwrap();
    licensing::plan(&app.core, "cet-basic", "CET Basic", "none", &[]).await.unwrap();
    app
}

/// A user `email` (active, profile complete) holding a seat of `plan` in a new organization.
async fn holder(app: &TestApp, email: &str, plan: &str) -> (UserId, OrganizationId) {
    let user = active_user(app, email).await;
    let slug = format!("org-{}", email.split('@').next().unwrap());
    let (org, _) = licensing::organization(&app.core, &slug, plan, 5).await.unwrap();
    licensing::assign(&app.core, org, plan, user).await.unwrap();
    (user, org)
}

/// Where `/landing` sends `client`: a 303 to a page of this site, or a page that moves on to
/// another site by itself (a redirect there would be stopped by the sign-in form's
/// `form-action 'self'` in Chromium).
async fn landing(app: &TestApp, client: &Client) -> String {
    let res = client.get(app.at("/landing")).send().await.unwrap();
    if res.status() == StatusCode::SEE_OTHER {
        return location(&res);
    }
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    let refresh = "<meta http-equiv=\"refresh\" content=\"0; url=";
    let start = html.find(refresh).unwrap() + refresh.len();
    let target = html[start..start + html[start..].find('"').unwrap()].to_owned();
    assert!(html.contains(&format!("<a href=\"{target}\" rel=\"noopener\">continue to ")), "{html}");
    target
}

#[tokio::test]
async fn signing_in_without_return_to_lands_where_the_license_says() {
    let app = app(None).await;
    for (email, plan, expected) in [
        ("chooser@example.com", "cet-pro", "/account/extensions"),
        ("downloads@example.com", "cet-dl", "/account/downloads"),
        ("web@example.com", "cet-web", WEB_APP),
        ("basic@example.com", "cet-basic", "/account/licenses"),
    ] {
        holder(&app, email, plan).await;
        // `signed_in_browser` checks that the sign-in itself went to `/landing`.
        let client = signed_in_browser(&app, email, PASSWORD).await;
        assert_eq!(landing(&app, &client).await, expected, "{plan}");
    }
    // No license and no marketplace configured: My Account's overview, with what to do next.
    active_user(&app, "nobody@example.com").await;
    let client = signed_in_browser(&app, "nobody@example.com", PASSWORD).await;
    assert_eq!(landing(&app, &client).await, "/account");
    let (status, html) = get(&app, &client, "/account").await;
    assert!(status == StatusCode::OK && html.contains("You are signed in as") && html.contains("Security"), "{html}");
}

#[tokio::test]
async fn without_a_license_the_user_lands_on_the_configured_marketplace() {
    let app = app(Some(MARKETPLACE)).await;
    active_user(&app, "nobody@example.com").await;
    let client = signed_in_browser(&app, "nobody@example.com", PASSWORD).await;
    assert_eq!(landing(&app, &client).await, MARKETPLACE);
    // A license, even one without a landing of its own, is no longer "no license".
    holder(&app, "basic@example.com", "cet-basic").await;
    let client = signed_in_browser(&app, "basic@example.com", PASSWORD).await;
    assert_eq!(landing(&app, &client).await, "/account/licenses");
}

#[tokio::test]
async fn an_explicit_return_to_still_wins_and_landing_needs_a_session() {
    let app = app(Some(MARKETPLACE)).await;
    holder(&app, "chooser@example.com", "cet-pro").await;
    let client = app.client();
    let fields = [("email", "chooser@example.com"), ("password", PASSWORD), ("return_to", "/account/profile")];
    let res = post_form(&app, &client, "/sign-in/password", &fields).await;
    assert_eq!(location(&res), "/account/profile");
    // Already signed in, the sign-in page sends on the same way.
    let res = client.get(app.at("/sign-in")).send().await.unwrap();
    assert_eq!(location(&res), "/landing");
    let res = client.get(app.at("/sign-in?return_to=%2Faccount%2Fsecurity")).send().await.unwrap();
    assert_eq!(location(&res), "/account/security");

    let anonymous = app.client();
    let res = anonymous.get(app.at("/landing")).send().await.unwrap();
    assert_eq!(location(&res), "/sign-in?return_to=%2Flanding");
}

/// The `aria-pressed` of the card button of `name` on the chooser page.
fn pressed(html: &str, name: &str) -> Option<bool> {
    let end = html.find(&format!("<span class=\"visually-hidden\"> {name}</span></button>"))?;
    let start = html[..end].rfind("<button")?;
    let button = &html[start..end];
    Some(button.contains("aria-pressed=\"true\"") && button.contains("Selected"))
}

#[tokio::test]
async fn the_extension_chooser_selects_and_deselects_with_plain_forms() {
    let app = app(None).await;
    let (ada, _) = holder(&app, "ada@example.com", "cet-pro").await;
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;

    let (status, html) = get(&app, &client, "/account/extensions").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let manufacturers = html.find(">Manufacturers</h2>").unwrap();
    let utilities = html.find(">Utilities</h2>").unwrap();
    let (warehouse, measure) = (html.find(">Warehouse</h3>").unwrap(), html.find(">Measure</h3>").unwrap());
    assert!(manufacturers < warehouse && warehouse < utilities && utilities < measure, "grouped: {html}");
    assert!(html.contains("Racks, shelving and storage systems.") && html.contains("aria-current=\"page\""));
    assert!(html.contains("class=\"extension-icon extension-initial\" aria-hidden=\"true\">W<"), "{html}");
    assert_eq!((pressed(&html, "Warehouse"), pressed(&html, "Measure")), (Some(false), Some(false)));

    let select = [("product", "warehouse"), ("selected", "1")];
    let res = post_form(&app, &client, "/account/extensions/select", &select).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/account/extensions");
    let (_, html) = get(&app, &client, "/account/extensions").await;
    assert!(html.contains("Warehouse is selected.") && html.contains("1 extension is selected."), "{html}");
    assert_eq!((pressed(&html, "Warehouse"), pressed(&html, "Measure")), (Some(true), Some(false)));
    assert!(html.contains("name=\"selected\" value=\"0\""), "the selected card deselects: {html}");
    assert_eq!(app.core.selected_extensions(ada).await.unwrap(), ["warehouse"]);

    let deselect = [("product", "warehouse"), ("selected", "0")];
    let res = post_form(&app, &client, "/account/extensions/select", &deselect).await;
    assert_eq!(location(&res), "/account/extensions");
    let (_, html) = get(&app, &client, "/account/extensions").await;
    assert!(html.contains("Warehouse is no longer selected."), "{html}");
    assert_eq!(pressed(&html, "Warehouse"), Some(false));
    assert!(app.core.selected_extensions(ada).await.unwrap().is_empty());

    let odd =
        post_form(&app, &client, "/account/extensions/select", &[("product", "warehouse"), ("selected", "yes")]).await;
    assert_eq!(odd.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_chooser_refuses_a_post_without_csrf_and_hides_what_the_user_may_not_select() {
    let app = app(None).await;
    let (ada, _) = holder(&app, "ada@example.com", "cet-pro").await;
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let forged = client
        .post(app.at("/account/extensions/select"))
        .form(&[("product", "warehouse"), ("selected", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(app.core.selected_extensions(ada).await.unwrap().is_empty());

    // Not an extension, not a product, not allowed by a license: the same 404 page.
    for product in ["cet", "nothing", ""] {
        let res =
            post_form(&app, &client, "/account/extensions/select", &[("product", product), ("selected", "1")]).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{product}");
        assert!(res.text().await.unwrap().contains("Page not found"));
    }
    active_user(&app, "nobody@example.com").await;
    let nobody = signed_in_browser(&app, "nobody@example.com", PASSWORD).await;
    let res =
        post_form(&app, &nobody, "/account/extensions/select", &[("product", "warehouse"), ("selected", "1")]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let (status, html) = get(&app, &nobody, "/account/extensions").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("None of your licenses includes extensions.") && html.contains("href=\"/account/licenses\""));
    assert!(!html.contains("Warehouse"), "{html}");
}

#[tokio::test]
async fn an_extension_icon_and_learn_more_link_are_shown_and_its_origin_allowed_by_the_csp() {
    let app = app(None).await;
    let meta = RequestMeta::cli();
    let lighting = NewProduct {
        key: "lighting",
        name: "Lighting",
        kind: "extension",
        description: Some("Luminaires from many makers."),
        icon_url: Some("https://cdn.example.com/icons/lighting.png"),
        learn_more_url: Some("https://example.com/lighting"),
        ..NewProduct::default()
    };
    app.core.create_product(Actor::Operator, lighting, &meta).await.unwrap();
    let plan = NewPlan {
        product: "cet",
        key: "lights",
        name: "Lights",
        landing: "none",
        extensions: vec!["lighting"],
        ..NewPlan::default()
    };
    app.core.create_plan(Actor::Operator, plan, &meta).await.unwrap();
    let user = active_user(&app, "ada@example.com").await;
    let new = NewOrganization { name: "Acme", slug: Some("acme"), owner: Some(user) };
    let org = app.core.create_organization(Actor::Operator, new, &meta).await.unwrap().id;
    let new = NewSubscription { plan: "lights", seats: 1, starts_at: None, ends_at: None };
    app.core.create_subscription(Actor::Operator, org, new, &meta).await.unwrap();
    app.core.assign_seat(Actor::Operator, org, "lights", user, &meta).await.unwrap();

    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let res = client.get(app.at("/account/extensions")).send().await.unwrap();
    let csp = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(
        csp.contains("img-src 'self' data: https://cdn.example.com;") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    let html = res.text().await.unwrap();
    assert!(html.contains("src=\"https://cdn.example.com/icons/lighting.png\""), "{html}");
    assert!(
        html.contains("<a href=\"https://example.com/lighting\" rel=\"noopener\">Learn more<span class=\"visually-hidden\"> about Lighting</span></a>"),
        "{html}"
    );
    // Other pages keep the strict policy.
    let other = client.get(app.at("/account/profile")).send().await.unwrap();
    assert!(!other.headers()["content-security-policy"].to_str().unwrap().contains("cdn.example.com"));
}
