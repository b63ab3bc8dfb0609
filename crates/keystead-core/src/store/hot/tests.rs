//! The cache's rules (lease, fence, lost listener) and, on two nodes of one database, that every
//! kind of revocation ends a token on the other node within a second. On SQLite the same
//! flows run without a cache (one process) and must end the token at once.

use std::time::{Duration, Instant};

use super::{HotCache, LEASE};
use crate::Core;
use crate::accounts::User;
use crate::accounts::admin::NewUser;
use crate::audit::RequestMeta;
use crate::clock::FakeClock;
use crate::oauth::token::TokenParams;
use crate::oauth::{Client, ClientKind, NewClient};
use crate::organizations::Actor;
use crate::sessions::SessionStage;
use crate::store::Backend;
use crate::testing::{TestDb, core_test};

#[test]
fn the_cache_answers_only_within_the_lease_of_its_own_returned_ping() {
    let hot = HotCache::new();
    hot.running.store(true, std::sync::atomic::Ordering::Release);
    assert!(!hot.serving(Instant::now()), "no ping has come back yet");
    hot.announced(&format!("p {} 1", hot.node.wrapping_add(1)));
    assert!(!hot.serving(Instant::now()), "another node's ping proves nothing about this listener");
    let ping = hot.ping_payload();
    let sent = Instant::now();
    hot.announced(&ping);
    assert!(hot.serving(Instant::now()));
    assert!(!hot.serving(sent + LEASE), "no answers once the last ping back was sent a lease ago");
    hot.committed();
    assert!(!hot.serving(Instant::now()), "a commit here waits for a ping sent after it");
    hot.announced(&hot.ping_payload());
    assert!(hot.serving(Instant::now()));
    hot.lost();
    assert!(!hot.serving(Instant::now()), "a lost listener stops the answers");
}

#[test]
fn announcements_forget_their_key_and_a_lost_listener_forgets_everything_twice() {
    let hot = HotCache::new();
    hot.running.store(true, std::sync::atomic::Ordering::Release);
    let now = Instant::now();
    let (a, b) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    hot.revoked_jtis.insert(a.to_string(), false, hot.revoked_jtis.ticket(&a.to_string()), now);
    hot.revoked_jtis.insert(b.to_string(), false, hot.revoked_jtis.ticket(&b.to_string()), now);
    hot.announced(&format!("j {a}"));
    assert_eq!(hot.revoked_jtis.get(&a.to_string(), now), None);
    assert_eq!(hot.revoked_jtis.get(&b.to_string(), now), Some(false));
    hot.announced("x something new");
    assert_eq!(hot.revoked_jtis.get(&b.to_string(), now), None, "an unknown kind forgets everything");
    hot.announced(&hot.ping_payload());
    hot.lost();
    // Read while the listener was away (its announcements may be lost), stored, then forgotten
    // again when the first ping proves the new connection listens.
    hot.revoked_jtis.insert(b.to_string(), false, hot.revoked_jtis.ticket(&b.to_string()), now);
    hot.announced(&hot.ping_payload());
    assert!(hot.serving(Instant::now()));
    assert_eq!(hot.revoked_jtis.get(&b.to_string(), now), None);
}

/// Two nodes (two `Core`s) on one database, each keeping its cache fresh as `serve` does.
struct T {
    a: Core,
    b: Core,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    _dir: tempfile::TempDir,
    db: TestDb,
}

impl T {
    async fn new(db: TestDb) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let key = crate::testing::new_master_key().unwrap();
        let clock = FakeClock::fixed();
        let a = crate::testing::core_on(&db, &dir.path().join("a"), &key, clock.clone(), |_| {}).await.unwrap();
        let b = crate::testing::core_on(&db, &dir.path().join("b"), &key, clock, |_| {}).await.unwrap();
        let tasks = [&a, &b]
            .into_iter()
            .map(|core| {
                let core = core.clone();
                tokio::spawn(async move { core.store().keep_cache_fresh(std::future::pending()).await })
            })
            .collect();
        Self { a, b, tasks, _dir: dir, db }
    }

    async fn client_and_user(&self, email: &str) -> (Client, User) {
        let meta = RequestMeta::cli();
        let new = NewClient {
            name: "Notes".into(),
            kind: ClientKind::Confidential,
            first_party: true,
            redirect_uris: vec!["https://app.example/cb".into()],
            grant_types: vec!["authorization_code".into(), "client_credentials".into()],
            post_logout_redirect_uris: vec![],
            backchannel_logout_uri: None,
            id_token_alg: None,
            api_scopes: vec![],
            require_pushed_authorization_requests: false,
        };
        let client = self.a.create_oauth_client(Actor::Operator, new, &meta).await.unwrap().client;
        let new = NewUser { email, given_name: Some("Ada"), family_name: None, verified: true, password: None };
        let id = self.a.create_user(new, &meta).await.unwrap().id;
        let user = self.a.user_by_id(id).await.unwrap();
        (client, user)
    }

    fn postgres(&self) -> bool {
        self.db.backend() == Backend::Postgres
    }

    /// Uses the token on `node` until the node's cache answers (PostgreSQL), so that what
    /// follows is a revocation of a cached token.
    async fn warm(&self, node: &Core, check: impl AsyncFn(&Core) -> bool) {
        let before = node.store().cache_answers();
        let started = Instant::now();
        loop {
            assert!(check(node).await, "the token works before it is revoked");
            if !self.postgres() || node.store().cache_answers() > before + 1 {
                return;
            }
            assert!(started.elapsed() < Duration::from_secs(5), "the cache never answered");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// How long until the token stops working on `node` (it must, within a second).
    async fn until_refused(&self, node: &Core, check: impl AsyncFn(&Core) -> bool) -> Duration {
        let started = Instant::now();
        while check(node).await {
            let waited = started.elapsed();
            assert!(waited < Duration::from_secs(1), "a revoked token still worked on the other node after {waited:?}");
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        started.elapsed()
    }
}

impl Drop for T {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

async fn userinfo_works(core: &Core, token: &str) -> bool {
    core.userinfo(token, None).await.is_ok()
}

async fn introspection_active(core: &Core, client: &Client, token: &str) -> bool {
    let answer = core.introspect(client, token).await.unwrap();
    answer["active"] == serde_json::json!(true)
}

async fn a_revoked_grant_ends_on_every_node_within_a_second(t: &T) {
    let (client, user) = t.client_and_user("ada@example.com").await;
    let at = t.a.tokens_for_test(&client, &user, None, "openid email").await.unwrap().access_token;
    let works = async |node: &Core| userinfo_works(node, &at).await && introspection_active(node, &client, &at).await;
    t.warm(&t.b, works).await;
    t.warm(&t.a, works).await;
    t.a.revoke_token(&client, &at).await.unwrap();
    assert!(!works(&t.a).await, "the node that revoked it refuses it at once");
    let took = t.until_refused(&t.b, works).await;
    eprintln!("revoked grant refused by the other node after {took:?}");
}
core_test!(a_revoked_grant_ends_on_every_node_within_a_second);

async fn a_disabled_user_and_an_ended_session_end_their_tokens_on_every_node(t: &T) {
    let meta = RequestMeta::cli();
    let (client, user) = t.client_and_user("ada@example.com").await;
    // A session ends (sign-out on node A): its tokens without offline_access end everywhere.
    let mut tx = t.a.store().begin().await.unwrap();
    let session = crate::sessions::create(&t.a, &mut tx, user.clone(), SessionStage::Authenticated, &["pwd"], &meta)
        .await
        .unwrap()
        .session;
    tx.commit().await.unwrap();
    let at = t.a.tokens_for_test(&client, &user, Some(session.id), "openid").await.unwrap().access_token;
    let works = async |node: &Core| userinfo_works(node, &at).await;
    t.warm(&t.b, works).await;
    t.a.sign_out(&session, &meta).await.unwrap();
    t.until_refused(&t.b, works).await;
    // An operator disables the user: userinfo reads the user, and every grant is revoked.
    let at = t.a.tokens_for_test(&client, &user, None, "openid profile").await.unwrap().access_token;
    let works = async |node: &Core| userinfo_works(node, &at).await;
    t.warm(&t.b, works).await;
    t.a.disable_user(Actor::Operator, user.id, &meta).await.unwrap();
    t.until_refused(&t.b, works).await;
}
core_test!(a_disabled_user_and_an_ended_session_end_their_tokens_on_every_node);

async fn a_client_token_revoked_by_its_jti_ends_on_every_node(t: &T) {
    let (client, _) = t.client_and_user("ada@example.com").await;
    let params = TokenParams { grant_type: Some("client_credentials".into()), ..TokenParams::default() };
    let at = t.a.token(&client, &params).await.unwrap().access_token;
    let works = async |node: &Core| introspection_active(node, &client, &at).await;
    t.warm(&t.b, works).await;
    t.a.revoke_token(&client, &at).await.unwrap();
    t.until_refused(&t.b, works).await;
}
core_test!(a_client_token_revoked_by_its_jti_ends_on_every_node);

async fn a_node_whose_listener_is_cut_off_misses_no_revocation(t: &T) {
    if !t.postgres() {
        return;
    }
    let (client, user) = t.client_and_user("ada@example.com").await;
    let at = t.a.tokens_for_test(&client, &user, None, "openid").await.unwrap().access_token;
    let works = async |node: &Core| userinfo_works(node, &at).await;
    t.warm(&t.b, works).await;
    // Both nodes' listeners are cut off; the revocation is committed while they are away, so
    // its announcement reaches nobody.
    let mut conn = t.a.store().conn().await.unwrap();
    let crate::store::Db::Postgres(pg) = conn.db() else { unreachable!("checked above") };
    let cut: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE application_name = 'keystead cache listener' AND datname = current_database()",
    )
    .fetch_all(pg)
    .await
    .unwrap();
    drop(conn);
    assert_eq!(cut, [true, true], "each node has one listener");
    t.a.revoke_token(&client, &at).await.unwrap();
    t.until_refused(&t.b, works).await;
    // Once a ping proves the new connection listens, the cache answers again.
    let at = t.a.tokens_for_test(&client, &user, None, "openid").await.unwrap().access_token;
    t.warm(&t.b, async |node: &Core| userinfo_works(node, &at).await).await;
}
core_test!(a_node_whose_listener_is_cut_off_misses_no_revocation);
