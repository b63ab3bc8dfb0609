//! The admin API's users, write side (`users:write`, the operator's deployment token only —
//! organizations manage their people through members, invitations and SCIM): create (with a
//! password or an imported hash; `Idempotency-Key`), change the profile (`If-Match`), close
//! (`DELETE`), disable, enable, reset two-factor, resend the verification link.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use keystead_core::accounts::admin::NewUser;
use keystead_core::accounts::profile::ProfileField;
use keystead_core::api_tokens::ApiScope;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::admin::ApiCaller;
use super::rest::{idempotent, if_match, parse_json, read_body, with_location};
use super::users::{UserView, account_response, user_id};
use crate::error::WebError;
use crate::extract::ClientMeta;
use crate::state::AppState;

/// A new account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserBody {
    /// The email address.
    pub(super) email: String,
    /// Given name.
    pub(super) given_name: Option<String>,
    /// Family name.
    pub(super) family_name: Option<String>,
    /// Whether the address is already proved (no verification email; the account is active).
    #[serde(default)]
    pub(super) email_verified: bool,
    /// A password (checked against the password policy).
    pub(super) password: Option<String>,
    /// Instead of a password, a hash from the system the user comes from: Argon2
    /// (`$argon2id$…`), bcrypt (`$2b$…`) or PBKDF2 (`$pbkdf2-sha256$…`, Django's
    /// `pbkdf2_sha256$…`). Verified at the first sign-in, then replaced by Argon2id.
    pub(super) password_hash: Option<String>,
}

/// `POST /api/v1/users`: creates (or imports) an account: 201 with `Location` and `ETag`.
#[utoipa::path(
    post,
    path = "/api/v1/users",
    tag = "users",
    security(("token" = ["users:write"])),
    request_body = NewUserBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: the first answer is replayed for 24 hours")),
    responses(
        (status = 201, description = "Created", body = UserView),
        (status = 400, description = "`invalid_json`, or a malformed `Idempotency-Key`"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or `forbidden` for an organization's token"),
        (status = 409, description = "`idempotency_key_in_use`, or `idempotency_answer_lost` (a retry of a create whose answer was lost): the first request with this key still runs"),
        (status = 422, description = "`invalid_input` (per-field `errors`: `email_taken`, a weak password, an unsupported hash), or `idempotency_key_reused`"),
        (status = 429, description = "`rate_limited`"),
    )
)]
pub async fn create_user(
    State(state): State<AppState>,
    caller: ApiCaller,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let p = &caller.principal;
    p.require(ApiScope::UsersWrite)?;
    let actor = p.deployment_actor()?;
    let bytes = read_body(body).await?;
    let run = async {
        let new: NewUserBody = parse_json(&bytes)?;
        let password = new.password.map(SecretString::from);
        let user = NewUser {
            email: &new.email,
            given_name: new.given_name.as_deref(),
            family_name: new.family_name.as_deref(),
            verified: new.email_verified,
            password,
        };
        let record = state.core.create_account(actor, user, new.password_hash.as_deref(), &meta).await?;
        let location = format!("/api/v1/users/{}", record.user.id);
        Ok(with_location(account_response(StatusCode::CREATED, record), &location))
    };
    idempotent(&state, &caller, &headers, ("POST", "/api/v1/users", &bytes), run).await
}

/// Profile changes: each field present is set (`null` clears it); absent ones are kept.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfilePatch {
    #[serde(default, with = "super::rest::patch")]
    #[schema(value_type = Option<String>)]
    given_name: Option<Option<String>>,
    #[serde(default, with = "super::rest::patch")]
    #[schema(value_type = Option<String>)]
    family_name: Option<Option<String>>,
    #[serde(default, with = "super::rest::patch")]
    #[schema(value_type = Option<String>)]
    phone: Option<Option<String>>,
    /// ISO 3166-1 alpha-2.
    #[serde(default, with = "super::rest::patch")]
    #[schema(value_type = Option<String>)]
    country: Option<Option<String>>,
    #[serde(default, with = "super::rest::patch")]
    #[schema(value_type = Option<String>)]
    city: Option<Option<String>>,
    /// YYYY-MM-DD.
    #[serde(default, with = "super::rest::patch")]
    #[schema(value_type = Option<String>, format = Date)]
    date_of_birth: Option<Option<String>>,
    #[serde(default, with = "super::rest::patch")]
    #[schema(value_type = Option<String>)]
    company: Option<Option<String>>,
    #[serde(default, with = "super::rest::patch")]
    #[schema(value_type = Option<String>)]
    job_title: Option<Option<String>>,
}

impl ProfilePatch {
    fn changes(self) -> Vec<(ProfileField, Option<String>)> {
        [
            (ProfileField::GivenName, self.given_name),
            (ProfileField::FamilyName, self.family_name),
            (ProfileField::Phone, self.phone),
            (ProfileField::Country, self.country),
            (ProfileField::City, self.city),
            (ProfileField::DateOfBirth, self.date_of_birth),
            (ProfileField::Company, self.company),
            (ProfileField::JobTitle, self.job_title),
        ]
        .into_iter()
        .filter_map(|(f, v)| v.map(|v| (f, v)))
        .collect()
    }
}

/// `PATCH /api/v1/users/{id}`: changes personal details, with the same validation as the
/// user's own form. `If-Match` (optional) makes it conditional on the version read.
#[utoipa::path(
    patch,
    path = "/api/v1/users/{id}",
    tag = "users",
    security(("token" = ["users:write"])),
    params(
        ("id" = String, Path, description = "The user's id"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` read; the change is refused if the account changed since"),
    ),
    request_body(content = ProfilePatch, content_type = "application/json"),
    responses(
        (status = 200, description = "Changed; the new `ETag`", body = UserView),
        (status = 400, description = "`invalid_json`"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, `forbidden` (an organization's token, or a closed account)"),
        (status = 404, description = "No such account"),
        (status = 412, description = "`precondition_failed`: the account changed since the `If-Match` version"),
        (status = 422, description = "`invalid_input` (per-field `errors`)"),
        (status = 429, description = "`rate_limited`"),
    )
)]
pub async fn update_user(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    ClientMeta(meta): ClientMeta,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let p = caller.principal;
    p.require(ApiScope::UsersWrite)?;
    let actor = p.deployment_actor()?;
    let id = user_id(&id)?;
    // The body first: a request that is not a valid change is 400 whatever its preconditions.
    let patch: ProfilePatch = parse_json(&read_body(body).await?)?;
    let expected = if_match(&headers)?;
    let record = state.core.update_account_profile(actor, id, &patch.changes(), expected.as_deref(), &meta).await?;
    Ok(account_response(StatusCode::OK, record))
}

/// `DELETE /api/v1/users/{id}`: closes the account — sessions and grants end now, personal
/// data is purged after the grace period (`purge_at`); the user cannot reactivate it.
#[utoipa::path(
    delete,
    path = "/api/v1/users/{id}",
    tag = "users",
    security(("token" = ["users:write"])),
    params(("id" = String, Path, description = "The user's id")),
    responses(
        (status = 202, description = "Closing; purged at `purge_at`", body = UserView),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, `forbidden` (an organization's token, or already closed)"),
        (status = 404, description = "No such account"),
        (status = 429, description = "`rate_limited`"),
    )
)]
pub async fn delete_user(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    ClientMeta(meta): ClientMeta,
) -> Result<Response, WebError> {
    let p = caller.principal;
    p.require(ApiScope::UsersWrite)?;
    let record = state.core.close_account_as_operator(p.deployment_actor()?, user_id(&id)?, &meta).await?;
    Ok(account_response(StatusCode::ACCEPTED, record))
}

/// `POST /api/v1/users/{id}/disable`: disables the account and ends its sessions and grants.
#[utoipa::path(
    post,
    path = "/api/v1/users/{id}/disable",
    tag = "users",
    security(("token" = ["users:write"])),
    params(("id" = String, Path, description = "The user's id")),
    responses(
        (status = 200, description = "Disabled (also when it already was)", body = UserView),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, `forbidden` (an organization's token, or a closed account)"),
        (status = 404, description = "No such account"),
    )
)]
pub async fn disable_user(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    ClientMeta(meta): ClientMeta,
) -> Result<Response, WebError> {
    let p = caller.principal;
    p.require(ApiScope::UsersWrite)?;
    let record = state.core.disable_user(p.deployment_actor()?, user_id(&id)?, &meta).await?;
    Ok(account_response(StatusCode::OK, record))
}

/// `POST /api/v1/users/{id}/enable`: enables a disabled account again.
#[utoipa::path(
    post,
    path = "/api/v1/users/{id}/enable",
    tag = "users",
    security(("token" = ["users:write"])),
    params(("id" = String, Path, description = "The user's id")),
    responses(
        (status = 200, description = "Enabled (also when it was not disabled)", body = UserView),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, `forbidden` (an organization's token, or a closed account)"),
        (status = 404, description = "No such account"),
    )
)]
pub async fn enable_user(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    ClientMeta(meta): ClientMeta,
) -> Result<Response, WebError> {
    let p = caller.principal;
    p.require(ApiScope::UsersWrite)?;
    let record = state.core.enable_user(p.deployment_actor()?, user_id(&id)?, &meta).await?;
    Ok(account_response(StatusCode::OK, record))
}

/// What a two-factor reset removed.
#[derive(Debug, Serialize, ToSchema)]
pub struct MfaReset {
    /// An authenticator app was set up.
    totp: bool,
    /// Email codes were on.
    email_codes: bool,
    /// Passkeys removed.
    passkeys: usize,
    /// Unused recovery codes removed.
    recovery_codes: usize,
}

/// `POST /api/v1/users/{id}/reset-mfa`: removes every second factor and ends the sessions;
/// the user is told by email.
#[utoipa::path(
    post,
    path = "/api/v1/users/{id}/reset-mfa",
    tag = "users",
    security(("token" = ["users:write"])),
    params(("id" = String, Path, description = "The user's id")),
    responses(
        (status = 200, description = "What was removed", body = MfaReset),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or `forbidden` for an organization's token"),
        (status = 404, description = "No such account"),
    )
)]
pub async fn reset_user_mfa(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    ClientMeta(meta): ClientMeta,
) -> Result<axum::Json<MfaReset>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::UsersWrite)?;
    let before = state.core.reset_mfa(p.deployment_actor()?, user_id(&id)?, &meta).await?;
    Ok(axum::Json(MfaReset {
        totp: before.totp,
        email_codes: before.email,
        passkeys: before.passkeys.len(),
        recovery_codes: before.recovery_codes_left,
    }))
}

/// `POST /api/v1/users/{id}/resend-verification`: emails a new verification link (202).
#[utoipa::path(
    post,
    path = "/api/v1/users/{id}/resend-verification",
    tag = "users",
    security(("token" = ["users:write"])),
    params(("id" = String, Path, description = "The user's id")),
    responses(
        (status = 202, description = "Sent"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, `forbidden` (an organization's token, or the address is already proved)"),
        (status = 404, description = "No such account"),
        (status = 429, description = "`rate_limited`: one link a minute"),
    )
)]
pub async fn resend_verification(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    ClientMeta(meta): ClientMeta,
) -> Result<Response, WebError> {
    let p = caller.principal;
    p.require(ApiScope::UsersWrite)?;
    state.core.resend_verification_of(p.deployment_actor()?, user_id(&id)?, &meta).await?;
    Ok(StatusCode::ACCEPTED.into_response())
}

/// A new address for an account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailChangeBody {
    /// The new address.
    email: String,
    /// `true`: you know the address is the person's — switched now and proven. `false` (the
    /// default): a confirmation link goes to it, and the account switches when it is followed.
    #[serde(default)]
    verified: bool,
}

/// What an address change did.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmailChangeView {
    /// `changed` (the account uses the new address now) or `confirmation_sent`.
    outcome: &'static str,
    /// The account (with its current address).
    user: UserView,
}

/// `POST /api/v1/users/{id}/email`: changes the account's address — at once (`verified`), or
/// once the link sent to the new address is followed (202). The old address is told.
#[utoipa::path(
    post,
    path = "/api/v1/users/{id}/email",
    tag = "users",
    security(("token" = ["users:write"])),
    params(("id" = String, Path, description = "The user's id")),
    request_body = EmailChangeBody,
    responses(
        (status = 200, description = "Changed", body = EmailChangeView),
        (status = 202, description = "A confirmation link went to the new address", body = EmailChangeView),
        (status = 400, description = "`invalid_json`, or a malformed id"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, `forbidden` (an organization's token, or a closed account)"),
        (status = 404, description = "No such account"),
        (status = 409, description = "`email_unavailable`: another account uses the address"),
        (status = 422, description = "`invalid_input` on `email` (malformed, the same) or `verified` (an account that proved no address yet)"),
    )
)]
pub async fn change_user_email(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    ClientMeta(meta): ClientMeta,
    body: Body,
) -> Result<Response, WebError> {
    use keystead_core::accounts::admin_email::OperatorEmailChange;
    let p = caller.principal;
    p.require(ApiScope::UsersWrite)?;
    let actor = p.deployment_actor()?;
    let id = user_id(&id)?;
    let b: EmailChangeBody = parse_json(&read_body(body).await?)?;
    let (status, outcome, record) =
        match state.core.change_email_as_operator(actor, id, &b.email, b.verified, &meta).await? {
            OperatorEmailChange::Changed(record) => (StatusCode::OK, "changed", record),
            OperatorEmailChange::LinkSent { record, .. } => (StatusCode::ACCEPTED, "confirmation_sent", record),
        };
    Ok((status, axum::Json(EmailChangeView { outcome, user: record.into() })).into_response())
}
