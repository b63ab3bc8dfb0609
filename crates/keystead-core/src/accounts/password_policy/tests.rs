use std::cell::Cell;
use std::time::Instant;

use time::macros::datetime;

use super::PolicyViolation::*;
use super::*;

fn nobody() -> PersonalData<'static> {
    PersonalData::default()
}

fn jane() -> PersonalData<'static> {
    PersonalData {
        email: "jane.doe@example.org",
        names: vec!["Jane", "Doe"],
        date_of_birth: Some("1985-05-03"),
        phone: Some("+1 555 010 0199"),
        company: Some("Initech"),
    }
}

fn strict() -> PasswordPolicy {
    PasswordPolicy {
        require_lowercase: true,
        require_uppercase: true,
        require_digit: true,
        require_symbol: true,
        min_strength: Some(3),
        ..PasswordPolicy::default()
    }
}

#[test]
fn the_default_policy_is_the_one_the_spec_describes() {
    let p = PasswordPolicy::default();
    assert_eq!((p.min_length, p.max_length), (10, 128));
    assert!(!p.require_lowercase && !p.require_uppercase && !p.require_digit && !p.require_symbol);
    assert!(p.reject_common && p.reject_personal_data);
    assert_eq!((p.min_strength, p.max_age_days, p.history), (None, None, 0));
}

#[test]
fn a_long_random_passphrase_passes_the_default_policy() {
    let policy = PasswordPolicy::default();
    assert_eq!(policy.check("correct horse battery staple 42!", &jane()), []);
    assert_eq!(strict().check("Correct horse battery staple 42!", &jane()), []);
}

#[test]
fn a_short_password_is_too_short() {
    assert_eq!(PasswordPolicy::default().check("x7#Kq9!", &nobody()), [TooShort { min: 10 }]);
}

#[test]
fn length_is_counted_in_characters_not_bytes() {
    let policy = PasswordPolicy { reject_common: false, ..PasswordPolicy::default() };
    assert_eq!(policy.check(&"é".repeat(9), &nobody()), [TooShort { min: 10 }]);
    assert_eq!(policy.check(&"é".repeat(10), &nobody()), []);
    assert_eq!(policy.check(&"🦀".repeat(128), &nobody()), []);
    assert_eq!(policy.check(&"🦀".repeat(129), &nobody()), [TooLong { max: 128 }]);
}

#[test]
fn each_missing_character_class_is_reported() {
    let policy = PasswordPolicy { min_strength: None, ..strict() };
    assert_eq!(policy.check("UNRELATED-WORDS-42", &nobody()), [MissingLowercase]);
    assert_eq!(policy.check("unrelated-words-42", &nobody()), [MissingUppercase]);
    assert_eq!(policy.check("Unrelated-Words-Go", &nobody()), [MissingDigit]);
    assert_eq!(policy.check("UnrelatedWords42", &nobody()), [MissingSymbol]);
    assert_eq!(policy.check("Unrelated Words 42", &nobody()), [], "a space is a symbol");
    assert_eq!(policy.check("Ünrelated wörds ٤٢", &nobody()), [], "letters and digits of any script count");
}

#[test]
fn every_failed_rule_is_returned_together() {
    // A tab is a control character, not a symbol.
    let found = strict().check("jane\t1", &jane());
    assert_eq!(
        found,
        [
            ControlCharacters,
            TooShort { min: 10 },
            MissingUppercase,
            MissingSymbol,
            ContainsPersonalData { what: "your name" },
            TooWeak { score: 1, min: 3 },
        ]
    );
    let found = strict().check("password", &nobody());
    assert_eq!(
        found,
        [TooShort { min: 10 }, MissingUppercase, MissingDigit, MissingSymbol, Common, TooWeak { score: 0, min: 3 }]
    );
}

#[test]
fn control_characters_are_refused_but_spaces_are_not() {
    let policy = PasswordPolicy::default();
    for password in
        ["correct horse\tbattery", "correct horse\nbattery", "correct\u{7f}horse battery", "a\u{2028}horse battery"]
    {
        assert_eq!(policy.check(password, &nobody()), [ControlCharacters], "{password:?}");
    }
    assert_eq!(policy.check("correct\u{a0}horse battery", &nobody()), [], "a no-break space becomes a space");
}

#[test]
fn nfkc_makes_full_width_letters_and_ligatures_plain_ascii() {
    assert_eq!(normalize("Ｐａｓｓｗｏｒｄ１２３"), "Password123");
    assert_eq!(normalize("ﬁne"), "fine");
    let classes = PasswordPolicy { min_strength: None, reject_common: false, ..strict() };
    assert_eq!(classes.check("Ｕｎｒｅｌａｔｅｄ－ｗｏｒｄｓ－４２", &nobody()), []);
    assert_eq!(PasswordPolicy::default().check("Ｐａｓｓｗｏｒｄ１２３", &nobody()), [Common]);
    // Five ligatures are ten characters once normalised.
    let lengths = PasswordPolicy { reject_common: false, reject_personal_data: false, ..PasswordPolicy::default() };
    assert_eq!(lengths.check("ﬁﬁﬁﬁﬁ", &nobody()), []);
    assert_eq!(lengths.check("ﬁﬁﬁﬁ", &nobody()), [TooShort { min: 10 }]);
}

#[test]
fn the_maximum_length_is_enforced_before_the_estimator_runs() {
    let policy = PasswordPolicy::default();
    let seen = Cell::new(None);
    let estimator = |p: &str, inputs: &[&str]| {
        seen.set(Some(p.chars().count()));
        zxcvbn::zxcvbn(p, inputs)
    };
    assert_eq!(policy.check_with(&"x".repeat(129), &nobody(), estimator), [TooLong { max: 128 }]);
    assert_eq!(seen.get(), None);
    let _ = policy.check_with(&"correct horse battery staple ".repeat(5)[..128], &nobody(), estimator);
    assert_eq!(seen.get(), Some(128));
}

#[test]
fn the_estimator_never_sees_more_than_128_characters() {
    let policy = PasswordPolicy { max_length: 1000, ..PasswordPolicy::default() };
    let seen = Cell::new(None);
    let found = policy.check_with(&"Tr0ub4dor&3 ".repeat(40), &nobody(), |p, inputs| {
        seen.set(Some(p.chars().count()));
        zxcvbn::zxcvbn(p, inputs)
    });
    assert_eq!(seen.get(), Some(ESTIMATOR_MAX_CHARS));
    assert_eq!(found, []);
}

#[test]
fn a_ten_thousand_character_input_is_refused_at_once() {
    let policy = PasswordPolicy::default();
    let huge = "Ａ".repeat(10_000);
    let started = Instant::now();
    assert_eq!(policy.check(&huge, &jane()), [TooLong { max: 128 }]);
    assert_eq!(policy.check(&"\u{301}".repeat(10_000), &jane()), [TooLong { max: 128 }]);
    let ten_megabytes = "a".repeat(10 << 20);
    assert_eq!(policy.check(&ten_megabytes, &jane()), [TooLong { max: 128 }]);
    // Generous: the work is bounded by max_length, not by the input (a few microseconds).
    assert!(started.elapsed().as_millis() < 500, "{:?}", started.elapsed());
}

#[test]
fn the_django_list_catches_a_password_that_zxcvbn_alone_lets_through() {
    let estimate = zxcvbn::zxcvbn("000webhost", &[]);
    assert!(u8::from(estimate.score()) >= 1);
    assert!(!says_common(&estimate));
    assert_eq!(PasswordPolicy::default().check("000webhost", &nobody()), [Common]);
    assert_eq!(PasswordPolicy::default().check("000WebHost", &nobody()), [Common]);
}

#[test]
fn zxcvbn_common_verdicts_are_reported_once_as_common() {
    let policy = PasswordPolicy { min_length: 1, ..PasswordPolicy::default() };
    assert!(says_common(&zxcvbn::zxcvbn("password", &[])));
    assert_eq!(policy.check("password", &nobody()), [Common]);
}

#[test]
fn common_and_personal_checks_can_be_turned_off() {
    let policy = PasswordPolicy { reject_common: false, reject_personal_data: false, ..PasswordPolicy::default() };
    assert_eq!(policy.check("password123", &nobody()), []);
    assert_eq!(policy.check("jane.doe@example.org", &jane()), []);
}

#[test]
fn personal_data_is_reported_with_what_was_found() {
    let policy = PasswordPolicy::default();
    assert_eq!(
        policy.check("I am JANE.DOE at work", &jane()),
        [ContainsPersonalData { what: "your email address" }, ContainsPersonalData { what: "your name" }]
    );
    assert_eq!(policy.check("write to jane.doe@example.org", &nobody()), [], "nothing is known about this person");
    assert_eq!(policy.check("Doe, a deer, a female deer", &jane()), [ContainsPersonalData { what: "your name" }]);
    assert_eq!(
        policy.check("born 03/05/1985 in spring", &jane()),
        [ContainsPersonalData { what: "your date of birth" }]
    );
    assert_eq!(policy.check("call me at 555-010-0199", &jane()), [ContainsPersonalData { what: "your phone number" }]);
    assert_eq!(
        policy.check("INITECH tps reports forever", &jane()),
        [ContainsPersonalData { what: "your company's name" }]
    );
}

#[test]
fn personal_data_given_to_the_estimator_lowers_the_score_of_variants() {
    let policy = PasswordPolicy { min_strength: Some(4), ..PasswordPolicy::default() };
    let person = PersonalData { names: vec!["Szczepanski"], company: Some("Initech"), ..PersonalData::default() };
    // The name and company reversed: not contained as such, but zxcvbn knows them.
    assert_eq!(policy.check("iksnapezczs hcetini", &nobody()), []);
    assert_eq!(policy.check("iksnapezczs hcetini", &person), [TooWeak { score: 3, min: 4 }]);
}

#[test]
fn a_minimum_strength_above_four_counts_as_four() {
    let policy = PasswordPolicy { min_strength: Some(9), ..PasswordPolicy::default() };
    assert_eq!(policy.check("correct horse battery staple 42!", &nobody()), []);
}

#[test]
fn an_organization_can_tighten_every_rule() {
    let org = PasswordPolicyOverride {
        min_length: Some(14),
        max_length: Some(20),
        require_lowercase: Some(true),
        require_uppercase: Some(true),
        require_digit: Some(true),
        require_symbol: Some(true),
        reject_common: Some(true),
        reject_personal_data: Some(true),
        min_strength: Some(3),
        max_age_days: Some(90),
        history: Some(5),
    };
    let merged = PasswordPolicy::default().overridden_by(&org);
    assert_eq!(
        merged,
        PasswordPolicy {
            min_length: 14,
            max_length: 20,
            require_lowercase: true,
            require_uppercase: true,
            require_digit: true,
            require_symbol: true,
            reject_common: true,
            reject_personal_data: true,
            min_strength: Some(3),
            max_age_days: Some(90),
            history: 5,
        }
    );
    assert_eq!(merged.check("Correct horse battery 42!", &nobody()), [TooLong { max: 20 }]);
}

#[test]
fn an_organization_cannot_loosen_the_deployment_policy() {
    let deployment = PasswordPolicy { max_length: 64, ..strict() };
    let deployment = PasswordPolicy { max_age_days: Some(60), history: 3, ..deployment };
    let org = PasswordPolicyOverride {
        min_length: Some(4),
        max_length: Some(500),
        require_lowercase: Some(false),
        require_uppercase: Some(false),
        require_digit: Some(false),
        require_symbol: Some(false),
        reject_common: Some(false),
        reject_personal_data: Some(false),
        min_strength: Some(1),
        max_age_days: Some(365),
        history: Some(1),
    };
    assert_eq!(deployment.overridden_by(&org), deployment);
    assert_eq!(deployment.overridden_by(&PasswordPolicyOverride::default()), deployment);
}

#[test]
fn an_organization_cannot_lower_the_maximum_below_the_minimum() {
    let org = PasswordPolicyOverride { max_length: Some(6), ..PasswordPolicyOverride::default() };
    let merged = PasswordPolicy::default().overridden_by(&org);
    assert_eq!((merged.min_length, merged.max_length), (10, 10));
    let org =
        PasswordPolicyOverride { min_length: Some(24), max_length: Some(20), ..PasswordPolicyOverride::default() };
    let merged = PasswordPolicy::default().overridden_by(&org);
    assert_eq!((merged.min_length, merged.max_length), (24, 24));
}

#[test]
fn a_maximum_age_of_zero_days_means_none_when_merging() {
    let org = PasswordPolicyOverride { max_age_days: Some(0), ..PasswordPolicyOverride::default() };
    assert_eq!(PasswordPolicy::default().overridden_by(&org).max_age_days, None);
    let deployment = PasswordPolicy { max_age_days: Some(0), ..PasswordPolicy::default() };
    let org = PasswordPolicyOverride { max_age_days: Some(90), ..PasswordPolicyOverride::default() };
    assert_eq!(deployment.overridden_by(&org).max_age_days, Some(90));
}

#[test]
fn policies_and_overrides_deserialise_with_missing_fields() {
    let policy: PasswordPolicy = serde_json::from_str(r#"{"min_length": 12, "max_age_days": 90}"#).unwrap();
    assert_eq!(policy, PasswordPolicy { min_length: 12, max_age_days: Some(90), ..PasswordPolicy::default() });
    let org: PasswordPolicyOverride = serde_json::from_str(r#"{"max_length": 20}"#).unwrap();
    assert_eq!(org, PasswordPolicyOverride { max_length: Some(20), ..PasswordPolicyOverride::default() });
    let round_trip: PasswordPolicyOverride = serde_json::from_str(&serde_json::to_string(&org).unwrap()).unwrap();
    assert_eq!(round_trip, org);
}

#[test]
fn a_password_expires_after_the_maximum_age_and_never_without_one() {
    let changed = datetime!(2025-01-01 12:00 UTC);
    let policy = PasswordPolicy { max_age_days: Some(90), ..PasswordPolicy::default() };
    assert!(!policy.is_expired(changed, datetime!(2025-04-01 11:59 UTC)));
    assert!(policy.is_expired(changed, datetime!(2025-04-01 12:00 UTC)));
    assert_eq!(policy.expires_at(changed), Some(datetime!(2025-04-01 12:00 UTC)));
    let never = PasswordPolicy::default();
    assert!(!never.is_expired(changed, datetime!(2125-01-01 0:00 UTC)));
    let zero = PasswordPolicy { max_age_days: Some(0), ..PasswordPolicy::default() };
    assert!(!zero.is_expired(changed, datetime!(2125-01-01 0:00 UTC)));
}

#[test]
fn reused_is_left_to_the_caller() {
    let policy = PasswordPolicy { history: 5, ..PasswordPolicy::default() };
    assert!(!policy.check("correct horse battery staple 42!", &nobody()).contains(&Reused));
}
