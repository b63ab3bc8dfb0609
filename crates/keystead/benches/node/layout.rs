//! Writes the binary's code order (`crates/keystead/layout/code-order.txt`, read by `build.rs`):
//! the functions a node runs from start to idle first, then those of the requests most nodes
//! serve, so that the few megabytes they take lie together at the front of the code instead of
//! spread over all of it. Each page fault on the code maps 64 KiB around the faulting address,
//! so scattered functions make the whole neighbourhood resident (SPEC §8 counts idle RSS).
//!
//! The functions are those valgrind's callgrind sees executed in runs of the release binary as
//! deployed (`process::choose_binary`: the names must be those of the build that reads the file) on
//! SQLite, each from its start through 8 s of idle and then one scenario (`Scenario`): nothing
//! more, people signing in, My Account, an application's token and its use. Needs valgrind
//! (`apt-get install valgrind`). Names are the linker's (mangled); a name the next build no
//! longer has (code changed) is skipped by the linker, so an old file only orders less. Rerun
//! after larger changes: `cargo bench -p keystead --bench node -- layout`, then rebuild.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, ensure};
use serde_json::json;

use super::process::{Node, binary, sqlite_config};
use super::web::{SignInLoop, access_token, create_client, create_user, signed_in_browser};

/// People signing in at once in the sign-in scenario.
const PEOPLE: usize = 8;

pub fn order_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("layout/code-order.txt")
}

/// What a traced node does after its start and 8 s of idle, in the order the code is laid out:
/// what most requests run (sign-in) before what fewer run.
#[derive(Clone, Copy, Debug)]
enum Scenario {
    Idle,
    /// Eight people signing in at once, three times each (the sign-in page and form).
    SignIn,
    /// A signed-in person's My Account page.
    Account,
    /// An application: authorization-code flow, userinfo, introspection, discovery and JWKS.
    Application,
}

pub async fn run(dir: &Path) -> anyhow::Result<serde_json::Value> {
    let valgrind = std::process::Command::new("valgrind").arg("--version").output();
    ensure!(
        valgrind.is_ok_and(|o| o.status.success()),
        "the layout part runs the server under valgrind: apt-get install valgrind"
    );
    let (config, url) = sqlite_config(dir)?;
    let (first, _) = Node::start(&config, &url).await?;
    for n in 0..PEOPLE {
        create_user(&first, &person(n))?;
    }
    let client = create_client(&first)?;
    first.stop()?;

    println!("3. Code order (SQLite, release binary under callgrind)");
    let mut seen = HashSet::new();
    let mut order = Vec::new();
    let mut counts = serde_json::Map::new();
    for scenario in [Scenario::Idle, Scenario::SignIn, Scenario::Account, Scenario::Application] {
        let before = order.len();
        for name in traced(dir, &config, &url, scenario, &client).await? {
            if seen.insert(name.clone()) {
                order.push(name);
            }
        }
        println!("   {scenario:?}: {} more functions", order.len() - before);
        counts.insert(format!("{scenario:?}"), (order.len() - before).into());
    }
    let text = format!(
        "# The functions a node runs at start and idle, then on its common requests, in the order the \
         linker\n# places them (build.rs). Written by `cargo bench -p keystead --bench node -- layout`.\n{}\n",
        order.join("\n")
    );
    std::fs::write(order_file(), text)?;
    println!("   wrote {} ({} functions)", order_file().display(), order.len());
    Ok(json!({ "functions": counts }))
}

fn person(n: usize) -> String {
    format!("layout{n}@example.com")
}

/// The binary's functions that ran in a node under callgrind from start through 8 s of idle and
/// `scenario`, in the order callgrind lists them.
async fn traced(
    dir: &Path,
    config: &Path,
    url: &str,
    scenario: Scenario,
    (client_id, secret): &(String, String),
) -> anyhow::Result<Vec<String>> {
    let out = dir.join(format!("callgrind-{scenario:?}.out"));
    let wrapper = [
        "valgrind".to_owned(),
        "--tool=callgrind".to_owned(),
        "--demangle=no".to_owned(),
        format!("--callgrind-out-file={}", out.display()),
    ];
    let (node, _) = Node::start_under(config, url, &wrapper).await?;
    tokio::time::sleep(Duration::from_secs(8)).await;
    match scenario {
        Scenario::Idle => {}
        Scenario::SignIn => sign_ins(&node).await?,
        Scenario::Account => {
            let browser = signed_in_browser(&node, &person(0)).await?;
            let account = browser.get(node.at("/account")).send().await?;
            ensure!(account.status().is_success(), "GET /account answered {}", account.status());
        }
        Scenario::Application => application(&node, client_id, secret).await?,
    }
    node.terminate().await?;
    let text = std::fs::read_to_string(&out).with_context(|| format!("callgrind wrote no {}", out.display()))?;
    Ok(executed(&text, binary()))
}

async fn sign_ins(node: &Node) -> anyhow::Result<()> {
    let mut people = Vec::new();
    for n in 0..PEOPLE {
        let person = SignInLoop::new(node, &person(n)).await?;
        people.push(tokio::spawn(async move {
            for _ in 0..3 {
                ensure!(person.once().await, "sign-in failed");
            }
            Ok(())
        }));
    }
    for p in people {
        p.await??;
    }
    Ok(())
}

/// An application getting a token and using it, and the provider's metadata.
async fn application(node: &Node, client_id: &str, secret: &str) -> anyhow::Result<()> {
    let browser = signed_in_browser(node, &person(0)).await?;
    let token = access_token(&browser, node, client_id, secret, "openid email profile").await?;
    let http = reqwest::Client::new();
    for _ in 0..3 {
        let me = http.get(node.at("/oauth/userinfo")).bearer_auth(&token).send().await?;
        ensure!(me.status().is_success(), "userinfo answered {}", me.status());
        let seen = http
            .post(node.at("/oauth/introspect"))
            .basic_auth(client_id, Some(secret))
            .form(&[("token", token.as_str())])
            .send()
            .await?;
        ensure!(seen.status().is_success(), "introspection answered {}", seen.status());
    }
    let discovery: serde_json::Value =
        http.get(node.at("/.well-known/openid-configuration")).send().await?.json().await?;
    let jwks = discovery["jwks_uri"].as_str().context("discovery has no jwks_uri")?;
    ensure!(http.get(jwks).send().await?.status().is_success(), "JWKS failed");
    Ok(())
}

/// How many of the names in the code order file the measured binary has, of how many listed
/// (`nm`): a file written before larger code or dependency changes orders less. `None` when
/// `nm` (binutils) is missing or the file is unreadable.
pub fn coverage() -> Option<(usize, usize)> {
    let listed = std::fs::read_to_string(order_file()).ok()?;
    let out = std::process::Command::new("nm").arg("--defined-only").arg(binary()).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let defined: HashSet<&str> = text.lines().filter_map(|l| l.split_whitespace().nth(2)).collect();
    let names: Vec<&str> = listed.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).collect();
    Some((names.iter().filter(|n| defined.contains(*n)).count(), names.len()))
}

/// The functions of `binary` that have a cost in a callgrind profile (`fn=` lines under the
/// binary's `ob=`), each once, without callgrind's recursion marks (`'2`). Names and objects are
/// compressed: `(id) name` the first time, `(id)` after.
fn executed(profile: &str, binary: &str) -> Vec<String> {
    let mut objects = std::collections::HashMap::new();
    let mut functions = std::collections::HashMap::new();
    let mut in_binary = false;
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for line in profile.lines() {
        let Some((key, rest)) = line.split_once('=') else { continue };
        let table = match key {
            "ob" | "cob" => &mut objects,
            "fn" | "cfn" => &mut functions,
            _ => continue,
        };
        let Some((id, name)) = rest.strip_prefix('(').and_then(|r| r.split_once(')')) else { continue };
        let name = name.trim();
        if !name.is_empty() {
            table.insert(id.to_owned(), name.to_owned());
        }
        let Some(known) = table.get(id).cloned() else { continue };
        match key {
            "ob" => in_binary = known == binary,
            "fn" if in_binary => {
                let plain = known.split_once('\'').map_or(known.as_str(), |(n, _)| n).to_owned();
                if seen.insert(plain.clone()) {
                    out.push(plain);
                }
            }
            _ => {}
        }
    }
    out
}
