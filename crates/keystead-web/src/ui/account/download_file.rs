//! `GET /downloads/file/{token}`: serves a signed download link. No session is needed (the
//! token is the authorization, so a desktop installer or `curl -C -` can resume); the token and
//! the license behind it are checked on every request. Files are streamed in chunks, never read
//! whole, with single byte ranges (206 + `Content-Range`, 416 when unsatisfiable, `If-Range`
//! against the SHA-256 `ETag`); external downloads answer 303 to their URL.
//!
//! Refusals: 404 for a token that is not ours (malformed, tampered), 410 once it has expired,
//! 403 when the license behind it has ended or the account can no longer be used.

use std::io::SeekFrom;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use keystead_core::licensing::DownloadTarget;
use keystead_core::{Code, Error, FieldErrors};
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio_util::io::ReaderStream;

use crate::error::{WebError, error_response};
use crate::state::AppState;

const CHUNK: usize = 64 * 1024;

/// What a `Range` header asks of a file of `size` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeAsk {
    /// The whole file (no range, several ranges, another unit, or a header we do not read).
    Whole,
    /// Bytes `start..=end`.
    Part(u64, u64),
    /// A range outside the file.
    Unsatisfiable,
}

/// Reads a `Range` header (RFC 9110 §14.2) for a file of `size` bytes. Only one `bytes` range
/// is served; anything else is answered with the whole file, as the RFC allows.
pub fn parse_range(value: &str, size: u64) -> RangeAsk {
    let Some(spec) = value.trim().strip_prefix("bytes=") else { return RangeAsk::Whole };
    if spec.contains(',') {
        return RangeAsk::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else { return RangeAsk::Whole };
    let (first, last) = (first.trim(), last.trim());
    let number = |s: &str| if s.bytes().all(|b| b.is_ascii_digit()) { s.parse::<u64>().ok() } else { None };
    match (first.is_empty(), last.is_empty()) {
        (true, true) => RangeAsk::Whole,
        // "-n": the last n bytes
        (true, false) => match number(last) {
            None => RangeAsk::Whole,
            Some(0) => RangeAsk::Unsatisfiable,
            Some(_) if size == 0 => RangeAsk::Unsatisfiable,
            Some(n) => RangeAsk::Part(size.saturating_sub(n), size - 1),
        },
        (false, _) => {
            let Some(start) = number(first) else { return RangeAsk::Whole };
            let end = if last.is_empty() { Some(u64::MAX) } else { number(last) };
            match end {
                None => RangeAsk::Whole,
                Some(end) if end < start => RangeAsk::Whole,
                Some(_) if start >= size => RangeAsk::Unsatisfiable,
                Some(end) => RangeAsk::Part(start, end.min(size - 1)),
            }
        }
    }
}

/// `attachment; filename="…"` with only `[A-Za-z0-9._-]` (RFC 6266; stored names are cleaned
/// the same way, this keeps a damaged row from breaking the header).
fn content_disposition(name: &str) -> HeaderValue {
    let safe: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' })
        .take(200)
        .collect();
    let safe = if safe.trim_matches('.').is_empty() { "download".to_owned() } else { safe };
    HeaderValue::from_str(&format!("attachment; filename=\"{safe}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

fn refusal(e: Error, minutes: i64) -> Response {
    let (code, detail) = match e {
        Error::NotFound => (Code::NotFound, crate::i18n::current().t("acct-download-link-invalid")),
        Error::Conflict(Code::LinkInvalid) => {
            (Code::LinkInvalid, crate::i18n::current().t1("acct-download-link-expired", "minutes", minutes))
        }
        Error::Forbidden => (Code::Forbidden, crate::i18n::current().t("acct-download-unavailable")),
        other => return WebError(other).into_response(),
    };
    error_response(code, Some(detail), FieldErrors::new(), None)
}

/// `GET /downloads/file/{token}`
pub async fn serve_download(State(state): State<AppState>, Path(token): Path<String>, headers: HeaderMap) -> Response {
    let minutes = state.core.config().licenses.download_link_ttl.whole_minutes().max(1);
    let target = match state.core.authorize_download(&token).await {
        Ok(t) => t,
        Err(e) => return refusal(e, minutes),
    };
    match target {
        DownloadTarget::External { url } => match HeaderValue::from_str(&url) {
            Ok(location) => (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response(),
            Err(_) => WebError(Error::Internal(anyhow::anyhow!("download URL is not a header value"))).into_response(),
        },
        DownloadTarget::File { path, file_name, sha256, .. } => {
            match serve_file(&path, &file_name, &sha256, &headers).await {
                Ok(r) => r,
                Err(e) => {
                    tracing::warn!(path = %path.display(), error = %e, "download file cannot be read");
                    refusal(Error::NotFound, minutes)
                }
            }
        }
    }
}

async fn serve_file(
    path: &std::path::Path,
    file_name: &str,
    sha256: &str,
    headers: &HeaderMap,
) -> std::io::Result<Response> {
    let mut file = tokio::fs::File::open(path).await?;
    let size = file.metadata().await?.len();
    let etag = format!("\"{sha256}\"");
    // If-Range: the range holds only for the same file (our strong ETag); otherwise the whole.
    let same_file = headers.get(header::IF_RANGE).is_none_or(|v| v.to_str().is_ok_and(|v| v.trim() == etag));
    let ask = match headers.get(header::RANGE).and_then(|v| v.to_str().ok()) {
        Some(range) if same_file => parse_range(range, size),
        _ => RangeAsk::Whole,
    };
    let mut response = match ask {
        RangeAsk::Unsatisfiable => {
            let detail = format!("The requested range is outside the file ({size} bytes).");
            let mut r = error_response(Code::MalformedRequest, Some(detail), FieldErrors::new(), None);
            *r.status_mut() = StatusCode::RANGE_NOT_SATISFIABLE;
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{size}")) {
                r.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            r
        }
        RangeAsk::Whole => {
            let body = Body::from_stream(ReaderStream::with_capacity(file, CHUNK));
            let mut r = (StatusCode::OK, body).into_response();
            r.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(size));
            r
        }
        RangeAsk::Part(start, end) => {
            file.seek(SeekFrom::Start(start)).await?;
            let len = end - start + 1;
            let body = Body::from_stream(ReaderStream::with_capacity(file.take(len), CHUNK));
            let mut r = (StatusCode::PARTIAL_CONTENT, body).into_response();
            r.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(len));
            if let Ok(v) = HeaderValue::from_str(&format!("bytes {start}-{end}/{size}")) {
                r.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            r
        }
    };
    let h = response.headers_mut();
    if ask != RangeAsk::Unsatisfiable {
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream"));
        h.insert(header::CONTENT_DISPOSITION, content_disposition(file_name));
    }
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_read_as_rfc_9110_says() {
        use RangeAsk::*;
        assert_eq!(parse_range("bytes=0-9", 100), Part(0, 9));
        assert_eq!(parse_range("bytes=90-", 100), Part(90, 99));
        assert_eq!(parse_range("bytes=90-500", 100), Part(90, 99));
        assert_eq!(parse_range("bytes=-10", 100), Part(90, 99));
        assert_eq!(parse_range("bytes=-500", 100), Part(0, 99));
        assert_eq!(parse_range("bytes=100-", 100), Unsatisfiable);
        assert_eq!(parse_range("bytes=-0", 100), Unsatisfiable);
        assert_eq!(parse_range("bytes=0-", 0), Unsatisfiable);
        assert_eq!(parse_range("bytes=0-1,5-6", 100), Whole);
        assert_eq!(parse_range("bytes=9-1", 100), Whole);
        assert_eq!(parse_range("items=0-1", 100), Whole);
        assert_eq!(parse_range("bytes=a-b", 100), Whole);
        assert_eq!(parse_range("bytes=+1-2", 100), Whole);
    }

    #[test]
    fn file_names_are_safe_in_the_header() {
        assert_eq!(content_disposition("setup 1.msi"), "attachment; filename=\"setup_1.msi\"");
        assert_eq!(content_disposition("a\"b\r\n.exe"), "attachment; filename=\"a_b__.exe\"");
        assert_eq!(content_disposition(".."), "attachment; filename=\"download\"");
    }
}
