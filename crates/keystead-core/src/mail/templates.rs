//! Email templates: each email is a subject plus a text and an HTML body rendered by askama.

use askama::Template;
use time::OffsetDateTime;

use crate::Core;
use crate::branding::{Palette, Rgb};
use crate::error::{Error, Result};
use crate::i18n::Locale;
use crate::organizations::logo::OrganizationBrand;

/// What the frame of every email (base.html, the text footer) needs.
struct Frame<'a> {
    site_name: &'a str,
    public_url: &'a str,
    /// `<html lang>`: the email's language.
    lang: &'static str,
    /// "This message was sent by …", in the email's language.
    footer: String,
    /// Who the email speaks for in its header: the organization it is about, else the site.
    header_name: String,
    /// The header's logo (an absolute URL): the organization's, else the deployment's.
    logo: Option<String>,
    /// The button's colour and its text's (`#rrggbb`), contrast kept at WCAG AA on white.
    accent: String,
    accent_text: String,
}

/// The button colour of an email when neither the organization nor the deployment chose one.
const DEFAULT_ACCENT: &str = "#1f5fbf";

impl<'a> Frame<'a> {
    fn new(core: &'a Core, locale: Locale, brand: Option<&OrganizationBrand>) -> Self {
        let site_name = core.site_name();
        let url = &core.config().public_url;
        let public_url = url.as_str();
        let footer = locale.t2("email-footer", "site", site_name, "url", public_url);
        let chosen = brand
            .and_then(|b| b.color.as_deref())
            .and_then(Rgb::parse)
            .or(core.config().interface.accent_color)
            .or_else(|| Rgb::parse(DEFAULT_ACCENT));
        let accent = chosen.map(|c| Palette::from_accent(c).light);
        let logo = match brand {
            Some(b) => b.logo_version.as_ref().map(|v| format!("brand/organizations/{}/{v}", b.id)),
            None => core.brand().logo.as_ref().map(|l| format!("brand/logo?v={}", l.version)),
        };
        Self {
            site_name,
            public_url,
            lang: locale.tag(),
            footer,
            header_name: brand.map_or_else(|| site_name.to_owned(), |b| b.name.clone()),
            logo: logo.and_then(|path| url.join(&path).ok()).map(String::from),
            accent: accent.map_or_else(|| DEFAULT_ACCENT.to_owned(), |a| a.accent.hex()),
            accent_text: accent.map_or_else(|| "#ffffff".to_owned(), |a| a.text.hex()),
        }
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
    let frame = Frame::new(core, locale, None);
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
/// written in `locale`, the language of the email (its `<html lang>` and footer). An email about
/// an organization to its members (or those invited) carries its `brand`: its name and logo in
/// the header, its colour on the button.
#[derive(Debug, Clone, Default)]
pub(crate) struct Notice {
    pub locale: Locale,
    pub subject: String,
    pub paragraphs: Vec<String>,
    pub action: Option<(String, String)>,
    pub after: Vec<String>,
    pub brand: Option<OrganizationBrand>,
}

/// Renders a notice: (subject, text, html).
pub(super) fn notice(core: &Core, n: &Notice) -> Result<(String, String, String)> {
    let frame = Frame::new(core, n.locale, n.brand.as_ref());
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
