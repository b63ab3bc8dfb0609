//! `Browser`: headless Debian `chromium` driven through `chromedriver` with fantoccini, with
//! helpers that find fields, buttons and links by the text a person reads.

use std::ffi::OsString;
use std::io::Write as _;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::elements::{Element, ElementRef};
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use tempfile::TempDir;

/// Environment variable that turns a missing browser from a loud skip into an error.
pub const REQUIRE_BROWSER_ENV: &str = "KEYSTEAD_REQUIRE_BROWSER";

/// How long to wait for chromedriver to answer on `/status`.
const DRIVER_START_TIMEOUT: Duration = Duration::from_secs(20);

/// How long to wait for chromedriver to start chromium and open a session.
const SESSION_START_TIMEOUT: Duration = Duration::from_secs(90);

/// The W3C WebDriver key under which a script result carries an element reference.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

const INSTALL_HINT: &str = "`apt-get install chromium chromium-driver` fixes it";

/// A headless chromium session. Dropping it (or [`Browser::close`]) kills chromedriver and
/// every chromium process it started, so a failing test leaks no processes.
#[derive(Debug)]
pub struct Browser {
    client: Client,
    driver: Driver,
    axe: crate::axe::Axe,
}

/// The chromedriver child process and the throwaway profile it runs chromium with. Dropping it
/// ends the session and kills chromedriver and chromium, on every path (errors, panics,
/// cancelled futures).
#[derive(Debug)]
struct Driver {
    child: tokio::process::Child,
    port: u16,
    log_path: PathBuf,
    profile: TempDir,
    session_id: Option<String>,
}

/// What a page-side search for a labelled control, button or link found.
#[derive(Debug)]
struct Found {
    element: Option<Element>,
    candidates: Vec<String>,
    all: Vec<String>,
}

impl Browser {
    /// Starts chromedriver on a free port and opens a headless chromium session.
    ///
    /// Returns `Ok(None)` — after printing a loud `SKIPPED` warning to stderr — when chromium
    /// or chromedriver is not installed, unless `KEYSTEAD_REQUIRE_BROWSER=1`, in which case
    /// that is an error.
    pub async fn launch() -> Result<Option<Browser>> {
        let chromium = find_executable(&["chromium", "chromium-browser"], &["/usr/bin/chromium"]);
        let chromedriver = find_executable(&["chromedriver"], &["/usr/bin/chromedriver"]);
        let (chromium, chromedriver) = match (chromium, chromedriver) {
            (Some(chromium), Some(chromedriver)) => (chromium, chromedriver),
            (chromium, chromedriver) => {
                let mut missing = Vec::new();
                if chromium.is_none() {
                    missing.push("chromium (looked for chromium, chromium-browser)");
                }
                if chromedriver.is_none() {
                    missing.push("chromedriver (looked in /usr/bin and PATH)");
                }
                let missing = missing.join(" and ");
                if std::env::var(REQUIRE_BROWSER_ENV).is_ok_and(|v| v == "1") {
                    bail!("{REQUIRE_BROWSER_ENV}=1 but {missing} is missing; {INSTALL_HINT}");
                }
                // Straight to the process's stderr: libtest captures `eprintln!` in passing tests.
                let bar = "!".repeat(78);
                let warning = format!(
                    "\n{bar}\nSKIPPED: browser test — no {missing} found; {INSTALL_HINT} \
                     (set {REQUIRE_BROWSER_ENV}=1 to make this an error)\n{bar}\n"
                );
                if std::io::stderr().write_all(warning.as_bytes()).is_err() {
                    tracing::warn!("{warning}");
                }
                return Ok(None);
            }
        };
        let axe = crate::axe::Axe::load(std::env::var(REQUIRE_BROWSER_ENV).is_ok_and(|v| v == "1"))?;
        let mut driver = Driver::start(&chromedriver).await?;
        let client = driver.new_session(&chromium).await?;
        driver.session_id = client.session_id().await.ok().flatten();
        Ok(Some(Browser { client, driver, axe }))
    }

    /// The underlying fantoccini client, for anything the helpers do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Navigates to `url`, waits for the page to load, and checks its accessibility.
    pub async fn goto(&self, url: &str) -> Result<()> {
        self.client.goto(url).await.with_context(|| format!("opening {url}"))?;
        self.axe.check(&self.client).await
    }

    /// Checks the current page's accessibility now (pages reached by `goto` and `wait_for_text`
    /// are checked already); violations fail [`Browser::close`].
    pub async fn check_accessibility(&self) -> Result<()> {
        self.axe.check(&self.client).await
    }

    /// The URL of the current page.
    pub async fn current_url(&self) -> Result<url::Url> {
        self.client.current_url().await.context("reading the current URL")
    }

    /// The `<title>` of the current page.
    pub async fn title(&self) -> Result<String> {
        self.client.title().await.context("reading the page title")
    }

    /// The rendered text of the page (`document.body.innerText`).
    pub async fn page_text(&self) -> Result<String> {
        let text = self
            .client
            .execute("return document.body ? document.body.innerText : '';", vec![])
            .await
            .context("reading the page text")?;
        Ok(text.as_str().unwrap_or_default().to_owned())
    }

    /// Types `value` into the input or textarea whose `<label>` reads `label` (exact trimmed
    /// match first, then a unique "contains" match); for a `<select>`, picks the option whose
    /// text (or else value) is `value`.
    pub async fn fill(&self, label: &str, value: &str) -> Result<()> {
        let element = self.find_labelled(label).await?;
        let tag = element.tag_name().await.context("reading a field's tag")?;
        if tag.eq_ignore_ascii_case("select") {
            if element.select_by_label(value).await.is_err() {
                element
                    .select_by_value(value)
                    .await
                    .with_context(|| format!("choosing {value:?} in the {label:?} list"))?;
            }
            return Ok(());
        }
        element.clear().await.with_context(|| format!("clearing the {label:?} field"))?;
        element.send_keys(value).await.with_context(|| format!("typing into the {label:?} field"))
    }

    /// Ticks the checkbox (or selects the radio button) whose `<label>` reads `label`;
    /// does nothing when it is already ticked.
    pub async fn check(&self, label: &str) -> Result<()> {
        // The page may still be replacing itself (a form answered with the same page): an element
        // found a moment ago can go stale, so find it afresh on each try.
        let mut last = None;
        for _ in 0..5 {
            match self.try_check(label).await {
                Ok(()) => return Ok(()),
                Err(e) => last = Some(e),
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        Err(last.unwrap_or_else(|| anyhow::anyhow!("could not tick {label:?}")))
    }

    async fn try_check(&self, label: &str) -> Result<()> {
        let element = self.find_labelled(label).await?;
        let kind = element.prop("type").await.context("reading an input's type")?;
        if !matches!(kind.as_deref(), Some("checkbox" | "radio")) {
            bail!("the field labelled {label:?} is a {kind:?}, not a checkbox or radio button");
        }
        if !element.is_selected().await.context("reading a checkbox")? {
            let _ = self
                .client
                .execute("arguments[0].scrollIntoView({block: 'center'});", vec![serde_json::to_value(&element)?])
                .await;
            element.click().await.with_context(|| format!("ticking {label:?}"))?;
        }
        if element.is_selected().await.context("reading a checkbox")? {
            Ok(())
        } else {
            bail!("the checkbox labelled {label:?} did not become ticked")
        }
    }

    /// Clicks the visible `<button>` or `input[type=submit|button|reset]` whose text (or value)
    /// is `text` (exact trimmed match first, then a unique "contains" match).
    pub async fn click_button(&self, text: &str) -> Result<()> {
        let element = self.find_one("button", text).await?;
        element.click().await.with_context(|| format!("clicking the {text:?} button"))
    }

    /// Clicks the visible link whose text is `text` (exact trimmed match first, then a unique
    /// "contains" match).
    pub async fn click_link(&self, text: &str) -> Result<()> {
        let element = self.find_one("link", text).await?;
        element.click().await.with_context(|| format!("clicking the {text:?} link"))
    }

    /// Saves a PNG screenshot of the window to `path`, creating parent directories.
    pub async fn screenshot(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let png = self.client.screenshot().await.context("taking a screenshot")?;
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent).await.with_context(|| format!("creating {}", parent.display()))?;
        }
        tokio::fs::write(path, png).await.with_context(|| format!("writing {}", path.display()))
    }

    /// Waits until the page text contains `text`; on timeout the error shows the URL and
    /// the start of the page text.
    pub async fn wait_for_text(&self, text: &str, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            // Errors while a navigation is in flight are expected; keep polling.
            let page = self.page_text().await;
            if page.as_deref().is_ok_and(|page| page.contains(text)) {
                return self.axe.check(&self.client).await;
            }
            if Instant::now() >= deadline {
                let url = self.current_url().await.map_or_else(|e| format!("<{e}>"), |u| u.to_string());
                let shown = match page {
                    Ok(page) => page.chars().take(2000).collect::<String>(),
                    Err(error) => format!("<could not read the page: {error:#}>"),
                };
                bail!("timed out after {timeout:?} waiting for {text:?} on {url}; page text:\n{shown}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Ends the WebDriver session, then stops chromedriver and chromium. Fails when a page
    /// checked had a serious or critical accessibility violation.
    pub async fn close(self) -> Result<()> {
        let Browser { client, mut driver, axe } = self;
        let closed = client.close().await.context("closing the browser session");
        if closed.is_ok() {
            driver.session_id = None;
        }
        drop(driver);
        closed?;
        axe.verdict()
    }

    /// Adds a virtual CTAP2 authenticator to this session (the WebAuthn WebDriver extension,
    /// WebAuthn Level 2 §11.3): internal, with resident keys and user verification that always
    /// succeeds, so that passkey pages can be driven like a person with a fingerprint reader.
    /// Returns its id.
    pub async fn add_virtual_authenticator(&self) -> Result<String> {
        let session =
            self.client.session_id().await.context("reading the session id")?.context("no WebDriver session")?;
        let url = format!("http://127.0.0.1:{}/session/{session}/webauthn/authenticator", self.driver.port);
        let options = json!({
            "protocol": "ctap2",
            "transport": "internal",
            "hasResidentKey": true,
            "hasUserVerification": true,
            "isUserConsenting": true,
            "isUserVerified": true,
        });
        let http = reqwest::Client::builder().no_proxy().build().context("building an HTTP client")?;
        let answer: Value = http
            .post(&url)
            .json(&options)
            .send()
            .await
            .context("adding a virtual authenticator")?
            .json()
            .await
            .context("reading the virtual authenticator answer")?;
        match answer["value"].as_str() {
            Some(id) => Ok(id.to_owned()),
            None => bail!("chromedriver refused the virtual authenticator: {answer}"),
        }
    }

    async fn find_labelled(&self, label: &str) -> Result<Element> {
        self.find_one("label", label).await
    }

    /// Runs the finder script for `kind` and turns its answer into one element or a clear error.
    async fn find_one(&self, kind: &str, wanted: &str) -> Result<Element> {
        let wanted = wanted.trim();
        let found = self.find(kind, wanted).await?;
        if let Some(element) = found.element {
            return Ok(element);
        }
        let what = match kind {
            "label" => "field labelled",
            "button" => "button",
            _ => "link",
        };
        if found.candidates.len() > 1 {
            bail!("more than one {what} {wanted:?} on the page; candidates: {:?}", found.candidates);
        }
        let url = self.current_url().await.map_or_else(|_| "the page".to_owned(), |u| u.to_string());
        let plural = match kind {
            "label" => "labels",
            "button" => "buttons",
            _ => "links",
        };
        bail!("no {what} {wanted:?} on {url}; {plural} on the page: {:?}", found.all)
    }

    async fn find(&self, kind: &str, wanted: &str) -> Result<Found> {
        let answer = self
            .client
            .execute(FIND_SCRIPT, vec![json!(kind), json!(wanted)])
            .await
            .with_context(|| format!("searching the page for the {kind} {wanted:?}"))?;
        let strings = |key: &str| -> Vec<String> {
            answer[key]
                .as_array()
                .map(|items| items.iter().filter_map(|item| item.as_str().map(str::to_owned)).collect())
                .unwrap_or_default()
        };
        let element = answer["element"]
            .get(ELEMENT_KEY)
            .and_then(Value::as_str)
            .map(|id| Element::from_element_id(self.client.clone(), ElementRef::from(id.to_owned())));
        Ok(Found { element, candidates: strings("candidates"), all: strings("all") })
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // Let chromedriver quit chromium cleanly (so its processes are reaped), then make sure.
        self.end_session_blocking();
        self.kill();
    }
}

impl Driver {
    /// Spawns chromedriver on a free port and waits until `/status` says it is ready.
    async fn start(chromedriver: &Path) -> Result<Driver> {
        let port = free_port()?;
        let profile = tempfile::Builder::new()
            .prefix("keystead-chromium-")
            .tempdir()
            .context("creating a chromium profile directory")?;
        let log_path = profile.path().join("chromedriver.log");
        let log = std::fs::File::create(&log_path).with_context(|| format!("creating {}", log_path.display()))?;
        let log_err = log.try_clone().context("duplicating the log handle")?;
        let child = tokio::process::Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err)
            .kill_on_drop(true)
            // Its own process group, so chromium's helpers can be killed with it.
            .process_group(0)
            .spawn()
            .with_context(|| format!("starting {}", chromedriver.display()))?;
        let mut driver = Driver { child, port, log_path, profile, session_id: None };
        driver.wait_ready().await?;
        Ok(driver)
    }

    async fn wait_ready(&mut self) -> Result<()> {
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(2))
            .build()
            .context("building an HTTP client")?;
        let url = format!("http://127.0.0.1:{}/status", self.port);
        let deadline = Instant::now() + DRIVER_START_TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().context("polling chromedriver")? {
                bail!("chromedriver exited ({status}) before it was ready; log:\n{}", self.log());
            }
            if let Ok(response) = http.get(&url).send().await
                && let Ok(body) = response.json::<Value>().await
                && body["value"]["ready"].as_bool() == Some(true)
            {
                return Ok(());
            }
            if Instant::now() >= deadline {
                bail!("chromedriver did not answer on {url} within {DRIVER_START_TIMEOUT:?}; log:\n{}", self.log());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn new_session(&self, chromium: &Path) -> Result<Client> {
        let user_data_dir = self.profile.path().join("profile");
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,900",
        ]
        .map(str::to_owned)
        .into_iter()
        .chain([format!("--user-data-dir={}", user_data_dir.display())])
        .collect::<Vec<_>>();
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".to_owned(), json!("chrome"));
        capabilities.insert("goog:chromeOptions".to_owned(), json!({ "binary": chromium, "args": args }));
        capabilities.insert("timeouts".to_owned(), json!({ "pageLoad": 30_000, "script": 30_000 }));
        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(capabilities);
        let webdriver = format!("http://127.0.0.1:{}", self.port);
        let connected = tokio::time::timeout(SESSION_START_TIMEOUT, builder.connect(&webdriver)).await;
        let failure = match connected {
            Ok(Ok(client)) => return Ok(client),
            Ok(Err(error)) => error.to_string(),
            Err(_) => format!("no session within {SESSION_START_TIMEOUT:?}"),
        };
        bail!("starting {} through chromedriver failed: {failure}; log:\n{}", chromium.display(), self.log())
    }

    /// The last part of chromedriver's log, for error messages.
    fn log(&self) -> String {
        let log = std::fs::read_to_string(&self.log_path).unwrap_or_default();
        let skip = log.chars().count().saturating_sub(4000);
        log.chars().skip(skip).collect()
    }

    /// Deletes the WebDriver session with a plain blocking HTTP request (usable in `Drop`);
    /// chromedriver answers once chromium has quit. Bounded by short timeouts.
    fn end_session_blocking(&self) {
        let Some(session) = &self.session_id else {
            return;
        };
        let request = || -> std::io::Result<()> {
            let address = std::net::SocketAddr::from(([127, 0, 0, 1], self.port));
            let mut stream = std::net::TcpStream::connect_timeout(&address, Duration::from_secs(1))?;
            stream.set_read_timeout(Some(Duration::from_secs(10)))?;
            stream.set_write_timeout(Some(Duration::from_secs(1)))?;
            write!(
                stream,
                "DELETE /session/{session} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\
                 Content-Length: 0\r\nConnection: close\r\n\r\n",
                self.port
            )?;
            read_http_response(&mut stream)
        };
        if let Err(error) = request() {
            tracing::debug!(%error, "could not end the browser session; killing it instead");
        }
    }

    /// Kills chromedriver, its process group and every descendant (chromium and helpers).
    fn kill(&mut self) {
        let Some(pid) = self.child.id() else {
            return; // Already reaped.
        };
        let mut targets = descendants(pid);
        targets.push(pid.to_string());
        // `kill -KILL -- -PGID PID…`: the group catches helpers that were re-parented.
        let mut args: Vec<OsString> = vec!["-KILL".into(), "--".into(), format!("-{pid}").into()];
        args.extend(targets.into_iter().map(OsString::from));
        let killed =
            std::process::Command::new("kill").args(&args).stdout(Stdio::null()).stderr(Stdio::null()).status();
        if killed.is_err() {
            tracing::warn!("could not run `kill`; only chromedriver itself is stopped");
        }
        if let Err(error) = self.child.start_kill() {
            tracing::debug!(%error, "chromedriver already gone");
        }
        // Reap it (SIGKILL is quick) so no zombie outlives the test.
        let deadline = Instant::now() + Duration::from_secs(2);
        while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

/// Reads one HTTP/1.1 response (head plus `Content-Length` body, at most 64 KiB) and drops it;
/// chromedriver keeps the connection open, so reading to EOF would wait for the timeout.
fn read_http_response(stream: &mut impl std::io::Read) -> std::io::Result<()> {
    let mut response = Vec::new();
    let mut chunk = [0_u8; 4096];
    while response.len() < 64 * 1024 {
        let read = stream.read(&mut chunk)?;
        if read == 0 {
            break;
        }
        response.extend_from_slice(&chunk[..read]);
        let Some(head_end) = response.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&response[..head_end]).to_ascii_lowercase();
        let length = head
            .lines()
            .find_map(|line| line.strip_prefix("content-length:"))
            .and_then(|value| value.trim().parse::<usize>().ok())
            .unwrap_or(0);
        if response.len() >= head_end + 4 + length {
            break;
        }
    }
    Ok(())
}

/// Every live process below `root`, from `/proc` (empty where there is no `/proc`).
fn descendants(root: u32) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let parents: Vec<(u32, u32)> = entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // Fields after the parenthesised command name: state, ppid, …
            let after_name = &stat[stat.rfind(')')? + 1..];
            let ppid = after_name.split_whitespace().nth(1)?.parse().ok()?;
            Some((pid, ppid))
        })
        .collect();
    let mut found = vec![root];
    let mut next = 0;
    while next < found.len() {
        let parent = found[next];
        found.extend(parents.iter().filter(|(_, ppid)| *ppid == parent).map(|(pid, _)| *pid));
        next += 1;
    }
    found.into_iter().skip(1).map(|pid| pid.to_string()).collect()
}

/// Picks a free loopback port by binding `127.0.0.1:0` and releasing it.
fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").context("finding a free port for chromedriver")?;
    Ok(listener.local_addr().context("reading a free port's address")?.port())
}

/// The first of `fixed` that is an executable file, else the first of `names` on `PATH`.
fn find_executable(names: &[&str], fixed: &[&str]) -> Option<PathBuf> {
    let on_path =
        std::env::var_os("PATH").map(|path| std::env::split_paths(&path).collect::<Vec<_>>()).unwrap_or_default();
    fixed
        .iter()
        .map(PathBuf::from)
        .chain(names.iter().flat_map(|name| on_path.iter().map(move |dir| dir.join(name))))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

/// Where tests should save screenshots: `<target dir>/screenshots`, where the target dir is
/// `CARGO_TARGET_DIR` if set, else the one holding the running test binary, else the
/// workspace's `target/`.
pub fn screenshot_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir).join("screenshots");
    }
    // Test binaries live in <target>/<profile>/deps/.
    let from_exe = std::env::current_exe().ok().and_then(|exe| {
        let deps = exe.parent()?;
        (deps.file_name()? == "deps").then(|| deps.parent()?.parent().map(Path::to_path_buf))?
    });
    from_exe.unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target")).join("screenshots")
}

/// Finds a labelled control (`kind = "label"`), a button or a link the way a person would:
/// exact trimmed text first, then "contains". Answers `{element, candidates, all}`.
const FIND_SCRIPT: &str = r#"
const [kind, wanted] = arguments;
const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
const visible = (e) => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
let items;
if (kind === 'label') {
  const textOf = (label) => {
    const copy = label.cloneNode(true);
    copy.querySelectorAll('input, select, textarea, button').forEach((e) => e.remove());
    return norm(copy.textContent);
  };
  const controlOf = (label) => label.control
    || (label.htmlFor ? document.getElementById(label.htmlFor) : null)
    || label.querySelector('input, select, textarea');
  items = Array.from(document.querySelectorAll('label'))
    .map((label) => ({ text: textOf(label), el: controlOf(label) }));
} else if (kind === 'button') {
  items = Array.from(document.querySelectorAll(
    'button, input[type=submit], input[type=button], input[type=reset], input[type=image]'))
    .filter(visible)
    .map((e) => ({
      text: e.tagName === 'INPUT'
        ? norm(e.value || e.alt || e.getAttribute('aria-label'))
        : norm(e.innerText || e.getAttribute('aria-label')),
      el: e,
    }));
} else {
  items = Array.from(document.querySelectorAll('a[href]'))
    .filter(visible)
    .map((e) => ({ text: norm(e.innerText || e.getAttribute('aria-label')), el: e }));
}
const usable = items.filter((i) => i.el);
const exact = usable.filter((i) => i.text === wanted);
const partial = usable.filter((i) => i.text.includes(wanted));
let element = null;
if (exact.length > 0) {
  element = exact[0].el;
} else if (partial.length === 1) {
  element = partial[0].el;
}
return {
  element,
  candidates: (exact.length > 0 ? exact : partial).map((i) => i.text),
  all: items.map((i) => i.text),
};
"#;
