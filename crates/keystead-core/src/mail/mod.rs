//! Outgoing email: messages are rendered from templates (text and HTML), written to the outbox
//! in the caller's transaction, and delivered by the job runner through the configured transport.

#[cfg(test)]
mod locale_tests;
pub mod outbox;
mod templates;
mod transport;

pub(crate) use templates::Notice;
pub use transport::Mailer;

use serde::{Deserialize, Serialize};

use crate::Core;
use crate::error::{Error, Result};
use crate::ids::JobId;
use crate::jobs::JobError;
use crate::jobs::{self, JobInfo, Queue};
use crate::store::{Tx, jobs as store_jobs};

/// A rendered email waiting in the outbox (the job's payload).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingEmail {
    /// Recipient address.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// HTML body.
    pub html: String,
    /// Message-ID, fixed at queueing so that a retried delivery is recognisable as the same message.
    pub message_id: String,
    /// Files attached (an invoice's PDF).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
}

/// A file attached to an email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// The file's name as the recipient sees it.
    pub filename: String,
    /// Its media type.
    pub content_type: String,
    /// Its bytes, in standard base64 (the outbox is JSON).
    pub base64: String,
}

impl Attachment {
    /// A file to attach.
    pub fn new(filename: String, content_type: &str, bytes: &[u8]) -> Self {
        use base64::Engine as _;
        let base64 = base64::engine::general_purpose::STANDARD.encode(bytes);
        Self { filename, content_type: content_type.to_owned(), base64 }
    }
}

/// Parses and normalises a recipient address for sending.
pub fn parse_recipient(field: &str, address: &str) -> Result<lettre::Address> {
    let trimmed = address.trim();
    if trimmed.is_empty() {
        return Err(crate::accounts::email::invalid_with(
            field,
            "required",
            "Enter an email address.",
            ("whose", "any"),
        ));
    }
    if trimmed.len() > 254 {
        return Err(Error::invalid(field, "too_long", "An email address has at most 254 characters."));
    }
    trimmed.parse::<lettre::Address>().map_err(|_| {
        crate::accounts::email::invalid_with(
            field,
            "invalid_email",
            "Enter an email address such as name@example.com.",
            ("reason", "other"),
        )
    })
}

/// Writes `email` to the outbox in `tx`: it is delivered if and only if `tx` commits.
pub(crate) async fn enqueue(
    core: &Core,
    tx: &mut Tx,
    to: &lettre::Address,
    subject: String,
    text: String,
    html: String,
) -> Result<JobId> {
    enqueue_with(core, tx, to, (subject, text, html), Vec::new()).await
}

/// Writes an email — (subject, text, html) — with `attachments` to the outbox in `tx`.
async fn enqueue_with(
    core: &Core,
    tx: &mut Tx,
    to: &lettre::Address,
    (subject, text, html): (String, String, String),
    attachments: Vec<Attachment>,
) -> Result<JobId> {
    let host = core.config().public_url.host_str().unwrap_or("localhost").to_owned();
    let message_id = format!("<{}@{host}>", uuid::Uuid::now_v7().simple());
    let email = OutgoingEmail { to: to.to_string(), subject, text, html, message_id, attachments };
    let payload = serde_json::to_value(&email).map_err(|e| Error::Internal(e.into()))?;
    jobs::enqueue(tx, Queue::Mail, &payload, core.config().mail.max_attempts, core.clock().now()).await
}

/// Renders `notice` and writes it to the outbox in `tx`.
pub(crate) async fn send_notice(core: &Core, tx: &mut Tx, to: &str, notice: &Notice) -> Result<JobId> {
    send_notice_with(core, tx, to, notice, Vec::new()).await
}

/// Renders `notice` and writes it, with `attachments`, to the outbox in `tx`.
pub(crate) async fn send_notice_with(
    core: &Core,
    tx: &mut Tx,
    to: &str,
    notice: &Notice,
    attachments: Vec<Attachment>,
) -> Result<JobId> {
    let to = parse_recipient("email", to)?;
    enqueue_with(core, tx, &to, templates::notice(core, notice)?, attachments).await
}

/// Delivers one outbox message (the `mail` queue's handler).
pub(crate) async fn deliver(core: &Core, job: JobId, payload: &serde_json::Value) -> Result<(), JobError> {
    let email: OutgoingEmail = serde_json::from_value(payload.clone())
        .map_err(|e| JobError::Permanent(format!("malformed outbox message: {e}")))?;
    core.mailer().send(&core.config().mail.from, &email, job).await
}

impl Core {
    /// The language to write to a user whose stored choice (`users.locale`) is `tag`: that
    /// language, else the deployment's default. [`Core::locale_of`] for a [`crate::accounts::User`].
    pub(crate) fn locale_for(&self, tag: Option<&str>) -> crate::i18n::Locale {
        tag.and_then(crate::i18n::Locale::parse).unwrap_or(self.config().interface.default_locale)
    }

    /// Queues a test email (in the deployment's default language) to `to`, so an operator can check the mail settings
    /// (`keystead admin mail test --to …`).
    pub async fn send_test_email(&self, to: &str) -> Result<JobId> {
        let to = parse_recipient("to", to)?;
        let sent_at = self.clock().now();
        let (subject, text, html) = templates::test_email(self, sent_at)?;
        let mut tx = self.store().begin().await?;
        let id = enqueue(self, &mut tx, &to, subject, text, html).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The outbox: queued, delivered and failed emails, oldest first.
    pub async fn outbox(&self, limit: i64) -> Result<Vec<JobInfo>> {
        let mut conn = self.store().conn().await?;
        Ok(store_jobs::list(conn.db(), Queue::Mail.as_str(), limit).await?.into_iter().map(JobInfo::from).collect())
    }

    /// One queued job.
    pub async fn job(&self, id: JobId) -> Result<JobInfo> {
        let mut conn = self.store().conn().await?;
        Ok(store_jobs::get(conn.db(), id).await?.into())
    }
}
