//! The `AuthnRequest` (SAML Core §3.4.1) sent over the HTTP-Redirect binding (SAML Bindings §3.4).

use std::io::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use flate2::Compression;
use flate2::write::DeflateEncoder;
use time::OffsetDateTime;
use url::Url;

use super::xml::{self, ASSERTION, PROTOCOL};
use super::{BINDING_HTTP_POST, IdpMetadata, SamlError};

/// The most RelayState the HTTP-Redirect binding allows (SAML Bindings §3.4.3).
pub const MAX_RELAY_STATE_BYTES: usize = 80;

/// Builds an unsigned `AuthnRequest` for `idp` and the URL that carries it (DEFLATE, base64,
/// URL-encoded `SAMLRequest`, plus `RelayState` when not empty). Returns the URL to redirect the
/// browser to and the request ID, which the response's `InResponseTo` must echo: keep it with
/// the browser's pending sign-in. The ID is 128 random bits, hex, after a letter prefix (an
/// `xs:ID` may not start with a digit).
pub fn authn_request(
    idp: &IdpMetadata,
    sp_entity_id: &str,
    acs_url: &str,
    relay_state: &str,
    now: OffsetDateTime,
) -> Result<(Url, String), SamlError> {
    if relay_state.len() > MAX_RELAY_STATE_BYTES {
        return Err(SamlError::RelayStateTooLong);
    }
    let id = request_id()?;
    let xml_text = request_xml(idp, sp_entity_id, acs_url, &id, now)?;
    let mut deflater = DeflateEncoder::new(Vec::new(), Compression::default());
    deflater.write_all(xml_text.as_bytes()).map_err(|e| SamlError::Internal(format!("deflate: {e}")))?;
    let deflated = deflater.finish().map_err(|e| SamlError::Internal(format!("deflate: {e}")))?;
    let mut url = idp.sso_redirect_url.clone();
    {
        let mut query = url.query_pairs_mut();
        query.append_pair("SAMLRequest", &STANDARD.encode(deflated));
        if !relay_state.is_empty() {
            query.append_pair("RelayState", relay_state);
        }
    }
    Ok((url, id))
}

/// `ks_` and 32 hex digits from the system's random source.
fn request_id() -> Result<String, SamlError> {
    let mut bytes = [0u8; 16];
    crate::crypto::random_bytes(&mut bytes).map_err(|e| SamlError::Internal(e.to_string()))?;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("ks_{hex}"))
}

/// The request document. `IssueInstant` is UTC to the second, as SAML Core §1.3.3 asks.
fn request_xml(
    idp: &IdpMetadata,
    sp_entity_id: &str,
    acs_url: &str,
    id: &str,
    now: OffsetDateTime,
) -> Result<String, SamlError> {
    let instant = now
        .to_offset(time::UtcOffset::UTC)
        .format(time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z"))
        .map_err(|e| SamlError::Internal(format!("IssueInstant: {e}")))?;
    Ok(format!(
        r#"<samlp:AuthnRequest xmlns:samlp="{PROTOCOL}" xmlns:saml="{ASSERTION}" ID="{id}" Version="2.0" IssueInstant="{instant}" Destination="{destination}" AssertionConsumerServiceURL="{acs}" ProtocolBinding="{BINDING_HTTP_POST}"><saml:Issuer>{issuer}</saml:Issuer><samlp:NameIDPolicy AllowCreate="true"/></samlp:AuthnRequest>"#,
        destination = xml::escape(idp.sso_redirect_url.as_str()),
        acs = xml::escape(acs_url),
        issuer = xml::escape(sp_entity_id),
    ))
}
