//! The operator's hand on the signing keys (the admin console and `keystead admin keys`): each
//! key's state, rotating now, and retiring the key that signs before its time (a suspected leak,
//! a policy), each audited with the operator as actor.

use time::OffsetDateTime;

use super::keys::{KeyInfo, SigningAlg, new_key, signs_now};
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Error, Result};
use crate::organizations::Actor;
use crate::store::oauth as store;

/// Where a key is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyState {
    /// Published, signs later (after `oauth.key_publish_ahead_hours`).
    Next,
    /// Signs now.
    Active,
    /// Signs no more; published until the tokens it signed have expired.
    Retired,
}

impl KeyInfo {
    /// The key's state at `now`.
    pub fn state(&self, now: OffsetDateTime) -> KeyState {
        if self.active_from > now {
            KeyState::Next
        } else if self.retired_at.is_some_and(|r| r <= now) {
            KeyState::Retired
        } else {
            KeyState::Active
        }
    }
}

impl Core {
    /// Publishes a successor for every algorithm that has none yet, whatever the age of its
    /// current key (the operator; `keystead admin keys rotate`); see
    /// [`Core::rotate_signing_keys`]. Returns the keys created (none when every algorithm
    /// already has a successor).
    pub async fn rotate_signing_keys_now(&self, actor: Actor, meta: &RequestMeta) -> Result<Vec<KeyInfo>> {
        actor.require_operator()?;
        self.rotate_keys(true, meta).await
    }

    /// Retires the key `kid` now (the operator): it stops signing at once and stays published
    /// until the longest-lived token it signed has expired. Its published successor takes over
    /// now, or, when it has none, a new key that signs at once (clients that cached the key set
    /// fetch it again when they meet its `kid`). Only a key that signs now can be retired
    /// (`Invalid` on `kid` otherwise); an unknown one is `NotFound`. Returns the key that signs
    /// in its place.
    pub async fn retire_signing_key(&self, actor: Actor, kid: &str, meta: &RequestMeta) -> Result<KeyInfo> {
        actor.require_operator()?;
        if kid.is_empty() || kid.len() > 128 {
            return Err(Error::NotFound);
        }
        self.ensure_signing_keys().await?;
        let now = self.clock().now();
        let cfg = self.config().oauth;
        let longest = cfg.id_token_ttl.max(cfg.access_token_ttl) + time::Duration::minutes(5);
        let mut tx = self.store().begin().await?;
        store::lock_keys(tx.db()).await?;
        let keys = store::published_keys(tx.db(), now).await?;
        let key = keys.iter().find(|k| k.kid == kid).ok_or(Error::NotFound)?;
        let alg = SigningAlg::parse(&key.alg).ok_or(Error::NotFound)?;
        if !signs_now(key, alg, now) {
            return Err(Error::invalid(
                "kid",
                "not_signing",
                "Only the key that signs now can be retired; this one is waiting to sign or already retired.",
            ));
        }
        let successor = keys.iter().filter(|k| k.alg == key.alg && k.active_from > now).min_by_key(|k| k.active_from);
        let replacement = match successor {
            Some(next) => {
                store::activate_key(tx.db(), next.id, now).await?;
                let mut next = next.clone();
                next.active_from = now;
                next
            }
            None => {
                let row = new_key(self, alg, now, now)?;
                store::insert_key(tx.db(), &row).await?;
                row
            }
        };
        store::retire_key(tx.db(), key.id, now, now + longest).await?;
        let details = serde_json::json!({"kid": key.kid, "alg": key.alg, "successor": replacement.kid});
        audit::record(tx.db(), now, AuditAction::SigningKeyRetired, None, None, meta, details).await?;
        tx.commit().await?;
        self.forget_key_list();
        Ok(KeyInfo::from(&replacement))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FakeClock;
    use crate::testing::{TestDb, core_test};

    struct T {
        core: Core,
        _dir: tempfile::TempDir,
        _db: TestDb,
    }

    impl T {
        async fn new(db: TestDb) -> Self {
            let dir = tempfile::tempdir().unwrap();
            let key = crate::testing::new_master_key().unwrap();
            let core = crate::testing::core_on(&db, dir.path(), &key, FakeClock::fixed(), |_| {}).await.unwrap();
            Self { core, _dir: dir, _db: db }
        }

        async fn states(&self) -> Vec<KeyState> {
            let now = self.core.clock().now();
            self.core.signing_keys().await.unwrap().iter().map(|k| k.state(now)).collect()
        }
    }

    fn console() -> RequestMeta {
        RequestMeta::new(None, Some("browser")).by_operator(crate::ids::UserId::new())
    }

    async fn keys_are_rotated_and_retired_by_the_operator_only(t: &T) {
        let meta = console();
        assert!(matches!(
            t.core.rotate_signing_keys_now(Actor::User(crate::ids::UserId::new()), &meta).await,
            Err(Error::Forbidden)
        ));
        let first = t.core.signing_keys().await.unwrap();
        assert!(first.iter().all(|k| k.state(t.core.clock().now()) == KeyState::Active));
        let created = t.core.rotate_signing_keys_now(Actor::Operator, &meta).await.unwrap();
        assert_eq!(created.len(), SigningAlg::ALL.len());
        assert!(t.core.rotate_signing_keys_now(Actor::Operator, &meta).await.unwrap().is_empty());
        assert_eq!(t.states().await.iter().filter(|s| **s == KeyState::Next).count(), 3);

        // Retiring the ES256 key: its successor signs now, it stays published as retired.
        let es = first.iter().find(|k| k.alg == "ES256").unwrap();
        let next = created.iter().find(|k| k.alg == "ES256").unwrap();
        let took_over = t.core.retire_signing_key(Actor::Operator, &es.kid, &meta).await.unwrap();
        assert_eq!(took_over.kid, next.kid);
        let token = t.core.sign_jwt(SigningAlg::Es256, "JWT", &serde_json::json!({"sub": "x"})).await.unwrap();
        assert_eq!(jsonwebtoken::decode_header(&token).unwrap().kid.as_deref(), Some(next.kid.as_str()));
        let now = t.core.clock().now();
        let keys = t.core.signing_keys().await.unwrap();
        assert_eq!(keys.iter().find(|k| k.kid == es.kid).unwrap().state(now), KeyState::Retired);
        // Not again, not a waiting key, not an unknown one.
        let again = t.core.retire_signing_key(Actor::Operator, &es.kid, &meta).await;
        assert!(matches!(again, Err(Error::Invalid(_))), "{again:?}");
        let rs_next = created.iter().find(|k| k.alg == "RS256").unwrap();
        let waiting = t.core.retire_signing_key(Actor::Operator, &rs_next.kid, &meta).await;
        assert!(matches!(waiting, Err(Error::Invalid(_))), "{waiting:?}");
        assert!(matches!(t.core.retire_signing_key(Actor::Operator, "nope", &meta).await, Err(Error::NotFound)));

        // Without a successor, a new key signs at once.
        let made = t.core.retire_signing_key(Actor::Operator, &next.kid, &meta).await.unwrap();
        assert!(made.kid != next.kid && made.active_from == t.core.clock().now());
        assert_eq!(
            audit_actions(t).await,
            ["oauth.signing_keys_rotated", "oauth.signing_key_retired", "oauth.signing_key_retired"]
        );
    }
    core_test!(keys_are_rotated_and_retired_by_the_operator_only);

    async fn audit_actions(t: &T) -> Vec<String> {
        let query = crate::audit::query::AuditQuery { action: Some("oauth.*".into()), ..Default::default() };
        let page = t.core.search_audit_events(Actor::Operator, None, &query).await.unwrap();
        assert!(page.items.iter().all(|e| e.actor.is_some()), "the operator is the actor");
        page.items.into_iter().rev().map(|e| e.action).collect()
    }
}
