//! Licensing: the deployment's catalogue (products, downloads, plans and what a plan grants),
//! organizations' subscriptions to plans, and the seats license admins assign to members.
//! The operator manages the catalogue and subscriptions; seats also belong to members holding
//! `licenses:assign`.

mod activations;
#[cfg(test)]
mod activations_tests;
mod briefcase;
#[cfg(test)]
mod briefcase_tests;
mod catalogue;
mod download_links;
mod downloads;
#[cfg(test)]
mod downloads_tests;
mod entitlements;
mod extensions;
mod files;
mod held;
mod landing;
#[cfg(test)]
mod landing_tests;
mod license_token;
mod plans;
#[cfg(test)]
mod seat_tests;
mod seats;
#[cfg(any(test, feature = "testing"))]
pub mod seed;
#[cfg(test)]
mod subscription_tests;
mod subscriptions;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod use_test_support;

use time::OffsetDateTime;

use crate::error::{Error, FieldErrors, Result};
use crate::organizations::Actor;

pub use activations::{Machine, fingerprint_hash};
pub use briefcase::{Briefcase, BriefcaseSummary, briefcase_too_large};
pub use catalogue::{Download, DownloadSource, NewDownload, NewPlan, NewProduct, Plan, Product};
pub use download_links::{DownloadTarget, SignedLink};
pub use downloads::{AvailableDownload, DownloadKind};
pub use entitlements::Entitlements;
pub use extensions::ExtensionChoice;
pub use held::HeldLicense;
pub use landing::Landing;
pub use license_token::{LICENSE_TOKEN_TYP, LicenseToken};
pub use seats::{GroupAssignment, SeatHolder};
pub use subscriptions::{MAX_SEATS, NewSubscription, Subscription};

/// `Forbidden` unless the operator acts: the catalogue and subscriptions are the deployment's.
fn require_operator(actor: Actor) -> Result<()> {
    if actor == Actor::Operator { Ok(()) } else { Err(Error::Forbidden) }
}

/// Checks a key or code: 1 to 64 of `a-z`, `0-9`, `.`, `_`, `-`, starting with a letter or digit
/// (`[a-z0-9][a-z0-9._-]{0,63}`). Used for product and plan keys and entitlement codes.
pub fn check_code(field: &str, value: &str) -> Result<String> {
    let v = value.trim();
    let mut chars = v.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if !first_ok || !rest_ok || v.len() > 64 {
        return Err(Error::invalid(
            field,
            "invalid_code",
            "Use 1 to 64 lower-case letters, digits, '.', '_' and '-', starting with a letter or digit.",
        ));
    }
    Ok(v.to_owned())
}

/// What a product is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductKind {
    /// An application installed on a computer (downloads, a launch URL, offline tokens).
    DesktopApp,
    /// An application used in the browser.
    WebApp,
    /// An extension that plans grant and users pick in the extension chooser.
    Extension,
    /// Several products sold together.
    Bundle,
}

impl ProductKind {
    /// Every kind.
    pub const ALL: [Self; 4] = [Self::DesktopApp, Self::WebApp, Self::Extension, Self::Bundle];

    /// The stored name (`desktop_app`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DesktopApp => "desktop_app",
            Self::WebApp => "web_app",
            Self::Extension => "extension",
            Self::Bundle => "bundle",
        }
    }

    /// Parses a kind, or `Invalid` naming `field`.
    pub fn parse(field: &str, s: &str) -> Result<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim()).ok_or_else(|| {
            Error::invalid(field, "invalid_kind", "Choose one of desktop_app, web_app, extension, bundle.")
        })
    }
}

/// Where a product is listed in the extension chooser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductGroup {
    /// Content from manufacturers (the default).
    #[default]
    Manufacturer,
    /// Tools.
    Utility,
}

impl ProductGroup {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Manufacturer => "manufacturer",
            Self::Utility => "utility",
        }
    }

    /// Parses a group, or `Invalid` naming `field`.
    pub fn parse(field: &str, s: &str) -> Result<Self> {
        match s.trim() {
            "manufacturer" => Ok(Self::Manufacturer),
            "utility" => Ok(Self::Utility),
            _ => Err(Error::invalid(field, "invalid_group", "Choose manufacturer or utility.")),
        }
    }
}

/// Where a user holding a license of a plan lands after registration (issue 12 §3).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "rule", content = "url")]
pub enum LandingRule {
    /// The extension chooser (`/account/extensions`).
    ExtensionChooser,
    /// The downloads page (`/account/downloads`).
    Downloads,
    /// An external application (its sign-in page, for example).
    ExternalApp(url::Url),
    /// No landing of its own.
    None,
}

impl LandingRule {
    /// Reads `extension_chooser`, `downloads`, `none` or an `http(s)` URL (an external app).
    pub fn parse(field: &str, s: &str) -> Result<Self> {
        match s.trim() {
            "extension_chooser" => Ok(Self::ExtensionChooser),
            "downloads" => Ok(Self::Downloads),
            "none" => Ok(Self::None),
            other => Ok(Self::ExternalApp(parse_url(field, other)?)),
        }
    }

    /// The stored name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::ExtensionChooser => "extension_chooser",
            Self::Downloads => "downloads",
            Self::ExternalApp(_) => "external_app",
            Self::None => "none",
        }
    }

    fn from_stored(rule: &str, url: Option<&str>) -> Self {
        match (rule, url.and_then(|u| url::Url::parse(u).ok())) {
            ("extension_chooser", _) => Self::ExtensionChooser,
            ("downloads", _) => Self::Downloads,
            ("external_app", Some(u)) => Self::ExternalApp(u),
            _ => Self::None,
        }
    }
}

/// An absolute `http` or `https` URL of at most 2 000 characters, or `Invalid` naming `field`.
pub fn parse_url(field: &str, s: &str) -> Result<url::Url> {
    let bad = || {
        Error::invalid(field, "invalid_url", "Enter an absolute http:// or https:// URL (or one of the listed words).")
    };
    let s = s.trim();
    if s.len() > 2000 {
        return Err(bad());
    }
    let url = url::Url::parse(s).map_err(|_| bad())?;
    if matches!(url.scheme(), "http" | "https") && url.has_host() { Ok(url) } else { Err(bad()) }
}

/// A desktop app's launch URL: any absolute URL with a scheme (`cet://start`), no spaces, at most
/// 2 000 characters.
fn parse_launch_url(field: &str, s: &str) -> Result<String> {
    let s = s.trim();
    let ok = s.len() <= 2000 && !s.chars().any(|c| c.is_whitespace() || c.is_control()) && url::Url::parse(s).is_ok();
    if ok {
        Ok(s.to_owned())
    } else {
        Err(Error::invalid(
            field,
            "invalid_url",
            "Enter an absolute URL, such as cet://start or https://app.example.com.",
        ))
    }
}

/// The start of `day` (UTC) from `YYYY-MM-DD`; with `inclusive_end`, the start of the next day
/// (so "ends 2027-12-31" grants through that whole day). `Invalid` naming `field` otherwise.
pub fn parse_day(field: &str, s: &str, inclusive_end: bool) -> Result<OffsetDateTime> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let bad = || Error::invalid(field, "invalid_date", "Enter a date as YYYY-MM-DD.");
    let day = time::Date::parse(s.trim(), &format).map_err(|_| bad())?;
    let day = if inclusive_end { day.next_day().ok_or_else(bad)? } else { day };
    Ok(day.midnight().assume_utc())
}

/// True when a subscription with these times grants licenses at `now`.
fn is_live(
    starts_at: OffsetDateTime,
    ends_at: Option<OffsetDateTime>,
    ended_at: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> bool {
    ended_at.is_none() && starts_at <= now && ends_at.is_none_or(|e| e > now)
}

/// True when a subscription with these times is over at `now` (ended, or past its end).
fn is_over(ends_at: Option<OffsetDateTime>, ended_at: Option<OffsetDateTime>, now: OffsetDateTime) -> bool {
    ended_at.is_some() || ends_at.is_some_and(|e| e <= now)
}

/// The value of a field's check, or `None` with its failures added to `errors` (so a form shows
/// every failure at once).
fn take<T>(checked: Result<T>, errors: &mut FieldErrors) -> Option<T> {
    match checked {
        Ok(v) => Some(v),
        Err(Error::Invalid(found)) => {
            errors.0.extend(found.0);
            None
        }
        Err(_) => {
            errors.add("input", "invalid", "This value cannot be used.");
            None
        }
    }
}
