//! Personal access tokens on both databases: made and shown once, found again by the token only,
//! limited to their organization, refused once revoked, expired or when their maker can no
//! longer sign in, and the rules on who may make which.

use secrecy::ExposeSecret as _;
use time::Duration;

use super::*;
use crate::accounts::admin::NewUser;
use crate::clock::FakeClock;
use crate::organizations::NewOrganization;
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
        let clock = FakeClock::fixed();
        let key = crate::testing::new_master_key().unwrap();
        let core = crate::testing::core_on(&db, dir.path(), &key, clock.clone(), |c| c.rate_limits.api_per_token = 3)
            .await
            .unwrap();
        Self { core, clock, _dir: dir, _db: db }
    }

    async fn user(&self, email: &str) -> UserId {
        let new = NewUser { email, given_name: None, family_name: None, verified: true, password: None };
        self.core.create_user(new, &META).await.unwrap().id
    }

    async fn org(&self, slug: &'static str, owner: UserId) -> OrganizationId {
        let new = NewOrganization { name: slug, slug: Some(slug), owner: Some(owner) };
        self.core.create_organization(Actor::Operator, new, &META).await.unwrap().id
    }
}

fn new(name: &str, scopes: &[&str], org: Option<OrganizationId>) -> NewApiToken {
    NewApiToken {
        name: name.into(),
        scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        organization: org,
        days: None,
    }
}

fn codes(e: Error, field: &str) -> Vec<&'static str> {
    match e {
        Error::Invalid(errors) => errors.for_field(field).map(|f| f.code).collect(),
        other => panic!("not a field error: {other:?}"),
    }
}

async fn a_token_is_shown_once_and_then_known_only_by_its_digest(t: &T) {
    let made = t.core.create_api_token(Actor::Operator, new("Shop sync", &["users:read", "orgs:read"], None), &META);
    let made = made.await.unwrap();
    let token = made.token.expose_secret().to_owned();
    assert!(token.starts_with("kst_") && token.len() == 47, "{token}");
    assert_eq!(made.info.prefix, token[..12]);
    assert_eq!(made.info.scopes, [ApiScope::UsersRead, ApiScope::OrgsRead]);
    assert_eq!(made.info.expires_at, Some(t.core.clock().now() + Duration::days(90)));
    let listed = t.core.api_tokens(Actor::Operator, None).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(!format!("{listed:?}").contains(&token[12..]), "lists never hold the token");

    let who = t.core.authenticate_api_token(&token).await.unwrap();
    assert_eq!((who.credential.id(), who.actor, who.organization), (made.info.id.0, Actor::Operator, None));
    who.require(ApiScope::UsersRead).unwrap();
    let Err(Error::Refused { code, .. }) = who.require(ApiScope::UsersWrite) else { panic!("scope") };
    assert_eq!(code, Code::InsufficientScope);
    assert!(t.core.api_tokens(Actor::Operator, None).await.unwrap()[0].last_used_at.is_some());

    let altered = format!("{}x", &token[..token.len() - 1]);
    for bad in [altered.as_str(), "kst_", "Bearer abc", ""] {
        let Err(Error::Refused { code, .. }) = t.core.authenticate_api_token(bad).await else { panic!("{bad}") };
        assert_eq!(code, Code::Unauthenticated, "{bad}");
    }
}
core_test!(a_token_is_shown_once_and_then_known_only_by_its_digest);

async fn revoked_and_expired_tokens_stop_working(t: &T) {
    let a = t.core.create_api_token(Actor::Operator, new("a", &["audit:read"], None), &META).await.unwrap();
    let mut short = new("b", &["audit:read"], None);
    short.days = Some(1);
    let b = t.core.create_api_token(Actor::Operator, short, &META).await.unwrap();
    t.core.revoke_api_token(Actor::Operator, a.info.id, &META).await.unwrap();
    assert!(t.core.authenticate_api_token(a.token.expose_secret()).await.is_err());
    let again = t.core.revoke_api_token(Actor::Operator, a.info.id, &META).await;
    assert!(matches!(again, Err(Error::Refused { code: Code::AlreadyExists, .. })));
    assert!(t.core.authenticate_api_token(b.token.expose_secret()).await.is_ok());
    t.clock.advance(Duration::days(1));
    let Err(Error::Refused { detail, .. }) = t.core.authenticate_api_token(b.token.expose_secret()).await else {
        panic!("expired")
    };
    assert!(detail.contains("expired"), "{detail}");
}
core_test!(revoked_and_expired_tokens_stop_working);

async fn an_organizations_token_reaches_only_it_and_acts_with_its_makers_permissions(t: &T) {
    let ada = t.user("ada@acme.example").await;
    let acme = t.org("acme", ada).await;
    let other = t.org("other", t.user("eve@other.example").await).await;
    let made =
        t.core.create_api_token(Actor::User(ada), new("SCIM from Entra", &["scim", "orgs:read"], Some(acme)), &META);
    let made = made.await.unwrap();
    let who = t.core.authenticate_api_token(made.token.expose_secret()).await.unwrap();
    assert_eq!(who.actor_in(acme).unwrap(), Actor::User(ada));
    assert!(matches!(who.actor_in(other), Err(Error::NotFound)), "another organization is not even seen");
    assert!(matches!(who.deployment_actor(), Err(Error::Forbidden)));

    // Ada cannot make a deployment token, nor one of an organization she does not run.
    let refused = t.core.create_api_token(Actor::User(ada), new("x", &["orgs:read"], None), &META).await;
    assert!(matches!(refused, Err(Error::Forbidden)), "{refused:?}");
    let refused = t.core.create_api_token(Actor::User(ada), new("x", &["orgs:read"], Some(other)), &META).await;
    assert!(refused.is_err());
    assert!(t.core.api_tokens(Actor::User(ada), Some(other)).await.is_err());
    assert_eq!(t.core.api_tokens(Actor::User(ada), Some(acme)).await.unwrap().len(), 1);

    // Her account is disabled: her token stops with it.
    let ada = t.core.user_by_email("ada@acme.example").await.unwrap().id;
    t.core.disable_user(Actor::Operator, ada, &META).await.unwrap();
    assert!(t.core.authenticate_api_token(made.token.expose_secret()).await.is_err());
}
core_test!(an_organizations_token_reaches_only_it_and_acts_with_its_makers_permissions);

async fn bad_requests_name_the_field_and_the_scope(t: &T) {
    let owner = t.user("owner@acme.example").await;
    let acme = t.org("acme", owner).await;
    let e = t.core.create_api_token(Actor::Operator, new("x", &["users:admin"], None), &META).await.unwrap_err();
    assert_eq!(codes(e, "scopes"), ["unknown_scope"]);
    let e = t.core.create_api_token(Actor::Operator, new("x", &["scim"], None), &META).await.unwrap_err();
    assert_eq!(codes(e, "scopes"), ["scope_needs_organization"]);
    let e =
        t.core.create_api_token(Actor::Operator, new("x", &["clients:write"], Some(acme)), &META).await.unwrap_err();
    assert_eq!(codes(e, "scopes"), ["scope_not_for_organizations"]);
    let e = t.core.create_api_token(Actor::Operator, new("", &[], None), &META).await.unwrap_err();
    let Error::Invalid(errors) = &e else { panic!("{e:?}") };
    assert_eq!(errors.for_field("name").count() + errors.for_field("scopes").count(), 2);
    let mut forever = new("x", &["audit:read"], None);
    forever.days = Some(MAX_DAYS + 1);
    let e = t.core.create_api_token(Actor::Operator, forever, &META).await.unwrap_err();
    assert_eq!(codes(e, "days"), ["invalid_days"]);
    assert!(t.core.api_tokens(Actor::Operator, None).await.unwrap().is_empty(), "nothing was made");
}
core_test!(bad_requests_name_the_field_and_the_scope);

async fn a_token_has_a_budget_of_requests_per_minute(t: &T) {
    let made = t.core.create_api_token(Actor::Operator, new("busy", &["audit:read"], None), &META).await.unwrap();
    let token = made.token.expose_secret().to_owned();
    for _ in 0..3 {
        t.core.authenticate_api_token(&token).await.unwrap();
    }
    let Err(Error::RateLimited { retry_after }) = t.core.authenticate_api_token(&token).await else {
        panic!("the fourth request in a minute is refused")
    };
    assert!(retry_after <= std::time::Duration::from_secs(60), "{retry_after:?}");
    let other = t.core.create_api_token(Actor::Operator, new("quiet", &["audit:read"], None), &META).await.unwrap();
    t.core.authenticate_api_token(other.token.expose_secret()).await.expect("budgets are per token");
    t.clock.advance(Duration::minutes(1));
    t.core.authenticate_api_token(&token).await.expect("a new minute, a new budget");
}
core_test!(a_token_has_a_budget_of_requests_per_minute);
