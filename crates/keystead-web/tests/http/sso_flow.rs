//! Single sign-on end to end over HTTP, with a second Keystead as the customer's OpenID Connect
//! provider: home-realm discovery on the email step, the provider's sign-in, the callback, the
//! account created just in time (verified, a member of the organization, through "Complete your
//! profile"), the identity kept across an email change, RP-initiated logout at the provider, and
//! a callback arriving in another browser refused.

use keystead_core::accounts::admin::NewUser;
use keystead_core::audit::RequestMeta;
use keystead_core::ids::OrganizationId;
use keystead_core::oauth::ClientKind;
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_core::sso::{NewOidcConnection, SsoConnection};
use keystead_testkit::{TestApp, TestAppOptions};
use reqwest::{Client, StatusCode};
use secrecy::{ExposeSecret, SecretString};

use super::auth::{get, location, post_form, signed_in_browser};
use super::oauth::{approve, decode_entities, query_param, register};

pub(crate) const EMAIL: &str = "ada@acme.example";
pub(crate) const PASSWORD: &str = "correct horse battery staple";
const META: RequestMeta = RequestMeta { ip: None, user_agent: None, via: None, operator: None };

#[expect(
    clippy::disallowed_methods,
    reason = "the provider signs with the real time; both servers' clocks are set to it"
)]
fn real_now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

/// Keystead, allowed to reach identity providers on loopback.
pub(crate) async fn service_provider() -> TestApp {
    let configure: keystead_testkit::app::Configure = Box::new(|c| c.outbound.allow_private_networks = true);
    let app = TestApp::start(TestAppOptions { configure: Some(configure), ..Default::default() }).await.unwrap();
    app.clock.set(real_now());
    app
}

/// The customer's identity provider (another Keystead) with Ada's account there, and a client
/// for `sp`'s callback (first party: no consent screen).
pub(crate) async fn identity_provider(sp: &TestApp, rp_logout_to: Option<String>) -> (TestApp, String, SecretString) {
    identity_provider_with(TestApp::new().await, sp, rp_logout_to).await
}

/// [`identity_provider`] on a server the caller started.
pub(crate) async fn identity_provider_with(
    idp: TestApp,
    sp: &TestApp,
    rp_logout_to: Option<String>,
) -> (TestApp, String, SecretString) {
    idp.clock.set(real_now());
    let new = NewUser {
        email: EMAIL,
        given_name: Some("Ada"),
        family_name: Some("Lovelace"),
        verified: true,
        password: Some(SecretString::from(PASSWORD)),
    };
    idp.core.create_user(new, &RequestMeta::cli()).await.unwrap();
    let callback = sp.at("/sso/oidc/callback");
    let created = register(&idp, ClientKind::Confidential, true, &["authorization_code"], |n| {
        n.name = "Keystead at Acme's vendor".into();
        n.redirect_uris = vec![callback];
        n.post_logout_redirect_uris = rp_logout_to.into_iter().collect();
    })
    .await;
    let secret = created.secret.unwrap();
    (idp, created.client.client_id.clone(), secret)
}

/// Acme (verified domain acme.example) on `sp`, connected to `idp`.
pub(crate) async fn acme_connected(
    sp: &TestApp,
    idp: &TestApp,
    client_id: &str,
    secret: &SecretString,
    rp_logout: bool,
) -> (OrganizationId, SsoConnection) {
    let owner =
        NewUser { email: "owner@vendor.example", given_name: None, family_name: None, verified: true, password: None };
    let owner = sp.core.create_user(owner, &META).await.unwrap().id;
    let new = NewOrganization { name: "Acme", slug: Some("acme"), owner: Some(owner) };
    let org = sp.core.create_organization(Actor::Operator, new, &META).await.unwrap().id;
    sp.core.add_organization_domain(Actor::Operator, org, "acme.example", &META).await.unwrap();
    let new = NewOidcConnection {
        name: "Acme SSO".into(),
        issuer: idp.url.as_str().trim_end_matches('/').to_owned(),
        client_id: client_id.to_owned(),
        client_secret: SecretString::from(secret.expose_secret().to_owned()),
        scopes: vec![],
        claim_mapping: None,
        trust_idp_mfa: false,
        rp_logout,
    };
    let connection = sp.core.add_oidc_connection(Actor::Operator, org, new, &META).await.unwrap();
    (org, connection)
}

/// The email step: the page names the provider and links to the start of the round trip.
async fn email_step(sp: &TestApp, browser: &Client, path: &str) -> String {
    let response = post_form(sp, browser, path, &[("email", EMAIL)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("Continue to Acme SSO"), "{html}");
    assert!(html.contains("Acme signs its members in through its own identity provider"), "{html}");
    let at = html.find("href=\"/sso/start/").unwrap() + 6;
    decode_entities(&html[at..at + html[at..].find('"').unwrap()])
}

/// From the start link to the callback: the provider signs Ada in and sends her back.
async fn round_trip(sp: &TestApp, idp: &TestApp, browser: &Client, start: &str) -> reqwest::Response {
    let response = browser.get(sp.at(start)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let authorize = location(&response);
    assert!(authorize.starts_with(idp.url.as_str()), "{authorize}");
    assert_eq!(query_param(&authorize, "login_hint").as_deref(), Some(EMAIL));
    assert_eq!(query_param(&authorize, "code_challenge_method").as_deref(), Some("S256"));
    let at_idp = signed_in_browser(idp, EMAIL, PASSWORD).await;
    let callback = approve(idp, &at_idp, &authorize).await;
    assert!(callback.starts_with(&sp.at("/sso/oidc/callback")), "{callback}");
    assert!(query_param(&callback, "iss").is_some(), "RFC 9207 iss on the callback: {callback}");
    browser.get(&callback).send().await.unwrap()
}

#[tokio::test]
async fn an_employee_signs_in_through_the_organizations_provider_and_gets_an_account_just_in_time() {
    let sp = service_provider().await;
    let (idp, client_id, secret) = identity_provider(&sp, None).await;
    sp.core.publish_agreement("terms", "Terms of use", "Be kind.", true, &META).await.unwrap();
    let (org, _) = acme_connected(&sp, &idp, &client_id, &secret, false).await;

    let browser = sp.client();
    let start = email_step(&sp, &browser, "/sign-in").await;
    let back = round_trip(&sp, &idp, &browser, &start).await;
    assert_eq!(back.status(), StatusCode::SEE_OTHER, "{}", back.text().await.unwrap());
    assert_eq!(location(&back), "/landing");
    // A required agreement is not accepted yet: "Complete your profile" comes first.
    let landing = browser.get(sp.at("/landing")).send().await.unwrap();
    assert_eq!(landing.status(), StatusCode::SEE_OTHER);
    assert!(location(&landing).starts_with("/complete-profile"), "{}", location(&landing));
    let (status, profile) = get(&sp, &browser, "/complete-profile").await;
    assert_eq!(status, StatusCode::OK);
    assert!(profile.contains("Terms of use"), "{profile}");

    let user = sp.core.user_by_email(EMAIL).await.unwrap();
    assert!(user.email_verified_at.is_some(), "the provider vouched for the address");
    assert_eq!(user.given_name.as_deref(), Some("Ada"));
    assert!(user.password_changed_at.is_none(), "no Keystead password was made");
    let members = sp.core.organization_members(Actor::Operator, org, "ada", 0).await.unwrap().members;
    assert_eq!(members.len(), 1, "joined the organization");
    let linked = sp.core.linked_identities(user.id).await.unwrap();
    assert_eq!(linked.len(), 1);
    assert_eq!(linked[0].provider_name, "Acme SSO");
}

#[tokio::test]
async fn registration_sends_an_organizations_address_to_its_provider_too() {
    let sp = service_provider().await;
    let (idp, client_id, secret) = identity_provider(&sp, None).await;
    acme_connected(&sp, &idp, &client_id, &secret, false).await;
    let browser = sp.client();
    let start = email_step(&sp, &browser, "/register").await;
    let back = round_trip(&sp, &idp, &browser, &start).await;
    assert_eq!(back.status(), StatusCode::SEE_OTHER);
    let (status, html) = get(&sp, &browser, "/account/profile").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains(EMAIL), "{html}");
}

#[tokio::test]
async fn a_callback_opened_in_another_browser_or_twice_is_refused() {
    let sp = service_provider().await;
    let (idp, client_id, secret) = identity_provider(&sp, None).await;
    acme_connected(&sp, &idp, &client_id, &secret, false).await;
    let browser = sp.client();
    let start = email_step(&sp, &browser, "/sign-in").await;
    let response = browser.get(sp.at(&start)).send().await.unwrap();
    let authorize = location(&response);
    let at_idp = signed_in_browser(&idp, EMAIL, PASSWORD).await;
    let callback = approve(&idp, &at_idp, &authorize).await;
    // Someone else's browser (no state cookie) gets the failure page, and nobody is signed in.
    let other = sp.client();
    let refused = other.get(&callback).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Single sign-on did not work") && html.contains("another browser"), "{html}");
    // The state was used up by that attempt: the rightful browser starts again.
    let late = browser.get(&callback).send().await.unwrap();
    assert_eq!(late.status(), StatusCode::BAD_REQUEST);
    assert!(late.text().await.unwrap().contains("state_expired"));
    assert!(sp.core.user_by_email(EMAIL).await.is_err(), "no account was made");
}

#[tokio::test]
async fn signing_out_ends_the_session_at_the_provider_when_the_connection_asks() {
    let sp = service_provider().await;
    let back_to = sp.url.to_string();
    let (idp, client_id, secret) = identity_provider(&sp, Some(back_to)).await;
    acme_connected(&sp, &idp, &client_id, &secret, true).await;
    let browser = sp.client();
    let start = email_step(&sp, &browser, "/sign-in").await;
    let back = round_trip(&sp, &idp, &browser, &start).await;
    assert_eq!(back.status(), StatusCode::SEE_OTHER);
    let out = post_form(&sp, &browser, "/sign-out", &[]).await;
    assert_eq!(out.status(), StatusCode::OK);
    let html = out.text().await.unwrap();
    assert!(html.contains("You are signed out"), "{html}");
    let refresh = html.split("url=").nth(1).and_then(|s| s.split('"').next()).map(decode_entities).unwrap();
    assert!(refresh.starts_with(&idp.at("/oauth/logout")), "{refresh}");
    assert!(query_param(&refresh, "id_token_hint").is_some(), "{refresh}");
    let (status, _) = get(&sp, &browser, "/account/profile").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "signed out here");
}
