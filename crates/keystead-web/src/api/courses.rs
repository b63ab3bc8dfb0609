//! Completed courses through the admin API: a learning system pushes what a user completed
//! (`courses:write`, deployment tokens; idempotent by course id and user) and integrations read
//! them back (`users:read`: an organization's token, its people only). The same Core functions
//! as My Account → Completed courses and the CLI.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use keystead_core::Error;
use keystead_core::api_tokens::ApiScope;
use keystead_core::courses::{CourseCompletion, NewCompletion, Recorded};
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use utoipa::ToSchema;

use super::admin::ApiCaller;
use super::rest::{parse_json, read_body};
use super::users::{rfc3339, user_id};
use crate::error::WebError;
use crate::extract::ClientMeta;
use crate::state::AppState;

/// A course the user completed, as the learning system reports it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompletionBody {
    /// The learning system's id of the course (1 to 200 characters).
    course_id: String,
    /// Its title (1 to 300 characters).
    title: String,
    /// When the user completed it (RFC 3339), not in the future.
    #[schema(format = DateTime)]
    completed_at: String,
    /// The score as a percentage, 0 to 100.
    score: Option<f64>,
    /// Where the certificate is (an absolute https URL).
    certificate_url: Option<String>,
}

/// A recorded course completion.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompletionView {
    course_id: String,
    title: String,
    #[schema(format = DateTime)]
    completed_at: String,
    score: Option<f64>,
    certificate_url: Option<String>,
    /// When Keystead last recorded it.
    #[schema(format = DateTime)]
    recorded_at: String,
}

impl From<CourseCompletion> for CompletionView {
    fn from(c: CourseCompletion) -> Self {
        Self {
            course_id: c.course_id,
            title: c.title,
            completed_at: rfc3339(c.completed_at),
            score: c.score,
            certificate_url: c.certificate_url,
            recorded_at: rfc3339(c.recorded_at),
        }
    }
}

/// `POST /api/v1/users/{id}/course-completions`: records a completed course (201 when new; 200
/// when the course was recorded for the user before: the same push again changes nothing,
/// other details replace the record).
#[utoipa::path(post, path = "/api/v1/users/{id}/course-completions", tag = "courses", security(("token" = ["courses:write"])),
    params(("id" = String, Path, description = "The user's id")),
    request_body = CompletionBody,
    responses(
        (status = 201, description = "Recorded", body = CompletionView),
        (status = 200, description = "Recorded before; now as given", body = CompletionView),
        (status = 400, description = "`invalid_json`"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`: the token lacks `courses:write`"),
        (status = 404, description = "No such account"),
        (status = 422, description = "`invalid_input`, naming each field: `course_id`, `title`, `completed_at` (not RFC 3339, or in the future), `score` (outside 0–100), `certificate_url`"),
    ))]
pub async fn record_completion(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    ClientMeta(meta): ClientMeta,
    body: Body,
) -> Result<Response, WebError> {
    let p = caller.principal;
    p.require(ApiScope::CoursesWrite)?;
    let user = user_id(&id)?;
    let b: CompletionBody = parse_json(&read_body(body).await?)?;
    let completed_at = time::OffsetDateTime::parse(b.completed_at.trim(), &Rfc3339).map_err(|_| {
        Error::invalid("completed_at", "invalid_time", "Give the time as RFC 3339, such as 2026-12-01T09:30:00Z.")
    })?;
    let new = NewCompletion {
        course_id: &b.course_id,
        title: &b.title,
        completed_at,
        score: b.score,
        certificate_url: b.certificate_url.as_deref(),
    };
    let (completion, recorded) = state.core.record_course_completion(user, &new, &meta).await?;
    let status = if recorded == Recorded::Created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(CompletionView::from(completion))).into_response())
}

/// `GET /api/v1/users/{id}/course-completions`: the courses the user completed, newest first.
#[utoipa::path(get, path = "/api/v1/users/{id}/course-completions", tag = "courses", security(("token" = ["users:read"])),
    params(("id" = String, Path, description = "The user's id")),
    responses(
        (status = 200, description = "The completions, newest first", body = Vec<CompletionView>),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`: the token lacks `users:read`"),
        (status = 404, description = "No such account (for an organization's token: not one of its people)"),
    ))]
pub async fn list_completions(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Vec<CompletionView>>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::UsersRead)?;
    let user = state.core.user_within(p.actor, p.organization, user_id(&id)?).await?;
    let completions = state.core.course_completions(user.user.id).await?;
    Ok(Json(completions.into_iter().map(Into::into).collect()))
}
