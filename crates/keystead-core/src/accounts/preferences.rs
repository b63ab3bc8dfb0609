//! Notification preferences (per-category email opt-in; security notices always on) and the
//! billing address kept for invoices.

use std::collections::HashMap;

use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{FieldErrors, Result};
use crate::ids::UserId;
use crate::store::Db;
use crate::store::preferences::{self as store, BillingRow};

/// What an email is about; users choose which categories they receive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Sign-ins, password and email changes: always sent.
    Security,
    /// Changes to the account and memberships.
    Account,
    /// Licenses assigned or expiring.
    Licenses,
    /// New invoices.
    Invoices,
    /// Product news and release notes.
    ProductNews,
    /// The newsletter.
    Newsletter,
}

impl Category {
    /// Every category, in display order.
    pub const ALL: [Self; 6] =
        [Self::Security, Self::Account, Self::Licenses, Self::Invoices, Self::ProductNews, Self::Newsletter];

    /// The stored and form name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Security => "security",
            Self::Account => "account",
            Self::Licenses => "licenses",
            Self::Invoices => "invoices",
            Self::ProductNews => "product_news",
            Self::Newsletter => "newsletter",
        }
    }

    /// The label shown.
    pub fn label(self) -> &'static str {
        match self {
            Self::Security => "Security notices",
            Self::Account => "Account and membership changes",
            Self::Licenses => "Licenses",
            Self::Invoices => "Invoices",
            Self::ProductNews => "Product news",
            Self::Newsletter => "Newsletter",
        }
    }

    /// What it covers.
    pub fn description(self) -> &'static str {
        match self {
            Self::Security => {
                "Sign-ins from new devices, password and email changes. Always sent, to keep your account safe."
            }
            Self::Account => "Invitations, membership and role changes.",
            Self::Licenses => "Licenses assigned to you, and ones about to expire.",
            Self::Invoices => "New invoices (for license and billing administrators).",
            Self::ProductNews => "New releases and features.",
            Self::Newsletter => "Our occasional newsletter.",
        }
    }

    /// The choice for a user who has not chosen.
    pub fn default_enabled(self) -> bool {
        matches!(self, Self::Security | Self::Account | Self::Licenses | Self::Invoices)
    }

    /// True for security notices, which cannot be turned off.
    pub fn is_mandatory(self) -> bool {
        self == Self::Security
    }
}

/// True when the user receives emails of `category`.
pub(crate) async fn wants(db: Db<'_>, user: UserId, category: Category) -> Result<bool> {
    if category.is_mandatory() {
        return Ok(true);
    }
    let stored = store::notification_choices(db, user).await?;
    Ok(stored.iter().find(|(c, _)| c == category.as_str()).map_or(category.default_enabled(), |(_, e)| *e))
}

/// A validated billing address.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BillingAddress {
    /// Person or company name on the invoice.
    pub name: String,
    /// Company (optional when `name` is the company).
    pub company: Option<String>,
    /// Street and number.
    pub line1: String,
    /// Further address line.
    pub line2: Option<String>,
    /// Postal code.
    pub postal_code: String,
    /// City.
    pub city: String,
    /// Region or state.
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// VAT identification number.
    pub vat_id: Option<String>,
}

impl From<BillingRow> for BillingAddress {
    fn from(b: BillingRow) -> Self {
        Self {
            name: b.name,
            company: b.company,
            line1: b.line1,
            line2: b.line2,
            postal_code: b.postal_code,
            city: b.city,
            region: b.region,
            country: b.country,
            vat_id: b.vat_id,
        }
    }
}

impl BillingAddress {
    /// Validates a form, field by field.
    pub fn parse(input: &HashMap<String, String>) -> Result<Self> {
        let mut errors = FieldErrors::new();
        let mut field = |name: &'static str, label: &str, max: usize, required: bool| -> Option<String> {
            let v = input.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
            match v {
                None if required => {
                    errors.add(name, "required", format!("Enter the {label}."));
                    None
                }
                None => None,
                Some(v) if v.chars().count() > max => {
                    errors.add_with(
                        name,
                        "too_long",
                        format!("Use at most {max} characters."),
                        vec![("max", max.to_string())],
                    );
                    None
                }
                Some(v) if v.chars().any(char::is_control) => {
                    errors.add(name, "invalid", "Remove the line breaks and control characters.");
                    None
                }
                Some(v) => Some(v.to_owned()),
            }
        };
        let name = field("name", "name or company name", 100, true);
        let company = field("company", "company", 100, false);
        let line1 = field("line1", "street and number", 100, true);
        let line2 = field("line2", "second address line", 100, false);
        let postal_code = field("postal_code", "postal code", 16, true);
        let city = field("city", "city", 100, true);
        let region = field("region", "region", 100, false);
        let country = field("country", "country", 2, true);
        let vat_id = field("vat_id", "VAT number", 20, false);
        if postal_code.as_deref().is_some_and(|p| !p.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-'))
        {
            errors.add("postal_code", "invalid", "Use letters, digits, spaces and hyphens only.");
        }
        let country = country.and_then(|c| match isocountry::CountryCode::for_alpha2_caseless(&c) {
            Ok(code) => Some(code.alpha2().to_owned()),
            Err(_) => {
                errors.add("country", "unknown_country", "Choose a country from the list.");
                None
            }
        });
        let vat_id = vat_id.and_then(|v| {
            let normalized = normalize_vat_id(&v);
            if normalized.is_none() {
                errors.add("vat_id", "invalid", "Enter the VAT number with its country prefix, such as DE123456789.");
            }
            normalized
        });
        errors.into_result()?;
        Ok(Self {
            name: name.unwrap_or_default(),
            company,
            line1: line1.unwrap_or_default(),
            line2,
            postal_code: postal_code.unwrap_or_default(),
            city: city.unwrap_or_default(),
            region,
            country: country.unwrap_or_default(),
            vat_id,
        })
    }
}

/// A VAT number as stored: spaces, dots and hyphens dropped, ASCII letters upper-cased; `None`
/// unless two ASCII letters (the country prefix) are followed by at least two ASCII letters or
/// digits. Read character by character — never sliced at a byte index — so that any text a
/// form sends (`DÉ123456`) is refused, not a panic.
fn normalize_vat_id(typed: &str) -> Option<String> {
    let v: String = typed.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).map(|c| c.to_ascii_uppercase()).collect();
    let prefix_ok = v.chars().take(2).filter(char::is_ascii_uppercase).count() == 2;
    let number_ok = v.chars().skip(2).count() >= 2 && v.chars().skip(2).all(|c| c.is_ascii_alphanumeric());
    (prefix_ok && number_ok).then_some(v)
}

impl Core {
    /// True when the user receives emails of `category`. Every non-security email is sent only
    /// when this says yes (today's emails are all security notices, which always go out).
    pub async fn wants_email(&self, user: UserId, category: Category) -> Result<bool> {
        let mut conn = self.store().conn().await?;
        wants(conn.db(), user, category).await
    }

    /// Every category with the user's choice (security always on).
    pub async fn notification_preferences(&self, user: UserId) -> Result<Vec<(Category, bool)>> {
        let mut conn = self.store().conn().await?;
        let stored = store::notification_choices(conn.db(), user).await?;
        Ok(Category::ALL
            .iter()
            .map(|c| {
                let enabled = c.is_mandatory()
                    || stored.iter().find(|(s, _)| s == c.as_str()).map_or(c.default_enabled(), |(_, e)| *e);
                (*c, enabled)
            })
            .collect())
    }

    /// Saves the choices: `enabled` lists the categories the user wants (security is ignored:
    /// always on).
    pub async fn set_notification_preferences(
        &self,
        user: UserId,
        enabled: &[Category],
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        for c in Category::ALL.iter().filter(|c| !c.is_mandatory()) {
            store::set_notification_choice(tx.db(), user, c.as_str(), enabled.contains(c), now).await?;
        }
        let on: Vec<&str> = enabled.iter().map(|c| c.as_str()).collect();
        audit::record(
            tx.db(),
            now,
            AuditAction::PreferencesChanged,
            Some(user),
            Some(user),
            meta,
            serde_json::json!({"enabled": on}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The billing address, if set.
    pub async fn billing_address(&self, user: UserId) -> Result<Option<BillingAddress>> {
        let mut conn = self.store().conn().await?;
        Ok(store::billing_address(conn.db(), user).await?.map(Into::into))
    }

    /// Validates and saves the billing address.
    pub async fn set_billing_address(
        &self,
        user: UserId,
        input: &HashMap<String, String>,
        meta: &RequestMeta,
    ) -> Result<BillingAddress> {
        let address = BillingAddress::parse(input)?;
        let row = BillingRow {
            name: address.name.clone(),
            company: address.company.clone(),
            line1: address.line1.clone(),
            line2: address.line2.clone(),
            postal_code: address.postal_code.clone(),
            city: address.city.clone(),
            region: address.region.clone(),
            country: address.country.clone(),
            vat_id: address.vat_id.clone(),
        };
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        store::set_billing_address(tx.db(), user, &row, now).await?;
        audit::record(
            tx.db(),
            now,
            AuditAction::BillingAddressChanged,
            Some(user),
            Some(user),
            meta,
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(address)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn a_billing_address_is_validated_field_by_field() {
        let Err(Error::Invalid(errors)) =
            BillingAddress::parse(&form(&[("postal_code", "12#45"), ("country", "ZZ"), ("vat_id", "123")]))
        else {
            panic!()
        };
        let got: Vec<(&str, &str)> = errors.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
        for expected in [
            ("name", "required"),
            ("line1", "required"),
            ("city", "required"),
            ("postal_code", "invalid"),
            ("country", "unknown_country"),
            ("vat_id", "invalid"),
        ] {
            assert!(got.contains(&expected), "{expected:?} not in {got:?}");
        }
        let ok = BillingAddress::parse(&form(&[
            ("name", "Example GmbH"),
            ("line1", "Hauptstraße 1"),
            ("postal_code", "10115"),
            ("city", "Berlin"),
            ("country", "de"),
            ("vat_id", "de 123.456.789"),
        ]))
        .unwrap();
        assert_eq!((ok.country.as_str(), ok.vat_id.as_deref()), ("DE", Some("DE123456789")));
    }

    #[test]
    fn a_vat_number_with_a_multi_byte_character_is_a_field_error_not_a_panic() {
        for typed in ["DÉ123456", "ÉD123456", "DE12345É", "É", "ÉÉÉÉ", "de\u{131}123", "D\u{301}E123", "DE１２３４"]
        {
            let Err(Error::Invalid(errors)) = BillingAddress::parse(&form(&[("vat_id", typed)])) else { panic!() };
            assert!(
                errors.0.iter().any(|e| (e.field.as_str(), e.code) == ("vat_id", "invalid")),
                "{typed:?}: {errors:?}"
            );
        }
        assert_eq!(normalize_vat_id("fr-12 345").as_deref(), Some("FR12345"));
        assert_eq!(normalize_vat_id("DE1"), None);
    }

    #[test]
    fn security_notices_cannot_be_turned_off_and_news_is_opt_in() {
        assert!(Category::Security.is_mandatory() && Category::Security.default_enabled());
        assert!(!Category::Newsletter.default_enabled() && !Category::ProductNews.default_enabled());
    }
}
