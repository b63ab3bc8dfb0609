//! The mail outbox end to end: real SMTP delivery, retries, a node killed mid-delivery, and
//! several nodes on one database delivering each message exactly once.

#![expect(clippy::unwrap_used, reason = "helpers of these tests fail the test by panicking")]

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use keystead_core::Core;
use keystead_core::clock::FakeClock;
use keystead_core::config::{Config, MailTransportConfig, MasterKeySource, SmtpConfig, SmtpSecurity};
use keystead_core::crypto::MasterKey;
use keystead_core::jobs::{JobRunner, JobStatus};
use keystead_testkit::TestDb;
use keystead_testkit::smtp::SmtpSink;
use secrecy::SecretString;
use tokio::net::TcpListener;

struct Node {
    core: Core,
    _dir: tempfile::TempDir,
}

async fn node(db: &TestDb, clock: &FakeClock, smtp_port: u16, auth: Option<(&str, &str)>) -> Node {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_data_dir(dir.path()).unwrap();
    config.database = db.database_config();
    config.master_key =
        MasterKeySource::Inline(SecretString::from(MasterKey::generate().unwrap().encode().to_string()));
    config.passwords.memory_kib = 64;
    config.passwords.iterations = 1;
    config.mail.transport = MailTransportConfig::Smtp(SmtpConfig {
        host: "127.0.0.1".into(),
        port: smtp_port,
        security: SmtpSecurity::Plain,
        username: auth.map(|(u, _)| u.to_owned()),
        password: auth.map(|(_, p)| SecretString::from(p.to_owned())),
        timeout: Duration::from_secs(30),
    });
    let core = Core::open(config, Arc::new(clock.clone())).await.unwrap();
    core.store().migrate().await.unwrap();
    Node { core, _dir: dir }
}

/// A server that accepts SMTP connections and never answers: a delivery to it hangs.
async fn black_hole() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    port
}

async fn databases() -> Vec<TestDb> {
    let mut dbs = vec![TestDb::sqlite().await.unwrap()];
    dbs.extend(TestDb::postgres().await.unwrap());
    dbs
}

#[tokio::test]
async fn mail_is_delivered_over_smtp_with_auth_as_text_and_html() {
    for db in databases().await {
        let sink = SmtpSink::start().await.unwrap();
        sink.require_auth("mailer", "s3cret");
        let clock = FakeClock::fixed();
        let n = node(&db, &clock, sink.port(), Some(("mailer", "s3cret"))).await;
        let id = n.core.send_test_email("Ada@Example.com").await.unwrap();
        let report = JobRunner::new(n.core.clone()).run_due().await.unwrap();
        assert_eq!(report.succeeded, 1, "{:?}", db.backend());
        let mail = sink.wait_for(1, Duration::from_secs(5)).await.unwrap().remove(0);
        assert_eq!(mail.subject().as_deref(), Some("Test email from Keystead"));
        assert_eq!(mail.to(), ["Ada@Example.com"]);
        assert!(mail.text_body().unwrap().contains("outgoing mail from Keystead works"));
        assert!(mail.html_body().unwrap().contains("<p>This is a test email."));
        let job = n.core.job(id).await.unwrap();
        assert_eq!(job.status, JobStatus::Done);
        assert_eq!(mail.header("Message-ID").as_deref(), job.payload["message_id"].as_str());
    }
}

#[tokio::test]
async fn a_transient_smtp_failure_is_retried_after_the_backoff_and_delivered_once() {
    let db = TestDb::sqlite().await.unwrap();
    let sink = SmtpSink::start().await.unwrap();
    sink.fail_next(1, 451);
    let clock = FakeClock::fixed();
    let n = node(&db, &clock, sink.port(), None).await;
    let runner = JobRunner::new(n.core.clone());
    let id = n.core.send_test_email("ada@example.com").await.unwrap();
    assert_eq!(runner.run_due().await.unwrap().failed, 1);
    let job = n.core.job(id).await.unwrap();
    assert_eq!((job.status, job.attempts), (JobStatus::Pending, 1));
    assert!(job.last_error.as_deref().unwrap().contains("451"), "{job:?}");
    assert_eq!(runner.run_due().await.unwrap().succeeded, 0, "not retried before its time");
    clock.advance(time::Duration::seconds(34));
    assert_eq!(runner.run_due().await.unwrap().succeeded, 1);
    assert_eq!(n.core.job(id).await.unwrap().status, JobStatus::Done);
    assert_eq!(sink.wait_for(1, Duration::from_secs(5)).await.unwrap().len(), 1);
    assert_eq!(sink.messages().len(), 1);
}

#[tokio::test]
async fn a_permanent_refusal_is_given_up_at_once() {
    let db = TestDb::sqlite().await.unwrap();
    let sink = SmtpSink::start().await.unwrap();
    sink.fail_next(1, 550);
    let clock = FakeClock::fixed();
    let n = node(&db, &clock, sink.port(), None).await;
    let id = n.core.send_test_email("nobody@example.com").await.unwrap();
    JobRunner::new(n.core.clone()).run_due().await.unwrap();
    let job = n.core.job(id).await.unwrap();
    assert_eq!((job.status, job.attempts), (JobStatus::Dead, 1));
    clock.advance(time::Duration::hours(2));
    JobRunner::new(n.core.clone()).run_due().await.unwrap();
    assert!(sink.messages().is_empty());
}

#[tokio::test]
async fn a_node_killed_mid_delivery_loses_nothing_and_the_mail_goes_out_once_after_its_lease() {
    for db in databases().await {
        let clock = FakeClock::fixed();
        let hole = black_hole().await;
        let sink = SmtpSink::start().await.unwrap();
        let dying = node(&db, &clock, hole, None).await;
        let healthy = node(&db, &clock, sink.port(), None).await;
        let id = dying.core.send_test_email("ada@example.com").await.unwrap();

        let dying_runner = JobRunner::new(dying.core.clone());
        let dying_name = dying_runner.node().to_owned();
        let task = tokio::spawn(async move { dying_runner.run_due().await });
        // Wait until the dying node holds the lease and is stuck talking to the relay, then kill it.
        for _ in 0..200 {
            if healthy.core.job(id).await.unwrap().lease_owner.as_deref() == Some(dying_name.as_str()) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        task.abort();
        assert_eq!(healthy.core.job(id).await.unwrap().lease_owner.as_deref(), Some(dying_name.as_str()));

        let runner = JobRunner::new(healthy.core.clone());
        assert_eq!(runner.run_due().await.unwrap().succeeded, 0, "the lease still protects the job");
        clock.advance(time::Duration::seconds(121));
        assert_eq!(runner.run_due().await.unwrap().succeeded, 1, "{:?}", db.backend());
        let job = healthy.core.job(id).await.unwrap();
        assert_eq!((job.status, job.attempts), (JobStatus::Done, 2));
        sink.wait_for(1, Duration::from_secs(5)).await.unwrap();
        clock.advance(time::Duration::hours(3));
        runner.run_due().await.unwrap();
        assert_eq!(sink.messages().len(), 1, "delivered exactly once");
    }
}

#[tokio::test]
async fn two_nodes_on_one_database_deliver_each_message_exactly_once() {
    for db in databases().await {
        let clock = FakeClock::fixed();
        let sink = SmtpSink::start().await.unwrap();
        let a = node(&db, &clock, sink.port(), None).await;
        let b = node(&db, &clock, sink.port(), None).await;
        let mut ids = Vec::new();
        for i in 0..30 {
            let core = if i % 2 == 0 { &a.core } else { &b.core };
            ids.push(core.send_test_email(&format!("user{i}@example.com")).await.unwrap());
        }
        let (ra, rb) = (JobRunner::new(a.core.clone()), JobRunner::new(b.core.clone()));
        let (x, y) = tokio::join!(ra.run_due(), rb.run_due());
        let (x, y) = (x.unwrap(), y.unwrap());
        assert_eq!(x.succeeded + y.succeeded, 30, "{:?}: {x:?} {y:?}", db.backend());
        let mails = sink.wait_for(30, Duration::from_secs(10)).await.unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(sink.messages().len(), 30);
        let unique: HashSet<String> = mails.iter().filter_map(|m| m.header("Message-ID")).collect();
        assert_eq!(unique.len(), 30);
        for id in ids {
            assert_eq!(a.core.job(id).await.unwrap().status, JobStatus::Done);
        }
    }
}

#[tokio::test]
async fn a_bad_recipient_is_refused_before_anything_is_queued() {
    let db = TestDb::sqlite().await.unwrap();
    let clock = FakeClock::fixed();
    let n = node(&db, &clock, 9, None).await;
    for bad in ["", "not-an-address", &format!("{}@example.com", "x".repeat(250))] {
        let err = n.core.send_test_email(bad).await.unwrap_err();
        assert!(matches!(err, keystead_core::Error::Invalid(_)), "{bad}: {err:?}");
    }
    assert!(n.core.outbox(10).await.unwrap().is_empty());
}

/// Polls `cond` every 5 ms for at most `limit`; whether it came true.
async fn eventually(limit: Duration, mut cond: impl AsyncFnMut() -> bool) -> bool {
    let deadline = tokio::time::Instant::now() + limit;
    while tokio::time::Instant::now() < deadline {
        if cond().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    false
}

#[tokio::test]
async fn a_delivery_is_recorded_at_once_while_the_rest_of_its_batch_is_still_in_flight() {
    for db in databases().await {
        let sink = SmtpSink::start().await.unwrap();
        // Every message but the first waits at the relay; the first goes through at once.
        sink.delay_data(Duration::from_millis(1500));
        sink.delay_data_to("fast@example.com", Duration::ZERO);
        let clock = FakeClock::fixed();
        let n = node(&db, &clock, sink.port(), None).await;
        let fast = n.core.send_test_email("fast@example.com").await.unwrap();
        let mut slow = Vec::new();
        for i in 0..3 {
            slow.push(n.core.send_test_email(&format!("slow{i}@example.com")).await.unwrap());
        }
        let runner = JobRunner::new(n.core.clone());
        let pass = tokio::spawn(async move { runner.run_due().await });

        sink.wait_for(1, Duration::from_secs(5)).await.unwrap();
        let recorded =
            eventually(Duration::from_millis(500), async || n.core.job(fast).await.unwrap().status == JobStatus::Done)
                .await;
        assert!(recorded, "{:?}: the delivered message is not marked done while its batch runs", db.backend());
        for id in &slow {
            let job = n.core.job(*id).await.unwrap();
            assert_eq!(job.status, JobStatus::Pending, "{:?}: the rest of the batch is still in flight", db.backend());
            assert!(job.lease_owner.is_some(), "{job:?}");
        }
        assert_eq!(pass.await.unwrap().unwrap().succeeded, 4);
        assert_eq!(sink.messages().len(), 4);
    }
}

#[tokio::test]
async fn a_message_sent_again_after_its_lease_ran_out_keeps_the_message_id_fixed_at_queueing() {
    for db in databases().await {
        let sink = SmtpSink::start().await.unwrap();
        sink.delay_data(Duration::from_millis(400));
        let clock = FakeClock::fixed();
        let (a, b) = (node(&db, &clock, sink.port(), None).await, node(&db, &clock, sink.port(), None).await);
        let id = a.core.send_test_email("ada@example.com").await.unwrap();
        let queued = a.core.job(id).await.unwrap().payload["message_id"].as_str().unwrap().to_owned();

        // Node a claims the message and is slow to deliver it: its lease runs out, b takes over.
        let slow = JobRunner::new(a.core.clone());
        let slow_name = slow.node().to_owned();
        let first = tokio::spawn(async move { slow.run_due().await });
        assert!(
            eventually(Duration::from_secs(2), async || {
                b.core.job(id).await.unwrap().lease_owner.as_deref() == Some(slow_name.as_str())
            })
            .await
        );
        clock.advance(time::Duration::seconds(121));
        JobRunner::new(b.core.clone()).run_due().await.unwrap();
        first.await.unwrap().unwrap();

        let mails = sink.wait_for(2, Duration::from_secs(5)).await.unwrap();
        let ids: Vec<_> = mails.iter().map(|m| m.header("Message-ID").unwrap()).collect();
        assert_eq!(ids, [queued.clone(), queued], "{:?}: both copies carry the queued Message-ID", db.backend());
        let job = b.core.job(id).await.unwrap();
        assert_eq!((job.status, job.attempts), (JobStatus::Done, 2));
    }
}
