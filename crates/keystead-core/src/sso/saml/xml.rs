//! A thin, strict reading layer over the `uppsala` DOM that `bergshamra` verifies: no DTDs,
//! namespace-aware names, unqualified attributes only, and text read whole (comments cannot
//! cut a value short).

use bergshamra::xml::uppsala::{self, Document, NodeId, NodeKind};

use super::SamlError;

/// SAML 2.0 protocol namespace (`samlp:`).
pub(super) const PROTOCOL: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
/// SAML 2.0 assertion namespace (`saml:`).
pub(super) const ASSERTION: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
/// SAML 2.0 metadata namespace (`md:`).
pub(super) const METADATA: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
/// XML-DSig namespace (`ds:`).
pub(super) const DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";

/// Deepest element nesting accepted; real SAML stays under 15.
const MAX_DEPTH: u32 = 64;

/// Parses `text`, refusing any DOCTYPE (XXE, entity expansion) before and during parsing.
pub(super) fn parse(text: &str) -> Result<Document<'_>, SamlError> {
    if text.contains("<!DOCTYPE") {
        return Err(SamlError::DoctypeRefused);
    }
    uppsala::Parser::new()
        .with_forbid_dtd(true)
        .with_forbid_entities(true)
        .with_max_depth(MAX_DEPTH)
        .parse(text)
        .map_err(|e| SamlError::Malformed(format!("not well-formed XML: {e}")))
}

/// The document element.
pub(super) fn root(doc: &Document<'_>) -> Result<NodeId, SamlError> {
    doc.document_element().ok_or_else(|| SamlError::Malformed("no document element".into()))
}

/// Whether `id` is the element `{ns}local`.
pub(super) fn is(doc: &Document<'_>, id: NodeId, ns: &str, local: &str) -> bool {
    doc.element(id).is_some_and(|e| e.name.local_name == local && e.name.namespace_uri.as_deref() == Some(ns))
}

/// The child elements of `id` named `{ns}local`, in document order.
pub(super) fn children(doc: &Document<'_>, id: NodeId, ns: &str, local: &str) -> Vec<NodeId> {
    doc.children_iter(id).filter(|&c| is(doc, c, ns, local)).collect()
}

/// The first child element of `id` named `{ns}local`.
pub(super) fn child(doc: &Document<'_>, id: NodeId, ns: &str, local: &str) -> Option<NodeId> {
    doc.children_iter(id).find(|&c| is(doc, c, ns, local))
}

/// The one child `{ns}local` of `id`: a second one is malformed (and a wrapping vector).
pub(super) fn only_child(doc: &Document<'_>, id: NodeId, ns: &str, local: &str) -> Result<Option<NodeId>, SamlError> {
    let found = children(doc, id, ns, local);
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(*one)),
        _ => Err(SamlError::Malformed(format!("more than one {local}"))),
    }
}

/// Every element below `id` (not `id` itself) named `{ns}local`.
pub(super) fn descendants(doc: &Document<'_>, id: NodeId, ns: &str, local: &str) -> Vec<NodeId> {
    doc.descendants(id).into_iter().filter(|&d| d != id && is(doc, d, ns, local)).collect()
}

/// The unqualified attribute `name` of element `id` (a namespaced look-alike is ignored).
pub(super) fn attr<'d>(doc: &'d Document<'_>, id: NodeId, name: &str) -> Option<&'d str> {
    doc.element(id)?
        .attributes
        .iter()
        .find(|a| a.name.namespace_uri.is_none() && a.name.local_name == name)
        .map(|a| a.value.as_ref())
}

/// All the text and CDATA children of `id` joined, trimmed. Comments are skipped but do not end
/// the value: `a<!---->b` reads `ab`, as the signature's canonical form does.
pub(super) fn text(doc: &Document<'_>, id: NodeId) -> String {
    let mut out = String::new();
    for c in doc.children_iter(id) {
        if let Some(NodeKind::Text(t) | NodeKind::CData(t)) = doc.node_kind(c) {
            out.push_str(t);
        }
    }
    out.trim().to_owned()
}

/// Escapes `value` for an XML attribute or text.
pub(super) fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for ch in value.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_doctype_is_refused_before_parsing() {
        let xxe = r#"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>"#;
        assert_eq!(parse(xxe).unwrap_err(), SamlError::DoctypeRefused);
    }

    #[test]
    fn a_comment_inside_a_value_does_not_truncate_it() {
        let doc = parse("<r>admin@example.com<!---->.evil.test</r>").unwrap();
        let r = root(&doc).unwrap();
        assert_eq!(text(&doc, r), "admin@example.com.evil.test");
    }

    #[test]
    fn a_namespaced_attribute_does_not_pass_for_the_plain_one() {
        let doc = parse(r#"<r xmlns:x="urn:x" x:ID="fake"/>"#).unwrap();
        assert_eq!(attr(&doc, root(&doc).unwrap(), "ID"), None);
    }

    #[test]
    fn escaping_covers_the_five_xml_specials() {
        assert_eq!(escape(r#"<a href="x">&'"#), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
    }
}
