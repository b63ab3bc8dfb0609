//! Country names in the reader's language: every ISO 3166-1 code with its CLDR name in English,
//! German or Turkish (ICU4X's data, compiled in), sorted by that language's collation ("Çad"
//! between "Burundi" and "Danimarka" in Turkish, not after "Zimbabve"). Each list is built once.

use std::sync::OnceLock;

use icu_collator::Collator;
use icu_collator::options::CollatorOptions;
use icu_experimental::displaynames::{DisplayNamesOptions, RegionDisplayNames};
use icu_locale_core::subtags::Region;

use super::Locale;

static LISTS: [OnceLock<Vec<(&'static str, String)>>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];

/// Every country as (ISO 3166-1 alpha-2 code, name in `locale`), sorted by name.
pub fn countries(locale: Locale) -> &'static [(&'static str, String)] {
    let slot = match locale {
        Locale::En => &LISTS[0],
        Locale::De => &LISTS[1],
        Locale::Tr => &LISTS[2],
    };
    slot.get_or_init(|| build(locale))
}

fn build(locale: Locale) -> Vec<(&'static str, String)> {
    let tag: Option<icu_locale_core::Locale> = locale.tag().parse().ok();
    let names = tag.as_ref().and_then(|t| RegionDisplayNames::try_new(t.into(), DisplayNamesOptions::default()).ok());
    let mut list: Vec<(&'static str, String)> = isocountry::CountryCode::iter()
        .map(|c| {
            let code = c.alpha2();
            // CLDR names every ISO country; the English short name is the fallback all the same.
            let localized = names.as_ref().zip(code.parse::<Region>().ok()).and_then(|(n, r)| n.of(r));
            (code, localized.map_or_else(|| c.name().to_owned(), str::to_owned))
        })
        .collect();
    match tag.and_then(|t| Collator::try_new((&t).into(), CollatorOptions::default()).ok()) {
        Some(collator) => list.sort_by(|a, b| collator.compare(&a.1, &b.1)),
        None => list.sort_by(|a, b| a.1.cmp(&b.1)),
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(locale: Locale, code: &str) -> &'static str {
        countries(locale).iter().find(|(c, _)| *c == code).map(|(_, n)| n.as_str()).unwrap()
    }

    #[test]
    fn every_country_is_named_in_each_language_and_sorted_as_its_readers_expect() {
        for locale in [Locale::En, Locale::De, Locale::Tr] {
            assert!(countries(locale).len() >= 240, "{locale:?}");
        }
        assert_eq!(
            (name(Locale::En, "DE"), name(Locale::De, "DE"), name(Locale::Tr, "DE")),
            ("Germany", "Deutschland", "Almanya")
        );
        assert_eq!(name(Locale::De, "US"), "Vereinigte Staaten");
        assert_eq!(name(Locale::Tr, "TR"), "Türkiye");
        let position = |locale, code| countries(locale).iter().position(|(c, _)| *c == code).unwrap();
        // Turkish: Ç after C, before D; İ after I; nothing accented is pushed past Z.
        assert!(position(Locale::Tr, "TD") < position(Locale::Tr, "DK"), "Çad before Danimarka");
        assert!(position(Locale::Tr, "DJ") < position(Locale::Tr, "CN"), "Cibuti before Çin");
        // German: Ä sorts with A (Ägypten near the start).
        assert!(position(Locale::De, "EG") < position(Locale::De, "BE"), "Ägypten before Belgien");
    }
}
