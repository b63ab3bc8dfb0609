//! Email domains of an organization. Operators add them as verified; org admins claim them and
//! prove them with a DNS TXT record ([`dns`]), checked on request and by a periodic job. Any
//! number of organizations may claim a domain; once verified it belongs to exactly one.

use time::{Duration, OffsetDateTime};

use super::{Actor, Permission, access, dns};
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
    /// When it was verified (`None`: pending its DNS proof).
    #[serde(with = "time::serde::rfc3339::option")]
    pub verified_at: Option<OffsetDateTime>,
    /// The name of the TXT record that proves it (`_keystead-challenge.example.com`).
    pub record_name: String,
    /// The value that record must have.
    pub record_value: String,
    /// When the DNS record was last checked.
    #[serde(with = "time::serde::rfc3339::option")]
    pub checked_at: Option<OffsetDateTime>,
    /// What the last failed check found, for people.
    pub check_message: Option<String>,
}

impl From<DomainRow> for OrganizationDomain {
    fn from(r: DomainRow) -> Self {
        Self {
            record_name: dns::record_name(&r.domain),
            record_value: dns::record_value(&r.verification_token),
            domain: r.domain,
            verified_at: r.verified_at,
            checked_at: r.checked_at,
            check_message: r.check_message,
        }
    }
}

/// What the periodic re-check did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DomainRecheck {
    /// Domains checked.
    pub checked: usize,
    /// Domains found verified.
    pub verified: usize,
}

/// How long a pending domain is re-checked by the periodic job (an admin may still press
/// "Check now" later).
const RECHECK_FOR: Duration = Duration::days(7);
/// Lookups the periodic job runs at once.
const RECHECK_PARALLEL: usize = 10;
/// The periodic job leaves a domain alone this long after a check.
const RECHECK_EVERY: Duration = Duration::minutes(10);

fn domain_taken() -> Error {
    Error::invalid("domain", "domain_taken", "This domain already belongs to an organization.")
}

fn domain_taken_on(e: StoreError) -> Error {
    match e {
        StoreError::Conflict { .. } => domain_taken(),
        other => other.into(),
    }
}

/// The ASCII, lower-case form of a domain typed by a person.
pub(crate) fn parse_domain(input: &str) -> Result<String> {
    let d = input.trim().trim_start_matches('@');
    if d.contains('@') {
        return Err(Error::invalid("domain", "invalid_domain", "Enter a domain such as example.com."));
    }
    EmailAddress::parse("domain", &format!("postmaster@{d}"))
        .map(|e| e.domain().to_owned())
        .map_err(|_| Error::invalid("domain", "invalid_domain", "Enter a domain such as example.com."))
}

impl Core {
    /// Adds a verified domain to an organization (operators only), or verifies the
    /// organization's pending claim of it. A domain another organization verified is refused.
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
            checked_at: None,
            check_message: None,
        };
        if store::verified_owner_of(tx.db(), &domain).await?.is_some() {
            return Err(domain_taken());
        }
        // The organization's own pending claim: the operator's word verifies it.
        if store::domain(tx.db(), org, &domain).await?.is_some() {
            store::record_domain_check(tx.db(), org, &domain, now, true, None).await.map_err(domain_taken_on)?;
            let details = serde_json::json!({"event": "domain_verified", "domain": domain, "by": "operator"});
            audit::record_in_org(tx.db(), now, AuditAction::OrganizationChanged, None, None, org, meta, details)
                .await?;
            let verified = store::domain(tx.db(), org, &domain).await?.ok_or(Error::NotFound)?;
            tx.commit().await?;
            return Ok(verified.into());
        }
        store::insert_domain(tx.db(), &row).await.map_err(domain_taken_on)?;
        let details = serde_json::json!({"event": "domain_added", "domain": domain, "verified": true});
        audit::record_in_org(tx.db(), now, AuditAction::OrganizationChanged, None, None, org, meta, details).await?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// Claims a domain for an organization (`org:manage`), pending its DNS proof: the answer
    /// names the TXT record to publish (see [`dns`]). A domain another organization
    /// verified is refused; one this organization already has is refused too.
    pub async fn claim_organization_domain(
        &self,
        actor: Actor,
        org: OrganizationId,
        domain: &str,
        meta: &RequestMeta,
    ) -> Result<OrganizationDomain> {
        let domain = parse_domain(domain)?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        access(tx.db(), org, actor).await?.require(Permission::OrgManage)?;
        if store::verified_owner_of(tx.db(), &domain).await?.is_some() {
            return Err(domain_taken());
        }
        if store::domain(tx.db(), org, &domain).await?.is_some() {
            return Err(Error::invalid("domain", "domain_added", "This organization has already added this domain."));
        }
        let token = new_token()?;
        let row = DomainRow {
            organization_id: org,
            domain: domain.clone(),
            verification_token: hex(token.digest.as_bytes()),
            verified_at: None,
            created_at: now,
            checked_at: None,
            check_message: None,
        };
        store::insert_domain(tx.db(), &row).await.map_err(domain_taken_on)?;
        let details = serde_json::json!({"event": "domain_added", "domain": domain, "verified": false});
        audit::record_in_org(tx.db(), now, AuditAction::OrganizationChanged, actor.user(), None, org, meta, details)
            .await?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// Checks a pending domain's DNS TXT record now (`org:manage`). Verified: the domain is the
    /// organization's. Not found or wrong: `Invalid` on `domain` with what the lookup found and
    /// what was expected (also kept for the settings page). Already verified: answered as is.
    pub async fn verify_organization_domain(
        &self,
        actor: Actor,
        org: OrganizationId,
        domain: &str,
        meta: &RequestMeta,
    ) -> Result<OrganizationDomain> {
        let domain = parse_domain(domain)?;
        let row = {
            let mut conn = self.store().conn().await?;
            access(conn.db(), org, actor).await?.require(Permission::OrgManage)?;
            store::domain(conn.db(), org, &domain).await?.ok_or(Error::NotFound)?
        };
        if row.verified_at.is_some() {
            return Ok(row.into());
        }
        match self.check_domain_record(&row, actor.user(), meta).await? {
            Ok(verified) => Ok(verified),
            Err(message) => Err(Error::invalid("domain", "dns_check_failed", message)),
        }
    }

    /// Looks the record of `row` up and records the outcome: the verified domain, or the message.
    async fn check_domain_record(
        &self,
        row: &DomainRow,
        actor: Option<crate::ids::UserId>,
        meta: &RequestMeta,
    ) -> Result<std::result::Result<OrganizationDomain, String>> {
        let outcome = dns::check(&self.config().organizations, &row.domain, &row.verification_token).await;
        let now = self.clock().now();
        let org = row.organization_id;
        let mut tx = self.store().begin().await?;
        let outcome = match outcome {
            Ok(()) if store::verified_owner_of(tx.db(), &row.domain).await?.is_some_and(|o| o != org) => {
                Err("The record is right, but another organization verified this domain first.".to_owned())
            }
            other => other,
        };
        let message = outcome.as_ref().err().map(String::as_str);
        let verified = outcome.is_ok();
        match store::record_domain_check(tx.db(), org, &row.domain, now, verified, message).await {
            Ok(_) => {}
            Err(StoreError::Conflict { .. }) => {
                return Ok(Err("The record is right, but another organization verified this domain first.".to_owned()));
            }
            Err(e) => return Err(e.into()),
        }
        if verified {
            let details = serde_json::json!({"event": "domain_verified", "domain": row.domain});
            audit::record_in_org(tx.db(), now, AuditAction::OrganizationChanged, actor, None, org, meta, details)
                .await?;
        }
        tx.commit().await?;
        Ok(match outcome {
            Ok(()) => {
                let mut conn = self.store().conn().await?;
                Ok(store::domain(conn.db(), org, &row.domain).await?.ok_or(Error::NotFound)?.into())
            }
            Err(m) => Err(m),
        })
    }

    /// The periodic job: checks the DNS records of domains claimed in the last 7 days and not
    /// checked in the last 10 minutes, a batch at a time.
    pub async fn recheck_pending_domains(&self) -> Result<DomainRecheck> {
        let now = self.clock().now();
        let rows = {
            let mut conn = self.store().conn().await?;
            store::pending_domains(conn.db(), now - RECHECK_FOR, now - RECHECK_EVERY, 100).await?
        };
        let mut done = DomainRecheck::default();
        // A few lookups at a time, so a batch of silent servers costs a few timeouts, well
        // inside the periodic job's lease.
        for chunk in rows.chunks(RECHECK_PARALLEL) {
            let mut set = tokio::task::JoinSet::new();
            for row in chunk {
                let (core, row) = (self.clone(), row.clone());
                set.spawn(async move { core.check_domain_record(&row, None, &RequestMeta::default()).await });
            }
            while let Some(joined) = set.join_next().await {
                let outcome =
                    joined.map_err(|e| Error::Internal(anyhow::Error::new(e).context("checking a domain")))??;
                done.checked += 1;
                done.verified += usize::from(outcome.is_ok());
            }
        }
        Ok(done)
    }

    /// The organization's domains (any member).
    pub async fn organization_domains(&self, actor: Actor, org: OrganizationId) -> Result<Vec<OrganizationDomain>> {
        let mut conn = self.store().conn().await?;
        access(conn.db(), org, actor).await?;
        let rows = store::domains_of(conn.db(), org).await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// One domain of an organization (any member); `NotFound` when it has not added it.
    pub async fn organization_domain(
        &self,
        actor: Actor,
        org: OrganizationId,
        domain: &str,
    ) -> Result<OrganizationDomain> {
        let domain = parse_domain(domain).map_err(|_| Error::NotFound)?;
        let mut conn = self.store().conn().await?;
        access(conn.db(), org, actor).await?;
        Ok(store::domain(conn.db(), org, &domain).await?.ok_or(Error::NotFound)?.into())
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
