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
