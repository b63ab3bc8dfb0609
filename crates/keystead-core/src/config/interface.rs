//! What people see: the deployment's default language, where its support is reached, and its
//! branding.

use std::path::PathBuf;

use url::Url;

use super::reader::Reader;
use crate::branding::Rgb;
use crate::i18n::Locale;

/// The interface's settings (top-level keys).
#[derive(Debug, Clone, Default)]
pub struct InterfaceConfig {
    /// The language of a visitor whose browser asks for none Keystead speaks, and of emails to a
    /// user who chose none (`default_locale`: `en`, `de` or `tr`; default `en`).
    pub default_locale: Locale,
    /// The address people write to for help, e.g. to recover a closed account within its grace
    /// period (`support_email`).
    pub support_email: Option<String>,
    /// The support page (`support_url`, an `https` or `http` URL).
    pub support_url: Option<Url>,
    /// The accent colour of links and buttons (`branding.accent_color`, `#rrggbb`); shades are
    /// adjusted so text keeps WCAG AA contrast.
    pub accent_color: Option<Rgb>,
    /// The logo shown beside the deployment's name in the header and emails
    /// (`branding.logo_file`: a PNG, JPEG or WebP of at most 512 KiB, read at start).
    pub logo_file: Option<PathBuf>,
}

pub(super) fn read_interface(r: &mut Reader) -> InterfaceConfig {
    let default_locale = r
        .parsed("default_locale", |s| Locale::parse(s).ok_or_else(|| "expected one of en, de, tr".to_owned()))
        .unwrap_or_default();
    let support_email = r.parsed("support_email", |s| {
        let s = s.trim();
        let ok = s.len() <= 254 && s.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.'));
        if ok { Ok(s.to_owned()) } else { Err("expected an email address such as help@example.com".to_owned()) }
    });
    let support_url = r.parsed("support_url", |s| match Url::parse(s.trim()) {
        Ok(u) if matches!(u.scheme(), "https" | "http") => Ok(u),
        _ => Err("expected an http(s) URL such as https://example.com/support".to_owned()),
    });
    let accent_color = r.parsed("branding.accent_color", |s| {
        Rgb::parse(s).ok_or_else(|| "expected a colour such as #1f5fbf".to_owned())
    });
    let logo_file = r.opt_string("branding.logo_file").map(PathBuf::from);
    InterfaceConfig { default_locale, support_email, support_url, accent_color, logo_file }
}
