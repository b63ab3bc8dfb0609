//! Briefcases on both databases: creation, replacement only with the version read (also when
//! two writers race), the size limit, JSON checks, and no briefcase without a license.

use super::use_test_support::{META, T, refused_code, use_test};
use crate::error::Error;

async fn a_briefcase_is_created_once_and_replaced_only_with_the_version_read(t: &T) {
    let user = t.licensed_user("ada@example.com").await;
    assert!(t.core.briefcase(user, "cet").await.unwrap().is_none());
    let first = t.core.put_briefcase(user, "cet", r#"{"theme":"dark"}"#, None, &META).await.unwrap();
    assert_eq!((first.version, first.size), (1, 16));
    // Without the version, an existing briefcase is not overwritten.
    let e = t.core.put_briefcase(user, "cet", r#"{"theme":"light"}"#, None, &META).await.unwrap_err();
    assert_eq!(refused_code(&e), "precondition_required");
    let second = t.core.put_briefcase(user, "cet", r#"{"theme":"light"}"#, Some(1), &META).await.unwrap();
    assert_eq!(second.version, 2);
    // A writer still holding version 1 is refused, and nothing changes.
    let e = t.core.put_briefcase(user, "cet", r#"{"theme":"blue"}"#, Some(1), &META).await.unwrap_err();
    assert_eq!(refused_code(&e), "precondition_failed");
    let stored = t.core.briefcase(user, "cet").await.unwrap().unwrap();
    assert_eq!((stored.body.as_str(), stored.version), (r#"{"theme":"light"}"#, 2));

    let listed = t.core.briefcases_of(user).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].product.as_str(), listed[0].size, listed[0].version), ("cet", 17, 2));
    t.core.reset_briefcase(user, "cet", &META).await.unwrap();
    assert!(t.core.briefcase(user, "cet").await.unwrap().is_none());
    assert!(matches!(t.core.reset_briefcase(user, "cet", &META).await, Err(Error::NotFound)));
    // After a reset, an old version names nothing; a new briefcase starts again.
    let e = t.core.put_briefcase(user, "cet", "{}", Some(2), &META).await.unwrap_err();
    assert_eq!(refused_code(&e), "precondition_failed");
    assert_eq!(t.core.put_briefcase(user, "cet", "{}", None, &META).await.unwrap().version, 1);
    let actions: Vec<String> = t.core.audit_events_for(user, 50).await.unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(actions.iter().filter(|a| *a == "licensing.briefcase_changed").count(), 4, "{actions:?}");
}
use_test!(a_briefcase_is_created_once_and_replaced_only_with_the_version_read);

async fn two_writers_from_the_same_version_exactly_one_wins(t: &T) {
    let user = t.licensed_user("ada@example.com").await;
    t.core.put_briefcase(user, "cet", r#"{"n":0}"#, None, &META).await.unwrap();
    let mut tasks = Vec::new();
    for i in 1..=4 {
        let core = t.core.clone();
        tasks.push(tokio::spawn(async move {
            core.put_briefcase(user, "cet", &format!(r#"{{"n":{i}}}"#), Some(1), &META).await
        }));
    }
    let mut winners = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Ok(b) => winners.push(b.body),
            Err(e) => assert_eq!(refused_code(&e), "precondition_failed"),
        }
    }
    assert_eq!(winners.len(), 1, "{winners:?}");
    let stored = t.core.briefcase(user, "cet").await.unwrap().unwrap();
    assert_eq!((stored.body.as_str(), stored.version), (winners[0].as_str(), 2));
}
use_test!(two_writers_from_the_same_version_exactly_one_wins);

async fn oversized_and_non_object_documents_are_refused(t: &T) {
    let user = t.licensed_user("ada@example.com").await;
    let max = t.core.config().licenses.briefcase_max_bytes;
    let filler = "x".repeat(max - 12);
    let fits = format!(r#"{{"a":"{filler}"}}"#);
    assert!(fits.len() <= max);
    t.core.put_briefcase(user, "cet", &fits, None, &META).await.unwrap();
    let too_big = format!(r#"{{"a":"{filler}xxxxxxxxxx"}}"#);
    let e = t.core.put_briefcase(user, "cet", &too_big, Some(1), &META).await.unwrap_err();
    assert_eq!(refused_code(&e), "too_large");
    assert!(e.to_string().contains("64 KiB"), "{e}");
    for bad in ["{", "not json", "[1,2]", "\"text\"", "", "{\"a\":1} trailing"] {
        let e = t.core.put_briefcase(user, "cet", bad, Some(1), &META).await.unwrap_err();
        assert_eq!(refused_code(&e), "invalid_json", "{bad:?}");
    }
    assert_eq!(t.core.briefcase(user, "cet").await.unwrap().unwrap().version, 1, "nothing was written");
}
use_test!(oversized_and_non_object_documents_are_refused);

async fn without_a_license_of_the_product_there_is_no_briefcase(t: &T) {
    let stranger = t.user("eve@example.com").await;
    assert!(matches!(t.core.briefcase(stranger, "cet").await, Err(Error::NotFound)));
    assert!(matches!(t.core.put_briefcase(stranger, "cet", "{}", None, &META).await, Err(Error::NotFound)));
    let user = t.licensed_user("ada@example.com").await;
    assert!(matches!(t.core.briefcase(user, "warehouse").await, Err(Error::NotFound)));
    assert!(matches!(t.core.put_briefcase(user, "nothing", "{}", None, &META).await, Err(Error::NotFound)));
    // Each user has their own.
    t.core.put_briefcase(user, "cet", r#"{"mine":true}"#, None, &META).await.unwrap();
    let other = t.licensed_user("bob@example.com").await;
    assert!(t.core.briefcase(other, "cet").await.unwrap().is_none());
    assert!(t.core.briefcases_of(stranger).await.unwrap().is_empty());
}
use_test!(without_a_license_of_the_product_there_is_no_briefcase);
