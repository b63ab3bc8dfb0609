//! The identities a user signs in with at providers, as My Account → Security lists them, and
//! the "members must sign in through SSO" rule that password features ask about.

use time::OffsetDateTime;

use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Error, Result};
use crate::ids::{FederatedIdentityId, UserId};
use crate::store::sso as store;
use crate::store::users as store_users;

/// One identity linked to the user's account.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LinkedIdentity {
    /// Its id.
    pub id: FederatedIdentityId,
    /// The provider's name as shown ("Acme SSO", "Google").
    pub provider_name: String,
    /// The address the provider last asserted.
    pub email: Option<String>,
    /// When it was linked.
    #[serde(with = "time::serde::rfc3339")]
    pub linked_at: OffsetDateTime,
    /// When it was last used to sign in.
    #[serde(with = "time::serde::rfc3339")]
    pub last_used_at: OffsetDateTime,
}

/// The name a social preset is shown with.
pub(crate) fn social_name(provider: &str) -> String {
    match provider {
        "google" => "Google".to_owned(),
        "microsoft" => "Microsoft".to_owned(),
        "github" => "GitHub".to_owned(),
        other => other.to_owned(),
    }
}

/// Why password features are closed to a user: their organization signs them in through its
/// provider. The message names both.
pub(crate) async fn managed_by_sso(db: crate::store::Db<'_>, user: UserId) -> Result<Option<String>> {
    Ok(store::sso_required_for(db, user).await?.map(|(org, connection)| {
        format!("{org} signs its members in through {connection}: this is managed by an external provider, so the password cannot be used or changed here.")
    }))
}

impl Core {
    /// The identities linked to `user`'s account, most recently used first.
    pub async fn linked_identities(&self, user: UserId) -> Result<Vec<LinkedIdentity>> {
        let mut conn = self.store().conn().await?;
        let rows = store::identities_of(conn.db(), user).await?;
        Ok(rows
            .into_iter()
            .map(|(r, connection_name)| LinkedIdentity {
                id: r.id,
                provider_name: connection_name.unwrap_or_else(|| social_name(&r.provider)),
                email: r.email,
                linked_at: r.created_at,
                last_used_at: r.last_used_at,
            })
            .collect())
    }

    /// Removes a linked identity from the owner's account. Refused when it is the only way in
    /// (no password and no other identity): set a password first.
    pub async fn unlink_identity(&self, user: UserId, id: FederatedIdentityId, meta: &RequestMeta) -> Result<()> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let identities = store::identities_of(tx.db(), user).await?;
        let Some((target, name)) = identities.iter().find(|(r, _)| r.id == id) else { return Err(Error::NotFound) };
        let has_password = store_users::get(tx.db(), user).await?.password_hash.is_some();
        if !has_password && identities.len() == 1 {
            return Err(Error::invalid(
                "identity",
                "last_way_in",
                "This is the only way you sign in. Set a password first (Forgot password on the sign-in page), then remove it.",
            ));
        }
        let provider = name.clone().unwrap_or_else(|| social_name(&target.provider));
        store::delete_identity(tx.db(), user, id).await?;
        let details = serde_json::json!({"provider": provider, "issuer": target.issuer});
        audit::record(tx.db(), now, AuditAction::IdentityUnlinked, Some(user), Some(user), meta, details).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Why `user` may not use or change a password here (their organization requires SSO), if so.
    pub async fn password_managed_elsewhere(&self, user: UserId) -> Result<Option<String>> {
        let mut conn = self.store().conn().await?;
        managed_by_sso(conn.db(), user).await
    }
}
