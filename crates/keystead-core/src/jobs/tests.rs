//! The job queue on both backends: claiming, leases, retries.

use time::Duration;

use super::*;
use crate::clock::{Clock, FakeClock};
use crate::store::{Store, jobs as store_jobs, periodic as store_periodic};
use crate::store_test;
use crate::testing::TestDb;

async fn queue_one(store: &Store, now: OffsetDateTime) -> JobId {
    let mut tx = store.begin().await.unwrap();
    let id = enqueue(&mut tx, Queue::Mail, &serde_json::json!({"n": 1}), 3, now).await.unwrap();
    tx.commit().await.unwrap();
    id
}

async fn claiming_leases_a_job_to_one_node_until_the_lease_runs_out(store: &Store) {
    let clock = FakeClock::fixed();
    let now = clock.now();
    let id = queue_one(store, now).await;
    let mut c = store.conn().await.unwrap();
    let a = store_jobs::claim(c.db(), "mail", "a", now, now + Duration::minutes(2), 10).await.unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!((a[0].id, a[0].attempts), (id, 1));
    let b = store_jobs::claim(c.db(), "mail", "b", now + Duration::minutes(1), now + Duration::minutes(3), 10)
        .await
        .unwrap();
    assert!(b.is_empty(), "a leased job must not be claimed again");
    // Node a dies: after the lease another node takes it over.
    let later = now + Duration::minutes(2);
    let b = store_jobs::claim(c.db(), "mail", "b", later, later + Duration::minutes(2), 10).await.unwrap();
    assert_eq!((b[0].id, b[0].attempts), (id, 2));
    // a's late completion no longer counts; b's does.
    assert!(!store_jobs::complete(c.db(), id, "a", later).await.unwrap());
    assert!(store_jobs::complete(c.db(), id, "b", later).await.unwrap());
    let row = store_jobs::get(c.db(), id).await.unwrap();
    assert_eq!((row.status.as_str(), row.lease_owner), ("done", None));
    assert_eq!(store_jobs::backlog(c.db(), "mail").await.unwrap(), 0);
}
store_test!(claiming_leases_a_job_to_one_node_until_the_lease_runs_out);

async fn a_failed_job_waits_for_its_retry_time_and_dies_after_the_last_attempt(store: &Store) {
    let now = FakeClock::fixed().now();
    let id = queue_one(store, now).await;
    let mut c = store.conn().await.unwrap();
    let lease = now + Duration::minutes(2);
    for attempt in 1..=3 {
        let t = now + Duration::hours(attempt);
        let jobs = store_jobs::claim(c.db(), "mail", "a", t, t + Duration::minutes(2), 10).await.unwrap();
        assert_eq!(jobs.len(), 1, "attempt {attempt}");
        let give_up = jobs[0].attempts >= jobs[0].max_attempts;
        store_jobs::fail(c.db(), id, "a", "relay down", t + Duration::minutes(30), give_up, t).await.unwrap();
        let early = store_jobs::claim(c.db(), "mail", "a", t + Duration::minutes(29), lease, 10).await.unwrap();
        assert!(early.is_empty(), "not before its retry time");
    }
    let row = store_jobs::get(c.db(), id).await.unwrap();
    assert_eq!((row.status.as_str(), row.attempts, row.last_error.as_deref()), ("dead", 3, Some("relay down")));
    let purged = store_jobs::purge_finished(c.db(), now + Duration::days(40)).await.unwrap();
    assert_eq!(purged, 1);
}
store_test!(a_failed_job_waits_for_its_retry_time_and_dies_after_the_last_attempt);

async fn a_job_queued_in_a_rolled_back_transaction_does_not_exist(store: &Store) {
    let now = FakeClock::fixed().now();
    let mut tx = store.begin().await.unwrap();
    enqueue(&mut tx, Queue::Mail, &serde_json::json!({}), 3, now).await.unwrap();
    drop(tx);
    let mut c = store.conn().await.unwrap();
    assert_eq!(store_jobs::backlog(c.db(), "mail").await.unwrap(), 0);
}
store_test!(a_job_queued_in_a_rolled_back_transaction_does_not_exist);

async fn a_periodic_run_is_claimed_by_one_node_only(store: &Store) {
    let now = FakeClock::fixed().now();
    let mut c = store.conn().await.unwrap();
    store_periodic::register(c.db(), "p", now).await.unwrap();
    store_periodic::register(c.db(), "p", now + Duration::days(1)).await.unwrap();
    let lease = now + Duration::minutes(2);
    assert!(store_periodic::claim(c.db(), "p", "a", now, lease).await.unwrap());
    assert!(!store_periodic::claim(c.db(), "p", "b", now, lease).await.unwrap());
    store_periodic::finish(c.db(), "p", "a", now + Duration::hours(1), None, now).await.unwrap();
    assert!(!store_periodic::claim(c.db(), "p", "b", now + Duration::minutes(59), lease).await.unwrap());
    assert_eq!(store_periodic::next_run(c.db(), "p").await.unwrap(), now + Duration::hours(1));
    assert!(store_periodic::claim(c.db(), "p", "b", now + Duration::hours(1), now + Duration::hours(2)).await.unwrap());
}
store_test!(a_periodic_run_is_claimed_by_one_node_only);

async fn many_concurrent_claimers_never_take_the_same_job(store: &Store) {
    let now = FakeClock::fixed().now();
    let mut ids = Vec::new();
    for _ in 0..40 {
        ids.push(queue_one(store, now).await);
    }
    let mut tasks = Vec::new();
    for n in 0..4 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut got = Vec::new();
            loop {
                let mut c = store.conn().await.unwrap();
                let jobs = store_jobs::claim(c.db(), "mail", &format!("n{n}"), now, now + Duration::minutes(5), 3)
                    .await
                    .unwrap();
                if jobs.is_empty() {
                    return got;
                }
                got.extend(jobs.into_iter().map(|j| j.id));
            }
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort();
    ids.sort();
    assert_eq!(all, ids, "each job claimed exactly once");
}
store_test!(many_concurrent_claimers_never_take_the_same_job);

/// The runner claims and records on its own connection: deliveries go on, and are recorded at
/// once, while requests hold every connection of the pool.
#[tokio::test]
async fn deliveries_are_claimed_and_recorded_while_every_pool_connection_is_taken() {
    let mut dbs = vec![TestDb::sqlite().await.unwrap()];
    dbs.extend(TestDb::postgres().await.unwrap());
    for db in dbs {
        let dir = tempfile::tempdir().unwrap();
        let key = crate::testing::new_master_key().unwrap();
        let one = |c: &mut crate::config::Config| c.database.max_connections = 1;
        let core = crate::testing::core_on(&db, dir.path(), &key, FakeClock::fixed(), one).await.unwrap();
        let id = core.send_test_email("ada@example.com").await.unwrap();
        let mut held = core.store().conn().await.unwrap();
        let runner = JobRunner::new(core.clone());
        // The pass ends with the periodic jobs, which wait for the pool; the queue comes first.
        let pass = tokio::spawn(async move { runner.run_due().await });
        let mut status = String::new();
        for _ in 0..200 {
            status = store_jobs::get(held.db(), id).await.unwrap().status;
            if status == "done" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        pass.abort();
        assert_eq!(status, "done", "{:?}", db.backend());
    }
}

/// On SQLite the runner's statements wait only 20 ms for the write lock at a time, and are tried
/// again until the lock is free: a long write transaction delays the record, never loses it.
#[tokio::test]
async fn a_record_waits_out_a_long_sqlite_write_transaction() {
    let db = TestDb::sqlite().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let key = crate::testing::new_master_key().unwrap();
    let core = crate::testing::core_on(&db, dir.path(), &key, FakeClock::fixed(), |_| {}).await.unwrap();
    let id = core.send_test_email("ada@example.com").await.unwrap();
    let writer = core.store().begin().await.unwrap();
    let runner = JobRunner::new(core.clone());
    let pass = tokio::spawn(async move { runner.run_due().await });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(core.job(id).await.unwrap().status, JobStatus::Pending, "the writer holds the lock");
    writer.commit().await.unwrap();
    assert_eq!(pass.await.unwrap().unwrap().succeeded, 1);
    assert_eq!(core.job(id).await.unwrap().status, JobStatus::Done);
}

#[test]
fn retry_delays_double_and_are_capped() {
    assert_eq!(retry_delay(1, 0.0), Duration::seconds(30));
    assert_eq!(retry_delay(2, 0.0), Duration::seconds(60));
    assert_eq!(retry_delay(3, 1.0), Duration::seconds(132));
    assert_eq!(retry_delay(30, 0.0), Duration::hours(1));
}
