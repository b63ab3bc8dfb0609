//! Download files on disk: copied under `<licenses.downloads_dir>/<id>/` in chunks (never read whole
//! into memory), with the size and SHA-256 taken on the way.

use std::path::Path;

use anyhow::Context;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::error::{Error, Result};
use crate::ids::DownloadId;

/// A stored download file.
#[derive(Debug, Clone)]
pub(crate) struct StoredFile {
    /// Relative to the downloads directory: `<id>/<file name>`.
    pub relative_path: String,
    /// The original file name (cleaned).
    pub file_name: String,
    /// Its size in bytes.
    pub size: i64,
    /// Its SHA-256, lower-case hex.
    pub sha256: String,
}

/// The file name kept for a download: letters, digits, '.', '_' and '-' (others become '_'),
/// at most 200 characters, never starting with a dot.
fn clean_name(path: &Path) -> String {
    let raw = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut name: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' })
        .take(200)
        .collect();
    while name.starts_with('.') {
        name.remove(0);
    }
    if name.is_empty() { "download".to_owned() } else { name }
}

/// Copies `source` to `<downloads_dir>/<id>/<name>`: into a temporary name first, renamed
/// once complete and flushed. `Invalid` naming `file` when the source is not a readable file.
pub(crate) async fn store_file(downloads_dir: &Path, id: DownloadId, source: &Path) -> Result<StoredFile> {
    let unreadable = |why: &str| Error::invalid("file", "unreadable", format!("{}: {why}", source.display()));
    let meta = tokio::fs::metadata(source).await.map_err(|e| unreadable(&e.to_string()))?;
    if !meta.is_file() {
        return Err(unreadable("not a regular file"));
    }
    let mut input = tokio::fs::File::open(source).await.map_err(|e| unreadable(&e.to_string()))?;
    let file_name = clean_name(source);
    let dir = downloads_dir.join(id.to_string());
    tokio::fs::create_dir_all(&dir).await.with_context(|| format!("cannot create {}", dir.display()))?;
    let partial = dir.join(".partial");
    let mut output =
        tokio::fs::File::create(&partial).await.with_context(|| format!("cannot create {}", partial.display()))?;
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    let mut buf = vec![0_u8; 64 * 1024];
    loop {
        let n = input.read(&mut buf).await.map_err(|e| unreadable(&e.to_string()))?;
        let Some(chunk) = buf.get(..n).filter(|c| !c.is_empty()) else { break };
        hasher.update(chunk);
        output.write_all(chunk).await.with_context(|| format!("cannot write {}", partial.display()))?;
        size += n as u64;
    }
    output.sync_all().await.context("cannot flush the download file")?;
    drop(output);
    let target = dir.join(&file_name);
    tokio::fs::rename(&partial, &target).await.with_context(|| format!("cannot write {}", target.display()))?;
    let sha256 = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok(StoredFile {
        relative_path: format!("{id}/{file_name}"),
        file_name,
        size: i64::try_from(size).unwrap_or(i64::MAX),
        sha256,
    })
}

/// Removes a stored file and its directory (when its row could not be written).
pub(crate) async fn remove(downloads_dir: &Path, file: &StoredFile) {
    if let Some(id) = file.relative_path.split('/').next() {
        let _ = tokio::fs::remove_dir_all(downloads_dir.join(id)).await;
    }
}
