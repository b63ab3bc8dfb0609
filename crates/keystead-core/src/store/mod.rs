//! The database: one [`Store`] over SQLite or PostgreSQL. Each SQL text is written once and runs
//! on both; the only backend branches are inside the few functions whose dialects truly differ.

#[cfg(test)]
mod accounts_tests;
pub(crate) mod activations;
pub(crate) mod agreements;
pub(crate) mod api_tokens;
pub(crate) mod audit;
pub mod backup;
#[cfg(test)]
mod backup_tests;
pub(crate) mod briefcases;
pub(crate) mod courses;
pub(crate) mod dashboard;
pub(crate) mod email_codes;
pub(crate) mod email_tokens;
pub(crate) mod extension_selections;
pub mod guard;
pub(crate) mod held;
pub(crate) mod hot;
pub(crate) mod idempotency;
pub(crate) mod invoices;
pub(crate) mod jobs;
pub(crate) mod license_admin;
pub(crate) mod licensing;
pub(crate) mod mfa;
pub(crate) mod oauth;
pub(crate) mod oauth_jtis;
pub(crate) mod operators;
pub(crate) mod organization_directory;
pub(crate) mod organizations;
pub(crate) mod periodic;
pub(crate) mod pictures;
pub(crate) mod preferences;
pub(crate) mod pushed_requests;
pub(crate) mod rate_limits;
#[cfg(test)]
mod schema_tests;
pub(crate) mod scim;
pub(crate) mod sessions;
pub(crate) mod sso;
pub(crate) mod user_directory;
pub(crate) mod user_name_keys;
pub(crate) mod users;
pub(crate) mod webhooks;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use secrecy::ExposeSecret;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, PgPool, Postgres, Sqlite, SqlitePool, Transaction};
use tokio::sync::Notify;

use crate::config::DatabaseConfig;

/// Runs `$body` with `$c` bound to the concrete connection (or pool) of either backend, so one
/// SQL text and one `FromRow` type serve both and each arm is type-checked against its driver.
macro_rules! on_db {
    ($target:expr, |$c:ident| $body:expr) => {
        match $target {
            $crate::store::Db::Sqlite($c) => $body,
            $crate::store::Db::Postgres($c) => $body,
        }
    };
}
pub(crate) use on_db;

/// Runs one statement with its binds on either backend; the number of rows it touched.
macro_rules! execute {
    ($db:expr, $sql:expr $(, $bind:expr)* $(,)?) => {
        $crate::store::on_db!($db, |c| sqlx::query($sql)$(.bind($bind))*.execute(c).await.map(|r| r.rows_affected()))
    };
}
pub(crate) use execute;

/// A store failure, before a feature turns it into a domain error.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No row matched.
    #[error("no such row")]
    NotFound,
    /// A unique or foreign-key constraint refused the write.
    #[error("constraint violated: {constraint}")]
    Conflict {
        /// The constraint (PostgreSQL) or the message naming the columns (SQLite).
        constraint: String,
    },
    /// The database cannot be reached right now (connection refused or lost, no pool
    /// connection within the acquire timeout, SQLite busy past its timeout): worth retrying.
    #[error("database unavailable")]
    Unavailable(#[source] sqlx::Error),
    /// The database failed.
    #[error("database error")]
    Backend(#[source] sqlx::Error),
}

/// True for failures that say the database is out of reach or saturated rather than that the
/// statement is wrong: they are answered 503 + `Retry-After`, not 500.
fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => true,
        // A connection cut mid-handshake (or mid-answer) shows as garbled protocol data.
        sqlx::Error::WorkerCrashed | sqlx::Error::Protocol(_) => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            // SQLite: SQLITE_BUSY (5) and SQLITE_LOCKED (6), with their extended codes.
            // PostgreSQL: class 08 (connection exception), 53 (insufficient resources),
            // 57P01–57P03 (the server shutting down or starting).
            // SQLite's codes are numbers of at most four digits, PostgreSQL's always five
            // characters.
            let code = code.as_ref();
            (code.len() < 5 && code.parse::<u32>().is_ok_and(|n| n & 0xff == 5 || n & 0xff == 6))
                || code.starts_with("08")
                || code.starts_with("53")
                || matches!(code, "57P01" | "57P02" | "57P03")
        }),
        _ => false,
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => Self::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() || db.is_foreign_key_violation() => {
                Self::Conflict { constraint: db.constraint().map_or_else(|| db.message().to_owned(), str::to_owned) }
            }
            other if is_unavailable(&other) => Self::Unavailable(other),
            other => Self::Backend(other),
        }
    }
}

/// Which database a [`Store`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file (one node).
    Sqlite,
    /// A PostgreSQL server (any number of nodes).
    Postgres,
}

/// A pool on either backend.
#[derive(Debug, Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A borrowed connection of either backend; what store functions run their SQL on.
pub(crate) enum Db<'a> {
    Sqlite(&'a mut sqlx::SqliteConnection),
    Postgres(&'a mut sqlx::PgConnection),
}

impl Db<'_> {
    /// A shorter borrow of the same connection, to run several statements in a row.
    pub(crate) fn reborrow(&mut self) -> Db<'_> {
        match self {
            Db::Sqlite(c) => Db::Sqlite(c),
            Db::Postgres(c) => Db::Postgres(c),
        }
    }
}

/// The application's database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
    /// SQLite allows one writer: write transactions queue here, in arrival order, before they
    /// take a pool connection, so waiting writers hold no connection that readers (or the
    /// writer holding the lock) need, and nobody polls the busy handler.
    sqlite_writer: Arc<tokio::sync::Mutex<()>>,
    /// Woken when a committed transaction queued a job, so the runner starts at once.
    jobs_queued: Arc<Notify>,
    /// The hot-path cache (PostgreSQL only; it answers while [`Store::keep_cache_fresh`] runs).
    hot: Option<Arc<hot::HotCache>>,
}

/// A write transaction. Dropping it without [`Tx::commit`] rolls back.
pub struct Tx {
    inner: TxInner,
    _hold: guard::Hold,
    _writer: Option<tokio::sync::OwnedMutexGuard<()>>,
    queued_jobs: bool,
    jobs_queued: Arc<Notify>,
    hot: Option<Arc<hot::HotCache>>,
}

enum TxInner {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl std::fmt::Debug for Tx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tx").finish_non_exhaustive()
    }
}

impl Tx {
    /// The connection to run statements on.
    pub(crate) fn db(&mut self) -> Db<'_> {
        match &mut self.inner {
            TxInner::Sqlite(t) => Db::Sqlite(t),
            TxInner::Postgres(t) => Db::Postgres(t),
        }
    }

    /// Notes that a job was queued, so the runner is woken once the transaction commits.
    pub(crate) fn queued_job(&mut self) {
        self.queued_jobs = true;
    }

    /// Commits; nothing written in the transaction is visible before this returns.
    /// Inside an idempotent admin API create, the first commit also marks its claim
    /// ([`crate::Core::within_idempotency_claim`]).
    pub async fn commit(mut self) -> Result<(), StoreError> {
        let claim = idempotency::unmarked_claim();
        if let Some((caller, key)) = &claim {
            idempotency::mark_changed(self.db(), *caller, key).await?;
        }
        match self.inner {
            TxInner::Sqlite(t) => t.commit().await?,
            TxInner::Postgres(t) => t.commit().await?,
        }
        if claim.is_some() {
            idempotency::claim_marked();
        }
        if self.queued_jobs {
            // One runner per node: wakes it, or leaves a permit if it is busy right now.
            self.jobs_queued.notify_one();
        }
        if let Some(hot) = &self.hot {
            hot.committed();
        }
        Ok(())
    }
}

/// How long a request waits for a pool connection (or, on SQLite, its turn to write) before it
/// is answered 503: long enough for a burst, short enough that an outage is reported at once.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(2);

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

impl Store {
    /// Connects to the configured database (creating a SQLite file and its directory if needed).
    /// Does not run migrations: call [`Store::migrate`].
    pub async fn connect(config: &DatabaseConfig) -> anyhow::Result<Self> {
        let url = config.url.expose_secret();
        let pool = if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .context("database_url: not a valid SQLite URL")?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                // Writers of this process queue on `sqlite_writer`; the busy handler only waits
                // for other processes (an admin command, a backup).
                .busy_timeout(Duration::from_secs(5));
            prepare_sqlite_file(options.get_filename())?;
            let pool = SqlitePoolOptions::new()
                .max_connections(config.max_connections)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .connect_with(options)
                .await
                .with_context(
                    || "cannot open the SQLite database (check database_url and that data_dir is writable)",
                )?;
            Pool::Sqlite(pool)
        } else {
            let options = PgConnectOptions::from_str(url).context("database_url: not a valid PostgreSQL URL")?;
            // The pool's first connection is the check (each connection costs a TLS handshake
            // when the server offers TLS: one at start, not two). When it fails, one direct
            // attempt tells why: the pool would report only its timeout, hiding the cause
            // (refused, unknown host, authentication failed).
            let pool = PgPoolOptions::new()
                .max_connections(config.max_connections)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .connect_with(options.clone())
                .await;
            let pool = match pool {
                Ok(pool) => pool,
                Err(pool_error) => {
                    let direct =
                        tokio::time::timeout(Duration::from_secs(10), sqlx::PgConnection::connect_with(&options)).await;
                    return Err(match direct {
                        Ok(Err(e)) => {
                            anyhow::Error::new(e).context("cannot connect to PostgreSQL (check database_url)")
                        }
                        Err(_) => {
                            anyhow::anyhow!("cannot connect to PostgreSQL: no answer within 10 s (check database_url)")
                        }
                        Ok(Ok(_)) => anyhow::Error::new(pool_error).context(
                            "cannot connect to PostgreSQL (check database_url and that the server is running)",
                        ),
                    });
                }
            };
            Pool::Postgres(pool)
        };
        let hot = matches!(pool, Pool::Postgres(_)).then(|| Arc::new(hot::HotCache::new()));
        Ok(Self { pool, sqlite_writer: Arc::default(), jobs_queued: Arc::new(Notify::new()), hot })
    }

    /// Applies pending migrations (safe to run from several nodes at once on PostgreSQL: sqlx
    /// takes an advisory lock).
    pub async fn migrate(&self) -> anyhow::Result<()> {
        match &self.pool {
            Pool::Sqlite(p) => SQLITE_MIGRATOR.run(p).await,
            Pool::Postgres(p) => POSTGRES_MIGRATOR.run(p).await,
        }
        .context("database migration failed")
    }

    /// True when every known migration has been applied.
    pub async fn is_migrated(&self) -> Result<bool, StoreError> {
        let (migrator, applied): (&sqlx::migrate::Migrator, Vec<i64>) = match &self.pool {
            Pool::Sqlite(p) => (&SQLITE_MIGRATOR, applied_versions(p).await?),
            Pool::Postgres(p) => (&POSTGRES_MIGRATOR, applied_versions(p).await?),
        };
        Ok(migrator.iter().filter(|m| m.migration_type.is_up_migration()).all(|m| applied.contains(&m.version)))
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`)
    /// so that concurrent writers wait for each other instead of failing mid-transaction.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        let hold = guard::Hold::take("a transaction");
        let (inner, writer) = match &self.pool {
            Pool::Sqlite(p) => {
                let writer = tokio::time::timeout(ACQUIRE_TIMEOUT, Arc::clone(&self.sqlite_writer).lock_owned())
                    .await
                    .map_err(|_| StoreError::Unavailable(sqlx::Error::PoolTimedOut))?;
                (TxInner::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?), Some(writer))
            }
            Pool::Postgres(p) => (TxInner::Postgres(p.begin().await?), None),
        };
        Ok(Tx {
            inner,
            _hold: hold,
            _writer: writer,
            queued_jobs: false,
            jobs_queued: Arc::clone(&self.jobs_queued),
            hot: self.hot.clone(),
        })
    }

    /// A pooled connection for reads outside a transaction.
    pub(crate) async fn conn(&self) -> Result<PoolConn, StoreError> {
        let hold = guard::Hold::take("a pooled connection");
        let inner = match &self.pool {
            Pool::Sqlite(p) => PoolConnInner::Sqlite(p.acquire().await?),
            Pool::Postgres(p) => PoolConnInner::Postgres(p.acquire().await?),
        };
        Ok(PoolConn { inner, _hold: hold })
    }

    /// Checks that the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        on_db!(conn.db(), |c| sqlx::query("SELECT 1").execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Resolves when a committed transaction has queued a job.
    pub(crate) fn jobs_queued(&self) -> Arc<Notify> {
        Arc::clone(&self.jobs_queued)
    }

    /// Keeps this node's hot-path cache fresh until `stop` resolves (see `store/hot`); the cache
    /// answers only while this runs. Returns at once on SQLite, which has no cache.
    pub async fn keep_cache_fresh(&self, stop: impl Future<Output = ()>) {
        if let (Pool::Postgres(pool), Some(cache)) = (&self.pool, &self.hot) {
            hot::listen::run(cache, pool, stop).await;
        }
    }

    /// Closes every connection (at shutdown).
    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }
}

/// Creates the SQLite file (and its directory) readable only by the owner, before SQLite opens
/// it; the WAL and shared-memory files take the database file's mode.
fn prepare_sqlite_file(path: &std::path::Path) -> anyhow::Result<()> {
    if path.as_os_str() == ":memory:" {
        return Ok(());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir).with_context(|| {
            format!("cannot create the data directory {} (set data_dir or database_url)", dir.display())
        })?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).with_context(|| {
        format!("cannot create the database file {} (set data_dir or database_url)", path.display())
    })?;
    Ok(())
}

async fn applied_versions<'a, DB: sqlx::Database>(pool: &sqlx::Pool<DB>) -> Result<Vec<i64>, StoreError>
where
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    i64: sqlx::Type<DB> + for<'r> sqlx::Decode<'r, DB>,
    bool: sqlx::Type<DB> + for<'r> sqlx::Decode<'r, DB>,
    for<'r> &'r str: sqlx::ColumnIndex<DB::Row>,
    usize: sqlx::ColumnIndex<DB::Row>,
    DB::Arguments: for<'q> sqlx::IntoArguments<DB>,
{
    let mut conn = pool.acquire().await?;
    let result: Result<Vec<(i64, bool)>, sqlx::Error> =
        sqlx::query_as("SELECT version, success FROM _sqlx_migrations").fetch_all(&mut *conn).await;
    match result {
        Ok(rows) => Ok(rows.into_iter().filter(|(_, ok)| *ok).map(|(v, _)| v).collect()),
        // No migrations table yet: nothing applied.
        Err(sqlx::Error::Database(_)) => Ok(Vec::new()),
        Err(e) => Err(e.into()),
    }
}

/// A connection borrowed from the pool.
pub(crate) struct PoolConn {
    inner: PoolConnInner,
    _hold: guard::Hold,
}

enum PoolConnInner {
    Sqlite(sqlx::pool::PoolConnection<Sqlite>),
    Postgres(sqlx::pool::PoolConnection<Postgres>),
}

impl PoolConn {
    pub(crate) fn db(&mut self) -> Db<'_> {
        match &mut self.inner {
            PoolConnInner::Sqlite(c) => Db::Sqlite(c),
            PoolConnInner::Postgres(c) => Db::Postgres(c),
        }
    }
}

/// A short fingerprint of the PostgreSQL migrations, naming the test template database.
#[cfg(any(test, feature = "testing"))]
pub(crate) fn postgres_migrations_fingerprint() -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    for m in POSTGRES_MIGRATOR.iter() {
        h.update(m.version.to_le_bytes());
        h.update(&m.checksum);
    }
    h.finalize().iter().take(6).map(|b| format!("{b:02x}")).collect()
}
