//! Accessibility checks with axe-core (npm `axe-core`, installed by `.ci/run`): every page a
//! browser test reaches through [`crate::browser::Browser::goto`] or waits on with
//! `wait_for_text` is checked, and a serious or critical violation fails the test when the
//! browser closes. Only Keystead's own pages are checked (the stand-in relying parties and
//! identity providers of the tests are not ours to fix).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result, bail};
use fantoccini::Client;
use serde_json::Value;

/// The axe-core script: `KEYSTEAD_AXE_JS`, else where `.ci/run` installs it.
pub const AXE_ENV: &str = "KEYSTEAD_AXE_JS";

fn axe_path() -> PathBuf {
    if let Some(p) = std::env::var_os(AXE_ENV) {
        return PathBuf::from(p);
    }
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("/root"), PathBuf::from);
    home.join(".cache/keystead-axe/node_modules/axe-core/axe.min.js")
}

/// The checker of one browser: the script, and the violations found so far.
#[derive(Debug, Clone, Default)]
pub struct Axe {
    script: Option<Arc<String>>,
    found: Arc<Mutex<Vec<String>>>,
}

impl Axe {
    /// Loads axe-core. Without it, checks are skipped with a warning — unless `required`
    /// (`KEYSTEAD_REQUIRE_BROWSER=1`), where that is an error.
    pub fn load(required: bool) -> Result<Self> {
        let path = axe_path();
        match std::fs::read_to_string(&path) {
            Ok(source) => Ok(Self { script: Some(Arc::new(source)), found: Arc::default() }),
            Err(e) if required => bail!(
                "axe-core is missing at {} ({e}); `npm install --prefix ~/.cache/keystead-axe axe-core` or set {AXE_ENV}",
                path.display()
            ),
            Err(_) => {
                eprintln!("SKIPPED: accessibility checks — no axe-core at {}", path.display());
                Ok(Self::default())
            }
        }
    }

    /// Checks the current page; records its serious and critical violations.
    pub async fn check(&self, client: &Client) -> Result<()> {
        let Some(source) = &self.script else { return Ok(()) };
        // The script body is compiled by the driver, not by `eval`, so the page's CSP allows it.
        let script = format!(
            "const done = arguments[arguments.length - 1];\
             if (!document.querySelector('link[rel=stylesheet][href^=\"/static/app.css\"]')) {{ done([]); return; }}\n\
             {source}\n;\
             axe.run(document, {{resultTypes: ['violations']}}).then(r => done(r.violations\
             .filter(v => v.impact === 'serious' || v.impact === 'critical')\
             .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))))\
             .catch(e => done(['axe failed: ' + e]));"
        );
        let answer = client.execute_async(&script, vec![]).await.context("running axe-core")?;
        let url = client.current_url().await.map_or_else(|_| "?".to_owned(), |u| u.path().to_owned());
        let mut found = self.found.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for v in answer.as_array().into_iter().flatten().filter_map(Value::as_str) {
            let entry = format!("{url}: {v}");
            if !found.contains(&entry) {
                found.push(entry);
            }
        }
        Ok(())
    }

    /// Every violation recorded, or `Ok` when there is none.
    pub fn verdict(&self) -> Result<()> {
        let found = self.found.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if found.is_empty() { Ok(()) } else { bail!("accessibility violations (axe-core):\n{}", found.join("\n")) }
    }
}
