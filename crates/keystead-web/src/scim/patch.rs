//! SCIM PATCH (RFC 7644 §3.5.2): parsing a PatchOp message and applying its operations to a
//! resource document, with the shapes Entra ID and Okta send.

use serde_json::{Map, Value};

use super::error::ScimError;
use super::filter::{self, AttrPath, CompareOp, Filter};
use super::schema::{self, Attribute, Mutability, ResourceSchema, Schema, get_ci};

/// The schema URN of a PATCH message (RFC 7644 §3.5.2).
pub const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
/// The most operations one PATCH may carry.
pub const MAX_OPERATIONS: usize = 1000;

/// What an operation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Adds values (RFC 7644 §3.5.2.1).
    Add,
    /// Removes values (§3.5.2.2).
    Remove,
    /// Replaces values (§3.5.2.3).
    Replace,
}

/// A PATCH path (RFC 7644 §3.5.2, `PATH = attrPath / valuePath [subAttr]`): `members`,
/// `name.givenName` (the sub-attribute in `attr`), `emails[type eq "work"].value` (the filter, then
/// the sub-attribute in `sub`), `urn:…:enterprise:2.0:User:manager.value`.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchPath {
    /// The attribute, and its sub-attribute when no filter follows it.
    pub attr: AttrPath,
    /// The value filter, over the attribute's sub-attributes.
    pub filter: Option<Filter>,
    /// The sub-attribute after a value filter.
    pub sub: Option<String>,
}

impl PatchPath {
    /// Parses a path; a malformed one is a 400 `invalidPath`.
    pub fn parse(s: &str) -> Result<PatchPath, ScimError> {
        let s = s.trim();
        let invalid = |why: &str| ScimError::invalid_path(format!("\"{s}\" is not a valid path: {why}"));
        let Some(open) = s.find('[') else {
            return Ok(PatchPath { attr: AttrPath::parse(s)?, filter: None, sub: None });
        };
        let close = s.rfind(']').filter(|&close| close > open).ok_or_else(|| invalid("'[' is not closed"))?;
        let (head, inner, rest) = (s.get(..open), s.get(open + 1..close), s.get(close + 1..));
        let (Some(head), Some(inner), Some(rest)) = (head, inner, rest) else { return Err(invalid("bad brackets")) };
        let attr = AttrPath::parse(head)?;
        if attr.sub.is_some() {
            return Err(invalid("a value filter must follow an attribute, not a sub-attribute"));
        }
        let filter = filter::parse(inner).map_err(|e| invalid(&e.detail))?;
        if has_value_path(&filter) {
            return Err(invalid("a value filter cannot contain another one"));
        }
        let sub = match rest.strip_prefix('.') {
            None if rest.is_empty() => None,
            Some(name) if AttrPath::parse(name).is_ok_and(|p| p.uri.is_none() && p.sub.is_none()) => {
                Some(name.to_owned())
            }
            _ => return Err(invalid("only \".subAttribute\" may follow ']'")),
        };
        Ok(PatchPath { attr, filter: Some(filter), sub })
    }
}

fn has_value_path(filter: &Filter) -> bool {
    match filter {
        Filter::ValuePath { .. } => true,
        Filter::And(a, b) | Filter::Or(a, b) => has_value_path(a) || has_value_path(b),
        Filter::Not(inner) => has_value_path(inner),
        Filter::Compare { .. } | Filter::Present(_) => false,
    }
}

/// One operation of a PATCH.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// What it does.
    pub op: Op,
    /// Where; `None` for an add or replace whose value is an object of attributes.
    pub path: Option<PatchPath>,
    /// The value (absent for most removes).
    pub value: Option<Value>,
}

/// Parses a PatchOp message: `schemas` must contain [`PATCH_OP`] (else 400 `invalidSyntax`),
/// `Operations` must hold 1 to [`MAX_OPERATIONS`] operations, `op` is case-insensitive (Entra ID
/// sends `"Replace"`), a remove needs a path (400 `noTarget`), an add or replace a value (400
/// `invalidValue`).
pub fn parse(body: &Value) -> Result<Vec<Operation>, ScimError> {
    let schemas = get_ci(body, "schemas").and_then(Value::as_array);
    if !schemas.is_some_and(|s| s.iter().any(|s| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(PATCH_OP)))) {
        return Err(ScimError::invalid_syntax(format!("\"schemas\" must contain \"{PATCH_OP}\"")));
    }
    let Some(Value::Array(operations)) = get_ci(body, "Operations") else {
        return Err(ScimError::invalid_syntax("\"Operations\" must be an array of operations"));
    };
    if operations.is_empty() || operations.len() > MAX_OPERATIONS {
        return Err(ScimError::invalid_syntax(format!("\"Operations\" must hold 1 to {MAX_OPERATIONS} operations")));
    }
    operations.iter().enumerate().map(|(i, operation)| parse_operation(i + 1, operation)).collect()
}

fn parse_operation(number: usize, operation: &Value) -> Result<Operation, ScimError> {
    let context = |e: ScimError| ScimError { detail: format!("operation {number}: {}", e.detail), ..e };
    let name = get_ci(operation, "op").and_then(Value::as_str).unwrap_or_default();
    let op = match name.to_ascii_lowercase().as_str() {
        "add" => Op::Add,
        "remove" => Op::Remove,
        "replace" => Op::Replace,
        _ => return Err(context(ScimError::invalid_syntax("\"op\" must be \"add\", \"remove\" or \"replace\""))),
    };
    let path = match get_ci(operation, "path") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => Some(PatchPath::parse(s).map_err(context)?),
        Some(_) => return Err(context(ScimError::invalid_path("\"path\" must be a string"))),
    };
    let value = get_ci(operation, "value").cloned();
    match op {
        Op::Remove if path.is_none() => Err(context(ScimError::no_target("a remove needs a \"path\""))),
        Op::Add | Op::Replace if value.is_none() => Err(context(ScimError::invalid_value("a \"value\" is missing"))),
        _ => Ok(Operation { op, path, value }),
    }
}

/// Applies the operations in order to a resource document in canonical form (include `id` so an
/// Okta-style `{"id": …}` in a replace value is checked against it), all or nothing: on an error
/// the document is untouched. The caller passes the result through [`schema::normalize`].
pub fn apply(resource: &ResourceSchema, doc: &mut Value, ops: &[Operation]) -> Result<(), ScimError> {
    let mut work = if doc.is_object() { doc.clone() } else { Value::Object(Map::new()) };
    for (i, operation) in ops.iter().enumerate() {
        apply_one(resource, &mut work, operation)
            .map_err(|e| ScimError { detail: format!("operation {}: {}", i + 1, e.detail), ..e })?;
    }
    *doc = work;
    Ok(())
}

fn apply_one(resource: &ResourceSchema, doc: &mut Value, operation: &Operation) -> Result<(), ScimError> {
    let value = operation.value.as_ref().unwrap_or(&Value::Null);
    if let Some(ext) = operation.path.as_ref().and_then(|p| whole_extension(resource, p)) {
        return apply_extension(resource, doc, operation.op, ext, operation.value.as_ref());
    }
    match (&operation.path, operation.op) {
        (Some(path), op) => {
            let target = Target::resolve(resource, path, op)?;
            match op {
                Op::Add | Op::Replace => write(doc, &target, op, value),
                Op::Remove => remove(doc, &target, operation.value.as_ref()),
            }
        }
        (None, Op::Add | Op::Replace) => apply_object(resource, doc, operation.op, value),
        (None, Op::Remove) => Err(ScimError::no_target("a remove needs a \"path\"")),
    }
}

/// The extension a path names as a whole (`urn:…:enterprise:2.0:User`), if it does.
fn whole_extension(resource: &ResourceSchema, path: &PatchPath) -> Option<&'static Schema> {
    if path.filter.is_some() || path.sub.is_some() || path.attr.sub.is_some() {
        return None;
    }
    resource.extension(&path.attr.to_string())
}

/// An operation on a whole extension: add merges its attributes, replace sets exactly them,
/// remove drops them all.
fn apply_extension(
    resource: &ResourceSchema,
    doc: &mut Value,
    op: Op,
    ext: &Schema,
    value: Option<&Value>,
) -> Result<(), ScimError> {
    let key = doc.as_object().and_then(|o| o.keys().find(|k| k.eq_ignore_ascii_case(ext.id)).cloned());
    if op != Op::Add
        && let (Some(k), Some(o)) = (&key, doc.as_object_mut())
    {
        o.remove(k);
    }
    if op == Op::Remove {
        return Ok(());
    }
    let mut wrapped = Map::new();
    wrapped.insert(ext.id.to_owned(), value.cloned().unwrap_or(Value::Null));
    apply_object(resource, doc, Op::Add, &Value::Object(wrapped))
}

/// Where an operation goes.
struct Target<'a> {
    schema: &'a Schema,
    attribute: &'a Attribute,
    sub: Option<&'a Attribute>,
    filter: Option<&'a Filter>,
    /// The path as written in details.
    label: String,
}

impl<'a> Target<'a> {
    fn resolve(resource: &'a ResourceSchema, path: &'a PatchPath, op: Op) -> Result<Self, ScimError> {
        if path.attr.uri.is_none() && path.attr.attr.eq_ignore_ascii_case("schemas") {
            return Err(ScimError::mutability("\"schemas\" cannot be changed"));
        }
        let unknown =
            || ScimError::invalid_path(format!("\"{}\" is not an attribute of a {}", path.attr, resource.name));
        let found = schema::find(resource, &path.attr).ok_or_else(unknown)?;
        let sub = match (&path.sub, found.sub) {
            (Some(name), _) => Some(found.attribute.sub(name).ok_or_else(unknown)?),
            (None, sub) => sub,
        };
        let target = Target {
            schema: found.schema,
            attribute: found.attribute,
            sub,
            filter: path.filter.as_ref(),
            label: path.attr.to_string(),
        };
        if target.filter.is_some() && !target.attribute.multi_valued {
            return Err(ScimError::invalid_path(format!(
                "\"{}\" is not multi-valued; it takes no filter",
                target.label
            )));
        }
        let read_only = |a: &Attribute| a.mutability == Mutability::ReadOnly;
        if read_only(target.attribute) || sub.is_some_and(read_only) {
            return Err(ScimError::mutability(format!("\"{}\" is read-only", target.label)));
        }
        if op == Op::Replace && sub.is_some_and(|s| s.mutability == Mutability::Immutable) {
            return Err(ScimError::mutability(format!("\"{}\" cannot be changed once set", target.label)));
        }
        Ok(target)
    }
}

/// Add or replace without a path: each key of the object (a name, a dotted name, a full URN path,
/// or an extension URN with an object) is an add or replace at that path. Unknown attributes are
/// ignored, as [`schema::normalize`] ignores them; a read-only one must equal the current value.
fn apply_object(resource: &ResourceSchema, doc: &mut Value, op: Op, value: &Value) -> Result<(), ScimError> {
    let Value::Object(object) = value else {
        return Err(ScimError::invalid_value("without a path, the value must be an object of attributes"));
    };
    for (key, v) in object {
        if key.eq_ignore_ascii_case("schemas") {
            continue;
        }
        if let Some(ext) = resource.extension(key) {
            let Value::Object(inner) = v else {
                return Err(ScimError::invalid_value(format!("\"{}\" must be an object", ext.id)));
            };
            for (k, v) in inner {
                let mut path = AttrPath::parse(k)?;
                path.uri = Some(ext.id.to_owned());
                apply_key(resource, doc, op, &path, v)?;
            }
        } else {
            apply_key(resource, doc, op, &AttrPath::parse(key)?, v)?;
        }
    }
    Ok(())
}

fn apply_key(
    resource: &ResourceSchema,
    doc: &mut Value,
    op: Op,
    path: &AttrPath,
    value: &Value,
) -> Result<(), ScimError> {
    let Some(found) = schema::find(resource, path) else { return Ok(()) };
    let read_only = |a: &Attribute| a.mutability == Mutability::ReadOnly;
    if read_only(found.attribute) || found.sub.is_some_and(read_only) {
        // Okta sends the resource's own `id` back in a replace value.
        let current = container(doc, found.schema, false).and_then(|c| c.get(found.attribute.name));
        let current = match found.sub {
            Some(sub) => current.and_then(|c| get_ci(c, sub.name)),
            None => current,
        };
        return match current {
            Some(current) if current != value => Err(ScimError::mutability(format!("\"{path}\" is read-only"))),
            _ => Ok(()),
        };
    }
    let target = Target {
        schema: found.schema,
        attribute: found.attribute,
        sub: found.sub,
        filter: None,
        label: path.to_string(),
    };
    write(doc, &target, op, value)
}

#[path = "patch_apply.rs"]
mod apply;

use apply::{container, remove, write};

#[cfg(test)]
#[path = "patch_tests.rs"]
mod tests;
