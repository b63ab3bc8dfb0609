//! My Account: one page per section, with a shared navigation.

mod agreements;
mod apps;
mod close;
mod credentials;
pub(crate) use credentials::min_length;
mod courses;
mod data;
mod developer;
mod download_file;
mod downloads;
mod extensions;
mod invoices;
mod licenses;
mod organizations;
mod overview;
mod picture;
mod preferences;
mod profile;
mod security;
mod two_factor;

pub use agreements::{show_accepted_agreement, show_agreements};
pub use apps::{revoke_connected_app, show_connected_apps};
pub use close::{reactivate_account, reactivation_page, show_close_account, submit_close_account};
pub use courses::{CourseRow, CoursesPage, show_courses};
pub use credentials::{
    EmailStep, send_password_reset_link, show_email, show_email_confirm, show_password, submit_email_code,
    submit_email_confirm, submit_new_email, submit_password, submit_password_code,
};
pub use data::{download_data, show_data};
pub use developer::{create_my_api_token, revoke_my_api_token, show_developer};
pub use download_file::serve_download;
pub use downloads::{show_downloads, start_download};
pub use extensions::{select_extension, show_extensions};
pub use invoices::{InvoiceRow, PageQuery, download_invoice_pdf, show_invoice, show_invoices};
pub(crate) use invoices::{invoice_row, page_number};
pub use licenses::{deactivate_my_machine, download_my_briefcase, reset_my_briefcase, show_licenses};
pub use organizations::{
    accept_my_invitation, create_my_organization, decline_my_invitation, join_group, leave_group, leave_organization,
    role_label, show_groups, show_organizations, switch_organization,
};
pub use overview::show_overview;
pub use picture::{
    PICTURE_BODY_LIMIT, PICTURE_DRAIN_LIMIT, PICTURE_UPLOAD_PATH, VersionQuery, image_response, remove_profile_picture,
    show_profile_picture, upload_profile_picture,
};
pub use preferences::{show_billing, show_notifications, submit_billing, submit_notifications};
pub use profile::{show_profile, submit_profile};
pub use security::{remove_linked_identity, revoke_other_sessions, revoke_session, show_security};
pub use two_factor::{
    RequireSetupSession, confirm_email_mfa, confirm_totp_setup, finish_passkey_registration, regenerate_recovery_codes,
    remove_email_mfa, remove_passkey, remove_totp, show_reauthenticate, show_totp_setup, show_two_factor,
    start_email_mfa, start_passkey_registration, start_totp_setup, submit_reauthenticate,
};

use keystead_core::FieldErrors;
use keystead_core::i18n::{Arg, Locale};
use keystead_core::sessions::SessionInfo;

use super::Layout;
use crate::csrf::CsrfToken;
use crate::state::AppState;

/// A section of My Account, in navigation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// What is set up and what to do next: where a signed-in user lands.
    Overview,
    /// Name and personal details.
    Profile,
    /// The email address.
    Email,
    /// The password.
    Password,
    /// Sessions, devices and security activity.
    Security,
    /// Two-factor authentication and passkeys.
    TwoFactor,
    /// Applications the user authorized (OAuth).
    ConnectedApps,
    /// Email notification choices.
    Notifications,
    /// Licenses assigned to the user, and the downloads they grant.
    Licenses,
    /// The software the user's licenses include.
    Downloads,
    /// The extension chooser: the extensions the user's licenses allow, to select.
    Extensions,
    /// The billing address.
    Billing,
    /// Invoices of the active organization (for license and billing administrators).
    Invoices,
    /// The organizations the user belongs to, switching, invitations.
    Organizations,
    /// The user's groups in the active organization.
    Groups,
    /// The accepted agreement versions.
    Agreements,
    /// Courses the user completed.
    Courses,
    /// API tokens the user made for organizations they administer.
    Developer,
    /// The data export.
    Data,
    /// Closing the account.
    Close,
}

impl Section {
    const ALL: [Self; 20] = [
        Self::Overview,
        Self::Profile,
        Self::Email,
        Self::Password,
        Self::Security,
        Self::TwoFactor,
        Self::Notifications,
        Self::Organizations,
        Self::Groups,
        Self::Licenses,
        Self::Downloads,
        Self::Extensions,
        Self::Billing,
        Self::Invoices,
        Self::Developer,
        Self::ConnectedApps,
        Self::Agreements,
        Self::Courses,
        Self::Data,
        Self::Close,
    ];

    /// The heading the section is listed under in the navigation.
    fn group(self) -> NavGroup {
        match self {
            Self::Overview
            | Self::Profile
            | Self::Email
            | Self::Password
            | Self::Security
            | Self::TwoFactor
            | Self::Notifications => NavGroup::Personal,
            Self::Organizations
            | Self::Groups
            | Self::Licenses
            | Self::Downloads
            | Self::Extensions
            | Self::Billing
            | Self::Invoices
            | Self::Developer => NavGroup::Business,
            Self::ConnectedApps | Self::Agreements | Self::Courses | Self::Data | Self::Close => NavGroup::Records,
        }
    }

    /// The message id of the section's name (navigation entry and page title).
    fn key(self) -> &'static str {
        match self {
            Self::Overview => "overview-title",
            Self::Profile => "acct-nav-profile",
            Self::Email => "acct-nav-email",
            Self::Password => "acct-nav-password",
            Self::Security => "acct-nav-security",
            Self::TwoFactor => "acct-nav-two-factor",
            Self::ConnectedApps => "acct-nav-apps",
            Self::Notifications => "acct-nav-notifications",
            Self::Licenses => "acct-nav-licenses",
            Self::Downloads => "acct-nav-downloads",
            Self::Extensions => "acct-nav-extensions",
            Self::Billing => "acct-nav-billing",
            Self::Invoices => "acct-nav-invoices",
            Self::Organizations => "acct-nav-organizations",
            Self::Groups => "acct-nav-groups",
            Self::Agreements => "acct-nav-agreements",
            Self::Courses => "acct-nav-courses",
            Self::Developer => "acct-nav-developer",
            Self::Data => "acct-nav-data",
            Self::Close => "acct-nav-close",
        }
    }

    /// The section's name in the request's language.
    pub(crate) fn label(self) -> String {
        crate::i18n::current().t(self.key())
    }

    fn href(self) -> &'static str {
        match self {
            Self::Overview => "/account",
            Self::Profile => "/account/profile",
            Self::Email => "/account/email",
            Self::Password => "/account/password",
            Self::Security => "/account/security",
            Self::TwoFactor => "/account/two-factor",
            Self::ConnectedApps => "/account/apps",
            Self::Notifications => "/account/notifications",
            Self::Licenses => "/account/licenses",
            Self::Downloads => "/account/downloads",
            Self::Extensions => "/account/extensions",
            Self::Billing => "/account/billing",
            Self::Invoices => "/account/invoices",
            Self::Organizations => "/account/organizations",
            Self::Groups => "/account/groups",
            Self::Agreements => "/account/agreements",
            Self::Courses => "/account/courses",
            Self::Developer => "/account/developer",
            Self::Data => "/account/data",
            Self::Close => "/account/close",
        }
    }
}

/// The headings of the section navigation, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NavGroup {
    /// The person and how they sign in.
    Personal,
    /// What the user holds through their organizations: licenses, billing, invoices.
    Business,
    /// Records kept about the account, and its end.
    Records,
}

impl NavGroup {
    const ALL: [Self; 3] = [Self::Personal, Self::Business, Self::Records];

    fn label(self) -> String {
        crate::i18n::current().t(match self {
            Self::Personal => "acct-nav-group-personal",
            Self::Business => "acct-nav-group-business",
            Self::Records => "acct-nav-group-records",
        })
    }
}

/// An entry of the section navigation.
#[derive(Debug, Clone)]
pub struct NavItem {
    /// Visible text.
    pub label: String,
    /// Target.
    pub href: &'static str,
    /// True for the section shown.
    pub current: bool,
}

/// A heading of the section navigation with its entries.
#[derive(Debug, Clone)]
pub struct NavSection {
    /// The heading.
    pub label: String,
    /// The entries under it.
    pub items: Vec<NavItem>,
}

/// The layout and the navigation of a My Account page.
pub fn chrome(
    state: &AppState,
    session: &SessionInfo,
    csrf: &CsrfToken,
    current: Section,
) -> (Layout, Vec<NavSection>) {
    let layout = Layout::new(state, current.label()).signed_in(Some(session), csrf);
    let nav = NavGroup::ALL
        .iter()
        .map(|g| NavSection {
            label: g.label(),
            items: Section::ALL
                .iter()
                .filter(|s| s.group() == *g)
                .map(|s| NavItem { label: s.label(), href: s.href(), current: *s == current })
                .collect(),
        })
        .filter(|g| !g.items.is_empty())
        .collect();
    (layout, nav)
}

/// `errors` in the request's language: the message `acct-error-<form>-<field>-<code>` where
/// My Account words a failure of a field whose name other forms share (`name`, `city`…), else
/// the shared `field-error-…` messages ([`FieldErrors::localized`]), else English.
pub(crate) fn localize_errors(errors: FieldErrors, form: &str) -> FieldErrors {
    let locale = crate::i18n::current();
    let mut out = errors.clone().localized(locale);
    for (shown, original) in out.0.iter_mut().zip(&errors.0) {
        let key = format!(
            "acct-error-{form}-{}-{}",
            original.field.replace(['.', '_'], "-"),
            original.code.replace('_', "-")
        );
        if Locale::has(&key) {
            let args: Vec<(&str, Arg)> = original
                .args
                .iter()
                .map(|(k, v)| (*k, v.parse::<i64>().map_or_else(|_| Arg::Str(v.clone()), Arg::Num)))
                .collect();
            shown.message = locale.t_args(&key, &args);
        }
    }
    out
}
