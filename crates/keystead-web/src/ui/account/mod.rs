//! My Account: one page per section, with a shared navigation.

mod agreements;
mod close;
mod credentials;
mod data;
mod picture;
mod preferences;
mod profile;
mod security;

pub use agreements::{show_accepted_agreement, show_agreements};
pub use close::{reactivate_account, reactivation_page, show_close_account, submit_close_account};
pub use credentials::{
    EmailStep, show_email, show_email_confirm, show_password, submit_email_code, submit_email_confirm,
    submit_new_email, submit_password, submit_password_code,
};
pub use data::{download_data, show_data};
pub use picture::{
    PICTURE_BODY_LIMIT, PICTURE_UPLOAD_PATH, remove_profile_picture, show_profile_picture, upload_profile_picture,
};
pub use preferences::{show_billing, show_notifications, submit_billing, submit_notifications};
pub use profile::{show_profile, submit_profile};
pub use security::{revoke_other_sessions, revoke_session, show_security};

use keystead_core::sessions::SessionInfo;

use super::Layout;
use crate::csrf::CsrfToken;
use crate::state::AppState;

/// A section of My Account, in navigation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Name and personal details.
    Profile,
    /// The email address.
    Email,
    /// The password.
    Password,
    /// Sessions, devices and security activity.
    Security,
    /// Email notification choices.
    Notifications,
    /// The billing address.
    Billing,
    /// The accepted agreement versions.
    Agreements,
    /// The data export.
    Data,
    /// Closing the account.
    Close,
}

impl Section {
    const ALL: [Self; 9] = [
        Self::Profile,
        Self::Email,
        Self::Password,
        Self::Security,
        Self::Notifications,
        Self::Billing,
        Self::Agreements,
        Self::Data,
        Self::Close,
    ];

    fn label(self) -> &'static str {
        match self {
            Self::Profile => "Profile",
            Self::Email => "Email address",
            Self::Password => "Password",
            Self::Security => "Security",
            Self::Notifications => "Notifications",
            Self::Billing => "Billing address",
            Self::Agreements => "Agreements",
            Self::Data => "Your data",
            Self::Close => "Close account",
        }
    }

    fn href(self) -> &'static str {
        match self {
            Self::Profile => "/account/profile",
            Self::Email => "/account/email",
            Self::Password => "/account/password",
            Self::Security => "/account/security",
            Self::Notifications => "/account/notifications",
            Self::Billing => "/account/billing",
            Self::Agreements => "/account/agreements",
            Self::Data => "/account/data",
            Self::Close => "/account/close",
        }
    }
}

/// An entry of the section navigation.
#[derive(Debug, Clone)]
pub struct NavItem {
    /// Visible text.
    pub label: &'static str,
    /// Target.
    pub href: &'static str,
    /// True for the section shown.
    pub current: bool,
}

/// The layout and the navigation of a My Account page.
pub fn chrome(state: &AppState, session: &SessionInfo, csrf: &CsrfToken, current: Section) -> (Layout, Vec<NavItem>) {
    let layout = Layout::new(state, current.label()).signed_in(Some(session), csrf);
    let nav =
        Section::ALL.iter().map(|s| NavItem { label: s.label(), href: s.href(), current: *s == current }).collect();
    (layout, nav)
}
