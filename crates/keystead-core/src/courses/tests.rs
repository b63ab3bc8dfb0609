use time::Duration;

use super::*;
use crate::accounts::admin::NewUser;
use crate::clock::{Clock as _, FakeClock};
use crate::testing::{TestDb, core_test};

struct T {
    core: Core,
    clock: FakeClock,
    _db: TestDb,
    _dir: tempfile::TempDir,
}

const META: RequestMeta = RequestMeta { ip: None, user_agent: None, via: None, operator: None };

impl T {
    async fn new(db: TestDb) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let clock = FakeClock::fixed();
        let key = crate::testing::new_master_key().unwrap();
        let core = crate::testing::core_on(&db, dir.path(), &key, clock.clone(), |_| {}).await.unwrap();
        Self { core, clock, _db: db, _dir: dir }
    }

    async fn user(&self, email: &str) -> UserId {
        let new = NewUser { email, given_name: None, family_name: None, verified: true, password: None };
        self.core.create_user(new, &RequestMeta::cli()).await.unwrap().id
    }
}

fn course<'a>(id: &'a str, title: &'a str, at: OffsetDateTime) -> NewCompletion<'a> {
    NewCompletion { course_id: id, title, completed_at: at, score: Some(92.5), certificate_url: None }
}

fn fields(r: Result<(CourseCompletion, Recorded)>) -> Vec<(String, &'static str)> {
    match r {
        Err(Error::Invalid(e)) => e.0.into_iter().map(|f| (f.field, f.code)).collect(),
        other => panic!("{other:?}"),
    }
}

async fn a_pushed_course_is_recorded_once_and_listed_newest_first(t: &T) {
    let ada = t.user("ada@example.com").await;
    let now = t.clock.now();
    let basics = course("cet-101", "CET Basics", now - Duration::days(30));
    let (first, recorded) = t.core.record_course_completion(ada, &basics, &META).await.unwrap();
    // Given in another offset and to the nanosecond, the same moment is the same push.
    let offset = time::UtcOffset::from_hms(2, 0, 0).unwrap();
    let same_moment = (now - Duration::days(30)).to_offset(offset) + Duration::nanoseconds(300);
    let (_, recorded_again) =
        t.core.record_course_completion(ada, &course("cet-101", "CET Basics", same_moment), &META).await.unwrap();
    assert_eq!(recorded_again, Recorded::Unchanged);
    assert_eq!((recorded, first.title.as_str(), first.score), (Recorded::Created, "CET Basics", Some(92.5)));
    // The same push again changes nothing, and is not audited twice.
    t.clock.advance(Duration::minutes(1));
    let (again, recorded) = t.core.record_course_completion(ada, &basics, &META).await.unwrap();
    assert_eq!((recorded, again.recorded_at), (Recorded::Unchanged, first.recorded_at));
    // New details replace the record.
    let mut retaken = course("cet-101", "CET Basics", now - Duration::days(2));
    retaken.certificate_url = Some("https://learn.example/certificates/81");
    let (updated, recorded) = t.core.record_course_completion(ada, &retaken, &META).await.unwrap();
    assert_eq!(recorded, Recorded::Updated);
    assert_eq!(updated.certificate_url.as_deref(), Some("https://learn.example/certificates/81"));
    let pro = course("cet-201", "CET Pro — Ölçüm & Prüfung", now - Duration::days(10));
    t.core.record_course_completion(ada, &pro, &META).await.unwrap();

    let listed = t.core.course_completions(ada).await.unwrap();
    let ids: Vec<&str> = listed.iter().map(|c| c.course_id.as_str()).collect();
    assert_eq!(ids, ["cet-101", "cet-201"], "newest completion first");
    assert_eq!(listed[1].title, "CET Pro — Ölçüm & Prüfung");
    let bob = t.user("bob@example.com").await;
    assert!(t.core.course_completions(bob).await.unwrap().is_empty(), "one user's courses only");
    let audit = t.core.audit_events_for(ada, 50).await.unwrap();
    assert_eq!(audit.iter().filter(|e| e.action == "course.completed").count(), 3);
}
core_test!(a_pushed_course_is_recorded_once_and_listed_newest_first);

async fn a_bad_push_is_refused_naming_each_field_and_records_nothing(t: &T) {
    let ada = t.user("ada@example.com").await;
    let now = t.clock.now();
    let long = "x".repeat(201);
    let bad = NewCompletion {
        course_id: &long,
        title: " ",
        completed_at: now + Duration::hours(1),
        score: Some(100.5),
        certificate_url: Some("javascript:alert(1)"),
    };
    let got = fields(t.core.record_course_completion(ada, &bad, &META).await);
    let expected = [
        ("course_id", "too_long"),
        ("title", "required"),
        ("completed_at", "in_future"),
        ("score", "out_of_range"),
        ("certificate_url", "invalid_url"),
    ];
    assert_eq!(got, expected.map(|(f, c)| (f.to_owned(), c)));
    let nan = NewCompletion { score: Some(f64::NAN), ..course("c", "C", now) };
    assert_eq!(fields(t.core.record_course_completion(ada, &nan, &META).await), [("score".to_owned(), "out_of_range")]);
    assert!(t.core.course_completions(ada).await.unwrap().is_empty());
    // Nobody to record it for.
    let r = t.core.record_course_completion(UserId::new(), &course("c", "C", now), &META).await;
    assert!(matches!(r, Err(Error::NotFound)), "{r:?}");
}
core_test!(a_bad_push_is_refused_naming_each_field_and_records_nothing);

async fn an_accounts_purge_erases_its_courses(t: &T) {
    let ada = t.user("ada@example.com").await;
    let now = t.clock.now();
    t.core.record_course_completion(ada, &course("cet-101", "CET Basics", now), &META).await.unwrap();
    let op = crate::organizations::Actor::Operator;
    t.core.close_account_as_operator(op, ada, &META).await.unwrap();
    t.clock.advance(t.core.closing_grace() + Duration::days(1));
    assert_eq!(t.core.purge_closed_accounts().await.unwrap(), 1);
    assert!(t.core.course_completions(ada).await.unwrap().is_empty());
    // A purged account gets none again.
    let r = t.core.record_course_completion(ada, &course("cet-101", "CET Basics", now), &META).await;
    assert!(matches!(r, Err(Error::NotFound)), "{r:?}");
}
core_test!(an_accounts_purge_erases_its_courses);

async fn two_pushes_of_a_new_course_at_once_create_it_once(t: &T) {
    let ada = t.user("ada@example.com").await;
    let basics = course("cet-101", "CET Basics", t.clock.now());
    let (a, b) = tokio::join!(
        t.core.record_course_completion(ada, &basics, &META),
        t.core.record_course_completion(ada, &basics, &META)
    );
    let mut outcomes = [a.unwrap().1, b.unwrap().1];
    outcomes.sort_by_key(|r| *r != Recorded::Created);
    assert_eq!(outcomes, [Recorded::Created, Recorded::Unchanged]);
    let audit = t.core.audit_events_for(ada, 50).await.unwrap();
    assert_eq!(audit.iter().filter(|e| e.action == "course.completed").count(), 1);
}
core_test!(two_pushes_of_a_new_course_at_once_create_it_once);
