//! Plans: the editions of a product organizations subscribe to, and what a license of one grants.

use super::catalogue::{NewPlan, Plan};
use super::{LandingRule, ProductKind, check_code, require_operator, take};
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Error, FieldErrors, Result};
use crate::ids::{DownloadId, PlanId, ProductId};
use crate::organizations::{Actor, clean_text};
use crate::store::licensing::{self as store, PlanRow};
use crate::store::{Db, StoreError};

/// A plan with what it grants, read from the store.
pub(crate) async fn load_plan(mut db: Db<'_>, row: PlanRow) -> Result<Plan> {
    let entitlements = store::plan_entitlements(db.reborrow(), row.id).await?;
    let extensions = store::plan_extensions(db.reborrow(), row.id).await?.into_iter().map(|p| p.key).collect();
    let downloads = store::plan_downloads(db, row.id).await?.into_iter().map(|d| d.id).collect();
    Ok(Plan {
        id: row.id,
        landing: LandingRule::from_stored(&row.landing, row.landing_url.as_deref()),
        max_machines: row.max_machines.and_then(|n| u32::try_from(n).ok()),
        product: row.product_key,
        key: row.key,
        name: row.name,
        entitlements,
        extensions,
        downloads,
    })
}

/// Entitlement codes, checked and without repeats.
fn check_entitlements(codes: &[&str], errors: &mut FieldErrors) -> Vec<String> {
    let mut out: Vec<String> = codes.iter().filter_map(|c| take(check_code("entitlement", c), errors)).collect();
    out.sort();
    out.dedup();
    if out.len() > 200 {
        errors.add("entitlement", "too_many", "Give at most 200 entitlements.");
    }
    out
}

/// The extensions' ids, checked (each a product of kind `extension`), and the downloads checked
/// to exist; `Invalid` naming `extension` or `download` otherwise.
async fn check_grants(mut db: Db<'_>, extensions: &[&str], downloads: &[DownloadId]) -> Result<Vec<ProductId>> {
    let mut errors = FieldErrors::new();
    let mut ids: Vec<ProductId> = Vec::new();
    for e in extensions {
        match store::find_product(db.reborrow(), e.trim()).await? {
            Some(p) if p.kind == ProductKind::Extension.as_str() => ids.push(p.id),
            Some(_) => errors.add("extension", "not_an_extension", format!("{e} is not a product of kind extension.")),
            None => errors.add("extension", "unknown_product", format!("No product with the key {e}.")),
        }
    }
    for d in downloads {
        if store::find_download(db.reborrow(), *d).await?.is_none() {
            errors.add("download", "unknown_download", format!("No download with the id {d}."));
        }
    }
    errors.into_result()?;
    ids.sort();
    ids.dedup();
    Ok(ids)
}

impl Core {
    /// Creates a plan of a product (operator only): its entitlements, the extensions (products of
    /// kind `extension`) and downloads it grants, its landing rule and machine limit.
    pub async fn create_plan(&self, actor: Actor, new: NewPlan<'_>, meta: &RequestMeta) -> Result<Plan> {
        require_operator(actor)?;
        let mut errors = FieldErrors::new();
        let key = take(check_code("key", new.key), &mut errors);
        let name = clean_text("name", new.name, 100, &mut errors);
        let entitlements = check_entitlements(&new.entitlements, &mut errors);
        let landing = take(LandingRule::parse("landing", new.landing), &mut errors);
        let max_machines = match new.max_machines {
            None => None,
            Some(n) if (1..=1000).contains(&n) => i32::try_from(n).ok(),
            Some(_) => {
                errors.add("max_machines", "out_of_range", "Choose a number from 1 to 1000, or leave it out.");
                None
            }
        };
        let mut downloads: Vec<DownloadId> = Vec::new();
        for d in &new.downloads {
            match d.trim().parse() {
                Ok(id) => downloads.push(id),
                Err(_) => errors.add("download", "invalid_id", format!("{d} is not a download id.")),
            }
        }
        downloads.sort();
        downloads.dedup();
        let (Some(key), Some(landing)) = (key, landing) else { return Err(Error::Invalid(errors)) };
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let product = store::find_product(tx.db(), new.product.trim())
            .await?
            .ok_or_else(|| Error::invalid("product", "unknown_product", "No product with this key."))?;
        let extensions = check_grants(tx.db(), &new.extensions, &downloads).await?;
        let landing_url = match &landing {
            LandingRule::ExternalApp(u) => Some(u.to_string()),
            _ => None,
        };
        let row = PlanRow {
            id: PlanId::new(),
            product_id: product.id,
            product_key: product.key,
            product_name: product.name,
            key,
            name,
            landing: landing.as_str().to_owned(),
            landing_url,
            max_machines,
            created_at: now,
        };
        store::insert_plan(tx.db(), &row, &entitlements, &extensions, &downloads).await.map_err(|e| match e {
            StoreError::Conflict { .. } => Error::invalid("key", "key_taken", "A plan with this key exists."),
            other => other.into(),
        })?;
        let details = serde_json::json!({"event": "plan_created", "key": row.key, "product": row.product_key,
            "entitlements": entitlements});
        audit::record(tx.db(), now, AuditAction::CatalogueChanged, None, None, meta, details).await?;
        let plan = load_plan(tx.db(), row).await?;
        tx.commit().await?;
        Ok(plan)
    }

    /// Every plan with what it grants, by product key and then plan key (operator only).
    pub async fn plans(&self, actor: Actor) -> Result<Vec<Plan>> {
        require_operator(actor)?;
        let mut conn = self.store().conn().await?;
        let mut plans = Vec::new();
        for row in store::list_plans(conn.db()).await? {
            plans.push(load_plan(conn.db(), row).await?);
        }
        Ok(plans)
    }

    /// The plan with this key (operator only).
    pub async fn plan(&self, actor: Actor, key: &str) -> Result<Plan> {
        require_operator(actor)?;
        let mut conn = self.store().conn().await?;
        let row = store::find_plan(conn.db(), key.trim()).await?.ok_or(Error::NotFound)?;
        load_plan(conn.db(), row).await
    }
}
