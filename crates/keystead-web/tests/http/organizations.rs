//! Organizations over HTTP: My Account → Organizations and Groups with switching, invitations
//! (accepting, registering through the link, refusals), and the admin pages with their 403s.

use std::time::Duration;

use keystead_core::audit::RequestMeta;
use keystead_core::ids::{OrganizationId, UserId};
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::TestApp;
use reqwest::StatusCode;

use super::auth::{PASSWORD, active_user, get, input_value, location, post_form, signed_in_browser};

const MAIL_TIMEOUT: Duration = Duration::from_secs(10);

async fn org(app: &TestApp, name: &str, owner: UserId) -> OrganizationId {
    let new = NewOrganization { name, slug: None, owner: Some(owner) };
    app.core.create_organization(Actor::Operator, new, &RequestMeta::cli()).await.unwrap().id
}

async fn add(app: &TestApp, org: OrganizationId, user: UserId, role: &str) {
    app.core.add_organization_member(Actor::Operator, org, user, role, &RequestMeta::cli()).await.unwrap();
}

/// Follows a redirect answer and returns the page it leads to.
async fn follow(app: &TestApp, client: &reqwest::Client, res: reqwest::Response) -> String {
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());
    let to = location(&res);
    let (status, html) = get(app, client, &to).await;
    assert_eq!(status, StatusCode::OK, "{to}: {html}");
    html
}

/// The invitation link of the `n`-th email (1-based) the sink received.
pub(crate) async fn invitation_link(app: &TestApp, n: usize) -> String {
    let mails = app.smtp.wait_for(n, MAIL_TIMEOUT).await.unwrap();
    let mail = &mails[n - 1];
    assert!(mail.subject().unwrap_or_default().contains("You are invited to join"), "{mail:?}");
    let link = mail.links().into_iter().find(|l| l.contains("/invitations/accept?token=")).unwrap();
    link.trim_start_matches(app.url.as_str()).trim_start_matches('/').to_owned()
}

#[tokio::test]
async fn my_account_lists_organizations_and_log_in_switches_the_active_one() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let bob = active_user(&app, "bob@example.com").await;
    let acme = org(&app, "Acme", ada).await;
    let zeta = org(&app, "Zeta", bob).await;
    add(&app, zeta, ada, "guest").await;
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let (status, html) = get(&app, &client, "/account/organizations").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Acme") && html.contains("Zeta") && html.contains(">Guest<"), "{html}");
    assert_eq!(html.matches(">Current<").count(), 1, "{html}");
    assert!(html.contains("aria-label=\"Log in to Zeta\""), "{html}");
    assert!(!html.contains("aria-label=\"Log in to Acme\""), "Acme is already current: {html}");

    let res = post_form(&app, &client, "/account/organizations/switch", &[("organization", &zeta.to_string())]).await;
    let html = follow(&app, &client, res).await;
    assert!(html.contains("You are now working in Zeta."), "{html}");
    assert!(html.contains("aria-label=\"Log in to Acme\""), "{html}");
    let sessions = app.core.sessions_of(ada).await.unwrap();
    assert_eq!(sessions[0].active_organization, Some(zeta));
    let claims = keystead_core::organizations::token_claims(&app.core, ada, sessions[0].active_organization).await;
    assert_eq!(claims.unwrap().unwrap().org_roles, ["guest"]);

    // An organization the user does not belong to cannot be switched to.
    let stranger = org(&app, "Stranger", bob).await;
    let res =
        post_form(&app, &client, "/account/organizations/switch", &[("organization", &stranger.to_string())]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // The last owner cannot leave.
    let res = post_form(&app, &client, "/account/organizations/leave", &[("organization", &acme.to_string())]).await;
    let html = follow(&app, &client, res).await;
    assert!(html.contains("You are this organization&#39;s last owner") || html.contains("last owner"), "{html}");
    assert!(app.core.organization(Actor::User(ada), acme).await.is_ok());
}

#[tokio::test]
async fn groups_of_the_active_organization_can_be_joined_where_the_policy_allows() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let bob = active_user(&app, "bob@example.com").await;
    let acme = org(&app, "Acme", ada).await;
    add(&app, acme, bob, "guest").await;
    let meta = RequestMeta::cli();
    let open = app.core.create_group(Actor::User(ada), acme, "Beta testers", "Try things early", "open", &meta).await;
    let open = open.unwrap();
    app.core.create_group(Actor::User(ada), acme, "Staff", "", "closed", &meta).await.unwrap();
    let client = signed_in_browser(&app, "bob@example.com", PASSWORD).await;
    let (_, html) = get(&app, &client, "/account/groups").await;
    assert!(html.contains("Your groups in Acme") && html.contains("You are not in any group of Acme."), "{html}");
    let res = post_form(&app, &client, "/account/groups/join", &[("group", &open.to_string())]).await;
    let html = follow(&app, &client, res).await;
    assert!(html.contains("You joined the group.") && html.contains("aria-label=\"Leave Beta testers\""), "{html}");

    let closed = app.core.groups_for(bob, acme).await.unwrap().into_iter().find(|g| g.name == "Staff").unwrap();
    let res = post_form(&app, &client, "/account/groups/join", &[("group", &closed.id.to_string())]).await;
    let html = follow(&app, &client, res).await;
    assert!(html.contains("Staff is a closed group: an administrator adds its members."), "{html}");
    let staff = app.core.groups_for(bob, acme).await.unwrap().into_iter().find(|g| g.name == "Staff").unwrap();
    assert!(!staff.is_member && staff.members == 0);
}

#[tokio::test]
async fn a_new_user_registers_through_the_invitation_link_and_lands_in_the_organization() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let acme = org(&app, "Acme", ada).await;
    let admin = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let res =
        post_form(&app, &admin, "/org/acme/members/invite", &[("email", "new@example.com"), ("role", "guest")]).await;
    let html = follow(&app, &admin, res).await;
    assert!(
        html.contains("An invitation is on its way to new@example.com.") && html.contains("Open invitations"),
        "{html}"
    );
    let link = invitation_link(&app, 1).await;

    let guest = app.client();
    let (status, html) = get(&app, &guest, &format!("/{link}")).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("new@example.com is invited to join Acme as Guest.") && html.contains("Create account and join")
    );
    let token = input_value(&html, "token").unwrap();
    let weak = post_form(&app, &guest, "/invitations/register", &[("token", &token), ("password", "short")]).await;
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app.core.user_by_email("new@example.com").await.is_err(), "nothing created");
    let res = post_form(&app, &guest, "/invitations/register", &[("token", &token), ("password", PASSWORD)]).await;
    assert_eq!(location(&res), "/landing");
    // The link proved the address; the names the deployment requires come first.
    let gated = guest.get(app.at("/account/organizations")).send().await.unwrap();
    assert_eq!(location(&gated), "/complete-profile?return_to=%2Faccount%2Forganizations");
    let fields = [("given_name", "Nova"), ("family_name", "Guest"), ("return_to", "/account/organizations")];
    let res = post_form(&app, &guest, "/complete-profile", &fields).await;
    assert_eq!(location(&res), "/account/organizations");
    let html = follow(&app, &guest, res).await;
    assert!(html.contains("Acme") && html.contains(">Current<") && html.contains(">Guest<"), "{html}");
    let user = app.core.user_by_email("new@example.com").await.unwrap();
    assert!(user.email_verified_at.is_some(), "the link proved the address");
    assert_eq!(app.smtp.messages().len(), 1, "no confirmation email");

    // The link works once.
    let (status, html) = get(&app, &app.client(), &format!("/{link}")).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(html.contains("This invitation no longer works"), "{html}");
    let again =
        post_form(&app, &app.client(), "/invitations/register", &[("token", &token), ("password", PASSWORD)]).await;
    assert_eq!(again.status(), StatusCode::GONE);
    // The admin sees the guest and the audit trail names the organization.
    let (_, html) = get(&app, &admin, "/org/acme/members").await;
    assert!(html.contains("new@example.com") && html.contains("No invitation is open."), "{html}");
    let audit = app.core.organization_audit(Actor::User(ada), acme, 50).await.unwrap();
    assert!(
        audit.iter().any(|e| e.details["event"] == "invited")
            && audit.iter().any(|e| e.details["event"] == "invitation_accepted")
    );
}

#[tokio::test]
async fn an_existing_user_accepts_after_signing_in_and_another_address_is_refused() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let bob = active_user(&app, "bob@example.com").await;
    active_user(&app, "eve@example.com").await;
    let acme = org(&app, "Acme", ada).await;
    let meta = RequestMeta::cli();
    app.core.invite_to_organization(Actor::User(ada), acme, "bob@example.com", "member", &meta).await.unwrap();
    let link = invitation_link(&app, 1).await;

    let anonymous = app.client();
    let (_, html) = get(&app, &anonymous, &format!("/{link}")).await;
    assert!(html.contains("Sign in to accept") && html.contains("return_to=%2Finvitations%2Faccept"), "{html}");

    let eve = signed_in_browser(&app, "eve@example.com", PASSWORD).await;
    let (_, html) = get(&app, &eve, &format!("/{link}")).await;
    assert!(html.contains("You are signed in as eve@example.com"), "{html}");
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let refused = post_form(&app, &eve, "/invitations/accept", &[("token", &token)]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let html = refused.text().await.unwrap();
    assert!(html.contains("This invitation was sent to bob@example.com"), "{html}");

    let client = signed_in_browser(&app, "bob@example.com", PASSWORD).await;
    let (_, html) = get(&app, &client, "/account/organizations").await;
    assert!(html.contains("aria-label=\"Accept the invitation to Acme\""), "{html}");
    let res = post_form(&app, &client, "/invitations/accept", &[("token", &token)]).await;
    assert_eq!(location(&res), "/landing", "where the user's licenses say");
    let (_, html) = get(&app, &client, "/account/organizations").await;
    assert!(html.contains("You joined the organization.") && html.contains(">Current<"), "{html}");
    assert!(app.core.organization(Actor::User(bob), acme).await.is_ok());

    // Pending invitations are declined from My Account.
    let zeta = org(&app, "Zeta", ada).await;
    let inv = app.core.invite_to_organization(Actor::User(ada), zeta, "bob@example.com", "member", &meta).await;
    let inv = inv.unwrap();
    let res = post_form(&app, &client, "/account/invitations/decline", &[("invitation", &inv.id.to_string())]).await;
    let html = follow(&app, &client, res).await;
    assert!(html.contains("The invitation is declined.") && !html.contains("Zeta"), "{html}");
}

#[tokio::test]
async fn a_member_attempting_admin_actions_gets_403_and_nothing_changes() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let bob = active_user(&app, "bob@example.com").await;
    active_user(&app, "eve@example.com").await;
    let acme = org(&app, "Acme", ada).await;
    add(&app, acme, bob, "member").await;
    let member = signed_in_browser(&app, "bob@example.com", PASSWORD).await;
    let before = app.core.organization_audit(Actor::Operator, acme, 100).await.unwrap().len();
    let (status, html) = get(&app, &member, "/org/acme/members").await;
    assert_eq!(status, StatusCode::OK, "members may read the list");
    assert!(!html.contains("Send invitation") && !html.contains("Change role"), "{html}");
    for path in ["/org/acme/settings", "/org/acme/roles", "/org/acme/groups"] {
        let (status, html) = get(&app, &member, path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert!(html.contains("You do not have permission to do this."), "{html}");
    }
    let ada_id = ada.to_string();
    let posts: [(&str, Vec<(&str, &str)>); 5] = [
        ("/org/acme/members/invite", vec![("email", "x@example.com"), ("role", "member")]),
        ("/org/acme/members/role", vec![("user", &ada_id), ("role", "member")]),
        ("/org/acme/members/remove", vec![("user", &ada_id)]),
        ("/org/acme/settings", vec![("name", "Hacked")]),
        ("/org/acme/delete", vec![("confirm", "acme")]),
    ];
    for (path, fields) in &posts {
        let res = post_form(&app, &member, path, fields).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(app.core.organization_audit(Actor::Operator, acme, 100).await.unwrap().len(), before);
    assert_eq!(app.core.organization(Actor::Operator, acme).await.unwrap().name, "Acme");
    // Outsiders do not learn that the organization exists.
    let eve = signed_in_browser(&app, "eve@example.com", PASSWORD).await;
    assert_eq!(get(&app, &eve, "/org/acme/members").await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_admin_changes_roles_manages_groups_roles_and_settings() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let bob = active_user(&app, "bob@example.com").await;
    let acme = org(&app, "Acme", ada).await;
    add(&app, acme, bob, "guest").await;
    let admin = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let bob_id = bob.to_string();
    let res = post_form(&app, &admin, "/org/acme/members/role", &[("user", &bob_id), ("role", "billing_admin")]).await;
    let html = follow(&app, &admin, res).await;
    assert!(html.contains("The role is now Billing administrator."), "{html}");
    let ada_id = ada.to_string();
    let res = post_form(&app, &admin, "/org/acme/members/role", &[("user", &ada_id), ("role", "member")]).await;
    let html = follow(&app, &admin, res).await;
    assert!(html.contains("last owner"), "{html}");

    let res = post_form(&app, &admin, "/org/acme/groups", &[("name", "Staff"), ("join_policy", "closed")]).await;
    assert!(follow(&app, &admin, res).await.contains("The group Staff is created."));
    let res = post_form(&app, &admin, "/org/acme/groups", &[("name", "Staff"), ("join_policy", "closed")]).await;
    assert!(follow(&app, &admin, res).await.contains("A group with this name exists"));
    let staff = app.core.groups_for(ada, acme).await.unwrap().remove(0);
    let res = post_form(
        &app,
        &admin,
        "/org/acme/groups/add",
        &[("group", &staff.id.to_string()), ("email", "bob@example.com")],
    )
    .await;
    assert!(follow(&app, &admin, res).await.contains("bob@example.com is in the group."));
    let (_, html) = get(&app, &admin, "/org/acme/members?q=bob").await;
    assert!(html.contains(">Staff</td>") && !html.contains("Remove ada@example.com"), "{html}");

    let res = post_form(
        &app,
        &admin,
        "/org/acme/roles",
        &[("name", "Invoice readers"), ("permission", "invoices:read"), ("permission", "members:read")],
    )
    .await;
    let html = follow(&app, &admin, res).await;
    assert!(
        html.contains("The role Invoice readers is created.") && html.contains("members:read, invoices:read"),
        "{html}"
    );

    let res = post_form(
        &app,
        &admin,
        "/org/acme/settings",
        &[("name", "Acme Inc"), ("require_mfa", "on"), ("password_min_length", "4")],
    )
    .await;
    // Refused as a whole: the reasons beside their fields, what was typed kept, nothing saved.
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"password_min_length-error\"><p>Choose a length from 8 to 128"), "{html}");
    assert!(html.contains("value=\"Acme Inc\"") && html.contains("value=\"4\""), "{html}");
    let bad_colour = [("name", "Acme Inc"), ("password_min_length", "12"), ("brand_color", "blue")];
    let res = post_form(&app, &admin, "/org/acme/settings", &bad_colour).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"brand_color-error\"><p>Give a colour as #rrggbb"), "{html}");
    assert_eq!(app.core.organization(Actor::Operator, acme).await.unwrap().name, "Acme");
    let res = post_form(
        &app,
        &admin,
        "/org/acme/settings",
        &[("name", "Acme Inc"), ("require_mfa", "on"), ("password_min_length", "12"), ("brand_color", "#0B6E4F")],
    )
    .await;
    let html = follow(&app, &admin, res).await;
    assert!(html.contains("The settings are saved.") && html.contains("value=\"Acme Inc\""), "{html}");
    // The organization's pages take its colour.
    assert!(html.contains("value=\"#0b6e4f\"") && html.contains("href=\"/brand/0b6e4f.css\""), "{html}");
    let o = app.core.organization(Actor::Operator, acme).await.unwrap();
    assert_eq!((o.settings.require_mfa, o.settings.password_min_length), (true, Some(12)));
    assert_eq!(o.brand_color.as_deref(), Some("#0b6e4f"));

    let res = post_form(&app, &admin, "/org/acme/delete", &[("confirm", "wrong")]).await;
    assert!(follow(&app, &admin, res).await.contains("to confirm"));
    let res = post_form(&app, &admin, "/org/acme/delete", &[("confirm", "acme")]).await;
    let html = follow(&app, &admin, res).await;
    assert!(
        html.contains("Acme Inc is deleted.") && html.contains("You do not belong to any organization yet"),
        "{html}"
    );
}

/// The owner of one organization opens none of another's admin pages and changes nothing there:
/// every page and form answers as if the organization did not exist.
#[tokio::test]
async fn an_admin_of_another_organization_sees_and_changes_nothing_of_this_one() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let eve = active_user(&app, "eve@globex.example").await;
    let acme = org(&app, "Acme", ada).await;
    org(&app, "Globex", eve).await;
    let before = app.core.organization_audit(Actor::Operator, acme, 100).await.unwrap().len();
    let outsider = signed_in_browser(&app, "eve@globex.example", PASSWORD).await;
    for page in ["members", "groups", "roles", "licenses", "sso", "tokens", "settings"] {
        let (status, html) = get(&app, &outsider, &format!("/org/acme/{page}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{page}");
        assert!(!html.contains("ada@example.com"), "{page}: {html}");
        assert_eq!(get(&app, &outsider, &format!("/org/globex/{page}")).await.0, StatusCode::OK, "their own {page}");
    }
    let ada_id = ada.to_string();
    // Nor the confirmation pages of its destructive actions (whatever id is asked for).
    let group = app.core.create_group(Actor::Operator, acme, "Staff", "", "closed", &RequestMeta::cli()).await.unwrap();
    for ask in [format!("members/remove?user={ada}"), format!("groups/delete?group={group}")] {
        assert_eq!(get(&app, &outsider, &format!("/org/acme/{ask}")).await.0, StatusCode::NOT_FOUND, "{ask}");
    }
    let before = before + 1;
    let posts: [(&str, Vec<(&str, &str)>); 10] = [
        ("members/invite", vec![("email", "x@example.com"), ("role", "member")]),
        ("members/role", vec![("user", &ada_id), ("role", "member")]),
        ("members/remove", vec![("user", &ada_id)]),
        ("groups", vec![("name", "Spies")]),
        ("roles", vec![("name", "Spy"), ("permission", "members:read")]),
        ("settings", vec![("name", "Hacked")]),
        ("domains", vec![("domain", "acme.example")]),
        ("tokens", vec![("name", "stolen"), ("scope", "users:read")]),
        ("sso/policy", vec![("policy", "optional")]),
        ("delete", vec![("confirm", "acme")]),
    ];
    for (path, fields) in &posts {
        let res = post_form(&app, &outsider, &format!("/org/acme/{path}"), fields).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(app.core.organization_audit(Actor::Operator, acme, 100).await.unwrap().len(), before);
    assert_eq!(app.core.organization(Actor::Operator, acme).await.unwrap().name, "Acme");
}

/// My Account → Profile says the role in the active organization, and follows a switch.
#[tokio::test]
async fn the_profile_names_the_role_in_the_active_organization() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let bob = active_user(&app, "bob@example.com").await;
    let acme = org(&app, "Acme", ada).await;
    add(&app, acme, bob, "admin").await;
    let loner = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let (_, html) = get(&app, &loner, "/account/profile").await;
    assert!(html.contains("In Acme your role is Owner."), "{html}");
    let globex = org(&app, "Globex", ada).await;
    add(&app, globex, bob, "member").await;
    let browser = signed_in_browser(&app, "bob@example.com", PASSWORD).await;
    let (_, html) = get(&app, &browser, "/account/profile").await;
    let either =
        html.contains("In Acme your role is Administrator.") || html.contains("In Globex your role is Member.");
    assert!(either && html.contains("href=\"/account/organizations\""), "{html}");
    active_user(&app, "cy@example.com").await;
    let cy = signed_in_browser(&app, "cy@example.com", PASSWORD).await;
    let (_, html) = get(&app, &cy, "/account/profile").await;
    assert!(!html.contains("your role is"), "no organization, no role: {html}");
}
