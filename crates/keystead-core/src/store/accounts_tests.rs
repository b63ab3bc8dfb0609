//! Store tests for users, sessions, emailed tokens, rate limits and the audit log, on both
//! backends.

use sqlx::types::Json;
use time::{Duration, OffsetDateTime};

use super::{Store, StoreError, audit, email_tokens, rate_limits, sessions, users};
use crate::clock::{Clock, FakeClock};
use crate::ids::{AuditEventId, EmailTokenId, SessionId, UserId};
use crate::store_test;

fn user(email: &str, now: OffsetDateTime) -> users::UserRow {
    users::UserRow {
        id: UserId::new(),
        email: email.to_owned(),
        email_lookup: email.to_lowercase(),
        email_verified_at: None,
        password_hash: Some("$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA".to_owned()),
        password_changed_at: Some(now),
        given_name: Some("Ada".to_owned()),
        family_name: None,
        locale: None,
        time_zone: None,
        status: "unverified".to_owned(),
        purge_at: None,
        created_at: now,
        updated_at: now,
        last_sign_in_at: None,
        phone: None,
        country: None,
        city: None,
        date_of_birth: None,
        company: None,
        job_title: None,
        closed_by: None,
    }
}

async fn add_user(store: &Store, email: &str, now: OffsetDateTime) -> UserId {
    let u = user(email, now);
    let mut tx = store.begin().await.unwrap();
    users::insert(tx.db(), &u).await.unwrap();
    tx.commit().await.unwrap();
    u.id
}

async fn users_are_unique_by_canonical_email_and_round_trip(store: &Store) {
    let now = FakeClock::fixed().now();
    let id = add_user(store, "Ada@example.com", now).await;
    let mut c = store.conn().await.unwrap();
    let found = users::find_by_email(c.db(), "ada@example.com").await.unwrap().unwrap();
    assert_eq!((found.id, found.email.as_str(), found.created_at), (id, "Ada@example.com", now));
    let dup = user("ADA@example.com", now);
    assert!(matches!(users::insert(c.db(), &dup).await, Err(StoreError::Conflict { .. })));
    users::mark_verified(c.db(), id, "active", now + Duration::hours(1)).await.unwrap();
    let row = users::get(c.db(), id).await.unwrap();
    assert_eq!((row.status.as_str(), row.email_verified_at), ("active", Some(now + Duration::hours(1))));
    users::push_history(c.db(), id, "old-1", now).await.unwrap();
    users::push_history(c.db(), id, "old-2", now + Duration::days(1)).await.unwrap();
    users::set_password(c.db(), id, "new", now + Duration::days(2)).await.unwrap();
    assert_eq!(users::recent_history(c.db(), id, 1).await.unwrap(), ["old-2"]);
    assert_eq!(users::get(c.db(), id).await.unwrap().password_hash.as_deref(), Some("new"));
    users::upgrade_password_hash(c.db(), id, "stale", "ignored").await.unwrap();
    assert_eq!(users::get(c.db(), id).await.unwrap().password_hash.as_deref(), Some("new"));
    assert!(matches!(users::get(c.db(), UserId::new()).await, Err(StoreError::NotFound)));
}
store_test!(users_are_unique_by_canonical_email_and_round_trip);

async fn sessions_expire_idle_and_absolute_and_slide(store: &Store) {
    let now = FakeClock::fixed().now();
    let uid = add_user(store, "s@example.com", now).await;
    let mut c = store.conn().await.unwrap();
    let s = sessions::SessionRow {
        id: SessionId::new(),
        token_hash: vec![7; 32],
        user_id: uid,
        stage: "authenticated".to_owned(),
        amr: "pwd".to_owned(),
        auth_time: now,
        created_at: now,
        last_seen_at: now,
        idle_expires_at: now + Duration::days(14),
        absolute_expires_at: now + Duration::days(20),
        ip: Some("203.0.113.9".to_owned()),
        user_agent: Some("Firefox".to_owned()),
        active_organization_id: None,
    };
    sessions::insert(c.db(), &s).await.unwrap();
    assert!(sessions::find_live(c.db(), &[7; 32], now + Duration::days(13)).await.unwrap().is_some());
    assert!(sessions::find_live(c.db(), &[7; 32], now + Duration::days(14)).await.unwrap().is_none());
    // Sliding never passes the absolute expiry.
    sessions::touch(c.db(), s.id, now + Duration::days(10), now + Duration::days(24)).await.unwrap();
    let live = sessions::find_live(c.db(), &[7; 32], now + Duration::days(19)).await.unwrap().unwrap();
    assert_eq!(live.idle_expires_at, now + Duration::days(20));
    assert!(sessions::find_live(c.db(), &[7; 32], now + Duration::days(20)).await.unwrap().is_none());
    assert_eq!(sessions::list_for_user(c.db(), uid, now).await.unwrap().len(), 1);
    sessions::set_stage(c.db(), s.id, "password_expired", "pwd").await.unwrap();
    assert_eq!(sessions::purge_expired(c.db(), now + Duration::days(30)).await.unwrap(), 1);
    sessions::insert(c.db(), &s).await.unwrap();
    assert_eq!(sessions::delete_for_user(c.db(), uid).await.unwrap(), 1);
}
store_test!(sessions_expire_idle_and_absolute_and_slide);

async fn an_emailed_token_is_consumed_once_and_not_after_expiry(store: &Store) {
    let now = FakeClock::fixed().now();
    let uid = add_user(store, "t@example.com", now).await;
    let mut c = store.conn().await.unwrap();
    let t = email_tokens::EmailTokenRow {
        id: EmailTokenId::new(),
        token_hash: vec![1; 32],
        user_id: uid,
        purpose: "verify_email".to_owned(),
        email: "t@example.com".to_owned(),
        return_to: Some("/x".to_owned()),
        created_at: now,
        expires_at: now + Duration::hours(1),
        used_at: None,
    };
    email_tokens::insert(c.db(), &t).await.unwrap();
    assert!(email_tokens::find(c.db(), &[1; 32], "reset_password").await.unwrap().is_none());
    assert!(!email_tokens::consume(c.db(), t.id, now + Duration::hours(1)).await.unwrap(), "expired");
    assert!(email_tokens::consume(c.db(), t.id, now).await.unwrap());
    assert!(!email_tokens::consume(c.db(), t.id, now).await.unwrap(), "single use");
    let t2 = email_tokens::EmailTokenRow { id: EmailTokenId::new(), token_hash: vec![2; 32], ..t.clone() };
    email_tokens::insert(c.db(), &t2).await.unwrap();
    email_tokens::retire_for_user(c.db(), uid, "verify_email", now).await.unwrap();
    assert!(!email_tokens::consume(c.db(), t2.id, now).await.unwrap(), "retired by a newer link");
    assert_eq!(email_tokens::purge_expired(c.db(), now + Duration::days(1)).await.unwrap(), 2);
}
store_test!(an_emailed_token_is_consumed_once_and_not_after_expiry);

async fn rate_limit_windows_count_restart_and_lock(store: &Store) {
    let now = FakeClock::fixed().now();
    let mut c = store.conn().await.unwrap();
    let floor = now - Duration::minutes(5);
    for n in 1..=3 {
        let ctr = rate_limits::hit(c.db(), "b", "k", now, floor).await.unwrap();
        assert_eq!((ctr.count, ctr.window_start), (n, now));
    }
    let later = now + Duration::minutes(5);
    let ctr = rate_limits::hit(c.db(), "b", "k", later, later - Duration::minutes(5)).await.unwrap();
    assert_eq!((ctr.count, ctr.window_start), (1, later), "a new window starts");
    rate_limits::lock(c.db(), "b", "k", later + Duration::minutes(1)).await.unwrap();
    assert_eq!(
        rate_limits::get(c.db(), "b", "k").await.unwrap().unwrap().locked_until,
        Some(later + Duration::minutes(1))
    );
    rate_limits::reset(c.db(), "b", "k").await.unwrap();
    assert!(rate_limits::get(c.db(), "b", "k").await.unwrap().is_none());
    rate_limits::hit(c.db(), "b", "old", now, floor).await.unwrap();
    assert_eq!(rate_limits::purge_stale(c.db(), now + Duration::days(2)).await.unwrap(), 1);
}
store_test!(rate_limit_windows_count_restart_and_lock);

async fn audit_events_are_listed_newest_first_for_their_subject(store: &Store) {
    let now = FakeClock::fixed().now();
    let uid = add_user(store, "a@example.com", now).await;
    let mut c = store.conn().await.unwrap();
    for (i, action) in ["user.registered", "session.signed_in"].iter().enumerate() {
        let row = audit::AuditRow {
            id: AuditEventId::new(),
            occurred_at: now + Duration::seconds(i64::try_from(i).unwrap()),
            action: (*action).to_owned(),
            actor_user_id: Some(uid),
            subject_user_id: Some(uid),
            organization_id: None,
            ip: Some("::1".to_owned()),
            user_agent: None,
            details: Json(serde_json::json!({"n": i})),
        };
        audit::insert(c.db(), &row).await.unwrap();
    }
    let events = audit::for_subject(c.db(), uid, 10).await.unwrap();
    assert_eq!(events.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["session.signed_in", "user.registered"]);
    assert_eq!(events[1].details.0["n"], 0);
}
store_test!(audit_events_are_listed_newest_first_for_their_subject);
