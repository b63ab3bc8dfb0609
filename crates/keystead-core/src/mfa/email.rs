//! Email codes as a second factor: six digits, ten minutes, five attempts (the machinery of
//! `accounts::codes`), sent at most once a minute and ten times an hour. Turning them on needs
//! a verified address and a code sent to it.

use time::Duration;

use super::{Enabled, Method};
use crate::Core;
use crate::accounts::{User, codes};
use crate::audit::RequestMeta;
use crate::error::{Error, Result};
use crate::mail::{self, Notice};
use crate::rate_limit::{self, Limit};
use crate::sessions::SessionInfo;
use crate::store::mfa as store;

const ENABLE: &str = "mfa_email_enable";
const SIGN_IN: &str = "mfa_sign_in";
/// One code email a minute per account …
const COOLDOWN: Limit = Limit { bucket: "mfa_email_cooldown", max: 1, window: Duration::seconds(60) };
/// … and ten an hour.
const PER_HOUR: Limit = Limit { bucket: "mfa_email_hour", max: 10, window: Duration::hours(1) };

impl Core {
    /// Emails a code in the user's language; `why` is the id of the message introducing it.
    async fn send_mfa_code(&self, user: &User, purpose: &str, why: &str) -> Result<()> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        // The cooldown is per purpose: the sign-in right after turning codes on may send at once.
        rate_limit::hit(tx.db(), COOLDOWN, &format!("{}:{purpose}", user.id), now).await?;
        rate_limit::hit(tx.db(), PER_HOUR, &user.id.to_string(), now).await?;
        let code = codes::issue(self, &mut tx, user.id, purpose, serde_json::json!({})).await?;
        let site = self.site_name();
        let l = self.locale_of(user);
        let notice = Notice {
            locale: l,
            subject: l.t2("email-mfa-code-subject", "code", &code, "site", site),
            paragraphs: vec![l.t(why), code.clone(), l.t("email-code-10min")],
            action: None,
            after: vec![l.t("email-mfa-code-after")],
            brand: None,
        };
        mail::send_notice(self, &mut tx, &user.email, &notice).await?;
        // The rate-limit counters commit with the email: a refused send counts nothing.
        tx.commit().await?;
        Ok(())
    }

    /// Starts turning on email codes: sends a code to the (verified) address.
    pub async fn start_email_mfa(&self, session: &SessionInfo) -> Result<()> {
        let user = &session.user;
        if user.email_verified_at.is_none() {
            return Err(Error::invalid("code", "email_unverified", "Confirm your email address first."));
        }
        if self.mfa_status(user.id).await?.email {
            return Err(Error::invalid("code", "already_enabled", "Sign-in codes by email are already on."));
        }
        self.send_mfa_code(user, ENABLE, "email-mfa-code-enable").await
    }

    /// Turns email codes on with the code just sent.
    pub async fn confirm_email_mfa(&self, session: &SessionInfo, code: &str, meta: &RequestMeta) -> Result<Enabled> {
        let user = &session.user;
        super::reserve_code_check(self, user.id).await?;
        if let Err(e) = codes::redeem(self, user.id, ENABLE, code).await {
            if matches!(e, Error::Invalid(_)) {
                super::record_code_failure(self, user.id, Method::Email, meta).await?;
            }
            return Err(e);
        }
        let mut tx = self.store().begin().await?;
        let had_any = super::status_in(tx.db(), user.id).await?.enabled();
        if !store::enable_email(tx.db(), user.id, self.clock().now()).await? {
            return Err(Error::invalid("code", "already_enabled", "Sign-in codes by email are already on."));
        }
        super::reset_code_failures(tx.db(), user.id).await?;
        let enabled = super::after_enable(self, &mut tx, user, Method::Email, had_any, None, meta).await?;
        tx.commit().await?;
        Ok(enabled)
    }

    /// Turns email codes off (needs a recent sign-in).
    pub async fn disable_email_mfa(&self, session: &SessionInfo, meta: &RequestMeta) -> Result<()> {
        self.ensure_recent_authentication(session)?;
        let mut tx = self.store().begin().await?;
        if !store::disable_email(tx.db(), session.user.id).await? {
            return Err(Error::NotFound);
        }
        super::after_disable(self, &mut tx, &session.user, Method::Email, None, meta).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Emails a sign-in code to a user whose session waits for a second factor and who has
    /// email codes on.
    pub async fn send_sign_in_code(&self, session: &SessionInfo) -> Result<()> {
        self.ensure_pending(session)?;
        if !self.mfa_status(session.user.id).await?.email {
            return Err(Error::Forbidden);
        }
        self.send_mfa_code(&session.user, SIGN_IN, "email-mfa-code-sign-in").await
    }

    /// Checks an emailed sign-in code; `Err(Invalid)` with the reason when it is not right.
    pub(crate) async fn use_email_code(&self, user: &User, code: &str, meta: &RequestMeta) -> Result<()> {
        super::reserve_code_check(self, user.id).await?;
        if !self.mfa_status(user.id).await?.email {
            return Err(Error::invalid("code", "method_off", "Sign-in codes by email are not on for this account."));
        }
        match codes::redeem(self, user.id, SIGN_IN, code).await {
            Ok(_) => {
                let mut tx = self.store().begin().await?;
                store::touch_email(tx.db(), user.id, self.clock().now()).await?;
                tx.commit().await?;
                Ok(())
            }
            Err(e @ Error::Invalid(_)) => {
                super::record_code_failure(self, user.id, Method::Email, meta).await?;
                Err(e)
            }
            Err(e) => Err(e),
        }
    }
}
