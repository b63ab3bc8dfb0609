//! Reading IdP metadata and writing ours.

use super::fixture::{IDP, OTHER_IDP};
use crate::sso::saml::xml::{self, METADATA};
use crate::sso::saml::{parse_idp_metadata, sp_metadata};

/// ADFS-shaped metadata: a signing and an encryption key, POST and Redirect SSO, Redirect SLO.
fn adfs_like() -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<EntityDescriptor ID="_m1" entityID="http://adfs.example.org/adfs/services/trust" xmlns="urn:oasis:names:tc:SAML:2.0:metadata">
  <RoleDescriptor xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="fed:SecurityTokenServiceType" protocolSupportEnumeration="http://docs.oasis-open.org/wsfed/federation/200706"/>
  <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:1.1:protocol urn:oasis:names:tc:SAML:2.0:protocol">
    <KeyDescriptor use="encryption"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>{enc}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
    <KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>
{sig}
</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
    <SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://adfs.example.org/adfs/ls/post-logout"/>
    <SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://adfs.example.org/adfs/ls/"/>
    <NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</NameIDFormat>
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://adfs.example.org/adfs/ls/post"/>
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://adfs.example.org/adfs/ls/"/>
  </IDPSSODescriptor>
</EntityDescriptor>"#,
        enc = OTHER_IDP.cert_b64(),
        sig = IDP.cert_b64(),
    )
}

#[test]
fn adfs_style_metadata_yields_the_redirect_endpoints_and_only_the_signing_key() {
    let m = parse_idp_metadata(&adfs_like()).unwrap();
    assert_eq!(m.entity_id, "http://adfs.example.org/adfs/services/trust");
    assert_eq!(m.sso_redirect_url.as_str(), "https://adfs.example.org/adfs/ls/");
    assert_eq!(m.slo_url.as_ref().map(url::Url::as_str), Some("https://adfs.example.org/adfs/ls/"));
    assert_eq!(m.signing_certs, IDP.metadata().signing_certs);
}

#[test]
fn in_an_aggregate_the_first_saml2_identity_provider_is_taken() {
    let idp = adfs_like().replacen(r#"<?xml version="1.0" encoding="utf-8"?>"#, "", 1);
    let aggregate = format!(
        r#"<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"><md:EntityDescriptor entityID="https://sp.example.org"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>{idp}</md:EntitiesDescriptor>"#
    );
    let m = parse_idp_metadata(&aggregate).unwrap();
    assert_eq!(m.entity_id, "http://adfs.example.org/adfs/services/trust");
}

#[test]
fn metadata_without_what_sign_in_needs_is_refused() {
    let no_redirect = adfs_like().replace(
        r#"<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://adfs.example.org/adfs/ls/"/>"#,
        "",
    );
    let no_signing_key = adfs_like().replace(r#"use="signing""#, r#"use="encryption""#);
    let bad_cert = adfs_like().replace(&IDP.cert_b64(), "AAAA");
    for broken in [no_redirect, no_signing_key, bad_cert, "<x/>".into(), "not xml".into()] {
        assert_eq!(parse_idp_metadata(&broken).unwrap_err().code(), "invalid_metadata");
    }
    let doctype = adfs_like().replacen("<EntityDescriptor", "<!DOCTYPE x><EntityDescriptor", 1);
    assert_eq!(parse_idp_metadata(&doctype).unwrap_err().code(), "doctype_refused");
}

#[test]
fn stored_metadata_round_trips_through_json_with_base64_certificates() {
    let m = parse_idp_metadata(&adfs_like()).unwrap();
    let json = serde_json::to_string(&m).unwrap();
    assert!(json.contains(&IDP.cert_b64()), "{json}");
    assert_eq!(serde_json::from_str::<crate::sso::saml::IdpMetadata>(&json).unwrap(), m);
}

#[test]
fn our_metadata_offers_one_post_acs_and_wants_signed_assertions() {
    let text = sp_metadata("https://keystead.test/sso?a=1&b=2", "https://keystead.test/acs");
    let doc = xml::parse(&text).unwrap();
    let root = xml::root(&doc).unwrap();
    assert_eq!(xml::attr(&doc, root, "entityID"), Some("https://keystead.test/sso?a=1&b=2"));
    let sp = xml::child(&doc, root, METADATA, "SPSSODescriptor").unwrap();
    assert_eq!(xml::attr(&doc, sp, "WantAssertionsSigned"), Some("true"));
    let acs = xml::children(&doc, sp, METADATA, "AssertionConsumerService");
    assert_eq!(acs.len(), 1);
    assert_eq!(xml::attr(&doc, acs[0], "Location"), Some("https://keystead.test/acs"));
    assert_eq!(xml::attr(&doc, acs[0], "Binding"), Some("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"));
    let formats: Vec<String> =
        xml::children(&doc, sp, METADATA, "NameIDFormat").into_iter().map(|f| xml::text(&doc, f)).collect();
    assert_eq!(
        formats,
        [
            "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
            "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
        ]
    );
}
