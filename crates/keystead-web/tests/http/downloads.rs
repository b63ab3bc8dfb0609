//! Downloads over HTTP: My Account → Downloads lists only what the user's licenses unlock,
//! signed links (no session needed) serve files with byte ranges or send to external URLs, and
//! stop working when they expire, are tampered with or the license ends.

use keystead_core::audit::RequestMeta;
use keystead_core::ids::{DownloadId, OrganizationId, SubscriptionId};
use keystead_core::licensing::{DownloadSource, NewDownload};
use keystead_core::organizations::Actor;
use keystead_testkit::TestApp;
use keystead_testkit::licensing as seed;
use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT_RANGES, CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_RANGE, ETAG, IF_RANGE, RANGE,
};

use super::auth::{PASSWORD, active_user, get, location, signed_in_browser};

const OP: Actor = Actor::Operator;

/// 100 000 bytes that differ at every offset modulo 251, so a wrong slice shows.
fn file_bytes() -> Vec<u8> {
    (0..100_000_u32).map(|i| (i % 251) as u8).collect()
}

/// Adds a download of `cet`: an uploaded file (`file_bytes`) or an external URL.
async fn add_download(app: &TestApp, platform: &str, file: bool) -> DownloadId {
    let source = if file {
        let path = app.core.config().data_dir.join(format!("upload-{platform}.bin"));
        std::fs::write(&path, file_bytes()).unwrap();
        DownloadSource::File(path)
    } else {
        DownloadSource::Url(format!("https://cdn.example.com/cet-{platform}.zip"))
    };
    let new = NewDownload {
        product: "cet",
        version: "2026.2",
        platform,
        source,
        released_at: None,
        notes_url: Some("https://example.com/cet/2026.2"),
    };
    app.core.add_download(OP, new, &RequestMeta::cli()).await.unwrap().id
}

/// The catalogue, plus `cet-files` (an uploaded file) and `cet-mac` (a macOS link, nobody
/// holds it); the organization `acme` with a `cet-pro` and a `cet-files` subscription, and
/// `ada@example.com` holding a seat of both, signed in.
struct World {
    app: TestApp,
    ada: reqwest::Client,
    acme: OrganizationId,
    files_subscription: SubscriptionId,
    /// `cet-pro`'s external download.
    link: DownloadId,
    /// The uploaded file.
    file: DownloadId,
    /// The download nobody holds.
    mac: DownloadId,
}

async fn world() -> World {
    let app = TestApp::new().await;
    let catalogue = seed::catalogue(&app.core, "downloads").await.unwrap();
    let file = add_download(&app, "linux-x64", true).await;
    let mac = add_download(&app, "macos", false).await;
    seed::plan(&app.core, "cet-files", "CET Files", "downloads", &[&file.to_string()]).await.unwrap();
    seed::plan(&app.core, "cet-mac", "CET Mac", "downloads", &[&mac.to_string()]).await.unwrap();
    let (acme, _) = seed::organization(&app.core, "acme", "cet-pro", 3).await.unwrap();
    let new = keystead_core::licensing::NewSubscription { plan: "cet-files", seats: 3, starts_at: None, ends_at: None };
    let files_subscription = app.core.create_subscription(OP, acme, new, &RequestMeta::cli()).await.unwrap().id;
    let ada = active_user(&app, "ada@example.com").await;
    seed::assign(&app.core, acme, "cet-pro", ada).await.unwrap();
    seed::assign(&app.core, acme, "cet-files", ada).await.unwrap();
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    World { app, ada: client, acme, files_subscription, link: catalogue.download, file, mac }
}

/// The signed link `/account/downloads/{id}` redirects to.
async fn signed_link(w: &World, id: DownloadId) -> String {
    let res = w.ada.get(w.app.at(&format!("/account/downloads/{id}"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());
    let to = location(&res);
    assert!(to.starts_with("/downloads/file/"), "{to}");
    to
}

#[tokio::test]
async fn the_page_lists_only_what_the_licenses_unlock() {
    let w = world().await;
    let (status, html) = get(&w.app, &w.ada, "/account/downloads").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("href=\"/account/downloads\" aria-current=\"page\">Downloads<"), "{html}");
    assert!(html.contains("<h2 id=\"product-1\">CET Designer</h2>"), "{html}");
    assert_eq!(html.matches("class=\"download\"").count(), 2, "{html}");
    for id in [w.link, w.file] {
        assert!(html.contains(&format!("href=\"/account/downloads/{id}\"")), "{id}: {html}");
    }
    assert!(!html.contains(&w.mac.to_string()) && !html.contains("macos"), "{html}");
    assert!(html.contains("linux-x64") && html.contains("windows-x64") && html.contains("97.7 KiB"), "{html}");
    assert!(html.contains("<code class=\"checksum\">"), "{html}");
    assert!(html.contains("href=\"https://example.com/cet/2026.2\""), "release notes: {html}");
    assert!(html.contains("If you already have it installed, you can start it"), "{html}");
    assert!(html.contains("href=\"cet://start\""), "{html}");

    let bob = active_user(&w.app, "bob@example.com").await;
    w.app.core.add_organization_member(OP, w.acme, bob, "member", &RequestMeta::cli()).await.unwrap();
    let client = signed_in_browser(&w.app, "bob@example.com", PASSWORD).await;
    let (status, html) = get(&w.app, &client, "/account/downloads").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("There is nothing for you to download."), "{html}");
    assert!(!html.contains("/account/downloads/0") && !html.contains("class=\"download\""), "{html}");
    // Bob may not get a link to Ada's download, nor anyone to one nobody holds.
    let (status, _) = get(&w.app, &client, &format!("/account/downloads/{}", w.file)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for path in [format!("/account/downloads/{}", w.mac), format!("/account/downloads/{}", DownloadId::new())] {
        let (status, _) = get(&w.app, &w.ada, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let (status, _) = get(&w.app, &w.ada, "/account/downloads/not-an-id").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Signed out: sign in first.
    let res = w.app.client().get(w.app.at("/account/downloads")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).starts_with("/sign-in"), "{}", location(&res));
}

#[tokio::test]
async fn a_file_downloads_whole_and_in_ranges_without_a_session() {
    let w = world().await;
    let link = w.app.at(&signed_link(&w, w.file).await);
    let anonymous = w.app.client();
    let res = anonymous.get(&link).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let h = res.headers().clone();
    assert_eq!(h[CONTENT_DISPOSITION], "attachment; filename=\"upload-linux-x64.bin\"");
    assert_eq!(h[ACCEPT_RANGES], "bytes");
    assert_eq!(h[CACHE_CONTROL], "private, no-store");
    assert_eq!(h[CONTENT_LENGTH], "100000");
    let etag = h[ETAG].to_str().unwrap().to_owned();
    assert_eq!(etag.len(), 66, "the quoted SHA-256: {etag}");
    assert_eq!(res.bytes().await.unwrap().as_ref(), file_bytes().as_slice());

    let res = anonymous.get(&link).header(RANGE, "bytes=1000-1999").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(res.headers()[CONTENT_RANGE], "bytes 1000-1999/100000");
    assert_eq!(res.bytes().await.unwrap().as_ref(), &file_bytes()[1000..2000]);
    let res = anonymous.get(&link).header(RANGE, "bytes=99990-").header(IF_RANGE, &etag).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::PARTIAL_CONTENT, "resuming the same file");
    assert_eq!(res.bytes().await.unwrap().as_ref(), &file_bytes()[99_990..]);
    let res = anonymous.get(&link).header(RANGE, "bytes=-10").header(IF_RANGE, "\"other\"").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "another file: the whole of this one");
    assert_eq!(res.bytes().await.unwrap().len(), 100_000);
    let res = anonymous.get(&link).header(RANGE, "bytes=100000-").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(res.headers()[CONTENT_RANGE], "bytes */100000");
}

#[tokio::test]
async fn an_external_download_redirects_to_its_url() {
    let w = world().await;
    let link = signed_link(&w, w.link).await;
    let res = w.app.client().get(w.app.at(&link)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "https://cdn.example.com/cet-2026.1.msi");
}

#[tokio::test]
async fn links_expire_and_tampered_links_are_unknown() {
    let w = world().await;
    let link = signed_link(&w, w.file).await;
    let mut tampered = link.clone().into_bytes();
    let i = tampered.len() - 5;
    tampered[i] = if tampered[i] == b'A' { b'B' } else { b'A' };
    let (status, html) = get(&w.app, &w.app.client(), &String::from_utf8(tampered).unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("This download link is not valid."), "{html}");

    w.app.clock.advance(time::Duration::minutes(4));
    let (status, _) = get(&w.app, &w.app.client(), &link).await;
    assert_eq!(status, StatusCode::OK, "still valid after 4 minutes");
    w.app.clock.advance(time::Duration::minutes(1));
    let (status, html) = get(&w.app, &w.app.client(), &link).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(html.contains("This download link has expired (links work for 5 minutes)."), "{html}");
    let fresh = signed_link(&w, w.file).await;
    let (status, _) = get(&w.app, &w.app.client(), &fresh).await;
    assert_eq!(status, StatusCode::OK, "a new link works");
}

#[tokio::test]
async fn a_link_stops_working_when_the_license_ends() {
    let w = world().await;
    let link = signed_link(&w, w.file).await;
    let other = signed_link(&w, w.link).await;
    w.app.core.end_subscription(OP, w.files_subscription, &RequestMeta::cli()).await.unwrap();
    let (status, html) = get(&w.app, &w.app.client(), &link).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "before the link expires");
    assert!(html.contains("This download is no longer available to you"), "{html}");
    let res = w.app.client().get(w.app.at(&other)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "the other license still holds");
    let (_, html) = get(&w.app, &w.ada, "/account/downloads").await;
    assert!(!html.contains(&w.file.to_string()) && html.contains(&w.link.to_string()), "{html}");
}
