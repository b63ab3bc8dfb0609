//! My Account → Profile → picture: the multipart upload (CSRF-checked, with its own body limit),
//! removal, and serving the stored images and the initials avatar with `ETag` revalidation.
//!
//! Pictures are served only to their owner, at `/account/picture/<user id>/<512|128>?v=<version>`:
//! a face is personal data and nothing shows other users' pictures yet (organisations will widen
//! the rule in core). The id in the path keeps two accounts used in one browser from sharing a
//! cached image; the version makes a URL's content immutable, so it is cached for a year.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::accounts::picture::{self, PictureSize};
use keystead_core::ids::UserId;
use keystead_core::sessions::SessionInfo;
use keystead_core::{Code, Error, FieldErrors};

use super::profile;
use crate::csrf::{self, CsrfForm, CsrfToken};
use crate::error::{WebError, error_response};
use crate::extract::{ClientMeta, RequireSession};
use crate::flash::{self, Level};
use crate::state::AppState;

/// Where the upload form posts; exempt from the server-wide body limit, it has its own.
pub const PICTURE_UPLOAD_PATH: &str = "/account/picture";
/// The largest form read: the largest file plus room for the rest of the form.
pub const PICTURE_BODY_LIMIT: usize = picture::MAX_UPLOAD_BYTES + 1024 * 1024;
/// The route's body limit: a signed-in person's upload of up to this size that is too large is
/// read and dropped before the refusal, so that the browser shows the page with the message
/// rather than a reset connection (a server that answers without reading the body closes it
/// with data unread, which resets the connection and loses the answer in flight).
pub const PICTURE_DRAIN_LIMIT: usize = 32 * 1024 * 1024;

/// The picture card on the profile page.
#[derive(Debug, Clone)]
pub struct PictureCard {
    /// The 512 px image.
    pub large: String,
    /// The 128 px image.
    pub small: String,
    /// True when a picture was uploaded (so it can be removed).
    pub uploaded: bool,
    /// The messages for the file field.
    pub messages: Vec<String>,
}

/// The card for `session`'s user, with `errors` on the file field.
pub async fn card(state: &AppState, session: &SessionInfo, errors: &FieldErrors) -> Result<PictureCard, Error> {
    let avatar = state.core.avatar(&session.user).await?;
    let src = |size: u32| format!("/account/picture/{}/{size}?v={}", session.user.id, avatar.version);
    Ok(PictureCard {
        large: src(PictureSize::Large.pixels()),
        small: src(PictureSize::Small.pixels()),
        uploaded: avatar.uploaded,
        messages: super::localize_errors(errors.clone(), "picture").messages(picture::FIELD),
    })
}

/// The `v` query parameter.
#[derive(Debug, serde::Deserialize)]
pub struct VersionQuery {
    /// The image's version, as put in the URL by the page.
    pub v: Option<String>,
}

/// True when `If-None-Match` lists `etag` (quoted) or `*` (RFC 9110 §13.1.2; weak comparison).
pub fn matches_etag(headers: &HeaderMap, etag: &str) -> bool {
    headers.get_all(header::IF_NONE_MATCH).iter().filter_map(|v| v.to_str().ok()).any(|list| {
        list.split(',').map(str::trim).any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
    })
}

/// `GET /account/picture/{user_id}/{size}`
pub async fn show_profile_picture(
    State(state): State<AppState>,
    RequireSession(session): RequireSession,
    Path((user, size)): Path<(String, String)>,
    Query(query): Query<VersionQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let (Ok(owner), Some(size)) = (user.parse::<UserId>(), PictureSize::parse(&size)) else {
        return Err(WebError(Error::NotFound));
    };
    let image = state.core.profile_picture(&session.user, owner, size).await?;
    let etag = format!("\"{}-{}\"", image.etag, size.pixels());
    let versioned = query.v.as_deref() == Some(image.etag.as_str());
    image_response(&headers, &etag, versioned, image.bytes, &image.content_type)
}

/// A stored image with its `ETag` (304 when the browser has it): a versioned URL never changes
/// its content and is cached for a year; any other is revalidated on each use. Private: only
/// signed-in users may see it.
pub fn image_response(
    headers: &HeaderMap,
    etag: &str,
    versioned: bool,
    bytes: Vec<u8>,
    content_type: &str,
) -> Result<Response, WebError> {
    let cache = if versioned { "private, max-age=31536000, immutable" } else { "private, no-cache" };
    let mut response = if matches_etag(headers, etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = bytes.into_response();
        let ct = HeaderValue::from_str(content_type).map_err(|e| Error::Internal(e.into()))?;
        r.headers_mut().insert(header::CONTENT_TYPE, ct);
        r
    };
    let h = response.headers_mut();
    h.insert(header::ETAG, HeaderValue::from_str(etag).map_err(|e| Error::Internal(e.into()))?);
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    Ok(response)
}

/// The profile page again, with `errors` on the picture field, in `status`.
async fn refused(
    state: &AppState,
    session: &SessionInfo,
    csrf: CsrfToken,
    status: StatusCode,
    errors: &FieldErrors,
) -> Response {
    match profile::page_with_picture_errors(state, session, &csrf, errors).await {
        Ok(page) => (status, csrf, page).into_response(),
        Err(e) => WebError(e).into_response(),
    }
}

fn too_large(headers: &HeaderMap) -> FieldErrors {
    let len = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    match picture::file_too_large(len) {
        Error::Invalid(errors) => errors,
        _ => FieldErrors::new(),
    }
}

/// The form's `csrf_token` and file, read in full up to [`PICTURE_BODY_LIMIT`] (beyond it: 413,
/// after the rest of the body is read and dropped).
async fn read_form(mut multipart: Multipart) -> Result<(Option<String>, Vec<u8>), StatusCode> {
    let (mut token, mut file) = (None, Vec::new());
    let mut total = 0usize;
    while let Some(mut field) = multipart.next_field().await.map_err(|e| e.status())? {
        let name = field.name().map(str::to_owned);
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|e| e.status())? {
            total += chunk.len();
            if total > PICTURE_BODY_LIMIT {
                drain(multipart).await;
                return Err(StatusCode::PAYLOAD_TOO_LARGE);
            }
            bytes.extend_from_slice(&chunk);
        }
        match name.as_deref() {
            Some(csrf::FIELD) => token = Some(String::from_utf8(bytes).map_err(|_| StatusCode::BAD_REQUEST)?),
            Some(picture::FIELD) => file = bytes,
            _ => {}
        }
    }
    Ok((token, file))
}

/// Reads the rest of a form and drops it (bounded by [`PICTURE_DRAIN_LIMIT`]).
async fn drain(mut multipart: Multipart) {
    while let Ok(Some(mut field)) = multipart.next_field().await {
        while let Ok(Some(_)) = field.chunk().await {}
    }
}

/// `POST /account/picture` (multipart/form-data: `csrf_token`, `picture`)
pub async fn upload_profile_picture(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let declared: Option<usize> =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    if declared.is_some_and(|len| len > PICTURE_BODY_LIMIT) {
        // Refused unread; the body (up to the route's limit) is dropped first so the browser
        // receives the page. The message names the size the browser declared.
        if let Ok(multipart) = multipart
            && declared.is_some_and(|len| len <= PICTURE_DRAIN_LIMIT)
        {
            drain(multipart).await;
        }
        return refused(&state, &session, csrf, StatusCode::PAYLOAD_TOO_LARGE, &too_large(&headers)).await;
    }
    let Ok(multipart) = multipart else {
        return error_response(Code::MalformedRequest, None, FieldErrors::new(), None);
    };
    let (token, file) = match read_form(multipart).await {
        Ok(form) => form,
        Err(StatusCode::PAYLOAD_TOO_LARGE) => {
            return refused(&state, &session, csrf, StatusCode::PAYLOAD_TOO_LARGE, &too_large(&HeaderMap::new())).await;
        }
        Err(_) => return error_response(Code::MalformedRequest, None, FieldErrors::new(), None),
    };
    if !csrf::token_matches(&jar, &state, token.as_deref()) {
        return error_response(Code::CsrfFailed, None, FieldErrors::new(), None);
    }
    match state.core.set_profile_picture(&session.user, file, &meta).await {
        Ok(_) => {
            let jar = flash::push(jar, &state, Level::Success, crate::i18n::current().t("acct-picture-saved"));
            (jar, Redirect::to("/account/profile")).into_response()
        }
        Err(Error::Invalid(errors)) => refused(&state, &session, csrf, StatusCode::UNPROCESSABLE_ENTITY, &errors).await,
        Err(e) => WebError(e).into_response(),
    }
}

/// The removal form (nothing but its CSRF token).
#[derive(Debug, serde::Deserialize)]
pub struct RemoveForm {}

/// `POST /account/picture/remove`
pub async fn remove_profile_picture(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    CsrfForm(_): CsrfForm<RemoveForm>,
) -> Result<Response, WebError> {
    let removed = state.core.remove_profile_picture(&session.user, &meta).await?;
    let message = crate::i18n::current().t(if removed { "acct-picture-removed" } else { "acct-picture-none" });
    let jar = flash::push(jar, &state, Level::Success, message);
    Ok((jar, Redirect::to("/account/profile")).into_response())
}
