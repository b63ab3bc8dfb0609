//! Roles: the built-in ones and each organization's custom roles (named permission sets).

use super::{Actor, BuiltinRole, Permission, PermissionSet, access, clean_text};
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Error, FieldErrors, Result};
use crate::ids::{OrganizationId, RoleId};
use crate::store::StoreError;
use crate::store::organizations::{self as store, RoleRow};

/// A role that can be given in an organization.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RoleInfo {
    /// The custom role's id (`None` for built-in roles).
    pub id: Option<RoleId>,
    /// The name stored on memberships.
    pub name: String,
    /// The name shown.
    pub label: String,
    /// What it permits.
    #[serde(skip)]
    pub permissions: PermissionSet,
    /// True for the built-in roles.
    pub builtin: bool,
}

/// Checks the new-role form: a name of 1 to 50 characters that is not a built-in role's, and at
/// least one known permission; every problem is reported at once.
pub(crate) fn check_new_role(name: &str, permissions: &[String]) -> Result<(String, PermissionSet)> {
    let mut errors = FieldErrors::new();
    let name = clean_text("name", name, 50, &mut errors);
    if BuiltinRole::parse(&name.to_lowercase()).is_some() {
        errors.add("name", "reserved", "This is the name of a built-in role: choose another.");
    }
    let parsed: Vec<Option<Permission>> = permissions.iter().map(|p| Permission::parse(p.trim())).collect();
    if parsed.iter().any(Option::is_none) {
        errors.add("permissions", "unknown_permission", "Choose permissions from the list.");
    } else if parsed.is_empty() {
        errors.add("permissions", "required", "Choose at least one permission.");
    }
    errors.into_result()?;
    Ok((name, PermissionSet::of(&parsed.into_iter().flatten().collect::<Vec<_>>())))
}

impl Core {
    /// The roles of `org`: the built-in ones, then its custom roles by name (any member).
    pub async fn organization_roles(&self, actor: Actor, org: OrganizationId) -> Result<Vec<RoleInfo>> {
        let mut conn = self.store().conn().await?;
        access(conn.db(), org, actor).await?;
        let custom = store::roles_of(conn.db(), org).await?;
        let builtin = BuiltinRole::ALL.into_iter().map(|b| RoleInfo {
            id: None,
            name: b.as_str().to_owned(),
            label: b.label().to_owned(),
            permissions: b.permissions(),
            builtin: true,
        });
        let custom = custom.into_iter().map(|r| RoleInfo {
            id: Some(r.id),
            label: r.name.clone(),
            name: r.name,
            permissions: PermissionSet::from_stored(&r.permissions),
            builtin: false,
        });
        Ok(builtin.chain(custom).collect())
    }

    /// Creates a custom role (`roles:manage`, and only with permissions the actor holds).
    pub async fn create_role(
        &self,
        actor: Actor,
        org: OrganizationId,
        name: &str,
        permissions: &[String],
        meta: &RequestMeta,
    ) -> Result<RoleId> {
        let (name, set) = check_new_role(name, permissions)?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let a = access(tx.db(), org, actor).await?;
        a.require(Permission::RolesManage)?;
        if !a.permissions.covers(set) {
            return Err(Error::Forbidden);
        }
        let row =
            RoleRow { id: RoleId::new(), organization_id: org, name, permissions: set.to_stored(), created_at: now };
        store::insert_role(tx.db(), &row).await.map_err(|e| match e {
            StoreError::Conflict { .. } => {
                Error::invalid("name", "name_taken", "A role with this name exists: choose another.")
            }
            other => other.into(),
        })?;
        let details = serde_json::json!({"event": "created", "role": row.name, "permissions": row.permissions});
        audit::record_in_org(tx.db(), now, AuditAction::RoleChanged, actor.user(), None, org, meta, details).await?;
        tx.commit().await?;
        Ok(row.id)
    }

    /// Deletes a custom role nobody holds (`roles:manage`).
    pub async fn delete_role(&self, actor: Actor, org: OrganizationId, id: RoleId, meta: &RequestMeta) -> Result<()> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        access(tx.db(), org, actor).await?.require(Permission::RolesManage)?;
        let role = store::roles_of(tx.db(), org).await?.into_iter().find(|r| r.id == id).ok_or(Error::NotFound)?;
        if store::count_role(tx.db(), org, &role.name).await? > 0 {
            return Err(Error::invalid(
                "role",
                "role_in_use",
                "Members hold this role: give them another role before deleting it.",
            ));
        }
        store::delete_role(tx.db(), org, id).await?;
        let details = serde_json::json!({"event": "deleted", "role": role.name});
        audit::record_in_org(tx.db(), now, AuditAction::RoleChanged, actor.user(), None, org, meta, details).await?;
        tx.commit().await?;
        Ok(())
    }
}
