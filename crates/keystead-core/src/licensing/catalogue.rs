//! The catalogue: products, downloads and plans (operator only, deployment-wide).

use std::path::PathBuf;

use time::OffsetDateTime;

use super::{LandingRule, ProductGroup, ProductKind, check_code, parse_launch_url, parse_url, require_operator, take};
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Error, FieldErrors, Result};
use crate::ids::{DownloadId, PlanId, ProductId};
use crate::organizations::{Actor, clean_text};
use crate::store::StoreError;
use crate::store::licensing::{self as store, DownloadRow, ProductRow};

/// A product of the catalogue.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Product {
    /// Its id.
    pub id: ProductId,
    /// Its stable key (`cet-designer`).
    pub key: String,
    /// Its name.
    pub name: String,
    /// What it is.
    pub kind: ProductKind,
    /// What it does (may be empty).
    pub description: String,
    /// Where the extension chooser lists it.
    pub group: ProductGroup,
    /// A desktop app's launch URL (`cet://start`).
    pub launch_url: Option<String>,
    /// Its icon (an absolute http(s) URL), shown in the extension chooser.
    pub icon_url: Option<String>,
    /// Where to learn more about it (an absolute http(s) URL).
    pub learn_more_url: Option<String>,
    /// When it was created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl From<ProductRow> for Product {
    fn from(r: ProductRow) -> Self {
        Self {
            id: r.id,
            kind: ProductKind::parse("kind", &r.kind).unwrap_or(ProductKind::DesktopApp),
            group: ProductGroup::parse("group", &r.catalogue_group).unwrap_or_default(),
            key: r.key,
            name: r.name,
            description: r.description,
            launch_url: r.launch_url,
            icon_url: r.icon_url,
            learn_more_url: r.learn_more_url,
            created_at: r.created_at,
        }
    }
}

/// What the operator gives to create a product.
#[derive(Debug, Clone, Default)]
pub struct NewProduct<'a> {
    /// Its key (`[a-z0-9][a-z0-9._-]{0,63}`), unique.
    pub key: &'a str,
    /// Its name.
    pub name: &'a str,
    /// `desktop_app`, `web_app`, `extension` or `bundle`.
    pub kind: &'a str,
    /// What it does.
    pub description: Option<&'a str>,
    /// `manufacturer` (the default) or `utility`.
    pub group: Option<&'a str>,
    /// A desktop app's launch URL.
    pub launch_url: Option<&'a str>,
    /// Its icon, an absolute http(s) URL.
    pub icon_url: Option<&'a str>,
    /// Where to learn more about it, an absolute http(s) URL.
    pub learn_more_url: Option<&'a str>,
}

/// A download: a file the operator uploaded or an external link.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Download {
    /// Its id (what `plan create --download` takes).
    pub id: DownloadId,
    /// Its product's key.
    pub product: String,
    /// The version (`2026.1`).
    pub version: String,
    /// The platform (`windows-x64`).
    pub platform: String,
    /// The stored file, relative to the downloads directory, for an uploaded file.
    pub file: Option<String>,
    /// The file's original name, for an uploaded file.
    pub file_name: Option<String>,
    /// The external URL, for a link.
    pub url: Option<String>,
    /// The file's size in bytes.
    pub size: Option<i64>,
    /// The file's SHA-256, lower-case hex.
    pub sha256: Option<String>,
    /// The release date.
    #[serde(with = "time::serde::rfc3339")]
    pub released_at: OffsetDateTime,
    /// The release notes.
    pub notes_url: Option<String>,
}

impl From<DownloadRow> for Download {
    fn from(r: DownloadRow) -> Self {
        Self {
            id: r.id,
            product: r.product_key,
            version: r.version,
            platform: r.platform,
            file: r.file_path,
            file_name: r.file_name,
            url: r.url,
            size: r.size_bytes,
            sha256: r.sha256,
            released_at: r.released_at,
            notes_url: r.notes_url,
        }
    }
}

/// Where a download's bytes come from.
#[derive(Debug, Clone)]
pub enum DownloadSource {
    /// A local file, copied (streamed) under `<data_dir>/downloads/`.
    File(PathBuf),
    /// An external URL (`http` or `https`).
    Url(String),
}

/// What the operator gives to add a download.
#[derive(Debug, Clone)]
pub struct NewDownload<'a> {
    /// The product's key.
    pub product: &'a str,
    /// The version.
    pub version: &'a str,
    /// The platform.
    pub platform: &'a str,
    /// The file or the link.
    pub source: DownloadSource,
    /// The release date; today when absent.
    pub released_at: Option<OffsetDateTime>,
    /// The release notes.
    pub notes_url: Option<&'a str>,
}

/// A plan (edition) of a product.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Plan {
    /// Its id.
    pub id: PlanId,
    /// Its product's key.
    pub product: String,
    /// Its key, unique across the deployment.
    pub key: String,
    /// Its name.
    pub name: String,
    /// Where its holders land after registration.
    pub landing: LandingRule,
    /// How many machines a holder may activate (no limit when absent).
    pub max_machines: Option<u32>,
    /// The entitlement codes it grants.
    pub entitlements: Vec<String>,
    /// The keys of the extensions it grants.
    pub extensions: Vec<String>,
    /// The ids of the downloads it unlocks.
    pub downloads: Vec<DownloadId>,
}

/// What the operator gives to create a plan.
#[derive(Debug, Clone, Default)]
pub struct NewPlan<'a> {
    /// The product's key.
    pub product: &'a str,
    /// The plan's key, unique across the deployment.
    pub key: &'a str,
    /// Its name.
    pub name: &'a str,
    /// Entitlement codes (`cet.edition.pro`).
    pub entitlements: Vec<&'a str>,
    /// Keys of products of kind `extension`.
    pub extensions: Vec<&'a str>,
    /// Download ids.
    pub downloads: Vec<&'a str>,
    /// `extension_chooser`, `downloads`, `none` or a URL.
    pub landing: &'a str,
    /// Machines per user, 1 to 1 000.
    pub max_machines: Option<i64>,
}

fn key_taken(field: &'static str, what: &'static str) -> impl Fn(StoreError) -> Error {
    move |e| match e {
        StoreError::Conflict { .. } => Error::invalid(field, "key_taken", format!("A {what} with this key exists.")),
        other => other.into(),
    }
}

/// Checks a short free-text value (version, platform): 1 to 100 characters, no control
/// characters.
fn short_text(field: &str, value: &str, errors: &mut FieldErrors) -> String {
    let v = value.trim();
    if v.is_empty() || v.chars().count() > 100 || v.chars().any(char::is_control) {
        errors.add(field, "invalid", "Enter 1 to 100 characters.");
    }
    v.to_owned()
}

impl Core {
    /// Creates a product (operator only).
    pub async fn create_product(&self, actor: Actor, new: NewProduct<'_>, meta: &RequestMeta) -> Result<Product> {
        require_operator(actor)?;
        let mut errors = FieldErrors::new();
        let key = take(check_code("key", new.key), &mut errors);
        let name = clean_text("name", new.name, 100, &mut errors);
        let kind = take(ProductKind::parse("kind", new.kind), &mut errors);
        let group = take(ProductGroup::parse("group", new.group.unwrap_or("manufacturer")), &mut errors);
        let description = new.description.unwrap_or("").trim().to_owned();
        if description.chars().count() > 2000 {
            errors.add("description", "too_long", "Use at most 2000 characters.");
        }
        let launch_url = take(new.launch_url.map(|u| parse_launch_url("launch_url", u)).transpose(), &mut errors);
        let icon_url = take(new.icon_url.map(|u| parse_url("icon_url", u).map(String::from)).transpose(), &mut errors);
        let learn_more_url =
            take(new.learn_more_url.map(|u| parse_url("learn_more_url", u).map(String::from)).transpose(), &mut errors);
        let (Some(key), Some(kind), Some(group), Some(launch_url), Some(icon_url), Some(learn_more_url)) =
            (key, kind, group, launch_url, icon_url, learn_more_url)
        else {
            return Err(Error::Invalid(errors));
        };
        errors.into_result()?;
        let row = ProductRow {
            id: ProductId::new(),
            key,
            name,
            kind: kind.as_str().to_owned(),
            description,
            catalogue_group: group.as_str().to_owned(),
            launch_url,
            icon_url,
            learn_more_url,
            created_at: self.clock().now(),
        };
        let mut tx = self.store().begin().await?;
        store::insert_product(tx.db(), &row).await.map_err(key_taken("key", "product"))?;
        let details = serde_json::json!({"event": "product_created", "key": row.key, "kind": row.kind});
        audit::record(tx.db(), row.created_at, AuditAction::CatalogueChanged, None, None, meta, details).await?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// Every product, by key (operator only).
    pub async fn products(&self, actor: Actor) -> Result<Vec<Product>> {
        require_operator(actor)?;
        let mut conn = self.store().conn().await?;
        Ok(store::list_products(conn.db()).await?.into_iter().map(Into::into).collect())
    }

    /// The product with this key (operator only).
    pub async fn product(&self, actor: Actor, key: &str) -> Result<Product> {
        require_operator(actor)?;
        let mut conn = self.store().conn().await?;
        store::find_product(conn.db(), key.trim()).await?.map(Into::into).ok_or(Error::NotFound)
    }

    /// Adds a download of a product (operator only). A file is streamed under
    /// `<data_dir>/downloads/<id>/`, its size and SHA-256 taken on the way.
    pub async fn add_download(&self, actor: Actor, new: NewDownload<'_>, meta: &RequestMeta) -> Result<Download> {
        require_operator(actor)?;
        let mut errors = FieldErrors::new();
        let version = short_text("version", new.version, &mut errors);
        let platform = short_text("platform", new.platform, &mut errors);
        let notes_url = take(new.notes_url.map(|u| parse_url("notes_url", u)).transpose(), &mut errors);
        let url = match &new.source {
            DownloadSource::Url(u) => take(parse_url("url", u).map(Some), &mut errors),
            DownloadSource::File(_) => Some(None),
        };
        let (Some(notes_url), Some(url)) = (notes_url, url) else {
            return Err(Error::Invalid(errors));
        };
        errors.into_result()?;
        let (notes_url, url) = (notes_url.map(String::from), url.map(String::from));
        let product = {
            let mut conn = self.store().conn().await?;
            store::find_product(conn.db(), new.product.trim()).await?
        };
        let product =
            product.ok_or_else(|| Error::invalid("product", "unknown_product", "No product with this key."))?;
        let id = DownloadId::new();
        let file = match &new.source {
            DownloadSource::File(path) => {
                Some(super::files::store_file(&self.config().licenses.downloads_dir, id, path).await?)
            }
            DownloadSource::Url(_) => None,
        };
        let now = self.clock().now();
        let row = DownloadRow {
            id,
            product_id: product.id,
            product_key: product.key,
            version,
            platform,
            file_path: file.as_ref().map(|f| f.relative_path.clone()),
            file_name: file.as_ref().map(|f| f.file_name.clone()),
            url,
            size_bytes: file.as_ref().map(|f| f.size),
            sha256: file.as_ref().map(|f| f.sha256.clone()),
            released_at: new.released_at.unwrap_or(now),
            notes_url,
            created_at: now,
        };
        let saved = self.save_download(&row, meta).await;
        if saved.is_err()
            && let Some(f) = &file
        {
            super::files::remove(&self.config().licenses.downloads_dir, f).await;
        }
        saved?;
        Ok(row.into())
    }

    async fn save_download(&self, row: &DownloadRow, meta: &RequestMeta) -> Result<()> {
        let mut tx = self.store().begin().await?;
        store::insert_download(tx.db(), row).await?;
        let details = serde_json::json!({"event": "download_added", "id": row.id, "product": row.product_key,
            "version": row.version, "platform": row.platform, "sha256": row.sha256});
        audit::record(tx.db(), row.created_at, AuditAction::CatalogueChanged, None, None, meta, details).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every download, by product and newest release first (operator only).
    pub async fn downloads(&self, actor: Actor) -> Result<Vec<Download>> {
        require_operator(actor)?;
        let mut conn = self.store().conn().await?;
        Ok(store::list_downloads(conn.db()).await?.into_iter().map(Into::into).collect())
    }
}
