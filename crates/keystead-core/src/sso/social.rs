//! Social sign-in: the deployment-wide presets (Google and Microsoft over OpenID Connect, GitHub
//! over OAuth 2.0 and its user API), configured by `social.*`. They share the round trip and the
//! callback (`/sso/oidc/callback`, told apart by the state row's `provider`) with organization
//! connections, and the federation rules: an existing account is linked only through a verified
//! address, a new one follows the registration settings (invite-only, work email), and a member
//! of an organization that requires its own SSO is sent there instead.

use std::collections::HashMap;

use time::{Duration, OffsetDateTime};

use super::federation::Via;
use super::flow::{SsoRedirect, failed, state_row};
use super::oidc_flow::OidcCallback;
use super::{AssertedIdentity, FederatedSignIn, github, oidc};
use crate::Core;
use crate::audit::RequestMeta;
use crate::config::SocialOidc;
use crate::error::{Error, Result};
use crate::store::sso::StateRow;

/// A social sign-in preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SocialProvider {
    /// Google accounts (OpenID Connect).
    Google,
    /// Microsoft personal accounts and every Entra ID tenant (OpenID Connect, `common`).
    Microsoft,
    /// GitHub (OAuth 2.0 and its user API).
    Github,
}

impl SocialProvider {
    /// Every preset, in the order the buttons show.
    pub const ALL: [Self; 3] = [Self::Google, Self::Microsoft, Self::Github];

    /// Its key in settings, URLs and the audit log.
    pub fn key(self) -> &'static str {
        match self {
            Self::Google => "google",
            Self::Microsoft => "microsoft",
            Self::Github => "github",
        }
    }

    /// Its name as shown to people.
    pub fn name(self) -> &'static str {
        match self {
            Self::Google => "Google",
            Self::Microsoft => "Microsoft",
            Self::Github => "GitHub",
        }
    }

    /// The preset with this key.
    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.key() == key)
    }
}

/// Discovery older than this is fetched again.
const DISCOVERY_MAX_AGE: Duration = Duration::hours(24);

/// Microsoft's tenant of personal accounts, whose addresses Microsoft itself verified.
const MICROSOFT_CONSUMERS_TENANT: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

/// The OpenID Connect presets' discovery, kept per node (it is public and cheap to fetch again).
#[derive(Debug, Default)]
pub(crate) struct DiscoveryCache {
    entries: tokio::sync::Mutex<HashMap<SocialProvider, (oidc::Discovered, OffsetDateTime)>>,
}

fn social_failed(provider: SocialProvider, e: &oidc::OidcError) -> Error {
    tracing::warn!(provider = provider.key(), error = %e, "social sign-in failed");
    failed(e.code(), format!("Signing in with {} failed: {e}.", provider.name()))
}

impl Core {
    /// The presets this deployment has configured, in button order.
    pub fn social_providers(&self) -> Vec<SocialProvider> {
        let s = &self.config().social;
        SocialProvider::ALL
            .into_iter()
            .filter(|p| match p {
                SocialProvider::Google => s.google.is_some(),
                SocialProvider::Microsoft => s.microsoft.is_some(),
                SocialProvider::Github => s.github.is_some(),
            })
            .collect()
    }

    fn social_oidc_config(&self, provider: SocialProvider) -> Option<&SocialOidc> {
        match provider {
            SocialProvider::Google => self.config().social.google.as_ref(),
            SocialProvider::Microsoft => self.config().social.microsoft.as_ref(),
            SocialProvider::Github => None,
        }
    }

    /// Starts signing in with a preset. `return_to` must already be a safe local path.
    pub async fn begin_social(
        &self,
        provider: SocialProvider,
        return_to: Option<&str>,
        locale: Option<crate::i18n::Locale>,
    ) -> Result<SsoRedirect> {
        let redirect_uri = self.sso_redirect_uri();
        let begun = if provider == SocialProvider::Github {
            let cfg = self.config().social.github.as_ref().ok_or(Error::NotFound)?;
            github::begin(cfg, &redirect_uri).map_err(|e| social_failed(provider, &e))?
        } else {
            let cfg = self.social_oidc_config(provider).ok_or(Error::NotFound)?;
            let discovered = self.social_discovered(provider, cfg).await?;
            oidc::begin(&discovered, &social_settings(cfg), &redirect_uri, None)
                .map_err(|e| social_failed(provider, &e))?
        };
        let mut row = state_row(None, provider.key(), return_to);
        row.locale = locale.map(|l| l.tag().to_owned());
        row.nonce = Some(begun.nonce.clone()).filter(|n| !n.is_empty());
        row.pkce_verifier = Some(begun.pkce_verifier.clone());
        self.save_sso_state(row, &begun.state).await?;
        Ok(SsoRedirect { url: begun.authorization_url, state: begun.state })
    }

    /// The callback of a preset's round trip (`pending` is its state row, already taken).
    pub(crate) async fn finish_social(
        &self,
        pending: StateRow,
        callback: &OidcCallback,
        meta: &RequestMeta,
    ) -> Result<FederatedSignIn> {
        let provider = SocialProvider::parse(&pending.provider)
            .ok_or_else(|| failed("state_invalid", "The sign-in link is not valid. Start signing in again."))?;
        let http = self.idp_client()?;
        let redirect_uri = self.sso_redirect_uri();
        let code = callback.code.clone().unwrap_or_default();
        let verifier = pending.pkce_verifier.as_deref().unwrap_or_default();
        let identity = if provider == SocialProvider::Github {
            let cfg = self.config().social.github.as_ref().ok_or(Error::NotFound)?;
            github::finish(&http, cfg, &redirect_uri, &code, verifier).await.map_err(|e| social_failed(provider, &e))?
        } else {
            let cfg = self.social_oidc_config(provider).ok_or(Error::NotFound)?;
            let mut discovered = self.social_discovered(provider, cfg).await?;
            let keys_before = discovered.key_ids();
            let state = callback.state.clone().unwrap_or_default();
            let cb = oidc::Callback { code, state: state.clone(), iss: callback.iss.clone() };
            let nonce = pending.nonce.as_deref().unwrap_or_default();
            let now = self.clock().now();
            let settings = social_settings(cfg);
            let identity =
                oidc::finish(&http, &mut discovered, &settings, &redirect_uri, &cb, &state, nonce, verifier, now)
                    .await
                    .map_err(|e| social_failed(provider, &e))?;
            if discovered.key_ids() != keys_before {
                self.social_discovery().entries.lock().await.insert(provider, (discovered, now));
            }
            personal_microsoft_account_verified(provider, identity)
        };
        let via = Via {
            connection: None,
            organization: None,
            provider: provider.key().to_owned(),
            name: provider.name().to_owned(),
            trust_idp_mfa: false,
            locale: pending.locale.as_deref().and_then(crate::i18n::Locale::parse),
        };
        self.sign_in_federated(&via, &identity, pending.return_to, meta).await
    }

    /// A preset's discovery: the cached copy while fresh, else fetched (the stale copy serves
    /// while the provider's discovery is down).
    async fn social_discovered(&self, provider: SocialProvider, cfg: &SocialOidc) -> Result<oidc::Discovered> {
        let now = self.clock().now();
        let cached = self.social_discovery().entries.lock().await.get(&provider).cloned();
        if let Some((d, at)) = &cached
            && now - *at <= DISCOVERY_MAX_AGE
        {
            return Ok(d.clone());
        }
        let issuer = cfg.issuer.as_str().trim_end_matches('/');
        let allow_private = self.config().outbound.allow_private_networks;
        if let Some(why) = crate::outbound::refusal(issuer, allow_private) {
            return Err(failed("issuer_refused", why));
        }
        let http = self.idp_client()?;
        let fetched = if provider == SocialProvider::Microsoft {
            oidc::discover_multi_tenant(&http, issuer).await
        } else {
            oidc::discover(&http, issuer).await
        };
        match fetched {
            Ok(d) => {
                if let Some(why) = d.refusal(allow_private) {
                    return Err(failed("issuer_refused", why));
                }
                self.social_discovery().entries.lock().await.insert(provider, (d.clone(), now));
                Ok(d)
            }
            // Down: the stale copy serves for another day rather than every sign-in waiting.
            Err(e) => {
                let (d, _) = cached.ok_or_else(|| social_failed(provider, &e))?;
                self.social_discovery().entries.lock().await.insert(provider, (d.clone(), now));
                Ok(d)
            }
        }
    }
}

/// A preset's relying-party settings: `openid email profile`, standard claims, and the account
/// chooser (people often hold several Google or Microsoft accounts).
fn social_settings(cfg: &SocialOidc) -> oidc::Settings {
    let mut settings = oidc::Settings::new(cfg.client_id.clone(), cfg.client_secret.clone());
    settings.extra_authorize_params = vec![("prompt".into(), "select_account".into())];
    settings
}

/// Microsoft sends no `email_verified`. A personal Microsoft account's address is its sign-in
/// name, which Microsoft verified; a work account's counts only with `xms_edov` (read with the
/// claims), since a tenant administrator can type any address into it.
fn personal_microsoft_account_verified(provider: SocialProvider, mut identity: AssertedIdentity) -> AssertedIdentity {
    let personal = identity.issuer.split('/').any(|segment| segment == MICROSOFT_CONSUMERS_TENANT);
    if provider == SocialProvider::Microsoft && personal && identity.email.is_some() {
        identity.email_verified = true;
    }
    identity
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_round_trip_through_their_keys() {
        for p in SocialProvider::ALL {
            assert_eq!(SocialProvider::parse(p.key()), Some(p));
        }
        assert_eq!(SocialProvider::parse("sso"), None);
        assert_eq!(SocialProvider::Github.name(), "GitHub");
    }

    #[test]
    fn only_a_personal_microsoft_accounts_address_counts_as_verified_without_the_claim() {
        let identity = |tenant: &str| AssertedIdentity {
            issuer: format!("https://login.microsoftonline.com/{tenant}/v2.0"),
            email: Some("ada@outlook.example".into()),
            ..AssertedIdentity::default()
        };
        let personal =
            personal_microsoft_account_verified(SocialProvider::Microsoft, identity(MICROSOFT_CONSUMERS_TENANT));
        assert!(personal.email_verified);
        let work = personal_microsoft_account_verified(SocialProvider::Microsoft, identity("72f988bf-86f1"));
        assert!(!work.email_verified, "a tenant's address needs xms_edov");
        let google = personal_microsoft_account_verified(SocialProvider::Google, identity(MICROSOFT_CONSUMERS_TENANT));
        assert!(!google.email_verified);
    }
}
