//! Organization rules on both databases: every permission check as a table (each operation ×
//! each built-in role), owners, invitations, groups, switching and token claims.

use secrecy::SecretString;
use time::Duration;

use super::*;
use crate::accounts::admin::NewUser;
use crate::clock::FakeClock;
use crate::error::Code;
use crate::ids::{GroupId, InvitationId};
use crate::testing::TestDb;

/// Declares a core test run once on SQLite and once on PostgreSQL: `core_test!(name);` for an
/// `async fn name(t: &T)` in scope.
macro_rules! core_test {
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let db = crate::testing::TestDb::sqlite().await.unwrap();
                let t = super::T::new(db).await;
                super::$name(&t).await;
            }

            #[tokio::test]
            async fn postgres() {
                let Some(db) = crate::testing::TestDb::postgres().await.unwrap() else {
                    return;
                };
                let t = super::T::new(db).await;
                super::$name(&t).await;
            }
        }
    };
}

/// A core on a test database with a fake clock.
struct T {
    core: Core,
    clock: FakeClock,
    /// The DNS server the domain checks ask (`organizations.dns_resolver`).
    dns: crate::testing::DnsServer,
    _db: TestDb,
    _dir: tempfile::TempDir,
}

const META: RequestMeta = RequestMeta { ip: None, user_agent: None, via: None, operator: None };

impl T {
    async fn new(db: TestDb) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let dns = crate::testing::DnsServer::start().await.unwrap();
        let resolver = dns.addr();
        let clock = FakeClock::fixed();
        let key = crate::testing::new_master_key().unwrap();
        let core = crate::testing::core_on(&db, dir.path(), &key, clock.clone(), |config| {
            config.organizations.dns_resolver = Some(resolver);
            config.organizations.dns_timeout = std::time::Duration::from_secs(1);
        })
        .await
        .unwrap();
        Self { core, clock, dns, _db: db, _dir: dir }
    }

    async fn user(&self, email: &str) -> UserId {
        let new = NewUser { email, given_name: None, family_name: None, verified: true, password: None };
        self.core.create_user(new, &RequestMeta::cli()).await.unwrap().id
    }

    async fn org(&self, name: &str, owner: UserId) -> OrganizationId {
        let new = NewOrganization { name, slug: None, owner: Some(owner) };
        self.core.create_organization(Actor::Operator, new, &META).await.unwrap().id
    }

    async fn add(&self, org: OrganizationId, user: UserId, role: &str) {
        self.core.add_organization_member(Actor::Operator, org, user, role, &META).await.unwrap();
    }

    async fn audit_len(&self, org: OrganizationId) -> usize {
        self.core.organization_audit(Actor::Operator, org, 1000).await.unwrap().len()
    }
}

// ----- the permission table -------------------------------------------------------------------

/// One organization per (role, operation): owner `o`, the actor `u` with the role under test, an
/// ordinary member `target`, a group of each policy and an open invitation.
struct Fixture {
    org: OrganizationId,
    target: UserId,
    open: GroupId,
    permission: GroupId,
    closed: GroupId,
    invitation: InvitationId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Rename,
    Settings,
    Delete,
    ReadAudit,
    ListMembers,
    Invite,
    InviteOwner,
    ListInvitations,
    RevokeInvitation,
    ChangeRole,
    RemoveMember,
    CreateRole,
    CreateGroup,
    AddToGroup,
    JoinPermissionGroup,
    JoinOpenGroup,
    JoinClosedGroup,
    ClaimDomain,
    SetLogo,
}

impl Op {
    const ALL: [Self; 19] = [
        Self::Rename,
        Self::Settings,
        Self::Delete,
        Self::ReadAudit,
        Self::ListMembers,
        Self::Invite,
        Self::InviteOwner,
        Self::ListInvitations,
        Self::RevokeInvitation,
        Self::ChangeRole,
        Self::RemoveMember,
        Self::CreateRole,
        Self::CreateGroup,
        Self::AddToGroup,
        Self::JoinPermissionGroup,
        Self::JoinOpenGroup,
        Self::JoinClosedGroup,
        Self::ClaimDomain,
        Self::SetLogo,
    ];

    /// The built-in roles allowed to do it.
    fn allowed(self) -> &'static [&'static str] {
        const ADMINS: &[&str] = &["owner", "admin"];
        const STAFF: &[&str] = &["owner", "admin", "license_admin", "billing_admin", "member"];
        match self {
            Self::Delete | Self::InviteOwner => &["owner"],
            Self::ListMembers | Self::JoinPermissionGroup => STAFF,
            Self::JoinOpenGroup => &["owner", "admin", "license_admin", "billing_admin", "member", "guest"],
            _ => ADMINS,
        }
    }

    /// True for operations that change something (and so leave an audit event).
    fn writes(self) -> bool {
        !matches!(self, Self::ReadAudit | Self::ListMembers | Self::ListInvitations)
    }

    async fn run(self, core: &Core, f: &Fixture, actor: Actor, user: UserId) -> Result<()> {
        let org = f.org;
        match self {
            Self::Rename => core.rename_organization(actor, org, "Renamed", &META).await.map(drop),
            Self::Settings => {
                let s = OrganizationSettings { require_mfa: true, ..OrganizationSettings::default() };
                core.update_organization_settings(actor, org, s, &META).await.map(drop)
            }
            Self::Delete => {
                let slug = core.organization(Actor::Operator, org).await?.slug;
                core.delete_organization(actor, org, &slug, &META).await
            }
            Self::ReadAudit => core.organization_audit(actor, org, 10).await.map(drop),
            Self::ListMembers => core.organization_members(actor, org, "", 0).await.map(drop),
            Self::Invite => core.invite_to_organization(actor, org, "new@example.com", "member", &META).await.map(drop),
            Self::InviteOwner => {
                core.invite_to_organization(actor, org, "boss@example.com", "owner", &META).await.map(drop)
            }
            Self::ListInvitations => core.organization_invitations(actor, org).await.map(drop),
            Self::RevokeInvitation => core.revoke_invitation(actor, org, f.invitation, &META).await,
            Self::ChangeRole => core.change_member_role(actor, org, f.target, "billing_admin", &META).await,
            Self::RemoveMember => core.remove_member(actor, org, f.target, &META).await,
            Self::CreateRole => {
                core.create_role(actor, org, "Readers", &["members:read".to_owned()], &META).await.map(drop)
            }
            Self::CreateGroup => core.create_group(actor, org, "New group", "", "open", &META).await.map(drop),
            Self::AddToGroup => core.add_to_group(actor, f.closed, f.target, &META).await,
            Self::JoinPermissionGroup => core.join_group(user, f.permission, &META).await,
            Self::JoinOpenGroup => core.join_group(user, f.open, &META).await,
            Self::JoinClosedGroup => core.join_group(user, f.closed, &META).await,
            Self::ClaimDomain => core.claim_organization_domain(actor, org, "claimed.example", &META).await.map(drop),
            Self::SetLogo => core.set_organization_logo(actor, org, logo_png(), &META).await.map(drop),
        }
    }
}

async fn fixture(t: &T, owner: UserId, actor: UserId, role: &str, target: UserId) -> Fixture {
    let org = t.org(&format!("Org {}", uuid::Uuid::now_v7()), owner).await;
    if role != "owner" || actor != owner {
        t.add(org, actor, role).await;
    }
    t.add(org, target, "member").await;
    let c = &t.core;
    let o = Actor::Operator;
    let open = c.create_group(o, org, "Open", "", "open", &META).await.unwrap();
    let permission = c.create_group(o, org, "Permission", "", "permission", &META).await.unwrap();
    let closed = c.create_group(o, org, "Closed", "", "closed", &META).await.unwrap();
    let invitation = c.invite_to_organization(o, org, "pending@example.com", "member", &META).await.unwrap().id;
    Fixture { org, target, open, permission, closed, invitation }
}

async fn every_operation_checks_the_actors_permission_for_each_built_in_role(t: &T) {
    let owner = t.user("owner@example.com").await;
    let actor = t.user("actor@example.com").await;
    let target = t.user("target@example.com").await;
    let mut failures = Vec::new();
    for role in BuiltinRole::ALL {
        for op in Op::ALL {
            let f = fixture(t, owner, actor, role.as_str(), target).await;
            let before = t.audit_len(f.org).await;
            let result = op.run(&t.core, &f, Actor::User(actor), actor).await;
            let allowed = op.allowed().contains(&role.as_str());
            let ok = match (&result, allowed) {
                (Ok(()), true) => true,
                // Closed groups answer with a message rather than a bare 403.
                (Err(Error::Invalid(e)), false) if op == Op::JoinClosedGroup => {
                    e.0.iter().any(|f| f.code == "group_closed")
                }
                (Err(Error::Forbidden), false) => true,
                _ => false,
            };
            if !ok {
                failures.push(format!("{} × {op:?}: allowed={allowed}, got {result:?}", role.as_str()));
                continue;
            }
            if op == Op::Delete && allowed {
                assert!(t.core.organization(Actor::Operator, f.org).await.is_err(), "deleted");
                continue;
            }
            let after = t.audit_len(f.org).await;
            if !allowed && after != before {
                failures.push(format!("{} × {op:?}: refused but the audit log changed", role.as_str()));
            }
            if allowed && op.writes() && after <= before {
                failures.push(format!("{} × {op:?}: allowed but nothing was audited", role.as_str()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
core_test!(every_operation_checks_the_actors_permission_for_each_built_in_role);

async fn outsiders_see_no_organization_and_refusals_change_nothing(t: &T) {
    let owner = t.user("o@example.com").await;
    let outsider = t.user("x@example.com").await;
    let member = t.user("m@example.com").await;
    let org = t.org("Acme", owner).await;
    t.add(org, member, "member").await;
    let out = Actor::User(outsider);
    assert!(matches!(t.core.organization(out, org).await, Err(Error::NotFound)));
    assert!(matches!(t.core.organization_members(out, org, "", 0).await, Err(Error::NotFound)));
    assert!(matches!(t.core.rename_organization(Actor::User(member), org, "Mine", &META).await, Err(Error::Forbidden)));
    assert_eq!(t.core.organization(Actor::Operator, org).await.unwrap().name, "Acme");
    // Nobody grants what they do not hold: a custom role with roles:manage only cannot hand out
    // members:remove.
    t.core.create_role(Actor::Operator, org, "Role managers", &["roles:manage".to_owned()], &META).await.unwrap();
    t.core.change_member_role(Actor::Operator, org, member, "Role managers", &META).await.unwrap();
    let r = t.core.change_member_role(Actor::User(member), org, owner, "member", &META).await;
    assert!(matches!(r, Err(Error::Forbidden)), "{r:?}");
    let r = t.core.create_role(Actor::User(member), org, "Removers", &["members:remove".to_owned()], &META).await;
    assert!(matches!(r, Err(Error::Forbidden)), "{r:?}");
    let unknown = t.core.create_role(Actor::Operator, org, "Bad", &["nope".to_owned()], &META).await;
    assert!(matches!(unknown, Err(Error::Invalid(_))));
    let reserved = t.core.create_role(Actor::Operator, org, "Admin", &["members:read".to_owned()], &META).await;
    assert!(matches!(reserved, Err(Error::Invalid(_))));
}
core_test!(outsiders_see_no_organization_and_refusals_change_nothing);

async fn an_organization_always_keeps_an_owner(t: &T) {
    let ada = t.user("ada@example.com").await;
    let bob = t.user("bob@example.com").await;
    let org = t.org("Acme", ada).await;
    let last_owner = |r: Result<()>| matches!(r, Err(Error::Invalid(e)) if e.0[0].code == "last_owner");
    assert!(last_owner(t.core.leave_organization(ada, org, &META).await));
    assert!(last_owner(t.core.remove_member(Actor::Operator, org, ada, &META).await));
    assert!(last_owner(t.core.change_member_role(Actor::Operator, org, ada, "admin", &META).await));
    t.add(org, bob, "admin").await;
    // An admin cannot touch an owner; an owner makes another owner, then may leave.
    let r = t.core.remove_member(Actor::User(bob), org, ada, &META).await;
    assert!(matches!(r, Err(Error::Forbidden)));
    t.core.change_member_role(Actor::User(ada), org, bob, "owner", &META).await.unwrap();
    t.core.leave_organization(ada, org, &META).await.unwrap();
    let members = t.core.organization_members(Actor::User(bob), org, "", 0).await.unwrap();
    assert_eq!(members.members.iter().map(|m| m.email.as_str()).collect::<Vec<_>>(), ["bob@example.com"]);
}
core_test!(an_organization_always_keeps_an_owner);

async fn slugs_and_domains_are_unique_and_checked(t: &T) {
    let ada = t.user("ada@example.com").await;
    let o = Actor::Operator;
    let acme =
        t.core.create_organization(o, NewOrganization { name: "Acme Widgets", slug: None, owner: Some(ada) }, &META);
    let acme = acme.await.unwrap();
    assert_eq!(acme.slug, "acme-widgets");
    let dup = t.core.create_organization(
        o,
        NewOrganization { name: "Other", slug: Some("acme-widgets"), owner: None },
        &META,
    );
    assert!(matches!(dup.await, Err(Error::Invalid(e)) if e.0[0].code == "slug_taken"));
    let bad = t.core.create_organization(o, NewOrganization { name: "X", slug: Some("Not OK"), owner: None }, &META);
    assert!(matches!(bad.await, Err(Error::Invalid(e)) if e.0[0].field == "slug"));
    let other = t.core.create_organization(o, NewOrganization { name: "Other", slug: None, owner: None }, &META);
    let other = other.await.unwrap();
    t.core.add_organization_domain(o, acme.id, "Acme.example", &META).await.unwrap();
    let taken = t.core.add_organization_domain(o, other.id, "acme.example", &META).await;
    assert!(matches!(taken, Err(Error::Invalid(e)) if e.0[0].code == "domain_taken"));
    let invalid = t.core.add_organization_domain(o, other.id, "not a domain", &META).await;
    assert!(matches!(invalid, Err(Error::Invalid(e)) if e.0[0].code == "invalid_domain"));
    let by_user = t.core.add_organization_domain(Actor::User(ada), acme.id, "b.example", &META).await;
    assert!(matches!(by_user, Err(Error::Forbidden)));
    let domains = t.core.organization_domains(Actor::User(ada), acme.id).await.unwrap();
    assert_eq!(domains.iter().map(|d| d.domain.as_str()).collect::<Vec<_>>(), ["acme.example"]);
    // Users create organizations only where the deployment allows it.
    let mine =
        t.core.create_organization(Actor::User(ada), NewOrganization { name: "Mine", slug: None, owner: None }, &META);
    assert!(matches!(mine.await, Err(Error::Forbidden)));
    // Deleting needs the short name typed back.
    let wrong = t.core.delete_organization(Actor::User(ada), acme.id, "acme", &META).await;
    assert!(matches!(wrong, Err(Error::Invalid(e)) if e.0[0].field == "confirm"));
    t.core.delete_organization(Actor::User(ada), acme.id, "acme-widgets", &META).await.unwrap();
    assert!(t.core.organization_domains(Actor::Operator, acme.id).await.is_err());
}
core_test!(slugs_and_domains_are_unique_and_checked);

fn token_of(link: &str) -> String {
    link.split("token=").nth(1).unwrap().to_owned()
}

/// The token of the newest invitation email to `to`, read from the outbox.
async fn invitation_token(t: &T, to: &str) -> String {
    let jobs = t.core.outbox(1000).await.unwrap();
    let job = jobs.iter().rev().find(|j| j.payload["to"].as_str().is_some_and(|s| s.contains(to))).unwrap();
    let text = job.payload["text"].as_str().unwrap();
    let link = text.split_whitespace().find(|w| w.contains("/invitations/accept?token=")).unwrap();
    token_of(link)
}

async fn invitations_are_accepted_once_by_their_address_only_within_seven_days(t: &T) {
    let ada = t.user("ada@example.com").await;
    t.user("bob@example.com").await;
    let eve = t.user("eve@example.com").await;
    let org = t.org("Acme", ada).await;
    let inv = t.core.invite_to_organization(Actor::User(ada), org, "Bob@Example.com", "guest", &META).await.unwrap();
    assert_eq!((inv.kind, inv.role.as_str()), (MemberKind::Guest, "guest"));
    let token = invitation_token(t, "Bob@example.com").await;
    let link = t.core.invitation_link(&token).await.unwrap();
    assert!(link.account_exists);
    assert_eq!(link.invitation.organization_name, "Acme");

    let eve_user = t.core.user_by_email("eve@example.com").await.unwrap();
    let refused = t.core.accept_invitation_link(&eve_user, &token, &META).await;
    assert!(matches!(refused, Err(Error::Invalid(e)) if e.0[0].code == "other_address"));
    assert!(t.core.organization(Actor::User(eve), org).await.is_err());

    let bob_user = t.core.user_by_email("bob@example.com").await.unwrap();
    assert_eq!(t.core.my_invitations(&bob_user).await.unwrap().len(), 1);
    assert_eq!(t.core.accept_invitation_link(&bob_user, &token, &META).await.unwrap(), org);
    let again = t.core.accept_invitation_link(&bob_user, &token, &META).await;
    assert!(matches!(again, Err(Error::Conflict(Code::LinkInvalid))));
    assert!(t.core.my_invitations(&bob_user).await.unwrap().is_empty());
    let members = t.core.organization_members(Actor::User(ada), org, "bob", 0).await.unwrap();
    assert_eq!(members.members[0].kind, MemberKind::Guest);
    assert!(matches!(
        t.core.invite_to_organization(Actor::User(ada), org, "bob@example.com", "member", &META).await,
        Err(Error::Invalid(e)) if e.0[0].code == "already_member"
    ));

    // Expired after 7 days; revoked at once; a resend replaces the link.
    t.core.invite_to_organization(Actor::User(ada), org, "carol@example.com", "member", &META).await.unwrap();
    let carol = invitation_token(t, "carol@example.com").await;
    t.clock.advance(Duration::days(7));
    assert!(matches!(t.core.invitation_link(&carol).await, Err(Error::Conflict(Code::LinkInvalid))));
    let inv = t.core.invite_to_organization(Actor::User(ada), org, "dan@example.com", "member", &META).await.unwrap();
    let first = invitation_token(t, "dan@example.com").await;
    t.core.resend_invitation(Actor::User(ada), org, inv.id, &META).await.unwrap();
    let second = invitation_token(t, "dan@example.com").await;
    assert_ne!(first, second);
    assert!(t.core.invitation_link(&first).await.is_err());
    t.core.revoke_invitation(Actor::User(ada), org, inv.id, &META).await.unwrap();
    assert!(t.core.invitation_link(&second).await.is_err());
    let twice = t.core.revoke_invitation(Actor::User(ada), org, inv.id, &META).await;
    assert!(matches!(twice, Err(Error::Invalid(_))));

    // Declining ends it too.
    let inv = t.core.invite_to_organization(Actor::User(ada), org, "eve@example.com", "member", &META).await.unwrap();
    let other = t.core.decline_invitation(&bob_user, inv.id, &META).await;
    assert!(matches!(other, Err(Error::NotFound)));
    t.core.decline_invitation(&eve_user, inv.id, &META).await.unwrap();
    assert!(t.core.organization(Actor::User(eve), org).await.is_err());
}
core_test!(invitations_are_accepted_once_by_their_address_only_within_seven_days);

async fn a_new_user_registers_through_an_invitation_and_lands_in_the_organization(t: &T) {
    let ada = t.user("ada@example.com").await;
    let org = t.org("Acme", ada).await;
    t.core.invite_to_organization(Actor::User(ada), org, "new@example.com", "member", &META).await.unwrap();
    let token = invitation_token(t, "new@example.com").await;
    assert!(!t.core.invitation_link(&token).await.unwrap().account_exists);
    let weak = t.core.register_through_invitation(&token, &SecretString::from("short"), None, &META).await;
    assert!(matches!(weak, Err(Error::Invalid(e)) if e.0[0].field == "password"));
    let good = SecretString::from("quietly-orbiting-walrus-92");
    let new = t.core.register_through_invitation(&token, &good, None, &META).await.unwrap();
    let user = &new.session.user;
    assert_eq!((user.email.as_str(), user.email_verified_at.is_some()), ("new@example.com", true));
    assert_eq!(new.session.active_organization, Some(org));
    let again = t.core.register_through_invitation(&token, &good, None, &META).await;
    assert!(matches!(again, Err(Error::Conflict(Code::LinkInvalid))));
    let mine = t.core.my_organizations(&new.session).await.unwrap();
    assert_eq!((mine.len(), mine[0].active, mine[0].role.as_str()), (1, true, "member"));
}
core_test!(a_new_user_registers_through_an_invitation_and_lands_in_the_organization);

async fn switching_the_active_organization_changes_the_token_claims(t: &T) {
    let ada = t.user("ada@example.com").await;
    let bob = t.user("bob@example.com").await;
    let acme = t.org("Acme", ada).await;
    let zeta = t.org("Zeta", bob).await;
    t.add(zeta, ada, "guest").await;
    let group = t.core.create_group(Actor::User(bob), zeta, "Beta testers", "", "open", &META).await.unwrap();
    t.core.join_group(ada, group, &META).await.unwrap();
    let closed = t.core.create_group(Actor::User(bob), zeta, "Staff", "", "closed", &META).await.unwrap();
    assert!(matches!(t.core.join_group(ada, closed, &META).await, Err(Error::Invalid(_))));
    let groups = t.core.groups_for(ada, zeta).await.unwrap();
    let view: Vec<_> = groups.iter().map(|g| (g.name.as_str(), g.is_member, g.can_join)).collect();
    assert_eq!(view, [("Beta testers", true, false), ("Staff", false, false)]);

    let user = t.core.user_by_email("ada@example.com").await.unwrap();
    let mut tx = t.core.store().begin().await.unwrap();
    let session =
        crate::sessions::create(&t.core, &mut tx, user, crate::sessions::SessionStage::Authenticated, &["pwd"], &META)
            .await
            .unwrap()
            .session;
    tx.commit().await.unwrap();
    let mine = t.core.my_organizations(&session).await.unwrap();
    assert_eq!(mine.iter().map(|o| (o.name.as_str(), o.active)).collect::<Vec<_>>(), [("Acme", true), ("Zeta", false)]);
    t.core.switch_organization(&session, zeta, &META).await.unwrap();
    let switched = t.core.sessions_of(ada).await.unwrap();
    assert_eq!(switched[0].active_organization, Some(zeta));
    let mine = t.core.my_organizations(&switched[0]).await.unwrap();
    assert_eq!(mine.iter().map(|o| o.active).collect::<Vec<_>>(), [false, true]);
    let claims = token_claims(&t.core, ada, Some(zeta)).await.unwrap().unwrap();
    assert_eq!(
        (claims.org_name.as_str(), claims.org_roles.clone(), claims.groups.clone()),
        ("Zeta", vec!["guest".to_owned()], vec!["Beta testers".to_owned()])
    );
    assert_eq!(token_claims(&t.core, ada, Some(acme)).await.unwrap().unwrap().org_roles, ["owner"]);
    assert_eq!(token_claims(&t.core, ada, None).await.unwrap(), None);
    let stranger = t.org("Stranger", bob).await;
    assert_eq!(token_claims(&t.core, ada, Some(stranger)).await.unwrap(), None);
    assert!(matches!(t.core.switch_organization(&session, stranger, &META).await, Err(Error::NotFound)));
    // Leaving removes the user from the organization's groups.
    t.core.leave_organization(ada, zeta, &META).await.unwrap();
    assert_eq!(token_claims(&t.core, ada, Some(zeta)).await.unwrap(), None);
}
core_test!(switching_the_active_organization_changes_the_token_claims);

async fn the_member_list_pages_by_fifty_and_searches_names_and_addresses(t: &T) {
    let ada = t.user("ada@example.com").await;
    let org = t.org("Acme", ada).await;
    for i in 0..120 {
        let u = t.user(&format!("user{i:03}@example.com")).await;
        t.add(org, u, "member").await;
    }
    let a = Actor::User(ada);
    let p0 = t.core.organization_members(a, org, "", 0).await.unwrap();
    let p2 = t.core.organization_members(a, org, "", 2).await.unwrap();
    assert_eq!((p0.members.len(), p0.has_next, p2.members.len(), p2.has_next), (50, true, 21, false));
    assert_eq!(p0.members[0].email, "ada@example.com");
    let found = t.core.organization_members(a, org, "USER11", 0).await.unwrap();
    assert_eq!(found.members.len(), 10);
    let none = t.core.organization_members(a, org, "%", 0).await.unwrap();
    assert!(none.members.is_empty());
}
core_test!(the_member_list_pages_by_fifty_and_searches_names_and_addresses);

async fn the_member_list_sorts_by_address_and_by_joining_both_ways(t: &T) {
    let ada = t.user("ada@example.com").await;
    let org = t.org("Acme", ada).await;
    for name in ["cy", "bo", "di"] {
        t.clock.advance(Duration::minutes(1));
        let u = t.user(&format!("{name}@example.com")).await;
        t.add(org, u, "member").await;
    }
    let a = Actor::User(ada);
    let mut seen = Vec::new();
    for sort in MemberSort::ALL {
        assert_eq!(MemberSort::parse(sort.as_str()), sort);
        let page = t.core.organization_members_sorted(a, org, "", sort, 0).await.unwrap();
        let order: Vec<_> = page.members.iter().map(|m| m.email.split('@').next().unwrap().to_owned()).collect();
        seen.push(order.join(" "));
    }
    assert_eq!(seen, ["ada bo cy di", "di cy bo ada", "di bo cy ada", "ada cy bo di"]);
    let found = t.core.organization_members_sorted(a, org, "d", MemberSort::Newest, 0).await.unwrap();
    assert_eq!(
        found.members.iter().map(|m| m.email.as_str()).collect::<Vec<_>>(),
        ["di@example.com", "ada@example.com"]
    );
    assert_eq!(MemberSort::parse("nonsense"), MemberSort::Email);
}
core_test!(the_member_list_sorts_by_address_and_by_joining_both_ways);

// ----- DNS proof of domains, logos, password overrides, the remembered organization, purges ----

/// A small opaque PNG.
fn logo_png() -> Vec<u8> {
    let img = image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(40, 20, image::Rgb([200, 30, 30])));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn invalid_code(r: &Result<impl std::fmt::Debug>) -> (&str, String) {
    match r {
        Err(Error::Invalid(e)) => (e.0[0].code, e.0[0].message.clone()),
        other => panic!("expected a field error, got {other:?}"),
    }
}

async fn a_domain_is_verified_by_its_dns_txt_record(t: &T) {
    let ada = t.user("ada@example.com").await;
    let bob = t.user("bob@example.com").await;
    let acme = t.org("Acme", ada).await;
    t.add(acme, bob, "member").await;
    let admin = Actor::User(ada);
    let claimed = t.core.claim_organization_domain(admin, acme, "Acme.Example", &META).await.unwrap();
    assert_eq!((claimed.domain.as_str(), claimed.verified_at), ("acme.example", None));
    assert_eq!(claimed.record_name, "_keystead-challenge.acme.example");
    assert!(claimed.record_value.starts_with("keystead-domain-verification=") && claimed.record_value.len() > 40);
    // Members may not claim or check.
    let r = t.core.claim_organization_domain(Actor::User(bob), acme, "b.example", &META).await;
    assert!(matches!(r, Err(Error::Forbidden)));
    let r = t.core.verify_organization_domain(Actor::User(bob), acme, "acme.example", &META).await;
    assert!(matches!(r, Err(Error::Forbidden)));

    // Nothing published: NXDOMAIN, named with what was expected.
    let r = t.core.verify_organization_domain(admin, acme, "acme.example", &META).await;
    let (code, message) = invalid_code(&r);
    assert_eq!(code, "dns_check_failed");
    assert!(message.contains("_keystead-challenge.acme.example does not exist (NXDOMAIN)"), "{message}");
    assert!(message.contains(&claimed.record_value), "{message}");
    // A wrong value: what was found and what was expected.
    t.dns.set_txt(&claimed.record_name, &["keystead-domain-verification=stale", "v=spf1 -all"]);
    let r = t.core.verify_organization_domain(admin, acme, "acme.example", &META).await;
    let (_, message) = invalid_code(&r);
    assert!(message.contains("\"keystead-domain-verification=stale\"") && message.contains(&claimed.record_value));
    // The last check's message is kept for the settings page.
    let listed = t.core.organization_domains(admin, acme).await.unwrap();
    assert_eq!(listed[0].check_message.as_deref(), Some(message.as_str()));
    // A server that does not answer: a timeout, said so.
    t.dns.set_silent(&claimed.record_name);
    let r = t.core.verify_organization_domain(admin, acme, "acme.example", &META).await;
    let (_, message) = invalid_code(&r);
    assert!(message.contains("did not answer within 1 seconds"), "{message}");
    assert!(t.core.organization_domains(admin, acme).await.unwrap()[0].verified_at.is_none());

    // The right record: verified, audited.
    let before = t.audit_len(acme).await;
    t.dns.set_txt(&claimed.record_name, &["v=spf1 -all", &claimed.record_value]);
    let verified = t.core.verify_organization_domain(admin, acme, "acme.example", &META).await.unwrap();
    assert!(verified.verified_at.is_some() && verified.check_message.is_none());
    assert_eq!(t.audit_len(acme).await, before + 1);
    let events = t.core.organization_audit(admin, acme, 10).await.unwrap();
    assert_eq!(events[0].details["event"], "domain_verified");
}
core_test!(a_domain_is_verified_by_its_dns_txt_record);

async fn a_verified_domain_belongs_to_one_organization_only(t: &T) {
    let ada = t.user("ada@example.com").await;
    let bob = t.user("bob@example.com").await;
    let acme = t.org("Acme", ada).await;
    let rival = t.org("Rival", bob).await;
    // Both may claim it while pending: a claim blocks nobody.
    let a = t.core.claim_organization_domain(Actor::User(ada), acme, "shared.example", &META).await.unwrap();
    let b = t.core.claim_organization_domain(Actor::User(bob), rival, "shared.example", &META).await.unwrap();
    assert_ne!(a.record_value, b.record_value);
    let again = t.core.claim_organization_domain(Actor::User(ada), acme, "shared.example", &META).await;
    assert_eq!(invalid_code(&again).0, "domain_added");
    // The owner of the DNS zone publishes Acme's token: Acme wins, Rival is told.
    t.dns.set_txt(&a.record_name, &[&a.record_value, &b.record_value]);
    t.core.verify_organization_domain(Actor::User(ada), acme, "shared.example", &META).await.unwrap();
    let r = t.core.verify_organization_domain(Actor::User(bob), rival, "shared.example", &META).await;
    assert!(invalid_code(&r).1.contains("another organization verified this domain first"));
    let r = t.core.claim_organization_domain(Actor::User(bob), rival, "shared.example", &META).await;
    assert_eq!(invalid_code(&r).0, "domain_taken");
    let r = t.core.add_organization_domain(Actor::Operator, rival, "shared.example", &META).await;
    assert_eq!(invalid_code(&r).0, "domain_taken");
    // An operator's word verifies an organization's own pending claim.
    t.core.claim_organization_domain(Actor::User(bob), rival, "rival.example", &META).await.unwrap();
    let by_operator = t.core.add_organization_domain(Actor::Operator, rival, "rival.example", &META).await.unwrap();
    assert!(by_operator.verified_at.is_some());
    // Removing it (audited) frees it.
    t.core.remove_organization_domain(Actor::User(ada), acme, "shared.example", &META).await.unwrap();
    assert_eq!(
        t.core.organization_audit(Actor::User(ada), acme, 1).await.unwrap()[0].details["event"],
        "domain_removed"
    );
    t.core.verify_organization_domain(Actor::User(bob), rival, "shared.example", &META).await.unwrap();
}
core_test!(a_verified_domain_belongs_to_one_organization_only);

async fn the_periodic_job_verifies_pending_domains_once_their_record_is_published(t: &T) {
    let ada = t.user("ada@example.com").await;
    let acme = t.org("Acme", ada).await;
    let d = t.core.claim_organization_domain(Actor::User(ada), acme, "later.example", &META).await.unwrap();
    let old = t.core.claim_organization_domain(Actor::User(ada), acme, "old.example", &META).await.unwrap();
    let first = t.core.recheck_pending_domains().await.unwrap();
    assert_eq!(first, DomainRecheck { checked: 2, verified: 0 });
    // Checked a moment ago: left alone.
    t.dns.set_txt(&d.record_name, &[&d.record_value]);
    assert_eq!(t.core.recheck_pending_domains().await.unwrap().checked, 0);
    t.clock.advance(Duration::minutes(11));
    assert_eq!(t.core.recheck_pending_domains().await.unwrap(), DomainRecheck { checked: 2, verified: 1 });
    // After seven days a pending domain is no longer checked by the job.
    t.dns.set_txt(&old.record_name, &[&old.record_value]);
    t.clock.advance(Duration::days(8));
    assert_eq!(t.core.recheck_pending_domains().await.unwrap().checked, 0);
    let listed = t.core.organization_domains(Actor::User(ada), acme).await.unwrap();
    let states: Vec<_> = listed.iter().map(|d| (d.domain.as_str(), d.verified_at.is_some())).collect();
    assert_eq!(states, [("later.example", true), ("old.example", false)]);
}
core_test!(the_periodic_job_verifies_pending_domains_once_their_record_is_published);

async fn an_organization_logo_is_processed_served_to_members_and_removable(t: &T) {
    let ada = t.user("ada@example.com").await;
    let bob = t.user("bob@example.com").await;
    let eve = t.user("eve@example.com").await;
    let acme = t.org("Acme Widgets", ada).await;
    t.add(acme, bob, "member").await;
    let admin = Actor::User(ada);
    let bad = t.core.set_organization_logo(admin, acme, b"GIF89a not really".to_vec(), &META).await;
    assert!(matches!(&bad, Err(Error::Invalid(e)) if e.0[0].field == "logo" && e.0[0].code == "not_an_image"));
    let empty = t.core.set_organization_logo(admin, acme, Vec::new(), &META).await;
    assert!(matches!(&empty, Err(Error::Invalid(e)) if e.0[0].field == "logo"));
    let huge = t.core.set_organization_logo(admin, acme, vec![0; 5 * 1024 * 1024 + 1], &META).await;
    assert!(matches!(&huge, Err(Error::Invalid(e)) if e.0[0].code == "file_too_large"));
    let r = t.core.set_organization_logo(Actor::User(bob), acme, logo_png(), &META).await;
    assert!(matches!(r, Err(Error::Forbidden)));
    assert!(matches!(t.core.organization_logo(admin, acme).await, Err(Error::NotFound)));

    let version = t.core.set_organization_logo(admin, acme, logo_png(), &META).await.unwrap();
    let org = t.core.organization(admin, acme).await.unwrap();
    assert_eq!(org.logo_version.as_deref(), Some(version.as_str()));
    let seen = t.core.organization_logo(Actor::User(bob), acme).await.unwrap();
    assert_eq!((seen.content_type.as_str(), seen.etag.as_str()), ("image/jpeg", version.as_str()));
    let decoded = image::load_from_memory(&seen.bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (128, 128));
    assert!(matches!(t.core.organization_logo(Actor::User(eve), acme).await, Err(Error::NotFound)));
    assert_eq!(t.core.organization_audit(admin, acme, 1).await.unwrap()[0].details["event"], "logo_changed");
    // Outside the organization, the logo is served only to whoever knows its current version.
    let published = t.core.published_organization_logo(acme, &version).await.unwrap();
    assert_eq!(published.bytes, seen.bytes);
    for guess in ["", "0", &version[1..]] {
        assert!(matches!(t.core.published_organization_logo(acme, guess).await, Err(Error::NotFound)), "{guess}");
    }

    assert!(t.core.remove_organization_logo(admin, acme, &META).await.unwrap());
    assert!(matches!(t.core.published_organization_logo(acme, &version).await, Err(Error::NotFound)));
    assert!(!t.core.remove_organization_logo(admin, acme, &META).await.unwrap());
    assert!(t.core.organization(admin, acme).await.unwrap().logo_version.is_none());
    assert_eq!(logo::initials("Acme Widgets"), "AW");
}
core_test!(an_organization_logo_is_processed_served_to_members_and_removable);

async fn set_min(t: &T, org: OrganizationId, min: Option<u32>, max: Option<u32>) {
    let s = OrganizationSettings { require_mfa: false, password_min_length: min, password_max_length: max };
    t.core.update_organization_settings(Actor::Operator, org, s, &META).await.unwrap();
}

async fn organizations_password_lengths_apply_to_their_members_only(t: &T) {
    let ada = t.user("ada@example.com").await;
    let loner = t.user("loner@example.com").await;
    let strict = t.org("Strict", ada).await;
    let lenient = t.org("Lenient", ada).await;
    set_min(t, strict, Some(16), None).await;
    set_min(t, lenient, Some(12), Some(20)).await;
    let policy = t.core.effective_password_policy(Some(ada), None).await.unwrap();
    // The strictest minimum, the smallest maximum.
    assert_eq!((policy.min_length, policy.max_length), (16, 20));
    let outside = t.core.effective_password_policy(Some(loner), None).await.unwrap();
    assert_eq!(outside.min_length, t.core.config().password_policy.min_length);

    // Setting a password: refused for the member, with the minimum named; fine for the other.
    let twelve = SecretString::from("plover-kite9");
    let user = t.core.user_by_email("ada@example.com").await.unwrap();
    let r = t.core.prepare_new_password(&user, &twelve).await;
    let (code, message) = invalid_code(&r);
    assert_eq!(code, "too_short");
    assert!(message.contains("16"), "{message}");
    let other = t.core.user_by_email("loner@example.com").await.unwrap();
    t.core.prepare_new_password(&other, &twelve).await.unwrap();
    // A maximum never below the minimum.
    set_min(t, lenient, None, Some(10)).await;
    let policy = t.core.effective_password_policy(Some(ada), None).await.unwrap();
    assert_eq!((policy.min_length, policy.max_length), (16, 16));

    // Registering through an invitation counts the organization being joined.
    t.core.invite_to_organization(Actor::User(ada), strict, "new@example.com", "member", &META).await.unwrap();
    let token = invitation_token(t, "new@example.com").await;
    let r = t.core.register_through_invitation(&token, &twelve, None, &META).await;
    assert!(invalid_code(&r).1.contains("16"));
    let long = SecretString::from("quietly-orbiting-walrus-92");
    t.core.register_through_invitation(&token, &long, None, &META).await.unwrap();
}
core_test!(organizations_password_lengths_apply_to_their_members_only);

async fn new_session(t: &T, email: &str) -> crate::sessions::SessionInfo {
    let user = t.core.user_by_email(email).await.unwrap();
    let mut tx = t.core.store().begin().await.unwrap();
    let stage = crate::sessions::SessionStage::Authenticated;
    let s = crate::sessions::create(&t.core, &mut tx, user, stage, &["pwd"], &META).await.unwrap().session;
    tx.commit().await.unwrap();
    s
}

async fn a_new_session_starts_in_the_organization_last_chosen(t: &T) {
    let ada = t.user("ada@example.com").await;
    let bob = t.user("bob@example.com").await;
    let _acme = t.org("Acme", ada).await;
    let zeta = t.org("Zeta", bob).await;
    t.add(zeta, ada, "member").await;
    let first = new_session(t, "ada@example.com").await;
    assert_eq!(t.core.active_organization(&first).await.unwrap().unwrap().name, "Acme");
    t.core.switch_organization(&first, zeta, &META).await.unwrap();
    let second = new_session(t, "ada@example.com").await;
    assert_eq!(second.active_organization, Some(zeta));
    // Stored with the session, so every request of it sees it.
    let stored = t.core.sessions_of(ada).await.unwrap();
    assert_eq!(stored.iter().find(|s| s.id == second.id).unwrap().active_organization, Some(zeta));
    assert_eq!(t.core.active_organization(&second).await.unwrap().unwrap().name, "Zeta");
    assert_eq!(active_for(&t.core, ada, None).await.unwrap(), Some(zeta));
    // No longer a member: back to the first by name.
    t.core.leave_organization(ada, zeta, &META).await.unwrap();
    let third = new_session(t, "ada@example.com").await;
    assert_eq!(third.active_organization, None);
    assert_eq!(t.core.active_organization(&third).await.unwrap().unwrap().name, "Acme");
}
core_test!(a_new_session_starts_in_the_organization_last_chosen);

async fn purge_due(t: &T, email: &str) {
    let user = t.core.user_by_email(email).await.unwrap();
    let mut tx = t.core.store().begin().await.unwrap();
    let now = t.core.clock().now();
    assert!(
        crate::store::users::start_closing(
            tx.db(),
            user.id,
            now + Duration::days(1),
            now,
            crate::store::users::ClosedBy::Owner
        )
        .await
        .unwrap()
    );
    tx.commit().await.unwrap();
}

async fn purging_the_last_owner_hands_the_organization_on_or_deletes_it(t: &T) {
    let ada = t.user("ada@example.com").await;
    let old_member = t.user("old@example.com").await;
    let admin = t.user("admin@example.com").await;
    let later_admin = t.user("later@example.com").await;
    let guest = t.user("guest@example.com").await;
    let co_owner = t.user("co@example.com").await;
    let acme = t.org("Acme", ada).await;
    t.add(acme, old_member, "member").await;
    t.clock.advance(Duration::minutes(1));
    t.add(acme, admin, "admin").await;
    t.clock.advance(Duration::minutes(1));
    t.add(acme, later_admin, "admin").await;
    let members_only = t.org("Members only", ada).await;
    t.add(members_only, old_member, "billing_admin").await;
    t.add(members_only, guest, "guest").await;
    let guests_only = t.org("Guests only", ada).await;
    t.add(guests_only, guest, "guest").await;
    let shared = t.org("Shared", ada).await;
    t.add(shared, co_owner, "owner").await;
    assert_eq!(t.core.organizations_solely_owned(ada).await.unwrap(), ["Acme", "Guests only", "Members only"]);
    purge_due(t, "ada@example.com").await;
    t.clock.advance(Duration::days(2));
    assert_eq!(t.core.purge_closed_accounts().await.unwrap(), 1);
    let role_of = |org, user| async move {
        let m = t.core.organization_members(Actor::Operator, org, "", 0).await.unwrap();
        m.members.into_iter().find(|m| m.user_id == user).map(|m| m.role)
    };
    // The longest-standing admin, then the longest-standing member; a guest never.
    assert_eq!(role_of(acme, admin).await.as_deref(), Some("owner"));
    assert_eq!(role_of(acme, later_admin).await.as_deref(), Some("admin"));
    assert_eq!(role_of(members_only, old_member).await.as_deref(), Some("owner"));
    assert!(matches!(t.core.organization(Actor::Operator, guests_only).await, Err(Error::NotFound)));
    assert_eq!(role_of(shared, co_owner).await.as_deref(), Some("owner"));
    let events = t.core.organization_audit(Actor::Operator, acme, 1).await.unwrap();
    assert_eq!((events[0].details["event"].as_str(), events[0].subject), (Some("owner_succeeded"), Some(admin)));
    // The deleted organization's log keeps why.
    let mut conn = t.core.store().conn().await.unwrap();
    let events = crate::store::organizations::audit_of_org(conn.db(), guests_only, 1).await.unwrap();
    assert_eq!(events[0].details.0["reason"], "last_owner_purged");
}
core_test!(purging_the_last_owner_hands_the_organization_on_or_deletes_it);
