//! `/scim/v2/{org}/Users`: the organization's provisioned people (RFC 7644 §3.3–3.6).

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use keystead_core::ids::UserId;
use keystead_core::scim::{ScimKey, ScimUser, ScimUserWrite};
use serde_json::{Map, Value, json};

use super::auth::ScimCaller;
use super::error::ScimError;
use super::respond::{
    ListParams, ScimResult, etag, if_match, json_body, list, not_modified, require_match, resource, retry_patch,
    search_params,
};
use super::schema::{self, ENTERPRISE_USER, USER, USER_SCHEMA};
use super::{filter, patch, rfc3339};
use crate::extract::ClientMeta;
use crate::state::AppState;

/// A provisioned user as a SCIM resource.
pub(super) fn user_doc(base: &str, u: &ScimUser) -> Value {
    let mut doc = match &u.document {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    for k in ["id", "meta", "groups", "schemas", "userName", "externalId", "active"] {
        doc.remove(k);
    }
    let mut schemas = vec![json!(USER_SCHEMA)];
    if doc.contains_key(ENTERPRISE_USER) {
        schemas.push(json!(ENTERPRISE_USER));
    }
    doc.insert("schemas".into(), Value::Array(schemas));
    doc.insert("id".into(), json!(u.id.to_string()));
    doc.insert("userName".into(), json!(u.user_name));
    if let Some(e) = &u.external_id {
        doc.insert("externalId".into(), json!(e));
    }
    // `active` as the directory wrote it: a directory that removed it reads it absent (the
    // membership stays active); a suspended person always reads false.
    if u.document.get("active").is_some() || !u.active {
        doc.insert("active".into(), json!(u.active));
    }
    if !u.groups.is_empty() {
        let groups: Vec<Value> = u
            .groups
            .iter()
            .map(|(id, name)| json!({"value": id.to_string(), "display": name, "$ref": format!("{base}/Groups/{id}"), "type": "direct"}))
            .collect();
        doc.insert("groups".into(), Value::Array(groups));
    }
    let location = format!("{base}/Users/{}", u.id);
    doc.insert(
        "meta".into(),
        json!({"resourceType": "User", "created": rfc3339(u.created_at), "lastModified": rfc3339(u.updated_at),
               "location": location, "version": etag(&u.version)}),
    );
    Value::Object(doc)
}

/// The person's address: the primary email, else the work one, else the first, else a
/// `userName` that is an address.
fn pick_email(doc: &Value) -> Option<String> {
    let emails = doc.get("emails").and_then(Value::as_array).cloned().unwrap_or_default();
    let value = |e: &Value| e.get("value").and_then(Value::as_str).map(str::to_owned);
    emails
        .iter()
        .find(|e| e.get("primary").and_then(Value::as_bool) == Some(true))
        .or_else(|| emails.iter().find(|e| e.get("type").and_then(Value::as_str) == Some("work")))
        .or_else(|| emails.first())
        .and_then(value)
        .or_else(|| doc.get("userName").and_then(Value::as_str).filter(|u| u.contains('@')).map(str::to_owned))
}

/// A normalised resource as what the directory writes.
fn user_write(doc: Value) -> Result<ScimUserWrite, ScimError> {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    let email = pick_email(&doc).ok_or_else(|| {
        ScimError::invalid_value("emails: give the person's address in emails[].value (or a userName that is one).")
    })?;
    Ok(ScimUserWrite {
        user_name: text(doc.get("userName")).unwrap_or_default(),
        external_id: text(doc.get("externalId")),
        active: doc.get("active").and_then(Value::as_bool).unwrap_or(true),
        email,
        given_name: text(doc.pointer("/name/givenName")),
        family_name: text(doc.pointer("/name/familyName")),
        document: doc,
    })
}

fn user_id(raw: &str) -> Result<UserId, ScimError> {
    raw.parse().map_err(|_| ScimError::not_found("No such user in this organization."))
}

/// `GET /Users`: filtered (by index for `userName eq`, `externalId eq` and `id eq`), paged.
pub async fn list_users(
    State(state): State<AppState>,
    caller: ScimCaller,
    Query(params): Query<ListParams>,
) -> ScimResult {
    find_users(&state, &caller, &params).await
}

/// `POST /Users/.search`: the same with the parameters in the body.
pub async fn search_users(State(state): State<AppState>, caller: ScimCaller, body: Body) -> ScimResult {
    find_users(&state, &caller, &search_params(body).await?).await
}

async fn find_users(state: &AppState, caller: &ScimCaller, params: &ListParams) -> ScimResult {
    let window = params.window()?;
    let filter = params.filter.as_deref().map(filter::parse).transpose()?;
    if let Some(f) = &filter {
        filter::validate(&USER, f)?;
    }
    let (core, actor, org) = (&state.core, caller.actor, caller.org);
    let users = match filter.as_ref().and_then(|f| f.simple_eq(&USER)) {
        Some(("userName", v)) => core.scim_users_where(actor, org, ScimKey::UserName, v).await?,
        Some(("externalId", v)) => core.scim_users_where(actor, org, ScimKey::ExternalId, v).await?,
        Some(("id", v)) => match v.parse::<UserId>() {
            Ok(id) => match core.scim_user(actor, org, id).await {
                Ok(u) => vec![u],
                Err(keystead_core::Error::NotFound) => vec![],
                Err(e) => return Err(e.into()),
            },
            Err(_) => vec![],
        },
        _ => core.scim_users(actor, org).await?,
    };
    let (attributes, excluded) = (params.attributes.as_deref(), params.excluded_attributes.as_deref());
    let docs = users
        .iter()
        .map(|u| user_doc(&caller.base, u))
        .filter(|d| filter.as_ref().is_none_or(|f| filter::matches(&USER, f, d)))
        .map(|d| schema::project(&USER, &d, attributes, excluded))
        .collect();
    Ok(list(docs, window))
}

/// `POST /Users`: 201 with the resource, its `Location` and `ETag`.
pub async fn create_user(
    State(state): State<AppState>,
    caller: ScimCaller,
    ClientMeta(meta): ClientMeta,
    body: Body,
) -> ScimResult {
    let body = json_body(body).await?;
    let write = user_write(schema::normalize(&USER, &body)?)?;
    let u = state.core.provision_user(caller.actor, caller.org, &write, &meta).await?;
    let doc = user_doc(&caller.base, &u);
    let location = format!("{}/Users/{}", caller.base, u.id);
    Ok(resource(StatusCode::CREATED, &doc, Some(&u.version), Some(&location)))
}

/// `GET /Users/{id}` (304 for a current `If-None-Match`).
pub async fn show_user(
    State(state): State<AppState>,
    caller: ScimCaller,
    Path((_, id)): Path<(String, String)>,
    Query(params): Query<ListParams>,
    headers: HeaderMap,
) -> ScimResult {
    let u = state.core.scim_user(caller.actor, caller.org, user_id(&id)?).await?;
    if let Some(r) = not_modified(&headers, &u.version) {
        return Ok(r);
    }
    let doc = user_doc(&caller.base, &u);
    let doc = schema::project(&USER, &doc, params.attributes.as_deref(), params.excluded_attributes.as_deref());
    Ok(resource(StatusCode::OK, &doc, Some(&u.version), None))
}

/// `PUT /Users/{id}`: replaces the record (`If-Match` honoured).
pub async fn replace_user(
    State(state): State<AppState>,
    caller: ScimCaller,
    ClientMeta(meta): ClientMeta,
    Path((_, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> ScimResult {
    let id = user_id(&id)?;
    let body = json_body(body).await?;
    let write = user_write(schema::normalize(&USER, &body)?)?;
    let expected = if_match(&headers);
    let u = state.core.replace_scim_user(caller.actor, caller.org, id, &write, expected.as_deref(), &meta).await?;
    Ok(resource(StatusCode::OK, &user_doc(&caller.base, &u), Some(&u.version), None))
}

/// `PATCH /Users/{id}`: the operations applied to the current record, all or nothing. Without
/// `If-Match`, a record changed meanwhile by someone else is read again (three tries).
pub async fn patch_user(
    State(state): State<AppState>,
    caller: ScimCaller,
    ClientMeta(meta): ClientMeta,
    Path((_, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> ScimResult {
    let id = user_id(&id)?;
    let ops = patch::parse(&json_body(body).await?)?;
    let sent = if_match(&headers);
    let core = &state.core;
    let mut tries = 0;
    loop {
        let current = core.scim_user(caller.actor, caller.org, id).await?;
        let mut doc = user_doc(&caller.base, &current);
        patch::apply(&USER, &mut doc, &ops)?;
        let write = user_write(schema::normalize(&USER, &doc)?)?;
        let expected = sent.clone().unwrap_or(current.version);
        match core.replace_scim_user(caller.actor, caller.org, id, &write, Some(&expected), &meta).await {
            Ok(u) => return Ok(resource(StatusCode::OK, &user_doc(&caller.base, &u), Some(&u.version), None)),
            Err(e) if retry_patch(&e, sent.as_deref(), &mut tries) => {}
            Err(e) => return Err(e.into()),
        }
    }
}

/// `DELETE /Users/{id}`: deprovisions (204).
pub async fn delete_user(
    State(state): State<AppState>,
    caller: ScimCaller,
    ClientMeta(meta): ClientMeta,
    Path((_, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> ScimResult {
    let id = user_id(&id)?;
    if if_match(&headers).is_some() {
        require_match(&headers, &state.core.scim_user(caller.actor, caller.org, id).await?.version)?;
    }
    state.core.deprovision_user(caller.actor, caller.org, id, &meta).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /.search` across resource types: 501, search one type at a time (RFC 7644 §3.4.3
/// allows either).
pub async fn search_all(_caller: ScimCaller) -> Response {
    ScimError::new(501, None, "Search one resource type at a time: POST /Users/.search or /Groups/.search.")
        .into_response()
}

/// The answer to anything else under `/scim/v2/`: a SCIM 404.
pub async fn unknown() -> Response {
    ScimError::not_found("There is no such SCIM endpoint.").into_response()
}
