//! Idempotency keys on the admin API's creates (`Idempotency-Key`, as in the IETF draft and
//! Stripe): the first request with a key claims it; its response is remembered for 24 hours and
//! replayed to every retry with the same key from the same caller (a token or an OAuth client),
//! so a retry after a lost response never creates twice. A key reused for another request (other method, path or
//! body) is refused, and so is a retry while the first request still runs. A claim whose
//! request died (a node stopped mid-request) before changing anything is given up after a
//! minute; one whose request committed its change (the first transaction of the create marks
//! the claim, [`Core::within_idempotency_claim`]) but died before its answer was stored is never
//! run again: retries get `idempotency_answer_lost` until the key expires.

use sha2::{Digest, Sha256};
use time::Duration;

use crate::Core;
use crate::error::{Code, Error, Result};
use crate::store::idempotency as store;
use uuid::Uuid;

/// How long a response is remembered.
pub const REMEMBERED_FOR: Duration = Duration::hours(24);
/// After this, a claim with no response is taken to be abandoned.
const ABANDONED_AFTER: Duration = Duration::minutes(1);
/// The status of a claim whose request committed its change and has not stored its answer.
const CHANGED: i32 = 1;
/// The longest key accepted.
const MAX_KEY_LEN: usize = 255;

/// What to do with a request that carries an idempotency key.
#[derive(Debug, PartialEq, Eq)]
pub enum Idempotency {
    /// Run it: the key is now claimed; call [`Core::idempotency_finish`] with its response
    /// (or [`Core::idempotency_release`] if it failed in a way a retry may fix).
    Proceed,
    /// It ran before: answer this again (HTTP status and JSON body).
    Replay {
        /// The status code.
        status: u16,
        /// The body.
        body: String,
    },
}

/// The request's fingerprint: what a key must be reused with.
pub fn request_fingerprint(method: &str, path: &str, body: &[u8]) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(method.as_bytes());
    h.update([0]);
    h.update(path.as_bytes());
    h.update([0]);
    h.update(body);
    h.finalize().to_vec()
}

fn in_use() -> Error {
    Error::refused(
        Code::IdempotencyKeyInUse,
        "A request with this Idempotency-Key is still running; retry in a moment.",
    )
}

fn check_key(key: &str) -> Result<()> {
    if key.is_empty() || key.len() > MAX_KEY_LEN || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::refused(
            Code::MalformedRequest,
            "Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is a good key).",
        ));
    }
    Ok(())
}

impl Core {
    /// Claims `key` for this caller's request (a token's or a client's id) with `fingerprint`, or
    /// says what it answered before. `Refused(IdempotencyKeyReused)` when the key was used for another request,
    /// `Refused(IdempotencyKeyInUse)` while the first request still runs.
    pub async fn idempotency_begin(&self, caller: Uuid, key: &str, fingerprint: &[u8]) -> Result<Idempotency> {
        check_key(key)?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        if let Some(row) = store::get(tx.db(), caller, key).await? {
            let live = row.created_at + REMEMBERED_FOR > now;
            if live && row.request_hash != fingerprint {
                return Err(Error::refused(
                    Code::IdempotencyKeyReused,
                    "This Idempotency-Key was used for another request; use a new key for a new request.",
                ));
            }
            if live && row.status >= 100 {
                let status = u16::try_from(row.status).unwrap_or(500);
                return Ok(Idempotency::Replay { status, body: row.response.unwrap_or_default() });
            }
            if live && row.created_at + ABANDONED_AFTER > now {
                return Err(in_use());
            }
            if live && row.status == CHANGED {
                return Err(Error::refused(
                    Code::IdempotencyAnswerLost,
                    "The first request with this Idempotency-Key made its change, but its answer was lost: look up what it made (GET) instead of creating it again.",
                ));
            }
        }
        let stale = (now - REMEMBERED_FOR, now - ABANDONED_AFTER);
        if !store::claim(tx.db(), (caller, key), fingerprint, now, stale).await? {
            // Another request claimed it between our read and our insert.
            return Err(in_use());
        }
        tx.commit().await?;
        Ok(Idempotency::Proceed)
    }

    /// Runs `create`, the request that claimed `key`, so that the first transaction it commits
    /// also marks the claim as changed (in that transaction): if the answer is then lost, a
    /// retry is told so instead of creating again.
    pub async fn within_idempotency_claim<F: Future>(&self, caller: Uuid, key: &str, create: F) -> F::Output {
        store::within_claim(caller, key, create).await
    }

    /// Remembers the response of the request that claimed `key`.
    pub async fn idempotency_finish(&self, caller: Uuid, key: &str, status: u16, body: &str) -> Result<()> {
        let mut conn = self.store().conn().await?;
        store::finish(conn.db(), caller, key, i32::from(status), body).await?;
        Ok(())
    }

    /// Gives up the claim on `key` (the request failed in a way a retry may fix: the database
    /// was unreachable, the server was busy), so that a retry runs again.
    pub async fn idempotency_release(&self, caller: Uuid, key: &str) -> Result<()> {
        let mut conn = self.store().conn().await?;
        store::release(conn.db(), caller, key).await?;
        Ok(())
    }
}
