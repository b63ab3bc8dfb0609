//! Everything an operator reads about one account on its console page (`/admin/users/{id}`):
//! the record, whether it holds the operator role, its sessions, second factors, linked
//! identities, organizations, licenses, authorized applications and the latest audit events
//! about it with who made them. Operator only: the reads it gathers answer anyone.

use super::directory::AccountRecord;
use crate::Core;
use crate::audit::AuditEvent;
use crate::error::Result;
use crate::ids::{OrganizationId, UserId};
use crate::licensing::HeldLicense;
use crate::mfa::MfaStatus;
use crate::oauth::apps::ConnectedApp;
use crate::organizations::{Actor, MemberKind};
use crate::sessions::SessionInfo;
use crate::sso::LinkedIdentity;
use crate::store::{audit as store_audit, operators as store_operators, organizations as store_orgs};

/// How many audit events the dossier lists, newest first.
pub const DOSSIER_EVENTS: i64 = 50;

/// An organization the account belongs to.
#[derive(Debug, Clone)]
pub struct AccountMembership {
    /// The organization.
    pub organization: OrganizationId,
    /// Its name.
    pub name: String,
    /// Its short name.
    pub slug: String,
    /// Member or guest.
    pub kind: MemberKind,
    /// The account's role there (a built-in role's key, or a custom role's name).
    pub role: String,
}

/// An audit event about the account, with the address of whoever made it.
#[derive(Debug, Clone)]
pub struct DossierEvent {
    /// The event.
    pub event: AuditEvent,
    /// The actor's address (`None`: no account acted, or it was purged).
    pub actor_email: Option<String>,
}

/// What the console shows about one account.
#[derive(Debug, Clone)]
pub struct AccountDossier {
    /// The account with its personal details.
    pub record: AccountRecord,
    /// True when the account holds the operator role.
    pub operator: bool,
    /// Its live sessions, newest first.
    pub sessions: Vec<SessionInfo>,
    /// Its second factors.
    pub mfa: MfaStatus,
    /// Identities at other providers (social sign-in, organizations' SSO).
    pub identities: Vec<LinkedIdentity>,
    /// Its organizations, by name.
    pub organizations: Vec<AccountMembership>,
    /// The licenses it holds now.
    pub licenses: Vec<HeldLicense>,
    /// The applications it authorized, most recent first.
    pub apps: Vec<ConnectedApp>,
    /// The latest [`DOSSIER_EVENTS`] audit events about it, newest first.
    pub events: Vec<DossierEvent>,
}

impl Core {
    /// The whole picture of an account for an operator (operator only; `NotFound` for an
    /// unknown id).
    pub async fn account_dossier(&self, actor: Actor, id: UserId) -> Result<AccountDossier> {
        actor.require_operator()?;
        let record = self.user_within(actor, None, id).await?;
        let sessions = self.user_sessions(actor, id).await?;
        let mfa = self.mfa_status(id).await?;
        let identities = self.linked_identities(id).await?;
        let licenses = self.licenses_of(id).await?;
        let now = self.clock().now();
        let mut conn = self.store().conn().await?;
        let operator = store_operators::is_operator(conn.db(), id).await?;
        let organizations = store_orgs::orgs_of_user(conn.db(), id)
            .await?
            .into_iter()
            .map(|r| AccountMembership {
                organization: r.organization_id,
                name: r.name,
                slug: r.slug,
                kind: MemberKind::parse(&r.kind),
                role: r.role,
            })
            .collect();
        let apps = crate::oauth::apps::apps_of(conn.db(), id, now).await?;
        let events = store_audit::for_subject_with_actor(conn.db(), id, DOSSIER_EVENTS)
            .await?
            .into_iter()
            .map(|r| DossierEvent { event: r.event.into(), actor_email: r.actor_email })
            .collect();
        Ok(AccountDossier { record, operator, sessions, mfa, identities, organizations, licenses, apps, events })
    }
}
