//! Searching the user directory: one search term understood as an address prefix, a name's word
//! prefix and an id prefix at once (the console's box), or the admin API's separate address and
//! name fields; filters by status, second factor and organization; pages resumed by an opaque
//! cursor. Every part is an index range read in order (`store::user_directory`), so a page costs
//! about the same with a million accounts as with ten, however deep.
//!
//! Order: a list without a term by address or by creation, either way; a search by what matched
//! (id matches first, then addresses and names together, alphabetically by the address or the
//! name that matched). Names match by word prefix ("sch" finds "Anna Schmidt" and "Schulz-Weber"),
//! not anywhere: a "contains" search cannot use an index and reads every account.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::UserStatus;
use super::directory::{AccountRecord, may_read};
use super::directory_merge::{Reader, merged};
use crate::Core;
use crate::error::{Error, FieldErrors, Result};
use crate::ids::{OrganizationId, UserId};
use crate::organizations::Actor;
use crate::store::user_directory::{self, Drive, Filters, ListOrder, OrgFilter};
use crate::store::user_name_keys::NAME_KEY_CHARS;

/// Page sizes a search may ask for.
pub const PAGE_LIMITS: std::ops::RangeInclusive<u32> = 1..=200;
/// The page size when none is asked for.
pub const DEFAULT_PAGE_LIMIT: u32 = 50;
/// The longest search term (an address may have 320 characters).
pub const SEARCH_MAX_CHARS: usize = 320;
/// An organization with at most this many members is filtered by reading its members first;
/// a larger one by checking each account read in order (see `store::user_directory::OrgFilter`).
const SMALL_ORGANIZATION: i64 = 5_000;

/// The order of a list without a search term.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum UserOrder {
    /// By address, A to Z.
    #[default]
    EmailAscending,
    /// By address, Z to A.
    EmailDescending,
    /// The newest account first.
    NewestFirst,
    /// The oldest account first.
    OldestFirst,
}

impl UserOrder {
    fn tag(self) -> char {
        match self {
            Self::EmailAscending => 'e',
            Self::EmailDescending => 'E',
            Self::NewestFirst => 'n',
            Self::OldestFirst => 'o',
        }
    }
}

/// A directory search. Everything given must match, except that the parts of `text` are
/// alternatives.
#[derive(Debug, Default, Clone)]
pub struct UserQuery {
    /// One search term (the console's box): with `@`, an address prefix; otherwise an address
    /// prefix or a name's word prefix; and, when it is 4 to 32 hexadecimal digits (dashes
    /// allowed), also an id prefix.
    pub text: Option<String>,
    /// Addresses starting with this (case-insensitive).
    pub email_prefix: Option<String>,
    /// Names with a word starting with this (case-insensitive; "ada lo" finds "Ada Lovelace").
    pub name: Option<String>,
    /// Only accounts in this status. Purged tombstones are listed only when asked for.
    pub status: Option<UserStatus>,
    /// Only accounts with (true) or without (false) a second factor.
    pub mfa: Option<bool>,
    /// Only members and guests of this organization.
    pub organization: Option<OrganizationId>,
    /// The order when nothing is searched for (a search is ordered by what matched).
    pub order: UserOrder,
    /// Where the previous page ended (its `next_cursor`).
    pub cursor: Option<String>,
    /// Page size ([`PAGE_LIMITS`]; [`DEFAULT_PAGE_LIMIT`] when absent).
    pub limit: Option<u32>,
}

/// An account of a page.
#[derive(Debug, Clone)]
pub struct DirectoryEntry {
    /// The account.
    pub record: AccountRecord,
    /// Whether it has a second factor.
    pub mfa_enabled: bool,
}

/// One page of a search.
#[derive(Debug)]
pub struct UserPage {
    /// The accounts.
    pub items: Vec<DirectoryEntry>,
    /// Pass as `cursor` for the next page; `None` on the last.
    pub next_cursor: Option<String>,
    /// The order of the page: `None` when it is a search ordered by what matched.
    pub order: Option<UserOrder>,
}

/// What a search term asks for: each part an alternative.
#[derive(Debug, Default, PartialEq, Eq)]
struct Term {
    email: Option<String>,
    name: Option<String>,
    ids: Option<(UserId, UserId)>,
}

/// An address prefix as `email_lookup` holds addresses.
fn email_prefix(s: &str) -> String {
    s.trim().to_lowercase()
}

/// A name prefix as the name keys hold names: lowercased, single spaces, cut like the keys.
fn name_prefix(s: &str) -> Option<String> {
    let words = s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let cut: String = words.chars().take(NAME_KEY_CHARS).collect();
    (!cut.is_empty()).then_some(cut)
}

/// The ids whose hexadecimal form starts with `s` (dashes ignored), when `s` is 4 to 32
/// hexadecimal digits and dashes.
fn id_range(s: &str) -> Option<(UserId, UserId)> {
    if !s.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return None;
    }
    let hex: String = s.chars().filter(char::is_ascii_hexdigit).collect::<String>().to_lowercase();
    if !(4..=32).contains(&hex.len()) {
        return None;
    }
    let low = u128::from_str_radix(&format!("{hex:0<32}"), 16).ok()?;
    let high = u128::from_str_radix(&format!("{hex:f<32}"), 16).ok()?;
    Some((UserId(uuid::Uuid::from_u128(low)), UserId(uuid::Uuid::from_u128(high))))
}

impl Term {
    fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        if text.contains('@') {
            return Some(Self { email: Some(email_prefix(text)), ..Self::default() });
        }
        let email = (!text.contains(char::is_whitespace)).then(|| email_prefix(text));
        Some(Self { email, name: name_prefix(text), ids: id_range(text) })
    }
}

/// Where a page ended: the order it belongs to, the rank of the branch (id matches before
/// addresses and names), the sort key and the id of its last account.
#[derive(Debug, PartialEq, Eq)]
struct Place {
    tag: char,
    rank: u8,
    key: String,
    id: UserId,
}

const CURSOR_VERSION: &str = "u2.";
/// Cursors of the first version: an address, for the order by address.
const CURSOR_V1: &str = "u1.";

impl Place {
    fn encode(&self) -> String {
        let raw = format!("{}\n{}\n{}\n{}", self.tag, self.rank, self.id.0.simple(), self.key);
        format!("{CURSOR_VERSION}{}", URL_SAFE_NO_PAD.encode(raw))
    }

    fn decode(cursor: &str) -> Option<Self> {
        if let Some(v1) = cursor.strip_prefix(CURSOR_V1) {
            let key = String::from_utf8(URL_SAFE_NO_PAD.decode(v1).ok()?).ok()?;
            let key =
                key.chars().all(|c| !c.is_control()).then_some(key).filter(|k| !k.is_empty() && k.len() <= 320)?;
            return Some(Self { tag: 'e', rank: 0, key, id: UserId(uuid::Uuid::max()) });
        }
        let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(cursor.strip_prefix(CURSOR_VERSION)?).ok()?).ok()?;
        let mut parts = raw.splitn(4, '\n');
        let tag = parts.next()?.parse::<char>().ok()?;
        let rank = parts.next()?.parse::<u8>().ok().filter(|r| *r <= 1)?;
        let id = UserId(uuid::Uuid::try_parse(parts.next()?).ok()?);
        let key = parts.next()?.to_owned();
        (key.len() <= 400 && !key.contains(char::is_control)).then_some(Self { tag, rank, key, id })
    }
}

/// What a search term matches besides ids: an address prefix, a name's word prefix.
#[derive(Debug, Clone, Copy)]
pub(super) struct TermParts<'t> {
    pub email: Option<&'t str>,
    pub name: Option<&'t str>,
}

/// A search, its text normalised.
struct Search<'q> {
    term: Option<Term>,
    email: Option<String>,
    name: Option<String>,
    query: &'q UserQuery,
}

impl Search<'_> {
    /// The branches (rank, drive, descending) and the cursor's tag.
    fn branches(&self) -> (char, Option<UserOrder>, Vec<(u8, Drive<'_>, bool)>) {
        if let Some(t) = &self.term {
            let mut b = Vec::new();
            if let Some((low, high)) = t.ids {
                b.push((0, Drive::Id(low, high), false));
            }
            if let Some(e) = &t.email {
                b.push((1, Drive::Email(e), false));
            }
            if let Some(n) = &t.name {
                b.push((1, Drive::Name(n), false));
            }
            return ('m', None, b);
        }
        if let Some(e) = &self.email {
            return ('e', Some(UserOrder::EmailAscending), vec![(0, Drive::Email(e), false)]);
        }
        if let Some(n) = &self.name {
            return ('m', None, vec![(0, Drive::Name(n), false)]);
        }
        let order = self.query.order;
        let (list, descending) = match order {
            UserOrder::EmailAscending => (ListOrder::Email, false),
            UserOrder::EmailDescending => (ListOrder::Email, true),
            UserOrder::NewestFirst => (ListOrder::Created, true),
            UserOrder::OldestFirst => (ListOrder::Created, false),
        };
        (order.tag(), Some(order), vec![(0, Drive::All(list), descending)])
    }

    /// The filters every branch applies: the address and name fields when a term drives.
    fn filters(&self, organization: Option<OrgFilter>) -> Filters<'_> {
        let driven_by_term = self.term.is_some();
        Filters {
            organization,
            status: self.query.status.map(UserStatus::as_str),
            hide_purged: self.query.status.is_none(),
            mfa: self.query.mfa,
            email_prefix: if driven_by_term { self.email.as_deref() } else { None },
            // Without a term, the name drives only when no address does.
            name_prefix: if driven_by_term || self.email.is_some() { self.name.as_deref() } else { None },
        }
    }
}

fn validate(query: &UserQuery) -> Result<(u32, Option<Place>)> {
    let mut errors = FieldErrors::new();
    let limit = query.limit.unwrap_or(DEFAULT_PAGE_LIMIT);
    if !PAGE_LIMITS.contains(&limit) {
        errors.add("limit", "out_of_range", "Ask for 1 to 200 accounts a page.");
    }
    let place = match query.cursor.as_deref() {
        Some(c) => Place::decode(c).or_else(|| {
            errors.add("cursor", "invalid", "This cursor was not made by this API; start from the first page.");
            None
        }),
        None => None,
    };
    for (field, term) in [("q", &query.text), ("email", &query.email_prefix), ("name", &query.name)] {
        let term = term.as_deref().unwrap_or_default();
        if term.trim().chars().count() > SEARCH_MAX_CHARS {
            errors.add(field, "too_long", "Use at most 320 characters.");
        }
        user_directory::check_search(field, term, &mut errors);
    }
    errors.into_result()?;
    Ok((limit, place))
}

impl Core {
    /// A page of accounts matching `query`, for the same readers as [`Core::user_within`]:
    /// the operator, anywhere; within an organization, its members and guests.
    pub async fn search_users(
        &self,
        actor: Actor,
        within: Option<OrganizationId>,
        query: &UserQuery,
    ) -> Result<UserPage> {
        let (limit, place) = validate(query)?;
        let search = Search {
            term: query.text.as_deref().and_then(Term::parse),
            email: query.email_prefix.as_deref().map(email_prefix).filter(|e| !e.is_empty()),
            name: query.name.as_deref().and_then(name_prefix),
            query,
        };
        let (tag, order, branches) = search.branches();
        if place.as_ref().is_some_and(|p| p.tag != tag) {
            let mut errors = FieldErrors::new();
            errors.add("cursor", "invalid", "This cursor belongs to another order; start from the first page.");
            return Err(Error::Invalid(errors));
        }
        let mut conn = self.store().conn().await?;
        may_read(conn.db(), actor, within).await?;
        let organization = match (within, query.organization) {
            (Some(a), Some(b)) if a != b => return Ok(UserPage { items: Vec::new(), next_cursor: None, order }),
            (Some(org), _) | (None, Some(org)) => {
                let members = user_directory::members_up_to(conn.db(), org, SMALL_ORGANIZATION + 1).await?;
                Some(OrgFilter { id: org, small: members <= SMALL_ORGANIZATION })
            }
            (None, None) => None,
        };
        let filters = search.filters(organization);
        let ids = branches.iter().find_map(|(_, d, _)| match d {
            Drive::Id(low, high) => Some((*low, *high)),
            _ => None,
        });
        let term = search.term.as_ref().map(|t| TermParts { email: t.email.as_deref(), name: t.name.as_deref() });
        let page = i64::from(limit) + 1;
        let mut readers: Vec<Reader<'_>> = branches
            .iter()
            .filter_map(|(rank, drive, descending)| {
                let after = match &place {
                    Some(p) if p.rank > *rank => return None,
                    Some(p) if p.rank == *rank => Some((p.key.clone(), p.id)),
                    _ => None,
                };
                let not_ids = if matches!(drive, Drive::Id(..)) { None } else { ids };
                Some(Reader::new(*rank, *drive, *descending, not_ids, after, page))
            })
            .collect();
        let mut rows = merged(conn.db(), &filters, &mut readers, term.as_ref(), limit as usize + 1).await?;
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let next_cursor = more
            .then(|| rows.last().map(|(rank, r)| Place { tag, rank: *rank, key: r.sort_key.clone(), id: r.user.id }))
            .flatten()
            .map(|p| p.encode());
        let items = rows
            .into_iter()
            .map(|(_, r)| DirectoryEntry { mfa_enabled: r.mfa_enabled, record: AccountRecord::from(r.user) })
            .collect();
        Ok(UserPage { items, next_cursor, order })
    }
}

#[cfg(test)]
mod tests {
    use super::{Place, Term, id_range, name_prefix};
    use crate::ids::UserId;

    #[test]
    fn a_term_is_an_address_a_name_and_perhaps_an_id() {
        let t = Term::parse(" Ada@Example ").unwrap();
        assert_eq!((t.email.as_deref(), t.name, t.ids), (Some("ada@example"), None, None));
        let t = Term::parse("Ada  Love").unwrap();
        assert_eq!((t.email, t.name.as_deref(), t.ids), (None, Some("ada love"), None));
        let t = Term::parse("Beef").unwrap();
        assert_eq!((t.email.as_deref(), t.name.as_deref()), (Some("beef"), Some("beef")));
        assert!(t.ids.is_some());
        assert!(Term::parse("   ").is_none());
        assert_eq!(name_prefix(&"x".repeat(150)).unwrap().len(), 100, "cut like the keys");
    }

    #[test]
    fn an_id_prefix_is_the_range_of_ids_it_starts() {
        let (low, high) = id_range("0198c2A4-7b").unwrap();
        assert_eq!(low.to_string(), "0198c2a4-7b00-0000-0000-000000000000");
        assert_eq!(high.to_string(), "0198c2a4-7bff-ffff-ffff-ffffffffffff");
        let full = "0198c2a4-7b1e-7c3d-8e5f-0123456789ab";
        let (low, high) = id_range(full).unwrap();
        assert_eq!((low.to_string(), high.to_string()), (full.to_owned(), full.to_owned()));
        for not_an_id in ["abc", "abcg", "a b c d", &"a".repeat(33), "----"] {
            assert!(id_range(not_an_id).is_none(), "{not_an_id}");
        }
    }

    #[test]
    fn a_cursor_round_trips_and_garbage_is_refused() {
        let p = Place { tag: 'm', rank: 1, key: "anna becker".into(), id: UserId::new() };
        assert_eq!(Place::decode(&p.encode()), Some(p));
        let v1 = format!("u1.{}", base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, "ada@x"));
        assert_eq!(Place::decode(&v1).map(|p| (p.tag, p.key)), Some(('e', "ada@x".to_owned())));
        for bad in ["garbage", "u2.", "u2.!!!", "u1."] {
            assert!(Place::decode(bad).is_none(), "{bad}");
        }
    }
}
