//! The organization's logo: an upload goes through the profile-picture pipeline
//! ([`picture::process`]: decoded under limits, cropped square, re-encoded without metadata) and
//! its 128 px image is kept; members see it, `org:manage` holders change it. Pages that already
//! name the organization to someone outside it (an invitation, home-realm discovery) show it
//! through a URL naming its version ([`OrganizationBrand`]), which nobody can guess.

use super::{Actor, Permission, access};
use crate::Core;
use crate::accounts::picture::{self, AvatarImage};
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Error, FieldErrors, Result};
use crate::ids::OrganizationId;
use crate::organizations::Organization;
use crate::store::organizations as store;

/// The form field of the upload, named in validation errors.
pub const LOGO_FIELD: &str = "logo";

/// The picture pipeline's messages, moved onto the logo's field.
fn on_logo_field(e: Error) -> Error {
    match e {
        Error::Invalid(errors) => {
            let mut out = FieldErrors::new();
            for e in errors.0 {
                out.add(LOGO_FIELD, e.code, e.message);
            }
            Error::Invalid(out)
        }
        other => other,
    }
}

/// How an organization looks on a page that names it to someone outside it (an invitation to
/// it, the sign-in step that sends its members to their identity provider): its colour and the
/// version of its logo, which is what [`Core::published_organization_logo`] asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationBrand {
    /// The organization.
    pub id: OrganizationId,
    /// Its name.
    pub name: String,
    /// Its accent colour (`#rrggbb`), when it chose one.
    pub color: Option<String>,
    /// Its logo's version, when it has one.
    pub logo_version: Option<String>,
}

impl From<&Organization> for OrganizationBrand {
    fn from(o: &Organization) -> Self {
        Self { id: o.id, name: o.name.clone(), color: o.brand_color.clone(), logo_version: o.logo_version.clone() }
    }
}

impl Core {
    /// The logo of `org` when `version` is its current version: the version is only given out
    /// with an [`OrganizationBrand`], on pages that already name the organization, so it works
    /// as a capability; anything else is `NotFound`.
    pub async fn published_organization_logo(&self, org: OrganizationId, version: &str) -> Result<AvatarImage> {
        let mut conn = self.store().conn().await?;
        match store::logo(conn.db(), org).await? {
            Some((content_type, bytes, etag))
                if !version.is_empty()
                    && bool::from(subtle::ConstantTimeEq::ct_eq(etag.as_bytes(), version.as_bytes())) =>
            {
                Ok(AvatarImage { content_type, bytes, etag })
            }
            _ => Err(Error::NotFound),
        }
    }

    /// Replaces the organization's logo with a processed copy of `upload` (JPEG, PNG or WebP, at
    /// most [`picture::MAX_UPLOAD_BYTES`]; `org:manage`). A file that is not such an image is
    /// refused with a message on [`LOGO_FIELD`] and nothing changes. Returns the new version.
    pub async fn set_organization_logo(
        &self,
        actor: Actor,
        org: OrganizationId,
        upload: Vec<u8>,
        meta: &RequestMeta,
    ) -> Result<String> {
        {
            // Checked before the (costly) decoding, and again in the transaction.
            let mut conn = self.store().conn().await?;
            access(conn.db(), org, actor).await?.require(Permission::OrgManage)?;
        }
        if upload.is_empty() {
            return Err(Error::invalid(LOGO_FIELD, "required", "Choose an image file to upload."));
        }
        if upload.len() > picture::MAX_UPLOAD_BYTES {
            return Err(on_logo_field(picture::file_too_large(u64::try_from(upload.len()).ok())));
        }
        let permit = self.image_decode_permit()?;
        let processed = tokio::task::spawn_blocking(move || picture::process(&upload))
            .await
            .map_err(|e| Error::Internal(anyhow::Error::new(e).context("processing the organization logo")))?
            .map_err(on_logo_field)?;
        drop(permit);
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        access(tx.db(), org, actor).await?.require(Permission::OrgManage)?;
        let logo = (processed.content_type, processed.small.as_slice(), processed.etag.as_str());
        store::set_logo(tx.db(), org, Some(logo), now).await?;
        let details = serde_json::json!({"event": "logo_changed", "content_type": processed.content_type});
        audit::record_in_org(tx.db(), now, AuditAction::OrganizationChanged, actor.user(), None, org, meta, details)
            .await?;
        tx.commit().await?;
        Ok(processed.etag)
    }

    /// Removes the logo (`org:manage`); true when there was one.
    pub async fn remove_organization_logo(
        &self,
        actor: Actor,
        org: OrganizationId,
        meta: &RequestMeta,
    ) -> Result<bool> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        access(tx.db(), org, actor).await?.require(Permission::OrgManage)?;
        let had = store::get_org(tx.db(), org).await?.has_logo;
        if had {
            store::set_logo(tx.db(), org, None, now).await?;
            let details = serde_json::json!({"event": "logo_removed"});
            audit::record_in_org(
                tx.db(),
                now,
                AuditAction::OrganizationChanged,
                actor.user(),
                None,
                org,
                meta,
                details,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(had)
    }

    /// The logo, for members of the organization (`NotFound` for anyone else, and when there is
    /// none: pages show the initials instead).
    pub async fn organization_logo(&self, actor: Actor, org: OrganizationId) -> Result<AvatarImage> {
        let mut conn = self.store().conn().await?;
        access(conn.db(), org, actor).await?;
        let (content_type, bytes, etag) = store::logo(conn.db(), org).await?.ok_or(Error::NotFound)?;
        Ok(AvatarImage { content_type, bytes, etag })
    }
}

/// Up to two initials of an organization's name, for pages when it has no logo.
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().find(|c| c.is_alphanumeric()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}
