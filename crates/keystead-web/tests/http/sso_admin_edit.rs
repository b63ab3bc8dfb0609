//! "Edit connection" on the organization's Single sign-on page over HTTP: the form shows what is
//! set (never a secret), saves a new name and the same IdP's new metadata (larger than the
//! server-wide body limit), keeps what was typed next to a refusal, refuses another IdP's
//! metadata, and is closed to members without `sso:manage`.

use keystead_core::organizations::Actor;
use keystead_testkit::TestApp;
use reqwest::StatusCode;

use super::auth::{PASSWORD, active_user, get, location, post_form, signed_in_browser};
use super::sso_admin::{ENTITY_ID, acme, add, connect_saml, idp_metadata};

#[tokio::test]
async fn an_admin_renames_a_connection_and_gives_its_idps_new_metadata() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let org = acme(&app, ada).await;
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let (html, id) = connect_saml(&app, &client).await;
    let edit = format!("/org/acme/sso/{id}/edit");
    assert!(html.contains(&format!("href=\"{edit}\">Edit")), "{html}");

    let (status, form) = get(&app, &client, &edit).await;
    assert_eq!(status, StatusCode::OK, "{form}");
    assert!(form.contains("value=\"Acme SSO\"") && form.contains(&format!("<code>{ENTITY_ID}</code>")), "{form}");

    // The IdP rolled its key over: its new metadata (100 KB, over the 64 KiB body limit).
    let rolled = idp_metadata(100 * 1024);
    let res = post_form(&app, &client, &edit, &[("name", "Acme Entra"), ("metadata", &rolled)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());
    assert_eq!(location(&res), "/org/acme/sso");
    let (_, page) = get(&app, &client, "/org/acme/sso").await;
    assert!(page.contains("Acme Entra is saved."), "{page}");
    let saved = app.core.sso_connections(Actor::Operator, org).await.unwrap();
    assert_eq!((saved[0].name.as_str(), saved[0].issuer.as_str()), ("Acme Entra", ENTITY_ID));

    // Another IdP's metadata, and an empty name: refused in place, what was typed kept.
    let other = idp_metadata(0).replace(ENTITY_ID, "https://elsewhere.example/saml");
    let res = post_form(&app, &client, &edit, &[("name", ""), ("metadata", &other)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"edit-name-error\""), "{html}");
    let res = post_form(&app, &client, &edit, &[("name", "Acme Entra"), ("metadata", &other)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"edit-metadata-error\"") && html.contains("elsewhere.example"), "{html}");
    assert!(html.contains("add another connection"), "{html}");
    assert_eq!(app.core.sso_connections(Actor::Operator, org).await.unwrap()[0].issuer, ENTITY_ID);

    // A member without sso:manage neither sees nor saves the form; an unknown id is not found.
    let bob = active_user(&app, "bob@example.com").await;
    add(&app, org, bob, "member").await;
    let member = signed_in_browser(&app, "bob@example.com", PASSWORD).await;
    assert_eq!(get(&app, &member, &edit).await.0, StatusCode::FORBIDDEN);
    let res = post_form(&app, &member, &edit, &[("name", "Mine now")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(get(&app, &client, "/org/acme/sso/not-an-id/edit").await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.core.sso_connections(Actor::Operator, org).await.unwrap()[0].name, "Acme Entra");
}
