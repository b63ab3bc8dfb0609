//! Seat assignment beyond the single seat: the email telling the user (and its opt-out), and
//! bulk assignment to a group within the seats bought — on both databases.

use super::tests::{META, OP, T, code, core_test};
use crate::accounts::preferences::Category;
use crate::error::Error;
use crate::ids::UserId;
use crate::organizations::Actor;

/// The emails queued to `to` with `subject`.
async fn emails(t: &T, to: &str, subject: &str) -> usize {
    let jobs = t.core.outbox(1000).await.unwrap();
    jobs.iter()
        .filter(|j| j.payload["to"].as_str() == Some(to) && j.payload["subject"].as_str() == Some(subject))
        .count()
}

async fn an_assigned_user_is_emailed_unless_they_turned_licenses_emails_off(t: &T) {
    t.catalogue().await;
    let (org, users) = t.org("mail", 2).await;
    t.subscribe(org, 5).await;
    let subject = "You have a license of CET Pro";
    t.core.assign_seat(OP, org, "cet-pro", users[0], &META).await.unwrap();
    assert_eq!(emails(t, "m0@mail.example", subject).await, 1);
    let job = t.core.outbox(1000).await.unwrap().into_iter().find(|j| j.payload["subject"] == subject).unwrap();
    let text = job.payload["text"].as_str().unwrap();
    assert!(text.contains("mail assigned you a license of CET Pro"), "{text}");
    assert!(text.contains("/account/licenses"), "{text}");

    let keep = [Category::Account, Category::Invoices];
    t.core.set_notification_preferences(users[1], &keep, &META).await.unwrap();
    t.core.assign_seat(OP, org, "cet-pro", users[1], &META).await.unwrap();
    assert_eq!(emails(t, "m1@mail.example", subject).await, 0, "licenses emails were turned off");

    // A refused assignment sends nothing.
    assert_eq!(code(&t.core.assign_seat(OP, org, "cet-pro", users[0], &META).await.unwrap_err()), "already_assigned");
    assert_eq!(emails(t, "m0@mail.example", subject).await, 1);
}
core_test!(an_assigned_user_is_emailed_unless_they_turned_licenses_emails_off);

async fn a_group_gets_seats_while_they_last(t: &T) {
    t.catalogue().await;
    let (org, users) = t.org("bulk", 5).await;
    t.subscribe(org, 3).await;
    let group = t.core.create_group(OP, org, "Designers", "", "closed", &META).await.unwrap();
    for u in &users[..4] {
        t.core.add_to_group(OP, group, *u, &META).await.unwrap();
    }
    t.core.assign_seat(OP, org, "cet-pro", users[1], &META).await.unwrap();

    let licenser = users[4];
    t.core.change_member_role(OP, org, licenser, "license_admin", &META).await.unwrap();
    let done = t.core.assign_seats_to_group(Actor::User(licenser), org, "cet-pro", group, &META).await.unwrap();
    assert_eq!(done.assigned, ["m0@bulk.example", "m2@bulk.example"]);
    assert_eq!(done.already_held, 1);
    assert_eq!(done.without_seat, ["m3@bulk.example"]);
    let subs = t.core.subscriptions(OP, org).await.unwrap();
    assert_eq!((subs[0].seats_used, subs[0].seats), (3, 3), "never more than bought");
    let holders: Vec<UserId> = t.core.seat_holders(OP, subs[0].id).await.unwrap().iter().map(|h| h.user).collect();
    assert!(!holders.contains(&users[3]));

    // Again: nothing changes, nobody is emailed twice.
    let again = t.core.assign_seats_to_group(OP, org, "cet-pro", group, &META).await.unwrap();
    assert!(again.assigned.is_empty());
    assert_eq!((again.already_held, again.without_seat.len()), (3, 1));
}
core_test!(a_group_gets_seats_while_they_last);

async fn bulk_assignment_is_for_license_admins_and_the_organizations_own_groups(t: &T) {
    t.catalogue().await;
    let (org, users) = t.org("ours", 1).await;
    let (other, _) = t.org("theirs", 0).await;
    t.subscribe(org, 3).await;
    let foreign = t.core.create_group(OP, other, "Theirs", "", "closed", &META).await.unwrap();
    let group = t.core.create_group(OP, org, "Ours", "", "closed", &META).await.unwrap();
    let refused = t.core.assign_seats_to_group(OP, org, "cet-pro", foreign, &META).await;
    assert!(matches!(refused, Err(Error::NotFound)), "{refused:?}");
    let member = Actor::User(users[0]);
    let refused = t.core.assign_seats_to_group(member, org, "cet-pro", group, &META).await;
    assert!(matches!(refused, Err(Error::Forbidden)), "{refused:?}");
    let unknown = t.core.assign_seats_to_group(OP, org, "nope", group, &META).await.unwrap_err();
    assert_eq!(code(&unknown), "unknown_plan");
    // A key no database can hold (PostgreSQL text has no NUL) names no plan: not a 500.
    let unknown = t.core.assign_seats_to_group(OP, org, "cet\0pro", group, &META).await.unwrap_err();
    assert_eq!(code(&unknown), "unknown_plan");
}
core_test!(bulk_assignment_is_for_license_admins_and_the_organizations_own_groups);
