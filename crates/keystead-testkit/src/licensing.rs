//! A licensing catalogue for tests, made through the same `Core` functions the CLI calls: the
//! desktop app `cet` (launch URL `cet://start`) with the extensions `warehouse` (manufacturer)
//! and `measure` (utility), a linked download, and plans whose landing the test chooses; and
//! organizations holding subscriptions with seats assigned to users.

use keystead_core::Core;
use keystead_core::audit::RequestMeta;
use keystead_core::ids::{DownloadId, OrganizationId, SubscriptionId, UserId};
use keystead_core::licensing::{DownloadSource, NewDownload, NewPlan, NewProduct, NewSubscription};
use keystead_core::organizations::{Actor, NewOrganization};

const OP: Actor = Actor::Operator;

/// What [`catalogue`] made.
#[derive(Debug, Clone)]
pub struct Catalogue {
    /// The linked download of `cet` (`2026.1`, `windows-x64`, an external URL).
    pub download: DownloadId,
}

/// Creates the products `cet` (desktop app), `warehouse` and `measure` (extensions), one
/// download of `cet`, and the plan `cet-pro` (entitlement `cet.edition.pro`, both extensions,
/// the download, at most 2 machines) landing on `landing` (`extension_chooser`, `downloads`,
/// `none` or a URL).
pub async fn catalogue(core: &Core, landing: &str) -> anyhow::Result<Catalogue> {
    let meta = RequestMeta::cli();
    let cet = NewProduct {
        key: "cet",
        name: "CET Designer",
        kind: "desktop_app",
        description: Some("Space planning and configuration."),
        launch_url: Some("cet://start"),
        ..NewProduct::default()
    };
    core.create_product(OP, cet, &meta).await?;
    let warehouse = NewProduct {
        key: "warehouse",
        name: "Warehouse",
        kind: "extension",
        description: Some("Racks, shelving and storage systems."),
        group: Some("manufacturer"),
        ..NewProduct::default()
    };
    core.create_product(OP, warehouse, &meta).await?;
    let measure = NewProduct {
        key: "measure",
        name: "Measure",
        kind: "extension",
        description: Some("Dimensions and area take-off."),
        group: Some("utility"),
        ..NewProduct::default()
    };
    core.create_product(OP, measure, &meta).await?;
    let download = NewDownload {
        product: "cet",
        version: "2026.1",
        platform: "windows-x64",
        source: DownloadSource::Url("https://cdn.example.com/cet-2026.1.msi".to_owned()),
        released_at: None,
        notes_url: Some("https://example.com/cet/2026.1"),
    };
    let download = core.add_download(OP, download, &meta).await?.id;
    plan(core, "cet-pro", "CET Pro", landing, &[&download.to_string()]).await?;
    Ok(Catalogue { download })
}

/// Creates a plan of `cet` with the key `key`, granting `cet.edition.pro`, both extensions and
/// `downloads` (ids), landing on `landing`.
pub async fn plan(core: &Core, key: &str, name: &str, landing: &str, downloads: &[&str]) -> anyhow::Result<()> {
    let plan = NewPlan {
        product: "cet",
        key,
        name,
        entitlements: vec!["cet.edition.pro"],
        extensions: vec!["warehouse", "measure"],
        downloads: downloads.to_vec(),
        landing,
        max_machines: Some(2),
    };
    core.create_plan(OP, plan, &RequestMeta::cli()).await?;
    Ok(())
}

/// An organization `slug` (owned by a new user `owner@<slug>.example`) with a subscription of
/// `plan` with `seats` seats.
pub async fn organization(
    core: &Core,
    slug: &str,
    plan: &str,
    seats: i64,
) -> anyhow::Result<(OrganizationId, SubscriptionId)> {
    let meta = RequestMeta::cli();
    let owner_email = format!("owner@{slug}.example");
    let new = keystead_core::accounts::admin::NewUser {
        email: &owner_email,
        given_name: None,
        family_name: None,
        verified: true,
        password: None,
    };
    let owner = core.create_user(new, &meta).await?.id;
    let new = NewOrganization { name: slug, slug: Some(slug), owner: Some(owner) };
    let org = core.create_organization(OP, new, &meta).await?.id;
    let new = NewSubscription { plan, seats, starts_at: None, ends_at: None };
    let subscription = core.create_subscription(OP, org, new, &meta).await?.id;
    Ok((org, subscription))
}

/// Makes `user` a member of `org` (when not yet) and assigns them a seat of `plan` there.
pub async fn assign(core: &Core, org: OrganizationId, plan: &str, user: UserId) -> anyhow::Result<()> {
    let meta = RequestMeta::cli();
    // Refused for the owner or a user added before; the seat assignment below says if the user
    // is not a member after all.
    let _ = core.add_organization_member(OP, org, user, "member", &meta).await;
    core.assign_seat(OP, org, plan, user, &meta).await?;
    Ok(())
}
