//! What the page frame needs to know about the current request, kept for the request's duration
//! in a task-local (set up by [`crate::i18n::locale`], the outermost page middleware): its
//! language, its path (for the language switcher's way back) and the signed-in user's
//! organizations (for the header's switcher). `Layout::new` reads it, so no handler passes these
//! along.

use std::cell::{Cell, RefCell};
use std::future::Future;

use keystead_core::i18n::Locale;
use keystead_core::organizations::MyOrganization;

/// The request's page context.
pub(crate) struct Scope {
    pub(crate) locale: Cell<Locale>,
    pub(crate) path: String,
    pub(crate) organizations: RefCell<Vec<MyOrganization>>,
    /// True when the signed-in user is an operator (the header offers the admin console).
    pub(crate) operator: Cell<bool>,
}

tokio::task_local! {
    static SCOPE: Scope;
}

/// Runs `fut` (the rest of the request) with its page context.
pub(crate) async fn run<F: Future>(locale: Locale, path: String, fut: F) -> F::Output {
    let scope =
        Scope { locale: Cell::new(locale), path, organizations: RefCell::new(Vec::new()), operator: Cell::new(false) };
    SCOPE.scope(scope, fut).await
}

/// Reads the page context (`None` outside a request, e.g. in unit tests).
pub(crate) fn with<T>(f: impl FnOnce(&Scope) -> T) -> Option<T> {
    SCOPE.try_with(f).ok()
}

/// Remembers the signed-in user's organizations for the header.
pub(crate) fn set_organizations(orgs: Vec<MyOrganization>) {
    let _ = SCOPE.try_with(|s| *s.organizations.borrow_mut() = orgs);
}

/// The signed-in user's organizations, when the session extractor loaded them.
pub(crate) fn organizations() -> Vec<MyOrganization> {
    with(|s| s.organizations.borrow().clone()).unwrap_or_default()
}

/// Remembers that the signed-in user is an operator, for the header's link to the console.
pub(crate) fn set_operator(operator: bool) {
    let _ = SCOPE.try_with(|s| s.operator.set(operator));
}

/// Whether the session extractor found the signed-in user to be an operator.
pub(crate) fn operator() -> bool {
    with(|s| s.operator.get()).unwrap_or(false)
}
