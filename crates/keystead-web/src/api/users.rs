//! The admin API's users, read side (`users:read`): one account by id, and the directory
//! search. An organization's token sees only the organization's members and guests; the
//! operator's deployment token sees any account. Each account carries its version as `ETag`.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use keystead_core::Error;
use keystead_core::accounts::UserStatus;
use keystead_core::accounts::directory::{AccountRecord, UserQuery};
use keystead_core::api_tokens::ApiScope;
use keystead_core::ids::UserId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::admin::ApiCaller;
use super::rest::{etag, not_modified};
use crate::error::WebError;
use crate::state::AppState;

/// An account as the admin API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    /// Its id.
    id: String,
    /// Its email address.
    email: String,
    /// Whether the address is proved.
    email_verified: bool,
    /// When the address was proved, if it was.
    #[schema(format = DateTime)]
    email_verified_at: Option<String>,
    /// Given name.
    given_name: Option<String>,
    /// Family name.
    family_name: Option<String>,
    /// Phone number, as entered.
    phone: Option<String>,
    /// Country (ISO 3166-1 alpha-2).
    country: Option<String>,
    /// City.
    city: Option<String>,
    /// Date of birth.
    #[schema(format = Date)]
    date_of_birth: Option<String>,
    /// Company or trade name.
    company: Option<String>,
    /// Job title.
    job_title: Option<String>,
    /// Language (BCP 47), if chosen.
    locale: Option<String>,
    /// Time zone (IANA), if chosen.
    time_zone: Option<String>,
    /// `unverified`, `incomplete_profile`, `active`, `disabled`, `closing` or `purged`.
    status: &'static str,
    /// For a closing account, when its personal data will be deleted.
    #[schema(format = DateTime)]
    purge_at: Option<String>,
    /// Whether it has a Keystead password.
    has_password: bool,
    /// When it was created.
    #[schema(format = DateTime)]
    created_at: String,
    /// Its last change.
    #[schema(format = DateTime)]
    updated_at: String,
    /// Its last successful sign-in.
    #[schema(format = DateTime)]
    last_sign_in_at: Option<String>,
    /// Its version (the `ETag` without quotes).
    version: String,
}

pub(crate) fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

impl From<AccountRecord> for UserView {
    fn from(r: AccountRecord) -> Self {
        let u = r.user;
        let p = r.profile;
        Self {
            id: u.id.to_string(),
            email: u.email,
            email_verified: u.email_verified_at.is_some(),
            email_verified_at: u.email_verified_at.map(rfc3339),
            given_name: p.given_name,
            family_name: p.family_name,
            phone: p.phone,
            country: p.country,
            city: p.city,
            date_of_birth: p.date_of_birth.map(|d| d.to_string()),
            company: p.company,
            job_title: p.job_title,
            locale: r.locale,
            time_zone: r.time_zone,
            status: u.status.as_str(),
            purge_at: r.purge_at.map(rfc3339),
            has_password: u.has_password,
            created_at: rfc3339(u.created_at),
            updated_at: rfc3339(r.updated_at),
            last_sign_in_at: u.last_sign_in_at.map(rfc3339),
            version: r.version,
        }
    }
}

/// An account as a response: its JSON with its `ETag`.
pub(super) fn account_response(status: StatusCode, record: AccountRecord) -> Response {
    let tag = etag(&record.version);
    let mut r = (status, Json(UserView::from(record))).into_response();
    r.headers_mut().insert(header::ETAG, tag);
    r
}

/// An id from a path: anything that is not one names no account.
pub(super) fn user_id(raw: &str) -> Result<UserId, Error> {
    raw.trim().parse().map_err(|_| Error::NotFound)
}

/// `GET /api/v1/users/{id}`
#[utoipa::path(
    get,
    path = "/api/v1/users/{id}",
    tag = "users",
    security(("token" = ["users:read"])),
    params(("id" = String, Path, description = "The user's id")),
    responses(
        (status = 200, description = "The account, with its `ETag`", body = UserView),
        (status = 304, description = "Unchanged since the `If-None-Match` version"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`: the token lacks `users:read`"),
        (status = 404, description = "No such account (for an organization's token: not one of its people)"),
        (status = 429, description = "`rate_limited`: the token's requests this minute are spent"),
    )
)]
pub async fn show_user(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let p = caller.principal;
    p.require(ApiScope::UsersRead)?;
    let record = state.core.user_within(p.actor, p.organization, user_id(&id)?).await?;
    if not_modified(&headers, &record.version) {
        let mut r = StatusCode::NOT_MODIFIED.into_response();
        r.headers_mut().insert(header::ETAG, etag(&record.version));
        return Ok(r);
    }
    Ok(account_response(StatusCode::OK, record))
}

/// The directory search's parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserSearch {
    /// Addresses starting with this (case-insensitive).
    email: Option<String>,
    /// Names with a word starting with this (case-insensitive: `lov` and `ada lo` find
    /// "Ada Lovelace"; a word prefix, so that an index serves it).
    name: Option<String>,
    /// Only accounts in this status (purged ones are listed only when asked for).
    status: Option<String>,
    /// `true`: only accounts with a second factor; `false`: only those without.
    mfa: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Accounts per page, 1 to 200 (default 50).
    limit: Option<String>,
}

/// A page of accounts.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserList {
    /// The accounts, ordered by address (a search by name alone: by the name that matched).
    items: Vec<UserView>,
    /// Pass as `cursor` for the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_cursor: Option<String>,
}

fn to_query(s: UserSearch) -> Result<UserQuery, Error> {
    let mut errors = keystead_core::FieldErrors::new();
    let status = match s.status.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => UserStatus::from_name(v).or_else(|| {
            errors.add(
                "status",
                "unknown_status",
                "Use unverified, incomplete_profile, active, disabled, closing or purged.",
            );
            None
        }),
        None => None,
    };
    let limit = match s.limit.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => v.parse::<u32>().ok().or_else(|| {
            errors.add("limit", "not_a_number", "Give the page size as a whole number from 1 to 200.");
            None
        }),
        None => None,
    };
    let mfa = match s.mfa.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(_) => {
            errors.add("mfa", "not_a_boolean", "Use true or false.");
            None
        }
        None => None,
    };
    errors.into_result()?;
    Ok(UserQuery { email_prefix: s.email, name: s.name, status, mfa, cursor: s.cursor, limit, ..UserQuery::default() })
}

/// `GET /api/v1/users?email=…&name=…&status=…&mfa=…&cursor=…&limit=…`
#[utoipa::path(
    get,
    path = "/api/v1/users",
    tag = "users",
    security(("token" = ["users:read"])),
    params(UserSearch),
    responses(
        (status = 200, description = "A page of accounts by address; `next_cursor` continues", body = UserList),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`: the token lacks `users:read`"),
        (status = 422, description = "`invalid_input`: a bad status, mfa, limit or cursor (per-field `errors`)"),
        (status = 429, description = "`rate_limited`"),
    )
)]
pub async fn search_users(
    State(state): State<AppState>,
    caller: ApiCaller,
    query: Result<Query<UserSearch>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<UserList>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::UsersRead)?;
    let Query(search) = query.map_err(|e| Error::refused(keystead_core::Code::MalformedRequest, e.body_text()))?;
    let page = state.core.search_users(p.actor, p.organization, &to_query(search)?).await?;
    Ok(Json(UserList {
        items: page.items.into_iter().map(|e| UserView::from(e.record)).collect(),
        next_cursor: page.next_cursor,
    }))
}
