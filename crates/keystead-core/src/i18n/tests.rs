use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fluent_syntax::ast;

use super::*;

/// Every message of one language: id → the variables it uses.
fn messages(lang: &str) -> BTreeMap<String, BTreeSet<String>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang);
    let mut out = BTreeMap::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("locale directory").map(|e| e.unwrap().path()).collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let resource = match fluent_syntax::parser::parse(text.as_str()) {
            Ok(r) => r,
            Err((_, errors)) => panic!("{}: {errors:?}", path.display()),
        };
        for entry in resource.body {
            if let ast::Entry::Term(t) = &entry {
                panic!("{}: the catalog formats each message alone; write -{} out", path.display(), t.id.name);
            }
            if let ast::Entry::Message(m) = entry {
                let mut vars = BTreeSet::new();
                if let Some(p) = &m.value {
                    pattern_vars(p, &mut vars);
                }
                for a in &m.attributes {
                    pattern_vars(&a.value, &mut vars);
                }
                let id = m.id.name.to_owned();
                assert!(out.insert(id.clone(), vars).is_none(), "{}: {id} is defined twice", path.display());
            }
        }
    }
    out
}

fn pattern_vars(p: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
    for el in &p.elements {
        if let ast::PatternElement::Placeable { expression } = el {
            expression_vars(expression, vars);
        }
    }
}

fn expression_vars(e: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, vars);
            for v in variants {
                pattern_vars(&v.value, vars);
            }
        }
        ast::Expression::Inline(i) => inline_vars(i, vars),
    }
}

fn inline_vars(i: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_owned());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                inline_vars(a, vars);
            }
        }
        ast::InlineExpression::Placeable { expression } => expression_vars(expression, vars),
        ast::InlineExpression::MessageReference { id, .. } | ast::InlineExpression::TermReference { id, .. } => {
            panic!("the catalog formats each message alone: write the text of {} out", id.name)
        }
        ast::InlineExpression::StringLiteral { .. } | ast::InlineExpression::NumberLiteral { .. } => {}
    }
}

#[test]
fn every_language_has_every_message_with_the_same_variables() {
    let en = messages("en");
    assert!(en.len() > 10, "the English messages are read");
    for lang in ["de", "tr"] {
        let other = messages(lang);
        let missing: Vec<_> = en.keys().filter(|k| !other.contains_key(*k)).collect();
        let extra: Vec<_> = other.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{lang} lacks {missing:?}");
        assert!(extra.is_empty(), "{lang} has messages English lacks: {extra:?}");
        for (id, vars) in &en {
            assert_eq!(vars, &other[id], "{lang}: {id} uses other variables than English");
        }
    }
}

#[test]
fn every_message_of_every_language_formats_from_the_catalog() {
    for locale in [Locale::En, Locale::De, Locale::Tr] {
        let all = messages(locale.tag());
        for (id, vars) in &all {
            let mut args = fluent_bundle::FluentArgs::new();
            for var in vars {
                args.set(var.as_str(), 2);
            }
            let text = catalog::format_only(locale, id, Some(&args));
            assert!(text.as_deref().is_some_and(|t| !t.trim().is_empty()), "{}: {id} gives {text:?}", locale.tag());
        }
        assert_eq!(catalog::format_only(locale, "no-such-message", None), None);
    }
    // Plain text comes out as written, a pattern with its variables and only with them.
    assert_eq!(catalog::format_only(Locale::De, "skip-to-content", None).as_deref(), Some("Zum Inhalt springen"));
    let mut args = fluent_bundle::FluentArgs::new();
    args.set("count", 1);
    assert_eq!(catalog::format_only(Locale::En, "count-members", Some(&args)).as_deref(), Some("1 member"));
    assert_eq!(catalog::format_only(Locale::En, "count-members", None), None, "a variable is missing");
}

#[test]
fn the_same_areas_exist_in_every_language() {
    let names = |lang: &str| -> BTreeSet<String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang);
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect()
    };
    assert_eq!(names("en"), names("de"));
    assert_eq!(names("en"), names("tr"));
}

#[test]
fn plurals_follow_the_language() {
    assert_eq!(Locale::En.t1("count-members", "count", 1), "1 member");
    assert_eq!(Locale::En.t1("count-members", "count", 2), "2 members");
    assert_eq!(Locale::De.t1("count-members", "count", 1), "1 Mitglied");
    assert_eq!(Locale::De.t1("count-members", "count", 3), "3 Mitglieder");
    assert_eq!(Locale::Tr.t1("count-members", "count", 3), "3 üye");
}

#[test]
fn a_message_that_is_missing_or_lacks_its_variables_shows_its_key() {
    assert!(Locale::has("count-members"), "a message with variables exists");
    assert!(!Locale::has("no-such-message"));
    assert!(!Locale::has("count-members.title"), "a message is not an attribute of itself");
    assert_eq!(Locale::De.t("no-such-message"), "no-such-message");
    // Without its variable the message formats neither in German nor in English.
    assert_eq!(Locale::De.t("count-members"), "count-members");
    assert_eq!(Locale::Tr.t1("count-members", "count", 1), "1 üye");
}

#[test]
fn tags_and_headers_choose_a_language() {
    assert_eq!(Locale::parse("de-AT"), Some(Locale::De));
    assert_eq!(Locale::parse("TR_tr"), Some(Locale::Tr));
    assert_eq!(Locale::parse("fr"), None);
    assert_eq!(from_accept_language("fr-FR, tr;q=0.8, de;q=0.9"), Some(Locale::De));
    assert_eq!(from_accept_language("de;q=0, en;q=0.1"), Some(Locale::En));
    assert_eq!(from_accept_language("fr, es;q=0.5"), None);
    assert_eq!(from_accept_language("de;q=2, tr"), Some(Locale::Tr), "a malformed quality drops the entry");
    assert_eq!(from_list("fr-CA tr de"), Some(Locale::Tr));
}

#[test]
fn dates_and_numbers_are_written_per_language() {
    let t = time::macros::datetime!(2026-12-04 17:05 UTC);
    assert_eq!(Locale::En.date(t), "4 December 2026");
    assert_eq!(Locale::De.date(t), "4. Dezember 2026");
    assert_eq!(Locale::Tr.date(t), "4 Aralık 2026");
    assert_eq!(Locale::De.date_time(t), "4. Dezember 2026, 17:05 UTC");
    assert_eq!(Locale::En.number(1_234_567), "1,234,567");
    assert_eq!(Locale::De.number(-1234), "-1.234");
    assert_eq!(Locale::Tr.number(999), "999");
}

#[test]
fn placeholders_carry_no_isolation_marks() {
    let s = Locale::En.t1("count-members", "count", 2);
    assert!(!s.contains('\u{2068}') && !s.contains('\u{2069}'), "{s:?}");
}

#[test]
fn percentages_are_written_as_each_language_writes_them() {
    assert_eq!(
        (Locale::En.percent(92.5), Locale::De.percent(92.5), Locale::Tr.percent(92.5)),
        ("92.5%".into(), "92,5 %".into(), "%92,5".into())
    );
    assert_eq!((Locale::En.percent(100.0), Locale::De.percent(87.04)), ("100%".into(), "87 %".into()));
}

#[test]
fn amounts_and_tax_rates_are_written_as_each_language_writes_them() {
    assert_eq!(Locale::En.money(123_456, 2, "EUR"), "EUR 1,234.56");
    assert_eq!(Locale::De.money(123_456, 2, "EUR"), "1.234,56 EUR");
    assert_eq!(Locale::Tr.money(-500, 2, "TRY"), "-5,00 TRY");
    assert_eq!(Locale::En.money(-5, 2, "USD"), "-USD 0.05");
    assert_eq!(Locale::En.money(1500, 0, "JPY"), "JPY 1,500");
    assert_eq!(Locale::De.money(1_234_567, 3, "KWD"), "1.234,567 KWD");
    assert_eq!(
        (Locale::En.rate(1900), Locale::De.rate(770), Locale::Tr.rate(775)),
        ("19%".into(), "7,7 %".into(), "%7,75".into())
    );
    assert_eq!(Locale::En.day(time::macros::date!(2026 - 12 - 01)), "1 December 2026");
}
