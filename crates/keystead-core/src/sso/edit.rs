//! Changing a connection in place: its name, a rotated client secret (providers make them
//! expire), client id, scopes, claim mapping, the trusted-MFA and logout settings, and a SAML
//! IdP's new metadata. The issuer is not editable: linked identities are keyed by it, so
//! another provider is another connection.

use secrecy::SecretString;

use super::connections::{ConnectionKind, SamlMetadataSource, SsoConnection, check_name};
use super::oidc_flow::{check_client_id, check_client_secret, check_scopes};
use super::{ClaimMapping, saml};
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Error, FieldErrors, Result};
use crate::ids::{OrganizationId, SsoConnectionId};
use crate::organizations::{Actor, Permission, access};
use crate::store::StoreError;
use crate::store::sso::{self as store, ConnectionRow};

/// What to change on a connection; `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct ConnectionChanges {
    /// A new name.
    pub name: Option<String>,
    /// OpenID Connect: a new client id.
    pub client_id: Option<String>,
    /// OpenID Connect: a new client secret (sealed at rest; never shown again).
    pub client_secret: Option<SecretString>,
    /// OpenID Connect: new scopes (`openid` is always asked for).
    pub scopes: Option<Vec<String>>,
    /// New claim or attribute names.
    pub claim_mapping: Option<ClaimMapping>,
    /// Whether the provider's second factor counts as Keystead's.
    pub trust_idp_mfa: Option<bool>,
    /// OpenID Connect: whether signing out also ends the session at the provider.
    pub rp_logout: Option<bool>,
    /// SAML: the IdP's metadata again, from a URL or uploaded (its entity id must stay the same).
    pub metadata: Option<SamlMetadataSource>,
}

impl ConnectionChanges {
    /// The names of the settings being changed, for the audit log (never a value).
    fn fields(&self) -> Vec<&'static str> {
        let set = [
            ("name", self.name.is_some()),
            ("client_id", self.client_id.is_some()),
            ("client_secret", self.client_secret.is_some()),
            ("scopes", self.scopes.is_some()),
            ("claim_mapping", self.claim_mapping.is_some()),
            ("trust_idp_mfa", self.trust_idp_mfa.is_some()),
            ("rp_logout", self.rp_logout.is_some()),
            ("metadata", self.metadata.is_some()),
        ];
        set.into_iter().filter(|(_, on)| *on).map(|(name, _)| name).collect()
    }
}

fn only_for(kind: &str, field: &'static str) -> (&'static str, &'static str, String) {
    (field, "not_for_this_protocol", format!("A {kind} connection has no {field} to change."))
}

/// Applies the protocol-independent and OpenID Connect changes to `row`, collecting problems.
fn apply(row: &mut ConnectionRow, c: &ConnectionChanges, errors: &mut FieldErrors) {
    let oidc = ConnectionKind::parse(&row.kind) == ConnectionKind::Oidc;
    if let Some(name) = &c.name {
        match check_name(name) {
            Ok(n) => row.name = n,
            Err(_) => errors.add_with(
                "name",
                "invalid_name",
                "Give the connection a name of 1 to 100 characters.",
                vec![("min", "1".to_owned()), ("max", "100".to_owned())],
            ),
        }
    }
    let mut problems = Vec::new();
    if let Some(id) = &c.client_id {
        match check_client_id(id) {
            Ok(id) if oidc => row.client_id = Some(id),
            Ok(_) => problems.push(only_for("SAML", "client_id")),
            Err(p) => problems.push((p.0, p.1, p.2.to_owned())),
        }
    }
    if let Some(scopes) = &c.scopes {
        match check_scopes(scopes) {
            Ok(s) if oidc => row.scopes = Some(s.join(" ")),
            Ok(_) => problems.push(only_for("SAML", "scopes")),
            Err(p) => problems.push((p.0, p.1, p.2.to_owned())),
        }
    }
    if c.rp_logout.is_some() && !oidc {
        problems.push(only_for("SAML", "rp_logout"));
    }
    if c.metadata.is_some() && oidc {
        problems.push(only_for("OpenID Connect", "metadata"));
    }
    for (field, code, message) in problems {
        errors.add(field, code, message);
    }
    row.rp_logout = c.rp_logout.unwrap_or(row.rp_logout);
    row.trust_idp_mfa = c.trust_idp_mfa.unwrap_or(row.trust_idp_mfa);
}

impl Core {
    /// Changes a connection (`sso:manage`). New SAML metadata is fetched (or taken as uploaded)
    /// and parsed before anything is saved, and must name the same IdP entity.
    pub async fn update_sso_connection(
        &self,
        actor: Actor,
        org: OrganizationId,
        id: SsoConnectionId,
        changes: ConnectionChanges,
        meta: &RequestMeta,
    ) -> Result<SsoConnection> {
        self.require_sso_manage(actor, org).await?;
        let mut row = {
            let mut conn = self.store().conn().await?;
            store::get_connection(conn.db(), id).await?.filter(|c| c.organization_id == org).ok_or(Error::NotFound)?
        };
        let mut errors = FieldErrors::new();
        apply(&mut row, &changes, &mut errors);
        if let Some(secret) = &changes.client_secret {
            if let Err(p) = check_client_secret(secret) {
                errors.add(p.0, p.1, p.2);
            } else if ConnectionKind::parse(&row.kind) == ConnectionKind::Oidc {
                row.client_secret_sealed = Some(self.seal_client_secret(id, secret)?);
            } else {
                let (field, code, message) = only_for("SAML", "client_secret");
                errors.add(field, code, message);
            }
        }
        if let Some(mapping) = &changes.claim_mapping {
            row.claim_mapping = serde_json::to_string(mapping).map_err(|e| Error::Internal(e.into()))?;
        }
        errors.into_result()?;
        let now = self.clock().now();
        if let Some(source) =
            changes.metadata.as_ref().filter(|_| ConnectionKind::parse(&row.kind) == ConnectionKind::Saml)
        {
            let (idp, metadata_url) = self.read_saml_metadata(source).await?;
            self.check_same_entity(&row, &idp)?;
            row.provider_cache = serde_json::to_string(&idp).map_err(|e| Error::Internal(e.into()))?;
            row.provider_cached_at = now;
            row.metadata_url = metadata_url;
        }
        row.updated_at = now;
        let mut tx = self.store().begin().await?;
        access(tx.db(), org, actor).await?.require(Permission::SsoManage)?;
        let updated = store::update_connection(tx.db(), &row).await.map_err(|e| match e {
            StoreError::Conflict { .. } => {
                Error::invalid("name", "name_taken", "The organization already has a connection with this name.")
            }
            other => other.into(),
        })?;
        if !updated {
            return Err(Error::NotFound);
        }
        let details = serde_json::json!({"event": "updated", "connection": id, "changed": changes.fields()});
        audit::record_in_org(tx.db(), now, AuditAction::SsoConnectionChanged, actor.user(), None, org, meta, details)
            .await?;
        tx.commit().await?;
        self.connection_view(row)
    }

    fn check_same_entity(&self, row: &ConnectionRow, idp: &saml::IdpMetadata) -> Result<()> {
        if row.issuer.as_deref() == Some(idp.entity_id.as_str()) {
            return Ok(());
        }
        Err(Error::invalid(
            "metadata",
            "other_entity",
            format!(
                "This metadata is for the IdP {}, not {}. Identities linked through this connection belong to the first: add another connection for a different IdP.",
                idp.entity_id,
                row.issuer.as_deref().unwrap_or_default()
            ),
        ))
    }
}
