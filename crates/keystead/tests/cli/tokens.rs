//! `keystead admin token …` run as an operator would (part of the `cli` test binary): a token
//! printed once and never listed, an organization's SCIM token, revocation, and every refusal
//! in one line naming the flag.

use std::path::Path;

use tempfile::TempDir;

use super::{Finished, assert_fails_with_one_line, json, keystead, migrate, run};

fn admin(dir: &Path, args: &[&str]) -> Finished {
    let mut all = vec!["admin", "token"];
    all.extend_from_slice(args);
    run(keystead(dir, &all))
}

#[test]
fn an_operator_creates_lists_and_revokes_tokens() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    migrate(d);
    let out = admin(d, &["create", "--name", "Shop sync", "--scope", "users:read", "--scope", "orgs:read", "--json"]);
    assert!(out.status.success(), "{out}");
    let made = json(&out.stdout);
    let token = made["token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("kst_"), "{token}");
    assert_eq!(made["scopes"], serde_json::json!(["users:read", "orgs:read"]));
    assert!(made["organization_id"].is_null() && made["expires_at"].is_string(), "{made}");
    let id = made["id"].as_str().unwrap().to_owned();

    let run_user = run(keystead(d, &["admin", "user", "create", "--email", "ada@example.com", "--verified"]));
    assert!(run_user.status.success(), "{run_user}");
    let org =
        run(keystead(d, &["admin", "org", "create", "--name", "Acme", "--slug", "acme", "--owner", "ada@example.com"]));
    assert!(org.status.success(), "{org}");
    let scim =
        admin(d, &["create", "--name", "Entra provisioning", "--scope", "scim", "--org", "acme", "--days", "365"]);
    assert!(scim.status.success(), "{scim}");
    assert!(scim.stdout.trim().starts_with("kst_") && scim.stderr.contains("not shown again"), "{scim}");

    let listed = admin(d, &["list", "--json"]);
    assert!(listed.status.success(), "{listed}");
    assert!(!listed.stdout.contains(&token[12..]), "the list never holds a token: {listed}");
    assert_eq!(json(&listed.stdout).as_array().unwrap().len(), 2);
    let acme_only = json(&admin(d, &["list", "--org", "acme", "--json"]).stdout);
    assert_eq!(acme_only[0]["name"], "Entra provisioning");

    let revoked = admin(d, &["revoke", &id]);
    assert!(revoked.status.success(), "{revoked}");
    let listed = admin(d, &["list"]);
    assert!(listed.stdout.lines().any(|l| l.starts_with(&id) && l.contains("revoked")), "{listed}");
    assert_fails_with_one_line(&admin(d, &["revoke", &id]), &["revoked already"]);
}

#[test]
fn token_command_errors_are_one_line_naming_the_flag() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    migrate(d);
    assert_fails_with_one_line(
        &admin(d, &["create", "--name", "x", "--scope", "users:admin"]),
        &["--scope", "users:admin"],
    );
    assert_fails_with_one_line(&admin(d, &["create", "--name", "x", "--scope", "scim"]), &["--scope", "organization"]);
    assert_fails_with_one_line(
        &admin(d, &["create", "--name", "x", "--scope", "orgs:read", "--org", "nope"]),
        &["--org"],
    );
    assert_fails_with_one_line(
        &admin(d, &["create", "--name", "x", "--scope", "orgs:read", "--days", "5000"]),
        &["--days"],
    );
    assert_fails_with_one_line(&admin(d, &["create", "--name", " ", "--scope", "orgs:read"]), &["--name"]);
    assert_fails_with_one_line(&admin(d, &["revoke", "nope"]), &["ID"]);
    assert_fails_with_one_line(&admin(d, &["revoke", "01890a5d-ac96-774b-bcce-b302099a8057"]), &["ID"]);
}
