//! The per-node cache of what every userinfo and introspection reads — a grant, a user, a client,
//! a client token's revocation — on PostgreSQL, where each read is a network round trip
//! (SPEC §8: ≥ 8 k/s per 2 cores, a revocation reaching every node within one second).
//!
//! **How it stays right.** Triggers (migration 0028) announce every change of those rows with
//! `NOTIFY keystead_hot`, delivered at commit to every node's listener (`listen.rs`), which
//! forgets the key. Three things close the gaps:
//! - a read that began before a change was announced is not stored after it ([`map::Ticket`]);
//! - each node sends itself a *ping* through the same channel every 200 ms. PostgreSQL delivers
//!   notifications in commit order, so when a ping comes back, every change committed before it
//!   was sent has been applied. The cache answers only while the last returned ping was sent less
//!   than [`LEASE`] ago: a listener that is stuck or cut off (a lost notification) stops the cache
//!   within the lease instead of serving a revoked token;
//! - a commit on this node fences the cache until a ping sent after it returns, so a node reads
//!   its own writes at once (an operator's revocation is seen by their next request).
//!
//! A lost listener connection empties the cache; it serves again (emptied once more) once a ping
//! proves the new connection listens. On SQLite the cache is not used: one process owns the file
//! and a read costs microseconds (and `keystead admin` commands write it without announcing).

pub(crate) mod listen;
pub(crate) mod map;
mod reads;

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::Notify;
use uuid::Uuid;

use self::map::HotMap;
use super::oauth::{ClientRow, GrantRow};
use super::users::UserRow;
use crate::ids::UserId;

/// The channel the triggers and pings use.
pub(crate) const CHANNEL: &str = "keystead_hot";
/// How long after the last returned ping was sent the cache still answers. Below one second, so
/// that a revocation whose announcement is lost still ends the token within one second.
pub(crate) const LEASE: Duration = Duration::from_millis(800);
/// How often a node pings itself when nothing else makes it.
pub(crate) const PING_EVERY: Duration = Duration::from_millis(200);
/// How long an entry is used before it is read again even when nothing was announced.
const TTL: Duration = Duration::from_secs(5);
const CAPACITY: usize = 50_000;

/// The cached maps and what decides whether they may answer.
pub(crate) struct HotCache {
    pub(crate) grants: HotMap<Uuid, GrantRow>,
    pub(crate) users: HotMap<UserId, UserRow>,
    pub(crate) clients: HotMap<String, ClientRow>,
    pub(crate) revoked_jtis: HotMap<String, bool>,
    /// Instants below are nanoseconds since `base` (0: never).
    base: Instant,
    /// The listener and pinger run (only then is anything stored or answered).
    running: AtomicBool,
    /// When the newest ping that came back was sent.
    confirmed: AtomicU64,
    /// When this node last committed a transaction.
    fence: AtomicU64,
    /// Announcements may have been missed: empty the maps when the next ping comes back.
    stale: AtomicBool,
    /// Wakes the pinger (after a commit here).
    wake: Notify,
    node: u64,
    next_ping: AtomicU64,
    pings: Mutex<VecDeque<(u64, u64)>>,
    /// Reads answered from the cache, since start.
    pub(crate) answers: AtomicU64,
}

impl std::fmt::Debug for HotCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HotCache").field("serving", &self.serving(Instant::now())).finish_non_exhaustive()
    }
}

impl HotCache {
    pub(crate) fn new() -> Self {
        let mut node = [0u8; 8];
        // The node id only tells this node's pings from others'; a clash costs a ping's worth
        // of freshness, so a failed random read is no reason to refuse to start.
        let _ = crate::crypto::random_bytes(&mut node);
        Self {
            grants: HotMap::new(CAPACITY, TTL),
            users: HotMap::new(CAPACITY, TTL),
            clients: HotMap::new(1_000, TTL),
            revoked_jtis: HotMap::new(CAPACITY, TTL),
            base: Instant::now(),
            running: AtomicBool::new(false),
            confirmed: AtomicU64::new(0),
            fence: AtomicU64::new(0),
            stale: AtomicBool::new(true),
            wake: Notify::new(),
            node: u64::from_le_bytes(node),
            next_ping: AtomicU64::new(1),
            pings: Mutex::new(VecDeque::new()),
            answers: AtomicU64::new(0),
        }
    }

    fn nanos(&self, at: Instant) -> u64 {
        u64::try_from(at.duration_since(self.base).as_nanos()).unwrap_or(u64::MAX).max(1)
    }

    /// True while the listener runs: values read are worth storing.
    pub(crate) fn running(&self) -> bool {
        self.running.load(Ordering::Acquire)
    }

    /// May stored values answer now? Only with a ping back from after this node's last commit,
    /// sent less than [`LEASE`] ago.
    pub(crate) fn serving(&self, now: Instant) -> bool {
        let confirmed = self.confirmed.load(Ordering::Acquire);
        confirmed != 0
            && self.running()
            && confirmed >= self.fence.load(Ordering::Acquire)
            && self.nanos(now).saturating_sub(confirmed) < u64::try_from(LEASE.as_nanos()).unwrap_or(u64::MAX)
    }

    /// A transaction of this node committed: answer from the database until a ping sent after
    /// now comes back (this node then reads what it wrote).
    pub(crate) fn committed(&self) {
        if self.running() {
            self.fence.store(self.nanos(Instant::now()), Ordering::Release);
            self.wake.notify_one();
        }
    }

    fn clear(&self) {
        self.grants.clear();
        self.users.clear();
        self.clients.clear();
        self.revoked_jtis.clear();
    }

    /// The listener lost its connection (or has none yet): announcements may be lost.
    fn lost(&self) {
        self.confirmed.store(0, Ordering::Release);
        self.stale.store(true, Ordering::Release);
        self.clear();
        metrics::gauge!("keystead_hot_cache_serving").set(0.0);
    }

    /// Applies one announcement from the channel.
    fn announced(&self, payload: &str) {
        let (kind, key) = payload.split_once(' ').unwrap_or((payload, ""));
        match kind {
            "g" => match Uuid::parse_str(key) {
                Ok(id) => self.grants.forget(&id),
                Err(_) => self.clear(),
            },
            "u" => match Uuid::parse_str(key) {
                Ok(id) => self.users.forget(&UserId(id)),
                Err(_) => self.clear(),
            },
            "c" => self.clients.forget(&key.to_owned()),
            "j" => self.revoked_jtis.forget(&key.to_owned()),
            "p" => self.pinged(key),
            // Something this version does not know changed: forget everything rather than guess.
            _ => self.clear(),
        }
    }

    /// A ping came back: if it is ours, everything committed before it was sent is applied.
    fn pinged(&self, key: &str) {
        let Some((node, seq)) = key.split_once(' ') else { return };
        let (Ok(node), Ok(seq)) = (node.parse::<u64>(), seq.parse::<u64>()) else { return };
        if node != self.node {
            return;
        }
        let sent = {
            let mut pings = match self.pings.lock() {
                Ok(g) => g,
                Err(poisoned) => poisoned.into_inner(),
            };
            let mut sent = None;
            while let Some(&(s, at)) = pings.front() {
                if s > seq {
                    break;
                }
                pings.pop_front();
                if s == seq {
                    sent = Some(at);
                }
            }
            sent
        };
        let Some(sent) = sent else { return };
        if self.stale.swap(false, Ordering::AcqRel) {
            self.clear();
        }
        self.confirmed.fetch_max(sent, Ordering::AcqRel);
        metrics::gauge!("keystead_hot_cache_serving").set(1.0);
    }

    /// Notes a ping about to be sent; returns its payload.
    fn ping_payload(&self) -> String {
        let seq = self.next_ping.fetch_add(1, Ordering::Relaxed);
        let mut pings = match self.pings.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        if pings.len() >= 256 {
            pings.pop_front();
        }
        pings.push_back((seq, self.nanos(Instant::now())));
        format!("p {} {seq}", self.node)
    }
}

#[cfg(test)]
mod tests;
