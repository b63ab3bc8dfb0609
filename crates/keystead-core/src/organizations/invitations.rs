//! Invitations by email: a single-use link (stored as its SHA-256) valid for 7 days. An existing
//! user accepts after signing in (as the invited address only); a new user registers through the
//! link, which proves the address, and lands in the organization.

use secrecy::{ExposeSecret, SecretString};
use time::{Duration, OffsetDateTime};

use super::{Actor, BuiltinRole, MemberKind, Permission, access, resolve_role};
use crate::Core;
use crate::accounts::password_policy::PersonalData;
use crate::accounts::{EmailAddress, User, UserStatus};
use crate::audit::{self, AuditAction, RequestMeta};
use crate::crypto::{TokenDigest, new_token};
use crate::error::{Code, Error, Result};
use crate::ids::{InvitationId, OrganizationId, UserId};
use crate::mail::{self, Notice};
use crate::rate_limit::{self, limits};
use crate::sessions::{self, NewSession, SessionStage};
use crate::store::organizations::{self as store, InvitationEnd, InvitationRow, MemberRow};
use crate::store::{StoreError, Tx, users as store_users};

/// How long an invitation link works.
pub const INVITATION_TTL: Duration = Duration::days(7);

/// An open invitation.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Invitation {
    /// Its id.
    pub id: InvitationId,
    /// The organization.
    pub organization_id: OrganizationId,
    /// The organization's name.
    pub organization_name: String,
    /// The invited address.
    pub email: String,
    /// The role offered.
    pub role: String,
    /// Member or guest.
    pub kind: MemberKind,
    /// When the link stops working.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// What an invitation link shows before anyone acts on it.
#[derive(Debug, Clone)]
pub struct InvitationLink {
    /// The invitation.
    pub invitation: Invitation,
    /// True when the invited address already has an account (it signs in to accept).
    pub account_exists: bool,
    /// The organization's colour and logo, for the invitation page.
    pub brand: super::logo::OrganizationBrand,
}

fn link_invalid() -> Error {
    Error::Conflict(Code::LinkInvalid)
}

fn is_open(row: &InvitationRow, now: OffsetDateTime) -> bool {
    row.accepted_at.is_none() && row.declined_at.is_none() && row.revoked_at.is_none() && row.expires_at > now
}

fn view(row: InvitationRow, organization_name: String) -> Invitation {
    Invitation {
        id: row.id,
        organization_id: row.organization_id,
        organization_name,
        email: row.email,
        kind: MemberKind::parse(&row.kind),
        role: row.role,
        expires_at: row.expires_at,
    }
}

fn other_address(email: &str) -> Error {
    Error::invalid(
        "invitation",
        "other_address",
        format!("This invitation was sent to {email}. Sign in with that address to accept it."),
    )
}

impl Core {
    /// Invites `email` with `role` (`members:invite`, and only roles the actor may grant). An
    /// open invitation to the same address is replaced.
    pub async fn invite_to_organization(
        &self,
        actor: Actor,
        org: OrganizationId,
        email: &str,
        role: &str,
        meta: &RequestMeta,
    ) -> Result<Invitation> {
        let email = EmailAddress::parse("email", email)?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let a = access(tx.db(), org, actor).await?;
        a.require(Permission::MembersInvite)?;
        let role = resolve_role(tx.db(), org, role).await?;
        a.require_grant(&role)?;
        if let Some(existing) = store_users::find_by_email(tx.db(), email.lookup()).await?
            && store::membership(tx.db(), org, existing.id).await?.is_some()
        {
            return Err(Error::invalid("email", "already_member", "This person already belongs to the organization."));
        }
        for old in store::open_invitations_of_org(tx.db(), org, now).await? {
            if old.email_lookup == email.lookup() {
                store::end_invitation(tx.db(), old.id, InvitationEnd::Revoked, now).await?;
            }
        }
        let token = new_token()?;
        let row = InvitationRow {
            id: InvitationId::new(),
            organization_id: org,
            email: email.as_str().to_owned(),
            email_lookup: email.lookup().to_owned(),
            kind: MemberKind::for_role(&role.name).as_str().to_owned(),
            role: role.name.clone(),
            token_hash: token.digest.as_bytes().to_vec(),
            invited_by: actor.user(),
            created_at: now,
            expires_at: now + INVITATION_TTL,
            accepted_at: None,
            declined_at: None,
            revoked_at: None,
        };
        store::insert_invitation(tx.db(), &row).await?;
        let org_row: super::Organization = store::get_org(tx.db(), org).await?.into();
        self.send_invitation(&mut tx, &row, &org_row, actor, &token.secret).await?;
        let details = serde_json::json!({"event": "invited", "email": row.email, "role": row.role});
        audit::record_in_org(tx.db(), now, AuditAction::MembershipChanged, actor.user(), None, org, meta, details)
            .await?;
        tx.commit().await?;
        Ok(view(row, org_row.name))
    }

    async fn send_invitation(
        &self,
        tx: &mut Tx,
        row: &InvitationRow,
        org: &super::Organization,
        actor: Actor,
        token: &SecretString,
    ) -> Result<()> {
        let site = self.site_name();
        let org_name = org.name.as_str();
        let brand = super::logo::OrganizationBrand::from(org);
        let inviter = match actor.user() {
            Some(u) => Some(User::from(store_users::get(tx.db(), u).await?)),
            None => None,
        };
        // In the language of the address's account when it has one; for an address without an
        // account, in the inviter's (else the deployment's default).
        let invitee = store_users::find_by_email(tx.db(), &row.email_lookup).await?;
        let l = match (invitee, &inviter) {
            (Some(invitee), _) => self.locale_for(invitee.locale.as_deref()),
            (None, Some(inviter)) => self.locale_of(inviter),
            (None, None) => self.locale_for(None),
        };
        let inviter = inviter.map_or_else(|| l.t1("email-invite-team", "site", site), |u| u.display_name());
        let mut url = self.config().public_url.join("invitations/accept").map_err(|e| Error::Internal(e.into()))?;
        url.query_pairs_mut().append_pair("token", token.expose_secret());
        let role = BuiltinRole::parse(&row.role)
            .map_or_else(|| row.role.clone(), |b| l.t(&format!("email-role-{}", b.as_str().replace('_', "-"))));
        let body = l.t_args(
            "email-invite-body",
            &[
                ("inviter", inviter.into()),
                ("email", (&row.email).into()),
                ("org", org_name.into()),
                ("site", site.into()),
                ("role", role.into()),
            ],
        );
        let notice = Notice {
            locale: l,
            subject: l.t2("email-invite-subject", "org", org_name, "site", site),
            paragraphs: vec![body, l.t("email-invite-link")],
            action: Some((l.t("email-invite-action"), url.into())),
            after: vec![l.t("email-invite-after")],
            brand: Some(brand),
        };
        mail::send_notice(self, tx, &row.email, &notice).await?;
        Ok(())
    }

    /// Open invitations of an organization (`members:invite`).
    pub async fn organization_invitations(&self, actor: Actor, org: OrganizationId) -> Result<Vec<Invitation>> {
        let now = self.clock().now();
        let mut conn = self.store().conn().await?;
        access(conn.db(), org, actor).await?.require(Permission::MembersInvite)?;
        let name = store::get_org(conn.db(), org).await?.name;
        let rows = store::open_invitations_of_org(conn.db(), org, now).await?;
        Ok(rows.into_iter().map(|r| view(r, name.clone())).collect())
    }

    /// Revokes an open invitation (`members:invite`): its link stops working.
    pub async fn revoke_invitation(
        &self,
        actor: Actor,
        org: OrganizationId,
        id: InvitationId,
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        access(tx.db(), org, actor).await?.require(Permission::MembersInvite)?;
        let row = store::invitation(tx.db(), id).await?;
        if row.organization_id != org {
            return Err(Error::NotFound);
        }
        if !store::end_invitation(tx.db(), id, InvitationEnd::Revoked, now).await? {
            return Err(Error::invalid("invitation", "closed", "This invitation was already answered or has expired."));
        }
        let details = serde_json::json!({"event": "invitation_revoked", "email": row.email});
        audit::record_in_org(tx.db(), now, AuditAction::MembershipChanged, actor.user(), None, org, meta, details)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sends an open invitation again with a new link (the old one stops working) and 7 more days.
    pub async fn resend_invitation(
        &self,
        actor: Actor,
        org: OrganizationId,
        id: InvitationId,
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        access(tx.db(), org, actor).await?.require(Permission::MembersInvite)?;
        let row = store::invitation(tx.db(), id).await?;
        if row.organization_id != org {
            return Err(Error::NotFound);
        }
        let token = new_token()?;
        if !store::renew_invitation(tx.db(), id, token.digest.as_bytes(), now, now + INVITATION_TTL).await? {
            return Err(Error::invalid("invitation", "closed", "This invitation was already answered or has expired."));
        }
        let org_row: super::Organization = store::get_org(tx.db(), org).await?.into();
        self.send_invitation(&mut tx, &row, &org_row, actor, &token.secret).await?;
        let details = serde_json::json!({"event": "invitation_resent", "email": row.email});
        audit::record_in_org(tx.db(), now, AuditAction::MembershipChanged, actor.user(), None, org, meta, details)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// What an invitation link offers; `LinkInvalid` when it is unknown, expired, revoked or used.
    pub async fn invitation_link(&self, token: &str) -> Result<InvitationLink> {
        if token.is_empty() || token.len() > 128 {
            return Err(link_invalid());
        }
        let now = self.clock().now();
        let mut conn = self.store().conn().await?;
        let row = store::invitation_by_token(conn.db(), TokenDigest::of(token).as_bytes())
            .await?
            .filter(|r| is_open(r, now))
            .ok_or_else(link_invalid)?;
        let account_exists = store_users::find_by_email(conn.db(), &row.email_lookup).await?.is_some();
        let org: super::Organization = store::get_org(conn.db(), row.organization_id).await?.into();
        let brand = super::logo::OrganizationBrand::from(&org);
        Ok(InvitationLink { invitation: view(row, org.name), account_exists, brand })
    }

    /// Open invitations sent to `user`'s address (My Account → Organizations).
    pub async fn my_invitations(&self, user: &User) -> Result<Vec<Invitation>> {
        let now = self.clock().now();
        let email = EmailAddress::parse("email", &user.email)?;
        let mut conn = self.store().conn().await?;
        let rows = store::open_invitations_for_email(conn.db(), email.lookup(), now).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let name = store::get_org(conn.db(), r.organization_id).await?.name;
            out.push(view(r, name));
        }
        Ok(out)
    }

    /// Accepts the invitation of a link as the signed-in `user`; refused for another address.
    pub async fn accept_invitation_link(&self, user: &User, token: &str, meta: &RequestMeta) -> Result<OrganizationId> {
        let link = self.invitation_link(token).await?;
        self.accept_invitation(user, link.invitation.id, meta).await.map_err(|e| match e {
            Error::NotFound => other_address(&link.invitation.email),
            other => other,
        })
    }

    /// Accepts an invitation sent to `user`'s address (`NotFound` for anyone else's).
    pub async fn accept_invitation(&self, user: &User, id: InvitationId, meta: &RequestMeta) -> Result<OrganizationId> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let row = self.own_invitation(&mut tx, user, id).await?;
        if !store::end_invitation(tx.db(), id, InvitationEnd::Accepted, now).await? {
            return Err(link_invalid());
        }
        join(&mut tx, &row, user.id, now).await?;
        let details = serde_json::json!({"event": "invitation_accepted", "role": row.role});
        audit::record_in_org(
            tx.db(),
            now,
            AuditAction::MembershipChanged,
            Some(user.id),
            Some(user.id),
            row.organization_id,
            meta,
            details,
        )
        .await?;
        tx.commit().await?;
        Ok(row.organization_id)
    }

    /// Declines an invitation sent to `user`'s address.
    pub async fn decline_invitation(&self, user: &User, id: InvitationId, meta: &RequestMeta) -> Result<()> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let row = self.own_invitation(&mut tx, user, id).await?;
        if !store::end_invitation(tx.db(), id, InvitationEnd::Declined, now).await? {
            return Err(link_invalid());
        }
        let details = serde_json::json!({"event": "invitation_declined"});
        audit::record_in_org(
            tx.db(),
            now,
            AuditAction::MembershipChanged,
            Some(user.id),
            Some(user.id),
            row.organization_id,
            meta,
            details,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn own_invitation(&self, tx: &mut Tx, user: &User, id: InvitationId) -> Result<InvitationRow> {
        let email = EmailAddress::parse("email", &user.email)?;
        let row = store::invitation(tx.db(), id).await?;
        if row.email_lookup != email.lookup() {
            return Err(Error::NotFound);
        }
        Ok(row)
    }

    /// Creates an account through an invitation link: the link proves the address, so the
    /// account is verified at once (the password policy and the complete-profile step still
    /// apply), joins the organization with that one active, and is signed in. `locale` is the
    /// language the person registered in, kept as the account's (`None`: the default).
    pub async fn register_through_invitation(
        &self,
        token: &str,
        password: &SecretString,
        locale: Option<crate::i18n::Locale>,
        meta: &RequestMeta,
    ) -> Result<NewSession> {
        let admission = self.passwords().admit()?;
        let now = self.clock().now();
        if let Some(ip) = meta.ip {
            let mut tx = self.store().begin().await?;
            let limit = limits::register_per_ip(self.config().rate_limits.register_per_ip);
            rate_limit::hit(tx.db(), limit, &ip.to_string(), now).await?;
            tx.commit().await?;
        }
        let link = self.invitation_link(token).await?;
        if link.account_exists {
            return Err(Error::invalid(
                "email",
                "account_exists",
                "This address already has an account: sign in to accept the invitation.",
            ));
        }
        let email = EmailAddress::parse("email", &link.invitation.email)?;
        let personal = PersonalData { email: email.as_str(), ..PersonalData::default() };
        // The invitee joins the organization: its password-length override applies already.
        let policy = self.effective_password_policy(None, Some(link.invitation.organization_id)).await?;
        let password = self.check_password_against(&policy, password, &personal)?;
        let hash = admission.hash(&password).await?;

        let mut tx = self.store().begin().await?;
        let row =
            store::invitation_by_token(tx.db(), TokenDigest::of(token).as_bytes()).await?.ok_or_else(link_invalid)?;
        if !store::end_invitation(tx.db(), row.id, InvitationEnd::Accepted, now).await? {
            return Err(link_invalid());
        }
        let mut user_row =
            crate::accounts::new_user_row(&email, UserStatus::Active, Some(hash), (None, None), Some(now), now);
        user_row.locale = locale.map(|l| l.tag().to_owned());
        store_users::insert(tx.db(), &user_row).await.map_err(|e| match e {
            StoreError::Conflict { .. } => Error::invalid(
                "email",
                "account_exists",
                "This address already has an account: sign in to accept the invitation.",
            ),
            other => other.into(),
        })?;
        // Missing required profile data or agreements: the "complete your profile" step first.
        let status = crate::agreements::status_after_verification(self, tx.db(), &user_row).await?;
        store_users::mark_verified(tx.db(), user_row.id, status.as_str(), now).await?;
        store_users::touch_sign_in(tx.db(), user_row.id, now).await?;
        let user: User = store_users::get(tx.db(), user_row.id).await?.into();
        join(&mut tx, &row, user.id, now).await?;
        let session =
            sessions::create(self, &mut tx, user.clone(), SessionStage::Authenticated, &["pwd"], meta).await?;
        store::set_active(tx.db(), session.session.id, Some(row.organization_id)).await?;
        let id = Some(user.id);
        let details = serde_json::json!({"via": "invitation"});
        audit::record(tx.db(), now, AuditAction::Registered, id, id, meta, details.clone()).await?;
        audit::record(tx.db(), now, AuditAction::EmailVerified, id, id, meta, details).await?;
        let details = serde_json::json!({"event": "invitation_accepted", "role": row.role, "registered": true});
        audit::record_in_org(tx.db(), now, AuditAction::MembershipChanged, id, id, row.organization_id, meta, details)
            .await?;
        tx.commit().await?;
        let mut session = session;
        session.session.active_organization = Some(row.organization_id);
        Ok(session)
    }
}

/// Makes `user` a member with the invitation's role (an existing membership is kept as it is).
async fn join(tx: &mut Tx, row: &InvitationRow, user: UserId, now: OffsetDateTime) -> Result<()> {
    if store::membership(tx.db(), row.organization_id, user).await?.is_some() {
        return Ok(());
    }
    let m = MemberRow {
        organization_id: row.organization_id,
        user_id: user,
        kind: row.kind.clone(),
        role: row.role.clone(),
        created_at: now,
    };
    store::insert_member(tx.db(), &m).await?;
    Ok(())
}
