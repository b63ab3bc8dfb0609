//! Browser sessions: an opaque 256-bit token in a cookie, stored as its SHA-256, with a sliding
//! idle expiry and an absolute one, the authentication methods used, and a stage for steps the
//! user must finish before the session grants anything (a second factor, an expired password).

mod admin;

use secrecy::{ExposeSecret, SecretString};
use time::{Duration, OffsetDateTime};

use crate::Core;
use crate::accounts::User;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::crypto::{TokenDigest, new_token};
use crate::error::Result;
use crate::ids::{SessionId, UserId};
use crate::store::sessions::{self as store, SessionRow};
use crate::store::{Tx, users as store_users};

/// How far the session's user has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStage {
    /// Fully signed in.
    Authenticated,
    /// The password step passed; a second factor is still needed (the MFA feature creates these).
    SecondFactorPending,
    /// Signed in with a password that has passed its maximum age: it must be changed first.
    PasswordExpired,
    /// Signed in, but a second factor is required (`mfa::required_for`) and none is enrolled:
    /// only the setup pages are open.
    MfaSetupRequired,
}

impl SessionStage {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Authenticated => "authenticated",
            Self::SecondFactorPending => "second_factor_pending",
            Self::PasswordExpired => "password_expired",
            Self::MfaSetupRequired => "mfa_setup_required",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "authenticated" => Self::Authenticated,
            "password_expired" => Self::PasswordExpired,
            "mfa_setup_required" => Self::MfaSetupRequired,
            _ => Self::SecondFactorPending,
        }
    }
}

/// A live session with its user.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SessionInfo {
    /// The session's id (not its token).
    pub id: SessionId,
    /// The signed-in user.
    pub user: User,
    /// Its stage.
    pub stage: SessionStage,
    /// Authentication methods used (RFC 8176 values: `pwd`, `otp`, `hwk`, …).
    pub amr: Vec<String>,
    /// When the user last authenticated.
    #[serde(with = "time::serde::rfc3339")]
    pub auth_time: OffsetDateTime,
    /// When the session began.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last request seen.
    #[serde(with = "time::serde::rfc3339")]
    pub last_seen_at: OffsetDateTime,
    /// Client address at sign-in.
    pub ip: Option<String>,
    /// User agent at sign-in.
    pub user_agent: Option<String>,
    /// The assurance level the methods in `amr` reach (see [`crate::mfa::AssuranceLevel`]).
    pub assurance: crate::mfa::AssuranceLevel,
    /// The organization the session acts in (switched in My Account → Organizations).
    pub active_organization: Option<crate::ids::OrganizationId>,
}

/// A session just created: the token goes into the cookie once and is never stored.
#[derive(Debug)]
pub struct NewSession {
    /// The cookie value.
    pub token: SecretString,
    /// The session.
    pub session: SessionInfo,
}

/// Slide the idle expiry at most this often, so that page views do not each write.
const TOUCH_EVERY: Duration = Duration::minutes(1);

fn info(row: SessionRow, user: User) -> SessionInfo {
    let amr: Vec<String> = row.amr.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect();
    SessionInfo {
        id: row.id,
        user,
        stage: SessionStage::parse(&row.stage),
        assurance: crate::mfa::AssuranceLevel::of(&amr),
        amr,
        auth_time: row.auth_time,
        created_at: row.created_at,
        last_seen_at: row.last_seen_at,
        ip: row.ip,
        user_agent: row.user_agent,
        active_organization: row.active_organization_id,
    }
}

/// Creates a session for `user` in `tx`.
pub(crate) async fn create(
    core: &Core,
    tx: &mut Tx,
    user: User,
    stage: SessionStage,
    amr: &[&str],
    meta: &RequestMeta,
) -> Result<NewSession> {
    let now = core.clock().now();
    let cfg = &core.config().sessions;
    let token = new_token()?;
    let row = SessionRow {
        id: SessionId::new(),
        token_hash: token.digest.as_bytes().to_vec(),
        user_id: user.id,
        stage: stage.as_str().to_owned(),
        amr: amr.join(","),
        auth_time: now,
        created_at: now,
        last_seen_at: now,
        // A session waiting for its second factor is not kept for days: the step must finish
        // within `mfa::PENDING_SECOND_FACTOR_TTL` (checked, with a message), and the row goes
        // within the hour.
        idle_expires_at: if stage == SessionStage::SecondFactorPending {
            now + Duration::hours(1)
        } else {
            now + cfg.idle
        },
        absolute_expires_at: now + cfg.absolute,
        ip: meta.ip.map(|ip| ip.to_string()),
        user_agent: meta.user_agent.clone(),
        // The organization the user last chose in My Account, while they still belong to it
        // (none: the pages fall back to the first by name).
        active_organization_id: crate::store::organizations::last_chosen_org(tx.db(), user.id).await?,
    };
    store::insert(tx.db(), &row).await?;
    Ok(NewSession { token: token.secret, session: info(row, user) })
}

impl Core {
    /// The live session for a cookie value, sliding its idle expiry. `None` for an unknown,
    /// expired or malformed token, or when the user may no longer sign in.
    pub async fn session_from_token(&self, token: &str) -> Result<Option<SessionInfo>> {
        if token.is_empty() || token.len() > 128 {
            return Ok(None);
        }
        let now = self.clock().now();
        let mut conn = self.store().conn().await?;
        let Some(row) = store::find_live(conn.db(), TokenDigest::of(token).as_bytes(), now).await? else {
            return Ok(None);
        };
        let user: User = store_users::get(conn.db(), row.user_id).await?.into();
        if !user.status.may_sign_in() {
            return Ok(None);
        }
        // A session waiting for its second factor keeps its short expiry.
        if now - row.last_seen_at >= TOUCH_EVERY && row.stage != SessionStage::SecondFactorPending.as_str() {
            store::touch(conn.db(), row.id, now, now + self.config().sessions.idle).await?;
        }
        Ok(Some(info(row, user)))
    }

    /// Ends one session (sign-out).
    pub async fn sign_out(&self, session: &SessionInfo, meta: &RequestMeta) -> Result<()> {
        let mut tx = self.store().begin().await?;
        store::delete(tx.db(), session.id).await?;
        crate::oauth::logout::session_ended(self, &mut tx, session.id).await?;
        let now = self.clock().now();
        audit::record(
            tx.db(),
            now,
            AuditAction::SignedOut,
            Some(session.user.id),
            Some(session.user.id),
            meta,
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends one of the signed-in user's own sessions. Another user's session id is `NotFound`.
    pub async fn revoke_session(&self, current: &SessionInfo, target: SessionId, meta: &RequestMeta) -> Result<()> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let mine = store::list_for_user(tx.db(), current.user.id, now).await?.iter().any(|s| s.id == target);
        if !mine {
            return Err(crate::Error::NotFound);
        }
        store::delete(tx.db(), target).await?;
        crate::oauth::logout::session_ended(self, &mut tx, target).await?;
        let details = serde_json::json!({"sessions": 1});
        audit::record(
            tx.db(),
            now,
            AuditAction::SessionsRevoked,
            Some(current.user.id),
            Some(current.user.id),
            meta,
            details,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends every session of the user except `current`; returns how many ended.
    pub async fn revoke_other_sessions(&self, current: &SessionInfo, meta: &RequestMeta) -> Result<u64> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let n = revoke_others(self, &mut tx, current.user.id, current.id).await?;
        let details = serde_json::json!({"sessions": n, "others": true});
        audit::record(
            tx.db(),
            now,
            AuditAction::SessionsRevoked,
            Some(current.user.id),
            Some(current.user.id),
            meta,
            details,
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// The user's live sessions, newest first.
    pub async fn sessions_of(&self, user: UserId) -> Result<Vec<SessionInfo>> {
        let mut conn = self.store().conn().await?;
        let u: User = store_users::get(conn.db(), user).await?.into();
        let rows = store::list_for_user(conn.db(), user, self.clock().now()).await?;
        Ok(rows.into_iter().map(|r| info(r, u.clone())).collect())
    }
}

/// Ends every session of a user, in `tx`, telling the applications signed in through them
/// (back-channel logout); returns how many ended.
pub(crate) async fn revoke_all(core: &Core, tx: &mut Tx, user: UserId) -> Result<u64> {
    let live = store::list_for_user(tx.db(), user, core.clock().now()).await?;
    let n = store::delete_for_user(tx.db(), user).await?;
    for s in live {
        crate::oauth::logout::session_ended(core, tx, s.id).await?;
    }
    Ok(n)
}

/// Moves a session to a new stage with more methods.
pub(crate) async fn advance(tx: &mut Tx, session: SessionId, stage: SessionStage, amr: &[String]) -> Result<()> {
    store::set_stage(tx.db(), session, stage.as_str(), &amr.join(",")).await?;
    Ok(())
}

/// A readable device name from a user agent, in English (the API's `device`): browser and
/// operating system.
pub fn device_name(user_agent: Option<&str>) -> String {
    device_name_in(user_agent, crate::i18n::Locale::En)
}

/// A readable device name from a user agent in `locale` ("Chrome unter Windows"): the browser
/// and the operating system keep their names, the words around them are translated.
pub fn device_name_in(user_agent: Option<&str>, locale: crate::i18n::Locale) -> String {
    let Some(ua) = user_agent.filter(|u| !u.is_empty()) else { return locale.t("device-unknown") };
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
        ("keystead-cli", "Keystead CLI"),
    ]
    .iter()
    .find(|(needle, _)| ua.contains(needle))
    .map(|(_, name)| (*name).to_owned());
    let browser = browser.unwrap_or_else(|| locale.t("device-browser"));
    let os = [
        ("Windows", "Windows"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Android", "Android"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(needle, _)| ua.contains(needle))
    .map(|(_, name)| *name);
    match os {
        Some(os) => locale.t2("device-on", "browser", browser, "os", os),
        None => browser,
    }
}

/// The cookie value, exposed only to set the cookie.
pub fn cookie_value(session: &NewSession) -> &str {
    session.token.expose_secret()
}

/// Ends every session of a user but `keep`, in `tx`, telling the applications signed in
/// through them (back-channel logout); returns how many ended.
pub(crate) async fn revoke_others(core: &Core, tx: &mut Tx, user: UserId, keep: SessionId) -> Result<u64> {
    let live = store::list_for_user(tx.db(), user, core.clock().now()).await?;
    let n = store::delete_others(tx.db(), user, keep).await?;
    for s in live.into_iter().filter(|s| s.id != keep) {
        crate::oauth::logout::session_ended(core, tx, s.id).await?;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    #[test]
    fn devices_are_named_from_the_user_agent() {
        let chrome =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
        assert_eq!(super::device_name(Some(chrome)), "Chrome on Linux");
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        assert_eq!(super::device_name(Some(iphone)), "Safari on iPhone");
        assert_eq!(super::device_name(None), "Unknown device");
        use crate::i18n::Locale;
        assert_eq!(super::device_name_in(Some(chrome), Locale::De), "Chrome unter Linux");
        assert_eq!(super::device_name_in(Some(iphone), Locale::Tr), "iPhone üzerinde Safari");
        assert_eq!(super::device_name_in(None, Locale::Tr), "Bilinmeyen cihaz");
        assert_eq!(super::device_name_in(Some("Mozilla/5.0 (Windows NT 10.0)"), Locale::De), "Browser unter Windows");
    }
}
