//! `keystead admin sso …` run as an operator would (part of the `cli` test binary): a SAML
//! connection from a metadata file, listed, edited in place (name, new metadata of the same
//! IdP), other-IdP metadata and options of the other protocol refused in one line naming the
//! flag, and removed.

use std::path::Path;

use base64::Engine as _;
use tempfile::TempDir;

use super::{Finished, assert_fails_with_one_line, json, keystead, migrate, run};

fn admin(dir: &Path, args: &[&str]) -> Finished {
    let mut all = vec!["admin"];
    all.extend_from_slice(args);
    run(keystead(dir, &all))
}

/// IdP metadata for `entity` with a freshly made signing certificate, written to `file`.
fn metadata_file(dir: &Path, file: &str, entity: &str) -> String {
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["idp.example".into()]).unwrap().self_signed(&key).unwrap();
    let cert = base64::engine::general_purpose::STANDARD.encode(cert.der());
    let xml = format!(
        r#"<EntityDescriptor entityID="{entity}" xmlns="urn:oasis:names:tc:SAML:2.0:metadata"><IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>{cert}</X509Certificate></X509Data></KeyInfo></KeyDescriptor><SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example/sso"/></IDPSSODescriptor></EntityDescriptor>"#
    );
    let path = dir.join(file);
    std::fs::write(&path, xml).unwrap();
    path.display().to_string()
}

#[test]
fn an_operator_adds_edits_and_removes_a_saml_connection() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    migrate(d);
    assert!(admin(d, &["user", "create", "--email", "ada@example.com", "--verified"]).status.success());
    let created = admin(d, &["org", "create", "--name", "Acme", "--slug", "acme", "--owner", "ada@example.com"]);
    assert!(created.status.success(), "{created}");
    let first = metadata_file(d, "idp.xml", "https://idp.example/metadata");
    let out = admin(d, &["sso", "add-saml", "acme", "--name", "Acme ADFS", "--metadata-file", &first, "--json"]);
    assert!(out.status.success(), "{out}");
    let added = json(&out.stdout);
    let id = added["id"].as_str().unwrap().to_owned();
    assert!(added["acs_url"].as_str().unwrap().ends_with(&format!("/sso/saml/{id}/acs")));

    // The IdP rolled its key over: the same entity's new metadata, and a new name.
    let rolled = metadata_file(d, "rolled.xml", "https://idp.example/metadata");
    let out = admin(d, &["sso", "update", "acme", &id, "--name", "Acme Entra", "--metadata-file", &rolled, "--json"]);
    assert!(out.status.success(), "{out}");
    assert_eq!(json(&out.stdout)["name"], "Acme Entra");
    let listed = json(&admin(d, &["sso", "list", "acme", "--json"]).stdout);
    assert_eq!(listed[0]["name"], "Acme Entra");
    assert_eq!(listed[0]["issuer"], "https://idp.example/metadata");

    let other = metadata_file(d, "other.xml", "https://elsewhere.example/metadata");
    let refused = admin(d, &["sso", "update", "acme", &id, "--metadata-file", &other]);
    let line = assert_fails_with_one_line(&refused, &["metadata", "elsewhere.example"]);
    assert!(line.contains("add another connection"), "{line}");
    let refused = admin(d, &["sso", "update", "acme", &id, "--scopes", "openid groups"]);
    assert_fails_with_one_line(&refused, &["scopes"]);
    let refused = admin(d, &["sso", "update", "acme", "not-an-id", "--name", "x"]);
    assert_fails_with_one_line(&refused, &["ID"]);
    let refused = admin(d, &["sso", "update", "acme", &id, "--trust-idp-mfa", "maybe"]);
    assert!(!refused.status.success() && refused.stderr.contains("--trust-idp-mfa"), "{refused}");

    let removed = admin(d, &["sso", "remove", "acme", &id]);
    assert!(removed.status.success(), "{removed}");
    assert_eq!(json(&admin(d, &["sso", "list", "acme", "--json"]).stdout), serde_json::json!([]));
}
