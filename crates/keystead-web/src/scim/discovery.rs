//! The discovery endpoints (RFC 7644 §4): what this server supports, its resource types and
//! their schemas. They need the organization's token like everything else under `/scim/v2/`.

use axum::extract::Path;
use axum::http::StatusCode;

use super::auth::ScimCaller;
use super::error::ScimError;
use super::respond::{ScimResult, resource};
use super::schema;

/// `GET /ServiceProviderConfig`.
pub async fn service_provider_config(caller: ScimCaller) -> ScimResult {
    Ok(resource(StatusCode::OK, &schema::service_provider_config(&caller.base), None, None))
}

/// `GET /ResourceTypes`.
pub async fn resource_types(caller: ScimCaller) -> ScimResult {
    Ok(resource(StatusCode::OK, &schema::resource_types_document(&caller.base), None, None))
}

/// `GET /ResourceTypes/{name}`.
pub async fn resource_type(caller: ScimCaller, Path((_, name)): Path<(String, String)>) -> ScimResult {
    let doc = schema::resource_type_document(&caller.base, &name)
        .ok_or_else(|| ScimError::not_found(format!("There is no resource type {name:?}.")))?;
    Ok(resource(StatusCode::OK, &doc, None, None))
}

/// `GET /Schemas`.
pub async fn schemas(caller: ScimCaller) -> ScimResult {
    Ok(resource(StatusCode::OK, &schema::schemas_document(&caller.base), None, None))
}

/// `GET /Schemas/{id}`.
pub async fn one_schema(caller: ScimCaller, Path((_, id)): Path<(String, String)>) -> ScimResult {
    let doc = schema::schema_document(&caller.base, &id)
        .ok_or_else(|| ScimError::not_found(format!("There is no schema {id:?}.")))?;
    Ok(resource(StatusCode::OK, &doc, None, None))
}
