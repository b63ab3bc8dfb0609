//! SCIM provisioning rules on both databases: who is matched and who is made, what a
//! suspension ends and a reactivation restores, what deprovisioning revokes, which account
//! details a directory may change, and provisioned groups.

use secrecy::ExposeSecret as _;

use super::*;
use crate::Code;
use crate::accounts::UserStatus;
use crate::accounts::admin::NewUser;
use crate::api_tokens::NewApiToken;
use crate::audit::RequestMeta;
use crate::clock::FakeClock;
use crate::organizations::NewOrganization;
use crate::testing::{TestDb, core_test};

const META: RequestMeta = RequestMeta { ip: None, user_agent: None, via: None, operator: None };
const OP: Actor = Actor::Operator;

struct T {
    core: Core,
    _clock: FakeClock,
    _dir: tempfile::TempDir,
    _db: TestDb,
}

impl T {
    async fn new(db: TestDb) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let clock = FakeClock::fixed();
        let key = crate::testing::new_master_key().unwrap();
        let core = crate::testing::core_on(&db, dir.path(), &key, clock.clone(), |_| {}).await.unwrap();
        Self { core, _clock: clock, _dir: dir, _db: db }
    }

    async fn user(&self, email: &str) -> UserId {
        let new = NewUser { email, given_name: Some("Own"), family_name: None, verified: true, password: None };
        self.core.create_user(new, &META).await.unwrap().id
    }

    /// `acme` with the verified domain acme.example; returns it and its owner.
    async fn acme(&self) -> (OrganizationId, UserId) {
        let owner = self.user("owner@acme.example").await;
        let new = NewOrganization { name: "Acme", slug: Some("acme"), owner: Some(owner) };
        let org = self.core.create_organization(OP, new, &META).await.unwrap().id;
        self.core.add_organization_domain(OP, org, "acme.example", &META).await.unwrap();
        (org, owner)
    }

    async fn status(&self, user: UserId) -> (UserStatus, bool) {
        let u = self.core.user_within(OP, None, user).await.unwrap().user;
        (u.status, u.email_verified_at.is_some())
    }

    async fn is_member(&self, org: OrganizationId, user: UserId) -> bool {
        let page = self.core.organization_members(OP, org, "", 0).await.unwrap();
        page.members.iter().any(|m| m.user_id == user)
    }
}

fn write(user_name: &str, email: &str, active: bool) -> ScimUserWrite {
    ScimUserWrite {
        user_name: user_name.into(),
        external_id: Some(format!("ext-{user_name}")),
        active,
        email: email.into(),
        given_name: Some("Ada".into()),
        family_name: Some("Lovelace".into()),
        document: serde_json::json!({"userName": user_name, "title": "Engineer", "emails": [{"value": email}]}),
    }
}

fn refusal(e: Error) -> Code {
    match e {
        Error::Refused { code, .. } => code,
        other => panic!("not a refusal: {other:?}"),
    }
}

async fn owned_addresses_are_matched_or_made_verified_and_others_made_unproven(t: &T) {
    let (org, _) = t.acme().await;
    let ada = t.core.provision_user(OP, org, &write("ada", "ada@acme.example", true), &META).await.unwrap();
    assert_eq!(t.status(ada.id).await, (UserStatus::Active, true));
    assert!(t.is_member(org, ada.id).await);
    assert_eq!(ada.document["title"], "Engineer");

    let bob = t.core.provision_user(OP, org, &write("bob", "bob@contractor.example", true), &META).await.unwrap();
    assert_eq!(t.status(bob.id).await, (UserStatus::Unverified, false), "an address the org does not own");

    let carol = t.user("carol@acme.example").await;
    let matched = t.core.provision_user(OP, org, &write("carol", "Carol@acme.example", true), &META).await.unwrap();
    assert_eq!(matched.id, carol, "an existing account at an owned address is matched");
    let named = t.core.user_within(OP, None, carol).await.unwrap().user;
    assert_eq!(named.given_name.as_deref(), Some("Ada"), "and the directory's name applies");

    let dave = t.user("dave@mail.example").await;
    let e = t.core.provision_user(OP, org, &write("dave", "dave@mail.example", true), &META).await.unwrap_err();
    assert_eq!(refusal(e), Code::AlreadyExists, "someone else's account joins only by invitation");
    assert!(!t.is_member(org, dave).await);

    let e = t.core.provision_user(OP, org, &write("ADA", "ada2@acme.example", true), &META).await.unwrap_err();
    assert_eq!(refusal(e), Code::AlreadyExists, "userName is unique case-insensitively");
    let found = t.core.scim_users_where(OP, org, ScimKey::UserName, "Ada").await.unwrap();
    assert_eq!(found.iter().map(|u| u.id).collect::<Vec<_>>(), [ada.id]);
    let found = t.core.scim_users_where(OP, org, ScimKey::ExternalId, "ext-bob").await.unwrap();
    assert_eq!(found.iter().map(|u| u.id).collect::<Vec<_>>(), [bob.id]);
    assert_eq!(t.core.scim_users(OP, org).await.unwrap().len(), 3);

    let Error::Invalid(errors) =
        t.core.provision_user(OP, org, &write(" ", "not-an-address", true), &META).await.unwrap_err()
    else {
        panic!("invalid")
    };
    assert!(errors.for_field("userName").next().is_some() && errors.for_field("emails").next().is_some());
}
core_test!(owned_addresses_are_matched_or_made_verified_and_others_made_unproven);

async fn suspension_ends_access_and_reactivation_restores_role_and_groups(t: &T) {
    let (org, _) = t.acme().await;
    let ada = t.core.provision_user(OP, org, &write("ada", "ada@acme.example", true), &META).await.unwrap();
    t.core.change_member_role(OP, org, ada.id, "admin", &META).await.unwrap();
    let group = t
        .core
        .provision_group(OP, org, &ScimGroupWrite { members: Some(vec![ada.id]), ..group_write("Engineering") }, &META)
        .await
        .unwrap();
    let token = NewApiToken {
        name: "Ada's script".into(),
        scopes: vec!["users:read".into()],
        organization: Some(org),
        days: None,
    };
    let token = t.core.create_api_token(Actor::User(ada.id), token, &META).await.unwrap();
    let secret = token.token.expose_secret().to_owned();
    t.core.authenticate_api_token(&secret).await.unwrap();

    let mut off = write("ada", "ada@acme.example", false);
    off.document = serde_json::json!({"userName": "ada", "active": false});
    let suspended = t.core.replace_scim_user(OP, org, ada.id, &off, None, &META).await.unwrap();
    assert!(!suspended.active && !t.is_member(org, ada.id).await);
    assert!(t.core.authenticate_api_token(&secret).await.is_err(), "the person's tokens for the org are revoked");
    assert!(t.core.scim_group(OP, org, group.id).await.unwrap().members.is_empty());
    assert_eq!(t.core.scim_user(OP, org, ada.id).await.unwrap().document["active"], false);
    // Added to a group while suspended: remembered for the reactivation.
    let ops = t.core.provision_group(OP, org, &group_write("Ops"), &META).await.unwrap();
    t.core.change_scim_group_members(OP, org, ops.id, &[ada.id], &[], &META).await.unwrap();
    assert!(t.core.scim_group(OP, org, ops.id).await.unwrap().members.is_empty());

    let on = write("ada", "ada@acme.example", true);
    assert!(t.core.replace_scim_user(OP, org, ada.id, &on, None, &META).await.unwrap().active);
    let page = t.core.organization_members(OP, org, "ada", 0).await.unwrap();
    assert_eq!(page.members[0].role, "admin", "the role is restored");
    let members: Vec<UserId> = t.core.scim_group(OP, org, group.id).await.unwrap().members.clone();
    assert_eq!(members, [ada.id], "and the groups");
    let ops_members: Vec<UserId> = t.core.scim_group(OP, org, ops.id).await.unwrap().members.clone();
    assert_eq!(ops_members, [ada.id], "with the one added while suspended");
}
core_test!(suspension_ends_access_and_reactivation_restores_role_and_groups);

async fn deprovisioning_ends_the_membership_but_never_the_last_owner(t: &T) {
    let (org, owner) = t.acme().await;
    let ada = t.core.provision_user(OP, org, &write("ada", "ada@acme.example", true), &META).await.unwrap();
    t.core.deprovision_user(OP, org, ada.id, &META).await.unwrap();
    assert!(!t.is_member(org, ada.id).await);
    assert!(matches!(t.core.scim_user(OP, org, ada.id).await, Err(Error::NotFound)));
    assert!(matches!(t.core.deprovision_user(OP, org, ada.id, &META).await, Err(Error::NotFound)));
    assert_eq!(t.status(ada.id).await.0, UserStatus::Active, "the account itself stays");

    // Suspended first, then deleted: the end of the record is in the log too.
    let bob = t.core.provision_user(OP, org, &write("bob", "bob@acme.example", false), &META).await.unwrap();
    t.core.deprovision_user(OP, org, bob.id, &META).await.unwrap();
    let query = crate::audit::query::AuditQuery {
        subject: Some(bob.id),
        action: Some("organization.membership_changed".into()),
        ..Default::default()
    };
    let events = t.core.search_audit_events(OP, Some(org), &query).await.unwrap().items;
    let said: Vec<String> = events.iter().map(|e| e.details["event"].as_str().unwrap_or_default().to_owned()).collect();
    assert!(said.contains(&"deprovisioned_by_directory".to_owned()), "{said:?}");

    let boss = t.core.provision_user(OP, org, &write("owner", "owner@acme.example", true), &META).await.unwrap();
    assert_eq!(boss.id, owner);
    let e = t.core.deprovision_user(OP, org, owner, &META).await.unwrap_err();
    assert_eq!(refusal(e), Code::Forbidden);
    assert!(t.is_member(org, owner).await);
}
core_test!(deprovisioning_ends_the_membership_but_never_the_last_owner);

async fn a_directory_changes_only_the_accounts_it_manages(t: &T) {
    let (org, _) = t.acme().await;
    let ada = t.core.provision_user(OP, org, &write("ada", "ada@acme.example", true), &META).await.unwrap();
    let mut w = write("ada", "ada.l@acme.example", true);
    w.given_name = Some("Augusta".into());
    let v = t.core.replace_scim_user(OP, org, ada.id, &w, Some(&ada.version), &META).await.unwrap();
    let u = t.core.user_within(OP, None, ada.id).await.unwrap().user;
    assert_eq!((u.email.as_str(), u.given_name.as_deref()), ("ada.l@acme.example", Some("Augusta")));
    assert_ne!(v.version, ada.version);

    let stale = t.core.replace_scim_user(OP, org, ada.id, &w, Some(&ada.version), &META).await.unwrap_err();
    assert_eq!(refusal(stale), Code::PreconditionFailed);
    let away = write("ada", "ada@elsewhere.example", true);
    let Error::Invalid(e) = t.core.replace_scim_user(OP, org, ada.id, &away, None, &META).await.unwrap_err() else {
        panic!("invalid")
    };
    assert_eq!(e.for_field("emails").next().unwrap().code, "domain_not_verified");

    // A member who joined with their own address keeps their own details.
    let erin = t.user("erin@mail.example").await;
    t.core.add_organization_member(OP, org, erin, "member", &META).await.unwrap();
    let linked = t.core.provision_user(OP, org, &write("erin", "erin@mail.example", true), &META).await.unwrap();
    assert_eq!(linked.id, erin);
    t.core.replace_scim_user(OP, org, erin, &write("erin", "erin@other.example", true), None, &META).await.unwrap();
    let u = t.core.user_within(OP, None, erin).await.unwrap().user;
    assert_eq!((u.email.as_str(), u.given_name.as_deref()), ("erin@mail.example", Some("Own")));
}
core_test!(a_directory_changes_only_the_accounts_it_manages);

fn group_write(name: &str) -> ScimGroupWrite {
    ScimGroupWrite { display_name: name.into(), external_id: None, members: None }
}

async fn groups_are_provisioned_adopted_and_their_members_changed(t: &T) {
    let (org, owner) = t.acme().await;
    let ada = t.core.provision_user(OP, org, &write("ada", "ada@acme.example", true), &META).await.unwrap().id;
    let bob = t.core.provision_user(OP, org, &write("bob", "bob@acme.example", true), &META).await.unwrap().id;
    let existing = t.core.create_group(OP, org, "Sales", "", "open", &META).await.unwrap();
    let sales = t
        .core
        .provision_group(OP, org, &ScimGroupWrite { members: Some(vec![ada]), ..group_write("Sales") }, &META)
        .await
        .unwrap();
    assert_eq!(sales.id, existing, "a group with the name is adopted");
    let e = t.core.provision_group(OP, org, &group_write("Sales"), &META).await.unwrap_err();
    assert_eq!(refusal(e), Code::AlreadyExists);

    let g = t.core.change_scim_group_members(OP, org, sales.id, &[bob], &[ada], &META).await.unwrap();
    assert_eq!(g.members, [bob]);
    assert_ne!(g.version, sales.version);
    let Error::Invalid(_) =
        t.core.change_scim_group_members(OP, org, sales.id, &[owner], &[], &META).await.unwrap_err()
    else {
        panic!("only provisioned users are members")
    };

    let renamed = ScimGroupWrite {
        display_name: "Sales EMEA".into(),
        external_id: Some("g-1".into()),
        members: Some(vec![ada, bob]),
    };
    let g = t.core.replace_scim_group(OP, org, sales.id, &renamed, Some(&g.version), &META).await.unwrap();
    assert_eq!((g.display_name.as_str(), g.external_id.as_deref(), g.members.len()), ("Sales EMEA", Some("g-1"), 2));
    let stale = t.core.replace_scim_group(OP, org, sales.id, &renamed, Some(&sales.version), &META);
    assert_eq!(refusal(stale.await.unwrap_err()), Code::PreconditionFailed);
    assert_eq!(t.core.scim_users(OP, org).await.unwrap()[0].groups.len(), 1, "a user shows their groups");

    t.core.delete_scim_group(OP, org, sales.id, &META).await.unwrap();
    assert!(t.core.scim_groups(OP, org).await.unwrap().is_empty());
    assert!(t.core.groups_for(owner, org).await.unwrap().is_empty(), "the organization's group goes with it");
}
core_test!(groups_are_provisioned_adopted_and_their_members_changed);

async fn only_those_who_manage_members_provision(t: &T) {
    let (org, _) = t.acme().await;
    let ada = t.core.provision_user(OP, org, &write("ada", "ada@acme.example", true), &META).await.unwrap().id;
    let as_ada = Actor::User(ada);
    assert!(matches!(t.core.scim_users(as_ada, org).await, Err(Error::Forbidden)));
    let bob = write("bob", "bob@acme.example", true);
    assert!(matches!(t.core.provision_user(as_ada, org, &bob, &META).await, Err(Error::Forbidden)));
    let outsider = t.user("x@mail.example").await;
    assert!(matches!(t.core.scim_users(Actor::User(outsider), org).await, Err(Error::NotFound)));
}
core_test!(only_those_who_manage_members_provision);

/// Two directory writes from the same version of a group at once (Entra ID sends member
/// changes in parallel): exactly one passes, the other is told the group changed, so no member
/// change is lost to a stale read.
async fn two_writers_from_one_version_of_a_group_cannot_both_pass(t: &T) {
    let (org, _) = t.acme().await;
    let ada = t.core.provision_user(OP, org, &write("ada", "ada@acme.example", true), &META).await.unwrap().id;
    let bob = t.core.provision_user(OP, org, &write("bob", "bob@acme.example", true), &META).await.unwrap().id;
    let g = t.core.provision_group(OP, org, &group_write("Sales"), &META).await.unwrap();
    for _ in 0..5 {
        // From no members each time, so that both writes change the group.
        let empty = ScimGroupWrite { members: Some(vec![]), ..group_write("Sales") };
        let v = t.core.replace_scim_group(OP, org, g.id, &empty, None, &META).await.unwrap().version;
        let with = |u: UserId| ScimGroupWrite { members: Some(vec![u]), ..group_write("Sales") };
        let (wa, wb) = (with(ada), with(bob));
        let (a, b) = tokio::join!(
            t.core.replace_scim_group(OP, org, g.id, &wa, Some(&v), &META),
            t.core.replace_scim_group(OP, org, g.id, &wb, Some(&v), &META),
        );
        let refused = match (a, b) {
            (Ok(_), Err(e)) | (Err(e), Ok(_)) => e,
            other => panic!("exactly one must pass: {other:?}"),
        };
        assert!(
            matches!(refused, Error::Refused { code: Code::PreconditionFailed, .. } | Error::Unavailable(_)),
            "{refused:?}"
        );
    }
}
core_test!(two_writers_from_one_version_of_a_group_cannot_both_pass);
