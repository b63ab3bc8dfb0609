//! My Account → Developer over HTTP: an owner of two organizations sees both in the form, makes a
//! token for one (shown once, with that organization's SCIM URL), finds it listed with its
//! organization on later visits and revokes it there; a member who administers nothing gets the
//! empty state and cannot make a token for an organization by posting its id.

use keystead_core::api_tokens::ApiScope;
use keystead_core::audit::RequestMeta;
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::TestApp;
use reqwest::StatusCode;

use super::auth::{PASSWORD, active_user, get, input_value, location, post_form, signed_in_browser};

const PAGE: &str = "/account/developer";
const CREATE: &str = "/account/developer/tokens";

#[tokio::test]
async fn an_administrator_makes_lists_and_revokes_tokens_of_their_organizations() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let mut orgs = Vec::new();
    for (name, slug) in [("Acme", "acme"), ("Beta", "beta")] {
        let new = NewOrganization { name, slug: Some(slug), owner: Some(ada) };
        orgs.push(app.core.create_organization(Actor::Operator, new, &RequestMeta::cli()).await.unwrap().id);
    }
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let (status, html) = get(&app, &client, PAGE).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("href=\"/account/developer\" aria-current=\"page\">Developer"), "the section: {html}");
    assert!(html.contains("You have made no token."), "{html}");
    for id in &orgs {
        assert!(html.contains(&format!("<option value=\"{id}\">")), "{id} offered: {html}");
    }

    let refused = post_form(&app, &client, CREATE, &[("name", "Okta"), ("scope", "scim")]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert!(html.contains("id=\"organization-error\"") && html.contains("value=\"Okta\""), "{html}");

    let beta = orgs[1].to_string();
    let made = post_form(&app, &client, CREATE, &[("organization", &beta), ("name", "Okta"), ("scope", "scim")]).await;
    assert_eq!(made.status(), StatusCode::OK);
    assert_eq!(made.headers()["cache-control"], "no-store");
    let html = made.text().await.unwrap();
    let at = html.find("<code id=\"new-token\">").unwrap() + "<code id=\"new-token\">".len();
    let token = html[at..at + html[at..].find('<').unwrap()].to_owned();
    assert!(html.contains(&app.at("/scim/v2/beta")), "the SCIM tenant URL of that organization: {html}");
    let who = app.core.authenticate_api_token(&token).await.unwrap();
    assert_eq!(
        (who.organization, who.actor, who.scopes.clone()),
        (Some(orgs[1]), Actor::User(ada), vec![ApiScope::Scim])
    );

    let (_, listed) = get(&app, &client, PAGE).await;
    assert!(!listed.contains(&token) && listed.contains(&format!("{}…", &token[..12])), "{listed}");
    assert!(listed.contains("<td>Beta</td>"), "listed with its organization: {listed}");

    // Bob administers nothing: an empty state, and posting Acme's id is refused like no choice.
    let bob = active_user(&app, "bob@example.com").await;
    app.core.add_organization_member(Actor::Operator, orgs[0], bob, "member", &RequestMeta::cli()).await.unwrap();
    let member = signed_in_browser(&app, "bob@example.com", PASSWORD).await;
    let (_, html) = get(&app, &member, PAGE).await;
    assert!(html.contains("You administer no organization"), "{html}");
    let acme = orgs[0].to_string();
    let res =
        post_form(&app, &member, CREATE, &[("organization", &acme), ("name", "mine"), ("scope", "orgs:read")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let id = input_value(&listed, "token").unwrap();
    let res = post_form(&app, &member, "/account/developer/tokens/revoke", &[("token", &id)]).await;
    assert_eq!(location(&res), PAGE);
    assert!(app.core.authenticate_api_token(&token).await.is_ok(), "not bob's to revoke");

    let res = post_form(&app, &client, "/account/developer/tokens/revoke", &[("token", &id)]).await;
    assert_eq!((res.status(), location(&res).as_str()), (StatusCode::SEE_OTHER, PAGE));
    let (_, html) = get(&app, &client, PAGE).await;
    assert!(html.contains("The token is revoked") && html.contains("badge-disabled"), "{html}");
    assert!(app.core.authenticate_api_token(&token).await.is_err());
}
