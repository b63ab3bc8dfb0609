//! Signed download links: a short-lived token naming a download, a user and an expiry, MAC'd
//! with a key derived from the master key (`download-links`). Nothing is stored: every request
//! checks the MAC and the expiry, then asks the database (one query) whether the user's account
//! is still usable and a license they hold still unlocks the download, so a shared link stops
//! working the moment the license ends.

use std::path::{Component, Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use time::OffsetDateTime;

use crate::Core;
use crate::error::{Code, Error, Result};
use crate::ids::{DownloadId, UserId};
use crate::store::licensing::{self as store, DownloadRow};

/// The token format's version (the first byte).
const VERSION: u8 = 1;
/// version + download id + user id + expiry (Unix seconds, big-endian).
const PAYLOAD_LEN: usize = 1 + 16 + 16 + 8;
/// HMAC-SHA256.
const MAC_LEN: usize = 32;

/// A link to a download, valid for `licenses.download_link_ttl`.
#[derive(Debug, Clone)]
pub struct SignedLink {
    /// The token (URL-safe base64, 98 characters).
    pub token: String,
    /// When it stops working.
    pub expires_at: OffsetDateTime,
}

impl SignedLink {
    /// The path serving it: `/downloads/file/<token>`.
    pub fn path(&self) -> String {
        format!("/downloads/file/{}", self.token)
    }
}

/// What an authorized download link serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DownloadTarget {
    /// A file the operator uploaded.
    File {
        /// Its absolute path (under `licenses.downloads_dir`).
        path: PathBuf,
        /// The name to save it under.
        file_name: String,
        /// Its size in bytes, as recorded when it was uploaded.
        size: u64,
        /// Its SHA-256, lower-case hex.
        sha256: String,
    },
    /// A link to another site (the browser is sent there).
    External {
        /// The URL.
        url: String,
    },
}

fn mac(key: &[u8], payload: &[u8]) -> Result<Hmac<sha2::Sha256>> {
    let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(key)
        .map_err(|e| Error::Internal(anyhow::anyhow!("download link key: {e}")))?;
    mac.update(payload);
    Ok(mac)
}

/// The token for `download`, `user` and `expires` (Unix seconds).
fn sign(key: &[u8], download: DownloadId, user: UserId, expires: i64) -> Result<String> {
    let mut bytes = Vec::with_capacity(PAYLOAD_LEN + MAC_LEN);
    bytes.push(VERSION);
    bytes.extend_from_slice(download.0.as_bytes());
    bytes.extend_from_slice(user.0.as_bytes());
    bytes.extend_from_slice(&expires.to_be_bytes());
    let tag = mac(key, &bytes)?.finalize().into_bytes();
    bytes.extend_from_slice(&tag);
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The download, user and expiry of a token whose MAC is right (compared in constant time);
/// `None` for anything else.
fn verify(key: &[u8], token: &str) -> Option<(DownloadId, UserId, i64)> {
    if token.len() > 128 {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(token.as_bytes()).ok()?;
    if bytes.len() != PAYLOAD_LEN + MAC_LEN || bytes.first() != Some(&VERSION) {
        return None;
    }
    let (payload, tag) = bytes.split_at(PAYLOAD_LEN);
    mac(key, payload).ok()?.verify_slice(tag).ok()?;
    let download = uuid::Uuid::from_slice(payload.get(1..17)?).ok()?;
    let user = uuid::Uuid::from_slice(payload.get(17..33)?).ok()?;
    let expires = i64::from_be_bytes(payload.get(33..41)?.try_into().ok()?);
    Some((DownloadId(download), UserId(user), expires))
}

/// `<downloads_dir>/<relative>`, refusing anything but plain path components (the stored path
/// is Keystead's own `<id>/<name>`; this keeps a damaged row from pointing elsewhere).
fn file_path(downloads_dir: &Path, relative: &str) -> Result<PathBuf> {
    let relative = Path::new(relative);
    if relative.components().all(|c| matches!(c, Component::Normal(_))) {
        Ok(downloads_dir.join(relative))
    } else {
        Err(Error::Internal(anyhow::anyhow!("download file path {} is not plain", relative.display())))
    }
}

fn target(downloads_dir: &Path, row: DownloadRow) -> Result<DownloadTarget> {
    match (row.file_path, row.url) {
        (Some(relative), _) => Ok(DownloadTarget::File {
            path: file_path(downloads_dir, &relative)?,
            file_name: row.file_name.unwrap_or_else(|| "download".to_owned()),
            size: row.size_bytes.and_then(|s| u64::try_from(s).ok()).unwrap_or(0),
            sha256: row.sha256.unwrap_or_default(),
        }),
        (None, Some(url)) => Ok(DownloadTarget::External { url }),
        (None, None) => Err(Error::Internal(anyhow::anyhow!("download {} has neither file nor URL", row.id))),
    }
}

impl Core {
    /// A signed link to `download` for `user`, valid for `licenses.download_link_ttl`.
    /// `NotFound` unless a license the user holds now unlocks it (the same answer as for an
    /// unknown id, so nobody learns which downloads exist).
    pub async fn download_link(&self, user: UserId, download: DownloadId) -> Result<SignedLink> {
        let now = self.clock().now();
        {
            let mut conn = self.store().conn().await?;
            store::download_if_granted(conn.db(), download, user, now).await?.ok_or(Error::NotFound)?;
        }
        let expires_at = now + self.config().licenses.download_link_ttl;
        let token = sign(self.download_link_key(), download, user, expires_at.unix_timestamp())?;
        Ok(SignedLink { token, expires_at })
    }

    /// Checks a download link, on every request: `NotFound` for a token that is not one of ours
    /// (malformed or tampered), `Conflict(LinkInvalid)` once it has expired, `Forbidden` when
    /// the account can no longer sign in (disabled, closing) or no license the user holds now
    /// unlocks the download (ended, unassigned, left the organization). One indexed query.
    pub async fn authorize_download(&self, token: &str) -> Result<DownloadTarget> {
        let (download, user, expires) = verify(self.download_link_key(), token).ok_or(Error::NotFound)?;
        let now = self.clock().now();
        if now.unix_timestamp() >= expires {
            return Err(Error::Conflict(Code::LinkInvalid));
        }
        let row = {
            let mut conn = self.store().conn().await?;
            store::download_if_granted(conn.db(), download, user, now).await?
        };
        target(&self.config().licenses.downloads_dir, row.ok_or(Error::Forbidden)?)
    }
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn tokens_round_trip_and_refuse_any_change() {
        let key = [7_u8; 32];
        let (d, u) = (DownloadId::new(), UserId::new());
        let token = sign(&key, d, u, 1_800_000_000).unwrap();
        assert_eq!(token.len(), 98);
        assert_eq!(verify(&key, &token), Some((d, u, 1_800_000_000)));
        assert_eq!(verify(&[8_u8; 32], &token), None, "another key");
        let mut bytes = URL_SAFE_NO_PAD.decode(&token).unwrap();
        for i in [0, 5, 20, 40, 60] {
            bytes[i] ^= 1;
            assert_eq!(verify(&key, &URL_SAFE_NO_PAD.encode(&bytes)), None, "byte {i} flipped");
            bytes[i] ^= 1;
        }
        assert_eq!(verify(&key, &token[..97]), None);
        assert_eq!(verify(&key, ""), None);
        assert_eq!(verify(&key, "not a token!"), None);
    }

    #[test]
    fn stored_paths_stay_under_the_directory() {
        let dir = Path::new("/srv/downloads");
        assert_eq!(file_path(dir, "abc/setup.msi").unwrap(), dir.join("abc/setup.msi"));
        assert!(file_path(dir, "../etc/passwd").is_err());
        assert!(file_path(dir, "/etc/passwd").is_err());
    }
}
