//! The consents given to one OAuth client, for the operator (the admin console's client page):
//! how many accounts let the application act for them, and who, newest first, a page at a time.

use time::OffsetDateTime;

use crate::Core;
use crate::error::{Error, Result};
use crate::ids::UserId;
use crate::organizations::Actor;
use crate::store::oauth as store;

/// An account that let the client act for it.
#[derive(Debug, Clone)]
pub struct ClientConsent {
    /// The account.
    pub user_id: UserId,
    /// Its address now.
    pub email: String,
    /// The scopes consented to, space-separated.
    pub scope: String,
    /// When it last consented.
    pub granted_at: OffsetDateTime,
}

/// A page of a client's consents.
#[derive(Debug, Clone)]
pub struct ClientConsents {
    /// How many accounts consented, in all.
    pub total: i64,
    /// This page, newest first.
    pub items: Vec<ClientConsent>,
}

impl Core {
    /// The consents given to the client `client_id` (the operator): the total and up to `limit`
    /// (1–200) after skipping `offset`. A first-party client asks for none. `NotFound` for an
    /// unknown client.
    pub async fn oauth_client_consents(
        &self,
        actor: Actor,
        client_id: &str,
        offset: u32,
        limit: u32,
    ) -> Result<ClientConsents> {
        actor.require_operator()?;
        if client_id.is_empty() || client_id.len() > 128 {
            return Err(Error::NotFound);
        }
        let mut conn = self.store().conn().await?;
        let client = store::find_client(conn.db(), client_id).await?.ok_or(Error::NotFound)?;
        let total = store::count_consents_of_client(conn.db(), client.id).await?;
        let limit = i64::from(limit.clamp(1, 200));
        let rows = store::consents_of_client(conn.db(), client.id, limit, i64::from(offset)).await?;
        let items = rows
            .into_iter()
            .map(|r| ClientConsent { user_id: r.user_id, email: r.email, scope: r.scope, granted_at: r.granted_at })
            .collect();
        Ok(ClientConsents { total, items })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::admin::NewUser;
    use crate::audit::RequestMeta;
    use crate::clock::FakeClock;
    use crate::oauth::{ClientKind, NewClient};
    use crate::testing::{TestDb, core_test};

    struct T {
        core: Core,
        _dir: tempfile::TempDir,
        _db: TestDb,
    }

    impl T {
        async fn new(db: TestDb) -> Self {
            let dir = tempfile::tempdir().unwrap();
            let key = crate::testing::new_master_key().unwrap();
            let core = crate::testing::core_on(&db, dir.path(), &key, FakeClock::fixed(), |_| {}).await.unwrap();
            Self { core, _dir: dir, _db: db }
        }
    }

    fn app(name: &str) -> NewClient {
        NewClient {
            name: name.into(),
            kind: ClientKind::Public,
            first_party: false,
            redirect_uris: vec!["https://app.example/cb".into()],
            grant_types: vec![],
            post_logout_redirect_uris: vec![],
            backchannel_logout_uri: None,
            id_token_alg: None,
            api_scopes: vec![],
            require_pushed_authorization_requests: false,
        }
    }

    async fn a_clients_consents_are_counted_and_listed_newest_first(t: &T) {
        let meta = RequestMeta::cli();
        let notes = t.core.create_oauth_client(Actor::Operator, app("Notes"), &meta).await.unwrap().client;
        let other = t.core.create_oauth_client(Actor::Operator, app("Other"), &meta).await.unwrap().client;
        let mut users = Vec::new();
        for email in ["a@example.com", "b@example.com", "c@example.com"] {
            let new = NewUser { email, given_name: None, family_name: None, verified: true, password: None };
            users.push(t.core.create_user(new, &meta).await.unwrap().id);
        }
        let now = t.core.clock().now();
        let mut tx = t.core.store().begin().await.unwrap();
        for (minutes, user) in (0..).zip(&users) {
            let at = now + time::Duration::minutes(minutes);
            store::upsert_consent(tx.db(), *user, notes.row_id, "openid email", at).await.unwrap();
        }
        store::upsert_consent(tx.db(), users[0], other.row_id, "openid", now).await.unwrap();
        tx.commit().await.unwrap();
        let page = t.core.oauth_client_consents(Actor::Operator, &notes.client_id, 0, 2).await.unwrap();
        assert_eq!(page.total, 3);
        let emails: Vec<_> = page.items.iter().map(|c| c.email.as_str()).collect();
        assert_eq!(emails, ["c@example.com", "b@example.com"]);
        assert_eq!(page.items[0].scope, "openid email");
        let rest = t.core.oauth_client_consents(Actor::Operator, &notes.client_id, 2, 2).await.unwrap();
        assert_eq!(rest.items.iter().map(|c| c.email.as_str()).collect::<Vec<_>>(), ["a@example.com"]);
        let member = Actor::User(page.items[0].user_id);
        assert!(matches!(t.core.oauth_client_consents(member, &notes.client_id, 0, 10).await, Err(Error::Forbidden)));
        assert!(matches!(t.core.oauth_client_consents(Actor::Operator, "nope", 0, 10).await, Err(Error::NotFound)));
    }
    core_test!(a_clients_consents_are_counted_and_listed_newest_first);
}
