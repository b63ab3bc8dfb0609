//! Home-realm discovery: the email step of sign-in and registration asks where an address signs
//! in. A verified domain of an organization with an enabled connection sends the person to that
//! organization's identity provider.

use crate::Core;
use crate::accounts::EmailAddress;
use crate::error::Result;
use crate::ids::SsoConnectionId;
use crate::organizations::logo::OrganizationBrand;
use crate::store::sso as store;

/// Where an address signs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Realm {
    /// With a Keystead password.
    Password,
    /// Through an organization's identity provider.
    Sso {
        /// The connection to start.
        connection: SsoConnectionId,
        /// The connection's name ("Acme SSO"), for "You are going to …".
        name: String,
        /// The organization: its name, colour and logo.
        organization: OrganizationBrand,
    },
}

impl Core {
    /// Where this address signs in (home-realm discovery): one indexed lookup of the domain
    /// among verified organization domains with an enabled connection.
    pub async fn discover_realm(&self, email: &EmailAddress) -> Result<Realm> {
        let mut conn = self.store().conn().await?;
        Ok(match store::connection_for_domain(conn.db(), email.domain()).await? {
            Some((connection, name, (id, org_name, color, logo_version))) => Realm::Sso {
                connection,
                name,
                organization: OrganizationBrand { id, name: org_name, color, logo_version },
            },
            None => Realm::Password,
        })
    }
}
