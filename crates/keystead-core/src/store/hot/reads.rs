//! The reads that go through the cache: each answers from it when it may
//! ([`HotCache::serving`]), else reads the row and stores it for the next request.

use std::hash::Hash;
use std::time::Instant;

use uuid::Uuid;

use super::HotCache;
use super::map::HotMap;
use crate::ids::UserId;
use crate::store::oauth::{self, ClientRow, GrantRow};
use crate::store::users::{self, UserRow};
use crate::store::{Db, Store, StoreError, oauth_jtis};

impl Store {
    /// Reads this node's cache has answered since it started (0 on SQLite, which has none).
    pub fn cache_answers(&self) -> u64 {
        self.hot.as_ref().map_or(0, |h| h.answers.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// An OAuth grant by id (every access token names one).
    pub(crate) async fn hot_grant(&self, id: Uuid) -> Result<Option<GrantRow>, StoreError> {
        self.read_through("grants", |h| &h.grants, id, async |db: Db<'_>| oauth::find_grant(db, id).await).await
    }

    /// A user by id.
    pub(crate) async fn hot_user(&self, id: UserId) -> Result<Option<UserRow>, StoreError> {
        self.read_through(
            "users",
            |h| &h.users,
            id,
            async |db: Db<'_>| match users::get(db, id).await {
                Ok(row) => Ok(Some(row)),
                Err(StoreError::NotFound) => Ok(None),
                Err(e) => Err(e),
            },
        )
        .await
    }

    /// An OAuth client by its `client_id`.
    pub(crate) async fn hot_client(&self, client_id: &str) -> Result<Option<ClientRow>, StoreError> {
        let key = client_id.to_owned();
        self.read_through("clients", |h| &h.clients, key, async |db: Db<'_>| oauth::find_client(db, client_id).await)
            .await
    }

    /// Was the client token with this `jti` revoked?
    pub(crate) async fn hot_jti_revoked(&self, jti: &str) -> Result<bool, StoreError> {
        let key = jti.to_owned();
        let revoked = self
            .read_through(
                "revoked_jtis",
                |h| &h.revoked_jtis,
                key,
                async |db: Db<'_>| oauth_jtis::is_revoked(db, jti).await.map(Some),
            )
            .await?;
        Ok(revoked.unwrap_or(false))
    }

    async fn read_through<K, V>(
        &self,
        name: &'static str,
        map: impl Fn(&HotCache) -> &HotMap<K, V>,
        key: K,
        read: impl AsyncFnOnce(Db<'_>) -> Result<Option<V>, StoreError>,
    ) -> Result<Option<V>, StoreError>
    where
        K: Hash + Eq + Clone,
        V: Clone,
    {
        let hot = self.hot.as_deref().filter(|h| h.running());
        let now = Instant::now();
        if let Some(h) = hot
            && h.serving(now)
            && let Some(v) = map(h).get(&key, now)
        {
            h.answers.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            metrics::counter!("keystead_hot_cache_reads_total", "map" => name, "from" => "cache").increment(1);
            return Ok(Some(v));
        }
        let ticket = hot.map(|h| map(h).ticket(&key));
        let mut conn = self.conn().await?;
        let value = read(conn.db()).await?;
        drop(conn);
        if let (Some(h), Some(ticket), Some(v)) = (hot, ticket, &value) {
            map(h).insert(key, v.clone(), ticket, now);
            metrics::counter!("keystead_hot_cache_reads_total", "map" => name, "from" => "database").increment(1);
        }
        Ok(value)
    }
}
