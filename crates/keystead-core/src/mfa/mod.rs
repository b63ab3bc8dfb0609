//! Two-factor authentication: the authenticator app (TOTP, RFC 6238), email codes, passkeys
//! (WebAuthn) and recovery codes; the sign-in step after the password; re-authentication for
//! sensitive changes; and the one rule deciding who must have a second factor.
//!
//! Authentication method references recorded on the session (`SessionInfo::amr`) use the
//! registered values of RFC 8176 §2 where one exists: `pwd` (password), `otp` (authenticator
//! app, RFC 4226/6238), `hwk` / `swk` (a passkey bound to hardware / a synced, software-held
//! passkey), `mfa` (more than one factor). RFC 8176 registers nothing for a code sent by
//! email or for a recovery code, so those are recorded as `email` and `recovery` (RFC 8176 §1
//! allows values outside the registry; consumers should treat them as opaque).

mod admin;
mod email;
mod passkeys;
pub(crate) mod recovery;
mod sign_in;
mod totp;

use time::{Duration, OffsetDateTime};

use crate::Core;
use crate::accounts::User;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Code, Error, Result};
use crate::ids::UserId;
use crate::mail::{self, Notice};
use crate::rate_limit::{self, Limit};
use crate::sessions::{self, SessionInfo};
use crate::store::{Db, Tx, mfa as store};

pub use passkeys::{PasskeyCeremony, PasskeyInfo};
pub use recovery::RECOVERY_CODE_COUNT;
pub(crate) use sign_in::stage_after_password;
pub use sign_in::{PENDING_SECOND_FACTOR_TTL, SecondFactorOutcome};
pub use totp::{TotpSetup, totp_code_at};

/// RFC 8176 `pwd`: a password.
pub const AMR_PASSWORD: &str = "pwd";
/// RFC 8176 `otp`: a one-time password from an authenticator app (RFC 6238).
pub const AMR_OTP: &str = "otp";
/// A code sent by email (no RFC 8176 value exists).
pub const AMR_EMAIL: &str = "email";
/// RFC 8176 `hwk`: proof of possession of a hardware-bound key (a device-bound passkey).
pub const AMR_HWK: &str = "hwk";
/// RFC 8176 `swk`: proof of possession of a software-held key (a synced passkey).
pub const AMR_SWK: &str = "swk";
/// A single-use recovery code (no RFC 8176 value exists).
pub const AMR_RECOVERY: &str = "recovery";
/// RFC 8176 `mfa`: more than one factor was used.
pub const AMR_MFA: &str = "mfa";

/// How long after a sign-in (or re-authentication) sensitive changes are allowed without
/// asking again: disabling a method, removing a passkey, new recovery codes.
pub const REAUTH_WINDOW: Duration = Duration::minutes(10);

/// Wrong codes per account before code checks are locked (progressively, as for passwords).
pub const CODE_FAILURES_PER_ACCOUNT: Limit = Limit { bucket: "mfa_failures", max: 5, window: Duration::minutes(15) };

/// A second-factor method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// An authenticator app (TOTP).
    Totp,
    /// A code sent by email.
    Email,
    /// A passkey.
    Passkey,
    /// A recovery code.
    Recovery,
}

impl Method {
    /// The stable name (`totp`), used in URLs, forms and audit details.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Totp => "totp",
            Self::Email => "email",
            Self::Passkey => "passkey",
            Self::Recovery => "recovery",
        }
    }

    /// Parses [`Method::as_str`]'s form.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Totp, Self::Email, Self::Passkey, Self::Recovery].into_iter().find(|m| m.as_str() == s)
    }

    /// What a person calls it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Totp => "Authenticator app",
            Self::Email => "Code by email",
            Self::Passkey => "Passkey",
            Self::Recovery => "Recovery code",
        }
    }
}

/// The assurance a session's methods reach, in the terms of NIST SP 800-63B §4 (the OAuth
/// provider maps it to `acr`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AssuranceLevel {
    /// No method recorded (should not be seen on a live session).
    None,
    /// One factor (a password).
    Aal1,
    /// Two factors: a password and a second factor, or a passkey with user verification.
    Aal2,
    /// Two factors including a hardware-bound (not synced) passkey with user verification.
    Aal3,
}

impl AssuranceLevel {
    /// The level reached by the methods in `amr`.
    pub fn of(amr: &[String]) -> Self {
        let has = |v: &str| amr.iter().any(|a| a == v);
        if amr.is_empty() {
            Self::None
        } else if has(AMR_HWK) && has(AMR_MFA) {
            Self::Aal3
        } else if has(AMR_MFA) {
            Self::Aal2
        } else {
            Self::Aal1
        }
    }

    /// `aal1`, `aal2`, `aal3` (`none`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Aal1 => "aal1",
            Self::Aal2 => "aal2",
            Self::Aal3 => "aal3",
        }
    }
}

/// What the user has enrolled.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct MfaStatus {
    /// An authenticator app is confirmed.
    pub totp: bool,
    /// Email codes are on.
    pub email: bool,
    /// Registered passkeys.
    pub passkeys: Vec<PasskeyInfo>,
    /// Unused recovery codes.
    pub recovery_codes_left: usize,
    /// The methods usable at sign-in, the most recently used first.
    pub methods: Vec<Method>,
}

impl MfaStatus {
    /// True when any second factor is enrolled.
    pub fn enabled(&self) -> bool {
        self.totp || self.email || !self.passkeys.is_empty()
    }
}

/// The user's enrolled methods, read in `db`.
pub(crate) async fn status_in(mut db: Db<'_>, user: UserId) -> Result<MfaStatus> {
    let totp = store::totp(db.reborrow(), user).await?.filter(|t| t.confirmed_at.is_some());
    let email = store::email(db.reborrow(), user).await?;
    let passkeys = store::passkeys(db.reborrow(), user).await?;
    let recovery = store::recovery_codes(db, user).await?;
    let mut ranked: Vec<(Method, Option<OffsetDateTime>)> = Vec::new();
    if let Some(t) = &totp {
        ranked.push((Method::Totp, t.last_used_at));
    }
    if let Some((_, last)) = email {
        ranked.push((Method::Email, last));
    }
    if !passkeys.is_empty() {
        ranked.push((Method::Passkey, passkeys.iter().filter_map(|p| p.last_used_at).max()));
    }
    // Most recently used first; never-used methods keep the order above (stable sort).
    ranked.sort_by_key(|r| std::cmp::Reverse(r.1));
    let mut methods: Vec<Method> = ranked.into_iter().map(|(m, _)| m).collect();
    let left = recovery.iter().filter(|r| r.used_at.is_none()).count();
    if !methods.is_empty() && left > 0 {
        methods.push(Method::Recovery);
    }
    Ok(MfaStatus {
        totp: totp.is_some(),
        email: email.is_some(),
        passkeys: passkeys.iter().map(PasskeyInfo::from).collect(),
        recovery_codes_left: left,
        methods,
    })
}

/// Whether `user` must have a second factor. The single place that decides it: the deployment
/// setting `mfa.required`, or "require MFA for members" of an organization the user belongs to.
/// Reads in `db`, the caller's connection or transaction.
pub(crate) async fn required_for(core: &Core, db: Db<'_>, user: &User) -> Result<bool> {
    if core.config().mfa.required {
        return Ok(true);
    }
    crate::organizations::requires_mfa(db, user.id).await
}

/// What enabling a method led to.
#[derive(Debug)]
pub struct Enabled {
    /// The method.
    pub method: Method,
    /// When this was the first method: the new recovery codes, to show once.
    pub recovery_codes: Option<Vec<String>>,
    /// True when every session of the user ended (the first method turns MFA on).
    pub signed_out: bool,
}

impl Core {
    /// What `user` has enrolled.
    pub async fn mfa_status(&self, user: UserId) -> Result<MfaStatus> {
        let mut conn = self.store().conn().await?;
        status_in(conn.db(), user).await
    }

    /// `Err(ReauthenticationRequired)` unless the session authenticated within
    /// [`REAUTH_WINDOW`].
    pub fn ensure_recent_authentication(&self, session: &SessionInfo) -> Result<()> {
        if self.clock().now() - session.auth_time <= REAUTH_WINDOW {
            Ok(())
        } else {
            Err(Error::Conflict(Code::ReauthenticationRequired))
        }
    }
}

/// After a method was added in `tx` (`had_any`: whether the user had one before): when it is
/// the first, recovery codes are generated and every session ends; in all cases the change is
/// audited and the user told.
pub(crate) async fn after_enable(
    core: &Core,
    tx: &mut Tx,
    user: &User,
    method: Method,
    had_any: bool,
    detail: Option<&str>,
    meta: &RequestMeta,
) -> Result<Enabled> {
    let now = core.clock().now();
    let recovery_codes = if had_any { None } else { Some(recovery::replace(core, tx, user.id).await?) };
    if !had_any {
        sessions::revoke_all(core, tx, user.id).await?;
    }
    let details = serde_json::json!({"method": method.as_str(), "name": detail, "first": !had_any});
    audit::record(tx.db(), now, AuditAction::MfaMethodAdded, Some(user.id), Some(user.id), meta, details).await?;
    let key = match (method, detail) {
        (Method::Passkey, Some(_)) => "email-mfa-passkey-added",
        (Method::Passkey, None) => "email-mfa-passkey-added-unnamed",
        (Method::Totp, _) => "email-mfa-totp-added",
        (Method::Email, _) => "email-mfa-email-added",
        (Method::Recovery, _) => "email-mfa-recovery-added",
    };
    let l = core.locale_of(user);
    let mut paragraphs = vec![what_changed(core, user, key, detail)];
    if !had_any {
        paragraphs.push(l.t("email-mfa-now-on"));
    }
    notify(core, tx, user, "email-mfa-changed-subject", paragraphs).await?;
    Ok(Enabled { method, recovery_codes, signed_out: !had_any })
}

/// After a method was removed in `tx`: when none is left, the recovery codes die too.
pub(crate) async fn after_disable(
    core: &Core,
    tx: &mut Tx,
    user: &User,
    method: Method,
    detail: Option<&str>,
    meta: &RequestMeta,
) -> Result<()> {
    let now = core.clock().now();
    let left = status_in(tx.db(), user.id).await?;
    if !left.enabled() {
        store::delete_recovery_codes(tx.db(), user.id).await?;
    }
    let details = serde_json::json!({"method": method.as_str(), "name": detail, "mfa_off": !left.enabled()});
    audit::record(tx.db(), now, AuditAction::MfaMethodRemoved, Some(user.id), Some(user.id), meta, details).await?;
    let key = match (method, detail) {
        (Method::Passkey, Some(_)) => "email-mfa-passkey-removed",
        (Method::Totp, _) => "email-mfa-totp-removed",
        (Method::Email, _) => "email-mfa-email-removed",
        _ => "email-mfa-removed",
    };
    let mut paragraphs = vec![what_changed(core, user, key, detail)];
    if !left.enabled() {
        paragraphs.push(core.locale_of(user).t("email-mfa-now-off"));
    }
    notify(core, tx, user, "email-mfa-changed-subject", paragraphs).await
}

/// "… your {site} account ({email}).": the message `key` in `user`'s language, with the
/// passkey's `name` when there is one.
fn what_changed(core: &Core, user: &User, key: &str, name: Option<&str>) -> String {
    let mut args = vec![("site", core.site_name().into()), ("email", (&user.email).into())];
    if let Some(name) = name {
        args.push(("name", name.into()));
    }
    core.locale_of(user).t_args(key, &args)
}

/// A security notice about a change of second factors, in `user`'s language: the subject is the
/// message `subject` (with `site`), the paragraphs are written in that language already.
pub(crate) async fn notify(
    core: &Core,
    tx: &mut Tx,
    user: &User,
    subject: &str,
    mut paragraphs: Vec<String>,
) -> Result<()> {
    let security = core.config().public_url.join("account/security").map_err(|e| Error::Internal(e.into()))?;
    let l = core.locale_of(user);
    paragraphs.push(l.t("email-nothing-to-do"));
    let notice = Notice {
        locale: l,
        subject: l.t1(subject, "site", core.site_name()),
        paragraphs,
        action: Some((l.t("email-mfa-action"), security.into())),
        after: vec![l.t("email-mfa-after")],
        brand: None,
    };
    mail::send_notice(core, tx, &user.email, &notice).await?;
    Ok(())
}

/// Reserves one code check for the account before the code is looked at: at most
/// [`CODE_FAILURES_PER_ACCOUNT`] checks get through however many arrive at once, then code
/// checks are locked progressively until a right code resets the count
/// ([`rate_limit::reserve`]). `Err(RateLimited)` while locked.
pub(crate) async fn reserve_code_check(core: &Core, user: UserId) -> Result<()> {
    let now = core.clock().now();
    let mut tx = core.store().begin().await?;
    rate_limit::reserve(tx.db(), CODE_FAILURES_PER_ACCOUNT, &user.to_string(), now).await?;
    tx.commit().await?;
    Ok(())
}

/// Records a wrong code in the audit log (it was counted when its check was reserved).
pub(crate) async fn record_code_failure(core: &Core, user: UserId, method: Method, meta: &RequestMeta) -> Result<()> {
    let now = core.clock().now();
    let mut tx = core.store().begin().await?;
    let details = serde_json::json!({"method": method.as_str()});
    audit::record(tx.db(), now, AuditAction::SecondFactorFailed, None, Some(user), meta, details).await?;
    tx.commit().await?;
    Ok(())
}

/// Forgets the account's code failures after a right code.
pub(crate) async fn reset_code_failures(db: Db<'_>, user: UserId) -> Result<()> {
    rate_limit::reset(db, CODE_FAILURES_PER_ACCOUNT, &user.to_string()).await
}

/// Keeps the digits of an entered code (spaces and dashes dropped); `None` unless exactly six.
pub(crate) fn six_digits(entered: &str) -> Option<String> {
    let digits: String = entered.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    (digits.len() == 6 && digits.chars().all(|c| c.is_ascii_digit())).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amr(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn assurance_follows_the_methods() {
        assert_eq!(AssuranceLevel::of(&amr(&["pwd"])), AssuranceLevel::Aal1);
        assert_eq!(AssuranceLevel::of(&amr(&["pwd", "otp", "mfa"])), AssuranceLevel::Aal2);
        assert_eq!(AssuranceLevel::of(&amr(&["swk", "mfa"])), AssuranceLevel::Aal2);
        assert_eq!(AssuranceLevel::of(&amr(&["hwk", "mfa"])), AssuranceLevel::Aal3);
        assert_eq!(AssuranceLevel::of(&[]), AssuranceLevel::None);
    }

    #[test]
    fn entered_codes_keep_only_six_digits() {
        assert_eq!(six_digits(" 123 456 ").as_deref(), Some("123456"));
        assert_eq!(six_digits("123-456").as_deref(), Some("123456"));
        assert_eq!(six_digits("12345"), None);
        assert_eq!(six_digits("12345a"), None);
        assert_eq!(six_digits("１２３４５６"), None);
    }

    #[test]
    fn methods_round_trip_their_names() {
        for m in [Method::Totp, Method::Email, Method::Passkey, Method::Recovery] {
            assert_eq!(Method::parse(m.as_str()), Some(m));
        }
        assert_eq!(Method::parse("sms"), None);
    }
}
