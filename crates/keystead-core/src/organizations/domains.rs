//! Email domains of an organization. A domain belongs to at most one organization; operators add
//! them as verified (DNS proof by the organization itself is left for later), org admins see and
//! remove them.

use time::OffsetDateTime;

use super::{Actor, Permission, access};
use crate::Core;
use crate::accounts::EmailAddress;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::crypto::new_token;
use crate::error::{Error, Result};
use crate::ids::OrganizationId;
use crate::store::StoreError;
use crate::store::organizations::{self as store, DomainRow};

/// A domain of an organization.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OrganizationDomain {
    /// The ASCII domain (`example.com`).
    pub domain: String,
    /// When it was verified.
    #[serde(with = "time::serde::rfc3339::option")]
    pub verified_at: Option<OffsetDateTime>,
}

/// The ASCII, lower-case form of a domain typed by a person.
fn parse_domain(input: &str) -> Result<String> {
    let d = input.trim().trim_start_matches('@');
    if d.contains('@') {
        return Err(Error::invalid("domain", "invalid_domain", "Enter a domain such as example.com."));
    }
    EmailAddress::parse("domain", &format!("postmaster@{d}"))
        .map(|e| e.domain().to_owned())
        .map_err(|_| Error::invalid("domain", "invalid_domain", "Enter a domain such as example.com."))
}

impl Core {
    /// Adds a verified domain to an organization (operators only). A domain another organization
    /// holds is refused.
    pub async fn add_organization_domain(
        &self,
        actor: Actor,
        org: OrganizationId,
        domain: &str,
        meta: &RequestMeta,
    ) -> Result<OrganizationDomain> {
        if actor != Actor::Operator {
            return Err(Error::Forbidden);
        }
        let domain = parse_domain(domain)?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        access(tx.db(), org, actor).await?;
        let token = new_token()?;
        let row = DomainRow {
            organization_id: org,
            domain: domain.clone(),
            verification_token: hex(token.digest.as_bytes()),
            verified_at: Some(now),
            created_at: now,
        };
        store::insert_domain(tx.db(), &row).await.map_err(|e| match e {
            StoreError::Conflict { .. } => {
                Error::invalid("domain", "domain_taken", "This domain already belongs to an organization.")
            }
            other => other.into(),
        })?;
        let details = serde_json::json!({"event": "domain_added", "domain": domain});
        audit::record_in_org(tx.db(), now, AuditAction::OrganizationChanged, None, None, org, meta, details).await?;
        tx.commit().await?;
        Ok(OrganizationDomain { domain: row.domain, verified_at: row.verified_at })
    }

    /// The organization's domains (any member).
    pub async fn organization_domains(&self, actor: Actor, org: OrganizationId) -> Result<Vec<OrganizationDomain>> {
        let mut conn = self.store().conn().await?;
        access(conn.db(), org, actor).await?;
        let rows = store::domains_of(conn.db(), org).await?;
        Ok(rows.into_iter().map(|r| OrganizationDomain { domain: r.domain, verified_at: r.verified_at }).collect())
    }

    /// Removes a domain (`org:manage`).
    pub async fn remove_organization_domain(
        &self,
        actor: Actor,
        org: OrganizationId,
        domain: &str,
        meta: &RequestMeta,
    ) -> Result<()> {
        let domain = parse_domain(domain)?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        access(tx.db(), org, actor).await?.require(Permission::OrgManage)?;
        if store::delete_domain(tx.db(), org, &domain).await? == 0 {
            return Err(Error::NotFound);
        }
        let details = serde_json::json!({"event": "domain_removed", "domain": domain});
        audit::record_in_org(tx.db(), now, AuditAction::OrganizationChanged, actor.user(), None, org, meta, details)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().take(16).map(|b| format!("{b:02x}")).collect()
}
