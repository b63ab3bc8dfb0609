//! Static files embedded in the binary, served with an ETag and, when the URL carries the
//! content hash, cached for a year.

use axum::extract::{Path, Query};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

use crate::error::WebError;

#[derive(RustEmbed)]
#[folder = "static/"]
struct Assets;

fn short_hash(file: &rust_embed::EmbeddedFile) -> String {
    file.metadata.sha256_hash().iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// The URL of an asset, with its content hash so that a new release is fetched at once.
pub fn url(path: &str) -> String {
    match Assets::get(path) {
        Some(file) => format!("/static/{path}?v={}", short_hash(&file)),
        None => format!("/static/{path}"),
    }
}

/// The query of an asset URL.
#[derive(Debug, serde::Deserialize)]
pub struct AssetQuery {
    v: Option<String>,
}

/// `GET /static/{*path}`
pub async fn serve_asset(
    Path(path): Path<String>,
    Query(q): Query<AssetQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let Some(file) = Assets::get(&path) else { return Err(WebError(keystead_core::Error::NotFound)) };
    let hash = short_hash(&file);
    let etag = format!("\"{hash}\"");
    let cache =
        if q.v.as_deref() == Some(hash.as_str()) { "public, max-age=31536000, immutable" } else { "public, no-cache" };
    let mut response = if headers.get(header::IF_NONE_MATCH).is_some_and(|v| v.as_bytes() == etag.as_bytes()) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mime = file.metadata.mimetype().to_owned();
        let mut r = file.data.into_owned().into_response();
        if let Ok(v) = HeaderValue::from_str(&mime) {
            r.headers_mut().insert(header::CONTENT_TYPE, v);
        }
        r
    };
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    Ok(response)
}
