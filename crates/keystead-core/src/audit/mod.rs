//! The security audit log: every security event, with time, client address and user agent,
//! written in the same transaction as the change it records.

pub mod query;

use std::net::IpAddr;

use sqlx::types::Json;
use time::OffsetDateTime;

use crate::Core;
use crate::error::Result;
use crate::ids::{AuditEventId, UserId};
use crate::store::{Db, audit as store_audit};

/// Who is asking, as far as the network tells: attached to audit events and rate limits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestMeta {
    /// The client's address (from a trusted proxy's `X-Forwarded-For` where configured).
    pub ip: Option<IpAddr>,
    /// The `User-Agent` header, capped at 512 characters.
    pub user_agent: Option<String>,
    /// The credential an integration called with (`token:<id>` for a personal access token,
    /// `client:<client_id>` for an OAuth client's own token), so that the audit log says which
    /// integration made a change; `None` for a person's browser and the command line.
    pub via: Option<String>,
    /// The operator acting through the admin console: recorded as the actor of the events the
    /// request writes where the change names none (the operator's authority is `Actor::Operator`,
    /// which carries no account). Set only after the console checked the role.
    pub operator: Option<UserId>,
}

impl RequestMeta {
    /// Builds the metadata, bounding the user agent's length.
    pub fn new(ip: Option<IpAddr>, user_agent: Option<&str>) -> Self {
        Self { ip, user_agent: user_agent.map(|ua| ua.chars().take(512).collect()), via: None, operator: None }
    }

    /// For commands run by an operator on the server (the CLI).
    pub fn cli() -> Self {
        Self { ip: None, user_agent: Some("keystead-cli".to_owned()), via: None, operator: None }
    }

    /// The same request, made by `operator` in the admin console.
    #[must_use]
    pub fn by_operator(mut self, operator: UserId) -> Self {
        self.operator = Some(operator);
        self
    }
}

/// What happened. A closed set with stable names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    /// An account was created.
    Registered,
    /// An email address was proved.
    EmailVerified,
    /// A sign-in succeeded.
    SignedIn,
    /// A sign-in failed (wrong password, unknown or unverified account).
    SignInFailed,
    /// A session was ended by its user.
    SignedOut,
    /// A password reset link was asked for.
    PasswordResetRequested,
    /// The password was changed (by reset, by the user, or at an expiry prompt).
    PasswordChanged,
    /// Sign-in was throttled after repeated failures.
    Throttled,
    /// An operator disabled the account.
    Disabled,
    /// An operator enabled the account again.
    Enabled,
    /// An operator sent a new verification link.
    VerificationResent,
    /// The user changed personal details.
    ProfileUpdated,
    /// The user ended one or more of their sessions.
    SessionsRevoked,
    /// The user changed notification preferences.
    PreferencesChanged,
    /// The user changed the billing address.
    BillingAddressChanged,
    /// The user downloaded their data.
    DataExported,
    /// The user's email address changed.
    EmailChanged,
    /// An operator asked to change the user's address: a confirmation link went to the new one.
    EmailChangeRequested,
    /// The user closed the account (the grace period before the purge begins).
    Closed,
    /// The user reactivated a closed account during the grace period.
    Reactivated,
    /// The personal data of a closed account was deleted; only a tombstone remains.
    Purged,
    /// The user accepted an agreement version.
    AgreementAccepted,
    /// An operator published an agreement version.
    AgreementPublished,
    /// The user uploaded a profile picture.
    PictureChanged,
    /// The user removed their profile picture.
    PictureRemoved,
    /// A second factor was added (authenticator app, email codes, a passkey).
    MfaMethodAdded,
    /// A second factor was removed.
    MfaMethodRemoved,
    /// A new set of recovery codes was generated (the old set died).
    RecoveryCodesGenerated,
    /// A recovery code was used to sign in.
    RecoveryCodeUsed,
    /// The second sign-in step passed.
    SecondFactorPassed,
    /// A second-factor code or passkey was refused.
    SecondFactorFailed,
    /// An operator removed every second factor of the account.
    MfaReset,
    /// The user confirmed their identity again (password or second factor) for a sensitive step.
    Reauthenticated,
    /// An organization was created, renamed, reconfigured or deleted.
    OrganizationChanged,
    /// A member joined, left, was removed or changed role; an invitation was sent or answered.
    MembershipChanged,
    /// A group or its members changed.
    GroupChanged,
    /// A custom role was created or deleted.
    RoleChanged,
    /// The session's active organization changed.
    OrganizationSwitched,
    /// An operator registered an OAuth client.
    OAuthClientRegistered,
    /// An operator deleted an OAuth client (its consents, grants and tokens went with it).
    OAuthClientDeleted,
    /// An operator changed an OAuth client's registration.
    OAuthClientChanged,
    /// An operator gave an OAuth client a new secret.
    OAuthClientSecretRotated,
    /// The user authorized an application, or let it see more than before.
    AppAuthorized,
    /// The user revoked an application's access (My Account → Connected apps).
    AppRevoked,
    /// A spent authorization code or refresh token was presented again: the tokens of its grant
    /// were revoked (RFC 6749 §4.1.2, RFC 9700 §4.14.2).
    TokenReuseDetected,
    /// New signing keys were published (by the schedule or the operator).
    SigningKeysRotated,
    /// The operator retired a signing key early: it stopped signing at once and its successor
    /// took over.
    SigningKeyRetired,
    /// The operator changed the licensing catalogue (a product, download or plan).
    CatalogueChanged,
    /// A subscription was created, resized or ended.
    SubscriptionChanged,
    /// A license seat was assigned or unassigned.
    SeatChanged,
    /// A learning system recorded a course the user completed.
    CourseCompleted,
    /// The billing system issued an invoice or credit note, or changed its status.
    InvoiceRecorded,
    /// A desktop app activated a new machine for a product.
    MachineActivated,
    /// The user deactivated a machine (My Account → Licenses).
    MachineDeactivated,
    /// An offline license token was issued for a machine.
    LicenseTokenIssued,
    /// A product's briefcase was written or reset.
    BriefcaseChanged,
    /// An organization's SSO connection was added, removed, enabled or disabled, or its
    /// "members must use SSO" policy changed.
    SsoConnectionChanged,
    /// An identity at an identity provider was linked to an account.
    IdentityLinked,
    /// A linked identity was removed from an account.
    IdentityUnlinked,
    /// A personal access token was created.
    ApiTokenCreated,
    /// A personal access token was revoked.
    ApiTokenRevoked,
    /// A webhook endpoint was created, changed, had its secret rotated, or was deleted.
    WebhookChanged,
    /// An account was made an operator of the deployment.
    OperatorGranted,
    /// An account's operator role was taken away.
    OperatorRevoked,
    /// An operator put a failed email back in the outbox to be sent again.
    MailRetried,
}

impl AuditAction {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Registered => "user.registered",
            Self::EmailVerified => "user.email_verified",
            Self::SignedIn => "session.signed_in",
            Self::SignInFailed => "session.sign_in_failed",
            Self::SignedOut => "session.signed_out",
            Self::PasswordResetRequested => "user.password_reset_requested",
            Self::PasswordChanged => "user.password_changed",
            Self::Throttled => "user.throttled",
            Self::Disabled => "user.disabled",
            Self::Enabled => "user.enabled",
            Self::VerificationResent => "user.verification_resent",
            Self::ProfileUpdated => "user.profile_updated",
            Self::SessionsRevoked => "session.revoked",
            Self::PreferencesChanged => "user.preferences_changed",
            Self::BillingAddressChanged => "user.billing_address_changed",
            Self::DataExported => "user.data_exported",
            Self::EmailChanged => "user.email_changed",
            Self::EmailChangeRequested => "user.email_change_requested",
            Self::Closed => "user.closed",
            Self::Reactivated => "user.reactivated",
            Self::Purged => "user.purged",
            Self::AgreementAccepted => "user.agreement_accepted",
            Self::AgreementPublished => "agreement.published",
            Self::PictureChanged => "user.picture_changed",
            Self::PictureRemoved => "user.picture_removed",
            Self::MfaMethodAdded => "mfa.method_added",
            Self::MfaMethodRemoved => "mfa.method_removed",
            Self::RecoveryCodesGenerated => "mfa.recovery_codes_generated",
            Self::RecoveryCodeUsed => "mfa.recovery_code_used",
            Self::SecondFactorPassed => "session.second_factor_passed",
            Self::SecondFactorFailed => "session.second_factor_failed",
            Self::MfaReset => "mfa.reset",
            Self::Reauthenticated => "session.reauthenticated",
            Self::OrganizationChanged => "organization.changed",
            Self::MembershipChanged => "organization.membership_changed",
            Self::GroupChanged => "organization.group_changed",
            Self::RoleChanged => "organization.role_changed",
            Self::OrganizationSwitched => "session.organization_switched",
            Self::OAuthClientRegistered => "oauth.client_registered",
            Self::OAuthClientDeleted => "oauth.client_deleted",
            Self::OAuthClientChanged => "oauth.client_changed",
            Self::OAuthClientSecretRotated => "oauth.client_secret_rotated",
            Self::AppAuthorized => "oauth.app_authorized",
            Self::AppRevoked => "oauth.app_revoked",
            Self::TokenReuseDetected => "oauth.token_reuse_detected",
            Self::SigningKeysRotated => "oauth.signing_keys_rotated",
            Self::SigningKeyRetired => "oauth.signing_key_retired",
            Self::CatalogueChanged => "licensing.catalogue_changed",
            Self::SubscriptionChanged => "licensing.subscription_changed",
            Self::SeatChanged => "licensing.seat_changed",
            Self::CourseCompleted => "course.completed",
            Self::InvoiceRecorded => "invoice.recorded",
            Self::MachineActivated => "licensing.machine_activated",
            Self::MachineDeactivated => "licensing.machine_deactivated",
            Self::LicenseTokenIssued => "licensing.license_token_issued",
            Self::BriefcaseChanged => "licensing.briefcase_changed",
            Self::SsoConnectionChanged => "sso.connection_changed",
            Self::IdentityLinked => "user.identity_linked",
            Self::IdentityUnlinked => "user.identity_unlinked",
            Self::ApiTokenCreated => "api.token_created",
            Self::ApiTokenRevoked => "api.token_revoked",
            Self::WebhookChanged => "webhook.endpoint_changed",
            Self::OperatorGranted => "operator.granted",
            Self::OperatorRevoked => "operator.revoked",
            Self::MailRetried => "mail.retried",
        }
    }
}

/// An entry of the audit log.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditEvent {
    /// Its id.
    pub id: AuditEventId,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
    /// What (`session.signed_in`).
    pub action: String,
    /// Who did it, when a user did.
    pub actor: Option<UserId>,
    /// To whom.
    pub subject: Option<UserId>,
    /// In which organization's log, for an event that happened in one (not exported with the
    /// account's data: the organization is not the person's).
    #[serde(skip)]
    pub organization: Option<crate::ids::OrganizationId>,
    /// From which address.
    pub ip: Option<String>,
    /// With which user agent.
    pub user_agent: Option<String>,
    /// Anything else worth keeping.
    pub details: serde_json::Value,
}

/// Appends an event (and, in the same transaction, the webhook deliveries it causes).
/// `details` with the credential of `meta` as `via` (an object's own `via` is kept).
fn with_via(mut details: serde_json::Value, meta: &RequestMeta) -> serde_json::Value {
    if let (Some(via), Some(object)) = (&meta.via, details.as_object_mut()) {
        object.entry("via").or_insert_with(|| serde_json::Value::String(via.clone()));
    }
    details
}

pub(crate) async fn record(
    db: Db<'_>,
    now: OffsetDateTime,
    action: AuditAction,
    actor: Option<UserId>,
    subject: Option<UserId>,
    meta: &RequestMeta,
    details: serde_json::Value,
) -> Result<()> {
    let row = store_audit::AuditRow {
        id: AuditEventId::new(),
        occurred_at: now,
        action: action.as_str().to_owned(),
        actor_user_id: actor.or(meta.operator),
        subject_user_id: subject,
        organization_id: None,
        ip: meta.ip.map(|ip| ip.to_string()),
        user_agent: meta.user_agent.clone(),
        details: Json(with_via(details, meta)),
    };
    let mut db = db;
    store_audit::insert(db.reborrow(), &row).await?;
    crate::webhooks::queue_for(db, &row).await
}

/// Appends an event that happened in an organization (what its admins see in its log).
#[expect(clippy::too_many_arguments, reason = "one row's columns, each distinct")]
pub(crate) async fn record_in_org(
    db: Db<'_>,
    now: OffsetDateTime,
    action: AuditAction,
    actor: Option<UserId>,
    subject: Option<UserId>,
    organization: crate::ids::OrganizationId,
    meta: &RequestMeta,
    details: serde_json::Value,
) -> Result<()> {
    let row = store_audit::AuditRow {
        id: AuditEventId::new(),
        occurred_at: now,
        action: action.as_str().to_owned(),
        actor_user_id: actor.or(meta.operator),
        subject_user_id: subject,
        organization_id: Some(organization.0),
        ip: meta.ip.map(|ip| ip.to_string()),
        user_agent: meta.user_agent.clone(),
        details: Json(with_via(details, meta)),
    };
    let mut db = db;
    store_audit::insert(db.reborrow(), &row).await?;
    crate::webhooks::queue_for(db, &row).await
}

impl Core {
    /// The newest events about `user`.
    pub async fn audit_events_for(&self, user: UserId, limit: i64) -> Result<Vec<AuditEvent>> {
        let mut conn = self.store().conn().await?;
        let rows = store_audit::for_subject(conn.db(), user, limit.clamp(1, 1000)).await?;
        Ok(rows.into_iter().map(AuditEvent::from).collect())
    }
}
