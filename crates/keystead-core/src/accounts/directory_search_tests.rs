//! The directory search of issue 17 on both databases: one term found as an address, a name's
//! word or an id; filters by status, second factor and organization (both ways of reading an
//! organization give the same accounts); pages over several branches without gaps or repeats;
//! orders by address and by creation; name keys and the second-factor flag kept current.

use super::admin::NewUser;
use super::directory::{UserOrder, UserQuery};
use super::profile::ProfileField;
use super::{User, UserStatus};
use crate::Core;
use crate::audit::RequestMeta;
use crate::clock::FakeClock;
use crate::error::Error;
use crate::ids::{OrganizationId, UserId};
use crate::organizations::{Actor, NewOrganization};
use crate::store::user_directory::{self, Branch, Drive, Filters, ListOrder, OrgFilter};
use crate::testing::{TestDb, core_test};

const META: RequestMeta = RequestMeta { ip: None, user_agent: None, via: None, operator: None };
const OP: Actor = Actor::Operator;

struct T {
    core: Core,
    clock: FakeClock,
    _dir: tempfile::TempDir,
    _db: TestDb,
}

impl T {
    async fn new(db: TestDb) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let clock = FakeClock::fixed();
        let key = crate::testing::new_master_key().unwrap();
        let core = crate::testing::core_on(&db, dir.path(), &key, clock.clone(), |_| {}).await.unwrap();
        Self { core, clock, _dir: dir, _db: db }
    }

    async fn user(&self, email: &str, given: Option<&str>, family: Option<&str>) -> User {
        let new = NewUser { email, given_name: given, family_name: family, verified: true, password: None };
        self.core.create_user(new, &META).await.unwrap()
    }

    async fn emails(&self, q: UserQuery) -> Vec<String> {
        let page = self.core.search_users(OP, None, &q).await.unwrap();
        page.items.into_iter().map(|e| e.record.user.email).collect()
    }

    async fn find(&self, text: &str) -> Vec<String> {
        self.emails(UserQuery { text: Some(text.into()), ..UserQuery::default() }).await
    }

    async fn org(&self, slug: &'static str, owner: UserId) -> OrganizationId {
        let new = NewOrganization { name: slug, slug: Some(slug), owner: Some(owner) };
        self.core.create_organization(OP, new, &META).await.unwrap().id
    }

    async fn set_mfa(&self, user: UserId, on: bool) {
        if on {
            let mut tx = self.core.store().begin().await.unwrap();
            crate::store::mfa::enable_email(tx.db(), user, self.core.clock().now()).await.unwrap();
            tx.commit().await.unwrap();
        } else {
            self.core.reset_mfa(OP, user, &META).await.unwrap();
        }
    }
}

async fn one_term_finds_addresses_names_and_ids(t: &T) {
    let ada = t.user("ada@example.com", Some("Ada"), Some("Lovelace")).await;
    t.user("lovelace.fan@example.org", Some("Grace"), Some("Hopper")).await;
    t.user("mueller@example.com", Some("Anna Maria"), Some("Schmidt-Weber")).await;
    t.user("zoe@example.com", Some("Zoë"), Some("Öztürk")).await;
    // A name's word prefix, from any word, across hyphens and beyond ASCII.
    assert_eq!(t.find("weber").await, ["mueller@example.com"]);
    assert_eq!(t.find("Maria Sch").await, ["mueller@example.com"]);
    assert_eq!(t.find("ÖZTÜ").await, ["zoe@example.com"]);
    assert!(t.find("elace").await.is_empty(), "names match by word prefix, not anywhere");
    // An address prefix and a name together, by what matched: "lovelace" (Ada's name) sorts
    // before "lovelace.fan@…" (an address); each account once.
    assert_eq!(t.find("lovelace").await, ["ada@example.com", "lovelace.fan@example.org"]);
    // With '@' only addresses.
    assert_eq!(t.find("ADA@").await, ["ada@example.com"]);
    assert!(t.find("lovelace@").await.is_empty());
    // An id prefix, with or without dashes, comes first.
    let id = ada.id.to_string();
    assert_eq!(t.find(&id).await, ["ada@example.com"]);
    assert!(t.find(&id.replace('-', "")[..12].to_uppercase()).await.contains(&"ada@example.com".to_owned()));
    // A term that looks like nothing finds nothing; `%` and `_` are letters.
    assert!(t.find("nobody").await.is_empty());
    assert!(t.find("%").await.is_empty() && t.find("_").await.is_empty());
}
core_test!(one_term_finds_addresses_names_and_ids);

async fn name_keys_follow_renames_and_the_purge(t: &T) {
    let u = t.user("rename@example.com", Some("Old"), Some("Name")).await;
    assert_eq!(t.find("old").await, ["rename@example.com"]);
    let change =
        [(ProfileField::GivenName, Some("Brand".to_owned())), (ProfileField::FamilyName, Some("New".to_owned()))];
    t.core.update_account_profile(OP, u.id, &change, None, &META).await.unwrap();
    assert!(t.find("old").await.is_empty());
    assert_eq!(t.find("brand new").await, ["rename@example.com"]);
    t.core.close_account_as_operator(OP, u.id, &META).await.unwrap();
    t.clock.advance(t.core.closing_grace() + time::Duration::days(1));
    assert_eq!(t.core.purge_closed_accounts().await.unwrap(), 1);
    let purged = UserQuery { text: Some("brand".into()), status: Some(UserStatus::Purged), ..UserQuery::default() };
    assert!(t.emails(purged).await.is_empty(), "the purge erases the name's keys");
    let purged = UserQuery { status: Some(UserStatus::Purged), ..UserQuery::default() };
    assert_eq!(t.emails(purged).await.len(), 1);
}
core_test!(name_keys_follow_renames_and_the_purge);

async fn filters_by_status_second_factor_and_organization(t: &T) {
    let owner = t.user("owner@example.com", Some("Olga"), Some("Owner")).await;
    let anna = t.user("anna@example.com", Some("Anna"), Some("Becker")).await;
    let ben = t.user("ben@example.com", Some("Ben"), Some("Becker")).await;
    t.user("cem@example.com", Some("Cem"), Some("Becker")).await;
    t.core.disable_user(OP, ben.id, &META).await.unwrap();
    t.set_mfa(anna.id, true).await;
    t.set_mfa(owner.id, true).await;
    let acme = t.org("acme", owner.id).await;
    t.core.add_organization_member(OP, acme, anna.id, "member", &META).await.unwrap();
    t.core.add_organization_member(OP, acme, ben.id, "member", &META).await.unwrap();
    let q = |status, mfa, organization| UserQuery { status, mfa, organization, ..UserQuery::default() };
    assert_eq!(t.emails(q(Some(UserStatus::Disabled), None, None)).await, ["ben@example.com"]);
    assert_eq!(t.emails(q(None, Some(true), None)).await, ["anna@example.com", "owner@example.com"]);
    assert_eq!(t.emails(q(None, Some(false), None)).await, ["ben@example.com", "cem@example.com"]);
    assert_eq!(t.emails(q(None, None, Some(acme))).await, ["anna@example.com", "ben@example.com", "owner@example.com"]);
    assert_eq!(
        t.emails(q(Some(UserStatus::Active), Some(true), Some(acme))).await,
        ["anna@example.com", "owner@example.com"]
    );
    let becker = |mfa| UserQuery { text: Some("becker".into()), mfa, organization: Some(acme), ..UserQuery::default() };
    assert_eq!(t.emails(becker(None)).await, ["anna@example.com", "ben@example.com"]);
    assert_eq!(t.emails(becker(Some(false))).await, ["ben@example.com"]);
    // An operator's reset clears the flag (a trigger keeps it, whoever writes the methods).
    t.set_mfa(anna.id, false).await;
    assert_eq!(t.emails(q(None, Some(true), None)).await, ["owner@example.com"]);
    // An organization reader sees its own people only, whatever organization it asks for.
    let other = t.org("other", ben.id).await;
    let within = t.core.search_users(OP, Some(acme), &q(None, None, Some(other))).await.unwrap();
    assert!(within.items.is_empty());
}
core_test!(filters_by_status_second_factor_and_organization);

/// The two ways of reading an organization (its members first, or each account checked in the
/// order of the branch) give the same rows for every kind of branch.
async fn both_ways_of_reading_an_organization_agree(t: &T) {
    let owner = t.user("owner@example.com", Some("Olga"), Some("Becker")).await;
    let acme = t.org("acme", owner.id).await;
    for i in 0..12 {
        let u = t.user(&format!("b{i:02}@example.com"), Some("Bea"), Some(&format!("Becker{i}"))).await;
        if i % 3 != 0 {
            t.core.add_organization_member(OP, acme, u.id, "member", &META).await.unwrap();
        }
    }
    let all = t.emails(UserQuery { order: UserOrder::OldestFirst, ..UserQuery::default() }).await;
    assert_eq!(all.len(), 13);
    let (low, high) = (UserId(uuid::Uuid::nil()), UserId(uuid::Uuid::max()));
    let drives = [
        Drive::All(ListOrder::Email),
        Drive::All(ListOrder::Created),
        Drive::Email("b"),
        Drive::Name("bea"),
        Drive::Name("becker"),
        Drive::Id(low, high),
    ];
    let mut conn = t.core.store().conn().await.unwrap();
    for drive in drives {
        let mut got = Vec::new();
        for small in [true, false] {
            let f = Filters { organization: Some(OrgFilter { id: acme, small }), ..Filters::default() };
            let b = Branch { drive, descending: false, not_ids: None, after: None, limit: 50 };
            let rows = user_directory::branch(conn.db(), &f, &b).await.unwrap();
            got.push(rows.into_iter().map(|r| r.user.email).collect::<Vec<_>>());
        }
        assert_eq!(got[0], got[1], "{drive:?}");
        assert!(got[0].len() >= 8, "{drive:?}: {:?}", got[0]);
    }
}
core_test!(both_ways_of_reading_an_organization_agree);

async fn pages_of_a_search_and_of_each_order_follow_each_other(t: &T) {
    let mut made = Vec::new();
    for i in 0..9 {
        // Addresses "becker…" and names "… Becker" interleave in one order.
        let email = if i % 2 == 0 { format!("becker{i}@example.com") } else { format!("u{i}@example.com") };
        made.push(t.user(&email, Some("Bo"), Some(if i % 3 == 0 { "Becker" } else { "Beck" })).await.email);
    }
    let walk = |q: UserQuery| async move {
        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let q = UserQuery { limit: Some(2), cursor: cursor.clone(), ..q.clone() };
            let page = t.core.search_users(OP, None, &q).await.unwrap();
            assert!(page.items.len() <= 2);
            seen.extend(page.items.into_iter().map(|e| e.record.user.email));
            match page.next_cursor {
                Some(c) => cursor = Some(c),
                None => break seen,
            }
        }
    };
    let search = UserQuery { text: Some("beck".into()), ..UserQuery::default() };
    let whole = t.emails(UserQuery { limit: Some(50), ..search.clone() }).await;
    assert_eq!(whole.len(), 9);
    assert_eq!(walk(search).await, whole, "pages of a search neither skip nor repeat");
    let mut by_address = made.clone();
    by_address.sort();
    assert_eq!(walk(UserQuery::default()).await, by_address);
    by_address.reverse();
    assert_eq!(walk(UserQuery { order: UserOrder::EmailDescending, ..UserQuery::default() }).await, by_address);
    assert_eq!(walk(UserQuery { order: UserOrder::OldestFirst, ..UserQuery::default() }).await, made);
    made.reverse();
    assert_eq!(walk(UserQuery { order: UserOrder::NewestFirst, ..UserQuery::default() }).await, made);
    // A cursor of one order is refused by another.
    let first = t.core.search_users(OP, None, &UserQuery { limit: Some(2), ..UserQuery::default() }).await.unwrap();
    let other = UserQuery { order: UserOrder::NewestFirst, cursor: first.next_cursor, ..UserQuery::default() };
    let Err(Error::Invalid(e)) = t.core.search_users(OP, None, &other).await else { panic!("refused") };
    assert_eq!(e.0[0].field, "cursor");
}
core_test!(pages_of_a_search_and_of_each_order_follow_each_other);

async fn bad_terms_are_field_errors(t: &T) {
    for (q, field) in [
        (UserQuery { text: Some("a\u{0}".into()), ..UserQuery::default() }, "q"),
        (UserQuery { text: Some("a".repeat(321)), ..UserQuery::default() }, "q"),
        (UserQuery { email_prefix: Some("x".repeat(400)), ..UserQuery::default() }, "email"),
    ] {
        match t.core.search_users(OP, None, &q).await {
            Err(Error::Invalid(e)) => assert_eq!(e.0[0].field, field, "{e:?}"),
            other => panic!("expected a field error, got {other:?}"),
        }
    }
    // The longest term allowed is searched (and finds nothing).
    assert!(t.find(&"a".repeat(320)).await.is_empty());
}
core_test!(bad_terms_are_field_errors);

/// Most accounts match "anna" twice (the address and the first name), some three times (a
/// family name starting with it too): each is listed once, where its first match sorts (the
/// name "anna …" before the address "anna.…"), and pages of two walk them all without a repeat.
async fn accounts_matching_a_term_twice_are_listed_once_where_they_first_match(t: &T) {
    for i in 0..7 {
        let family = if i % 3 == 0 { format!("Annaberg{i}") } else { format!("Weber{i}") };
        t.user(&format!("anna.w{i}@example.com"), Some("Anna"), Some(&family)).await;
    }
    t.user("annabel@example.com", None, None).await;
    t.user("zoe@example.com", Some("Zoe"), Some("Annan")).await;
    t.user("bob@example.com", Some("Bob"), None).await;
    let whole = t.find("anna").await;
    assert_eq!(whole.len(), 9, "{whole:?}");
    let mut unique = whole.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 9, "each once: {whole:?}");
    // The Annas first, by their names ("anna " sorts before "anna."), then "annabel@…" before
    // Zoe's family name "annan".
    assert!(whole[..7].iter().all(|e| e.starts_with("anna.w")), "{whole:?}");
    assert_eq!(&whole[7..], ["annabel@example.com", "zoe@example.com"]);
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let q = UserQuery { text: Some("anna".into()), limit: Some(2), cursor: cursor.clone(), ..UserQuery::default() };
        let page = t.core.search_users(OP, None, &q).await.unwrap();
        seen.extend(page.items.into_iter().map(|e| e.record.user.email));
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(seen, whole, "pages neither skip nor repeat");
}
core_test!(accounts_matching_a_term_twice_are_listed_once_where_they_first_match);
