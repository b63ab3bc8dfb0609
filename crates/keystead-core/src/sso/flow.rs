//! The sign-in round trip to a provider, shared by both protocols: the state row written before
//! the redirect (used once, 10 minutes), the browser binding (the state also travels in a cookie,
//! so a callback someone else started is refused), and the failures turned into messages.

use subtle::ConstantTimeEq;
use time::Duration;

use super::federation::Via;
use crate::Core;
use crate::crypto::TokenDigest;
use crate::error::{Error, Result};
use crate::i18n::Locale;
use crate::ids::SsoConnectionId;
use crate::store::sso::{self as store, ConnectionRow, StateRow};

/// How long a round trip to the provider may take.
pub(crate) const STATE_TTL: Duration = Duration::minutes(10);

/// Where to send the browser to sign in at the provider.
#[derive(Debug, Clone)]
pub struct SsoRedirect {
    /// The provider's sign-in URL.
    pub url: url::Url,
    /// The state to keep in the browser (a cookie) until the provider sends the user back.
    pub state: String,
}

/// A failure of the round trip, as the sign-in page shows it.
pub(crate) fn failed(code: &'static str, message: impl Into<String>) -> Error {
    Error::invalid("sso", code, message)
}

impl Core {
    /// Writes the state of a round trip about to start.
    pub(crate) async fn save_sso_state(&self, mut row: StateRow, state: &str) -> Result<()> {
        let now = self.clock().now();
        row.state_hash = TokenDigest::of(state).as_bytes().to_vec();
        row.created_at = now;
        row.expires_at = now + STATE_TTL;
        let mut tx = self.store().begin().await?;
        store::insert_state(tx.db(), &row).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes the state a provider sent back, checking it against the browser's copy: refused
    /// when unknown, expired, already used, or started in another browser.
    pub(crate) async fn take_sso_state(&self, state: &str, browser_state: Option<&str>) -> Result<StateRow> {
        let same_browser = browser_state.is_some_and(|b| bool::from(b.as_bytes().ct_eq(state.as_bytes())));
        if state.is_empty() || state.len() > 200 {
            return Err(failed("state_invalid", "The sign-in link is not valid. Start signing in again."));
        }
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let row = store::take_state(tx.db(), TokenDigest::of(state).as_bytes(), now).await?;
        tx.commit().await?;
        let Some(row) = row else {
            return Err(failed(
                "state_expired",
                "This sign-in took too long or was already used. Start signing in again.",
            ));
        };
        if !same_browser {
            return Err(failed(
                "state_other_browser",
                "This sign-in was started in another browser or tab that has since closed. Start signing in again here.",
            ));
        }
        Ok(row)
    }

    /// Starts signing in through a connection: the URL to send the browser to, and the state
    /// to keep in a cookie until the provider sends the user back. `return_to` must already be
    /// a safe local path.
    pub async fn begin_sso(
        &self,
        connection: SsoConnectionId,
        return_to: Option<&str>,
        login_hint: Option<&str>,
        locale: Option<Locale>,
    ) -> Result<SsoRedirect> {
        let c = self.enabled_connection(connection).await?;
        let mut row = state_row(Some(c.id), "sso", return_to);
        row.locale = locale.map(|l| l.tag().to_owned());
        match super::ConnectionKind::parse(&c.kind) {
            super::ConnectionKind::Oidc => self.begin_oidc(&c, row, login_hint).await,
            super::ConnectionKind::Saml => self.begin_saml(&c, row).await,
        }
    }

    /// A connection by id, refused when missing or disabled.
    pub(crate) async fn enabled_connection(&self, id: SsoConnectionId) -> Result<ConnectionRow> {
        let mut conn = self.store().conn().await?;
        match store::get_connection(conn.db(), id).await? {
            Some(c) if c.enabled => Ok(c),
            Some(_) => Err(failed("connection_disabled", "This sign-in method is turned off. Ask your administrator.")),
            None => Err(Error::NotFound),
        }
    }

    /// Replaces a connection's cached provider metadata.
    pub(crate) async fn save_provider_cache(&self, id: SsoConnectionId, cache: &str) -> Result<()> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        store::set_provider_cache(tx.db(), id, cache, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Keeps a connection's cached provider metadata after a refresh that failed, restarting
    /// its age: the next sign-ins use it without each waiting on the provider again.
    pub(crate) async fn keep_provider_cache(&self, c: &ConnectionRow) -> Result<()> {
        self.save_provider_cache(c.id, &c.provider_cache).await
    }

    /// The outbound client for identity providers (SSRF guard, no redirects).
    pub(crate) fn idp_client(&self) -> Result<reqwest::Client> {
        crate::outbound::client(self.config().outbound.allow_private_networks, std::time::Duration::from_secs(10))
            .map_err(Error::Internal)
    }
}

/// The provider a connection row stands for.
pub(crate) fn via_connection(c: &ConnectionRow, started: &StateRow) -> Via {
    Via {
        locale: started.locale.as_deref().and_then(Locale::parse),
        connection: Some(c.id),
        organization: Some(c.organization_id),
        provider: "sso".to_owned(),
        name: c.name.clone(),
        trust_idp_mfa: c.trust_idp_mfa,
    }
}

/// An empty state row for `connection` (the flow fills in what its protocol needs).
pub(crate) fn state_row(connection: Option<SsoConnectionId>, provider: &str, return_to: Option<&str>) -> StateRow {
    let epoch = time::OffsetDateTime::UNIX_EPOCH;
    StateRow {
        state_hash: Vec::new(),
        connection_id: connection,
        provider: provider.to_owned(),
        nonce: None,
        pkce_verifier: None,
        saml_request_id: None,
        return_to: return_to.map(str::to_owned),
        locale: None,
        created_at: epoch,
        expires_at: epoch,
    }
}
