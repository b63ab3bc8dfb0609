//! Real `keystead serve` processes for the benchmarks that measure the server as deployed: the
//! release binary of this package, its own configuration file and data directory, measured
//! through `/proc` (RSS, CPU time) and loaded from outside its process (`wrk`, or this process).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail, ensure};

/// A running server process.
pub struct Node {
    pub child: Child,
    pub url: String,
    pub config: PathBuf,
}

/// What a node's configuration file says.
pub struct Settings<'a> {
    pub dir: &'a Path,
    pub port: u16,
    pub database_url: &'a str,
    pub master_key: &'a str,
    /// The issuer: nodes behind one load balancer share it.
    pub public_url: &'a str,
}

impl Settings<'_> {
    /// Writes the configuration file into `dir` and returns its path.
    pub fn write(&self) -> anyhow::Result<PathBuf> {
        let path = self.dir.join(format!("keystead-{}.toml", self.port));
        let text = format!(
            "listen = \"127.0.0.1:{port}\"\npublic_url = \"{public}\"\ndata_dir = \"{dir}\"\n\
             database_url = \"{db}\"\nmaster_key = \"{key}\"\n\n[mail]\ntransport = \"log\"\n\n\
             [rate_limits]\nsign_in_per_ip = 1000000\n\n[log]\nlevel = \"warn\"\n",
            port = self.port,
            public = self.public_url,
            dir = self.dir.display(),
            db = self.database_url,
            key = self.master_key,
        );
        std::fs::create_dir_all(self.dir)?;
        std::fs::write(&path, text)?;
        Ok(path)
    }
}

static BINARY: OnceLock<String> = OnceLock::new();

/// Chooses the binary every part runs: the one `NODE_BENCH_BINARY` names (to measure a build made
/// with other settings against the same load; not a `KEYSTEAD_` name: the server refuses unknown
/// settings in its environment), else the release binary as deployed, which this builds with
/// `cargo build --release -p keystead`. Not the one cargo builds for this benchmark: that one has
/// the dev-dependencies' features (keystead-core's `testing`, among others), so other code and
/// other linker names than what is deployed, and the code order (`layout.rs`) would not match it.
pub fn choose_binary() -> anyhow::Result<()> {
    let path = match std::env::var("NODE_BENCH_BINARY") {
        Ok(path) => path,
        Err(_) => build_as_deployed()?,
    };
    let _ = BINARY.set(path);
    Ok(())
}

/// The binary [`choose_binary`] chose.
pub fn binary() -> &'static str {
    BINARY.get().map_or(env!("CARGO_BIN_EXE_keystead"), String::as_str)
}

/// `cargo build --release -p keystead` (quick when it is up to date); the executable's path.
fn build_as_deployed() -> anyhow::Result<String> {
    println!("Building the server as deployed: cargo build --release -p keystead");
    let out = Command::new(env!("CARGO"))
        .args(["build", "--release", "-p", "keystead", "--bin", "keystead", "--message-format=json-render-diagnostics"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(Stdio::inherit())
        .output()
        .context("run cargo build")?;
    ensure!(out.status.success(), "cargo build --release -p keystead failed");
    let text = String::from_utf8(out.stdout)?;
    text.lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "keystead")
        .find_map(|m| m["executable"].as_str().map(str::to_owned))
        .context("cargo build named no keystead executable")
}

impl Node {
    /// Starts `keystead serve` and waits until `/healthz` answers 200; returns the node and the
    /// time from spawning the process to that answer.
    pub async fn start(config: &Path, url: &str) -> anyhow::Result<(Self, Duration)> {
        Self::start_with(config, url, &[]).await
    }

    /// [`Node::start`] with extra environment variables for the server process only (the
    /// allocator comparison preloads another `malloc` or sets glibc's tunables this way).
    pub async fn start_with(config: &Path, url: &str, env: &[(String, String)]) -> anyhow::Result<(Self, Duration)> {
        Self::launch(config, url, &[], env).await
    }

    /// [`Node::start`] with the server run by `wrapper` (`wrapper[0]` is the program, the rest
    /// its arguments; the server's command line follows them), e.g. under valgrind.
    pub async fn start_under(config: &Path, url: &str, wrapper: &[String]) -> anyhow::Result<(Self, Duration)> {
        Self::launch(config, url, wrapper, &[]).await
    }

    async fn launch(
        config: &Path,
        url: &str,
        wrapper: &[String],
        env: &[(String, String)],
    ) -> anyhow::Result<(Self, Duration)> {
        let log = std::fs::File::create(config.with_extension("log"))?;
        let http = reqwest::Client::builder().timeout(Duration::from_secs(1)).build()?;
        let started = Instant::now();
        let mut command = match wrapper.split_first() {
            Some((program, args)) => {
                let mut c = Command::new(program);
                c.args(args).arg(binary());
                c
            }
            None => Command::new(binary()),
        };
        let child = command
            .args(["serve", "--config"])
            .arg(config)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .context("start keystead serve")?;
        let mut node = Self { child, url: url.trim_end_matches('/').to_owned(), config: config.to_owned() };
        loop {
            if let Ok(res) = http.get(node.at("/healthz")).send().await
                && res.status().is_success()
            {
                return Ok((node, started.elapsed()));
            }
            if let Some(status) = node.child.try_wait()? {
                let log = std::fs::read_to_string(config.with_extension("log")).unwrap_or_default();
                bail!("keystead serve exited with {status}: {log}");
            }
            ensure!(started.elapsed() < Duration::from_secs(60), "not healthy after a minute");
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }

    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory now and its high-water mark, KiB (`/proc/<pid>/status`).
    pub fn rss_kib(&self) -> anyhow::Result<(u64, u64)> {
        Ok((self.status_kib("VmRSS:")?, self.status_kib("VmHWM:")?))
    }

    /// Of the resident memory, the private (anonymous: heap, stacks) part and the part that
    /// is the binary's and libraries' pages mapped from their files (shared, clean), KiB.
    pub fn rss_split_kib(&self) -> anyhow::Result<(u64, u64)> {
        Ok((self.status_kib("RssAnon:")?, self.status_kib("RssFile:")?))
    }

    fn status_kib(&self, name: &str) -> anyhow::Result<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))?;
        let line = status.lines().find(|l| l.starts_with(name)).with_context(|| format!("{name} missing"))?;
        Ok(line.split_whitespace().nth(1).context("no value")?.parse()?)
    }

    /// CPU time the process has used (user + system), from `/proc/<pid>/stat`.
    pub fn cpu_time(&self) -> anyhow::Result<Duration> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid()))?;
        // Fields after the command name (which is in parentheses and may hold spaces).
        let rest = &stat[stat.rfind(')').context("stat format")? + 2..];
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ticks: u64 = fields[11].parse::<u64>()? + fields[12].parse::<u64>()?;
        // The kernel's USER_HZ is 100 on Linux.
        Ok(Duration::from_millis(ticks * 10))
    }

    /// Runs `keystead <args>` with this node's configuration; returns its standard output.
    pub fn cli(&self, args: &[&str], stdin: Option<&str>) -> anyhow::Result<String> {
        cli(&self.config, args, stdin)
    }

    /// Stops the process as an operator would (SIGTERM: it finishes in-flight requests and
    /// exits) and waits up to a minute for it to exit.
    pub async fn terminate(mut self) -> anyhow::Result<()> {
        let pid = self.pid().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().context("run kill")?;
        ensure!(sent.success(), "kill -TERM {pid} failed");
        let asked = Instant::now();
        while self.child.try_wait()?.is_none() {
            ensure!(asked.elapsed() < Duration::from_secs(60), "keystead serve still runs a minute after SIGTERM");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(())
    }

    /// Stops the process (SIGKILL: what it leaves behind is the database's business).
    pub fn stop(mut self) -> anyhow::Result<()> {
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `keystead <args> --config <config>`; returns its standard output.
pub fn cli(config: &Path, args: &[&str], stdin: Option<&str>) -> anyhow::Result<String> {
    use std::io::Write as _;
    let mut child = Command::new(binary())
        .args(args)
        .arg("--config")
        .arg(config)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    if let Some(input) = stdin {
        child.stdin.take().context("stdin")?.write_all(input.as_bytes())?;
    }
    drop(child.stdin.take());
    let out = child.wait_with_output()?;
    ensure!(out.status.success(), "keystead {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    Ok(String::from_utf8(out.stdout)?)
}

/// A configuration file for one node on its own SQLite database in `dir` and a free port; its
/// path and the node's URL.
pub fn sqlite_config(dir: &Path) -> anyhow::Result<(PathBuf, String)> {
    let port = free_port()?;
    let url = format!("http://127.0.0.1:{port}/");
    let db = format!("sqlite://{}/keystead.db", dir.display());
    let key = master_key()?;
    let config = Settings { dir, port, database_url: &db, master_key: &key, public_url: &url }.write()?;
    Ok((config, url))
}

/// A free loopback port.
pub fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// A new master key (32 random bytes, base64).
pub fn master_key() -> anyhow::Result<String> {
    use base64::Engine as _;
    let mut key = [0u8; 32];
    std::io::Read::read_exact(&mut std::fs::File::open("/dev/urandom")?, &mut key)?;
    Ok(base64::engine::general_purpose::STANDARD.encode(key))
}

/// The 1-minute load average (`/proc/loadavg`).
pub fn load_average() -> anyhow::Result<f64> {
    let text = std::fs::read_to_string("/proc/loadavg")?;
    Ok(text.split_whitespace().next().context("loadavg")?.parse()?)
}

/// What one `wrk` run measured.
pub struct WrkRun {
    pub per_s: f64,
    pub requests: u64,
    pub non_2xx: u64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

/// Runs `wrk -t2 -c<connections> -d<seconds>s --latency` with `script` (Lua) against `url`.
pub fn wrk(url: &str, script: &Path, connections: u32, seconds: u32) -> anyhow::Result<WrkRun> {
    let out = Command::new("wrk")
        .args(["-t2", &format!("-c{connections}"), &format!("-d{seconds}s"), "--latency", "-s"])
        .arg(script)
        .arg(url)
        .output()
        .context("wrk is the load generator of this benchmark: apt-get install wrk")?;
    ensure!(out.status.success(), "wrk failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout)?;
    let number_after = |label: &str| -> Option<f64> {
        let line = text.lines().find(|l| l.trim_start().starts_with(label))?;
        line.trim_start()[label.len()..].split_whitespace().next()?.parse().ok()
    };
    let latency = |label: &str| -> anyhow::Result<f64> {
        let line = text.lines().find(|l| l.trim_start().starts_with(label)).context("latency line")?;
        let value = line.split_whitespace().nth(1).context("latency value")?;
        let (number, factor) = if let Some(v) = value.strip_suffix("us") {
            (v, 0.001)
        } else if let Some(v) = value.strip_suffix("ms") {
            (v, 1.0)
        } else if let Some(v) = value.strip_suffix('s') {
            (v, 1000.0)
        } else {
            (value, 1.0)
        };
        Ok(number.parse::<f64>()? * factor)
    };
    let requests = text
        .lines()
        .find(|l| l.contains("requests in"))
        .and_then(|l| l.split_whitespace().next())
        .context("request count")?
        .parse()?;
    Ok(WrkRun {
        per_s: number_after("Requests/sec:").context("rate")?,
        requests,
        non_2xx: number_after("Non-2xx or 3xx responses:").map_or(0, |n| n as u64),
        p50_ms: latency("50%")?,
        p99_ms: latency("99%")?,
    })
}

/// The median of `values`.
pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

pub fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}
