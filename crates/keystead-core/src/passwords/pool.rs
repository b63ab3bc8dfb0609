//! A fixed pool of threads that run Argon2 with a bounded queue in front: when the queue is
//! full the caller is told `Overloaded` at once instead of waiting without bound (spec §7).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::Context;
use argon2::Block;
use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, TrySendError, bounded};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::oneshot;
use zeroize::{Zeroize, Zeroizing};

use super::formats::{self, Argon2Settings, Checked};
use crate::config::PasswordHashConfig;
use crate::crypto::random_bytes;
use crate::error::{Error, Result};

/// The result of [`HashPool::verify`].
#[derive(Debug)]
pub enum Verification {
    /// The password is right. `upgraded` holds a new Argon2id hash to store when the old one was
    /// imported (bcrypt, PBKDF2) or made with other parameters.
    Match {
        /// The replacement hash, if one should be stored.
        upgraded: Option<String>,
    },
    /// The password is wrong.
    Mismatch,
}

enum Work {
    Hash { password: Zeroizing<Vec<u8>>, reply: oneshot::Sender<anyhow::Result<String>> },
    Verify { password: Zeroizing<Vec<u8>>, stored: String, reply: oneshot::Sender<anyhow::Result<Verification>> },
}

/// Counters for metrics and benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashPoolStats {
    /// Requests waiting for or being served by a worker.
    pub in_flight: usize,
    /// Requests refused because the queue was full, since start.
    pub rejected: u64,
    /// Worker threads.
    pub workers: usize,
    /// Queue capacity in front of the workers.
    pub queue: usize,
    /// Workers holding their Argon2 memory (allocated on first use, given back when quiet).
    pub buffers_held: usize,
}

/// The bounded Argon2id hashing pool. Cloning shares the same workers.
#[derive(Clone)]
pub struct HashPool {
    sender: Sender<Work>,
    in_flight: Arc<AtomicUsize>,
    buffers_held: Arc<AtomicUsize>,
    rejected: Arc<AtomicU64>,
    workers: usize,
    queue: usize,
    dummy_hash: Arc<String>,
}

impl std::fmt::Debug for HashPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HashPool").field("workers", &self.workers).field("queue", &self.queue).finish_non_exhaustive()
    }
}

impl HashPool {
    /// Starts `config.workers` threads. Each allocates its Argon2 memory on its first hash,
    /// reuses it while there is work, and gives it back after `config.release_memory_after`
    /// without any (spec §8: idle memory).
    pub fn start(config: &PasswordHashConfig) -> anyhow::Result<Self> {
        let settings =
            Argon2Settings { params_m: config.memory_kib, params_t: config.iterations, params_p: config.parallelism };
        settings.params().map_err(|e| anyhow::anyhow!("passwords: invalid Argon2 parameters: {e}"))?;
        // A worker is busy with one job while `queue` more wait; `in_flight` (admissions) is the
        // real bound, and the channel has room for every admitted request so that a request
        // admitted while a worker is between two jobs is never refused.
        let (sender, receiver) = bounded::<Work>(config.queue + config.workers);
        let in_flight = Arc::new(AtomicUsize::new(0));
        let buffers_held = Arc::new(AtomicUsize::new(0));
        for i in 0..config.workers {
            let worker = Worker {
                settings,
                receiver: receiver.clone(),
                in_flight: Arc::clone(&in_flight),
                buffers_held: Arc::clone(&buffers_held),
                release_after: config.release_memory_after,
            };
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                // Argon2's memory is on the heap; the thread itself needs little stack.
                .stack_size(256 * 1024)
                .spawn(move || worker.run())
                .context("cannot start a password hashing thread")?;
        }
        let (mut salt, mut out) = ([0u8; 16], [0u8; 32]);
        random_bytes(&mut salt)?;
        random_bytes(&mut out)?;
        let dummy_hash = formats::dummy_argon2id(&settings, &salt, &out)?;
        Ok(Self {
            sender,
            in_flight,
            buffers_held,
            rejected: Arc::new(AtomicU64::new(0)),
            workers: config.workers,
            queue: config.queue,
            dummy_hash: Arc::new(dummy_hash),
        })
    }

    /// Hashes a new password with Argon2id and the configured parameters (PHC string).
    pub async fn hash(&self, password: &SecretString) -> Result<String> {
        self.admit()?.hash(password).await
    }

    /// Checks a password against a stored hash of any supported format.
    pub async fn verify(&self, password: &SecretString, stored: &str) -> Result<Verification> {
        self.admit()?.verify(password, stored).await
    }

    /// Spends the same time as a real verification, for an account that does not exist or has
    /// no password, so that timing reveals nothing. Always answers "mismatch".
    pub async fn verify_dummy(&self, password: &SecretString) -> Result<Verification> {
        self.admit()?.verify_dummy(password).await
    }

    /// Reserves a place in the pool (a worker or the queue) for one hash, or answers
    /// `Err(Overloaded)` at once when every place is taken. Callers take it before any other
    /// work (database reads, rate-limit writes), so a refused request costs nothing else and a
    /// request that was let in is certain to be hashed. Dropping the admission unused gives
    /// the place back.
    pub fn admit(&self) -> Result<Admission> {
        let capacity = self.workers + self.queue;
        let taken =
            self.in_flight.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < capacity).then_some(n + 1));
        if taken.is_err() {
            self.rejected.fetch_add(1, Ordering::Relaxed);
            metrics::counter!("keystead_password_hash_rejected_total").increment(1);
            return Err(Error::Overloaded);
        }
        metrics::gauge!("keystead_password_hash_in_flight").increment(1.0);
        Ok(Admission { pool: self.clone(), submitted: false })
    }

    /// Current counters.
    pub fn stats(&self) -> HashPoolStats {
        HashPoolStats {
            in_flight: self.in_flight.load(Ordering::Relaxed),
            rejected: self.rejected.load(Ordering::Relaxed),
            workers: self.workers,
            queue: self.queue,
            buffers_held: self.buffers_held.load(Ordering::Relaxed),
        }
    }

    /// Hands admitted work to the workers; the admission's place is released by the worker
    /// when it finishes, or here if the pool has stopped.
    fn submit(&self, work: Work) -> Result<()> {
        match self.sender.try_send(work) {
            Ok(()) => Ok(()),
            Err(e) => {
                done(&self.in_flight);
                match e {
                    // Cannot happen while admissions bound the work (the channel has room for
                    // all of it); refused like a full pool rather than trusted.
                    TrySendError::Full(_) => Err(Error::Overloaded),
                    TrySendError::Disconnected(_) => {
                        Err(Error::Internal(anyhow::anyhow!("password hashing pool stopped")))
                    }
                }
            }
        }
    }
}

/// A place in the hashing pool, reserved by [`HashPool::admit`] for exactly one hash.
#[must_use = "an admission holds a place in the hashing pool until it is used or dropped"]
pub struct Admission {
    pool: HashPool,
    submitted: bool,
}

impl std::fmt::Debug for Admission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Admission").finish_non_exhaustive()
    }
}

impl Admission {
    /// Hashes a new password with Argon2id (see [`HashPool::hash`]).
    pub async fn hash(mut self, password: &SecretString) -> Result<String> {
        let (reply, rx) = oneshot::channel();
        let password = Zeroizing::new(password.expose_secret().as_bytes().to_vec());
        self.submit(Work::Hash { password, reply })?;
        rx.await.context("password hashing worker stopped")?.map_err(Error::Internal)
    }

    /// Checks a password against a stored hash (see [`HashPool::verify`]).
    pub async fn verify(mut self, password: &SecretString, stored: &str) -> Result<Verification> {
        let (reply, rx) = oneshot::channel();
        let password = Zeroizing::new(password.expose_secret().as_bytes().to_vec());
        self.submit(Work::Verify { password, stored: stored.to_owned(), reply })?;
        rx.await.context("password hashing worker stopped")?.map_err(Error::Internal)
    }

    /// The same work as a real verification against a dummy hash; always "mismatch".
    pub async fn verify_dummy(self, password: &SecretString) -> Result<Verification> {
        let dummy = Arc::clone(&self.pool.dummy_hash);
        self.verify(password, &dummy).await.map(|_| Verification::Mismatch)
    }

    fn submit(&mut self, work: Work) -> Result<()> {
        self.submitted = true;
        self.pool.submit(work)
    }
}

impl Drop for Admission {
    fn drop(&mut self) {
        if !self.submitted {
            done(&self.pool.in_flight);
        }
    }
}

struct Worker {
    settings: Argon2Settings,
    receiver: Receiver<Work>,
    in_flight: Arc<AtomicUsize>,
    buffers_held: Arc<AtomicUsize>,
    release_after: Duration,
}

impl Worker {
    fn run(self) {
        let blocks = self.settings.params().map(|p| p.block_count()).unwrap_or(0);
        // Empty until the first hash; `formats` grows it to the parameters' size.
        let mut memory: Vec<Block> = Vec::new();
        loop {
            let next = if memory.is_empty() {
                self.receiver.recv().ok()
            } else {
                match self.receiver.recv_timeout(self.release_after) {
                    Ok(work) => Some(work),
                    Err(RecvTimeoutError::Timeout) => {
                        self.release(&mut memory);
                        continue;
                    }
                    Err(RecvTimeoutError::Disconnected) => None,
                }
            };
            let Some(work) = next else { return };
            if memory.is_empty() {
                // Counted before the work is answered, so a caller that reads the stats after
                // its answer sees it.
                self.held_gauge(1);
            }
            self.serve(work, &mut memory);
            if memory.len() > blocks {
                // An imported hash asked for more memory than ours: do not keep it.
                self.release(&mut memory);
            } else if memory.is_empty() {
                // The work needed no Argon2 memory (bcrypt, PBKDF2, an unreadable hash).
                self.held_gauge(-1);
            }
        }
    }

    fn serve(&self, work: Work, memory: &mut Vec<Block>) {
        let settings = &self.settings;
        match work {
            Work::Hash { password, reply } => {
                let result = new_salt().and_then(|salt| formats::hash_argon2id(settings, &password, &salt, memory));
                done(&self.in_flight);
                let _ = reply.send(result);
            }
            Work::Verify { password, stored, reply } => {
                let result = formats::verify(settings, &password, &stored, memory).and_then(|checked| match checked {
                    Checked::Mismatch => Ok(Verification::Mismatch),
                    Checked::Match { needs_upgrade: false } => Ok(Verification::Match { upgraded: None }),
                    Checked::Match { needs_upgrade: true } => {
                        let salt = new_salt()?;
                        let upgraded = formats::hash_argon2id(settings, &password, &salt, memory)?;
                        Ok(Verification::Match { upgraded: Some(upgraded) })
                    }
                });
                done(&self.in_flight);
                let _ = reply.send(result);
            }
        }
    }

    /// Wipes the memory (it holds values derived from passwords) and gives it back.
    fn release(&self, memory: &mut Vec<Block>) {
        memory.zeroize();
        *memory = Vec::new();
        self.held_gauge(-1);
    }

    fn held_gauge(&self, change: i8) {
        if change > 0 {
            self.buffers_held.fetch_add(1, Ordering::Relaxed);
        } else {
            self.buffers_held.fetch_sub(1, Ordering::Relaxed);
        }
        metrics::gauge!("keystead_password_hash_buffers_held").set(self.buffers_held.load(Ordering::Relaxed) as f64);
    }
}

/// Counts a request out before its answer is sent, so a caller that submits again at once is
/// never counted twice.
fn done(in_flight: &AtomicUsize) {
    in_flight.fetch_sub(1, Ordering::Relaxed);
    metrics::gauge!("keystead_password_hash_in_flight").decrement(1.0);
}

fn new_salt() -> anyhow::Result<[u8; 16]> {
    let mut salt = [0u8; 16];
    random_bytes(&mut salt)?;
    Ok(salt)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(workers: usize, queue: usize) -> PasswordHashConfig {
        PasswordHashConfig {
            memory_kib: 64,
            iterations: 1,
            parallelism: 1,
            workers,
            queue,
            release_memory_after: Duration::from_secs(60),
        }
    }

    fn secret(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    #[tokio::test]
    async fn hashes_verify_and_imported_ones_are_upgraded() {
        let pool = HashPool::start(&config(2, 4)).unwrap();
        let h = pool.hash(&secret("pässword one")).await.unwrap();
        assert!(matches!(
            pool.verify(&secret("pässword one"), &h).await.unwrap(),
            Verification::Match { upgraded: None }
        ));
        assert!(matches!(pool.verify(&secret("password one"), &h).await.unwrap(), Verification::Mismatch));
        let legacy = bcrypt::hash("legacy pw", 4).unwrap();
        let Verification::Match { upgraded: Some(new) } = pool.verify(&secret("legacy pw"), &legacy).await.unwrap()
        else {
            panic!("bcrypt hash should verify and be upgraded")
        };
        assert!(new.starts_with("$argon2id$"));
        assert!(matches!(
            pool.verify(&secret("legacy pw"), &new).await.unwrap(),
            Verification::Match { upgraded: None }
        ));
        assert!(matches!(pool.verify_dummy(&secret("anything")).await.unwrap(), Verification::Mismatch));
    }

    #[tokio::test]
    async fn a_full_queue_answers_overloaded_at_once() {
        // Slow hashes, one worker, no waiting room: a request while the worker is busy is refused.
        let slow = PasswordHashConfig { memory_kib: 16 * 1024, iterations: 20, workers: 1, queue: 0, ..config(1, 0) };
        let pool = HashPool::start(&slow).unwrap();
        let p1 = pool.clone();
        let first = tokio::spawn(async move { p1.hash(&secret("one")).await });
        while pool.stats().in_flight == 0 {
            tokio::task::yield_now().await;
        }
        assert!(matches!(pool.admit(), Err(Error::Overloaded)), "full before any work is done");
        assert!(matches!(pool.hash(&secret("two")).await, Err(Error::Overloaded)));
        assert!(first.await.unwrap().is_ok());
        assert_eq!(pool.stats().rejected, 2);
        assert_eq!(pool.stats().in_flight, 0);
        assert!(pool.admit().is_ok(), "room again once the worker is free");
        assert_eq!(pool.stats().in_flight, 0, "an unused admission gives its place back");
    }

    #[tokio::test]
    async fn admissions_bound_the_work_however_many_ask_at_once() {
        let slow = PasswordHashConfig { memory_kib: 8 * 1024, iterations: 4, ..config(2, 3) };
        let pool = HashPool::start(&slow).unwrap();
        let tickets: Vec<_> = (0..20).map(|_| pool.admit()).collect();
        let (admitted, refused): (Vec<_>, Vec<_>) = tickets.into_iter().partition(Result::is_ok);
        assert_eq!((admitted.len(), refused.len()), (5, 15), "workers + queue places, no more");
        // Every admitted request is hashed, even those submitted while both workers are busy.
        let handles: Vec<_> = admitted
            .into_iter()
            .map(|t| {
                let t = t.unwrap();
                tokio::spawn(async move { t.hash(&secret("admitted")).await })
            })
            .collect();
        for h in handles {
            assert!(h.await.unwrap().is_ok());
        }
        assert_eq!(pool.stats().in_flight, 0);
    }

    #[tokio::test]
    async fn workers_take_memory_on_first_use_and_give_it_back_when_quiet() {
        let quick =
            PasswordHashConfig { memory_kib: 1024, release_memory_after: Duration::from_millis(200), ..config(2, 2) };
        let pool = HashPool::start(&quick).unwrap();
        assert_eq!(pool.stats().buffers_held, 0, "nothing is allocated before the first hash");
        let h = pool.hash(&secret("first")).await.unwrap();
        assert_eq!(pool.stats().buffers_held, 1, "the worker that hashed keeps its memory");
        assert!(matches!(pool.verify(&secret("first"), &h).await.unwrap(), Verification::Match { .. }));
        assert!(pool.stats().buffers_held >= 1);
        let quiet_since = std::time::Instant::now();
        while pool.stats().buffers_held > 0 {
            assert!(quiet_since.elapsed() < Duration::from_secs(5), "memory kept after a quiet time");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(quiet_since.elapsed() >= Duration::from_millis(150), "given back only after the quiet time");
        assert!(matches!(pool.verify(&secret("first"), &h).await.unwrap(), Verification::Match { .. }));
        assert_eq!(pool.stats().buffers_held, 1, "allocated again for new work");
    }

    #[tokio::test]
    async fn the_dummy_hash_costs_a_real_check_and_matches_nothing() {
        let pool = HashPool::start(&config(1, 1)).unwrap();
        assert!(pool.dummy_hash.starts_with("$argon2id$v=19$m=64,t=1,p=1$"));
        assert!(matches!(pool.verify(&secret(""), &pool.dummy_hash).await.unwrap(), Verification::Mismatch));
        assert_eq!(pool.stats().buffers_held, 1, "the check ran Argon2 with the configured memory");
    }
}
