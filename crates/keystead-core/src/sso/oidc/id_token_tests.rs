use aws_lc_rs::signature::{Ed25519KeyPair, KeyPair as _};
use serde_json::json;
use time::macros::datetime;

use super::*;
use crate::sso::oidc::discovery::test_metadata;

const ISS: &str = "https://idp.example/realms/acme";
const CLIENT: &str = "rp-client";
const NONCE: &str = "n-0S6_WzA2Mj";
const NOW: time::OffsetDateTime = datetime!(2026-03-01 12:00 UTC);

/// A provider with one Ed25519 key, signing as a real one does.
struct Idp {
    key: Ed25519KeyPair,
    kid: &'static str,
}

impl Idp {
    fn new(kid: &'static str) -> Self {
        Self { key: Ed25519KeyPair::generate().unwrap(), kid }
    }

    fn jwk(&self) -> Value {
        let x = URL_SAFE_NO_PAD.encode(self.key.public_key().as_ref());
        json!({"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig", "kid": self.kid, "x": x})
    }

    fn discovered(&self) -> Discovered {
        Discovered::from_json(test_metadata(json!({})), json!({"keys": [self.jwk()]}))
    }

    fn sign_with_header(&self, header: &Value, claims: &Value) -> String {
        let input = format!("{}.{}", b64(header), b64(claims));
        let signature = self.key.sign(input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.as_ref()))
    }

    fn sign(&self, claims: &Value) -> String {
        self.sign_with_header(&json!({"alg": "EdDSA", "kid": self.kid, "typ": "JWT"}), claims)
    }
}

fn b64(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap())
}

fn claims() -> Value {
    let now = NOW.unix_timestamp();
    json!({
        "iss": ISS, "sub": "u-42", "aud": CLIENT, "exp": now + 300, "iat": now, "nonce": NONCE,
        "email": "ada@acme.example", "email_verified": "true",
    })
}

fn with(changes: Value) -> Value {
    let mut c = claims();
    for (k, v) in changes.as_object().unwrap() {
        if v.is_null() {
            c.as_object_mut().unwrap().remove(k);
        } else {
            c[k] = v.clone();
        }
    }
    c
}

fn check(idp: &Idp, token: &str) -> Option<IdTokenCheck> {
    verify_id_token(&idp.discovered(), CLIENT, token, NONCE, NOW).err().map(|e| e.id_token_check().unwrap())
}

#[test]
fn a_token_signed_by_the_provider_for_us_verifies_and_keeps_its_claims() {
    let idp = Idp::new("k1");
    let token = idp.sign(&claims());
    let verified = verify_id_token(&idp.discovered(), CLIENT, &token, NONCE, NOW).unwrap();
    assert_eq!((verified.issuer(), verified.subject()), (ISS, "u-42"));
    assert_eq!(verified.claims["email_verified"], "true", "string booleans are read as sent");
    assert_eq!(verified.raw, token);
}

#[test]
fn issuer_audience_and_authorized_party_are_checked() {
    let idp = Idp::new("k1");
    let sign = |c| idp.sign(&with(c));
    assert_eq!(check(&idp, &sign(json!({"iss": "https://evil.example"}))), Some(IdTokenCheck::Issuer));
    assert_eq!(check(&idp, &sign(json!({"iss": format!("{ISS}/")}))), Some(IdTokenCheck::Issuer));
    assert_eq!(check(&idp, &sign(json!({"aud": "another-client"}))), Some(IdTokenCheck::Audience));
    assert_eq!(check(&idp, &sign(json!({"aud": [CLIENT, "api"]}))), Some(IdTokenCheck::Audience), "no azp");
    assert_eq!(check(&idp, &sign(json!({"aud": [CLIENT, "api"], "azp": CLIENT}))), None);
    assert_eq!(check(&idp, &sign(json!({"aud": [CLIENT, "api"], "azp": "api"}))), Some(IdTokenCheck::Audience));
    assert_eq!(check(&idp, &sign(json!({"azp": "api"}))), Some(IdTokenCheck::Audience));
}

#[test]
fn expiry_and_issue_time_are_judged_by_the_callers_clock_with_a_minute_of_skew() {
    let idp = Idp::new("k1");
    let now = NOW.unix_timestamp();
    let sign = |c| idp.sign(&with(c));
    assert_eq!(check(&idp, &sign(json!({"exp": now - 30}))), None, "within the skew");
    assert_eq!(check(&idp, &sign(json!({"exp": now - 61}))), Some(IdTokenCheck::Expiry));
    assert_eq!(check(&idp, &sign(json!({"iat": now + 30}))), None, "within the skew");
    assert_eq!(check(&idp, &sign(json!({"iat": now + 120}))), Some(IdTokenCheck::Expiry));
    let token = idp.sign(&claims());
    let later = verify_id_token(&idp.discovered(), CLIENT, &token, NONCE, NOW + time::Duration::hours(2));
    assert_eq!(later.unwrap_err().code(), "id_token_expiry");
}

#[test]
fn the_nonce_must_be_the_one_sent() {
    let idp = Idp::new("k1");
    assert_eq!(check(&idp, &idp.sign(&with(json!({"nonce": "other"})))), Some(IdTokenCheck::Nonce));
    assert_eq!(check(&idp, &idp.sign(&with(json!({"nonce": null})))), Some(IdTokenCheck::Nonce));
    let no_nonce_sent = verify_id_token(&idp.discovered(), CLIENT, &idp.sign(&with(json!({"nonce": ""}))), "", NOW);
    assert_eq!(no_nonce_sent.unwrap_err().code(), "id_token_nonce");
}

#[test]
fn an_altered_or_unsigned_or_mac_signed_token_is_refused() {
    let idp = Idp::new("k1");
    let token = idp.sign(&claims());
    let parts: Vec<&str> = token.split('.').collect();
    let altered = format!("{}.{}.{}", parts[0], b64(&with(json!({"sub": "admin"}))), parts[2]);
    assert_eq!(check(&idp, &altered), Some(IdTokenCheck::Signature));

    let none = format!("{}.{}.", b64(&json!({"alg": "none", "typ": "JWT"})), parts[1]);
    assert_eq!(check(&idp, &none), Some(IdTokenCheck::Algorithm));

    // HS256 keyed with the public key, the classic confusion (RFC 8725 §2.1).
    let header = b64(&json!({"alg": "HS256", "kid": "k1", "typ": "JWT"}));
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, idp.key.public_key().as_ref());
    let input = format!("{header}.{}", parts[1]);
    let mac = aws_lc_rs::hmac::sign(&key, input.as_bytes());
    let hs = format!("{input}.{}", URL_SAFE_NO_PAD.encode(mac.as_ref()));
    assert_eq!(check(&idp, &hs), Some(IdTokenCheck::Algorithm));

    assert_eq!(check(&idp, "not.a.token"), Some(IdTokenCheck::Malformed));
    assert_eq!(check(&idp, &idp.sign(&with(json!({"sub": null})))), Some(IdTokenCheck::Malformed));
}

#[test]
fn a_token_from_a_key_we_do_not_hold_asks_for_the_keys_again() {
    let idp = Idp::new("k1");
    let rotated = Idp::new("k2");
    let err = verify_id_token(&idp.discovered(), CLIENT, &rotated.sign(&claims()), NONCE, NOW).unwrap_err();
    assert_eq!(err.id_token_check(), Some(IdTokenCheck::Key));
    // The same kid with another key is a bad signature, not a rotation.
    let impostor = Idp::new("k1");
    assert_eq!(check(&idp, &impostor.sign(&claims())), Some(IdTokenCheck::Signature));
}

#[test]
fn a_multi_tenant_provider_requires_the_issuer_of_the_tokens_own_tenant() {
    const TEMPLATE: &str = "https://login.microsoftonline.com/{tenantid}/v2.0";
    let tid = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    let tenant_iss = format!("https://login.microsoftonline.com/{tid}/v2.0");
    let idp = Idp::new("k1");
    let d =
        Discovered::multi_tenant_from_json(test_metadata(json!({"issuer": TEMPLATE})), json!({"keys": [idp.jwk()]}));
    assert!(d.is_multi_tenant());
    let verify = |c| verify_id_token(&d, CLIENT, &idp.sign(&with(c)), NONCE, NOW);
    let ok = verify(json!({"iss": tenant_iss, "tid": tid})).unwrap();
    assert_eq!(ok.issuer(), tenant_iss);
    let issuer_error = |r: Result<VerifiedIdToken, OidcError>| r.unwrap_err().id_token_check();
    let other_tenant = json!({"iss": tenant_iss, "tid": "9188040d-6c67-4c5b-b112-36a304b66dad"});
    assert_eq!(issuer_error(verify(other_tenant)), Some(IdTokenCheck::Issuer), "iss of another tenant");
    assert_eq!(issuer_error(verify(json!({"iss": tenant_iss}))), Some(IdTokenCheck::Issuer), "no tid");
    assert_eq!(issuer_error(verify(json!({"iss": TEMPLATE, "tid": "{tenantid}"}))), Some(IdTokenCheck::Issuer));
    // A provider discovered for one tenant does not take the template's tokens.
    let single = Discovered::from_json(test_metadata(json!({"issuer": TEMPLATE})), json!({"keys": [idp.jwk()]}));
    assert!(
        verify_id_token(&single, CLIENT, &idp.sign(&with(json!({"iss": tenant_iss, "tid": tid}))), NONCE, NOW).is_err()
    );
}
