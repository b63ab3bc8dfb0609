//! The messages of each language, parsed the first time that language is asked for. A node
//! serving only English pages never holds the German and Turkish messages: parsed, each
//! language takes about 1.3 MiB (SPEC §8 bounds memory under load), where loading all three at
//! the first page took about 4.3 MiB.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use fluent_syntax::ast::Pattern;

use super::Locale;

include!(concat!(env!("OUT_DIR"), "/locales.rs"));

type Bundle = FluentBundle<FluentResource>;

static EN: LazyLock<Bundle> = LazyLock::new(|| bundle(Locale::En));
static DE: LazyLock<Bundle> = LazyLock::new(|| bundle(Locale::De));
static TR: LazyLock<Bundle> = LazyLock::new(|| bundle(Locale::Tr));

fn of(locale: Locale) -> &'static Bundle {
    match locale {
        Locale::En => &EN,
        Locale::De => &DE,
        Locale::Tr => &TR,
    }
}

/// One language's messages from its embedded files. A file that does not parse keeps the
/// messages that did (the parity test rejects such a file before it ships) and is logged.
fn bundle(locale: Locale) -> Bundle {
    let id = locale.tag().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks around placeholders: the texts go into HTML attributes, email
    // subjects and JSON, where the marks would show up as stray characters.
    bundle.set_use_isolating(false);
    let files = FILES.iter().find(|(tag, _)| *tag == locale.tag()).map_or(&[][..], |(_, files)| files);
    for text in files {
        let resource = FluentResource::try_new((*text).to_owned()).unwrap_or_else(|(resource, errors)| {
            tracing::error!(locale = locale.tag(), ?errors, "a translation file has syntax errors");
            resource
        });
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!(locale = locale.tag(), ?errors, "a translation file repeats messages");
        }
    }
    bundle
}

/// The text of message `key` in `bundle` (the messages have no attributes).
fn pattern<'b>(bundle: &'b Bundle, key: &str) -> Option<&'b Pattern<&'b str>> {
    bundle.get_message(key)?.value()
}

/// `key` in `bundle` formatted with `args`; `None` when it is missing or does not format
/// (a variable it uses is not given).
fn format_in(bundle: &Bundle, key: &str, args: Option<&FluentArgs<'_>>) -> Option<String> {
    let pattern = pattern(bundle, key)?;
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    errors.is_empty().then(|| text.into_owned())
}

/// `key` in `locale`, else in English (which loads English too only when it is needed).
pub(super) fn format(locale: Locale, key: &str, args: Option<&FluentArgs<'_>>) -> Option<String> {
    format_in(of(locale), key, args).or_else(|| (locale != Locale::En).then(|| format_in(&EN, key, args)).flatten())
}

/// Whether English has `key` (formatting may still need variables).
pub(super) fn has(key: &str) -> bool {
    pattern(&EN, key).is_some()
}
