//! End-to-end tests of the `keystead` binary, run as a newcomer or an operator would: each test
//! starts the real executable in its own empty working directory and judges what it prints.
#![cfg(unix)]
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers fail the test that uses them by panicking"
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_keystead");
/// Longest wait for a server to print its URL, or for a one-shot command to finish.
const PATIENCE: Duration = Duration::from_secs(60);
/// How soon a server must exit after SIGTERM when nothing is in flight.
const PROMPTLY: Duration = Duration::from_secs(5);
const LISTENING: &str = "Keystead is listening on ";
const PANIC_TEXT: [&str; 4] = ["panicked", "RUST_BACKTRACE", "stack backtrace", "thread 'main'"];

#[path = "cli/outbox.rs"]
mod outbox;

// ----- Running the binary ---------------------------------------------------------------------

/// A `keystead` command in `dir` with no inherited `KEYSTEAD_*` or `RUST_LOG` variables, and
/// `RUST_BACKTRACE=1`, so that any backtrace the binary could print would show.
fn keystead(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args).current_dir(dir).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("KEYSTEAD_") {
            cmd.env_remove(key);
        }
    }
    cmd.env_remove("RUST_LOG").env("RUST_BACKTRACE", "1");
    cmd
}

/// Kills and reaps the child on every path out of a test, including a failed assertion.
struct ChildGuard(Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl ChildGuard {
    fn spawn(mut cmd: Command) -> Self {
        Self(cmd.spawn().unwrap_or_else(|e| panic!("cannot start {BIN}: {e}")))
    }

    /// Waits for the child to exit, or gives up (and the guard kills it) after `limit`.
    fn wait_for_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.0.try_wait().expect("try_wait") {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            thread::sleep(Duration::from_millis(20));
        }
    }
}

fn read_all_in_background(mut pipe: impl Read + Send + 'static) -> JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// What a one-shot command did.
struct Finished {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

impl std::fmt::Display for Finished {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}\n--- stdout ---\n{}--- stderr ---\n{}--------------", self.status, self.stdout, self.stderr)
    }
}

/// Runs a command to completion (at most [`PATIENCE`]).
fn run(cmd: Command) -> Finished {
    let mut child = ChildGuard::spawn(cmd);
    let stdout = read_all_in_background(child.0.stdout.take().expect("piped stdout"));
    let stderr = read_all_in_background(child.0.stderr.take().expect("piped stderr"));
    let exited = child.wait_for_exit(PATIENCE);
    let status = exited.unwrap_or_else(|| {
        let _ = child.0.kill();
        child.0.wait().expect("reap the killed command")
    });
    let finished = Finished {
        status,
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
    };
    assert!(exited.is_some(), "the command did not finish within {PATIENCE:?}; killed it:\n{finished}");
    finished
}

/// A running `keystead serve`.
struct Server {
    child: ChildGuard,
    /// The line announcing the URL.
    url_line: String,
    /// The address actually bound (from "bound to …").
    addr: SocketAddr,
    /// What it printed before that line.
    earlier: Vec<String>,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `cmd` and waits until it announces its address.
    fn start(cmd: Command) -> Self {
        let mut child = ChildGuard::spawn(cmd);
        let stderr = collect_stderr(child.0.stderr.take().expect("piped stderr"));
        let lines = stdout_lines(child.0.stdout.take().expect("piped stdout"));
        let deadline = Instant::now() + PATIENCE;
        let mut earlier = Vec::new();
        let url_line = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match lines.recv_timeout(left) {
                Ok(line) if line.starts_with(LISTENING) => break line,
                Ok(line) => earlier.push(line),
                Err(RecvTimeoutError::Timeout) => {
                    panic!("the server printed no URL within {PATIENCE:?}; stderr:\n{}", stderr.lock().unwrap())
                }
                Err(RecvTimeoutError::Disconnected) => {
                    let status = child.wait_for_exit(Duration::from_secs(5));
                    panic!(
                        "the server exited ({status:?}) before printing its URL; stderr:\n{}",
                        stderr.lock().unwrap()
                    )
                }
            }
        };
        let addr = url_line
            .split_once("(bound to ")
            .and_then(|(_, rest)| rest.strip_suffix(')'))
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("no bound address in {url_line:?}"));
        Self { child, url_line, addr, earlier, stderr }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Sends SIGTERM and waits for the exit; returns the status and how long it took.
    fn terminate(mut self) -> (ExitStatus, Duration, String) {
        let pid = self.child.0.id().to_string();
        let sent = Instant::now();
        let kill = Command::new("kill").args(["-TERM", &pid]).status().expect("run kill");
        assert!(kill.success(), "kill -TERM {pid} failed");
        let status = self.child.wait_for_exit(PATIENCE);
        let took = sent.elapsed();
        // The stderr reader ends at EOF, just after the exit.
        thread::sleep(Duration::from_millis(100));
        let stderr = self.stderr();
        let status = status.unwrap_or_else(|| panic!("the server ignored SIGTERM for {PATIENCE:?}; stderr:\n{stderr}"));
        (status, took, stderr)
    }
}

fn collect_stderr(pipe: ChildStderr) -> Arc<Mutex<String>> {
    let text = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&text);
    thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            let mut text = sink.lock().unwrap();
            text.push_str(&line);
            text.push('\n');
        }
    });
    text
}

fn stdout_lines(pipe: impl Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// An HTTP response, read from a plain socket as a load balancer's probe would.
struct HttpResponse {
    status: u16,
    head: String,
    body: String,
}

fn http_get(addr: SocketAddr, path: &str) -> HttpResponse {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).expect("connect to the server");
    stream.set_read_timeout(Some(Duration::from_secs(15))).expect("read timeout");
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").expect("send request");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read response");
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or_else(|| panic!("not HTTP: {response:?}"));
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("{head:?}"));
    HttpResponse { status, head: head.to_owned(), body: body.to_owned() }
}

// ----- Assertions -----------------------------------------------------------------------------

fn assert_no_panic_text(stderr: &str) {
    for text in PANIC_TEXT {
        assert!(!stderr.contains(text), "stderr shows {text:?}:\n{stderr}");
    }
}

/// The command failed with exactly one stderr line (logging is off), starting with `error:` and
/// naming each of `names`; returns that line.
fn assert_fails_with_one_line(out: &Finished, names: &[&str]) -> String {
    assert!(!out.status.success(), "expected a failure:\n{out}");
    assert!(out.status.code().is_some(), "killed by a signal rather than exiting:\n{out}");
    assert_no_panic_text(&out.stderr);
    let lines: Vec<&str> = out.stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "expected exactly one stderr line:\n{out}");
    let line = lines[0];
    assert!(line.starts_with("error: "), "the line does not start with `error: `:\n{out}");
    for name in names {
        assert!(line.contains(name), "the error line does not name {name:?}:\n{out}");
    }
    line.to_owned()
}

fn assert_private_file(path: &Path) {
    let mode = std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{} has mode {:o}, expected 600", path.display(), mode & 0o777);
}

fn eml_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries.map(|e| e.expect("dir entry").path()).collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "eml"));
    files.sort();
    files
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write file");
    path
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {text:?}"))
}

fn migrate(dir: &Path) {
    let out = run(keystead(dir, &["migrate"]));
    assert!(out.status.success(), "migrate failed:\n{out}");
    assert!(out.stdout.contains("database is up to date"), "{out}");
}

// ----- serve with no configuration ------------------------------------------------------------

#[test]
fn serving_with_no_configuration_prints_its_url_and_answers_health_checks() {
    let dir = TempDir::new().unwrap();
    let server = Server::start(keystead(dir.path(), &["serve", "--listen", "127.0.0.1:0"]));

    assert!(server.url_line.starts_with("Keystead is listening on http://"), "{}", server.url_line);
    assert!(server.url_line.ends_with(&format!("(bound to {})", server.addr)), "{}", server.url_line);
    assert!(server.addr.ip().is_loopback() && server.addr.port() != 0, "{}", server.addr);

    let health = http_get(server.addr, "/healthz");
    assert_eq!(health.status, 200, "{}\n{}", health.head, health.body);
    assert!(health.head.to_ascii_lowercase().contains("content-type: application/json"), "{}", health.head);
    assert_eq!(json(&health.body), serde_json::json!({ "status": "ok" }));

    let ready = http_get(server.addr, "/readyz");
    assert_eq!(ready.status, 200, "{}\n{}", ready.head, ready.body);
    assert_no_panic_text(&server.stderr());
}

#[test]
fn serving_with_no_configuration_keeps_the_database_and_master_key_in_data_readable_only_by_the_owner() {
    let dir = TempDir::new().unwrap();
    let server = Server::start(keystead(dir.path(), &["serve", "--listen", "127.0.0.1:0"]));

    let data = dir.path().join("data");
    assert!(data.join("keystead.db").is_file(), "no data/keystead.db; stderr:\n{}", server.stderr());
    assert_private_file(&data.join("master.key"));
    assert_private_file(&data.join("keystead.db"));
}

#[test]
fn sigterm_stops_the_server_promptly_with_exit_status_zero() {
    let dir = TempDir::new().unwrap();
    let server = Server::start(keystead(dir.path(), &["serve", "--listen", "127.0.0.1:0"]));
    assert_eq!(http_get(server.addr, "/healthz").status, 200);

    let (status, took, stderr) = server.terminate();

    assert_eq!(status.code(), Some(0), "exit {status}; stderr:\n{stderr}");
    assert!(took < PROMPTLY, "took {took:?} to stop after SIGTERM; stderr:\n{stderr}");
    assert_no_panic_text(&stderr);
}

#[path = "cli/metrics.rs"]
mod metrics;

// ----- check-config ---------------------------------------------------------------------------

#[test]
fn check_config_names_every_problem_by_its_key_path() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "accounts.toml",
        r#"
public_url = "accounts.example.com"

[passwords]
iterations = 0

[mail]
transport = "smtp"

[mail.smtp]
host = "mx.example.com"
port = 70000

[log]
format = "yaml"
"#,
    );

    let out = run(keystead(dir.path(), &["--config", "accounts.toml", "check-config"]));

    assert!(!out.status.success(), "{out}");
    assert_no_panic_text(&out.stderr);
    let lines: Vec<&str> = out.stderr.lines().collect();
    for expected in [
        "mail.smtp.port: expected a number from 1 to 65535 (got 70000)",
        "passwords.iterations: expected a number from 1 to 100 (got 0)",
        r#"log.format: expected one of text, json (got "yaml")"#,
        r#"public_url: expected an absolute http(s) URL such as https://accounts.example.com (got "accounts.example.com")"#,
        "4 problem(s) found",
    ] {
        assert!(lines.contains(&expected), "missing {expected:?}:\n{out}");
    }
    assert_eq!(lines.len(), 5, "{out}");
    assert!(!out.stdout.contains("valid"), "{out}");
}

#[test]
fn check_config_names_a_misspelt_key() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "keystead.toml", "pubilc_url = \"https://accounts.example.com\"\n\n[mail]\ntranport = \"log\"\n");

    let out = run(keystead(dir.path(), &["check-config"]));

    assert!(!out.status.success(), "{out}");
    assert_no_panic_text(&out.stderr);
    for key in ["pubilc_url", "mail.tranport"] {
        let prefix = format!("{key}: unknown setting");
        assert!(out.stderr.lines().any(|l| l.starts_with(&prefix)), "{key} is not named:\n{out}");
    }
}

#[test]
fn check_config_accepts_a_valid_file_and_says_so() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "keystead.toml",
        r#"
listen = "127.0.0.1:9123"
public_url = "https://accounts.example.com"
data_dir = "state"

[mail]
transport = "smtp"
from = "Example Accounts <accounts@example.com>"

[mail.smtp]
host = "mx.example.com"
port = 2525
security = "starttls"
username = "keystead"
password = "hunter2"

[jobs]
poll_interval_ms = 500
"#,
    );

    let out = run(keystead(dir.path(), &["check-config"]));

    assert!(out.status.success(), "{out}");
    assert!(out.stdout.contains("configuration is valid"), "{out}");
    assert!(out.stdout.contains("https://accounts.example.com/"), "{out}");
    assert!(!out.stdout.contains("hunter2") && !out.stderr.contains("hunter2"), "a password is shown:\n{out}");
    assert!(out.stderr.trim().is_empty(), "{out}");
    assert!(!dir.path().join("state").exists(), "check-config created the data directory");
}

#[test]
fn check_config_names_the_key_of_a_bad_environment_override() {
    let dir = TempDir::new().unwrap();
    let mut cmd = keystead(dir.path(), &["check-config"]);
    cmd.env("KEYSTEAD_LISTEN", "nonsense")
        .env("KEYSTEAD_MAIL__TRANSPORT", "smtp")
        .env("KEYSTEAD_MAIL__SMTP__HOST", "mx.example.com")
        .env("KEYSTEAD_MAIL__SMTP__PORT", "70000");

    let out = run(cmd);

    assert!(!out.status.success(), "{out}");
    assert_no_panic_text(&out.stderr);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert!(
        lines.contains(&r#"listen: expected an address and port such as 127.0.0.1:8080 (got "nonsense")"#),
        "{out}"
    );
    assert!(lines.iter().any(|l| l.starts_with("mail.smtp.port: expected a number from 1 to 65535")), "{out}");
}

#[test]
fn serving_with_a_bad_environment_override_refuses_with_one_line_naming_the_key() {
    let dir = TempDir::new().unwrap();
    let mut cmd = keystead(dir.path(), &["serve"]);
    cmd.env("KEYSTEAD_LISTEN", "nonsense").env("RUST_LOG", "off");

    let out = run(cmd);

    let line = assert_fails_with_one_line(&out, &["listen: ", "nonsense", "keystead check-config"]);
    assert!(line.starts_with("error: invalid configuration"), "{line}");
    assert!(!dir.path().join("data").exists(), "refused but still created data/");
}

// ----- Start-up failures: one line, naming the setting, no backtrace ---------------------------
// Logging is switched off with RUST_LOG=off, so stderr holds nothing but the error.

fn serve_failing(dir: &Path, args: &[&str]) -> Finished {
    let mut cmd = keystead(dir, args);
    cmd.env("RUST_LOG", "off");
    run(cmd)
}

#[test]
fn a_malformed_configuration_file_is_reported_on_one_line_with_the_file_and_position() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "keystead.toml", "listen = \"127.0.0.1:0\"\n[mail\ntransport = \"log\"\n");

    let out = serve_failing(dir.path(), &["serve"]);

    assert_fails_with_one_line(&out, &["keystead.toml", "line 2"]);
}

#[test]
fn a_taken_port_is_reported_on_one_line_naming_listen() {
    let dir = TempDir::new().unwrap();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();

    let out = serve_failing(dir.path(), &["serve", "--listen", &addr]);

    assert_fails_with_one_line(&out, &[&addr, "already in use", "listen"]);
    drop(taken);
}

#[test]
fn an_unwritable_data_directory_is_reported_on_one_line_naming_data_dir() {
    let dir = TempDir::new().unwrap();
    // A directory under a regular file cannot be created, even by root.
    write(dir.path(), "file", "not a directory\n");
    write(dir.path(), "keystead.toml", "listen = \"127.0.0.1:0\"\ndata_dir = \"file/data\"\n");

    let out = serve_failing(dir.path(), &["serve"]);

    let line = assert_fails_with_one_line(&out, &["file/data"]);
    assert!(line.contains("data_dir") || line.contains("master_key_file"), "{out}");
}

#[test]
fn an_unwritable_data_directory_with_a_configured_master_key_is_reported_naming_data_dir() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "file", "not a directory\n");
    let mut cmd = keystead(dir.path(), &["serve", "--listen", "127.0.0.1:0"]);
    cmd.env("KEYSTEAD_DATA_DIR", "file/data")
        .env("KEYSTEAD_MASTER_KEY", "c2VjcmV0LWtleS1zZWNyZXQta2V5LXNlY3JldC1rZXk=")
        .env("RUST_LOG", "off");

    let out = run(cmd);

    assert_fails_with_one_line(&out, &["file/data", "data_dir"]);
}

#[test]
fn an_unreachable_postgresql_is_reported_on_one_line_naming_database_url() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "keystead.toml",
        "listen = \"127.0.0.1:0\"\ndatabase_url = \"postgres://nobody@127.0.0.1:1/x\"\n",
    );

    let started = Instant::now();
    let out = serve_failing(dir.path(), &["serve"]);

    assert_fails_with_one_line(&out, &["PostgreSQL", "database_url"]);
    assert!(started.elapsed() < Duration::from_secs(30), "took {:?} to give up", started.elapsed());
}

// ----- migrate and --no-migrate ---------------------------------------------------------------

#[test]
fn migrate_then_serve_with_no_migrate_starts_and_is_ready() {
    let dir = TempDir::new().unwrap();
    migrate(dir.path());

    let server = Server::start(keystead(dir.path(), &["serve", "--no-migrate", "--listen", "127.0.0.1:0"]));

    let ready = http_get(server.addr, "/readyz");
    assert_eq!(ready.status, 200, "{}\n{}\nstderr:\n{}", ready.head, ready.body, server.stderr());
}

#[test]
fn migrating_twice_is_harmless() {
    let dir = TempDir::new().unwrap();
    migrate(dir.path());
    migrate(dir.path());
}

#[test]
fn serving_with_no_migrate_on_a_fresh_directory_refuses_with_one_line() {
    let dir = TempDir::new().unwrap();

    let out = serve_failing(dir.path(), &["serve", "--no-migrate", "--listen", "127.0.0.1:0"]);

    assert_fails_with_one_line(&out, &["keystead migrate"]);
}

// ----- admin mail -----------------------------------------------------------------------------

const TEST_SUBJECT: &str = "Test email from Keystead";

/// Sends a test email with `--json` and checks the report; returns the job id.
fn send_test_email(dir: &Path, to: &str) -> String {
    let out = run(keystead(dir, &["admin", "mail", "test", "--to", to, "--json"]));
    assert!(out.status.success(), "{out}");
    assert_no_panic_text(&out.stderr);
    let report = json(&out.stdout);
    assert_eq!(report["status"], "delivered", "{out}");
    assert_eq!(report["to"], to, "{out}");
    assert_eq!(report["subject"], TEST_SUBJECT, "{out}");
    report["id"].as_str().unwrap_or_else(|| panic!("no id: {out}")).to_owned()
}

fn assert_one_eml_to(dir: &Path, to: &str) {
    let mail = dir.join("data").join("mail");
    let files = eml_files(&mail);
    assert_eq!(files.len(), 1, "expected one .eml file in {}: {files:?}", mail.display());
    let message = std::fs::read_to_string(&files[0]).unwrap();
    assert!(message.contains(&format!("To: {to}")), "{message}");
    assert!(message.contains(&format!("Subject: {TEST_SUBJECT}")), "{message}");
}

fn assert_outbox_lists_only(dir: &Path, id: &str, to: &str) {
    let out = run(keystead(dir, &["admin", "mail", "outbox", "--json"]));
    assert!(out.status.success(), "{out}");
    let outbox = json(&out.stdout);
    let entries = outbox.as_array().unwrap_or_else(|| panic!("not a list: {out}"));
    assert_eq!(entries.len(), 1, "{out}");
    assert_eq!(entries[0]["id"], id, "{out}");
    assert_eq!(entries[0]["to"], to, "{out}");
    assert_eq!(entries[0]["status"], "delivered", "{out}");
    assert_eq!(entries[0]["attempts"], 1, "{out}");
}

#[test]
fn a_test_email_is_written_as_an_eml_file_and_listed_in_the_outbox() {
    let dir = TempDir::new().unwrap();
    migrate(dir.path());

    let id = send_test_email(dir.path(), "someone@example.com");

    assert_one_eml_to(dir.path(), "someone@example.com");
    assert_outbox_lists_only(dir.path(), &id, "someone@example.com");
}

#[test]
fn a_test_email_to_a_malformed_address_is_refused_naming_to() {
    let dir = TempDir::new().unwrap();
    migrate(dir.path());

    let out = run(keystead(dir.path(), &["admin", "mail", "test", "--to", "not-an-address"]));

    assert_fails_with_one_line(&out, &["--to"]);
    assert!(out.stdout.trim().is_empty(), "{out}");
    assert!(eml_files(&dir.path().join("data").join("mail")).is_empty(), "a message was written");
}

#[test]
fn admin_commands_on_an_unmigrated_directory_ask_for_migrate() {
    let dir = TempDir::new().unwrap();

    let out = run(keystead(dir.path(), &["admin", "mail", "outbox", "--json"]));

    assert_fails_with_one_line(&out, &["keystead migrate"]);
}

#[test]
fn a_test_email_sent_while_the_server_runs_is_delivered_exactly_once() {
    let dir = TempDir::new().unwrap();
    let server = Server::start(keystead(dir.path(), &["serve", "--listen", "127.0.0.1:0"]));

    let id = send_test_email(dir.path(), "someone@example.com");
    // Give the server's job runner (polling every second by default) time to pick it up again.
    thread::sleep(Duration::from_millis(2500));

    assert_one_eml_to(dir.path(), "someone@example.com");
    assert_outbox_lists_only(dir.path(), &id, "someone@example.com");
    assert_eq!(http_get(server.addr, "/readyz").status, 200);
    assert_no_panic_text(&server.stderr());
}

// ----- admin user -----------------------------------------------------------------------------

/// Runs a command with `input` on its standard input.
fn run_with_stdin(mut cmd: Command, input: &str) -> Finished {
    use std::io::Write;
    cmd.stdin(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn keystead");
    child.stdin.take().expect("piped stdin").write_all(input.as_bytes()).expect("write stdin");
    let out = child.wait_with_output().expect("wait for keystead");
    Finished {
        status: out.status,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn an_operator_creates_shows_disables_and_enables_a_user_as_json() {
    let dir = tempfile::tempdir().unwrap();
    migrate(dir.path());
    let args = ["admin", "user", "create", "--email", "Ada@Example.com", "--name", "Ada Lovelace", "--verified"];
    let created = run_with_stdin(
        keystead(dir.path(), &[&args[..], &["--password-stdin", "--json"]].concat()),
        "correct horse battery staple\n",
    );
    assert!(created.status.success(), "{created}");
    let user = json(&created.stdout);
    assert_eq!(user["email"], "Ada@example.com");
    assert_eq!((user["given_name"].as_str(), user["family_name"].as_str()), (Some("Ada"), Some("Lovelace")));
    assert_eq!((user["status"].as_str(), user["has_password"].as_bool()), (Some("active"), Some(true)));
    assert!(user.get("password_hash").is_none(), "never print the hash");

    let shown = run(keystead(dir.path(), &["admin", "user", "show", "ADA@example.com", "--json"]));
    assert!(shown.status.success(), "{shown}");
    assert_eq!(json(&shown.stdout)["id"], user["id"]);

    let disabled = run(keystead(dir.path(), &["admin", "user", "disable", "ada@example.com", "--json"]));
    assert_eq!(json(&disabled.stdout)["status"], "disabled", "{disabled}");
    let enabled = run(keystead(dir.path(), &["admin", "user", "enable", "ada@example.com", "--json"]));
    assert_eq!(json(&enabled.stdout)["status"], "active", "{enabled}");
}

#[test]
fn admin_user_errors_are_one_line_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    migrate(dir.path());
    let weak = run_with_stdin(
        keystead(dir.path(), &["admin", "user", "create", "--email", "b@example.com", "--password-stdin"]),
        "short\n",
    );
    let line = assert_fails_with_one_line(&weak, &["--password-stdin", "10 characters"]);
    assert!(!line.contains("short"), "the password itself is never echoed: {line}");
    let bad_email = run(keystead(dir.path(), &["admin", "user", "create", "--email", "not an address"]));
    assert_fails_with_one_line(&bad_email, &["--email"]);
    let missing = run(keystead(dir.path(), &["admin", "user", "show", "nobody@example.com"]));
    assert_fails_with_one_line(&missing, &["nobody@example.com"]);
    let create = || keystead(dir.path(), &["admin", "user", "create", "--email", "c@example.com", "--verified"]);
    assert!(run(create()).status.success());
    let taken = run(create());
    assert_fails_with_one_line(&taken, &["--email", "already exists"]);
}

// ----- admin agreement ------------------------------------------------------------------------

#[test]
fn admin_agreement_publish_reads_the_file_and_numbers_versions_per_key() {
    let dir = tempfile::tempdir().unwrap();
    migrate(dir.path());
    write(dir.path(), "terms.md", "# Terms\n\nBe **nice**.\n");
    let publish = |required: bool| {
        let mut args = vec!["admin", "agreement", "publish", "--key", "terms", "--title", "Terms of Service"];
        args.extend(["--file", "terms.md", "--json"]);
        if required {
            args.push("--required");
        }
        run(keystead(dir.path(), &args))
    };
    let first = publish(true);
    assert!(first.status.success(), "{first}");
    let v1 = json(&first.stdout);
    assert_eq!(
        (v1["key"].as_str(), v1["version"].as_i64(), v1["required"].as_bool()),
        (Some("terms"), Some(1), Some(true))
    );
    assert_eq!(v1["body"], "# Terms\n\nBe **nice**.\n", "{first}");
    let second = publish(false);
    assert_eq!(json(&second.stdout)["version"], 2, "{second}");

    let list = run(keystead(dir.path(), &["admin", "agreement", "list", "--json"]));
    assert!(list.status.success(), "{list}");
    let all = json(&list.stdout);
    let versions: Vec<i64> = all.as_array().unwrap().iter().map(|a| a["version"].as_i64().unwrap()).collect();
    assert_eq!(versions, [2, 1], "{list}");
    let plain = run(keystead(dir.path(), &["admin", "agreement", "list"]));
    assert!(plain.stdout.contains("terms v1  required  \"Terms of Service\""), "{plain}");
}

#[test]
fn admin_agreement_errors_are_one_line_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    migrate(dir.path());
    write(dir.path(), "empty.md", "  \n\n");
    write(dir.path(), "ok.md", "Text");
    let publish = |key: &str, file: &str| {
        run(keystead(dir.path(), &["admin", "agreement", "publish", "--key", key, "--title", "Terms", "--file", file]))
    };
    assert_fails_with_one_line(&publish("Terms of use!", "ok.md"), &["--key", "lowercase"]);
    assert_fails_with_one_line(&publish("terms", "empty.md"), &["--file", "empty.md", "empty"]);
    assert_fails_with_one_line(&publish("terms", "missing.md"), &["--file", "missing.md"]);
    let list = run(keystead(dir.path(), &["admin", "agreement", "list", "--json"]));
    assert_eq!(json(&list.stdout), serde_json::json!([]), "nothing was published: {list}");
}

// ----- admin user reset-mfa (issue 5) ----------------------------------------------------------

#[test]
fn an_operator_resets_two_factor_authentication_and_the_user_is_notified() {
    let dir = tempfile::tempdir().unwrap();
    migrate(dir.path());
    let created = run(keystead(dir.path(), &["admin", "user", "create", "--email", "lost@example.com", "--verified"]));
    assert!(created.status.success(), "{created}");
    let reset = run(keystead(dir.path(), &["admin", "user", "reset-mfa", "Lost@Example.com", "--json"]));
    assert!(reset.status.success(), "{reset}");
    let removed = json(&reset.stdout);
    assert_eq!((removed["totp"].as_bool(), removed["passkeys"].as_u64()), (Some(false), Some(0)));
    let outbox = run(keystead(dir.path(), &["admin", "mail", "outbox", "--json"]));
    let notices = json(&outbox.stdout);
    let subjects: Vec<&str> = notices.as_array().unwrap().iter().filter_map(|j| j["subject"].as_str()).collect();
    assert!(subjects.iter().any(|s| s.contains("Two-factor authentication reset")), "{subjects:?}");

    let missing = run(keystead(dir.path(), &["admin", "user", "reset-mfa", "nobody@example.com"]));
    assert_fails_with_one_line(&missing, &["nobody@example.com"]);
    let malformed = run(keystead(dir.path(), &["admin", "user", "reset-mfa", "not an address"]));
    assert_fails_with_one_line(&malformed, &["EMAIL"]);
}

// ----- admin org ------------------------------------------------------------------------------

#[test]
fn an_operator_creates_lists_and_shows_organizations_and_errors_name_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    migrate(dir.path());
    assert!(
        run(keystead(dir.path(), &["admin", "user", "create", "--email", "ada@example.com", "--verified"]))
            .status
            .success()
    );
    let created = run(keystead(
        dir.path(),
        &["admin", "org", "create", "--name", "Acme Widgets", "--owner", "ada@example.com", "--json"],
    ));
    assert!(created.status.success(), "{created}");
    let org = json(&created.stdout);
    assert_eq!((org["name"].as_str(), org["slug"].as_str()), (Some("Acme Widgets"), Some("acme-widgets")));
    let domain = run(keystead(dir.path(), &["admin", "org", "add-domain", "acme-widgets", "--domain", "Acme.example"]));
    assert!(domain.status.success(), "{domain}");
    let shown = run(keystead(dir.path(), &["admin", "org", "show", "acme-widgets", "--json"]));
    let shown = json(&shown.stdout);
    assert_eq!(
        (shown["id"].clone(), shown["domains"][0]["domain"].as_str()),
        (org["id"].clone(), Some("acme.example"))
    );
    let listed = run(keystead(dir.path(), &["admin", "org", "list", "--json"]));
    assert_eq!(json(&listed.stdout).as_array().map(Vec::len), Some(1), "{listed}");

    let taken = run(keystead(dir.path(), &["admin", "org", "create", "--name", "Other", "--slug", "acme-widgets"]));
    assert_fails_with_one_line(&taken, &["--slug", "taken"]);
    let owner = run(keystead(dir.path(), &["admin", "org", "create", "--name", "X", "--owner", "nobody@example.com"]));
    assert_fails_with_one_line(&owner, &["--owner", "nobody@example.com"]);
    let missing = run(keystead(dir.path(), &["admin", "org", "show", "nope"]));
    assert_fails_with_one_line(&missing, &["nope"]);
    let dup = run(keystead(dir.path(), &["admin", "org", "create", "--name", "Beta"]));
    assert!(dup.status.success(), "{dup}");
    let domain = run(keystead(dir.path(), &["admin", "org", "add-domain", "beta", "--domain", "acme.example"]));
    assert_fails_with_one_line(&domain, &["--domain", "already belongs"]);
}

#[test]
fn an_operator_claims_a_domain_and_verify_domain_checks_its_dns_txt_record() {
    // A real DNS server on a UDP port, answering what the test publishes.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dns = rt.block_on(keystead_testkit::DnsServer::start()).unwrap();
    let resolver = dns.addr().to_string();
    let cmd = |dir: &Path, args: &[&str]| {
        let mut c = keystead(dir, args);
        c.env("KEYSTEAD_ORGANIZATIONS__DNS_RESOLVER", &resolver)
            .env("KEYSTEAD_ORGANIZATIONS__DNS_TIMEOUT_SECONDS", "1");
        c
    };
    let dir = tempfile::tempdir().unwrap();
    migrate(dir.path());
    assert!(run(cmd(dir.path(), &["admin", "org", "create", "--name", "Acme"])).status.success());
    let claimed = run(cmd(dir.path(), &["admin", "org", "claim-domain", "acme", "--domain", "acme.example", "--json"]));
    assert!(claimed.status.success(), "{claimed}");
    let claimed = json(&claimed.stdout);
    let (name, value) = (claimed["record_name"].as_str().unwrap(), claimed["record_value"].as_str().unwrap());
    assert_eq!(name, "_keystead-challenge.acme.example");

    let missing = run(cmd(dir.path(), &["admin", "org", "verify-domain", "acme", "acme.example"]));
    let line = assert_fails_with_one_line(&missing, &["NXDOMAIN", value]);
    assert!(line.contains(name), "{line}");
    dns.set_txt(name, &["keystead-domain-verification=wrong"]);
    let wrong = run(cmd(dir.path(), &["admin", "org", "verify-domain", "acme", "acme.example"]));
    assert_fails_with_one_line(&wrong, &["\"keystead-domain-verification=wrong\"", value]);
    let unknown = run(cmd(dir.path(), &["admin", "org", "verify-domain", "acme", "other.example"]));
    assert_fails_with_one_line(&unknown, &["other.example"]);

    dns.set_txt(name, &[value]);
    let verified = run(cmd(dir.path(), &["admin", "org", "verify-domain", "acme", "acme.example"]));
    assert!(verified.status.success() && verified.stdout.contains("acme.example  verified"), "{verified}");
    let shown = run(cmd(dir.path(), &["admin", "org", "show", "acme", "--json"]));
    assert!(json(&shown.stdout)["domains"][0]["verified_at"].is_string(), "{shown}");
}

#[test]
fn an_operator_registers_lists_shows_and_deletes_oauth_clients_and_rotates_keys() {
    let dir = tempfile::tempdir().unwrap();
    migrate(dir.path());
    let args = [
        "admin",
        "client",
        "create",
        "--name",
        "Billing portal",
        "--redirect-uri",
        "https://billing.example/cb",
        "--confidential",
        "--grant",
        "authorization_code",
        "--grant",
        "client_credentials",
        "--api-scope",
        "users:read",
        "--json",
    ];
    let created = run(keystead(dir.path(), &args));
    assert!(created.status.success(), "{created}");
    let client = json(&created.stdout);
    let id = client["client_id"].as_str().unwrap().to_owned();
    assert_eq!(client["client_secret"].as_str().map(str::len), Some(43), "the secret is printed once");
    assert_eq!(client["grant_types"], serde_json::json!(["authorization_code", "client_credentials"]));
    assert_eq!(client["api_scopes"], serde_json::json!(["users:read"]));
    let rotated =
        run(keystead(dir.path(), &["admin", "client", "rotate-secret", &id, "--keep-previous-hours", "2", "--json"]));
    assert!(rotated.status.success(), "{rotated}");
    let rotated = json(&rotated.stdout);
    assert_eq!(rotated["client_secret"].as_str().map(str::len), Some(43));
    assert_ne!(rotated["client_secret"], client["client_secret"]);
    assert!(rotated["previous_secret_expires_at"].is_string(), "{rotated}");
    let too_long =
        run(keystead(dir.path(), &["admin", "client", "rotate-secret", &id, "--keep-previous-hours", "500"]));
    assert_fails_with_one_line(&too_long, &["--keep-previous-hours"]);

    let listed = run(keystead(dir.path(), &["admin", "client", "list", "--json"]));
    assert!(listed.status.success(), "{listed}");
    let all = json(&listed.stdout);
    assert_eq!(all.as_array().unwrap().len(), 1);
    assert!(all[0].get("client_secret").is_none() && !listed.stdout.contains("secret_hash"), "{listed}");
    let shown = run(keystead(dir.path(), &["admin", "client", "show", &id, "--json"]));
    assert!(shown.status.success(), "{shown}");
    assert_eq!(json(&shown.stdout)["name"], "Billing portal", "{shown}");

    let public = ["admin", "client", "create", "--name", "CLI", "--public", "--require-par", "--json"];
    let public = run(keystead(dir.path(), &[&public[..], &["--redirect-uri", "http://127.0.0.1/cb"]].concat()));
    assert!(public.status.success(), "{public}");
    assert!(json(&public.stdout).get("client_secret").is_none());
    assert_eq!(json(&public.stdout)["require_pushed_authorization_requests"], true, "{public}");

    let insecure = run(keystead(
        dir.path(),
        &["admin", "client", "create", "--name", "X", "--redirect-uri", "http://app.example/cb"],
    ));
    assert_fails_with_one_line(&insecure, &["--redirect-uri", "https"]);
    let bad_grant = run(keystead(
        dir.path(),
        &["admin", "client", "create", "--name", "X", "--public", "--grant", "client_credentials"],
    ));
    assert_fails_with_one_line(&bad_grant, &["--grant"]);
    let bad_scope = run(keystead(
        dir.path(),
        &["admin", "client", "create", "--name", "X", "--grant", "client_credentials", "--api-scope", "scim"],
    ));
    assert_fails_with_one_line(&bad_scope, &["--api-scope", "scim"]);

    let rotated = run(keystead(dir.path(), &["admin", "keys", "rotate", "--json"]));
    assert!(rotated.status.success(), "{rotated}");
    assert_eq!(json(&rotated.stdout).as_array().unwrap().len(), 3, "one new key per algorithm");
    let keys = run(keystead(dir.path(), &["admin", "keys", "list", "--json"]));
    assert!(keys.status.success(), "{keys}");
    assert_eq!(json(&keys.stdout).as_array().unwrap().len(), 6, "current and next keys are both published");

    let deleted = run(keystead(dir.path(), &["admin", "client", "delete", &id]));
    assert!(deleted.status.success(), "{deleted}");
    let missing = run(keystead(dir.path(), &["admin", "client", "show", &id]));
    assert_fails_with_one_line(&missing, &[&id]);
}

#[path = "cli/backup.rs"]
mod backup;

#[path = "cli/courses.rs"]
mod courses;
#[path = "cli/invoices.rs"]
mod invoices;
#[path = "cli/licensing.rs"]
mod licensing;
#[path = "cli/sso.rs"]
mod sso;
#[path = "cli/tokens.rs"]
mod tokens;
#[path = "cli/webhook_kill.rs"]
mod webhook_kill;
#[path = "cli/webhooks.rs"]
mod webhooks;

// ----- admin operator (issue 17) ---------------------------------------------------------------

#[test]
fn an_operator_is_granted_listed_and_revoked_and_errors_name_the_account() {
    let dir = tempfile::tempdir().unwrap();
    migrate(dir.path());
    for email in ["ada@example.com", "bob@example.com"] {
        let made = run(keystead(dir.path(), &["admin", "user", "create", "--email", email, "--verified"]));
        assert!(made.status.success(), "{made}");
    }
    let none = run(keystead(dir.path(), &["admin", "operator", "list"]));
    assert!(none.stdout.contains("no operators yet"), "{none}");
    let granted = run(keystead(dir.path(), &["admin", "operator", "grant", "Ada@Example.com"]));
    assert!(granted.status.success() && granted.stdout.contains("/admin"), "{granted}");
    assert!(run(keystead(dir.path(), &["admin", "operator", "grant", "bob@example.com"])).status.success());
    let listed = run(keystead(dir.path(), &["admin", "operator", "list", "--json"]));
    let emails: Vec<String> =
        json(&listed.stdout).as_array().unwrap().iter().map(|o| o["email"].as_str().unwrap().to_owned()).collect();
    assert_eq!(emails, ["ada@example.com", "bob@example.com"]);
    assert!(run(keystead(dir.path(), &["admin", "operator", "revoke", "bob@example.com"])).status.success());
    // The last operator keeps the role; unknown and malformed addresses are named.
    let last = run(keystead(dir.path(), &["admin", "operator", "revoke", "ada@example.com"]));
    assert_fails_with_one_line(&last, &["ada@example.com", "last operator"]);
    let missing = run(keystead(dir.path(), &["admin", "operator", "grant", "nobody@example.com"]));
    assert_fails_with_one_line(&missing, &["nobody@example.com"]);
    let malformed = run(keystead(dir.path(), &["admin", "operator", "grant", "not an address"]));
    assert_fails_with_one_line(&malformed, &["EMAIL"]);
}
