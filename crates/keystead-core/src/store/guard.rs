//! One connection per unit of work: a task that holds a transaction (or a pooled connection)
//! must not take another from the pool. On SQLite such a nested take can wait forever for a
//! connection that the other waiters hold while they wait for the write lock this task holds;
//! on PostgreSQL it doubles the connections a request needs. Requests and jobs run inside
//! [`scope`]; there, [`Store::begin`](super::Store::begin) and
//! `Store::conn` refuse a second hold (a panic in debug builds and
//! tests, an error in the log otherwise).

use std::cell::Cell;
use std::future::Future;

tokio::task_local! {
    static HELD: Cell<u32>;
}

/// Runs `work` as one unit of work whose database holds are counted (every HTTP request and
/// every job runs in one). Outside such a scope nothing is checked.
pub async fn scope<F: Future>(work: F) -> F::Output {
    HELD.scope(Cell::new(0), work).await
}

/// A hold on the scope's one connection; released on drop.
#[derive(Debug)]
pub(crate) struct Hold {
    counted: bool,
}

impl Hold {
    /// Records that the current unit of work takes a connection; `what` names the call site
    /// kind for the message (`a transaction`, `a pooled connection`).
    pub(crate) fn take(what: &'static str) -> Self {
        let counted = HELD
            .try_with(|held| {
                let already = held.get();
                held.set(already + 1);
                if already > 0 {
                    nested(what);
                }
            })
            .is_ok();
        Self { counted }
    }
}

impl Drop for Hold {
    fn drop(&mut self) {
        if self.counted {
            let _ = HELD.try_with(|held| held.set(held.get().saturating_sub(1)));
        }
    }
}

#[cfg(debug_assertions)]
#[expect(clippy::panic, reason = "a debug-build assertion: nested holds must fail every test that reaches one")]
fn nested(what: &str) {
    panic!("took {what} while this task already holds a database connection (use the transaction's own connection)");
}

#[cfg(not(debug_assertions))]
fn nested(what: &str) {
    tracing::error!(
        what,
        "took a database connection while this task already holds one; this can stall the pool under load"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn holds_are_counted_per_scope_and_released_on_drop() {
        scope(async {
            let first = Hold::take("a transaction");
            drop(first);
            let _again = Hold::take("a pooled connection");
        })
        .await;
        // Two scopes side by side each hold their own connection.
        let a = scope(async {
            let _h = Hold::take("a transaction");
            tokio::task::yield_now().await;
        });
        let b = scope(async {
            let _h = Hold::take("a transaction");
            tokio::task::yield_now().await;
        });
        tokio::join!(a, b);
        // Outside any scope nothing is counted.
        let _x = Hold::take("a transaction");
        let _y = Hold::take("a transaction");
    }

    #[tokio::test]
    #[should_panic(expected = "already holds a database connection")]
    async fn a_second_hold_in_one_scope_is_refused() {
        scope(async {
            let _tx = Hold::take("a transaction");
            let _conn = Hold::take("a pooled connection");
        })
        .await;
    }
}
