//! OAuth clients as admin API callers: a confidential client the operator granted admin API
//! scopes (`api_scopes`) gets an access token for itself with the `client_credentials` grant
//! and calls the admin API with it, as services do with Keycloak's service accounts or Auth0's
//! machine-to-machine applications. It acts for the deployment (as the operator) within the
//! scopes both its token and its registration hold now: deleting the client or taking a scope
//! away stops its tokens at once, before they expire.

use super::{ApiPrincipal, ApiScope, Credential};
use crate::Core;
use crate::error::{Code, Error, Result};
use crate::oauth::{ErrorCode, GrantType};
use crate::organizations::Actor;

impl Core {
    /// Who a client credentials access token speaks for. An invalid or expired token, a user's
    /// token, and the token of a client deleted or no longer allowed `client_credentials` are
    /// `unauthenticated` (with why); past the request budget, `RateLimited`. `proof_jkt`: the
    /// key of the request's verified DPoP proof, which a DPoP-bound token needs (RFC 9449 §7.1).
    pub async fn authenticate_api_client(&self, presented: &str, proof_jkt: Option<&str>) -> Result<ApiPrincipal> {
        let unauthenticated = |why: &str| Error::refused(Code::Unauthenticated, why);
        let at = match self.verify_access_token(presented).await {
            Ok(at) => at,
            Err(e) if e.code == ErrorCode::TemporarilyUnavailable => return Err(Error::Overloaded),
            Err(e) if e.code == ErrorCode::ServerError => {
                return Err(Error::Internal(anyhow::anyhow!("verifying an access token failed: {}", e.description)));
            }
            Err(_) => return Err(unauthenticated("The access token is invalid or has expired.")),
        };
        if let Err(e) = at.check_binding(proof_jkt) {
            // A stolen DPoP-bound token must not work as a bearer token anywhere.
            return Err(unauthenticated(&e.description));
        }
        if at.user.is_some() {
            return Err(unauthenticated(
                "This access token was issued to a user; the admin API takes a personal access token \
                 (kst_...) or a client's own token (client_credentials grant).",
            ));
        }
        let client_id = at.claims.get("client_id").and_then(serde_json::Value::as_str).unwrap_or_default();
        let client = match self.oauth_client(client_id).await {
            Ok(c) if c.allows(GrantType::ClientCredentials) => c,
            Ok(_) | Err(Error::NotFound) => {
                return Err(unauthenticated("The client of this token no longer exists or may not act for itself."));
            }
            Err(e) => return Err(e),
        };
        let granted = at.claims.get("scope").and_then(serde_json::Value::as_str).unwrap_or_default();
        let scopes: Vec<ApiScope> =
            granted.split(' ').filter_map(ApiScope::parse).filter(|s| client.api_scopes.contains(s)).collect();
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        self.spend_api_budget(&mut tx, client.row_id, now).await?;
        tx.commit().await?;
        let credential = Credential::Client { id: client.row_id, client_id: client.client_id };
        Ok(ApiPrincipal { credential, scopes, organization: None, actor: Actor::Operator })
    }
}
