//! Passkeys (WebAuthn Level 3, through webauthn-rs): registration (named, listed, removable),
//! use as a second factor, and passwordless sign-in with discoverable credentials. Ceremony
//! state lives in the database so that any node can finish what another started; each
//! ceremony is bound to its purpose (and session) and can be finished once.
//!
//! WebAuthn needs a domain as relying-party id (§5.1.4 of the specification): a deployment
//! addressed by an IP address (`public_url = "http://127.0.0.1:8080/"`) cannot offer passkeys.

use sqlx::types::Json;
use time::{Duration, OffsetDateTime};
use webauthn_rs::prelude::{
    DiscoverableAuthentication, Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, Webauthn, WebauthnBuilder, WebauthnError,
};

use super::{AMR_HWK, AMR_MFA, AMR_SWK, Enabled, Method, SecondFactorOutcome};
use crate::Core;
use crate::accounts::{User, UserStatus};
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Code, Error, Result};
use crate::ids::UserId;
use crate::rate_limit::{self, limits};
use crate::sessions::{self, NewSession, SessionInfo, SessionStage};
use crate::store::mfa::{self as store, CeremonyRow, PasskeyRow};
use crate::store::users as store_users;

/// How long a ceremony may take (the browser's own timeout is 5 minutes).
const CEREMONY_TTL: Duration = Duration::minutes(5);
const REGISTER: &str = "register";
const SECOND_FACTOR: &str = "second_factor";
const SIGN_IN: &str = "sign_in";
/// Longest passkey name.
const NAME_MAX: usize = 64;

/// A registered passkey, as listed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PasskeyInfo {
    /// Its id (for removal).
    pub id: uuid::Uuid,
    /// The name the user gave it.
    pub name: String,
    /// When it was added.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When it was last used to sign in.
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_used_at: Option<OffsetDateTime>,
    /// True when the authenticator said the key may be synced to other devices.
    pub synced: bool,
}

impl From<&PasskeyRow> for PasskeyInfo {
    fn from(r: &PasskeyRow) -> Self {
        let synced = r.passkey.0.pointer("/cred/backup_eligible").and_then(serde_json::Value::as_bool).unwrap_or(false);
        Self { id: r.id, name: r.name.clone(), created_at: r.created_at, last_used_at: r.last_used_at, synced }
    }
}

/// A ceremony started: its id goes back with the browser's answer; the options are the JSON
/// for `navigator.credentials.create()` / `.get()` (`{"publicKey": …}`, binary as base64url).
#[derive(Debug, Clone)]
pub struct PasskeyCeremony {
    /// The ceremony's id.
    pub id: uuid::Uuid,
    /// The options, as JSON.
    pub options: String,
}

fn bad(message: &str) -> Error {
    Error::invalid("credential", "passkey_refused", message)
}

/// A clear sentence for a refused WebAuthn answer.
fn refused(e: &WebauthnError) -> Error {
    match e {
        WebauthnError::MismatchedChallenge | WebauthnError::ChallengeNotFound => {
            bad("This answer belongs to another passkey request. Start again.")
        }
        WebauthnError::InvalidRPOrigin | WebauthnError::InvalidRPIDHash => {
            bad("This answer was made for another website. Start again on this page.")
        }
        WebauthnError::UserNotVerified => bad("The passkey did not verify you (PIN or biometrics). Try again."),
        WebauthnError::CredentialNotFound | WebauthnError::InvalidUserUniqueId => {
            bad("This passkey is not registered to your account, or it was removed.")
        }
        _ => bad("The passkey's answer could not be verified. Start again."),
    }
}

fn parse_ceremony(id: &str) -> Result<uuid::Uuid> {
    uuid::Uuid::parse_str(id.trim()).map_err(|_| bad("This passkey request is not valid. Start again."))
}

fn json_err(e: &serde_json::Error) -> Error {
    tracing::debug!(error = %e, "unreadable WebAuthn answer");
    bad("The browser's answer could not be read. Start again.")
}

fn internal(e: impl std::fmt::Display) -> Error {
    Error::Internal(anyhow::anyhow!("webauthn: {e}"))
}

fn clean_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid("name", "required", "Give the passkey a name, such as the device it is on."));
    }
    if name.chars().count() > NAME_MAX {
        let mut errors = crate::FieldErrors::new();
        errors.add_with(
            "name",
            "too_long",
            format!("Use at most {NAME_MAX} characters."),
            vec![("max", NAME_MAX.to_string())],
        );
        return Err(Error::Invalid(errors));
    }
    if name.chars().any(char::is_control) {
        return Err(Error::invalid("name", "invalid", "Remove the control characters."));
    }
    Ok(name.to_owned())
}

fn amr_for(backup_eligible: bool) -> &'static str {
    if backup_eligible { AMR_SWK } else { AMR_HWK }
}

impl Core {
    /// The WebAuthn relying party for `public_url`, or `None` when it is not a domain.
    fn webauthn(&self) -> Result<Option<Webauthn>> {
        let url = &self.config().public_url;
        let Some(domain) = url.domain() else { return Ok(None) };
        let builder = WebauthnBuilder::new(domain, url).map_err(internal)?.rp_name(self.site_name());
        Ok(Some(builder.build().map_err(internal)?))
    }

    fn require_webauthn(&self) -> Result<Webauthn> {
        self.webauthn()?.ok_or_else(|| {
            bad("Passkeys need this server to be reached by a domain name (public_url), not an IP address.")
        })
    }

    /// True when passkeys can be used here (`public_url` names a domain).
    pub fn passkeys_available(&self) -> bool {
        self.config().public_url.domain().is_some()
    }

    async fn save_ceremony(
        &self,
        purpose: &str,
        user: Option<UserId>,
        session: Option<&SessionInfo>,
        state: serde_json::Value,
    ) -> Result<uuid::Uuid> {
        let now = self.clock().now();
        let row = CeremonyRow {
            id: uuid::Uuid::now_v7(),
            user_id: user,
            session_id: session.map(|s| s.id),
            purpose: purpose.to_owned(),
            state: Json(state),
            created_at: now,
            expires_at: now + CEREMONY_TTL,
        };
        let mut tx = self.store().begin().await?;
        store::insert_ceremony(tx.db(), &row).await?;
        tx.commit().await?;
        Ok(row.id)
    }

    /// Takes the ceremony out (once); for a session's ceremony, it must be that session's.
    async fn take_ceremony(&self, id: &str, purpose: &str, session: Option<&SessionInfo>) -> Result<CeremonyRow> {
        let id = parse_ceremony(id)?;
        let mut tx = self.store().begin().await?;
        let row = store::take_ceremony(tx.db(), id, purpose, self.clock().now()).await?;
        tx.commit().await?;
        let row = row.ok_or_else(|| bad("This passkey request has expired or was used already. Start again."))?;
        if let Some(s) = session
            && (row.session_id != Some(s.id) || row.user_id != Some(s.user.id))
        {
            return Err(bad("This passkey request belongs to another sign-in. Start again."));
        }
        Ok(row)
    }

    /// Starts registering a passkey called `name` for the signed-in user.
    pub async fn start_passkey_registration(&self, session: &SessionInfo, name: &str) -> Result<PasskeyCeremony> {
        let name = clean_name(name)?;
        let webauthn = self.require_webauthn()?;
        let user = &session.user;
        let existing = {
            let mut conn = self.store().conn().await?;
            store::passkeys(conn.db(), user.id).await?
        };
        let exclude = existing.iter().map(|p| p.credential_id.clone()).collect::<Vec<_>>();
        let (options, state) = webauthn
            .start_passkey_registration(user.id.0, &user.email, &user.display_name(), Some(exclude))
            .map_err(internal)?;
        let mut options = serde_json::to_value(&options).map_err(internal)?;
        // Passwordless sign-in needs a discoverable credential ("resident key"); the server side
        // of the ceremony does not depend on it.
        if let Some(sel) = options.pointer_mut("/publicKey/authenticatorSelection").and_then(|s| s.as_object_mut()) {
            sel.insert("residentKey".to_owned(), serde_json::json!("required"));
            sel.insert("requireResidentKey".to_owned(), serde_json::json!(true));
        }
        let state = serde_json::json!({"name": name, "registration": state});
        let id = self.save_ceremony(REGISTER, Some(user.id), Some(session), state).await?;
        Ok(PasskeyCeremony { id, options: options.to_string() })
    }

    /// Finishes a registration with the browser's answer (JSON). An answer for another
    /// challenge, origin or session registers nothing.
    pub async fn finish_passkey_registration(
        &self,
        session: &SessionInfo,
        ceremony: &str,
        credential: &str,
        meta: &RequestMeta,
    ) -> Result<Enabled> {
        let webauthn = self.require_webauthn()?;
        let row = self.take_ceremony(ceremony, REGISTER, Some(session)).await?;
        let name = row.state.0.get("name").and_then(|n| n.as_str()).unwrap_or("Passkey").to_owned();
        let state: PasskeyRegistration =
            serde_json::from_value(row.state.0.get("registration").cloned().unwrap_or_default()).map_err(internal)?;
        let answer: RegisterPublicKeyCredential = serde_json::from_str(credential).map_err(|e| json_err(&e))?;
        let passkey = webauthn.finish_passkey_registration(&answer, &state).map_err(|e| refused(&e))?;
        let user = &session.user;
        let now = self.clock().now();
        let new = PasskeyRow {
            id: uuid::Uuid::now_v7(),
            user_id: user.id,
            credential_id: passkey.cred_id().to_vec(),
            name: name.clone(),
            passkey: Json(serde_json::to_value(&passkey).map_err(internal)?),
            created_at: now,
            last_used_at: None,
        };
        let mut tx = self.store().begin().await?;
        let had_any = super::status_in(tx.db(), user.id).await?.enabled();
        match store::insert_passkey(tx.db(), &new).await {
            Ok(()) => {}
            Err(crate::store::StoreError::Conflict { .. }) => return Err(bad("This passkey is registered already.")),
            Err(e) => return Err(e.into()),
        }
        let enabled = super::after_enable(self, &mut tx, user, Method::Passkey, had_any, Some(&name), meta).await?;
        tx.commit().await?;
        Ok(enabled)
    }

    /// Removes one of the user's passkeys (needs a recent sign-in).
    pub async fn remove_passkey(&self, session: &SessionInfo, id: uuid::Uuid, meta: &RequestMeta) -> Result<()> {
        self.ensure_recent_authentication(session)?;
        let user = &session.user;
        let mut tx = self.store().begin().await?;
        let name = store::passkeys(tx.db(), user.id).await?.into_iter().find(|p| p.id == id).map(|p| p.name);
        if !store::delete_passkey(tx.db(), user.id, id).await? {
            return Err(Error::NotFound);
        }
        super::after_disable(self, &mut tx, user, Method::Passkey, name.as_deref(), meta).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Starts the second step with one of the user's passkeys.
    pub async fn start_passkey_second_factor(&self, session: &SessionInfo) -> Result<PasskeyCeremony> {
        self.ensure_pending(session)?;
        let webauthn = self.require_webauthn()?;
        let rows = {
            let mut conn = self.store().conn().await?;
            store::passkeys(conn.db(), session.user.id).await?
        };
        if rows.is_empty() {
            return Err(bad("You have no passkey. Choose another way to sign in."));
        }
        let keys: Vec<Passkey> = rows
            .iter()
            .map(|r| serde_json::from_value(r.passkey.0.clone()))
            .collect::<Result<_, _>>()
            .map_err(internal)?;
        let (options, state) = webauthn.start_passkey_authentication(&keys).map_err(internal)?;
        let state = serde_json::to_value(&state).map_err(internal)?;
        let id = self.save_ceremony(SECOND_FACTOR, Some(session.user.id), Some(session), state).await?;
        Ok(PasskeyCeremony { id, options: serde_json::to_string(&options).map_err(internal)? })
    }

    /// Finishes the second step with the browser's answer.
    pub async fn finish_passkey_second_factor(
        &self,
        session: &SessionInfo,
        ceremony: &str,
        credential: &str,
        meta: &RequestMeta,
    ) -> Result<SecondFactorOutcome> {
        self.ensure_pending(session)?;
        let webauthn = self.require_webauthn()?;
        let row = self.take_ceremony(ceremony, SECOND_FACTOR, Some(session)).await?;
        let state: PasskeyAuthentication = serde_json::from_value(row.state.0).map_err(internal)?;
        let answer: PublicKeyCredential = serde_json::from_str(credential).map_err(|e| json_err(&e))?;
        // Reserved once the answer is well formed, just before the signature is checked.
        super::reserve_code_check(self, session.user.id).await?;
        let result = async {
            // A passkey removed since the request started must not work.
            let stored = self.stored_passkey(answer.get_credential_id()).await?;
            let stored = stored
                .filter(|(r, _)| r.user_id == session.user.id)
                .ok_or_else(|| refused(&WebauthnError::CredentialNotFound))?;
            let outcome = webauthn.finish_passkey_authentication(&answer, &state).map_err(|e| refused(&e))?;
            Ok::<_, Error>((stored, outcome))
        }
        .await;
        let ((stored, mut passkey), outcome) = match result {
            Ok(ok) => ok,
            Err(e) => {
                super::record_code_failure(self, session.user.id, Method::Passkey, meta).await?;
                return Err(e);
            }
        };
        self.save_passkey_use(&stored, &mut passkey, &outcome).await?;
        let amr = amr_for(outcome.backup_eligible());
        let stage = self.finish_second_factor(session, Method::Passkey, &[amr], meta).await?;
        Ok(SecondFactorOutcome { stage, recovery_codes_left: None })
    }

    async fn stored_passkey(&self, credential_id: &[u8]) -> Result<Option<(PasskeyRow, Passkey)>> {
        let row = {
            let mut conn = self.store().conn().await?;
            store::passkey_by_credential(conn.db(), credential_id).await?
        };
        match row {
            Some(r) => {
                let key: Passkey = serde_json::from_value(r.passkey.0.clone()).map_err(internal)?;
                Ok(Some((r, key)))
            }
            None => Ok(None),
        }
    }

    async fn save_passkey_use(
        &self,
        row: &PasskeyRow,
        passkey: &mut Passkey,
        outcome: &webauthn_rs::prelude::AuthenticationResult,
    ) -> Result<()> {
        passkey.update_credential(outcome);
        let json = Json(serde_json::to_value(&*passkey).map_err(internal)?);
        let mut tx = self.store().begin().await?;
        store::touch_passkey(tx.db(), row.id, &json, self.clock().now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Starts a passwordless sign-in ("Sign in with a passkey"): the browser offers the
    /// passkeys it holds for this site.
    pub async fn start_passkey_sign_in(&self, meta: &RequestMeta) -> Result<PasskeyCeremony> {
        let webauthn = self.require_webauthn()?;
        if let Some(ip) = meta.ip {
            let mut conn = self.store().conn().await?;
            let limit = limits::sign_in_per_ip(self.config().rate_limits.sign_in_per_ip);
            rate_limit::hit(conn.db(), limit, &ip.to_string(), self.clock().now()).await?;
        }
        let (mut options, state) = webauthn.start_discoverable_authentication().map_err(internal)?;
        // A button press, not the autofill ("conditional") variant.
        options.mediation = None;
        let state = serde_json::to_value(&state).map_err(internal)?;
        let id = self.save_ceremony(SIGN_IN, None, None, state).await?;
        Ok(PasskeyCeremony { id, options: serde_json::to_string(&options).map_err(internal)? })
    }

    /// Finishes a passwordless sign-in: a new session for the passkey's owner, its methods
    /// `hwk` or `swk` plus `mfa` (the passkey verified the user).
    pub async fn finish_passkey_sign_in(
        &self,
        ceremony: &str,
        credential: &str,
        meta: &RequestMeta,
    ) -> Result<NewSession> {
        let webauthn = self.require_webauthn()?;
        let row = self.take_ceremony(ceremony, SIGN_IN, None).await?;
        let state: DiscoverableAuthentication = serde_json::from_value(row.state.0).map_err(internal)?;
        let answer: PublicKeyCredential = serde_json::from_str(credential).map_err(|e| json_err(&e))?;
        let (handle, credential_id) =
            webauthn.identify_discoverable_authentication(&answer).map_err(|e| refused(&e))?;
        let Some((stored, mut passkey)) = self.stored_passkey(credential_id).await? else {
            return Err(refused(&WebauthnError::CredentialNotFound));
        };
        if stored.user_id.0 != handle {
            return Err(bad("This passkey does not belong to the account it names."));
        }
        let user: User = {
            let mut conn = self.store().conn().await?;
            store_users::get(conn.db(), stored.user_id).await?.into()
        };
        match user.status {
            s if s.may_sign_in() => {}
            UserStatus::Disabled => return Err(Error::Conflict(Code::AccountDisabled)),
            _ => return Err(bad("This account cannot sign in with a passkey now. Sign in with your password.")),
        }
        let outcome =
            webauthn.finish_discoverable_authentication_v2(&answer, state, &passkey).map_err(|e| refused(&e))?;
        self.save_passkey_use(&stored, &mut passkey, &outcome).await?;
        let now = self.clock().now();
        let policy = &self.config().password_policy;
        let expired = user.password_changed_at.is_some_and(|changed| policy.is_expired(changed, now));
        let stage = if expired { SessionStage::PasswordExpired } else { SessionStage::Authenticated };
        let amr = [amr_for(outcome.backup_eligible()), AMR_MFA];
        let mut tx = self.store().begin().await?;
        store_users::touch_sign_in(tx.db(), user.id, now).await?;
        let session = sessions::create(self, &mut tx, user.clone(), stage, &amr, meta).await?;
        self.notify_if_new_device(&mut tx, &user, meta).await?;
        let details = serde_json::json!({"method": "passkey", "passkey": stored.name});
        audit::record(tx.db(), now, AuditAction::SignedIn, Some(user.id), Some(user.id), meta, details).await?;
        tx.commit().await?;
        Ok(session)
    }
}
