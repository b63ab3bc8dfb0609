//! The single sign-on tables: `sso_connections`, `federated_identities`, `sso_states`,
//! `saml_seen_assertions` and `sso_sessions`.

use time::OffsetDateTime;

use super::{Db, StoreError, execute, on_db};
use crate::ids::{FederatedIdentityId, OrganizationId, SessionId, SsoConnectionId, UserId};

/// An `sso_connections` row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ConnectionRow {
    pub id: SsoConnectionId,
    pub organization_id: OrganizationId,
    pub kind: String,
    pub name: String,
    pub enabled: bool,
    pub issuer: Option<String>,
    pub client_id: Option<String>,
    pub client_secret_sealed: Option<Vec<u8>>,
    pub scopes: Option<String>,
    pub metadata_url: Option<String>,
    pub provider_cache: String,
    pub provider_cached_at: OffsetDateTime,
    pub claim_mapping: String,
    pub trust_idp_mfa: bool,
    pub rp_logout: bool,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

const CONNECTION_COLUMNS: &str = "c.id, c.organization_id, c.kind, c.name, c.enabled, c.issuer, c.client_id, \
     c.client_secret_sealed, c.scopes, c.metadata_url, c.provider_cache, c.provider_cached_at, c.claim_mapping, \
     c.trust_idp_mfa, c.rp_logout, c.created_at, c.updated_at";

pub(crate) async fn insert_connection(db: Db<'_>, c: &ConnectionRow) -> Result<(), StoreError> {
    execute!(
        db,
        "INSERT INTO sso_connections (id, organization_id, kind, name, enabled, issuer, client_id, \
         client_secret_sealed, scopes, metadata_url, provider_cache, provider_cached_at, claim_mapping, \
         trust_idp_mfa, rp_logout, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
        c.id,
        c.organization_id,
        &c.kind,
        &c.name,
        c.enabled,
        c.issuer.as_deref(),
        c.client_id.as_deref(),
        c.client_secret_sealed.as_deref(),
        c.scopes.as_deref(),
        c.metadata_url.as_deref(),
        &c.provider_cache,
        c.provider_cached_at,
        &c.claim_mapping,
        c.trust_idp_mfa,
        c.rp_logout,
        c.created_at,
        c.updated_at,
    )?;
    Ok(())
}

/// The organization's connections, oldest first.
pub(crate) async fn connections_of(db: Db<'_>, org: OrganizationId) -> Result<Vec<ConnectionRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {CONNECTION_COLUMNS} FROM sso_connections c WHERE c.organization_id = $1 ORDER BY c.created_at, c.id"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, ConnectionRow>(sql).bind(org).fetch_all(c).await)?)
}

pub(crate) async fn get_connection(db: Db<'_>, id: SsoConnectionId) -> Result<Option<ConnectionRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {CONNECTION_COLUMNS} FROM sso_connections c WHERE c.id = $1"));
    Ok(on_db!(db, |c| sqlx::query_as::<_, ConnectionRow>(sql).bind(id).fetch_optional(c).await)?)
}

/// Home-realm discovery: the oldest enabled connection of the organization that verified
/// `domain`, with the organization's name. One indexed lookup on each table.
/// The organization's id, name, colour and logo version.
pub(crate) type OrganizationLook = (OrganizationId, String, Option<String>, Option<String>);

pub(crate) async fn connection_for_domain(
    db: Db<'_>,
    domain: &str,
) -> Result<Option<(SsoConnectionId, String, OrganizationLook)>, StoreError> {
    let sql = "SELECT c.id, c.name, o.id, o.name, o.brand_color, o.logo_etag FROM organization_domains d \
               JOIN sso_connections c ON c.organization_id = d.organization_id AND c.enabled \
               JOIN organizations o ON o.id = d.organization_id \
               WHERE d.domain = $1 AND d.verified_at IS NOT NULL ORDER BY c.created_at, c.id LIMIT 1";
    type Row = (SsoConnectionId, String, OrganizationId, String, Option<String>, Option<String>);
    let row = on_db!(db, |c| sqlx::query_as::<_, Row>(sql).bind(domain).fetch_optional(c).await)?;
    Ok(row.map(|(c, name, id, org, color, logo)| (c, name, (id, org, color, logo))))
}

pub(crate) async fn delete_connection(
    db: Db<'_>,
    org: OrganizationId,
    id: SsoConnectionId,
) -> Result<bool, StoreError> {
    let n = execute!(db, "DELETE FROM sso_connections WHERE id = $1 AND organization_id = $2", id, org)?;
    Ok(n > 0)
}

/// Writes an edited connection's settings (not its kind, issuer, organization or state).
pub(crate) async fn update_connection(db: Db<'_>, c: &ConnectionRow) -> Result<bool, StoreError> {
    let n = execute!(
        db,
        "UPDATE sso_connections SET name = $1, client_id = $2, client_secret_sealed = $3, scopes = $4, \
         metadata_url = $5, provider_cache = $6, provider_cached_at = $7, claim_mapping = $8, trust_idp_mfa = $9, \
         rp_logout = $10, updated_at = $11 WHERE id = $12 AND organization_id = $13",
        &c.name,
        c.client_id.as_deref(),
        c.client_secret_sealed.as_deref(),
        c.scopes.as_deref(),
        c.metadata_url.as_deref(),
        &c.provider_cache,
        c.provider_cached_at,
        &c.claim_mapping,
        c.trust_idp_mfa,
        c.rp_logout,
        c.updated_at,
        c.id,
        c.organization_id,
    )?;
    Ok(n > 0)
}

pub(crate) async fn set_enabled(
    db: Db<'_>,
    org: OrganizationId,
    id: SsoConnectionId,
    enabled: bool,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let n = execute!(
        db,
        "UPDATE sso_connections SET enabled = $1, updated_at = $2 WHERE id = $3 AND organization_id = $4",
        enabled,
        now,
        id,
        org,
    )?;
    Ok(n > 0)
}

/// Replaces the cached provider metadata (after a refresh of discovery or keys).
pub(crate) async fn set_provider_cache(
    db: Db<'_>,
    id: SsoConnectionId,
    cache: &str,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    execute!(
        db,
        "UPDATE sso_connections SET provider_cache = $1, provider_cached_at = $2 WHERE id = $3",
        cache,
        now,
        id,
    )?;
    Ok(())
}

/// Serialises changes to `org`'s SSO-only policy and its enabled connections until the
/// transaction ends, so that "the last enabled connection" cannot be removed twice at once or
/// while the policy is turned on: on PostgreSQL a `FOR NO KEY UPDATE` lock on the organization's
/// row; SQLite's `BEGIN IMMEDIATE` already holds the write lock.
pub(crate) async fn lock_policy(db: Db<'_>, org: OrganizationId) -> Result<(), StoreError> {
    if let Db::Postgres(c) = db {
        sqlx::query("SELECT 1 FROM organizations WHERE id = $1 FOR NO KEY UPDATE").bind(org).execute(c).await?;
    }
    Ok(())
}

/// Sets the organization's "members must sign in through SSO" flag.
pub(crate) async fn set_sso_required(db: Db<'_>, org: OrganizationId, required: bool) -> Result<(), StoreError> {
    execute!(db, "UPDATE organizations SET sso_required = $1 WHERE id = $2", required, org)?;
    Ok(())
}

pub(crate) async fn sso_required(db: Db<'_>, org: OrganizationId) -> Result<bool, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_scalar::<_, bool>("SELECT sso_required FROM organizations WHERE id = $1")
        .bind(org)
        .fetch_one(c)
        .await)?)
}

/// The first organization `user` is a member (not a guest) of that requires SSO, with the name
/// of its oldest enabled connection (which the refusal names).
pub(crate) async fn sso_required_for(db: Db<'_>, user: UserId) -> Result<Option<(String, String)>, StoreError> {
    let sql = "SELECT o.name, c.name FROM organization_members m \
               JOIN organizations o ON o.id = m.organization_id AND o.sso_required \
               JOIN sso_connections c ON c.organization_id = o.id AND c.enabled \
               WHERE m.user_id = $1 AND m.kind = 'member' ORDER BY o.name, c.created_at LIMIT 1";
    Ok(on_db!(db, |c| sqlx::query_as::<_, (String, String)>(sql).bind(user).fetch_optional(c).await)?)
}

/// A `federated_identities` row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct IdentityRow {
    pub id: FederatedIdentityId,
    pub user_id: UserId,
    pub connection_id: Option<SsoConnectionId>,
    pub provider: String,
    pub issuer: String,
    pub subject: String,
    pub email: Option<String>,
    pub created_at: OffsetDateTime,
    pub last_used_at: OffsetDateTime,
}

const IDENTITY_COLUMNS: &str =
    "f.id, f.user_id, f.connection_id, f.provider, f.issuer, f.subject, f.email, f.created_at, f.last_used_at";

pub(crate) async fn find_identity(db: Db<'_>, issuer: &str, subject: &str) -> Result<Option<IdentityRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {IDENTITY_COLUMNS} FROM federated_identities f WHERE f.issuer = $1 AND f.subject = $2"
    ));
    Ok(on_db!(db, |c| sqlx::query_as::<_, IdentityRow>(sql).bind(issuer).bind(subject).fetch_optional(c).await)?)
}

pub(crate) async fn insert_identity(db: Db<'_>, f: &IdentityRow) -> Result<(), StoreError> {
    execute!(
        db,
        "INSERT INTO federated_identities (id, user_id, connection_id, provider, issuer, subject, email, created_at, \
         last_used_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        f.id,
        f.user_id,
        f.connection_id,
        &f.provider,
        &f.issuer,
        &f.subject,
        f.email.as_deref(),
        f.created_at,
        f.last_used_at,
    )?;
    Ok(())
}

pub(crate) async fn touch_identity(
    db: Db<'_>,
    id: FederatedIdentityId,
    email: Option<&str>,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    execute!(db, "UPDATE federated_identities SET email = $1, last_used_at = $2 WHERE id = $3", email, now, id)?;
    Ok(())
}

/// A user's identities with the connection's name (NULL for social presets), newest use first.
pub(crate) async fn identities_of(db: Db<'_>, user: UserId) -> Result<Vec<(IdentityRow, Option<String>)>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {IDENTITY_COLUMNS}, c.name FROM federated_identities f \
         LEFT JOIN sso_connections c ON c.id = f.connection_id WHERE f.user_id = $1 ORDER BY f.last_used_at DESC"
    ));
    let rows = on_db!(db, |c| sqlx::query_as::<_, IdentityWithName>(sql).bind(user).fetch_all(c).await)?;
    Ok(rows.into_iter().map(|r| (r.identity, r.connection_name)).collect())
}

#[derive(sqlx::FromRow)]
struct IdentityWithName {
    #[sqlx(flatten)]
    identity: IdentityRow,
    #[sqlx(rename = "name")]
    connection_name: Option<String>,
}

pub(crate) async fn delete_identity(db: Db<'_>, user: UserId, id: FederatedIdentityId) -> Result<bool, StoreError> {
    let n = execute!(db, "DELETE FROM federated_identities WHERE id = $1 AND user_id = $2", id, user)?;
    Ok(n > 0)
}

/// An `sso_states` row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct StateRow {
    pub state_hash: Vec<u8>,
    pub connection_id: Option<SsoConnectionId>,
    pub provider: String,
    pub nonce: Option<String>,
    pub pkce_verifier: Option<String>,
    pub saml_request_id: Option<String>,
    pub return_to: Option<String>,
    /// The language the person started in (a tag such as `de`).
    pub locale: Option<String>,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

pub(crate) async fn insert_state(db: Db<'_>, s: &StateRow) -> Result<(), StoreError> {
    execute!(
        db,
        "INSERT INTO sso_states (state_hash, connection_id, provider, nonce, pkce_verifier, saml_request_id, \
         return_to, locale, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        &s.state_hash,
        s.connection_id,
        &s.provider,
        s.nonce.as_deref(),
        s.pkce_verifier.as_deref(),
        s.saml_request_id.as_deref(),
        s.return_to.as_deref(),
        s.locale.as_deref(),
        s.created_at,
        s.expires_at,
    )?;
    Ok(())
}

/// Takes the state (deleting it: a state is used once), when it has not expired.
pub(crate) async fn take_state(
    db: Db<'_>,
    state_hash: &[u8],
    now: OffsetDateTime,
) -> Result<Option<StateRow>, StoreError> {
    let sql = "DELETE FROM sso_states WHERE state_hash = $1 AND expires_at > $2 RETURNING state_hash, connection_id, \
               provider, nonce, pkce_verifier, saml_request_id, return_to, locale, created_at, expires_at";
    Ok(on_db!(db, |c| sqlx::query_as::<_, StateRow>(sql).bind(state_hash).bind(now).fetch_optional(c).await)?)
}

/// Records a SAML assertion as used; false when it was already (a replay).
pub(crate) async fn remember_assertion(
    db: Db<'_>,
    issuer: &str,
    assertion_id: &str,
    expires_at: OffsetDateTime,
) -> Result<bool, StoreError> {
    let n = execute!(
        db,
        "INSERT INTO saml_seen_assertions (issuer, assertion_id, expires_at) VALUES ($1, $2, $3) \
         ON CONFLICT (issuer, assertion_id) DO NOTHING",
        issuer,
        assertion_id,
        expires_at,
    )?;
    Ok(n > 0)
}

/// Deletes expired states and remembered assertions; how many rows went.
pub(crate) async fn purge_expired(db: Db<'_>, now: OffsetDateTime) -> Result<u64, StoreError> {
    let mut db = db;
    let a = execute!(db.reborrow(), "DELETE FROM sso_states WHERE expires_at <= $1", now)?;
    let b = execute!(db, "DELETE FROM saml_seen_assertions WHERE expires_at <= $1", now)?;
    Ok(a + b)
}

/// Records the provider a session came through.
pub(crate) async fn insert_session_link(
    db: Db<'_>,
    session: SessionId,
    connection: Option<SsoConnectionId>,
    provider: &str,
    logout_hint: Option<&str>,
) -> Result<(), StoreError> {
    execute!(
        db,
        "INSERT INTO sso_sessions (session_id, connection_id, provider, logout_hint) VALUES ($1, $2, $3, $4)",
        session,
        connection,
        provider,
        logout_hint,
    )?;
    Ok(())
}

/// The connection a session came through and its logout hint.
pub(crate) async fn session_link(
    db: Db<'_>,
    session: SessionId,
) -> Result<Option<(Option<SsoConnectionId>, Option<String>)>, StoreError> {
    Ok(on_db!(db, |c| sqlx::query_as::<_, (Option<SsoConnectionId>, Option<String>)>(
        "SELECT connection_id, logout_hint FROM sso_sessions WHERE session_id = $1"
    )
    .bind(session)
    .fetch_optional(c)
    .await)?)
}
