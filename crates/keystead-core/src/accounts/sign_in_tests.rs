//! Sign-in under pressure, on both databases: every sign-in path with a pool of ONE connection
//! (a path that holds a transaction and takes a second connection stalls there, and the hold
//! guard refuses it), and parallel guesses that must not outrun the per-account limits.

use secrecy::{ExposeSecret, SecretString};

use super::admin::NewUser;
use super::closing::CloseAccount;
use super::sign_in::SignInOutcome;
use crate::Core;
use crate::audit::RequestMeta;
use crate::clock::FakeClock;
use crate::error::Error;
use crate::mfa::Method;
use crate::organizations::{Actor, NewOrganization, OrganizationSettings};
use crate::sessions::{SessionInfo, SessionStage};
use crate::store::guard;
use crate::testing::TestDb;

const PASSWORD: &str = "a perfectly long passphrase";

fn meta() -> RequestMeta {
    RequestMeta {
        ip: Some("192.0.2.7".parse().unwrap()),
        user_agent: Some("test agent".to_owned()),
        via: None,
        operator: None,
    }
}

fn secret(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

macro_rules! both_databases {
    ($name:ident, $connections:expr) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = crate::testing::TestDb::sqlite().await.unwrap();
                let t = super::T::new(db, $connections).await;
                crate::store::guard::scope(super::$name(&t)).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(db) = crate::testing::TestDb::postgres().await.unwrap() else {
                    return;
                };
                let t = super::T::new(db, $connections).await;
                crate::store::guard::scope(super::$name(&t)).await;
            }
        }
    };
}

struct T {
    core: Core,
    _db: TestDb,
    _dir: tempfile::TempDir,
}

impl T {
    async fn new(db: TestDb, connections: u32) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let key = crate::testing::new_master_key().unwrap();
        let core = crate::testing::core_on(&db, dir.path(), &key, FakeClock::fixed(), |config| {
            config.database.max_connections = connections;
            config.passwords.workers = 2;
            config.passwords.queue = 64;
            config.rate_limits.sign_in_per_ip = 10_000;
        })
        .await
        .unwrap();
        Self { core, _db: db, _dir: dir }
    }

    async fn user(&self, email: &str) -> crate::ids::UserId {
        let new =
            NewUser { email, given_name: None, family_name: None, verified: true, password: Some(secret(PASSWORD)) };
        self.core.create_user(new, &RequestMeta::cli()).await.unwrap().id
    }

    async fn sign_in(&self, email: &str, password: &str) -> crate::Result<SessionInfo> {
        self.sign_in_with_token(email, password).await.map(|s| s.session)
    }

    async fn sign_in_with_token(&self, email: &str, password: &str) -> crate::Result<crate::sessions::NewSession> {
        match self.core.sign_in_with_password(email, &secret(password), &meta()).await? {
            SignInOutcome::SignedIn(s) => Ok(*s),
            SignInOutcome::ReactivationOffered(_) => panic!("unexpected reactivation offer"),
        }
    }
}

fn is_wrong_credentials(r: &crate::Result<impl std::fmt::Debug>) -> bool {
    matches!(r, Err(Error::Invalid(f)) if f.0.iter().any(|e| e.code == "invalid_credentials"))
}

/// Each sign-in path once, on a pool of one connection: with a nested take it would wait for
/// the acquire timeout and fail (and the guard would panic first).
async fn every_sign_in_path_runs_on_a_pool_of_one_connection(t: &T) {
    let c = &t.core;
    let ada = t.user("ada@example.com").await;
    // Wrong password, unknown address, right password.
    assert!(is_wrong_credentials(&t.sign_in("ada@example.com", "not the password at all").await));
    assert!(is_wrong_credentials(&t.sign_in("nobody@example.com", PASSWORD).await));
    let session = t.sign_in("ada@example.com", PASSWORD).await.unwrap();
    assert_eq!(session.stage, SessionStage::Authenticated);
    // Registration (a new address and a taken one).
    c.register("new@example.com", &secret(PASSWORD), None, None, &meta()).await.unwrap();
    c.register("ada@example.com", &secret(PASSWORD), None, None, &meta()).await.unwrap();
    // An unverified account's right password answers as a wrong one.
    assert!(is_wrong_credentials(&t.sign_in("new@example.com", PASSWORD).await));
    // An organization that requires a second factor: the setup comes next.
    let org = c
        .create_organization(Actor::Operator, NewOrganization { name: "Acme", slug: None, owner: Some(ada) }, &meta())
        .await
        .unwrap();
    let settings = OrganizationSettings { require_mfa: true, password_min_length: None, password_max_length: None };
    c.update_organization_settings(Actor::Operator, org.id, settings, &meta()).await.unwrap();
    let session = t.sign_in("ada@example.com", PASSWORD).await.unwrap();
    assert_eq!(session.stage, SessionStage::MfaSetupRequired);
    // An authenticator app, then the second step with it, with a recovery code, and wrong.
    let setup = c.start_totp_setup(&session).await.unwrap();
    let secret_b32 = setup.secret_grouped.clone();
    let now = u64::try_from(c.clock().now().unix_timestamp()).unwrap();
    let code = crate::mfa::totp_code_at(&secret_b32, now).unwrap();
    let enabled = c.confirm_totp_setup(&session, &setup.fingerprint, &code, &meta()).await.unwrap();
    let recovery = enabled.recovery_codes.unwrap();
    let pending = t.sign_in("ada@example.com", PASSWORD).await.unwrap();
    assert_eq!(pending.stage, SessionStage::SecondFactorPending);
    assert!(c.complete_second_factor(&pending, Method::Totp, "000000", &meta()).await.is_err());
    let later = crate::mfa::totp_code_at(&secret_b32, now + 30).unwrap();
    let done = c.complete_second_factor(&pending, Method::Totp, &later, &meta()).await;
    // The step after the one used at setup: accepted unless it is the same code by chance.
    assert!(done.is_ok() || later == code, "{done:?}");
    let pending = t.sign_in_with_token("ada@example.com", PASSWORD).await.unwrap();
    let done = c.complete_second_factor(&pending.session, Method::Recovery, &recovery[0], &meta()).await.unwrap();
    assert_eq!(done.stage, SessionStage::Authenticated);
    let signed_in = c.session_from_token(pending.token.expose_secret()).await.unwrap().unwrap();
    // Re-authentication with the password (right and wrong).
    assert!(c.reauthenticate(&signed_in, &secret("wrong password here"), "", &meta()).await.is_err());
    c.reauthenticate(&signed_in, &secret(PASSWORD), "", &meta()).await.unwrap();
    // Closing, then the closing account's sign-in offers reactivation.
    let close = CloseAccount { accepted: true, password: secret(PASSWORD) };
    c.close_account(&signed_in, &close, &meta()).await.unwrap();
    let offer = c.sign_in_with_password("ada@example.com", &secret(PASSWORD), &meta()).await.unwrap();
    let SignInOutcome::ReactivationOffered(offer) = offer else { panic!("expected a reactivation offer") };
    let back = c.reactivate_account(&offer.token, &meta()).await.unwrap();
    assert_eq!(back.session.stage, SessionStage::SecondFactorPending);
    // A disabled account.
    let _ = ada;
    let ada = c.user_by_email("ada@example.com").await.unwrap().id;
    c.disable_user(crate::organizations::Actor::Operator, ada, &RequestMeta::cli()).await.unwrap();
    assert!(t.sign_in("ada@example.com", PASSWORD).await.is_err());
}
both_databases!(every_sign_in_path_runs_on_a_pool_of_one_connection, 1);

/// Thirty wrong passwords at once for one address: at most the limit (5) are checked against
/// the hash; the rest are refused before it.
async fn parallel_wrong_passwords_are_checked_at_most_the_limit(t: &T) {
    t.user("target@example.com").await;
    let attempts = (0..30).map(|i| {
        let core = t.core.clone();
        tokio::spawn(guard::scope(async move {
            core.sign_in_with_password("target@example.com", &secret(&format!("wrong guess {i}")), &meta()).await
        }))
    });
    let mut checked = 0;
    let mut refused = 0;
    for a in attempts.collect::<Vec<_>>() {
        let r = a.await.unwrap();
        if is_wrong_credentials(&r) {
            checked += 1;
        } else if matches!(r, Err(Error::RateLimited { .. })) {
            refused += 1;
        } else {
            panic!("unexpected answer: {r:?}");
        }
    }
    assert_eq!((checked, refused), (5, 25));
    // Locked now, even for the right password.
    assert!(matches!(t.sign_in("target@example.com", PASSWORD).await, Err(Error::RateLimited { .. })));
}
both_databases!(parallel_wrong_passwords_are_checked_at_most_the_limit, 10);

/// Thirty wrong authenticator codes at once: at most five are checked.
async fn parallel_wrong_codes_are_checked_at_most_the_limit(t: &T) {
    t.user("codes@example.com").await;
    let session = t.sign_in("codes@example.com", PASSWORD).await.unwrap();
    let setup = t.core.start_totp_setup(&session).await.unwrap();
    let now = u64::try_from(t.core.clock().now().unix_timestamp()).unwrap();
    let code = crate::mfa::totp_code_at(&setup.secret_grouped, now).unwrap();
    t.core.confirm_totp_setup(&session, &setup.fingerprint, &code, &meta()).await.unwrap();
    let pending = t.sign_in("codes@example.com", PASSWORD).await.unwrap();
    let right_now = crate::mfa::totp_code_at(&setup.secret_grouped, now + 60).unwrap();
    let wrong = if right_now == "111111" { "222222" } else { "111111" };
    let attempts: Vec<_> = (0..30)
        .map(|_| {
            let core = t.core.clone();
            let pending = pending.clone();
            tokio::spawn(guard::scope(async move {
                core.complete_second_factor(&pending, Method::Totp, wrong, &meta()).await
            }))
        })
        .collect();
    let mut checked = 0;
    let mut refused = 0;
    for a in attempts {
        match a.await.unwrap() {
            Err(Error::Invalid(f)) if f.0.iter().any(|e| e.code == "wrong_code") => checked += 1,
            Err(Error::RateLimited { .. }) => refused += 1,
            other => panic!("unexpected answer: {other:?}"),
        }
    }
    assert_eq!((checked, refused), (5, 25));
}
both_databases!(parallel_wrong_codes_are_checked_at_most_the_limit, 10);

/// Thirty wrong entries of one emailed code at once: the code's five attempts are taken one
/// each, so exactly four answers count down and the rest say the code is spent.
async fn parallel_wrong_emailed_codes_take_one_attempt_each(t: &T) {
    let user = t.user("emailed@example.com").await;
    let mut tx = t.core.store().begin().await.unwrap();
    let code = super::codes::issue(&t.core, &mut tx, user, "test", serde_json::json!({})).await.unwrap();
    tx.commit().await.unwrap();
    let wrong = if code == "123456" { "654321" } else { "123456" };
    let attempts: Vec<_> = (0..30)
        .map(|_| {
            let core = t.core.clone();
            tokio::spawn(guard::scope(async move { super::codes::redeem(&core, user, "test", wrong).await }))
        })
        .collect();
    let mut counting_down = 0;
    for a in attempts {
        let Err(Error::Invalid(f)) = a.await.unwrap() else { panic!("a wrong code was accepted") };
        if f.0[0].message.contains("left") {
            counting_down += 1;
        }
    }
    assert_eq!(counting_down, 4);
    assert!(super::codes::redeem(&t.core, user, "test", &code).await.is_err(), "the spent code stays spent");
}
both_databases!(parallel_wrong_emailed_codes_take_one_attempt_each, 10);
