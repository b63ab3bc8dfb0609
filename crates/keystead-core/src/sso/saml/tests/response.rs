//! Response checks, one rule per test, on responses signed at test time.

use super::fixture::{ACS, IDP, OTHER_IDP, REQUEST_ID, Resp, SP, encode, now};
use crate::sso::ClaimMapping;
use crate::sso::saml::{Expected, SamlError, Validated, validate_response};

fn expected() -> Expected<'static> {
    Expected { sp_entity_id: SP, acs_url: ACS, request_id: REQUEST_ID, now: now(), skew: time::Duration::minutes(2) }
}

pub(super) fn check(encoded: &str) -> Result<Validated, SamlError> {
    validate_response(encoded, &IDP.metadata(), &ClaimMapping::saml_default(), &expected())
}

fn code_of(resp: &Resp) -> &'static str {
    check(&resp.encoded()).unwrap_err().code()
}

#[test]
fn a_signed_response_yields_the_mapped_identity() {
    let v = check(&Resp::standard().encoded()).unwrap();
    let id = &v.identity;
    assert_eq!(id.issuer, "https://idp.test/metadata");
    assert_eq!(id.subject, "u-1234");
    assert_eq!(id.email.as_deref(), Some("ada@example.org"));
    assert!(!id.email_verified);
    assert_eq!(id.given_name.as_deref(), Some("Ada"));
    assert_eq!(id.family_name.as_deref(), Some("Lovelace"));
    assert_eq!(id.groups, ["staff", "admins"]);
    assert_eq!(id.acr.as_deref(), Some("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"));
    assert_eq!(id.logout_hint.as_deref(), Some("_session7"));
    assert_eq!(v.assertion_id, "_a1");
    assert_eq!(v.not_on_or_after, now() + time::Duration::minutes(7));
}

#[test]
fn a_signed_assertion_in_an_unsigned_response_is_accepted() {
    let resp = Resp { sign_response: false, sign_assertion: true, ..Resp::standard() };
    assert_eq!(check(&resp.encoded()).unwrap().identity.subject, "u-1234");
}

#[test]
fn a_response_signed_twice_is_accepted() {
    let resp = Resp { sign_assertion: true, ..Resp::standard() };
    assert!(check(&resp.encoded()).is_ok());
}

#[test]
fn an_unsigned_response_is_refused() {
    let resp = Resp { sign_response: false, ..Resp::standard() };
    assert_eq!(code_of(&resp), "unsigned");
}

#[test]
fn a_signature_by_another_key_is_refused() {
    let xml_text = Resp { sign_response: false, ..Resp::standard() }.xml();
    let template = super::fixture::template("_r1");
    let with_template = xml_text.replacen("</saml:Issuer>", &format!("</saml:Issuer>{template}"), 1);
    let signed = OTHER_IDP.sign(&with_template);
    assert_eq!(check(&encode(&signed)).unwrap_err().code(), "bad_signature");
}

#[test]
fn a_value_changed_after_signing_breaks_the_signature() {
    let tampered = Resp::standard().xml().replace("u-1234", "u-0001");
    assert_eq!(check(&encode(&tampered)).unwrap_err().code(), "bad_signature");
}

#[test]
fn a_comment_in_the_name_id_does_not_truncate_the_subject() {
    let resp = Resp { name_id: "admin@example.org<!---->.evil.test".into(), ..Resp::standard() };
    assert_eq!(check(&resp.encoded()).unwrap().identity.subject, "admin@example.org.evil.test");
}

#[test]
fn sha1_signatures_are_refused() {
    let weak = Resp::standard()
        .xml()
        .replace("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", "http://www.w3.org/2000/09/xmldsig#rsa-sha1");
    let err = check(&encode(&weak)).unwrap_err();
    assert_eq!(err.code(), "bad_signature");
    assert!(err.to_string().contains("rsa-sha1"), "{err}");
}

#[test]
fn each_envelope_and_assertion_rule_has_its_own_code() {
    let base = Resp::standard();
    let cases = [
        (Resp { audience: "https://other-sp.test".into(), ..base.clone() }, "wrong_audience"),
        (
            Resp { recipient: "https://evil.test/acs".into(), destination: ACS.into(), ..base.clone() },
            "wrong_recipient",
        ),
        (Resp { destination: "https://evil.test/acs".into(), ..base.clone() }, "wrong_destination"),
        (Resp { in_response_to: "ks_someone_else".into(), ..base.clone() }, "wrong_in_response_to"),
        (Resp { issuer: "https://evil.test/idp".into(), ..base.clone() }, "issuer_mismatch"),
        (Resp { status: "urn:oasis:names:tc:SAML:2.0:status:Responder".into(), ..base.clone() }, "status_not_success"),
        (Resp { not_on_or_after: now() - time::Duration::minutes(3), ..base.clone() }, "expired"),
        (Resp { not_before: now() + time::Duration::minutes(3), ..base.clone() }, "not_yet_valid"),
    ];
    for (resp, code) in cases {
        assert_eq!(code_of(&resp), code);
    }
}

#[test]
fn clock_skew_is_tolerated_both_ways() {
    let resp = Resp {
        not_before: now() + time::Duration::minutes(1),
        not_on_or_after: now() - time::Duration::minutes(1),
        ..Resp::standard()
    };
    assert!(check(&resp.encoded()).is_ok());
}

#[test]
fn the_recipient_is_checked_even_when_only_the_assertion_is_signed() {
    let resp = Resp {
        sign_response: false,
        sign_assertion: true,
        recipient: "https://evil.test/acs".into(),
        ..Resp::standard()
    };
    assert_eq!(code_of(&resp), "wrong_recipient");
}

#[test]
fn email_comes_from_an_email_name_id_when_no_attribute_gives_one() {
    let resp = Resp {
        name_id: "grace@example.org".into(),
        name_id_format: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress".into(),
        attributes: vec![],
        ..Resp::standard()
    };
    let id = check(&resp.encoded()).unwrap().identity;
    assert_eq!(id.email.as_deref(), Some("grace@example.org"));
    assert_eq!(id.given_name, None);
}

#[test]
fn common_attribute_names_are_read_when_the_mapped_ones_are_absent() {
    let resp = Resp {
        attributes: vec![
            ("urn:oid:0.9.2342.19200300.100.1.3", vec!["ada@example.org"]),
            ("givenName", vec!["Ada"]),
            ("urn:oid:2.5.4.4", vec!["Lovelace"]),
        ],
        ..Resp::standard()
    };
    let id = check(&resp.encoded()).unwrap().identity;
    assert_eq!(id.email.as_deref(), Some("ada@example.org"));
    assert_eq!(id.given_name.as_deref(), Some("Ada"));
    assert_eq!(id.family_name.as_deref(), Some("Lovelace"));
}

#[test]
fn an_encrypted_assertion_is_refused_with_its_own_code() {
    let xml_text = Resp { sign_response: false, ..Resp::standard() }.response_around(
        r#"<saml:EncryptedAssertion><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"/></saml:EncryptedAssertion>"#,
    );
    assert_eq!(check(&encode(&xml_text)).unwrap_err().code(), "encrypted_unsupported");
}

#[test]
fn oversized_doctype_and_garbage_inputs_are_refused_early() {
    let huge = "A".repeat(crate::sso::saml::MAX_RESPONSE_BYTES + 1);
    assert_eq!(check(&huge).unwrap_err().code(), "too_large");
    let doctype = format!("<!DOCTYPE r [<!ENTITY e \"x\">]>{}", Resp::standard().xml());
    assert_eq!(check(&encode(&doctype)).unwrap_err().code(), "doctype_refused");
    assert_eq!(check("%%%").unwrap_err().code(), "malformed");
    assert_eq!(check(&encode("<a/>")).unwrap_err().code(), "malformed");
}

#[test]
fn error_codes_are_stable_snake_case() {
    let errors = [
        SamlError::Unsigned,
        SamlError::BadSignature(String::new()),
        SamlError::Wrapped(String::new()),
        SamlError::DuplicateId(String::new()),
        SamlError::WrongAudience,
        SamlError::EncryptedUnsupported,
    ];
    let codes: Vec<&str> = errors.iter().map(SamlError::code).collect();
    assert_eq!(
        codes,
        ["unsigned", "bad_signature", "wrapped", "duplicate_id", "wrong_audience", "encrypted_unsupported"]
    );
}
