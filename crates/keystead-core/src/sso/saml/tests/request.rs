//! The AuthnRequest over HTTP-Redirect.

use std::io::Read as _;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::fixture::{ACS, IDP, SP, now};
use crate::sso::saml::authn_request;

fn decode(url: &url::Url) -> (String, Option<String>) {
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let deflated = STANDARD.decode(get("SAMLRequest").unwrap()).unwrap();
    let mut xml_text = String::new();
    flate2::read::DeflateDecoder::new(&deflated[..]).read_to_string(&mut xml_text).unwrap();
    (xml_text, get("RelayState"))
}

#[test]
fn the_request_travels_deflated_in_the_redirect_url_with_its_relay_state() {
    let mut idp = IDP.metadata();
    idp.sso_redirect_url = url::Url::parse("https://idp.test/sso?tenant=acme").unwrap();
    let (url, id) = authn_request(&idp, SP, ACS, "state-123", now()).unwrap();
    assert!(url.as_str().starts_with("https://idp.test/sso?tenant=acme&SAMLRequest="));
    let (xml_text, relay) = decode(&url);
    assert_eq!(relay.as_deref(), Some("state-123"));
    for part in [
        format!("ID=\"{id}\""),
        "IssueInstant=\"2026-12-03T12:00:00Z\"".into(),
        "Destination=\"https://idp.test/sso?tenant=acme\"".into(),
        format!("AssertionConsumerServiceURL=\"{ACS}\""),
        "ProtocolBinding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\"".into(),
        format!("<saml:Issuer>{SP}</saml:Issuer>"),
    ] {
        assert!(xml_text.contains(&part), "{part} missing from {xml_text}");
    }
}

#[test]
fn request_ids_are_random_start_with_a_letter_and_carry_128_bits() {
    let (_, a) = authn_request(&IDP.metadata(), SP, ACS, "", now()).unwrap();
    let (url, b) = authn_request(&IDP.metadata(), SP, ACS, "", now()).unwrap();
    assert_ne!(a, b);
    assert!(a.starts_with("ks_") && a.len() == 3 + 32, "{a}");
    assert!(a[3..].chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(decode(&url).1, None, "an empty RelayState is left out");
}

#[test]
fn relay_state_longer_than_the_binding_allows_is_refused() {
    let long = "x".repeat(81);
    let err = authn_request(&IDP.metadata(), SP, ACS, &long, now()).unwrap_err();
    assert_eq!(err.code(), "relay_state_too_long");
}

#[test]
fn entity_ids_are_escaped_in_the_request() {
    let (url, _) = authn_request(&IDP.metadata(), "https://sp.test/?a=1&b=\"2\"", ACS, "", now()).unwrap();
    assert!(decode(&url).0.contains("https://sp.test/?a=1&amp;b=&quot;2&quot;"));
}
