//! The scope catalogue of personal access tokens: one place names every scope, says what it
//! allows, and whether an organization's token may hold it.

use serde::Serialize;

/// What a token may do through the admin API (or SCIM).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "&'static str")]
pub enum ApiScope {
    /// Read users (an organization's token: its members).
    UsersRead,
    /// Create, change, disable and close users (deployment tokens).
    UsersWrite,
    /// Read organizations, their members, invitations, groups and roles.
    OrgsRead,
    /// Change organizations, members, invitations, groups and roles.
    OrgsWrite,
    /// Read the audit log (an organization's token: its own log).
    AuditRead,
    /// Read OAuth clients (deployment tokens).
    ClientsRead,
    /// Register, change and delete OAuth clients, rotate their secrets (deployment tokens).
    ClientsWrite,
    /// Read agreements and who accepted them (deployment tokens).
    AgreementsRead,
    /// Publish agreements (deployment tokens).
    AgreementsWrite,
    /// Read products, plans, subscriptions and seats.
    LicensesRead,
    /// Add products and plans and change subscriptions (deployment tokens); assign seats.
    LicensesWrite,
    /// Read webhook endpoints and deliveries.
    WebhooksRead,
    /// Add, change and remove webhook endpoints; resend deliveries.
    WebhooksWrite,
    /// Provision users and groups through SCIM 2.0 (organization tokens only).
    Scim,
    /// Record the courses users completed (a learning system; deployment tokens).
    CoursesWrite,
    /// Read invoices (the billing system; deployment tokens).
    InvoicesRead,
    /// Issue invoices and change their status (the billing system; deployment tokens).
    InvoicesWrite,
}

impl From<ApiScope> for &'static str {
    fn from(s: ApiScope) -> Self {
        s.as_str()
    }
}

impl ApiScope {
    /// Every scope, in catalogue order.
    pub const ALL: [Self; 17] = [
        Self::UsersRead,
        Self::UsersWrite,
        Self::OrgsRead,
        Self::OrgsWrite,
        Self::AuditRead,
        Self::ClientsRead,
        Self::ClientsWrite,
        Self::AgreementsRead,
        Self::AgreementsWrite,
        Self::LicensesRead,
        Self::LicensesWrite,
        Self::WebhooksRead,
        Self::WebhooksWrite,
        Self::Scim,
        Self::CoursesWrite,
        Self::InvoicesRead,
        Self::InvoicesWrite,
    ];

    /// The stable name (`users:read`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UsersRead => "users:read",
            Self::UsersWrite => "users:write",
            Self::OrgsRead => "orgs:read",
            Self::OrgsWrite => "orgs:write",
            Self::AuditRead => "audit:read",
            Self::ClientsRead => "clients:read",
            Self::ClientsWrite => "clients:write",
            Self::AgreementsRead => "agreements:read",
            Self::AgreementsWrite => "agreements:write",
            Self::LicensesRead => "licenses:read",
            Self::LicensesWrite => "licenses:write",
            Self::WebhooksRead => "webhooks:read",
            Self::WebhooksWrite => "webhooks:write",
            Self::Scim => "scim",
            Self::CoursesWrite => "courses:write",
            Self::InvoicesRead => "invoices:read",
            Self::InvoicesWrite => "invoices:write",
        }
    }

    /// The scope with this name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// What it allows, in a sentence.
    pub fn description(self) -> &'static str {
        match self {
            Self::UsersRead => "Read users (an organization's token: its members).",
            Self::UsersWrite => "Create, change, disable and close users.",
            Self::OrgsRead => "Read organizations, members, invitations, groups and roles.",
            Self::OrgsWrite => "Change organizations, members, invitations, groups and roles.",
            Self::AuditRead => "Read the audit log.",
            Self::ClientsRead => "Read OAuth clients.",
            Self::ClientsWrite => "Register, change and delete OAuth clients; give them new secrets.",
            Self::AgreementsRead => "Read agreements and their acceptances.",
            Self::AgreementsWrite => "Publish agreements.",
            Self::LicensesRead => "Read products, plans, subscriptions and seats.",
            Self::LicensesWrite => "Add products and plans, change subscriptions and assign seats.",
            Self::WebhooksRead => "Read webhook endpoints and deliveries.",
            Self::WebhooksWrite => "Manage webhook endpoints and resend deliveries.",
            Self::Scim => "Provision users and groups through SCIM 2.0.",
            Self::CoursesWrite => "Record the courses users completed.",
            Self::InvoicesRead => "Read invoices and their PDFs.",
            Self::InvoicesWrite => "Issue invoices and credit notes, and mark them paid or void.",
        }
    }

    /// Whether a token of one organization may hold it (the rest concern the whole deployment).
    pub fn for_organizations(self) -> bool {
        !matches!(
            self,
            Self::UsersWrite
                | Self::ClientsRead
                | Self::ClientsWrite
                | Self::AgreementsRead
                | Self::AgreementsWrite
                | Self::CoursesWrite
                | Self::InvoicesRead
                | Self::InvoicesWrite
        )
    }

    /// Whether a deployment-wide token may hold it (SCIM is always one organization's).
    pub fn for_deployment(self) -> bool {
        self != Self::Scim
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scope_round_trips_through_its_name_and_is_described() {
        for s in ApiScope::ALL {
            assert_eq!(ApiScope::parse(s.as_str()), Some(s));
            assert!(s.description().ends_with('.'));
            assert!(s.for_organizations() || s.for_deployment());
        }
        assert_eq!(ApiScope::parse("users:admin"), None);
        assert_eq!(serde_json::to_string(&ApiScope::Scim).unwrap(), "\"scim\"");
    }
}
