//! The admin API's agreements (deployment token): the published versions, publishing a new
//! one (`agreements:write`, with an `Idempotency-Key` for safe retries) and who accepted a
//! version (`agreements:read`), the same Core functions as `keystead admin agreement`.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use keystead_core::Error;
use keystead_core::agreements::admin::Acceptor;
use keystead_core::agreements::{Agreement, AgreementId};
use keystead_core::api_tokens::ApiScope;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::admin::ApiCaller;
use super::rest::{idempotent, parse_json, read_body, with_location};
use super::users::rfc3339;
use crate::error::WebError;
use crate::extract::ClientMeta;
use crate::state::AppState;

/// One published version of an agreement (versions are never edited).
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementView {
    id: String,
    /// Which document (`terms`, `privacy`).
    key: String,
    /// 1, 2, … per key.
    version: i64,
    title: String,
    /// The text, in Markdown.
    body: String,
    /// Every user must accept it while it is the newest version of its key.
    required: bool,
    #[schema(format = DateTime)]
    published_at: String,
}

impl From<Agreement> for AgreementView {
    fn from(a: Agreement) -> Self {
        Self {
            id: a.id.to_string(),
            key: a.key,
            version: a.version,
            title: a.title,
            body: a.body,
            required: a.required,
            published_at: rfc3339(a.published_at),
        }
    }
}

/// `GET /api/v1/agreements`: every version, by key and then newest first.
#[utoipa::path(get, path = "/api/v1/agreements", tag = "agreements", security(("token" = ["agreements:read"])),
    responses(
        (status = 200, description = "The versions", body = Vec<AgreementView>),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or `forbidden` for an organization's token"),
    ))]
pub async fn list_agreements(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<Vec<AgreementView>>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::AgreementsRead)?;
    p.deployment_actor()?;
    Ok(Json(state.core.agreements().await?.into_iter().map(Into::into).collect()))
}

/// A version to publish.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAgreementBody {
    /// Which document (`terms`): the version is the key's previous one + 1.
    key: String,
    title: String,
    /// The text, in Markdown.
    body: String,
    /// Every user must accept it before using their account again.
    #[serde(default)]
    required: bool,
}

/// `POST /api/v1/agreements`: publishes a version (201 with `Location`).
#[utoipa::path(post, path = "/api/v1/agreements", tag = "agreements", security(("token" = ["agreements:write"])),
    request_body = NewAgreementBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 201, description = "Published", body = AgreementView),
        (status = 400, description = "`invalid_json`"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or `forbidden` for an organization's token"),
        (status = 409, description = "`already_exists`: the same version was published at the same moment; `idempotency_key_in_use`, or `idempotency_answer_lost` (a retry of a create whose answer was lost)"),
        (status = 422, description = "`invalid_input`: a bad key, an empty title or body"),
    ))]
pub async fn publish_agreement(
    State(state): State<AppState>,
    caller: ApiCaller,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let p = &caller.principal;
    p.require(ApiScope::AgreementsWrite)?;
    p.deployment_actor()?;
    let bytes = read_body(body).await?;
    let run = async {
        let b: NewAgreementBody = parse_json(&bytes)?;
        let a = state.core.publish_agreement(&b.key, &b.title, &b.body, b.required, &meta).await?;
        let location = format!("/api/v1/agreements/{}/acceptances", a.id);
        Ok(with_location((StatusCode::CREATED, Json(AgreementView::from(a))).into_response(), &location))
    };
    idempotent(&state, &caller, &headers, ("POST", "/api/v1/agreements", &bytes), run).await
}

/// Someone who accepted a version.
#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptanceView {
    user_id: String,
    /// Their address now.
    email: String,
    #[schema(format = DateTime)]
    accepted_at: String,
    /// The address it was accepted from.
    ip: Option<String>,
}

impl From<Acceptor> for AcceptanceView {
    fn from(a: Acceptor) -> Self {
        Self { user_id: a.user_id.to_string(), email: a.email, accepted_at: rfc3339(a.accepted_at), ip: a.ip }
    }
}

/// A page of acceptances.
#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptancePage {
    items: Vec<AcceptanceView>,
    /// For the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_cursor: Option<String>,
}

/// Paging parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AcceptancePaging {
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// 1 to 200 (100 when absent).
    limit: Option<i64>,
}

/// `GET /api/v1/agreements/{id}/acceptances`: who accepted a version, in the order they did.
#[utoipa::path(get, path = "/api/v1/agreements/{id}/acceptances", tag = "agreements", security(("token" = ["agreements:read"])),
    params(("id" = String, Path, description = "The version's id"), AcceptancePaging),
    responses(
        (status = 200, description = "A page of acceptances", body = AcceptancePage),
        (status = 400, description = "`malformed_request`: a limit that is not a number"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or `forbidden` for an organization's token"),
        (status = 404, description = "No such version"),
        (status = 422, description = "`invalid_input`: a cursor this API did not make, a limit out of range"),
    ))]
pub async fn list_acceptances(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    Query(paging): Query<AcceptancePaging>,
) -> Result<Json<AcceptancePage>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::AgreementsRead)?;
    let actor = p.deployment_actor()?;
    let id: AgreementId = id.trim().parse().map_err(|_| Error::NotFound)?;
    let after = match paging.cursor.as_deref() {
        None => None,
        Some(c) => Some(c.strip_prefix("g1.").and_then(|u| u.parse::<uuid::Uuid>().ok()).ok_or_else(|| {
            Error::invalid("cursor", "invalid", "This cursor was not made by this API; start from the first page.")
        })?),
    };
    let limit = paging.limit.unwrap_or(100);
    let Some(limit) = u32::try_from(limit).ok().filter(|l| (1..=200).contains(l)) else {
        return Err(Error::invalid("limit", "out_of_range", "Ask for 1 to 200 acceptances a page.").into());
    };
    let page = state.core.agreement_acceptances(actor, id, after, limit).await?;
    Ok(Json(AcceptancePage {
        items: page.items.into_iter().map(Into::into).collect(),
        next_cursor: page.next.map(|u| format!("g1.{u}")),
    }))
}
