//! Bulk data for benchmarks and load tests (behind the `testing` feature): many organizations,
//! users and memberships written in one transaction, without audit events or emails.

use crate::Core;
use crate::accounts::{EmailAddress, UserStatus};
use crate::error::Result;
use crate::ids::{OrganizationId, UserId};
use crate::store::organizations::{self as store, MemberRow, OrgRow};
use crate::store::users as store_users;

/// What [`seed`] created.
#[derive(Debug, Clone)]
pub struct Seeded {
    /// The organizations, in creation order (`org-000000`, …).
    pub organizations: Vec<OrganizationId>,
    /// The users, in creation order (`seed000000@example.com`, …).
    pub users: Vec<UserId>,
    /// Memberships written.
    pub memberships: usize,
}

/// Creates `orgs` organizations and `users` users, and puts user `i` in `per_user` organizations
/// spread over all of them (as `member`); the first `big` users also join the first organization
/// (its first user as owner), so that it has a long member list.
pub async fn seed(core: &Core, orgs: usize, users: usize, per_user: usize, big: usize) -> Result<Seeded> {
    let now = core.clock().now();
    let mut tx = core.store().begin().await?;
    let mut org_ids = Vec::with_capacity(orgs);
    for i in 0..orgs {
        let row = OrgRow {
            id: OrganizationId::new(),
            name: format!("Organization {i:06}"),
            slug: format!("org-{i:06}"),
            require_mfa: false,
            password_min_length: None,
            password_max_length: None,
            has_logo: false,
            logo_etag: None,
            created_at: now,
            updated_at: now,
        };
        store::insert_org(tx.db(), &row).await?;
        org_ids.push(row.id);
    }
    let mut user_ids = Vec::with_capacity(users);
    let mut memberships = 0;
    for i in 0..users {
        let email = EmailAddress::parse("email", &format!("seed{i:06}@example.com"))?;
        let row = crate::accounts::new_user_row(&email, UserStatus::Active, None, (None, None), Some(now), now);
        store_users::insert(tx.db(), &row).await?;
        user_ids.push(row.id);
        let mut chosen = Vec::with_capacity(per_user + 1);
        if i < big && !org_ids.is_empty() {
            chosen.push(0);
        }
        for k in 0..per_user {
            let o = (i * 7 + k * 1999 + 1) % orgs.max(1);
            if !chosen.contains(&o) {
                chosen.push(o);
            }
        }
        for o in chosen {
            let role = if o == 0 && i == 0 { "owner" } else { "member" };
            let m = MemberRow {
                organization_id: org_ids[o],
                user_id: row.id,
                kind: "member".to_owned(),
                role: role.to_owned(),
                created_at: now,
            };
            store::insert_member(tx.db(), &m).await?;
            memberships += 1;
        }
    }
    tx.commit().await?;
    Ok(Seeded { organizations: org_ids, users: user_ids, memberships })
}
