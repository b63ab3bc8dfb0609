//! Registering and administering OAuth clients (operator only; the CLI's `keystead admin
//! client`, the admin API's `/api/v1/oauth-clients`): validation of a registration, changes with
//! a version check, secret rotation (optionally keeping the old secret for a while, so that a
//! service can be redeployed without downtime) and deletion, each audited.

use secrecy::SecretString;
use time::Duration;
use uuid::Uuid;

use super::SigningAlg;
use super::clients::{Client, ClientKind, GrantType, is_loopback_ip_http};
use crate::Core;
use crate::api_tokens::ApiScope;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::crypto::{new_token, random_bytes};
use crate::error::{Code, Error, FieldErrors, Result};
use crate::organizations::Actor;
use crate::store::oauth::{self as store, ClientRow};

/// The longest an old secret may keep working after a rotation.
pub const MAX_SECRET_OVERLAP: Duration = Duration::days(7);

/// What the operator registers.
#[derive(Debug, Clone)]
pub struct NewClient {
    /// The application's name.
    pub name: String,
    /// Public or confidential.
    pub kind: ClientKind,
    /// Skip the consent screen.
    pub first_party: bool,
    /// Redirect URIs (required for the authorization code grant).
    pub redirect_uris: Vec<String>,
    /// Grant types; empty means authorization_code and refresh_token.
    pub grant_types: Vec<String>,
    /// Post-logout redirect URIs.
    pub post_logout_redirect_uris: Vec<String>,
    /// Back-channel logout URI.
    pub backchannel_logout_uri: Option<String>,
    /// ID token algorithm (`RS256` when absent).
    pub id_token_alg: Option<String>,
    /// Admin API scopes (`users:read`, …) its client credentials tokens may carry: only for a
    /// confidential client with the `client_credentials` grant.
    pub api_scopes: Vec<String>,
    /// Refuse authorization requests that were not pushed first (RFC 9126 §6).
    pub require_pushed_authorization_requests: bool,
}

/// A change of a registration: each field given replaces the registered one. The kind (public
/// or confidential) cannot change: register a new client instead.
#[derive(Debug, Clone, Default)]
pub struct ClientChanges {
    /// The application's name.
    pub name: Option<String>,
    /// Skip the consent screen.
    pub first_party: Option<bool>,
    /// Redirect URIs.
    pub redirect_uris: Option<Vec<String>>,
    /// Grant types.
    pub grant_types: Option<Vec<String>>,
    /// Post-logout redirect URIs.
    pub post_logout_redirect_uris: Option<Vec<String>>,
    /// Back-channel logout URI (`Some(None)` removes it).
    pub backchannel_logout_uri: Option<Option<String>>,
    /// ID token algorithm.
    pub id_token_alg: Option<String>,
    /// Admin API scopes.
    pub api_scopes: Option<Vec<String>>,
    /// Refuse authorization requests that were not pushed first (RFC 9126 §6).
    pub require_pushed_authorization_requests: Option<bool>,
}

/// A client just registered, or given a new secret: the secret is shown once and never stored.
#[derive(Debug)]
pub struct CreatedClient {
    /// The client.
    pub client: Client,
    /// The secret of a confidential client.
    pub secret: Option<SecretString>,
}

/// A registration as checked.
#[derive(Debug)]
pub(crate) struct Checked {
    grants: Vec<GrantType>,
    alg: SigningAlg,
    api_scopes: Vec<ApiScope>,
}

/// Checks a redirect URI (RFC 6749 §3.1.2: absolute, no fragment; RFC 9700 §2.6: HTTPS except
/// loopback; RFC 8252 §7.1: a private-use scheme such as `com.example.app:/cb` for native apps).
fn check_redirect(field: &str, uri: &str, kind: ClientKind, errors: &mut FieldErrors) {
    let parsed = match url::Url::parse(uri) {
        Ok(u) if uri.chars().count() <= 512 && !uri.contains(' ') => u,
        _ => {
            let message = format!("{uri:?} is not an absolute URL (at most 512 characters)");
            errors.add_with(field, "invalid_uri", message, vec![("uri", uri.to_owned())]);
            return;
        }
    };
    if parsed.fragment().is_some() {
        let message = format!("{uri:?} must not contain a fragment (#…)");
        errors.add_with(field, "fragment", message, vec![("uri", uri.to_owned())]);
    }
    let ok = match parsed.scheme() {
        "https" => parsed.host().is_some(),
        "http" => is_loopback_ip_http(&parsed) || parsed.host_str() == Some("localhost"),
        scheme => kind == ClientKind::Public && scheme.contains('.'),
    };
    if !ok {
        errors.add_with(
            field,
            "insecure_uri",
            format!(
                "{uri:?} must use https (http only for 127.0.0.1 or [::1]; a private-use scheme like com.example.app: only for public clients)"
            ),
            vec![("uri", uri.to_owned())],
        );
    }
}

/// Checks a registration. `allow_private`: whether the deployment lets Keystead send requests to
/// private networks (a back-channel logout URI at a private address literal is refused otherwise).
pub(crate) fn validate(new: &NewClient, allow_private: bool) -> Result<Checked> {
    let mut errors = FieldErrors::new();
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        errors.add("name", "invalid_name", "Give the application a name of 1 to 100 characters.");
    }
    let mut grants = Vec::new();
    for g in &new.grant_types {
        match GrantType::parse(g.trim()) {
            Some(grant) if !grants.contains(&grant) => grants.push(grant),
            Some(_) => {}
            None => errors.add(
                "grant",
                "unknown_grant",
                format!(
                    "{g:?} is not a grant type (authorization_code, refresh_token, client_credentials, device_code)"
                ),
            ),
        }
    }
    if new.grant_types.is_empty() {
        grants = vec![GrantType::AuthorizationCode, GrantType::RefreshToken];
    }
    if new.kind == ClientKind::Public && grants.contains(&GrantType::ClientCredentials) {
        errors.add(
            "grant",
            "public_client_credentials",
            "A public client cannot use client_credentials (RFC 6749 §4.4).",
        );
    }
    if grants.contains(&GrantType::AuthorizationCode) && new.redirect_uris.is_empty() {
        errors.add("redirect_uri", "required", "The authorization_code grant needs at least one redirect URI.");
    }
    for uri in &new.redirect_uris {
        check_redirect("redirect_uri", uri, new.kind, &mut errors);
    }
    for uri in &new.post_logout_redirect_uris {
        check_redirect("post_logout_redirect_uri", uri, new.kind, &mut errors);
    }
    if let Some(uri) = &new.backchannel_logout_uri {
        check_redirect("backchannel_logout_uri", uri, ClientKind::Confidential, &mut errors);
        if errors.0.iter().all(|e| e.field != "backchannel_logout_uri")
            && let Some(why) = crate::outbound::refusal(uri, allow_private)
        {
            errors.add("backchannel_logout_uri", "private_address", why);
        }
    }
    let alg = match new.id_token_alg.as_deref() {
        None => SigningAlg::Rs256,
        Some(a) => SigningAlg::parse(a).unwrap_or_else(|| {
            errors.add("id_token_alg", "unknown_alg", format!("{a:?} is not one of RS256, ES256, EdDSA"));
            SigningAlg::Rs256
        }),
    };
    let api_scopes = check_api_scopes(new, &grants, &mut errors);
    errors.into_result()?;
    Ok(Checked { grants, alg, api_scopes })
}

/// The admin API scopes of a registration: catalogue names a deployment-wide caller may hold,
/// only for a confidential client that may use `client_credentials` (the token is the client's
/// own; no user stands behind it).
fn check_api_scopes(new: &NewClient, grants: &[GrantType], errors: &mut FieldErrors) -> Vec<ApiScope> {
    let mut scopes = Vec::new();
    for raw in new.api_scopes.iter().flat_map(|s| s.split([' ', ','])).filter(|s| !s.is_empty()) {
        match ApiScope::parse(raw) {
            Some(s) if s.for_deployment() => scopes.push(s),
            Some(_) => errors.add(
                "api_scopes",
                "scope_needs_organization",
                format!("{raw} is always one organization's; a client cannot hold it."),
            ),
            None => {
                let known: Vec<&str> =
                    ApiScope::ALL.iter().filter(|s| s.for_deployment()).map(|s| s.as_str()).collect();
                errors.add(
                    "api_scopes",
                    "unknown_scope",
                    format!("{raw} is not an admin API scope; they are {}.", known.join(", ")),
                );
            }
        }
    }
    scopes.sort();
    scopes.dedup();
    if !scopes.is_empty() && (new.kind != ClientKind::Confidential || !grants.contains(&GrantType::ClientCredentials)) {
        errors.add(
            "api_scopes",
            "needs_client_credentials",
            "Admin API scopes are for a confidential client with the client_credentials grant.",
        );
    }
    scopes
}

fn new_client_id() -> anyhow::Result<String> {
    use base64::Engine;
    let mut raw = [0u8; 16];
    random_bytes(&mut raw)?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw))
}

/// A new 256-bit secret and its SHA-256.
fn new_secret() -> Result<(SecretString, Vec<u8>)> {
    let t = new_token().map_err(Error::Internal)?;
    Ok((t.secret, t.digest.as_bytes().to_vec()))
}

/// The registration `row` would become with `changes`, as a new registration to check.
fn changed(row: &ClientRow, changes: ClientChanges) -> NewClient {
    let list = |s: &str| super::split_list(s);
    let current: Client = row.clone().into();
    NewClient {
        name: changes.name.unwrap_or(current.name),
        kind: current.kind,
        first_party: changes.first_party.unwrap_or(current.first_party),
        redirect_uris: changes.redirect_uris.unwrap_or(current.redirect_uris),
        grant_types: changes.grant_types.unwrap_or_else(|| list(&row.grant_types)),
        post_logout_redirect_uris: changes.post_logout_redirect_uris.unwrap_or(current.post_logout_redirect_uris),
        backchannel_logout_uri: changes.backchannel_logout_uri.unwrap_or(current.backchannel_logout_uri),
        id_token_alg: Some(changes.id_token_alg.unwrap_or_else(|| row.id_token_alg.clone())),
        api_scopes: changes.api_scopes.unwrap_or_else(|| list(&row.api_scopes)),
        require_pushed_authorization_requests: changes
            .require_pushed_authorization_requests
            .unwrap_or(row.require_pushed_authorization_requests),
    }
}

/// The client's row, locked for the transaction; `NotFound`, or `PreconditionFailed` when
/// its version is not `expected_version`.
async fn locked_client(
    tx: &mut crate::store::Tx,
    client_id: &str,
    expected_version: Option<&str>,
) -> Result<ClientRow> {
    if client_id.is_empty() || client_id.len() > 128 {
        return Err(Error::NotFound);
    }
    let row = store::lock_client(tx.db(), client_id).await?.ok_or(Error::NotFound)?;
    if let Some(expected) = expected_version
        && Client::from(row.clone()).version() != expected
    {
        return Err(Error::refused(
            Code::PreconditionFailed,
            "The client changed since you read it: read it again and reapply your change.",
        ));
    }
    Ok(row)
}

/// When a change made `now` is recorded: after the last one, so that the version (`ETag`)
/// changes even within one clock tick (PostgreSQL keeps microseconds).
fn next_version(row: &ClientRow, now: time::OffsetDateTime) -> time::OffsetDateTime {
    now.max(row.updated_at.unwrap_or(row.created_at) + Duration::microseconds(1))
}

fn join<T: AsRef<str>>(items: impl IntoIterator<Item = T>) -> String {
    items.into_iter().map(|i| i.as_ref().to_owned()).collect::<Vec<_>>().join(" ")
}

/// The record of a registration in the audit log.
fn audited(row: &ClientRow) -> serde_json::Value {
    serde_json::json!({
        "client_id": row.client_id,
        "name": row.name,
        "kind": row.kind,
        "first_party": row.first_party,
        "grant_types": row.grant_types,
        "api_scopes": row.api_scopes,
        "require_pushed_authorization_requests": row.require_pushed_authorization_requests,
    })
}

impl Core {
    /// Registers a client (the operator). A confidential client gets a 256-bit secret, returned
    /// once and stored as its SHA-256.
    pub async fn create_oauth_client(&self, actor: Actor, new: NewClient, meta: &RequestMeta) -> Result<CreatedClient> {
        actor.require_operator()?;
        let checked = validate(&new, self.config().outbound.allow_private_networks)?;
        let now = self.clock().now();
        let (secret, secret_hash) = match new.kind {
            ClientKind::Confidential => new_secret().map(|(s, h)| (Some(s), Some(h)))?,
            ClientKind::Public => (None, None),
        };
        let row = ClientRow {
            id: Uuid::now_v7(),
            client_id: new_client_id()?,
            name: new.name.trim().to_owned(),
            kind: new.kind.as_str().to_owned(),
            secret_hash,
            first_party: new.first_party,
            redirect_uris: join(&new.redirect_uris),
            post_logout_redirect_uris: join(&new.post_logout_redirect_uris),
            grant_types: join(checked.grants.iter().map(|g| g.as_str())),
            backchannel_logout_uri: new.backchannel_logout_uri.clone(),
            id_token_alg: checked.alg.as_str().to_owned(),
            created_at: now,
            updated_at: None,
            api_scopes: join(checked.api_scopes.iter().map(|s| s.as_str())),
            previous_secret_hash: None,
            previous_secret_expires_at: None,
            require_pushed_authorization_requests: new.require_pushed_authorization_requests,
        };
        let mut tx = self.store().begin().await?;
        store::insert_client(tx.db(), &row).await?;
        audit::record(tx.db(), now, AuditAction::OAuthClientRegistered, None, None, meta, audited(&row)).await?;
        tx.commit().await?;
        Ok(CreatedClient { client: row.into(), secret })
    }

    /// Changes a client's registration (the operator) with the same checks as registering it.
    /// With `expected_version` (`If-Match`), a registration changed since is `PreconditionFailed`.
    /// Taking away a grant type or a redirect URI affects only what is asked from now on.
    pub async fn update_oauth_client(
        &self,
        actor: Actor,
        client_id: &str,
        changes: ClientChanges,
        expected_version: Option<&str>,
        meta: &RequestMeta,
    ) -> Result<Client> {
        actor.require_operator()?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let mut row = locked_client(&mut tx, client_id, expected_version).await?;
        let new = changed(&row, changes);
        let checked = validate(&new, self.config().outbound.allow_private_networks)?;
        row.name = new.name.trim().to_owned();
        row.first_party = new.first_party;
        row.redirect_uris = join(&new.redirect_uris);
        row.post_logout_redirect_uris = join(&new.post_logout_redirect_uris);
        row.grant_types = join(checked.grants.iter().map(|g| g.as_str()));
        row.backchannel_logout_uri = new.backchannel_logout_uri;
        row.id_token_alg = checked.alg.as_str().to_owned();
        row.api_scopes = join(checked.api_scopes.iter().map(|s| s.as_str()));
        row.require_pushed_authorization_requests = new.require_pushed_authorization_requests;
        row.updated_at = Some(next_version(&row, now));
        store::update_client(tx.db(), &row).await?;
        audit::record(tx.db(), now, AuditAction::OAuthClientChanged, None, None, meta, audited(&row)).await?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// Gives a confidential client a new secret (the operator), returned once. The old secret
    /// stops working now, or after `keep_previous` (at most [`MAX_SECRET_OVERLAP`]) so that the
    /// service can switch over; a secret kept from an earlier rotation is dropped.
    pub async fn rotate_oauth_client_secret(
        &self,
        actor: Actor,
        client_id: &str,
        keep_previous: Duration,
        meta: &RequestMeta,
    ) -> Result<CreatedClient> {
        actor.require_operator()?;
        if keep_previous.is_negative() || keep_previous > MAX_SECRET_OVERLAP {
            let days = MAX_SECRET_OVERLAP.whole_days();
            return Err(Error::invalid(
                "keep_previous",
                "out_of_range",
                format!("Keep the old secret 0 to {days} days."),
            ));
        }
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let mut row = locked_client(&mut tx, client_id, None).await?;
        if row.kind != ClientKind::Confidential.as_str() {
            return Err(Error::invalid("client_id", "public_client", "A public client has no secret."));
        }
        let (secret, hash) = new_secret()?;
        let keep = keep_previous.is_positive();
        let old = row.secret_hash.replace(hash);
        row.previous_secret_hash = if keep { old } else { None };
        row.previous_secret_expires_at = keep.then_some(now + keep_previous);
        row.updated_at = Some(next_version(&row, now));
        store::update_client(tx.db(), &row).await?;
        let details =
            serde_json::json!({"client_id": row.client_id, "previous_secret_until": row.previous_secret_expires_at});
        audit::record(tx.db(), now, AuditAction::OAuthClientSecretRotated, None, None, meta, details).await?;
        tx.commit().await?;
        Ok(CreatedClient { client: row.into(), secret: Some(secret) })
    }

    /// Deletes a client with its consents, grants and tokens (the operator).
    pub async fn delete_oauth_client(&self, actor: Actor, client_id: &str, meta: &RequestMeta) -> Result<()> {
        actor.require_operator()?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let row = locked_client(&mut tx, client_id, None).await?;
        store::delete_client(tx.db(), client_id).await?;
        let details = serde_json::json!({ "client_id": row.client_id, "name": row.name });
        audit::record(tx.db(), now, AuditAction::OAuthClientDeleted, None, None, meta, details).await?;
        tx.commit().await?;
        Ok(())
    }
}
