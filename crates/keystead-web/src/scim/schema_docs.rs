//! The discovery documents (RFC 7644 §4), rendered from the attribute definitions.

use serde_json::{Map, Value, json};

use super::{AttrType, Attribute, GROUP, LIST_RESPONSE, MAX_RESULTS, Mutability, ResourceSchema, Returned, Schema};
use super::{USER, Uniqueness};

const SCHEMA_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";
const RESOURCE_TYPE_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const SERVICE_PROVIDER_CONFIG_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
const RESOURCES: [&ResourceSchema; 2] = [&USER, &GROUP];

/// A list response (RFC 7644 §3.4.2) of `resources`, the page starting at `start_index` (1-based)
/// of `total_results`.
pub fn list_response(total_results: usize, start_index: usize, resources: Vec<Value>) -> Value {
    json!({
        "schemas": [LIST_RESPONSE],
        "totalResults": total_results,
        "itemsPerPage": resources.len(),
        "startIndex": start_index,
        "Resources": resources,
    })
}

/// GET /Schemas: a list response of every schema, in RFC 7643 §7 form.
pub fn schemas_document(base: &str) -> Value {
    let all: Vec<Value> = all_schemas().map(|s| schema_json(base, s)).collect();
    list_response(all.len(), 1, all)
}

/// GET /Schemas/{id}: one schema, or `None` for an unknown id.
pub fn schema_document(base: &str, id: &str) -> Option<Value> {
    all_schemas().find(|s| s.id.eq_ignore_ascii_case(id)).map(|s| schema_json(base, s))
}

/// GET /ResourceTypes: a list response of User and Group (RFC 7643 §6).
pub fn resource_types_document(base: &str) -> Value {
    let all: Vec<Value> = RESOURCES.iter().map(|r| resource_type_json(base, r)).collect();
    list_response(all.len(), 1, all)
}

/// GET /ResourceTypes/{name}: one resource type, or `None` for an unknown name.
pub fn resource_type_document(base: &str, name: &str) -> Option<Value> {
    RESOURCES.iter().find(|r| r.name.eq_ignore_ascii_case(name)).map(|r| resource_type_json(base, r))
}

/// GET /ServiceProviderConfig (RFC 7643 §5): PATCH, filters and ETags; no bulk, sorting or
/// password change.
pub fn service_provider_config(base: &str) -> Value {
    let base = base.trim_end_matches('/');
    json!({
        "schemas": [SERVICE_PROVIDER_CONFIG_SCHEMA],
        "patch": {"supported": true},
        "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": true, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": false},
        "sort": {"supported": false},
        "etag": {"supported": true},
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "OAuth Bearer Token",
            "description": "A personal access token of the organization with the scim scope",
            "primary": true,
        }],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": format!("{base}/ServiceProviderConfig"),
        },
    })
}

/// Every schema once, in the order User, its extensions, Group.
fn all_schemas() -> impl Iterator<Item = &'static Schema> {
    RESOURCES.into_iter().flat_map(ResourceSchema::schemas)
}

fn resource_type_json(base: &str, resource: &ResourceSchema) -> Value {
    let base = base.trim_end_matches('/');
    let extensions: Vec<Value> =
        resource.extensions.iter().map(|s| json!({"schema": s.id, "required": false})).collect();
    json!({
        "schemas": [RESOURCE_TYPE_SCHEMA],
        "id": resource.name,
        "name": resource.name,
        "endpoint": resource.endpoint,
        "description": resource.core.description,
        "schema": resource.core.id,
        "schemaExtensions": extensions,
        "meta": {"resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/{}", resource.name)},
    })
}

fn schema_json(base: &str, schema: &Schema) -> Value {
    let base = base.trim_end_matches('/');
    json!({
        "schemas": [SCHEMA_SCHEMA],
        "id": schema.id,
        "name": schema.name,
        "description": schema.description,
        "attributes": schema.attributes.iter().map(attribute_json).collect::<Vec<_>>(),
        "meta": {"resourceType": "Schema", "location": format!("{base}/Schemas/{}", schema.id)},
    })
}

fn attribute_json(a: &Attribute) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), a.name.into());
    m.insert("type".into(), type_name(a.kind).into());
    m.insert("multiValued".into(), a.multi_valued.into());
    m.insert("description".into(), a.description.into());
    m.insert("required".into(), a.required.into());
    m.insert("caseExact".into(), a.case_exact.into());
    m.insert("mutability".into(), mutability_name(a.mutability).into());
    m.insert("returned".into(), returned_name(a.returned).into());
    m.insert("uniqueness".into(), uniqueness_name(a.uniqueness).into());
    if !a.canonical_values.is_empty() {
        m.insert("canonicalValues".into(), json!(a.canonical_values));
    }
    if a.kind == AttrType::Reference {
        m.insert("referenceTypes".into(), json!(a.reference_types));
    }
    if a.kind == AttrType::Complex {
        m.insert("subAttributes".into(), a.sub_attributes.iter().map(attribute_json).collect());
    }
    Value::Object(m)
}

/// The type as RFC 7643 §7 spells it.
fn type_name(kind: AttrType) -> &'static str {
    match kind {
        AttrType::String => "string",
        AttrType::Boolean => "boolean",
        AttrType::Decimal => "decimal",
        AttrType::Integer => "integer",
        AttrType::DateTime => "dateTime",
        AttrType::Binary => "binary",
        AttrType::Reference => "reference",
        AttrType::Complex => "complex",
    }
}

fn mutability_name(m: Mutability) -> &'static str {
    match m {
        Mutability::ReadOnly => "readOnly",
        Mutability::ReadWrite => "readWrite",
        Mutability::Immutable => "immutable",
        Mutability::WriteOnly => "writeOnly",
    }
}

fn returned_name(r: Returned) -> &'static str {
    match r {
        Returned::Always => "always",
        Returned::Never => "never",
        Returned::Default => "default",
        Returned::Request => "request",
    }
}

fn uniqueness_name(u: Uniqueness) -> &'static str {
    match u {
        Uniqueness::None => "none",
        Uniqueness::Server => "server",
        Uniqueness::Global => "global",
    }
}
