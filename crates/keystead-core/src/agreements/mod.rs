//! Agreements: versioned documents (terms, privacy policy, …) that users accept, the record of
//! each acceptance, and the "complete your profile" step that asks for missing required data
//! and for the current required versions.

pub mod admin;
pub mod markdown;

use std::collections::HashMap;

use time::OffsetDateTime;

use crate::Core;
use crate::accounts::profile::{FieldRule, Profile, ProfileField, ProfileFields, validate};
use crate::accounts::{User, UserStatus};
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Code, Error, FieldErrors, Result};
use crate::ids::UserId;
use crate::store::agreements::{self as store, AcceptanceRow, AgreementRow};
use crate::store::users::{self as store_users, ProfileColumns, UserRow};
use crate::store::{Db, StoreError};

/// An agreement version.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, sqlx::Type,
)]
#[serde(transparent)]
#[sqlx(transparent)]
pub struct AgreementId(pub uuid::Uuid);

impl AgreementId {
    /// A new, time-ordered (v7) identifier.
    pub fn new() -> Self {
        Self(uuid::Uuid::now_v7())
    }
}

impl Default for AgreementId {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Display for AgreementId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::str::FromStr for AgreementId {
    type Err = uuid::Error;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        uuid::Uuid::parse_str(s).map(Self)
    }
}

/// One published version of an agreement. Versions are never edited.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Agreement {
    /// Its id.
    pub id: AgreementId,
    /// Which document (`terms`, `privacy`).
    pub key: String,
    /// 1, 2, … per key.
    pub version: i64,
    /// The title shown to users.
    pub title: String,
    /// The text, in Markdown.
    pub body: String,
    /// True when every user must accept it (while it is the newest version of its key).
    pub required: bool,
    /// When it was published.
    #[serde(with = "time::serde::rfc3339")]
    pub published_at: OffsetDateTime,
}

impl Agreement {
    /// The body as HTML that is safe to insert into a page.
    pub fn body_html(&self) -> String {
        markdown::render(&self.body)
    }
}

impl From<AgreementRow> for Agreement {
    fn from(r: AgreementRow) -> Self {
        Self {
            id: r.id,
            key: r.key,
            version: r.version,
            title: r.title,
            body: r.body,
            required: r.required,
            published_at: r.published_at,
        }
    }
}

/// A user's acceptance of one version.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Acceptance {
    /// The version accepted.
    pub agreement_id: AgreementId,
    /// Its key.
    pub key: String,
    /// Its version number.
    pub version: i64,
    /// Its title.
    pub title: String,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub accepted_at: OffsetDateTime,
    /// From which address.
    pub ip: Option<String>,
}

impl From<AcceptanceRow> for Acceptance {
    fn from(r: AcceptanceRow) -> Self {
        Self {
            agreement_id: r.agreement_id,
            key: r.key,
            version: r.version,
            title: r.title,
            accepted_at: r.accepted_at,
            ip: r.ip,
        }
    }
}

/// What the "complete your profile" step still needs from a user.
#[derive(Debug, Clone)]
pub struct Completion {
    /// The stored profile (to prefill the form).
    pub profile: Profile,
    /// The required fields that are empty.
    pub missing_fields: Vec<ProfileField>,
    /// The current required versions not yet accepted.
    pub agreements: Vec<Agreement>,
}

impl Completion {
    /// True when nothing is missing.
    pub fn is_done(&self) -> bool {
        self.missing_fields.is_empty() && self.agreements.is_empty()
    }
}

/// The form name of the checkbox accepting `id`.
pub fn accept_field(id: AgreementId) -> String {
    format!("accept-{id}")
}

/// Checks an agreement key: 1 to 40 of `a-z 0-9 _ -`, starting with a letter.
fn check_key(key: &str) -> Result<String> {
    let ok = (1..=40).contains(&key.len())
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if ok {
        Ok(key.to_owned())
    } else {
        Err(Error::invalid(
            "key",
            "invalid_key",
            "Use 1 to 40 lowercase letters, digits, '-' or '_', starting with a letter (such as terms).",
        ))
    }
}

/// Checks a new version: its key, a title of 1 to 200 characters on one line, and a body that is
/// not blank and at most 512 KiB (bytes: it is a size limit); returns the key and the title.
pub(crate) fn check_new_agreement(key: &str, title: &str, body: &str) -> Result<(String, String)> {
    let mut errors = FieldErrors::new();
    let key = collect(&mut errors, check_key(key.trim()))?;
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 200 || title.chars().any(char::is_control) {
        errors.add("title", "invalid_title", "Give a title of 1 to 200 characters on one line.");
    }
    if body.trim().is_empty() {
        errors.add("body", "empty", "The document is empty.");
    } else if body.len() > 512 * 1024 {
        errors.add("body", "too_long", "The document is larger than 512 KiB.");
    }
    errors.into_result()?;
    Ok((key.unwrap_or_default(), title.to_owned()))
}

/// Moves the field errors of `result` into `errors` (so every problem is reported at once);
/// other errors pass through.
fn collect<T>(errors: &mut FieldErrors, result: Result<T>) -> Result<Option<T>> {
    match result {
        Ok(v) => Ok(Some(v)),
        Err(Error::Invalid(e)) => {
            errors.0.extend(e.0);
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

fn profile_of(r: &UserRow) -> Profile {
    Profile {
        given_name: r.given_name.clone(),
        family_name: r.family_name.clone(),
        phone: r.phone.clone(),
        country: r.country.clone(),
        city: r.city.clone(),
        date_of_birth: r.date_of_birth,
        company: r.company.clone(),
        job_title: r.job_title.clone(),
    }
}

/// SQL over the users row `u` that is true when a required profile field is empty.
fn missing_profile_sql(fields: &ProfileFields) -> String {
    let conditions: Vec<String> = fields
        .shown()
        .into_iter()
        .filter(|(_, rule)| *rule == FieldRule::Required)
        .map(|(f, _)| match f {
            ProfileField::DateOfBirth => "u.date_of_birth IS NULL".to_owned(),
            text => format!("COALESCE(u.{}, '') = ''", text.name()),
        })
        .collect();
    if conditions.is_empty() { "FALSE".to_owned() } else { conditions.join(" OR ") }
}

/// The status a just-verified user gets: `incomplete_profile` when required profile data or
/// required agreements are missing, `active` otherwise.
pub(crate) async fn status_after_verification(core: &Core, db: Db<'_>, user: &UserRow) -> Result<UserStatus> {
    let missing = !profile_of(user).missing(&core.config().profile).is_empty();
    if missing || store::has_pending(db, user.id).await? {
        Ok(UserStatus::IncompleteProfile)
    } else {
        Ok(UserStatus::Active)
    }
}

impl Core {
    /// Publishes a new version of the agreement `key` (version = the previous one + 1). When
    /// `required`, every user must accept it before using their account again.
    pub async fn publish_agreement(
        &self,
        key: &str,
        title: &str,
        body: &str,
        required: bool,
        meta: &RequestMeta,
    ) -> Result<Agreement> {
        let (key, title) = check_new_agreement(key, title, body)?;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let version = store::latest_version(tx.db(), &key).await? + 1;
        let row = AgreementRow {
            id: AgreementId::new(),
            key,
            version,
            title,
            body: body.to_owned(),
            required,
            published_at: now,
        };
        match store::insert(tx.db(), &row).await {
            Ok(()) => {}
            // Another node published the same version a moment ago.
            Err(StoreError::Conflict { .. }) => return Err(Error::Conflict(Code::AlreadyExists)),
            Err(e) => return Err(e.into()),
        }
        let details =
            serde_json::json!({"agreement": row.id, "key": row.key, "version": row.version, "required": required});
        audit::record(tx.db(), now, AuditAction::AgreementPublished, None, None, meta, details).await?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// Every published version, by key and then newest first.
    pub async fn agreements(&self) -> Result<Vec<Agreement>> {
        let mut conn = self.store().conn().await?;
        Ok(store::list(conn.db()).await?.into_iter().map(Agreement::from).collect())
    }

    /// True when the user must visit "complete your profile" before anything else: their status
    /// says so, a required agreement version awaits acceptance, or a field the operator has made
    /// required since is empty. Costs no query for an `incomplete_profile` user and one indexed
    /// query otherwise.
    pub async fn must_complete_profile(&self, user: &User) -> Result<bool> {
        match user.status {
            UserStatus::IncompleteProfile => Ok(true),
            UserStatus::Active => {
                let mut conn = self.store().conn().await?;
                Ok(store::needs_completion(conn.db(), user.id, &missing_profile_sql(&self.config().profile)).await?)
            }
            _ => Ok(false),
        }
    }

    /// What the "complete your profile" step asks of `user`.
    pub async fn completion(&self, user: UserId) -> Result<Completion> {
        let mut conn = self.store().conn().await?;
        let row = store_users::get(conn.db(), user).await?;
        let profile = profile_of(&row);
        let missing_fields = profile.missing(&self.config().profile);
        let agreements = store::pending_for(conn.db(), user).await?.into_iter().map(Agreement::from).collect();
        Ok(Completion { profile, missing_fields, agreements })
    }

    /// Saves the missing required fields and the acceptances of the pending required versions
    /// (form names: the field names and [`accept_field`]). Every problem is reported at once and
    /// nothing is saved unless all is well; the user then becomes `active`.
    pub async fn complete_profile(
        &self,
        user: &User,
        input: &HashMap<String, String>,
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.clock().now();
        let completion = self.completion(user.id).await?;
        let fields = &self.config().profile;
        // Fields not on the form keep their stored values.
        let mut merged: HashMap<String, String> = ProfileField::ALL
            .iter()
            .filter_map(|f| Some((f.name().to_owned(), completion.profile.value(*f)?)))
            .collect();
        for f in &completion.missing_fields {
            merged.insert(f.name().to_owned(), input.get(f.name()).cloned().unwrap_or_default());
        }
        let mut errors = FieldErrors::new();
        let profile = collect(&mut errors, validate(fields, &merged, &completion.profile, now.date()))?;
        for a in &completion.agreements {
            let name = accept_field(a.id);
            if input.get(&name).is_none_or(|v| v.is_empty()) {
                errors.add_with(
                    &name,
                    "must_accept",
                    format!("Accept the {} to continue.", a.title),
                    vec![("title", a.title.clone())],
                );
            }
        }
        errors.into_result()?;
        let profile = profile.unwrap_or(completion.profile.clone());

        let mut tx = self.store().begin().await?;
        if !completion.missing_fields.is_empty() {
            let columns = ProfileColumns::from(&profile);
            store_users::update_profile(tx.db(), user.id, &columns, None, now).await?;
            let changed: Vec<&str> = completion.missing_fields.iter().map(|f| f.name()).collect();
            let details = serde_json::json!({"fields": changed});
            audit::record(tx.db(), now, AuditAction::ProfileUpdated, Some(user.id), Some(user.id), meta, details)
                .await?;
        }
        let ip = meta.ip.map(|ip| ip.to_string());
        for a in &completion.agreements {
            if store::accept(tx.db(), user.id, a.id, now, ip.as_deref()).await? {
                let details = serde_json::json!({"agreement": a.id, "key": a.key, "version": a.version});
                audit::record(
                    tx.db(),
                    now,
                    AuditAction::AgreementAccepted,
                    Some(user.id),
                    Some(user.id),
                    meta,
                    details,
                )
                .await?;
            }
        }
        // A version published since the form was read is still pending: the user is asked again.
        let current = store_users::get(tx.db(), user.id).await?;
        if current.status == UserStatus::IncompleteProfile.as_str() {
            store_users::set_status(tx.db(), user.id, UserStatus::Active.as_str(), now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every version `user` accepted, newest first.
    pub async fn accepted_agreements(&self, user: UserId) -> Result<Vec<Acceptance>> {
        let mut conn = self.store().conn().await?;
        Ok(store::accepted_by(conn.db(), user).await?.into_iter().map(Acceptance::from).collect())
    }

    /// A version `user` accepted, with the acceptance. Any other version is `NotFound`.
    pub async fn accepted_agreement(&self, user: UserId, id: AgreementId) -> Result<(Agreement, Acceptance)> {
        let mut conn = self.store().conn().await?;
        let acceptance = store::accepted_by(conn.db(), user)
            .await?
            .into_iter()
            .find(|a| a.agreement_id == id)
            .ok_or(Error::NotFound)?;
        let agreement = store::get(conn.db(), id).await?;
        Ok((agreement.into(), acceptance.into()))
    }
}
