//! An invoice document as the billing system pushes it: checked field by field, and its totals
//! computed here (never taken from the input).
//!
//! Rounding, as the README states it: amounts are integers in the currency's minor unit (cents).
//! A line's net amount is `quantity × unit_price_minor`, exact. Its tax is the net amount times
//! the rate, rounded to the minor unit half away from zero, **per line**. The totals per tax rate
//! are the sums of their lines' net amounts and taxes; the invoice's total is the sum of all net
//! amounts and taxes.

use sha2::{Digest, Sha256};
use time::Date;

use crate::error::FieldErrors;

/// At most this many lines on one invoice.
pub const MAX_LINES: usize = 500;
/// The largest quantity of one line, either sign.
const MAX_QUANTITY: i64 = 1_000_000;
/// The largest unit price, either sign, in minor units (ten billion in major units at two decimals).
const MAX_UNIT_PRICE: i64 = 1_000_000_000_000;

/// A line as pushed.
#[derive(Debug, Clone, PartialEq)]
pub struct NewLine<'a> {
    /// What was sold (1 to 500 characters).
    pub description: &'a str,
    /// How many (a whole number, not 0; negative on a credit note).
    pub quantity: i64,
    /// The price of one, in the currency's minor unit, without tax.
    pub unit_price_minor: i64,
    /// The tax rate in percent, at most two decimals (19, 7.7, 0).
    pub tax_rate_percent: f64,
}

/// A line as computed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Line {
    /// What was sold.
    pub description: String,
    /// How many.
    pub quantity: i64,
    /// The price of one, in minor units.
    pub unit_price_minor: i64,
    /// The tax rate in hundredths of a percent (1900 = 19 %).
    pub tax_rate_bp: i32,
    /// quantity × unit price.
    pub net_minor: i64,
    /// The tax of this line, rounded half away from zero.
    pub tax_minor: i64,
}

/// The sums of one tax rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct TaxTotal {
    /// The rate in hundredths of a percent.
    pub rate_bp: i32,
    /// The net amounts of its lines.
    pub net_minor: i64,
    /// Their taxes.
    pub tax_minor: i64,
}

/// `net × rate_bp / 10 000`, rounded half away from zero.
pub(crate) fn line_tax(net: i64, rate_bp: i32) -> Option<i64> {
    let product = i128::from(net) * i128::from(rate_bp);
    let (q, r) = (product / 10_000, product % 10_000);
    let rounded = if r.abs() * 2 >= 10_000 { q + product.signum() } else { q };
    i64::try_from(rounded).ok()
}

/// The totals per tax rate, the lowest rate first.
pub fn tax_totals(lines: &[Line]) -> Vec<TaxTotal> {
    let mut totals: Vec<TaxTotal> = Vec::new();
    for l in lines {
        match totals.iter_mut().find(|t| t.rate_bp == l.tax_rate_bp) {
            Some(t) => {
                t.net_minor = t.net_minor.saturating_add(l.net_minor);
                t.tax_minor = t.tax_minor.saturating_add(l.tax_minor);
            }
            None => totals.push(TaxTotal { rate_bp: l.tax_rate_bp, net_minor: l.net_minor, tax_minor: l.tax_minor }),
        }
    }
    totals.sort_by_key(|t| t.rate_bp);
    totals
}

/// A rate in percent as hundredths of a percent; `None` outside 0–100 or with more than two decimals.
fn rate_bp(percent: f64) -> Option<i32> {
    if !percent.is_finite() || !(0.0..=100.0).contains(&percent) {
        return None;
    }
    let scaled = percent * 100.0;
    let rounded = scaled.round();
    #[expect(clippy::cast_possible_truncation, reason = "0 ≤ rounded ≤ 10 000")]
    ((scaled - rounded).abs() < 1e-6).then_some(rounded as i32)
}

/// Checks the lines and computes each one's net amount and tax.
pub(crate) fn lines(input: &[NewLine<'_>], errors: &mut FieldErrors) -> Vec<Line> {
    if input.is_empty() {
        errors.add("lines", "required", "Give at least one line.");
    } else if input.len() > MAX_LINES {
        errors.add_with(
            "lines",
            "too_many",
            format!("An invoice has at most {MAX_LINES} lines."),
            vec![("max", MAX_LINES.to_string())],
        );
        return Vec::new();
    }
    let mut out = Vec::with_capacity(input.len());
    for (i, l) in input.iter().enumerate() {
        let errors_before = errors.0.len();
        let field = |name: &str| format!("lines[{i}].{name}");
        let description = l.description.trim();
        if description.is_empty() {
            errors.add(field("description"), "required", "Describe what was sold.");
        } else if description.chars().count() > 500 {
            errors.add(field("description"), "too_long", "Use at most 500 characters.");
        } else if description.chars().any(char::is_control) {
            errors.add(field("description"), "invalid", "Remove the line breaks and control characters.");
        }
        if l.quantity == 0 || l.quantity.unsigned_abs() > MAX_QUANTITY.unsigned_abs() {
            errors.add(
                field("quantity"),
                "out_of_range",
                "Give a whole number from 1 to 1000000 (negative on a credit note).",
            );
        }
        if l.unit_price_minor.unsigned_abs() > MAX_UNIT_PRICE.unsigned_abs() {
            errors.add(field("unit_price_minor"), "out_of_range", "The unit price is too large.");
        }
        let rate = rate_bp(l.tax_rate_percent);
        if rate.is_none() {
            errors.add(
                field("tax_rate_percent"),
                "invalid",
                "Give the tax rate in percent, from 0 to 100 with at most two decimals (19, 7.7).",
            );
        }
        let net = l.quantity.checked_mul(l.unit_price_minor);
        let tax = net.zip(rate).and_then(|(n, r)| line_tax(n, r));
        if let (Some(net_minor), Some(tax_minor), Some(tax_rate_bp)) = (net, tax, rate)
            && errors.0.len() == errors_before
        {
            out.push(Line {
                description: description.to_owned(),
                quantity: l.quantity,
                unit_price_minor: l.unit_price_minor,
                tax_rate_bp,
                net_minor,
                tax_minor,
            });
        }
    }
    out
}

/// A calendar day written `YYYY-MM-DD`.
pub(crate) fn date(field: &'static str, raw: &str, errors: &mut FieldErrors) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    match Date::parse(raw.trim(), &format) {
        Ok(d) => Some(d),
        Err(_) => {
            errors.add(field, "invalid_date", "Give the day as YYYY-MM-DD, such as 2026-12-01.");
            None
        }
    }
}

/// An invoice number: 1 to 40 letters, digits and `-`, `/`, `.`, `_`, starting with a letter or digit.
pub(crate) fn number(raw: &str, errors: &mut FieldErrors) -> String {
    let n = raw.trim();
    let ok_chars = n.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '.' | '_'));
    let ok = (1..=40).contains(&n.len()) && ok_chars && n.starts_with(|c: char| c.is_ascii_alphanumeric());
    if !ok {
        errors.add(
            "number",
            "invalid",
            "Give the invoice number as 1 to 40 letters, digits, and - / . _ (starting with a letter or digit).",
        );
    }
    n.to_owned()
}

/// A currency: an ISO 4217 code of a currency with a minor unit (`EUR`, `JPY`); its exponent.
pub(crate) fn currency(raw: &str, errors: &mut FieldErrors) -> (String, u8) {
    let code = raw.trim().to_ascii_uppercase();
    let known = iso_currency::Currency::from_code(&code)
        .filter(|c| !c.is_fund() && !c.is_special() && c.is_superseded().is_none())
        .and_then(|c| c.exponent())
        .and_then(|e| u8::try_from(e).ok());
    match known {
        Some(e) => (code, e),
        None => {
            errors.add("currency", "unknown_currency", "Give an ISO 4217 currency code, such as EUR or USD.");
            (code, 2)
        }
    }
}

/// The minor-unit exponent of a stored currency code (2 for an unknown one).
pub fn exponent(code: &str) -> u8 {
    iso_currency::Currency::from_code(code).and_then(|c| c.exponent()).and_then(|e| u8::try_from(e).ok()).unwrap_or(2)
}

/// Identifies a document apart from its status: the same number pushed again with the same
/// hash is the same invoice.
pub(crate) fn hash(parts: &serde_json::Value) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(parts.to_string().as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(quantity: i64, unit: i64, rate: f64) -> NewLine<'static> {
        NewLine { description: "Seat", quantity, unit_price_minor: unit, tax_rate_percent: rate }
    }

    #[test]
    fn tax_is_rounded_per_line_half_away_from_zero() {
        assert_eq!(line_tax(12_000 * 3, 1900), Some(6840));
        assert_eq!(line_tax(50, 1900), Some(10), "9.5 cents round up");
        assert_eq!(line_tax(-50, 1900), Some(-10), "and down on a credit note");
        assert_eq!(line_tax(49, 1900), Some(9), "9.31 cents");
        assert_eq!(line_tax(1, 770), Some(0));
        let mut errors = FieldErrors::new();
        let ls = lines(&[line(1, 50, 19.0), line(1, 50, 19.0), line(2, 1000, 7.0)], &mut errors);
        assert!(errors.is_empty());
        // Per line: 10 + 10, not round(19) = 19 on the sum.
        assert_eq!(
            tax_totals(&ls),
            vec![
                TaxTotal { rate_bp: 700, net_minor: 2000, tax_minor: 140 },
                TaxTotal { rate_bp: 1900, net_minor: 100, tax_minor: 20 }
            ]
        );
    }

    #[test]
    fn each_bad_value_names_its_field() {
        let mut errors = FieldErrors::new();
        let bad = [line(0, 1, 19.0), line(1, 1, 19.001), line(1, i64::MAX, 101.0)];
        assert!(lines(&bad, &mut errors).is_empty());
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "lines[0].quantity",
                "lines[1].tax_rate_percent",
                "lines[2].unit_price_minor",
                "lines[2].tax_rate_percent"
            ]
        );
        let mut errors = FieldErrors::new();
        assert_eq!(currency("eur", &mut errors), ("EUR".to_owned(), 2));
        assert_eq!(currency("JPY", &mut errors), ("JPY".to_owned(), 0));
        assert!(errors.is_empty());
        currency("XAU", &mut errors);
        currency("EURO", &mut errors);
        number("../etc", &mut errors);
        number(&"1".repeat(41), &mut errors);
        date("due_on", "2026-02-30", &mut errors);
        assert_eq!(errors.0.len(), 5);
        assert_eq!(rate_bp(7.7), Some(770));
        assert_eq!(rate_bp(f64::NAN), None);
    }
}
