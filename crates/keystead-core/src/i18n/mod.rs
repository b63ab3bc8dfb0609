//! Languages: English, German and Turkish. Every text a person reads (pages, emails, form errors)
//! is a Fluent message in `locales/<lang>/<area>.ftl`, embedded at compile time and parsed the
//! first time its language is needed (`catalog.rs`). A missing message falls back to English;
//! the parity test (`tests.rs`) keeps every language complete with the same variables.

mod catalog;
pub mod countries;
mod format;
mod negotiate;
#[cfg(test)]
mod tests;

use fluent_bundle::{FluentArgs, FluentValue};

pub use negotiate::{from_accept_language, from_list};

/// A language the interface is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// English (the fallback of every message).
    #[default]
    En,
    /// German, formal ("Sie").
    De,
    /// Turkish.
    Tr,
}

/// A value for a message's variable: text, or a number (which also picks the plural form).
#[derive(Debug, Clone)]
pub enum Arg {
    /// Text, inserted as is (pages escape it when they render).
    Str(String),
    /// A number: formatted per language, and the selector of plural variants.
    Num(i64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Self::Str(s.to_owned())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Self::Str(s)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Self::Str(s.clone())
    }
}
impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Self::Num(n)
    }
}
impl From<usize> for Arg {
    fn from(n: usize) -> Self {
        Self::Num(i64::try_from(n).unwrap_or(i64::MAX))
    }
}
impl From<u32> for Arg {
    fn from(n: u32) -> Self {
        Self::Num(i64::from(n))
    }
}
impl From<&usize> for Arg {
    fn from(n: &usize) -> Self {
        Self::from(*n)
    }
}
impl From<&i64> for Arg {
    fn from(n: &i64) -> Self {
        Self::Num(*n)
    }
}
impl From<&u32> for Arg {
    fn from(n: &u32) -> Self {
        Self::Num(i64::from(*n))
    }
}
impl From<i32> for Arg {
    fn from(n: i32) -> Self {
        Self::Num(i64::from(n))
    }
}

impl Locale {
    /// Every language, in the order the switcher lists them.
    pub const ALL: [Self; 3] = [Self::En, Self::De, Self::Tr];

    /// The BCP 47 tag (`en`, `de`, `tr`): `<html lang>`, `users.locale`, the language cookie.
    pub const fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::De => "de",
            Self::Tr => "tr",
        }
    }

    /// The language's own name ("Deutsch"), as a switcher shows it.
    pub const fn native_name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::De => "Deutsch",
            Self::Tr => "Türkçe",
        }
    }

    /// The language of a tag such as `de`, `de-AT`, `tr_TR` or `EN-us` (its primary subtag);
    /// `None` for a language the interface is not written in.
    pub fn parse(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?;
        Self::ALL.into_iter().find(|l| primary.eq_ignore_ascii_case(l.tag()))
    }

    /// The message `key` in this language (English when this language lacks it; the key itself
    /// when no language has it, which the parity test prevents).
    pub fn t(self, key: &str) -> String {
        catalog::format(self, key, None).unwrap_or_else(|| key.to_owned())
    }

    /// The message `key` with variables.
    pub fn t_args(self, key: &str, args: &[(&str, Arg)]) -> String {
        let mut fluent = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            let value = match value {
                Arg::Str(s) => FluentValue::from(s.as_str()),
                Arg::Num(n) => FluentValue::from(*n),
            };
            fluent.set(*name, value);
        }
        catalog::format(self, key, Some(&fluent)).unwrap_or_else(|| key.to_owned())
    }

    /// The message `key` with one variable: `t1("members", "count", 2)`.
    pub fn t1(self, key: &str, name: &str, value: impl Into<Arg>) -> String {
        self.t_args(key, &[(name, value.into())])
    }

    /// The message `key` with two variables.
    pub fn t2(self, key: &str, name: &str, value: impl Into<Arg>, name2: &str, value2: impl Into<Arg>) -> String {
        self.t_args(key, &[(name, value.into()), (name2, value2.into())])
    }

    /// Whether `key` is a message (in English, which every language mirrors).
    pub fn has(key: &str) -> bool {
        catalog::has(key)
    }
}

impl std::fmt::Display for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag())
    }
}

impl crate::Core {
    /// The language to write to `user` in: the one they chose (or registered in), else the
    /// deployment's default.
    pub fn locale_of(&self, user: &crate::accounts::User) -> Locale {
        user.locale.as_deref().and_then(Locale::parse).unwrap_or(self.config().interface.default_locale)
    }
}

impl crate::Core {
    /// Sets the language `user` reads pages and emails in (`None`: their browser's, then the
    /// deployment's default). Audited as a profile change.
    pub async fn set_locale(
        &self,
        user: &crate::accounts::User,
        locale: Option<Locale>,
        meta: &crate::audit::RequestMeta,
    ) -> crate::error::Result<()> {
        let now = self.clock().now();
        let new = locale.map(Locale::tag);
        if user.locale.as_deref() == new {
            return Ok(());
        }
        let mut tx = self.store().begin().await?;
        crate::store::users::set_locale(tx.db(), user.id, new, now).await?;
        let details = serde_json::json!({"fields": ["locale"]});
        crate::audit::record(
            tx.db(),
            now,
            crate::audit::AuditAction::ProfileUpdated,
            Some(user.id),
            Some(user.id),
            meta,
            details,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
