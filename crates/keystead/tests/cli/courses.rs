//! `keystead admin course …` run as an operator would (part of the `cli` test binary): a course
//! recorded once (again: unchanged), listed newest first, and every refusal in one line naming
//! the flag.

use std::path::Path;

use tempfile::TempDir;

use super::{Finished, assert_fails_with_one_line, json, keystead, migrate, run};

fn admin(dir: &Path, args: &[&str]) -> Finished {
    let mut all = vec!["admin", "course"];
    all.extend_from_slice(args);
    run(keystead(dir, &all))
}

const BASICS: [&str; 8] =
    ["--course", "cet-101", "--title", "CET Basics", "--completed-at", "2025-10-01T08:00:00Z", "--score", "88"];

#[test]
fn an_operator_records_and_lists_a_users_courses() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    migrate(d);
    let made = run(keystead(d, &["admin", "user", "create", "--email", "ada@example.com", "--verified"]));
    assert!(made.status.success(), "{made}");
    let mut args = vec!["record", "--user", "ada@example.com", "--json"];
    args.extend_from_slice(&BASICS);
    let out = admin(d, &args);
    assert!(out.status.success(), "{out}");
    let doc = json(&out.stdout);
    assert_eq!(
        (doc["course_id"].as_str(), doc["recorded"].as_str(), doc["score"].as_f64()),
        (Some("cet-101"), Some("created"), Some(88.0))
    );
    assert_eq!(json(&admin(d, &args).stdout)["recorded"], "unchanged");
    let pro = [
        "record",
        "--user",
        "ada@example.com",
        "--course",
        "cet-201",
        "--title",
        "CET Pro",
        "--completed-at",
        "2025-11-20T09:30:00+01:00",
        "--certificate-url",
        "https://learn.example/c/81",
    ];
    assert!(admin(d, &pro).status.success());

    let listed = admin(d, &["list", "--user", "ada@example.com", "--json"]);
    let ids: Vec<String> =
        json(&listed.stdout).as_array().unwrap().iter().map(|c| c["course_id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(ids, ["cet-201", "cet-101"], "newest first: {listed}");
    let text = admin(d, &["list", "--user", "ada@example.com"]);
    assert!(text.stdout.lines().next().unwrap().starts_with("2025-11-20  cet-201  \"CET Pro\""), "{text}");
}

#[test]
fn course_command_errors_are_one_line_naming_the_flag() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    migrate(d);
    let mut nobody = vec!["record", "--user", "nobody@example.com"];
    nobody.extend_from_slice(&BASICS);
    assert_fails_with_one_line(&admin(d, &nobody), &["--user", "nobody@example.com"]);
    assert!(run(keystead(d, &["admin", "user", "create", "--email", "ada@example.com"])).status.success());
    let bad_time =
        ["record", "--user", "ada@example.com", "--course", "c", "--title", "C", "--completed-at", "yesterday"];
    assert_fails_with_one_line(&admin(d, &bad_time), &["--completed-at", "RFC 3339"]);
    let bad = [
        "record",
        "--user",
        "ada@example.com",
        "--course",
        "c",
        "--title",
        " ",
        "--completed-at",
        "2025-01-01T00:00:00Z",
        "--score",
        "101",
        "--certificate-url",
        "ftp://x",
    ];
    assert_fails_with_one_line(&admin(d, &bad), &["--title", "--score", "--certificate-url"]);
}
