//! The OAuth tables: signing keys, clients, consents, grants, codes, refresh tokens and device
//! codes (migration 0007).

use time::OffsetDateTime;
use uuid::Uuid;

use super::{Db, StoreError, on_db};
use crate::ids::{SessionId, UserId};

// ----- Signing keys ----------------------------------------------------------------------------

/// A signing key row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct SigningKeyRow {
    pub id: Uuid,
    pub kid: String,
    pub alg: String,
    pub private_key: Vec<u8>,
    pub public_jwk: String,
    pub created_at: OffsetDateTime,
    pub active_from: OffsetDateTime,
    pub retired_at: Option<OffsetDateTime>,
    pub expires_at: Option<OffsetDateTime>,
}

const KEY_COLUMNS: &str = "id, kid, alg, private_key, public_jwk, created_at, active_from, retired_at, expires_at";

pub(crate) async fn insert_key(db: Db<'_>, k: &SigningKeyRow) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query(
        "INSERT INTO oauth_signing_keys (id, kid, alg, private_key, public_jwk, created_at, active_from, retired_at, \
         expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    )
    .bind(k.id)
    .bind(&k.kid)
    .bind(&k.alg)
    .bind(&k.private_key)
    .bind(&k.public_jwk)
    .bind(k.created_at)
    .bind(k.active_from)
    .bind(k.retired_at)
    .bind(k.expires_at)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Serialises key generation and rotation between nodes and requests for the rest of the
/// transaction. On PostgreSQL two transactions that both found no key would otherwise each insert
/// one, and a JWKS served from one of them would lack the key the other then signs with; SHARE ROW
/// EXCLUSIVE conflicts with itself but not with readers. SQLite's `BEGIN IMMEDIATE` already holds
/// the database's single write lock.
pub(crate) async fn lock_keys(db: Db<'_>) -> Result<(), StoreError> {
    if let Db::Postgres(c) = db {
        sqlx::query("LOCK TABLE oauth_signing_keys IN SHARE ROW EXCLUSIVE MODE").execute(c).await?;
    }
    Ok(())
}

/// Every key not yet expired (published in the JWKS), oldest first.
pub(crate) async fn published_keys(db: Db<'_>, now: OffsetDateTime) -> Result<Vec<SigningKeyRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {KEY_COLUMNS} FROM oauth_signing_keys WHERE expires_at IS NULL OR expires_at > $1 \
         ORDER BY active_from, created_at"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, SigningKeyRow>(sql).bind(now).fetch_all(c).await)?)
}

/// Ends a key's signing at `retired_at` and its publication at `expires_at`.
pub(crate) async fn retire_key(
    db: Db<'_>,
    id: Uuid,
    retired_at: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query("UPDATE oauth_signing_keys SET retired_at = $2, expires_at = $3 WHERE id = $1")
        .bind(id)
        .bind(retired_at)
        .bind(expires_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Moves a key's start of signing to `active_from` (a successor taking over early).
pub(crate) async fn activate_key(db: Db<'_>, id: Uuid, active_from: OffsetDateTime) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query("UPDATE oauth_signing_keys SET active_from = $2 WHERE id = $1")
        .bind(id)
        .bind(active_from)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Deletes keys no longer published.
pub(crate) async fn purge_expired_keys(db: Db<'_>, now: OffsetDateTime) -> Result<u64, StoreError> {
    Ok(on_db!(db, |c| sqlx::query("DELETE FROM oauth_signing_keys WHERE expires_at <= $1")
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?)
}

// ----- Clients ---------------------------------------------------------------------------------

/// A client row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ClientRow {
    pub id: Uuid,
    pub client_id: String,
    pub name: String,
    pub kind: String,
    pub secret_hash: Option<Vec<u8>>,
    pub first_party: bool,
    pub redirect_uris: String,
    pub post_logout_redirect_uris: String,
    pub grant_types: String,
    pub backchannel_logout_uri: Option<String>,
    pub id_token_alg: String,
    pub created_at: OffsetDateTime,
    pub updated_at: Option<OffsetDateTime>,
    pub api_scopes: String,
    pub previous_secret_hash: Option<Vec<u8>>,
    pub previous_secret_expires_at: Option<OffsetDateTime>,
    pub require_pushed_authorization_requests: bool,
}

const CLIENT_COLUMNS: &str = "id, client_id, name, kind, secret_hash, first_party, redirect_uris, \
     post_logout_redirect_uris, grant_types, backchannel_logout_uri, id_token_alg, created_at, updated_at, \
     api_scopes, previous_secret_hash, previous_secret_expires_at, require_pushed_authorization_requests";

pub(crate) async fn insert_client(db: Db<'_>, k: &ClientRow) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query(
        "INSERT INTO oauth_clients (id, client_id, name, kind, secret_hash, first_party, redirect_uris, \
         post_logout_redirect_uris, grant_types, backchannel_logout_uri, id_token_alg, created_at, api_scopes, \
         require_pushed_authorization_requests) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
    )
    .bind(k.id)
    .bind(&k.client_id)
    .bind(&k.name)
    .bind(&k.kind)
    .bind(&k.secret_hash)
    .bind(k.first_party)
    .bind(&k.redirect_uris)
    .bind(&k.post_logout_redirect_uris)
    .bind(&k.grant_types)
    .bind(&k.backchannel_logout_uri)
    .bind(&k.id_token_alg)
    .bind(k.created_at)
    .bind(&k.api_scopes)
    .bind(k.require_pushed_authorization_requests)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub(crate) async fn find_client(db: Db<'_>, client_id: &str) -> Result<Option<ClientRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {CLIENT_COLUMNS} FROM oauth_clients WHERE client_id = $1"));
    Ok(on_db!(db, |c| sqlx::query_as::<_, ClientRow>(sql).bind(client_id).fetch_optional(c).await)?)
}

pub(crate) async fn client_by_row_id(db: Db<'_>, id: Uuid) -> Result<ClientRow, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {CLIENT_COLUMNS} FROM oauth_clients WHERE id = $1"));
    Ok(on_db!(db, |c| sqlx::query_as::<_, ClientRow>(sql).bind(id).fetch_one(c).await)?)
}

pub(crate) async fn list_clients(db: Db<'_>) -> Result<Vec<ClientRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {CLIENT_COLUMNS} FROM oauth_clients ORDER BY created_at, name"));
    Ok(on_db!(db, |c| sqlx::query_as::<_, ClientRow>(sql).fetch_all(c).await)?)
}

/// The client with this `client_id`, locked for the rest of the transaction (PostgreSQL
/// `FOR UPDATE`; SQLite's write transaction already serialises writers).
pub(crate) async fn lock_client(db: Db<'_>, client_id: &str) -> Result<Option<ClientRow>, StoreError> {
    let lock = if matches!(db, Db::Postgres(_)) { " FOR UPDATE" } else { "" };
    let sql = sqlx::AssertSqlSafe(format!("SELECT {CLIENT_COLUMNS} FROM oauth_clients WHERE client_id = $1{lock}"));
    Ok(on_db!(db, |c| sqlx::query_as::<_, ClientRow>(sql).bind(client_id).fetch_optional(c).await)?)
}

/// Writes a client's registration and secrets back (everything but its ids and creation time).
pub(crate) async fn update_client(db: Db<'_>, k: &ClientRow) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query(
        "UPDATE oauth_clients SET name = $2, secret_hash = $3, first_party = $4, redirect_uris = $5, \
         post_logout_redirect_uris = $6, grant_types = $7, backchannel_logout_uri = $8, id_token_alg = $9, \
         updated_at = $10, api_scopes = $11, previous_secret_hash = $12, previous_secret_expires_at = $13, \
         require_pushed_authorization_requests = $14 WHERE id = $1"
    )
    .bind(k.id)
    .bind(&k.name)
    .bind(&k.secret_hash)
    .bind(k.first_party)
    .bind(&k.redirect_uris)
    .bind(&k.post_logout_redirect_uris)
    .bind(&k.grant_types)
    .bind(&k.backchannel_logout_uri)
    .bind(&k.id_token_alg)
    .bind(k.updated_at)
    .bind(&k.api_scopes)
    .bind(&k.previous_secret_hash)
    .bind(k.previous_secret_expires_at)
    .bind(k.require_pushed_authorization_requests)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub(crate) async fn delete_client(db: Db<'_>, client_id: &str) -> Result<u64, StoreError> {
    Ok(on_db!(db, |c| sqlx::query("DELETE FROM oauth_clients WHERE client_id = $1")
        .bind(client_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?)
}

// ----- Consents --------------------------------------------------------------------------------

/// A consent joined with its client, for My Account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ConsentRow {
    pub client_id: String,
    pub name: String,
    pub scope: String,
    pub granted_at: OffsetDateTime,
}

pub(crate) async fn consent_scope(db: Db<'_>, user: UserId, client: Uuid) -> Result<Option<String>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_scalar::<_, String>(
        "SELECT scope FROM oauth_consents WHERE user_id = $1 AND client_id = $2"
    )
    .bind(user)
    .bind(client)
    .fetch_optional(c)
    .await)?)
}

pub(crate) async fn upsert_consent(
    db: Db<'_>,
    user: UserId,
    client: Uuid,
    scope: &str,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query(
        "INSERT INTO oauth_consents (user_id, client_id, scope, granted_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, client_id) DO UPDATE SET scope = excluded.scope, granted_at = excluded.granted_at"
    )
    .bind(user)
    .bind(client)
    .bind(scope)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub(crate) async fn list_consents(db: Db<'_>, user: UserId) -> Result<Vec<ConsentRow>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, ConsentRow>(
        "SELECT k.client_id, k.name, c.scope, c.granted_at FROM oauth_consents c \
         JOIN oauth_clients k ON k.id = c.client_id WHERE c.user_id = $1 ORDER BY c.granted_at DESC"
    )
    .bind(user)
    .fetch_all(c)
    .await)?)
}

/// The grants of `user` that can still be refreshed at `now` (a live refresh token), one row per
/// grant, as consents: apps that hold offline access whether or not the user was asked (a
/// first-party app never asks).
pub(crate) async fn list_refreshable_grants(
    db: Db<'_>,
    user: UserId,
    now: OffsetDateTime,
) -> Result<Vec<ConsentRow>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, ConsentRow>(
        "SELECT k.client_id, k.name, g.scope, g.created_at AS granted_at FROM oauth_grants g \
         JOIN oauth_clients k ON k.id = g.client_id WHERE g.user_id = $1 AND g.revoked_at IS NULL \
         AND EXISTS (SELECT 1 FROM oauth_refresh_tokens r WHERE r.grant_id = g.id AND r.used_at IS NULL \
         AND r.expires_at > $2) ORDER BY g.created_at DESC"
    )
    .bind(user)
    .bind(now)
    .fetch_all(c)
    .await)?)
}

pub(crate) async fn delete_consent(db: Db<'_>, user: UserId, client: Uuid) -> Result<u64, StoreError> {
    Ok(on_db!(db, |c| sqlx::query("DELETE FROM oauth_consents WHERE user_id = $1 AND client_id = $2")
        .bind(user)
        .bind(client)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?)
}

/// A consent given to one client, with the account that gave it (for the operator).
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ClientConsentRow {
    pub user_id: UserId,
    pub email: String,
    pub scope: String,
    pub granted_at: OffsetDateTime,
}

/// How many accounts gave `client` (row id) their consent (index `oauth_consents_client`).
pub(crate) async fn count_consents_of_client(db: Db<'_>, client: Uuid) -> Result<i64, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM oauth_consents WHERE client_id = $1")
        .bind(client)
        .fetch_one(c)
        .await)?)
}

/// Up to `limit` consents given to `client` (row id) after skipping `offset`, newest first.
pub(crate) async fn consents_of_client(
    db: Db<'_>,
    client: Uuid,
    limit: i64,
    offset: i64,
) -> Result<Vec<ClientConsentRow>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, ClientConsentRow>(
        "SELECT c.user_id, u.email, c.scope, c.granted_at FROM oauth_consents c JOIN users u ON u.id = c.user_id \
         WHERE c.client_id = $1 ORDER BY c.granted_at DESC, c.user_id LIMIT $2 OFFSET $3"
    )
    .bind(client)
    .bind(limit)
    .bind(offset)
    .fetch_all(c)
    .await)?)
}

// ----- Grants ----------------------------------------------------------------------------------

/// A grant row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct GrantRow {
    pub id: Uuid,
    pub client_id: Uuid,
    pub user_id: UserId,
    pub session_id: Option<SessionId>,
    pub scope: String,
    /// Claims asked for one by one (`RequestedClaims`, JSON).
    pub claims: Option<String>,
    pub nonce: Option<String>,
    pub auth_time: OffsetDateTime,
    pub amr: String,
    pub created_at: OffsetDateTime,
    pub revoked_at: Option<OffsetDateTime>,
}

const GRANT_COLUMNS: &str =
    "id, client_id, user_id, session_id, scope, claims, nonce, auth_time, amr, created_at, revoked_at";

pub(crate) async fn insert_grant(db: Db<'_>, g: &GrantRow) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query(
        "INSERT INTO oauth_grants (id, client_id, user_id, session_id, scope, nonce, auth_time, amr, created_at, \
         revoked_at, claims) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    )
    .bind(g.id)
    .bind(g.client_id)
    .bind(g.user_id)
    .bind(g.session_id)
    .bind(&g.scope)
    .bind(&g.nonce)
    .bind(g.auth_time)
    .bind(&g.amr)
    .bind(g.created_at)
    .bind(g.revoked_at)
    .bind(&g.claims)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub(crate) async fn find_grant(db: Db<'_>, id: Uuid) -> Result<Option<GrantRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {GRANT_COLUMNS} FROM oauth_grants WHERE id = $1"));
    Ok(on_db!(db, |c| sqlx::query_as::<_, GrantRow>(sql).bind(id).fetch_optional(c).await)?)
}

/// Revokes one grant (idempotent).
pub(crate) async fn revoke_grant(db: Db<'_>, id: Uuid, now: OffsetDateTime) -> Result<u64, StoreError> {
    Ok(on_db!(db, |c| sqlx::query("UPDATE oauth_grants SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
        .bind(id)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?)
}

/// Revokes every grant of a user for a client.
pub(crate) async fn revoke_grants_of(
    db: Db<'_>,
    user: UserId,
    client: Uuid,
    now: OffsetDateTime,
) -> Result<u64, StoreError> {
    Ok(on_db!(db, |c| sqlx::query(
        "UPDATE oauth_grants SET revoked_at = $3 WHERE user_id = $1 AND client_id = $2 AND revoked_at IS NULL"
    )
    .bind(user)
    .bind(client)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?)
}

/// Revokes every live grant of a user (all clients): their refresh and access tokens end.
pub(crate) async fn revoke_all_grants_of_user(
    db: Db<'_>,
    user: UserId,
    now: OffsetDateTime,
) -> Result<u64, StoreError> {
    Ok(on_db!(db, |c| sqlx::query(
        "UPDATE oauth_grants SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL"
    )
    .bind(user)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?)
}

/// Forgets every application the user authorised (they ask for consent again).
pub(crate) async fn delete_all_consents_of_user(db: Db<'_>, user: UserId) -> Result<u64, StoreError> {
    Ok(on_db!(db, |c| sqlx::query("DELETE FROM oauth_consents WHERE user_id = $1")
        .bind(user)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?)
}

/// The live grants that came from a browser session.
pub(crate) async fn grants_of_session(db: Db<'_>, session: SessionId) -> Result<Vec<GrantRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {GRANT_COLUMNS} FROM oauth_grants WHERE session_id = $1 AND revoked_at IS NULL"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, GrantRow>(sql).bind(session).fetch_all(c).await)?)
}

// ----- Codes -----------------------------------------------------------------------------------

/// An authorization code row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct CodeRow {
    pub id: Uuid,
    pub code_hash: Vec<u8>,
    pub client_id: Uuid,
    pub user_id: UserId,
    pub session_id: Option<SessionId>,
    pub redirect_uri: String,
    pub scope: String,
    /// Claims asked for one by one (`RequestedClaims`, JSON).
    pub claims: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    /// The DPoP key the code is bound to (RFC 9449 §10).
    pub dpop_jkt: Option<String>,
    pub auth_time: OffsetDateTime,
    pub amr: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub used_at: Option<OffsetDateTime>,
    pub grant_id: Option<Uuid>,
}

const CODE_COLUMNS: &str = "id, code_hash, client_id, user_id, session_id, redirect_uri, scope, claims, nonce, code_challenge, \
     auth_time, amr, created_at, expires_at, used_at, grant_id, dpop_jkt";

pub(crate) async fn insert_code(db: Db<'_>, k: &CodeRow) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query(
        "INSERT INTO oauth_codes (id, code_hash, client_id, user_id, session_id, redirect_uri, scope, nonce, \
         code_challenge, auth_time, amr, created_at, expires_at, used_at, grant_id, claims, dpop_jkt) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
    )
    .bind(k.id)
    .bind(&k.code_hash)
    .bind(k.client_id)
    .bind(k.user_id)
    .bind(k.session_id)
    .bind(&k.redirect_uri)
    .bind(&k.scope)
    .bind(&k.nonce)
    .bind(&k.code_challenge)
    .bind(k.auth_time)
    .bind(&k.amr)
    .bind(k.created_at)
    .bind(k.expires_at)
    .bind(k.used_at)
    .bind(k.grant_id)
    .bind(&k.claims)
    .bind(&k.dpop_jkt)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub(crate) async fn find_code(db: Db<'_>, hash: &[u8]) -> Result<Option<CodeRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {CODE_COLUMNS} FROM oauth_codes WHERE code_hash = $1"));
    Ok(on_db!(db, |c| sqlx::query_as::<_, CodeRow>(sql).bind(hash).fetch_optional(c).await)?)
}

/// Marks an unused code used, recording the grant it produced; false when it was used already
/// (two concurrent exchanges: one wins).
pub(crate) async fn use_code(db: Db<'_>, id: Uuid, grant: Uuid, now: OffsetDateTime) -> Result<bool, StoreError> {
    let n = on_db!(db, |c| sqlx::query(
        "UPDATE oauth_codes SET used_at = $2, grant_id = $3 WHERE id = $1 AND used_at IS NULL"
    )
    .bind(id)
    .bind(now)
    .bind(grant)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Marks a code used without a grant (a failed exchange burns the code).
pub(crate) async fn burn_code(db: Db<'_>, id: Uuid, now: OffsetDateTime) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query("UPDATE oauth_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL")
        .bind(id)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

// ----- Refresh tokens --------------------------------------------------------------------------

/// A refresh token row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct RefreshRow {
    pub id: Uuid,
    pub token_hash: Vec<u8>,
    pub grant_id: Uuid,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub used_at: Option<OffsetDateTime>,
    /// The DPoP key (thumbprint) a public client's refresh token is bound to.
    pub dpop_jkt: Option<String>,
}

pub(crate) async fn insert_refresh(db: Db<'_>, r: &RefreshRow) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query(
        "INSERT INTO oauth_refresh_tokens (id, token_hash, grant_id, created_at, expires_at, used_at, dpop_jkt) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)"
    )
    .bind(r.id)
    .bind(&r.token_hash)
    .bind(r.grant_id)
    .bind(r.created_at)
    .bind(r.expires_at)
    .bind(r.used_at)
    .bind(&r.dpop_jkt)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub(crate) async fn find_refresh(db: Db<'_>, hash: &[u8]) -> Result<Option<RefreshRow>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, RefreshRow>(
        "SELECT id, token_hash, grant_id, created_at, expires_at, used_at, dpop_jkt FROM oauth_refresh_tokens \
         WHERE token_hash = $1"
    )
    .bind(hash)
    .fetch_optional(c)
    .await)?)
}

/// Marks a refresh token used; false when it already was.
pub(crate) async fn use_refresh(db: Db<'_>, id: Uuid, now: OffsetDateTime) -> Result<bool, StoreError> {
    let n =
        on_db!(db, |c| sqlx::query("UPDATE oauth_refresh_tokens SET used_at = $2 WHERE id = $1 AND used_at IS NULL")
            .bind(id)
            .bind(now)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

// ----- Device codes ----------------------------------------------------------------------------

/// A device authorization row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct DeviceRow {
    pub id: Uuid,
    pub device_code_hash: Vec<u8>,
    pub user_code: String,
    pub client_id: Uuid,
    pub scope: String,
    pub status: String,
    pub interval_secs: i64,
    pub last_polled_at: Option<OffsetDateTime>,
    pub user_id: Option<UserId>,
    pub session_id: Option<SessionId>,
    pub auth_time: Option<OffsetDateTime>,
    pub amr: Option<String>,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

const DEVICE_COLUMNS: &str = "id, device_code_hash, user_code, client_id, scope, status, interval_secs, \
     last_polled_at, user_id, session_id, auth_time, amr, created_at, expires_at";

pub(crate) async fn insert_device(db: Db<'_>, d: &DeviceRow) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query(
        "INSERT INTO oauth_device_codes (id, device_code_hash, user_code, client_id, scope, status, interval_secs, \
         last_polled_at, user_id, session_id, auth_time, amr, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
    )
    .bind(d.id)
    .bind(&d.device_code_hash)
    .bind(&d.user_code)
    .bind(d.client_id)
    .bind(&d.scope)
    .bind(&d.status)
    .bind(d.interval_secs)
    .bind(d.last_polled_at)
    .bind(d.user_id)
    .bind(d.session_id)
    .bind(d.auth_time)
    .bind(&d.amr)
    .bind(d.created_at)
    .bind(d.expires_at)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub(crate) async fn device_by_hash(db: Db<'_>, hash: &[u8]) -> Result<Option<DeviceRow>, StoreError> {
    let sql =
        sqlx::AssertSqlSafe(format!("SELECT {DEVICE_COLUMNS} FROM oauth_device_codes WHERE device_code_hash = $1"));
    Ok(on_db!(db, |c| sqlx::query_as::<_, DeviceRow>(sql).bind(hash).fetch_optional(c).await)?)
}

pub(crate) async fn device_by_user_code(db: Db<'_>, user_code: &str) -> Result<Option<DeviceRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {DEVICE_COLUMNS} FROM oauth_device_codes WHERE user_code = $1"));
    Ok(on_db!(db, |c| sqlx::query_as::<_, DeviceRow>(sql).bind(user_code).fetch_optional(c).await)?)
}

/// Records a poll (and a new interval after `slow_down`).
pub(crate) async fn device_polled(
    db: Db<'_>,
    id: Uuid,
    now: OffsetDateTime,
    interval_secs: i64,
) -> Result<(), StoreError> {
    on_db!(db, |c| sqlx::query("UPDATE oauth_device_codes SET last_polled_at = $2, interval_secs = $3 WHERE id = $1")
        .bind(id)
        .bind(now)
        .bind(interval_secs)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Moves a pending request to approved (with the user) or denied; false when it was not pending.
pub(crate) async fn decide_device(
    db: Db<'_>,
    id: Uuid,
    status: &str,
    user: UserId,
    session: SessionId,
    auth_time: OffsetDateTime,
    amr: &str,
) -> Result<bool, StoreError> {
    let n = on_db!(db, |c| sqlx::query(
        "UPDATE oauth_device_codes SET status = $2, user_id = $3, session_id = $4, auth_time = $5, amr = $6 \
         WHERE id = $1 AND status = 'pending'"
    )
    .bind(id)
    .bind(status)
    .bind(user)
    .bind(session)
    .bind(auth_time)
    .bind(amr)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Moves an approved request to used; false when another poll won.
pub(crate) async fn use_device(db: Db<'_>, id: Uuid) -> Result<bool, StoreError> {
    let n = on_db!(db, |c| sqlx::query(
        "UPDATE oauth_device_codes SET status = 'used' WHERE id = $1 AND status = 'approved'"
    )
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Deletes expired codes, device requests, refresh tokens and pushed requests (used or not)
/// past `before`.
pub(crate) async fn purge_expired(db: Db<'_>, before: OffsetDateTime) -> Result<u64, StoreError> {
    let mut db = db;
    let mut n = 0;
    for sql in [
        "DELETE FROM oauth_codes WHERE expires_at <= $1",
        "DELETE FROM oauth_device_codes WHERE expires_at <= $1",
        "DELETE FROM oauth_refresh_tokens WHERE expires_at <= $1",
        "DELETE FROM oauth_pushed_requests WHERE expires_at <= $1",
    ] {
        n += on_db!(db.reborrow(), |c| sqlx::query(sql).bind(before).execute(c).await.map(|r| r.rows_affected()))?;
    }
    Ok(n)
}
