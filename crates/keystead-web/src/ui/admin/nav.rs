//! The console's left navigation: every section in order under its heading, the current one
//! marked for assistive technology (`aria-current`).

use keystead_core::sessions::SessionInfo;

use crate::csrf::CsrfToken;
use crate::state::AppState;
use crate::ui::Layout;

/// A section of the console, in navigation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminSection {
    /// Counts, charts, backlogs, key ages.
    Dashboard,
    /// Accounts: search, a user's page, actions.
    Users,
    /// Organizations: list, create, an organization's page.
    Organizations,
    /// Who may use the console.
    Operators,
    /// OAuth / OpenID Connect applications.
    Clients,
    /// Signing keys.
    Keys,
    /// Webhook endpoints (the command line and the API for now).
    Webhooks,
    /// Products, plans and licenses (the command line and the API for now).
    Products,
    /// Agreement versions.
    Agreements,
    /// The security audit log.
    Audit,
    /// Outgoing email.
    Outbox,
}

/// The headings of the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Overview,
    People,
    Applications,
    Business,
    Records,
}

impl AdminSection {
    const ALL: [Self; 11] = [
        Self::Dashboard,
        Self::Users,
        Self::Organizations,
        Self::Operators,
        Self::Clients,
        Self::Keys,
        Self::Webhooks,
        Self::Products,
        Self::Agreements,
        Self::Audit,
        Self::Outbox,
    ];

    fn group(self) -> Group {
        match self {
            Self::Dashboard => Group::Overview,
            Self::Users | Self::Organizations | Self::Operators => Group::People,
            Self::Clients | Self::Keys | Self::Webhooks => Group::Applications,
            Self::Products | Self::Agreements => Group::Business,
            Self::Audit | Self::Outbox => Group::Records,
        }
    }

    /// The message id of the section's name (navigation entry and page title).
    pub fn key(self) -> &'static str {
        match self {
            Self::Dashboard => "admin-nav-dashboard",
            Self::Users => "admin-nav-users",
            Self::Organizations => "admin-nav-organizations",
            Self::Operators => "admin-nav-operators",
            Self::Clients => "admin-nav-clients",
            Self::Keys => "admin-nav-keys",
            Self::Webhooks => "admin-nav-webhooks",
            Self::Products => "admin-nav-products",
            Self::Agreements => "admin-nav-agreements",
            Self::Audit => "admin-nav-audit",
            Self::Outbox => "admin-nav-outbox",
        }
    }

    /// The section's page.
    fn href(self) -> &'static str {
        match self {
            Self::Dashboard => "/admin",
            Self::Users => "/admin/users",
            Self::Organizations => "/admin/organizations",
            Self::Operators => "/admin/operators",
            Self::Clients => "/admin/clients",
            Self::Keys => "/admin/keys",
            Self::Webhooks => "/admin/webhooks",
            Self::Products => "/admin/products",
            Self::Agreements => "/admin/agreements",
            Self::Audit => "/admin/audit",
            Self::Outbox => "/admin/outbox",
        }
    }
}

impl Group {
    const ALL: [Self; 5] = [Self::Overview, Self::People, Self::Applications, Self::Business, Self::Records];

    fn key(self) -> &'static str {
        match self {
            Self::Overview => "admin-nav-group-overview",
            Self::People => "admin-nav-group-people",
            Self::Applications => "admin-nav-group-applications",
            Self::Business => "admin-nav-group-business",
            Self::Records => "admin-nav-group-records",
        }
    }
}

/// An entry of the navigation.
#[derive(Debug, Clone)]
pub struct AdminNavItem {
    /// Visible text.
    pub label: String,
    /// Target.
    pub href: &'static str,
    /// True for the section shown.
    pub current: bool,
}

/// A heading with its entries.
#[derive(Debug, Clone)]
pub struct AdminNavGroup {
    /// The heading.
    pub label: String,
    /// The entries under it.
    pub items: Vec<AdminNavItem>,
}

/// The whole navigation, with the current section's name for the phone menu.
#[derive(Debug, Clone)]
pub struct AdminNav {
    /// The headings in order.
    pub groups: Vec<AdminNavGroup>,
    /// The current section's name.
    pub current: String,
}

/// The layout (titled `title`, or the section's name) and the navigation of a console page.
pub fn chrome(
    state: &AppState,
    session: &SessionInfo,
    csrf: &CsrfToken,
    current: AdminSection,
    title: Option<String>,
) -> (Layout, AdminNav) {
    let l = crate::i18n::current();
    let title = title.unwrap_or_else(|| l.t(current.key()));
    let layout = Layout::new(state, format!("{title} · {}", l.t("admin-console"))).signed_in(Some(session), csrf);
    let groups = Group::ALL
        .iter()
        .map(|g| AdminNavGroup {
            label: l.t(g.key()),
            items: AdminSection::ALL
                .iter()
                .filter(|s| s.group() == *g)
                .map(|s| AdminNavItem { label: l.t(s.key()), href: s.href(), current: *s == current })
                .collect(),
        })
        .collect();
    (layout, AdminNav { groups, current: l.t(current.key()) })
}
