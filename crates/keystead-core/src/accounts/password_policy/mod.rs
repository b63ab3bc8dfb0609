//! The password policy (SPEC §2 "Password policy"): length, character classes, common passwords,
//! personal data and estimated strength, checked together so that every failed rule is reported.
//! Pure rules: reuse and age need stored hashes and dates, so the caller decides them.

mod common;
mod personal;
mod violation;

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};
use unicode_normalization::UnicodeNormalization;
use zxcvbn::Entropy;
use zxcvbn::feedback::Warning;

pub use personal::PersonalData;
pub use violation::PolicyViolation;

use personal::Needles;

/// The most characters the strength estimator (zxcvbn, whose cost grows with the length) is ever
/// given. Longer passwords are refused before it runs unless a deployment raises `max_length`, and
/// then only their first 128 characters are estimated.
pub const ESTIMATOR_MAX_CHARS: usize = 128;

/// The rules a new password must follow: the deployment's default, which an organization may
/// tighten with a [`PasswordPolicyOverride`]. Missing fields take their default when deserialised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PasswordPolicy {
    /// Fewest characters (Unicode scalar values after NFKC). Default 10.
    pub min_length: usize,
    /// Most characters. Default 128.
    pub max_length: usize,
    /// Require a lowercase letter (any script). Default false.
    pub require_lowercase: bool,
    /// Require an uppercase letter (any script). Default false.
    pub require_uppercase: bool,
    /// Require a digit. Default false.
    pub require_digit: bool,
    /// Require a symbol: anything that is not a letter or digit, spaces and emoji included.
    /// Default false.
    pub require_symbol: bool,
    /// Refuse passwords on Django's list of 20 000 common passwords or that zxcvbn calls a
    /// top-10, top-100 or very common password. Default true.
    pub reject_common: bool,
    /// Refuse passwords that contain the person's email, names, date of birth, phone or company.
    /// Default true.
    pub reject_personal_data: bool,
    /// Minimum zxcvbn score, 0 (weakest) to 4; values above 4 count as 4. Default none.
    pub min_strength: Option<u8>,
    /// Days after which the password must be changed at sign-in ([`Self::is_expired`]); `Some(0)`
    /// counts as none. Default none.
    pub max_age_days: Option<u32>,
    /// How many previous passwords may not be reused (0: no history). The caller, which has the
    /// stored hashes, compares them and adds [`PolicyViolation::Reused`]. Default 0.
    pub history: u32,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            min_length: 10,
            max_length: 128,
            require_lowercase: false,
            require_uppercase: false,
            require_digit: false,
            require_symbol: false,
            reject_common: true,
            reject_personal_data: true,
            min_strength: None,
            max_age_days: None,
            history: 0,
        }
    }
}

/// An organization's changes to the deployment's policy: every field optional, `None` keeping the
/// deployment's value. See [`PasswordPolicy::overridden_by`] for how the two merge.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PasswordPolicyOverride {
    /// A higher minimum length.
    pub min_length: Option<usize>,
    /// A lower maximum length (never below the minimum).
    pub max_length: Option<usize>,
    /// Require a lowercase letter.
    pub require_lowercase: Option<bool>,
    /// Require an uppercase letter.
    pub require_uppercase: Option<bool>,
    /// Require a digit.
    pub require_digit: Option<bool>,
    /// Require a symbol.
    pub require_symbol: Option<bool>,
    /// Refuse common passwords.
    pub reject_common: Option<bool>,
    /// Refuse personal data.
    pub reject_personal_data: Option<bool>,
    /// A higher minimum strength score.
    pub min_strength: Option<u8>,
    /// A shorter maximum age in days.
    pub max_age_days: Option<u32>,
    /// A longer history.
    pub history: Option<u32>,
}

impl PasswordPolicy {
    /// The policy for an organization: the deployment's policy (`self`) tightened by `org`. An
    /// organization can only make it stricter; a value that would loosen it is ignored:
    /// - `min_length`, `min_strength`, `history`: the larger value wins;
    /// - `max_length`: the smaller value wins (an organization may lower 128 to 20, say, for an
    ///   application that cannot take more), but never below the merged `min_length`;
    /// - `require_*`, `reject_*`: a rule on in either stays on;
    /// - `max_age_days`: the shorter period wins; `Some(0)` means no limit and is ignored.
    pub fn overridden_by(&self, org: &PasswordPolicyOverride) -> PasswordPolicy {
        let min_length = self.min_length.max(org.min_length.unwrap_or(0));
        let max_length = self.max_length.min(org.max_length.unwrap_or(usize::MAX)).max(min_length);
        let on = |base: bool, other: Option<bool>| base || other.unwrap_or(false);
        let positive = |days: Option<u32>| days.filter(|d| *d > 0);
        let max_age_days = match (positive(self.max_age_days), positive(org.max_age_days)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        PasswordPolicy {
            min_length,
            max_length,
            require_lowercase: on(self.require_lowercase, org.require_lowercase),
            require_uppercase: on(self.require_uppercase, org.require_uppercase),
            require_digit: on(self.require_digit, org.require_digit),
            require_symbol: on(self.require_symbol, org.require_symbol),
            reject_common: on(self.reject_common, org.reject_common),
            reject_personal_data: on(self.reject_personal_data, org.reject_personal_data),
            min_strength: self.min_strength.max(org.min_strength),
            max_age_days,
            history: self.history.max(org.history.unwrap_or(0)),
        }
    }

    /// Every rule the password fails, in a fixed order; empty when it is acceptable.
    ///
    /// The password is NFKC-normalised first ([`normalize`]) and lengths are counted in Unicode
    /// scalar values. A password longer than `max_length` gets `[TooLong]` alone, decided after
    /// normalising at most `max_length + 1` characters: nothing else runs, so a huge input costs
    /// next to nothing. Pass the raw input here rather than normalising a huge one first.
    /// Otherwise every rule is checked; zxcvbn runs when `reject_common`, `reject_personal_data`
    /// or `min_strength` is set, with the personal data as its user inputs (release build: about
    /// 0.4 ms for a 32-character passphrase, 3.3 ms for 128 characters).
    ///
    /// [`PolicyViolation::Reused`] is never returned: the caller compares the password with the
    /// last [`Self::history`] stored hashes and adds it.
    pub fn check(&self, password: &str, personal: &PersonalData<'_>) -> Vec<PolicyViolation> {
        self.check_with(password, personal, zxcvbn::zxcvbn)
    }

    /// [`Self::check`] with the strength estimator as a parameter, so that tests can see what it
    /// is given.
    fn check_with(
        &self,
        password: &str,
        personal: &PersonalData<'_>,
        estimator: impl FnOnce(&str, &[&str]) -> Entropy,
    ) -> Vec<PolicyViolation> {
        let normalized: String = password.nfkc().take(self.max_length.saturating_add(1)).collect();
        let length = normalized.chars().count();
        if length > self.max_length {
            return vec![PolicyViolation::TooLong { max: self.max_length }];
        }
        let mut found = Vec::new();
        if normalized.chars().any(is_refused_control) {
            found.push(PolicyViolation::ControlCharacters);
        }
        if length < self.min_length {
            found.push(PolicyViolation::TooShort { min: self.min_length });
        }
        self.check_classes(&normalized, &mut found);

        let needles = Needles::of(personal);
        let wants_estimate = self.reject_common || self.reject_personal_data || self.min_strength.is_some();
        let estimate = (wants_estimate && !normalized.is_empty()).then(|| {
            let capped: String = normalized.chars().take(ESTIMATOR_MAX_CHARS).collect();
            estimator(&capped, &needles.inputs())
        });
        if self.reject_common && (common::contains(&normalized) || estimate.as_ref().is_some_and(says_common)) {
            found.push(PolicyViolation::Common);
        }
        if self.reject_personal_data {
            let kinds = needles.found_in(&normalized, estimate.as_ref());
            found.extend(kinds.into_iter().map(|what| PolicyViolation::ContainsPersonalData { what }));
        }
        if let Some(min) = self.min_strength.map(|m| m.min(4)) {
            let score = estimate.as_ref().map_or(0, |e| u8::from(e.score()));
            if score < min {
                found.push(PolicyViolation::TooWeak { score, min });
            }
        }
        found
    }

    fn check_classes(&self, normalized: &str, found: &mut Vec<PolicyViolation>) {
        type Class = fn(char) -> bool;
        let has = |class: Class| normalized.chars().any(class);
        let rules: [(bool, Class, PolicyViolation); 4] = [
            (self.require_lowercase, char::is_lowercase, PolicyViolation::MissingLowercase),
            (self.require_uppercase, char::is_uppercase, PolicyViolation::MissingUppercase),
            (self.require_digit, char::is_numeric, PolicyViolation::MissingDigit),
            (self.require_symbol, is_symbol, PolicyViolation::MissingSymbol),
        ];
        for (required, class, violation) in rules {
            if required && !has(class) {
                found.push(violation);
            }
        }
    }

    /// True when a password changed at `changed_at` is too old at `now` and must be changed at
    /// sign-in; always false without a maximum age. Reading the stored date is the caller's job.
    pub fn is_expired(&self, changed_at: OffsetDateTime, now: OffsetDateTime) -> bool {
        self.expires_at(changed_at).is_some_and(|at| now >= at)
    }

    /// When a password changed at `changed_at` expires, if the policy has a maximum age.
    pub fn expires_at(&self, changed_at: OffsetDateTime) -> Option<OffsetDateTime> {
        let days = self.max_age_days.filter(|d| *d > 0)?;
        changed_at.checked_add(Duration::days(i64::from(days)))
    }
}

/// The form a password is checked, hashed and verified in: Unicode NFKC, so that the same
/// password typed on another keyboard or system (full-width `Ｐａｓｓ`, the ligature `ﬁ`,
/// composed or decomposed accents) is the same password. Hash `normalize(password)`, never the raw
/// input.
pub fn normalize(password: &str) -> String {
    password.nfkc().collect()
}

/// Loads the common-password list and zxcvbn's dictionaries now instead of at the first check.
/// Measured in a release build: about 3 ms and 1.2 MiB for the list, 11 ms and 7.5 MiB for
/// zxcvbn's dictionaries (which stay loaded: mind the idle-memory budget before calling this at
/// start).
pub fn warm_up() {
    common::load_now();
    let _ = zxcvbn::zxcvbn("warm up", &[]);
}

/// Tabs, line breaks and other C0/C1 controls, and the Unicode line and paragraph separators.
fn is_refused_control(c: char) -> bool {
    c.is_control() || c == '\u{2028}' || c == '\u{2029}'
}

/// Anything that is neither a letter nor a digit: punctuation, symbols, spaces, emoji.
fn is_symbol(c: char) -> bool {
    !c.is_alphanumeric() && !is_refused_control(c)
}

/// zxcvbn's verdict that the whole password is one of its own common passwords.
fn says_common(estimate: &Entropy) -> bool {
    let warning = estimate.feedback().and_then(|f| f.warning());
    matches!(
        warning,
        Some(Warning::ThisIsATop10Password | Warning::ThisIsATop100Password | Warning::ThisIsACommonPassword)
    )
}

#[cfg(test)]
mod tests;
