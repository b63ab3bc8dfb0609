//! Typed reads from the merged configuration that collect every error with its key path.

use std::collections::{BTreeSet, HashMap};
use std::ops::RangeInclusive;

use config::{Value, ValueKind};

/// One configuration problem, named by its key path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The key path (`mail.smtp.port`), or the file for a syntax error.
    pub key: String,
    /// What is wrong and what is expected.
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.key, self.message)
    }
}

/// Reads settings one by one, remembering which keys exist and every error met.
pub(crate) struct Reader {
    values: HashMap<String, Value>,
    pub(crate) errors: Vec<ConfigError>,
    pub(crate) read: BTreeSet<String>,
}

fn describe(v: &Value) -> String {
    match &v.kind {
        ValueKind::String(s) => format!("{s:?}"),
        ValueKind::Table(_) => "a table".to_owned(),
        ValueKind::Array(_) => "a list".to_owned(),
        ValueKind::Nil => "nothing".to_owned(),
        other => other.to_string(),
    }
}

/// Flattens nested tables into `a.b.c` keys; lists stay whole.
pub(crate) fn flatten(prefix: &str, value: Value, out: &mut HashMap<String, Value>) {
    match value.kind {
        ValueKind::Table(table) => {
            for (k, v) in table {
                let key = if prefix.is_empty() { k } else { format!("{prefix}.{k}") };
                flatten(&key, v, out);
            }
        }
        _ => {
            out.insert(prefix.to_owned(), value);
        }
    }
}

impl Reader {
    pub(crate) fn new(values: HashMap<String, Value>) -> Self {
        Self { values, errors: Vec::new(), read: BTreeSet::new() }
    }

    pub(crate) fn error(&mut self, key: &str, message: impl Into<String>) {
        self.errors.push(ConfigError { key: key.to_owned(), message: message.into() });
    }

    fn raw(&mut self, key: &str) -> Option<Value> {
        self.read.insert(key.to_owned());
        self.values.get(key).cloned().filter(|v| !matches!(v.kind, ValueKind::Nil))
    }

    /// True when the key is set (to anything).
    pub(crate) fn raw_present(&mut self, key: &str) -> bool {
        self.raw(key).is_some()
    }

    /// A string setting; `None` when absent or empty.
    pub(crate) fn opt_string(&mut self, key: &str) -> Option<String> {
        let v = self.raw(key)?;
        match v.kind {
            ValueKind::Table(_) | ValueKind::Array(_) => {
                let got = describe(&v);
                self.error(key, format!("expected text, got {got}"));
                None
            }
            _ => v.into_string().ok().filter(|s| !s.trim().is_empty()),
        }
    }

    /// A string setting with a default.
    pub(crate) fn string(&mut self, key: &str, default: &str) -> String {
        self.opt_string(key).unwrap_or_else(|| default.to_owned())
    }

    /// A whole number within `range`.
    pub(crate) fn number(&mut self, key: &str, default: i64, range: RangeInclusive<i64>) -> i64 {
        let Some(v) = self.raw(key) else {
            return default;
        };
        let got = describe(&v);
        let expected = format!("expected a number from {} to {}", range.start(), range.end());
        match v.into_int() {
            Ok(n) if range.contains(&n) => n,
            _ => {
                self.error(key, format!("{expected} (got {got})"));
                default
            }
        }
    }

    /// `true` or `false`.
    pub(crate) fn boolean(&mut self, key: &str, default: bool) -> bool {
        let Some(v) = self.raw(key) else {
            return default;
        };
        let got = describe(&v);
        match v.kind {
            ValueKind::Boolean(b) => b,
            ValueKind::String(ref s) if s == "true" || s == "false" => s == "true",
            _ => {
                self.error(key, format!("expected true or false (got {got})"));
                default
            }
        }
    }

    /// One of a closed set of words.
    pub(crate) fn choice(&mut self, key: &str, default: &'static str, options: &[&'static str]) -> &'static str {
        let Some(s) = self.opt_string(key) else {
            return default;
        };
        if let Some(found) = options.iter().find(|o| o.eq_ignore_ascii_case(s.trim())) {
            return found;
        }
        self.error(key, format!("expected one of {} (got {s:?})", options.join(", ")));
        default
    }

    /// A value parsed from text by `parse`, which says what it expected on failure.
    pub(crate) fn parsed<T>(&mut self, key: &str, parse: impl FnOnce(&str) -> Result<T, String>) -> Option<T> {
        let s = self.opt_string(key)?;
        match parse(s.trim()) {
            Ok(v) => Some(v),
            Err(expected) => {
                self.error(key, format!("{expected} (got {s:?})"));
                None
            }
        }
    }

    /// A list of text items: a TOML array, or a comma-separated string from the environment.
    pub(crate) fn list(&mut self, key: &str) -> Vec<String> {
        let Some(v) = self.raw(key) else {
            return Vec::new();
        };
        let got = describe(&v);
        match v.kind {
            ValueKind::String(s) => s.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect(),
            ValueKind::Array(items) => {
                let mut out = Vec::new();
                for item in items {
                    match item.into_string() {
                        Ok(s) => out.push(s.trim().to_owned()),
                        Err(_) => self.error(key, "expected a list of text items"),
                    }
                }
                out
            }
            _ => {
                self.error(key, format!("expected a list of text items (got {got})"));
                Vec::new()
            }
        }
    }

    /// Keys present in `values` that no read asked for: likely typos.
    pub(crate) fn unknown_keys(&self, present: &HashMap<String, Value>) -> Vec<String> {
        let mut unknown: Vec<String> = present
            .keys()
            .filter(|k| !self.read.contains(*k) && !self.read.iter().any(|r| k.starts_with(&format!("{r}."))))
            .cloned()
            .collect();
        unknown.sort();
        unknown
    }
}
