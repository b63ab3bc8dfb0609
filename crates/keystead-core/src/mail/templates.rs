//! Email templates: each email is a subject plus a text and an HTML body rendered by askama.

use askama::Template;
use time::OffsetDateTime;

use crate::Core;
use crate::error::{Error, Result};
use crate::i18n::Locale;

/// What the frame of every email (base.html, the text footer) needs.
struct Frame<'a> {
    site_name: &'a str,
    public_url: &'a str,
    /// `<html lang>`: the email's language.
    lang: &'static str,
    /// "This message was sent by …", in the email's language.
    footer: String,
}

impl<'a> Frame<'a> {
    fn new(core: &'a Core, locale: Locale) -> Self {
        let site_name = core.site_name();
        let public_url = core.config().public_url.as_str();
        let footer = locale.t2("email-footer", "site", site_name, "url", public_url);
        Self { site_name, public_url, lang: locale.tag(), footer }
    }
}

#[derive(Template)]
#[template(path = "email/test.txt")]
struct TestText<'a> {
    frame: &'a Frame<'a>,
    body: &'a str,
    sent: &'a str,
}

#[derive(Template)]
#[template(path = "email/test.html")]
struct TestHtml<'a> {
    frame: &'a Frame<'a>,
    subject: &'a str,
    body: &'a str,
    sent: &'a str,
}

fn render(t: &impl Template) -> Result<String> {
    t.render().map_err(|e| Error::Internal(anyhow::anyhow!("email template: {e}")))
}

/// The operator's test email, in the deployment's default language.
pub(super) fn test_email(core: &Core, sent_at: OffsetDateTime) -> Result<(String, String, String)> {
    let locale = core.config().interface.default_locale;
    let frame = Frame::new(core, locale);
    let site = frame.site_name;
    let subject = locale.t1("email-test-subject", "site", site);
    let body = locale.t1("email-test-body", "site", site);
    let sent = locale.t2("email-test-sent", "time", locale.date_time(sent_at), "transport", core.mailer().kind());
    let text = render(&TestText { frame: &frame, body: &body, sent: &sent })?;
    let html = render(&TestHtml { frame: &frame, subject: &subject, body: &body, sent: &sent })?;
    Ok((subject, text, html))
}

#[derive(Template)]
#[template(path = "email/notice.txt")]
struct NoticeText<'a> {
    frame: &'a Frame<'a>,
    paragraphs: &'a [String],
    action: &'a Option<(String, String)>,
    after: &'a [String],
}

#[derive(Template)]
#[template(path = "email/notice.html")]
struct NoticeHtml<'a> {
    frame: &'a Frame<'a>,
    subject: &'a str,
    /// "If the button does not work, copy this address …".
    button_hint: &'a str,
    paragraphs: &'a [String],
    action: &'a Option<(String, String)>,
    after: &'a [String],
}

/// An account email: paragraphs, an optional button (label, URL), and small print, all already
/// written in `locale`, the language of the email (its `<html lang>` and footer).
#[derive(Debug, Clone, Default)]
pub(crate) struct Notice {
    pub locale: Locale,
    pub subject: String,
    pub paragraphs: Vec<String>,
    pub action: Option<(String, String)>,
    pub after: Vec<String>,
}

/// Renders a notice: (subject, text, html).
pub(super) fn notice(core: &Core, n: &Notice) -> Result<(String, String, String)> {
    let frame = Frame::new(core, n.locale);
    let text = render(&NoticeText { frame: &frame, paragraphs: &n.paragraphs, action: &n.action, after: &n.after })?;
    let button_hint = n.locale.t("email-button-hint");
    let html = render(&NoticeHtml {
        frame: &frame,
        subject: &n.subject,
        button_hint: &button_hint,
        paragraphs: &n.paragraphs,
        action: &n.action,
        after: &n.after,
    })?;
    Ok((n.subject.clone(), text, html))
}
