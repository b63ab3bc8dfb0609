//! The colours and logo of the deployment and of organizations, served as files (the CSP allows
//! no inline style): `/brand/{rrggbb}.css` is the accent palette of one colour — a pure function
//! of the URL, so it is cached for a year —, `/brand/logo` the deployment's logo and
//! `/brand/organizations/{id}/{version}` an organization's logo on the pages that name it to
//! someone outside it (an invitation, its single sign-on): the version is the capability.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use keystead_core::Error;
use keystead_core::branding::{Palette, Rgb};
use keystead_core::organizations::logo::OrganizationBrand;

use crate::error::WebError;
use crate::state::AppState;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The stylesheet URL of an accent colour (`#1f5fbf` → `/brand/1f5fbf.css`).
pub fn css_url(color: &str) -> Option<String> {
    Rgb::parse(color).map(|c| format!("/brand/{}.css", &c.hex()[1..]))
}

/// The accent stylesheet of a page: the active organization's colour, else the deployment's.
pub fn accent_css(state: &AppState, organization_color: Option<&str>) -> Option<String> {
    organization_color
        .and_then(css_url)
        .or_else(|| state.core.config().interface.accent_color.map(|c| format!("/brand/{}.css", &c.hex()[1..])))
}

/// The deployment's logo URL, when one is configured.
pub fn logo_url(state: &AppState) -> Option<String> {
    state.core.brand().logo.as_ref().map(|l| format!("/brand/logo?v={}", l.version))
}

/// The URL of an organization's logo for pages that name it to someone outside it.
pub fn organization_logo_url(brand: &OrganizationBrand) -> Option<String> {
    brand.logo_version.as_ref().map(|v| format!("/brand/organizations/{}/{v}", brand.id))
}

/// `GET /brand/organizations/{id}/{version}`: the logo while `version` is current (a new logo
/// is a new URL, so each is cached for a year); `NotFound` for anything else.
pub async fn serve_organization_logo(
    State(state): State<AppState>,
    Path((id, version)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let id = super::admin::parse_id(&id)?;
    let image = state.core.published_organization_logo(id, &version).await?;
    let content_type = HeaderValue::from_str(&image.content_type).map_err(|e| WebError(Error::Internal(e.into())))?;
    Ok((
        [(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE))],
        image.bytes,
    )
        .into_response())
}

/// `GET /brand/{file}`: `{rrggbb}.css`, the palette of that colour with WCAG AA contrast kept.
pub async fn serve_palette(Path(file): Path<String>) -> Result<Response, WebError> {
    let hex = file.strip_suffix(".css").filter(|h| h.len() == 6).ok_or(WebError(Error::NotFound))?;
    let color = Rgb::parse(&format!("#{hex}")).ok_or(WebError(Error::NotFound))?;
    let css = Palette::from_accent(color).css(":root");
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE)),
        ],
        css,
    )
        .into_response())
}

/// `GET /brand/logo`: the deployment's logo (`branding.logo_file`).
pub async fn serve_logo(State(state): State<AppState>) -> Result<Response, WebError> {
    let logo = state.core.brand().logo.as_ref().ok_or(WebError(Error::NotFound))?;
    let etag =
        HeaderValue::from_str(&format!("\"{}\"", logo.version)).map_err(|e| WebError(Error::Internal(e.into())))?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(logo.content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400")),
            (header::ETAG, etag),
        ],
        logo.bytes.clone(),
    )
        .into_response())
}
