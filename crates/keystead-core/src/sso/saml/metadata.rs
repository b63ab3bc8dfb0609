//! SAML 2.0 metadata: reading an identity provider's (SAML Metadata §2.4.3) and writing ours.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bergshamra::xml::uppsala::{Document, NodeId};
use url::Url;

use super::xml::{self, DSIG, METADATA, PROTOCOL};
use super::{BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, SamlError};

/// Largest metadata document accepted (a single IdP's metadata is a few KiB; federation
/// aggregates of thousands of entities are not what an organization's admin pastes).
pub const MAX_METADATA_BYTES: usize = 2 * 1024 * 1024;

/// What Keystead keeps of an identity provider's metadata: enough to send a request and check
/// the signed answer. Serialisable so the connection can store it; certificates serialise as
/// base64 DER.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IdpMetadata {
    /// The IdP's `entityID`: the Issuer its responses must carry.
    pub entity_id: String,
    /// The `SingleSignOnService` endpoint with the HTTP-Redirect binding.
    pub sso_redirect_url: Url,
    /// The certificates (DER) of the `KeyDescriptor`s usable for signing, in document order;
    /// several while the IdP rolls its key over.
    #[serde(with = "der_list")]
    pub signing_certs: Vec<Vec<u8>>,
    /// The `SingleLogoutService` endpoint with the HTTP-Redirect binding, when offered.
    pub slo_url: Option<Url>,
}

/// Reads an IdP's metadata: an `EntityDescriptor`, or the first entity with an
/// `IDPSSODescriptor` for SAML 2.0 in an `EntitiesDescriptor`. Requires an entity id, an
/// HTTP-Redirect `SingleSignOnService` and at least one signing certificate that parses. The
/// metadata's own signature is not checked: the administrator who supplies it is the trust.
pub fn parse_idp_metadata(xml_text: &str) -> Result<IdpMetadata, SamlError> {
    if xml_text.len() > MAX_METADATA_BYTES {
        return Err(SamlError::InvalidMetadata(format!("larger than {MAX_METADATA_BYTES} bytes")));
    }
    let doc = xml::parse(xml_text).map_err(|e| match e {
        SamlError::Malformed(m) => SamlError::InvalidMetadata(m),
        other => other,
    })?;
    let root = xml::root(&doc)?;
    let (entity, idp) = if xml::is(&doc, root, METADATA, "EntityDescriptor") {
        let idp =
            saml2_idp_descriptor(&doc, root).ok_or_else(|| invalid("the entity has no SAML 2.0 IDPSSODescriptor"))?;
        (root, idp)
    } else if xml::is(&doc, root, METADATA, "EntitiesDescriptor") {
        xml::descendants(&doc, root, METADATA, "EntityDescriptor")
            .into_iter()
            .find_map(|e| saml2_idp_descriptor(&doc, e).map(|idp| (e, idp)))
            .ok_or_else(|| invalid("no entity has a SAML 2.0 IDPSSODescriptor"))?
    } else {
        return Err(invalid("not SAML metadata (no EntityDescriptor)"));
    };
    let entity_id = xml::attr(&doc, entity, "entityID")
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .ok_or_else(|| invalid("the entity has no entityID"))?
        .to_owned();
    let sso_redirect_url = endpoint(&doc, idp, "SingleSignOnService")?
        .ok_or_else(|| invalid("no SingleSignOnService with the HTTP-Redirect binding"))?;
    let slo_url = endpoint(&doc, idp, "SingleLogoutService")?;
    let signing_certs = signing_certs(&doc, idp)?;
    if signing_certs.is_empty() {
        return Err(invalid("no signing certificate (KeyDescriptor)"));
    }
    Ok(IdpMetadata { entity_id, sso_redirect_url, signing_certs, slo_url })
}

/// Our service provider's metadata for the IdP's administrator: one HTTP-POST assertion
/// consumer service, assertions wanted signed, persistent or email NameIDs, no keys (requests
/// go unsigned and nothing is encrypted to us).
pub fn sp_metadata(sp_entity_id: &str, acs_url: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="{METADATA}" entityID="{entity}">
  <md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" protocolSupportEnumeration="{PROTOCOL}">
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:AssertionConsumerService Binding="{BINDING_HTTP_POST}" Location="{acs}" index="0" isDefault="true"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>
"#,
        entity = xml::escape(sp_entity_id),
        acs = xml::escape(acs_url),
    )
}

fn invalid(why: &str) -> SamlError {
    SamlError::InvalidMetadata(why.to_owned())
}

/// The entity's first `IDPSSODescriptor` that lists the SAML 2.0 protocol.
fn saml2_idp_descriptor(doc: &Document<'_>, entity: NodeId) -> Option<NodeId> {
    xml::children(doc, entity, METADATA, "IDPSSODescriptor").into_iter().find(|&d| {
        xml::attr(doc, d, "protocolSupportEnumeration").is_some_and(|p| p.split_whitespace().any(|p| p == PROTOCOL))
    })
}

/// The `Location` of the first `{local}` endpoint with the HTTP-Redirect binding.
fn endpoint(doc: &Document<'_>, idp: NodeId, local: &str) -> Result<Option<Url>, SamlError> {
    let Some(service) = xml::children(doc, idp, METADATA, local)
        .into_iter()
        .find(|&s| xml::attr(doc, s, "Binding") == Some(BINDING_HTTP_REDIRECT))
    else {
        return Ok(None);
    };
    let location = xml::attr(doc, service, "Location").unwrap_or_default().trim();
    let url =
        Url::parse(location).map_err(|e| SamlError::InvalidMetadata(format!("{local} Location {location:?}: {e}")))?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(SamlError::InvalidMetadata(format!("{local} Location {location:?} is not an http(s) URL")));
    }
    Ok(Some(url))
}

/// The certificates of the `KeyDescriptor`s whose `use` is `signing` or absent.
fn signing_certs(doc: &Document<'_>, idp: NodeId) -> Result<Vec<Vec<u8>>, SamlError> {
    let mut certs: Vec<Vec<u8>> = Vec::new();
    for descriptor in xml::children(doc, idp, METADATA, "KeyDescriptor") {
        if !matches!(xml::attr(doc, descriptor, "use"), None | Some("signing")) {
            continue;
        }
        for cert in xml::descendants(doc, descriptor, DSIG, "X509Certificate") {
            let b64: String = xml::text(doc, cert).chars().filter(|c| !c.is_ascii_whitespace()).collect();
            let der = STANDARD
                .decode(b64.as_bytes())
                .map_err(|e| SamlError::InvalidMetadata(format!("certificate not base64: {e}")))?;
            bergshamra::keys::loader::load_x509_cert_der(&der)
                .map_err(|e| SamlError::InvalidMetadata(format!("unusable signing certificate: {e}")))?;
            if !certs.contains(&der) {
                certs.push(der);
            }
        }
    }
    Ok(certs)
}

/// Serialises certificates as a list of base64 strings (readable in the stored JSON).
mod der_list {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize as _, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(certs: &[Vec<u8>], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(certs.iter().map(|c| STANDARD.encode(c)))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Vec<u8>>, D::Error> {
        Vec::<String>::deserialize(d)?.iter().map(|c| STANDARD.decode(c).map_err(serde::de::Error::custom)).collect()
    }
}
