//! The organization's email domains (claim, "Check now" of the DNS TXT record, remove) and its
//! logo (multipart upload with its own body limit, removal, serving with `ETag` revalidation),
//! on the settings page for holders of `org:manage`. Every check is in core.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::accounts::picture;
use keystead_core::organizations::{Actor, logo};
use keystead_core::sessions::SessionInfo;
use keystead_core::{Code, Error, FieldErrors};
use serde::Deserialize;

use super::account::{VersionQuery, image_response};
use super::org_admin::{answer, org_of, settings_page};
use crate::csrf::{self, CsrfForm, CsrfToken};
use crate::error::{WebError, error_response};
use crate::extract::{ClientMeta, RequireSession};
use crate::state::AppState;

/// The body limit of the logo upload: the largest file plus room for the rest of the form.
pub const LOGO_BODY_LIMIT: usize = picture::MAX_UPLOAD_BYTES + 1024 * 1024;

/// True for the logo upload (`POST /org/{slug}/logo`), which is exempt from the server-wide
/// body limit: it has its own, and answers an oversized file with a message on its form.
pub fn is_logo_upload(path: &str) -> bool {
    path.strip_prefix("/org/")
        .and_then(|rest| rest.strip_suffix("/logo"))
        .is_some_and(|slug| !slug.is_empty() && !slug.contains('/'))
}

/// A form naming a domain.
#[derive(Debug, Deserialize)]
pub struct DomainForm {
    #[serde(default)]
    domain: String,
}

async fn org_id(
    state: &AppState,
    session: &SessionInfo,
    slug: &str,
) -> Result<keystead_core::ids::OrganizationId, Error> {
    Ok(org_of(state, session.user.id, slug).await?.id)
}

/// `POST /org/{slug}/domains`: claims a domain, pending its DNS record.
pub async fn claim_org_domain(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<DomainForm>,
) -> Result<Response, WebError> {
    let org = org_id(&state, &session, &slug).await?;
    let result = state.core.claim_organization_domain(Actor::User(session.user.id), org, &form.domain, &meta).await;
    let done = result.map(|d| crate::i18n::current().t1("org-flash-domain-added", "domain", d.domain));
    answer(&state, jar, &format!("/org/{slug}/settings"), done)
}

/// `POST /org/{slug}/domains/verify`: "Check now".
pub async fn verify_org_domain(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<DomainForm>,
) -> Result<Response, WebError> {
    let org = org_id(&state, &session, &slug).await?;
    let result = state.core.verify_organization_domain(Actor::User(session.user.id), org, &form.domain, &meta).await;
    let done = result.map(|d| crate::i18n::current().t1("org-flash-domain-verified", "domain", d.domain));
    answer(&state, jar, &format!("/org/{slug}/settings"), done)
}

/// `POST /org/{slug}/domains/remove`
pub async fn remove_org_domain(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<DomainForm>,
) -> Result<Response, WebError> {
    let org = org_id(&state, &session, &slug).await?;
    let result = state.core.remove_organization_domain(Actor::User(session.user.id), org, &form.domain, &meta).await;
    let done = result.map(|()| crate::i18n::current().t1("org-flash-domain-removed", "domain", form.domain.trim()));
    answer(&state, jar, &format!("/org/{slug}/settings"), done)
}

/// `GET /org/{slug}/logo?v=`: members only; a versioned URL is cached for a year.
pub async fn show_org_logo(
    State(state): State<AppState>,
    RequireSession(session): RequireSession,
    Path(slug): Path<String>,
    Query(query): Query<VersionQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let org = org_id(&state, &session, &slug).await?;
    let image = state.core.organization_logo(Actor::User(session.user.id), org).await?;
    let etag = format!("\"{}\"", image.etag);
    let versioned = query.v.as_deref() == Some(image.etag.as_str());
    image_response(&headers, &etag, versioned, image.bytes, &image.content_type)
}

/// The settings page again, with `errors` on the logo field, in `status`.
async fn refused(
    state: &AppState,
    session: &SessionInfo,
    csrf: CsrfToken,
    slug: &str,
    status: StatusCode,
    errors: FieldErrors,
) -> Response {
    match settings_page(state, session, &csrf, slug, errors).await {
        Ok(page) => (status, csrf, page).into_response(),
        Err(e) => WebError(e).into_response(),
    }
}

fn too_large(len: Option<u64>) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if let Error::Invalid(e) = picture::file_too_large(len) {
        for e in e.0 {
            errors.add(logo::LOGO_FIELD, e.code, e.message);
        }
    }
    errors
}

/// The form's `csrf_token` and file, read in full (the body is bounded by [`LOGO_BODY_LIMIT`]).
async fn read_form(mut multipart: Multipart) -> Result<(Option<String>, Vec<u8>), StatusCode> {
    let (mut token, mut file) = (None, Vec::new());
    while let Some(field) = multipart.next_field().await.map_err(|e| e.status())? {
        match field.name() {
            Some(csrf::FIELD) => token = Some(field.text().await.map_err(|e| e.status())?),
            Some(logo::LOGO_FIELD) => file = field.bytes().await.map_err(|e| e.status())?.to_vec(),
            _ => {}
        }
    }
    Ok((token, file))
}

/// `POST /org/{slug}/logo` (multipart/form-data: `csrf_token`, `logo`)
#[expect(clippy::too_many_arguments, reason = "axum extractors, one per argument")]
pub async fn upload_org_logo(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let org = match org_id(&state, &session, &slug).await {
        Ok(org) => org,
        Err(e) => return WebError(e).into_response(),
    };
    let declared: Option<u64> =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    if declared.is_some_and(|len| len > LOGO_BODY_LIMIT as u64) {
        return refused(&state, &session, csrf, &slug, StatusCode::PAYLOAD_TOO_LARGE, too_large(declared)).await;
    }
    let Ok(multipart) = multipart else {
        return error_response(Code::MalformedRequest, None, FieldErrors::new(), None);
    };
    let (token, file) = match read_form(multipart).await {
        Ok(form) => form,
        Err(StatusCode::PAYLOAD_TOO_LARGE) => {
            return refused(&state, &session, csrf, &slug, StatusCode::PAYLOAD_TOO_LARGE, too_large(None)).await;
        }
        Err(_) => return error_response(Code::MalformedRequest, None, FieldErrors::new(), None),
    };
    if !csrf::token_matches(&jar, &state, token.as_deref()) {
        return error_response(Code::CsrfFailed, None, FieldErrors::new(), None);
    }
    match state.core.set_organization_logo(Actor::User(session.user.id), org, file, &meta).await {
        Ok(_) => match answer(
            &state,
            jar,
            &format!("/org/{slug}/settings"),
            Ok(crate::i18n::current().t("org-flash-logo-saved")),
        ) {
            Ok(r) => r,
            Err(e) => e.into_response(),
        },
        Err(Error::Invalid(errors)) => {
            refused(&state, &session, csrf, &slug, StatusCode::UNPROCESSABLE_ENTITY, errors).await
        }
        Err(e) => WebError(e).into_response(),
    }
}

/// The removal form (nothing but its CSRF token).
#[derive(Debug, Deserialize)]
pub struct RemoveLogoForm {}

/// `POST /org/{slug}/logo/remove`
pub async fn remove_org_logo(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    Path(slug): Path<String>,
    CsrfForm(_): CsrfForm<RemoveLogoForm>,
) -> Result<Response, WebError> {
    let org = org_id(&state, &session, &slug).await?;
    let result = state.core.remove_organization_logo(Actor::User(session.user.id), org, &meta).await;
    let done =
        result.map(|had| crate::i18n::current().t(if had { "org-flash-logo-removed" } else { "org-flash-logo-none" }));
    answer(&state, jar, &format!("/org/{slug}/settings"), done)
}
