//! The admin API's view of a user's sessions (the operator's deployment token): list them
//! (`users:read`), end one or all (`users:write`); applications signed in through them are
//! told by back-channel logout.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use keystead_core::Error;
use keystead_core::api_tokens::ApiScope;
use keystead_core::ids::SessionId;
use keystead_core::sessions::{SessionInfo, device_name};
use serde::Serialize;
use utoipa::ToSchema;

use super::admin::ApiCaller;
use super::users::{rfc3339, user_id};
use crate::error::WebError;
use crate::extract::ClientMeta;
use crate::state::AppState;

/// A signed-in session.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    id: String,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    last_seen_at: String,
    /// When the user last authenticated in it.
    #[schema(format = DateTime)]
    auth_time: String,
    /// Methods used (RFC 8176: `pwd`, `otp`, `hwk`, …).
    amr: Vec<String>,
    /// `aal1`, `aal2` or `aal3`.
    assurance: String,
    /// Client address at sign-in.
    ip: Option<String>,
    user_agent: Option<String>,
    /// Browser and system, read from the user agent.
    device: String,
    /// The organization it acts in.
    active_organization_id: Option<String>,
}

impl From<SessionInfo> for SessionView {
    fn from(s: SessionInfo) -> Self {
        let assurance =
            serde_json::to_value(s.assurance).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        Self {
            id: s.id.to_string(),
            created_at: rfc3339(s.created_at),
            last_seen_at: rfc3339(s.last_seen_at),
            auth_time: rfc3339(s.auth_time),
            amr: s.amr,
            assurance,
            device: device_name(s.user_agent.as_deref()),
            ip: s.ip,
            user_agent: s.user_agent,
            active_organization_id: s.active_organization.map(|o| o.to_string()),
        }
    }
}

/// How many sessions ended.
#[derive(Debug, Serialize, ToSchema)]
pub struct Ended {
    ended: u64,
}

/// `GET /api/v1/users/{id}/sessions`
#[utoipa::path(get, path = "/api/v1/users/{id}/sessions", tag = "users", security(("token" = ["users:read"])),
    params(("id" = String, Path, description = "The user's id")),
    responses(
        (status = 200, description = "Live sessions, newest first", body = Vec<SessionView>),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or `forbidden` for an organization's token"),
        (status = 404, description = "No such account"),
    ))]
pub async fn list_user_sessions(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Vec<SessionView>>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::UsersRead)?;
    let list = state.core.user_sessions(p.deployment_actor()?, user_id(&id)?).await?;
    Ok(Json(list.into_iter().map(SessionView::from).collect()))
}

/// `DELETE /api/v1/users/{id}/sessions`: ends every session.
#[utoipa::path(delete, path = "/api/v1/users/{id}/sessions", tag = "users", security(("token" = ["users:write"])),
    params(("id" = String, Path, description = "The user's id")),
    responses(
        (status = 200, description = "How many ended", body = Ended),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or `forbidden` for an organization's token"),
        (status = 404, description = "No such account"),
    ))]
pub async fn end_user_sessions(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    ClientMeta(meta): ClientMeta,
) -> Result<Json<Ended>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::UsersWrite)?;
    let ended = state.core.end_user_sessions(p.deployment_actor()?, user_id(&id)?, None, &meta).await?;
    Ok(Json(Ended { ended }))
}

/// `DELETE /api/v1/users/{id}/sessions/{session}`: ends one session (204).
#[utoipa::path(delete, path = "/api/v1/users/{id}/sessions/{session}", tag = "users", security(("token" = ["users:write"])),
    params(
        ("id" = String, Path, description = "The user's id"),
        ("session" = String, Path, description = "The session's id"),
    ),
    responses(
        (status = 204, description = "Ended"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or `forbidden` for an organization's token"),
        (status = 404, description = "No such account, or not one of its live sessions"),
    ))]
pub async fn end_user_session(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, session)): Path<(String, String)>,
    ClientMeta(meta): ClientMeta,
) -> Result<StatusCode, WebError> {
    let p = caller.principal;
    p.require(ApiScope::UsersWrite)?;
    let session: SessionId = session.trim().parse().map_err(|_| Error::NotFound)?;
    state.core.end_user_sessions(p.deployment_actor()?, user_id(&id)?, Some(session), &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}
