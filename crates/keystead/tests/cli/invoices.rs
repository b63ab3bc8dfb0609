//! `keystead admin invoice …` run as an operator would (part of the `cli` test binary): an
//! invoice issued from a JSON file (again: unchanged; paid: updated), listed, written as a PDF,
//! and every refusal in one line naming the flag and the field of the document.

use std::path::Path;

use tempfile::TempDir;

use super::{Finished, assert_fails_with_one_line, json, keystead, migrate, run};

fn admin(dir: &Path, args: &[&str]) -> Finished {
    let mut all = vec!["admin", "invoice"];
    all.extend_from_slice(args);
    run(keystead(dir, &all))
}

fn write(dir: &Path, name: &str, doc: &serde_json::Value) -> String {
    let path = dir.join(name);
    std::fs::write(&path, doc.to_string()).unwrap();
    path.to_str().unwrap().to_owned()
}

fn document(status: &str) -> serde_json::Value {
    serde_json::json!({"number": "2026-0001", "issued_on": "2025-12-01", "due_on": "2025-12-31", "currency": "EUR",
        "status": status, "lines": [{"description": "CET Pro seat", "quantity": 3, "unit_price_minor": 12000,
        "tax_rate_percent": 19}]})
}

#[test]
fn an_operator_issues_lists_and_prints_an_organizations_invoice() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    migrate(d);
    assert!(run(keystead(d, &["admin", "org", "create", "--name", "Acme", "--slug", "acme"])).status.success());
    let file = write(d, "invoice.json", &document("open"));
    let out = admin(d, &["create", "--org", "acme", "--file", &file, "--json"]);
    assert!(out.status.success(), "{out}");
    let doc = json(&out.stdout);
    assert_eq!((doc["recorded"].as_str(), doc["total_minor"].as_i64()), (Some("created"), Some(42_840)), "{out}");
    assert_eq!(
        json(&admin(d, &["create", "--org", "acme", "--file", &file, "--json"]).stdout)["recorded"],
        "unchanged"
    );
    let paid = write(d, "paid.json", &document("paid"));
    let out = admin(d, &["create", "--org", "acme", "--file", &paid]);
    assert!(out.stdout.starts_with("updated: invoice 2026-0001") && out.stdout.contains("EUR 428.40, paid"), "{out}");
    let listed = admin(d, &["list", "--org", "acme", "--json"]);
    let listed = json(&listed.stdout);
    assert_eq!((listed["total"].as_i64(), listed["items"][0]["status"].as_str()), (Some(1), Some("paid")));
    let id = listed["items"][0]["id"].as_str().unwrap().to_owned();
    let pdf = d.join("out.pdf");
    let out = admin(d, &["pdf", "--id", &id, "--out", pdf.to_str().unwrap()]);
    assert!(out.status.success(), "{out}");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
}

#[test]
fn invoice_command_errors_are_one_line_naming_the_flag_and_the_field() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    migrate(d);
    assert!(run(keystead(d, &["admin", "org", "create", "--name", "Acme", "--slug", "acme"])).status.success());
    let good = write(d, "good.json", &document("open"));
    assert_fails_with_one_line(&admin(d, &["create", "--org", "nope", "--file", &good]), &["--org", "nope"]);
    assert_fails_with_one_line(&admin(d, &["create", "--org", "acme", "--file", "/nonexistent.json"]), &["--file"]);
    let garbled = write(d, "garbled.json", &serde_json::json!({"number": 1}));
    assert_fails_with_one_line(
        &admin(d, &["create", "--org", "acme", "--file", &garbled]),
        &["--file", "not an invoice document"],
    );
    let mut bad = document("later");
    bad["lines"][0]["quantity"] = 0.into();
    let bad = write(d, "bad.json", &bad);
    assert_fails_with_one_line(
        &admin(d, &["create", "--org", "acme", "--file", &bad]),
        &["--file", "status", "lines[0].quantity"],
    );
    assert_fails_with_one_line(&admin(d, &["pdf", "--id", "x", "--out", "/tmp/x.pdf"]), &["--id"]);
    assert_fails_with_one_line(&admin(d, &["list", "--org", "acme", "--page", "0"]), &["--page"]);
}
