//! Errors as responses. A handler returns [`WebError`]; the response carries an [`ErrorInfo`]
//! extension and no body, and the error-page middleware renders it once, as an HTML page for
//! people or an RFC 9457 problem document for the API, depending on the request.

use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use keystead_core::i18n::Locale;
use keystead_core::{Code, Error, FieldErrors};

/// What the error renderer needs to describe a failure.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// The stable code.
    pub code: Code,
    /// A sentence for a person.
    pub detail: String,
    /// Per-field failures, for validation errors.
    pub fields: FieldErrors,
    /// How long to wait, when the answer says (the page words it in the reader's language).
    pub retry_after: Option<Duration>,
}

/// An error returned by a handler.
#[derive(Debug)]
pub struct WebError(pub Error);

impl<E: Into<Error>> From<E> for WebError {
    fn from(e: E) -> Self {
        Self(e.into())
    }
}

/// The status for a code.
pub fn status_for(code: Code) -> StatusCode {
    match code {
        Code::MalformedRequest => StatusCode::BAD_REQUEST,
        Code::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        Code::CsrfFailed | Code::CrossOrigin | Code::Forbidden | Code::RegistrationClosed | Code::AccountDisabled => {
            StatusCode::FORBIDDEN
        }
        Code::LinkInvalid => StatusCode::GONE,
        Code::NotFound => StatusCode::NOT_FOUND,
        Code::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        Code::Unauthenticated => StatusCode::UNAUTHORIZED,
        Code::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        Code::Overloaded | Code::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Code::Timeout => StatusCode::REQUEST_TIMEOUT,
        Code::InvalidInput => StatusCode::UNPROCESSABLE_ENTITY,
        Code::AlreadyExists | Code::MachineLimit | Code::SsoRequiredNeedsConnection | Code::EmailUnavailable => {
            StatusCode::CONFLICT
        }
        Code::SsoFailed => StatusCode::BAD_REQUEST,
        Code::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
        Code::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
        Code::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        Code::InvalidJson => StatusCode::BAD_REQUEST,
        Code::InsufficientScope => StatusCode::FORBIDDEN,
        Code::IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
        Code::IdempotencyKeyInUse | Code::IdempotencyAnswerLost => StatusCode::CONFLICT,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The headline shown for a code.
pub fn title_for(code: Code) -> &'static str {
    match code {
        Code::MalformedRequest => "The request could not be read",
        Code::PayloadTooLarge => "The request is too large",
        Code::CsrfFailed => "This form has expired",
        Code::CrossOrigin => "Request from another site refused",
        Code::NotFound => "Page not found",
        Code::MethodNotAllowed => "Method not allowed",
        Code::Unauthenticated => "Please sign in",
        Code::Forbidden => "Not allowed",
        Code::RateLimited => "Too many attempts",
        Code::Overloaded => "The server is busy",
        Code::Unavailable => "Temporarily unavailable",
        Code::Timeout => "The request took too long",
        Code::InvalidInput => "Some of the input is not valid",
        Code::AlreadyExists => "That already exists",
        Code::LinkInvalid => "This link no longer works",
        Code::RegistrationClosed => "Registration is by invitation only",
        Code::AccountDisabled => "This account is disabled",
        Code::MachineLimit => "Machine limit reached",
        Code::SsoRequiredNeedsConnection => "The organization requires single sign-on",
        Code::SsoFailed => "Single sign-on did not work",
        Code::PreconditionFailed => "The version has changed",
        Code::PreconditionRequired => "The version you read is required",
        Code::TooLarge => "The document is too large",
        Code::InvalidJson => "The body is not valid JSON",
        Code::InsufficientScope => "The token lacks a scope",
        Code::IdempotencyKeyReused => "The idempotency key was used for another request",
        Code::IdempotencyKeyInUse => "The first request with this key is still running",
        Code::IdempotencyAnswerLost => "The first request with this key made its change",
        Code::EmailUnavailable => "This address cannot be used",
        _ => "Something went wrong",
    }
}

/// The message id of `code`'s headline (`error-title-…`) or explanation (`error-detail-…`);
/// codes without their own share `…-other`.
fn message_id(kind: &str, code: Code) -> String {
    let id = format!("error-{kind}-{}", code.as_str().replace('_', "-"));
    if Locale::has(&id) { id } else { format!("error-{kind}-other") }
}

/// The headline for a code in `locale` (HTML error pages; problem documents keep [`title_for`]).
pub fn heading_in(code: Code, locale: Locale) -> String {
    locale.t(&message_id("title", code))
}

/// The default explanation for a code in `locale`.
pub fn detail_in(code: Code, locale: Locale) -> String {
    locale.t(&message_id("detail", code))
}

/// A default explanation for a code.
pub fn detail_for(code: Code) -> &'static str {
    match code {
        Code::MalformedRequest => "The data sent could not be understood. Go back and try again.",
        Code::PayloadTooLarge => "The data sent is larger than this page accepts.",
        Code::CsrfFailed => "For your security the form could not be accepted. Go back, reload the page and try again.",
        Code::CrossOrigin => "The request came from another website and was refused.",
        Code::NotFound => "There is nothing at this address.",
        Code::MethodNotAllowed => "This address does not accept that kind of request.",
        Code::Unauthenticated => "You need to sign in to see this page.",
        Code::Forbidden => "You do not have permission to do this.",
        Code::RateLimited => "Please wait a moment before trying again.",
        Code::Overloaded => "Too many requests are being handled right now. Please try again in a moment.",
        Code::Unavailable => "The service cannot reach its database right now. Please try again in a moment.",
        Code::Timeout => "Please try again.",
        Code::InvalidInput => "Check the highlighted fields and try again.",
        Code::AlreadyExists => "Choose another value.",
        Code::LinkInvalid => "The link has expired or was already used. Ask for a new one.",
        Code::RegistrationClosed => "Ask your administrator for an invitation.",
        Code::AccountDisabled => "Contact your administrator to have it enabled again.",
        Code::MachineLimit => "All the machines the license allows are activated. Deactivate one first.",
        Code::SsoRequiredNeedsConnection => {
            "Members must sign in through single sign-on, so the last enabled connection cannot go. Turn the requirement off first."
        }
        Code::SsoFailed => {
            "The sign-in at your identity provider could not be completed. Try again, or ask your administrator."
        }
        Code::PreconditionFailed => "It changed since you read it. Read it again and retry.",
        Code::PreconditionRequired => "Send the version you read (If-Match) to replace it.",
        Code::TooLarge => "The document is larger than allowed.",
        Code::InvalidJson => "Send a JSON object.",
        Code::InsufficientScope => "Ask for an access token with the scope this endpoint needs.",
        Code::IdempotencyKeyReused => "Use a new Idempotency-Key for a new request.",
        Code::IdempotencyKeyInUse => "Retry in a moment, with the same key.",
        Code::IdempotencyAnswerLost => "Its answer was lost: read what it made instead of creating it again.",
        Code::EmailUnavailable => "Another account uses this address.",
        _ => "An unexpected error occurred on our side. It has been logged; please try again later.",
    }
}

/// An empty response of `code`'s status carrying an [`ErrorInfo`] for the renderer.
pub fn error_response(
    code: Code,
    detail: Option<String>,
    fields: FieldErrors,
    retry_after: Option<Duration>,
) -> Response {
    let mut response = status_for(code).into_response();
    if let Some(after) = retry_after {
        let secs = after.as_secs().max(1);
        if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    let detail = detail.unwrap_or_else(|| detail_for(code).to_owned());
    response.extensions_mut().insert(ErrorInfo { code, detail, fields, retry_after });
    response
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let code = self.0.code();
        match self.0 {
            Error::Invalid(fields) => error_response(code, None, fields, None),
            Error::Refused { detail, .. } => error_response(code, Some(detail), FieldErrors::new(), None),
            Error::RateLimited { retry_after } => {
                let detail =
                    format!("Too many attempts. Please wait {} before trying again.", human_duration(retry_after));
                error_response(code, Some(detail), FieldErrors::new(), Some(retry_after))
            }
            Error::Overloaded => error_response(code, None, FieldErrors::new(), Some(Duration::from_secs(1))),
            Error::Unavailable(cause) => {
                tracing::warn!(error = %format!("{:#}", anyhow::Error::new(cause)), "database unavailable");
                error_response(code, None, FieldErrors::new(), Some(Duration::from_secs(2)))
            }
            Error::Internal(e) => {
                // The request id is on the span; the cause chain goes to the log, never to the client.
                tracing::error!(error = %format!("{e:#}"), "internal error");
                error_response(code, None, FieldErrors::new(), None)
            }
            _ => error_response(code, None, FieldErrors::new(), None),
        }
    }
}

/// "45 seconds", "1 minute", "15 minutes", "2 hours".
pub fn human_duration(d: Duration) -> String {
    let secs = d.as_secs().max(1);
    let (n, unit) = if secs < 90 {
        (secs, "second")
    } else if secs < 90 * 60 {
        (secs.div_ceil(60), "minute")
    } else {
        (secs.div_ceil(3600), "hour")
    };
    if n == 1 { format!("1 {unit}") } else { format!("{n} {unit}s") }
}

/// [`human_duration`] in `locale`: "2 Minuten", "45 saniye".
pub fn human_duration_in(d: Duration, locale: Locale) -> String {
    let secs = d.as_secs().max(1);
    let (n, key) = if secs < 90 {
        (secs, "error-duration-seconds")
    } else if secs < 90 * 60 {
        (secs.div_ceil(60), "error-duration-minutes")
    } else {
        (secs.div_ceil(3600), "error-duration-hours")
    };
    locale.t1(key, "count", i64::try_from(n).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_are_said_in_words() {
        assert_eq!(human_duration(Duration::from_secs(1)), "1 second");
        assert_eq!(human_duration(Duration::from_secs(45)), "45 seconds");
        assert_eq!(human_duration(Duration::from_secs(120)), "2 minutes");
        assert_eq!(human_duration(Duration::from_secs(15 * 60)), "15 minutes");
        assert_eq!(human_duration(Duration::from_secs(7200)), "2 hours");
    }

    #[test]
    fn waits_are_said_in_each_language() {
        for secs in [1, 45, 120, 900, 7200] {
            let d = Duration::from_secs(secs);
            assert_eq!(human_duration_in(d, Locale::En), human_duration(d));
        }
        assert_eq!(human_duration_in(Duration::from_secs(120), Locale::De), "2 Minuten");
        assert_eq!(human_duration_in(Duration::from_secs(1), Locale::De), "1 Sekunde");
        assert_eq!(human_duration_in(Duration::from_secs(7200), Locale::Tr), "2 saat");
    }

    #[test]
    fn every_headline_and_explanation_has_its_message_in_english_as_the_api_says_it() {
        for code in [Code::NotFound, Code::CsrfFailed, Code::RateLimited, Code::EmailUnavailable, Code::Internal] {
            assert_eq!(heading_in(code, Locale::En), title_for(code));
            assert_eq!(detail_in(code, Locale::En), detail_for(code));
        }
        assert_eq!(heading_in(Code::NotFound, Locale::De), "Seite nicht gefunden");
    }
}
