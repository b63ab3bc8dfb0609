//! The overview a signed-in user lands on when nothing else asked for a page: what is done and
//! what to do next (security setup, organizations, applications, licenses).

use crate::Core;
use crate::error::Result;
use crate::licensing::HeldLicense;
use crate::mfa::MfaStatus;
use crate::oauth::apps::ConnectedApp;
use crate::organizations::MyOrganization;
use crate::sessions::SessionInfo;

/// Few enough recovery codes left to suggest making new ones.
pub const FEW_RECOVERY_CODES: usize = 3;

/// Everything the overview shows.
#[derive(Debug, Clone)]
pub struct AccountOverview {
    /// The second factors enrolled.
    pub mfa: MfaStatus,
    /// A local password is set (an account made through single sign-on may have none).
    pub has_password: bool,
    /// The user's organizations (the active one marked).
    pub organizations: Vec<MyOrganization>,
    /// Applications with access to the account.
    pub apps: Vec<ConnectedApp>,
    /// Licenses the user holds.
    pub licenses: Vec<HeldLicense>,
}

impl AccountOverview {
    /// The security steps done and to do: (password set, second factor on, enough recovery
    /// codes when a second factor is on).
    pub fn security_steps(&self) -> [bool; 3] {
        let codes_ok = !self.mfa.enabled() || self.mfa.recovery_codes_left >= FEW_RECOVERY_CODES;
        [self.has_password, self.mfa.enabled(), self.mfa.enabled() && codes_ok]
    }
}

impl Core {
    /// The signed-in user's overview.
    pub async fn account_overview(&self, session: &SessionInfo) -> Result<AccountOverview> {
        Ok(AccountOverview {
            mfa: self.mfa_status(session.user.id).await?,
            has_password: session.user.has_password,
            organizations: self.my_organizations(session).await?,
            apps: self.connected_apps(session).await?,
            licenses: self.licenses_of(session.user.id).await?,
        })
    }
}
