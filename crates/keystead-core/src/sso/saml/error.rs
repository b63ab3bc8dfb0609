//! Why a SAML message, or an identity provider's metadata, was refused.

/// Why a SAML message or an IdP's metadata was refused. [`SamlError::code`] is stable and safe to
/// show or log; the message may carry detail from the document (never a secret).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SamlError {
    /// The encoded `SAMLResponse` is larger than [`super::MAX_RESPONSE_BYTES`]; refused unread.
    #[error("the SAML response is larger than {max} bytes")]
    TooLarge {
        /// The limit, in bytes of the encoded form.
        max: usize,
    },
    /// The document has a `<!DOCTYPE`: SAML never needs one and DTDs carry entity attacks (XXE).
    #[error("the XML has a DOCTYPE, which SAML never needs")]
    DoctypeRefused,
    /// Not base64, not UTF-8, not well-formed XML, or a required SAML element is missing.
    #[error("malformed SAML: {0}")]
    Malformed(String),
    /// The IdP encrypted the assertion, a NameID or an attribute; Keystead asks IdPs for plain
    /// signed assertions (the SP metadata lists no encryption key) and does not decrypt.
    #[error("encrypted assertions are not supported: configure the IdP to sign, not encrypt")]
    EncryptedUnsupported,
    /// Neither the Response nor the Assertion carries an XML signature.
    #[error("neither the response nor the assertion is signed")]
    Unsigned,
    /// A signature did not verify with any of the IdP's certificates, or uses an algorithm or
    /// transform Keystead does not accept.
    #[error("bad signature: {0}")]
    BadSignature(String),
    /// The document is shaped like a signature-wrapping attack: a second assertion, an assertion
    /// out of place, a signature over another element than its parent.
    #[error("refused as signature wrapping: {0}")]
    Wrapped(String),
    /// Two elements share one ID, so a signature reference could point at either.
    #[error("duplicate ID {0:?} in the document")]
    DuplicateId(String),
    /// The IdP answered with a status other than Success (the user cancelled, was refused...).
    #[error("the identity provider answered with status {0}")]
    StatusNotSuccess(String),
    /// The Issuer is not the IdP's entity id.
    #[error("the issuer is {0:?}, not the identity provider's entity id")]
    IssuerMismatch(String),
    /// The Response's Destination is not our assertion consumer service URL.
    #[error("the response is addressed to {0:?}, not our assertion consumer service")]
    WrongDestination(String),
    /// The bearer confirmation's Recipient is not our assertion consumer service URL.
    #[error("the assertion's recipient is {0:?}, not our assertion consumer service")]
    WrongRecipient(String),
    /// InResponseTo (on the Response or the bearer confirmation) is not the request we sent.
    #[error("the response answers request {0:?}, not ours")]
    WrongInResponseTo(String),
    /// No AudienceRestriction names our SP entity id.
    #[error("the assertion is not addressed to this service provider")]
    WrongAudience,
    /// A NotOnOrAfter (Conditions, bearer confirmation, SessionNotOnOrAfter) has passed.
    #[error("the assertion has expired")]
    Expired,
    /// The Conditions' NotBefore is still ahead, beyond the allowed clock skew.
    #[error("the assertion is not valid yet")]
    NotYetValid,
    /// The IdP's metadata lacks what Keystead needs, or is not metadata.
    #[error("unusable IdP metadata: {0}")]
    InvalidMetadata(String),
    /// RelayState is longer than the 80 bytes the HTTP-Redirect binding allows (SAML Bindings §3.4.3).
    #[error("RelayState is longer than 80 bytes")]
    RelayStateTooLong,
    /// The system could not produce random bytes or compress the request.
    #[error("internal error: {0}")]
    Internal(String),
}

impl SamlError {
    /// The stable snake_case code of this error (for logs, audit and problem+json).
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "too_large",
            Self::DoctypeRefused => "doctype_refused",
            Self::Malformed(_) => "malformed",
            Self::EncryptedUnsupported => "encrypted_unsupported",
            Self::Unsigned => "unsigned",
            Self::BadSignature(_) => "bad_signature",
            Self::Wrapped(_) => "wrapped",
            Self::DuplicateId(_) => "duplicate_id",
            Self::StatusNotSuccess(_) => "status_not_success",
            Self::IssuerMismatch(_) => "issuer_mismatch",
            Self::WrongDestination(_) => "wrong_destination",
            Self::WrongRecipient(_) => "wrong_recipient",
            Self::WrongInResponseTo(_) => "wrong_in_response_to",
            Self::WrongAudience => "wrong_audience",
            Self::Expired => "expired",
            Self::NotYetValid => "not_yet_valid",
            Self::InvalidMetadata(_) => "invalid_metadata",
            Self::RelayStateTooLong => "relay_state_too_long",
            Self::Internal(_) => "internal",
        }
    }
}
