//! Accounts: registration and sign-in addresses, passwords, the profile, the billing address, and
//! what is read from a request (user agent, recipient addresses).

use proptest::prelude::*;

use super::{accepted_or_field_errors, config, form, input, text};
use crate::accounts::EmailAddress;
use crate::accounts::password_policy::{PasswordPolicy, PersonalData, normalize};
use crate::accounts::preferences::BillingAddress;
use crate::accounts::profile::{FieldRule, ProfileField, ProfileFields, validate};
use crate::audit::RequestMeta;

const EMAILS: &[&str] = &["ada@example.com", "a.b+tag@münchen.de", "x@xn--mnchen-3ya.de", "Ada@EXAMPLE.com"];
const BILLING: &[(&str, &[&str])] = &[
    ("name", &["Example GmbH"]),
    ("company", &["Example"]),
    ("line1", &["Hauptstraße 1"]),
    ("line2", &["Hinterhaus"]),
    ("postal_code", &["10115", "SW1A 1AA"]),
    ("city", &["Berlin"]),
    ("region", &["Bayern"]),
    ("country", &["DE", "gb"]),
    ("vat_id", &["DE123456789", "fr-12 345", "DE 123.456.789"]),
];
const PROFILE: &[(&str, &[&str])] = &[
    ("given_name", &["Ada"]),
    ("family_name", &["Lovelace"]),
    ("phone", &["+49 30 1234567", "(030) 123-45"]),
    ("country", &["GB", "de"]),
    ("city", &["London"]),
    ("date_of_birth", &["1815-12-10", "2000-02-29"]),
    ("company", &["Analytical Engines Ltd"]),
    ("job_title", &["Programmer"]),
];

fn every_field(rule: FieldRule) -> ProfileFields {
    let mut fields = ProfileFields::default();
    for f in ProfileField::ALL {
        fields.set(f, rule);
    }
    fields
}

/// Every rule switched on, so that every check runs.
fn strictest_policy() -> PasswordPolicy {
    PasswordPolicy {
        min_length: 12,
        max_length: 64,
        require_lowercase: true,
        require_uppercase: true,
        require_digit: true,
        require_symbol: true,
        reject_common: true,
        reject_personal_data: true,
        min_strength: Some(3),
        ..PasswordPolicy::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn email_addresses_parse_or_name_the_field(typed in input(EMAILS)) {
        let parsed = EmailAddress::parse("email", &typed);
        accepted_or_field_errors(&parsed, &["email"])?;
        if let Ok(email) = parsed {
            // What is accepted is usable as is: it can be sent to and parses again the same.
            prop_assert!(email.to_address().is_ok(), "{email}");
            prop_assert_eq!(EmailAddress::parse("email", email.as_str()).ok(), Some(email.clone()));
            prop_assert!(email.domain().is_ascii() && email.lookup().ends_with(email.domain()));
        }
    }

    #[test]
    fn recipient_addresses_parse_or_name_the_field(typed in input(EMAILS)) {
        accepted_or_field_errors(&crate::mail::parse_recipient("to", &typed), &["to"])?;
    }

    #[test]
    fn billing_addresses_parse_or_name_their_fields(input in form(BILLING)) {
        let names: Vec<&str> = BILLING.iter().map(|(n, _)| *n).collect();
        let parsed = BillingAddress::parse(&input);
        accepted_or_field_errors(&parsed, &names)?;
        if let Ok(address) = parsed {
            prop_assert_eq!(address.country.len(), 2);
            if let Some(vat) = &address.vat_id {
                prop_assert!(vat.chars().all(|c| c.is_ascii_alphanumeric()), "{vat:?}");
            }
        }
    }

    #[test]
    fn profiles_validate_or_name_their_fields(input in form(PROFILE), required in any::<bool>()) {
        let fields = every_field(if required { FieldRule::Required } else { FieldRule::Optional });
        let today = time::macros::date!(2026 - 12 - 03);
        let names: Vec<&str> = PROFILE.iter().map(|(n, _)| *n).collect();
        let validated = validate(&fields, &input, &crate::accounts::profile::Profile::default(), today);
        accepted_or_field_errors(&validated, &names)?;
    }

    #[test]
    fn optional_names_are_cleaned_or_refused(typed in proptest::option::of(input(&["Ada", " Lovelace "]))) {
        let mut errors = crate::FieldErrors::new();
        let cleaned = crate::accounts::clean_name("given_name", typed.as_deref(), &mut errors);
        let result = errors.into_result().map(|()| cleaned);
        accepted_or_field_errors(&result, &["given_name"])?;
    }

    #[test]
    fn passwords_are_checked_against_every_rule_without_panicking(
        password in input(&["correct horse battery staple", "Tr0ub4dor&3", "ada1815!Lovelace"]),
        email in input(EMAILS),
        name in text(),
        birth in input(&["1815-12-10", "10/12/1815"]),
        phone in input(&["+44 7700 900123"]),
        company in text(),
    ) {
        let personal = PersonalData {
            email: &email,
            names: vec![&name],
            date_of_birth: Some(&birth),
            phone: Some(&phone),
            company: Some(&company),
        };
        let policy = strictest_policy();
        for violation in policy.check(&password, &personal) {
            prop_assert!(!violation.code().is_empty() && !violation.message().is_empty());
        }
        // The hashed form is stable: normalising twice changes nothing.
        let once = normalize(&password);
        prop_assert_eq!(normalize(&once), once);
    }

    #[test]
    fn request_metadata_keeps_at_most_512_characters_of_a_user_agent(agent in text()) {
        let meta = RequestMeta::new(None, Some(&agent));
        prop_assert!(meta.user_agent.as_deref().is_some_and(|ua| ua.chars().count() <= 512));
        let _ = crate::sessions::device_name(Some(&agent));
    }

    #[test]
    fn free_mail_domain_lists_parse_any_text(list in text()) {
        for domain in crate::accounts::email::parse_domain_list(&list) {
            prop_assert!(!domain.is_empty() && !domain.contains('#'));
        }
    }
}

#[test]
fn the_strictest_policy_accepts_a_strong_password() {
    let policy = strictest_policy();
    assert_eq!(policy.check("Wq7#vLp2!Rz9$Kd", &PersonalData::default()), vec![], "the rules are satisfiable");
}
