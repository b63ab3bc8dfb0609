//! The organization's Single sign-on page over HTTP: an admin connects a SAML identity provider
//! by pasting its metadata (larger than the server-wide body limit), sees the URLs to give the
//! provider, disables, enables and removes it; refusals land next to their fields; members and
//! forged forms change nothing. Then the "members must sign in through SSO" policy and what it
//! does to a member's password (sign-in, reset email, My Account → Password), and My Account →
//! Security for a password user.

use keystead_core::audit::RequestMeta;
use keystead_core::ids::{OrganizationId, UserId};
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::TestApp;
use reqwest::{Client, StatusCode};
use secrecy::ExposeSecret;

use super::auth::{PASSWORD, active_user, get, input_value, location, mail, post_form, signed_in_browser};
use super::sso_flow::{identity_provider, service_provider};

const PAGE: &str = "/org/acme/sso";
pub(super) const ENTITY_ID: &str = "https://idp.acme.example/saml";

/// Acme (short name `acme`), owned by `owner`.
pub(super) async fn acme(app: &TestApp, owner: UserId) -> OrganizationId {
    let new = NewOrganization { name: "Acme", slug: Some("acme"), owner: Some(owner) };
    app.core.create_organization(Actor::Operator, new, &RequestMeta::cli()).await.unwrap().id
}

pub(super) async fn add(app: &TestApp, org: OrganizationId, user: UserId, role: &str) {
    app.core.add_organization_member(Actor::Operator, org, user, role, &RequestMeta::cli()).await.unwrap();
}

/// A SAML IdP's metadata with a throwaway self-signed signing certificate; `padding` bytes of
/// comment make it as large as real metadata with many certificates and extensions.
pub(super) fn idp_metadata(padding: usize) -> String {
    let cert = rcgen::generate_simple_self_signed(vec!["idp.acme.example".to_owned()]).unwrap().cert;
    let body: String = cert.pem().lines().filter(|l| !l.starts_with("-----")).collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{ENTITY_ID}">
  <!-- {pad} -->
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
        <ds:X509Data><ds:X509Certificate>{body}</ds:X509Certificate></ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.acme.example/saml/sso"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.acme.example/saml/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
"#,
        pad = "x".repeat(padding),
    )
}

/// Posts a form of the page and returns the page it redirects back to.
async fn act(app: &TestApp, client: &Client, path: &str, fields: &[(&str, &str)]) -> String {
    let res = post_form(app, client, path, fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}: {}", res.text().await.unwrap());
    assert_eq!(location(&res), PAGE);
    let (status, html) = get(app, client, PAGE).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    html
}

/// Connects the IdP through the SAML form; the page after and the connection's id.
pub(super) async fn connect_saml(app: &TestApp, client: &Client) -> (String, String) {
    let xml = idp_metadata(0);
    let html = act(app, client, "/org/acme/sso/saml", &[("name", "Acme SSO"), ("metadata", &xml)]).await;
    let id = input_value(&html, "connection").unwrap();
    (html, id)
}

#[tokio::test]
async fn an_admin_pastes_saml_metadata_sees_the_urls_for_the_provider_and_disables_enables_and_removes_it() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    acme(&app, ada).await;
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let (status, html) = get(&app, &client, PAGE).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("href=\"/org/acme/sso\" aria-current=\"page\">Single sign-on"), "the tab: {html}");
    assert!(html.contains("No identity provider is connected."), "{html}");
    assert!(html.contains(&format!("<code>{}</code>", app.at("/sso/oidc/callback"))), "redirect URI: {html}");

    // 100 KB of metadata: more than the server-wide 64 KiB body limit.
    let xml = idp_metadata(100 * 1024);
    let html =
        act(&app, &client, "/org/acme/sso/saml", &[("name", "Acme SSO"), ("metadata", &xml), ("trust_idp_mfa", "on")])
            .await;
    assert!(html.contains("Acme SSO is connected."), "{html}");
    let id = input_value(&html, "connection").unwrap();
    assert!(html.contains("SAML 2.0") && html.contains(&format!("<code>{ENTITY_ID}</code>")), "{html}");
    let acs = app.at(&format!("/sso/saml/{id}/acs"));
    let sp_metadata = app.at(&format!("/sso/saml/{id}/metadata"));
    assert!(html.contains(&format!("<code>{acs}</code>")), "the ACS URL: {html}");
    assert!(html.contains(&format!("<code>{sp_metadata}</code>")), "the SP metadata URL: {html}");
    assert!(html.contains("badge-enabled") && html.contains("Trusts the provider&#39;s two-factor"), "{html}");
    let ours = client.get(&sp_metadata).send().await.unwrap();
    assert_eq!(ours.status(), StatusCode::OK, "the SP metadata URL shown is served");

    let html = act(&app, &client, "/org/acme/sso/enable", &[("connection", &id), ("enabled", "false")]).await;
    assert!(html.contains("The connection is disabled") && html.contains("badge-disabled"), "{html}");
    assert!(html.contains(">Enable<span class=\"visually-hidden\"> Acme SSO</span>"), "{html}");
    let html = act(&app, &client, "/org/acme/sso/enable", &[("connection", &id), ("enabled", "true")]).await;
    assert!(html.contains("The connection is enabled") && html.contains("badge-enabled"), "{html}");

    let html = act(&app, &client, "/org/acme/sso/remove", &[("connection", &id)]).await;
    assert!(
        html.contains("The connection is removed.") && html.contains("No identity provider is connected."),
        "{html}"
    );
}

#[tokio::test]
async fn an_admin_connects_an_openid_connect_provider_whose_discovery_is_read_and_the_secret_is_never_shown() {
    let sp = service_provider().await;
    let (idp, client_id, secret) = identity_provider(&sp, None).await;
    let ada = active_user(&sp, "ada@example.com").await;
    let org = acme(&sp, ada).await;
    let client = signed_in_browser(&sp, "ada@example.com", PASSWORD).await;
    let issuer = idp.url.as_str().trim_end_matches('/').to_owned();

    // Nothing answers discovery at this issuer: the refusal is on the issuer field.
    let nowhere = [
        ("name", "Acme SSO"),
        ("issuer", "http://127.0.0.1:9/"),
        ("client_id", client_id.as_str()),
        ("client_secret", secret.expose_secret()),
    ];
    let res = post_form(&sp, &client, "/org/acme/sso/oidc", &nowhere).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"oidc-issuer-error\"") && html.contains("discovery could not be read"), "{html}");
    assert!(!html.contains(secret.expose_secret()), "the secret is not sent back");

    let fields = [
        ("name", "Acme SSO"),
        ("issuer", issuer.as_str()),
        ("client_id", client_id.as_str()),
        ("client_secret", secret.expose_secret()),
        ("scopes", "openid email, profile"),
        ("rp_logout", "on"),
    ];
    let html = act(&sp, &client, "/org/acme/sso/oidc", &fields).await;
    assert!(html.contains("Acme SSO is connected.") && html.contains("OpenID Connect"), "{html}");
    assert!(html.contains(&format!("<code>{issuer}</code>")) && html.contains(&format!("<code>{client_id}</code>")));
    assert!(html.contains(&format!("<code>{}</code>", sp.at("/sso/oidc/callback"))), "the redirect URI: {html}");
    assert!(html.contains("Signs out at the provider too.") && !html.contains("Trusts the provider"), "{html}");
    assert!(!html.contains(secret.expose_secret()), "the secret is never shown");
    let saved = sp.core.sso_connections(Actor::Operator, org).await.unwrap();
    assert_eq!(saved[0].scopes, ["openid", "email", "profile"]);
}

#[tokio::test]
async fn refusals_are_shown_next_to_their_fields_with_what_was_typed() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let org = acme(&app, ada).await;
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let xml = idp_metadata(0);

    let res = post_form(&app, &client, "/org/acme/sso/saml", &[("name", "  "), ("metadata", &xml)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"saml-name-error\"") && html.contains("Give the connection a name"), "{html}");
    assert!(html.contains(ENTITY_ID), "the pasted XML is kept: {html}");

    let res = post_form(&app, &client, "/org/acme/sso/saml", &[("name", "Acme SSO"), ("metadata", "<nope/>")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"saml-metadata-error\"") && html.contains("metadata cannot be used"), "{html}");

    let both = [("name", "Acme SSO"), ("metadata_url", "https://idp.acme.example/md"), ("metadata", xml.as_str())];
    let res = post_form(&app, &client, "/org/acme/sso/saml", &both).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("not both"));

    let res = post_form(&app, &client, "/org/acme/sso/oidc", &[("name", "Acme OIDC"), ("issuer", "not a url")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"oidc-issuer-error\""), "{html}");
    assert!(html.contains("value=\"Acme OIDC\""), "the name is kept: {html}");

    assert!(app.core.sso_connections(Actor::Operator, org).await.unwrap().is_empty(), "nothing was saved");
}

#[tokio::test]
async fn members_without_the_permission_and_forms_without_the_csrf_token_change_nothing() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let org = acme(&app, ada).await;
    let bob = active_user(&app, "bob@example.com").await;
    add(&app, org, bob, "member").await;
    active_user(&app, "eve@example.com").await;
    let xml = idp_metadata(0);

    let member = signed_in_browser(&app, "bob@example.com", PASSWORD).await;
    let (status, _) = get(&app, &member, PAGE).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, html) = get(&app, &member, "/org/acme/members").await;
    assert!(!html.contains("/org/acme/sso"), "no tab without the permission: {html}");
    let res = post_form(&app, &member, "/org/acme/sso/saml", &[("name", "Bob SSO"), ("metadata", &xml)]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    let outsider = signed_in_browser(&app, "eve@example.com", PASSWORD).await;
    let (status, _) = get(&app, &outsider, PAGE).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "organizations are invisible from outside");

    let admin = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    get(&app, &admin, PAGE).await;
    let res = admin.post(app.at("/org/acme/sso/saml")).form(&[("name", "Acme SSO"), ("metadata", &xml)]).send().await;
    assert_eq!(res.unwrap().status(), StatusCode::FORBIDDEN, "no CSRF token");
    assert!(app.core.sso_connections(Actor::Operator, org).await.unwrap().is_empty());
}

#[tokio::test]
async fn members_who_must_use_sso_cannot_use_a_password_while_guests_still_can() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let org = acme(&app, ada).await;
    let bob = active_user(&app, "bob@example.com").await;
    add(&app, org, bob, "member").await;
    let gus = active_user(&app, "gus@example.com").await;
    add(&app, org, gus, "guest").await;
    let admin = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let bob_browser = signed_in_browser(&app, "bob@example.com", PASSWORD).await;

    let res = post_form(&app, &admin, "/org/acme/sso/policy", &[("sso_required", "on")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"sso_required-error\"") && html.contains("Add and enable a connection first"), "{html}");

    let (_, id) = connect_saml(&app, &admin).await;
    let html = act(&app, &admin, "/org/acme/sso/policy", &[("sso_required", "on")]).await;
    assert!(html.contains("Members now sign in through single sign-on"), "{html}");
    assert!(html.contains("name=\"sso_required\" value=\"on\" checked"), "shown as on: {html}");
    assert!(app.core.sso_required(Actor::Operator, org).await.unwrap());

    // The last enabled connection cannot go while the policy holds.
    let html = act(&app, &admin, "/org/acme/sso/enable", &[("connection", &id), ("enabled", "false")]).await;
    assert!(html.contains("flash-error") && html.contains("the last enabled connection cannot go"), "{html}");
    let html = act(&app, &admin, "/org/acme/sso/remove", &[("connection", &id)]).await;
    assert!(html.contains("the last enabled connection cannot go") && html.contains("badge-enabled"), "{html}");

    // Bob's right password no longer signs him in; the guest's still does.
    let res =
        post_form(&app, &app.client(), "/sign-in/password", &[("email", "bob@example.com"), ("password", PASSWORD)])
            .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"password-error\"") && html.contains("managed by an external provider"), "{html}");
    signed_in_browser(&app, "gus@example.com", PASSWORD).await;

    // A reset asked for Bob says why, with no link.
    let res = post_form(&app, &app.client(), "/password/forgot", &[("email", "bob@example.com")]).await;
    assert!(res.status().is_success(), "{}", res.status());
    let sent = mail(&app, "bob@example.com", "managed by your organization", 0).await;
    assert!(!sent.links().iter().any(|l| l.contains("/password/reset")), "{sent:?}");

    // His session from before shows the reason instead of the change form.
    let (status, html) = get(&app, &bob_browser, "/account/password").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Acme signs its members in through Acme SSO"), "{html}");
    assert!(!html.contains("name=\"current_password\""), "{html}");

    // Turned off, passwords work again.
    let html = act(&app, &admin, "/org/acme/sso/policy", &[]).await;
    assert!(html.contains("Members may sign in with a password again."), "{html}");
    signed_in_browser(&app, "bob@example.com", PASSWORD).await;
}

#[tokio::test]
async fn security_lists_no_other_provider_for_a_password_user() {
    let app = TestApp::new().await;
    active_user(&app, "ada@example.com").await;
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let (status, html) = get(&app, &client, "/account/security").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Sign-in through other providers"), "{html}");
    assert!(html.contains("no other provider is linked to your account"), "{html}");
    assert!(!html.contains("/account/identities/remove"), "{html}");
    let (_, html) = get(&app, &client, "/account/password").await;
    assert!(html.contains("name=\"current_password\""), "the change form for a password user: {html}");
}
