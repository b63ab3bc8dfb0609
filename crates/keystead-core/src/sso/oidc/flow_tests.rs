use secrecy::SecretString;
use sha2::Digest as _;

use super::*;
use crate::sso::oidc::discovery::test_metadata;

fn provider(extra: serde_json::Value) -> Discovered {
    Discovered::from_json(test_metadata(extra), serde_json::json!({"keys": []}))
}

fn settings() -> Settings {
    Settings::new("rp-client", SecretString::from("s3cret"))
}

fn params(url: &url::Url) -> Vec<(String, String)> {
    url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn param(url: &url::Url, name: &str) -> Option<String> {
    url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

fn redirect() -> url::Url {
    url::Url::parse("https://accounts.example/sso/oidc/callback").unwrap()
}

#[test]
fn the_authorization_request_carries_the_code_flow_with_pkce_s256_state_and_nonce() {
    let d = provider(serde_json::json!({}));
    let mut s = settings();
    s.scopes = vec!["email".into(), "openid".into(), "groups".into()];
    s.extra_authorize_params = vec![("domain_hint".into(), "acme.example".into())];
    let begun = begin(&d, &s, &redirect(), Some("ada@acme.example")).unwrap();
    let url = &begun.authorization_url;
    assert_eq!(url.origin(), d.authorization_endpoint().origin());
    assert_eq!(url.path(), "/auth");
    assert_eq!(param(url, "tenant").as_deref(), Some("acme"), "the endpoint's own query is kept");
    assert_eq!(param(url, "response_type").as_deref(), Some("code"));
    assert_eq!(param(url, "client_id").as_deref(), Some("rp-client"));
    assert_eq!(param(url, "redirect_uri").as_deref(), Some(redirect().as_str()));
    assert_eq!(param(url, "scope").as_deref(), Some("openid email groups"), "openid first, once");
    assert_eq!(param(url, "state").as_deref(), Some(begun.state.as_str()));
    assert_eq!(param(url, "nonce").as_deref(), Some(begun.nonce.as_str()));
    assert_eq!(param(url, "login_hint").as_deref(), Some("ada@acme.example"));
    assert_eq!(param(url, "domain_hint").as_deref(), Some("acme.example"));
    assert_eq!(param(url, "code_challenge_method").as_deref(), Some("S256"));
    let challenge = URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(begun.pkce_verifier.as_bytes()));
    assert_eq!(param(url, "code_challenge"), Some(challenge), "RFC 7636 §4.2");
    for value in [&begun.state, &begun.nonce, &begun.pkce_verifier] {
        assert_eq!(value.len(), 43, "256 bits");
    }
    assert!(begun.state != begun.nonce && begun.nonce != begun.pkce_verifier);
    assert!(!params(url).iter().any(|(_, v)| v == &begun.pkce_verifier), "the verifier never leaves");
    let logged = format!("{begun:?}");
    assert!(!logged.contains(&begun.pkce_verifier), "{logged}");
}

#[test]
fn openid_is_requested_even_when_the_scopes_omit_it() {
    let mut s = settings();
    s.scopes = vec![];
    let begun = begin(&provider(serde_json::json!({})), &s, &redirect(), None).unwrap();
    assert_eq!(param(&begun.authorization_url, "scope").as_deref(), Some("openid"));
    assert_eq!(param(&begun.authorization_url, "login_hint"), None);
}

#[test]
fn two_sign_ins_never_share_a_state_nonce_or_verifier() {
    let d = provider(serde_json::json!({}));
    let a = begin(&d, &settings(), &redirect(), None).unwrap();
    let b = begin(&d, &settings(), &redirect(), None).unwrap();
    assert!(a.state != b.state && a.nonce != b.nonce && a.pkce_verifier != b.pkce_verifier);
}

#[test]
fn extra_parameters_cannot_override_the_protocol_and_scopes_must_be_single_words() {
    let d = provider(serde_json::json!({}));
    for reserved in ["state", "redirect_uri", "code_challenge_method", "nonce"] {
        let mut s = settings();
        s.extra_authorize_params = vec![(reserved.into(), "x".into())];
        let err = begin(&d, &s, &redirect(), None).unwrap_err();
        assert_eq!(err.code(), "invalid_settings", "{reserved}");
    }
    let mut s = settings();
    s.scopes = vec!["openid email".into()];
    assert_eq!(begin(&d, &s, &redirect(), None).unwrap_err().code(), "invalid_settings");
    let mut s = settings();
    s.client_id = String::new();
    assert_eq!(begin(&d, &s, &redirect(), None).unwrap_err().code(), "invalid_settings");
}

#[test]
fn a_callback_reads_code_state_and_iss_or_the_providers_error() {
    let cb =
        Callback::from_params([("state", "s1"), ("code", "c1"), ("iss", "https://idp.example"), ("x", "y")]).unwrap();
    assert_eq!(cb, Callback { code: "c1".into(), state: "s1".into(), iss: Some("https://idp.example".into()) });
    let err =
        Callback::from_params([("error", "access_denied"), ("error_description", "User cancelled"), ("state", "s")])
            .unwrap_err();
    assert!(
        matches!(&err, OidcError::IdpError { error, description: Some(d) } if error == "access_denied" && d == "User cancelled")
    );
    assert_eq!(err.code(), "idp_error");
    let missing = Callback::from_params([("state", "s1")]).unwrap_err();
    assert!(matches!(missing, OidcError::MalformedCallback("code")));
    let missing = Callback::from_params([("code", "c1"), ("state", "")]).unwrap_err();
    assert!(matches!(missing, OidcError::MalformedCallback("state")));
}

#[test]
fn the_state_must_be_the_one_sent() {
    let d = provider(serde_json::json!({}));
    let cb = Callback { code: "c".into(), state: "abc".into(), iss: None };
    assert!(check_callback(&d, &cb, "abc").is_ok());
    assert!(matches!(check_callback(&d, &cb, "abd"), Err(OidcError::StateMismatch)));
    assert!(matches!(check_callback(&d, &cb, "ab"), Err(OidcError::StateMismatch)));
    let empty = Callback { state: String::new(), ..cb };
    assert!(matches!(check_callback(&d, &empty, ""), Err(OidcError::StateMismatch)), "no state is never a match");
}

#[test]
fn the_iss_parameter_is_required_when_advertised_and_checked_whenever_present() {
    let iss = "https://idp.example/realms/acme";
    let with = |iss: Option<&str>| Callback { code: "c".into(), state: "s".into(), iss: iss.map(str::to_owned) };
    let advertised = provider(serde_json::json!({"authorization_response_iss_parameter_supported": true}));
    assert!(check_callback(&advertised, &with(Some(iss)), "s").is_ok());
    let err = check_callback(&advertised, &with(None), "s").unwrap_err();
    assert_eq!(err.code(), "iss_parameter_mismatch");
    let err = check_callback(&advertised, &with(Some("https://evil.example")), "s").unwrap_err();
    assert!(matches!(err, OidcError::IssParameterMismatch { found: Some(f), .. } if f == "https://evil.example"));
    let silent = provider(serde_json::json!({}));
    assert!(check_callback(&silent, &with(None), "s").is_ok());
    assert!(check_callback(&silent, &with(Some(iss)), "s").is_ok());
    assert!(check_callback(&silent, &with(Some(&format!("{iss}/"))), "s").is_err(), "compared exactly");
    let template = "https://login.microsoftonline.com/{tenantid}/v2.0";
    let many = Discovered::multi_tenant_from_json(
        test_metadata(serde_json::json!({"issuer": template})),
        serde_json::json!({"keys": []}),
    );
    assert!(check_callback(&many, &with(Some("https://login.microsoftonline.com/t-1/v2.0")), "s").is_ok());
    assert!(check_callback(&many, &with(Some("https://evil.example/t-1/v2.0")), "s").is_err());
}

#[test]
fn the_end_session_url_carries_the_hint_client_and_return_address() {
    let d = provider(serde_json::json!({"end_session_endpoint": "https://idp.example/logout?x=1"}));
    let back = url::Url::parse("https://accounts.example/signed-out").unwrap();
    let url = end_session_url(&d, "rp-client", "eyJ.a.b", Some(&back)).unwrap();
    assert_eq!(
        params(&url),
        [
            ("x".to_owned(), "1".to_owned()),
            ("id_token_hint".into(), "eyJ.a.b".into()),
            ("client_id".into(), "rp-client".into()),
            ("post_logout_redirect_uri".into(), back.to_string()),
        ]
    );
    assert_eq!(end_session_url(&provider(serde_json::json!({})), "rp-client", "eyJ.a.b", None), None);
}
