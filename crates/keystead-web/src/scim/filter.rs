//! SCIM filters (RFC 7644 §3.4.2.2): attribute paths, a hand-written parser for
//! `userName eq "x" and emails[type eq "work"]`, and matching against a resource document.

use std::cmp::Ordering;
use std::fmt;

use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::error::ScimError;
use super::schema::{self, AttrType, Attribute, ResourceSchema, get_ci};

/// The longest filter accepted, in bytes.
pub const MAX_FILTER_LEN: usize = 4096;
/// The deepest nesting (parentheses, `not`, value filters) accepted.
pub const MAX_DEPTH: usize = 32;

/// An attribute path (RFC 7644 §3.10): `userName`, `name.familyName`,
/// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrPath {
    /// The schema URN, when the path starts with one.
    pub uri: Option<String>,
    /// The attribute name, as written.
    pub attr: String,
    /// The sub-attribute name, as written.
    pub sub: Option<String>,
}

impl AttrPath {
    /// Parses a path; anything else is a 400 `invalidPath`.
    pub fn parse(s: &str) -> Result<AttrPath, ScimError> {
        let invalid = || ScimError::invalid_path(format!("\"{s}\" is not an attribute path"));
        let (uri, rest) = match s.get(..4) {
            // The URN itself contains dots ("2.0"), so it ends at the last colon.
            Some(p) if p.eq_ignore_ascii_case("urn:") => {
                let (uri, rest) = s.rsplit_once(':').ok_or_else(invalid)?;
                (Some(uri.to_owned()), rest)
            }
            _ => (None, s),
        };
        let (attr, sub) = match rest.split_once('.') {
            Some((attr, sub)) => (attr, Some(sub)),
            None => (rest, None),
        };
        if !is_attr_name(attr) || sub.is_some_and(|sub| !is_attr_name(sub)) || uri.as_deref() == Some("urn") {
            return Err(invalid());
        }
        Ok(AttrPath { uri, attr: attr.to_owned(), sub: sub.map(str::to_owned) })
    }
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(uri) = &self.uri {
            write!(f, "{uri}:")?;
        }
        f.write_str(&self.attr)?;
        if let Some(sub) = &self.sub {
            write!(f, ".{sub}")?;
        }
        Ok(())
    }
}

/// ATTRNAME (RFC 7643 §2.1), and `$ref`.
fn is_attr_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A comparison operator (RFC 7644 Table 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    /// Equal.
    Eq,
    /// Not equal.
    Ne,
    /// Contains.
    Co,
    /// Starts with.
    Sw,
    /// Ends with.
    Ew,
    /// Greater than.
    Gt,
    /// Greater than or equal.
    Ge,
    /// Less than.
    Lt,
    /// Less than or equal.
    Le,
}

impl CompareOp {
    const ALL: [CompareOp; 9] =
        [Self::Eq, Self::Ne, Self::Co, Self::Sw, Self::Ew, Self::Gt, Self::Ge, Self::Lt, Self::Le];

    /// The operator as written in a filter.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "eq",
            Self::Ne => "ne",
            Self::Co => "co",
            Self::Sw => "sw",
            Self::Ew => "ew",
            Self::Gt => "gt",
            Self::Ge => "ge",
            Self::Lt => "lt",
            Self::Le => "le",
        }
    }

    fn from_word(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.as_str().eq_ignore_ascii_case(word))
    }

    fn is_ordering(self) -> bool {
        matches!(self, Self::Gt | Self::Ge | Self::Lt | Self::Le)
    }
}

/// A parsed filter (RFC 7644 §3.4.2.2).
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// `path op value`.
    Compare {
        /// The attribute compared.
        path: AttrPath,
        /// The operator.
        op: CompareOp,
        /// The literal: a string, number, boolean or null.
        value: Value,
    },
    /// `path pr`.
    Present(AttrPath),
    /// `a and b`.
    And(Box<Filter>, Box<Filter>),
    /// `a or b`.
    Or(Box<Filter>, Box<Filter>),
    /// `not (a)`.
    Not(Box<Filter>),
    /// `emails[type eq "work"]`: some value of `attr` matches `filter`, whose paths name its
    /// sub-attributes.
    ValuePath {
        /// The multi-valued (or complex) attribute.
        attr: AttrPath,
        /// The filter over its sub-attributes.
        filter: Box<Filter>,
    },
}

/// The attributes a store can look up by index with [`Filter::simple_eq`].
const INDEXED: [&str; 4] = ["id", "externalId", "userName", "displayName"];

impl Filter {
    /// `userName eq "x"`, `externalId eq "x"`, `id eq "x"` or `displayName eq "x"` alone (any case
    /// of the name, the core URN prefix allowed): the attribute's schema spelling and the value, so
    /// the caller can look it up by index.
    pub fn simple_eq(&self, resource: &ResourceSchema) -> Option<(&'static str, &str)> {
        let Filter::Compare { path, op: CompareOp::Eq, value: Value::String(value) } = self else { return None };
        let found = schema::find(resource, path)?;
        let name = found.attribute.name;
        (found.sub.is_none() && found.schema.id == resource.core.id && INDEXED.contains(&name))
            .then_some((name, value.as_str()))
    }
}

#[path = "filter_parse.rs"]
mod parser;

pub use parser::parse;

/// Checks what parsing cannot: ordering operators (`gt`, `ge`, `lt`, `le`) on boolean or binary
/// attributes, and date-times that are not RFC 3339, are a 400 `invalidFilter` (RFC 7644
/// §3.4.2.2). Unknown attributes are not an error; they match nothing.
pub fn validate(resource: &ResourceSchema, filter: &Filter) -> Result<(), ScimError> {
    validate_in(&Scope::Resource(resource, &Value::Null), filter)
}

fn validate_in(scope: &Scope<'_>, filter: &Filter) -> Result<(), ScimError> {
    match filter {
        Filter::And(a, b) | Filter::Or(a, b) => validate_in(scope, a).and_then(|()| validate_in(scope, b)),
        Filter::Not(inner) => validate_in(scope, inner),
        Filter::Present(_) => Ok(()),
        Filter::ValuePath { attr, filter } => match resolve(scope, attr, false) {
            Some(resolved) => validate_in(&Scope::Element(resolved.attribute, &Value::Null), filter),
            None => Ok(()),
        },
        Filter::Compare { path, op, value } => {
            let Some(resolved) = resolve(scope, path, true) else { return Ok(()) };
            let kind = resolved.leaf.kind;
            if op.is_ordering() && matches!(kind, AttrType::Boolean | AttrType::Binary) {
                return Err(ScimError::invalid_filter(format!("\"{path}\" cannot be compared with {}", op.as_str())));
            }
            if kind == AttrType::DateTime && !value.is_null() && as_time(value).is_none() {
                return Err(ScimError::invalid_filter(format!(
                    "\"{path}\" is a date-time; {value} is not an RFC 3339 date-time"
                )));
            }
            Ok(())
        }
    }
}

/// Whether a resource document (canonical form, extensions under their URN) matches.
pub fn matches(resource: &ResourceSchema, filter: &Filter, doc: &Value) -> bool {
    eval(&Scope::Resource(resource, doc), filter)
}

/// Whether one value of a multi-valued attribute (an element of `emails`) matches a filter over
/// its sub-attributes (the `type eq "work"` of `emails[type eq "work"]`).
pub fn matches_element(attribute: &Attribute, filter: &Filter, element: &Value) -> bool {
    eval(&Scope::Element(attribute, element), filter)
}

/// What paths are resolved against: a resource, or one value of a complex attribute.
enum Scope<'a> {
    Resource(&'a ResourceSchema, &'a Value),
    Element(&'a Attribute, &'a Value),
}

/// A path resolved: its attribute, the definition its values have, and the values found.
struct Resolved<'a> {
    attribute: &'a Attribute,
    leaf: &'a Attribute,
    values: Vec<&'a Value>,
}

/// Resolves a path; `compare` makes a complex attribute without a sub-attribute stand for its
/// `value` (`emails co "x"`, RFC 7644 §3.4.2.2).
fn resolve<'a>(scope: &Scope<'a>, path: &AttrPath, compare: bool) -> Option<Resolved<'a>> {
    let (attribute, sub, raw) = match *scope {
        Scope::Resource(resource, doc) => {
            let found = schema::find(resource, path)?;
            let container = if found.schema.id == resource.core.id { Some(doc) } else { get_ci(doc, found.schema.id) };
            (found.attribute, found.sub, container.and_then(|c| get_ci(c, found.attribute.name)))
        }
        Scope::Element(parent, element) => {
            let sub = parent.sub(&path.attr).filter(|_| path.sub.is_none())?;
            (sub, None, get_ci(element, sub.name))
        }
    };
    let sub = match sub {
        None if compare && attribute.kind == AttrType::Complex => Some(attribute.sub("value")?),
        other => other,
    };
    let elements: Vec<&Value> = match raw {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(v) => vec![v],
        None => Vec::new(),
    };
    let values = match sub {
        Some(sub) => elements.into_iter().filter_map(|e| get_ci(e, sub.name)).collect(),
        None => elements,
    };
    Some(Resolved { attribute, leaf: sub.unwrap_or(attribute), values })
}

fn eval(scope: &Scope<'_>, filter: &Filter) -> bool {
    match filter {
        Filter::And(a, b) => eval(scope, a) && eval(scope, b),
        Filter::Or(a, b) => eval(scope, a) || eval(scope, b),
        Filter::Not(inner) => !eval(scope, inner),
        Filter::Present(path) => resolve(scope, path, false).is_some_and(|r| r.values.into_iter().any(is_present)),
        Filter::ValuePath { attr, filter } => match scope {
            Scope::Resource(..) => resolve(scope, attr, false).is_some_and(|r| {
                r.values.into_iter().any(|e| e.is_object() && eval(&Scope::Element(r.attribute, e), filter))
            }),
            Scope::Element(..) => false,
        },
        Filter::Compare { path, op, value } => {
            let Some(resolved) = resolve(scope, path, true) else { return false };
            let present: Vec<&Value> = resolved.values.into_iter().filter(|v| is_present(v)).collect();
            match (op, value) {
                (CompareOp::Eq, Value::Null) => present.is_empty(),
                (CompareOp::Ne, Value::Null) => !present.is_empty(),
                (_, Value::Null) => false,
                (CompareOp::Ne, _) if present.is_empty() => true,
                _ => present.into_iter().any(|v| compare(resolved.leaf, *op, v, value)),
            }
        }
    }
}

/// Present and not empty: not null, "", [] or {}.
fn is_present(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => a.iter().any(is_present),
        Value::Object(o) => !o.is_empty(),
        Value::Bool(_) | Value::Number(_) => true,
    }
}

fn compare(attribute: &Attribute, op: CompareOp, stored: &Value, wanted: &Value) -> bool {
    match attribute.kind {
        AttrType::Boolean => match (as_bool(stored), as_bool(wanted)) {
            (Some(a), Some(b)) => by_order(op, a.cmp(&b)).unwrap_or(false),
            _ => false,
        },
        AttrType::Integer | AttrType::Decimal => match (as_f64(stored), as_f64(wanted)) {
            (Some(a), Some(b)) => a.partial_cmp(&b).and_then(|o| by_order(op, o)).unwrap_or(false),
            _ => false,
        },
        AttrType::DateTime => match (as_time(stored), as_time(wanted)) {
            (Some(a), Some(b)) if op != CompareOp::Co && op != CompareOp::Sw && op != CompareOp::Ew => {
                by_order(op, a.cmp(&b)).unwrap_or(false)
            }
            _ => compare_strings(op, stored, wanted, true),
        },
        AttrType::String | AttrType::Reference | AttrType::Binary | AttrType::Complex => {
            compare_strings(op, stored, wanted, attribute.case_exact)
        }
    }
}

/// The outcome of an equality or ordering operator; `None` for `co`, `sw`, `ew`.
fn by_order(op: CompareOp, order: Ordering) -> Option<bool> {
    Some(match op {
        CompareOp::Eq => order.is_eq(),
        CompareOp::Ne => order.is_ne(),
        CompareOp::Gt => order.is_gt(),
        CompareOp::Ge => order.is_ge(),
        CompareOp::Lt => order.is_lt(),
        CompareOp::Le => order.is_le(),
        CompareOp::Co | CompareOp::Sw | CompareOp::Ew => return None,
    })
}

fn compare_strings(op: CompareOp, stored: &Value, wanted: &Value, case_exact: bool) -> bool {
    let (Some(a), Some(b)) = (as_text(stored), as_text(wanted)) else { return false };
    let (a, b) = if case_exact { (a, b) } else { (a.to_lowercase(), b.to_lowercase()) };
    match op {
        CompareOp::Co => a.contains(&b),
        CompareOp::Sw => a.starts_with(&b),
        CompareOp::Ew => a.ends_with(&b),
        _ => by_order(op, a.cmp(&b)).unwrap_or(false),
    }
}

fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A boolean, or a string spelling one in any case (Entra ID sends `"True"`).
pub(crate) fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn as_time(v: &Value) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(v.as_str()?, &Rfc3339).ok()
}

#[cfg(test)]
#[path = "filter_tests.rs"]
mod tests;
