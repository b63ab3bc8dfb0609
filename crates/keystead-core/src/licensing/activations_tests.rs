//! Machine activations, offline license tokens and entitlements on both databases: the machine
//! limit (also under a race), re-activation, deactivation freeing a slot, who may see what.

use time::Duration;

use super::use_test_support::{META, T, refused_code, use_test};
use crate::clock::Clock;
use crate::error::Error;
use crate::ids::MachineId;
use crate::store::on_db;

async fn stored_fingerprints(t: &T) -> Vec<String> {
    let mut conn = t.core.store().conn().await.unwrap();
    let sql = "SELECT fingerprint FROM machine_activations ORDER BY fingerprint";
    on_db!(conn.db(), |c| sqlx::query_scalar::<_, String>(sql).fetch_all(c).await).unwrap()
}

async fn the_machine_limit_refuses_a_third_machine_until_one_is_deactivated(t: &T) {
    let user = t.licensed_user("ada@example.com").await;
    let a = t.core.activate_machine(user, "cet", "fp-a", "Office PC", &META).await.unwrap();
    let b = t.core.activate_machine(user, "cet", "fp-b", "Laptop", &META).await.unwrap();
    let e = t.core.activate_machine(user, "cet", "fp-c", "Home", &META).await.unwrap_err();
    assert_eq!(refused_code(&e), "machine_limit");
    assert!(e.to_string().contains("allows 2 machines"), "{e}");

    // A known machine comes back: no new slot, only seen again (and renamed).
    t.clock.advance(Duration::hours(3));
    let again = t.core.activate_machine(user, "cet", "fp-a", "Office PC 2", &META).await.unwrap();
    assert_eq!(again.id, a.id);
    assert_eq!(again.activated_at, a.activated_at);
    assert_eq!(again.last_seen_at, a.activated_at + Duration::hours(3));
    assert_eq!(again.name, "Office PC 2");

    // Only the hash of a fingerprint is stored.
    assert_eq!(stored_fingerprints(t).await, {
        let mut v = vec![super::fingerprint_hash("fp-a"), super::fingerprint_hash("fp-b")];
        v.sort();
        v
    });

    t.core.deactivate_machine(user, b.id, &META).await.unwrap();
    let c = t.core.activate_machine(user, "cet", "fp-c", "Home", &META).await.unwrap();
    let listed: Vec<_> = t.core.machines_of(user).await.unwrap().into_iter().map(|m| (m.id, m.product)).collect();
    assert_eq!(listed, [(a.id, "cet".to_owned()), (c.id, "cet".to_owned())]);
    let actions: Vec<String> = t.core.audit_events_for(user, 50).await.unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(actions.iter().filter(|a| *a == "licensing.machine_activated").count(), 3, "{actions:?}");
    assert_eq!(actions.iter().filter(|a| *a == "licensing.machine_deactivated").count(), 1, "{actions:?}");
}
use_test!(the_machine_limit_refuses_a_third_machine_until_one_is_deactivated);

async fn concurrent_activations_never_exceed_the_limit(t: &T) {
    let user = t.licensed_user("ada@example.com").await;
    t.core.activate_machine(user, "cet", "first", "First", &META).await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..6 {
        let core = t.core.clone();
        tasks.push(tokio::spawn(async move {
            core.activate_machine(user, "cet", &format!("racer-{i}"), "Racer", &META).await
        }));
    }
    let mut won = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => won += 1,
            Err(e) => assert_eq!(refused_code(&e), "machine_limit"),
        }
    }
    assert_eq!(won, 1, "exactly one racer takes the last slot");
    assert_eq!(t.core.machines_of(user).await.unwrap().len(), 2);
}
use_test!(concurrent_activations_never_exceed_the_limit);

async fn a_license_without_a_limit_lifts_it_and_no_license_is_not_found(t: &T) {
    let user = t.licensed_user("ada@example.com").await;
    let team = t.org("team", "cet-team").await;
    t.seat(team, "cet-team", user).await;
    for i in 0..4 {
        t.core.activate_machine(user, "cet", &format!("fp-{i}"), "PC", &META).await.unwrap();
    }
    let stranger = t.user("eve@example.com").await;
    let e = t.core.activate_machine(stranger, "cet", "fp", "PC", &META).await.unwrap_err();
    assert!(matches!(e, Error::NotFound), "{e:?}");
    let e = t.core.activate_machine(user, "no-such-product", "fp", "PC", &META).await.unwrap_err();
    assert!(matches!(e, Error::NotFound), "{e:?}");
    assert!(matches!(t.core.offline_license_token(stranger, "cet", "fp", "PC", &META).await, Err(Error::NotFound)));
    // Someone else's machine cannot be deactivated, nor can an unknown one.
    let theirs = t.core.machines_of(user).await.unwrap()[0].id;
    assert!(matches!(t.core.deactivate_machine(stranger, theirs, &META).await, Err(Error::NotFound)));
    assert!(matches!(t.core.deactivate_machine(user, MachineId::new(), &META).await, Err(Error::NotFound)));
    // Bad input is named field by field.
    match t.core.activate_machine(user, "cet", " ", &"n".repeat(101), &META).await.unwrap_err() {
        Error::Invalid(f) => {
            assert_eq!(f.0.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["fingerprint", "machine_name"]);
        }
        other => panic!("{other:?}"),
    }
}
use_test!(a_license_without_a_limit_lifts_it_and_no_license_is_not_found);

async fn the_offline_token_is_signed_bound_to_the_machine_and_lists_the_products_entitlements(t: &T) {
    let user = t.licensed_user("ada@example.com").await;
    t.core.set_extension_selected(user, "warehouse", true, &META).await.unwrap();
    let now = t.clock.now();
    let issued = t.core.offline_license_token(user, "cet", "fp-1", "Office PC", &META).await.unwrap();
    assert_eq!(issued.expires_at.unix_timestamp(), (now + Duration::days(14)).unix_timestamp());
    let verified = t.core.verify_own_jwt(&issued.token).await.unwrap().expect("signed by the deployment");
    assert_eq!(verified.typ.as_deref(), Some("license+jwt"));
    let c = serde_json::Value::Object(verified.claims);
    assert_eq!(c["sub"], user.to_string());
    assert_eq!(c["aud"], "cet");
    assert_eq!(c["machine"], super::fingerprint_hash("fp-1"));
    assert_eq!(c["exp"], issued.expires_at.unix_timestamp());
    assert_eq!(c["licenses"]["entitlements"], serde_json::json!(["cet.edition.pro"]));
    assert_eq!(c["licenses"]["extensions"], serde_json::json!(["warehouse"]));
    assert!(c["jti"].as_str().is_some_and(|j| !j.is_empty()));
    assert_eq!(t.core.machines_of(user).await.unwrap().len(), 1, "the token activated the machine");
    let actions: Vec<String> = t.core.audit_events_for(user, 50).await.unwrap().into_iter().map(|e| e.action).collect();
    assert!(actions.contains(&"licensing.license_token_issued".to_owned()), "{actions:?}");
}
use_test!(the_offline_token_is_signed_bound_to_the_machine_and_lists_the_products_entitlements);

async fn entitlements_merge_per_organization_and_report_the_earliest_end(t: &T) {
    let user = t.licensed_user("ada@example.com").await;
    let team = {
        let new = crate::organizations::NewOrganization { name: "team", slug: Some("team"), owner: None };
        let org = t.core.create_organization(crate::organizations::Actor::Operator, new, &META).await.unwrap().id;
        let ends = t.clock.now() + Duration::days(30);
        let new = super::NewSubscription { plan: "cet-team", seats: 1, starts_at: None, ends_at: Some(ends) };
        t.core.create_subscription(crate::organizations::Actor::Operator, org, new, &META).await.unwrap();
        t.seat(org, "cet-team", user).await;
        (org, ends)
    };
    let all = t.core.entitlements_of(user, None).await.unwrap();
    assert_eq!(all.plans, ["cet-pro", "cet-team"]);
    assert_eq!(all.products, ["cet"]);
    assert_eq!(all.entitlements, ["cet.edition.pro", "cet.edition.team"]);
    assert_eq!(all.valid_until, Some(team.1));
    let only_team = t.core.entitlements_of(user, Some(team.0)).await.unwrap();
    assert_eq!((only_team.plans, only_team.organization), (vec!["cet-team".to_owned()], Some(team.0)));
    // The active organization (none chosen: the first by name) decides the claim's content.
    let active = t.core.active_entitlements(user, None).await.unwrap();
    assert_eq!(active.plans, ["cet-pro"]);
    assert_eq!(active.valid_until, None);
    // A stranger holds nothing anywhere.
    let stranger = t.user("eve@example.com").await;
    assert!(t.core.entitlements_of(stranger, Some(team.0)).await.unwrap().is_empty());
    assert!(t.core.active_entitlements(stranger, None).await.unwrap().is_empty());
}
use_test!(entitlements_merge_per_organization_and_report_the_earliest_end);
