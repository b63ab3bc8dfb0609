//! What a user holds: their seats of live subscriptions, with what each grants. The read the
//! later features (My Account → Licenses, landing, chooser, downloads, tokens) build on.

use std::collections::HashMap;

use time::OffsetDateTime;

use super::LandingRule;
use super::catalogue::{Download, Product};
use crate::Core;
use crate::error::Result;
use crate::ids::{OrganizationId, PlanId, SubscriptionId, UserId};
use crate::store::held;
use crate::store::licensing::{self as store, PlanRow};

/// A license the user holds: a seat of a live subscription.
#[derive(Debug, Clone, serde::Serialize)]
pub struct HeldLicense {
    /// The subscription the seat belongs to.
    pub subscription: SubscriptionId,
    /// The organization holding the subscription.
    pub organization: OrganizationId,
    /// Its name.
    pub organization_name: String,
    /// Its short name.
    pub organization_slug: String,
    /// The product's key.
    pub product: String,
    /// The product's name.
    pub product_name: String,
    /// The plan's key.
    pub plan: String,
    /// The plan's name.
    pub plan_name: String,
    /// Where the license sends its holder after registration.
    pub landing: LandingRule,
    /// Machines the holder may activate (no limit when absent).
    pub max_machines: Option<u32>,
    /// Until when it is valid (none: until the subscription is ended).
    #[serde(with = "time::serde::rfc3339::option")]
    pub valid_until: Option<OffsetDateTime>,
    /// The entitlement codes it grants.
    pub entitlements: Vec<String>,
    /// The extensions it grants.
    pub extensions: Vec<Product>,
    /// The downloads it unlocks.
    pub downloads: Vec<Download>,
    /// When the seat was assigned.
    #[serde(with = "time::serde::rfc3339")]
    pub assigned_at: OffsetDateTime,
}

impl Core {
    /// The licenses `user` holds now: their seats of subscriptions that have started and have
    /// not ended (by `ends_at` or by the operator), by organization name. Seats of ended or
    /// future subscriptions grant nothing.
    pub async fn licenses_of(&self, user: UserId) -> Result<Vec<HeldLicense>> {
        let now = self.clock().now();
        let mut conn = self.store().conn().await?;
        let seats = store::held_by(conn.db(), user, now).await?;
        if seats.is_empty() {
            return Ok(Vec::new());
        }
        // What the plans grant, read once for all of them (four queries, not four per license).
        let plans: HashMap<PlanId, PlanRow> =
            held::plans(conn.db(), user, now).await?.into_iter().map(|p| (p.id, p)).collect();
        let mut entitlements: HashMap<PlanId, Vec<String>> = HashMap::new();
        for (plan, code) in held::entitlements(conn.db(), user, now).await? {
            entitlements.entry(plan).or_default().push(code);
        }
        let mut extensions: HashMap<PlanId, Vec<Product>> = HashMap::new();
        for row in held::extensions(conn.db(), user, now).await? {
            extensions.entry(row.plan_id).or_default().push(row.product.into());
        }
        let mut downloads: HashMap<PlanId, Vec<Download>> = HashMap::new();
        for row in held::downloads(conn.db(), user, now).await? {
            downloads.entry(row.plan_id).or_default().push(row.download.into());
        }
        drop(conn);
        let mut out = Vec::new();
        for seat in seats {
            let Some(plan) = plans.get(&seat.plan_id) else { continue };
            out.push(HeldLicense {
                subscription: seat.subscription_id,
                organization: seat.organization_id,
                organization_name: seat.organization_name,
                organization_slug: seat.organization_slug,
                landing: LandingRule::from_stored(&plan.landing, plan.landing_url.as_deref()),
                max_machines: plan.max_machines.and_then(|n| u32::try_from(n).ok()),
                product: plan.product_key.clone(),
                product_name: plan.product_name.clone(),
                plan: plan.key.clone(),
                plan_name: plan.name.clone(),
                valid_until: seat.ends_at,
                entitlements: entitlements.get(&plan.id).cloned().unwrap_or_default(),
                extensions: extensions.get(&plan.id).cloned().unwrap_or_default(),
                downloads: downloads.get(&plan.id).cloned().unwrap_or_default(),
                assigned_at: seat.assigned_at,
            });
        }
        Ok(out)
    }
}
