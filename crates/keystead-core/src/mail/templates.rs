//! Email templates: each email is a subject plus a text and an HTML body rendered by askama.

use askama::Template;
use time::OffsetDateTime;

use crate::Core;
use crate::error::{Error, Result};

#[derive(Template)]
#[template(path = "email/test.txt")]
struct TestText<'a> {
    site_name: &'a str,
    public_url: &'a str,
    sent_at: String,
    transport: &'a str,
}

#[derive(Template)]
#[template(path = "email/test.html")]
struct TestHtml<'a> {
    site_name: &'a str,
    public_url: &'a str,
    sent_at: String,
    transport: &'a str,
}

fn render(t: &impl Template) -> Result<String> {
    t.render().map_err(|e| Error::Internal(anyhow::anyhow!("email template: {e}")))
}

/// The operator's test email.
pub(super) fn test_email(core: &Core, sent_at: OffsetDateTime) -> Result<(String, String, String)> {
    let site_name = core.site_name();
    let public_url = core.config().public_url.as_str();
    let transport = core.mailer().kind();
    let sent_at = sent_at.format(&time::format_description::well_known::Rfc2822).unwrap_or_default();
    let text = render(&TestText { site_name, public_url, sent_at: sent_at.clone(), transport })?;
    let html = render(&TestHtml { site_name, public_url, sent_at, transport })?;
    Ok((format!("Test email from {site_name}"), text, html))
}

#[derive(Template)]
#[template(path = "email/notice.txt")]
struct NoticeText<'a> {
    site_name: &'a str,
    public_url: &'a str,
    paragraphs: &'a [String],
    action: &'a Option<(String, String)>,
    after: &'a [String],
}

#[derive(Template)]
#[template(path = "email/notice.html")]
struct NoticeHtml<'a> {
    site_name: &'a str,
    public_url: &'a str,
    subject: &'a str,
    paragraphs: &'a [String],
    action: &'a Option<(String, String)>,
    after: &'a [String],
}

/// An account email: paragraphs, an optional button (label, URL), and small print.
#[derive(Debug, Clone, Default)]
pub(crate) struct Notice {
    pub subject: String,
    pub paragraphs: Vec<String>,
    pub action: Option<(String, String)>,
    pub after: Vec<String>,
}

/// Renders a notice: (subject, text, html).
pub(super) fn notice(core: &Core, n: &Notice) -> Result<(String, String, String)> {
    let site_name = core.site_name();
    let public_url = core.config().public_url.as_str();
    let text =
        render(&NoticeText { site_name, public_url, paragraphs: &n.paragraphs, action: &n.action, after: &n.after })?;
    let html = render(&NoticeHtml {
        site_name,
        public_url,
        subject: &n.subject,
        paragraphs: &n.paragraphs,
        action: &n.action,
        after: &n.after,
    })?;
    Ok((n.subject.clone(), text, html))
}
