//! The operator's list of organizations: search by name or short name, member and guest counts,
//! sorted by name or creation date, a page at a time up to [`MAX_DIRECTORY_PAGE`] (past it, a
//! search narrows the list).

use super::{Actor, Organization};
use crate::Core;
use crate::error::{FieldErrors, Result};
use crate::store::organization_directory::{self as store, DirectoryOrder};
use crate::store::user_directory::{check_search, like_pattern};

/// Organizations listed per page.
pub const ORGANIZATIONS_PER_PAGE: i64 = 50;

/// The last page (from 0) the list goes to: 200 pages of 50, 10 000 organizations.
pub const MAX_DIRECTORY_PAGE: i64 = 199;

/// What the list is sorted by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OrganizationSort {
    /// The name, A to Z.
    #[default]
    Name,
    /// The name, Z to A.
    NameDescending,
    /// Newest first.
    Newest,
    /// Oldest first.
    Oldest,
}

impl OrganizationSort {
    /// Every order, as offered.
    pub const ALL: [Self; 4] = [Self::Name, Self::NameDescending, Self::Newest, Self::Oldest];

    /// Its name in a URL (`name`, `-name`, `-created`, `created`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::NameDescending => "-name",
            Self::Newest => "-created",
            Self::Oldest => "created",
        }
    }

    /// The order named in a URL; the default for anything else.
    pub fn parse(s: &str) -> Self {
        Self::ALL.into_iter().find(|o| o.as_str() == s).unwrap_or_default()
    }

    fn store(self) -> DirectoryOrder {
        match self {
            Self::Name => DirectoryOrder::Name { descending: false },
            Self::NameDescending => DirectoryOrder::Name { descending: true },
            Self::Newest => DirectoryOrder::Created { descending: true },
            Self::Oldest => DirectoryOrder::Created { descending: false },
        }
    }
}

/// What a page of the list asks for.
#[derive(Debug, Clone, Copy, Default)]
pub struct OrganizationQuery<'a> {
    /// Text the name or short name contains (case-blind); empty for all.
    pub search: &'a str,
    /// The order.
    pub sort: OrganizationSort,
    /// The page, from 0 (clamped to 0 ..= [`MAX_DIRECTORY_PAGE`]).
    pub page: i64,
}

/// An organization as listed.
#[derive(Debug, Clone)]
pub struct OrganizationListing {
    /// The organization.
    pub organization: Organization,
    /// How many members it has (guests not counted).
    pub members: i64,
    /// How many guests it has.
    pub guests: i64,
}

/// A page of the list.
#[derive(Debug, Clone)]
pub struct OrganizationDirectory {
    /// The organizations on this page.
    pub organizations: Vec<OrganizationListing>,
    /// How many match in all.
    pub total: i64,
    /// The page shown, from 0.
    pub page: i64,
    /// True when another page follows (never past [`MAX_DIRECTORY_PAGE`]).
    pub has_next: bool,
}

impl Core {
    /// A page of every organization whose name or short name contains `query.search`, with
    /// member counts (operators only). A search holding control characters is `Invalid` on `q`.
    pub async fn organization_directory(
        &self,
        actor: Actor,
        query: OrganizationQuery<'_>,
    ) -> Result<OrganizationDirectory> {
        actor.require_operator()?;
        let mut errors = FieldErrors::new();
        check_search("q", query.search, &mut errors);
        errors.into_result()?;
        let pattern = like_pattern(query.search);
        let page = query.page.clamp(0, MAX_DIRECTORY_PAGE);
        let mut conn = self.store().conn().await?;
        let total = store::count(conn.db(), &pattern).await?;
        let offset = page * ORGANIZATIONS_PER_PAGE;
        let mut rows = store::page(conn.db(), &pattern, query.sort.store(), ORGANIZATIONS_PER_PAGE + 1, offset).await?;
        let per_page = usize::try_from(ORGANIZATIONS_PER_PAGE).unwrap_or(usize::MAX);
        let has_next = rows.len() > per_page && page < MAX_DIRECTORY_PAGE;
        rows.truncate(per_page);
        let organizations = rows
            .into_iter()
            .map(|r| OrganizationListing { organization: r.org.into(), members: r.members, guests: r.guests })
            .collect();
        Ok(OrganizationDirectory { organizations, total, page, has_next })
    }
}
