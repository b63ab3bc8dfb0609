//! The admin console's Applications pages through HTTP: OAuth clients (registering with the
//! command line's checks, the secret shown once, changes with a version check, consents, a new
//! secret and deletion after a recent sign-in), signing keys (rotate and retire likewise) and
//! agreements (preview, publish, acceptance counts); refusals, 404s and the audit trail naming
//! the operator.

use keystead_core::audit::query::AuditQuery;
use keystead_core::ids::UserId;
use keystead_core::oauth::clients::ClientCredentials;
use keystead_core::organizations::Actor;
use keystead_testkit::TestApp;
use reqwest::{Client, StatusCode};

use super::auth::{PASSWORD, active_user, get, input_value, location, post_form, signed_in_browser};
use super::console::operator_browser;
use super::oauth::{hidden, urlencode};

/// The audit events of `action` made by `actor`.
async fn audited(app: &TestApp, actor: UserId, action: &str) -> usize {
    let query = AuditQuery { actor: Some(actor), action: Some(action.to_owned()), ..Default::default() };
    app.core.search_audit_events(Actor::Operator, None, &query).await.unwrap().items.len()
}

/// The text of the element `<code id="{id}">`.
fn code_text(html: &str, id: &str) -> String {
    let start = html.find(&format!("<code id=\"{id}\">")).unwrap_or_else(|| panic!("no {id}: {html}")) + id.len() + 12;
    html[start..start + html[start..].find("</code>").unwrap()].to_owned()
}

/// True when `secret` is the current (or still accepted previous) secret of `client_id`.
async fn secret_works(app: &TestApp, client_id: &str, secret: &str) -> bool {
    let creds = ClientCredentials { basic: Some((client_id, secret)), ..Default::default() };
    app.core.authenticate_oauth_client(creds).await.is_ok()
}

/// Signs in again with the password, to be sent back to `return_to`.
async fn reauthenticate(app: &TestApp, op: &Client, return_to: &str) {
    let res = post_form(app, op, "/account/reauthenticate", &[("password", PASSWORD), ("return_to", return_to)]).await;
    assert_eq!(location(&res), return_to);
}

/// Registers a confidential web app through the form; its client_id and secret.
async fn register_web_app(app: &TestApp, op: &Client, name: &str) -> (String, String) {
    let fields = [
        ("kind", "confidential"),
        ("name", name),
        ("redirect_uris", "https://app.example/cb\r\nhttp://127.0.0.1/callback\r\n"),
        ("grant", "authorization_code"),
        ("grant", "refresh_token"),
        ("id_token_alg", "ES256"),
    ];
    let res = post_form(app, op, "/admin/clients", &fields).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("Client registered") && html.contains("shown this once"), "{html}");
    (code_text(&html, "client-id"), code_text(&html, "client-secret"))
}

#[tokio::test]
async fn a_member_is_refused_and_unknown_ids_are_not_found() {
    let app = TestApp::new().await;
    active_user(&app, "member@example.com").await;
    let member = signed_in_browser(&app, "member@example.com", PASSWORD).await;
    for path in ["/admin/clients", "/admin/clients/new", "/admin/keys", "/admin/agreements", "/admin/agreements/new"] {
        assert_eq!(get(&app, &member, path).await.0, StatusCode::FORBIDDEN, "{path}");
    }
    for path in ["/admin/clients", "/admin/keys/rotate", "/admin/agreements", "/admin/agreements/preview"] {
        let res = post_form(&app, &member, path, &[("name", "x"), ("key", "terms")]).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let (op, _) = operator_browser(&app, "boss@example.com").await;
    for path in [
        "/admin/clients/nope",
        "/admin/clients/nope/secret",
        "/admin/clients/nope/delete",
        "/admin/keys/nope/retire",
        "/admin/agreements/xyz",
        "/admin/agreements/0190a5b8-0000-7000-8000-000000000000",
        "/admin/agreements/new?key=nothing",
    ] {
        assert_eq!(get(&app, &op, path).await.0, StatusCode::NOT_FOUND, "{path}");
    }
    let res = post_form(&app, &op, "/admin/clients/nope/delete", &[]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_operator_registers_clients_with_the_command_lines_checks_and_sees_a_secret_once() {
    let app = TestApp::new().await;
    let (op, op_id) = operator_browser(&app, "boss@example.com").await;
    let (status, html) = get(&app, &op, "/admin/clients").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("No application is registered yet.") && html.contains("aria-current=\"page\">OAuth clients"));
    let (status, html) = get(&app, &op, "/admin/clients/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Redirect URIs") && html.contains("value=\"authorization_code\" checked"), "{html}");

    // Errors stay on the form, all at once, with what was typed.
    let bad = [
        ("kind", "public"),
        ("name", ""),
        ("redirect_uris", "http://app.example/cb\nhttps://app.example/x#frag"),
        ("grant", "client_credentials"),
        ("backchannel_logout_uri", "not a url"),
    ];
    let res = post_form(&app, &op, "/admin/clients", &bad).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    for message in [
        "Give the application a name of 1 to 100 characters.",
        "app.example/cb” must use https",
        "must not contain a fragment",
        "A public client cannot use the client credentials grant.",
        "is not an absolute URL",
        "aria-invalid=\"true\"",
        "Some fields need your attention.",
        "id=\"kind-public\" name=\"kind\" value=\"public\" checked",
    ] {
        assert!(html.contains(message), "{message}: {html}");
    }
    assert!(app.core.oauth_clients().await.unwrap().is_empty());

    // A confidential client: its secret on the answer, this once.
    let (client_id, secret) = register_web_app(&app, &op, "Billing").await;
    assert!(secret.len() >= 40 && secret_works(&app, &client_id, &secret).await);
    let client = app.core.oauth_client(&client_id).await.unwrap();
    assert_eq!(client.name, "Billing");
    assert_eq!(client.redirect_uris, ["https://app.example/cb", "http://127.0.0.1/callback"]);
    assert_eq!(client.id_token_alg.as_str(), "ES256");
    let (_, page) = get(&app, &op, &format!("/admin/clients/{client_id}")).await;
    assert!(page.contains("Billing") && !page.contains(&secret), "the secret is not shown again: {page}");
    let (_, list) = get(&app, &op, "/admin/clients").await;
    assert!(list.contains("Billing") && list.contains(&client_id) && list.contains("Confidential"), "{list}");
    assert!(list.contains("Authorization code, Refresh token"), "{list}");
    assert_eq!(audited(&app, op_id, "oauth.client_registered").await, 1);

    // A public first-party client: no secret; to its page.
    let public = [
        ("kind", "public"),
        ("name", "Desktop"),
        ("first_party", "on"),
        ("redirect_uris", "com.example.desktop:/cb"),
        ("grant", "authorization_code"),
        ("grant", "urn:ietf:params:oauth:grant-type:device_code"),
    ];
    let res = post_form(&app, &op, "/admin/clients", &public).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = get(&app, &op, &location(&res)).await;
    assert!(
        page.contains("Desktop is registered.") && page.contains("A first-party application does not ask"),
        "{page}"
    );
    assert!(!page.contains("/secret\""), "a public client has no secret to renew: {page}");
    let (_, list) = get(&app, &op, "/admin/clients?sort=name&dir=desc").await;
    let (desktop, billing) = (list.find("Desktop").unwrap(), list.find("Billing").unwrap());
    assert!(desktop < billing && list.contains("aria-sort=\"descending\""), "{list}");
}

#[tokio::test]
async fn an_operator_changes_a_client_unless_it_changed_meanwhile_and_sees_its_consents() {
    let app = super::oauth::app().await;
    let (op, op_id) = operator_browser(&app, "boss@example.com").await;
    let (client_id, _) = register_web_app(&app, &op, "Billing").await;
    let path = format!("/admin/clients/{client_id}");
    let (_, html) = get(&app, &op, &path).await;
    let version = input_value(&html, "version").unwrap();
    assert!(html.contains("Nobody has consented to this application yet."), "{html}");

    let change = |name: &'static str, uris: &'static str, version: String| {
        vec![
            ("version", version),
            ("name", name.to_owned()),
            ("redirect_uris", uris.to_owned()),
            ("grant", "authorization_code".to_owned()),
        ]
    };
    let fields = change("Billing", "ftp://billing.example/cb", version.clone());
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = post_form(&app, &op, &path, &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("must use https") && html.contains("ftp:"), "{html}");

    let fields = change("Billing portal", "https://billing.example/cb", version.clone());
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = post_form(&app, &op, &path, &fields).await;
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, path.clone()));
    let client = app.core.oauth_client(&client_id).await.unwrap();
    assert_eq!((client.name.as_str(), client.redirect_uris.len()), ("Billing portal", 1));
    assert_eq!(client.grant_types.len(), 1, "refresh_token unchecked");
    assert_eq!(audited(&app, op_id, "oauth.client_changed").await, 1);
    // The same form again: the registration changed since it was read.
    let res = post_form(&app, &op, &path, &fields).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("Someone changed this client after you opened the page."));

    // Two people consent; the page counts and lists them.
    for email in ["ada@example.com", "bob@example.com"] {
        active_user(&app, email).await;
        let browser = signed_in_browser(&app, email, PASSWORD).await;
        consent(&app, &browser, &client_id).await;
    }
    let (_, html) = get(&app, &op, &path).await;
    assert!(html.contains("2 accounts consented"), "{html}");
    assert!(html.contains("ada@example.com") && html.contains("bob@example.com") && html.contains("openid email"));
}

/// The browser authorizes `client_id` for `openid email`, pressing Accept.
async fn consent(app: &TestApp, browser: &Client, client_id: &str) {
    let url = format!(
        "{}?response_type=code&client_id={client_id}&redirect_uri={}&scope=openid%20email&state=s\
         &code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256",
        app.at("/oauth/authorize"),
        urlencode("https://billing.example/cb"),
    );
    let html = browser.get(&url).send().await.unwrap().text().await.unwrap();
    let res = browser
        .post(app.at("/oauth/authorize/decision"))
        .form(&[
            ("csrf_token", hidden(&html, "csrf_token")),
            ("request", hidden(&html, "request")),
            ("decision", "accept".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND, "{html}");
}

#[tokio::test]
async fn a_new_secret_and_deleting_a_client_need_a_recent_sign_in_and_a_confirmation() {
    let app = TestApp::new().await;
    let (op, op_id) = operator_browser(&app, "boss@example.com").await;
    let (client_id, old) = register_web_app(&app, &op, "Billing").await;
    let rotate = format!("/admin/clients/{client_id}/secret");
    let delete = format!("/admin/clients/{client_id}/delete");

    app.clock.advance(time::Duration::minutes(11));
    for path in [&rotate, &delete] {
        let res = op.get(app.at(path)).send().await.unwrap();
        assert!(location(&res).starts_with("/account/reauthenticate?return_to=%2Fadmin%2Fclients%2F"), "{path}");
        let res = post_form(&app, &op, path, &[("keep_hours", "0")]).await;
        assert!(location(&res).starts_with("/account/reauthenticate"), "the POST checks too: {path}");
    }
    assert!(secret_works(&app, &client_id, &old).await);
    reauthenticate(&app, &op, &rotate).await;
    let (status, html) = get(&app, &op, &rotate).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Billing gets a new secret") && html.contains("For 7 days"), "{html}");
    let res = post_form(&app, &op, &rotate, &[("keep_hours", "5")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = post_form(&app, &op, &rotate, &[("keep_hours", "24")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    let new = code_text(&html, "client-secret");
    assert!(html.contains("New client secret") && html.contains("The previous secret keeps working until"), "{html}");
    assert!(new != old && secret_works(&app, &client_id, &new).await && secret_works(&app, &client_id, &old).await);
    assert_eq!(audited(&app, op_id, "oauth.client_secret_rotated").await, 1);

    let (status, html) = get(&app, &op, &delete).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Billing will be deleted with its consents (0)"), "{html}");
    let res = post_form(&app, &op, &delete, &[]).await;
    assert_eq!(location(&res), "/admin/clients");
    let (_, html) = get(&app, &op, "/admin/clients").await;
    assert!(html.contains("Billing is deleted.") && html.contains("No application is registered yet."), "{html}");
    assert!(app.core.oauth_client(&client_id).await.is_err());
    assert_eq!(audited(&app, op_id, "oauth.client_deleted").await, 1);
}

#[tokio::test]
async fn signing_keys_are_listed_rotated_and_retired_after_a_recent_sign_in() {
    let app = TestApp::new().await;
    let (op, op_id) = operator_browser(&app, "boss@example.com").await;
    let keys = app.core.signing_keys().await.unwrap();
    let (status, html) = get(&app, &op, "/admin/keys").await;
    assert_eq!(status, StatusCode::OK);
    for k in &keys {
        assert!(html.contains(&k.kid), "{html}");
    }
    assert_eq!(html.matches("admin-key-active").count(), 3, "{html}");
    assert!(html.contains("today"), "{html}");

    app.clock.advance(time::Duration::minutes(11));
    let res = op.get(app.at("/admin/keys/rotate")).send().await.unwrap();
    assert!(location(&res).starts_with("/account/reauthenticate?return_to=%2Fadmin%2Fkeys%2Frotate"));
    let res = post_form(&app, &op, "/admin/keys/rotate", &[]).await;
    assert!(location(&res).starts_with("/account/reauthenticate"));
    reauthenticate(&app, &op, "/admin/keys/rotate").await;
    let (status, html) = get(&app, &op, "/admin/keys/rotate").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("signs 24 hours later"), "{html}");
    let res = post_form(&app, &op, "/admin/keys/rotate", &[]).await;
    assert_eq!(location(&res), "/admin/keys");
    let (_, html) = get(&app, &op, "/admin/keys").await;
    assert!(html.contains("3 new keys are published.") && html.matches("admin-key-next").count() == 3, "{html}");
    post_form(&app, &op, "/admin/keys/rotate", &[]).await;
    let (_, html) = get(&app, &op, "/admin/keys").await;
    assert!(html.contains("nothing to rotate"), "{html}");
    assert_eq!(audited(&app, op_id, "oauth.signing_keys_rotated").await, 1);

    // Retiring the ES256 key: the next one signs at once.
    let es = keys.iter().find(|k| k.alg == "ES256").unwrap();
    let retire = format!("/admin/keys/{}/retire", es.kid);
    let (status, html) = get(&app, &op, &retire).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("The ES256 key {} stops signing now", es.kid)), "{html}");
    let res = post_form(&app, &op, &retire, &[]).await;
    assert_eq!(location(&res), "/admin/keys");
    let (_, html) = get(&app, &op, "/admin/keys").await;
    assert!(html.contains(&format!("The key {} is retired", es.kid)) && html.contains("admin-key-retired"), "{html}");
    assert_eq!(audited(&app, op_id, "oauth.signing_key_retired").await, 1);
    // A retired (or waiting) key cannot be retired.
    let res = op.get(app.at(&retire)).send().await.unwrap();
    assert_eq!(location(&res), "/admin/keys");
    let (_, html) = get(&app, &op, "/admin/keys").await;
    assert!(html.contains("Only the key that signs now can be retired."), "{html}");
    post_form(&app, &op, &retire, &[]).await;
    assert_eq!(audited(&app, op_id, "oauth.signing_key_retired").await, 1);
}

#[tokio::test]
async fn an_operator_previews_and_publishes_agreement_versions_and_sees_who_accepted() {
    let app = TestApp::new().await;
    let (op, op_id) = operator_browser(&app, "boss@example.com").await;
    let (_, html) = get(&app, &op, "/admin/agreements").await;
    assert!(html.contains("No agreement is published yet."), "{html}");
    let text = "# Terms\n\nYou **agree** to be kind. <script>alert(1)</script>";
    let form = [("key", "terms"), ("title", "Terms of Service"), ("body", text), ("required", "on")];

    // Preview: rendered as users see it, the form kept, nothing published.
    let res = post_form(&app, &op, "/admin/agreements/preview", &form).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("<h1>Terms</h1>") && html.contains("<strong>agree</strong>"), "{html}");
    assert!(!html.contains("<script>alert") && html.contains("&lt;script&gt;"), "raw HTML stays text: {html}");
    assert!(html.contains("Terms of Service") && html.contains("formaction=\"/admin/agreements/preview\""), "{html}");
    assert!(app.core.agreements().await.unwrap().is_empty());

    // Errors as form errors.
    let bad = [("key", "Terms!"), ("title", ""), ("body", " ")];
    let res = post_form(&app, &op, "/admin/agreements", &bad).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    for message in ["Use 1 to 40 lowercase letters", "Give a title of 1 to 200 characters", "The text is empty."] {
        assert!(html.contains(message), "{message}: {html}");
    }

    let res = post_form(&app, &op, "/admin/agreements", &form).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let version_page = location(&res);
    assert_eq!(audited(&app, op_id, "agreement.published").await, 1);
    // A required version is asked of everyone, the operator too: the console waits for it.
    let res = op.get(app.at(&version_page)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    accept_terms(&app, op_id).await;
    let (_, html) = get(&app, &op, &version_page).await;
    assert!(html.contains("Version 1 of terms is published.") && html.contains("<strong>agree</strong>"), "{html}");
    assert!(html.contains("boss@example.com") && !html.contains("ada@example.com"), "{html}");

    // A member accepts; the count and the list show it.
    let ada = active_user(&app, "ada@example.com").await;
    accept_terms(&app, ada).await;
    let (_, html) = get(&app, &op, "/admin/agreements").await;
    assert!(html.contains("Terms of Service") && html.contains(">2</td>"), "{html}");
    let (_, html) = get(&app, &op, &version_page).await;
    assert!(html.contains("ada@example.com"), "{html}");

    // An optional document: nobody is asked, nobody accepted yet.
    let res =
        post_form(&app, &op, "/admin/agreements", &[("key", "privacy"), ("title", "Privacy"), ("body", "Ours.")]).await;
    let (_, html) = get(&app, &op, &location(&res)).await;
    assert!(html.contains("Nobody has accepted this version yet.") && html.contains("Optional"), "{html}");

    // A new version starts from the newest text.
    let (status, html) = get(&app, &op, "/admin/agreements/new?key=terms").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("This publishes version 2 of this key.") && html.contains("You **agree** to be kind."),
        "{html}"
    );
}

/// `user` accepts the pending required agreement versions ("complete your profile").
async fn accept_terms(app: &TestApp, user: UserId) {
    let user = app.core.user_by_id(user).await.unwrap();
    let input = app
        .core
        .completion(user.id)
        .await
        .unwrap()
        .agreements
        .iter()
        .map(|a| (keystead_core::agreements::accept_field(a.id), "on".to_owned()))
        .collect();
    app.core.complete_profile(&user, &input, &keystead_core::audit::RequestMeta::cli()).await.unwrap();
}
