//! `SamlIdp`: an independent SAML 2.0 identity provider for tests — pysaml2 (signing with
//! xmlsec1) running `saml_idp/idp.py` on a loopback port — so Keystead's service provider is
//! checked against another implementation, not against itself.
//!
//! Needs `python3`, the `pysaml2` package and the `xmlsec1` binary (`.ci/run` installs them);
//! without them [`SamlIdp::start`] fails with what to install.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use url::Url;

/// The pysaml2 version `.ci/run` installs.
pub const PYSAML2_VERSION: &str = "7.5.5";

/// How long the IdP may take to start (python imports pysaml2 and makes an RSA key).
const START_LIMIT: Duration = Duration::from_secs(60);

/// The person the test IdP signs in, whatever the request.
#[derive(Debug, Clone)]
pub struct SamlIdpUser {
    /// The NameID value.
    pub name_id: String,
    /// Send the NameID with the emailAddress format instead of persistent.
    pub name_id_is_email: bool,
    /// Attributes by pysaml2's friendly names (`mail`, `givenName`, `sn`, `isMemberOf`...); the
    /// IdP sends them under their `urn:oid:` names.
    pub attributes: Vec<(String, Vec<String>)>,
}

/// A running test IdP; the python process is killed when this is dropped.
#[derive(Debug)]
pub struct SamlIdp {
    base: Url,
    metadata_xml: String,
    sp_metadata: PathBuf,
    _child: Child,
    _dir: tempfile::TempDir,
}

impl SamlIdp {
    /// Starts the IdP for the service provider `sp_entity_id` whose assertion consumer service
    /// is `acs_url`, waits until it serves its metadata, and returns it.
    pub async fn start(sp_entity_id: &str, acs_url: &str, user: &SamlIdpUser) -> Result<Self> {
        preflight().await?;
        let dir = tempfile::tempdir().context("temp dir for the test IdP")?;
        let sp_metadata = dir.path().join("sp.xml");
        std::fs::write(&sp_metadata, keystead_core::sso::saml::sp_metadata(sp_entity_id, acs_url))?;
        let attributes: serde_json::Map<String, serde_json::Value> =
            user.attributes.iter().map(|(k, v)| (k.clone(), serde_json::json!(v))).collect();
        let config = serde_json::json!({
            "dir": dir.path(),
            "sp_metadata": sp_metadata,
            "user": {
                "name_id": user.name_id,
                "name_id_format": if user.name_id_is_email { "email" } else { "persistent" },
                "attributes": attributes,
            },
        });
        let config_path = dir.path().join("config.json");
        std::fs::write(&config_path, config.to_string())?;
        let log_path = dir.path().join("idp.log");
        let mut child = Command::new("python3")
            .arg(script())
            .arg(&config_path)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log_path)?)
            .kill_on_drop(true)
            .spawn()
            .context("starting python3 saml_idp/idp.py")?;
        let stdout = child.stdout.take().context("the IdP's stdout")?;
        let port = tokio::time::timeout(START_LIMIT, first_port(stdout))
            .await
            .map_err(|_| anyhow::anyhow!("the test IdP did not start: {}", log_tail(&log_path)))?
            .with_context(|| format!("the test IdP did not start: {}", log_tail(&log_path)))?;
        let base = Url::parse(&format!("http://127.0.0.1:{port}"))?;
        let metadata_xml = keystead_core::outbound::client(true, Duration::from_secs(10))?
            .get(base.join("/metadata")?)
            .send()
            .await?
            .error_for_status()?
            .text()
            .await?;
        Ok(Self { base, metadata_xml, sp_metadata, _child: child, _dir: dir })
    }

    /// Where the IdP publishes its metadata (`http://127.0.0.1:<port>/metadata`, also its
    /// entity id).
    pub fn metadata_url(&self) -> Url {
        self.base.join("/metadata").unwrap_or_else(|_| self.base.clone())
    }

    /// Serves `sp_entity_id` (assertion consumer service `acs_url`) from now on instead of the
    /// service provider it started with: for an SP whose entity id is known only once the IdP's
    /// metadata was read (a Keystead connection's id is in its URLs). The IdP's key, port and
    /// metadata stay, so metadata already read stays valid.
    pub fn set_service_provider(&self, sp_entity_id: &str, acs_url: &str) -> Result<()> {
        let xml = keystead_core::sso::saml::sp_metadata(sp_entity_id, acs_url);
        // Written aside then renamed, so the IdP never reads half a file.
        let staged = self.sp_metadata.with_extension("xml.new");
        std::fs::write(&staged, xml).context("writing the SP's metadata for the test IdP")?;
        std::fs::rename(&staged, &self.sp_metadata).context("replacing the SP's metadata for the test IdP")?;
        Ok(())
    }

    /// The metadata as served when the IdP came up.
    pub fn metadata_xml(&self) -> &str {
        &self.metadata_xml
    }
}

/// `saml_idp/idp.py` of this crate.
fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("saml_idp/idp.py")
}

/// Fails with what to install when python3, pysaml2 or xmlsec1 is missing.
async fn preflight() -> Result<()> {
    let install = format!(
        "the SAML test IdP needs python3 with pysaml2 and the xmlsec1 binary: \
         `apt-get install -y xmlsec1 && pip install pysaml2=={PYSAML2_VERSION}` (.ci/run does this)"
    );
    if !std::path::Path::new("/usr/bin/xmlsec1").exists() {
        bail!("xmlsec1 is missing: {install}");
    }
    let probe = Command::new("python3")
        .args(["-c", "import saml2"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .await;
    match probe {
        Ok(status) if status.success() => Ok(()),
        Ok(_) => bail!("pysaml2 is missing: {install}"),
        Err(e) => bail!("python3 could not run ({e}): {install}"),
    }
}

/// Reads stdout until the `listening on <port>` line.
async fn first_port(stdout: tokio::process::ChildStdout) -> Result<u16> {
    let mut lines = BufReader::new(stdout).lines();
    while let Some(line) = lines.next_line().await? {
        if let Some(port) = line.strip_prefix("listening on ") {
            return port.trim().parse().context("the IdP's port");
        }
    }
    bail!("the IdP exited before listening")
}

/// The last lines of the IdP's log, for a failure message.
fn log_tail(path: &std::path::Path) -> String {
    let log = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}
