//! Outbound requests to the provider over the caller's client (built by
//! [`crate::outbound::client`]: no redirects, no proxy, SSRF guard): JSON documents read with a
//! size cap, and the adapter `openidconnect` sends its token request through.

use std::future::Future;
use std::pin::Pin;

use super::OidcError;

/// The largest answer read from a provider: discovery documents and key sets are a few KiB.
const MAX_BODY: usize = 1024 * 1024;

/// Why a request to the provider failed.
#[derive(Debug, thiserror::Error)]
pub(in crate::sso) enum HttpError {
    /// Connection, TLS, timeout or guard refusal.
    #[error(transparent)]
    Transport(#[from] reqwest::Error),
    /// The body is larger than [`MAX_BODY`].
    #[error("the answer is larger than {MAX_BODY} bytes")]
    TooLarge,
}

/// Reads the body, refusing more than [`MAX_BODY`] bytes.
async fn capped_body(mut response: reqwest::Response) -> Result<Vec<u8>, HttpError> {
    if response.content_length().is_some_and(|n| n > MAX_BODY as u64) {
        return Err(HttpError::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(HttpError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// An answer: status, content type (lowercased, without parameters) and body.
pub(in crate::sso) struct Answer {
    pub status: reqwest::StatusCode,
    pub content_type: String,
    pub body: Vec<u8>,
}

/// Sends `request`, reading the answer with the size cap.
pub(in crate::sso) async fn send(request: reqwest::RequestBuilder, url: &str) -> Result<Answer, OidcError> {
    let unreachable = |e: HttpError| OidcError::Unreachable { url: url.to_owned(), reason: describe(&e) };
    let response = request.send().await.map_err(|e| unreachable(e.into()))?;
    let status = response.status();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
        .unwrap_or_default();
    let body = capped_body(response).await.map_err(unreachable)?;
    Ok(Answer { status, content_type, body })
}

/// GETs a JSON document: its parsed body, or why not (`what` names it in the message).
pub(super) async fn get_json<T: serde::de::DeserializeOwned>(
    http: &reqwest::Client,
    url: &str,
    what: &str,
) -> Result<T, JsonFailure> {
    let request = http.get(url).header(reqwest::header::ACCEPT, "application/json");
    let answer = send(request, url).await.map_err(JsonFailure::Unreachable)?;
    if answer.status != reqwest::StatusCode::OK {
        return Err(JsonFailure::Unusable(format!("{what} at {url} answered HTTP {}", answer.status.as_u16())));
    }
    // Content types are not checked strictly: some providers serve JSON as text/plain.
    serde_json::from_slice(&answer.body).map_err(|e| JsonFailure::Unusable(format!("{what} at {url}: {e}")))
}

/// Why [`get_json`] failed.
pub(super) enum JsonFailure {
    /// The request itself failed.
    Unreachable(OidcError),
    /// The answer is not the document, in words.
    Unusable(String),
}

/// The error and its causes on one line (reqwest puts the useful part in the source chain).
fn describe(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// The future the adapter returns: `Send`, so a sign-in can run in any axum handler.
type Sending = Pin<Box<dyn Future<Output = Result<openidconnect::HttpResponse, HttpError>> + Send>>;

/// `openidconnect`'s HTTP client over ours: the request as built, the answer size-capped.
pub(in crate::sso) fn adapter(http: &reqwest::Client) -> impl Fn(openidconnect::HttpRequest) -> Sending + Send + Sync {
    let http = http.clone();
    move |request| {
        let http = http.clone();
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let response =
                http.request(parts.method, parts.uri.to_string()).headers(parts.headers).body(body).send().await?;
            let status = response.status();
            let headers = response.headers().clone();
            let mut out = openidconnect::HttpResponse::new(capped_body(response).await?);
            *out.status_mut() = status;
            *out.headers_mut() = headers;
            Ok(out)
        })
    }
}

/// Describes an adapter failure for [`OidcError::Unreachable`].
pub(in crate::sso) fn describe_http(error: &HttpError) -> String {
    describe(error)
}
