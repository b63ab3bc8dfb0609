//! What the admin API needs of subscriptions and seats, on both databases: a subscription found
//! only through its organization, a resize conditional on the version read (also under a race),
//! an assignment that may be repeated, and the plans listed in order.

use super::tests::{META, OP, T, code, core_test};
use crate::error::{Code, Error};
use crate::organizations::Actor;

fn stale(e: &Error) -> bool {
    matches!(e, Error::Refused { code: Code::PreconditionFailed, .. })
}

async fn a_subscription_is_found_only_through_its_organization(t: &T) {
    t.catalogue().await;
    let (org, users) = t.org("ours", 2).await;
    let (other, _) = t.org("theirs", 0).await;
    let sub = t.subscribe(org, 3).await;
    assert_eq!(t.core.subscription(OP, org, sub.id).await.unwrap().version, sub.version);
    assert!(matches!(t.core.subscription(OP, other, sub.id).await, Err(Error::NotFound)));
    let member = Actor::User(users[0]);
    assert!(matches!(t.core.subscription(member, org, sub.id).await, Err(Error::Forbidden)));
    t.core.change_member_role(OP, org, users[1], "license_admin", &META).await.unwrap();
    assert!(t.core.subscription(Actor::User(users[1]), org, sub.id).await.is_ok());
    assert!(matches!(t.core.subscription(Actor::User(users[1]), other, sub.id).await, Err(Error::NotFound)));
}
core_test!(a_subscription_is_found_only_through_its_organization);

async fn a_resize_from_a_stale_version_changes_nothing(t: &T) {
    t.catalogue().await;
    let (org, users) = t.org("resize", 1).await;
    let read = t.subscribe(org, 3).await;
    // A seat assigned since the read changes what the subscription shows, so its version.
    let assigned = t.core.assign_seat(OP, org, "cet-pro", users[0], &META).await.unwrap();
    assert_ne!(assigned.version, read.version);
    let e = t.core.set_subscription_seats(OP, read.id, 5, Some(&read.version), &META).await.unwrap_err();
    assert!(stale(&e), "{e:?}");
    assert_eq!(t.core.subscription(OP, org, read.id).await.unwrap().seats, 3, "nothing saved");

    let resized = t.core.set_subscription_seats(OP, read.id, 5, Some(&assigned.version), &META).await.unwrap();
    assert_eq!((resized.seats, resized.seats_used), (5, 1));
    assert_ne!(resized.version, assigned.version);
    let again = t.core.set_subscription_seats(OP, read.id, 4, Some(&assigned.version), &META).await.unwrap_err();
    assert!(stale(&again), "the version of before the resize is stale now: {again:?}");
    let below = t.core.set_subscription_seats(OP, read.id, 0, Some(&resized.version), &META).await.unwrap_err();
    assert_eq!(code(&below), "below_seats_in_use");
    assert_eq!(t.core.set_subscription_seats(OP, read.id, 2, None, &META).await.unwrap().seats, 2);
}
core_test!(a_resize_from_a_stale_version_changes_nothing);

/// Two resizes from the same version at once: exactly one passes, the other is told the
/// subscription changed (the version is compared under the seat lock).
async fn two_resizes_from_one_version_cannot_both_pass(t: &T) {
    t.catalogue().await;
    let (org, _) = t.org("race", 0).await;
    let sub = t.subscribe(org, 3).await;
    for round in 0..5 {
        let v = t.core.set_subscription_seats(OP, sub.id, 3, None, &META).await.unwrap().version;
        let (a, b) = tokio::join!(
            t.core.set_subscription_seats(OP, sub.id, 10 + round, Some(&v), &META),
            t.core.set_subscription_seats(OP, sub.id, 20 + round, Some(&v), &META),
        );
        let refused = match (a, b) {
            (Ok(_), Err(e)) | (Err(e), Ok(_)) => e,
            other => panic!("exactly one must pass: {other:?}"),
        };
        assert!(stale(&refused) || matches!(refused, Error::Unavailable(_)), "{refused:?}");
    }
}
core_test!(two_resizes_from_one_version_cannot_both_pass);

async fn ensuring_a_seat_twice_assigns_it_once(t: &T) {
    t.catalogue().await;
    let (org, users) = t.org("twice", 2).await;
    t.subscribe(org, 1).await;
    let first = t.core.ensure_seat(OP, org, "cet-pro", users[0], &META).await.unwrap();
    let second = t.core.ensure_seat(OP, org, "cet-pro", users[0], &META).await.unwrap();
    assert_eq!((first.id, first.seats_used, second.seats_used), (second.id, 1, 1));
    assert_eq!(second.version, first.version, "nothing changed");
    assert_eq!(code(&t.core.assign_seat(OP, org, "cet-pro", users[0], &META).await.unwrap_err()), "already_assigned");
    assert_eq!(code(&t.core.ensure_seat(OP, org, "cet-pro", users[1], &META).await.unwrap_err()), "no_free_seat");
    let events = t.core.organization_audit(OP, org, 1000).await.unwrap();
    assert_eq!(events.iter().filter(|e| e.action == "licensing.seat_changed").count(), 1, "recorded once");
}
core_test!(ensuring_a_seat_twice_assigns_it_once);

async fn plans_are_listed_by_product_then_key_to_the_operator_only(t: &T) {
    t.catalogue().await;
    for (product, key) in [("warehouse", "wh-basic"), ("cet", "cet-basic")] {
        let new = super::NewPlan { product, key, name: key, landing: "none", ..super::NewPlan::default() };
        t.core.create_plan(OP, new, &META).await.unwrap();
    }
    let plans = t.core.plans(OP).await.unwrap();
    let keys: Vec<(&str, &str)> = plans.iter().map(|p| (p.product.as_str(), p.key.as_str())).collect();
    assert_eq!(keys, [("cet", "cet-basic"), ("cet", "cet-pro"), ("warehouse", "wh-basic")]);
    assert_eq!(plans[1].entitlements, ["cet.edition.pro"]);
    let user = t.user("someone@example.com").await;
    assert!(matches!(t.core.plans(Actor::User(user)).await, Err(Error::Forbidden)));
}
core_test!(plans_are_listed_by_product_then_key_to_the_operator_only);

async fn times_are_kept_in_utc_within_the_years_both_databases_hold(t: &T) {
    t.catalogue().await;
    let (org, _) = t.org("times", 0).await;
    let at = |s: &str| time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).unwrap();
    let new = |starts_at, ends_at| super::NewSubscription { plan: "cet-pro", seats: 1, starts_at, ends_at };
    let starts = at("2027-01-01T00:30:00+01:00");
    let s = t.core.create_subscription(OP, org, new(Some(starts), None), &META).await.unwrap();
    assert_eq!((s.starts_at, s.starts_at.offset()), (starts, time::UtcOffset::UTC));
    let listed = t.core.subscription(OP, org, s.id).await.unwrap();
    assert_eq!(listed.starts_at.to_string(), "2026-12-31 23:30:00.0 +00:00:00", "stored in UTC");

    let beyond = new(None, Some(at("9999-12-31T23:30:00-01:00")));
    let e = t.core.create_subscription(OP, org, beyond, &META).await.unwrap_err();
    assert_eq!((super::tests::fields(&e), code(&e)), (vec!["ends_at".to_owned()], "out_of_range"));
    let reversed = new(Some(starts), Some(starts));
    let e = t.core.create_subscription(OP, org, reversed, &META).await.unwrap_err();
    assert_eq!((super::tests::fields(&e), code(&e)), (vec!["ends_at".to_owned()], "before_start"));
}
core_test!(times_are_kept_in_utc_within_the_years_both_databases_hold);
