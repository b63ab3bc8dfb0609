//! One map of the hot-path cache: sharded, bounded, with entries that expire, and a generation
//! per shard so that a value read from the database before a change was announced is never
//! stored after the announcement (see [`HotMap::ticket`]).

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, RandomState};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const SHARDS: usize = 16;

/// What [`HotMap::ticket`] hands out before a database read: the shard's generation then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ticket {
    shard: usize,
    generation: u64,
}

struct Shard<K, V> {
    generation: u64,
    entries: HashMap<K, (Instant, V)>,
}

/// A bounded map whose entries live `ttl` and whose keys can be forgotten from anywhere.
pub(crate) struct HotMap<K, V> {
    shards: Vec<Mutex<Shard<K, V>>>,
    hasher: RandomState,
    ttl: Duration,
    per_shard: usize,
}

impl<K: Hash + Eq + Clone, V: Clone> HotMap<K, V> {
    /// A map of at most about `capacity` entries, each served for `ttl` after it was read.
    pub(crate) fn new(capacity: usize, ttl: Duration) -> Self {
        let shards = (0..SHARDS).map(|_| Mutex::new(Shard { generation: 0, entries: HashMap::new() })).collect();
        Self { shards, hasher: RandomState::new(), ttl, per_shard: capacity.div_ceil(SHARDS).max(1) }
    }

    fn shard_of(&self, key: &K) -> usize {
        // The modulo keeps the value below SHARDS, so the cast loses nothing.
        #[expect(clippy::cast_possible_truncation, reason = "reduced modulo SHARDS first")]
        let shard = (self.hasher.hash_one(key) % SHARDS as u64) as usize;
        shard
    }

    fn lock(&self, shard: usize) -> std::sync::MutexGuard<'_, Shard<K, V>> {
        // A panic while holding the lock cannot leave a half-written entry (single inserts and
        // removes), so a poisoned shard is still consistent.
        match self.shards[shard].lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The value, if one was stored less than `ttl` ago and not forgotten since.
    pub(crate) fn get(&self, key: &K, now: Instant) -> Option<V> {
        let shard = self.lock(self.shard_of(key));
        let (at, value) = shard.entries.get(key)?;
        (now.duration_since(*at) < self.ttl).then(|| value.clone())
    }

    /// Taken before reading `key` from the database; [`HotMap::insert`] stores what was read only
    /// if nothing in its shard was forgotten in between.
    pub(crate) fn ticket(&self, key: &K) -> Ticket {
        let shard = self.shard_of(key);
        Ticket { shard, generation: self.lock(shard).generation }
    }

    /// Stores `value`, read at `read_at` after `ticket` was taken, unless its shard changed since.
    /// A full shard drops its expired entries, and everything if none had expired.
    pub(crate) fn insert(&self, key: K, value: V, ticket: Ticket, read_at: Instant) -> bool {
        let mut shard = self.lock(ticket.shard);
        if shard.generation != ticket.generation {
            return false;
        }
        if shard.entries.len() >= self.per_shard && !shard.entries.contains_key(&key) {
            let ttl = self.ttl;
            shard.entries.retain(|_, (at, _)| read_at.duration_since(*at) < ttl);
            if shard.entries.len() >= self.per_shard {
                shard.entries.clear();
            }
        }
        shard.entries.insert(key, (read_at, value));
        true
    }

    /// Forgets `key`: it changed in the database (or may have).
    pub(crate) fn forget(&self, key: &K) {
        let mut shard = self.lock(self.shard_of(key));
        shard.generation += 1;
        shard.entries.remove(key);
    }

    /// Forgets everything (announcements may have been missed).
    pub(crate) fn clear(&self) {
        for i in 0..SHARDS {
            let mut shard = self.lock(i);
            shard.generation += 1;
            shard.entries.clear();
        }
    }

    /// Entries held (expired ones included until they are replaced).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        (0..SHARDS).map(|i| self.lock(i).entries.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_overtaken_by_a_change_is_not_stored() {
        let map = HotMap::<u32, &str>::new(100, Duration::from_secs(5));
        let now = Instant::now();
        let ticket = map.ticket(&1);
        map.forget(&1); // the change is announced while the old value is being read
        assert!(!map.insert(1, "old", ticket, now));
        assert_eq!(map.get(&1, now), None);
        let ticket = map.ticket(&1);
        assert!(map.insert(1, "new", ticket, now));
        assert_eq!(map.get(&1, now), Some("new"));
        map.forget(&1);
        assert_eq!(map.get(&1, now), None);
    }

    #[test]
    fn entries_expire_and_clearing_refuses_reads_begun_before_it() {
        let map = HotMap::<u32, u32>::new(100, Duration::from_millis(50));
        let now = Instant::now();
        assert!(map.insert(7, 70, map.ticket(&7), now));
        assert_eq!(map.get(&7, now + Duration::from_millis(49)), Some(70));
        assert_eq!(map.get(&7, now + Duration::from_millis(50)), None);
        let ticket = map.ticket(&8);
        map.clear();
        assert!(!map.insert(8, 80, ticket, now));
        assert_eq!(map.get(&7, now), None);
    }

    #[test]
    fn the_map_stays_within_its_bound() {
        let map = HotMap::<u32, u32>::new(64, Duration::from_secs(60));
        let now = Instant::now();
        for k in 0..10_000 {
            map.insert(k, k, map.ticket(&k), now);
        }
        assert!(map.len() <= 64, "{} entries", map.len());
        assert_eq!(map.get(&9_999, now), Some(9_999), "the newest entry is kept");
    }
}
