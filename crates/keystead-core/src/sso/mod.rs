//! Single sign-on through an organization's own identity provider (OpenID Connect or SAML 2.0)
//! and the deployment's social sign-in presets: connections, home-realm discovery, the sign-in
//! round trip, federated identities and just-in-time accounts (SPEC §4).

pub mod connections;
mod edit;
pub mod federation;
mod identities;
pub(crate) use identities::managed_by_sso;
mod flow;
mod github;
pub mod oidc;
mod oidc_flow;
pub mod realm;
pub mod saml;
mod saml_flow;
#[cfg(any(test, feature = "testing"))]
pub mod seed;
pub mod social;

pub use connections::{ConnectionKind, NewOidcConnection, NewSamlConnection, SamlMetadataSource, SsoConnection};
pub use edit::ConnectionChanges;
pub use federation::FederatedSignIn;
pub use flow::SsoRedirect;
pub use identities::LinkedIdentity;
pub use oidc_flow::OidcCallback;
pub use realm::Realm;
pub use social::SocialProvider;

/// What an identity provider asserted about the person who signed in there, after every
/// protocol check passed. Both protocols produce it; linking and just-in-time provisioning
/// read only this.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssertedIdentity {
    /// The identity provider: an OpenID Connect `iss`, or a SAML IdP's entity id.
    pub issuer: String,
    /// The person at that provider: `sub`, or the SAML `NameID` (persistent preferred).
    pub subject: String,
    /// The email address the provider gave, as given.
    pub email: Option<String>,
    /// True only when the provider asserted the address as verified (`email_verified: true`).
    pub email_verified: bool,
    /// Given name, when mapped.
    pub given_name: Option<String>,
    /// Family name, when mapped.
    pub family_name: Option<String>,
    /// Group names, when mapped.
    pub groups: Vec<String>,
    /// Authentication methods the provider used (`amr`), e.g. `["pwd", "mfa"]`.
    pub amr: Vec<String>,
    /// Authentication context class (`acr`, or SAML `AuthnContextClassRef`).
    pub acr: Option<String>,
    /// What ending the provider's session later needs: the raw ID token (the `id_token_hint` of
    /// RP-initiated logout), or the SAML `SessionIndex`.
    pub logout_hint: Option<String>,
}

/// Which claim (OpenID Connect) or attribute (SAML) carries each piece of the profile.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ClaimMapping {
    /// The email claim or attribute.
    pub email: String,
    /// The given-name claim or attribute.
    pub given_name: String,
    /// The family-name claim or attribute.
    pub family_name: String,
    /// The groups claim or attribute.
    pub groups: String,
}

impl ClaimMapping {
    /// The standard OpenID Connect claims (OIDC Core §5.1).
    pub fn oidc_default() -> Self {
        Self {
            email: "email".into(),
            given_name: "given_name".into(),
            family_name: "family_name".into(),
            groups: "groups".into(),
        }
    }

    /// The attribute names Entra ID / ADFS send (the WS-Federation claim URIs); other common
    /// names (`email`, `mail`, `urn:oid:…`) are also read when the mapped one is absent.
    pub fn saml_default() -> Self {
        Self {
            email: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress".into(),
            given_name: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname".into(),
            family_name: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname".into(),
            groups: "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups".into(),
        }
    }
}

#[cfg(test)]
mod tests;
