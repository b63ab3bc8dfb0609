//! Reading a search's branches together: each branch is an index range read in its own key
//! order, a chunk at a time; the rows are merged in the search's order (rank, key, id) until
//! the page is full. An account that matches a search term twice (its address starts with
//! "anna" and so does its first name) is listed once, where its first match sorts — decided
//! from the row itself, so that neither branch has to skip, in SQL, every account the other
//! lists: that costed a read of every "Anna" before the first page of "anna" could be shown.

use std::collections::VecDeque;

use super::directory_search::TermParts;
use crate::error::Result;
use crate::ids::UserId;
use crate::store::Db;
use crate::store::user_directory::{self, Branch, DirectoryRow, Drive, Filters};
use crate::store::user_name_keys::name_keys;
use crate::store::users::name_lookup;

/// The largest chunk a branch is read in (chunks double from a page's size while a branch's
/// rows keep being passed over).
const MAX_CHUNK: i64 = 4_096;

/// One branch of a search being read.
pub(super) struct Reader<'b> {
    /// Id matches (0) come before address and name matches (1).
    pub rank: u8,
    pub drive: Drive<'b>,
    pub descending: bool,
    /// Accounts another branch lists (the id matches).
    pub not_ids: Option<(UserId, UserId)>,
    /// Where the branch resumes: the page's cursor, then its last row read.
    pub after: Option<(String, UserId)>,
    buffer: VecDeque<DirectoryRow>,
    exhausted: bool,
    chunk: i64,
}

impl<'b> Reader<'b> {
    pub(super) fn new(
        rank: u8,
        drive: Drive<'b>,
        descending: bool,
        not_ids: Option<(UserId, UserId)>,
        after: Option<(String, UserId)>,
        page: i64,
    ) -> Self {
        Self { rank, drive, descending, not_ids, after, buffer: VecDeque::new(), exhausted: false, chunk: page }
    }

    /// The next row, reading a chunk when the buffer is empty; `None` at the branch's end.
    async fn head(&mut self, mut db: Db<'_>, filters: &Filters<'_>) -> Result<Option<&DirectoryRow>> {
        if self.buffer.is_empty() && !self.exhausted {
            let branch = Branch {
                drive: self.drive,
                descending: self.descending,
                not_ids: self.not_ids,
                after: self.after.as_ref().map(|(k, id)| (k.as_str(), *id)),
                limit: self.chunk,
            };
            let rows = user_directory::branch(db.reborrow(), filters, &branch).await?;
            self.exhausted = i64::try_from(rows.len()).unwrap_or(i64::MAX) < self.chunk;
            if let Some(last) = rows.last() {
                self.after = Some((last.sort_key.clone(), last.user.id));
            }
            self.buffer.extend(rows);
            self.chunk = (self.chunk * 2).min(MAX_CHUNK);
        }
        Ok(self.buffer.front())
    }
}

/// The branch order of an address match and a name match with the same key: the address first.
fn branch_order(drive: &Drive<'_>) -> u8 {
    u8::from(matches!(drive, Drive::Name(_)))
}

/// Whether `row`, read by `drive`, is its account's first match in the search's order: its key
/// is the smallest of the account's address (when it starts with the term) and name keys
/// (those starting with it), ties going to the address. Id matches are never listed by the
/// other branches, so they need no check.
fn first_match(term: &TermParts<'_>, drive: &Drive<'_>, row: &DirectoryRow) -> bool {
    let own = (row.sort_key.as_str(), branch_order(drive));
    let email =
        term.email.filter(|p| row.user.email_lookup.starts_with(p)).map(|_| (row.user.email_lookup.clone(), 0u8));
    let names = term.name.map_or_else(Vec::new, |p| {
        name_lookup(row.user.given_name.as_deref(), row.user.family_name.as_deref())
            .map(|n| name_keys(&n))
            .unwrap_or_default()
            .into_iter()
            .filter(|k| k.starts_with(p))
            .map(|k| (k, 1u8))
            .collect()
    });
    let first = email.into_iter().chain(names).min_by(|a, b| (a.0.as_bytes(), a.1).cmp(&(b.0.as_bytes(), b.1)));
    first.is_none_or(|(key, order)| (key.as_bytes(), order) >= (own.0.as_bytes(), own.1))
}

/// A row's place in the search's order: rank, key (as bytes), id.
type Position = (u8, Vec<u8>, UserId);

/// The first `want` rows of the branches in the search's order, each account once.
pub(super) async fn merged(
    mut db: Db<'_>,
    filters: &Filters<'_>,
    readers: &mut [Reader<'_>],
    term: Option<&TermParts<'_>>,
    want: usize,
) -> Result<Vec<(u8, DirectoryRow)>> {
    let mut out: Vec<(u8, DirectoryRow)> = Vec::with_capacity(want);
    let several = readers.len() > 1;
    while out.len() < want {
        let mut best: Option<(usize, Position)> = None;
        for (i, r) in readers.iter_mut().enumerate() {
            let rank = r.rank;
            if let Some(row) = r.head(db.reborrow(), filters).await? {
                let at = (rank, row.sort_key.as_bytes().to_vec(), row.user.id);
                if best.as_ref().is_none_or(|(_, b)| at < *b) {
                    best = Some((i, at));
                }
            }
        }
        let Some((i, _)) = best else { break };
        let reader = &mut readers[i];
        let Some(row) = reader.buffer.pop_front() else { break };
        let keep = match term {
            Some(t) if several && reader.rank == 1 => first_match(t, &reader.drive, &row),
            _ => true,
        };
        if keep && !out.iter().any(|(_, r)| r.user.id == row.user.id) {
            out.push((reader.rank, row));
        }
    }
    Ok(out)
}
