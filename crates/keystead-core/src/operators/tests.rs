//! The operator role on both databases: granting and taking it, the audit trail naming the
//! console's operator as actor, and the refusals (a user, an inactive account, the last one).

use crate::Core;
use crate::accounts::User;
use crate::accounts::admin::NewUser;
use crate::audit::RequestMeta;
use crate::clock::FakeClock;
use crate::error::Error;
use crate::organizations::Actor;
use crate::testing::{TestDb, core_test};

const META: RequestMeta = RequestMeta { ip: None, user_agent: None, via: None, operator: None };
const OP: Actor = Actor::Operator;

struct T {
    core: Core,
    _dir: tempfile::TempDir,
    _db: TestDb,
}

impl T {
    async fn new(db: TestDb) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let key = crate::testing::new_master_key().unwrap();
        let core = crate::testing::core_on(&db, dir.path(), &key, FakeClock::fixed(), |_| {}).await.unwrap();
        Self { core, _dir: dir, _db: db }
    }

    async fn user(&self, email: &str, verified: bool) -> User {
        let new = NewUser { email, given_name: Some("Ada"), family_name: Some("Lovelace"), verified, password: None };
        self.core.create_user(new, &META).await.unwrap()
    }
}

async fn granting_and_revoking_is_listed_and_audited_with_the_operator_as_actor(t: &T) {
    let ada = t.user("ada@example.com", true).await;
    let bob = t.user("bob@example.com", true).await;
    assert!(!t.core.is_operator(ada.id).await.unwrap());
    assert!(t.core.grant_operator(OP, ada.id, &RequestMeta::cli()).await.unwrap());
    assert!(!t.core.grant_operator(OP, ada.id, &RequestMeta::cli()).await.unwrap(), "already one");
    assert!(t.core.is_operator(ada.id).await.unwrap());
    // Ada, in the console, grants the role to Bob: the audit log names her.
    let console = RequestMeta::new(None, Some("browser")).by_operator(ada.id);
    assert!(t.core.grant_operator(OP, bob.id, &console).await.unwrap());
    let listed = t.core.operators(OP).await.unwrap();
    let emails: Vec<_> = listed.iter().map(|o| (o.email.as_str(), o.granted_by.as_deref())).collect();
    assert_eq!(emails, [("ada@example.com", None), ("bob@example.com", Some("ada@example.com"))]);
    assert_eq!(listed[0].name.as_deref(), Some("Ada Lovelace"));
    let events = t.core.audit_events_for(bob.id, 10).await.unwrap();
    let granted = events.iter().find(|e| e.action == "operator.granted").unwrap();
    assert_eq!(granted.actor, Some(ada.id));
    assert!(t.core.revoke_operator(OP, bob.id, &console).await.unwrap());
    assert!(!t.core.is_operator(bob.id).await.unwrap());
    assert!(!t.core.revoke_operator(OP, bob.id, &console).await.unwrap(), "no longer one");
    let events = t.core.audit_events_for(bob.id, 10).await.unwrap();
    assert_eq!(events.iter().find(|e| e.action == "operator.revoked").unwrap().actor, Some(ada.id));
}
core_test!(granting_and_revoking_is_listed_and_audited_with_the_operator_as_actor);

async fn users_inactive_accounts_and_the_last_operator_are_refused(t: &T) {
    let ada = t.user("ada@example.com", true).await;
    let new = t.user("new@example.com", false).await;
    let e = t.core.grant_operator(Actor::User(ada.id), ada.id, &META).await.unwrap_err();
    assert!(matches!(e, Error::Forbidden), "{e:?}");
    assert!(matches!(t.core.operators(Actor::User(ada.id)).await, Err(Error::Forbidden)));
    let e = t.core.grant_operator(OP, new.id, &META).await.unwrap_err();
    assert!(matches!(e, Error::Refused { .. }), "an unverified account: {e:?}");
    assert!(matches!(t.core.grant_operator(OP, crate::ids::UserId::new(), &META).await, Err(Error::NotFound)));
    t.core.grant_operator(OP, ada.id, &META).await.unwrap();
    let e = t.core.revoke_operator(OP, ada.id, &META).await.unwrap_err();
    assert!(matches!(e, Error::Refused { .. }), "the last operator: {e:?}");
    assert!(t.core.is_operator(ada.id).await.unwrap());
}
core_test!(users_inactive_accounts_and_the_last_operator_are_refused);
