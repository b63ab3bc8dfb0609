//! The admin API's licensing catalogue (the operator's deployment token): products and plans
//! (`licenses:read` to read, `licenses:write` to add, with an `Idempotency-Key` for safe
//! retries) and downloads (read only), the same Core functions as
//! `keystead admin product|plan|download`.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use keystead_core::api_tokens::ApiScope;
use keystead_core::licensing::{Download, LandingRule, NewPlan, NewProduct, Plan, Product};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::admin::ApiCaller;
use super::rest::{idempotent, parse_json, read_body, with_location};
use super::users::rfc3339;
use crate::error::WebError;
use crate::extract::ClientMeta;
use crate::state::AppState;

/// A product of the catalogue.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductView {
    id: String,
    /// Its stable key (`cet-designer`), unique.
    key: String,
    name: String,
    /// `desktop_app`, `web_app`, `extension` or `bundle`.
    kind: &'static str,
    /// What it does (may be empty).
    description: String,
    /// Where the extension chooser lists it: `manufacturer` or `utility`.
    group: &'static str,
    /// A desktop app's launch URL (`cet://start`).
    launch_url: Option<String>,
    /// Its icon, shown in the extension chooser.
    icon_url: Option<String>,
    /// Where to learn more about it.
    learn_more_url: Option<String>,
    #[schema(format = DateTime)]
    created_at: String,
}

impl From<Product> for ProductView {
    fn from(p: Product) -> Self {
        Self {
            id: p.id.to_string(),
            key: p.key,
            name: p.name,
            kind: p.kind.as_str(),
            description: p.description,
            group: p.group.as_str(),
            launch_url: p.launch_url,
            icon_url: p.icon_url,
            learn_more_url: p.learn_more_url,
            created_at: rfc3339(p.created_at),
        }
    }
}

/// `GET /api/v1/products`: every product, by key.
#[utoipa::path(get, path = "/api/v1/products", tag = "licensing", security(("token" = ["licenses:read"])),
    responses(
        (status = 200, description = "The products", body = Vec<ProductView>),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or `forbidden` for an organization's token"),
    ))]
pub async fn list_products(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<Vec<ProductView>>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::LicensesRead)?;
    let products = state.core.products(p.deployment_actor()?).await?;
    Ok(Json(products.into_iter().map(Into::into).collect()))
}

/// A new product.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProductBody {
    /// 1 to 64 of `a-z`, `0-9`, `.`, `_`, `-`, starting with a letter or digit; unique.
    key: String,
    name: String,
    /// `desktop_app`, `web_app`, `extension` or `bundle`.
    kind: String,
    /// What it does (at most 2 000 characters).
    description: Option<String>,
    /// `manufacturer` (the default) or `utility`.
    group: Option<String>,
    /// A desktop app's launch URL (`cet://start`).
    launch_url: Option<String>,
    /// An absolute http(s) URL.
    icon_url: Option<String>,
    /// An absolute http(s) URL.
    learn_more_url: Option<String>,
}

/// `POST /api/v1/products`: adds a product (201 with `Location`).
#[utoipa::path(post, path = "/api/v1/products", tag = "licensing", security(("token" = ["licenses:write"])),
    request_body = NewProductBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 201, description = "Added", body = ProductView),
        (status = 400, description = "`invalid_json`"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or `forbidden` for an organization's token"),
        (status = 409, description = "`idempotency_key_in_use`, or `idempotency_answer_lost` (a retry of a create whose answer was lost)"),
        (status = 422, description = "`invalid_input`: a taken or bad key, an unknown kind or group, a bad URL"),
    ))]
pub async fn create_product(
    State(state): State<AppState>,
    caller: ApiCaller,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let p = &caller.principal;
    p.require(ApiScope::LicensesWrite)?;
    let actor = p.deployment_actor()?;
    let bytes = read_body(body).await?;
    let run = async {
        let b: NewProductBody = parse_json(&bytes)?;
        let new = NewProduct {
            key: &b.key,
            name: &b.name,
            kind: &b.kind,
            description: b.description.as_deref(),
            group: b.group.as_deref(),
            launch_url: b.launch_url.as_deref(),
            icon_url: b.icon_url.as_deref(),
            learn_more_url: b.learn_more_url.as_deref(),
        };
        let product = state.core.create_product(actor, new, &meta).await?;
        let location = format!("/api/v1/products/{}", product.key);
        Ok(with_location((StatusCode::CREATED, Json(ProductView::from(product))).into_response(), &location))
    };
    idempotent(&state, &caller, &headers, ("POST", "/api/v1/products", &bytes), run).await
}

/// `GET /api/v1/products/{key}`
#[utoipa::path(get, path = "/api/v1/products/{key}", tag = "licensing", security(("token" = ["licenses:read"])),
    params(("key" = String, Path, description = "The product's key")),
    responses(
        (status = 200, description = "The product", body = ProductView),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or `forbidden` for an organization's token"),
        (status = 404, description = "No product with this key"),
    ))]
pub async fn show_product(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(key): Path<String>,
) -> Result<Json<ProductView>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::LicensesRead)?;
    Ok(Json(state.core.product(p.deployment_actor()?, &key).await?.into()))
}

/// A plan (edition) of a product, with what a license of it grants.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanView {
    id: String,
    /// Its product's key.
    product: String,
    /// Its key, unique across the deployment.
    key: String,
    name: String,
    /// Where its holders land after registration: `extension_chooser`, `downloads`, `none`, or
    /// an external application's URL.
    landing: String,
    /// How many machines a holder may activate (no limit when absent).
    max_machines: Option<u32>,
    /// The entitlement codes it grants (`cet.edition.pro`).
    entitlements: Vec<String>,
    /// The keys of the extensions it grants.
    extensions: Vec<String>,
    /// The ids of the downloads it unlocks.
    downloads: Vec<String>,
}

impl From<Plan> for PlanView {
    fn from(p: Plan) -> Self {
        let landing = match p.landing {
            LandingRule::ExternalApp(url) => url.to_string(),
            other => other.as_str().to_owned(),
        };
        Self {
            id: p.id.to_string(),
            product: p.product,
            key: p.key,
            name: p.name,
            landing,
            max_machines: p.max_machines,
            entitlements: p.entitlements,
            extensions: p.extensions,
            downloads: p.downloads.iter().map(ToString::to_string).collect(),
        }
    }
}

/// `GET /api/v1/plans`: every plan, by product key and then plan key.
#[utoipa::path(get, path = "/api/v1/plans", tag = "licensing", security(("token" = ["licenses:read"])),
    responses(
        (status = 200, description = "The plans", body = Vec<PlanView>),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or `forbidden` for an organization's token"),
    ))]
pub async fn list_plans(State(state): State<AppState>, caller: ApiCaller) -> Result<Json<Vec<PlanView>>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::LicensesRead)?;
    let plans = state.core.plans(p.deployment_actor()?).await?;
    Ok(Json(plans.into_iter().map(Into::into).collect()))
}

/// A new plan.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPlanBody {
    /// The product's key.
    product: String,
    /// 1 to 64 of `a-z`, `0-9`, `.`, `_`, `-`; unique across the deployment.
    key: String,
    name: String,
    /// Entitlement codes apps check (`cet.edition.pro`).
    #[serde(default)]
    entitlements: Vec<String>,
    /// Keys of products of kind `extension` it grants.
    #[serde(default)]
    extensions: Vec<String>,
    /// Ids of downloads it unlocks.
    #[serde(default)]
    downloads: Vec<String>,
    /// Where holders land after registration: `extension_chooser`, `downloads`, `none`, or an
    /// http(s) URL.
    landing: String,
    /// How many machines a holder may activate, 1 to 1000 (no limit when absent).
    max_machines: Option<i64>,
}

/// `POST /api/v1/plans`: adds a plan of a product (201 with `Location`).
#[utoipa::path(post, path = "/api/v1/plans", tag = "licensing", security(("token" = ["licenses:write"])),
    request_body = NewPlanBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 201, description = "Added", body = PlanView),
        (status = 400, description = "`invalid_json`"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or `forbidden` for an organization's token"),
        (status = 409, description = "`idempotency_key_in_use`, or `idempotency_answer_lost` (a retry of a create whose answer was lost)"),
        (status = 422, description = "`invalid_input`: a taken or bad key, an unknown product, extension or download, a bad landing or machine limit"),
    ))]
pub async fn create_plan(
    State(state): State<AppState>,
    caller: ApiCaller,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let p = &caller.principal;
    p.require(ApiScope::LicensesWrite)?;
    let actor = p.deployment_actor()?;
    let bytes = read_body(body).await?;
    let run = async {
        let b: NewPlanBody = parse_json(&bytes)?;
        let new = NewPlan {
            product: &b.product,
            key: &b.key,
            name: &b.name,
            entitlements: b.entitlements.iter().map(String::as_str).collect(),
            extensions: b.extensions.iter().map(String::as_str).collect(),
            downloads: b.downloads.iter().map(String::as_str).collect(),
            landing: &b.landing,
            max_machines: b.max_machines,
        };
        let plan = state.core.create_plan(actor, new, &meta).await?;
        let location = format!("/api/v1/plans/{}", plan.key);
        Ok(with_location((StatusCode::CREATED, Json(PlanView::from(plan))).into_response(), &location))
    };
    idempotent(&state, &caller, &headers, ("POST", "/api/v1/plans", &bytes), run).await
}

/// `GET /api/v1/plans/{key}`
#[utoipa::path(get, path = "/api/v1/plans/{key}", tag = "licensing", security(("token" = ["licenses:read"])),
    params(("key" = String, Path, description = "The plan's key")),
    responses(
        (status = 200, description = "The plan", body = PlanView),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or `forbidden` for an organization's token"),
        (status = 404, description = "No plan with this key"),
    ))]
pub async fn show_plan(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(key): Path<String>,
) -> Result<Json<PlanView>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::LicensesRead)?;
    Ok(Json(state.core.plan(p.deployment_actor()?, &key).await?.into()))
}

/// A download: an uploaded file or an external link.
#[derive(Debug, Serialize, ToSchema)]
pub struct DownloadView {
    /// Its id (what a plan's `downloads` lists).
    id: String,
    /// Its product's key.
    product: String,
    /// `2026.1`
    version: String,
    /// `windows-x64`
    platform: String,
    /// An uploaded file's original name.
    file_name: Option<String>,
    /// A link's URL.
    url: Option<String>,
    /// An uploaded file's size in bytes.
    size: Option<i64>,
    /// An uploaded file's SHA-256, lower-case hex.
    sha256: Option<String>,
    #[schema(format = DateTime)]
    released_at: String,
    /// The release notes.
    notes_url: Option<String>,
}

impl From<Download> for DownloadView {
    fn from(d: Download) -> Self {
        Self {
            id: d.id.to_string(),
            product: d.product,
            version: d.version,
            platform: d.platform,
            file_name: d.file_name,
            url: d.url,
            size: d.size,
            sha256: d.sha256,
            released_at: rfc3339(d.released_at),
            notes_url: d.notes_url,
        }
    }
}

/// `GET /api/v1/downloads`: every download, by product and newest release first. Adding one
/// (uploading a file) is `keystead admin download add` on the server, not this API.
#[utoipa::path(get, path = "/api/v1/downloads", tag = "licensing", security(("token" = ["licenses:read"])),
    description = "Every download, by product and newest release first. Read only: a download (an uploaded file or a link) is added with `keystead admin download add` on the server.",
    responses(
        (status = 200, description = "The downloads", body = Vec<DownloadView>),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or `forbidden` for an organization's token"),
    ))]
pub async fn list_downloads(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<Vec<DownloadView>>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::LicensesRead)?;
    let downloads = state.core.downloads(p.deployment_actor()?).await?;
    Ok(Json(downloads.into_iter().map(Into::into).collect()))
}
