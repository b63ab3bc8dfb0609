//! The admin API's organization domains (`orgs:read`, `orgs:write`): list them, claim one (the
//! answer names the DNS TXT record that proves it), check its record now, remove it. A domain
//! the operator vouches for is added verified (`"verified": true`, the operator's tokens only).
//! The same Core functions as the organization's settings page and `keystead admin org domain`.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use keystead_core::api_tokens::ApiScope;
use keystead_core::organizations::OrganizationDomain;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::admin::ApiCaller;
use super::organizations::{actor_for, org_id};
use super::rest::{idempotent, parse_json, read_body, with_location};
use super::users::rfc3339;
use crate::error::WebError;
use crate::extract::ClientMeta;
use crate::state::AppState;

/// A domain of an organization.
#[derive(Debug, Serialize, ToSchema)]
pub struct DomainView {
    /// The ASCII domain (`example.com`).
    domain: String,
    /// `verified` (the organization's: its addresses are proven) or `pending` (its DNS proof).
    status: &'static str,
    #[schema(format = DateTime)]
    verified_at: Option<String>,
    /// The TXT record that proves it: its name…
    record_name: String,
    /// …and its value.
    record_value: String,
    /// When the record was last looked up.
    #[schema(format = DateTime)]
    checked_at: Option<String>,
    /// What the last failed lookup found.
    check_message: Option<String>,
}

impl From<OrganizationDomain> for DomainView {
    fn from(d: OrganizationDomain) -> Self {
        Self {
            status: if d.verified_at.is_some() { "verified" } else { "pending" },
            verified_at: d.verified_at.map(rfc3339),
            checked_at: d.checked_at.map(rfc3339),
            domain: d.domain,
            record_name: d.record_name,
            record_value: d.record_value,
            check_message: d.check_message,
        }
    }
}

/// `GET /api/v1/organizations/{id}/domains`
#[utoipa::path(get, path = "/api/v1/organizations/{id}/domains", tag = "organizations", security(("token" = ["orgs:read"])),
    params(("id" = String, Path, description = "The organization's id")),
    responses(
        (status = 200, description = "Its domains", body = Vec<DomainView>),
        (status = 400, description = "`invalid_input`: not an organization id"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`"),
        (status = 404, description = "No such organization (for an organization's token: any other)"),
    ))]
pub async fn list_domains(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Vec<DomainView>>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::OrgsRead)?;
    let org = org_id(&id)?;
    let domains = state.core.organization_domains(actor_for(&p, org)?, org).await?;
    Ok(Json(domains.into_iter().map(DomainView::from).collect()))
}

/// A domain to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDomainBody {
    /// The domain (`example.com`).
    domain: String,
    /// `true`: the operator vouches for it and it is verified at once (the operator's tokens
    /// only); `false` (the default): pending its DNS TXT record.
    #[serde(default)]
    verified: bool,
}

/// `POST /api/v1/organizations/{id}/domains`: claims a domain (201; publish the TXT record it
/// names, then `…/verify`), or adds it verified.
#[utoipa::path(post, path = "/api/v1/organizations/{id}/domains", tag = "organizations", security(("token" = ["orgs:write"])),
    params(
        ("id" = String, Path, description = "The organization's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe"),
    ),
    request_body = NewDomainBody,
    responses(
        (status = 201, description = "Added", body = DomainView),
        (status = 400, description = "`invalid_json`, or not an organization id"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`; `forbidden`: the maker may not manage it, or `verified` from a token not the operator's"),
        (status = 404, description = "No such organization"),
        (status = 409, description = "`idempotency_key_in_use`, or `idempotency_answer_lost` (a retry of a create whose answer was lost)"),
        (status = 422, description = "`invalid_input` on `domain`: malformed, already added, or another organization's"),
    ))]
pub async fn add_domain(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let p = &caller.principal;
    p.require(ApiScope::OrgsWrite)?;
    let org = org_id(&id)?;
    let actor = actor_for(p, org)?;
    let bytes = read_body(body).await?;
    let path = format!("/api/v1/organizations/{org}/domains");
    let run = async {
        let b: NewDomainBody = parse_json(&bytes)?;
        let d = if b.verified {
            state.core.add_organization_domain(actor, org, &b.domain, &meta).await?
        } else {
            state.core.claim_organization_domain(actor, org, &b.domain, &meta).await?
        };
        let location = format!("{path}/{}", d.domain);
        Ok(with_location((StatusCode::CREATED, Json(DomainView::from(d))).into_response(), &location))
    };
    idempotent(&state, &caller, &headers, ("POST", &path, &bytes), run).await
}

/// `GET /api/v1/organizations/{id}/domains/{domain}`
#[utoipa::path(get, path = "/api/v1/organizations/{id}/domains/{domain}", tag = "organizations", security(("token" = ["orgs:read"])),
    params(
        ("id" = String, Path, description = "The organization's id"),
        ("domain" = String, Path, description = "The domain"),
    ),
    responses(
        (status = 200, description = "The domain", body = DomainView),
        (status = 400, description = "`invalid_input`: not an organization id"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`"),
        (status = 404, description = "No such organization or domain"),
    ))]
pub async fn show_domain(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, domain)): Path<(String, String)>,
) -> Result<Json<DomainView>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::OrgsRead)?;
    let org = org_id(&id)?;
    Ok(Json(state.core.organization_domain(actor_for(&p, org)?, org, &domain).await?.into()))
}

/// `POST /api/v1/organizations/{id}/domains/{domain}/verify`: looks its TXT record up now.
#[utoipa::path(post, path = "/api/v1/organizations/{id}/domains/{domain}/verify", tag = "organizations", security(("token" = ["orgs:write"])),
    params(
        ("id" = String, Path, description = "The organization's id"),
        ("domain" = String, Path, description = "The domain"),
    ),
    responses(
        (status = 200, description = "Verified (or it already was)", body = DomainView),
        (status = 400, description = "`invalid_input`: not an organization id"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or the maker may not manage it"),
        (status = 404, description = "No such organization or domain"),
        (status = 422, description = "`invalid_input` on `domain`: `dns_check_failed` saying what the lookup found, or a malformed domain"),
    ))]
pub async fn verify_domain(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, domain)): Path<(String, String)>,
    ClientMeta(meta): ClientMeta,
) -> Result<Json<DomainView>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::OrgsWrite)?;
    let org = org_id(&id)?;
    Ok(Json(state.core.verify_organization_domain(actor_for(&p, org)?, org, &domain, &meta).await?.into()))
}

/// `DELETE /api/v1/organizations/{id}/domains/{domain}`: 204.
#[utoipa::path(delete, path = "/api/v1/organizations/{id}/domains/{domain}", tag = "organizations", security(("token" = ["orgs:write"])),
    params(
        ("id" = String, Path, description = "The organization's id"),
        ("domain" = String, Path, description = "The domain"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 400, description = "`invalid_input`: not an organization id"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or the maker may not manage it"),
        (status = 404, description = "No such organization or domain"),
        (status = 422, description = "`invalid_input`: a malformed domain"),
    ))]
pub async fn remove_domain(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, domain)): Path<(String, String)>,
    ClientMeta(meta): ClientMeta,
) -> Result<StatusCode, WebError> {
    let p = caller.principal;
    p.require(ApiScope::OrgsWrite)?;
    let org = org_id(&id)?;
    state.core.remove_organization_domain(actor_for(&p, org)?, org, &domain, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}
