//! SAML connections in use: adding one (the IdP's metadata fetched or uploaded, and parsed
//! first), our service provider's metadata, the AuthnRequest redirect, and the response posted
//! to the assertion consumer service (each assertion accepted once).

use time::Duration;

use super::connections::{ConnectionKind, NewSamlConnection, SamlMetadataSource, SsoConnection, check_name};
use super::flow::{SsoRedirect, failed, via_connection};
use super::{ClaimMapping, FederatedSignIn, saml};
use crate::Core;
use crate::audit::RequestMeta;
use crate::error::{Error, Result};
use crate::ids::{OrganizationId, SsoConnectionId};
use crate::organizations::Actor;
use crate::store::sso::{self as store, ConnectionRow, StateRow};

/// The largest IdP metadata document accepted.
const MAX_METADATA: usize = 1024 * 1024;
/// Clock difference allowed between the IdP and us.
const SKEW: Duration = Duration::seconds(90);
/// Metadata fetched from a URL is fetched again after this long (certificate rollover).
const METADATA_MAX_AGE: Duration = Duration::hours(24);
/// A response whose signature does not verify fetches the metadata again at most this often
/// (the IdP may have rolled its key over since the last fetch).
const REFETCH_ON_BAD_SIGNATURE: Duration = Duration::minutes(5);

fn saml_failed(e: &saml::SamlError) -> Error {
    tracing::warn!(error = %e, "SAML sign-in failed");
    failed(e.code(), format!("Signing in through your identity provider failed: {e}."))
}

impl Core {
    /// Connects a SAML identity provider to the organization (`sso:manage`): the metadata is
    /// fetched (or taken as uploaded) and parsed before anything is saved.
    pub async fn add_saml_connection(
        &self,
        actor: Actor,
        org: OrganizationId,
        new: NewSamlConnection,
        meta: &RequestMeta,
    ) -> Result<SsoConnection> {
        self.require_sso_manage(actor, org).await?;
        let name = check_name(&new.name)?;
        let (idp, metadata_url) = self.read_saml_metadata(&new.metadata).await?;
        let now = self.clock().now();
        let mapping = new.claim_mapping.unwrap_or_else(ClaimMapping::saml_default);
        let row = ConnectionRow {
            id: SsoConnectionId::new(),
            organization_id: org,
            kind: ConnectionKind::Saml.as_str().to_owned(),
            name,
            enabled: true,
            issuer: Some(idp.entity_id.clone()),
            client_id: None,
            client_secret_sealed: None,
            scopes: None,
            metadata_url,
            provider_cache: serde_json::to_string(&idp).map_err(|e| Error::Internal(e.into()))?,
            provider_cached_at: now,
            claim_mapping: serde_json::to_string(&mapping).map_err(|e| Error::Internal(e.into()))?,
            trust_idp_mfa: new.trust_idp_mfa,
            rp_logout: false,
            created_at: now,
            updated_at: now,
        };
        self.insert_sso_connection(actor, row, meta).await
    }

    /// The IdP metadata an admin gave (fetched from its URL, or uploaded), parsed; and the URL.
    pub(crate) async fn read_saml_metadata(
        &self,
        source: &SamlMetadataSource,
    ) -> Result<(saml::IdpMetadata, Option<String>)> {
        let (xml, metadata_url) = match source {
            SamlMetadataSource::Xml(xml) => (xml.clone(), None),
            SamlMetadataSource::Url(url) => (self.fetch_saml_metadata(url).await?, Some(url.trim().to_owned())),
        };
        if xml.len() > MAX_METADATA {
            return Err(Error::invalid("metadata", "too_large", "The metadata is larger than 1 MiB."));
        }
        let idp = saml::parse_idp_metadata(&xml).map_err(|e| {
            Error::invalid(
                "metadata",
                "invalid_metadata",
                format!("The identity provider's metadata cannot be used: {e}."),
            )
        })?;
        Ok((idp, metadata_url))
    }

    async fn fetch_saml_metadata(&self, url: &str) -> Result<String> {
        let allow_private = self.config().outbound.allow_private_networks;
        let bad = |why: String| Error::invalid("metadata_url", "metadata_unreachable", why);
        let parsed = url::Url::parse(url.trim())
            .ok()
            .filter(|u| u.scheme() == "https" || (allow_private && u.scheme() == "http"))
            .ok_or_else(|| bad("Enter the metadata URL, starting with https://.".to_owned()))?;
        if let Some(why) = crate::outbound::refusal(parsed.as_str(), allow_private) {
            return Err(bad(why));
        }
        let http = self.idp_client()?;
        let mut response =
            http.get(parsed).send().await.map_err(|e| bad(format!("The metadata could not be fetched: {e}")))?;
        if !response.status().is_success() {
            return Err(bad(format!("The metadata URL answered {}.", response.status())));
        }
        let mut body = Vec::new();
        while let Some(chunk) =
            response.chunk().await.map_err(|e| bad(format!("The metadata could not be read: {e}")))?
        {
            body.extend_from_slice(&chunk);
            if body.len() > MAX_METADATA {
                return Err(bad("The metadata is larger than 1 MiB.".to_owned()));
            }
        }
        String::from_utf8(body).map_err(|_| bad("The metadata is not UTF-8 text.".to_owned()))
    }

    /// Our service provider's metadata for a SAML connection (public: IdP admins import it).
    pub async fn saml_sp_metadata(&self, id: SsoConnectionId) -> Result<String> {
        let mut conn = self.store().conn().await?;
        match store::get_connection(conn.db(), id).await? {
            Some(c) if ConnectionKind::parse(&c.kind) == ConnectionKind::Saml => {
                Ok(saml::sp_metadata(&self.saml_sp_entity_id(id), &self.saml_acs_url(id)))
            }
            _ => Err(Error::NotFound),
        }
    }

    /// A SAML connection's IdP metadata. Metadata that came from a URL is fetched again once it
    /// is older than `max_age`; the cached copy serves when the fetch fails, does not parse, or
    /// names another entity (identities are keyed by it: an operator changes that, not a fetch).
    async fn saml_idp(&self, c: &ConnectionRow, max_age: Duration) -> Result<saml::IdpMetadata> {
        let cached: saml::IdpMetadata =
            serde_json::from_str(&c.provider_cache).map_err(|e| Error::Internal(e.into()))?;
        let Some(url) = c.metadata_url.as_deref() else { return Ok(cached) };
        if self.clock().now() - c.provider_cached_at <= max_age {
            return Ok(cached);
        }
        let fetched = match self.fetch_saml_metadata(url).await {
            Ok(xml) if xml.len() <= MAX_METADATA => saml::parse_idp_metadata(&xml).map_err(|e| e.to_string()),
            Ok(_) => Err("larger than 1 MiB".to_owned()),
            Err(e) => Err(e.to_string()),
        };
        match fetched {
            Ok(idp) if idp.entity_id == cached.entity_id => {
                let json = serde_json::to_string(&idp).map_err(|e| Error::Internal(e.into()))?;
                self.save_provider_cache(c.id, &json).await?;
                Ok(idp)
            }
            Ok(idp) => {
                tracing::warn!(connection = %c.id, found = %idp.entity_id, "SAML metadata names another entity; kept the cached copy");
                self.keep_provider_cache(c).await?;
                Ok(cached)
            }
            Err(why) => {
                tracing::warn!(connection = %c.id, %why, "SAML metadata refresh failed; kept the cached copy");
                self.keep_provider_cache(c).await?;
                Ok(cached)
            }
        }
    }

    /// Starts signing in through a SAML connection: the AuthnRequest goes by HTTP-Redirect with
    /// the state as `RelayState`.
    pub(crate) async fn begin_saml(&self, c: &ConnectionRow, mut row: StateRow) -> Result<SsoRedirect> {
        let idp = self.saml_idp(c, METADATA_MAX_AGE).await?;
        let state = crate::crypto::new_token().map_err(Error::Internal)?;
        let state = secrecy::ExposeSecret::expose_secret(&state.secret).to_owned();
        let (url, request_id) = saml::authn_request(
            &idp,
            &self.saml_sp_entity_id(c.id),
            &self.saml_acs_url(c.id),
            &state,
            self.clock().now(),
        )
        .map_err(|e| saml_failed(&e))?;
        row.saml_request_id = Some(request_id);
        self.save_sso_state(row, &state).await?;
        Ok(SsoRedirect { url, state })
    }

    /// The IdP posted a response to the connection's assertion consumer service: checks it
    /// (signature, audience, recipient, `InResponseTo`, time), refuses a replayed assertion, and
    /// signs the person in.
    pub async fn finish_saml_sign_in(
        &self,
        connection: SsoConnectionId,
        saml_response: &str,
        relay_state: &str,
        browser_state: Option<&str>,
        meta: &RequestMeta,
    ) -> Result<FederatedSignIn> {
        let pending = self.take_sso_state(relay_state, browser_state).await?;
        if pending.connection_id != Some(connection) {
            return Err(failed(
                "state_invalid",
                "The response arrived for another connection. Start signing in again.",
            ));
        }
        let c = self.enabled_connection(connection).await?;
        let idp = self.saml_idp(&c, METADATA_MAX_AGE).await?;
        let mapping: ClaimMapping = serde_json::from_str(&c.claim_mapping).map_err(|e| Error::Internal(e.into()))?;
        let now = self.clock().now();
        let sp_entity_id = self.saml_sp_entity_id(c.id);
        let acs_url = self.saml_acs_url(c.id);
        let expected = saml::Expected {
            sp_entity_id: &sp_entity_id,
            acs_url: &acs_url,
            request_id: pending.saml_request_id.as_deref().unwrap_or_default(),
            now,
            skew: SKEW,
        };
        let validated = match saml::validate_response(saml_response, &idp, &mapping, &expected) {
            Err(saml::SamlError::BadSignature(_)) if c.metadata_url.is_some() => {
                // Perhaps signed with a key rolled over since the metadata was fetched.
                let idp = self.saml_idp(&c, REFETCH_ON_BAD_SIGNATURE).await?;
                saml::validate_response(saml_response, &idp, &mapping, &expected).map_err(|e| saml_failed(&e))?
            }
            other => other.map_err(|e| saml_failed(&e))?,
        };
        let mut tx = self.store().begin().await?;
        let first_use = store::remember_assertion(
            tx.db(),
            &idp.entity_id,
            &validated.assertion_id,
            validated.not_on_or_after + SKEW,
        )
        .await?;
        tx.commit().await?;
        if !first_use {
            return Err(failed(
                "assertion_replayed",
                "This sign-in response was already used. Start signing in again.",
            ));
        }
        self.sign_in_federated(&via_connection(&c, &pending), &validated.identity, pending.return_to, meta).await
    }
}

#[cfg(test)]
#[path = "saml_refresh_tests.rs"]
mod refresh_tests;
