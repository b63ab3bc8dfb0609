//! The admin console's Users pages through HTTP: the search (one box for address, name and id
//! prefix; filters by status, second factor and organization; pages by cursor; bad filters as
//! messages), a user's page (the whole dossier) and its actions (confirmation pages, a recent
//! sign-in for the dangerous ones, the result as a message, the audit log naming the operator);
//! refusals for members and 404s for unknown ids.

use keystead_core::accounts::UserStatus;
use keystead_core::accounts::admin::NewUser;
use keystead_core::audit::RequestMeta;
use keystead_core::audit::query::AuditQuery;
use keystead_core::ids::UserId;
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::TestApp;
use reqwest::{Client, StatusCode};

use super::auth::{PASSWORD, active_user, get, location, post_form, signed_in_browser};
use super::console::operator_browser;
use super::mfa::enrol_totp;

/// The audit events of `action` about `subject` made by `actor`.
async fn audited(app: &TestApp, actor: UserId, subject: UserId, action: &str) -> usize {
    let query = AuditQuery {
        actor: Some(actor),
        subject: Some(subject),
        action: Some(action.to_owned()),
        ..Default::default()
    };
    app.core.search_audit_events(Actor::Operator, None, &query).await.unwrap().items.len()
}

async fn account(app: &TestApp, email: &str, given: Option<&str>, family: Option<&str>, verified: bool) -> UserId {
    let new = NewUser { email, given_name: given, family_name: family, verified, password: None };
    app.core.create_user(new, &RequestMeta::cli()).await.unwrap().id
}

/// Posts an action's form and returns the message it leaves on the page it leads back to.
async fn act(app: &TestApp, op: &Client, path: &str) -> String {
    let res = post_form(app, op, path, &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
    let back = location(&res);
    let (status, html) = get(app, op, &back).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    html
}

/// The `href` of the link with `rel="next"`, unescaped.
fn next_link(html: &str) -> Option<String> {
    let at = html.find("rel=\"next\"")?;
    let start = html[..at].rfind("href=\"")? + 6;
    Some(html[start..start + html[start..].find('"')?].replace("&amp;", "&").replace("&#x2F;", "/"))
}

#[tokio::test]
async fn the_users_page_searches_filters_and_pages() {
    let app = TestApp::new().await;
    let (op, _) = operator_browser(&app, "op@example.com").await;
    let ada = account(&app, "ada@example.com", Some("Ada"), Some("Lovelace"), true).await;
    let grace = account(&app, "grace@example.com", Some("Grace"), Some("Hopper"), true).await;
    for i in 0..50 {
        account(&app, &format!("bulk{i:02}@bulk.example"), None, None, true).await;
    }
    // Everyone, by address, 50 a page: the second page goes on where the first ended.
    let (status, first) = get(&app, &op, "/admin/users").await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert!(first.contains("aria-current=\"page\">Users</a>"), "{first}");
    assert!(first.contains("ada@example.com") && first.contains("bulk00@bulk.example"), "{first}");
    assert!(!first.contains("op@example.com"), "the 53rd address is on the next page: {first}");
    let next = next_link(&first).expect("a next page");
    let (_, second) = get(&app, &op, &next).await;
    assert!(second.contains("op@example.com") && !second.contains("ada@example.com"), "{second}");
    assert!(next_link(&second).is_none() && second.contains(">First page</a>"), "{second}");
    // Newest first when sorted by creation.
    let (_, newest) = get(&app, &op, "/admin/users?sort=-created").await;
    assert!(newest.contains("aria-sort=\"descending\""), "{newest}");
    assert!(newest.find("bulk49@").unwrap() < newest.find("bulk00@").unwrap(), "{newest}");
    // One box: a name's word, an address, an id prefix.
    let (_, found) = get(&app, &op, "/admin/users?q=lov").await;
    assert!(found.contains(&format!("/admin/users/{ada}")) && !found.contains("grace@"), "{found}");
    let (_, found) = get(&app, &op, "/admin/users?q=GRACE%40").await;
    assert!(found.contains("grace@example.com") && !found.contains("ada@"), "{found}");
    let prefix = &grace.to_string()[..8];
    let (_, found) = get(&app, &op, &format!("/admin/users?q={prefix}")).await;
    assert!(found.contains("grace@example.com"), "{found}");
    let (_, none) = get(&app, &op, "/admin/users?q=nobody-like-this").await;
    assert!(none.contains("No account matches"), "{none}");
    // Filters: status, second factor, organization.
    app.core.disable_user(Actor::Operator, grace, &RequestMeta::cli()).await.unwrap();
    let (_, disabled) = get(&app, &op, "/admin/users?status=disabled").await;
    assert!(disabled.contains("grace@example.com") && !disabled.contains("ada@"), "{disabled}");
    let (_, with_mfa) = get(&app, &op, "/admin/users?mfa=with").await;
    assert!(with_mfa.contains("op@example.com") && !with_mfa.contains("ada@"), "{with_mfa}");
    let new = NewOrganization { name: "Analytical Engines", slug: Some("engines"), owner: Some(ada) };
    app.core.create_organization(Actor::Operator, new, &RequestMeta::cli()).await.unwrap();
    let (_, members) = get(&app, &op, "/admin/users?org=engines").await;
    assert!(members.contains("ada@example.com") && !members.contains("bulk00@"), "{members}");
    // Bad filters: a message next to the field, never an error page.
    let (status, bad) = get(&app, &op, "/admin/users?org=no-such-org").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.contains("No organization has the short name “no-such-org”"), "{bad}");
    let (status, bad) = get(&app, &op, "/admin/users?status=sleeping").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.contains("Choose a status from the list."), "{bad}");
    let (status, bad) = get(&app, &op, "/admin/users?cursor=not-a-cursor").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    assert!(bad.contains("start from the first page"), "{bad}");
    // A member is refused.
    active_user(&app, "member@example.com").await;
    let member = signed_in_browser(&app, "member@example.com", PASSWORD).await;
    assert_eq!(get(&app, &member, "/admin/users?q=ada").await.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_users_page_shows_the_dossier_and_refuses_members() {
    let app = TestApp::new().await;
    let (op, _) = operator_browser(&app, "op@example.com").await;
    let target = active_user(&app, "target@example.com").await;
    enrol_totp(&app, "target@example.com").await;
    let new = NewOrganization { name: "Target Co", slug: Some("target-co"), owner: Some(target) };
    app.core.create_organization(Actor::Operator, new, &RequestMeta::cli()).await.unwrap();
    let path = format!("/admin/users/{target}");
    let (status, html) = get(&app, &op, &path).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    for part in [
        "<h1>target@example.com</h1>",
        "Authenticator app",
        "href=\"/admin/organizations/target-co\">Target Co</a>",
        "Reset two-factor authentication",
        "Send password reset link",
        "user.registered",
    ] {
        assert!(html.contains(part), "{part}: {html}");
    }
    assert!(!html.contains("Resend verification email"), "the address is confirmed: {html}");
    // Unknown and malformed ids are not found.
    assert_eq!(get(&app, &op, "/admin/users/not-an-id").await.0, StatusCode::NOT_FOUND);
    let unknown = format!("/admin/users/{}", UserId::new());
    assert_eq!(get(&app, &op, &unknown).await.0, StatusCode::NOT_FOUND);
    assert_eq!(post_form(&app, &op, &format!("{unknown}/enable"), &[]).await.status(), StatusCode::NOT_FOUND);
    // A member reads nothing and changes nothing.
    active_user(&app, "member@example.com").await;
    let member = signed_in_browser(&app, "member@example.com", PASSWORD).await;
    assert_eq!(get(&app, &member, &path).await.0, StatusCode::FORBIDDEN);
    let res = post_form(&app, &member, &format!("{path}/disable"), &[]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.core.user_within(Actor::Operator, None, target).await.unwrap().user.status, UserStatus::Active);
}

#[tokio::test]
async fn an_operator_resets_two_factor_ends_sessions_and_disables_with_the_operator_as_actor() {
    let app = TestApp::new().await;
    let (op, op_id) = operator_browser(&app, "op@example.com").await;
    let target = active_user(&app, "target@example.com").await;
    enrol_totp(&app, "target@example.com").await;
    let path = format!("/admin/users/{target}");
    // Reset two-factor: a confirmation, then done, told, audited.
    let (status, confirm) = get(&app, &op, &format!("{path}/reset-mfa")).await;
    assert_eq!(status, StatusCode::OK, "{confirm}");
    assert!(confirm.contains("Every second factor of target@example.com is removed"), "{confirm}");
    let html = act(&app, &op, &format!("{path}/reset-mfa")).await;
    assert!(html.contains("Two-factor authentication of target@example.com is reset"), "{html}");
    assert!(!app.core.mfa_status(target).await.unwrap().enabled());
    assert_eq!(audited(&app, op_id, target, "mfa.reset").await, 1);
    // End sessions: confirmation without a fresh sign-in.
    signed_in_browser(&app, "target@example.com", PASSWORD).await;
    let (status, confirm) = get(&app, &op, &format!("{path}/end-sessions")).await;
    assert_eq!(status, StatusCode::OK, "{confirm}");
    let html = act(&app, &op, &format!("{path}/end-sessions")).await;
    assert!(html.contains("One session of target@example.com ended."), "{html}");
    assert!(app.core.user_sessions(Actor::Operator, target).await.unwrap().is_empty());
    assert_eq!(audited(&app, op_id, target, "session.revoked").await, 1);
    // Disabling needs a recent sign-in, on the page and on the form.
    app.clock.advance(time::Duration::minutes(11));
    let res = op.get(app.at(&format!("{path}/disable"))).send().await.unwrap();
    assert!(location(&res).starts_with("/account/reauthenticate?return_to=%2Fadmin%2Fusers%2F"), "{res:?}");
    let res = post_form(&app, &op, &format!("{path}/disable"), &[]).await;
    assert!(location(&res).starts_with("/account/reauthenticate"));
    let back = format!("{path}/disable");
    let res = post_form(&app, &op, "/account/reauthenticate", &[("password", PASSWORD), ("return_to", &back)]).await;
    assert_eq!(location(&res), back);
    let html = act(&app, &op, &back).await;
    assert!(html.contains("target@example.com is disabled") && html.contains("Enable account"), "{html}");
    assert_eq!(audited(&app, op_id, target, "user.disabled").await, 1);
    let html = act(&app, &op, &format!("{path}/enable")).await;
    assert!(html.contains("target@example.com can sign in again"), "{html}");
    assert_eq!(audited(&app, op_id, target, "user.enabled").await, 1);
}

#[tokio::test]
async fn an_operator_sends_links_and_starts_closing_an_account() {
    let app = TestApp::new().await;
    let (op, op_id) = operator_browser(&app, "op@example.com").await;
    // Verification: only while the address is not confirmed, and not twice in a row.
    let new = account(&app, "new@example.com", None, None, false).await;
    let path = format!("/admin/users/{new}");
    let (_, html) = get(&app, &op, &path).await;
    assert!(html.contains("Resend verification email"), "{html}");
    let html = act(&app, &op, &format!("{path}/resend-verification")).await;
    assert!(html.contains("A new verification link went to new@example.com."), "{html}");
    assert_eq!(audited(&app, op_id, new, "user.verification_resent").await, 1);
    let html = act(&app, &op, &format!("{path}/resend-verification")).await;
    assert!(html.contains("Too many emails to this account. Try again in"), "{html}");
    // A password reset link.
    let target = active_user(&app, "target@example.com").await;
    let path = format!("/admin/users/{target}");
    let html = act(&app, &op, &format!("{path}/send-reset")).await;
    assert!(html.contains("A password reset link went to target@example.com."), "{html}");
    assert_eq!(audited(&app, op_id, target, "user.password_reset_requested").await, 1);
    // Closing: the confirmation names the grace period; afterwards the page shows the date and
    // offers nothing that a closing account refuses.
    let (_, confirm) = get(&app, &op, &format!("{path}/close")).await;
    assert!(confirm.contains("deleted after 30 days"), "{confirm}");
    let html = act(&app, &op, &format!("{path}/close")).await;
    assert!(html.contains("target@example.com is closing"), "{html}");
    assert!(html.contains("Personal data deleted on") && !html.contains("Start closing</a>"), "{html}");
    assert_eq!(audited(&app, op_id, target, "user.closed").await, 1);
    let html = act(&app, &op, &format!("{path}/close")).await;
    assert!(html.contains("The account is already closing or deleted."), "{html}");
    // A closing account gets no reset link.
    let html = act(&app, &op, &format!("{path}/send-reset")).await;
    assert!(html.contains("No link was sent: the account is disabled or closed."), "{html}");
}
