//! Changing an organization: its name and settings, in one transaction with an optional version
//! check (the admin API's `If-Match`). The pages' rename and settings forms are this same change
//! with one part given.

use time::{Duration, OffsetDateTime};

use super::{Actor, Organization, OrganizationSettings, Permission, access, check_settings, clean_text};
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::branding::Rgb;
use crate::error::{Code, Error, FieldErrors, Result};
use crate::ids::OrganizationId;
use crate::store::organizations as store;

/// What to change: each part given replaces the current one (`Some(None)` clears a
/// password-length override).
#[derive(Debug, Clone, Default)]
pub struct OrganizationChanges {
    /// A new name.
    pub name: Option<String>,
    /// Members must use a second factor.
    pub require_mfa: Option<bool>,
    /// Minimum password length for members (8 to 128), or none.
    pub password_min_length: Option<Option<u32>>,
    /// Maximum password length for members (8 to 128, not below the minimum), or none.
    pub password_max_length: Option<Option<u32>>,
    /// The accent colour (`#rrggbb` or `#rgb`), or none for the deployment's.
    pub brand_color: Option<Option<String>>,
}

impl OrganizationChanges {
    fn touches_settings(&self) -> bool {
        self.require_mfa.is_some() || self.password_min_length.is_some() || self.password_max_length.is_some()
    }
}

/// When a change made `now` is recorded: after the last one, so that the version changes even
/// within one clock tick.
fn next_version(last: OffsetDateTime, now: OffsetDateTime) -> OffsetDateTime {
    now.max(last + Duration::microseconds(1))
}

impl Core {
    /// Changes an organization's name and settings (`org:manage`), all or nothing. With
    /// `expected_version`, an organization changed since is `PreconditionFailed`. Each part
    /// changed is in the audit log (`renamed`, `settings`).
    pub async fn change_organization(
        &self,
        actor: Actor,
        org: OrganizationId,
        changes: OrganizationChanges,
        expected_version: Option<&str>,
        meta: &RequestMeta,
    ) -> Result<Organization> {
        let mut errors = FieldErrors::new();
        let name = changes.name.as_deref().map(|n| clean_text("name", n, 100, &mut errors));
        let brand_color = changes.brand_color.as_ref().map(|c| {
            c.as_deref().map(str::trim).filter(|c| !c.is_empty()).and_then(|c| match Rgb::parse(c) {
                Some(rgb) => Some(rgb.hex()),
                None => {
                    errors.add("brand_color", "invalid_color", "Give a colour as #rrggbb, such as #1f5fbf.");
                    None
                }
            })
        });
        errors.into_result()?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        access(tx.db(), org, actor).await?.require(Permission::OrgManage)?;
        let mut row = store::lock_org(tx.db(), org).await?;
        if expected_version.is_some_and(|v| Organization::from(row.clone()).version() != v) {
            return Err(Error::refused(
                Code::PreconditionFailed,
                "The organization changed since you read it: read it again and reapply your change.",
            ));
        }
        let mut events = Vec::new();
        if let Some(name) = name {
            events.push(serde_json::json!({"event": "renamed", "from": row.name, "to": name}));
            row.name = name;
        }
        if let Some(color) = brand_color
            && color != row.brand_color
        {
            events.push(serde_json::json!({"event": "brand_color", "from": row.brand_color, "to": color}));
            row.brand_color = color;
        }
        if changes.touches_settings() {
            let current = Organization::from(row.clone()).settings;
            let settings = OrganizationSettings {
                require_mfa: changes.require_mfa.unwrap_or(current.require_mfa),
                password_min_length: changes.password_min_length.unwrap_or(current.password_min_length),
                password_max_length: changes.password_max_length.unwrap_or(current.password_max_length),
            };
            check_settings(&settings)?;
            let to_db = |v: Option<u32>| v.and_then(|n| i32::try_from(n).ok());
            row.require_mfa = settings.require_mfa;
            row.password_min_length = to_db(settings.password_min_length);
            row.password_max_length = to_db(settings.password_max_length);
            events.push(serde_json::json!({"event": "settings", "settings": settings}));
        }
        if events.is_empty() {
            return Ok(row.into());
        }
        row.updated_at = next_version(row.updated_at, now);
        store::update_org(tx.db(), &row).await?;
        for details in events {
            let by = actor.user();
            audit::record_in_org(tx.db(), now, AuditAction::OrganizationChanged, by, None, org, meta, details).await?;
        }
        tx.commit().await?;
        Ok(row.into())
    }

    /// Renames an organization (`org:manage`).
    pub async fn rename_organization(
        &self,
        actor: Actor,
        org: OrganizationId,
        name: &str,
        meta: &RequestMeta,
    ) -> Result<Organization> {
        let changes = OrganizationChanges { name: Some(name.to_owned()), ..OrganizationChanges::default() };
        self.change_organization(actor, org, changes, None, meta).await
    }

    /// Changes the settings (`org:manage`): the MFA requirement and the password-length override
    /// (8 to 128, the maximum not below the minimum).
    pub async fn update_organization_settings(
        &self,
        actor: Actor,
        org: OrganizationId,
        settings: OrganizationSettings,
        meta: &RequestMeta,
    ) -> Result<Organization> {
        let changes = OrganizationChanges {
            name: None,
            require_mfa: Some(settings.require_mfa),
            password_min_length: Some(settings.password_min_length),
            password_max_length: Some(settings.password_max_length),
            brand_color: None,
        };
        self.change_organization(actor, org, changes, None, meta).await
    }
}
