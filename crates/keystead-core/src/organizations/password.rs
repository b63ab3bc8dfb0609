//! Organizations' password-length overrides, applied wherever a password is set: the
//! deployment's policy tightened by every organization the user belongs to (or is joining).

use super::OrgRow;
use crate::Core;
use crate::accounts::password_policy::{PasswordPolicy, PasswordPolicyOverride};
use crate::error::Result;
use crate::ids::{OrganizationId, UserId};
use crate::store::organizations as store;

fn as_override(min: Option<i32>, max: Option<i32>) -> PasswordPolicyOverride {
    let len = |v: Option<i32>| v.and_then(|n| usize::try_from(n).ok());
    PasswordPolicyOverride { min_length: len(min), max_length: len(max), ..PasswordPolicyOverride::default() }
}

impl Core {
    /// The policy a new password of `user` (if they have an account) must meet, when `joining`
    /// (an invitation's organization) is also counted: the deployment's policy with the minimum
    /// length raised to the strictest organization's and the maximum lowered to the smallest
    /// override, never below that minimum ([`PasswordPolicy::overridden_by`]). Members and
    /// guests alike: both reach the organization's data with it.
    pub async fn effective_password_policy(
        &self,
        user: Option<UserId>,
        joining: Option<OrganizationId>,
    ) -> Result<PasswordPolicy> {
        let mut policy = self.config().password_policy.clone();
        let mut conn = self.store().conn().await?;
        if let Some(user) = user {
            for (min, max) in store::password_overrides_of_user(conn.db(), user).await? {
                policy = policy.overridden_by(&as_override(min, max));
            }
        }
        if let Some(org) = joining {
            let OrgRow { password_min_length, password_max_length, .. } = store::get_org(conn.db(), org).await?;
            policy = policy.overridden_by(&as_override(password_min_length, password_max_length));
        }
        Ok(policy)
    }
}
