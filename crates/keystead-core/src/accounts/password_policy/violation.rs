//! The rules a password can fail, each with a stable code and a sentence telling the person how
//! to fix it.

use std::fmt;

/// One rule of the password policy that a password failed (SPEC §2: "every rejection says exactly
/// which rule failed").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyViolation {
    /// Fewer characters than the minimum (counted in Unicode scalar values after NFKC).
    TooShort {
        /// The minimum length.
        min: usize,
    },
    /// More characters than the maximum. Reported alone: nothing else is checked.
    TooLong {
        /// The maximum length.
        max: usize,
    },
    /// The policy requires a lowercase letter and there is none.
    MissingLowercase,
    /// The policy requires an uppercase letter and there is none.
    MissingUppercase,
    /// The policy requires a digit and there is none.
    MissingDigit,
    /// The policy requires a symbol (punctuation, space, emoji…) and there is none.
    MissingSymbol,
    /// The password is on a list of commonly used passwords.
    Common,
    /// The password contains the person's own data.
    ContainsPersonalData {
        /// Which data, as words for a person: `"your email address"`, `"your name"`,
        /// `"your date of birth"`, `"your phone number"`, `"your company's name"`.
        what: &'static str,
    },
    /// The strength estimate (zxcvbn score, 0 to 4) is below the policy's minimum.
    TooWeak {
        /// The password's score.
        score: u8,
        /// The minimum score.
        min: u8,
    },
    /// The password contains control characters (tabs, line breaks, …).
    ControlCharacters,
    /// The password is one of the person's last N passwords. Never produced by
    /// [`PasswordPolicy::check`](super::PasswordPolicy::check): the caller, which has the stored
    /// hashes, adds it.
    Reused,
}

impl PolicyViolation {
    /// The stable machine-readable code (`"too_short"`), never renamed once shipped.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooShort { .. } => "too_short",
            Self::TooLong { .. } => "too_long",
            Self::MissingLowercase => "missing_lowercase",
            Self::MissingUppercase => "missing_uppercase",
            Self::MissingDigit => "missing_digit",
            Self::MissingSymbol => "missing_symbol",
            Self::Common => "common",
            Self::ContainsPersonalData { .. } => "personal_data",
            Self::TooWeak { .. } => "too_weak",
            Self::ControlCharacters => "control_characters",
            Self::Reused => "reused",
        }
    }

    /// A sentence for a person saying which rule failed and how to fix it.
    pub fn message(&self) -> String {
        match self {
            Self::TooShort { min } => format!("Use at least {min} {}.", characters(*min)),
            Self::TooLong { max } => format!("Use at most {max} {}.", characters(*max)),
            Self::MissingLowercase => "Add at least one lowercase letter (a–z).".to_owned(),
            Self::MissingUppercase => "Add at least one uppercase letter (A–Z).".to_owned(),
            Self::MissingDigit => "Add at least one digit (0–9).".to_owned(),
            Self::MissingSymbol => "Add at least one symbol or space, such as ! # - or _.".to_owned(),
            Self::Common => "This password is too common: choose one that others are unlikely to use.".to_owned(),
            Self::ContainsPersonalData { what } => format!("Do not use {what} in your password."),
            Self::TooWeak { score, min } => format!(
                "This password is too easy to guess (strength {score} of 4, at least {min} needed): \
                 make it longer, for example with a few unrelated words."
            ),
            Self::ControlCharacters => {
                "Remove the tabs, line breaks and other control characters: use letters, digits, symbols \
                 and spaces."
                    .to_owned()
            }
            Self::Reused => "You used this password recently: choose one you have not used before.".to_owned(),
        }
    }
}

impl PolicyViolation {
    /// The values the sentence names, for its translation (`field-error-<code>`): `min`, `max`,
    /// `score`, and `what` (`email`, `name`, `date-of-birth`, `phone`, `company`).
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::TooShort { min } => vec![("min", min.to_string())],
            Self::TooLong { max } => vec![("max", max.to_string())],
            Self::TooWeak { score, min } => vec![("score", score.to_string()), ("min", min.to_string())],
            Self::ContainsPersonalData { what } => vec![("what", personal_key(what).to_owned())],
            _ => Vec::new(),
        }
    }
}

/// The translation's key for the words of [`PolicyViolation::ContainsPersonalData`].
fn personal_key(what: &str) -> &'static str {
    match what {
        "your email address" => "email",
        "your name" => "name",
        "your date of birth" => "date-of-birth",
        "your phone number" => "phone",
        "your company's name" => "company",
        _ => "other",
    }
}

impl fmt::Display for PolicyViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

fn characters(n: usize) -> &'static str {
    if n == 1 { "character" } else { "characters" }
}

#[cfg(test)]
mod tests {
    use super::PolicyViolation::{self, *};

    const ALL: [PolicyViolation; 11] = [
        TooShort { min: 10 },
        TooLong { max: 128 },
        MissingLowercase,
        MissingUppercase,
        MissingDigit,
        MissingSymbol,
        Common,
        ContainsPersonalData { what: "your name" },
        TooWeak { score: 1, min: 3 },
        ControlCharacters,
        Reused,
    ];

    #[test]
    fn every_violation_has_a_distinct_snake_case_code_and_a_sentence() {
        let mut codes: Vec<&str> = ALL.iter().map(PolicyViolation::code).collect();
        assert!(codes.iter().all(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_')));
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ALL.len());
        for v in ALL {
            let m = v.message();
            assert!(m.ends_with('.') && m.starts_with(char::is_uppercase), "{m}");
            assert_eq!(v.to_string(), m);
        }
    }

    #[test]
    fn messages_name_the_number_or_the_data_that_failed() {
        assert_eq!(TooShort { min: 10 }.message(), "Use at least 10 characters.");
        assert_eq!(TooShort { min: 1 }.message(), "Use at least 1 character.");
        assert_eq!(TooLong { max: 20 }.message(), "Use at most 20 characters.");
        assert_eq!(
            ContainsPersonalData { what: "your email address" }.message(),
            "Do not use your email address in your password."
        );
        assert_eq!(Common.message(), "This password is too common: choose one that others are unlikely to use.");
        assert!(TooWeak { score: 1, min: 3 }.message().contains("strength 1 of 4, at least 3"));
    }

    #[test]
    fn each_sentence_is_translated_with_the_values_it_names() {
        use crate::FieldErrors;
        use crate::i18n::Locale;
        let mut errors = FieldErrors::new();
        for v in [TooShort { min: 12 }, TooLong { max: 1 }, ContainsPersonalData { what: "your name" }, Common] {
            errors.add_with("password", v.code(), v.message(), v.args());
        }
        let english: Vec<String> = errors.clone().localized(Locale::En).messages("password");
        assert_eq!(english, errors.messages("password"), "the English sentences stay as they are");
        assert_eq!(
            errors.clone().localized(Locale::De).messages("password"),
            [
                "Verwenden Sie mindestens 12 Zeichen.",
                "Verwenden Sie höchstens 1 Zeichen.",
                "Verwenden Sie Ihren Namen nicht in Ihrem Passwort.",
                "Dieses Passwort ist zu verbreitet: Wählen Sie eines, das andere wahrscheinlich nicht verwenden."
            ]
        );
        assert_eq!(errors.localized(Locale::Tr).messages("password")[0], "En az 12 karakter kullanın.");
        for v in ALL {
            if v == Reused {
                continue;
            }
            let mut one = FieldErrors::new();
            one.add_with("password", v.code(), v.message(), v.args());
            assert_eq!(one.clone().localized(Locale::En).messages("password"), one.messages("password"), "{v:?}");
        }
    }

    #[test]
    fn codes_are_the_documented_strings() {
        let codes: Vec<&str> = ALL.iter().map(PolicyViolation::code).collect();
        assert_eq!(
            codes,
            [
                "too_short",
                "too_long",
                "missing_lowercase",
                "missing_uppercase",
                "missing_digit",
                "missing_symbol",
                "common",
                "personal_data",
                "too_weak",
                "control_characters",
                "reused"
            ]
        );
    }
}
