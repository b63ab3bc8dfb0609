//! Server-rendered pages: the shared layout and the pages of the shell.

pub mod account;
pub mod admin;
mod auth;
pub mod brand;
mod complete_profile;
mod home;
mod invitations;
mod landing;
pub mod mfa;
pub mod org_admin;
pub mod org_assets;
pub mod org_invoices;
pub mod org_licenses;
pub mod org_sso;
pub mod org_sso_edit;
pub mod org_tokens;
mod password;
mod register;
pub mod sso;

pub use auth::{show_sign_in, sign_out, submit_sign_in_email, submit_sign_in_password};
pub use complete_profile::{show_complete_profile, submit_complete_profile};
pub use home::show_home;
pub use invitations::{accept_invitation, register_through_invitation, show_invitation};
pub use landing::show_landing;
pub use password::{
    show_expired_password, show_forgot_password, show_reset_password, submit_expired_password, submit_forgot_password,
    submit_reset_password,
};
pub use register::{
    confirm_email, resend_verification, show_check_email, show_register, show_verify_email, submit_register_email,
    submit_register_password,
};

use askama::Template;
use axum::http::StatusCode;

use keystead_core::i18n::{Arg, Locale};
use keystead_core::sessions::SessionInfo;

use crate::assets;
use crate::csrf::CsrfToken;
use crate::error::{ErrorInfo, detail_for, detail_in, heading_in};
use crate::flash::Flash;
use crate::state::AppState;

/// A `return_to` that stays on this site: an absolute path, not `//host` or `/\host`, no control
/// characters, at most 2 KiB. Anything else is dropped (registered client redirects are checked
/// by the OAuth endpoints, not here).
pub fn safe_return_to(raw: Option<&str>) -> Option<String> {
    let r = raw?.trim();
    let ok = r.starts_with('/')
        && !r.starts_with("//")
        && !r.starts_with("/\\")
        && r.len() <= 2048
        && !r.chars().any(|c| c.is_control() || c == '\\');
    ok.then(|| r.to_owned())
}

/// Where a signed-in user goes when nothing asked for a page (no `return_to`): after sign-in,
/// the second factor, a passkey, "Complete your profile", email verification, an invitation or
/// an expired-password change. `GET /landing` redirects on by the user's licenses
/// ([`keystead_core::Core::landing_for`]).
pub const LANDING: &str = "/landing";

/// The page after a sign-in step: the validated `return_to` when there is one (it always wins),
/// else [`LANDING`].
pub fn after_sign_in(return_to: Option<String>) -> String {
    return_to.unwrap_or_else(|| LANDING.to_owned())
}

/// An entry of the account menu.
#[derive(Debug, Clone)]
pub struct MenuEntry {
    /// Visible text.
    pub label: String,
    /// Target.
    pub href: String,
}

/// The signed-in user's account menu in the header.
#[derive(Debug, Clone)]
pub struct AccountMenu {
    /// Name or email shown on the menu button.
    pub display_name: String,
    /// The menu's entries (My Account, … as features arrive); Sign out is always last.
    pub entries: Vec<MenuEntry>,
    /// The CSRF token for the sign-out form.
    pub csrf_token: String,
}

/// What every page's layout shows: product name, stylesheet, title, messages, account menu,
/// and the language it is written in (with the switcher for signed-out visitors).
#[derive(Debug, Clone)]
pub struct Layout {
    /// The language of the page (`<html lang>`, every `t(…)`).
    pub lang: Locale,
    /// The switcher's links (shown while signed out).
    pub languages: Vec<crate::i18n::LanguageLink>,
    /// The product name.
    pub site_name: String,
    /// The stylesheet URL (with a content hash for caching).
    pub css_href: String,
    /// The accent stylesheet: the active organization's colour, else the deployment's.
    pub accent_css: Option<String>,
    /// The deployment's logo.
    pub logo: Option<String>,
    /// The page title.
    pub title: String,
    /// One-time messages.
    pub flashes: Vec<Flash>,
    /// The account menu, when signed in.
    pub account: Option<AccountMenu>,
    /// The signed-in user's organizations for the header's switcher (the active one first);
    /// empty when they belong to none.
    pub organizations: Vec<HeaderOrganization>,
}

/// An organization in the header: the active one is shown with its logo, the others are offered
/// in its menu.
#[derive(Debug, Clone)]
pub struct HeaderOrganization {
    /// Its id (the switch form's value).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its logo's URL, or `None` for the initials.
    pub logo: Option<String>,
    /// Up to two initials when there is no logo.
    pub initials: String,
    /// True for the session's active organization.
    pub active: bool,
}

impl Layout {
    /// The active organization, if any.
    pub fn active_organization(&self) -> Option<&HeaderOrganization> {
        self.organizations.iter().find(|o| o.active)
    }
}

impl Layout {
    /// The layout for a page titled `title` (already in the request's language).
    pub fn new(state: &AppState, title: impl Into<String>) -> Self {
        let lang = crate::i18n::current();
        Self {
            lang,
            languages: crate::i18n::language_links(lang),
            site_name: state.core.site_name().to_owned(),
            css_href: assets::url("app.css"),
            accent_css: brand::accent_css(state, None),
            logo: brand::logo_url(state),
            title: title.into(),
            flashes: Vec::new(),
            account: None,
            organizations: Vec::new(),
        }
    }

    /// The layout for a page whose title is the message `key`.
    pub fn titled(state: &AppState, key: &str) -> Self {
        Self::new(state, crate::i18n::current().t(key))
    }

    /// The message `key` in the page's language.
    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// The message `key` with one variable (`layout.t1("count-members", "count", n)`).
    pub fn t1(&self, key: &str, name: &str, value: impl Into<Arg>) -> String {
        self.lang.t1(key, name, value)
    }

    /// The message `key` with two variables.
    pub fn t2(&self, key: &str, name: &str, value: impl Into<Arg>, name2: &str, value2: impl Into<Arg>) -> String {
        self.lang.t2(key, name, value, name2, value2)
    }

    /// A day in the page's language ("4. Dezember 2026").
    pub fn date(&self, t: &time::OffsetDateTime) -> String {
        self.lang.date(*t)
    }

    /// A moment in the page's language ("4 December 2026, 17:55 UTC").
    pub fn date_time(&self, t: &time::OffsetDateTime) -> String {
        self.lang.date_time(*t)
    }

    /// The layout for a signed-in user: the account menu with its sign-out form.
    pub fn signed_in(mut self, session: Option<&SessionInfo>, csrf: &CsrfToken) -> Self {
        self.account = session.map(|s| AccountMenu {
            display_name: s.user.display_name(),
            entries: std::iter::once(MenuEntry { label: self.lang.t("my-account"), href: "/account".to_owned() })
                .chain(
                    crate::scope::operator()
                        .then(|| MenuEntry { label: self.lang.t("admin-console"), href: "/admin".to_owned() }),
                )
                .collect(),
            csrf_token: csrf.value().to_owned(),
        });
        if session.is_some() {
            let mut orgs: Vec<HeaderOrganization> = crate::scope::organizations()
                .into_iter()
                .inspect(|o| {
                    if o.active && o.brand_color.is_some() {
                        self.accent_css = o.brand_color.as_deref().and_then(brand::css_url);
                    }
                })
                .map(|o| HeaderOrganization {
                    id: o.id.to_string(),
                    initials: keystead_core::organizations::logo::initials(&o.name),
                    logo: org_admin::logo_url(&o.slug, o.logo_version.as_deref()),
                    name: o.name,
                    active: o.active,
                })
                .collect();
            orgs.sort_by_key(|o| !o.active);
            self.organizations = orgs;
        }
        self
    }

    /// The accent of the organization the page is about (its admin pages, an invitation to it,
    /// its single sign-on): its colour when it chose one, over the active organization's.
    pub fn branded(mut self, color: Option<&str>) -> Self {
        if let Some(css) = color.and_then(brand::css_url) {
            self.accent_css = Some(css);
        }
        self
    }

    /// Adds one-time messages.
    pub fn with_flashes(mut self, flashes: Vec<Flash>) -> Self {
        self.flashes = flashes;
        self
    }
}

/// The page for any error.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    layout: Layout,
    status: u16,
    heading: String,
    detail: String,
    fields: Vec<(String, String)>,
    request_id: String,
}

impl ErrorPage {
    /// The page for `info` at `status`, in the request's language: the code's headline and
    /// default explanation, a wait in words, and the fields' messages where they are translated
    /// (any other explanation stays as the error gave it).
    pub fn new(state: &AppState, status: StatusCode, info: &ErrorInfo, request_id: &str) -> Self {
        let lang = crate::i18n::current();
        let heading = heading_in(info.code, lang);
        let detail = match info.retry_after {
            _ if info.detail == detail_for(info.code) => detail_in(info.code, lang),
            Some(wait) if info.code == keystead_core::Code::RateLimited => {
                lang.t1("error-rate-limited-wait", "wait", crate::error::human_duration_in(wait, lang))
            }
            _ => info.detail.clone(),
        };
        let fields = info.fields.clone().localized(lang);
        Self {
            layout: Layout::new(state, heading.clone()),
            status: status.as_u16(),
            heading,
            detail,
            fields: fields.0.iter().map(|f| (f.field.clone(), f.message.clone())).collect(),
            request_id: request_id.to_owned(),
        }
    }

    /// Renders the HTML.
    pub fn render_html(&self) -> askama::Result<String> {
        self.render()
    }
}
