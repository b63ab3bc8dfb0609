//! Searching the audit log (the admin API's `GET /api/v1/audit-events`, the console's audit
//! page and its CSV export): by actor, subject (each by id or address), action (exact, or a
//! family as `user.*`), organization and time, newest first, in pages resumed by an opaque
//! cursor. The operator searches the whole log; within an organization (its token, or a user
//! who may manage it) only that organization's log.

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use time::OffsetDateTime;

use super::AuditEvent;
use crate::Core;
use crate::accounts::email::EmailAddress;
use crate::error::{Error, FieldErrors, Result};
use crate::ids::{AuditEventId, OrganizationId, UserId};
use crate::organizations::{Actor, Permission, access};
use crate::store::audit::{self as store, AuditFilter, AuditRow};
use crate::store::{Db, StoreError, organizations as store_orgs, users as store_users};

/// An audit search.
#[derive(Debug, Default, Clone)]
pub struct AuditQuery {
    /// Done by this user.
    pub actor: Option<UserId>,
    /// About this user.
    pub subject: Option<UserId>,
    /// Done by the account with this address (when `actor` is not given); an address no
    /// account has is a field error on `actor`.
    pub actor_email: Option<String>,
    /// About the account with this address (when `subject` is not given); an address no
    /// account has is a field error on `subject`.
    pub subject_email: Option<String>,
    /// In this organization's log, given by id or slug; one that does not exist (or, for a
    /// caller confined to one organization, any other) is a field error on `organization`.
    pub organization: Option<String>,
    /// This action (`user.disabled`), or a family (`user.*`).
    pub action: Option<String>,
    /// At or after.
    pub since: Option<OffsetDateTime>,
    /// Before.
    pub until: Option<OffsetDateTime>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Page size, 1 to 500 (default 100).
    pub limit: Option<u32>,
}

/// A page of events.
#[derive(Debug)]
pub struct AuditPage {
    /// Newest first.
    pub items: Vec<AuditEvent>,
    /// For the next (older) page; `None` on the last.
    pub next_cursor: Option<String>,
    /// The addresses of the actors and subjects of `items` whose accounts still exist.
    pub emails: HashMap<UserId, String>,
    /// The slugs of the organizations of `items` that still exist.
    pub organizations: HashMap<OrganizationId, String>,
}

impl From<AuditRow> for AuditEvent {
    fn from(r: AuditRow) -> Self {
        Self {
            id: r.id,
            occurred_at: r.occurred_at,
            action: r.action,
            actor: r.actor_user_id,
            subject: r.subject_user_id,
            organization: r.organization_id.map(OrganizationId),
            ip: r.ip,
            user_agent: r.user_agent,
            details: r.details.0,
        }
    }
}

const CURSOR_VERSION: &str = "a1.";

fn encode_cursor(e: &AuditRow) -> String {
    let raw = format!("{}.{}", e.occurred_at.unix_timestamp_nanos(), e.id.0.simple());
    format!("{CURSOR_VERSION}{}", URL_SAFE_NO_PAD.encode(raw))
}

fn decode_cursor(c: &str) -> Option<(OffsetDateTime, AuditEventId)> {
    let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(c.strip_prefix(CURSOR_VERSION)?).ok()?).ok()?;
    let (nanos, id) = raw.split_once('.')?;
    let at = OffsetDateTime::from_unix_timestamp_nanos(nanos.parse().ok()?).ok()?;
    Some((at, AuditEventId(uuid::Uuid::parse_str(id).ok()?)))
}

/// The stored form of an action filter: exact, or a family (`user.*` → `user.%`).
fn action_filter(action: &str, errors: &mut FieldErrors) -> Option<String> {
    let a = action.trim();
    let valid =
        |s: &str| !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_lowercase() || c == '.' || c == '_');
    match a.strip_suffix('*') {
        Some(family) if valid(family) && family.ends_with('.') => Some(format!("{}%", family.replace('_', "\\_"))),
        None if valid(a) => Some(a.to_owned()),
        _ => {
            errors.add("action", "invalid", "Give an action such as user.disabled, or a family such as user.*.");
            None
        }
    }
}

/// Who and where a query names by address or slug, as ids; `None` when a name matches nothing
/// the caller may see (an organization's caller is not told which addresses have accounts).
struct Named {
    actor: Option<UserId>,
    subject: Option<UserId>,
    organization: Option<OrganizationId>,
}

/// The account with `email`; for the operator (`tell`) an unknown address is a field error on
/// `field`, for others it matches nothing (`Err(())`).
async fn account(
    db: Db<'_>,
    field: &'static str,
    email: &str,
    tell: bool,
    errors: &mut FieldErrors,
) -> Result<Result<Option<UserId>, ()>> {
    let address = match EmailAddress::parse(field, email) {
        Ok(a) => a,
        Err(Error::Invalid(e)) => {
            errors.0.extend(e.0);
            return Ok(Ok(None));
        }
        Err(e) => return Err(e),
    };
    match store_users::find_by_email(db, address.lookup()).await? {
        Some(u) => Ok(Ok(Some(u.id))),
        None if tell => {
            errors.add(field, "unknown_account", "No account has this address.");
            Ok(Ok(None))
        }
        None => Ok(Err(())),
    }
}

/// The organization named by id or slug; one that does not exist, or other than `within`, is a
/// field error.
async fn organization(
    db: Db<'_>,
    named: &str,
    within: Option<OrganizationId>,
    errors: &mut FieldErrors,
) -> Result<Option<OrganizationId>> {
    let named = named.trim();
    let found = match named.parse::<OrganizationId>() {
        Ok(id) => match store_orgs::get_org(db, id).await {
            Ok(o) => Some(o.id),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        },
        Err(_) => store_orgs::find_org_by_slug(db, &named.to_ascii_lowercase()).await?.map(|o| o.id),
    };
    match found {
        Some(id) if within.is_none_or(|w| w == id) => Ok(Some(id)),
        _ => {
            errors.add("organization", "unknown_organization", "No organization has this id or slug.");
            Ok(None)
        }
    }
}

/// Resolves the addresses and slug of `query`; `Ok(None)` when they match nothing.
async fn named(db: Db<'_>, within: Option<OrganizationId>, query: &AuditQuery) -> Result<Option<Named>> {
    let mut db = db;
    let mut errors = FieldErrors::new();
    let tell = within.is_none();
    let mut named = Named { actor: query.actor, subject: query.subject, organization: within };
    let mut nothing = false;
    if let (None, Some(email)) = (query.actor, query.actor_email.as_deref()) {
        match account(db.reborrow(), "actor", email, tell, &mut errors).await? {
            Ok(id) => named.actor = id,
            Err(()) => nothing = true,
        }
    }
    if let (None, Some(email)) = (query.subject, query.subject_email.as_deref()) {
        match account(db.reborrow(), "subject", email, tell, &mut errors).await? {
            Ok(id) => named.subject = id,
            Err(()) => nothing = true,
        }
    }
    if let Some(org) = query.organization.as_deref() {
        named.organization = organization(db.reborrow(), org, within, &mut errors).await?.or(within);
    }
    errors.into_result()?;
    Ok((!nothing).then_some(named))
}

impl Core {
    /// Events matching `query`, newest first, with the addresses of the people they name.
    pub async fn search_audit_events(
        &self,
        actor: Actor,
        within: Option<OrganizationId>,
        query: &AuditQuery,
    ) -> Result<AuditPage> {
        let mut errors = FieldErrors::new();
        let limit = query.limit.unwrap_or(100);
        if !(1..=500).contains(&limit) {
            errors.add("limit", "out_of_range", "Ask for 1 to 500 events a page.");
        }
        let action = query.action.as_deref().and_then(|a| action_filter(a, &mut errors));
        let before = match query.cursor.as_deref() {
            Some(c) => decode_cursor(c).or_else(|| {
                errors.add("cursor", "invalid", "This cursor was not made by this API; start from the first page.");
                None
            }),
            None => None,
        };
        if let (Some(since), Some(until)) = (query.since, query.until)
            && since >= until
        {
            errors.add("until", "before_since", "until must be after since.");
        }
        errors.into_result()?;
        let mut conn = self.store().conn().await?;
        match (within, actor) {
            (None, Actor::Operator) => {}
            (None, Actor::User(_)) => return Err(Error::Forbidden),
            (Some(org), actor) => access(conn.db(), org, actor).await?.require(Permission::OrgManage)?,
        }
        let Some(named) = named(conn.db(), within, query).await? else {
            return Ok(AuditPage {
                items: Vec::new(),
                next_cursor: None,
                emails: HashMap::new(),
                organizations: HashMap::new(),
            });
        };
        let filter = AuditFilter {
            organization: named.organization.map(|o| o.0),
            actor: named.actor,
            subject: named.subject,
            action: action.as_deref(),
            since: query.since,
            until: query.until,
            before,
            limit: i64::from(limit) + 1,
        };
        let mut rows = store::search(conn.db(), &filter).await?;
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let next_cursor = if more { rows.last().map(encode_cursor) } else { None };
        let mut people: Vec<UserId> =
            rows.iter().flat_map(|r| [r.actor_user_id, r.subject_user_id]).flatten().collect();
        people.sort_unstable();
        people.dedup();
        let emails = store::emails_of(conn.db(), &people).await?.into_iter().collect();
        let mut orgs: Vec<OrganizationId> = rows.iter().filter_map(|r| r.organization_id.map(OrganizationId)).collect();
        orgs.sort_unstable();
        orgs.dedup();
        let organizations = store::slugs_of(conn.db(), &orgs).await?.into_iter().collect();
        Ok(AuditPage { items: rows.into_iter().map(AuditEvent::from).collect(), next_cursor, emails, organizations })
    }
}
