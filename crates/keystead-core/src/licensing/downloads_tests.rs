//! Downloads on both databases: who sees which download, signed links (expiry, tampering) and
//! links that stop working when the license ends.

use time::Duration;

use super::*;
use crate::Core;
use crate::accounts::admin::NewUser;
use crate::audit::RequestMeta;
use crate::clock::{Clock, FakeClock};
use crate::error::Code;
use crate::ids::{DownloadId, OrganizationId, SubscriptionId, UserId};
use crate::organizations::NewOrganization;
use crate::testing::{TestDb, core_test};

const META: RequestMeta = RequestMeta { ip: None, user_agent: None, via: None, operator: None };
const OP: Actor = Actor::Operator;
const FILE_BYTES: &[u8] = b"MZ pretend installer bytes";

/// A core on a test database with a fake clock, and a catalogue: the product `cet` (launch URL
/// `cet://start`) with three downloads, the plan `cet-pro` unlocking `old` and `file`, and the
/// plan `cet-lite` unlocking `old` and `other`.
struct T {
    core: Core,
    clock: FakeClock,
    _dir: tempfile::TempDir,
    _db: TestDb,
    /// `2025.4` for windows-x64, an external URL, released 2025-10-01.
    old: DownloadId,
    /// `2026.1` for windows-x64, an uploaded file.
    file: DownloadId,
    /// `2026.1` for macos, an external URL, only in `cet-lite`.
    other: DownloadId,
}

impl T {
    async fn new(db: TestDb) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let clock = FakeClock::fixed();
        let key = crate::testing::new_master_key().unwrap();
        let core = crate::testing::core_on(&db, dir.path(), &key, clock.clone(), |_| {}).await.unwrap();
        let new = NewProduct {
            key: "cet",
            name: "CET Designer",
            kind: "desktop_app",
            launch_url: Some("cet://start"),
            ..NewProduct::default()
        };
        core.create_product(OP, new, &META).await.unwrap();
        let add = |version: &'static str, platform: &'static str, source: DownloadSource, days_ago: i64| {
            let core = core.clone();
            let released_at = Some(clock.now() - Duration::days(days_ago));
            async move {
                let new = NewDownload {
                    product: "cet",
                    version,
                    platform,
                    source,
                    released_at,
                    notes_url: Some("https://example.com/notes"),
                };
                core.add_download(OP, new, &META).await.unwrap().id
            }
        };
        let url = |u: &str| DownloadSource::Url(u.to_owned());
        let old = add("2025.4", "windows-x64", url("https://cdn.example.com/cet-2025.4.msi"), 90).await;
        let source = dir.path().join("cet setup 2026.1.msi");
        std::fs::write(&source, FILE_BYTES).unwrap();
        let file = add("2026.1", "windows-x64", DownloadSource::File(source), 1).await;
        let other = add("2026.1", "macos", url("https://cdn.example.com/cet-2026.1.dmg"), 1).await;
        for (key, downloads) in [("cet-pro", [old, file]), ("cet-lite", [old, other])] {
            let downloads: Vec<String> = downloads.iter().map(ToString::to_string).collect();
            let plan = NewPlan {
                product: "cet",
                key,
                name: key,
                downloads: downloads.iter().map(String::as_str).collect(),
                landing: "downloads",
                ..NewPlan::default()
            };
            core.create_plan(OP, plan, &META).await.unwrap();
        }
        Self { core, clock, _dir: dir, _db: db, old, file, other }
    }

    async fn user(&self, email: &str) -> UserId {
        let new = NewUser { email, given_name: None, family_name: None, verified: true, password: None };
        self.core.create_user(new, &RequestMeta::cli()).await.unwrap().id
    }

    /// An organization with a subscription of `plan` (5 seats).
    async fn org(&self, slug: &str, plan: &str) -> (OrganizationId, SubscriptionId) {
        let owner = self.user(&format!("owner@{slug}.example")).await;
        let new = NewOrganization { name: slug, slug: Some(slug), owner: Some(owner) };
        let org = self.core.create_organization(OP, new, &META).await.unwrap().id;
        let new = NewSubscription { plan, seats: 5, starts_at: None, ends_at: None };
        (org, self.core.create_subscription(OP, org, new, &META).await.unwrap().id)
    }

    /// A new member of `org` holding a seat of `plan` there.
    async fn holder(&self, email: &str, org: OrganizationId, plan: &str) -> UserId {
        let u = self.user(email).await;
        self.core.add_organization_member(OP, org, u, "member", &META).await.unwrap();
        self.core.assign_seat(OP, org, plan, u, &META).await.unwrap();
        u
    }

    async fn visible(&self, user: UserId) -> Vec<DownloadId> {
        self.core.downloads_for(user).await.unwrap().into_iter().map(|d| d.id).collect()
    }
}

async fn only_holders_see_downloads(t: &T) {
    let (acme, _) = t.org("acme", "cet-pro").await;
    let holder = t.holder("holder@example.com", acme, "cet-pro").await;
    let member = t.user("member@example.com").await;
    t.core.add_organization_member(OP, acme, member, "member", &META).await.unwrap();
    let stranger = t.user("stranger@example.com").await;

    let listed = t.core.downloads_for(holder).await.unwrap();
    assert_eq!(listed.iter().map(|d| d.id).collect::<Vec<_>>(), [t.file, t.old], "newest release first");
    let file = &listed[0];
    assert_eq!((file.product.as_str(), file.product_name.as_str()), ("cet", "CET Designer"));
    assert_eq!(file.launch_url.as_deref(), Some("cet://start"));
    assert_eq!((file.version.as_str(), file.platform.as_str()), ("2026.1", "windows-x64"));
    assert_eq!(file.size, Some(FILE_BYTES.len() as i64));
    assert_eq!(file.sha256.as_deref().map(str::len), Some(64));
    assert_eq!(file.notes_url.as_deref(), Some("https://example.com/notes"));
    assert_eq!(file.kind, DownloadKind::File { file_name: "cet_setup_2026.1.msi".to_owned() });
    assert_eq!(listed[1].kind, DownloadKind::External { url: "https://cdn.example.com/cet-2025.4.msi".to_owned() });

    assert!(t.visible(member).await.is_empty(), "a member without a seat sees nothing");
    assert!(t.visible(stranger).await.is_empty(), "a stranger sees nothing");
    for (user, id) in [(member, t.file), (stranger, t.file), (holder, t.other), (holder, DownloadId::new())] {
        let e = t.core.download_link(user, id).await.unwrap_err();
        assert!(matches!(e, Error::NotFound), "{e:?}");
    }
}
core_test!(only_holders_see_downloads);

async fn several_licenses_list_each_download_once(t: &T) {
    let (acme, _) = t.org("acme", "cet-pro").await;
    let (globex, _) = t.org("globex", "cet-lite").await;
    let (initech, _) = t.org("initech", "cet-pro").await;
    let u = t.holder("both@example.com", acme, "cet-pro").await;
    for (org, plan) in [(globex, "cet-lite"), (initech, "cet-pro")] {
        t.core.add_organization_member(OP, org, u, "member", &META).await.unwrap();
        t.core.assign_seat(OP, org, plan, u, &META).await.unwrap();
    }
    let seen = t.visible(u).await;
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert_eq!(seen[2], t.old, "the oldest release last");
    assert!(seen.contains(&t.file) && seen.contains(&t.other));
}
core_test!(several_licenses_list_each_download_once);

async fn ended_and_future_subscriptions_unlock_nothing(t: &T) {
    let (acme, sub) = t.org("acme", "cet-pro").await;
    let u = t.holder("holder@example.com", acme, "cet-pro").await;
    assert_eq!(t.visible(u).await.len(), 2);
    t.core.end_subscription(OP, sub, &META).await.unwrap();
    assert!(t.visible(u).await.is_empty(), "ended");

    let owner = t.user("owner@globex.example").await;
    let new = NewOrganization { name: "globex", slug: Some("globex"), owner: Some(owner) };
    let globex = t.core.create_organization(OP, new, &META).await.unwrap().id;
    let later = t.clock.now() + Duration::days(30);
    let new = NewSubscription { plan: "cet-pro", seats: 1, starts_at: Some(later), ends_at: None };
    t.core.create_subscription(OP, globex, new, &META).await.unwrap();
    t.core.add_organization_member(OP, globex, u, "member", &META).await.unwrap();
    t.core.assign_seat(OP, globex, "cet-pro", u, &META).await.unwrap();
    assert!(t.visible(u).await.is_empty(), "a seat of a subscription not started yet");
    t.clock.advance(Duration::days(31));
    assert_eq!(t.visible(u).await, [t.file, t.old], "the subscription has started");
}
core_test!(ended_and_future_subscriptions_unlock_nothing);

async fn links_serve_files_and_urls_until_they_expire(t: &T) {
    let (acme, _) = t.org("acme", "cet-pro").await;
    let u = t.holder("holder@example.com", acme, "cet-pro").await;
    let link = t.core.download_link(u, t.file).await.unwrap();
    assert_eq!(link.expires_at - t.clock.now(), Duration::minutes(5), "the default lifetime");
    assert_eq!(link.path(), format!("/downloads/file/{}", link.token));
    let DownloadTarget::File { path, file_name, size, sha256 } = t.core.authorize_download(&link.token).await.unwrap()
    else {
        panic!("a file");
    };
    assert_eq!(std::fs::read(&path).unwrap(), FILE_BYTES);
    assert!(path.starts_with(&t.core.config().licenses.downloads_dir));
    assert_eq!((file_name.as_str(), size), ("cet_setup_2026.1.msi", FILE_BYTES.len() as u64));
    assert_eq!(sha256.len(), 64);

    let url = t.core.download_link(u, t.old).await.unwrap();
    let target = t.core.authorize_download(&url.token).await.unwrap();
    assert_eq!(target, DownloadTarget::External { url: "https://cdn.example.com/cet-2025.4.msi".to_owned() });

    t.clock.advance(Duration::minutes(5) - Duration::seconds(1));
    t.core.authorize_download(&link.token).await.unwrap();
    t.clock.advance(Duration::seconds(1));
    let e = t.core.authorize_download(&link.token).await.unwrap_err();
    assert_eq!(e.code(), Code::LinkInvalid, "{e:?}");
    let fresh = t.core.download_link(u, t.file).await.unwrap();
    t.core.authorize_download(&fresh.token).await.unwrap();
}
core_test!(links_serve_files_and_urls_until_they_expire);

async fn tampered_links_are_unknown(t: &T) {
    let (acme, _) = t.org("acme", "cet-pro").await;
    let u = t.holder("holder@example.com", acme, "cet-pro").await;
    let token = t.core.download_link(u, t.file).await.unwrap().token;
    let mut tampered: Vec<char> = token.chars().collect();
    for i in [3, 30, 60, 90] {
        let saved = tampered[i];
        tampered[i] = if saved == 'A' { 'B' } else { 'A' };
        let e = t.core.authorize_download(&tampered.iter().collect::<String>()).await.unwrap_err();
        assert!(matches!(e, Error::NotFound), "char {i}: {e:?}");
        tampered[i] = saved;
    }
    for bad in ["", "x", &token[..60], &format!("{token}A")] {
        assert!(matches!(t.core.authorize_download(bad).await.unwrap_err(), Error::NotFound), "{bad}");
    }
    t.core.authorize_download(&token).await.unwrap();
}
core_test!(tampered_links_are_unknown);

async fn links_stop_when_the_license_ends(t: &T) {
    let (acme, sub) = t.org("acme", "cet-pro").await;
    let u = t.holder("holder@example.com", acme, "cet-pro").await;
    let v = t.holder("other@example.com", acme, "cet-pro").await;
    let w = t.holder("third@example.com", acme, "cet-pro").await;
    let forbidden = |r: Result<DownloadTarget>| assert!(matches!(r, Err(Error::Forbidden)), "{r:?}");

    let link = t.core.download_link(u, t.file).await.unwrap();
    t.core.unassign_seat(OP, acme, "cet-pro", u, &META).await.unwrap();
    forbidden(t.core.authorize_download(&link.token).await);

    let link = t.core.download_link(v, t.file).await.unwrap();
    t.core.remove_member(OP, acme, v, &META).await.unwrap();
    forbidden(t.core.authorize_download(&link.token).await);

    let link = t.core.download_link(w, t.old).await.unwrap();
    let third = t.core.user_by_email("third@example.com").await.unwrap().id;
    t.core.disable_user(crate::organizations::Actor::Operator, third, &META).await.unwrap();
    forbidden(t.core.authorize_download(&link.token).await);

    let x = t.holder("fourth@example.com", acme, "cet-pro").await;
    let link = t.core.download_link(x, t.file).await.unwrap();
    t.core.authorize_download(&link.token).await.unwrap();
    t.core.end_subscription(OP, sub, &META).await.unwrap();
    forbidden(t.core.authorize_download(&link.token).await);
}
core_test!(links_stop_when_the_license_ends);
