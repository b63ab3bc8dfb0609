//! A throwaway IdP for the unit tests: an RSA key made at test time, and responses built from
//! fixed XML and signed with `bergshamra` the way IdPs sign them (enveloped, exclusive C14N,
//! RSA-SHA256). The independent IdP (pysaml2) is exercised by keystead-web's HTTP tests.

use std::sync::LazyLock;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bergshamra::{DsigContext, KeysManager};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use url::Url;

use crate::sso::saml::IdpMetadata;

pub(in crate::sso) const ACS: &str = "https://keystead.test/sso/saml/acs";
pub(in crate::sso) const SP: &str = "https://keystead.test/sso/saml";
pub(in crate::sso) const REQUEST_ID: &str = "ks_00112233445566778899aabbccddeeff";

/// A key pair and its self-signed certificate, made once per test binary.
pub(in crate::sso) struct TestIdp {
    entity_id: String,
    key_pem: String,
    cert_der: Vec<u8>,
}

pub(in crate::sso) static IDP: LazyLock<TestIdp> = LazyLock::new(|| TestIdp::new("https://idp.test/metadata"));
pub(in crate::sso) static OTHER_IDP: LazyLock<TestIdp> = LazyLock::new(|| TestIdp::new("https://idp.test/metadata"));

impl TestIdp {
    fn new(entity_id: &str) -> Self {
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256).unwrap();
        let cert = rcgen::CertificateParams::new(vec!["idp.test".into()]).unwrap().self_signed(&key).unwrap();
        Self { entity_id: entity_id.into(), key_pem: key.serialize_pem(), cert_der: cert.der().to_vec() }
    }

    pub(in crate::sso) fn cert_b64(&self) -> String {
        STANDARD.encode(&self.cert_der)
    }

    /// Its metadata document: one signing key and a Redirect `SingleSignOnService`.
    pub(in crate::sso) fn metadata_xml(&self) -> String {
        format!(
            r#"<EntityDescriptor entityID="{entity}" xmlns="urn:oasis:names:tc:SAML:2.0:metadata"><IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>{cert}</X509Certificate></X509Data></KeyInfo></KeyDescriptor><SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.test/sso"/></IDPSSODescriptor></EntityDescriptor>"#,
            entity = self.entity_id,
            cert = self.cert_b64(),
        )
    }

    pub(in crate::sso) fn metadata(&self) -> IdpMetadata {
        IdpMetadata {
            entity_id: self.entity_id.clone(),
            sso_redirect_url: Url::parse("https://idp.test/sso").unwrap(),
            signing_certs: vec![self.cert_der.clone()],
            slo_url: None,
        }
    }

    /// Signs the first `<ds:Signature>` template of `xml_text`.
    pub(in crate::sso) fn sign(&self, xml_text: &str) -> String {
        let key = bergshamra::keys::loader::load_pem_auto(self.key_pem.as_bytes(), None).unwrap();
        let mut keys = KeysManager::new();
        keys.add_key(key);
        let signed = bergshamra::sign(&DsigContext::new(keys), xml_text).unwrap();
        match signed.strip_prefix("<?xml") {
            Some(rest) => rest[rest.find("?>").unwrap() + 2..].trim_start().to_owned(),
            None => signed,
        }
    }
}

/// An enveloped RSA-SHA256 signature template over the element with ID `id`.
pub(in crate::sso) fn template(id: &str) -> String {
    format!(
        r##"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#{id}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue></ds:SignatureValue></ds:Signature>"##
    )
}

/// What a test response says; [`Resp::standard`] is a valid one for [`IDP`] at [`now`].
#[derive(Clone)]
pub(in crate::sso) struct Resp {
    pub sign_response: bool,
    pub sign_assertion: bool,
    pub issuer: String,
    pub destination: String,
    pub recipient: String,
    pub in_response_to: String,
    pub audience: String,
    pub status: String,
    pub name_id: String,
    pub name_id_format: String,
    pub not_before: OffsetDateTime,
    pub not_on_or_after: OffsetDateTime,
    pub attributes: Vec<(&'static str, Vec<&'static str>)>,
    /// Sign with [`OTHER_IDP`]'s key (same entity, a rolled-over key).
    pub rolled_over: bool,
}

/// The fixed "now" of the unit tests.
pub(in crate::sso) fn now() -> OffsetDateTime {
    time::macros::datetime!(2026-12-03 12:00 UTC)
}

fn instant(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap()
}

impl Resp {
    pub(in crate::sso) fn standard() -> Self {
        Self {
            sign_response: true,
            sign_assertion: false,
            issuer: IDP.entity_id.clone(),
            destination: ACS.into(),
            recipient: ACS.into(),
            in_response_to: REQUEST_ID.into(),
            audience: SP.into(),
            status: "urn:oasis:names:tc:SAML:2.0:status:Success".into(),
            name_id: "u-1234".into(),
            name_id_format: "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent".into(),
            not_before: now() - time::Duration::minutes(1),
            not_on_or_after: now() + time::Duration::minutes(5),
            attributes: vec![
                ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", vec!["ada@example.org"]),
                ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname", vec!["Ada"]),
                ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname", vec!["Lovelace"]),
                ("http://schemas.microsoft.com/ws/2008/06/identity/claims/groups", vec!["staff", "admins"]),
            ],
            rolled_over: false,
        }
    }

    /// The Assertion, signed when asked, with its own namespace declarations.
    pub(in crate::sso) fn assertion(&self) -> String {
        let attributes: String = self
            .attributes
            .iter()
            .map(|(name, values)| {
                let values: String =
                    values.iter().map(|v| format!("<saml:AttributeValue>{v}</saml:AttributeValue>")).collect();
                format!(r#"<saml:Attribute Name="{name}">{values}</saml:Attribute>"#)
            })
            .collect();
        let signature = if self.sign_assertion { template("_a1") } else { String::new() };
        let xml_text = format!(
            r#"<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1" Version="2.0" IssueInstant="{now}"><saml:Issuer>{issuer}</saml:Issuer>{signature}<saml:Subject><saml:NameID Format="{format}">{name_id}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="{nooa}" Recipient="{recipient}" InResponseTo="{irt}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="{nb}" NotOnOrAfter="{nooa}"><saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="{now}" SessionIndex="_session7"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement><saml:AttributeStatement>{attributes}</saml:AttributeStatement></saml:Assertion>"#,
            now = instant(now()),
            issuer = self.issuer,
            format = self.name_id_format,
            name_id = self.name_id,
            nooa = instant(self.not_on_or_after),
            nb = instant(self.not_before),
            recipient = self.recipient,
            irt = self.in_response_to,
            audience = self.audience,
        );
        if self.sign_assertion { self.signer().sign(&xml_text) } else { xml_text }
    }

    /// The whole Response around `assertion`, signed when asked.
    pub(in crate::sso) fn response_around(&self, assertion: &str) -> String {
        let signature = if self.sign_response { template("_r1") } else { String::new() };
        let xml_text = format!(
            r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="{now}" Destination="{destination}" InResponseTo="{irt}"><saml:Issuer>{issuer}</saml:Issuer>{signature}<samlp:Status><samlp:StatusCode Value="{status}"/></samlp:Status>{assertion}</samlp:Response>"#,
            now = instant(now()),
            destination = self.destination,
            irt = self.in_response_to,
            issuer = self.issuer,
            status = self.status,
        );
        if self.sign_response { self.signer().sign(&xml_text) } else { xml_text }
    }

    fn signer(&self) -> &'static TestIdp {
        if self.rolled_over { &OTHER_IDP } else { &IDP }
    }

    pub(in crate::sso) fn xml(&self) -> String {
        self.response_around(&self.assertion())
    }

    pub(in crate::sso) fn encoded(&self) -> String {
        STANDARD.encode(self.xml())
    }
}

pub(in crate::sso) fn encode(xml_text: &str) -> String {
    STANDARD.encode(xml_text)
}
