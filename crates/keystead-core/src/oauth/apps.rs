//! The applications a user has authorized (My Account → Connected apps), and revoking one.

use time::OffsetDateTime;

use super::scopes::Scopes;
use crate::Core;
use crate::error::{Error, Result};
use crate::sessions::SessionInfo;
use crate::store::oauth as store;

/// An application the user authorized.
#[derive(Debug, Clone)]
pub struct ConnectedApp {
    /// Its `client_id`.
    pub client_id: String,
    /// Its name.
    pub name: String,
    /// What it may see.
    pub scopes: Scopes,
    /// When the user last agreed.
    pub granted_at: OffsetDateTime,
}

impl Core {
    /// The applications the signed-in user authorized, most recent first.
    pub async fn connected_apps(&self, session: &SessionInfo) -> Result<Vec<ConnectedApp>> {
        let mut conn = self.store().conn().await?;
        let rows = store::list_consents(conn.db(), session.user.id).await?;
        Ok(rows
            .into_iter()
            .map(|r| ConnectedApp {
                client_id: r.client_id,
                name: r.name,
                scopes: Scopes::from_stored(&r.scope),
                granted_at: r.granted_at,
            })
            .collect())
    }

    /// Revokes an application: its consent and every grant (refresh and access tokens) it
    /// holds for the user. Returns the application's name.
    pub async fn revoke_connected_app(&self, session: &SessionInfo, client_id: &str) -> Result<String> {
        let client = self.oauth_client(client_id).await?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let consents = store::delete_consent(tx.db(), session.user.id, client.row_id).await?;
        let grants = store::revoke_grants_of(tx.db(), session.user.id, client.row_id, now).await?;
        if consents == 0 && grants == 0 {
            return Err(Error::NotFound);
        }
        tx.commit().await?;
        Ok(client.name)
    }
}

impl Core {
    /// Deletes authorization codes, device requests and refresh tokens that expired a day ago.
    pub async fn purge_expired_oauth_records(&self) -> Result<u64> {
        let before = self.clock().now() - time::Duration::days(1);
        let mut conn = self.store().conn().await?;
        Ok(store::purge_expired(conn.db(), before).await?)
    }
}

/// Ends every application's tokens for `user` (every grant's refresh and access tokens), in the
/// caller's transaction: a password reset and an operator's disable do this. With
/// `forget_consent`, the authorisations themselves end too, so that no app is signed in again
/// without asking (closing the account: "app authorisations are not restored").
pub(crate) async fn end_for_user(
    tx: &mut crate::store::Tx,
    user: crate::ids::UserId,
    now: time::OffsetDateTime,
    forget_consent: bool,
) -> Result<()> {
    store::revoke_all_grants_of_user(tx.db(), user, now).await?;
    if forget_consent {
        store::delete_all_consents_of_user(tx.db(), user).await?;
    }
    Ok(())
}
