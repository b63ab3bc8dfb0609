//! SAML sign-in against an independent identity provider (pysaml2 + xmlsec1, see
//! keystead-testkit's `saml_idp`): its metadata is read, our AuthnRequest goes to it over
//! HTTP-Redirect, and the Response it posts back is validated — accepted when properly signed,
//! refused when unsigned, addressed elsewhere, wrapped, expired or answering another request.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use keystead_core::sso::ClaimMapping;
use keystead_core::sso::saml::{
    Expected, IdpMetadata, SamlError, Validated, authn_request, parse_idp_metadata, validate_response,
};
use keystead_testkit::saml_idp::{SamlIdp, SamlIdpUser};
use std::time::Duration;
use time::OffsetDateTime;

const SP: &str = "https://keystead.test/sso/saml/metadata";
const ACS: &str = "https://keystead.test/sso/saml/acs";
const RELAY: &str = "relay-42";
const IS_MEMBER_OF: &str = "urn:oid:1.3.6.1.4.1.5923.1.5.1.1";

/// The test IdP stamps its assertions with the real time, so the check must use it too.
#[expect(clippy::disallowed_methods, reason = "the independent IdP signs with the wall clock")]
fn wall_clock() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// Starts the IdP for Ada and reads its metadata the way a connection would (over HTTP).
async fn start_idp() -> (SamlIdp, IdpMetadata) {
    let user = SamlIdpUser {
        name_id: "ada-7f3c".into(),
        name_id_is_email: false,
        attributes: vec![
            ("mail".into(), vec!["ada@example.org".into()]),
            ("givenName".into(), vec!["Ada".into()]),
            ("sn".into(), vec!["Lovelace".into()]),
            ("isMemberOf".into(), vec!["staff".into(), "admins".into()]),
        ],
    };
    let idp = SamlIdp::start(SP, ACS, &user).await.unwrap();
    let xml = keystead_core::outbound::client(true, Duration::from_secs(10))
        .unwrap()
        .get(idp.metadata_url())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let metadata = parse_idp_metadata(&xml).unwrap();
    assert_eq!(metadata.entity_id, idp.metadata_url().as_str());
    (idp, metadata)
}

/// What the IdP posts back for a fresh AuthnRequest; `knobs` are the test IdP's query options.
#[derive(Clone)]
struct Posted {
    saml_response: String,
    relay_state: String,
    request_id: String,
}

async fn sign_in(metadata: &IdpMetadata, knobs: &[(&str, &str)]) -> Posted {
    let (mut url, request_id) = authn_request(metadata, SP, ACS, RELAY, wall_clock()).unwrap();
    url.query_pairs_mut().extend_pairs(knobs);
    let html = reqwest::get(url).await.unwrap().error_for_status().unwrap().text().await.unwrap();
    let field = |name: &str| {
        let marker = format!("name=\"{name}\" value=\"");
        let start = html.find(&marker).unwrap_or_else(|| panic!("no {name} in {html}")) + marker.len();
        html[start..start + html[start..].find('"').unwrap()].to_owned()
    };
    Posted { saml_response: field("SAMLResponse"), relay_state: field("RelayState"), request_id }
}

fn mapping() -> ClaimMapping {
    ClaimMapping { groups: IS_MEMBER_OF.into(), ..ClaimMapping::saml_default() }
}

fn validate_at(
    posted: &Posted,
    metadata: &IdpMetadata,
    request_id: &str,
    now: OffsetDateTime,
) -> Result<Validated, SamlError> {
    let expected = Expected { sp_entity_id: SP, acs_url: ACS, request_id, now, skew: time::Duration::minutes(2) };
    validate_response(&posted.saml_response, metadata, &mapping(), &expected)
}

fn validate(posted: &Posted, metadata: &IdpMetadata) -> Result<Validated, SamlError> {
    validate_at(posted, metadata, &posted.request_id, wall_clock())
}

fn decode(posted: &Posted) -> String {
    String::from_utf8(STANDARD.decode(&posted.saml_response).unwrap()).unwrap()
}

/// The `<prefix:Assertion …>…</prefix:Assertion>` element of pysaml2's XML.
fn assertion_of(xml: &str) -> &str {
    let name_start = xml.find(":Assertion ").unwrap();
    let start = xml[..name_start].rfind('<').unwrap();
    let prefix = &xml[start + 1..name_start];
    let close = format!("</{prefix}:Assertion>");
    &xml[start..xml.find(&close).unwrap() + close.len()]
}

#[tokio::test]
async fn a_response_or_assertion_signed_by_the_idp_signs_ada_in_and_a_replay_shows_the_same_assertion() {
    let (_idp, metadata) = start_idp().await;
    for sign in ["response", "assertion", "both"] {
        let posted = sign_in(&metadata, &[("sign", sign)]).await;
        assert_eq!(posted.relay_state, RELAY);
        let validated = validate(&posted, &metadata).unwrap_or_else(|e| panic!("sign={sign}: {e}"));
        let id = &validated.identity;
        assert_eq!(id.issuer, metadata.entity_id);
        assert_eq!(id.subject, "ada-7f3c");
        assert_eq!(id.email.as_deref(), Some("ada@example.org"));
        assert!(!id.email_verified);
        assert_eq!((id.given_name.as_deref(), id.family_name.as_deref()), (Some("Ada"), Some("Lovelace")));
        assert_eq!(id.groups, ["staff", "admins"]);
        assert_eq!(id.acr.as_deref(), Some("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"));
        assert!(id.logout_hint.is_some(), "the SessionIndex is kept for logout");
        assert!(validated.not_on_or_after > wall_clock());

        let replayed = validate(&posted, &metadata).unwrap();
        assert_eq!(replayed.assertion_id, validated.assertion_id, "the caller refuses the second use by this id");
    }
}

#[tokio::test]
async fn an_unsigned_response_or_one_for_another_audience_is_refused() {
    let (_idp, metadata) = start_idp().await;
    let unsigned = sign_in(&metadata, &[("sign", "none")]).await;
    assert_eq!(validate(&unsigned, &metadata).unwrap_err().code(), "unsigned");
    let elsewhere = sign_in(&metadata, &[("audience", "wrong")]).await;
    assert_eq!(validate(&elsewhere, &metadata).unwrap_err().code(), "wrong_audience");
}

#[tokio::test]
async fn a_real_response_answering_another_request_or_read_too_late_is_refused() {
    let (_idp, metadata) = start_idp().await;
    let posted = sign_in(&metadata, &[]).await;
    let other = validate_at(&posted, &metadata, "ks_another_request", wall_clock()).unwrap_err();
    assert_eq!(other.code(), "wrong_in_response_to");
    let later = wall_clock() + time::Duration::hours(1);
    let late = validate_at(&posted, &metadata, &posted.request_id, later).unwrap_err();
    assert_eq!(late.code(), "expired");
}

#[tokio::test]
async fn signature_wrapping_and_tampering_built_from_real_signed_responses_are_refused() {
    let (_idp, metadata) = start_idp().await;
    let assertion_signed = sign_in(&metadata, &[("sign", "assertion")]).await;
    let xml = decode(&assertion_signed);
    let signed = assertion_of(&xml);
    let sig_start = signed.find("<ns2:Signature").unwrap();
    let sig_end = signed.find("</ns2:Signature>").unwrap() + "</ns2:Signature>".len();
    let forged = format!("{}{}", &signed[..sig_start], &signed[sig_end..]).replace("ada-7f3c", "admin").replacen(
        " ID=\"",
        " ID=\"forged-",
        1,
    );
    let attacks =
        [xml.replace(signed, &format!("{forged}{signed}")), xml.replace(signed, &format!("{signed}{forged}"))];
    for attack in attacks {
        let posted = Posted { saml_response: STANDARD.encode(attack), ..assertion_signed.clone() };
        assert_eq!(validate(&posted, &metadata).unwrap_err().code(), "wrapped");
    }

    let response_signed = sign_in(&metadata, &[("sign", "response")]).await;
    let original = decode(&response_signed);
    let body = original.trim_start_matches("<?xml version=\"1.0\"?>").trim_start();
    let wrapper = body.replacen(" ID=\"", " ID=\"wrapper-", 1).replace(
        assertion_of(body),
        &format!("<ns0:Extensions>{body}</ns0:Extensions>{}", assertion_of(body).replace("ada-7f3c", "admin")),
    );
    let wrapped = Posted { saml_response: STANDARD.encode(wrapper), ..response_signed.clone() };
    assert_eq!(validate(&wrapped, &metadata).unwrap_err().code(), "wrapped");

    let tampered =
        Posted { saml_response: STANDARD.encode(original.replace("ada-7f3c", "admin")), ..response_signed.clone() };
    assert_eq!(validate(&tampered, &metadata).unwrap_err().code(), "bad_signature");
}
