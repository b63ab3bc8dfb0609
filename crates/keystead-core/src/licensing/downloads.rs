//! What a user may download: every download a license they hold now unlocks, for My Account →
//! Downloads. The files themselves are served through signed links (`download_links`).

use time::OffsetDateTime;

use crate::Core;
use crate::error::Result;
use crate::ids::{DownloadId, UserId};
use crate::store::licensing::{self as store, AvailableRow};

/// Where a download's bytes are.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum DownloadKind {
    /// A file the operator uploaded, served by Keystead.
    File {
        /// Its name, as the browser saves it.
        file_name: String,
    },
    /// A link to another site.
    External {
        /// The URL.
        url: String,
    },
}

/// A download the user may fetch, as the downloads page lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AvailableDownload {
    /// Its id.
    pub id: DownloadId,
    /// Its product's key.
    pub product: String,
    /// Its product's name.
    pub product_name: String,
    /// The product's launch URL (`cet://start`), for a "Start" link beside the download.
    pub launch_url: Option<String>,
    /// The version.
    pub version: String,
    /// The platform.
    pub platform: String,
    /// The release date.
    #[serde(with = "time::serde::rfc3339")]
    pub released_at: OffsetDateTime,
    /// The file's size in bytes (uploaded files only).
    pub size: Option<i64>,
    /// The file's SHA-256, lower-case hex (uploaded files only).
    pub sha256: Option<String>,
    /// The release notes.
    pub notes_url: Option<String>,
    /// A file or an external link.
    pub kind: DownloadKind,
}

impl From<AvailableRow> for AvailableDownload {
    fn from(r: AvailableRow) -> Self {
        let d = r.download;
        let kind = match (d.file_path, d.url) {
            (Some(_), _) => DownloadKind::File { file_name: d.file_name.unwrap_or_else(|| "download".to_owned()) },
            (None, url) => DownloadKind::External { url: url.unwrap_or_default() },
        };
        Self {
            id: d.id,
            product: d.product_key,
            product_name: r.product_name,
            launch_url: r.launch_url,
            version: d.version,
            platform: d.platform,
            released_at: d.released_at,
            size: d.size_bytes,
            sha256: d.sha256,
            notes_url: d.notes_url,
            kind,
        }
    }
}

impl Core {
    /// Every download a license `user` holds now unlocks (a seat of a subscription that has
    /// started and not ended), each once however many licenses unlock it; by product name, then
    /// newest release first. One query, however many licenses the user holds.
    pub async fn downloads_for(&self, user: UserId) -> Result<Vec<AvailableDownload>> {
        let now = self.clock().now();
        let mut conn = self.store().conn().await?;
        let rows = store::downloads_available_to(conn.db(), user, now).await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }
}
