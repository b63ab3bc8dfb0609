//! The organization's "API tokens" page over HTTP: an owner creates a SCIM token and sees it
//! once (with the SCIM tenant URL), the list afterwards shows only its first characters, a
//! refusal keeps what was typed, a member without `org:manage` is refused, and Revoke ends it.

use keystead_core::api_tokens::ApiScope;
use keystead_core::audit::RequestMeta;
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::TestApp;
use reqwest::StatusCode;

use super::auth::{PASSWORD, active_user, get, input_value, location, post_form, signed_in_browser};

const PAGE: &str = "/org/acme/tokens";

#[tokio::test]
async fn an_owner_creates_a_scim_token_sees_it_once_and_revokes_it() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let new = NewOrganization { name: "Acme", slug: Some("acme"), owner: Some(ada) };
    let org = app.core.create_organization(Actor::Operator, new, &RequestMeta::cli()).await.unwrap().id;
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let (status, html) = get(&app, &client, PAGE).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("href=\"/org/acme/tokens\" aria-current=\"page\">API tokens"), "the tab: {html}");
    assert!(html.contains("value=\"scim\"") && !html.contains("value=\"clients:write\""), "only organization scopes");

    let refused = post_form(&app, &client, PAGE, &[("name", "Entra provisioning"), ("days", "365")]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert!(html.contains("id=\"scopes-error\"") && html.contains("value=\"Entra provisioning\""), "{html}");

    let made =
        post_form(&app, &client, PAGE, &[("name", "Entra provisioning"), ("scope", "scim"), ("days", "365")]).await;
    assert_eq!(made.status(), StatusCode::OK);
    assert_eq!(made.headers()["cache-control"], "no-store", "the token's page is not cached");
    let html = made.text().await.unwrap();
    let at = html.find("<code id=\"new-token\">").unwrap() + "<code id=\"new-token\">".len();
    let token = html[at..at + html[at..].find('<').unwrap()].to_owned();
    assert!(token.starts_with("kst_"), "{token}");
    assert!(html.contains(&app.at("/scim/v2/acme")), "the SCIM tenant URL: {html}");
    let who = app.core.authenticate_api_token(&token).await.unwrap();
    assert_eq!((who.organization, who.actor, who.scopes.clone()), (Some(org), Actor::User(ada), vec![ApiScope::Scim]));

    let (_, listed) = get(&app, &client, PAGE).await;
    assert!(!listed.contains(&token) && listed.contains(&format!("{}…", &token[..12])), "{listed}");

    // A member without org:manage sees nothing and makes nothing.
    let bob = active_user(&app, "bob@example.com").await;
    app.core.add_organization_member(Actor::Operator, org, bob, "member", &RequestMeta::cli()).await.unwrap();
    let member = signed_in_browser(&app, "bob@example.com", PASSWORD).await;
    assert_eq!(get(&app, &member, PAGE).await.0, StatusCode::FORBIDDEN);
    let res = post_form(&app, &member, PAGE, &[("name", "mine"), ("scope", "orgs:read")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let id = input_value(&listed, "token").unwrap();
    let res = post_form(&app, &member, "/org/acme/tokens/revoke", &[("token", &id)]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "not theirs to see");
    assert!(app.core.authenticate_api_token(&token).await.is_ok());

    let res = post_form(&app, &client, "/org/acme/tokens/revoke", &[("token", &id)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), PAGE);
    let (_, html) = get(&app, &client, PAGE).await;
    assert!(html.contains("The token is revoked") && html.contains("badge-disabled"), "{html}");
    assert!(app.core.authenticate_api_token(&token).await.is_err());
}
