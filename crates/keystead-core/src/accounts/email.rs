//! Email addresses: parsing, normalisation (trimmed, domain lower-cased and converted to ASCII
//! with IDNA) and the canonical form used to compare them; the free-mail domain list.

use std::collections::HashSet;

use crate::error::{Error, Result};

/// A syntactically valid, normalised email address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress {
    display: String,
    lookup: String,
    domain: String,
}

/// The longest address accepted (RFC 5321 §4.5.3.1.3 path limit less the brackets).
pub const MAX_LEN: usize = 254;

fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || "!#$%&'*+-/=?^_`{|}~".contains(c)
        || (!c.is_ascii() && !c.is_control() && !c.is_whitespace())
}

impl EmailAddress {
    /// Parses what a person typed into the `field` form field.
    pub fn parse(field: &str, input: &str) -> Result<Self> {
        // `reason` picks the translated sentence (`field-error-invalid-email`).
        let invalid = |reason: &str, message: &str| invalid_with(field, "invalid_email", message, ("reason", reason));
        let s = input.trim();
        if s.is_empty() {
            return Err(invalid_with(field, "required", "Enter your email address.", ("whose", "your")));
        }
        if s.chars().count() > MAX_LEN {
            return Err(Error::invalid(field, "too_long", "An email address has at most 254 characters."));
        }
        let Some((local, domain)) = s.rsplit_once('@') else {
            return Err(invalid("at", "Enter an email address with an @, such as name@example.com."));
        };
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local.chars().all(|c| c == '.' || is_atext(c));
        if !local_ok {
            return Err(invalid(
                "local",
                "The part before the @ is not valid. Check for spaces or special characters.",
            ));
        }
        let ascii_domain = idna::domain_to_ascii(&domain.to_lowercase())
            .map_err(|_| invalid("domain", "The part after the @ is not a valid domain."))?;
        let labels_ok = ascii_domain.contains('.')
            && ascii_domain.len() <= 253
            && ascii_domain.split('.').all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            && ascii_domain.rsplit('.').next().is_some_and(|tld| tld.chars().any(|c| c.is_ascii_alphabetic()));
        if !labels_ok {
            return Err(invalid("domain-example", "The part after the @ is not a valid domain, such as example.com."));
        }
        let display = format!("{local}@{ascii_domain}");
        if display.len() > MAX_LEN || display.parse::<lettre::Address>().is_err() {
            return Err(invalid("other", "Enter an email address such as name@example.com."));
        }
        let lookup = format!("{}@{ascii_domain}", local.to_lowercase());
        Ok(Self { display, lookup, domain: ascii_domain })
    }

    /// The address as typed (local part as is, domain normalised): where mail is sent.
    pub fn as_str(&self) -> &str {
        &self.display
    }

    /// The canonical form that uniqueness and sign-in compare (lower-cased).
    pub fn lookup(&self) -> &str {
        &self.lookup
    }

    /// The ASCII domain.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The part before the @.
    pub fn local_part(&self) -> &str {
        self.display.rsplit_once('@').map_or("", |(l, _)| l)
    }

    /// For sending.
    pub fn to_address(&self) -> Result<lettre::Address> {
        self.display.parse().map_err(|_| {
            invalid_with(
                "email",
                "invalid_email",
                "Enter an email address such as name@example.com.",
                ("reason", "other"),
            )
        })
    }
}

/// A one-field failure whose translation picks its sentence by `arg` (`reason`, `whose`).
pub(crate) fn invalid_with(field: &str, code: &'static str, message: &str, arg: (&'static str, &str)) -> Error {
    let mut errors = crate::FieldErrors::new();
    errors.add_with(field, code, message, vec![(arg.0, arg.1.to_owned())]);
    Error::Invalid(errors)
}

impl std::fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display)
    }
}

/// The shipped list of free-mail providers.
const SHIPPED_FREE_DOMAINS: &str = include_str!("../../data/free-email-domains.txt");

/// Parses a domain list: one per line, `#` comments.
pub fn parse_domain_list(text: &str) -> HashSet<String> {
    text.lines().map(|l| l.split('#').next().unwrap_or("").trim().to_lowercase()).filter(|l| !l.is_empty()).collect()
}

/// The shipped free-mail domains.
pub fn shipped_free_email_domains() -> HashSet<String> {
    parse_domain_list(SHIPPED_FREE_DOMAINS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_trimmed_and_their_domain_normalised() {
        let e = EmailAddress::parse("email", "  Ada.Lovelace@Example.COM ").unwrap();
        assert_eq!(e.as_str(), "Ada.Lovelace@example.com");
        assert_eq!(e.lookup(), "ada.lovelace@example.com");
        let idn = EmailAddress::parse("email", "jürgen@Bücher.de").unwrap();
        assert_eq!(idn.as_str(), "jürgen@xn--bcher-kva.de");
        assert_eq!(idn.domain(), "xn--bcher-kva.de");
    }

    #[test]
    fn malformed_addresses_get_a_message_saying_what_is_wrong() {
        for (input, code) in [
            ("", "required"),
            ("no-at-sign", "invalid_email"),
            ("a b@example.com", "invalid_email"),
            (".a@example.com", "invalid_email"),
            ("a..b@example.com", "invalid_email"),
            ("a@localhost", "invalid_email"),
            ("a@-example.com", "invalid_email"),
            ("a@example.123", "invalid_email"),
            ("a@exa mple.com", "invalid_email"),
        ] {
            let Err(Error::Invalid(errors)) = EmailAddress::parse("email", input) else { panic!("{input:?} accepted") };
            assert_eq!(errors.0[0].code, code, "{input:?}");
            assert_eq!(errors.0[0].field, "email");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        let Err(Error::Invalid(errors)) = EmailAddress::parse("email", &long) else { panic!() };
        assert_eq!(errors.0[0].code, "too_long");
    }

    #[test]
    fn the_shipped_free_mail_list_knows_the_big_providers() {
        let list = shipped_free_email_domains();
        for d in ["gmail.com", "hotmail.com", "outlook.com", "yahoo.com", "gmx.de", "web.de"] {
            assert!(list.contains(d), "{d}");
        }
        assert!(!list.iter().any(|d| d.starts_with('#')));
    }
}
