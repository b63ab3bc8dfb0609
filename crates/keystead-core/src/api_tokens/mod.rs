//! Personal access tokens for the admin API and SCIM: named, with scopes from one catalogue
//! ([`ApiScope`]), an expiry, shown once and kept as their SHA-256, revocable, their last use
//! recorded. A token belongs to one organization (and reaches only it) or to the deployment
//! (operators only). A token a user made acts with that user's permissions, so it stops working
//! when they lose them; the operator's tokens act as the operator.

mod client_callers;
pub mod idempotency;
pub mod mine;
mod scopes;
#[cfg(test)]
mod tests;

use secrecy::{ExposeSecret as _, SecretString};
use serde::Serialize;
use time::{Duration, OffsetDateTime};

pub use scopes::ApiScope;

use crate::Core;
use crate::accounts::UserStatus;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::crypto::TokenDigest;
use crate::error::{Code, Error, FieldErrors, Result};
use crate::ids::{ApiTokenId, OrganizationId, UserId};
use crate::organizations::{Actor, Permission, access};
use crate::store::api_tokens::{self as store, TokenRow};
use crate::store::users as store_users;

/// What every token starts with, so that secret scanners and people recognise one.
pub const TOKEN_PREFIX: &str = "kst_";
/// How long a token lives when no expiry is given.
pub const DEFAULT_DAYS: u32 = 90;
/// The longest a token may live.
pub const MAX_DAYS: u32 = 3650;
/// A token's last use is written at most this often.
const TOUCH_EVERY: Duration = Duration::minutes(1);

/// What to create.
#[derive(Debug, Clone, Default)]
pub struct NewApiToken {
    /// What it is for ("Shop sync").
    pub name: String,
    /// Scope names from the catalogue.
    pub scopes: Vec<String>,
    /// The organization it reaches; `None` for the whole deployment (operators only).
    pub organization: Option<OrganizationId>,
    /// Days until it expires ([`DEFAULT_DAYS`] when `None`).
    pub days: Option<u32>,
}

/// A token as lists show it (never the token itself).
#[derive(Debug, Clone, Serialize)]
pub struct ApiToken {
    /// Its id.
    pub id: ApiTokenId,
    /// Its name.
    pub name: String,
    /// Its first characters, to tell it apart (`kst_Ab3dE7fG`).
    pub prefix: String,
    /// What it may do.
    pub scopes: Vec<ApiScope>,
    /// The organization it reaches (`None`: the deployment).
    pub organization_id: Option<OrganizationId>,
    /// Who made it (`None`: the operator).
    pub created_by: Option<UserId>,
    /// When it was made.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When it stops working.
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires_at: Option<OffsetDateTime>,
    /// When it was last used (to the minute).
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_used_at: Option<OffsetDateTime>,
    /// When it was revoked.
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
}

/// A token just made: the token, shown this once, and how it is listed.
#[derive(Debug)]
pub struct CreatedApiToken {
    /// The token.
    pub token: SecretString,
    /// The token as lists show it.
    pub info: ApiToken,
}

/// What a caller presented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// A personal access token.
    Token(ApiTokenId),
    /// A client credentials access token of an OAuth client.
    Client {
        /// The client's row id.
        id: uuid::Uuid,
        /// Its `client_id`.
        client_id: String,
    },
}

impl Credential {
    /// The caller's id (the token's, or the client's row id): what idempotency keys and the
    /// request budget belong to.
    pub fn id(&self) -> uuid::Uuid {
        match self {
            Self::Token(t) => t.0,
            Self::Client { id, .. } => *id,
        }
    }
}

/// Who is calling with a valid token, and what it may do.
#[derive(Debug, Clone)]
pub struct ApiPrincipal {
    /// The token or client.
    pub credential: Credential,
    /// Its scopes.
    pub scopes: Vec<ApiScope>,
    /// The organization it is limited to.
    pub organization: Option<OrganizationId>,
    /// Whose permissions it acts with.
    pub actor: Actor,
}

impl ApiPrincipal {
    /// `Ok` when the token holds `scope`; otherwise `insufficient_scope` naming it.
    pub fn require(&self, scope: ApiScope) -> Result<()> {
        if self.scopes.contains(&scope) {
            return Ok(());
        }
        Err(Error::refused(Code::InsufficientScope, format!("This needs a token with the scope {}.", scope.as_str())))
    }

    /// The actor for something in `org`: refused as not found for another organization's token
    /// (it does not learn that the organization exists).
    pub fn actor_in(&self, org: OrganizationId) -> Result<Actor> {
        match self.organization {
            Some(own) if own != org => Err(Error::NotFound),
            _ => Ok(self.actor),
        }
    }

    /// The actor for something of the whole deployment: an organization's token may not.
    pub fn deployment_actor(&self) -> Result<Actor> {
        match (self.organization, self.actor) {
            (None, Actor::Operator) => Ok(Actor::Operator),
            _ => Err(Error::Forbidden),
        }
    }
}

impl From<TokenRow> for ApiToken {
    fn from(r: TokenRow) -> Self {
        Self {
            id: r.id,
            name: r.name,
            prefix: r.prefix,
            scopes: r.scopes.split_whitespace().filter_map(ApiScope::parse).collect(),
            organization_id: r.organization_id,
            created_by: r.created_by,
            created_at: r.created_at,
            expires_at: r.expires_at,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
        }
    }
}

/// The checked scopes, or the problems (field `scopes`/`days`/`name`) in `errors`.
fn check(new: &NewApiToken, errors: &mut FieldErrors) -> (String, Vec<ApiScope>, u32) {
    let name = new.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        errors.add("name", "invalid_name", "Give the token a name of 1 to 100 characters, saying what it is for.");
    }
    let mut scopes = Vec::new();
    for raw in new.scopes.iter().flat_map(|s| s.split([' ', ','])).filter(|s| !s.is_empty()) {
        match ApiScope::parse(raw) {
            Some(s) if new.organization.is_some() && !s.for_organizations() => errors.add_with(
                "scopes",
                "scope_not_for_organizations",
                format!("{raw} concerns the whole deployment; an organization's token cannot hold it."),
                vec![("scope", raw.to_owned())],
            ),
            Some(s) if new.organization.is_none() && !s.for_deployment() => errors.add_with(
                "scopes",
                "scope_needs_organization",
                format!("{raw} is always one organization's: give the organization."),
                vec![("scope", raw.to_owned())],
            ),
            Some(s) => scopes.push(s),
            None => {
                let known: Vec<&str> = ApiScope::ALL.iter().map(|s| s.as_str()).collect();
                errors.add_with(
                    "scopes",
                    "unknown_scope",
                    format!("{raw} is not a scope; the scopes are {}.", known.join(", ")),
                    vec![("scope", raw.to_owned()), ("scopes", known.join(", "))],
                );
            }
        }
    }
    scopes.sort();
    scopes.dedup();
    if scopes.is_empty() && errors.for_field("scopes").next().is_none() {
        errors.add("scopes", "required", "Give the token at least one scope.");
    }
    let days = new.days.unwrap_or(DEFAULT_DAYS);
    if !(1..=MAX_DAYS).contains(&days) {
        errors.add_with(
            "days",
            "invalid_days",
            format!("A token lives 1 to {MAX_DAYS} days."),
            vec![("min", "1".to_owned()), ("max", MAX_DAYS.to_string())],
        );
    }
    (name, scopes, days)
}

impl Core {
    /// Creates a token. An organization's token needs `org:manage` there (or the operator); a
    /// deployment token, the operator.
    pub async fn create_api_token(
        &self,
        actor: Actor,
        new: NewApiToken,
        meta: &RequestMeta,
    ) -> Result<CreatedApiToken> {
        let mut errors = FieldErrors::new();
        let (name, scopes, days) = check(&new, &mut errors);
        errors.into_result()?;
        let now = self.clock().now();
        let secret = crate::crypto::new_token().map_err(Error::Internal)?;
        let token = format!("{TOKEN_PREFIX}{}", secret.secret.expose_secret());
        let row = TokenRow {
            id: ApiTokenId::new(),
            name,
            token_hash: TokenDigest::of(&token).as_bytes().to_vec(),
            prefix: token.chars().take(TOKEN_PREFIX.len() + 8).collect(),
            scopes: scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" "),
            organization_id: new.organization,
            created_by: actor.user(),
            created_at: now,
            expires_at: Some(now + Duration::days(i64::from(days))),
            last_used_at: None,
            revoked_at: None,
        };
        let mut tx = self.store().begin().await?;
        self.may_manage_tokens(tx.db(), actor, new.organization).await?;
        store::insert(tx.db(), &row).await?;
        let expires_at = row.expires_at.map(|t| t.unix_timestamp());
        let details =
            serde_json::json!({"token": row.id, "name": row.name, "scopes": row.scopes, "expires_at": expires_at});
        match new.organization {
            Some(org) => {
                audit::record_in_org(tx.db(), now, AuditAction::ApiTokenCreated, actor.user(), None, org, meta, details)
                    .await?
            }
            None => {
                audit::record(tx.db(), now, AuditAction::ApiTokenCreated, actor.user(), None, meta, details).await?
            }
        }
        tx.commit().await?;
        Ok(CreatedApiToken { token: SecretString::from(token), info: row.into() })
    }

    /// The tokens of `org` (`org:manage` there), or of the whole deployment (operator).
    pub async fn api_tokens(&self, actor: Actor, org: Option<OrganizationId>) -> Result<Vec<ApiToken>> {
        let mut conn = self.store().conn().await?;
        self.may_manage_tokens(conn.db(), actor, org).await?;
        Ok(store::list(conn.db(), org).await?.into_iter().map(ApiToken::from).collect())
    }

    /// Revokes a token at once (who may create it may revoke it).
    pub async fn revoke_api_token(&self, actor: Actor, id: ApiTokenId, meta: &RequestMeta) -> Result<()> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let row = store::get(tx.db(), id).await?.ok_or(Error::NotFound)?;
        self.may_manage_tokens(tx.db(), actor, row.organization_id).await.map_err(|_| Error::NotFound)?;
        if !store::revoke(tx.db(), id, now).await? {
            return Err(Error::refused(Code::AlreadyExists, "This token was revoked already."));
        }
        let details = serde_json::json!({"token": id, "name": row.name});
        match row.organization_id {
            Some(org) => {
                audit::record_in_org(tx.db(), now, AuditAction::ApiTokenRevoked, actor.user(), None, org, meta, details)
                    .await?
            }
            None => {
                audit::record(tx.db(), now, AuditAction::ApiTokenRevoked, actor.user(), None, meta, details).await?
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Who a presented token speaks for. Unknown, revoked and expired tokens, and tokens of a
    /// user who can no longer sign in, are all `unauthenticated` (with why, for the caller); a
    /// token past its `rate_limits.api_per_token` requests this minute is `RateLimited`.
    pub async fn authenticate_api_token(&self, presented: &str) -> Result<ApiPrincipal> {
        let unauthenticated = |why: &str| Error::refused(Code::Unauthenticated, why);
        if !presented.starts_with(TOKEN_PREFIX) || presented.len() > 200 {
            return Err(unauthenticated("This is not a Keystead access token."));
        }
        let now = self.clock().now();
        let row = {
            let mut conn = self.store().conn().await?;
            let row = store::by_hash(conn.db(), TokenDigest::of(presented).as_bytes()).await?;
            let row = row.ok_or_else(|| unauthenticated("This token is not known."))?;
            if row.revoked_at.is_some() {
                return Err(unauthenticated("This token was revoked."));
            }
            if row.expires_at.is_some_and(|at| at <= now) {
                return Err(unauthenticated("This token has expired; create a new one."));
            }
            if let Some(user) = row.created_by {
                let maker: crate::accounts::User = store_users::get(conn.db(), user).await?.into();
                if !matches!(maker.status, UserStatus::Active | UserStatus::IncompleteProfile) {
                    return Err(unauthenticated("The account that made this token can no longer sign in."));
                }
            }
            row
        };
        // One short write per request: the token's budget (shared by every node), and its last
        // use once a minute.
        let mut tx = self.store().begin().await?;
        self.spend_api_budget(&mut tx, row.id.0, now).await?;
        if row.last_used_at.is_none_or(|at| now - at >= TOUCH_EVERY) {
            store::touch(tx.db(), row.id, now, TOUCH_EVERY).await?;
        }
        tx.commit().await?;
        let actor = row.created_by.map_or(Actor::Operator, Actor::User);
        let scopes = row.scopes.split_whitespace().filter_map(ApiScope::parse).collect();
        Ok(ApiPrincipal { credential: Credential::Token(row.id), scopes, organization: row.organization_id, actor })
    }

    /// Counts a request against the caller's `rate_limits.api_per_token` budget for this minute
    /// (shared by every node): `RateLimited` past it.
    pub(crate) async fn spend_api_budget(
        &self,
        tx: &mut crate::store::Tx,
        caller: uuid::Uuid,
        now: OffsetDateTime,
    ) -> Result<()> {
        let limit = crate::rate_limit::limits::api_per_token(self.config().rate_limits.api_per_token);
        crate::rate_limit::hit(tx.db(), limit, &caller.to_string(), now).await?;
        Ok(())
    }

    /// `Ok` when `actor` may create, list and revoke tokens of `org` (or of the deployment).
    async fn may_manage_tokens(
        &self,
        db: crate::store::Db<'_>,
        actor: Actor,
        org: Option<OrganizationId>,
    ) -> Result<()> {
        match (org, actor) {
            (Some(org), actor) => access(db, org, actor).await?.require(Permission::OrgManage),
            (None, Actor::Operator) => Ok(()),
            (None, Actor::User(_)) => Err(Error::Forbidden),
        }
    }
}
