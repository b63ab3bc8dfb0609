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
            brand_color: None,
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

const GIVEN: [&str; 16] = [
    "Ada", "Anna", "Ben", "Can", "Deniz", "Elif", "Emma", "Felix", "Jonas", "Lea", "Mehmet", "Mia", "Noah", "Özge",
    "Paul", "Zeynep",
];
const FAMILY: [&str; 16] = [
    "Aydın", "Becker", "Demir", "Fischer", "Hoffmann", "Kaya", "Koch", "Müller", "Öztürk", "Richter", "Schmidt",
    "Schulz", "Şahin", "Wagner", "Weber", "Yılmaz",
];
const DOMAINS: [&str; 8] = [
    "example.com",
    "example.org",
    "example.net",
    "acme.example",
    "globex.example",
    "mail.example",
    "web.example",
    "firma.example",
];

/// Creates `users` accounts for the directory benchmark, `batch` to a transaction: addresses
/// `given.family{i}@domain` from small name lists (so that short prefixes match many), names
/// with German and Turkish letters, and every 50th account disabled. Returns the addresses.
pub async fn seed_directory(core: &Core, users: usize, batch: usize) -> Result<Vec<String>> {
    let now = core.clock().now();
    let mut emails = Vec::with_capacity(users);
    let mut i = 0;
    while i < users {
        let mut tx = core.store().begin().await?;
        for _ in 0..batch.max(1) {
            if i >= users {
                break;
            }
            let (g, f) = (GIVEN[i % 16], FAMILY[(i / 16) % 16]);
            let address = format!(
                "{}.{}{i}@{}",
                g.to_lowercase().replace(['ö', 'ü', 'ş', 'ı', 'Ö'], "o"),
                f.to_lowercase().replace(['ö', 'ü', 'ş', 'ı', 'ğ'], "u"),
                DOMAINS[(i / 256) % 8]
            );
            let email = EmailAddress::parse("email", &address)?;
            let status = if i % 50 == 49 { UserStatus::Disabled } else { UserStatus::Active };
            let names = (Some(g.to_owned()), Some(f.to_owned()));
            let row = crate::accounts::new_user_row(&email, status, None, names, Some(now), now);
            store_users::insert(tx.db(), &row).await?;
            emails.push(row.email);
            i += 1;
        }
        tx.commit().await?;
    }
    Ok(emails)
}
