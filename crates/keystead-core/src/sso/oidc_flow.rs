//! OpenID Connect connections in use: adding one (discovery fetched and checked first), the
//! redirect to the provider, the callback, and RP-initiated logout at the provider.

use time::Duration;

use super::connections::{ConnectionKind, NewOidcConnection, SsoConnection, check_name};
use super::flow::{SsoRedirect, failed, via_connection};
use super::{ClaimMapping, FederatedSignIn, oidc};
use crate::Core;
use crate::audit::RequestMeta;
use crate::error::{Error, FieldErrors, Result};
use crate::ids::{OrganizationId, SsoConnectionId};
use crate::organizations::Actor;
use crate::sessions::SessionInfo;
use crate::store::sso::{self as store, ConnectionRow, StateRow};

/// Discovery older than this is fetched again before a sign-in.
const DISCOVERY_MAX_AGE: Duration = Duration::hours(24);

/// What the provider sent to the redirect URI.
#[derive(Debug, Clone, Default)]
pub struct OidcCallback {
    /// `code`.
    pub code: Option<String>,
    /// `state`.
    pub state: Option<String>,
    /// `iss` (RFC 9207).
    pub iss: Option<String>,
    /// `error`, when the provider refused.
    pub error: Option<String>,
    /// `error_description`.
    pub error_description: Option<String>,
}

fn oidc_failed(e: &oidc::OidcError) -> Error {
    tracing::warn!(error = %e, "OpenID Connect sign-in failed");
    failed(e.code(), format!("Signing in through your identity provider failed: {e}."))
}

/// A field error as `(field, code, message)`.
pub(crate) type FieldProblem = (&'static str, &'static str, &'static str);

/// The scopes to ask for: `openid email profile` when none are given, `openid` always first.
pub(crate) fn check_scopes(given: &[String]) -> std::result::Result<Vec<String>, FieldProblem> {
    let mut scopes: Vec<String> = given.iter().flat_map(|s| s.split_whitespace()).map(str::to_owned).collect();
    if scopes.is_empty() {
        scopes = vec!["openid".into(), "email".into(), "profile".into()];
    } else if !scopes.iter().any(|s| s == "openid") {
        scopes.insert(0, "openid".into());
    }
    if scopes.len() > 20
        || scopes.iter().any(|s| s.len() > 100 || !s.chars().all(|c| c.is_ascii_graphic() && c != '"' && c != '\\'))
    {
        return Err(("scopes", "invalid_scopes", "Scopes are short words separated by spaces."));
    }
    Ok(scopes)
}

/// A client id as providers issue them.
pub(crate) fn check_client_id(id: &str) -> std::result::Result<String, FieldProblem> {
    let id = id.trim();
    if id.is_empty() || id.len() > 255 {
        return Err((
            "client_id",
            "invalid_client_id",
            "Enter the client id the provider gave you (up to 255 characters).",
        ));
    }
    Ok(id.to_owned())
}

/// A client secret as providers issue them.
pub(crate) fn check_client_secret(secret: &secrecy::SecretString) -> std::result::Result<(), FieldProblem> {
    let len = secrecy::ExposeSecret::expose_secret(secret).len();
    if len == 0 || len > 1024 {
        return Err(("client_secret", "invalid_client_secret", "Enter the client secret the provider gave you."));
    }
    Ok(())
}

fn check_new(new: &NewOidcConnection, allow_private: bool) -> Result<(String, url::Url, Vec<String>)> {
    let mut errors = FieldErrors::new();
    let name = check_name(&new.name).ok();
    if name.is_none() {
        errors.add("name", "invalid_name", "Give the connection a name of 1 to 100 characters.");
    }
    let issuer = url::Url::parse(new.issuer.trim()).ok().filter(|u| {
        (u.scheme() == "https" || (allow_private && u.scheme() == "http")) && u.host().is_some() && u.query().is_none()
    });
    if issuer.is_none() {
        errors.add("issuer", "invalid_issuer", "Enter the provider's issuer URL, starting with https://.");
    }
    for problem in
        [check_client_id(&new.client_id).err(), check_client_secret(&new.client_secret).err()].into_iter().flatten()
    {
        errors.add(problem.0, problem.1, problem.2);
    }
    let scopes = check_scopes(&new.scopes).unwrap_or_else(|e| {
        errors.add(e.0, e.1, e.2);
        Vec::new()
    });
    errors.into_result()?;
    match (name, issuer) {
        (Some(n), Some(i)) => Ok((n, i, scopes)),
        _ => Err(Error::invalid("name", "invalid_name", "Check the connection's name.")),
    }
}

impl Core {
    /// Connects an OpenID Connect provider to the organization (`sso:manage`): the issuer's
    /// discovery document and keys are fetched and checked before anything is saved.
    pub async fn add_oidc_connection(
        &self,
        actor: Actor,
        org: OrganizationId,
        new: NewOidcConnection,
        meta: &RequestMeta,
    ) -> Result<SsoConnection> {
        self.require_sso_manage(actor, org).await?;
        let allow_private = self.config().outbound.allow_private_networks;
        let (name, issuer, scopes) = check_new(&new, allow_private)?;
        let issuer = issuer.as_str().trim_end_matches('/').to_owned();
        if let Some(why) = crate::outbound::refusal(&issuer, allow_private) {
            return Err(Error::invalid("issuer", "issuer_refused", why));
        }
        let http = self.idp_client()?;
        let discovered = oidc::discover(&http, &issuer).await.map_err(|e| {
            Error::invalid("issuer", "discovery_failed", format!("The provider's discovery could not be read: {e}."))
        })?;
        // The client refuses names that resolve to private addresses; endpoints written as
        // private address literals are refused here.
        if let Some(why) = discovered.refusal(allow_private) {
            return Err(Error::invalid("issuer", "issuer_refused", why));
        }
        let now = self.clock().now();
        let id = SsoConnectionId::new();
        let mapping = new.claim_mapping.unwrap_or_else(ClaimMapping::oidc_default);
        let row = ConnectionRow {
            id,
            organization_id: org,
            kind: ConnectionKind::Oidc.as_str().to_owned(),
            name,
            enabled: true,
            issuer: Some(issuer),
            client_id: Some(new.client_id.trim().to_owned()),
            client_secret_sealed: Some(self.seal_client_secret(id, &new.client_secret)?),
            scopes: Some(scopes.join(" ")),
            metadata_url: None,
            provider_cache: serde_json::to_string(&discovered).map_err(|e| Error::Internal(e.into()))?,
            provider_cached_at: now,
            claim_mapping: serde_json::to_string(&mapping).map_err(|e| Error::Internal(e.into()))?,
            trust_idp_mfa: new.trust_idp_mfa,
            rp_logout: new.rp_logout,
            created_at: now,
            updated_at: now,
        };
        self.insert_sso_connection(actor, row, meta).await
    }

    /// The settings and cached discovery of an OpenID Connect connection, refreshing a stale
    /// discovery document.
    async fn oidc_parts(&self, c: &ConnectionRow) -> Result<(oidc::Discovered, oidc::Settings)> {
        let sealed =
            c.client_secret_sealed.as_deref().ok_or_else(|| Error::Internal(anyhow::anyhow!("no client secret")))?;
        let mut settings =
            oidc::Settings::new(c.client_id.clone().unwrap_or_default(), self.open_client_secret(c.id, sealed)?);
        settings.scopes = c.scopes.as_deref().unwrap_or("openid").split_whitespace().map(str::to_owned).collect();
        settings.mapping = serde_json::from_str(&c.claim_mapping).map_err(|e| Error::Internal(e.into()))?;
        let stale = self.clock().now() - c.provider_cached_at > DISCOVERY_MAX_AGE;
        let cached: Option<oidc::Discovered> = serde_json::from_str(&c.provider_cache).ok();
        let discovered = match cached {
            Some(d) if !stale => d,
            cached => {
                let http = self.idp_client()?;
                let allow_private = self.config().outbound.allow_private_networks;
                let fetched = oidc::discover(&http, c.issuer.as_deref().unwrap_or_default()).await;
                match (fetched, cached) {
                    (Ok(d), _) if d.refusal(allow_private).is_none() => {
                        let json = serde_json::to_string(&d).map_err(|e| Error::Internal(e.into()))?;
                        self.save_provider_cache(c.id, &json).await?;
                        d
                    }
                    // Down, or now pointing at a private network: the cached copy still serves,
                    // for another day.
                    (_, Some(d)) => {
                        self.keep_provider_cache(c).await?;
                        d
                    }
                    (Ok(_), None) => {
                        return Err(failed("issuer_refused", "The provider's endpoints point at a private network."));
                    }
                    (Err(e), None) => return Err(oidc_failed(&e)),
                }
            }
        };
        Ok((discovered, settings))
    }

    /// Starts signing in through an OpenID Connect connection.
    pub(crate) async fn begin_oidc(
        &self,
        c: &ConnectionRow,
        mut row: StateRow,
        login_hint: Option<&str>,
    ) -> Result<SsoRedirect> {
        let (discovered, settings) = self.oidc_parts(c).await?;
        let begun =
            oidc::begin(&discovered, &settings, &self.sso_redirect_uri(), login_hint).map_err(|e| oidc_failed(&e))?;
        row.nonce = Some(begun.nonce.clone());
        row.pkce_verifier = Some(begun.pkce_verifier.clone());
        self.save_sso_state(row, &begun.state).await?;
        Ok(SsoRedirect { url: begun.authorization_url, state: begun.state })
    }

    /// The provider sent the user back to `/sso/oidc/callback`: checks everything, then signs
    /// the person in (linking or creating their account).
    pub async fn finish_oidc_sign_in(
        &self,
        callback: &OidcCallback,
        browser_state: Option<&str>,
        meta: &RequestMeta,
    ) -> Result<FederatedSignIn> {
        let state = callback.state.as_deref().unwrap_or_default();
        let pending = self.take_sso_state(state, browser_state).await?;
        if let Some(error) = &callback.error {
            let said = callback.error_description.as_deref().unwrap_or(error).chars().take(300).collect::<String>();
            return Err(failed("idp_refused", format!("Your identity provider did not sign you in: {said}")));
        }
        let Some(connection) = pending.connection_id else {
            // A social preset's round trip (the state row names it).
            return self.finish_social(pending, callback, meta).await;
        };
        let c = self.enabled_connection(connection).await?;
        let (mut discovered, settings) = self.oidc_parts(&c).await?;
        let before = serde_json::to_string(&discovered).map_err(|e| Error::Internal(e.into()))?;
        let cb = oidc::Callback {
            code: callback.code.clone().unwrap_or_default(),
            state: state.to_owned(),
            iss: callback.iss.clone(),
        };
        let http = self.idp_client()?;
        let identity = oidc::finish(
            &http,
            &mut discovered,
            &settings,
            &self.sso_redirect_uri(),
            &cb,
            state,
            pending.nonce.as_deref().unwrap_or_default(),
            pending.pkce_verifier.as_deref().unwrap_or_default(),
            self.clock().now(),
        )
        .await
        .map_err(|e| oidc_failed(&e))?;
        let after = serde_json::to_string(&discovered).map_err(|e| Error::Internal(e.into()))?;
        if after != before {
            // The provider rotated its keys: keep the new set for the next sign-in.
            self.save_provider_cache(c.id, &after).await?;
        }
        self.sign_in_federated(&via_connection(&c, &pending), &identity, pending.return_to, meta).await
    }

    /// Where to send the browser after signing out of `session`, to end the session at the
    /// provider too (OpenID Connect RP-initiated logout), when the connection offers it.
    pub async fn sso_logout_url(&self, session: &SessionInfo) -> Result<Option<url::Url>> {
        let mut conn = self.store().conn().await?;
        let Some((Some(connection), Some(hint))) = store::session_link(conn.db(), session.id).await? else {
            return Ok(None);
        };
        let Some(c) = store::get_connection(conn.db(), connection).await? else { return Ok(None) };
        drop(conn);
        if !c.rp_logout || ConnectionKind::parse(&c.kind) != ConnectionKind::Oidc {
            return Ok(None);
        }
        let Ok(discovered) = serde_json::from_str::<oidc::Discovered>(&c.provider_cache) else { return Ok(None) };
        let back = self.config().public_url.clone();
        Ok(oidc::end_session_url(&discovered, c.client_id.as_deref().unwrap_or_default(), &hint, Some(&back)))
    }
}
