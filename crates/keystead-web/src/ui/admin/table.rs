//! The tables the console's record pages are made of (a user's page, an organization's page):
//! a heading, an empty state, and rows whose first cell may link somewhere. The template side
//! is the macro in `templates/admin/table.html`.

/// A row of one of the page's tables: its cells in column order.
#[derive(Debug, Clone)]
pub struct Cells {
    /// The first cell, with a link when there is somewhere to go.
    pub(crate) first: String,
    pub(crate) href: Option<String>,
    pub(crate) rest: Vec<String>,
}

/// A section of the page shown as a table (or its empty state).
#[derive(Debug, Clone)]
pub struct Table {
    pub(crate) id: &'static str,
    pub(crate) heading: String,
    pub(crate) empty: String,
    /// A sentence under the heading (empty for none).
    pub(crate) intro: String,
    /// Column headers, the first cell's included.
    pub(crate) heads: Vec<String>,
    /// Rows, each cell with its column's header (for the phone layout's labels).
    pub(crate) rows: Vec<(Cells, Vec<(String, String)>)>,
}

impl Table {
    /// A table titled by the message `keys[0]`, saying `keys[1]` when `rows` is empty, with the
    /// columns named by the messages `heads`.
    pub(crate) fn new(id: &'static str, keys: [&str; 2], heads: &[&str], rows: Vec<Cells>) -> Self {
        let l = crate::i18n::current();
        let heads: Vec<String> = heads.iter().map(|k| l.t(k)).collect();
        let rows = rows
            .into_iter()
            .map(|c| {
                let labelled = heads.iter().skip(1).cloned().zip(c.rest.iter().cloned()).collect();
                (c, labelled)
            })
            .collect();
        Self { id, heading: l.t(keys[0]), empty: l.t(keys[1]), intro: String::new(), heads, rows }
    }
}

/// A sortable column's header link.
#[derive(Debug, Clone)]
pub struct SortLink {
    pub(crate) href: String,
    /// `ascending`, `descending`, or empty when the list is not sorted by the column.
    pub(crate) aria: &'static str,
}

impl SortLink {
    /// The header link of a column whose orders are `[ascending, descending]`, on a list sorted
    /// by `current`: it sorts ascending, or descending when the list already is ascending by it.
    /// `href` is the URL of the list in an order.
    pub(crate) fn new<S: Copy + PartialEq>(
        current: S,
        [ascending, descending]: [S; 2],
        href: impl FnOnce(S) -> String,
    ) -> Self {
        let aria = if current == ascending {
            "ascending"
        } else if current == descending {
            "descending"
        } else {
            ""
        };
        let next = if current == ascending { descending } else { ascending };
        Self { href: href(next), aria }
    }
}

/// A row: the first cell (linked to `href` when given), then the others.
pub(crate) fn cells(first: String, href: Option<String>, rest: Vec<String>) -> Cells {
    Cells { first, href, rest }
}
