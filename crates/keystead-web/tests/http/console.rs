//! The admin console's frame and its Operators page through HTTP: who gets in (an operator with
//! a second factor; not a member, not a signed-out visitor, not an operator without a second
//! factor), the header's link, granting and taking the role with a recent sign-in and a
//! confirmation, and the audit trail naming the operator.

use keystead_core::audit::RequestMeta;
use keystead_core::ids::UserId;
use keystead_core::organizations::Actor;
use keystead_testkit::TestApp;
use reqwest::{Client, StatusCode};

use super::auth::{PASSWORD, active_user, get, location, post_form, signed_in_browser};
use super::mfa::{app_code, enrol_totp, password_step};

/// A browser signed in with password and authenticator app as `email`, an operator; with the
/// account's id.
pub(crate) async fn operator_browser(app: &TestApp, email: &str) -> (Client, UserId) {
    let id = active_user(app, email).await;
    app.core.grant_operator(Actor::Operator, id, &RequestMeta::cli()).await.unwrap();
    let (secret, _) = enrol_totp(app, email).await;
    let client = password_step(app, email).await;
    let code = app_code(app, &secret);
    let res = post_form(app, &client, "/sign-in/second-factor", &[("method", "totp"), ("code", &code)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());
    (client, id)
}

#[tokio::test]
async fn only_an_operator_with_a_second_factor_gets_in() {
    let app = TestApp::new().await;
    // Signed out: sign in first, and come back.
    let (_, _) = (active_user(&app, "member@example.com").await, ());
    let visitor = app.client();
    let res = visitor.get(app.at("/admin/operators")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/sign-in?return_to=%2Fadmin%2Foperators");
    // A member: refused, and the header offers no console.
    let member = signed_in_browser(&app, "member@example.com", PASSWORD).await;
    let (status, html) = get(&app, &member, "/admin/operators").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{html}");
    let (_, home) = get(&app, &member, "/account").await;
    assert!(!home.contains("href=\"/admin\""), "{home}");
    // An operator signed in with the password only: sent to set up a second factor.
    let id = active_user(&app, "op@example.com").await;
    app.core.grant_operator(Actor::Operator, id, &RequestMeta::cli()).await.unwrap();
    let weak = signed_in_browser(&app, "op@example.com", PASSWORD).await;
    let res = weak.get(app.at("/admin/operators")).send().await.unwrap();
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/account/two-factor".to_owned()));
    let (_, setup) = get(&app, &weak, "/account/two-factor").await;
    assert!(setup.contains("The admin console needs two-factor authentication"), "{setup}");
    // With an authenticator app: in, and the header links to the console.
    let (op, _) = operator_browser(&app, "boss@example.com").await;
    let (status, html) = get(&app, &op, "/admin/operators").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("boss@example.com") && html.contains("op@example.com"), "{html}");
    assert!(html.contains("href=\"/admin\""), "the header's link: {html}");
    assert!(html.contains("aria-current=\"page\">Operators</a>"), "{html}");
}

#[tokio::test]
async fn an_operator_grants_and_removes_the_role_with_a_recent_sign_in_and_it_is_audited() {
    let app = TestApp::new().await;
    let (op, op_id) = operator_browser(&app, "boss@example.com").await;
    let bob = active_user(&app, "bob@example.com").await;
    // Errors stay on the form.
    for (email, message) in [("nobody@example.com", "No account has this address."), ("not mail", "email")] {
        let res = post_form(&app, &op, "/admin/operators", &[("email", email)]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains(message) && html.contains("aria-invalid=\"true\""), "{email}: {html}");
    }
    let res = post_form(&app, &op, "/admin/operators", &[("email", "Bob@Example.com")]).await;
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/admin/operators".to_owned()));
    let (_, html) = get(&app, &op, "/admin/operators").await;
    assert!(html.contains("bob@example.com is now an operator."), "{html}");
    assert!(app.core.is_operator(bob).await.unwrap());
    let granted = app.core.audit_events_for(bob, 10).await.unwrap();
    assert_eq!(granted.iter().find(|e| e.action == "operator.granted").unwrap().actor, Some(op_id));

    // Eleven minutes later, removing the role asks for the password or a code first.
    app.clock.advance(time::Duration::minutes(11));
    let confirm = format!("/admin/operators/{bob}/revoke");
    let res = op.get(app.at(&confirm)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        location(&res).starts_with("/account/reauthenticate?return_to=%2Fadmin%2Foperators%2F"),
        "{}",
        location(&res)
    );
    let res = post_form(&app, &op, &confirm, &[]).await;
    assert!(location(&res).starts_with("/account/reauthenticate"), "the POST checks too");
    assert!(app.core.is_operator(bob).await.unwrap());
    let res = post_form(&app, &op, "/account/reauthenticate", &[("password", PASSWORD), ("return_to", &confirm)]).await;
    assert_eq!(location(&res), confirm);
    let (status, html) = get(&app, &op, &confirm).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("bob@example.com will no longer be able to use the admin console"), "{html}");
    let res = post_form(&app, &op, &confirm, &[]).await;
    assert_eq!(location(&res), "/admin/operators");
    assert!(!app.core.is_operator(bob).await.unwrap());
    let revoked = app.core.audit_events_for(bob, 10).await.unwrap();
    assert_eq!(revoked.iter().find(|e| e.action == "operator.revoked").unwrap().actor, Some(op_id));

    // The last operator keeps the role; unknown and malformed ids are not found.
    let res = post_form(&app, &op, &format!("/admin/operators/{op_id}/revoke"), &[]).await;
    assert_eq!(location(&res), "/admin/operators");
    let (_, html) = get(&app, &op, "/admin/operators").await;
    assert!(html.contains("This is the last operator."), "{html}");
    assert!(app.core.is_operator(op_id).await.unwrap());
    for path in [format!("/admin/operators/{bob}/revoke"), "/admin/operators/xyz/revoke".to_owned()] {
        assert_eq!(get(&app, &op, &path).await.0, StatusCode::NOT_FOUND, "{path}");
    }
}

/// Every page of the console, and a form of each section: a visitor is sent to sign in, a
/// member and an organization's owner are refused, an operator without a second factor is sent
/// to set one up — and nothing is changed.
#[tokio::test]
async fn every_console_page_and_form_refuses_everyone_but_an_operator_with_a_second_factor() {
    let app = TestApp::new().await;
    let (op, _) = operator_browser(&app, "boss@example.com").await;
    let owner = active_user(&app, "owner@acme.example").await;
    let new = keystead_core::organizations::NewOrganization { name: "Acme", slug: Some("acme"), owner: Some(owner) };
    app.core.create_organization(Actor::Operator, new, &RequestMeta::cli()).await.unwrap();
    active_user(&app, "member@example.com").await;
    let weak_id = active_user(&app, "weak-op@example.com").await;
    app.core.grant_operator(Actor::Operator, weak_id, &RequestMeta::cli()).await.unwrap();
    let user = format!("/admin/users/{owner}");
    let pages = [
        "/admin".to_owned(),
        "/admin/users".to_owned(),
        user.clone(),
        format!("{user}/disable"),
        "/admin/organizations".to_owned(),
        "/admin/organizations/acme".to_owned(),
        "/admin/organizations/new".to_owned(),
        "/admin/operators".to_owned(),
        "/admin/clients".to_owned(),
        "/admin/keys".to_owned(),
        "/admin/webhooks".to_owned(),
        "/admin/products".to_owned(),
        "/admin/agreements".to_owned(),
        "/admin/audit".to_owned(),
        "/admin/audit.csv".to_owned(),
        "/admin/outbox".to_owned(),
    ];
    let forms = [
        format!("{user}/disable"),
        format!("{user}/reset-mfa"),
        "/admin/organizations".to_owned(),
        "/admin/organizations/acme/delete".to_owned(),
        "/admin/operators".to_owned(),
        "/admin/webhooks".to_owned(),
        "/admin/keys/rotate".to_owned(),
    ];
    for path in &pages {
        assert_eq!(get(&app, &op, path).await.0, StatusCode::OK, "the operator opens {path}");
    }
    let visitor = app.client();
    let member = signed_in_browser(&app, "member@example.com", PASSWORD).await;
    let org_owner = signed_in_browser(&app, "owner@acme.example", PASSWORD).await;
    let weak = signed_in_browser(&app, "weak-op@example.com", PASSWORD).await;
    for path in &pages {
        let res = visitor.get(app.at(path)).send().await.unwrap();
        assert!(location(&res).starts_with("/sign-in?return_to="), "a visitor at {path}");
        assert_eq!(get(&app, &member, path).await.0, StatusCode::FORBIDDEN, "a member at {path}");
        assert_eq!(get(&app, &org_owner, path).await.0, StatusCode::FORBIDDEN, "an organization's owner at {path}");
        let res = weak.get(app.at(path)).send().await.unwrap();
        assert_eq!(location(&res), "/account/two-factor", "an operator without a second factor at {path}");
    }
    for path in &forms {
        let fields =
            [("email", "member@example.com"), ("name", "Sneaky"), ("confirm", "acme"), ("url", "https://x.example/h")];
        assert_eq!(post_form(&app, &member, path, &fields).await.status(), StatusCode::FORBIDDEN, "{path}");
        assert_eq!(post_form(&app, &org_owner, path, &fields).await.status(), StatusCode::FORBIDDEN, "{path}");
        assert_eq!(location(&post_form(&app, &weak, path, &fields).await), "/account/two-factor", "{path}");
    }
    assert!(app.core.organization_by_slug(Actor::Operator, "acme").await.is_ok());
    assert!(!app.core.is_operator(app.core.user_by_email("member@example.com").await.unwrap().id).await.unwrap());
    assert!(app.core.webhook_endpoints(Actor::Operator, None).await.unwrap().is_empty());
}
