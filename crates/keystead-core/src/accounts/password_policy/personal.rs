//! Personal data a password must not contain: the person's email address, names, date of birth,
//! phone number and company, found as plain substrings and, through zxcvbn, as l33t variants.

use std::collections::BTreeSet;

use zxcvbn::Entropy;
use zxcvbn::matching::patterns::MatchPattern;

use super::normalize;

/// What is known about the person choosing a password. Empty fields are ignored; every field is
/// NFKC-normalised and compared case-insensitively.
#[derive(Debug, Clone, Default)]
pub struct PersonalData<'a> {
    /// The email address (`""` when none is known yet).
    pub email: &'a str,
    /// Given name, family name, display name… Each is checked whole, without its spaces, hyphens
    /// and apostrophes, and word by word.
    pub names: Vec<&'a str>,
    /// The date of birth, preferably `YYYY-MM-DD`; `DD/MM/YYYY` and `MM/DD/YYYY` are understood too.
    pub date_of_birth: Option<&'a str>,
    /// The phone number, in any format (`+44 7700 900123`).
    pub phone: Option<&'a str>,
    /// The company or organization name.
    pub company: Option<&'a str>,
}

/// Which personal data was found, in the order violations are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Email,
    Name,
    DateOfBirth,
    Phone,
    Company,
}

impl Kind {
    fn what(self) -> &'static str {
        match self {
            Self::Email => "your email address",
            Self::Name => "your name",
            Self::DateOfBirth => "your date of birth",
            Self::Phone => "your phone number",
            Self::Company => "your company's name",
        }
    }
}

/// Shortest name, company or email local part that is looked for (shorter ones match too much).
const MIN_WORD: usize = 3;
/// Fewest digits of a phone number that are looked for.
const MIN_PHONE_DIGITS: usize = 4;
/// Characters ignored when looking for digits (a phone number or a date): `555-0100`, `1985.05.03`.
const DIGIT_SEPARATORS: &[char] = &[' ', '-', '.', '/', '(', ')', '_', '+'];
/// Characters that join the words of a name: `Jean-Luc`, `O'Brien`, `Mary Ann`.
const NAME_SEPARATORS: &[char] = &[' ', '-', '\'', '’', '.', '_'];

#[derive(Debug)]
struct Needle {
    /// Lowercased, NFKC-normalised.
    text: String,
    kind: Kind,
    /// Looked for in the password with [`DIGIT_SEPARATORS`] removed.
    digits: bool,
}

/// The strings to look for, derived once per check from [`PersonalData`].
#[derive(Debug, Default)]
pub(super) struct Needles(Vec<Needle>);

impl Needles {
    /// Every form of the person's data that the password must not contain.
    pub(super) fn of(personal: &PersonalData<'_>) -> Self {
        let mut needles = Self::default();
        needles.add_email(personal.email);
        for name in &personal.names {
            needles.add_words(name, Kind::Name, true);
        }
        if let Some(company) = personal.company {
            needles.add_words(company, Kind::Company, false);
        }
        if let Some(phone) = personal.phone {
            for form in phone_forms(&lower(phone)) {
                needles.push(form, Kind::Phone, true);
            }
        }
        if let Some(date) = personal.date_of_birth {
            for form in date_forms(&lower(date)) {
                needles.push(form, Kind::DateOfBirth, true);
            }
        }
        needles
    }

    /// The strings to hand zxcvbn as user inputs, so that variants of them lower the score.
    pub(super) fn inputs(&self) -> Vec<&str> {
        self.0.iter().map(|n| n.text.as_str()).collect()
    }

    /// What the password contains, one description per kind, in a fixed order. `estimate`, when
    /// given, adds l33t variants (`j0hn`) that zxcvbn matched against [`Self::inputs`].
    pub(super) fn found_in(&self, normalized: &str, estimate: Option<&Entropy>) -> Vec<&'static str> {
        let lowered = normalized.to_lowercase();
        let digits: String = lowered.chars().filter(|c| !DIGIT_SEPARATORS.contains(c)).collect();
        let mut kinds = BTreeSet::new();
        for needle in &self.0 {
            let haystack = if needle.digits { &digits } else { &lowered };
            if haystack.contains(needle.text.as_str()) {
                kinds.insert(needle.kind);
            }
        }
        for m in estimate.map(Entropy::sequence).unwrap_or_default() {
            if let MatchPattern::Dictionary(p) = &m.pattern
                && p.l33t
                && !p.reversed
                && m.token.chars().count() >= MIN_WORD
                && let Some(needle) = self.0.iter().find(|n| !n.digits && n.text == p.matched_word)
            {
                kinds.insert(needle.kind);
            }
        }
        kinds.into_iter().map(Kind::what).collect()
    }

    fn push(&mut self, text: String, kind: Kind, digits: bool) {
        if !self.0.iter().any(|n| n.text == text) {
            self.0.push(Needle { text, kind, digits });
        }
    }

    fn add_email(&mut self, email: &str) {
        let email = lower(email);
        if email.chars().count() >= MIN_WORD {
            self.push(email.clone(), Kind::Email, false);
        }
        let (local, domain) = email.rsplit_once('@').unwrap_or((email.as_str(), ""));
        // `jane+shop@…`: the part before the tag is the one people reuse.
        let untagged = local.split('+').next().unwrap_or(local);
        // `ada.lovelace@…`: also as `adalovelace`.
        let joined: String = untagged.chars().filter(|c| !EMAIL_SEPARATORS.contains(c)).collect();
        for part in [local, untagged, joined.as_str(), domain_name(domain)] {
            if part.chars().count() >= MIN_WORD {
                self.push(part.to_owned(), Kind::Email, false);
            }
        }
    }

    /// The value whole, without separators and, when `by_word`, each word.
    fn add_words(&mut self, value: &str, kind: Kind, by_word: bool) {
        let value = lower(value);
        let joined: String = value.chars().filter(|c| !NAME_SEPARATORS.contains(c)).collect();
        let words = value.split(NAME_SEPARATORS).filter(|_| by_word);
        for form in [value.as_str(), joined.as_str()].into_iter().chain(words) {
            if form.chars().count() >= MIN_WORD {
                self.push(form.to_owned(), kind, false);
            }
        }
    }
}

/// What joins the words of an email's local part (`ada.lovelace`, `ada_lovelace`, `ada-lovelace`).
const EMAIL_SEPARATORS: [char; 3] = ['.', '_', '-'];

/// Second-level labels under which a country's domains are registered (`acme.co.uk`).
const SECOND_LEVEL: [&str; 9] = ["co", "com", "org", "net", "ac", "gov", "edu", "or", "ne"];

/// The name in an email's domain: `acme` of `acme.example`, `mail.acme.com` or `acme.co.uk`.
fn domain_name(domain: &str) -> &str {
    let mut labels: Vec<&str> = domain.split('.').filter(|l| !l.is_empty()).collect();
    labels.pop();
    if labels.len() > 1 && labels.last().is_some_and(|l| SECOND_LEVEL.contains(l)) {
        labels.pop();
    }
    labels.last().copied().unwrap_or("")
}

fn lower(value: &str) -> String {
    normalize(value.trim()).to_lowercase()
}

/// The digits of a phone number, and for an international number (`+44…`, `0044…`) the national
/// number without its country code of one to three digits, with and without a trunk `0`.
fn phone_forms(phone: &str) -> Vec<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < MIN_PHONE_DIGITS {
        return Vec::new();
    }
    let mut forms = vec![digits.clone()];
    let international = phone.starts_with('+') || digits.starts_with("00");
    if international {
        let number = digits.strip_prefix("00").unwrap_or(&digits);
        for code in 1..=3 {
            if let Some(national) = number.get(code..).filter(|n| n.len() >= 6) {
                forms.push(national.to_owned());
                forms.push(format!("0{national}"));
            }
        }
    }
    forms
}

/// A date as people type it: `19850503`, `03051985`, `05031985`, `850503`, `030585`, `050385`
/// and, for one-digit days or months, `531985`, `351985`, `198553` (separators are ignored when
/// matching, so `1985-05-03` and `03.05.1985` are covered). A value that is not a date is looked
/// for as its digits, if there are at least six.
fn date_forms(date: &str) -> Vec<String> {
    let groups: Vec<&str> = date.split(|c: char| !c.is_ascii_digit()).filter(|g| !g.is_empty()).collect();
    let parsed = match groups.as_slice() {
        [y, a, b] | [a, b, y] if y.len() == 4 => (y.parse::<u16>().ok(), a.parse::<u8>().ok(), b.parse::<u8>().ok()),
        _ => (None, None, None),
    };
    let (Some(y), Some(a), Some(b)) = parsed else {
        let digits: String = groups.concat();
        return if digits.len() >= 6 { vec![digits] } else { Vec::new() };
    };
    // Y-M-D gives (a, b) = (month, day); D/M/Y or M/D/Y give either: both orders are generated.
    let yy = y % 100;
    let mut forms = Vec::new();
    for (m, d) in [(a, b), (b, a)] {
        forms.extend([
            format!("{y:04}{m:02}{d:02}"),
            format!("{d:02}{m:02}{y:04}"),
            format!("{yy:02}{m:02}{d:02}"),
            format!("{d:02}{m:02}{yy:02}"),
        ]);
        if m < 10 || d < 10 {
            forms.extend([format!("{d}{m}{y:04}"), format!("{y:04}{m}{d}")]);
        }
    }
    forms.sort_unstable();
    forms.dedup();
    forms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(personal: &PersonalData<'_>, password: &str) -> Vec<&'static str> {
        Needles::of(personal).found_in(&normalize(password), None)
    }

    fn with_estimate(personal: &PersonalData<'_>, password: &str) -> Vec<&'static str> {
        let needles = Needles::of(personal);
        let estimate = zxcvbn::zxcvbn(password, &needles.inputs());
        needles.found_in(&normalize(password), Some(&estimate))
    }

    #[test]
    fn the_email_address_and_its_local_part_are_found_in_any_case() {
        let p = PersonalData { email: "Jane.Doe+shop@Example.org", ..PersonalData::default() };
        assert_eq!(found(&p, "xx-JANE.DOE-xx"), ["your email address"]);
        assert_eq!(found(&p, "jane.doe+shop@example.org!"), ["your email address"]);
        assert_eq!(found(&p, "example rules"), ["your email address"], "the domain's name");
        assert!(found(&p, "exam rules").is_empty());
    }

    #[test]
    fn the_local_part_is_found_without_its_separators_and_the_domain_by_its_name() {
        let p = PersonalData { email: "ada.lovelace@acme.example", ..PersonalData::default() };
        assert_eq!(found(&p, "AdaLovelace-1815"), ["your email address"]);
        assert_eq!(found(&p, "i-work-at-ACME-since-2020"), ["your email address"]);
        let p = PersonalData { email: "grace_hopper@mail.navy.co.uk", ..PersonalData::default() };
        assert_eq!(found(&p, "gracehopper rules the fleet"), ["your email address"]);
        assert_eq!(found(&p, "join the navy today"), ["your email address"]);
        assert!(found(&p, "co-uk-mail-is-fine-here").is_empty(), "neither the suffix nor the subdomain");
    }

    #[test]
    fn a_domain_names_its_registered_name() {
        assert_eq!(domain_name("acme.example"), "acme");
        assert_eq!(domain_name("mail.acme.com"), "acme");
        assert_eq!(domain_name("acme.co.uk"), "acme");
        assert_eq!(domain_name("co.uk"), "co");
        assert_eq!(domain_name("localhost"), "");
        assert_eq!(domain_name(""), "");
    }

    #[test]
    fn a_local_part_shorter_than_three_characters_is_not_looked_for() {
        let p = PersonalData { email: "jd@example.org", ..PersonalData::default() };
        assert!(found(&p, "jd-likes-long-passwords").is_empty());
        assert_eq!(found(&p, "me: jd@example.org"), ["your email address"]);
    }

    #[test]
    fn names_are_found_whole_joined_and_word_by_word_but_not_when_short() {
        let p = PersonalData { names: vec!["Mary-Ann", "O'Brien", "Li"], ..PersonalData::default() };
        assert_eq!(found(&p, "I am MARYANN"), ["your name"]);
        assert_eq!(found(&p, "obrien the great"), ["your name"]);
        assert_eq!(found(&p, "anne of green gables"), ["your name"]);
        assert!(found(&p, "lima beans and tea").is_empty());
    }

    #[test]
    fn the_company_is_found_whole_but_not_word_by_word() {
        let p = PersonalData { company: Some("Acme Corp"), ..PersonalData::default() };
        assert_eq!(found(&p, "acmecorp forever"), ["your company's name"]);
        assert!(found(&p, "corp of engineers").is_empty());
    }

    #[test]
    fn the_phone_number_is_found_with_or_without_separators_and_country_code() {
        let p = PersonalData { phone: Some("+44 7700 900123"), ..PersonalData::default() };
        assert_eq!(found(&p, "call 07700-900-123"), ["your phone number"]);
        assert_eq!(found(&p, "7700900123 is me"), ["your phone number"]);
        assert_eq!(found(&p, "(447) 700 900123"), ["your phone number"]);
        let short = PersonalData { phone: Some("123"), ..PersonalData::default() };
        assert!(found(&short, "abc123def").is_empty());
    }

    #[test]
    fn the_date_of_birth_is_found_in_common_forms() {
        let p = PersonalData { date_of_birth: Some("1985-05-03"), ..PersonalData::default() };
        for password in ["x19850503", "03051985x", "05/03/1985 x", "1985-05-03", "03.05.85!", "x850503", "3.5.1985"] {
            assert_eq!(found(&p, password), ["your date of birth"], "{password}");
        }
        assert!(found(&p, "born in 1985, like many").is_empty());
        let european = PersonalData { date_of_birth: Some("03/05/1985"), ..PersonalData::default() };
        assert_eq!(found(&european, "19850503"), ["your date of birth"]);
    }

    #[test]
    fn l33t_variants_of_a_name_are_found_through_the_estimator() {
        let p = PersonalData { names: vec!["Jennifer"], email: "jl@example.org", ..PersonalData::default() };
        assert!(found(&p, "j3nn1f3r rocks the house").is_empty());
        assert_eq!(with_estimate(&p, "j3nn1f3r rocks the house"), ["your name"]);
    }

    #[test]
    fn every_kind_found_is_reported_once_in_a_fixed_order() {
        let p = PersonalData {
            email: "jane@example.org",
            names: vec!["Jane", "Doe"],
            date_of_birth: Some("1985-05-03"),
            phone: Some("555 0100"),
            company: Some("Initech"),
        };
        assert_eq!(
            found(&p, "initech5550100jane19850503doe"),
            ["your email address", "your name", "your date of birth", "your phone number", "your company's name"]
        );
    }
}
