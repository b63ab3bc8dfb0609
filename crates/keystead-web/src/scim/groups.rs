//! `/scim/v2/{org}/Groups`: the organization's provisioned groups and their members.

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use keystead_core::ids::GroupId;
use keystead_core::scim::{ScimGroup, ScimGroupWrite};
use serde_json::{Value, json};

use super::auth::ScimCaller;
use super::error::ScimError;
use super::respond::{
    ListParams, ScimResult, etag, if_match, json_body, list, not_modified, require_match, resource, retry_patch,
    search_params,
};
use super::schema::{self, GROUP, GROUP_SCHEMA};
use super::{filter, patch, rfc3339};
use crate::extract::ClientMeta;
use crate::state::AppState;

/// A provisioned group as a SCIM resource.
fn group_doc(base: &str, g: &ScimGroup) -> Value {
    let members: Vec<Value> = g
        .members
        .iter()
        // Without `display`: optional, and a client comparing what it wrote with what it reads
        // back would see a difference it did not make.
        .map(|m| json!({"value": m.to_string(), "$ref": format!("{base}/Users/{m}"), "type": "User"}))
        .collect();
    let mut doc = json!({
        "schemas": [GROUP_SCHEMA],
        "id": g.id.to_string(),
        "displayName": g.display_name,
        "members": members,
        "meta": {"resourceType": "Group", "created": rfc3339(g.created_at), "lastModified": rfc3339(g.updated_at),
                 "location": format!("{base}/Groups/{}", g.id), "version": etag(&g.version)},
    });
    if let Some(e) = &g.external_id {
        doc["externalId"] = json!(e);
    }
    doc
}

/// A normalised resource as the name, the directory's id and the members.
fn group_write(doc: &Value) -> Result<ScimGroupWrite, ScimError> {
    let text = |k: &str| doc.get(k).and_then(Value::as_str).map(str::to_owned);
    let mut members = Vec::new();
    for m in doc.get("members").and_then(Value::as_array).into_iter().flatten() {
        if m.get("type").and_then(Value::as_str).is_some_and(|t| t.eq_ignore_ascii_case("group")) {
            return Err(ScimError::invalid_value("members: groups within groups are not supported; add the people."));
        }
        let raw = m.get("value").and_then(Value::as_str).unwrap_or_default();
        let id = raw.parse().map_err(|_| {
            ScimError::invalid_value(format!("members: {raw:?} is not the id of a user provisioned here."))
        })?;
        members.push(id);
    }
    Ok(ScimGroupWrite {
        display_name: text("displayName").unwrap_or_default(),
        external_id: text("externalId"),
        members: Some(members),
    })
}

fn group_id(raw: &str) -> Result<GroupId, ScimError> {
    raw.parse().map_err(|_| ScimError::not_found("No such group in this organization."))
}

/// `GET /Groups`: filtered and paged (`excludedAttributes=members` for the large ones).
pub async fn list_groups(
    State(state): State<AppState>,
    caller: ScimCaller,
    Query(params): Query<ListParams>,
) -> ScimResult {
    find_groups(&state, &caller, &params).await
}

/// `POST /Groups/.search`: the same with the parameters in the body.
pub async fn search_groups(State(state): State<AppState>, caller: ScimCaller, body: Body) -> ScimResult {
    find_groups(&state, &caller, &search_params(body).await?).await
}

async fn find_groups(state: &AppState, caller: &ScimCaller, params: &ListParams) -> ScimResult {
    let window = params.window()?;
    let filter = params.filter.as_deref().map(filter::parse).transpose()?;
    if let Some(f) = &filter {
        filter::validate(&GROUP, f)?;
    }
    let groups = state.core.scim_groups(caller.actor, caller.org).await?;
    let (attributes, excluded) = (params.attributes.as_deref(), params.excluded_attributes.as_deref());
    let docs = groups
        .iter()
        .map(|g| group_doc(&caller.base, g))
        .filter(|d| filter.as_ref().is_none_or(|f| filter::matches(&GROUP, f, d)))
        .map(|d| schema::project(&GROUP, &d, attributes, excluded))
        .collect();
    Ok(list(docs, window))
}

/// `POST /Groups`: 201 with the group, its `Location` and `ETag`.
pub async fn create_group(
    State(state): State<AppState>,
    caller: ScimCaller,
    ClientMeta(meta): ClientMeta,
    body: Body,
) -> ScimResult {
    let body = json_body(body).await?;
    let w = group_write(&schema::normalize(&GROUP, &body)?)?;
    let g = state.core.provision_group(caller.actor, caller.org, &w, &meta).await?;
    let location = format!("{}/Groups/{}", caller.base, g.id);
    Ok(resource(StatusCode::CREATED, &group_doc(&caller.base, &g), Some(&g.version), Some(&location)))
}

/// `GET /Groups/{id}`.
pub async fn show_group(
    State(state): State<AppState>,
    caller: ScimCaller,
    Path((_, id)): Path<(String, String)>,
    Query(params): Query<ListParams>,
    headers: HeaderMap,
) -> ScimResult {
    let g = state.core.scim_group(caller.actor, caller.org, group_id(&id)?).await?;
    if let Some(r) = not_modified(&headers, &g.version) {
        return Ok(r);
    }
    let doc = schema::project(
        &GROUP,
        &group_doc(&caller.base, &g),
        params.attributes.as_deref(),
        params.excluded_attributes.as_deref(),
    );
    Ok(resource(StatusCode::OK, &doc, Some(&g.version), None))
}

/// `PUT /Groups/{id}`: name, directory id and exactly the members given.
pub async fn replace_group(
    State(state): State<AppState>,
    caller: ScimCaller,
    ClientMeta(meta): ClientMeta,
    Path((_, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> ScimResult {
    let id = group_id(&id)?;
    let body = json_body(body).await?;
    let w = group_write(&schema::normalize(&GROUP, &body)?)?;
    let expected = if_match(&headers);
    let g = state.core.replace_scim_group(caller.actor, caller.org, id, &w, expected.as_deref(), &meta).await?;
    Ok(resource(StatusCode::OK, &group_doc(&caller.base, &g), Some(&g.version), None))
}

/// `PATCH /Groups/{id}`: the operations applied to the current group (members added and
/// removed as the result differs), retried on a concurrent change when no `If-Match` was sent.
pub async fn patch_group(
    State(state): State<AppState>,
    caller: ScimCaller,
    ClientMeta(meta): ClientMeta,
    Path((_, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> ScimResult {
    let id = group_id(&id)?;
    let ops = patch::parse(&json_body(body).await?)?;
    let sent = if_match(&headers);
    let core = &state.core;
    let mut tries = 0;
    loop {
        let current = core.scim_group(caller.actor, caller.org, id).await?;
        let mut doc = group_doc(&caller.base, &current);
        patch::apply(&GROUP, &mut doc, &ops)?;
        let w = group_write(&schema::normalize(&GROUP, &doc)?)?;
        let expected = sent.clone().unwrap_or(current.version);
        match core.replace_scim_group(caller.actor, caller.org, id, &w, Some(&expected), &meta).await {
            Ok(g) => return Ok(resource(StatusCode::OK, &group_doc(&caller.base, &g), Some(&g.version), None)),
            Err(e) if retry_patch(&e, sent.as_deref(), &mut tries) => {}
            Err(e) => return Err(e.into()),
        }
    }
}

/// `DELETE /Groups/{id}` (204).
pub async fn delete_group(
    State(state): State<AppState>,
    caller: ScimCaller,
    ClientMeta(meta): ClientMeta,
    Path((_, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> ScimResult {
    let id = group_id(&id)?;
    if if_match(&headers).is_some() {
        require_match(&headers, &state.core.scim_group(caller.actor, caller.org, id).await?.version)?;
    }
    state.core.delete_scim_group(caller.actor, caller.org, id, &meta).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
