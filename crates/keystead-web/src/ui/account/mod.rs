//! My Account: one page per section, with a shared navigation.

mod data;
mod preferences;
mod profile;
mod security;

pub use data::{download_data, show_data};
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
    /// Sessions, devices and security activity.
    Security,
    /// Email notification choices.
    Notifications,
    /// The billing address.
    Billing,
    /// The data export.
    Data,
}

impl Section {
    const ALL: [Self; 5] = [Self::Profile, Self::Security, Self::Notifications, Self::Billing, Self::Data];

    fn label(self) -> &'static str {
        match self {
            Self::Profile => "Profile",
            Self::Security => "Security",
            Self::Notifications => "Notifications",
            Self::Billing => "Billing address",
            Self::Data => "Your data",
        }
    }

    fn href(self) -> &'static str {
        match self {
            Self::Profile => "/account/profile",
            Self::Security => "/account/security",
            Self::Notifications => "/account/notifications",
            Self::Billing => "/account/billing",
            Self::Data => "/account/data",
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
