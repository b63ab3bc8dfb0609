//! The effect of one add, replace or remove on a resolved target (RFC 7644 §3.5.2.1–3).

use serde_json::{Map, Value};

use super::{CompareOp, Filter, Op, Target};
use crate::scim::error::ScimError;
use crate::scim::filter::{AttrPath, as_bool, matches_element};
use crate::scim::schema::{AttrType, Attribute, Mutability, Schema, normalize_value};

/// The object holding a schema's attributes: the document itself for the core schema, the
/// object under the extension's URN otherwise (made when `create`).
pub(super) fn container<'d>(doc: &'d mut Value, schema: &Schema, create: bool) -> Option<&'d mut Map<String, Value>> {
    let root = doc.as_object_mut()?;
    if !schema.id.contains(":extension:") {
        return Some(root);
    }
    let slot = if create {
        Some(slot_or_insert(root, schema.id, || Value::Object(Map::new())))
    } else {
        slot(root, schema.id)
    }?;
    if create && !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    slot.as_object_mut()
}

/// The member named `name` in any case, renamed to `name` when it was spelled otherwise.
fn slot<'m>(map: &'m mut Map<String, Value>, name: &str) -> Option<&'m mut Value> {
    if !map.contains_key(name) {
        let other = map.keys().find(|k| k.eq_ignore_ascii_case(name)).cloned()?;
        let value = map.remove(&other)?;
        map.insert(name.to_owned(), value);
    }
    map.get_mut(name)
}

fn slot_or_insert<'m>(map: &'m mut Map<String, Value>, name: &str, make: impl FnOnce() -> Value) -> &'m mut Value {
    if slot(map, name).is_none() {
        map.insert(name.to_owned(), make());
    }
    map.entry(name).or_insert(Value::Null)
}

/// Takes the array of a multi-valued attribute out of the map (empty when absent); put it back
/// with `map.insert` (and [`tidy`] drops it when it is left empty).
fn take_array(map: &mut Map<String, Value>, name: &str) -> Vec<Value> {
    match slot(map, name).map(Value::take) {
        Some(Value::Array(items)) => items,
        _ => Vec::new(),
    }
}

/// Add or replace at a target.
pub(super) fn write(doc: &mut Value, t: &Target<'_>, op: Op, value: &Value) -> Result<(), ScimError> {
    let map =
        container(doc, t.schema, true).ok_or_else(|| ScimError::invalid_syntax("the resource is not an object"))?;
    let name = t.attribute.name;
    match (t.filter, t.sub) {
        (None, None) => {
            let new = normalize_value(t.attribute, &t.label, value)?;
            match new {
                None if op == Op::Replace => drop(map.remove(name)),
                None => {}
                Some(Value::Array(new)) if op == Op::Add => {
                    let mut items = take_array(map, name);
                    append(t.attribute, &mut items, new);
                    map.insert(name.to_owned(), Value::Array(items));
                }
                Some(Value::Array(mut new)) => {
                    let all: Vec<usize> = (0..new.len()).collect();
                    one_primary(&mut new, &all);
                    map.insert(name.to_owned(), Value::Array(new));
                }
                Some(Value::Object(new)) => merge(slot_or_insert(map, name, || Value::Object(Map::new())), new),
                Some(new) => drop(map.insert(name.to_owned(), new)),
            }
        }
        (None, Some(sub)) if t.attribute.multi_valued => {
            let new = normalize_value(sub, &t.label, value)?;
            let mut items = take_array(map, name);
            if items.is_empty() {
                items.extend(new.map(|new| Value::Object(Map::from_iter([(sub.name.to_owned(), new)]))));
            } else {
                let all: Vec<usize> = (0..items.len()).collect();
                set_sub(&mut items, &all, sub, new);
            }
            map.insert(name.to_owned(), Value::Array(items));
        }
        (None, Some(sub)) => {
            let new = normalize_value(sub, &t.label, value)?;
            let object = slot_or_insert(map, name, || Value::Object(Map::new()));
            match (new, object) {
                (Some(new), object) => merge(object, Map::from_iter([(sub.name.to_owned(), new)])),
                (None, Value::Object(object)) => drop(object.remove(sub.name)),
                (None, _) => {}
            }
        }
        (Some(filter), sub) => {
            let mut items = take_array(map, name);
            let result = write_filtered(&mut items, t, filter, sub, op, value);
            map.insert(name.to_owned(), Value::Array(items));
            result?;
        }
    }
    tidy(doc, t);
    Ok(())
}

/// Merges sub-attributes into a complex value (RFC 7644 §3.5.2.1, §3.5.2.3). A different `value`
/// names another resource (a new manager), so what described the old one (`$ref`, `displayName`)
/// goes with it.
fn merge(old: &mut Value, new: Map<String, Value>) {
    match old {
        Value::Object(old) if new.get("value").is_none_or(|v| old.get("value") == Some(v)) => old.extend(new),
        other => *other = Value::Object(new),
    }
}

/// Add or replace in the values a filter selects (`emails[type eq "work"].value`).
fn write_filtered(
    items: &mut Vec<Value>,
    t: &Target<'_>,
    filter: &Filter,
    sub: Option<&Attribute>,
    op: Op,
    value: &Value,
) -> Result<(), ScimError> {
    let mut matched: Vec<usize> =
        (0..items.len()).filter(|&i| matches_element(t.attribute, filter, &items[i])).collect();
    if matched.is_empty() {
        if op == Op::Replace {
            return Err(ScimError::no_target(format!("no value of \"{}\" matches the filter", t.label)));
        }
        // An add that matches nothing makes the value the filter describes.
        let element = element_from(t.attribute, filter).ok_or_else(|| {
            ScimError::no_target(format!("no value of \"{}\" matches, and the filter does not describe one", t.label))
        })?;
        items.push(Value::Object(element));
        matched.push(items.len() - 1);
    }
    match sub {
        Some(sub) => set_sub(items, &matched, sub, normalize_value(sub, &t.label, value)?),
        None => {
            let new = match normalize_value(t.attribute, &t.label, value)? {
                Some(Value::Array(mut new)) if !new.is_empty() => Some(new.swap_remove(0)),
                _ => None,
            };
            for &i in &matched {
                match (&mut items[i], &new) {
                    (Value::Object(old), Some(Value::Object(new))) if op == Op::Add => old.extend(new.clone()),
                    (old, Some(new)) => *old = new.clone(),
                    (old, None) => *old = Value::Null,
                }
            }
            items.retain(|v| !v.is_null());
            matched.retain(|&i| i < items.len());
        }
    }
    one_primary(items, &matched);
    Ok(())
}

/// Sets (or, for `None`, removes) a sub-attribute in the values at `indices`.
fn set_sub(items: &mut [Value], indices: &[usize], sub: &Attribute, new: Option<Value>) {
    for &i in indices {
        if let Some(Value::Object(object)) = items.get_mut(i) {
            match &new {
                Some(new) => drop(object.insert(sub.name.to_owned(), new.clone())),
                None => drop(object.remove(sub.name)),
            }
        }
    }
    one_primary(items, indices);
}

/// Appends values not already present (RFC 7644 §3.5.2.1).
fn append(attribute: &Attribute, items: &mut Vec<Value>, new: Vec<Value>) {
    let mut added = Vec::new();
    for value in new {
        if !items.iter().any(|old| same_value(attribute, old, &value)) {
            items.push(value);
            added.push(items.len() - 1);
        }
    }
    one_primary(items, &added);
}

/// Whether two values of a multi-valued attribute are the same: equal `value`s when `value` is
/// the element's immutable identity (group members), equal in every sub-attribute otherwise.
fn same_value(attribute: &Attribute, a: &Value, b: &Value) -> bool {
    let by_identity = attribute.sub("value").is_some_and(|v| v.mutability == Mutability::Immutable);
    match b {
        Value::Object(b) if by_identity => {
            b.get("value").is_some_and(|v| matches_element(attribute, &equals("value", v.clone()), a))
        }
        Value::Object(b) => a.as_object().is_some_and(|a| a.len() == b.len()) && described_by(attribute, b, a),
        other => a == other,
    }
}

/// Whether `element` has every sub-attribute `description` gives, compared as a filter would.
fn described_by(attribute: &Attribute, description: &Map<String, Value>, element: &Value) -> bool {
    description.iter().all(|(k, v)| matches_element(attribute, &equals(k, v.clone()), element))
}

fn equals(sub: &str, value: Value) -> Filter {
    Filter::Compare { path: AttrPath { uri: None, attr: sub.to_owned(), sub: None }, op: CompareOp::Eq, value }
}

/// When one of the values at `touched` is now primary, no other one is (RFC 7643 §2.4).
fn one_primary(items: &mut [Value], touched: &[usize]) {
    let is_primary = |v: &Value| v.get("primary").and_then(as_bool) == Some(true);
    let Some(&winner) = touched.iter().rev().find(|&&i| items.get(i).is_some_and(is_primary)) else { return };
    for (i, item) in items.iter_mut().enumerate() {
        if i != winner
            && is_primary(item)
            && let Value::Object(object) = item
        {
            object.remove("primary");
        }
    }
}

/// The value an equality filter describes: `type eq "work"` gives `{"type": "work"}`.
fn element_from(attribute: &Attribute, filter: &Filter) -> Option<Map<String, Value>> {
    match filter {
        Filter::Compare { path, op: CompareOp::Eq, value } if path.uri.is_none() && path.sub.is_none() => {
            let sub = attribute.sub(&path.attr)?;
            Some(Map::from_iter([(sub.name.to_owned(), value.clone())]))
        }
        Filter::And(a, b) => {
            let mut element = element_from(attribute, a)?;
            element.extend(element_from(attribute, b)?);
            Some(element)
        }
        _ => None,
    }
}

/// Remove at a target (RFC 7644 §3.5.2.2). `value` lists the values to remove from a
/// multi-valued attribute (Entra ID: `{"op": "Remove", "path": "members", "value": [{"value": id}]}`).
pub(super) fn remove(doc: &mut Value, t: &Target<'_>, value: Option<&Value>) -> Result<(), ScimError> {
    let listed = match value {
        Some(value) if t.attribute.multi_valued && t.filter.is_none() && t.sub.is_none() => {
            normalize_value(t.attribute, &t.label, value)?
        }
        _ => None,
    };
    let Some(map) = container(doc, t.schema, false) else { return Ok(()) };
    let name = t.attribute.name;
    let Some(current) = slot(map, name) else { return Ok(()) };
    match (t.filter, t.sub, current) {
        (None, None, Value::Array(items)) if listed.is_some() => {
            let listed = listed.iter().flat_map(|l| l.as_array().into_iter().flatten());
            let listed: Vec<&Map<String, Value>> = listed.filter_map(Value::as_object).collect();
            items.retain(|item| !listed.iter().any(|l| described_by(t.attribute, l, item)));
        }
        (None, None, _) => drop(map.remove(name)),
        (None, Some(sub), Value::Array(items)) => {
            let all: Vec<usize> = (0..items.len()).collect();
            set_sub(items, &all, sub, None);
        }
        (None, Some(sub), Value::Object(object)) => drop(object.remove(sub.name)),
        (Some(filter), None, Value::Array(items)) => items.retain(|item| !matches_element(t.attribute, filter, item)),
        (Some(filter), Some(sub), Value::Array(items)) => {
            let matched: Vec<usize> =
                (0..items.len()).filter(|&i| matches_element(t.attribute, filter, &items[i])).collect();
            set_sub(items, &matched, sub, None);
        }
        _ => {}
    }
    tidy(doc, t);
    Ok(())
}

/// Drops what a change left empty: `{}` values, an empty array, an empty extension object.
fn tidy(doc: &mut Value, t: &Target<'_>) {
    let empty = |v: &Value| match v {
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Null => true,
        _ => false,
    };
    if let Some(map) = container(doc, t.schema, false) {
        if let Some(Value::Array(items)) = map.get_mut(t.attribute.name)
            && t.attribute.kind == AttrType::Complex
        {
            items.retain(|v| !empty(v));
        }
        if map.get(t.attribute.name).is_some_and(empty) {
            map.remove(t.attribute.name);
        }
    }
    if let Some(root) = doc.as_object_mut()
        && root.get(t.schema.id).is_some_and(empty)
    {
        root.remove(t.schema.id);
    }
}
