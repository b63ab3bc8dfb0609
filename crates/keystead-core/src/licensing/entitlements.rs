//! What a user's licenses let applications do: plan keys, products, entitlement codes, selected
//! extensions and until when. The one source of the `licenses` claim, `GET /api/v1/me/licenses`
//! and the offline license token, so the three always agree.

use std::collections::BTreeSet;

use time::OffsetDateTime;

use super::held::HeldLicense;
use crate::Core;
use crate::error::Result;
use crate::ids::{OrganizationId, SessionId, UserId};
use crate::store::extension_selections as selections;

/// What the licenses a user holds grant, merged: each list deduplicated and sorted.
///
/// `valid_until` is the earliest end among the licenses counted (none when every one is open
/// ended): everything listed holds at least until then, so an application that re-checks by
/// that time never grants more than the user holds. A license ending early never makes the
/// others look longer-lived.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entitlements {
    /// The organization the licenses were counted for (none: all the user's organizations).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub organization: Option<OrganizationId>,
    /// The keys of the plans held (`cet-pro`).
    pub plans: Vec<String>,
    /// The keys of the products those plans belong to (`cet`).
    pub products: Vec<String>,
    /// The entitlement codes granted (`cet.edition.pro`).
    pub entitlements: Vec<String>,
    /// The extensions the user selected in the chooser that these licenses allow.
    pub extensions: Vec<String>,
    /// The earliest end among the licenses counted (RFC 3339); none when all are open ended.
    #[serde(with = "time::serde::rfc3339::option", default)]
    pub valid_until: Option<OffsetDateTime>,
}

impl Entitlements {
    /// True when no license is counted (the claim is then left out).
    pub fn is_empty(&self) -> bool {
        self.plans.is_empty()
    }

    /// Merges `licenses` (already filtered) with the user's selected extension keys.
    pub(crate) fn from_licenses<'a>(
        organization: Option<OrganizationId>,
        licenses: impl IntoIterator<Item = &'a HeldLicense>,
        selected: &[String],
    ) -> Self {
        let (mut plans, mut products, mut codes, mut allowed) =
            (BTreeSet::new(), BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
        let mut valid_until: Option<OffsetDateTime> = None;
        for l in licenses {
            plans.insert(l.plan.clone());
            products.insert(l.product.clone());
            codes.extend(l.entitlements.iter().cloned());
            allowed.extend(l.extensions.iter().map(|p| p.key.clone()));
            if let Some(end) = l.valid_until {
                valid_until = Some(valid_until.map_or(end, |v| v.min(end)));
            }
        }
        Self {
            organization,
            plans: plans.into_iter().collect(),
            products: products.into_iter().collect(),
            entitlements: codes.into_iter().collect(),
            extensions: selected.iter().filter(|k| allowed.contains(*k)).cloned().collect(),
            valid_until,
        }
    }
}

impl Core {
    /// What `user`'s licenses grant: those held through `org` (nothing when the user holds no
    /// license there, whether or not they belong to it), or through every organization of
    /// theirs when `None`.
    pub async fn entitlements_of(&self, user: UserId, org: Option<OrganizationId>) -> Result<Entitlements> {
        let licenses = self.licenses_of(user).await?;
        let selected = self.selected_extension_keys(user).await?;
        let counted = licenses.iter().filter(|l| org.is_none_or(|o| l.organization == o));
        Ok(Entitlements::from_licenses(org, counted, &selected))
    }

    /// What `user`'s licenses grant in the organization active for the session `sid` (the one
    /// chosen in My Account, else the first; see [`crate::organizations::active_for`]): what the
    /// `licenses` claim says and what `GET /api/v1/me/licenses` answers by default. Empty when
    /// the user belongs to no organization.
    pub async fn active_entitlements(&self, user: UserId, sid: Option<SessionId>) -> Result<Entitlements> {
        match crate::organizations::active_for(self, user, sid).await? {
            Some(org) => self.entitlements_of(user, Some(org)).await,
            None => Ok(Entitlements::default()),
        }
    }

    /// What `user`'s licenses of the product `product` grant, across all their organizations
    /// (what an offline license token of that product lists). Empty when they hold none.
    pub(crate) async fn product_entitlements(&self, user: UserId, product: &str) -> Result<Entitlements> {
        let licenses = self.licenses_of(user).await?;
        let selected = self.selected_extension_keys(user).await?;
        Ok(Entitlements::from_licenses(None, licenses.iter().filter(|l| l.product == product), &selected))
    }

    async fn selected_extension_keys(&self, user: UserId) -> Result<Vec<String>> {
        let mut conn = self.store().conn().await?;
        Ok(selections::selected_keys(conn.db(), user).await?)
    }
}
