//! schemathesis (pip, run through its command line) against `/api/v1/openapi.json` with an
//! operator token holding every admin scope and a seeded user and organization: examples,
//! coverage and fuzzing phases, a fixed seed and a bounded number of cases per operation. No
//! response may be a 5xx, and every response must match its documented status, content type,
//! headers and schema; invalid input must be refused. Valid-by-schema input that a rule refuses
//! (an empty email, an `http://` webhook URL) is expected to be refused: the document does not
//! spell out every rule, so `positive_data_acceptance` is not checked.

use keystead_core::api_tokens::{ApiScope, NewApiToken};
use keystead_core::audit::RequestMeta;
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::TestApp;
use keystead_testkit::app::{Configure, TestAppOptions};
use secrecy::ExposeSecret as _;

use super::auth::active_user;

#[tokio::test]
async fn schemathesis_finds_no_server_error_and_no_response_off_its_schema() {
    // The test clock stands still, so every request falls in one rate-limit minute.
    let configure: Configure = Box::new(|c| c.rate_limits.api_per_token = 1_000_000);
    let options = TestAppOptions { configure: Some(configure), ..TestAppOptions::default() };
    let app = TestApp::start(options).await.unwrap();
    let owner = active_user(&app, "owner@acme.example").await;
    let meta = RequestMeta::cli();
    let new = NewOrganization { name: "Acme", slug: Some("acme"), owner: Some(owner) };
    app.core.create_organization(Actor::Operator, new, &meta).await.unwrap();
    let scopes = ApiScope::ALL.iter().filter(|s| **s != ApiScope::Scim).map(|s| s.as_str().to_owned()).collect();
    let new = NewApiToken { name: "schemathesis".into(), scopes, organization: None, days: None };
    let token = app.core.create_api_token(Actor::Operator, new, &meta).await.unwrap().token;
    let header = format!("Authorization: Bearer {}", token.expose_secret());
    let ran = run(&app, &header, None, "examples,coverage,fuzzing").await;
    assert!(
        ran.selected.is_some_and(|n| n > 40) && ran.selected == ran.tested,
        "every operation was tested:\n{}",
        ran.summary
    );
}

/// What a schemathesis run said.
pub(crate) struct Ran {
    /// Operations selected and tested.
    pub selected: Option<u32>,
    pub tested: Option<u32>,
    /// Its last lines.
    pub summary: String,
}

/// Runs schemathesis against `app`'s document with `header` (and `config`, a schemathesis.toml,
/// if any) through `phases`; fails the test, with its report, when it finds a failure.
pub(crate) async fn run(app: &TestApp, header: &str, config: Option<&std::path::Path>, phases: &str) -> Ran {
    let document = app.at("/api/v1/openapi.json");
    let (header, phases) = (header.to_owned(), phases.to_owned());
    let config = config.map(|c| c.to_string_lossy().into_owned());
    let output = tokio::task::spawn_blocking(move || {
        let mut command = std::process::Command::new("schemathesis");
        if let Some(c) = &config {
            command.args(["--config-file", c]);
        }
        command
            .args(["run", &document, "-H", &header, "--checks", "all"])
            .args(["--exclude-checks", "positive_data_acceptance", "--max-examples", "15", "--workers", "1"])
            .args(["--phases", &phases, "--seed", "20261204", "--output-truncate", "true"])
            .args(["--wait-for-schema", "10"])
            // Whatever it keeps between runs goes to the temporary directory, not the tree.
            .current_dir(std::env::temp_dir())
            .env("NO_COLOR", "1")
            .output()
    })
    .await
    .unwrap()
    .unwrap_or_else(|e| panic!("schemathesis runs (pip install schemathesis==4.32.5): {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let summary: String =
        stdout.lines().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("\n");
    assert!(
        output.status.success(),
        "schemathesis found failures:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let count = |label: &str| {
        let line = stdout.lines().find(|l| l.trim_start().starts_with(label)).unwrap_or_default();
        line.rsplit(['/', ' ']).next().and_then(|n| n.trim().parse::<u32>().ok())
    };
    Ran { selected: count("Selected:"), tested: count("Tested:"), summary }
}
