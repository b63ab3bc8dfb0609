//! The messages of each language, parsed the first time that language is asked for. A node
//! serving only English pages never holds the German and Turkish messages.
//!
//! SPEC §8 bounds memory under load, so a language is held compactly (about 0.36 MiB instead of
//! the 1.3 MiB of a `FluentBundle` holding its resources): the parsed messages borrow their
//! text from the embedded files instead of a heap copy, a message that is plain text is kept as
//! that text, and the others as their pattern alone, its lists cut to length. The parser grows
//! them four elements at a time, where most messages have one. Fluent formats the patterns; the
//! bundle holds no messages itself, so a message may not refer to another message or to a term
//! (the parity test in `tests.rs` refuses a file that does).

use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use fluent_syntax::ast::{self, Pattern, PatternElement};

use super::Locale;

include!(concat!(env!("OUT_DIR"), "/locales.rs"));

/// One message, as held.
enum Message {
    /// No placeholder: the text itself.
    Text(&'static str),
    Pattern(Pattern<&'static str>),
}

/// One language's messages, and the Fluent bundle that formats them (its language's plural
/// rules and number formatting).
struct Catalog {
    messages: HashMap<&'static str, Message>,
    formatter: FluentBundle<FluentResource>,
}

static EN: LazyLock<Catalog> = LazyLock::new(|| catalog(Locale::En));
static DE: LazyLock<Catalog> = LazyLock::new(|| catalog(Locale::De));
static TR: LazyLock<Catalog> = LazyLock::new(|| catalog(Locale::Tr));

fn of(locale: Locale) -> &'static Catalog {
    match locale {
        Locale::En => &EN,
        Locale::De => &DE,
        Locale::Tr => &TR,
    }
}

/// One language's messages from its embedded files. A file that does not parse keeps the
/// messages that did, and a message defined twice keeps its first text; both are logged (the
/// parity test rejects such files before they ship).
fn catalog(locale: Locale) -> Catalog {
    let id = locale.tag().parse().unwrap_or_default();
    let mut formatter = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks around placeholders: the texts go into HTML attributes, email
    // subjects and JSON, where the marks would show up as stray characters.
    formatter.set_use_isolating(false);
    let files = FILES.iter().find(|(tag, _)| *tag == locale.tag()).map_or(&[][..], |(_, files)| files);
    let mut messages = HashMap::new();
    for &text in files {
        let resource = fluent_syntax::parser::parse(text).unwrap_or_else(|(resource, errors)| {
            tracing::error!(locale = locale.tag(), ?errors, "a translation file has syntax errors");
            resource
        });
        for entry in resource.body {
            let ast::Entry::Message(ast::Message { id, value: Some(pattern), .. }) = entry else { continue };
            if messages.contains_key(id.name) {
                tracing::error!(locale = locale.tag(), message = id.name, "a translation file repeats a message");
                continue;
            }
            messages.insert(id.name, held(pattern));
        }
    }
    messages.shrink_to_fit();
    Catalog { messages, formatter }
}

fn held(mut pattern: Pattern<&'static str>) -> Message {
    if let [PatternElement::TextElement { value }] = pattern.elements[..] {
        return Message::Text(value);
    }
    cut_to_length(&mut pattern);
    Message::Pattern(pattern)
}

fn cut_to_length(pattern: &mut Pattern<&'static str>) {
    pattern.elements.shrink_to_fit();
    for element in &mut pattern.elements {
        if let PatternElement::Placeable { expression: ast::Expression::Select { variants, .. } } = element {
            variants.shrink_to_fit();
            for variant in variants {
                cut_to_length(&mut variant.value);
            }
        }
    }
}

/// `key` in `catalog` formatted with `args`; `None` when it is missing or does not format
/// (a variable it uses is not given).
fn format_in(catalog: &Catalog, key: &str, args: Option<&FluentArgs<'_>>) -> Option<String> {
    match catalog.messages.get(key)? {
        Message::Text(text) => Some((*text).to_owned()),
        Message::Pattern(pattern) => {
            let mut errors = Vec::new();
            let text = catalog.formatter.format_pattern(pattern, args, &mut errors);
            errors.is_empty().then(|| text.into_owned())
        }
    }
}

/// `key` in `locale` alone.
pub(super) fn format_only(locale: Locale, key: &str, args: Option<&FluentArgs<'_>>) -> Option<String> {
    format_in(of(locale), key, args)
}

/// `key` in `locale`, else in English (which loads English too only when it is needed).
pub(super) fn format(locale: Locale, key: &str, args: Option<&FluentArgs<'_>>) -> Option<String> {
    format_only(locale, key, args).or_else(|| (locale != Locale::En).then(|| format_in(&EN, key, args)).flatten())
}

/// Whether English has `key` (formatting may still need variables).
pub(super) fn has(key: &str) -> bool {
    EN.messages.contains_key(key)
}
