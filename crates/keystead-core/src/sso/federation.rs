//! After a provider vouched for someone: find the account their identity is linked to, link an
//! existing account whose address the provider proved, or create one just in time (verified,
//! a member of the connection's organization); then a session, with Keystead's own second factor
//! unless the connection trusts the provider's. A social preset never gets past an
//! organization's own provider: addresses at a domain with single sign-on, and members of an
//! organization that requires it, are refused with where to sign in instead.

use time::OffsetDateTime;

use super::AssertedIdentity;
use crate::Core;
use crate::accounts::{EmailAddress, User, UserStatus};
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Code, Error, Result};
use crate::ids::{FederatedIdentityId, OrganizationId, SsoConnectionId, UserId};
use crate::organizations::BuiltinRole;
use crate::sessions::{self, NewSession, SessionStage};
use crate::store::organizations as store_orgs;
use crate::store::sso::{self as store, IdentityRow};
use crate::store::{StoreError, Tx, users as store_users};

/// Which provider vouched: an organization's connection or a social preset.
#[derive(Debug, Clone)]
pub(crate) struct Via {
    /// The connection (none for social presets).
    pub connection: Option<SsoConnectionId>,
    /// The connection's organization (none for social presets).
    pub organization: Option<OrganizationId>,
    /// `sso`, or the social preset's key (`google`, `microsoft`, `github`).
    pub provider: String,
    /// Shown to users: the connection's or the preset's name.
    pub name: String,
    /// Whether the provider's second factor counts as ours.
    pub trust_idp_mfa: bool,
    /// The language the person started in: an account made just in time keeps it.
    pub locale: Option<crate::i18n::Locale>,
}

/// A federated sign-in that went through.
#[derive(Debug)]
pub struct FederatedSignIn {
    /// The new session (its stage says whether a second factor or profile step comes next).
    pub session: NewSession,
    /// Where the user was headed.
    pub return_to: Option<String>,
    /// True when the account was created by this sign-in.
    pub created: bool,
}

/// `acr` values that name multi-factor authentication (ours, REFEDS, PAPE, SAML's classes).
const MFA_ACRS: [&str; 6] = [
    "aal2",
    "aal3",
    "https://refeds.org/profile/mfa",
    "http://schemas.openid.net/pape/policies/2007/06/multi-factor",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract",
    "http://schemas.microsoft.com/claims/multipleauthn",
];

/// Whether the provider reported a second factor.
pub(crate) fn idp_reported_mfa(identity: &AssertedIdentity) -> bool {
    identity.amr.iter().any(|a| a == crate::mfa::AMR_MFA)
        || identity.acr.as_deref().is_some_and(|acr| MFA_ACRS.contains(&acr))
}

fn refused(code: &'static str, message: impl Into<String>) -> Error {
    Error::invalid("sso", code, message)
}

impl Core {
    /// Signs in the person `identity` describes (see the module docs for the rules).
    pub(crate) async fn sign_in_federated(
        &self,
        via: &Via,
        identity: &AssertedIdentity,
        return_to: Option<String>,
        meta: &RequestMeta,
    ) -> Result<FederatedSignIn> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let (user, created) = match store::find_identity(tx.db(), &identity.issuer, &identity.subject).await? {
            Some(linked) => {
                store::touch_identity(tx.db(), linked.id, identity.email.as_deref(), now).await?;
                (store_users::get(tx.db(), linked.user_id).await?.into(), false)
            }
            None => self.link_or_create(&mut tx, via, identity, meta, now).await?,
        };
        let user: User = user;
        match user.status {
            UserStatus::Disabled => return Err(Error::Conflict(Code::AccountDisabled)),
            UserStatus::Closing | UserStatus::Purged => {
                return Err(refused(
                    "account_closed",
                    "This account was closed. Sign in with its password to reactivate it, or ask your administrator.",
                ));
            }
            UserStatus::Unverified => {
                // The provider proved the address (linking requires it) for this person; whoever
                // registered it without confirming gets nothing: their password and sessions go.
                store_users::clear_password(tx.db(), user.id, now).await?;
                sessions::revoke_all(self, &mut tx, user.id).await?;
                let row = store_users::get(tx.db(), user.id).await?;
                let status = crate::agreements::status_after_verification(self, tx.db(), &row).await?;
                store_users::mark_verified(tx.db(), user.id, status.as_str(), now).await?;
            }
            UserStatus::IncompleteProfile | UserStatus::Active => {}
        }
        if let Some(org) = via.organization {
            self.join_through_sso(&mut tx, org, user.id, meta, now).await?;
        } else if let Some((org, connection)) = store::sso_required_for(tx.db(), user.id).await? {
            // Social sign-in is not the organization's provider: its members go there.
            return Err(refused(
                "sso_required",
                format!(
                    "{org} signs its members in through {connection}, not {}. Sign in with your work email address to be sent there.",
                    via.name
                ),
            ));
        }
        let user: User = store_users::get(tx.db(), user.id).await?.into();
        let trusted_mfa = via.trust_idp_mfa && idp_reported_mfa(identity);
        let (stage, amr): (SessionStage, &[&str]) = if trusted_mfa {
            (SessionStage::Authenticated, &["fed", crate::mfa::AMR_MFA])
        } else {
            (crate::mfa::stage_after_password(self, tx.db(), &user, false).await?, &["fed"])
        };
        store_users::touch_sign_in(tx.db(), user.id, now).await?;
        let session = sessions::create(self, &mut tx, user.clone(), stage, amr, meta).await?;
        store::insert_session_link(
            tx.db(),
            session.session.id,
            via.connection,
            &via.provider,
            identity.logout_hint.as_deref(),
        )
        .await?;
        if !created {
            self.notify_if_new_device(&mut tx, &user, meta).await?;
        }
        let details = serde_json::json!({"method": "sso", "provider": via.provider, "connection": via.connection,
            "idp_mfa": trusted_mfa});
        audit::record(tx.db(), now, AuditAction::SignedIn, Some(user.id), Some(user.id), meta, details).await?;
        tx.commit().await?;
        Ok(FederatedSignIn { session, return_to, created })
    }

    /// No identity linked yet: link the account with the proven address, or create one.
    async fn link_or_create(
        &self,
        tx: &mut Tx,
        via: &Via,
        identity: &AssertedIdentity,
        meta: &RequestMeta,
        now: OffsetDateTime,
    ) -> Result<(User, bool)> {
        let Some(raw) = identity.email.as_deref() else {
            let ask = if via.organization.is_some() {
                "Ask your administrator to release the email claim."
            } else {
                "Add and verify an address there, then try again."
            };
            return Err(refused(
                "no_email",
                format!("{} did not send an email address, which an account here needs. {ask}", via.name),
            ));
        };
        let email = EmailAddress::parse("sso", raw).map_err(|_| {
            refused("invalid_email", format!("{} sent an address this server cannot use: {raw}", via.name))
        })?;
        if via.organization.is_none()
            && let Some((_, connection, (_, org, _, _))) = store::connection_for_domain(tx.db(), email.domain()).await?
        {
            // The address's organization signs its domain in through its own provider (as the
            // email step would have sent this person there): no account of its domain is made or
            // linked past it.
            return Err(refused(
                "sso_required",
                format!(
                    "{org} signs in addresses at {} through {connection}, not {}. Sign in with your work email address to be sent there.",
                    email.domain(),
                    via.name
                ),
            ));
        }
        let proven = identity.email_verified || self.domain_vouched_by(tx, via, &email).await?;
        if !proven {
            return Err(refused(
                "email_not_proven",
                format!(
                    "{} did not confirm that {} is verified, so it cannot be used to sign in here.",
                    via.name,
                    email.as_str()
                ),
            ));
        }
        let existing = store_users::find_by_email(tx.db(), email.lookup()).await?;
        let (user, created) = match existing {
            Some(row) => (row.into(), false),
            None => (self.create_federated_user(tx, via, identity, &email, meta, now).await?, true),
        };
        let user: User = user;
        let row = IdentityRow {
            id: FederatedIdentityId::new(),
            user_id: user.id,
            connection_id: via.connection,
            provider: via.provider.clone(),
            issuer: identity.issuer.clone(),
            subject: identity.subject.clone(),
            email: Some(email.as_str().to_owned()),
            created_at: now,
            last_used_at: now,
        };
        store::insert_identity(tx.db(), &row).await.map_err(|e| match e {
            // The same person's first sign-in twice at once: the other one linked it.
            StoreError::Conflict { .. } => Error::Conflict(Code::AlreadyExists),
            other => other.into(),
        })?;
        let details = serde_json::json!({"provider": via.provider, "name": via.name, "issuer": identity.issuer});
        audit::record(tx.db(), now, AuditAction::IdentityLinked, Some(user.id), Some(user.id), meta, details).await?;
        Ok((user, created))
    }

    /// True when `email`'s domain is a verified domain of the connection's organization: the
    /// organization proved it owns the domain, and its IdP speaks for its addresses.
    async fn domain_vouched_by(&self, tx: &mut Tx, via: &Via, email: &EmailAddress) -> Result<bool> {
        let Some(org) = via.organization else { return Ok(false) };
        Ok(store_orgs::verified_owner_of(tx.db(), email.domain()).await? == Some(org))
    }

    async fn create_federated_user(
        &self,
        tx: &mut Tx,
        via: &Via,
        identity: &AssertedIdentity,
        email: &EmailAddress,
        meta: &RequestMeta,
        now: OffsetDateTime,
    ) -> Result<User> {
        let reg = &self.config().registration;
        if via.organization.is_none() {
            // Social sign-up follows the deployment's registration rules; an organization's own
            // provider is the organization vouching for its people.
            if reg.mode == crate::config::RegistrationMode::InviteOnly {
                return Err(Error::Conflict(Code::RegistrationClosed));
            }
            if reg.require_work_email && reg.free_email_domains.contains(email.domain()) {
                return Err(refused(
                    "work_email_required",
                    "Use your company account — this server needs a work email address, which is tied to your licenses.",
                ));
            }
        }
        let clean = |s: &Option<String>| {
            s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(|s| s.chars().take(100).collect::<String>())
        };
        let names = (clean(&identity.given_name), clean(&identity.family_name));
        let mut row = crate::accounts::new_user_row(email, UserStatus::Active, None, names, Some(now), now);
        row.locale = via.locale.map(|l| l.tag().to_owned());
        row.status = crate::agreements::status_after_verification(self, tx.db(), &row).await?.as_str().to_owned();
        store_users::insert(tx.db(), &row).await.map_err(|e| match e {
            StoreError::Conflict { .. } => Error::Conflict(Code::AlreadyExists),
            other => other.into(),
        })?;
        let details = serde_json::json!({"method": "sso", "provider": via.provider});
        audit::record(tx.db(), now, AuditAction::Registered, Some(row.id), Some(row.id), meta, details).await?;
        Ok(row.into())
    }

    /// Makes `user` a member of `org` when they are not one yet (the organization's provider
    /// vouched for them).
    async fn join_through_sso(
        &self,
        tx: &mut Tx,
        org: OrganizationId,
        user: UserId,
        meta: &RequestMeta,
        now: OffsetDateTime,
    ) -> Result<()> {
        if store_orgs::membership(tx.db(), org, user).await?.is_some() {
            return Ok(());
        }
        let member = store_orgs::MemberRow {
            organization_id: org,
            user_id: user,
            kind: "member".to_owned(),
            role: BuiltinRole::Member.as_str().to_owned(),
            created_at: now,
        };
        store_orgs::insert_member(tx.db(), &member).await?;
        let details = serde_json::json!({"event": "joined_through_sso", "role": member.role});
        audit::record_in_org(tx.db(), now, AuditAction::MembershipChanged, Some(user), Some(user), org, meta, details)
            .await?;
        Ok(())
    }
}
