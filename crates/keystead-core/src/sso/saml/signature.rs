//! Which parts of a SAML Response an IdP certificate really signed. `bergshamra` does the XML-DSig
//! work (exclusive C14N, digests, RSA/ECDSA through aws-lc) with only the metadata's keys
//! trusted; this module pins the shape around it so that what is read afterwards is exactly what
//! was signed: every signature sits directly in the Response or the Assertion, has one Reference
//! to its parent's ID that resolves to that very element, uses SHA-2 and canonicalising transforms
//! only, and IDs are unique in the document.

use std::collections::HashSet;

use bergshamra::dsig::verify::verify_all_document_with_source;
use bergshamra::keys::loader::load_x509_cert_der;
use bergshamra::xml::uppsala::{Document, NodeId};
use bergshamra::{DsigContext, KeysManager, VerifyResult};

use super::SamlError;
use super::xml::{self, DSIG};

/// Which elements carry a verified signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Coverage {
    /// The Response element (and so everything in it) is signed.
    pub response: bool,
    /// The Assertion element is signed by its own signature.
    pub assertion: bool,
}

/// Attribute names that serve as IDs for XML-DSig references (the ones `bergshamra` resolves).
const ID_ATTRIBUTES: [&str; 4] = ["ID", "AssertionID", "Id", "id"];

const SIGNATURE_METHODS: [&str; 6] = [
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384",
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512",
];

const DIGEST_METHODS: [&str; 3] = [
    "http://www.w3.org/2001/04/xmlenc#sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512",
];

/// Canonicalisations (for SignedInfo and as Reference transforms); none selects a subset.
const CANONICALISATIONS: [&str; 6] = [
    "http://www.w3.org/2001/10/xml-exc-c14n#",
    "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments",
    "http://www.w3.org/2006/12/xml-c14n11",
    "http://www.w3.org/2006/12/xml-c14n11#WithComments",
];

const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

/// Verifies every signature of the document against `certs` (DER) and says what they cover.
/// `response` is the document element and `assertion` its one Assertion child.
pub(super) fn verify(
    doc: &Document<'_>,
    source: &str,
    response: NodeId,
    assertion: NodeId,
    certs: &[Vec<u8>],
) -> Result<Coverage, SamlError> {
    unique_ids(doc)?;
    let signatures = xml::descendants(doc, doc.root(), DSIG, "Signature");
    if signatures.is_empty() {
        return Err(SamlError::Unsigned);
    }
    let mut coverage = Coverage { response: false, assertion: false };
    let mut expected = Vec::with_capacity(signatures.len());
    for &signature in &signatures {
        let parent = doc.parent(signature);
        let slot = if parent == Some(response) {
            &mut coverage.response
        } else if parent == Some(assertion) {
            &mut coverage.assertion
        } else {
            return Err(SamlError::Wrapped("a signature outside the Response and the Assertion".into()));
        };
        if std::mem::replace(slot, true) {
            return Err(SamlError::Wrapped("two signatures on one element".into()));
        }
        let parent = parent.unwrap_or(response);
        expected.push((signature, parent, profile(doc, signature, parent)?));
    }
    let results =
        verify_all_document_with_source(&context(certs)?, doc, Some(source)).map_err(|e| match e.to_string() {
            m if m.contains("duplicate ID") => SamlError::DuplicateId(m),
            m => SamlError::BadSignature(m),
        })?;
    for (signature, parent, reference_uri) in expected {
        let verified = results.iter().any(|r| match r {
            VerifyResult::Valid { signature_node, references, .. } => {
                *signature_node == signature
                    && matches!(references.as_slice(), [only]
                        if only.uri == reference_uri
                            && only.resolved_node == Some(parent)
                            && only.digest_verified)
            }
            VerifyResult::Invalid { .. } => false,
        });
        if !verified {
            let reasons: Vec<&str> = results
                .iter()
                .filter_map(|r| match r {
                    VerifyResult::Invalid { reason } => Some(reason.as_str()),
                    VerifyResult::Valid { .. } => None,
                })
                .collect();
            return Err(SamlError::BadSignature(if reasons.is_empty() {
                "the signature does not cover its parent element".into()
            } else {
                reasons.join("; ")
            }));
        }
    }
    Ok(coverage)
}

/// Refuses a document where two elements share an ID.
fn unique_ids(doc: &Document<'_>) -> Result<(), SamlError> {
    let mut seen = HashSet::new();
    for node in doc.descendants(doc.root()) {
        for name in ID_ATTRIBUTES {
            if let Some(id) = xml::attr(doc, node, name)
                && !seen.insert(id)
            {
                return Err(SamlError::DuplicateId(id.to_owned()));
            }
        }
    }
    Ok(())
}

/// Checks the signature's algorithms and its one Reference, which must name the parent's ID;
/// returns that reference URI.
fn profile(doc: &Document<'_>, signature: NodeId, parent: NodeId) -> Result<String, SamlError> {
    let bad = |why: &str| SamlError::BadSignature(why.to_owned());
    let signed_info = xml::only_child(doc, signature, DSIG, "SignedInfo")?.ok_or_else(|| bad("no SignedInfo"))?;
    let algorithm = |parent: NodeId, local: &str| {
        xml::only_child(doc, parent, DSIG, local)?
            .and_then(|n| xml::attr(doc, n, "Algorithm"))
            .ok_or_else(|| SamlError::BadSignature(format!("no {local}")))
    };
    let c14n = algorithm(signed_info, "CanonicalizationMethod")?;
    if !CANONICALISATIONS.contains(&c14n) {
        return Err(SamlError::BadSignature(format!("canonicalisation {c14n} refused")));
    }
    let method = algorithm(signed_info, "SignatureMethod")?;
    if !SIGNATURE_METHODS.contains(&method) {
        return Err(SamlError::BadSignature(format!(
            "signature method {method} refused (RSA or ECDSA with SHA-2 only)"
        )));
    }
    let [reference] = xml::children(doc, signed_info, DSIG, "Reference")[..] else {
        return Err(bad("a signature must have exactly one Reference"));
    };
    let digest = algorithm(reference, "DigestMethod")?;
    if !DIGEST_METHODS.contains(&digest) {
        return Err(SamlError::BadSignature(format!("digest {digest} refused (SHA-2 only)")));
    }
    if let Some(transforms) = xml::only_child(doc, reference, DSIG, "Transforms")? {
        for transform in xml::children(doc, transforms, DSIG, "Transform") {
            let t = xml::attr(doc, transform, "Algorithm").unwrap_or_default();
            if t != ENVELOPED && !CANONICALISATIONS.contains(&t) {
                return Err(SamlError::BadSignature(format!("transform {t} refused")));
            }
        }
    }
    let id =
        xml::attr(doc, parent, "ID").filter(|id| !id.is_empty()).ok_or_else(|| bad("the signed element has no ID"))?;
    let uri = format!("#{id}");
    if xml::attr(doc, reference, "URI") != Some(uri.as_str()) {
        return Err(SamlError::Wrapped("the signature references another element than its parent".into()));
    }
    Ok(uri)
}

/// A verification context that trusts only the metadata's keys (never a KeyInfo in the message),
/// enforces reference positions, and skips X.509 validity: the keys are pinned by the metadata,
/// and IdP signing certificates are commonly self-signed and long expired.
fn context(certs: &[Vec<u8>]) -> Result<DsigContext, SamlError> {
    let mut keys = KeysManager::new();
    for der in certs {
        let key =
            load_x509_cert_der(der).map_err(|e| SamlError::InvalidMetadata(format!("signing certificate: {e}")))?;
        keys.add_key(key);
    }
    Ok(DsigContext::new(keys)
        .with_trusted_keys_only(true)
        .with_strict_verification(true)
        .with_require_reference_digests(true)
        .with_hmac_min_out_len(160)
        .with_insecure(true))
}
