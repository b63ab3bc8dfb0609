//! Copies of the SQLite database: `VACUUM INTO` a verified file while a server runs, and putting
//! a verified copy back where no process has the database open. PostgreSQL has its own tools
//! (`pg_dump`, `pg_restore`); this module only names them.

mod files;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use secrecy::ExposeSecret;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};

use self::files::TempFile;
use super::SQLITE_MIGRATOR;
use crate::config::DatabaseConfig;

/// How long a backup waits for a lock (a read in WAL mode rarely waits at all).
const BACKUP_BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a restore waits before deciding someone else has the database open.
const RESTORE_BUSY_TIMEOUT: Duration = Duration::from_millis(200);

/// What to do when the file to be written already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfExists {
    /// Leave it alone and fail with [`BackupError::Exists`].
    Refuse,
    /// Replace it (a database only when no process has it open).
    Replace,
}

/// A verified copy of the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    /// Where it is now.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// The newest migration applied to it.
    pub schema_version: i64,
}

/// Why a backup or a restore did not happen. Nothing was changed in either case.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The database is PostgreSQL: use `pg_dump`.
    #[error(
        "a PostgreSQL database is backed up with pg_dump, not keystead: pg_dump --format=custom --file keystead.dump \"$DATABASE_URL\""
    )]
    PostgresBackup,
    /// The database is PostgreSQL: use `pg_restore`.
    #[error(
        "a PostgreSQL database is restored with pg_restore, not keystead: pg_restore --clean --if-exists --no-owner --dbname \"$DATABASE_URL\" keystead.dump"
    )]
    PostgresRestore,
    /// The configured SQLite file does not exist.
    #[error("there is no database at {} (check database_url and data_dir)", .0.display())]
    NoDatabase(PathBuf),
    /// The destination exists and [`IfExists::Refuse`] was asked for.
    #[error("{} already exists", .0.display())]
    Exists(PathBuf),
    /// The destination is the database itself.
    #[error("{} is the database itself", .0.display())]
    SameFile(PathBuf),
    /// Another connection (a running server, a `sqlite3` shell) has the database open.
    #[error(
        "the database {} is in use (a running Keystead server or another program has it open): stop it first",
        .0.display()
    )]
    InUse(PathBuf),
    /// The file is not an SQLite database at all.
    #[error("{} is not a SQLite database", .0.display())]
    NotADatabase(PathBuf),
    /// The file fails SQLite's integrity check or holds an unfinished migration.
    #[error("{} is damaged: {detail}", .path.display())]
    Damaged {
        /// The file.
        path: PathBuf,
        /// The first problem found.
        detail: String,
    },
    /// The file is an SQLite database, but not one Keystead's migrations made.
    #[error("{} is not a Keystead database ({why})", .path.display())]
    NotKeystead {
        /// The file.
        path: PathBuf,
        /// What is missing or different.
        why: String,
    },
    /// The file was made by a newer Keystead than this one.
    #[error(
        "{} has schema version {found}, newer than this keystead knows ({known}): use the release that made it",
        .path.display()
    )]
    NewerSchema {
        /// The file.
        path: PathBuf,
        /// Its newest migration.
        found: i64,
        /// This binary's newest migration.
        known: i64,
    },
    /// SQLite is given paths as text.
    #[error("{}: the path is not valid UTF-8", .0.display())]
    NotUtf8(PathBuf),
    /// A file operation failed.
    #[error("cannot {action} {}", .path.display())]
    Io {
        /// What was being done (`create`, `read`, …).
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// SQLite failed.
    #[error("SQLite failed on {}", .path.display())]
    Sqlite {
        /// The database file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: sqlx::Error,
    },
}

/// The newest migration this binary knows (the schema version it makes).
pub fn known_schema_version() -> i64 {
    SQLITE_MIGRATOR.iter().filter(|m| m.migration_type.is_up_migration()).map(|m| m.version).max().unwrap_or(0)
}

/// Writes a consistent copy of the SQLite database `config` names to `output` with
/// `VACUUM INTO`, while a server may be reading and writing it (a WAL read transaction sees one
/// committed state). The copy is made beside `output`, readable only by the owner, flushed to
/// disk and verified (integrity check, Keystead's migrations) before it takes the name `output`.
/// PostgreSQL answers [`BackupError::PostgresBackup`] without connecting.
pub async fn backup_sqlite(
    config: &DatabaseConfig,
    output: &Path,
    if_exists: IfExists,
) -> Result<BackupInfo, BackupError> {
    let database = sqlite_file(config, BackupError::PostgresBackup)?;
    if !database.is_file() {
        return Err(BackupError::NoDatabase(database));
    }
    files::refuse_same_file(output, &database)?;
    if if_exists == IfExists::Refuse && files::exists(output) {
        return Err(BackupError::Exists(output.to_owned()));
    }
    let temp = TempFile::create(output)?;
    let into = temp.path().to_str().ok_or_else(|| BackupError::NotUtf8(output.to_owned()))?;
    let options = SqliteConnectOptions::new().filename(&database).busy_timeout(BACKUP_BUSY_TIMEOUT);
    let mut conn = SqliteConnection::connect_with(&options).await.map_err(|e| classify(e, &database))?;
    // The target is the empty file just created: VACUUM INTO accepts an empty file, and so the
    // copy keeps that file's owner-only mode.
    let vacuumed = sqlx::query("VACUUM INTO $1").bind(into).execute(&mut conn).await;
    let _ = conn.close().await;
    vacuumed.map_err(|e| classify(e, &database))?;
    // SQLite does not flush a VACUUM INTO file.
    temp.sync()?;
    let schema_version = inspect(temp.path(), output).await?;
    temp.place(output, if_exists)?;
    Ok(BackupInfo { path: output.to_owned(), bytes: files::size(output)?, schema_version })
}

/// Puts the backup `input` in place as the SQLite database `config` names. The input is copied
/// beside the database and verified first; the database is then replaced by one rename, only if
/// `if_exists` allows and no other connection has it open (the check takes SQLite's exclusive
/// lock and keeps it until the rename is done). Its leftover `-wal`, `-shm` and `-journal`
/// files go, so none is replayed into the restored copy. PostgreSQL answers
/// [`BackupError::PostgresRestore`] without connecting.
pub async fn restore_sqlite(
    config: &DatabaseConfig,
    input: &Path,
    if_exists: IfExists,
) -> Result<BackupInfo, BackupError> {
    let database = sqlite_file(config, BackupError::PostgresRestore)?;
    files::refuse_same_file(input, &database)?;
    let exists = files::exists(&database);
    if exists && if_exists == IfExists::Refuse {
        return Err(BackupError::Exists(database));
    }
    files::create_private_dir(&database)?;
    let mut temp = TempFile::create(&database)?;
    temp.copy_from(input)?;
    let schema_version = inspect(temp.path(), input).await?;
    let held = if exists { take_over(&database).await? } else { None };
    files::remove_side_files(&database)?;
    temp.place(&database, IfExists::Replace)?;
    if let Some(conn) = held {
        // Rollback-journal mode by now: closing touches no file by name.
        let _ = conn.close().await;
    }
    Ok(BackupInfo { path: database.clone(), bytes: files::size(&database)?, schema_version })
}

/// Checks a copy: SQLite's integrity check passes and its migrations are this binary's (none
/// newer, none different). Opened immutable, so nothing is written beside it. Errors name `shown`.
async fn inspect(file: &Path, shown: &Path) -> Result<i64, BackupError> {
    let options = SqliteConnectOptions::new().filename(file).read_only(true).immutable(true);
    let mut conn = SqliteConnection::connect_with(&options).await.map_err(|e| classify(e, shown))?;
    let result = check(&mut conn, shown).await;
    let _ = conn.close().await;
    result
}

async fn check(conn: &mut SqliteConnection, shown: &Path) -> Result<i64, BackupError> {
    let problems: Vec<String> =
        sqlx::query_scalar("PRAGMA integrity_check").fetch_all(&mut *conn).await.map_err(|e| classify(e, shown))?;
    if problems.iter().map(String::as_str).ne(["ok"]) {
        let detail = problems.into_iter().next().unwrap_or_else(|| "no answer from the integrity check".to_owned());
        return Err(BackupError::Damaged { path: shown.to_owned(), detail });
    }
    let has_migrations: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations')",
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| classify(e, shown))?;
    if !has_migrations {
        return Err(not_keystead(shown, "no migrations table"));
    }
    let applied: Vec<(i64, bool, Vec<u8>)> =
        sqlx::query_as("SELECT version, success, checksum FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&mut *conn)
            .await
            .map_err(|e| classify(e, shown))?;
    schema_version(&applied, shown)
}

/// The newest applied migration, if every applied one is this binary's own.
fn schema_version(applied: &[(i64, bool, Vec<u8>)], shown: &Path) -> Result<i64, BackupError> {
    let Some(&(newest, ..)) = applied.last() else {
        return Err(not_keystead(shown, "no migrations applied"));
    };
    let known = known_schema_version();
    if newest > known {
        return Err(BackupError::NewerSchema { path: shown.to_owned(), found: newest, known });
    }
    for (version, success, checksum) in applied {
        let ours = SQLITE_MIGRATOR
            .iter()
            .any(|m| m.version == *version && m.migration_type.is_up_migration() && *m.checksum == checksum[..]);
        if !ours {
            return Err(not_keystead(shown, &format!("migration {version} is not Keystead's")));
        }
        if !success {
            return Err(BackupError::Damaged { path: shown.to_owned(), detail: format!("migration {version} failed") });
        }
    }
    Ok(newest)
}

fn not_keystead(path: &Path, why: &str) -> BackupError {
    BackupError::NotKeystead { path: path.to_owned(), why: why.to_owned() }
}

/// Opens `database` as its only user, or fails with [`BackupError::InUse`]. In WAL mode every
/// open connection keeps a shared lock on the file, so an exclusive lock fails while a server
/// runs, even an idle one. The returned connection keeps that lock, in rollback-journal mode
/// (its WAL checkpointed and removed). `None` when the file is not a database: nobody can be
/// using it as one.
async fn take_over(database: &Path) -> Result<Option<SqliteConnection>, BackupError> {
    let options = SqliteConnectOptions::new().filename(database).busy_timeout(RESTORE_BUSY_TIMEOUT);
    let mut conn = match SqliteConnection::connect_with(&options).await {
        Ok(conn) => conn,
        Err(e) => return unusable_or_error(e, database).map(|()| None),
    };
    match lock_exclusively(&mut conn).await {
        Ok(true) => Ok(Some(conn)),
        Ok(false) => {
            let _ = conn.close().await;
            Err(BackupError::InUse(database.to_owned()))
        }
        Err(e) => {
            let _ = conn.close().await;
            unusable_or_error(e, database).map(|()| None)
        }
    }
}

/// Takes and keeps SQLite's exclusive lock; false if another connection holds the database.
async fn lock_exclusively(conn: &mut SqliteConnection) -> Result<bool, sqlx::Error> {
    // The locking mode must come first: leaving WAL mode then needs the exclusive lock, and
    // exclusive locking mode keeps it after the transaction below.
    sqlx::query("PRAGMA locking_mode = EXCLUSIVE").execute(&mut *conn).await?;
    let mode: String = match sqlx::query_scalar("PRAGMA journal_mode = DELETE").fetch_one(&mut *conn).await {
        Ok(mode) => mode,
        Err(e) if primary_code(&e).is_some_and(|c| c == SQLITE_BUSY || c == SQLITE_LOCKED) => return Ok(false),
        Err(e) => return Err(e),
    };
    if !mode.eq_ignore_ascii_case("delete") {
        return Ok(false);
    }
    match sqlx::query("BEGIN EXCLUSIVE").execute(&mut *conn).await {
        Ok(_) => {}
        Err(e) if primary_code(&e).is_some_and(|c| c == SQLITE_BUSY || c == SQLITE_LOCKED) => return Ok(false),
        Err(e) => return Err(e),
    }
    sqlx::query("COMMIT").execute(&mut *conn).await?;
    Ok(true)
}

/// A file that is not a database (or is one too damaged to read) is being replaced, not used.
fn unusable_or_error(e: sqlx::Error, database: &Path) -> Result<(), BackupError> {
    match classify(e, database) {
        BackupError::NotADatabase(_) | BackupError::Damaged { .. } => Ok(()),
        other => Err(other),
    }
}

const SQLITE_CORRUPT: i32 = 11;
const SQLITE_BUSY: i32 = 5;
const SQLITE_LOCKED: i32 = 6;
const SQLITE_NOTADB: i32 = 26;

/// The primary SQLite result code of an error (sqlx reports the extended one).
fn primary_code(e: &sqlx::Error) -> Option<i32> {
    let sqlx::Error::Database(db) = e else { return None };
    db.code().and_then(|c| c.parse::<i32>().ok()).map(|c| c & 0xff)
}

fn classify(e: sqlx::Error, path: &Path) -> BackupError {
    match primary_code(&e) {
        Some(SQLITE_NOTADB) => BackupError::NotADatabase(path.to_owned()),
        Some(SQLITE_CORRUPT) => BackupError::Damaged { path: path.to_owned(), detail: e.to_string() },
        Some(SQLITE_BUSY | SQLITE_LOCKED) => BackupError::InUse(path.to_owned()),
        _ => BackupError::Sqlite { path: path.to_owned(), source: e },
    }
}

/// The SQLite file `config` names; `postgres` (the refusal) for PostgreSQL.
fn sqlite_file(config: &DatabaseConfig, postgres: BackupError) -> Result<PathBuf, BackupError> {
    let url = config.url.expose_secret();
    if !url.starts_with("sqlite:") {
        return Err(postgres);
    }
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|source| BackupError::Sqlite { path: PathBuf::from(url), source })?;
    Ok(options.get_filename().to_owned())
}
