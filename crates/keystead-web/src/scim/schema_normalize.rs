//! Incoming resources into canonical form ([`normalize`]) and outgoing ones cut to the asked-for
//! attributes ([`project`], RFC 7644 §3.4.2.5).

use serde_json::{Map, Number, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{AttrType, Attribute, Mutability, ResourceSchema, Returned, Schema, find};
use crate::scim::error::ScimError;
use crate::scim::filter::AttrPath;

/// Cleans an incoming resource (a POST or PUT body, or the result of a PATCH) into canonical form:
/// attribute names in their schema spelling, unknown and read-only attributes dropped, string
/// booleans and numbers converted, a single value of a multi-valued attribute wrapped in an array,
/// nulls and empty strings removed (RFC 7644 §3.5.2), extension attributes under their URN and
/// `schemas` rebuilt. A value of the wrong type or a missing required attribute is a 400
/// `invalidValue` naming the attribute.
pub fn normalize(resource: &ResourceSchema, body: &Value) -> Result<Value, ScimError> {
    let Value::Object(input) = body else {
        return Err(ScimError::invalid_syntax("the resource must be a JSON object"));
    };
    let mut core = Map::new();
    let mut extensions: Vec<Map<String, Value>> = resource.extensions.iter().map(|_| Map::new()).collect();
    for (key, value) in input {
        if key.eq_ignore_ascii_case("schemas") {
            continue;
        }
        if let Some(index) = resource.extensions.iter().position(|s| s.id.eq_ignore_ascii_case(key)) {
            let ext = resource.extensions[index];
            match value {
                Value::Object(inner) => {
                    for (k, v) in inner {
                        let Ok(mut path) = AttrPath::parse(k) else { continue };
                        path.uri = Some(ext.id.to_owned());
                        place(resource, &path, v, &mut core, &mut extensions)?;
                    }
                }
                Value::Null => {}
                _ => return Err(ScimError::invalid_value(format!("\"{}\" must be an object", ext.id))),
            }
            continue;
        }
        if let Ok(path) = AttrPath::parse(key) {
            place(resource, &path, value, &mut core, &mut extensions)?;
        }
    }
    let missing: Vec<&str> =
        resource.core.attributes.iter().filter(|a| a.required && !core.contains_key(a.name)).map(|a| a.name).collect();
    if !missing.is_empty() {
        return Err(ScimError::invalid_value(format!("required attribute missing: {}", missing.join(", "))));
    }
    let mut schemas = vec![Value::from(resource.core.id)];
    for (ext, attributes) in resource.extensions.iter().zip(extensions) {
        if !attributes.is_empty() {
            schemas.push(Value::from(ext.id));
            core.insert(ext.id.to_owned(), Value::Object(attributes));
        }
    }
    core.insert("schemas".to_owned(), Value::Array(schemas));
    Ok(Value::Object(core))
}

/// Puts one incoming attribute (or sub-attribute, for a key like `name.givenName`) in its place.
fn place(
    resource: &ResourceSchema,
    path: &AttrPath,
    value: &Value,
    core: &mut Map<String, Value>,
    extensions: &mut [Map<String, Value>],
) -> Result<(), ScimError> {
    let Some(found) = find(resource, path) else { return Ok(()) };
    if found.attribute.mutability == Mutability::ReadOnly {
        return Ok(());
    }
    let container = match resource.extensions.iter().position(|s| std::ptr::eq(*s, found.schema)) {
        Some(index) => &mut extensions[index],
        None => core,
    };
    let name = found.attribute.name;
    let full = display_path(found.schema, found.attribute, found.sub);
    match found.sub {
        None => {
            let Some(new) = normalize_value(found.attribute, &full, value)? else { return Ok(()) };
            match (container.get_mut(name), new) {
                (Some(Value::Object(old)), Value::Object(new)) if !found.attribute.multi_valued => old.extend(new),
                (_, new) => drop(container.insert(name.to_owned(), new)),
            }
        }
        // `emails.value` as a key has no element to go into.
        Some(_) if found.attribute.multi_valued => {}
        Some(sub) if sub.mutability == Mutability::ReadOnly => {}
        Some(sub) => {
            let Some(new) = normalize_value(sub, &full, value)? else { return Ok(()) };
            let entry = container.entry(name).or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(object) = entry {
                object.insert(sub.name.to_owned(), new);
            }
        }
    }
    Ok(())
}

/// How a path is written in error details: `name.givenName`, `urn:…:User:manager.value`.
pub(crate) fn display_path(schema: &Schema, attribute: &Attribute, sub: Option<&Attribute>) -> String {
    let prefix = if schema.id == super::USER_SCHEMA || schema.id == super::GROUP_SCHEMA {
        String::new()
    } else {
        format!("{}:", schema.id)
    };
    match sub {
        Some(sub) => format!("{prefix}{}.{}", attribute.name, sub.name),
        None => format!("{prefix}{}", attribute.name),
    }
}

/// One attribute's value in canonical form, or `None` when it unassigns the attribute (null, "",
/// an empty array or object). `path` names the attribute in an error.
pub fn normalize_value(attribute: &Attribute, path: &str, value: &Value) -> Result<Option<Value>, ScimError> {
    if !attribute.multi_valued {
        return normalize_single(attribute, path, value);
    }
    let items = match value {
        Value::Array(items) => items.as_slice(),
        other => std::slice::from_ref(other),
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        if let Some(v) = normalize_single(attribute, path, item)? {
            out.push(v);
        }
    }
    Ok((!out.is_empty()).then_some(Value::Array(out)))
}

fn normalize_single(attribute: &Attribute, path: &str, value: &Value) -> Result<Option<Value>, ScimError> {
    let wrong = |expected: &str| ScimError::invalid_value(format!("\"{path}\" must be {expected}"));
    let v = match (attribute.kind, value) {
        (_, Value::Null) => return Ok(None),
        (_, Value::String(s)) if s.is_empty() => return Ok(None),
        (AttrType::Complex, Value::Object(object)) => return normalize_complex(attribute, path, object),
        // A bare value for a complex attribute with a `value` (`"manager": "<id>"`).
        (AttrType::Complex, Value::String(_)) if attribute.sub("value").is_some() => {
            let object = Map::from_iter([("value".to_owned(), value.clone())]);
            return normalize_complex(attribute, path, &object);
        }
        (AttrType::Complex, _) => return Err(wrong("an object")),
        (AttrType::Boolean, Value::Bool(b)) => Value::Bool(*b),
        (AttrType::Boolean, Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(wrong("a boolean")),
        },
        (AttrType::Boolean, _) => return Err(wrong("a boolean")),
        (AttrType::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => value.clone(),
        (AttrType::Integer, Value::String(s)) => s.trim().parse::<i64>().map_err(|_| wrong("an integer"))?.into(),
        (AttrType::Integer, _) => return Err(wrong("an integer")),
        (AttrType::Decimal, Value::Number(_)) => value.clone(),
        (AttrType::Decimal, Value::String(s)) => s
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| wrong("a number"))?,
        (AttrType::Decimal, _) => return Err(wrong("a number")),
        (AttrType::DateTime, Value::String(s)) if OffsetDateTime::parse(s, &Rfc3339).is_ok() => value.clone(),
        (AttrType::DateTime, _) => return Err(wrong("an RFC 3339 date-time")),
        (AttrType::String | AttrType::Reference | AttrType::Binary, Value::String(_)) => value.clone(),
        (AttrType::String | AttrType::Reference | AttrType::Binary, _) => return Err(wrong("a string")),
    };
    Ok(Some(v))
}

fn normalize_complex(
    attribute: &Attribute,
    path: &str,
    object: &Map<String, Value>,
) -> Result<Option<Value>, ScimError> {
    let mut out = Map::new();
    for (key, value) in object {
        let Some(sub) = attribute.sub(key) else { continue };
        if sub.mutability == Mutability::ReadOnly {
            continue;
        }
        if let Some(v) = normalize_single(sub, &format!("{path}.{}", sub.name), value)? {
            out.insert(sub.name.to_owned(), v);
        }
    }
    Ok((!out.is_empty()).then_some(Value::Object(out)))
}

/// One `attributes` or `excludedAttributes` entry, resolved.
struct Selected {
    schema: &'static str,
    /// `None`: the whole extension (its URN was listed).
    attr: Option<&'static str>,
    sub: Option<&'static str>,
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Default,
    Only,
    Except,
}

/// Applies the `attributes` / `excludedAttributes` query parameters (RFC 7644 §3.4.2.5) to a
/// resource in canonical form: comma-separated paths, case-insensitive, sub-attributes and
/// extension URN paths allowed. `returned: always` attributes (and `schemas`) stay, `never` ones
/// go, `request` ones stay only when asked for. `attributes` wins when both are given.
pub fn project(resource: &ResourceSchema, doc: &Value, attributes: Option<&str>, excluded: Option<&str>) -> Value {
    let Value::Object(map) = doc else { return doc.clone() };
    let (attributes, excluded) =
        (attributes.filter(|s| !s.trim().is_empty()), excluded.filter(|s| !s.trim().is_empty()));
    let (mode, selected) = match (attributes, excluded) {
        (Some(list), _) => (Mode::Only, selection(resource, list)),
        (None, Some(list)) => (Mode::Except, selection(resource, list)),
        (None, None) => (Mode::Default, Vec::new()),
    };
    let mut out = Map::new();
    let mut dropped_extensions = Vec::new();
    for (key, value) in map {
        if key == "schemas" {
            out.insert(key.clone(), value.clone());
        } else if let Some(ext) = resource.extension(key) {
            let mut inner = Map::new();
            for (k, v) in value.as_object().into_iter().flatten() {
                if let Some(v) = project_key(ext, k, v, &selected, mode) {
                    inner.insert(k.clone(), v);
                }
            }
            if inner.is_empty() {
                dropped_extensions.push(ext.id);
            } else {
                out.insert(key.clone(), Value::Object(inner));
            }
        } else if let Some(v) = project_key(resource.core, key, value, &selected, mode) {
            out.insert(key.clone(), v);
        }
    }
    if let Some(Value::Array(schemas)) = out.get_mut("schemas") {
        schemas.retain(|s| !s.as_str().is_some_and(|s| dropped_extensions.contains(&s)));
    }
    Value::Object(out)
}

fn selection(resource: &ResourceSchema, list: &str) -> Vec<Selected> {
    let mut out = Vec::new();
    for item in list.split(',').map(str::trim) {
        if let Some(ext) = resource.extension(item) {
            out.push(Selected { schema: ext.id, attr: None, sub: None });
        } else if let Some(found) = AttrPath::parse(item).ok().and_then(|p| find(resource, &p)) {
            let sub = found.sub.map(|s| s.name);
            out.push(Selected { schema: found.schema.id, attr: Some(found.attribute.name), sub });
        }
    }
    out
}

fn project_key(schema: &Schema, key: &str, value: &Value, selected: &[Selected], mode: Mode) -> Option<Value> {
    let Some(attribute) = schema.attributes.iter().find(|a| a.name.eq_ignore_ascii_case(key)) else {
        // Not ours to judge (the caller added it); keep it unless only named attributes are wanted.
        return (mode != Mode::Only).then(|| value.clone());
    };
    match attribute.returned {
        Returned::Never => return None,
        Returned::Always => return Some(value.clone()),
        Returned::Default | Returned::Request => {}
    }
    let mine = |s: &&Selected| s.schema == schema.id && s.attr.is_none_or(|a| a == attribute.name);
    let whole = selected.iter().filter(mine).any(|s| s.attr.is_none() || s.sub.is_none());
    let subs: Vec<&str> = selected.iter().filter(mine).filter_map(|s| s.sub).collect();
    let usual = |s: &Attribute| !matches!(s.returned, Returned::Never | Returned::Request);
    match mode {
        Mode::Default if attribute.returned == Returned::Request => None,
        Mode::Default => keep_subs(attribute, value, &|s| s.is_none_or(usual)),
        Mode::Only if whole => keep_subs(attribute, value, &|s| s.is_none_or(|s| s.returned != Returned::Never)),
        Mode::Only if !subs.is_empty() => keep_subs(attribute, value, &|s| {
            s.is_some_and(|s| {
                s.returned == Returned::Always || (subs.contains(&s.name) && s.returned != Returned::Never)
            })
        }),
        Mode::Only => None,
        Mode::Except if whole || attribute.returned == Returned::Request => None,
        Mode::Except => keep_subs(attribute, value, &|s| {
            s.is_none_or(|s| s.returned == Returned::Always || (usual(s) && !subs.contains(&s.name)))
        }),
    }
}

/// The value with only the sub-attributes `keep` accepts (`None`: a key that is no sub-attribute);
/// elements and objects left empty are dropped.
fn keep_subs(attribute: &Attribute, value: &Value, keep: &dyn Fn(Option<&Attribute>) -> bool) -> Option<Value> {
    if attribute.kind != AttrType::Complex {
        return Some(value.clone());
    }
    let filter = |v: &Value| -> Option<Value> {
        let Value::Object(object) = v else { return Some(v.clone()) };
        let kept: Map<String, Value> =
            object.iter().filter(|(k, _)| keep(attribute.sub(k))).map(|(k, v)| (k.clone(), v.clone())).collect();
        (!kept.is_empty()).then_some(Value::Object(kept))
    };
    match value {
        Value::Array(items) => {
            let kept: Vec<Value> = items.iter().filter_map(filter).collect();
            (!kept.is_empty()).then_some(Value::Array(kept))
        }
        other => filter(other),
    }
}
