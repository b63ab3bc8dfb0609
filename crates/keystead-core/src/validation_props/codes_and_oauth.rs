//! Codes people type (TOTP and emailed codes, recovery codes, device user codes) and what an
//! operator or a client sends to the OAuth provider (client registration, redirect URIs, scopes,
//! PKCE), plus the settings parsed from text.

use proptest::prelude::*;

use super::{accepted_or_field_errors, config, input, text};
use crate::oauth::device::{format_user_code, normalize_user_code};
use crate::oauth::registration::validate;
use crate::oauth::scopes::Scopes;
use crate::oauth::{ClientKind, ErrorCode, GrantType, NewClient, SigningAlg, pkce};

const REDIRECTS: &[&str] = &[
    "https://app.example.com/callback",
    "http://127.0.0.1:8765/cb",
    "http://[::1]/cb",
    "com.example.app:/oauth",
    "https://bücher.example/cb?x=1",
];

proptest! {
    #![proptest_config(config())]

    #[test]
    fn six_digit_codes_are_six_ascii_digits_or_nothing(typed in input(&["123456", "123 456", "123-456"])) {
        if let Some(digits) = crate::mfa::six_digits(&typed) {
            prop_assert!(digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()), "{digits:?}");
        }
    }

    #[test]
    fn recovery_codes_normalise_any_text(typed in input(&["abcde-fghij", "ABCDE FGHIJ"])) {
        let normalized = crate::mfa::recovery::normalize(&typed);
        prop_assert!(!normalized.contains('-') && !normalized.chars().any(char::is_whitespace));
    }

    #[test]
    fn device_user_codes_normalise_and_show_any_text(typed in input(&["BCDF-GHJK", "bcdf ghjk"])) {
        let code = normalize_user_code(&typed);
        prop_assert!(code.len() <= 16 && code.bytes().all(|b| b.is_ascii_uppercase()), "{code:?}");
        let _ = format_user_code(&code);
        let _ = format_user_code(&typed);
    }

    #[test]
    fn totp_secrets_from_any_text_give_a_code_or_none(secret in input(&["JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"])) {
        if let Some(code) = crate::mfa::totp_code_at(&secret, 1_700_000_000) {
            prop_assert_eq!(code.len(), 6);
        }
    }

    #[test]
    fn client_registrations_are_checked_or_name_their_fields(
        name in input(&["Billing", "Büro-App"]),
        public in any::<bool>(),
        redirects in proptest::collection::vec(input(REDIRECTS), 0..3),
        logouts in proptest::collection::vec(input(REDIRECTS), 0..2),
        grants in proptest::collection::vec(input(&["authorization_code", "refresh_token", "device_code"]), 0..3),
        backchannel in proptest::option::of(input(&["https://app.example.com/logout", "http://10.0.0.1/bc"])),
        alg in proptest::option::of(input(&["RS256", "ES256", "EdDSA"])),
        api_scopes in proptest::collection::vec(input(&["users:read", "clients:write", "scim"]), 0..2),
        allow_private in any::<bool>(),
    ) {
        let new = NewClient {
            name,
            kind: if public { ClientKind::Public } else { ClientKind::Confidential },
            first_party: false,
            redirect_uris: redirects,
            grant_types: grants,
            post_logout_redirect_uris: logouts,
            backchannel_logout_uri: backchannel,
            id_token_alg: alg,
            api_scopes,
            require_pushed_authorization_requests: false,
        };
        let fields = [
            "name", "grant", "redirect_uri", "post_logout_redirect_uri", "backchannel_logout_uri", "id_token_alg",
            "api_scopes",
        ];
        accepted_or_field_errors(&validate(&new, allow_private), &fields)?;
    }

    #[test]
    fn scopes_parse_or_are_invalid_scope(raw in input(&["openid profile email", "openid offline_access"])) {
        if let Err(e) = Scopes::parse(&raw) {
            prop_assert_eq!(e.code, ErrorCode::InvalidScope);
        }
    }

    #[test]
    fn pkce_values_are_checked_without_panicking(verifier in text(), challenge in text()) {
        let _ = (pkce::valid_challenge(&challenge), pkce::valid_verifier(&verifier), pkce::verify(&verifier, &challenge));
    }

    #[test]
    fn names_sent_as_parameters_parse_or_not(word in input(&["authorization_code", "RS256", "totp", "512"])) {
        let _ = (GrantType::parse(&word), SigningAlg::parse(&word), crate::mfa::Method::parse(&word));
        let _ = crate::accounts::picture::PictureSize::parse(&word);
    }

    #[test]
    fn outbound_urls_are_judged_without_panicking(url in input(REDIRECTS), allow_private in any::<bool>()) {
        let _ = crate::outbound::refusal(&url, allow_private);
    }

    #[test]
    fn settings_parsed_from_text_parse_or_explain(value in input(&["10.0.0.0/8", "::1", "fd00::/8"])) {
        if let Err(why) = crate::config::IpNet::parse(&value) {
            prop_assert!(!why.is_empty());
        }
        if let Err(why) = crate::crypto::MasterKey::parse(&value) {
            prop_assert!(!why.is_empty());
        }
    }
}
