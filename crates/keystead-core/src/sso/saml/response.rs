//! Checking a `SAMLResponse` posted to the assertion consumer service (SAML Core §3.3.3 and
//! §2.3.3, Profiles §4.1.4.3): size, shape, signatures, then the envelope; the assertion itself is
//! checked in the `assertion` module.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bergshamra::xml::uppsala::{Document, NodeId};
use time::{Duration, OffsetDateTime};

use super::xml::{self, ASSERTION, PROTOCOL};
use super::{IdpMetadata, SamlError, assertion, signature};
use crate::sso::{AssertedIdentity, ClaimMapping};

/// Largest encoded `SAMLResponse` accepted; larger is refused before decoding (real responses
/// are a few KiB; Entra ID's with many groups stay well under 64 KiB).
pub const MAX_RESPONSE_BYTES: usize = 256 * 1024;

const STATUS_SUCCESS: &str = "urn:oasis:names:tc:SAML:2.0:status:Success";

/// What the response must match: who we are and the request we sent.
#[derive(Debug, Clone, Copy)]
pub struct Expected<'a> {
    /// Our SP entity id: the assertion's Audience.
    pub sp_entity_id: &'a str,
    /// Our assertion consumer service URL: the Destination and Recipient.
    pub acs_url: &'a str,
    /// The ID of the AuthnRequest this browser was sent with (from [`super::authn_request`]).
    pub request_id: &'a str,
    /// The current time.
    pub now: OffsetDateTime,
    /// Allowed clock difference with the IdP, applied to every NotBefore and NotOnOrAfter.
    pub skew: Duration,
}

/// A response that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validated {
    /// Who signed in, as the IdP asserted it.
    pub identity: AssertedIdentity,
    /// The assertion's ID. Remember it until [`Validated::not_on_or_after`] and refuse a second
    /// use (replay): this module keeps no state.
    pub assertion_id: String,
    /// The last instant (skew included) at which this assertion could be accepted again.
    pub not_on_or_after: OffsetDateTime,
}

/// Decodes and checks a `SAMLResponse` form value: a Response whose Response or Assertion (or
/// both) is signed by one of `idp`'s certificates, Status Success, Issuer the IdP, Destination
/// and Recipient `acs_url`, InResponseTo `request_id`, Audience `sp_entity_id`, inside its time
/// windows. Exactly one plain Assertion, read only from the element its signature covers
/// (signature wrapping refused). Encrypted assertions are refused
/// ([`SamlError::EncryptedUnsupported`]).
pub fn validate_response(
    saml_response_b64: &str,
    idp: &IdpMetadata,
    mapping: &ClaimMapping,
    expected: &Expected<'_>,
) -> Result<Validated, SamlError> {
    if saml_response_b64.len() > MAX_RESPONSE_BYTES {
        return Err(SamlError::TooLarge { max: MAX_RESPONSE_BYTES });
    }
    let compact: String = saml_response_b64.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let bytes = STANDARD
        .decode(compact.as_bytes())
        .map_err(|e| SamlError::Malformed(format!("SAMLResponse is not base64: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|_| SamlError::Malformed("SAMLResponse is not UTF-8".into()))?;
    let doc = xml::parse(&text)?;
    let response = xml::root(&doc)?;
    if !xml::is(&doc, response, PROTOCOL, "Response") {
        return Err(SamlError::Malformed("not a SAML 2.0 Response".into()));
    }
    if xml::attr(&doc, response, "Version") != Some("2.0") {
        return Err(SamlError::Malformed("Version is not 2.0".into()));
    }
    refuse_encrypted(&doc)?;
    status(&doc, response)?;
    let the_assertion = only_assertion(&doc, response)?;
    let coverage = signature::verify(&doc, &text, response, the_assertion, &idp.signing_certs)?;
    if !(coverage.response || coverage.assertion) {
        return Err(SamlError::Unsigned);
    }
    envelope(&doc, response, idp, expected)?;
    assertion::check(&doc, the_assertion, idp, mapping, expected)
}

/// Refuses any encrypted element of the assertion namespace (EncryptedAssertion, EncryptedID,
/// EncryptedAttribute): Keystead publishes no encryption key.
fn refuse_encrypted(doc: &Document<'_>) -> Result<(), SamlError> {
    let encrypted = doc.descendants(doc.root()).into_iter().any(|n| {
        doc.element(n).is_some_and(|e| {
            e.name.namespace_uri.as_deref() == Some(ASSERTION) && e.name.local_name.starts_with("Encrypted")
        })
    });
    if encrypted {
        return Err(SamlError::EncryptedUnsupported);
    }
    Ok(())
}

/// Requires the top-level StatusCode Success; otherwise reports the codes (top / second level).
fn status(doc: &Document<'_>, response: NodeId) -> Result<(), SamlError> {
    let code = xml::only_child(doc, response, PROTOCOL, "Status")?
        .and_then(|s| xml::child(doc, s, PROTOCOL, "StatusCode"))
        .ok_or_else(|| SamlError::Malformed("no Status".into()))?;
    let value = xml::attr(doc, code, "Value").unwrap_or_default();
    if value == STATUS_SUCCESS {
        return Ok(());
    }
    let second = xml::child(doc, code, PROTOCOL, "StatusCode").and_then(|c| xml::attr(doc, c, "Value"));
    Err(SamlError::StatusNotSuccess(match second {
        Some(second) => format!("{value} / {second}"),
        None => value.to_owned(),
    }))
}

/// The one Assertion of the document, which must be a child of the Response.
fn only_assertion(doc: &Document<'_>, response: NodeId) -> Result<NodeId, SamlError> {
    let all = xml::descendants(doc, doc.root(), ASSERTION, "Assertion");
    match all.as_slice() {
        [] => Err(SamlError::Malformed("no Assertion".into())),
        [one] if doc.parent(*one) == Some(response) => Ok(*one),
        [_] => Err(SamlError::Wrapped("the Assertion is not a child of the Response".into())),
        _ => Err(SamlError::Wrapped("more than one Assertion".into())),
    }
}

/// The Response's own Issuer, Destination and InResponseTo, each checked when present.
fn envelope(doc: &Document<'_>, response: NodeId, idp: &IdpMetadata, expected: &Expected<'_>) -> Result<(), SamlError> {
    if let Some(issuer) = xml::only_child(doc, response, ASSERTION, "Issuer")? {
        let issuer = xml::text(doc, issuer);
        if issuer != idp.entity_id {
            return Err(SamlError::IssuerMismatch(issuer));
        }
    }
    if let Some(destination) = xml::attr(doc, response, "Destination")
        && destination != expected.acs_url
    {
        return Err(SamlError::WrongDestination(destination.to_owned()));
    }
    if let Some(in_response_to) = xml::attr(doc, response, "InResponseTo")
        && in_response_to != expected.request_id
    {
        return Err(SamlError::WrongInResponseTo(in_response_to.to_owned()));
    }
    Ok(())
}
