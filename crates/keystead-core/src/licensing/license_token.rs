//! Offline license tokens: a JWT a desktop app keeps so it runs without a connection, signed
//! with the deployment's keys (verifiable with the public JWKS) and bound to one machine.

use time::OffsetDateTime;

use super::activations::fingerprint_hash;
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::Result;
use crate::ids::UserId;

/// The `typ` header of offline license tokens.
pub const LICENSE_TOKEN_TYP: &str = "license+jwt";

/// A signed offline license token and when it expires.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LicenseToken {
    /// The compact JWT.
    pub token: String,
    /// Its `exp`.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

impl Core {
    /// Activates (or refreshes) the machine `fingerprint` for `user`'s licenses of `product`
    /// ([`Core::activate_machine`]: `NotFound` without a license, `machine_limit` when full),
    /// then signs a license token with the key of `oauth.access_token_alg` (header
    /// `typ: license+jwt`). Claims: `iss` (the public URL), `sub` (the user id), `aud` (the
    /// product key), `iat`, `exp`, `jti`, `machine` (the SHA-256 hex of the fingerprint, which
    /// the app compares with its own) and `licenses` (the [`crate::licensing::Entitlements`] of the
    /// product across all the user's organizations). `exp` is `licenses.offline_token_days`
    /// from now, or the licenses' `valid_until` when that is sooner: a token never outlives
    /// the licenses it lists. Audited.
    pub async fn offline_license_token(
        &self,
        user: UserId,
        product: &str,
        fingerprint: &str,
        machine_name: &str,
        meta: &RequestMeta,
    ) -> Result<LicenseToken> {
        let machine = self.activate_machine(user, product, fingerprint, machine_name, meta).await?;
        let entitlements = self.product_entitlements(user, product).await?;
        let now = self.clock().now();
        let mut expires_at = now + self.config().licenses.offline_token_ttl;
        if let Some(end) = entitlements.valid_until {
            expires_at = expires_at.min(end);
        }
        // Whole seconds, as `exp` says.
        let expires_at = OffsetDateTime::from_unix_timestamp(expires_at.unix_timestamp()).unwrap_or(expires_at);
        let jti = uuid::Uuid::now_v7().to_string();
        let claims = serde_json::json!({
            "iss": crate::oauth::issuer(self),
            "sub": user.to_string(),
            "aud": product,
            "iat": now.unix_timestamp(),
            "exp": expires_at.unix_timestamp(),
            "jti": jti,
            "machine": fingerprint_hash(fingerprint.trim()),
            "licenses": entitlements,
        });
        let alg = self.config().oauth.access_token_alg;
        let token = self.sign_jwt(alg, LICENSE_TOKEN_TYP, &claims).await?;
        let mut tx = self.store().begin().await?;
        let details = serde_json::json!({
            "product": product, "machine": machine.id, "jti": jti, "expires_at": expires_at.unix_timestamp(),
        });
        audit::record(tx.db(), now, AuditAction::LicenseTokenIssued, Some(user), Some(user), meta, details).await?;
        tx.commit().await?;
        Ok(LicenseToken { token, expires_at })
    }
}
