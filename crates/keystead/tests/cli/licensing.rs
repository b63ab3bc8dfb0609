//! `keystead admin product|download|plan|subscription|seat …`, run as an operator would (part of
//! the `cli` test binary, whose helpers it uses).

use std::path::Path;

use tempfile::TempDir;

use super::{Finished, assert_fails_with_one_line, json, keystead, migrate, run};

fn admin(dir: &Path, args: &[&str]) -> Finished {
    let mut all = vec!["admin"];
    all.extend_from_slice(args);
    run(keystead(dir, &all))
}

fn ok_json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let out = admin(dir, args);
    assert!(out.status.success(), "{out}");
    json(&out.stdout)
}

/// An organization `acme` owned by ada, with bob and cy as members.
fn organization(dir: &Path) {
    for email in ["ada@example.com", "bob@example.com", "cy@example.com"] {
        assert!(admin(dir, &["user", "create", "--email", email, "--verified"]).status.success());
    }
    let created = admin(dir, &["org", "create", "--name", "Acme", "--slug", "acme", "--owner", "ada@example.com"]);
    assert!(created.status.success(), "{created}");
    for email in ["bob@example.com", "cy@example.com"] {
        assert!(admin(dir, &["org", "add-member", "acme", "--email", email]).status.success());
    }
}

/// The product `cet` (a file download and a link), the extension `warehouse` and the plan
/// `cet-pro` granting them, checked as they are created.
fn catalogue(dir: &TempDir) {
    let p = ok_json(dir.path(), &words("product create --key cet --name CET --kind desktop_app --json"));
    assert_eq!(
        (p["key"].as_str(), p["kind"].as_str(), p["group"].as_str()),
        (Some("cet"), Some("desktop_app"), Some("manufacturer"))
    );
    let args = words(
        "product create --key warehouse --name Warehouse --kind extension --group utility --description Racks \
         --icon-url https://cdn.example.com/warehouse.png --learn-more-url https://example.com/warehouse",
    );
    assert!(admin(dir.path(), &args).status.success());
    assert_eq!(ok_json(dir.path(), &["product", "list", "--json"]).as_array().map(Vec::len), Some(2));
    let shown = ok_json(dir.path(), &["product", "show", "warehouse", "--json"]);
    assert_eq!(
        (shown["description"].as_str(), shown["icon_url"].as_str(), shown["learn_more_url"].as_str()),
        (Some("Racks"), Some("https://cdn.example.com/warehouse.png"), Some("https://example.com/warehouse"))
    );
    let bad = admin(dir.path(), &words("product create --key bad --name Bad --kind extension --icon-url /x.png"));
    assert!(!bad.status.success() && bad.stderr.contains("--icon-url"), "{bad}");

    let file = dir.path().join("cet-setup.msi");
    let bytes = vec![7_u8; 300_000];
    std::fs::write(&file, &bytes).unwrap();
    let mut args = words("download add --product cet --version 2026.1 --platform windows-x64 --file");
    args.push(file.to_str().unwrap());
    let added = admin(dir.path(), &args);
    assert!(added.status.success(), "{added}");
    let download_id = added.stdout.trim().to_owned();
    let args =
        "download add --product cet --version 2026.1 --platform macos --url https://cdn.example.com/cet.dmg --json";
    let link = ok_json(dir.path(), &words(args));
    let listed = ok_json(dir.path(), &["download", "list", "--json"]);
    let stored = listed.as_array().unwrap().iter().find(|d| d["id"] == download_id.as_str()).unwrap();
    let sum = std::process::Command::new("sha256sum").arg(&file).output().unwrap();
    let sha = String::from_utf8(sum.stdout).unwrap().split_whitespace().next().unwrap().to_owned();
    assert_eq!((stored["size"].as_i64(), stored["sha256"].as_str()), (Some(300_000), Some(sha.as_str())));
    let copy = dir.path().join("data/downloads").join(stored["file"].as_str().unwrap());
    assert_eq!(std::fs::read(copy).unwrap(), bytes);

    let args = format!(
        "plan create --product cet --key cet-pro --name Pro --entitlement cet.edition.pro --entitlement spec.warehouse \
         --extension warehouse --download {download_id} --download {} --landing extension_chooser --max-machines 2 --json",
        link["id"].as_str().unwrap()
    );
    let plan = ok_json(dir.path(), &words(&args));
    assert_eq!(plan["entitlements"], serde_json::json!(["cet.edition.pro", "spec.warehouse"]));
    assert_eq!((plan["landing"]["rule"].as_str(), plan["max_machines"].as_i64()), (Some("extension_chooser"), Some(2)));
}

/// A command line split at spaces.
fn words(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
}

#[test]
fn an_operator_builds_the_catalogue_sells_two_seats_and_assigns_them() {
    let dir = TempDir::new().unwrap();
    migrate(dir.path());
    organization(dir.path());
    catalogue(&dir);

    let sub = ok_json(
        dir.path(),
        &[
            "subscription",
            "create",
            "--org",
            "acme",
            "--plan",
            "cet-pro",
            "--seats",
            "2",
            "--starts",
            "2020-01-01",
            "--ends",
            "2099-12-31",
            "--json",
        ],
    );
    let sub_id = sub["id"].as_str().unwrap().to_owned();
    assert_eq!((sub["seats"].as_i64(), sub["live"].as_bool()), (Some(2), Some(true)));
    assert!(sub["ends_at"].as_str().unwrap().starts_with("2100-01-01"), "{sub}");

    for email in ["ada@example.com", "bob@example.com"] {
        let s =
            ok_json(dir.path(), &["seat", "assign", "--org", "acme", "--plan", "cet-pro", "--email", email, "--json"]);
        assert_eq!(s["id"].as_str(), Some(sub_id.as_str()));
    }
    let full =
        admin(dir.path(), &["seat", "assign", "--org", "acme", "--plan", "cet-pro", "--email", "cy@example.com"]);
    assert_fails_with_one_line(&full, &["--plan", "seats", "assigned"]);

    let listed = ok_json(dir.path(), &["subscription", "list", "--org", "acme", "--json"]);
    assert_eq!(listed[0]["seats_used"].as_i64(), Some(2));
    assert_eq!(listed[0]["holders"].as_array().map(Vec::len), Some(2));
    let below = admin(dir.path(), &["subscription", "set-seats", sub_id.as_str(), "1"]);
    assert_fails_with_one_line(&below, &["--seats", "assigned"]);

    let freed =
        admin(dir.path(), &["seat", "unassign", "--org", "acme", "--plan", "cet-pro", "--email", "bob@example.com"]);
    assert!(freed.status.success(), "{freed}");
    assert!(
        admin(dir.path(), &["seat", "assign", "--org", "acme", "--plan", "cet-pro", "--email", "cy@example.com"])
            .status
            .success()
    );
    let more = ok_json(dir.path(), &["subscription", "set-seats", sub_id.as_str(), "5", "--json"]);
    assert_eq!((more["seats"].as_i64(), more["seats_used"].as_i64()), (Some(5), Some(2)));
    let ended = ok_json(dir.path(), &["subscription", "end", sub_id.as_str(), "--json"]);
    assert_eq!(ended["live"].as_bool(), Some(false));
    let after =
        admin(dir.path(), &["seat", "assign", "--org", "acme", "--plan", "cet-pro", "--email", "bob@example.com"]);
    assert_fails_with_one_line(&after, &["--plan", "no current subscription"]);
}

#[test]
fn licensing_command_errors_are_one_line_naming_the_flag() {
    let dir = TempDir::new().unwrap();
    migrate(dir.path());
    organization(dir.path());
    let bad = admin(dir.path(), &["product", "create", "--key", "Bad Key", "--name", "X", "--kind", "app"]);
    assert_fails_with_one_line(&bad, &["--key", "--kind"]);
    assert!(
        admin(dir.path(), &["product", "create", "--key", "cet", "--name", "CET", "--kind", "web_app"])
            .status
            .success()
    );
    let taken = admin(dir.path(), &["product", "create", "--key", "cet", "--name", "CET", "--kind", "web_app"]);
    assert_fails_with_one_line(&taken, &["--key", "exists"]);
    let missing = admin(dir.path(), &["product", "show", "nope"]);
    assert_fails_with_one_line(&missing, &["nope"]);
    let no_file = admin(
        dir.path(),
        &["download", "add", "--product", "cet", "--version", "1", "--platform", "x", "--file", "/nonexistent/file"],
    );
    assert_fails_with_one_line(&no_file, &["--file"]);
    let no_product = admin(
        dir.path(),
        &[
            "download",
            "add",
            "--product",
            "nope",
            "--version",
            "1",
            "--platform",
            "x",
            "--url",
            "https://example.com/a",
        ],
    );
    assert_fails_with_one_line(&no_product, &["--product"]);
    let landing = admin(
        dir.path(),
        &[
            "plan",
            "create",
            "--product",
            "cet",
            "--key",
            "p",
            "--name",
            "P",
            "--landing",
            "somewhere",
            "--extension",
            "cet",
        ],
    );
    assert_fails_with_one_line(&landing, &["--landing"]);
    let ext = admin(
        dir.path(),
        &[
            "plan",
            "create",
            "--product",
            "cet",
            "--key",
            "p",
            "--name",
            "P",
            "--landing",
            "https://app.example.com",
            "--extension",
            "cet",
        ],
    );
    assert_fails_with_one_line(&ext, &["--extension", "extension"]);
    assert!(
        admin(dir.path(), &["plan", "create", "--product", "cet", "--key", "p", "--name", "P", "--landing", "none"])
            .status
            .success()
    );
}

#[test]
fn subscription_and_seat_errors_are_one_line_naming_the_flag() {
    let dir = TempDir::new().unwrap();
    migrate(dir.path());
    organization(dir.path());
    let args = ["plan", "create", "--product", "cet", "--key", "p", "--name", "P", "--landing", "none"];
    assert!(
        admin(dir.path(), &["product", "create", "--key", "cet", "--name", "CET", "--kind", "web_app"])
            .status
            .success()
    );
    assert!(admin(dir.path(), &args).status.success());
    let date = admin(
        dir.path(),
        &["subscription", "create", "--org", "acme", "--plan", "p", "--seats", "1", "--ends", "31/12/2027"],
    );
    assert_fails_with_one_line(&date, &["--ends", "YYYY-MM-DD"]);
    // Core names the times starts_at and ends_at; the line names the flags.
    let create = ["subscription", "create", "--org", "acme", "--plan", "p", "--seats", "1"];
    let reversed = admin(dir.path(), &[&create[..], &["--starts", "2027-06-01", "--ends", "2027-01-01"]].concat());
    assert_fails_with_one_line(&reversed, &["--ends:", "after the start"]);
    let org = admin(dir.path(), &["subscription", "create", "--org", "nope", "--plan", "p", "--seats", "1"]);
    assert_fails_with_one_line(&org, &["--org"]);
    let seats = admin(dir.path(), &["subscription", "create", "--org", "acme", "--plan", "p", "--seats=-1"]);
    assert_fails_with_one_line(&seats, &["--seats"]);
    let id = admin(dir.path(), &["subscription", "end", "not-an-id"]);
    assert_fails_with_one_line(&id, &["not-an-id"]);
    let outsider = admin(dir.path(), &["user", "create", "--email", "out@example.com", "--verified"]);
    assert!(outsider.status.success());
    assert!(
        admin(dir.path(), &["subscription", "create", "--org", "acme", "--plan", "p", "--seats", "1"]).status.success()
    );
    let not_member =
        admin(dir.path(), &["seat", "assign", "--org", "acme", "--plan", "p", "--email", "out@example.com"]);
    assert_fails_with_one_line(&not_member, &["--email", "not a member"]);
    let no_seat =
        admin(dir.path(), &["seat", "unassign", "--org", "acme", "--plan", "p", "--email", "bob@example.com"]);
    assert_fails_with_one_line(&no_seat, &["--email", "no seat"]);
}
