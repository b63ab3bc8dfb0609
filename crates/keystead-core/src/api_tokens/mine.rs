//! My Account's "Developer" section: the tokens a user made, in whichever organization, and the
//! organizations they may make one for (where they hold `org:manage`). Creating and revoking go
//! through [`Core::create_api_token`] and [`Core::revoke_api_token`], which check the same
//! permission again.

use super::ApiToken;
use crate::Core;
use crate::error::Result;
use crate::ids::{OrganizationId, UserId};
use crate::organizations::{Actor, Permission, access};
use crate::store::api_tokens as store;
use crate::store::organizations as org_store;

/// A token the user made, with its organization's name (`None`: one they no longer belong to,
/// where the token has stopped working).
#[derive(Debug, Clone)]
pub struct MyApiToken {
    /// The token.
    pub token: ApiToken,
    /// Its organization's name.
    pub organization: Option<String>,
}

/// An organization the user may make tokens for.
#[derive(Debug, Clone)]
pub struct ManagedOrganization {
    /// Its id.
    pub id: OrganizationId,
    /// Its name.
    pub name: String,
    /// Its short name.
    pub slug: String,
}

/// What the Developer section shows.
#[derive(Debug, Clone, Default)]
pub struct MyApiTokens {
    /// The tokens the user made, newest first.
    pub tokens: Vec<MyApiToken>,
    /// The organizations they may make one for, by name.
    pub organizations: Vec<ManagedOrganization>,
}

impl Core {
    /// The tokens `user` made and the organizations where they may make more.
    pub async fn my_api_tokens(&self, user: UserId) -> Result<MyApiTokens> {
        let mut conn = self.store().conn().await?;
        let memberships = org_store::orgs_of_user(conn.db(), user).await?;
        let mut organizations = Vec::new();
        for m in &memberships {
            if access(conn.db(), m.organization_id, Actor::User(user))
                .await?
                .permissions
                .contains(Permission::OrgManage)
            {
                organizations.push(ManagedOrganization {
                    id: m.organization_id,
                    name: m.name.clone(),
                    slug: m.slug.clone(),
                });
            }
        }
        let name_of = |org: Option<OrganizationId>| {
            memberships.iter().find(|m| Some(m.organization_id) == org).map(|m| m.name.clone())
        };
        let tokens = store::made_by(conn.db(), user)
            .await?
            .into_iter()
            .map(|row| {
                let organization = name_of(row.organization_id);
                MyApiToken { token: row.into(), organization }
            })
            .collect();
        Ok(MyApiTokens { tokens, organizations })
    }
}
