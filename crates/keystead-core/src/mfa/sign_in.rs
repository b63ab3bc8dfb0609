//! The sign-in step after the password, the stage a fresh session starts in, and
//! re-authentication for sensitive changes.

use secrecy::{ExposeSecret, SecretString};
use time::Duration;

use super::{AMR_EMAIL, AMR_MFA, AMR_OTP, AMR_PASSWORD, AMR_RECOVERY, Method};
use crate::Core;
use crate::accounts::User;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Error, Result};
use crate::sessions::{SessionInfo, SessionStage};
use crate::store::{Db, mfa as store, users as store_users};

/// How long after the password the second step may be finished.
pub const PENDING_SECOND_FACTOR_TTL: Duration = Duration::minutes(10);

/// How a second-factor step ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecondFactorOutcome {
    /// The session's new stage (`Authenticated`, or `PasswordExpired` when the password must
    /// be changed next).
    pub stage: SessionStage,
    /// After a recovery code: how many are left.
    pub recovery_codes_left: Option<usize>,
}

/// The stage a session starts in after the password: a second factor when one is enrolled,
/// the setup of one when it is required and missing, the expired-password step, or signed in.
pub(crate) async fn stage_after_password(
    core: &Core,
    mut db: Db<'_>,
    user: &User,
    expired: bool,
) -> Result<SessionStage> {
    if super::status_in(db.reborrow(), user.id).await?.enabled() {
        return Ok(SessionStage::SecondFactorPending);
    }
    if expired {
        return Ok(SessionStage::PasswordExpired);
    }
    if super::required_for(core, db, user).await? {
        return Ok(SessionStage::MfaSetupRequired);
    }
    Ok(SessionStage::Authenticated)
}

fn with(amr: &[String], added: &[&str]) -> Vec<String> {
    let mut out = amr.to_vec();
    for a in added {
        if !out.iter().any(|x| x == a) {
            out.push((*a).to_owned());
        }
    }
    out
}

impl Core {
    /// `Err` unless the session waits for a second factor and the password step was recent.
    pub fn ensure_pending(&self, session: &SessionInfo) -> Result<()> {
        if session.stage != SessionStage::SecondFactorPending {
            return Err(Error::Forbidden);
        }
        if self.clock().now() - session.auth_time > PENDING_SECOND_FACTOR_TTL {
            return Err(Error::invalid(
                "code",
                "sign_in_expired",
                "Too much time has passed since you entered your password. Sign in again.",
            ));
        }
        Ok(())
    }

    /// Completes the second step with a code: from the authenticator app, an email, or a
    /// recovery code. Wrong, expired, replayed and malformed codes are refused with a reason
    /// and counted towards the account's code lock.
    pub async fn complete_second_factor(
        &self,
        session: &SessionInfo,
        method: Method,
        code: &str,
        meta: &RequestMeta,
    ) -> Result<SecondFactorOutcome> {
        self.ensure_pending(session)?;
        let user = &session.user;
        let status = self.mfa_status(user.id).await?;
        if !status.methods.contains(&method) || method == Method::Passkey {
            return Err(Error::invalid("code", "method_unavailable", "This method is not set up for your account."));
        }
        let (amr, left) = match method {
            Method::Totp => {
                if super::six_digits(code).is_none() {
                    return Err(Error::invalid("code", "malformed", "Enter the six digits your app shows."));
                }
                match self.use_totp_code(user.id, code, meta).await? {
                    super::totp::CodeCheck::Accepted => (AMR_OTP, None),
                    super::totp::CodeCheck::Replayed => {
                        return Err(Error::invalid(
                            "code",
                            "code_used",
                            "This code was used already. Wait for your app to show the next one.",
                        ));
                    }
                    super::totp::CodeCheck::Wrong => {
                        return Err(Error::invalid(
                            "code",
                            "wrong_code",
                            "That code is not right. Check the time on your phone and enter the code shown now.",
                        ));
                    }
                }
            }
            Method::Email => {
                self.use_email_code(user, code, meta).await?;
                (AMR_EMAIL, None)
            }
            Method::Recovery => match self.use_recovery_code(user.id, code, meta).await? {
                Some(left) => (AMR_RECOVERY, Some(left)),
                None => {
                    return Err(Error::invalid(
                        "code",
                        "wrong_code",
                        "That recovery code is not right, or it was used already.",
                    ));
                }
            },
            Method::Passkey => return Err(Error::Forbidden),
        };
        let stage = self.finish_second_factor(session, method, &[amr], meta).await?;
        Ok(SecondFactorOutcome { stage, recovery_codes_left: left })
    }

    /// Moves a pending session on after a second factor: records the methods, the time and
    /// the next stage. Also forgets the account's code failures.
    pub(crate) async fn finish_second_factor(
        &self,
        session: &SessionInfo,
        method: Method,
        amr: &[&str],
        meta: &RequestMeta,
    ) -> Result<SessionStage> {
        let user = &session.user;
        let now = self.clock().now();
        let policy = &self.config().password_policy;
        let expired = user.password_changed_at.is_some_and(|changed| policy.is_expired(changed, now));
        let stage = if expired { SessionStage::PasswordExpired } else { SessionStage::Authenticated };
        let mut added = amr.to_vec();
        added.push(AMR_MFA);
        let amr = with(&session.amr, &added);
        let mut tx = self.store().begin().await?;
        let idle_until = now + self.config().sessions.idle;
        store::advance_session(tx.db(), session.id, stage.as_str(), &amr.join(","), now, idle_until).await?;
        super::reset_code_failures(tx.db(), user.id).await?;
        let details = serde_json::json!({"method": method.as_str(), "amr": amr});
        audit::record(tx.db(), now, AuditAction::SecondFactorPassed, Some(user.id), Some(user.id), meta, details)
            .await?;
        tx.commit().await?;
        Ok(stage)
    }

    /// Confirms the signed-in user's identity again for a sensitive change: the password, or
    /// (for an account without one, or by choice) a code from the authenticator app. Restarts
    /// the [`super::REAUTH_WINDOW`]. Wrong passwords count towards the sign-in lock.
    pub async fn reauthenticate(
        &self,
        session: &SessionInfo,
        password: &SecretString,
        code: &str,
        meta: &RequestMeta,
    ) -> Result<()> {
        let user = &session.user;
        let now = self.clock().now();
        let row = {
            let mut conn = self.store().conn().await?;
            store_users::get(conn.db(), user.id).await?
        };
        let method = if !password.expose_secret().is_empty() {
            let Some(hash) = row.password_hash.as_deref() else {
                return Err(Error::invalid(
                    "password",
                    "no_password",
                    "Your account has no password: enter a code from your authenticator app.",
                ));
            };
            if !self.confirm_password(&row.email_lookup, hash, password.expose_secret()).await? {
                return Err(Error::invalid("password", "wrong_password", "That password is not right."));
            }
            AMR_PASSWORD
        } else if !code.trim().is_empty() {
            match self.use_totp_code(user.id, code, meta).await? {
                super::totp::CodeCheck::Accepted => AMR_OTP,
                _ => return Err(Error::invalid("code", "wrong_code", "That code is not right, or was used already.")),
            }
        } else {
            return Err(Error::invalid("password", "required", "Enter your password."));
        };
        let amr = with(&session.amr, &[method]);
        let mut tx = self.store().begin().await?;
        let idle_until = now + self.config().sessions.idle;
        store::advance_session(tx.db(), session.id, session.stage.as_str(), &amr.join(","), now, idle_until).await?;
        let details = serde_json::json!({"method": method});
        audit::record(tx.db(), now, AuditAction::Reauthenticated, Some(user.id), Some(user.id), meta, details).await?;
        tx.commit().await?;
        Ok(())
    }
}
