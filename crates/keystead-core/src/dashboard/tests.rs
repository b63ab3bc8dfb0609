//! The dashboard, the console's outbox and the audit search's names on both databases: counts
//! in their windows, backlogs and failures, the statement plans that keep the counts on an
//! index, and the refusals.

use time::{Duration, OffsetDateTime};

use crate::Core;
use crate::accounts::UserStatus;
use crate::accounts::admin::NewUser;
use crate::audit::query::AuditQuery;
use crate::audit::{AuditAction, RequestMeta};
use crate::clock::FakeClock;
use crate::error::{Code, Error};
use crate::ids::{JobId, UserId};
use crate::mail::outbox::{OutboxQuery, OutboxStatus};
use crate::organizations::{Actor, NewOrganization};
use crate::store::{dashboard as store, jobs as store_jobs, periodic as store_periodic};
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
        let key = crate::testing::new_master_key().unwrap();
        let clock = FakeClock::fixed();
        let core = crate::testing::core_on(&db, dir.path(), &key, clock.clone(), |_| {}).await.unwrap();
        Self { core, clock, _dir: dir, _db: db }
    }

    fn now(&self) -> OffsetDateTime {
        crate::clock::Clock::now(&self.clock)
    }

    async fn user_at(&self, email: &str, at: OffsetDateTime) -> UserId {
        let back = self.now();
        self.clock.set(at);
        let new = NewUser { email, given_name: Some("Ada"), family_name: None, verified: true, password: None };
        let id = self.core.create_user(new, &META).await.unwrap().id;
        self.clock.set(back);
        id
    }

    async fn event(&self, action: AuditAction, at: OffsetDateTime, actor: Option<UserId>, subject: Option<UserId>) {
        let mut tx = self.core.store().begin().await.unwrap();
        crate::audit::record(tx.db(), at, action, actor, subject, &META, serde_json::json!({})).await.unwrap();
        tx.commit().await.unwrap();
    }

    /// An outbox message to `to` whose delivery was given up with `error`.
    async fn dead_mail(&self, to: &str, error: &str) -> JobId {
        let id = self.core.send_test_email(to).await.unwrap();
        let now = self.now();
        let mut tx = self.core.store().begin().await.unwrap();
        let claimed = store_jobs::claim(tx.db(), "mail", "t", now, now + Duration::MINUTE, 100).await.unwrap();
        assert!(claimed.iter().any(|j| j.id == id));
        for j in claimed {
            let give_up = j.id == id;
            store_jobs::fail(tx.db(), j.id, "t", error, now, give_up, now).await.unwrap();
        }
        tx.commit().await.unwrap();
        id
    }
}

async fn the_dashboard_counts_each_window_and_the_backlogs(t: &T) {
    let now = t.now();
    let h = Duration::HOUR;
    let ada = t.user_at("ada@example.com", now - h * 2).await;
    t.user_at("old@example.com", now - Duration::DAY * 3).await;
    t.user_at("older@example.com", now - Duration::DAY * 30).await;
    // Sign-ins: now (in the last window), 90 minutes ago, almost a day ago, two days ago, at
    // the week's first hour, and one just out of reach.
    for at in [now, now - h * 3 / 2, now - h * 24 + Duration::MINUTE, now - h * 47, now - h * 167, now - h * 169] {
        t.event(AuditAction::SignedIn, at, Some(ada), Some(ada)).await;
    }
    for at in [now - h * 2 - Duration::MINUTE, now - h * 2 - Duration::SECOND, now - Duration::DAY * 5] {
        t.event(AuditAction::SignInFailed, at, None, Some(ada)).await;
    }
    let dead = t.dead_mail("gone@example.com", "550 no such user").await;
    t.core.send_test_email("waiting@example.com").await.unwrap();
    let mut conn = t.core.store().conn().await.unwrap();
    store_periodic::register(conn.db(), "purge_closed_accounts", now).await.unwrap();
    assert!(store_periodic::claim(conn.db(), "purge_closed_accounts", "t", now, now + h).await.unwrap());
    store_periodic::finish(conn.db(), "purge_closed_accounts", "t", now + h, Some("disk full"), now).await.unwrap();
    drop(conn);

    let d = t.core.dashboard(OP).await.unwrap();
    assert_eq!((d.users.total, d.users.new_24h, d.users.new_7d), (3, 1, 2));
    assert_eq!(d.users.by_status, [(UserStatus::Active, 3)]);
    let s = &d.sign_ins;
    assert_eq!((s.hourly.len(), s.daily.len()), (24, 7));
    assert_eq!((s.last_24h(), s.last_7d()), (3, 5));
    assert_eq!(s.hourly[23].count, 1, "the sign-in at the moment of reading");
    assert_eq!(s.hourly[22].count, 1);
    assert_eq!(s.hourly[0].count, 1);
    assert_eq!((s.hourly[23].end, s.hourly[0].start), (now, now - h * 24));
    assert_eq!(s.daily.iter().map(|w| w.count).collect::<Vec<_>>(), [1, 0, 0, 0, 0, 1, 3]);
    assert_eq!((s.daily[6].end, s.daily[0].start), (now, now - Duration::DAY * 7));
    let f = &d.sign_in_failures;
    assert_eq!((f.last_24h(), f.last_7d(), f.hourly[21].count), (2, 3, 2));
    assert_eq!((d.outbox.pending, d.outbox.failed), (1, 1));
    assert_eq!(d.outbox.oldest_pending, Some(now));
    assert_eq!(d.job_failures.iter().map(|q| (q.queue.as_str(), q.count)).collect::<Vec<_>>(), [("mail", 1)]);
    assert_eq!(d.periodic_failures.len(), 1);
    assert_eq!(
        (d.periodic_failures[0].name.as_str(), d.periodic_failures[0].error.as_str()),
        ("purge_closed_accounts", "disk full")
    );
    assert_eq!(d.signing_keys.len(), 3, "{:?}", d.signing_keys);
    for k in &d.signing_keys {
        assert_eq!(k.age, Duration::ZERO);
        assert_eq!(k.next_rotation, now + t.core.config().oauth.key_rotation);
    }
    let _ = dead;
    assert!(matches!(t.core.dashboard(Actor::User(ada)).await, Err(Error::Forbidden)));
}
core_test!(the_dashboard_counts_each_window_and_the_backlogs);

async fn the_window_counts_read_only_the_action_index(t: &T) {
    let mut conn = t.core.store().conn().await.unwrap();
    let plan = store::explain_event_counts(conn.db()).await.unwrap();
    assert!(plan.contains("audit_events_action"), "{plan}");
    assert!(!plan.contains("SCAN e") && !plan.contains("Seq Scan on audit_events"), "{plan}");
}
core_test!(the_window_counts_read_only_the_action_index);

async fn failed_mail_is_listed_and_sent_again_by_an_operator_only(t: &T) {
    let op = t.user_at("op@example.com", t.now()).await;
    let first = t.dead_mail("first@example.com", "550 mailbox unavailable").await;
    t.clock.advance(Duration::MINUTE);
    let second = t.dead_mail("second@example.com", "554 refused").await;
    t.core.send_test_email("waiting@example.com").await.unwrap();
    let failed = OutboxQuery { status: OutboxStatus::Failed, cursor: None, limit: Some(1) };
    let page = t.core.outbox_messages(OP, &failed).await.unwrap();
    assert_eq!((page.pending, page.failed), (1, 2));
    assert_eq!(page.items.len(), 1);
    let latest = &page.items[0];
    assert_eq!(
        (latest.id, latest.to.as_str(), latest.last_error.as_deref()),
        (second, "second@example.com", Some("554 refused"))
    );
    assert!(latest.failed_at.is_some() && latest.next_attempt.is_none() && !latest.subject.is_empty());
    let next = OutboxQuery { cursor: page.next_cursor.clone(), ..failed.clone() };
    let page2 = t.core.outbox_messages(OP, &next).await.unwrap();
    assert_eq!(page2.items.iter().map(|m| m.id).collect::<Vec<_>>(), [first]);
    assert_eq!(page2.next_cursor, None);
    let pending = t.core.outbox_messages(OP, &OutboxQuery::default()).await.unwrap();
    assert_eq!(pending.items.iter().map(|m| m.to.as_str()).collect::<Vec<_>>(), ["waiting@example.com"]);
    let bad = OutboxQuery { cursor: Some("nonsense".into()), ..OutboxQuery::default() };
    assert!(matches!(t.core.outbox_messages(OP, &bad).await, Err(Error::Invalid(_))));

    let meta = RequestMeta::new(None, Some("browser")).by_operator(op);
    let retried = t.core.retry_outbox_message(OP, first, &meta).await.unwrap();
    assert_eq!((retried.attempts, retried.next_attempt, retried.failed_at), (0, Some(t.now()), None));
    let again = t.core.retry_outbox_message(OP, first, &meta).await.unwrap_err();
    assert!(matches!(again, Error::Refused { code: Code::PreconditionFailed, .. }), "{again:?}");
    assert!(matches!(t.core.retry_outbox_message(OP, JobId::new(), &meta).await, Err(Error::NotFound)));
    let member = t.core.retry_outbox_message(Actor::User(op), second, &meta).await;
    assert!(matches!(member, Err(Error::Forbidden)));
    assert!(matches!(t.core.outbox_messages(Actor::User(op), &OutboxQuery::default()).await, Err(Error::Forbidden)));
    let page = t.core.outbox_messages(OP, &OutboxQuery::default()).await.unwrap();
    assert_eq!((page.pending, page.failed), (2, 1));
    let query = AuditQuery { action: Some("mail.retried".into()), ..AuditQuery::default() };
    let events = t.core.search_audit_events(OP, None, &query).await.unwrap();
    assert_eq!(events.items.len(), 1);
    assert_eq!(events.items[0].actor, Some(op), "the operator is the actor");
    assert_eq!(events.items[0].details["to"], "first@example.com");
    assert_eq!(events.emails.get(&op).map(String::as_str), Some("op@example.com"));
}
core_test!(failed_mail_is_listed_and_sent_again_by_an_operator_only);

async fn the_audit_search_takes_addresses_and_an_organization_by_slug(t: &T) {
    let now = t.now();
    let ada = t.user_at("ada@example.com", now).await;
    let bob = t.user_at("bob@example.com", now).await;
    t.event(AuditAction::Disabled, now, Some(ada), Some(bob)).await;
    t.event(AuditAction::Enabled, now, Some(bob), Some(ada)).await;
    let by = |actor: &str, subject: &str| AuditQuery {
        actor_email: (!actor.is_empty()).then(|| actor.to_owned()),
        subject_email: (!subject.is_empty()).then(|| subject.to_owned()),
        ..AuditQuery::default()
    };
    let page = t.core.search_audit_events(OP, None, &by("ADA@example.com", "")).await.unwrap();
    assert_eq!(page.items.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["user.disabled"]);
    assert_eq!(page.emails.len(), 2);
    let page = t.core.search_audit_events(OP, None, &by("", "ada@example.com")).await.unwrap();
    assert_eq!(page.items.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["user.enabled", "user.registered"]);
    let Err(Error::Invalid(errors)) = t.core.search_audit_events(OP, None, &by("nobody@example.com", "x")).await else {
        panic!("unknown and malformed addresses are field errors");
    };
    assert_eq!(
        errors.0.iter().map(|e| (e.field.as_str(), e.code)).collect::<Vec<_>>(),
        [("actor", "unknown_account"), ("subject", "invalid_email")]
    );
    let new = NewOrganization { name: "Acme", slug: Some("acme"), owner: Some(ada) };
    let org = t.core.create_organization(OP, new, &META).await.unwrap();
    for named in ["acme", &org.id.to_string()] {
        let q = AuditQuery { organization: Some(named.to_owned()), ..AuditQuery::default() };
        let page = t.core.search_audit_events(OP, None, &q).await.unwrap();
        assert!(!page.items.is_empty() && page.items.iter().all(|e| e.action.starts_with("organization.")), "{named}");
    }
    let q = AuditQuery { organization: Some("nope".into()), ..AuditQuery::default() };
    let Err(Error::Invalid(errors)) = t.core.search_audit_events(OP, None, &q).await else { panic!("unknown org") };
    assert_eq!(errors.0[0].field, "organization");
    // Within the organization, an address no account has matches nothing (and says nothing).
    let page = t.core.search_audit_events(Actor::User(ada), Some(org.id), &by("nobody@example.com", "")).await.unwrap();
    assert!(page.items.is_empty());
}
core_test!(the_audit_search_takes_addresses_and_an_organization_by_slug);
