//! The operator's user directory and account changes on both databases: search by prefix,
//! name and status in pages, reach limited to an organization, versions that refuse stale
//! writes, imported hashes that sign in, an operator's closing that cannot be undone by the
//! user, and idempotency keys.

use secrecy::SecretString;

use super::admin::NewUser;
use super::directory::UserQuery;
use super::profile::ProfileField;
use super::sign_in::SignInOutcome;
use super::{User, UserStatus};
use crate::Core;
use crate::api_tokens::idempotency::{Idempotency, request_fingerprint};
use crate::api_tokens::{ApiPrincipal, NewApiToken};
use crate::audit::RequestMeta;
use crate::clock::FakeClock;
use crate::error::{Code, Error};
use crate::ids::{OrganizationId, UserId};
use crate::organizations::{Actor, NewOrganization};
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

    async fn org(&self, slug: &'static str, owner: UserId) -> OrganizationId {
        let new = NewOrganization { name: slug, slug: Some(slug), owner: Some(owner) };
        self.core.create_organization(Actor::Operator, new, &META).await.unwrap().id
    }

    async fn emails(&self, within: Option<OrganizationId>, q: UserQuery) -> Vec<String> {
        let page = self.core.search_users(OP, within, &q).await.unwrap();
        page.items.into_iter().map(|r| r.record.user.email).collect()
    }
}

fn query(email: Option<&str>, name: Option<&str>) -> UserQuery {
    UserQuery { email_prefix: email.map(Into::into), name: name.map(Into::into), ..UserQuery::default() }
}

async fn search_matches_prefixes_names_and_statuses_in_address_order(t: &T) {
    t.user("zoe@example.com", Some("Zoë"), Some("Öztürk")).await;
    t.user("ada@example.com", Some("Ada"), Some("Lovelace")).await;
    t.user("ada_b@example.com", None, None).await;
    t.user("adam@example.org", Some("Adam"), Some("Smith")).await;
    let bob = t.user("Bob@Example.com", None, None).await;
    assert_eq!(
        t.emails(None, query(Some("ADA"), None)).await,
        ["ada@example.com", "ada_b@example.com", "adam@example.org"]
    );
    // `_` and `%` are letters in a prefix, not wildcards.
    assert_eq!(t.emails(None, query(Some("ada_"), None)).await, ["ada_b@example.com"]);
    assert_eq!(t.emails(None, query(Some("bob@"), None)).await, ["Bob@example.com"]);
    // Names match anywhere, case-insensitively, beyond ASCII (the same on both databases).
    assert_eq!(t.emails(None, query(None, Some("öztü"))).await, ["zoe@example.com"]);
    assert_eq!(t.emails(None, query(None, Some("LOVE"))).await, ["ada@example.com"]);
    assert_eq!(t.emails(None, query(Some("ada"), Some("smith"))).await, ["adam@example.org"]);
    t.core.disable_user(OP, bob.id, &META).await.unwrap();
    let disabled = UserQuery { status: Some(UserStatus::Disabled), ..UserQuery::default() };
    assert_eq!(t.emails(None, disabled).await, ["Bob@example.com"]);
    assert!(t.emails(None, query(Some("nobody"), None)).await.is_empty());
}
core_test!(search_matches_prefixes_names_and_statuses_in_address_order);

async fn pages_follow_each_other_without_gaps_or_repeats(t: &T) {
    for i in 0..7 {
        t.user(&format!("user{i}@example.com"), None, None).await;
    }
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let q = UserQuery { limit: Some(3), cursor: cursor.clone(), ..UserQuery::default() };
        let page = t.core.search_users(OP, None, &q).await.unwrap();
        assert!(page.items.len() <= 3);
        seen.extend(page.items.into_iter().map(|r| r.record.user.email));
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    let expected: Vec<String> = (0..7).map(|i| format!("user{i}@example.com")).collect();
    assert_eq!(seen, expected);
    // An exact last page says there is no next one.
    let q = UserQuery { limit: Some(7), ..UserQuery::default() };
    assert!(t.core.search_users(OP, None, &q).await.unwrap().next_cursor.is_none());
    let bad = UserQuery { cursor: Some("garbage".into()), limit: Some(0), ..UserQuery::default() };
    let Err(Error::Invalid(errors)) = t.core.search_users(OP, None, &bad).await else { panic!() };
    assert_eq!(errors.for_field("cursor").count() + errors.for_field("limit").count(), 2);
}
core_test!(pages_follow_each_other_without_gaps_or_repeats);

async fn an_organization_sees_only_its_people_and_users_need_members_read(t: &T) {
    let owner = t.user("owner@acme.example", None, None).await;
    let other = t.user("owner@globex.example", None, None).await;
    let acme = t.org("acme", owner.id).await;
    t.org("globex", other.id).await;
    assert_eq!(t.emails(Some(acme), UserQuery::default()).await, ["owner@acme.example"]);
    let e = t.core.user_within(OP, Some(acme), other.id).await.unwrap_err();
    assert!(matches!(e, Error::NotFound), "{e:?}");
    let as_owner = t.core.search_users(Actor::User(owner.id), Some(acme), &UserQuery::default()).await.unwrap();
    assert_eq!(as_owner.items.len(), 1);
    let e = t.core.search_users(Actor::User(other.id), Some(acme), &UserQuery::default()).await.unwrap_err();
    assert!(matches!(e, Error::NotFound | Error::Forbidden), "{e:?}");
    let e = t.core.search_users(Actor::User(owner.id), None, &UserQuery::default()).await.unwrap_err();
    assert!(matches!(e, Error::Forbidden), "only the operator reads the whole directory: {e:?}");
}
core_test!(an_organization_sees_only_its_people_and_users_need_members_read);

async fn a_stale_version_changes_nothing_and_hidden_fields_are_refused(t: &T) {
    let ada = t.user("ada@example.com", Some("Ada"), Some("Lovelace")).await;
    let read = t.core.user_within(OP, None, ada.id).await.unwrap();
    let change = [(ProfileField::Company, Some("Analytical Engines".to_owned()))];
    let after = t.core.update_account_profile(OP, ada.id, &change, Some(&read.version), &META).await.unwrap();
    assert_eq!(after.profile.company.as_deref(), Some("Analytical Engines"));
    assert_ne!(after.version, read.version, "a change makes a new version");
    assert_eq!(after.profile.given_name.as_deref(), Some("Ada"), "fields not named are kept");
    let again = [(ProfileField::Company, None)];
    let Err(Error::Refused { code, .. }) =
        t.core.update_account_profile(OP, ada.id, &again, Some(&read.version), &META).await
    else {
        panic!("a stale version must be refused")
    };
    assert_eq!(code, Code::PreconditionFailed);
    assert_eq!(
        t.core.user_within(OP, None, ada.id).await.unwrap().profile.company.as_deref(),
        Some("Analytical Engines")
    );
    let hidden = [(ProfileField::Phone, Some("+49 30 1234567".to_owned()))];
    let Err(Error::Invalid(errors)) = t.core.update_account_profile(OP, ada.id, &hidden, None, &META).await else {
        panic!()
    };
    assert_eq!(errors.for_field("phone").next().map(|e| e.code), Some("not_collected"));
    let bad = [(ProfileField::Country, Some("XX".to_owned())), (ProfileField::GivenName, None)];
    let Err(Error::Invalid(errors)) = t.core.update_account_profile(OP, ada.id, &bad, None, &META).await else {
        panic!()
    };
    assert_eq!(errors.for_field("country").next().map(|e| e.code), Some("unknown_country"));
    assert_eq!(errors.for_field("given_name").next().map(|e| e.code), Some("required"));
    let e = t.core.update_account_profile(Actor::User(ada.id), ada.id, &change, None, &META).await.unwrap_err();
    assert!(matches!(e, Error::Forbidden), "{e:?}");
}
core_test!(a_stale_version_changes_nothing_and_hidden_fields_are_refused);

async fn an_imported_bcrypt_hash_signs_in_and_bad_hashes_are_refused(t: &T) {
    let hash = bcrypt::hash("imported secret 42", 4).unwrap();
    let new = NewUser { email: "old@example.com", given_name: None, family_name: None, verified: true, password: None };
    let record = t.core.create_account(OP, new, Some(&hash), &META).await.unwrap();
    assert!(record.user.has_password);
    let pw = SecretString::from("imported secret 42");
    let Ok(SignInOutcome::SignedIn(_)) = t.core.sign_in_with_password("old@example.com", &pw, &META).await else {
        panic!("the imported password signs in")
    };
    for bad in ["$2b$04$short", "plaintext", "$argon2id$v=19$m=9999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"] {
        let new =
            NewUser { email: "bad@example.com", given_name: None, family_name: None, verified: true, password: None };
        let Err(Error::Invalid(errors)) = t.core.create_account(OP, new, Some(bad), &META).await else {
            panic!("{bad} must be refused")
        };
        assert_eq!(errors.for_field("password_hash").next().map(|e| e.code), Some("unsupported_hash"), "{bad}");
    }
    let new = NewUser {
        email: "both@example.com",
        given_name: None,
        family_name: None,
        verified: true,
        password: Some(SecretString::from("another long secret 7")),
    };
    let Err(Error::Invalid(errors)) = t.core.create_account(OP, new, Some(&hash), &META).await else { panic!() };
    assert_eq!(errors.for_field("password_hash").next().map(|e| e.code), Some("conflict"));
}
core_test!(an_imported_bcrypt_hash_signs_in_and_bad_hashes_are_refused);

async fn an_operators_closing_cannot_be_reactivated_by_signing_in(t: &T) {
    let hash = bcrypt::hash("imported secret 42", 4).unwrap();
    let new =
        NewUser { email: "gone@example.com", given_name: None, family_name: None, verified: true, password: None };
    let id = t.core.create_account(OP, new, Some(&hash), &META).await.unwrap().user.id;
    t.core.disable_user(OP, id, &META).await.unwrap();
    let closed = t.core.close_account_as_operator(OP, id, &META).await.unwrap();
    assert_eq!(closed.user.status, UserStatus::Closing, "a disabled account can be closed by the operator");
    assert_eq!(closed.purge_at, Some(t.core.clock().now() + t.core.closing_grace()));
    let pw = SecretString::from("imported secret 42");
    let Err(e) = t.core.sign_in_with_password("gone@example.com", &pw, &META).await else { panic!("no sign-in") };
    assert!(matches!(e, Error::Conflict(Code::AccountDisabled)), "{e:?}");
    let Err(Error::Refused { code: Code::Forbidden, .. }) = t.core.close_account_as_operator(OP, id, &META).await
    else {
        panic!("closing twice is refused")
    };
    let Err(Error::Refused { code: Code::Forbidden, .. }) = t.core.enable_user(OP, id, &META).await else {
        panic!("a closed account is not enabled again")
    };
}
core_test!(an_operators_closing_cannot_be_reactivated_by_signing_in);

async fn token(t: &T) -> ApiPrincipal {
    let new = NewApiToken { name: "sync".into(), scopes: vec!["users:write".into()], organization: None, days: None };
    let made = t.core.create_api_token(OP, new, &META).await.unwrap();
    t.core.authenticate_api_token(secrecy::ExposeSecret::expose_secret(&made.token)).await.unwrap()
}

async fn an_idempotency_key_runs_once_and_is_not_reused_for_another_request(t: &T) {
    let p = token(t).await;
    let first = request_fingerprint("POST", "/api/v1/users", b"{\"email\":\"a@example.com\"}");
    let other = request_fingerprint("POST", "/api/v1/users", b"{\"email\":\"b@example.com\"}");
    assert_eq!(t.core.idempotency_begin(p.credential.id(), "k1", &first).await.unwrap(), Idempotency::Proceed);
    let Err(Error::Refused { code: Code::IdempotencyKeyInUse, .. }) =
        t.core.idempotency_begin(p.credential.id(), "k1", &first).await
    else {
        panic!("a retry while the first runs is refused")
    };
    t.core.idempotency_finish(p.credential.id(), "k1", 201, "{\"id\":1}").await.unwrap();
    let replay = Idempotency::Replay { status: 201, body: "{\"id\":1}".into() };
    assert_eq!(t.core.idempotency_begin(p.credential.id(), "k1", &first).await.unwrap(), replay);
    let Err(Error::Refused { code: Code::IdempotencyKeyReused, .. }) =
        t.core.idempotency_begin(p.credential.id(), "k1", &other).await
    else {
        panic!("a key reused for another body is refused")
    };
    // A claim whose request died is given up after a minute; a released one at once.
    assert_eq!(t.core.idempotency_begin(p.credential.id(), "k2", &first).await.unwrap(), Idempotency::Proceed);
    t.clock.advance(time::Duration::seconds(61));
    assert_eq!(t.core.idempotency_begin(p.credential.id(), "k2", &first).await.unwrap(), Idempotency::Proceed);
    t.core.idempotency_release(p.credential.id(), "k2").await.unwrap();
    assert_eq!(t.core.idempotency_begin(p.credential.id(), "k2", &other).await.unwrap(), Idempotency::Proceed);
    // After a day the key is free again.
    t.clock.advance(time::Duration::hours(25));
    assert_eq!(t.core.idempotency_begin(p.credential.id(), "k1", &other).await.unwrap(), Idempotency::Proceed);
    let Err(Error::Refused { code: Code::MalformedRequest, .. }) =
        t.core.idempotency_begin(p.credential.id(), "a b", &first).await
    else {
        panic!("a key with a space is refused")
    };
}
core_test!(an_idempotency_key_runs_once_and_is_not_reused_for_another_request);

/// The create's own transaction marks the claim: when its answer is lost (the node stops before
/// storing it), a retry is told so and never creates again; a create that changed nothing
/// (refused before any commit) is run again once its claim is abandoned.
async fn a_create_whose_answer_was_lost_is_never_run_again(t: &T) {
    let p = token(t).await;
    let caller = p.credential.id();
    let fp = request_fingerprint("POST", "/api/v1/users", b"{\"email\":\"lost@example.com\"}");
    assert_eq!(t.core.idempotency_begin(caller, "lost", &fp).await.unwrap(), Idempotency::Proceed);
    let new =
        NewUser { email: "lost@example.com", given_name: None, family_name: None, verified: true, password: None };
    let created = t.core.within_idempotency_claim(caller, "lost", t.core.create_account(OP, new, None, &META)).await;
    assert!(created.is_ok(), "{created:?}");
    // No finish: the answer is lost. A minute later the claim is not taken over.
    t.clock.advance(time::Duration::seconds(61));
    let Err(Error::Refused { code: Code::IdempotencyAnswerLost, .. }) =
        t.core.idempotency_begin(caller, "lost", &fp).await
    else {
        panic!("a retry of a create that committed is never run again")
    };

    assert_eq!(t.core.idempotency_begin(caller, "refused", &fp).await.unwrap(), Idempotency::Proceed);
    let bad = NewUser { email: "not an address", given_name: None, family_name: None, verified: true, password: None };
    let refused = t.core.within_idempotency_claim(caller, "refused", t.core.create_account(OP, bad, None, &META)).await;
    assert!(refused.is_err());
    t.clock.advance(time::Duration::seconds(61));
    assert_eq!(t.core.idempotency_begin(caller, "refused", &fp).await.unwrap(), Idempotency::Proceed);
    // A stored answer still wins over the mark.
    t.core.idempotency_finish(caller, "refused", 422, "{}").await.unwrap();
    let replay = Idempotency::Replay { status: 422, body: "{}".into() };
    assert_eq!(t.core.idempotency_begin(caller, "refused", &fp).await.unwrap(), replay);
}
core_test!(a_create_whose_answer_was_lost_is_never_run_again);

/// A control character in a search term is refused naming the field (PostgreSQL refuses a NUL
/// in text outright: it was a 500 there).
async fn a_search_with_a_control_character_is_refused_naming_the_field(t: &T) {
    for (q, field) in [(query(Some("a\u{0}b"), None), "email"), (query(None, Some("x\u{0}")), "name")] {
        match t.core.search_users(OP, None, &q).await {
            Err(Error::Invalid(e)) => assert_eq!(e.0[0].field, field, "{e:?}"),
            other => panic!("expected a field error, got {other:?}"),
        }
    }
    let owner = t.user("owner@example.com", None, None).await;
    let new = NewOrganization { name: "Acme", slug: Some("acme"), owner: Some(owner.id) };
    let org = t.core.create_organization(OP, new, &META).await.unwrap().id;
    match t.core.organization_members(OP, org, "s\u{0}i", 0).await {
        Err(Error::Invalid(e)) => assert_eq!(e.0[0].field, "search", "{e:?}"),
        other => panic!("expected a field error, got {other:?}"),
    }
    assert_eq!(t.core.organization_members(OP, org, "owner", 0).await.unwrap().members.len(), 1);
}
core_test!(a_search_with_a_control_character_is_refused_naming_the_field);

async fn two_requests_racing_with_one_key_do_not_both_run(t: &T) {
    let p = token(t).await;
    let fp = request_fingerprint("POST", "/api/v1/users", b"{}");
    for round in 0..10 {
        let key = format!("race-{round}");
        let (a, b) = tokio::join!(
            t.core.idempotency_begin(p.credential.id(), &key, &fp),
            t.core.idempotency_begin(p.credential.id(), &key, &fp)
        );
        let proceeded = [&a, &b].iter().filter(|r| matches!(r, Ok(Idempotency::Proceed))).count();
        assert_eq!(proceeded, 1, "round {round}: {a:?} {b:?}");
        for r in [a, b] {
            assert!(matches!(
                r,
                Ok(Idempotency::Proceed) | Err(Error::Refused { code: Code::IdempotencyKeyInUse, .. })
            ));
        }
    }
}
core_test!(two_requests_racing_with_one_key_do_not_both_run);
