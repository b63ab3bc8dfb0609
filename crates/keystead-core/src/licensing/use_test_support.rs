//! Shared fixture of the tests of licensing in use (activations, tokens, briefcases): a core on
//! either database with a fake clock, the product `cet` with plans, and users holding seats.

use super::*;
use crate::Core;
use crate::accounts::admin::NewUser;
use crate::audit::RequestMeta;
use crate::clock::FakeClock;
use crate::ids::{OrganizationId, UserId};
use crate::organizations::NewOrganization;
use crate::testing::TestDb;

/// Declares a test run once on SQLite and once on PostgreSQL (multi-threaded, so that
/// concurrent writes really overlap): `use_test!(name);` for an `async fn name(t: &T)` — the
/// licensing tests' own macro, run with this fixture's `T`.
pub(super) use super::tests::core_test as use_test;

pub(super) const META: RequestMeta = RequestMeta { ip: None, user_agent: None, via: None, operator: None };
const OP: Actor = Actor::Operator;

/// A core on a test database with a fake clock, with the catalogue made: the desktop app `cet`
/// and the extension `warehouse`; the plan `cet-pro` (entitlement `cet.edition.pro`, the
/// extension, at most 2 machines) and `cet-team` (`cet.edition.team`, no machine limit).
pub(super) struct T {
    pub core: Core,
    pub clock: FakeClock,
    _dir: tempfile::TempDir,
    _db: TestDb,
}

impl T {
    pub async fn new(db: TestDb) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let clock = FakeClock::fixed();
        let key = crate::testing::new_master_key().unwrap();
        let core = crate::testing::core_on(&db, dir.path(), &key, clock.clone(), |_| {}).await.unwrap();
        for (key, name, kind) in [("cet", "CET Designer", "desktop_app"), ("warehouse", "Warehouse", "extension")] {
            let new = NewProduct { key, name, kind, ..NewProduct::default() };
            core.create_product(OP, new, &META).await.unwrap();
        }
        let plans = [("cet-pro", "cet.edition.pro", Some(2)), ("cet-team", "cet.edition.team", None)];
        for (key, code, max_machines) in plans {
            let plan = NewPlan {
                product: "cet",
                key,
                name: key,
                entitlements: vec![code],
                extensions: vec!["warehouse"],
                landing: "none",
                max_machines,
                ..NewPlan::default()
            };
            core.create_plan(OP, plan, &META).await.unwrap();
        }
        Self { core, clock, _dir: dir, _db: db }
    }

    pub async fn user(&self, email: &str) -> UserId {
        let new = NewUser { email, given_name: None, family_name: None, verified: true, password: None };
        self.core.create_user(new, &RequestMeta::cli()).await.unwrap().id
    }

    /// An organization `slug` with a subscription of `plan` (10 seats, open ended).
    pub async fn org(&self, slug: &str, plan: &str) -> OrganizationId {
        let new = NewOrganization { name: slug, slug: Some(slug), owner: None };
        let org = self.core.create_organization(OP, new, &META).await.unwrap().id;
        let new = NewSubscription { plan, seats: 10, starts_at: None, ends_at: None };
        self.core.create_subscription(OP, org, new, &META).await.unwrap();
        org
    }

    /// Makes `user` a member of `org` and gives them a seat of `plan`.
    pub async fn seat(&self, org: OrganizationId, plan: &str, user: UserId) {
        let _ = self.core.add_organization_member(OP, org, user, "member", &META).await;
        self.core.assign_seat(OP, org, plan, user, &META).await.unwrap();
    }

    /// A user holding a seat of `cet-pro` in the organization `acme`.
    pub async fn licensed_user(&self, email: &str) -> UserId {
        let user = self.user(email).await;
        let org = self.org(&format!("org-{}", email.split('@').next().unwrap_or("x")), "cet-pro").await;
        self.seat(org, "cet-pro", user).await;
        user
    }
}

/// The stable code of a refusal.
pub(super) fn refused_code(e: &Error) -> &'static str {
    match e {
        Error::Refused { code, .. } => code.as_str(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}
