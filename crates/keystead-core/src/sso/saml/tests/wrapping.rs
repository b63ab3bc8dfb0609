//! Signature wrapping (XSW) and replay: what is read must be exactly what was signed.

use super::fixture::{IDP, Resp, encode, template};
use super::response::check;

/// A legitimately signed assertion, and an unsigned one naming someone else.
fn signed_and_evil() -> (String, String) {
    let good = Resp { sign_response: false, sign_assertion: true, ..Resp::standard() }.assertion();
    let evil = Resp { sign_response: false, name_id: "admin".into(), ..Resp::standard() }
        .assertion()
        .replace("ID=\"_a1\"", "ID=\"_evil\"");
    (good, evil)
}

#[test]
fn a_forged_assertion_beside_the_signed_one_is_refused() {
    let (good, evil) = signed_and_evil();
    let resp = Resp { sign_response: false, ..Resp::standard() };
    for pair in [format!("{evil}{good}"), format!("{good}{evil}")] {
        let err = check(&encode(&resp.response_around(&pair))).unwrap_err();
        assert_eq!(err.code(), "wrapped", "{err}");
    }
}

#[test]
fn the_signed_assertion_hidden_inside_a_forged_one_is_refused() {
    let (good, evil) = signed_and_evil();
    let nested = evil.replace("</saml:Subject>", &format!("</saml:Subject><saml:Advice>{good}</saml:Advice>"));
    let resp = Resp { sign_response: false, ..Resp::standard() };
    assert_eq!(check(&encode(&resp.response_around(&nested))).unwrap_err().code(), "wrapped");
}

#[test]
fn a_signed_response_wrapped_in_a_forged_one_is_refused() {
    let original = Resp::standard().xml();
    let (_, evil) = signed_and_evil();
    let forged = Resp { sign_response: false, ..Resp::standard() }
        .response_around(&evil)
        .replacen("ID=\"_r1\"", "ID=\"_forged\"", 1)
        .replace("<samlp:Status>", &format!("<samlp:Extensions>{original}</samlp:Extensions><samlp:Status>"));
    assert_eq!(check(&encode(&forged)).unwrap_err().code(), "wrapped");
}

#[test]
fn a_signature_in_an_unexpected_place_is_refused() {
    let signed = Resp::standard().xml();
    let start = signed.find("<ds:Signature").unwrap();
    let end = signed.find("</ds:Signature>").unwrap() + "</ds:Signature>".len();
    let signature = &signed[start..end];
    let moved = signed
        .replace(signature, "")
        .replace("<samlp:Status>", &format!("<samlp:Extensions>{signature}</samlp:Extensions><samlp:Status>"));
    assert_eq!(check(&encode(&moved)).unwrap_err().code(), "wrapped");
}

#[test]
fn a_response_signature_that_references_the_assertion_is_refused() {
    let unsigned = Resp { sign_response: false, ..Resp::standard() }.xml();
    let odd = unsigned.replacen("</saml:Issuer>", &format!("</saml:Issuer>{}", template("_a1")), 1);
    let err = check(&encode(&IDP.sign(&odd))).unwrap_err();
    assert_eq!(err.code(), "wrapped", "{err}");
}

#[test]
fn a_duplicate_id_is_refused() {
    let signed = Resp::standard().xml();
    let dup = signed
        .replace("<samlp:Status>", "<samlp:Extensions><samlp:Thing ID=\"_a1\"/></samlp:Extensions><samlp:Status>");
    assert_eq!(check(&encode(&dup)).unwrap_err().code(), "duplicate_id");
}

#[test]
fn a_replayed_response_shows_the_same_assertion_id_for_the_caller_to_refuse() {
    let encoded = Resp::standard().encoded();
    let first = check(&encoded).unwrap();
    let second = check(&encoded).unwrap();
    assert_eq!(first.assertion_id, second.assertion_id);
    assert_eq!(first.not_on_or_after, second.not_on_or_after);
}
