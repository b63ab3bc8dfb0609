//! `POST /api/v1/users/import`: many accounts in one request, for moving a user base over from
//! another system (with their bcrypt, PBKDF2 or Argon2 hashes). Each entry is the same create as
//! `POST /api/v1/users` (one Core call, its own transaction), and the answer says for each what
//! happened, so one bad entry never stops the rest and a retry can send only the failures.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use keystead_core::accounts::admin::NewUser;
use keystead_core::api_tokens::ApiScope;
use keystead_core::{Error, FieldErrors};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::admin::ApiCaller;
use super::rest::{idempotent, parse_json, read_body};
use super::users::UserView;
use super::users_write::NewUserBody;
use crate::error::{WebError, detail_for, status_for};
use crate::state::AppState;

/// The most entries one import takes.
pub const MAX_ENTRIES: usize = 500;
/// The most entries with a plain password (each is hashed with Argon2id, which takes a while).
pub const MAX_PLAIN_PASSWORDS: usize = 20;

/// Accounts to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportBody {
    /// 1 to 500 accounts, each as `POST /api/v1/users` takes it; at most 20 with a plain
    /// `password` (send `password_hash` for large imports).
    users: Vec<NewUserBody>,
}

/// What happened to one entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResult {
    /// Its position in `users`, from 0.
    index: usize,
    /// The status a single create would have answered: 201, or the refusal's (409, 422, …).
    status: u16,
    /// The account created.
    #[serde(skip_serializing_if = "Option::is_none")]
    user: Option<UserView>,
    /// The refusal's stable code.
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'static str>,
    /// The refusal, for a person.
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    /// Per-field problems (`email_taken`, a weak password, an unsupported hash).
    #[serde(skip_serializing_if = "FieldErrors::is_empty")]
    #[schema(value_type = Vec<Object>)]
    errors: FieldErrors,
}

/// The import's outcome.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    /// Entries created.
    created: usize,
    /// Entries refused.
    failed: usize,
    /// One per entry, in order.
    results: Vec<ImportResult>,
}

fn refused(index: usize, e: Error) -> ImportResult {
    let code = e.code();
    let (detail, errors) = match e {
        Error::Invalid(fields) => (detail_for(code).to_owned(), fields),
        Error::Refused { detail, .. } => (detail, FieldErrors::new()),
        Error::Internal(cause) => {
            tracing::error!(error = %format!("{cause:#}"), "importing an account failed");
            (detail_for(code).to_owned(), FieldErrors::new())
        }
        _ => (detail_for(code).to_owned(), FieldErrors::new()),
    };
    ImportResult {
        index,
        status: status_for(code).as_u16(),
        user: None,
        code: Some(code.as_str()),
        detail: Some(detail),
        errors,
    }
}

/// `POST /api/v1/users/import`: creates each entry like `POST /api/v1/users`; 200 with a result
/// per entry.
#[utoipa::path(
    post,
    path = "/api/v1/users/import",
    tag = "users",
    security(("token" = ["users:write"])),
    request_body = ImportBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: the first answer is replayed for 24 hours")),
    responses(
        (status = 200, description = "Each entry's outcome", body = ImportReport),
        (status = 400, description = "`invalid_json`, or a malformed `Idempotency-Key`"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or `forbidden` for an organization's token"),
        (status = 409, description = "`idempotency_key_in_use`, or `idempotency_answer_lost` (a retry of a create whose answer was lost)"),
        (status = 413, description = "`too_large`: over 256 KiB"),
        (status = 422, description = "`invalid_input` on `users`: none, more than 500, or more than 20 plain passwords; or `idempotency_key_reused`"),
        (status = 429, description = "`rate_limited`"),
    )
)]
pub async fn import_users(
    State(state): State<AppState>,
    caller: ApiCaller,
    crate::extract::ClientMeta(meta): crate::extract::ClientMeta,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let p = &caller.principal;
    p.require(ApiScope::UsersWrite)?;
    let actor = p.deployment_actor()?;
    let bytes = read_body(body).await?;
    let run = async {
        let b: ImportBody = parse_json(&bytes)?;
        let plain = b.users.iter().filter(|u| u.password.is_some()).count();
        if b.users.is_empty() || b.users.len() > MAX_ENTRIES || plain > MAX_PLAIN_PASSWORDS {
            let why = format!(
                "Send 1 to {MAX_ENTRIES} users, at most {MAX_PLAIN_PASSWORDS} of them with a plain password (use password_hash for large imports)."
            );
            return Err(WebError(Error::invalid("users", "out_of_range", why)));
        }
        let mut results = Vec::with_capacity(b.users.len());
        for (index, new) in b.users.into_iter().enumerate() {
            let user = NewUser {
                email: &new.email,
                given_name: new.given_name.as_deref(),
                family_name: new.family_name.as_deref(),
                verified: new.email_verified,
                password: new.password.map(SecretString::from),
            };
            results.push(match state.core.create_account(actor, user, new.password_hash.as_deref(), &meta).await {
                Ok(record) => ImportResult {
                    index,
                    status: StatusCode::CREATED.as_u16(),
                    user: Some(record.into()),
                    code: None,
                    detail: None,
                    errors: FieldErrors::new(),
                },
                Err(e) => refused(index, e),
            });
        }
        let created = results.iter().filter(|r| r.user.is_some()).count();
        let report = ImportReport { created, failed: results.len() - created, results };
        Ok((StatusCode::OK, Json(report)).into_response())
    };
    idempotent(&state, &caller, &headers, ("POST", "/api/v1/users/import", &bytes), run).await
}
