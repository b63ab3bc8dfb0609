//! `keystead backup` and `keystead restore`, run as an operator would (part of the `cli` test
//! binary, whose helpers it uses).

use std::path::Path;

use tempfile::TempDir;

use super::{
    Server, assert_fails_with_one_line, assert_private_file, http_get, json, keystead, migrate, run, run_with_stdin,
    write,
};

fn create_user(dir: &Path, email: &str) -> serde_json::Value {
    let args = ["admin", "user", "create", "--email", email, "--verified", "--password-stdin", "--json"];
    let created = run_with_stdin(keystead(dir, &args), "correct horse battery staple\n");
    assert!(created.status.success(), "{created}");
    json(&created.stdout)
}

fn serve(dir: &Path) -> Server {
    Server::start(keystead(dir, &["serve", "--listen", "127.0.0.1:0"]))
}

#[test]
fn an_operator_backs_up_a_running_server_and_restores_into_a_fresh_directory() {
    let old = TempDir::new().unwrap();
    migrate(old.path());
    let user = create_user(old.path(), "ada@example.com");
    let server = serve(old.path());
    let out = TempDir::new().unwrap();
    let file = out.path().join("keystead.backup");

    let backed_up = run(keystead(old.path(), &["backup", "--output", file.to_str().unwrap(), "--json"]));

    assert!(backed_up.status.success(), "{backed_up}");
    let report = json(&backed_up.stdout);
    assert_eq!(report["path"], file.canonicalize().unwrap().display().to_string());
    assert_eq!(report["bytes"], std::fs::metadata(&file).unwrap().len());
    assert!(report["schema_version"].as_i64().is_some_and(|v| v > 0), "{report}");
    assert_eq!(report["master_key"]["in_backup"], false);
    assert!(report["master_key"]["path"].as_str().unwrap().ends_with("data/master.key"), "{report}");
    assert_private_file(&file);
    let text = run(keystead(old.path(), &["backup", "-o", out.path().join("second").to_str().unwrap()]));
    assert!(text.status.success(), "{text}");
    for expected in ["backup written to", "NOT in the backup", "data/master.key", "TOTP secrets"] {
        assert!(text.stdout.contains(expected), "no {expected:?}:\n{text}");
    }
    assert_eq!(http_get(server.addr, "/readyz").status, 200, "{}", server.stderr());

    let new = TempDir::new().unwrap();
    let restored = run(keystead(new.path(), &["restore", "--input", file.to_str().unwrap()]));
    assert!(restored.status.success(), "{restored}");
    assert!(restored.stdout.contains("warning: there is no master key at"), "{restored}");
    assert_private_file(&new.path().join("data").join("keystead.db"));
    std::fs::copy(old.path().join("data/master.key"), new.path().join("data/master.key")).unwrap();

    let shown = run(keystead(new.path(), &["admin", "user", "show", "ada@example.com", "--json"]));
    assert!(shown.status.success(), "{shown}");
    assert_eq!(json(&shown.stdout)["id"], user["id"]);
}

#[test]
fn a_backup_never_overwrites_a_file_without_force_and_needs_a_database() {
    let dir = TempDir::new().unwrap();
    let none = run(keystead(dir.path(), &["backup", "--output", "copy.db"]));
    assert_fails_with_one_line(&none, &["no database at", "database_url"]);
    migrate(dir.path());
    let existing = write(dir.path(), "copy.db", "keep me");

    let refused = run(keystead(dir.path(), &["backup", "--output", "copy.db"]));

    assert_fails_with_one_line(&refused, &["--output", "copy.db", "already exists", "--force"]);
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "keep me");
    let forced = run(keystead(dir.path(), &["backup", "--output", "copy.db", "--force"]));
    assert!(forced.status.success(), "{forced}");
    assert_private_file(&existing);
}

#[test]
fn a_restore_refuses_a_database_a_running_server_has_open() {
    let dir = TempDir::new().unwrap();
    migrate(dir.path());
    let server = serve(dir.path());
    assert!(run(keystead(dir.path(), &["backup", "--output", "copy.db"])).status.success());

    let unforced = run(keystead(dir.path(), &["restore", "--input", "copy.db"]));
    assert_fails_with_one_line(&unforced, &["already exists", "--force"]);
    let forced = run(keystead(dir.path(), &["restore", "--input", "copy.db", "--force"]));
    assert_fails_with_one_line(&forced, &["in use", "stop it first"]);
    assert_eq!(http_get(server.addr, "/readyz").status, 200, "{}", server.stderr());

    let (status, _, stderr) = server.terminate();
    assert!(status.success(), "{stderr}");
    let restored = run(keystead(dir.path(), &["restore", "--input", "copy.db", "--force", "--json"]));
    assert!(restored.status.success(), "{restored}");
    assert_eq!(json(&restored.stdout)["master_key"]["present"], true);
}

#[test]
fn a_restore_refuses_files_that_are_not_keystead_databases() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "notes.txt", &"not a database\n".repeat(200));
    write(dir.path(), "empty.db", "");

    let junk = run(keystead(dir.path(), &["restore", "--input", "notes.txt"]));
    assert_fails_with_one_line(&junk, &["--input", "notes.txt", "not a SQLite database"]);
    let empty = run(keystead(dir.path(), &["restore", "--input", "empty.db"]));
    assert_fails_with_one_line(&empty, &["--input", "empty.db", "not a Keystead database"]);
    let missing = run(keystead(dir.path(), &["restore", "--input", "nowhere.db"]));
    assert_fails_with_one_line(&missing, &["nowhere.db"]);

    assert!(!dir.path().join("data/keystead.db").exists(), "a database was written");
}

#[test]
fn backup_and_restore_on_postgresql_point_to_pg_dump_and_pg_restore() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "keystead.toml", "database_url = \"postgres://postgres@127.0.0.1:5432/test\"\n");

    let backup = run(keystead(dir.path(), &["backup", "--output", "copy.dump"]));
    assert_fails_with_one_line(&backup, &["PostgreSQL", "pg_dump --format=custom"]);
    let restore = run(keystead(dir.path(), &["restore", "--input", "copy.dump"]));
    assert_fails_with_one_line(&restore, &["PostgreSQL", "pg_restore"]);
    assert!(!dir.path().join("copy.dump").exists());
}
