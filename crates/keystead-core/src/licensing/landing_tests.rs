//! The landing precedence and the extension chooser's selections, on both databases.

use time::Duration;

use super::*;
use crate::Core;
use crate::accounts::admin::NewUser;
use crate::audit::RequestMeta;
use crate::clock::{Clock, FakeClock};
use crate::ids::{OrganizationId, UserId};
use crate::organizations::NewOrganization;
use crate::testing::TestDb;

/// Declares a core test run once on SQLite and once on PostgreSQL: `core_test!(name);` for an
/// `async fn name(db: TestDb)`.
macro_rules! core_test {
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$name(crate::testing::TestDb::sqlite().await.unwrap()).await;
            }

            #[tokio::test]
            async fn postgres() {
                let Some(db) = crate::testing::TestDb::postgres().await.unwrap() else {
                    return;
                };
                super::$name(db).await;
            }
        }
    };
}

const META: RequestMeta = RequestMeta { ip: None, user_agent: None, via: None, operator: None };
const OP: Actor = Actor::Operator;
const MARKETPLACE: &str = "https://market.example.com/start";

/// A core on a test database with a fake clock, `licenses.no_license_url` set or not, and a
/// catalogue: the desktop app `cet`, the extensions `warehouse` and `measure`, and one plan per
/// landing rule (`chooser`, `downloads`, `app-a`, `app-b`, `plain`).
struct T {
    core: Core,
    clock: FakeClock,
    _dir: tempfile::TempDir,
    _db: TestDb,
}

impl T {
    async fn new(db: TestDb, no_license_url: Option<&str>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let clock = FakeClock::fixed();
        let key = crate::testing::new_master_key().unwrap();
        let url = no_license_url.map(|u| url::Url::parse(u).unwrap());
        let core = crate::testing::core_on(&db, dir.path(), &key, clock.clone(), |c| c.licenses.no_license_url = url)
            .await
            .unwrap();
        let t = Self { core, clock, _dir: dir, _db: db };
        t.catalogue().await;
        t
    }

    async fn catalogue(&self) {
        for (key, kind, group) in
            [("cet", "desktop_app", None), ("warehouse", "extension", None), ("measure", "extension", Some("utility"))]
        {
            let new = NewProduct { key, name: key, kind, group, ..NewProduct::default() };
            self.core.create_product(OP, new, &META).await.unwrap();
        }
        let plans = [
            ("chooser", "extension_chooser", vec!["warehouse"]),
            ("downloads", "downloads", vec!["measure"]),
            ("app-a", "https://a.example.com/sign-in", vec![]),
            ("app-b", "https://b.example.com/sign-in", vec![]),
            ("plain", "none", vec![]),
        ];
        for (key, landing, extensions) in plans {
            let plan = NewPlan { product: "cet", key, name: key, landing, extensions, ..NewPlan::default() };
            self.core.create_plan(OP, plan, &META).await.unwrap();
        }
    }

    async fn user(&self, email: &str) -> UserId {
        let new = NewUser { email, given_name: None, family_name: None, verified: true, password: None };
        self.core.create_user(new, &RequestMeta::cli()).await.unwrap().id
    }

    /// An organization `slug` with a subscription of `plan`.
    async fn org(&self, slug: &str, plan: &str) -> (OrganizationId, Subscription) {
        let new = NewOrganization { name: slug, slug: Some(slug), owner: None };
        let org = self.core.create_organization(OP, new, &META).await.unwrap().id;
        let new = NewSubscription { plan, seats: 5, starts_at: None, ends_at: None };
        (org, self.core.create_subscription(OP, org, new, &META).await.unwrap())
    }

    /// Gives `user` a seat of `plan` in a new organization `slug`, a minute after the last one.
    async fn hold(&self, user: UserId, slug: &str, plan: &str) -> Subscription {
        let (org, sub) = self.org(slug, plan).await;
        self.core.add_organization_member(OP, org, user, "member", &META).await.unwrap();
        self.core.assign_seat(OP, org, plan, user, &META).await.unwrap();
        self.clock.advance(Duration::minutes(1));
        sub
    }

    async fn landing(&self, user: UserId) -> Landing {
        self.core.landing_for(user).await.unwrap()
    }
}

fn app(url: &str) -> Landing {
    Landing::ExternalApp(url::Url::parse(url).unwrap())
}

async fn without_a_license_the_user_lands_home_when_no_marketplace_is_configured(db: TestDb) {
    let t = T::new(db, None).await;
    let user = t.user("ada@example.com").await;
    assert_eq!(t.landing(user).await, Landing::Home);
}
core_test!(without_a_license_the_user_lands_home_when_no_marketplace_is_configured);

async fn without_a_license_the_user_lands_on_the_configured_marketplace(db: TestDb) {
    let t = T::new(db, Some(MARKETPLACE)).await;
    let user = t.user("ada@example.com").await;
    assert_eq!(t.landing(user).await, Landing::NoLicense(url::Url::parse(MARKETPLACE).unwrap()));
    // A license of any rule, even `none`, is no longer "no license".
    t.hold(user, "plain-org", "plain").await;
    assert_eq!(t.landing(user).await, Landing::Licenses);
}
core_test!(without_a_license_the_user_lands_on_the_configured_marketplace);

async fn the_chooser_wins_over_downloads_which_wins_over_an_external_app(db: TestDb) {
    let t = T::new(db, Some(MARKETPLACE)).await;
    let user = t.user("ada@example.com").await;
    t.hold(user, "a-plain", "plain").await;
    assert_eq!(t.landing(user).await, Landing::Licenses);
    t.hold(user, "b-app", "app-a").await;
    assert_eq!(t.landing(user).await, app("https://a.example.com/sign-in"));
    t.hold(user, "c-downloads", "downloads").await;
    assert_eq!(t.landing(user).await, Landing::Downloads);
    t.hold(user, "d-chooser", "chooser").await;
    assert_eq!(t.landing(user).await, Landing::ExtensionChooser);

    // The order the seats came in does not matter for the rules themselves.
    let other = t.user("bob@example.com").await;
    t.hold(other, "e-chooser", "chooser").await;
    t.hold(other, "f-downloads", "downloads").await;
    t.hold(other, "g-app", "app-b").await;
    assert_eq!(t.landing(other).await, Landing::ExtensionChooser);
}
core_test!(the_chooser_wins_over_downloads_which_wins_over_an_external_app);

async fn among_external_apps_the_earliest_assigned_seat_decides(db: TestDb) {
    let t = T::new(db, None).await;
    let user = t.user("ada@example.com").await;
    // `z-first` sorts last by organization name but its seat is the older one.
    t.hold(user, "z-first", "app-b").await;
    t.hold(user, "a-second", "app-a").await;
    assert_eq!(t.landing(user).await, app("https://b.example.com/sign-in"));
}
core_test!(among_external_apps_the_earliest_assigned_seat_decides);

async fn an_ended_or_future_subscription_no_longer_decides_the_landing(db: TestDb) {
    let t = T::new(db, Some(MARKETPLACE)).await;
    let user = t.user("ada@example.com").await;
    let downloads = t.hold(user, "a-downloads", "downloads").await;
    let chooser = t.hold(user, "b-chooser", "chooser").await;
    assert_eq!(t.landing(user).await, Landing::ExtensionChooser);
    t.core.end_subscription(OP, chooser.id, &META).await.unwrap();
    assert_eq!(t.landing(user).await, Landing::Downloads);
    t.core.end_subscription(OP, downloads.id, &META).await.unwrap();
    assert_eq!(t.landing(user).await, Landing::NoLicense(url::Url::parse(MARKETPLACE).unwrap()));

    // A subscription that starts tomorrow grants nothing yet.
    let new = NewOrganization { name: "later", slug: Some("later"), owner: None };
    let org = t.core.create_organization(OP, new, &META).await.unwrap().id;
    let starts_at = Some(t.clock.now() + Duration::days(1));
    let new = NewSubscription { plan: "chooser", seats: 1, starts_at, ends_at: None };
    t.core.create_subscription(OP, org, new, &META).await.unwrap();
    t.core.add_organization_member(OP, org, user, "member", &META).await.unwrap();
    t.core.assign_seat(OP, org, "chooser", user, &META).await.unwrap();
    assert_eq!(t.landing(user).await, Landing::NoLicense(url::Url::parse(MARKETPLACE).unwrap()));
    t.clock.advance(Duration::days(2));
    assert_eq!(t.landing(user).await, Landing::ExtensionChooser);
}
core_test!(an_ended_or_future_subscription_no_longer_decides_the_landing);

async fn a_selection_is_kept_while_its_license_is_lost_and_unallowed_keys_are_not_found(db: TestDb) {
    let t = T::new(db, None).await;
    let user = t.user("ada@example.com").await;
    let sub = t.hold(user, "a-chooser", "chooser").await;
    t.hold(user, "b-downloads", "downloads").await;
    let keys = |c: Vec<ExtensionChoice>| c.into_iter().map(|c| (c.product.key, c.selected)).collect::<Vec<_>>();
    let choices = t.core.extension_choices(user).await.unwrap();
    assert_eq!(keys(choices), [("measure".to_owned(), false), ("warehouse".to_owned(), false)]);

    t.core.set_extension_selected(user, "warehouse", true, &META).await.unwrap();
    t.core.set_extension_selected(user, "warehouse", true, &META).await.unwrap();
    assert_eq!(t.core.selected_extensions(user).await.unwrap(), ["warehouse"]);
    for key in ["cet", "nothing"] {
        let e = t.core.set_extension_selected(user, key, true, &META).await.unwrap_err();
        assert!(matches!(e, Error::NotFound), "{key}: {e:?}");
    }

    t.core.end_subscription(OP, sub.id, &META).await.unwrap();
    assert!(t.core.selected_extensions(user).await.unwrap().is_empty());
    let e = t.core.set_extension_selected(user, "warehouse", false, &META).await.unwrap_err();
    assert!(matches!(e, Error::NotFound));
    t.hold(user, "c-chooser", "chooser").await;
    assert_eq!(t.core.selected_extensions(user).await.unwrap(), ["warehouse"], "restored with the license");
    t.core.set_extension_selected(user, "warehouse", false, &META).await.unwrap();
    assert!(t.core.selected_extensions(user).await.unwrap().is_empty());

    // Two changes were recorded (the second select and nothing else changed nothing).
    let mut conn = t.core.store().conn().await.unwrap();
    let events = crate::store::audit::for_subject(conn.db(), user, 100).await.unwrap();
    let selections: Vec<_> = events
        .iter()
        .filter(|e| e.action == "user.preferences_changed")
        .map(|e| (e.details.0["event"].as_str().unwrap_or("").to_owned(), e.details.0["product"].clone()))
        .collect();
    assert_eq!(
        selections,
        [
            ("extension_deselected".to_owned(), "warehouse".into()),
            ("extension_selected".to_owned(), "warehouse".into())
        ]
    );
}
core_test!(a_selection_is_kept_while_its_license_is_lost_and_unallowed_keys_are_not_found);

async fn an_extension_keeps_its_icon_and_learn_more_links_and_bad_ones_are_refused(db: TestDb) {
    let t = T::new(db, None).await;
    let bad = NewProduct {
        key: "x",
        name: "X",
        kind: "extension",
        icon_url: Some("javascript:alert(1)"),
        learn_more_url: Some("/relative"),
        ..NewProduct::default()
    };
    let e = t.core.create_product(OP, bad, &META).await.unwrap_err();
    let fields = match e {
        Error::Invalid(f) => f.0.into_iter().map(|f| f.field).collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    assert_eq!(fields, ["icon_url", "learn_more_url"]);
    let good = NewProduct {
        key: "x",
        name: "X",
        kind: "extension",
        icon_url: Some("https://cdn.example.com/x.png"),
        learn_more_url: Some("https://example.com/x"),
        ..NewProduct::default()
    };
    t.core.create_product(OP, good, &META).await.unwrap();
    let shown = t.core.product(OP, "x").await.unwrap();
    assert_eq!(
        (shown.icon_url.as_deref(), shown.learn_more_url.as_deref()),
        (Some("https://cdn.example.com/x.png"), Some("https://example.com/x"))
    );
}
core_test!(an_extension_keeps_its_icon_and_learn_more_links_and_bad_ones_are_refused);
