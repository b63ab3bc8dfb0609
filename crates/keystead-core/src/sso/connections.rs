//! An organization's connections to its identity providers: adding (the provider's metadata is
//! fetched and checked first), listing, enabling, removing, and the "members must sign in through
//! SSO" policy. Organization admins (`sso:manage`) and the operator (CLI) call the same functions.

use secrecy::{ExposeSecret, SecretString};
use time::OffsetDateTime;

use super::ClaimMapping;
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Code, Error, Result};
use crate::ids::{OrganizationId, SsoConnectionId};
use crate::organizations::{Actor, Permission, access};
use crate::store::StoreError;
use crate::store::sso::{self as store, ConnectionRow};

/// The protocol a connection speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionKind {
    /// OpenID Connect (authorization code with PKCE).
    Oidc,
    /// SAML 2.0 (SP-initiated, HTTP-Redirect request, HTTP-POST response).
    Saml,
}

impl ConnectionKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Oidc => "oidc",
            Self::Saml => "saml",
        }
    }

    pub(crate) fn parse(s: &str) -> Self {
        if s == "saml" { Self::Saml } else { Self::Oidc }
    }
}

/// A connection as pages, the CLI and the API show it (never the client secret).
#[derive(Debug, Clone, serde::Serialize)]
pub struct SsoConnection {
    /// Its id.
    pub id: SsoConnectionId,
    /// The organization it belongs to.
    pub organization_id: OrganizationId,
    /// The protocol.
    pub kind: ConnectionKind,
    /// Its name, shown to users ("Sign in through Acme SSO").
    pub name: String,
    /// Whether home-realm discovery sends people to it.
    pub enabled: bool,
    /// The OpenID Connect issuer, or the SAML IdP's entity id.
    pub issuer: String,
    /// The OpenID Connect client id.
    pub client_id: Option<String>,
    /// The OpenID Connect scopes asked for.
    pub scopes: Vec<String>,
    /// Where the SAML IdP metadata was fetched from (none: uploaded).
    pub metadata_url: Option<String>,
    /// Which claims or attributes fill the profile.
    pub claim_mapping: ClaimMapping,
    /// Whether a second factor reported by the IdP counts here.
    pub trust_idp_mfa: bool,
    /// Whether signing out also ends the session at the IdP (OpenID Connect).
    pub rp_logout: bool,
    /// The redirect URI to register at an OpenID Connect IdP.
    pub redirect_uri: Option<String>,
    /// Our SAML service provider's metadata URL (also its entity id).
    pub sp_metadata_url: Option<String>,
    /// Our SAML assertion consumer service URL.
    pub acs_url: Option<String>,
    /// When it was added.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// What an admin gives to connect an OpenID Connect provider.
#[derive(Debug, Clone)]
pub struct NewOidcConnection {
    /// Shown to users.
    pub name: String,
    /// The issuer URL (discovery is fetched from it).
    pub issuer: String,
    /// The client id registered at the IdP.
    pub client_id: String,
    /// The client secret registered at the IdP (sealed at rest).
    pub client_secret: SecretString,
    /// Scopes; empty means `openid email profile`.
    pub scopes: Vec<String>,
    /// Claim names; `None` means the standard ones.
    pub claim_mapping: Option<ClaimMapping>,
    /// Count the IdP's second factor (`amr`/`acr`) as ours.
    pub trust_idp_mfa: bool,
    /// Offer RP-initiated logout at the IdP on sign-out.
    pub rp_logout: bool,
}

/// Where a SAML IdP's metadata comes from.
#[derive(Debug, Clone)]
pub enum SamlMetadataSource {
    /// Fetched from this URL.
    Url(String),
    /// Uploaded XML.
    Xml(String),
}

/// What an admin gives to connect a SAML identity provider.
#[derive(Debug, Clone)]
pub struct NewSamlConnection {
    /// Shown to users.
    pub name: String,
    /// The IdP's metadata.
    pub metadata: SamlMetadataSource,
    /// Attribute names; `None` means the common ones.
    pub claim_mapping: Option<ClaimMapping>,
    /// Count the IdP's `AuthnContextClassRef` as a second factor when it names one.
    pub trust_idp_mfa: bool,
}

/// The longest connection name.
const MAX_NAME: usize = 100;

pub(crate) fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
        return Err(Error::invalid("name", "invalid_name", "Give the connection a name of 1 to 100 characters."));
    }
    Ok(name.to_owned())
}

impl Core {
    /// The redirect URI every OpenID Connect connection of the deployment uses (the `state`
    /// tells the connections apart).
    pub fn sso_redirect_uri(&self) -> url::Url {
        self.config().public_url.join("sso/oidc/callback").unwrap_or_else(|_| self.config().public_url.clone())
    }

    /// Our SAML service provider's entity id (also its metadata URL) for a connection.
    pub fn saml_sp_entity_id(&self, id: SsoConnectionId) -> String {
        format!("{}sso/saml/{id}/metadata", self.config().public_url)
    }

    /// Our SAML assertion consumer service URL for a connection.
    pub fn saml_acs_url(&self, id: SsoConnectionId) -> String {
        format!("{}sso/saml/{id}/acs", self.config().public_url)
    }

    /// The organization's connections (`sso:manage`).
    pub async fn sso_connections(&self, actor: Actor, org: OrganizationId) -> Result<Vec<SsoConnection>> {
        let mut conn = self.store().conn().await?;
        access(conn.db(), org, actor).await?.require(Permission::SsoManage)?;
        let rows = store::connections_of(conn.db(), org).await?;
        rows.into_iter().map(|r| self.connection_view(r)).collect()
    }

    /// Enables or disables a connection (`sso:manage`). Disabling the last enabled connection
    /// of an organization that requires SSO is refused: its members could not sign in.
    pub async fn set_sso_connection_enabled(
        &self,
        actor: Actor,
        org: OrganizationId,
        id: SsoConnectionId,
        enabled: bool,
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        access(tx.db(), org, actor).await?.require(Permission::SsoManage)?;
        if !enabled {
            store::lock_policy(tx.db(), org).await?;
            self.refuse_losing_last_connection(&mut tx, org, id).await?;
        }
        if !store::set_enabled(tx.db(), org, id, enabled, now).await? {
            return Err(Error::NotFound);
        }
        let details = serde_json::json!({"event": if enabled { "enabled" } else { "disabled" }, "connection": id});
        audit::record_in_org(tx.db(), now, AuditAction::SsoConnectionChanged, actor.user(), None, org, meta, details)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes a connection (`sso:manage`); the identities linked through it go with it (their
    /// accounts stay). Refused like disabling when it is the last one an SSO-only organization has.
    pub async fn remove_sso_connection(
        &self,
        actor: Actor,
        org: OrganizationId,
        id: SsoConnectionId,
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        access(tx.db(), org, actor).await?.require(Permission::SsoManage)?;
        store::lock_policy(tx.db(), org).await?;
        self.refuse_losing_last_connection(&mut tx, org, id).await?;
        if !store::delete_connection(tx.db(), org, id).await? {
            return Err(Error::NotFound);
        }
        let details = serde_json::json!({"event": "removed", "connection": id});
        audit::record_in_org(tx.db(), now, AuditAction::SsoConnectionChanged, actor.user(), None, org, meta, details)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets "members must sign in through SSO" (`sso:manage`). Turning it on needs an enabled
    /// connection.
    pub async fn set_sso_required(
        &self,
        actor: Actor,
        org: OrganizationId,
        required: bool,
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        access(tx.db(), org, actor).await?.require(Permission::SsoManage)?;
        store::lock_policy(tx.db(), org).await?;
        if required && !store::connections_of(tx.db(), org).await?.iter().any(|c| c.enabled) {
            return Err(Error::invalid(
                "sso_required",
                "no_connection",
                "Add and enable a connection first: members could not sign in at all.",
            ));
        }
        store::set_sso_required(tx.db(), org, required).await?;
        let details = serde_json::json!({"event": "policy", "sso_required": required});
        audit::record_in_org(tx.db(), now, AuditAction::SsoConnectionChanged, actor.user(), None, org, meta, details)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether the organization requires its members to sign in through SSO (`sso:manage`).
    pub async fn sso_required(&self, actor: Actor, org: OrganizationId) -> Result<bool> {
        let mut conn = self.store().conn().await?;
        access(conn.db(), org, actor).await?.require(Permission::SsoManage)?;
        Ok(store::sso_required(conn.db(), org).await?)
    }

    async fn refuse_losing_last_connection(
        &self,
        tx: &mut crate::store::Tx,
        org: OrganizationId,
        id: SsoConnectionId,
    ) -> Result<()> {
        if !store::sso_required(tx.db(), org).await? {
            return Ok(());
        }
        let others = store::connections_of(tx.db(), org).await?.iter().filter(|c| c.enabled && c.id != id).count();
        if others == 0 {
            return Err(Error::Conflict(Code::SsoRequiredNeedsConnection));
        }
        Ok(())
    }

    /// Inserts a checked connection row and records it.
    pub(crate) async fn insert_sso_connection(
        &self,
        actor: Actor,
        row: ConnectionRow,
        meta: &RequestMeta,
    ) -> Result<SsoConnection> {
        let mut tx = self.store().begin().await?;
        access(tx.db(), row.organization_id, actor).await?.require(Permission::SsoManage)?;
        store::insert_connection(tx.db(), &row).await.map_err(|e| match e {
            StoreError::Conflict { .. } => {
                Error::invalid("name", "name_taken", "The organization already has a connection with this name.")
            }
            other => other.into(),
        })?;
        let details = serde_json::json!({"event": "added", "connection": row.id, "kind": row.kind, "name": row.name});
        audit::record_in_org(
            tx.db(),
            row.created_at,
            AuditAction::SsoConnectionChanged,
            actor.user(),
            None,
            row.organization_id,
            meta,
            details,
        )
        .await?;
        tx.commit().await?;
        self.connection_view(row)
    }

    /// Checks what the admin may change before any network request: the permission, so that
    /// nobody without it can make Keystead fetch a URL.
    pub(crate) async fn require_sso_manage(&self, actor: Actor, org: OrganizationId) -> Result<()> {
        let mut conn = self.store().conn().await?;
        access(conn.db(), org, actor).await?.require(Permission::SsoManage)
    }

    /// Seals an OpenID Connect client secret for the connection `id`.
    pub(crate) fn seal_client_secret(&self, id: SsoConnectionId, secret: &SecretString) -> Result<Vec<u8>> {
        self.secrets()
            .seal(&format!("sso client secret:{id}"), secret.expose_secret().as_bytes())
            .map_err(Error::Internal)
    }

    /// Opens a connection's sealed client secret.
    pub(crate) fn open_client_secret(&self, id: SsoConnectionId, sealed: &[u8]) -> Result<SecretString> {
        let plain = self.secrets().open(&format!("sso client secret:{id}"), sealed).map_err(Error::Internal)?;
        let s = String::from_utf8(plain.to_vec()).map_err(|e| Error::Internal(e.into()))?;
        Ok(SecretString::from(s))
    }

    pub(super) fn connection_view(&self, r: ConnectionRow) -> Result<SsoConnection> {
        let kind = ConnectionKind::parse(&r.kind);
        let claim_mapping: ClaimMapping =
            serde_json::from_str(&r.claim_mapping).map_err(|e| Error::Internal(e.into()))?;
        let (redirect_uri, sp_metadata_url, acs_url) = match kind {
            ConnectionKind::Oidc => (Some(self.sso_redirect_uri().to_string()), None, None),
            ConnectionKind::Saml => (None, Some(self.saml_sp_entity_id(r.id)), Some(self.saml_acs_url(r.id))),
        };
        Ok(SsoConnection {
            id: r.id,
            organization_id: r.organization_id,
            kind,
            name: r.name,
            enabled: r.enabled,
            issuer: r.issuer.unwrap_or_default(),
            client_id: r.client_id,
            scopes: r.scopes.map(|s| s.split_whitespace().map(str::to_owned).collect()).unwrap_or_default(),
            metadata_url: r.metadata_url,
            claim_mapping,
            trust_idp_mfa: r.trust_idp_mfa,
            rp_logout: r.rp_logout,
            redirect_uri,
            sp_metadata_url,
            acs_url,
            created_at: r.created_at,
        })
    }
}
