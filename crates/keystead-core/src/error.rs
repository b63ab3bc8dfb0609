//! The one error type every feature returns, with a closed set of kinds and stable codes.

use std::fmt;
use std::time::Duration;

use crate::store::StoreError;

/// A stable, machine-readable reason, rendered as `code` in problem documents and used to pick
/// the message shown to a person. Never renamed once shipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Code {
    /// A request body or form could not be read.
    MalformedRequest,
    /// The request body is larger than the route accepts.
    PayloadTooLarge,
    /// The CSRF token was missing or did not match.
    CsrfFailed,
    /// The request came from another origin.
    CrossOrigin,
    /// The resource does not exist (or the caller may not know it does).
    NotFound,
    /// The method is not allowed on this resource.
    MethodNotAllowed,
    /// The caller must sign in first.
    Unauthenticated,
    /// The caller may not do this.
    Forbidden,
    /// Too many attempts; retry later.
    RateLimited,
    /// The server is at capacity; retry later.
    Overloaded,
    /// The request took too long.
    Timeout,
    /// A field failed validation.
    InvalidInput,
    /// A record with the same unique key exists.
    AlreadyExists,
    /// An emailed link is unknown, expired or already used.
    LinkInvalid,
    /// Registration is by invitation only.
    RegistrationClosed,
    /// The account is disabled.
    AccountDisabled,
    /// An email address cannot be used (no further detail, so nobody learns which exist).
    EmailUnavailable,
    /// An unexpected failure on our side.
    Internal,
    /// The step needs a recent sign-in (password or second factor within the last minutes).
    ReauthenticationRequired,
    /// The database cannot be reached right now; retry later.
    Unavailable,
    /// A license's machine limit is reached: deactivate a machine first.
    MachineLimit,
    /// An organization that requires SSO would be left without an enabled connection.
    SsoRequiredNeedsConnection,
    /// The round trip through an identity provider failed (see the message for which check).
    SsoFailed,
    /// The stored version differs from the one the request named (`If-Match`).
    PreconditionFailed,
    /// Overwriting needs the version the writer read (`If-Match`).
    PreconditionRequired,
    /// A document is larger than its limit.
    TooLarge,
    /// A body is not the JSON the endpoint expects.
    InvalidJson,
    /// The access token lacks the scope the endpoint needs (RFC 6750 §3.1).
    InsufficientScope,
    /// An `Idempotency-Key` was reused for a different request.
    IdempotencyKeyReused,
    /// The first request with this `Idempotency-Key` is still running.
    IdempotencyKeyInUse,
    /// The first request with this idempotency key made its change, but its answer was lost.
    IdempotencyAnswerLost,
}

impl Code {
    /// The stable string form (`"csrf_failed"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MalformedRequest => "malformed_request",
            Self::PayloadTooLarge => "payload_too_large",
            Self::CsrfFailed => "csrf_failed",
            Self::CrossOrigin => "cross_origin",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Unauthenticated => "unauthenticated",
            Self::Forbidden => "forbidden",
            Self::RateLimited => "rate_limited",
            Self::Overloaded => "overloaded",
            Self::Timeout => "timeout",
            Self::InvalidInput => "invalid_input",
            Self::AlreadyExists => "already_exists",
            Self::LinkInvalid => "link_invalid",
            Self::RegistrationClosed => "registration_closed",
            Self::AccountDisabled => "account_disabled",
            Self::EmailUnavailable => "email_unavailable",
            Self::Internal => "internal",
            Self::ReauthenticationRequired => "reauthentication_required",
            Self::Unavailable => "unavailable",
            Self::MachineLimit => "machine_limit",
            Self::SsoRequiredNeedsConnection => "sso_required_needs_connection",
            Self::SsoFailed => "sso_failed",
            Self::PreconditionFailed => "precondition_failed",
            Self::PreconditionRequired => "precondition_required",
            Self::TooLarge => "too_large",
            Self::InvalidJson => "invalid_json",
            Self::InsufficientScope => "insufficient_scope",
            Self::IdempotencyKeyReused => "idempotency_key_reused",
            Self::IdempotencyKeyInUse => "idempotency_key_in_use",
            Self::IdempotencyAnswerLost => "idempotency_answer_lost",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One field's validation failure: the field name as the form or JSON names it, a stable code
/// and a sentence for a person.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    /// The field, as named in the form or JSON body (`email`, `mail.smtp.port`).
    pub field: String,
    /// A stable code for this rule (`too_long`).
    pub code: &'static str,
    /// What is wrong and how to fix it, in a sentence (English: the API's problem documents).
    pub message: String,
    /// The values the sentence names (`min` = 12), for the translated message
    /// `field-error-<field>-<code>` or `field-error-<code>` (see [`FieldErrors::localized`]).
    #[serde(skip)]
    pub args: Vec<(&'static str, String)>,
}

impl FieldError {
    /// This failure's sentence in `locale`, when a message exists for it.
    pub fn localized(&self, locale: crate::i18n::Locale) -> Option<String> {
        use crate::i18n::{Arg, Locale};
        let field = self.field.replace(['.', '_'], "-");
        let code = self.code.replace('_', "-");
        let specific = format!("field-error-{field}-{code}");
        let key = if Locale::has(&specific) { specific } else { format!("field-error-{code}") };
        if !Locale::has(&key) {
            return None;
        }
        let args: Vec<(&str, Arg)> = self
            .args
            .iter()
            .map(|(k, v)| (*k, v.parse::<i64>().map_or_else(|_| Arg::Str(v.clone()), Arg::Num)))
            .collect();
        Some(locale.t_args(&key, &args))
    }
}

/// Every validation failure of one input, so a form can show all of them at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// No errors yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one failure.
    pub fn add(&mut self, field: impl Into<String>, code: &'static str, message: impl Into<String>) {
        self.0.push(FieldError { field: field.into(), code, message: message.into(), args: Vec::new() });
    }

    /// Records one failure whose sentence names values (`min`, `max`, `name`…): a translation
    /// gets them as its variables.
    pub fn add_with(
        &mut self,
        field: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
        args: Vec<(&'static str, String)>,
    ) {
        self.0.push(FieldError { field: field.into(), code, message: message.into(), args });
    }

    /// The same failures with each sentence in `locale`: the message `field-error-<field>-<code>`
    /// when there is one, else `field-error-<code>`, else the English sentence as it was.
    #[must_use]
    pub fn localized(mut self, locale: crate::i18n::Locale) -> Self {
        for e in &mut self.0 {
            if let Some(text) = e.localized(locale) {
                e.message = text;
            }
        }
        self
    }

    /// The messages for one field (for forms).
    pub fn messages(&self, field: &str) -> Vec<String> {
        self.for_field(field).map(|e| e.message.clone()).collect()
    }

    /// True when nothing failed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The failures of one field.
    pub fn for_field<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a FieldError> + 'a {
        self.0.iter().filter(move |e| e.field == field)
    }

    /// `Ok(())` when empty, otherwise `Err(Error::Invalid(self))`.
    pub fn into_result(self) -> Result<(), Error> {
        if self.is_empty() { Ok(()) } else { Err(Error::Invalid(self)) }
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", e.field, e.message)?;
        }
        Ok(())
    }
}

/// The error of every core operation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The thing asked for does not exist, or the caller may not know that it does.
    #[error("not found")]
    NotFound,
    /// The input failed validation; each field says why.
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
    /// The request conflicts with the current state.
    #[error("conflict: {0}")]
    Conflict(Code),
    /// The request cannot be carried out as asked, for a reason with its own stable code that
    /// the caller can act on (a limit reached, a stale version, a body that is not JSON);
    /// `detail` says which, in a sentence for a person (naming the limit, for example).
    #[error("refused: {code}: {detail}")]
    Refused {
        /// The stable reason.
        code: Code,
        /// What is wrong and what to do, in a sentence.
        detail: String,
    },
    /// The caller must authenticate.
    #[error("authentication required")]
    Unauthenticated,
    /// The caller may not do this.
    #[error("forbidden")]
    Forbidden,
    /// Too many attempts: retry after the given time.
    #[error("rate limited; retry after {retry_after:?}")]
    RateLimited {
        /// How long the caller should wait.
        retry_after: Duration,
    },
    /// The server is at capacity (for example the password hashing queue is full).
    #[error("overloaded")]
    Overloaded,
    /// The database cannot be reached (or is saturated) right now; the cause is logged.
    #[error("service unavailable")]
    Unavailable(#[source] StoreError),
    /// Anything unexpected; the cause chain is logged, never shown.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl Error {
    /// The stable code of this error.
    pub fn code(&self) -> Code {
        match self {
            Self::NotFound => Code::NotFound,
            Self::Invalid(_) => Code::InvalidInput,
            Self::Conflict(code) | Self::Refused { code, .. } => *code,
            Self::Unauthenticated => Code::Unauthenticated,
            Self::Forbidden => Code::Forbidden,
            Self::RateLimited { .. } => Code::RateLimited,
            Self::Overloaded => Code::Overloaded,
            Self::Unavailable(_) => Code::Unavailable,
            Self::Internal(_) => Code::Internal,
        }
    }

    /// A refusal with its own code and a sentence saying why ([`Error::Refused`]).
    pub fn refused(code: Code, detail: impl Into<String>) -> Self {
        Self::Refused { code, detail: detail.into() }
    }

    /// A single-field validation error.
    pub fn invalid(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(field, code, message);
        Self::Invalid(errors)
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            StoreError::Conflict { .. } => Self::Conflict(Code::AlreadyExists),
            unavailable @ StoreError::Unavailable(_) => Self::Unavailable(unavailable),
            other => Self::Internal(anyhow::Error::new(other)),
        }
    }
}

/// Result with the core [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
