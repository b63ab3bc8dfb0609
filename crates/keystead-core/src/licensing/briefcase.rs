//! The briefcase: per user and product, a small JSON settings document desktop apps read and
//! write. Versioned: every write names the version it replaces (`If-Match`), so two machines
//! cannot silently overwrite each other's changes.
//!
//! The rules: a write without a version may only create a briefcase (none exists yet); to
//! replace one, the writer sends the version it read, and the write succeeds only when that is
//! still the stored version (one guarded `UPDATE … WHERE version = $n`). Reading and writing
//! need a license of the product; listing, exporting and resetting do not (it is the user's
//! data, also after the license ends).

use time::OffsetDateTime;

use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Code, Error, Result};
use crate::ids::{ProductId, UserId};
use crate::store::briefcases::{self as store, BriefcaseRow};
use crate::store::licensing as catalogue;

/// A product's briefcase.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Briefcase {
    /// The product's key.
    pub product: String,
    /// The product's name.
    pub product_name: String,
    /// The document, as the app wrote it (a JSON object).
    pub body: String,
    /// Its version: 1 when created, one more with every write (the `ETag`).
    pub version: i64,
    /// Its size in bytes.
    pub size: u64,
    /// When it was last written.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// A briefcase without its document, for lists.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BriefcaseSummary {
    /// The product's key.
    pub product: String,
    /// The product's name.
    pub product_name: String,
    /// Its version.
    pub version: i64,
    /// Its size in bytes.
    pub size: u64,
    /// When it was last written.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl From<BriefcaseRow> for Briefcase {
    fn from(r: BriefcaseRow) -> Self {
        Self {
            product: r.product_key,
            product_name: r.product_name,
            body: r.body,
            version: r.version,
            size: u64::try_from(r.size_bytes).unwrap_or_default(),
            updated_at: r.updated_at,
        }
    }
}

impl From<BriefcaseRow> for BriefcaseSummary {
    fn from(r: BriefcaseRow) -> Self {
        let b = Briefcase::from(r);
        Self {
            product: b.product,
            product_name: b.product_name,
            version: b.version,
            size: b.size,
            updated_at: b.updated_at,
        }
    }
}

/// The `too_large` refusal for a briefcase of more than `max_bytes`.
pub fn briefcase_too_large(max_bytes: usize) -> Error {
    Error::refused(Code::TooLarge, format!("A briefcase may hold at most {} KiB.", max_bytes.div_ceil(1024)))
}

/// Checks a briefcase document: at most `max_bytes`, JSON, an object.
fn check_body(body: &str, max_bytes: usize) -> Result<()> {
    if body.len() > max_bytes {
        return Err(briefcase_too_large(max_bytes));
    }
    match serde_json::from_str::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(_)) => Ok(()),
        Ok(_) => Err(Error::refused(Code::InvalidJson, "The briefcase must be a JSON object ({…}).")),
        Err(e) => Err(Error::refused(Code::InvalidJson, format!("The briefcase is not valid JSON: {e}."))),
    }
}

impl Core {
    /// The product's id when `user` holds a license of it; `NotFound` otherwise (also for an
    /// unknown product).
    async fn licensed_product(&self, user: UserId, product: &str) -> Result<ProductId> {
        if !self.licenses_of(user).await?.iter().any(|l| l.product == product) {
            return Err(Error::NotFound);
        }
        let mut conn = self.store().conn().await?;
        Ok(catalogue::find_product(conn.db(), product).await?.ok_or(Error::NotFound)?.id)
    }

    /// `user`'s briefcase of `product` (none when nothing was stored yet). `NotFound` when the
    /// user holds no license of the product.
    pub async fn briefcase(&self, user: UserId, product: &str) -> Result<Option<Briefcase>> {
        let id = self.licensed_product(user, product).await?;
        let mut conn = self.store().conn().await?;
        Ok(store::get(conn.db(), user, id).await?.map(Into::into))
    }

    /// Writes `user`'s briefcase of `product`: `body` must be a JSON object of at most
    /// `licenses.briefcase_max_kib` (`too_large`, `invalid_json` otherwise). With `if_match`,
    /// replaces the briefcase only if its version is still that one (`precondition_failed`
    /// otherwise, also when there is none); without, only creates one
    /// (`precondition_required` when one exists). `NotFound` without a license of the product.
    /// Returns the stored briefcase (version 1 when it was created). Audited.
    pub async fn put_briefcase(
        &self,
        user: UserId,
        product: &str,
        body: &str,
        if_match: Option<i64>,
        meta: &RequestMeta,
    ) -> Result<Briefcase> {
        check_body(body, self.config().licenses.briefcase_max_bytes)?;
        let id = self.licensed_product(user, product).await?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let written = match if_match {
            Some(version) => store::update_if_version(tx.db(), user, id, body, version, now).await?,
            None => store::insert_new(tx.db(), user, id, body, now).await?,
        };
        if !written {
            return Err(match if_match {
                Some(v) => Error::refused(
                    Code::PreconditionFailed,
                    format!("The briefcase is no longer at version {v}: read it again, merge, and write it back."),
                ),
                None => Error::refused(
                    Code::PreconditionRequired,
                    "The briefcase exists: send the version you read (If-Match) to replace it.",
                ),
            });
        }
        let row = store::get(tx.db(), user, id).await?.ok_or(Error::NotFound)?;
        let details =
            serde_json::json!({"event": "written", "product": product, "version": row.version, "size": row.size_bytes});
        audit::record(tx.db(), now, AuditAction::BriefcaseChanged, Some(user), Some(user), meta, details).await?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// The briefcases `user` has, by product key, without their documents (My Account →
    /// Licenses).
    pub async fn briefcases_of(&self, user: UserId) -> Result<Vec<BriefcaseSummary>> {
        let mut conn = self.store().conn().await?;
        Ok(store::list_for_user(conn.db(), user).await?.into_iter().map(Into::into).collect())
    }

    /// Every briefcase of `user` with its document (for the data export).
    pub async fn briefcases_with_bodies(&self, user: UserId) -> Result<Vec<Briefcase>> {
        let mut conn = self.store().conn().await?;
        Ok(store::list_for_user(conn.db(), user).await?.into_iter().map(Into::into).collect())
    }

    /// Deletes `user`'s briefcase of `product` (My Account → Licenses, "Reset"); the next
    /// write creates it anew. `NotFound` when there is none. Audited.
    pub async fn reset_briefcase(&self, user: UserId, product: &str, meta: &RequestMeta) -> Result<()> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let id = catalogue::find_product(tx.db(), product).await?.ok_or(Error::NotFound)?.id;
        if !store::delete(tx.db(), user, id).await? {
            return Err(Error::NotFound);
        }
        let details = serde_json::json!({"event": "reset", "product": product});
        audit::record(tx.db(), now, AuditAction::BriefcaseChanged, Some(user), Some(user), meta, details).await?;
        tx.commit().await?;
        Ok(())
    }
}
