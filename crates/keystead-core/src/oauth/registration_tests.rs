//! Registration checks, versioned changes, secret rotation with an overlap, and the audit trail
//! of the operator's client changes, on both databases.

use secrecy::ExposeSecret as _;

use time::Duration;

use super::registration::*;
use super::{ClientKind, SigningAlg};
use crate::api_tokens::ApiScope;
use crate::audit::RequestMeta;
use crate::error::{Code, Error, FieldErrors};
use crate::organizations::Actor;

#[test]
fn registration_refuses_unsafe_redirects_and_public_client_credentials() {
    let new = NewClient {
        name: "App".into(),
        kind: ClientKind::Public,
        first_party: false,
        redirect_uris: vec!["http://app.example/cb".into(), "https://app.example/cb#x".into()],
        grant_types: vec!["client_credentials".into(), "password".into()],
        post_logout_redirect_uris: vec![],
        backchannel_logout_uri: None,
        id_token_alg: Some("HS256".into()),
        api_scopes: vec!["users:read".into(), "scim".into(), "users:admin".into()],
        require_pushed_authorization_requests: false,
    };
    let errors = match validate(&new, false) {
        Err(Error::Invalid(e)) => e,
        _ => FieldErrors::new(),
    };
    let codes: Vec<_> = errors.0.iter().map(|e| e.code).collect();
    for code in [
        "insecure_uri",
        "fragment",
        "unknown_grant",
        "public_client_credentials",
        "unknown_alg",
        "scope_needs_organization",
        "unknown_scope",
        "needs_client_credentials",
    ] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
}

#[test]
fn a_back_channel_uri_at_a_private_address_needs_private_networks_allowed() {
    let new = NewClient {
        name: "App".into(),
        kind: ClientKind::Confidential,
        first_party: false,
        redirect_uris: vec!["https://app.example/cb".into()],
        grant_types: vec![],
        post_logout_redirect_uris: vec![],
        backchannel_logout_uri: Some("http://127.0.0.1:9000/logout".into()),
        id_token_alg: None,
        api_scopes: vec![],
        require_pushed_authorization_requests: false,
    };
    match validate(&new, false) {
        Err(Error::Invalid(e)) => {
            assert_eq!(e.0.len(), 1, "{e:?}");
            assert_eq!((e.0[0].field.as_str(), e.0[0].code), ("backchannel_logout_uri", "private_address"));
            assert!(e.0[0].message.contains("outbound.allow_private_networks"), "{e:?}");
        }
        other => panic!("expected a field error, got {other:?}"),
    }
    assert!(validate(&new, true).is_ok());
}

/// The operator's changes are in the audit log: registering and deleting a client, and
/// publishing new signing keys.
async fn operator_changes_are_audited(db: crate::testing::TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let key = crate::testing::new_master_key().unwrap();
    let core = crate::testing::core_on(&db, dir.path(), &key, crate::clock::FakeClock::fixed(), |_| {}).await.unwrap();
    let new = NewClient {
        name: "Billing".into(),
        kind: ClientKind::Confidential,
        first_party: true,
        redirect_uris: vec!["https://billing.example/cb".into()],
        grant_types: vec![],
        post_logout_redirect_uris: vec![],
        backchannel_logout_uri: None,
        id_token_alg: None,
        api_scopes: vec![],
        require_pushed_authorization_requests: false,
    };
    let cli = RequestMeta::cli();
    let created = core.create_oauth_client(Actor::Operator, new, &cli).await.unwrap();
    let id = &created.client.client_id;
    core.delete_oauth_client(Actor::Operator, id, &cli).await.unwrap();
    assert!(matches!(core.delete_oauth_client(Actor::Operator, id, &cli).await, Err(Error::NotFound)));
    let rotated = core.rotate_signing_keys(true).await.unwrap();
    assert_eq!(rotated.len(), SigningAlg::ALL.len());
    assert!(core.rotate_signing_keys(false).await.unwrap().is_empty(), "a successor exists: nothing to do");

    let mut conn = core.store().conn().await.unwrap();
    let rows: Vec<(String, sqlx::types::Json<serde_json::Value>)> =
        crate::store::on_db!(conn.db(), |c| sqlx::query_as(
            "SELECT action, details FROM audit_events WHERE action LIKE 'oauth.%' ORDER BY occurred_at, id"
        )
        .fetch_all(c)
        .await)
        .unwrap();
    let actions: Vec<&str> = rows.iter().map(|(a, _)| a.as_str()).collect();
    let rows: Vec<(&str, String)> = rows.iter().map(|(a, d)| (a.as_str(), d.0.to_string())).collect();
    assert_eq!(actions, ["oauth.client_registered", "oauth.client_deleted", "oauth.signing_keys_rotated"]);
    assert!(rows[0].1.contains(&created.client.client_id) && rows[0].1.contains("Billing"), "{}", rows[0].1);
    assert!(rows[1].1.contains(&created.client.client_id), "{}", rows[1].1);
    for k in &rotated {
        assert!(rows[2].1.contains(&k.kid), "{}", rows[2].1);
    }
}

#[tokio::test]
async fn operator_changes_are_audited_on_sqlite() {
    operator_changes_are_audited(crate::testing::TestDb::sqlite().await.unwrap()).await;
}

#[tokio::test]
async fn operator_changes_are_audited_on_postgres() {
    if let Some(db) = crate::testing::TestDb::postgres().await.unwrap() {
        operator_changes_are_audited(db).await;
    }
}

/// A change is checked like a registration and refused on a stale version; a rotation that
/// keeps the old secret lets both authenticate until the overlap ends, then only the new.
async fn changes_are_versioned_and_rotation_overlaps(db: crate::testing::TestDb) {
    use super::clients::ClientCredentials;
    let dir = tempfile::tempdir().unwrap();
    let key = crate::testing::new_master_key().unwrap();
    let clock = crate::clock::FakeClock::fixed();
    let core = crate::testing::core_on(&db, dir.path(), &key, clock.clone(), |_| {}).await.unwrap();
    let cli = RequestMeta::cli();
    let new = NewClient {
        name: "Sync".into(),
        kind: ClientKind::Confidential,
        first_party: false,
        redirect_uris: vec![],
        grant_types: vec!["client_credentials".into()],
        post_logout_redirect_uris: vec![],
        backchannel_logout_uri: None,
        id_token_alg: None,
        api_scopes: vec!["users:read".into()],
        require_pushed_authorization_requests: false,
    };
    let made = core.create_oauth_client(Actor::Operator, new, &cli).await.unwrap();
    let id = made.client.client_id.clone();
    let v1 = made.client.version();
    let refused = core.create_oauth_client(Actor::User(crate::ids::UserId::new()), made_like(), &cli).await;
    assert!(matches!(refused, Err(Error::Forbidden)), "{refused:?}");

    let scopes =
        ClientChanges { api_scopes: Some(vec!["users:read".into(), "orgs:read".into()]), ..Default::default() };
    let changed = core.update_oauth_client(Actor::Operator, &id, scopes.clone(), Some(&v1), &cli).await.unwrap();
    assert_eq!(changed.api_scopes, [ApiScope::UsersRead, ApiScope::OrgsRead]);
    assert_ne!(changed.version(), v1);
    let stale = core.update_oauth_client(Actor::Operator, &id, scopes, Some(&v1), &cli).await.unwrap_err();
    assert!(matches!(stale, Error::Refused { code: Code::PreconditionFailed, .. }), "{stale:?}");
    let no_grant = ClientChanges { grant_types: Some(vec!["authorization_code".into()]), ..Default::default() };
    match core.update_oauth_client(Actor::Operator, &id, no_grant, None, &cli).await {
        Err(Error::Invalid(e)) => {
            let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
            assert_eq!(fields, ["redirect_uri", "api_scopes"], "{e:?}");
        }
        other => panic!("expected field errors, got {other:?}"),
    }

    let old = made.secret.unwrap();
    let works = |secret: String| {
        let core = core.clone();
        let id = id.clone();
        async move {
            let creds = ClientCredentials { basic: Some((&id, &secret)), ..Default::default() };
            core.authenticate_oauth_client(creds).await.is_ok()
        }
    };
    let old_text = || old.expose_secret().to_owned();
    assert!(works(old_text()).await);
    let keep = Duration::hours(2);
    let rotated = core.rotate_oauth_client_secret(Actor::Operator, &id, keep, &cli).await.unwrap();
    let new_text = rotated.secret.as_ref().unwrap().expose_secret().to_owned();
    assert!(works(new_text.clone()).await && works(old_text()).await, "both work during the overlap");
    clock.advance(Duration::hours(2));
    assert!(works(new_text.clone()).await && !works(old_text()).await, "only the new one after it");
    let again = core.rotate_oauth_client_secret(Actor::Operator, &id, Duration::ZERO, &cli).await.unwrap();
    assert!(!works(new_text).await, "rotated without overlap: the previous secret ends now");
    assert!(works(again.secret.unwrap().expose_secret().to_owned()).await);
    let too_long = core.rotate_oauth_client_secret(Actor::Operator, &id, Duration::days(8), &cli).await;
    assert!(matches!(too_long, Err(Error::Invalid(_))), "{too_long:?}");
}

fn made_like() -> NewClient {
    NewClient {
        name: "X".into(),
        kind: ClientKind::Public,
        first_party: false,
        redirect_uris: vec!["https://x.example/cb".into()],
        grant_types: vec![],
        post_logout_redirect_uris: vec![],
        backchannel_logout_uri: None,
        id_token_alg: None,
        api_scopes: vec![],
        require_pushed_authorization_requests: false,
    }
}

#[tokio::test]
async fn changes_are_versioned_and_rotation_overlaps_on_sqlite() {
    changes_are_versioned_and_rotation_overlaps(crate::testing::TestDb::sqlite().await.unwrap()).await;
}

#[tokio::test]
async fn changes_are_versioned_and_rotation_overlaps_on_postgres() {
    if let Some(db) = crate::testing::TestDb::postgres().await.unwrap() {
        changes_are_versioned_and_rotation_overlaps(db).await;
    }
}
