//! Webhooks on both databases: written with the change that causes them (never for one rolled
//! back), filtered by type and organization, signed so that an independent implementation
//! verifies them (also with either secret during a rotation), retried with backoff, logged,
//! resent, and an endpoint failing for days disabled with its owner told.

use secrecy::ExposeSecret as _;
use time::Duration;

use super::*;
use crate::Core;
use crate::accounts::admin::NewUser;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::clock::FakeClock;
use crate::error::Error;
use crate::ids::UserId;
use crate::jobs::JobRunner;
use crate::organizations::{Actor, NewOrganization};
use crate::testing::{TestDb, core_test};
use keystead_testkit::{WebhookReceiver, verify_independently};

const META: RequestMeta = RequestMeta { ip: None, user_agent: None, via: None, operator: None };
const OP: Actor = Actor::Operator;

struct T {
    core: Core,
    clock: FakeClock,
    hook: WebhookReceiver,
    _dir: tempfile::TempDir,
    _db: TestDb,
}

impl T {
    async fn new(db: TestDb) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let clock = FakeClock::fixed();
        let key = crate::testing::new_master_key().unwrap();
        let core = crate::testing::core_on(&db, dir.path(), &key, clock.clone(), |c| {
            c.outbound.allow_private_networks = true;
        })
        .await
        .unwrap();
        let hook = WebhookReceiver::start().await.unwrap();
        Self { core, clock, hook, _dir: dir, _db: db }
    }

    async fn user(&self, email: &str) -> UserId {
        let new = NewUser { email, given_name: None, family_name: None, verified: true, password: None };
        self.core.create_user(new, &META).await.unwrap().id
    }

    async fn endpoint(&self, actor: Actor, org: Option<OrganizationId>, events: &[&str]) -> (Endpoint, String) {
        let new = NewEndpoint {
            url: self.hook.url().to_owned(),
            description: "CRM".into(),
            events: events.iter().map(|e| (*e).to_owned()).collect(),
        };
        let (e, secret) = self.core.create_webhook_endpoint(actor, org, new, &META).await.unwrap();
        (e, secret.expose_secret().to_owned())
    }

    async fn run(&self) {
        JobRunner::new(self.core.clone()).run_due().await.unwrap();
    }

    fn now(&self) -> i64 {
        self.core.clock().now().unix_timestamp()
    }
}

async fn an_event_is_delivered_signed_and_verified_independently(t: &T) {
    let (endpoint, secret) = t.endpoint(OP, None, &["user.created", "user.disabled"]).await;
    let ada = t.user("ada@example.com").await;
    t.core.disable_user(OP, ada, &META).await.unwrap();
    t.run().await;
    let got = t.hook.received();
    assert_eq!(got.len(), 2, "user.created and user.disabled, nothing else: {got:?}");
    // Deliveries run side by side: no order is promised (receivers order by `timestamp`).
    let created = got.iter().find(|r| r.json()["type"] == "user.created").unwrap();
    let payload = verify_independently(&secret, created, t.now()).unwrap();
    assert_eq!(payload["data"]["user_id"], ada.to_string());
    assert!(got[0].id.starts_with("msg_") && got[0].id != got[1].id);
    assert!(verify_independently("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", created, t.now()).is_err());
    let log = t.core.webhook_deliveries(OP, endpoint.id, 10).await.unwrap();
    assert_eq!(log.len(), 2);
    assert!(log.iter().all(|d| d.status == "delivered" && d.response_status == Some(200) && d.attempts == 1));
}
core_test!(an_event_is_delivered_signed_and_verified_independently);

async fn a_rolled_back_change_sends_nothing(t: &T) {
    let (endpoint, _) = t.endpoint(OP, None, &["*"]).await;
    {
        let mut tx = t.core.store().begin().await.unwrap();
        let now = t.core.clock().now();
        audit::record(tx.db(), now, AuditAction::Disabled, None, None, &META, serde_json::json!({})).await.unwrap();
        // Dropped without a commit: the change and its delivery go together.
    }
    t.run().await;
    assert!(t.hook.received().is_empty());
    assert!(t.core.webhook_deliveries(OP, endpoint.id, 10).await.unwrap().is_empty());
}
core_test!(a_rolled_back_change_sends_nothing);

async fn an_organizations_endpoint_gets_only_its_events_and_only_its_managers_see_it(t: &T) {
    let owner = t.user("owner@acme.example").await;
    let other = t.user("owner@globex.example").await;
    let new = NewOrganization { name: "Acme", slug: Some("acme"), owner: Some(owner) };
    let acme = t.core.create_organization(OP, new, &META).await.unwrap().id;
    let new = NewOrganization { name: "Globex", slug: Some("globex"), owner: Some(other) };
    let globex = t.core.create_organization(OP, new, &META).await.unwrap().id;
    let (endpoint, _) = t.endpoint(Actor::User(owner), Some(acme), &["*"]).await;
    t.core.rename_organization(Actor::User(other), globex, "Globex Inc", &META).await.unwrap();
    t.core.rename_organization(Actor::User(owner), acme, "Acme Ltd", &META).await.unwrap();
    t.run().await;
    let got = t.hook.received();
    let types: Vec<String> = got.iter().map(|r| r.json()["type"].as_str().unwrap_or_default().to_owned()).collect();
    assert_eq!(types, ["organization.changed"], "only Acme's change: {types:?}");
    assert_eq!(got[0].json()["data"]["organization_id"], acme.to_string());
    let e = t.core.webhook_endpoint(Actor::User(other), endpoint.id).await.unwrap_err();
    assert!(matches!(e, Error::NotFound), "{e:?}");
    let e = t.core.webhook_endpoints(Actor::User(owner), None).await.unwrap_err();
    assert!(matches!(e, Error::Forbidden), "{e:?}");
}
core_test!(an_organizations_endpoint_gets_only_its_events_and_only_its_managers_see_it);

async fn bad_endpoints_name_the_field(t: &T) {
    let bad = NewEndpoint { url: "ftp://x".into(), description: "x\u{7}".into(), events: vec!["user.exploded".into()] };
    let Err(Error::Invalid(errors)) = t.core.create_webhook_endpoint(OP, None, bad, &META).await else { panic!() };
    let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["url", "events", "description"]);
    let none = NewEndpoint { url: t.hook.url().into(), description: String::new(), events: vec![] };
    let Err(Error::Invalid(errors)) = t.core.create_webhook_endpoint(OP, None, none, &META).await else { panic!() };
    assert_eq!(errors.for_field("events").next().map(|e| e.code), Some("required"));
}
core_test!(bad_endpoints_name_the_field);

async fn failures_are_retried_logged_and_an_endpoint_failing_for_days_is_disabled(t: &T) {
    let owner = t.user("owner@acme.example").await;
    let new = NewOrganization { name: "Acme", slug: Some("acme"), owner: Some(owner) };
    let acme = t.core.create_organization(OP, new, &META).await.unwrap().id;
    let (endpoint, _) = t.endpoint(Actor::User(owner), Some(acme), &["organization.changed"]).await;
    t.hook.answer(503);
    t.core.rename_organization(Actor::User(owner), acme, "Acme 2", &META).await.unwrap();
    t.run().await;
    let log = t.core.webhook_deliveries(OP, endpoint.id, 10).await.unwrap();
    assert_eq!((log[0].status.as_str(), log[0].response_status, log[0].attempts), ("pending", Some(503), 1));
    assert!(t.core.webhook_endpoint(OP, endpoint.id).await.unwrap().failing_since.is_some());
    // Retried after the backoff, not before.
    t.run().await;
    assert_eq!(t.hook.received().len(), 1);
    t.clock.advance(Duration::seconds(40));
    t.run().await;
    assert_eq!(t.hook.received().len(), 2);
    // Five days of failures later the endpoint is disabled and its owner told.
    t.clock.advance(Duration::days(5));
    t.run().await;
    let e = t.core.webhook_endpoint(OP, endpoint.id).await.unwrap();
    assert!(!e.enabled && e.disabled_reason.is_some(), "{e:?}");
    let told = t.core.outbox(50).await.unwrap().into_iter().any(|j| {
        j.payload.to_string().contains("owner@acme.example")
            && j.payload.to_string().contains("webhook endpoint was disabled")
    });
    assert!(told, "the endpoint's owner is emailed");
    // Enabled again, it works and forgets its failures; the log can resend the event.
    t.hook.answer(200);
    let changes = EndpointChanges { enabled: Some(true), ..EndpointChanges::default() };
    let e = t.core.update_webhook_endpoint(Actor::User(owner), endpoint.id, changes, &META).await.unwrap();
    assert!(e.enabled && e.failing_since.is_none());
    let first = t.core.webhook_deliveries(OP, endpoint.id, 10).await.unwrap().pop().unwrap();
    let again = t.core.resend_webhook_delivery(Actor::User(owner), first.id).await.unwrap();
    assert_eq!(again.event_id, first.event_id, "a resend keeps the webhook-id");
    t.run().await;
    let last = t.hook.received().pop().unwrap();
    assert_eq!(last.id, first.event_id);
    assert_eq!(t.core.webhook_deliveries(OP, endpoint.id, 1).await.unwrap()[0].status, "delivered");
}
core_test!(failures_are_retried_logged_and_an_endpoint_failing_for_days_is_disabled);

async fn during_a_rotation_either_secret_verifies_and_gone_stops_at_once(t: &T) {
    let (endpoint, old) = t.endpoint(OP, None, &["webhook.test"]).await;
    let (_, new) = t.core.rotate_webhook_secret(OP, endpoint.id, &META).await.unwrap();
    let new = new.expose_secret().to_owned();
    t.core.send_test_webhook(OP, endpoint.id).await.unwrap();
    t.run().await;
    let got = t.hook.received().pop().unwrap();
    assert_eq!(got.signature.split(' ').count(), 2);
    verify_independently(&old, &got, t.now()).unwrap();
    verify_independently(&new, &got, t.now()).unwrap();
    t.clock.advance(Duration::hours(25));
    t.core.send_test_webhook(OP, endpoint.id).await.unwrap();
    t.run().await;
    let got = t.hook.received().pop().unwrap();
    assert!(verify_independently(&old, &got, t.now()).is_err(), "the old secret no longer signs after a day");
    verify_independently(&new, &got, t.now()).unwrap();
    t.hook.answer(410);
    let d = t.core.send_test_webhook(OP, endpoint.id).await.unwrap();
    t.run().await;
    let log = t.core.webhook_deliveries(OP, endpoint.id, 10).await.unwrap();
    let gone = log.iter().find(|x| x.id == d.id).unwrap();
    assert_eq!((gone.status.as_str(), gone.response_status), ("failed", Some(410)), "410 Gone is not retried");
}
core_test!(during_a_rotation_either_secret_verifies_and_gone_stops_at_once);
