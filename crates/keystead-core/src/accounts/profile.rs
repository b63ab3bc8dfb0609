//! The profile: name and personal details, which of them a deployment shows and requires, their
//! validation, and whether a user's profile is complete.

use std::collections::HashMap;

use time::{Date, OffsetDateTime};

use super::{User, UserStatus};
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{FieldErrors, Result};
use crate::ids::UserId;
use crate::store::users::{self as store_users, ProfileColumns, UserRow};

/// A personal detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProfileField {
    /// Given name.
    GivenName,
    /// Family name.
    FamilyName,
    /// Phone number.
    Phone,
    /// Country (ISO 3166-1 alpha-2).
    Country,
    /// City.
    City,
    /// Date of birth.
    DateOfBirth,
    /// Company or trade name.
    Company,
    /// Job title.
    JobTitle,
}

impl ProfileField {
    /// Every field, in form order.
    pub const ALL: [Self; 8] = [
        Self::GivenName,
        Self::FamilyName,
        Self::Phone,
        Self::Country,
        Self::City,
        Self::DateOfBirth,
        Self::Company,
        Self::JobTitle,
    ];

    /// The form and configuration name (`given_name`).
    pub fn name(self) -> &'static str {
        match self {
            Self::GivenName => "given_name",
            Self::FamilyName => "family_name",
            Self::Phone => "phone",
            Self::Country => "country",
            Self::City => "city",
            Self::DateOfBirth => "date_of_birth",
            Self::Company => "company",
            Self::JobTitle => "job_title",
        }
    }

    /// The label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::GivenName => "Given name",
            Self::FamilyName => "Family name",
            Self::Phone => "Phone number",
            Self::Country => "Country",
            Self::City => "City",
            Self::DateOfBirth => "Date of birth",
            Self::Company => "Company or trade name",
            Self::JobTitle => "Job title",
        }
    }
}

/// Whether a deployment asks for a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldRule {
    /// Must be filled in before the account can be used.
    Required,
    /// Shown, may stay empty.
    Optional,
    /// Not shown.
    Hidden,
}

impl FieldRule {
    /// The configuration word.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::Optional => "optional",
            Self::Hidden => "hidden",
        }
    }
}

/// The rule for each field (`profile.<field> = "required" | "optional" | "hidden"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileFields(HashMap<ProfileField, FieldRule>);

impl Default for ProfileFields {
    /// Names required, country and company optional, the rest hidden.
    fn default() -> Self {
        use FieldRule::{Hidden, Optional, Required};
        use ProfileField::*;
        Self(HashMap::from([
            (GivenName, Required),
            (FamilyName, Required),
            (Phone, Hidden),
            (Country, Optional),
            (City, Hidden),
            (DateOfBirth, Hidden),
            (Company, Optional),
            (JobTitle, Hidden),
        ]))
    }
}

impl ProfileFields {
    /// The rule for a field.
    pub fn rule(&self, field: ProfileField) -> FieldRule {
        self.0.get(&field).copied().unwrap_or(FieldRule::Hidden)
    }

    /// Sets the rule for a field.
    pub fn set(&mut self, field: ProfileField, rule: FieldRule) {
        self.0.insert(field, rule);
    }

    /// The fields shown, in form order.
    pub fn shown(&self) -> Vec<(ProfileField, FieldRule)> {
        ProfileField::ALL.iter().map(|f| (*f, self.rule(*f))).filter(|(_, r)| *r != FieldRule::Hidden).collect()
    }
}

/// A user's personal details.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Profile {
    /// Given name.
    pub given_name: Option<String>,
    /// Family name.
    pub family_name: Option<String>,
    /// Phone, as typed (digits, spaces, `+ - ( ) .`).
    pub phone: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub country: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Date of birth.
    #[serde(serialize_with = "iso_date")]
    pub date_of_birth: Option<Date>,
    /// Company or trade name.
    pub company: Option<String>,
    /// Job title.
    pub job_title: Option<String>,
}

fn iso_date<S: serde::Serializer>(d: &Option<Date>, s: S) -> std::result::Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&d.to_string()),
        None => s.serialize_none(),
    }
}

impl Profile {
    pub(crate) fn from_row(r: &UserRow) -> Self {
        Self {
            given_name: r.given_name.clone(),
            family_name: r.family_name.clone(),
            phone: r.phone.clone(),
            country: r.country.clone(),
            city: r.city.clone(),
            date_of_birth: r.date_of_birth,
            company: r.company.clone(),
            job_title: r.job_title.clone(),
        }
    }

    /// The value of a field as text (dates as YYYY-MM-DD).
    pub fn value(&self, field: ProfileField) -> Option<String> {
        match field {
            ProfileField::GivenName => self.given_name.clone(),
            ProfileField::FamilyName => self.family_name.clone(),
            ProfileField::Phone => self.phone.clone(),
            ProfileField::Country => self.country.clone(),
            ProfileField::City => self.city.clone(),
            ProfileField::DateOfBirth => self.date_of_birth.map(|d| d.to_string()),
            ProfileField::Company => self.company.clone(),
            ProfileField::JobTitle => self.job_title.clone(),
        }
    }

    /// The required fields that are empty.
    pub fn missing(&self, fields: &ProfileFields) -> Vec<ProfileField> {
        fields
            .shown()
            .into_iter()
            .filter(|(f, r)| *r == FieldRule::Required && self.value(*f).is_none())
            .map(|(f, _)| f)
            .collect()
    }
}

impl From<&Profile> for ProfileColumns {
    fn from(p: &Profile) -> Self {
        Self {
            given_name: p.given_name.clone(),
            family_name: p.family_name.clone(),
            phone: p.phone.clone(),
            country: p.country.clone(),
            city: p.city.clone(),
            date_of_birth: p.date_of_birth,
            company: p.company.clone(),
            job_title: p.job_title.clone(),
        }
    }
}

fn text(field: ProfileField, raw: Option<&str>, max: usize, errors: &mut FieldErrors) -> Option<String> {
    let v = raw.map(str::trim).filter(|v| !v.is_empty())?;
    if v.chars().count() > max {
        errors.add_with(
            field.name(),
            "too_long",
            format!("Use at most {max} characters."),
            vec![("max", max.to_string())],
        );
        return None;
    }
    if v.chars().any(char::is_control) {
        errors.add(field.name(), "invalid", "Remove the line breaks and control characters.");
        return None;
    }
    Some(v.to_owned())
}

/// Validates form input into a profile, field by field, against the deployment's rules.
/// Hidden fields keep their stored value.
pub fn validate(
    fields: &ProfileFields,
    input: &HashMap<String, String>,
    current: &Profile,
    today: Date,
) -> Result<Profile> {
    let mut errors = FieldErrors::new();
    let get = |f: ProfileField| input.get(f.name()).map(String::as_str);
    let mut p = current.clone();
    for (field, rule) in fields.shown() {
        let raw = get(field);
        let value: Option<String> = match field {
            ProfileField::Phone => text(field, raw, 32, &mut errors).and_then(|v| {
                let digits = v.chars().filter(char::is_ascii_digit).count();
                let allowed = v.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
                if allowed && (5..=15).contains(&digits) {
                    Some(v)
                } else {
                    errors.add(
                        field.name(),
                        "invalid_phone",
                        "Enter a phone number of 5 to 15 digits, such as +49 30 1234567.",
                    );
                    None
                }
            }),
            ProfileField::Country => {
                text(field, raw, 2, &mut errors).and_then(|v| match isocountry::CountryCode::for_alpha2_caseless(&v) {
                    Ok(c) => Some(c.alpha2().to_owned()),
                    Err(_) => {
                        errors.add(field.name(), "unknown_country", "Choose a country from the list.");
                        None
                    }
                })
            }
            ProfileField::DateOfBirth => text(field, raw, 10, &mut errors).and_then(|v| {
                let format = time::macros::format_description!("[year]-[month]-[day]");
                match Date::parse(&v, format) {
                    Ok(d) if d > today => {
                        errors.add(field.name(), "in_future", "The date of birth cannot be in the future.");
                        None
                    }
                    Ok(d) if d.year() < today.year() - 130 => {
                        errors.add(field.name(), "too_old", "Check the year of the date of birth.");
                        None
                    }
                    Ok(d) => Some(d.to_string()),
                    Err(_) => {
                        errors.add(field.name(), "invalid_date", "Enter the date as YYYY-MM-DD.");
                        None
                    }
                }
            }),
            _ => text(field, raw, 100, &mut errors),
        };
        let failed = errors.for_field(field.name()).next().is_some();
        if !failed && rule == FieldRule::Required && value.is_none() {
            errors.add(field.name(), "required", format!("Enter your {}.", field.label().to_lowercase()));
        }
        match field {
            ProfileField::GivenName => p.given_name = value,
            ProfileField::FamilyName => p.family_name = value,
            ProfileField::Phone => p.phone = value,
            ProfileField::Country => p.country = value,
            ProfileField::City => p.city = value,
            ProfileField::DateOfBirth => {
                let format = time::macros::format_description!("[year]-[month]-[day]");
                p.date_of_birth = value.and_then(|v| Date::parse(&v, format).ok());
            }
            ProfileField::Company => p.company = value,
            ProfileField::JobTitle => p.job_title = value,
        }
    }
    errors.into_result()?;
    Ok(p)
}

impl Core {
    /// A user's personal details.
    pub async fn profile(&self, user: UserId) -> Result<Profile> {
        let mut conn = self.store().conn().await?;
        Ok(Profile::from_row(&store_users::get(conn.db(), user).await?))
    }

    /// Validates and saves the personal details; a user whose required details are now all
    /// present moves from `incomplete_profile` to `active`.
    pub async fn update_profile(
        &self,
        user: &User,
        input: &HashMap<String, String>,
        meta: &RequestMeta,
    ) -> Result<Profile> {
        let now: OffsetDateTime = self.clock().now();
        let current = self.profile(user.id).await?;
        let fields = &self.config().profile;
        let profile = validate(fields, input, &current, now.date())?;
        let mut tx = self.store().begin().await?;
        self.save_profile(&mut tx, user, &current, &profile, Some(user.id), meta).await?;
        tx.commit().await?;
        Ok(profile)
    }

    /// Saves a validated profile in `tx` (an `incomplete_profile` account whose required
    /// details are now all present becomes `active`) and audits which fields changed, done by
    /// `by` (`None`: an operator).
    pub(crate) async fn save_profile(
        &self,
        tx: &mut crate::store::Tx,
        user: &User,
        current: &Profile,
        profile: &Profile,
        by: Option<UserId>,
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.clock().now();
        let fields = &self.config().profile;
        let status = (user.status == UserStatus::IncompleteProfile && profile.missing(fields).is_empty())
            .then_some(UserStatus::Active.as_str());
        store_users::update_profile(tx.db(), user.id, &ProfileColumns::from(profile), status, now).await?;
        let changed: Vec<&str> =
            ProfileField::ALL.iter().filter(|f| current.value(**f) != profile.value(**f)).map(|f| f.name()).collect();
        if !changed.is_empty() {
            let mut details = serde_json::json!({"fields": changed});
            if by.is_none() {
                details["by"] = serde_json::json!("operator");
            }
            audit::record(tx.db(), now, AuditAction::ProfileUpdated, by, Some(user.id), meta, details).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    fn today() -> Date {
        time::macros::date!(2026 - 01 - 01)
    }

    fn all_optional() -> ProfileFields {
        let mut f = ProfileFields::default();
        for field in ProfileField::ALL {
            f.set(field, FieldRule::Optional);
        }
        f
    }

    fn input(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn every_bad_field_gets_its_own_message_and_nothing_is_taken() {
        let bad = input(&[
            ("given_name", &"x".repeat(101)),
            ("phone", "call me"),
            ("country", "XX"),
            ("date_of_birth", "2030-01-01"),
            ("city", "Ber\u{7}lin"),
        ]);
        let Err(Error::Invalid(errors)) = validate(&all_optional(), &bad, &Profile::default(), today()) else {
            panic!()
        };
        let codes: Vec<(&str, &str)> = errors.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
        for expected in [
            ("given_name", "too_long"),
            ("phone", "invalid_phone"),
            ("country", "unknown_country"),
            ("date_of_birth", "in_future"),
            ("city", "invalid"),
        ] {
            assert!(codes.contains(&expected), "{expected:?} missing from {codes:?}");
        }
    }

    #[test]
    fn valid_input_is_trimmed_and_normalised() {
        let ok = input(&[
            ("given_name", " Ada "),
            ("country", "de"),
            ("date_of_birth", "1990-12-10"),
            ("phone", "+49 (30) 123-4567"),
        ]);
        let p = validate(&all_optional(), &ok, &Profile::default(), today()).unwrap();
        assert_eq!(p.given_name.as_deref(), Some("Ada"));
        assert_eq!(p.country.as_deref(), Some("DE"));
        assert_eq!(p.date_of_birth, Some(time::macros::date!(1990 - 12 - 10)));
    }

    #[test]
    fn required_fields_must_be_filled_and_hidden_ones_are_kept() {
        let fields = ProfileFields::default();
        let current = Profile { phone: Some("+1 555 0100".into()), ..Profile::default() };
        let Err(Error::Invalid(errors)) = validate(&fields, &input(&[("given_name", "Ada")]), &current, today()) else {
            panic!()
        };
        assert_eq!(
            errors.0.iter().map(|e| (e.field.as_str(), e.code)).collect::<Vec<_>>(),
            [("family_name", "required")]
        );
        let p = validate(
            &fields,
            &input(&[("given_name", "Ada"), ("family_name", "Lovelace"), ("phone", "1")]),
            &current,
            today(),
        )
        .unwrap();
        assert_eq!(p.phone.as_deref(), Some("+1 555 0100"), "a hidden field is not changed by the form");
        assert!(p.missing(&fields).is_empty());
        assert_eq!(Profile::default().missing(&fields), [ProfileField::GivenName, ProfileField::FamilyName]);
    }
}
