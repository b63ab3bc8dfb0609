//! Mail transports: SMTP (STARTTLS, implicit TLS, or plain for loopback), `.eml` files, or the log.

use std::path::PathBuf;

use base64::Engine as _;
use lettre::message::header::ContentType;
use lettre::message::{Attachment as LettreAttachment, Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;

use super::OutgoingEmail;
use crate::config::{MailTransportConfig, SmtpSecurity};
use crate::ids::JobId;
use crate::jobs::JobError;

/// Sends rendered emails through the configured transport.
#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
}

#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(PathBuf),
    Log,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("transport", &self.kind()).finish()
    }
}

impl Mailer {
    /// Builds the transport (no connection is made until the first message).
    pub fn new(config: &MailTransportConfig) -> anyhow::Result<Self> {
        let transport = match config {
            MailTransportConfig::File { dir } => Transport::File(dir.clone()),
            MailTransportConfig::Log => Transport::Log,
            MailTransportConfig::Smtp(smtp) => {
                let builder = match smtp.security {
                    SmtpSecurity::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)
                        .map_err(|e| anyhow::anyhow!("mail.smtp.host: {e}"))?,
                    SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)
                        .map_err(|e| anyhow::anyhow!("mail.smtp.host: {e}"))?,
                    SmtpSecurity::Plain => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host),
                };
                let mut builder = builder.port(smtp.port).timeout(Some(smtp.timeout));
                if let (Some(user), Some(password)) = (&smtp.username, &smtp.password) {
                    builder = builder.credentials(Credentials::new(user.clone(), password.expose_secret().to_owned()));
                }
                let transport: AsyncSmtpTransport<Tokio1Executor> = builder.build();
                Transport::Smtp(transport)
            }
        };
        Ok(Self { transport })
    }

    /// The transport's name: `smtp`, `file` or `log`.
    pub fn kind(&self) -> &'static str {
        match self.transport {
            Transport::Smtp(_) => "smtp",
            Transport::File(_) => "file",
            Transport::Log => "log",
        }
    }

    /// Delivers one message.
    pub(crate) async fn send(&self, from: &str, email: &OutgoingEmail, job: JobId) -> Result<(), JobError> {
        let message = build(from, email)?;
        match &self.transport {
            Transport::Smtp(smtp) => match smtp.send(message).await {
                Ok(_) => {
                    tracing::info!(%job, to = %email.to, "email delivered over SMTP");
                    Ok(())
                }
                Err(e) if e.is_permanent() => Err(JobError::Permanent(format!("SMTP relay refused the message: {e}"))),
                Err(e) => Err(JobError::Transient(format!("SMTP delivery failed: {e}"))),
            },
            Transport::File(dir) => {
                let path = dir.join(format!("{job}.eml"));
                write_atomically(dir, &path, &message.formatted()).await.map_err(|e| {
                    JobError::Transient(format!("cannot write {} (check mail.dir): {e}", path.display()))
                })?;
                tracing::info!(%job, to = %email.to, subject = %email.subject, path = %path.display(), "email written to file");
                Ok(())
            }
            Transport::Log => {
                tracing::info!(%job, to = %email.to, subject = %email.subject, body = %email.text, "email (log transport)");
                Ok(())
            }
        }
    }
}

fn build(from: &str, email: &OutgoingEmail) -> Result<Message, JobError> {
    let from: Mailbox = from.parse().map_err(|e| JobError::Permanent(format!("mail.from is not an address: {e}")))?;
    let to: Mailbox = email.to.parse().map_err(|e| JobError::Permanent(format!("bad recipient {}: {e}", email.to)))?;
    let body = MultiPart::alternative_plain_html(email.text.clone(), email.html.clone());
    let body = if email.attachments.is_empty() {
        body
    } else {
        let mut mixed = MultiPart::mixed().multipart(body);
        for a in &email.attachments {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(&a.base64)
                .map_err(|e| JobError::Permanent(format!("attachment {} is not base64: {e}", a.filename)))?;
            let content_type = ContentType::parse(&a.content_type)
                .map_err(|e| JobError::Permanent(format!("attachment {} has a bad type: {e}", a.filename)))?;
            mixed = mixed.singlepart(LettreAttachment::new(a.filename.clone()).body(bytes, content_type));
        }
        mixed
    };
    Message::builder()
        .from(from)
        .to(to)
        .subject(email.subject.clone())
        .message_id(Some(email.message_id.clone()))
        .multipart(body)
        .map_err(|e| JobError::Permanent(format!("cannot build the message: {e}")))
}

/// Writes to a temporary name and renames, so a reader never sees half a message.
async fn write_atomically(dir: &std::path::Path, path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    tokio::fs::create_dir_all(dir).await?;
    let tmp = path.with_extension("eml.tmp");
    tokio::fs::write(&tmp, bytes).await?;
    tokio::fs::rename(&tmp, path).await
}
