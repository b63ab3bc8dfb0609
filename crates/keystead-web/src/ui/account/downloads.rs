//! My Account → Downloads: every download the user's licenses unlock, by product, newest
//! release first, with a "Download" link that mints a short-lived signed link and a "Start"
//! link for desktop apps with a launch URL.
//!
//! "Download" is a plain GET (`/account/downloads/{id}`) rather than a POST form: minting a
//! link changes nothing (the token is stateless, nothing is written), it needs the session and
//! the same license check as the page, and the 303 it answers carries the token only to the
//! signed-in user's own browser (a cross-site page cannot read a redirect's target; the
//! session cookie is not sent on cross-site sub-requests). A GET also keeps "open in new tab"
//! and download managers working.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use keystead_core::Error;
use keystead_core::i18n::{Arg, Locale};
use keystead_core::ids::DownloadId;
use keystead_core::licensing::{AvailableDownload, DownloadKind};

use super::{NavSection, Section, chrome};
use crate::csrf::CsrfToken;
use crate::error::WebError;
use crate::extract::RequireSession;
use crate::state::AppState;
use crate::ui::Layout;

/// A download as listed.
#[derive(Debug, Clone)]
pub struct DownloadView {
    id: String,
    version: String,
    platform: String,
    released: String,
    size: Option<String>,
    size_bytes: Option<i64>,
    sha256: Option<String>,
    notes_url: Option<String>,
    external: bool,
    /// The accessible name of its Download link ("Download CET 2.1 for windows-x64").
    label: String,
}

/// A product with its downloads.
#[derive(Debug, Clone)]
pub struct ProductDownloads {
    name: String,
    launch_url: Option<String>,
    downloads: Vec<DownloadView>,
}

/// The downloads page.
#[derive(Template, WebTemplate)]
#[template(path = "account/downloads.html")]
pub struct DownloadsPage {
    layout: Layout,
    nav: Vec<NavSection>,
    products: Vec<ProductDownloads>,
    link_minutes: i64,
}

/// "512 bytes", "1.50 KiB", "12.3 MiB", "1.02 GiB" ("512 Bytes", "1,50 KiB" in German).
pub fn human_size_in(locale: Locale, bytes: i64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return locale.t1("acct-bytes", "count", bytes);
    }
    #[expect(clippy::cast_precision_loss, reason = "a size shown to one decimal")]
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    let decimals = if value < 10.0 { 2 } else { 1 };
    let number = format!("{value:.decimals$}");
    let number = if locale == Locale::En { number } else { number.replace('.', ",") };
    format!("{number} {}", UNITS.get(unit).unwrap_or(&"TiB"))
}

/// A launch URL safe to put in a link: none of the schemes a browser would run as script.
fn safe_launch_url(url: Option<String>) -> Option<String> {
    url.filter(|u| {
        let scheme = u.split(':').next().unwrap_or("").to_ascii_lowercase();
        !matches!(scheme.as_str(), "javascript" | "data" | "vbscript" | "file")
    })
}

/// Groups the (product-sorted) downloads by product.
fn by_product(downloads: Vec<AvailableDownload>) -> Vec<ProductDownloads> {
    let locale = crate::i18n::current();
    let mut products: Vec<(String, ProductDownloads)> = Vec::new();
    for d in downloads {
        let label = locale.t_args(
            "acct-downloads-download-label",
            &[
                ("name", Arg::from(&d.product_name)),
                ("version", Arg::from(&d.version)),
                ("platform", Arg::from(&d.platform)),
            ],
        );
        let view = DownloadView {
            label,
            id: d.id.to_string(),
            version: d.version,
            platform: d.platform,
            released: locale.date(d.released_at),
            size: d.size.map(|s| human_size_in(locale, s)),
            size_bytes: d.size,
            sha256: d.sha256,
            notes_url: d.notes_url,
            external: matches!(d.kind, DownloadKind::External { .. }),
        };
        match products.last_mut() {
            Some((key, p)) if *key == d.product => p.downloads.push(view),
            _ => products.push((
                d.product,
                ProductDownloads {
                    name: d.product_name,
                    launch_url: safe_launch_url(d.launch_url),
                    downloads: vec![view],
                },
            )),
        }
    }
    products.into_iter().map(|(_, p)| p).collect()
}

/// `GET /account/downloads`
pub async fn show_downloads(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
) -> Result<Response, WebError> {
    let downloads = state.core.downloads_for(session.user.id).await?;
    let (layout, nav) = chrome(&state, &session, &csrf, Section::Downloads);
    let link_minutes = state.core.config().licenses.download_link_ttl.whole_minutes().max(1);
    let page = DownloadsPage { layout, nav, products: by_product(downloads), link_minutes };
    Ok((csrf, page).into_response())
}

/// `GET /account/downloads/{id}`: a fresh signed link to the download (303), or 404 when no
/// license the user holds unlocks it (the same as for an id that does not exist).
pub async fn start_download(
    State(state): State<AppState>,
    RequireSession(session): RequireSession,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id: DownloadId = id.parse().map_err(|_| Error::NotFound)?;
    let link = state.core.download_link(session.user.id, id).await?;
    Ok(Redirect::to(&link.path()).into_response())
}

#[cfg(test)]
mod tests {
    use keystead_core::i18n::Locale;

    fn human_size(bytes: i64) -> String {
        super::human_size_in(Locale::En, bytes)
    }

    #[test]
    fn sizes_are_said_in_binary_units() {
        assert_eq!(human_size(0), "0 bytes");
        assert_eq!(human_size(1), "1 byte");
        assert_eq!(human_size(1023), "1023 bytes");
        assert_eq!(human_size(1536), "1.50 KiB");
        assert_eq!(human_size(12_900_000), "12.3 MiB");
        assert_eq!(human_size(3 * 1024 * 1024 * 1024), "3.00 GiB");
        assert_eq!(super::human_size_in(Locale::De, 1536), "1,50 KiB");
        assert_eq!(super::human_size_in(Locale::Tr, 14), "14 bayt");
    }
}
