//! Machine activations: a desktop app activates the machine it runs on for a product (offline
//! license tokens are bound to it). A plan's `max_machines` limits how many a user activates;
//! the user frees a slot by deactivating a machine in My Account → Licenses.

use sha2::Digest;
use time::OffsetDateTime;

use super::held::HeldLicense;
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Code, Error, FieldErrors, Result};
use crate::ids::{MachineId, UserId};
use crate::store::activations::{self as store, MachineRow};
use crate::store::licensing as catalogue;

/// The longest fingerprint an app may send (it is hashed; only the hash is stored).
const MAX_FINGERPRINT: usize = 1024;
/// The longest machine name kept.
const MAX_NAME: usize = 100;

/// A machine activated for a product.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Machine {
    /// Its id (what "Deactivate this machine" sends).
    pub id: MachineId,
    /// The product's key.
    pub product: String,
    /// The product's name.
    pub product_name: String,
    /// The name the app gave it (the computer's name).
    pub name: String,
    /// When it was first activated.
    #[serde(with = "time::serde::rfc3339")]
    pub activated_at: OffsetDateTime,
    /// When its app last activated it or fetched a license token.
    #[serde(with = "time::serde::rfc3339")]
    pub last_seen_at: OffsetDateTime,
}

impl From<MachineRow> for Machine {
    fn from(r: MachineRow) -> Self {
        Self {
            id: r.id,
            product: r.product_key,
            product_name: r.product_name,
            name: r.name,
            activated_at: r.activated_at,
            last_seen_at: r.last_seen_at,
        }
    }
}

/// The SHA-256 (lower-case hex) of a fingerprint: what is stored and put in license tokens.
pub fn fingerprint_hash(fingerprint: &str) -> String {
    let digest = sha2::Sha256::digest(fingerprint.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks the fingerprint and machine name an app sent; the trimmed values.
fn check_machine(fingerprint: &str, name: &str) -> Result<(String, String)> {
    let mut errors = FieldErrors::new();
    let fingerprint = fingerprint.trim();
    if fingerprint.is_empty() || fingerprint.len() > MAX_FINGERPRINT {
        errors.add("fingerprint", "invalid_fingerprint", "Send the machine's fingerprint (1 to 1024 characters).");
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
        errors.add(
            "machine_name",
            "invalid_name",
            "Name the machine in 1 to 100 characters, without control characters.",
        );
    }
    errors.into_result()?;
    Ok((fingerprint.to_owned(), name.to_owned()))
}

/// The machine limit of the user's licenses of one product: the largest among them, and none
/// (unlimited) when any of them has none.
fn machine_limit(licenses: &[&HeldLicense]) -> Option<u32> {
    let mut limit = Some(0);
    for l in licenses {
        limit = match (limit, l.max_machines) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        };
    }
    limit
}

impl Core {
    /// Activates the machine with `fingerprint` (hashed with SHA-256 before it is stored) for
    /// `user`'s licenses of `product`. An active fingerprint is only marked as seen (and
    /// renamed); a new one beyond the machine limit (the largest `max_machines` among the
    /// user's live licenses of the product; none when any of them has none) is refused with
    /// `machine_limit`, naming the limit. `NotFound` when the user holds no license of
    /// the product. Concurrent activations of one user are serialised, so the limit holds
    /// under a race.
    pub async fn activate_machine(
        &self,
        user: UserId,
        product: &str,
        fingerprint: &str,
        name: &str,
        meta: &RequestMeta,
    ) -> Result<Machine> {
        let (fingerprint, name) = check_machine(fingerprint, name)?;
        let licenses = self.licenses_of(user).await?;
        let held: Vec<&HeldLicense> = licenses.iter().filter(|l| l.product == product).collect();
        if held.is_empty() {
            return Err(Error::NotFound);
        }
        let limit = machine_limit(&held);
        let hash = fingerprint_hash(&fingerprint);
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let product_row = catalogue::find_product(tx.db(), product).await?.ok_or(Error::NotFound)?;
        store::lock_user(tx.db(), user).await?;
        if !store::touch(tx.db(), user, product_row.id, &hash, &name, now).await? {
            let id = MachineId::new();
            let room = limit.map(i64::from);
            if !store::insert_if_room(tx.db(), id, user, product_row.id, &hash, &name, now, room).await? {
                let n = limit.unwrap_or_default();
                let machines = if n == 1 { "machine" } else { "machines" };
                return Err(Error::refused(
                    Code::MachineLimit,
                    format!(
                        "Your license of {} allows {n} {machines}, and all are activated. Deactivate one in \
                         My Account → Licenses first.",
                        product_row.name
                    ),
                ));
            }
            let details = serde_json::json!({"product": product, "machine": id, "name": name});
            audit::record(tx.db(), now, AuditAction::MachineActivated, Some(user), Some(user), meta, details).await?;
        }
        let row = store::find(tx.db(), user, product_row.id, &hash).await?.ok_or(Error::NotFound)?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// The machines `user` activated, by product, most recently seen first (My Account →
    /// Licenses).
    pub async fn machines_of(&self, user: UserId) -> Result<Vec<Machine>> {
        let mut conn = self.store().conn().await?;
        Ok(store::list_for_user(conn.db(), user).await?.into_iter().map(Into::into).collect())
    }

    /// Deactivates `user`'s machine `id` (My Account → Licenses, "Deactivate this machine"):
    /// its slot is free again; its offline token keeps working until it expires. `NotFound`
    /// for a machine that is not the user's.
    pub async fn deactivate_machine(&self, user: UserId, id: MachineId, meta: &RequestMeta) -> Result<()> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let row = store::find_by_id(tx.db(), user, id).await?.ok_or(Error::NotFound)?;
        if !store::delete(tx.db(), user, id).await? {
            return Err(Error::NotFound);
        }
        let details = serde_json::json!({"product": row.product_key, "machine": id, "name": row.name});
        audit::record(tx.db(), now, AuditAction::MachineDeactivated, Some(user), Some(user), meta, details).await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stored_as_sha256_hex() {
        assert_eq!(fingerprint_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
