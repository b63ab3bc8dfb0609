//! Choosing a language from what the browser or the relying party asks for.

use super::Locale;

/// The best supported language of an `Accept-Language` header (`de-CH, de;q=0.9, en;q=0.5`):
/// the highest quality wins, ties keep the header's order; `q=0` refuses a language; at most the
/// first 32 entries are read.
pub fn from_accept_language(header: &str) -> Option<Locale> {
    let mut best: Option<(u16, Locale)> = None;
    for item in header.split(',').take(32) {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or("").trim();
        let quality = parts
            .find_map(|p| p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q=")))
            .map_or(Some(1000), quality);
        let (Some(q), Some(locale)) = (quality, Locale::parse(tag)) else { continue };
        if q > 0 && best.is_none_or(|(bq, _)| q > bq) {
            best = Some((q, locale));
        }
    }
    best.map(|(_, l)| l)
}

/// An RFC 9110 qvalue in thousandths (`0.8` → 800); `None` when malformed.
fn quality(s: &str) -> Option<u16> {
    let s = s.trim();
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole = match int {
        "0" => 0,
        "1" => 1000,
        _ => return None,
    };
    let thousandths: u16 = format!("{frac:0<3}").parse().ok()?;
    if whole == 1000 && thousandths > 0 {
        return None;
    }
    Some(whole + thousandths)
}

/// The first supported language of a space-separated list of tags in order of preference (the
/// OIDC `ui_locales` parameter).
pub fn from_list(list: &str) -> Option<Locale> {
    list.split_ascii_whitespace().take(32).find_map(Locale::parse)
}
