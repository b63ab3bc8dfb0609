//! Bulk single sign-on data for benchmarks (behind the `testing` feature): verified domains and
//! an enabled connection for many organizations, written in one transaction without audit
//! events, then `ANALYZE`.

use crate::Core;
use crate::error::Result;
use crate::ids::{OrganizationId, SsoConnectionId};
use crate::store::organizations::{self as store_orgs, DomainRow};
use crate::store::sso::{self as store, ConnectionRow};

/// Gives organization `i` of `orgs` the verified domains `org{i}-{k}.example` for `k` below
/// `domains_per_org`, and one enabled OpenID Connect connection named `SSO {i}` (its provider
/// metadata is a placeholder: discovery is all the benchmark exercises). Returns the domains written.
pub async fn domains_and_connections(core: &Core, orgs: &[OrganizationId], domains_per_org: usize) -> Result<usize> {
    let now = core.clock().now();
    let mut tx = core.store().begin().await?;
    let mut written = 0;
    for (i, org) in orgs.iter().enumerate() {
        for k in 0..domains_per_org {
            let row = DomainRow {
                organization_id: *org,
                domain: format!("org{i}-{k}.example"),
                verification_token: format!("seed-{i}-{k}"),
                verified_at: Some(now),
                created_at: now,
                checked_at: None,
                check_message: None,
            };
            store_orgs::insert_domain(tx.db(), &row).await?;
            written += 1;
        }
        let connection = ConnectionRow {
            id: SsoConnectionId::new(),
            organization_id: *org,
            kind: "oidc".into(),
            name: format!("SSO {i}"),
            enabled: true,
            issuer: Some(format!("https://idp{i}.example")),
            client_id: Some("keystead".into()),
            client_secret_sealed: None,
            scopes: Some("openid email profile".into()),
            metadata_url: None,
            provider_cache: "{}".into(),
            provider_cached_at: now,
            claim_mapping: serde_json::to_string(&super::ClaimMapping::oidc_default())
                .map_err(|e| crate::Error::Internal(e.into()))?,
            trust_idp_mfa: false,
            rp_logout: false,
            created_at: now,
            updated_at: now,
        };
        store::insert_connection(tx.db(), &connection).await?;
    }
    tx.commit().await?;
    let mut conn = core.store().conn().await?;
    crate::store::licensing::analyze(conn.db()).await?;
    Ok(written)
}
