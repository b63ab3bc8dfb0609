//! The device authorization grant (RFC 8628): the device endpoint, the user code the person
//! types at `/device`, their decision, and polling with `authorization_pending`, `slow_down`,
//! `access_denied` and `expired_token`.

use time::OffsetDateTime;
use uuid::Uuid;

use super::clients::Client;
use super::scopes::Scopes;
use super::token::{TokenParams, TokenResponse};
use super::{DEVICE_CODE_TTL, DEVICE_INTERVAL_SECS, ErrorCode, GrantType, OAuthError, OAuthResult};
use crate::Core;
use crate::audit::RequestMeta;
use crate::crypto::{TokenDigest, new_token, random_bytes};
use crate::error::{Error, Result};
use crate::sessions::SessionInfo;
use crate::store::oauth::{self as store, DeviceRow};

/// Code lookups per account per 15 minutes: with 20^8 codes, guessing a live one is hopeless
/// (RFC 8628 §5.1).
const USER_CODE_LOOKUPS: crate::rate_limit::Limit =
    crate::rate_limit::Limit { bucket: "device_user_code", max: 20, window: time::Duration::minutes(15) };

/// Consonants only, no look-alikes (RFC 8628 §6.1): 20 letters, 8 of them ≈ 34.6 bits.
const USER_CODE_ALPHABET: &[u8; 20] = b"BCDFGHJKLMNPQRSTVWXZ";

/// The device authorization response (RFC 8628 §3.2).
#[derive(Debug, Clone, serde::Serialize)]
pub struct DeviceAuthorization {
    /// The device verification code.
    pub device_code: String,
    /// The code the person types, `XXXX-XXXX`.
    pub user_code: String,
    /// Where to type it.
    pub verification_uri: String,
    /// The same with the code filled in.
    pub verification_uri_complete: String,
    /// Seconds until the codes expire.
    pub expires_in: i64,
    /// Seconds between polls.
    pub interval: i64,
}

/// A pending request as shown on the `/device` page.
#[derive(Debug, Clone)]
pub struct PendingDevice {
    /// The application.
    pub client_name: String,
    /// What it asks for.
    pub scopes: Scopes,
    /// The user code, `XXXX-XXXX`.
    pub user_code: String,
}

/// `XXXX-XXXX` from 8 stored letters.
pub fn format_user_code(code: &str) -> String {
    match (code.len(), code.get(..4), code.get(4..)) {
        (8, Some(first), Some(second)) => format!("{first}-{second}"),
        _ => code.to_owned(),
    }
}

/// The stored form of what a person typed: letters only, upper case (RFC 8628 §6.1 says to
/// ignore punctuation and case).
pub fn normalize_user_code(typed: &str) -> String {
    typed.chars().filter(char::is_ascii_alphabetic).map(|c| c.to_ascii_uppercase()).take(16).collect()
}

fn new_user_code() -> anyhow::Result<String> {
    let mut raw = [0u8; 8];
    random_bytes(&mut raw)?;
    // 256 is not a multiple of 20: redraw bytes ≥ 240 to keep the letters uniform.
    let mut out = String::with_capacity(8);
    let mut i = 0;
    while out.len() < 8 {
        if i == raw.len() {
            random_bytes(&mut raw)?;
            i = 0;
        }
        let b = raw[i];
        i += 1;
        if b < 240 {
            out.push(char::from(USER_CODE_ALPHABET[usize::from(b % 20)]));
        }
    }
    Ok(out)
}

impl Core {
    /// The device authorization endpoint (RFC 8628 §3.1–3.2), after client authentication.
    pub async fn device_authorization(&self, client: &Client, scope: Option<&str>) -> OAuthResult<DeviceAuthorization> {
        if !client.allows(GrantType::DeviceCode) {
            return Err(OAuthError::new(ErrorCode::UnauthorizedClient, "this client may not use the device grant"));
        }
        let scopes = Scopes::parse_required(scope.unwrap_or(""))?;
        let now = self.clock().now();
        let device_code = new_token()?;
        let mut tx = self.store().begin().await?;
        let mut user_code = new_user_code()?;
        // A collision with a live code is unlikely (≈ 1 in 10^10 per pair); try again if so.
        for _ in 0..5 {
            if store::device_by_user_code(tx.db(), &user_code).await?.is_none() {
                break;
            }
            user_code = new_user_code()?;
        }
        let row = DeviceRow {
            id: Uuid::now_v7(),
            device_code_hash: device_code.digest.as_bytes().to_vec(),
            user_code: user_code.clone(),
            client_id: client.row_id,
            scope: scopes.to_string(),
            status: "pending".into(),
            interval_secs: DEVICE_INTERVAL_SECS,
            last_polled_at: None,
            user_id: None,
            session_id: None,
            auth_time: None,
            amr: None,
            created_at: now,
            expires_at: now + DEVICE_CODE_TTL,
        };
        store::insert_device(tx.db(), &row).await?;
        tx.commit().await?;
        let base = super::issuer(self);
        let shown = format_user_code(&user_code);
        Ok(DeviceAuthorization {
            device_code: secrecy::ExposeSecret::expose_secret(&device_code.secret).to_owned(),
            verification_uri: format!("{base}/device"),
            verification_uri_complete: format!("{base}/device?user_code={shown}"),
            user_code: shown,
            expires_in: DEVICE_CODE_TTL.whole_seconds(),
            interval: DEVICE_INTERVAL_SECS,
        })
    }

    /// The pending request for a user code typed by the signed-in user; `NotFound` for an
    /// unknown, expired or already decided one, `RateLimited` after too many lookups.
    pub async fn pending_device(&self, typed: &str, session: &SessionInfo) -> Result<PendingDevice> {
        let code = normalize_user_code(typed);
        let now = self.clock().now();
        let mut conn = self.store().conn().await?;
        crate::rate_limit::hit(conn.db(), USER_CODE_LOOKUPS, &session.user.id.to_string(), now).await?;
        if code.len() != 8 {
            return Err(Error::NotFound);
        }
        let row = store::device_by_user_code(conn.db(), &code).await?.ok_or(Error::NotFound)?;
        if row.status != "pending" || row.expires_at <= now {
            return Err(Error::NotFound);
        }
        let client = super::Client::from(store::client_by_row_id(conn.db(), row.client_id).await?);
        Ok(PendingDevice {
            client_name: client.name,
            scopes: Scopes::from_stored(&row.scope),
            user_code: format_user_code(&code),
        })
    }

    /// The signed-in user approves or denies a device request (RFC 8628 §3.3).
    pub async fn decide_device(
        &self,
        typed: &str,
        session: &SessionInfo,
        approve: bool,
        meta: &RequestMeta,
    ) -> Result<PendingDevice> {
        let pending = self.pending_device(typed, session).await?;
        let code = normalize_user_code(typed);
        let mut tx = self.store().begin().await?;
        let row = store::device_by_user_code(tx.db(), &code).await?.ok_or(Error::NotFound)?;
        let status = if approve { "approved" } else { "denied" };
        let amr = session.amr.join(",");
        if !store::decide_device(tx.db(), row.id, status, session.user.id, session.id, session.auth_time, &amr).await? {
            return Err(Error::NotFound);
        }
        if approve {
            let now = self.clock().now();
            let client = Client::from(store::client_by_row_id(tx.db(), row.client_id).await?);
            let granted = Scopes::from_stored(&row.scope);
            super::authorize::record_consent(&mut tx, session.user.id, &client, &granted, now, meta).await?;
        }
        tx.commit().await?;
        Ok(pending)
    }

    /// The device grant at the token endpoint (RFC 8628 §3.4–3.5).
    pub(crate) async fn exchange_device_code(&self, client: &Client, p: &TokenParams) -> OAuthResult<TokenResponse> {
        let code = p
            .device_code
            .as_deref()
            .filter(|s| !s.is_empty())
            .ok_or_else(|| OAuthError::new(ErrorCode::InvalidRequest, "device_code is required"))?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let Some(row) = store::device_by_hash(tx.db(), TokenDigest::of(code).as_bytes()).await? else {
            return Err(OAuthError::new(ErrorCode::InvalidGrant, "the device code is invalid"));
        };
        if row.client_id != client.row_id {
            return Err(OAuthError::new(ErrorCode::InvalidGrant, "the device code was issued to another client"));
        }
        if row.expires_at <= now {
            return Err(OAuthError::new(ErrorCode::ExpiredToken, "the device code has expired; start again"));
        }
        if let Some(err) = poll_error(&row, now) {
            let interval = if err.code == ErrorCode::SlowDown { row.interval_secs + 5 } else { row.interval_secs };
            store::device_polled(tx.db(), row.id, now, interval).await?;
            tx.commit().await?;
            return Err(err);
        }
        store::device_polled(tx.db(), row.id, now, row.interval_secs).await?;
        if !store::use_device(tx.db(), row.id).await? {
            return Err(OAuthError::new(ErrorCode::InvalidGrant, "the device code was already used"));
        }
        self.issue_for_device(client, &row, tx, p.dpop_jkt.as_deref()).await
    }
}

/// The answer to a poll that cannot have tokens yet: too soon, still pending, denied or used.
fn poll_error(row: &DeviceRow, now: OffsetDateTime) -> Option<OAuthError> {
    let too_soon = row.last_polled_at.is_some_and(|t| (now - t).whole_seconds() < row.interval_secs);
    match row.status.as_str() {
        _ if too_soon && row.status == "pending" => {
            Some(OAuthError::new(ErrorCode::SlowDown, "poll less often: wait `interval` seconds plus 5"))
        }
        "pending" => Some(OAuthError::new(ErrorCode::AuthorizationPending, "the user has not decided yet")),
        "denied" => Some(OAuthError::new(ErrorCode::AccessDenied, "the user denied the request")),
        "used" => Some(OAuthError::new(ErrorCode::InvalidGrant, "the device code was already used")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_codes_are_eight_unambiguous_letters_shown_in_two_groups() {
        let code = new_user_code().unwrap();
        assert_eq!(code.len(), 8);
        assert!(code.bytes().all(|b| USER_CODE_ALPHABET.contains(&b)), "{code}");
        assert_eq!(format_user_code("BCDFGHJK"), "BCDF-GHJK");
        // Eight bytes, but the fourth is inside a character: shown as it is, not a panic.
        assert_eq!(format_user_code("ABCÉDEF"), "ABCÉDEF");
        assert_eq!(normalize_user_code(" bcdf-ghjk "), "BCDFGHJK");
    }
}
