//! The second-factor tables: `totp_credentials`, `mfa_email`, `recovery_codes`, `passkeys` and
//! `webauthn_ceremonies`.

use sqlx::types::Json;
use time::OffsetDateTime;

use super::{Db, StoreError, on_db};
use crate::ids::{SessionId, UserId};

/// The authenticator-app row of a user.
#[derive(Debug, Clone, sqlx::FromRow)]
#[cfg_attr(not(test), expect(dead_code, reason = "user_id, last_step and created_at are read by the store tests"))]
pub(crate) struct TotpRow {
    pub user_id: UserId,
    pub secret_sealed: Vec<u8>,
    pub confirmed_at: Option<OffsetDateTime>,
    pub last_step: Option<i64>,
    pub created_at: OffsetDateTime,
    pub last_used_at: Option<OffsetDateTime>,
}

/// The user's TOTP row (confirmed or still being set up).
pub(crate) async fn totp(db: Db<'_>, user: UserId) -> Result<Option<TotpRow>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, TotpRow>(
        "SELECT user_id, secret_sealed, confirmed_at, last_step, created_at, last_used_at FROM totp_credentials \
         WHERE user_id = $1"
    )
    .bind(user)
    .fetch_optional(c)
    .await)?)
}

/// Starts a TOTP setup with a fresh secret, replacing an unconfirmed one. Returns false (and
/// changes nothing) when a confirmed one exists.
pub(crate) async fn put_pending_totp(
    mut db: Db<'_>,
    user: UserId,
    sealed: &[u8],
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    on_db!(db.reborrow(), |c| sqlx::query("DELETE FROM totp_credentials WHERE user_id = $1 AND confirmed_at IS NULL")
        .bind(user)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let n = on_db!(db, |c| sqlx::query(
        "INSERT INTO totp_credentials (user_id, secret_sealed, confirmed_at, last_step, created_at, last_used_at) \
         VALUES ($1, $2, NULL, NULL, $3, NULL) ON CONFLICT (user_id) DO NOTHING"
    )
    .bind(user)
    .bind(sealed)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Confirms the pending TOTP whose sealed secret is `sealed`, recording the step used.
/// Returns false when there is no such pending row (already confirmed, replaced, removed).
pub(crate) async fn confirm_totp(
    db: Db<'_>,
    user: UserId,
    sealed: &[u8],
    step: i64,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let n = on_db!(db, |c| sqlx::query(
        "UPDATE totp_credentials SET confirmed_at = $4, last_step = $3, last_used_at = $4 \
         WHERE user_id = $1 AND secret_sealed = $2 AND confirmed_at IS NULL"
    )
    .bind(user)
    .bind(sealed)
    .bind(step)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Records `step` as used, only if it is later than the last one used: false for a replay
/// (also when two requests race with the same code, only one wins).
pub(crate) async fn use_totp_step(
    db: Db<'_>,
    user: UserId,
    step: i64,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let n = on_db!(db, |c| sqlx::query(
        "UPDATE totp_credentials SET last_step = $2, last_used_at = $3 \
         WHERE user_id = $1 AND confirmed_at IS NOT NULL AND (last_step IS NULL OR last_step < $2)"
    )
    .bind(user)
    .bind(step)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Removes the user's TOTP (confirmed or not); returns whether a confirmed one was removed.
pub(crate) async fn delete_totp(mut db: Db<'_>, user: UserId) -> Result<bool, StoreError> {
    let confirmed = totp(db.reborrow(), user).await?.is_some_and(|r| r.confirmed_at.is_some());
    on_db!(db, |c| sqlx::query("DELETE FROM totp_credentials WHERE user_id = $1")
        .bind(user)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(confirmed)
}

/// The email-code row of a user: (enabled at, last used at).
pub(crate) async fn email(
    db: Db<'_>,
    user: UserId,
) -> Result<Option<(OffsetDateTime, Option<OffsetDateTime>)>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, (OffsetDateTime, Option<OffsetDateTime>)>(
        "SELECT enabled_at, last_used_at FROM mfa_email WHERE user_id = $1"
    )
    .bind(user)
    .fetch_optional(c)
    .await)?)
}

/// Turns email codes on; false when they already were.
pub(crate) async fn enable_email(db: Db<'_>, user: UserId, now: OffsetDateTime) -> Result<bool, StoreError> {
    let n = on_db!(db, |c| sqlx::query(
        "INSERT INTO mfa_email (user_id, enabled_at, last_used_at) VALUES ($1, $2, NULL) \
         ON CONFLICT (user_id) DO NOTHING"
    )
    .bind(user)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Turns email codes off; false when they were off.
pub(crate) async fn disable_email(db: Db<'_>, user: UserId) -> Result<bool, StoreError> {
    let n = on_db!(db, |c| sqlx::query("DELETE FROM mfa_email WHERE user_id = $1")
        .bind(user)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Notes a sign-in with an email code.
pub(crate) async fn touch_email(db: Db<'_>, user: UserId, now: OffsetDateTime) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query("UPDATE mfa_email SET last_used_at = $2 WHERE user_id = $1")
        .bind(user)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// A recovery code row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct RecoveryRow {
    pub id: uuid::Uuid,
    pub code_hash: Vec<u8>,
    pub used_at: Option<OffsetDateTime>,
}

/// Replaces the user's recovery codes with `codes` (id, digest).
pub(crate) async fn replace_recovery_codes(
    mut db: Db<'_>,
    user: UserId,
    codes: &[(uuid::Uuid, Vec<u8>)],
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    delete_recovery_codes(db.reborrow(), user).await?;
    for (id, hash) in codes {
        on_db!(db.reborrow(), |c| sqlx::query(
            "INSERT INTO recovery_codes (id, user_id, code_hash, created_at, used_at) VALUES ($1, $2, $3, $4, NULL)"
        )
        .bind(id)
        .bind(user)
        .bind(hash)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Deletes every recovery code of the user.
pub(crate) async fn delete_recovery_codes(db: Db<'_>, user: UserId) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Every recovery code of the user, used or not.
pub(crate) async fn recovery_codes(db: Db<'_>, user: UserId) -> Result<Vec<RecoveryRow>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, RecoveryRow>(
        "SELECT id, code_hash, used_at FROM recovery_codes WHERE user_id = $1"
    )
    .bind(user)
    .fetch_all(c)
    .await)?)
}

/// Uses one recovery code; false when another request used it first.
pub(crate) async fn use_recovery_code(db: Db<'_>, id: uuid::Uuid, now: OffsetDateTime) -> Result<bool, StoreError> {
    let n = on_db!(db, |c| sqlx::query("UPDATE recovery_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL")
        .bind(id)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// A passkey row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct PasskeyRow {
    pub id: uuid::Uuid,
    pub user_id: UserId,
    pub credential_id: Vec<u8>,
    pub name: String,
    pub passkey: Json<serde_json::Value>,
    pub created_at: OffsetDateTime,
    pub last_used_at: Option<OffsetDateTime>,
}

const PASSKEY_COLUMNS: &str = "id, user_id, credential_id, name, passkey, created_at, last_used_at";

/// Stores a new passkey; `Conflict` when its credential id is registered already.
pub(crate) async fn insert_passkey(db: Db<'_>, p: &PasskeyRow) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query(
        "INSERT INTO passkeys (id, user_id, credential_id, name, passkey, created_at, last_used_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)"
    )
    .bind(p.id)
    .bind(p.user_id)
    .bind(&p.credential_id)
    .bind(&p.name)
    .bind(&p.passkey)
    .bind(p.created_at)
    .bind(p.last_used_at)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The user's passkeys, oldest first.
pub(crate) async fn passkeys(db: Db<'_>, user: UserId) -> Result<Vec<PasskeyRow>, StoreError> {
    let sql =
        sqlx::AssertSqlSafe(format!("SELECT {PASSKEY_COLUMNS} FROM passkeys WHERE user_id = $1 ORDER BY created_at"));
    Ok(on_db!(db, |c| sqlx::query_as::<_, PasskeyRow>(sql).bind(user).fetch_all(c).await)?)
}

/// The passkey with this credential id, whoever owns it.
pub(crate) async fn passkey_by_credential(db: Db<'_>, credential_id: &[u8]) -> Result<Option<PasskeyRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {PASSKEY_COLUMNS} FROM passkeys WHERE credential_id = $1"));
    Ok(on_db!(db, |c| sqlx::query_as::<_, PasskeyRow>(sql).bind(credential_id).fetch_optional(c).await)?)
}

/// Saves a passkey's updated state (counter, backup flags) after a use.
pub(crate) async fn touch_passkey(
    db: Db<'_>,
    id: uuid::Uuid,
    passkey: &Json<serde_json::Value>,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query("UPDATE passkeys SET passkey = $2, last_used_at = $3 WHERE id = $1")
        .bind(id)
        .bind(passkey)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Removes one of the user's passkeys; false when it is not theirs or gone.
pub(crate) async fn delete_passkey(db: Db<'_>, user: UserId, id: uuid::Uuid) -> Result<bool, StoreError> {
    let n = on_db!(db, |c| sqlx::query("DELETE FROM passkeys WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Removes every passkey of the user; returns how many.
pub(crate) async fn delete_passkeys(db: Db<'_>, user: UserId) -> Result<u64, StoreError> {
    Ok(on_db!(db, |c| sqlx::query("DELETE FROM passkeys WHERE user_id = $1")
        .bind(user)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?)
}

/// A WebAuthn ceremony in progress.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct CeremonyRow {
    pub id: uuid::Uuid,
    pub user_id: Option<UserId>,
    pub session_id: Option<SessionId>,
    pub purpose: String,
    pub state: Json<serde_json::Value>,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

/// Stores a ceremony (and drops expired ones, so the table stays small).
pub(crate) async fn insert_ceremony(mut db: Db<'_>, r: &CeremonyRow) -> Result<(), StoreError> {
    on_db!(db.reborrow(), |c| sqlx::query("DELETE FROM webauthn_ceremonies WHERE expires_at <= $1")
        .bind(r.created_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    on_db!(db, |c| sqlx::query(
        "INSERT INTO webauthn_ceremonies (id, user_id, session_id, purpose, state, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)"
    )
    .bind(r.id)
    .bind(r.user_id)
    .bind(r.session_id)
    .bind(&r.purpose)
    .bind(&r.state)
    .bind(r.created_at)
    .bind(r.expires_at)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Takes a live ceremony of this purpose out of the table (it can be finished once).
pub(crate) async fn take_ceremony(
    mut db: Db<'_>,
    id: uuid::Uuid,
    purpose: &str,
    now: OffsetDateTime,
) -> Result<Option<CeremonyRow>, StoreError> {
    let row = on_db!(db.reborrow(), |c| sqlx::query_as::<_, CeremonyRow>(
        "SELECT id, user_id, session_id, purpose, state, created_at, expires_at FROM webauthn_ceremonies \
         WHERE id = $1 AND purpose = $2 AND expires_at > $3"
    )
    .bind(id)
    .bind(purpose)
    .bind(now)
    .fetch_optional(c)
    .await)?;
    let Some(row) = row else { return Ok(None) };
    let n = on_db!(db, |c| sqlx::query("DELETE FROM webauthn_ceremonies WHERE id = $1")
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok((n == 1).then_some(row))
}

/// Completes a second-factor step (or a re-authentication): the session's stage, its methods,
/// the time of the authentication, and its idle expiry (never past the absolute one).
pub(crate) async fn advance_session(
    db: Db<'_>,
    id: SessionId,
    stage: &str,
    amr: &str,
    auth_time: OffsetDateTime,
    idle_until: OffsetDateTime,
) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query(
        "UPDATE sessions SET stage = $2, amr = $3, auth_time = $4, last_seen_at = $4, \
         idle_expires_at = CASE WHEN $5 < absolute_expires_at THEN $5 ELSE absolute_expires_at END WHERE id = $1"
    )
    .bind(id)
    .bind(stage)
    .bind(amr)
    .bind(auth_time)
    .bind(idle_until)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use sqlx::types::Json;
    use time::Duration;

    use super::*;
    use crate::clock::{Clock, FakeClock};
    use crate::store::{Store, StoreError, users};
    use crate::store_test;

    async fn add_user(store: &Store, email: &str, now: OffsetDateTime) -> UserId {
        let address = crate::accounts::EmailAddress::parse("email", email).unwrap();
        let row = crate::accounts::new_user_row(
            &address,
            crate::accounts::UserStatus::Active,
            None,
            (None, None),
            Some(now),
            now,
        );
        let mut tx = store.begin().await.unwrap();
        users::insert(tx.db(), &row).await.unwrap();
        tx.commit().await.unwrap();
        row.id
    }

    async fn totp_steps_are_used_once_and_only_forward(store: &Store) {
        let now = FakeClock::fixed().now();
        let uid = add_user(store, "t@example.com", now).await;
        let mut c = store.conn().await.unwrap();
        assert!(put_pending_totp(c.db(), uid, b"sealed-1", now).await.unwrap());
        // A second setup replaces the unconfirmed one.
        assert!(put_pending_totp(c.db(), uid, b"sealed-2", now).await.unwrap());
        assert!(
            !confirm_totp(c.db(), uid, b"sealed-1", 10, now).await.unwrap(),
            "the replaced secret cannot be confirmed"
        );
        assert!(!use_totp_step(c.db(), uid, 10, now).await.unwrap(), "an unconfirmed secret is not usable");
        assert!(confirm_totp(c.db(), uid, b"sealed-2", 10, now).await.unwrap());
        let row = totp(c.db(), uid).await.unwrap().unwrap();
        assert_eq!((row.user_id, row.last_step, row.confirmed_at, row.created_at), (uid, Some(10), Some(now), now));
        assert!(!put_pending_totp(c.db(), uid, b"sealed-3", now).await.unwrap(), "a confirmed secret stays");
        assert!(!use_totp_step(c.db(), uid, 10, now).await.unwrap(), "the confirming step is used");
        assert!(use_totp_step(c.db(), uid, 11, now).await.unwrap());
        assert!(!use_totp_step(c.db(), uid, 11, now).await.unwrap(), "replay");
        assert!(!use_totp_step(c.db(), uid, 9, now).await.unwrap(), "an earlier step after a later one");
        assert!(delete_totp(c.db(), uid).await.unwrap());
        assert!(totp(c.db(), uid).await.unwrap().is_none());
    }
    store_test!(totp_steps_are_used_once_and_only_forward);

    async fn recovery_codes_are_replaced_as_a_set_and_used_once(store: &Store) {
        let now = FakeClock::fixed().now();
        let uid = add_user(store, "r@example.com", now).await;
        let mut c = store.conn().await.unwrap();
        let first: Vec<_> = (0..3).map(|i| (uuid::Uuid::now_v7(), vec![i; 32])).collect();
        replace_recovery_codes(c.db(), uid, &first, now).await.unwrap();
        assert!(use_recovery_code(c.db(), first[0].0, now).await.unwrap());
        assert!(!use_recovery_code(c.db(), first[0].0, now).await.unwrap(), "used once");
        let second: Vec<_> = (0..2).map(|i| (uuid::Uuid::now_v7(), vec![i + 10; 32])).collect();
        replace_recovery_codes(c.db(), uid, &second, now).await.unwrap();
        let rows = recovery_codes(c.db(), uid).await.unwrap();
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().all(|r| r.used_at.is_none() && r.code_hash[0] >= 10));
        assert!(!use_recovery_code(c.db(), first[1].0, now).await.unwrap(), "the old set died");
    }
    store_test!(recovery_codes_are_replaced_as_a_set_and_used_once);

    async fn passkeys_are_unique_per_credential_and_removed_only_by_their_owner(store: &Store) {
        let now = FakeClock::fixed().now();
        let ada = add_user(store, "p@example.com", now).await;
        let eve = add_user(store, "e@example.com", now).await;
        let mut c = store.conn().await.unwrap();
        let key = PasskeyRow {
            id: uuid::Uuid::now_v7(),
            user_id: ada,
            credential_id: vec![1, 2, 3],
            name: "Laptop".to_owned(),
            passkey: Json(serde_json::json!({"cred": {"backup_eligible": true}})),
            created_at: now,
            last_used_at: None,
        };
        insert_passkey(c.db(), &key).await.unwrap();
        let again = PasskeyRow { id: uuid::Uuid::now_v7(), user_id: eve, ..key.clone() };
        assert!(matches!(insert_passkey(c.db(), &again).await, Err(StoreError::Conflict { .. })));
        let found = passkey_by_credential(c.db(), &[1, 2, 3]).await.unwrap().unwrap();
        assert_eq!((found.user_id, found.name.as_str()), (ada, "Laptop"));
        touch_passkey(c.db(), key.id, &Json(serde_json::json!({"cred": {}})), now + Duration::minutes(1))
            .await
            .unwrap();
        assert_eq!(passkeys(c.db(), ada).await.unwrap()[0].last_used_at, Some(now + Duration::minutes(1)));
        assert!(!delete_passkey(c.db(), eve, key.id).await.unwrap(), "not Eve's");
        assert!(delete_passkey(c.db(), ada, key.id).await.unwrap());
        assert!(passkeys(c.db(), ada).await.unwrap().is_empty());
    }
    store_test!(passkeys_are_unique_per_credential_and_removed_only_by_their_owner);

    async fn ceremonies_are_taken_once_for_their_purpose_before_they_expire(store: &Store) {
        let now = FakeClock::fixed().now();
        let mut c = store.conn().await.unwrap();
        let row = CeremonyRow {
            id: uuid::Uuid::now_v7(),
            user_id: None,
            session_id: None,
            purpose: "sign_in".to_owned(),
            state: Json(serde_json::json!({"x": 1})),
            created_at: now,
            expires_at: now + Duration::minutes(5),
        };
        insert_ceremony(c.db(), &row).await.unwrap();
        assert!(take_ceremony(c.db(), row.id, "register", now).await.unwrap().is_none(), "another purpose");
        assert!(
            take_ceremony(c.db(), row.id, "sign_in", now + Duration::minutes(6)).await.unwrap().is_none(),
            "expired"
        );
        let taken = take_ceremony(c.db(), row.id, "sign_in", now).await.unwrap().unwrap();
        assert_eq!((taken.state.0, taken.expires_at), (serde_json::json!({"x": 1}), now + Duration::minutes(5)));
        assert!(take_ceremony(c.db(), row.id, "sign_in", now).await.unwrap().is_none(), "once");
    }
    store_test!(ceremonies_are_taken_once_for_their_purpose_before_they_expire);
}
