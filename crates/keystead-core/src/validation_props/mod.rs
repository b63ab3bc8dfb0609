//! Property tests: every form's validation and parsing in core, fed arbitrary Unicode (multi-byte,
//! combining marks, right-to-left marks, NUL, very long runs, and valid values with one character
//! swapped in), must never panic and must either accept or answer `Error::Invalid` naming the
//! form's own fields.
//!
//! One module rather than one per feature: the hostile-text strategies are shared, a new form is
//! added in one place, and `cargo test -p keystead-core props` runs them all (256 cases each).

mod accounts;
mod codes_and_oauth;
mod organizations;

use std::collections::HashMap;

use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::Config;

use crate::error::Error;

/// 256 cases per property, no regression files in the source tree (a failure prints its input).
pub(crate) fn config() -> Config {
    Config { cases: 256, failure_persistence: None, ..Config::default() }
}

/// Characters that have broken text handling before: multi-byte letters, combining marks,
/// right-to-left and zero-width controls, NUL and other controls, characters whose case mapping
/// changes their length or leaves ASCII, full-width and other non-ASCII digits, the separators
/// the parsers look for, and the largest scalar value.
const TRICKY: &[char] = &[
    '\0',
    '\u{7}',
    '\t',
    '\n',
    '\r',
    '\u{85}',
    '\u{2028}',
    '\u{2029}',
    'É',
    'é',
    'ß',
    'ẞ',
    'ı',
    'İ',
    'ǅ',
    'ﬀ',
    'ŉ',
    '\u{212A}',
    'Ω',
    '\u{301}',
    '\u{308}',
    '\u{200B}',
    '\u{200D}',
    '\u{200E}',
    '\u{200F}',
    '\u{202E}',
    '\u{FEFF}',
    '\u{FFFD}',
    'ا',
    'ש',
    '中',
    '𝔘',
    '😀',
    '\u{10FFFF}',
    '１',
    '٣',
    'Ⅷ',
    '@',
    '.',
    '-',
    '_',
    ' ',
    '/',
    '\\',
    ':',
    '#',
    '?',
    '%',
    '+',
    '=',
    '"',
    '\'',
    '<',
    '>',
    '&',
    ';',
    ',',
    '*',
    '[',
    ']',
];

/// One character: anything at all, a tricky one, or plain ASCII.
pub(crate) fn any_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => proptest::char::any(),
        3 => select(TRICKY),
        2 => proptest::char::range(' ', '~'),
    ]
}

/// Arbitrary text: mostly short, sometimes thousands of characters of a repeated pattern.
pub(crate) fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => proptest::collection::vec(any_char(), 0..40).prop_map(String::from_iter),
        1 => (proptest::collection::vec(any_char(), 1..4), 200..3000usize)
            .prop_map(|(unit, n)| unit.into_iter().cycle().take(n).collect()),
    ]
}

/// A valid example with one character replaced, one inserted, or (1 in 4) arbitrary text
/// appended: reaches the checks that come after the first ones pass.
pub(crate) fn near(valid: &'static [&'static str]) -> impl Strategy<Value = String> {
    (select(valid), any_char(), any::<Index>(), 0..4u8, text()).prop_map(|(v, c, at, how, tail)| {
        let chars: Vec<char> = v.chars().collect();
        let i = at.index(chars.len() + 1);
        let mut out: Vec<char> = chars[..i].to_vec();
        out.push(c);
        let rest = if how == 0 { i } else { (i + 1).min(chars.len()) };
        out.extend_from_slice(&chars[rest..]);
        let mut s: String = out.into_iter().collect();
        if how == 3 {
            s.push_str(&tail);
        }
        s
    })
}

/// Arbitrary text or a near-valid example.
pub(crate) fn input(valid: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![text(), near(valid)]
}

/// A form: each of `fields` absent or holding arbitrary or near-valid text.
pub(crate) fn form(
    fields: &'static [(&'static str, &'static [&'static str])],
) -> impl Strategy<Value = HashMap<String, String>> {
    let values: Vec<_> = fields.iter().map(|(_, valid)| proptest::option::weighted(0.9, input(valid))).collect();
    values.prop_map(move |values| {
        fields.iter().zip(values).filter_map(|((name, _), v)| Some(((*name).to_owned(), v?))).collect()
    })
}

/// Accepted, or `Error::Invalid` whose every field error names one of `fields` and says something.
pub(crate) fn accepted_or_field_errors<T: std::fmt::Debug>(
    result: &crate::Result<T>,
    fields: &[&str],
) -> std::result::Result<(), TestCaseError> {
    match result {
        Ok(_) => Ok(()),
        Err(Error::Invalid(errors)) => {
            prop_assert!(!errors.is_empty(), "Invalid without a field error");
            for e in &errors.0 {
                prop_assert!(fields.contains(&e.field.as_str()), "unexpected field {:?} in {errors:?}", e.field);
                prop_assert!(!e.code.is_empty() && !e.message.is_empty(), "{e:?}");
            }
            Ok(())
        }
        Err(other) => Err(TestCaseError::fail(format!("expected Ok or Invalid, got {other:?}"))),
    }
}
