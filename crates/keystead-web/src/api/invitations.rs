//! The admin API's invitations of an organization (`orgs:read` to list, `orgs:write` to invite,
//! resend and revoke; the token's maker needs `members:invite` there): the same as the
//! organization's Members page, which emails the link.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use keystead_core::Error;
use keystead_core::api_tokens::ApiScope;
use keystead_core::ids::{InvitationId, OrganizationId};
use keystead_core::organizations::Invitation;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::admin::ApiCaller;
use super::rest::{parse_json, read_body};
use super::users::rfc3339;
use crate::error::WebError;
use crate::extract::ClientMeta;
use crate::state::AppState;

/// An open invitation.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationView {
    id: String,
    organization_id: String,
    /// The invited address.
    email: String,
    /// The role offered.
    role: String,
    /// `member` or `guest`.
    kind: String,
    /// When the link stops working.
    #[schema(format = DateTime)]
    expires_at: String,
}

impl From<Invitation> for InvitationView {
    fn from(i: Invitation) -> Self {
        let kind = serde_json::to_value(i.kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        Self {
            id: i.id.to_string(),
            organization_id: i.organization_id.to_string(),
            email: i.email,
            role: i.role,
            kind,
            expires_at: rfc3339(i.expires_at),
        }
    }
}

fn ids(org: &str, invitation: Option<&str>) -> Result<(OrganizationId, Option<InvitationId>), Error> {
    let org = org.trim().parse().map_err(|_| Error::NotFound)?;
    let invitation = match invitation {
        Some(i) => Some(i.trim().parse().map_err(|_| Error::NotFound)?),
        None => None,
    };
    Ok((org, invitation))
}

/// `GET /api/v1/organizations/{id}/invitations`: the open ones.
#[utoipa::path(get, path = "/api/v1/organizations/{id}/invitations", tag = "organizations", security(("token" = ["orgs:read"])),
    params(("id" = String, Path, description = "The organization's id")),
    responses(
        (status = 200, description = "Open invitations", body = Vec<InvitationView>),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or the token's maker may not invite"),
        (status = 404, description = "No such organization"),
    ))]
pub async fn list_invitations(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Vec<InvitationView>>, WebError> {
    let p = caller.principal;
    p.require(ApiScope::OrgsRead)?;
    let (org, _) = ids(&id, None)?;
    let list = state.core.organization_invitations(p.actor_in(org)?, org).await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

/// An invitation to send.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationBody {
    /// The address to invite.
    email: String,
    /// The role offered (`member` when absent).
    role: Option<String>,
}

/// `POST /api/v1/organizations/{id}/invitations`: emails an invitation link (201).
#[utoipa::path(post, path = "/api/v1/organizations/{id}/invitations", tag = "organizations", security(("token" = ["orgs:write"])),
    params(("id" = String, Path, description = "The organization's id")),
    request_body = InvitationBody,
    responses(
        (status = 201, description = "Invited", body = InvitationView),
        (status = 400, description = "`invalid_json`"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or the token's maker may not invite"),
        (status = 404, description = "No such organization"),
        (status = 422, description = "`invalid_input`: a bad address or role, already a member or invited"),
    ))]
pub async fn invite(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    ClientMeta(meta): ClientMeta,
    body: Body,
) -> Result<(StatusCode, Json<InvitationView>), WebError> {
    let p = caller.principal;
    p.require(ApiScope::OrgsWrite)?;
    let (org, _) = ids(&id, None)?;
    let b: InvitationBody = parse_json(&read_body(body).await?)?;
    let role = b.role.unwrap_or_else(|| "member".to_owned());
    let invitation = state.core.invite_to_organization(p.actor_in(org)?, org, &b.email, &role, &meta).await?;
    Ok((StatusCode::CREATED, Json(invitation.into())))
}

/// `POST /api/v1/organizations/{id}/invitations/{invitation}/resend`: a new link (202).
#[utoipa::path(post, path = "/api/v1/organizations/{id}/invitations/{invitation}/resend", tag = "organizations", security(("token" = ["orgs:write"])),
    params(("id" = String, Path, description = "The organization's id"), ("invitation" = String, Path, description = "The invitation's id")),
    responses(
        (status = 202, description = "Sent again"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or the token's maker may not invite"),
        (status = 404, description = "No such open invitation"),
        (status = 422, description = "`invalid_input`: the invitation was answered or has expired (`closed`)"),
        (status = 429, description = "`rate_limited`"),
    ))]
pub async fn resend_invitation(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, invitation)): Path<(String, String)>,
    ClientMeta(meta): ClientMeta,
) -> Result<StatusCode, WebError> {
    let p = caller.principal;
    p.require(ApiScope::OrgsWrite)?;
    let (org, invitation) = ids(&id, Some(&invitation))?;
    let invitation = invitation.ok_or(Error::NotFound)?;
    state.core.resend_invitation(p.actor_in(org)?, org, invitation, &meta).await?;
    Ok(StatusCode::ACCEPTED)
}

/// `DELETE /api/v1/organizations/{id}/invitations/{invitation}`: revokes it (204).
#[utoipa::path(delete, path = "/api/v1/organizations/{id}/invitations/{invitation}", tag = "organizations", security(("token" = ["orgs:write"])),
    params(("id" = String, Path, description = "The organization's id"), ("invitation" = String, Path, description = "The invitation's id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "No valid token"),
        (status = 403, description = "`insufficient_scope`, or the token's maker may not invite"),
        (status = 404, description = "No such open invitation"),
        (status = 422, description = "`invalid_input`: the invitation was answered or has expired (`closed`)"),
    ))]
pub async fn revoke_invitation(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, invitation)): Path<(String, String)>,
    ClientMeta(meta): ClientMeta,
) -> Result<StatusCode, WebError> {
    let p = caller.principal;
    p.require(ApiScope::OrgsWrite)?;
    let (org, invitation) = ids(&id, Some(&invitation))?;
    let invitation = invitation.ok_or(Error::NotFound)?;
    state.core.revoke_invitation(p.actor_in(org)?, org, invitation, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}
