//! SSO rules on both databases: home-realm discovery, linking only a proven address, just-in-time
//! accounts and membership, the identity surviving an email change, the pre-registered squatter,
//! trusted second factors, and the "members must use SSO" policy.

use secrecy::SecretString;

use super::federation::Via;
use super::{AssertedIdentity, ClaimMapping, Realm};
use crate::Core;
use crate::accounts::admin::NewUser;
use crate::accounts::{EmailAddress, UserStatus};
use crate::audit::RequestMeta;
use crate::clock::FakeClock;
use crate::error::{Code, Error};
use crate::ids::{OrganizationId, SsoConnectionId, UserId};
use crate::organizations::{Actor, NewOrganization};
use crate::sessions::SessionStage;
use crate::store::sso::ConnectionRow;
use crate::testing::{TestDb, core_test};

const META: RequestMeta = RequestMeta { ip: None, user_agent: None, via: None, operator: None };
const OP: Actor = Actor::Operator;
const ISSUER: &str = "https://idp.acme.example";

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

    async fn user(&self, email: &str, password: Option<&str>) -> UserId {
        let new = NewUser {
            email,
            given_name: None,
            family_name: None,
            verified: true,
            password: password.map(|p| SecretString::from(p.to_owned())),
        };
        self.core.create_user(new, &META).await.unwrap().id
    }

    /// The organization `acme` with the verified domain acme.example and one enabled connection.
    async fn acme(&self) -> (OrganizationId, SsoConnectionId) {
        let owner = self.user("owner@elsewhere.example", None).await;
        let new = NewOrganization { name: "Acme", slug: Some("acme"), owner: Some(owner) };
        let org = self.core.create_organization(OP, new, &META).await.unwrap().id;
        self.core.add_organization_domain(OP, org, "acme.example", &META).await.unwrap();
        let connection = self.connection(org, "Acme SSO").await;
        (org, connection)
    }

    async fn connection(&self, org: OrganizationId, name: &str) -> SsoConnectionId {
        let now = self.core.clock().now();
        let row = ConnectionRow {
            id: SsoConnectionId::new(),
            organization_id: org,
            kind: "oidc".into(),
            name: name.into(),
            enabled: true,
            issuer: Some(ISSUER.into()),
            client_id: Some("keystead".into()),
            client_secret_sealed: None,
            scopes: Some("openid email".into()),
            metadata_url: None,
            provider_cache: "{}".into(),
            provider_cached_at: now,
            claim_mapping: serde_json::to_string(&ClaimMapping::oidc_default()).unwrap(),
            trust_idp_mfa: true,
            rp_logout: false,
            created_at: now,
            updated_at: now,
        };
        self.core.insert_sso_connection(OP, row, &META).await.unwrap().id
    }

    fn via(org: OrganizationId, connection: SsoConnectionId) -> Via {
        Via {
            connection: Some(connection),
            organization: Some(org),
            provider: "sso".into(),
            name: "Acme SSO".into(),
            trust_idp_mfa: true,
            locale: None,
        }
    }
}

fn identity(subject: &str, email: &str, verified: bool) -> AssertedIdentity {
    AssertedIdentity {
        issuer: ISSUER.into(),
        subject: subject.into(),
        email: Some(email.into()),
        email_verified: verified,
        given_name: Some("Ada".into()),
        family_name: Some("Lovelace".into()),
        ..AssertedIdentity::default()
    }
}

fn sso_code(e: &Error) -> &'static str {
    match e {
        Error::Invalid(errors) => errors.for_field("sso").next().map_or("", |f| f.code),
        _ => "",
    }
}

async fn discovery_sends_verified_domains_with_an_enabled_connection_to_their_provider(t: &T) {
    let (org, connection) = t.acme().await;
    let email = EmailAddress::parse("email", "Ada@ACME.example").unwrap();
    let realm = t.core.discover_realm(&email).await.unwrap();
    let acme =
        crate::organizations::logo::OrganizationBrand { id: org, name: "Acme".into(), color: None, logo_version: None };
    assert_eq!(realm, Realm::Sso { connection, name: "Acme SSO".into(), organization: acme });
    let other = EmailAddress::parse("email", "ada@other.example").unwrap();
    assert_eq!(t.core.discover_realm(&other).await.unwrap(), Realm::Password);
    t.core.set_sso_connection_enabled(OP, org, connection, false, &META).await.unwrap();
    assert_eq!(t.core.discover_realm(&email).await.unwrap(), Realm::Password);
}
core_test!(discovery_sends_verified_domains_with_an_enabled_connection_to_their_provider);

async fn a_first_sign_in_creates_a_verified_member_and_the_identity_survives_an_email_change(t: &T) {
    let (org, connection) = t.acme().await;
    let via = T::via(org, connection);
    // The domain is the organization's verified domain: proof enough without email_verified.
    let first =
        t.core.sign_in_federated(&via, &identity("sub-1", "ada@acme.example", false), None, &META).await.unwrap();
    assert!(first.created);
    let user = first.session.session.user.clone();
    assert_eq!(user.email, "ada@acme.example");
    assert!(user.email_verified_at.is_some());
    assert!(matches!(user.status, UserStatus::Active | UserStatus::IncompleteProfile));
    assert_eq!(user.given_name.as_deref(), Some("Ada"));
    let mine = t.core.my_organizations(&first.session.session).await.unwrap();
    assert_eq!(mine.iter().map(|o| o.id).collect::<Vec<_>>(), vec![org]);
    // The address changes at the provider: the same person, the same account.
    let again =
        t.core.sign_in_federated(&via, &identity("sub-1", "ada.l@acme.example", false), None, &META).await.unwrap();
    assert!(!again.created);
    assert_eq!(again.session.session.user.id, user.id);
    let linked = t.core.linked_identities(user.id).await.unwrap();
    assert_eq!(linked.len(), 1);
    assert_eq!(linked[0].provider_name, "Acme SSO");
    assert_eq!(linked[0].email.as_deref(), Some("ada.l@acme.example"));
}
core_test!(a_first_sign_in_creates_a_verified_member_and_the_identity_survives_an_email_change);

async fn an_existing_account_is_linked_only_when_the_address_is_proven(t: &T) {
    let (org, connection) = t.acme().await;
    let via = T::via(org, connection);
    let existing = t.user("bob@partner.example", Some("correct horse battery staple")).await;
    let unproven =
        t.core.sign_in_federated(&via, &identity("sub-bob", "bob@partner.example", false), None, &META).await;
    assert_eq!(sso_code(&unproven.unwrap_err()), "email_not_proven");
    assert!(t.core.linked_identities(existing).await.unwrap().is_empty());
    let proven =
        t.core.sign_in_federated(&via, &identity("sub-bob", "bob@partner.example", true), None, &META).await.unwrap();
    assert!(!proven.created);
    assert_eq!(proven.session.session.user.id, existing);
}
core_test!(an_existing_account_is_linked_only_when_the_address_is_proven);

async fn a_provider_without_an_address_gets_a_clear_refusal(t: &T) {
    let (org, connection) = t.acme().await;
    let mut no_email = identity("sub-x", "x@acme.example", true);
    no_email.email = None;
    let e = t.core.sign_in_federated(&T::via(org, connection), &no_email, None, &META).await.unwrap_err();
    assert_eq!(sso_code(&e), "no_email");
}
core_test!(a_provider_without_an_address_gets_a_clear_refusal);

async fn an_unconfirmed_registration_of_the_address_loses_its_password_to_the_proven_owner(t: &T) {
    let (org, connection) = t.acme().await;
    let pw = SecretString::from("squatter's long password".to_owned());
    t.core.register("eve@acme.example", &pw, None, None, &META).await.unwrap();
    let signed = t
        .core
        .sign_in_federated(&T::via(org, connection), &identity("sub-eve", "eve@acme.example", true), None, &META)
        .await
        .unwrap();
    assert!(!signed.created);
    let user = t.core.user_by_email("eve@acme.example").await.unwrap();
    assert!(user.email_verified_at.is_some());
    assert!(user.password_changed_at.is_none(), "the squatter's password must be gone");
    let attempt = t.core.sign_in_with_password("eve@acme.example", &pw, &META).await;
    assert!(attempt.is_err());
}
core_test!(an_unconfirmed_registration_of_the_address_loses_its_password_to_the_proven_owner);

async fn a_second_factor_the_provider_reports_counts_only_when_the_connection_trusts_it(t: &T) {
    let (org, connection) = t.acme().await;
    t.core
        .update_organization_settings(
            OP,
            org,
            crate::organizations::OrganizationSettings {
                require_mfa: true,
                password_min_length: None,
                password_max_length: None,
            },
            &META,
        )
        .await
        .unwrap();
    let mut with_mfa = identity("sub-m", "m@acme.example", true);
    with_mfa.amr = vec!["pwd".into(), "mfa".into()];
    let trusted = t.core.sign_in_federated(&T::via(org, connection), &with_mfa, None, &META).await.unwrap();
    assert_eq!(trusted.session.session.stage, SessionStage::Authenticated);
    assert!(trusted.session.session.amr.iter().any(|a| a == "mfa"));
    let mut untrusting = T::via(org, connection);
    untrusting.trust_idp_mfa = false;
    let own = t.core.sign_in_federated(&untrusting, &with_mfa, None, &META).await.unwrap();
    assert_eq!(own.session.session.stage, SessionStage::MfaSetupRequired);
}
core_test!(a_second_factor_the_provider_reports_counts_only_when_the_connection_trusts_it);

async fn members_of_an_sso_only_organization_cannot_use_passwords(t: &T) {
    let owner = t.user("owner@elsewhere.example", None).await;
    let new = NewOrganization { name: "Acme", slug: Some("acme"), owner: Some(owner) };
    let org = t.core.create_organization(OP, new, &META).await.unwrap().id;
    let refused = t.core.set_sso_required(OP, org, true, &META).await.unwrap_err();
    assert!(matches!(refused, Error::Invalid(_)), "{refused:?}");
    let connection = t.connection(org, "Acme SSO").await;
    t.core.set_sso_required(OP, org, true, &META).await.unwrap();
    let member = t.user("carol@acme.example", Some("a long enough password")).await;
    t.core.add_organization_member(OP, org, member, "member", &META).await.unwrap();
    let pw = SecretString::from("a long enough password".to_owned());
    let e = t.core.sign_in_with_password("carol@acme.example", &pw, &META).await.unwrap_err();
    match e {
        Error::Invalid(errors) => {
            let f = errors.for_field("password").next().unwrap();
            assert_eq!(f.code, "managed_by_sso");
            assert!(f.message.contains("Acme SSO") && f.message.contains("external provider"), "{}", f.message);
        }
        other => panic!("{other:?}"),
    }
    assert!(t.core.password_managed_elsewhere(member).await.unwrap().is_some());
    let last = t.core.remove_sso_connection(OP, org, connection, &META).await.unwrap_err();
    assert!(matches!(last, Error::Conflict(Code::SsoRequiredNeedsConnection)), "{last:?}");
    t.core.set_sso_required(OP, org, false, &META).await.unwrap();
    assert!(t.core.password_managed_elsewhere(member).await.unwrap().is_none());
    t.core.remove_sso_connection(OP, org, connection, &META).await.unwrap();
}
core_test!(members_of_an_sso_only_organization_cannot_use_passwords);

async fn a_disabled_account_cannot_sign_in_through_its_provider(t: &T) {
    let (org, connection) = t.acme().await;
    let via = T::via(org, connection);
    let first = t.core.sign_in_federated(&via, &identity("sub-d", "d@acme.example", true), None, &META).await.unwrap();
    assert!(first.created);
    let d = t.core.user_by_email("d@acme.example").await.unwrap().id;
    t.core.disable_user(crate::organizations::Actor::Operator, d, &META).await.unwrap();
    let e = t.core.sign_in_federated(&via, &identity("sub-d", "d@acme.example", true), None, &META).await.unwrap_err();
    assert!(matches!(e, Error::Conflict(Code::AccountDisabled)), "{e:?}");
}
core_test!(a_disabled_account_cannot_sign_in_through_its_provider);

async fn only_the_last_way_in_cannot_be_unlinked(t: &T) {
    let (org, connection) = t.acme().await;
    let first = t
        .core
        .sign_in_federated(&T::via(org, connection), &identity("sub-u", "u@acme.example", true), None, &META)
        .await
        .unwrap();
    let user = first.session.session.user.id;
    let id = t.core.linked_identities(user).await.unwrap()[0].id;
    let e = t.core.unlink_identity(user, id, &META).await.unwrap_err();
    assert!(matches!(&e, Error::Invalid(errs) if errs.for_field("identity").next().is_some()), "{e:?}");
}
core_test!(only_the_last_way_in_cannot_be_unlinked);

async fn a_saml_assertion_is_accepted_once_until_it_expires(t: &T) {
    use crate::store::sso as store;
    let now = t.core.clock().now();
    let expires = now + time::Duration::minutes(5);
    let mut tx = t.core.store().begin().await.unwrap();
    assert!(store::remember_assertion(tx.db(), "https://idp.example", "a-1", expires).await.unwrap());
    assert!(!store::remember_assertion(tx.db(), "https://idp.example", "a-1", expires).await.unwrap(), "a replay");
    assert!(store::remember_assertion(tx.db(), "https://other.example", "a-1", expires).await.unwrap());
    assert_eq!(store::purge_expired(tx.db(), now + time::Duration::minutes(4)).await.unwrap(), 0);
    assert_eq!(store::purge_expired(tx.db(), now + time::Duration::minutes(6)).await.unwrap(), 2);
    tx.commit().await.unwrap();
}
core_test!(a_saml_assertion_is_accepted_once_until_it_expires);

async fn a_connection_is_edited_in_place_and_a_rotated_secret_is_sealed(t: &T) {
    use super::ConnectionChanges;
    let (org, connection) = t.acme().await;
    let changes = ConnectionChanges {
        name: Some("  Acme Entra  ".into()),
        client_secret: Some(SecretString::from("rotated-secret")),
        scopes: Some(vec!["email groups".into()]),
        trust_idp_mfa: Some(false),
        rp_logout: Some(true),
        ..ConnectionChanges::default()
    };
    let edited = t.core.update_sso_connection(OP, org, connection, changes, &META).await.unwrap();
    assert_eq!(edited.name, "Acme Entra");
    assert_eq!(edited.scopes, ["openid", "email", "groups"], "openid is always asked for");
    assert!(!edited.trust_idp_mfa && edited.rp_logout);
    assert_eq!(edited.issuer, ISSUER, "the issuer stays");
    let row = {
        let mut conn = t.core.store().conn().await.unwrap();
        crate::store::sso::get_connection(conn.db(), connection).await.unwrap().unwrap()
    };
    let secret = t.core.open_client_secret(connection, row.client_secret_sealed.as_deref().unwrap()).unwrap();
    assert_eq!(secrecy::ExposeSecret::expose_secret(&secret), "rotated-secret");
    assert!(!row.client_secret_sealed.unwrap().windows(6).any(|w| w == b"rotate"), "sealed, not stored as given");

    // Bad values are refused with the field named, and nothing changes.
    let bad = ConnectionChanges {
        name: Some(String::new()),
        scopes: Some(vec!["bad\"scope".into()]),
        metadata: Some(super::SamlMetadataSource::Xml("<x/>".into())),
        ..ConnectionChanges::default()
    };
    let Err(Error::Invalid(errors)) = t.core.update_sso_connection(OP, org, connection, bad, &META).await else {
        panic!("refused")
    };
    for field in ["name", "scopes", "metadata"] {
        assert_eq!(errors.for_field(field).count(), 1, "{field}: {errors:?}");
    }
    let second = t.connection(org, "Backup SSO").await;
    let taken = ConnectionChanges { name: Some("Acme Entra".into()), ..ConnectionChanges::default() };
    let Err(Error::Invalid(errors)) = t.core.update_sso_connection(OP, org, second, taken, &META).await else {
        panic!("the name is taken")
    };
    assert_eq!(errors.for_field("name").next().map(|e| e.code), Some("name_taken"));

    // Another organization's connection is not found; a plain member may not edit.
    let (other_org, _) = {
        let owner = t.user("boss@other.example", None).await;
        let new = NewOrganization { name: "Other", slug: Some("other"), owner: Some(owner) };
        (t.core.create_organization(OP, new, &META).await.unwrap().id, owner)
    };
    let none = ConnectionChanges::default();
    assert!(matches!(
        t.core.update_sso_connection(OP, other_org, connection, none.clone(), &META).await,
        Err(Error::NotFound)
    ));
    let member = t.user("member@acme.example", None).await;
    t.core.add_organization_member(OP, org, member, "member", &META).await.unwrap();
    let refused = t.core.update_sso_connection(Actor::User(member), org, connection, none, &META).await;
    assert!(matches!(refused, Err(Error::Forbidden)), "{refused:?}");
}
core_test!(a_connection_is_edited_in_place_and_a_rotated_secret_is_sealed);
