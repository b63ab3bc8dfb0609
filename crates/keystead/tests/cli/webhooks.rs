//! `keystead admin webhook …` run as an operator would (part of the `cli` test binary): an
//! endpoint made with its secret printed once, listed without it, paused and resumed, its
//! secret rotated, deleted; and every refusal in one line naming the flag.

use std::path::Path;

use tempfile::TempDir;

use super::{Finished, assert_fails_with_one_line, json, keystead, migrate, run};

fn admin(dir: &Path, args: &[&str]) -> Finished {
    let mut all = vec!["admin", "webhook"];
    all.extend_from_slice(args);
    run(keystead(dir, &all))
}

#[test]
fn an_operator_manages_a_webhook_endpoint() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    migrate(d);
    let url = "https://crm.example.com/keystead";
    let out = admin(d, &["create", "--url", url, "--event", "user.created", "--event", "user.closing", "--json"]);
    assert!(out.status.success(), "{out}");
    let made = json(&out.stdout);
    let secret = made["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"), "{made}");
    let id = made["id"].as_str().unwrap().to_owned();
    let listed = admin(d, &["list"]);
    assert!(listed.stdout.contains(&id) && listed.stdout.contains("user.created user.closing"), "{listed}");
    assert!(!listed.stdout.contains(&secret[6..]), "the list never holds the secret: {listed}");
    let paused = admin(d, &["disable", &id]);
    assert!(paused.stdout.contains("disabled"), "{paused}");
    let resumed = admin(d, &["enable", &id]);
    assert!(resumed.stdout.contains("enabled"), "{resumed}");
    let rotated = admin(d, &["rotate", &id]);
    assert!(rotated.status.success() && rotated.stdout.trim().starts_with("whsec_"), "{rotated}");
    assert_ne!(rotated.stdout.trim(), secret);
    assert!(admin(d, &["deliveries", &id]).status.success());
    assert!(admin(d, &["events"]).stdout.contains("user.signed_in"));
    assert!(admin(d, &["delete", &id]).status.success());
    assert_fails_with_one_line(&admin(d, &["delete", &id]), &["ID"]);
}

#[test]
fn webhook_command_errors_are_one_line_naming_the_flag() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    migrate(d);
    assert_fails_with_one_line(&admin(d, &["create", "--url", "http://10.0.0.1/x", "--event", "*"]), &["--url"]);
    assert_fails_with_one_line(
        &admin(d, &["create", "--url", "https://crm.example.com/x", "--event", "user.exploded"]),
        &["--event", "user.exploded"],
    );
    assert_fails_with_one_line(
        &admin(d, &["create", "--url", "https://x.example/x", "--event", "*", "--org", "nope"]),
        &["--org"],
    );
    assert_fails_with_one_line(&admin(d, &["rotate", "nope"]), &["ID"]);
    assert_fails_with_one_line(&admin(d, &["resend", "01890a5d-ac96-774b-bcce-b302099a8057"]), &["ID"]);
}
