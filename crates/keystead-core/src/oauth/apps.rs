//! The applications a user has authorized (My Account → Connected apps), and revoking one.

use time::OffsetDateTime;

use super::scopes::Scopes;
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Error, Result};
use crate::ids::UserId;
use crate::sessions::SessionInfo;
use crate::store::Db;
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
    /// The applications the signed-in user authorized, most recent first: those with a
    /// remembered consent, and those that keep offline access without one (first-party apps skip
    /// the consent screen, but the user must still see and be able to revoke them).
    pub async fn connected_apps(&self, session: &SessionInfo) -> Result<Vec<ConnectedApp>> {
        let mut conn = self.store().conn().await?;
        apps_of(conn.db(), session.user.id, self.clock().now()).await
    }

    /// Revokes an application: its consent and every grant (refresh and access tokens) it
    /// holds for the user. Returns the application's name.
    pub async fn revoke_connected_app(
        &self,
        session: &SessionInfo,
        client_id: &str,
        meta: &RequestMeta,
    ) -> Result<String> {
        let client = self.oauth_client(client_id).await?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let consents = store::delete_consent(tx.db(), session.user.id, client.row_id).await?;
        let grants = store::revoke_grants_of(tx.db(), session.user.id, client.row_id, now).await?;
        if consents == 0 && grants == 0 {
            return Err(Error::NotFound);
        }
        let user = Some(session.user.id);
        let details = serde_json::json!({ "client_id": client.client_id, "name": client.name });
        audit::record(tx.db(), now, AuditAction::AppRevoked, user, user, meta, details).await?;
        tx.commit().await?;
        Ok(client.name)
    }
}

impl Core {
    /// Deletes authorization codes, device requests and refresh tokens that expired a day ago.
    pub async fn purge_expired_oauth_records(&self) -> Result<u64> {
        let before = self.clock().now() - time::Duration::days(1);
        let mut conn = self.store().conn().await?;
        let records = store::purge_expired(conn.db(), before).await?;
        Ok(records + crate::store::oauth_jtis::purge(conn.db(), before).await?)
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

/// The applications `user` authorized, most recent first (see [`Core::connected_apps`]; the
/// console's page of a user reads them too).
pub(crate) async fn apps_of(mut db: Db<'_>, user: UserId, now: OffsetDateTime) -> Result<Vec<ConnectedApp>> {
    let consents = store::list_consents(db.reborrow(), user).await?;
    let grants = store::list_refreshable_grants(db, user, now).await?;
    let mut apps: Vec<ConnectedApp> = consents
        .into_iter()
        .map(|r| ConnectedApp {
            client_id: r.client_id,
            name: r.name,
            scopes: Scopes::from_stored(&r.scope),
            granted_at: r.granted_at,
        })
        .collect();
    let consented = apps.len();
    for g in grants {
        let scopes = Scopes::from_stored(&g.scope);
        match apps.iter_mut().position(|a| a.client_id == g.client_id) {
            Some(i) if i < consented => {}
            Some(i) => {
                let app = &mut apps[i];
                app.scopes = app.scopes.union(&scopes);
                app.granted_at = app.granted_at.max(g.granted_at);
            }
            None => apps.push(ConnectedApp { client_id: g.client_id, name: g.name, scopes, granted_at: g.granted_at }),
        }
    }
    apps.sort_by_key(|a| std::cmp::Reverse(a.granted_at));
    Ok(apps)
}
