//! Completed courses: a learning system pushes what a user completed (through the admin API or
//! the CLI) and Keystead keeps it for My Account → Completed courses and the user's data export.
//! One record per user and course: pushing the same course again replaces it, so a retried or
//! repeated push changes nothing more (idempotent by course id and user).

use time::{Duration, OffsetDateTime};

use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Error, FieldErrors, Result};
use crate::ids::UserId;
use crate::store::courses::{self as store, CompletionRow};
use crate::store::users as store_users;

#[cfg(test)]
mod tests;

/// A completion pushed by a learning system.
#[derive(Debug, Clone)]
pub struct NewCompletion<'a> {
    /// The learning system's id of the course (1 to 200 characters).
    pub course_id: &'a str,
    /// Its title as the user knows it (1 to 300 characters).
    pub title: &'a str,
    /// When the user completed it (not in the future).
    pub completed_at: OffsetDateTime,
    /// The score as a percentage, 0 to 100.
    pub score: Option<f64>,
    /// Where the certificate is (an absolute `https` or `http` URL).
    pub certificate_url: Option<&'a str>,
}

/// A course the user completed.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CourseCompletion {
    /// The learning system's id of the course.
    pub course_id: String,
    /// Its title.
    pub title: String,
    /// When the user completed it.
    #[serde(with = "time::serde::rfc3339")]
    pub completed_at: OffsetDateTime,
    /// The score as a percentage.
    pub score: Option<f64>,
    /// Where the certificate is.
    pub certificate_url: Option<String>,
    /// When Keystead last recorded it.
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
}

impl From<CompletionRow> for CourseCompletion {
    fn from(r: CompletionRow) -> Self {
        Self {
            course_id: r.course_id,
            title: r.title,
            completed_at: r.completed_at,
            score: r.score,
            certificate_url: r.certificate_url,
            recorded_at: r.recorded_at,
        }
    }
}

/// What a push did: a new record, a changed one, or nothing (the same push again).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// The course was not recorded for the user before.
    Created,
    /// It was, with other details; they are replaced.
    Updated,
    /// It was, with the same details.
    Unchanged,
}

/// How far ahead of the server's clock a completion time may be (the systems' clocks differ).
const CLOCK_SKEW: Duration = Duration::minutes(5);

fn text(field: &'static str, value: &str, max: usize, errors: &mut FieldErrors) -> String {
    let v = value.trim();
    if v.is_empty() {
        errors.add(field, "required", "Give a value.");
    } else if v.chars().count() > max {
        errors.add_with(field, "too_long", format!("Use at most {max} characters."), vec![("max", max.to_string())]);
    } else if v.chars().any(char::is_control) {
        errors.add(field, "invalid", "Remove the control characters.");
    }
    v.to_owned()
}

fn certificate(raw: Option<&str>, errors: &mut FieldErrors) -> Option<String> {
    let raw = raw.map(str::trim).filter(|u| !u.is_empty())?;
    match url::Url::parse(raw) {
        Ok(u) if matches!(u.scheme(), "https" | "http") && u.host().is_some() && raw.len() <= 2048 => {
            Some(u.to_string())
        }
        _ => {
            errors.add(
                "certificate_url",
                "invalid_url",
                "Give the certificate's address as an absolute https:// URL of at most 2048 characters.",
            );
            None
        }
    }
}

impl Core {
    /// Records that `user` completed a course (idempotent by course id and user: the same push
    /// again is `Unchanged`, other details replace the record). Audited as `course.completed`
    /// with the caller as actor. An unknown or purged account is `NotFound`.
    pub async fn record_course_completion(
        &self,
        user: UserId,
        new: &NewCompletion<'_>,
        meta: &RequestMeta,
    ) -> Result<(CourseCompletion, Recorded)> {
        let now = self.clock().now();
        let mut errors = FieldErrors::new();
        let course_id = text("course_id", new.course_id, 200, &mut errors);
        let title = text("title", new.title, 300, &mut errors);
        if new.completed_at > now + CLOCK_SKEW {
            errors.add("completed_at", "in_future", "A course cannot be completed in the future.");
        }
        if new.score.is_some_and(|s| !s.is_finite() || !(0.0..=100.0).contains(&s)) {
            errors.add("score", "out_of_range", "Give the score as a percentage from 0 to 100.");
        }
        let certificate_url = certificate(new.certificate_url, &mut errors);
        errors.into_result()?;
        let mut tx = self.store().begin().await?;
        match store_users::get(tx.db(), user).await {
            Ok(u) if u.status != "purged" => {}
            Ok(_) | Err(crate::store::StoreError::NotFound) => return Err(Error::NotFound),
            Err(e) => return Err(e.into()),
        }
        let row = CompletionRow {
            user_id: user,
            course_id,
            title,
            // In UTC and whole microseconds, as both databases give it back (so that the same
            // push again compares equal).
            completed_at: crate::clock::to_micros(new.completed_at.to_offset(time::UtcOffset::UTC)),
            score: new.score,
            certificate_url,
            recorded_at: now,
        };
        // Inserted first, so that two pushes of a new course at once are one creation.
        let recorded = if store::insert_new(tx.db(), &row).await? {
            Recorded::Created
        } else {
            let before = store::get(tx.db(), user, &row.course_id).await?.ok_or(Error::NotFound)?;
            let same = (&before.title, before.completed_at, before.score, &before.certificate_url)
                == (&row.title, row.completed_at, row.score, &row.certificate_url);
            if same {
                tx.commit().await?;
                return Ok((before.into(), Recorded::Unchanged));
            }
            store::replace(tx.db(), &row).await?;
            Recorded::Updated
        };
        let details = serde_json::json!({"course_id": row.course_id, "title": row.title,
            "event": if recorded == Recorded::Created { "recorded" } else { "updated" }});
        audit::record(tx.db(), now, AuditAction::CourseCompleted, None, Some(user), meta, details).await?;
        tx.commit().await?;
        Ok((row.into(), recorded))
    }

    /// The courses `user` completed, newest first.
    pub async fn course_completions(&self, user: UserId) -> Result<Vec<CourseCompletion>> {
        let mut conn = self.store().conn().await?;
        Ok(store::of_user(conn.db(), user).await?.into_iter().map(Into::into).collect())
    }
}
