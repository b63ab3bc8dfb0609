//! SAML single sign-on end to end over HTTP, with the independent pysaml2 IdP (keystead-testkit's
//! `saml_idp`) as the organization's identity provider: the connection added from the IdP's
//! metadata URL, home-realm discovery on the email step, the AuthnRequest redirect, the response
//! posted cross-site to our assertion consumer service (no CSRF token), the account made just in
//! time, a replayed, unsigned or other-browser response refused, and our SP metadata served.

use keystead_core::accounts::admin::NewUser;
use keystead_core::audit::RequestMeta;
use keystead_core::ids::OrganizationId;
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_core::sso::{NewSamlConnection, SamlMetadataSource, SsoConnection};
use keystead_testkit::saml_idp::{SamlIdp, SamlIdpUser};
use keystead_testkit::{TestApp, TestAppOptions};
use reqwest::header::CONTENT_TYPE;
use reqwest::{Client, StatusCode};

use super::auth::{get, location, post_form};
use super::oauth::{decode_entities, query_param};

const EMAIL: &str = "ada@acme.example";
const META: RequestMeta = RequestMeta { ip: None, user_agent: None, via: None, operator: None };

/// The test IdP stamps its assertions with the real time, so Keystead's clock must show it too.
#[expect(clippy::disallowed_methods, reason = "the independent IdP signs with the wall clock")]
fn wall_clock() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

/// Keystead allowed to reach the IdP on loopback, Acme (verified domain acme.example) connected
/// to the test IdP by its metadata URL, and the IdP told our SP's entity id and ACS URL.
async fn acme_with_saml() -> (TestApp, SamlIdp, OrganizationId, SsoConnection) {
    let configure: keystead_testkit::app::Configure = Box::new(|c| c.outbound.allow_private_networks = true);
    let sp = TestApp::start(TestAppOptions { configure: Some(configure), ..Default::default() }).await.unwrap();
    sp.clock.set(wall_clock());
    let user = SamlIdpUser {
        name_id: "ada-7f3c".into(),
        name_id_is_email: false,
        attributes: vec![
            ("mail".into(), vec![EMAIL.into()]),
            ("givenName".into(), vec!["Ada".into()]),
            ("sn".into(), vec!["Lovelace".into()]),
        ],
    };
    // The SP's URLs hold the connection id, unknown yet: the IdP starts for a placeholder.
    let idp = SamlIdp::start("https://placeholder.invalid/sp", "https://placeholder.invalid/acs", &user).await.unwrap();
    let owner =
        NewUser { email: "owner@vendor.example", given_name: None, family_name: None, verified: true, password: None };
    let owner = sp.core.create_user(owner, &META).await.unwrap().id;
    let new = NewOrganization { name: "Acme", slug: Some("acme"), owner: Some(owner) };
    let org = sp.core.create_organization(Actor::Operator, new, &META).await.unwrap().id;
    sp.core.add_organization_domain(Actor::Operator, org, "acme.example", &META).await.unwrap();
    let new = NewSamlConnection {
        name: "Acme SAML".into(),
        metadata: SamlMetadataSource::Url(idp.metadata_url().to_string()),
        claim_mapping: None,
        trust_idp_mfa: false,
    };
    let connection = sp.core.add_saml_connection(Actor::Operator, org, new, &META).await.unwrap();
    let (entity_id, acs) = (connection.sp_metadata_url.clone().unwrap(), connection.acs_url.clone().unwrap());
    assert_eq!(acs, sp.at(&format!("/sso/saml/{}/acs", connection.id)));
    idp.set_service_provider(&entity_id, &acs).unwrap();
    (sp, idp, org, connection)
}

/// The email step names the IdP and links to the start of the round trip.
async fn email_step(sp: &TestApp, browser: &Client) -> String {
    let response = post_form(sp, browser, "/sign-in", &[("email", EMAIL)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("Continue to Acme SAML"), "{html}");
    let at = html.find("href=\"/sso/start/").unwrap() + 6;
    decode_entities(&html[at..at + html[at..].find('"').unwrap()])
}

/// What the IdP's auto-post form would send to our ACS.
struct Posted {
    acs: String,
    saml_response: String,
    relay_state: String,
}

/// From the start link to the IdP's auto-post form; `knobs` are the test IdP's query options.
async fn to_idp_and_back(sp: &TestApp, idp: &SamlIdp, browser: &Client, start: &str, knobs: &[(&str, &str)]) -> Posted {
    let response = browser.get(sp.at(start)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let redirect = location(&response);
    let idp_origin = idp.metadata_url().origin().ascii_serialization();
    assert!(redirect.starts_with(&idp_origin), "{redirect}");
    assert!(query_param(&redirect, "SAMLRequest").is_some(), "{redirect}");
    let relay = query_param(&redirect, "RelayState").unwrap();
    let mut url = url::Url::parse(&redirect).unwrap();
    url.query_pairs_mut().extend_pairs(knobs);
    let html = reqwest::get(url).await.unwrap().error_for_status().unwrap().text().await.unwrap();
    let field = |name: &str| {
        let marker = format!("name=\"{name}\" value=\"");
        let start = html.find(&marker).unwrap_or_else(|| panic!("no {name} in {html}")) + marker.len();
        html[start..start + html[start..].find('"').unwrap()].to_owned()
    };
    let action = html.find("action=\"").map(|i| i + 8).unwrap_or_else(|| panic!("no form action in {html}"));
    let acs = decode_entities(&html[action..action + html[action..].find('"').unwrap()]);
    let posted =
        Posted { acs, saml_response: field("SAMLResponse"), relay_state: decode_entities(&field("RelayState")) };
    assert_eq!(posted.relay_state, relay, "the IdP sends the RelayState back");
    posted
}

/// Posts the IdP's form to our ACS from `browser`, cross-site and without a CSRF token, as a
/// browser would from the IdP's page.
async fn post_to_acs(idp: &SamlIdp, browser: &Client, posted: &Posted) -> reqwest::Response {
    browser
        .post(&posted.acs)
        .header("origin", idp.metadata_url().origin().ascii_serialization())
        .header("sec-fetch-site", "cross-site")
        .form(&[("SAMLResponse", posted.saml_response.as_str()), ("RelayState", posted.relay_state.as_str())])
        .send()
        .await
        .unwrap()
}

/// The SSO failure page with its code.
async fn refused(response: reqwest::Response, code: &str) {
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let html = response.text().await.unwrap();
    assert!(html.contains("Single sign-on did not work") && html.contains(code), "{code}: {html}");
}

#[tokio::test]
async fn an_employee_signs_in_through_the_organizations_saml_idp_and_gets_an_account_just_in_time() {
    let (sp, idp, org, connection) = acme_with_saml().await;
    let browser = sp.client();
    let start = email_step(&sp, &browser).await;
    let posted = to_idp_and_back(&sp, &idp, &browser, &start, &[]).await;
    assert_eq!(posted.acs, connection.acs_url.clone().unwrap());
    let back = post_to_acs(&idp, &browser, &posted).await;
    assert_eq!(back.status(), StatusCode::SEE_OTHER, "{}", back.text().await.unwrap());
    assert_eq!(location(&back), "/landing");
    let (status, html) = get(&sp, &browser, "/account/profile").await;
    assert_eq!(status, StatusCode::OK, "signed in: {html}");
    assert!(html.contains(EMAIL), "{html}");

    let user = sp.core.user_by_email(EMAIL).await.unwrap();
    assert!(user.email_verified_at.is_some(), "the address is in the organization's verified domain");
    assert_eq!(user.given_name.as_deref(), Some("Ada"));
    assert_eq!(user.family_name.as_deref(), Some("Lovelace"));
    assert!(user.password_changed_at.is_none(), "no Keystead password was made");
    let members = sp.core.organization_members(Actor::Operator, org, "ada", 0).await.unwrap().members;
    assert_eq!(members.len(), 1, "joined the organization");
    let linked = sp.core.linked_identities(user.id).await.unwrap();
    assert_eq!(linked.len(), 1);
    assert_eq!(linked[0].provider_name, "Acme SAML");
    assert_eq!(linked[0].email.as_deref(), Some(EMAIL));

    // The same persistent NameID signs in to the same account next time.
    let again = sp.client();
    let start = email_step(&sp, &again).await;
    let posted = to_idp_and_back(&sp, &idp, &again, &start, &[]).await;
    assert_eq!(post_to_acs(&idp, &again, &posted).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(sp.core.linked_identities(user.id).await.unwrap().len(), 1, "the identity was found, not added");
}

#[tokio::test]
async fn the_same_saml_response_posted_twice_signs_in_once() {
    let (sp, idp, _, _) = acme_with_saml().await;
    let browser = sp.client();
    let start = email_step(&sp, &browser).await;
    let posted = to_idp_and_back(&sp, &idp, &browser, &start, &[]).await;
    assert_eq!(post_to_acs(&idp, &browser, &posted).await.status(), StatusCode::SEE_OTHER);
    // The state went with the first use; the replay is refused whatever the browser.
    let replay = sp.client();
    refused(post_to_acs(&idp, &replay, &posted).await, "state_expired").await;
    refused(post_to_acs(&idp, &browser, &posted).await, "Start signing in again").await;

    let unsigned_browser = sp.client();
    let start = email_step(&sp, &unsigned_browser).await;
    let unsigned = to_idp_and_back(&sp, &idp, &unsigned_browser, &start, &[("sign", "none")]).await;
    refused(post_to_acs(&idp, &unsigned_browser, &unsigned).await, "unsigned").await;

    let started_here = sp.client();
    let start = email_step(&sp, &started_here).await;
    let posted = to_idp_and_back(&sp, &idp, &started_here, &start, &[]).await;
    let elsewhere = sp.client();
    refused(post_to_acs(&idp, &elsewhere, &posted).await, "state_other_browser").await;
    let (status, _) = get(&sp, &elsewhere, "/account/profile").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "nobody was signed in there");
}

#[tokio::test]
async fn our_sp_metadata_is_served_for_the_idp_admin() {
    let (sp, _idp, _, connection) = acme_with_saml().await;
    let client = sp.client();
    let response = client.get(sp.at(&format!("/sso/saml/{}/metadata", connection.id))).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()[CONTENT_TYPE].to_str().unwrap().to_owned();
    assert!(content_type.starts_with("application/samlmetadata+xml"), "{content_type}");
    let xml = response.text().await.unwrap();
    assert!(xml.contains(&connection.acs_url.clone().unwrap()), "{xml}");
    assert!(xml.contains(&connection.sp_metadata_url.clone().unwrap()), "{xml}");
    let unknown = keystead_core::ids::SsoConnectionId::new();
    let (status, _) = get(&sp, &client, &format!("/sso/saml/{unknown}/metadata")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
