//! `keystead admin course record|list`: the courses a user completed, as a learning system
//! reports them — the same Core functions as the admin API's `course-completions`. Recording
//! the same course again replaces it (idempotent by course id and user). Errors name the flag.

use std::process::ExitCode;

use clap::Subcommand;
use keystead_core::Core;
use keystead_core::audit::RequestMeta;
use keystead_core::courses::{CourseCompletion, NewCompletion, Recorded};
use time::format_description::well_known::Rfc3339;

use super::admin_orgs::{describe, user_id};

#[derive(Debug, Subcommand)]
pub(super) enum CourseCommand {
    /// Record a course a user completed (again: replaces what is known of it).
    Record {
        /// The user's email address.
        #[arg(long)]
        user: String,
        /// The learning system's id of the course.
        #[arg(long)]
        course: String,
        /// The course's title.
        #[arg(long)]
        title: String,
        /// When the user completed it (RFC 3339, such as 2026-12-01T09:30:00Z).
        #[arg(long)]
        completed_at: String,
        /// The score as a percentage (0 to 100).
        #[arg(long)]
        score: Option<f64>,
        /// Where the certificate is (an absolute https URL).
        #[arg(long)]
        certificate_url: Option<String>,
        /// Print the record as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the courses a user completed, newest first.
    List {
        /// The user's email address.
        #[arg(long)]
        user: String,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
}

fn line(c: &CourseCompletion) -> String {
    let score = c.score.map(|s| format!("  {s}%")).unwrap_or_default();
    format!("{}  {}  {:?}{score}", c.completed_at.date(), c.course_id, c.title)
}

pub(super) async fn run(core: &Core, command: CourseCommand) -> anyhow::Result<ExitCode> {
    match command {
        CourseCommand::Record { user, course, title, completed_at, score, certificate_url, json } => {
            let id = user_id(core, "user", &user).await?;
            let completed_at = time::OffsetDateTime::parse(completed_at.trim(), &Rfc3339).map_err(|_| {
                anyhow::anyhow!("--completed-at: give the time as RFC 3339, such as 2026-12-01T09:30:00Z")
            })?;
            let new = NewCompletion {
                course_id: &course,
                title: &title,
                completed_at,
                score,
                certificate_url: certificate_url.as_deref(),
            };
            let (c, recorded) = core.record_course_completion(id, &new, &RequestMeta::cli()).await.map_err(describe)?;
            if json {
                let mut doc = serde_json::to_value(&c)?;
                doc["recorded"] = serde_json::Value::from(match recorded {
                    Recorded::Created => "created",
                    Recorded::Updated => "updated",
                    Recorded::Unchanged => "unchanged",
                });
                println!("{doc}");
            } else {
                println!("{}", line(&c));
            }
        }
        CourseCommand::List { user, json } => {
            let id = user_id(core, "user", &user).await?;
            let courses = core.course_completions(id).await.map_err(describe)?;
            if json {
                println!("{}", serde_json::to_value(&courses)?);
            } else {
                for c in &courses {
                    println!("{}", line(c));
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
