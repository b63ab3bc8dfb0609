//! The console's reads and actions on one account, on both databases: the dossier (operator
//! only, events with their actors' addresses, organizations, the operator flag) and the
//! operator's password reset link (emailed, audited with the operator as actor, refused for a
//! disabled account, limited like "Forgot password").

use crate::Core;
use crate::accounts::User;
use crate::accounts::admin::NewUser;
use crate::audit::RequestMeta;
use crate::clock::FakeClock;
use crate::error::{Code, Error};
use crate::ids::UserId;
use crate::organizations::{Actor, MemberKind, NewOrganization};
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

    async fn user(&self, email: &str) -> User {
        let new = NewUser { email, given_name: Some("Ada"), family_name: None, verified: true, password: None };
        self.core.create_user(new, &META).await.unwrap()
    }

    /// The texts of the emails queued to `to`.
    async fn mails_to(&self, to: &str) -> Vec<String> {
        let jobs = self.core.outbox(1000).await.unwrap();
        jobs.iter()
            .filter(|j| j.payload["to"].as_str() == Some(to))
            .map(|j| format!("{}\n{}", j.payload["subject"], j.payload["text"]))
            .collect()
    }
}

async fn the_dossier_gathers_the_account_for_an_operator_only(t: &T) {
    let ada = t.user("ada@example.com").await;
    let boss = t.user("boss@example.com").await;
    t.core.grant_operator(OP, boss.id, &META).await.unwrap();
    let new = NewOrganization { name: "Acme", slug: Some("acme"), owner: Some(ada.id) };
    t.core.create_organization(OP, new, &META).await.unwrap();
    // Boss, in the console, disables and enables Ada: the events name Boss.
    let console = RequestMeta::new(None, Some("browser")).by_operator(boss.id);
    t.core.disable_user(OP, ada.id, &console).await.unwrap();
    t.core.enable_user(OP, ada.id, &console).await.unwrap();

    let d = t.core.account_dossier(OP, ada.id).await.unwrap();
    assert_eq!(d.record.user.email, "ada@example.com");
    assert!(!d.operator);
    assert!(d.sessions.is_empty() && d.identities.is_empty() && d.licenses.is_empty() && d.apps.is_empty());
    assert!(!d.mfa.enabled());
    let orgs: Vec<_> = d.organizations.iter().map(|o| (o.name.as_str(), o.role.as_str(), o.kind)).collect();
    assert_eq!(orgs, [("Acme", "owner", MemberKind::Member)]);
    let events: Vec<_> = d.events.iter().map(|e| (e.event.action.as_str(), e.actor_email.as_deref())).collect();
    assert_eq!(events[0], ("user.enabled", Some("boss@example.com")), "{events:?}");
    assert_eq!(events[1], ("user.disabled", Some("boss@example.com")), "{events:?}");
    assert_eq!(events.last().unwrap().0, "user.registered");
    assert!(t.core.account_dossier(OP, boss.id).await.unwrap().operator);

    let refused = t.core.account_dossier(Actor::User(boss.id), ada.id).await.unwrap_err();
    assert!(matches!(refused, Error::Forbidden), "{refused:?}");
    assert!(matches!(t.core.account_dossier(OP, UserId::new()).await, Err(Error::NotFound)));
}
core_test!(the_dossier_gathers_the_account_for_an_operator_only);

async fn an_operator_emails_a_reset_link_that_is_audited_and_limited(t: &T) {
    let ada = t.user("ada@example.com").await;
    let boss = t.user("boss@example.com").await;
    let console = RequestMeta::new(None, Some("browser")).by_operator(boss.id);
    let to = t.core.send_password_reset_as_operator(OP, ada.id, &console).await.unwrap();
    assert_eq!(to, "ada@example.com");
    let mails = t.mails_to("ada@example.com").await;
    let mail = mails.iter().find(|m| m.contains("Reset your")).unwrap();
    assert!(mail.contains("An administrator") && mail.contains("/password/reset?token="), "{mail}");
    let events = t.core.audit_events_for(ada.id, 10).await.unwrap();
    let asked = events.iter().find(|e| e.action == "user.password_reset_requested").unwrap();
    assert_eq!((asked.actor, asked.details["by"].as_str()), (Some(boss.id), Some("operator")));

    // A user may not; an unknown account is not found.
    let e = t.core.send_password_reset_as_operator(Actor::User(boss.id), ada.id, &META).await.unwrap_err();
    assert!(matches!(e, Error::Forbidden), "{e:?}");
    let e = t.core.send_password_reset_as_operator(OP, UserId::new(), &META).await.unwrap_err();
    assert!(matches!(e, Error::NotFound), "{e:?}");
    // Five links an hour, as "Forgot password".
    for _ in 1..5 {
        t.core.send_password_reset_as_operator(OP, ada.id, &META).await.unwrap();
    }
    let e = t.core.send_password_reset_as_operator(OP, ada.id, &META).await.unwrap_err();
    assert!(matches!(e, Error::RateLimited { .. }), "{e:?}");

    // A disabled account gets no link.
    t.core.disable_user(OP, boss.id, &META).await.unwrap();
    let e = t.core.send_password_reset_as_operator(OP, boss.id, &META).await.unwrap_err();
    assert!(matches!(e, Error::Refused { code: Code::AccountDisabled, .. }), "{e:?}");
    assert!(t.mails_to("boss@example.com").await.iter().all(|m| !m.contains("Reset your")));
}
core_test!(an_operator_emails_a_reset_link_that_is_audited_and_limited);
