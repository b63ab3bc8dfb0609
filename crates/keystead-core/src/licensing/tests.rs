//! Licensing rules on both databases: catalogue validation, the seat limit under a race, seats
//! ending with memberships, what `licenses_of` counts, and who may assign seats.

use time::Duration;

use super::*;
use crate::Core;
use crate::accounts::admin::NewUser;
use crate::audit::RequestMeta;
use crate::clock::{Clock, FakeClock};
use crate::ids::{OrganizationId, UserId};
use crate::organizations::NewOrganization;
use crate::testing::TestDb;

/// Declares a core test run once on SQLite and once on PostgreSQL (multi-threaded, so that
/// concurrent assignments really overlap): `core_test!(name);` for an `async fn name(t: &T)`.
macro_rules! core_test {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                let db = crate::testing::TestDb::sqlite().await.unwrap();
                let t = super::T::new(db).await;
                super::$name(&t).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                let Some(db) = crate::testing::TestDb::postgres().await.unwrap() else {
                    return;
                };
                let t = super::T::new(db).await;
                super::$name(&t).await;
            }
        }
    };
}
pub(super) use core_test;

pub(super) const META: RequestMeta = RequestMeta { ip: None, user_agent: None, via: None, operator: None };
pub(super) const OP: Actor = Actor::Operator;

/// A core on a test database with a fake clock.
pub(super) struct T {
    pub(super) core: Core,
    pub(super) clock: FakeClock,
    pub(super) dir: tempfile::TempDir,
    _db: TestDb,
}

impl T {
    pub(super) async fn new(db: TestDb) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let clock = FakeClock::fixed();
        let key = crate::testing::new_master_key().unwrap();
        let core = crate::testing::core_on(&db, dir.path(), &key, clock.clone(), |_| {}).await.unwrap();
        Self { core, clock, dir, _db: db }
    }

    pub(super) async fn user(&self, email: &str) -> UserId {
        let new = NewUser { email, given_name: None, family_name: None, verified: true, password: None };
        self.core.create_user(new, &RequestMeta::cli()).await.unwrap().id
    }

    /// An organization owned by a new user, with `members` more users (role `member`).
    pub(super) async fn org(&self, slug: &str, members: usize) -> (OrganizationId, Vec<UserId>) {
        let owner = self.user(&format!("owner@{slug}.example")).await;
        let new = NewOrganization { name: slug, slug: Some(slug), owner: Some(owner) };
        let org = self.core.create_organization(OP, new, &META).await.unwrap().id;
        let mut users = Vec::new();
        for i in 0..members {
            let u = self.user(&format!("m{i}@{slug}.example")).await;
            self.core.add_organization_member(OP, org, u, "member", &META).await.unwrap();
            users.push(u);
        }
        (org, users)
    }

    /// The product `cet` with the plan `cet-pro` (entitlement `cet.edition.pro`, the extension
    /// `warehouse`, one linked download).
    pub(super) async fn catalogue(&self) {
        let new = NewProduct { key: "cet", name: "CET Designer", kind: "desktop_app", ..NewProduct::default() };
        self.core.create_product(OP, new, &META).await.unwrap();
        let new = NewProduct { key: "warehouse", name: "Warehouse", kind: "extension", ..NewProduct::default() };
        self.core.create_product(OP, new, &META).await.unwrap();
        let d = NewDownload {
            product: "cet",
            version: "2026.1",
            platform: "windows-x64",
            source: DownloadSource::Url("https://cdn.example.com/cet-2026.1.msi".to_owned()),
            released_at: None,
            notes_url: None,
        };
        let d = self.core.add_download(OP, d, &META).await.unwrap().id.to_string();
        let plan = NewPlan {
            product: "cet",
            key: "cet-pro",
            name: "CET Pro",
            entitlements: vec!["cet.edition.pro"],
            extensions: vec!["warehouse"],
            downloads: vec![d.as_str()],
            landing: "extension_chooser",
            max_machines: Some(2),
        };
        self.core.create_plan(OP, plan, &META).await.unwrap();
    }

    pub(super) async fn subscribe(&self, org: OrganizationId, seats: i64) -> Subscription {
        let new = NewSubscription { plan: "cet-pro", seats, starts_at: None, ends_at: None };
        self.core.create_subscription(OP, org, new, &META).await.unwrap()
    }
}

pub(super) fn fields(e: &Error) -> Vec<String> {
    match e {
        Error::Invalid(f) => f.0.iter().map(|f| f.field.clone()).collect(),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

pub(super) fn code(e: &Error) -> &'static str {
    match e {
        Error::Invalid(f) => f.0.first().map_or("", |f| f.code),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

async fn catalogue_input_is_checked_field_by_field(t: &T) {
    let bad = NewProduct { key: "Bad Key", name: " ", kind: "app", group: Some("tools"), ..NewProduct::default() };
    let e = t.core.create_product(OP, bad, &META).await.unwrap_err();
    assert_eq!(fields(&e), ["key", "name", "kind", "group"]);
    let launch =
        NewProduct { key: "x", name: "X", kind: "desktop_app", launch_url: Some("not a url"), ..NewProduct::default() };
    assert_eq!(fields(&t.core.create_product(OP, launch, &META).await.unwrap_err()), ["launch_url"]);
    for key in ["", "-a", "a".repeat(65).as_str(), "ä", "a/b", "\u{0}"] {
        let p = NewProduct { key, name: "N", kind: "bundle", ..NewProduct::default() };
        assert_eq!(fields(&t.core.create_product(OP, p, &META).await.unwrap_err()), ["key"], "{key:?}");
    }
    t.catalogue().await;
    let again = NewProduct { key: "cet", name: "Again", kind: "web_app", ..NewProduct::default() };
    assert_eq!(code(&t.core.create_product(OP, again, &META).await.unwrap_err()), "key_taken");
    let user = t.user("someone@example.com").await;
    let p = NewProduct { key: "y", name: "Y", kind: "web_app", ..NewProduct::default() };
    assert!(matches!(t.core.create_product(Actor::User(user), p, &META).await, Err(Error::Forbidden)));

    let plan = NewPlan {
        product: "cet",
        key: "cet-x",
        name: "X",
        entitlements: vec!["ok.code", "Not OK"],
        extensions: vec!["cet", "nothing"],
        downloads: vec!["not-an-id"],
        landing: "ftp://example.com",
        max_machines: Some(0),
    };
    let e = t.core.create_plan(OP, plan, &META).await.unwrap_err();
    assert_eq!(fields(&e), ["entitlement", "landing", "max_machines", "download"]);
    let plan = NewPlan {
        product: "cet",
        key: "cet-x",
        name: "X",
        extensions: vec!["cet", "nothing"],
        landing: "none",
        ..NewPlan::default()
    };
    assert_eq!(fields(&t.core.create_plan(OP, plan, &META).await.unwrap_err()), ["extension", "extension"]);
    let taken = NewPlan { product: "cet", key: "cet-pro", name: "Again", landing: "downloads", ..NewPlan::default() };
    assert_eq!(code(&t.core.create_plan(OP, taken, &META).await.unwrap_err()), "key_taken");
    let app = NewPlan {
        product: "cet",
        key: "cet-web",
        name: "Web",
        landing: "https://app.example.com/sign-in",
        ..NewPlan::default()
    };
    let plan = t.core.create_plan(OP, app, &META).await.unwrap();
    assert!(matches!(plan.landing, LandingRule::ExternalApp(ref u) if u.as_str() == "https://app.example.com/sign-in"));

    let shown = t.core.plan(OP, "cet-pro").await.unwrap();
    assert_eq!(
        (shown.entitlements, shown.extensions, shown.max_machines),
        (vec!["cet.edition.pro".to_owned()], vec!["warehouse".to_owned()], Some(2))
    );
    assert_eq!(
        t.core.products(OP).await.unwrap().iter().map(|p| p.key.as_str()).collect::<Vec<_>>(),
        ["cet", "warehouse"]
    );
}
core_test!(catalogue_input_is_checked_field_by_field);

async fn a_downloaded_file_is_copied_with_its_size_and_sha256(t: &T) {
    t.catalogue().await;
    let source = t.dir.path().join("setup 1.msi");
    let bytes: Vec<u8> = (0..200_000_u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&source, &bytes).unwrap();
    let new = NewDownload {
        product: "cet",
        version: "2026.2",
        platform: "windows-x64",
        source: DownloadSource::File(source),
        released_at: None,
        notes_url: Some("https://example.com/notes"),
    };
    let d = t.core.add_download(OP, new, &META).await.unwrap();
    assert_eq!(d.size, Some(200_000));
    use sha2::Digest;
    let expected: String = sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(d.sha256.as_deref(), Some(expected.as_str()));
    let stored = t.dir.path().join("downloads").join(d.file.unwrap());
    assert_eq!(std::fs::read(stored).unwrap(), bytes);
    assert_eq!(d.file_name.as_deref(), Some("setup_1.msi"));
    let missing = NewDownload {
        product: "cet",
        version: "1",
        platform: "linux",
        source: DownloadSource::File(t.dir.path().join("nope")),
        released_at: None,
        notes_url: None,
    };
    assert_eq!(fields(&t.core.add_download(OP, missing, &META).await.unwrap_err()), ["file"]);
    assert_eq!(t.core.downloads(OP).await.unwrap().len(), 2);
}
core_test!(a_downloaded_file_is_copied_with_its_size_and_sha256);

async fn twenty_concurrent_assignments_of_three_seats_give_exactly_three(t: &T) {
    t.catalogue().await;
    let (org, users) = t.org("race", 20).await;
    let sub = t.subscribe(org, 3).await;
    let mut tasks = Vec::new();
    for u in users {
        let core = t.core.clone();
        tasks.push(tokio::spawn(async move { core.assign_seat(OP, org, "cet-pro", u, &META).await }));
    }
    let mut won = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => won += 1,
            Err(e) => assert_eq!(code(&e), "no_free_seat"),
        }
    }
    assert_eq!(won, 3);
    assert_eq!(t.core.seat_holders(OP, sub.id).await.unwrap().len(), 3);
    let listed = t.core.subscriptions(OP, org).await.unwrap();
    assert_eq!((listed[0].seats, listed[0].seats_used), (3, 3));
}
core_test!(twenty_concurrent_assignments_of_three_seats_give_exactly_three);

async fn a_seat_ends_when_the_membership_ends(t: &T) {
    t.catalogue().await;
    let (org, users) = t.org("leavers", 2).await;
    let sub = t.subscribe(org, 1).await;
    t.core.assign_seat(OP, org, "cet-pro", users[0], &META).await.unwrap();
    assert_eq!(t.core.licenses_of(users[0]).await.unwrap().len(), 1);
    let e = t.core.assign_seat(OP, org, "cet-pro", users[1], &META).await.unwrap_err();
    assert_eq!(code(&e), "no_free_seat");

    t.core.remove_member(OP, org, users[0], &META).await.unwrap();

    assert!(t.core.licenses_of(users[0]).await.unwrap().is_empty());
    assert_eq!(t.core.subscriptions(OP, org).await.unwrap()[0].seats_used, 0);
    t.core.assign_seat(OP, org, "cet-pro", users[1], &META).await.unwrap();
    let e = t.core.assign_seat(OP, org, "cet-pro", users[0], &META).await.unwrap_err();
    assert_eq!(code(&e), "not_a_member");
    let e = t.core.set_subscription_seats(OP, sub.id, 0, None, &META).await.unwrap_err();
    assert_eq!((fields(&e), code(&e)), (vec!["seats".to_owned()], "below_seats_in_use"));
    t.core.unassign_seat(OP, org, "cet-pro", users[1], &META).await.unwrap();
    assert_eq!(t.core.set_subscription_seats(OP, sub.id, 0, None, &META).await.unwrap().seats, 0);
}
core_test!(a_seat_ends_when_the_membership_ends);

async fn licenses_of_counts_only_live_subscriptions(t: &T) {
    t.catalogue().await;
    let (org, users) = t.org("times", 3).await;
    let now = t.clock.now();
    let plan = |starts_at, ends_at| NewSubscription { plan: "cet-pro", seats: 5, starts_at, ends_at };
    let future = plan(Some(now + Duration::days(10)), None);
    t.core.create_subscription(OP, org, future, &META).await.unwrap();
    t.core.assign_seat(OP, org, "cet-pro", users[0], &META).await.unwrap();
    assert!(t.core.licenses_of(users[0]).await.unwrap().is_empty(), "not started yet");

    let (other, others) = t.org("ending", 1).await;
    t.core.create_subscription(OP, other, plan(None, Some(now + Duration::days(1))), &META).await.unwrap();
    t.core.assign_seat(OP, other, "cet-pro", others[0], &META).await.unwrap();
    let held = t.core.licenses_of(others[0]).await.unwrap();
    assert_eq!(held.len(), 1);
    let l = &held[0];
    assert_eq!((l.product.as_str(), l.plan.as_str(), l.organization_slug.as_str()), ("cet", "cet-pro", "ending"));
    assert_eq!(
        (l.entitlements.clone(), l.extensions[0].key.as_str()),
        (vec!["cet.edition.pro".to_owned()], "warehouse")
    );
    assert_eq!(
        (l.downloads.len(), l.valid_until, l.landing.clone()),
        (1, Some(now + Duration::days(1)), LandingRule::ExtensionChooser)
    );

    let (third, thirds) = t.org("ended", 2).await;
    let s = t.core.create_subscription(OP, third, plan(None, None), &META).await.unwrap();
    t.core.assign_seat(OP, third, "cet-pro", thirds[0], &META).await.unwrap();
    t.core.end_subscription(OP, s.id, &META).await.unwrap();
    assert!(t.core.licenses_of(thirds[0]).await.unwrap().is_empty(), "ended by the operator");
    let e = t.core.assign_seat(OP, third, "cet-pro", thirds[1], &META).await.unwrap_err();
    assert_eq!(code(&e), "no_subscription");

    t.clock.advance(Duration::days(10));
    assert_eq!(t.core.licenses_of(users[0]).await.unwrap().len(), 1, "started now");
    assert!(t.core.licenses_of(others[0]).await.unwrap().is_empty(), "past its end");
}
core_test!(licenses_of_counts_only_live_subscriptions);

async fn who_may_assign_seats(t: &T) {
    t.catalogue().await;
    let (org, users) = t.org("perms", 4).await;
    t.subscribe(org, 10).await;
    let outsider = t.user("outsider@example.com").await;
    let licenser = users[2];
    let admin = users[3];
    t.core.change_member_role(OP, org, licenser, "license_admin", &META).await.unwrap();
    t.core.change_member_role(OP, org, admin, "admin", &META).await.unwrap();
    let cases: [(Actor, &str, bool); 5] = [
        (OP, "operator", true),
        (Actor::User(licenser), "license_admin", true),
        (Actor::User(admin), "admin", true),
        (Actor::User(users[1]), "member", false),
        (Actor::User(outsider), "outsider", false),
    ];
    for (actor, who, allowed) in cases {
        let assigned = t.core.assign_seat(actor, org, "cet-pro", users[0], &META).await;
        assert_eq!(assigned.is_ok(), allowed, "{who} assigns: {assigned:?}");
        let listed = t.core.subscriptions(actor, org).await;
        assert_eq!(listed.is_ok(), allowed, "{who} lists: {listed:?}");
        if allowed {
            t.core.unassign_seat(actor, org, "cet-pro", users[0], &META).await.unwrap();
        } else {
            let expected_not_found = who == "outsider";
            assert!(matches!(assigned, Err(Error::NotFound)) == expected_not_found, "{who}: {assigned:?}");
        }
    }
    let user = Actor::User(admin);
    let new = NewSubscription { plan: "cet-pro", seats: 1, starts_at: None, ends_at: None };
    assert!(matches!(t.core.create_subscription(user, org, new, &META).await, Err(Error::Forbidden)));
    let events = t.core.organization_audit(OP, org, 1000).await.unwrap();
    assert_eq!(events.iter().filter(|e| e.action == "licensing.seat_changed").count(), 6);
}
core_test!(who_may_assign_seats);

#[test]
fn codes_landing_rules_and_dates_parse_without_panicking() {
    assert!(check_code("k", "cet.edition.pro").is_ok());
    for s in ["", " ", "Ä", "a b", "\u{10FFFF}", "ａ", "0", "z-_."] {
        let _ = check_code("k", s);
        let _ = LandingRule::parse("landing", s);
        let _ = parse_day("starts", s, false);
    }
    assert!(LandingRule::parse("landing", "javascript:alert(1)").is_err());
    assert_eq!(parse_day("ends", "2027-12-31", true).unwrap().date().to_string(), "2028-01-01");
    assert!(parse_day("ends", "9999-12-31", true).is_err());
}
