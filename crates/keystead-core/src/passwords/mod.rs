//! Password hashing: Argon2id on a bounded pool of worker threads, and verification of hashes
//! imported from other systems (bcrypt, PBKDF2) with an upgrade to Argon2id.

mod formats;
mod pool;

pub use formats::{HashFormat, check_importable};
pub use pool::{Admission, HashPool, HashPoolStats, Verification};
