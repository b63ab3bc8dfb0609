//! The operator's organization list on both databases: search by name or short name, member and
//! guest counts, the orders, pages, and the refusals.

use time::Duration;

use super::*;
use crate::accounts::admin::NewUser;
use crate::clock::FakeClock;
use crate::testing::{TestDb, core_test};

const META: RequestMeta = RequestMeta { ip: None, user_agent: None, via: None, operator: None };

struct T {
    core: Core,
    clock: FakeClock,
    _dir: tempfile::TempDir,
    _db: TestDb,
}

impl T {
    async fn new(db: TestDb) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let key = crate::testing::new_master_key().unwrap();
        let clock = FakeClock::fixed();
        let core = crate::testing::core_on(&db, dir.path(), &key, clock.clone(), |_| {}).await.unwrap();
        Self { core, clock, _dir: dir, _db: db }
    }

    async fn user(&self, email: &str) -> UserId {
        let new = NewUser { email, given_name: None, family_name: None, verified: true, password: None };
        self.core.create_user(new, &META).await.unwrap().id
    }

    /// Creates an organization an hour after the previous one.
    async fn org(&self, name: &str, slug: &str, owner: Option<UserId>) -> OrganizationId {
        self.clock.advance(Duration::hours(1));
        let new = NewOrganization { name, slug: Some(slug), owner };
        self.core.create_organization(Actor::Operator, new, &META).await.unwrap().id
    }

    async fn slugs(&self, search: &str, sort: OrganizationSort, page: i64) -> Vec<String> {
        let q = OrganizationQuery { search, sort, page };
        let d = self.core.organization_directory(Actor::Operator, q).await.unwrap();
        d.organizations.into_iter().map(|o| o.organization.slug).collect()
    }
}

async fn the_list_searches_names_and_short_names_counts_members_and_sorts(t: &T) {
    let ada = t.user("ada@example.com").await;
    let bob = t.user("bob@example.com").await;
    let acme = t.org("Acme Widgets", "acme", Some(ada)).await;
    t.org("beta Labs", "zz-beta", None).await;
    t.org("Zeta 100%", "zeta", Some(bob)).await;
    t.core.add_organization_member(Actor::Operator, acme, bob, "member", &META).await.unwrap();
    let guest = t.user("gus@example.com").await;
    t.core.add_organization_member(Actor::Operator, acme, guest, "guest", &META).await.unwrap();

    assert_eq!(t.slugs("", OrganizationSort::Name, 0).await, ["acme", "zz-beta", "zeta"], "case-blind");
    assert_eq!(t.slugs("", OrganizationSort::NameDescending, 0).await, ["zeta", "zz-beta", "acme"]);
    assert_eq!(t.slugs("", OrganizationSort::Newest, 0).await, ["zeta", "zz-beta", "acme"]);
    assert_eq!(t.slugs("", OrganizationSort::Oldest, 0).await, ["acme", "zz-beta", "zeta"]);
    assert_eq!(t.slugs("WIDGET", OrganizationSort::Name, 0).await, ["acme"], "by name, any case");
    assert_eq!(t.slugs("zz-", OrganizationSort::Name, 0).await, ["zz-beta"], "by short name");
    assert_eq!(t.slugs("0%", OrganizationSort::Name, 0).await, ["zeta"], "wildcards taken literally");
    assert!(t.slugs("nothing", OrganizationSort::Name, 0).await.is_empty());

    let q = OrganizationQuery { search: "", sort: OrganizationSort::Name, page: 0 };
    let d = t.core.organization_directory(Actor::Operator, q).await.unwrap();
    assert_eq!((d.total, d.page, d.has_next), (3, 0, false));
    let counts: Vec<_> = d.organizations.iter().map(|o| (o.members, o.guests)).collect();
    assert_eq!(counts, [(2, 1), (0, 0), (1, 0)]);
    assert_eq!(OrganizationSort::parse("-created"), OrganizationSort::Newest);
    assert_eq!(OrganizationSort::parse("bogus"), OrganizationSort::Name);
}
core_test!(the_list_searches_names_and_short_names_counts_members_and_sorts);

async fn the_list_pages_up_to_its_cap(t: &T) {
    for i in 0..ORGANIZATIONS_PER_PAGE + 2 {
        t.org(&format!("Org {i:03}"), &format!("org-{i:03}"), None).await;
    }
    let q = OrganizationQuery { search: "org", sort: OrganizationSort::Name, page: 0 };
    let first = t.core.organization_directory(Actor::Operator, q).await.unwrap();
    assert_eq!((first.organizations.len(), first.has_next, first.total), (50, true, 52));
    let second = t.core.organization_directory(Actor::Operator, OrganizationQuery { page: 1, ..q }).await.unwrap();
    let slugs: Vec<_> = second.organizations.iter().map(|o| o.organization.slug.as_str()).collect();
    assert_eq!((slugs, second.has_next), (vec!["org-050", "org-051"], false));
    let far = t.core.organization_directory(Actor::Operator, OrganizationQuery { page: 1_000_000, ..q }).await.unwrap();
    assert_eq!((far.page, far.organizations.len()), (MAX_DIRECTORY_PAGE, 0), "clamped, not an error");
    let negative = t.core.organization_directory(Actor::Operator, OrganizationQuery { page: -3, ..q }).await.unwrap();
    assert_eq!(negative.page, 0);
}
core_test!(the_list_pages_up_to_its_cap);

async fn only_operators_list_and_a_search_with_control_characters_is_a_form_error(t: &T) {
    let ada = t.user("ada@example.com").await;
    t.org("Acme", "acme", Some(ada)).await;
    let q = OrganizationQuery { search: "", sort: OrganizationSort::Name, page: 0 };
    assert!(matches!(t.core.organization_directory(Actor::User(ada), q).await, Err(Error::Forbidden)));
    let bad = OrganizationQuery { search: "a\u{0}b", ..q };
    match t.core.organization_directory(Actor::Operator, bad).await {
        Err(Error::Invalid(e)) => assert_eq!(e.0[0].field, "q"),
        other => panic!("{other:?}"),
    }
}
core_test!(only_operators_list_and_a_search_with_control_characters_is_a_form_error);
