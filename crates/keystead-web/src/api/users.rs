//! The admin API's users (`users:read`): one account by id. An organization's token sees only
//! the organization's members and guests; the operator's deployment token sees any account.

use axum::Json;
use axum::extract::{Path, State};
use keystead_core::Error;
use keystead_core::accounts::User;
use keystead_core::api_tokens::ApiScope;
use keystead_core::ids::UserId;
use serde::Serialize;

use super::admin::ApiCaller;
use crate::error::WebError;
use crate::state::AppState;

/// An account as the admin API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UserView {
    /// Its id.
    id: String,
    /// Its email address.
    email: String,
    /// When the address was proved, if it was.
    #[schema(format = DateTime)]
    email_verified_at: Option<String>,
    /// Given name.
    given_name: Option<String>,
    /// Family name.
    family_name: Option<String>,
    /// `unverified`, `incomplete_profile`, `active`, `disabled`, `closing` or `purged`.
    status: String,
    /// Whether it has a Keystead password.
    has_password: bool,
    /// When it was created.
    #[schema(format = DateTime)]
    created_at: String,
    /// Its last successful sign-in.
    #[schema(format = DateTime)]
    last_sign_in_at: Option<String>,
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

impl From<User> for UserView {
    fn from(u: User) -> Self {
        let status =
            serde_json::to_value(u.status).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        Self {
            id: u.id.to_string(),
            email: u.email,
            email_verified_at: u.email_verified_at.map(rfc3339),
            given_name: u.given_name,
            family_name: u.family_name,
            status,
            has_password: u.has_password,
            created_at: rfc3339(u.created_at),
            last_sign_in_at: u.last_sign_in_at.map(rfc3339),
        }
    }
}

/// `GET /api/v1/users/{id}`
#[utoipa::path(
    get,
    path = "/api/v1/users/{id}",
    tag = "users",
    security(("token" = ["users:read"])),
    params(("id" = String, Path, description = "The user's id")),
    responses(
        (status = 200, description = "The account", body = UserView),
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
) -> Result<Json<UserView>, WebError> {
    let p = caller.0;
    p.require(ApiScope::UsersRead)?;
    let id: UserId = id.trim().parse().map_err(|_| Error::NotFound)?;
    let user = state.core.user_within(p.actor, p.organization, id).await?;
    Ok(Json(user.into()))
}
