//! Backups and restores of the SQLite database (PostgreSQL has pg_dump and pg_restore).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use secrecy::SecretString;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};

use super::backup::{BackupError, IfExists, backup_sqlite, known_schema_version, restore_sqlite};
use super::{Db, Store};
use crate::config::DatabaseConfig;
use crate::testing::TestDb;

fn sqlite_config(path: &Path) -> DatabaseConfig {
    DatabaseConfig { url: SecretString::from(format!("sqlite://{}", path.display())), max_connections: 5 }
}

/// Runs `sql` on one of the store's connections.
async fn execute(store: &Store, sql: &'static str) {
    let mut conn = store.conn().await.unwrap();
    let Db::Sqlite(c) = conn.db() else { panic!("SQLite only") };
    sqlx::query(sql).execute(c).await.unwrap();
}

/// Rows written in pairs, one transaction per pair: a consistent copy has `count == total`.
async fn probe_rows(path: &Path) -> (i64, i64) {
    let options = SqliteConnectOptions::new().filename(path).read_only(true);
    let mut conn = SqliteConnection::connect_with(&options).await.unwrap();
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM probe").fetch_one(&mut conn).await.unwrap();
    let total: i64 = sqlx::query_scalar("SELECT n FROM probe_total").fetch_one(&mut conn).await.unwrap();
    conn.close().await.unwrap();
    (count, total)
}

async fn store_with_probe(db: &TestDb) -> Store {
    let store = db.store().await.unwrap();
    execute(&store, "CREATE TABLE probe (n INTEGER PRIMARY KEY)").await;
    execute(&store, "CREATE TABLE probe_total (n INTEGER NOT NULL)").await;
    execute(&store, "INSERT INTO probe_total (n) VALUES (0)").await;
    store
}

/// Writes pairs until `stop`, each pair in one transaction.
fn write_until(store: Store, stop: Arc<AtomicBool>) -> tokio::task::JoinHandle<i64> {
    tokio::spawn(async move {
        let mut n = 0;
        while !stop.load(Ordering::Relaxed) {
            n += 1;
            let mut tx = store.begin().await.unwrap();
            let Db::Sqlite(c) = tx.db() else { panic!("SQLite only") };
            sqlx::query("INSERT INTO probe (n) VALUES ($1)").bind(n).execute(&mut *c).await.unwrap();
            sqlx::query("UPDATE probe_total SET n = $1").bind(n).execute(&mut *c).await.unwrap();
            tx.commit().await.unwrap();
        }
        n
    })
}

fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[tokio::test]
async fn a_backup_taken_while_writes_continue_is_one_consistent_verified_state() {
    let db = TestDb::sqlite().await.unwrap();
    let store = store_with_probe(&db).await;
    let stop = Arc::new(AtomicBool::new(false));
    let writer = write_until(store.clone(), Arc::clone(&stop));
    let out = tempfile::tempdir().unwrap();

    let mut copies = Vec::new();
    for i in 0..4 {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let path = out.path().join(format!("copy-{i}.db"));
        let info = backup_sqlite(&db.database_config(), &path, IfExists::Refuse).await.unwrap();
        assert_eq!((info.path.as_path(), info.schema_version), (path.as_path(), known_schema_version()));
        assert_eq!(info.bytes, std::fs::metadata(&path).unwrap().len());
        copies.push(path);
    }
    stop.store(true, Ordering::Relaxed);
    let written = writer.await.unwrap();

    let mut last = 0;
    for path in &copies {
        let (count, total) = probe_rows(path).await;
        assert_eq!(count, total, "{} holds half a transaction", path.display());
        assert!(count >= last && count <= written, "{count} rows after {last}, of {written}");
        last = count;
        #[cfg(unix)]
        assert_eq!(
            std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(path).unwrap().permissions()) & 0o777,
            0o600
        );
    }
    assert!(last > 0, "the writer never got going");
    let names: Vec<String> = (0..4).map(|i| format!("copy-{i}.db")).collect();
    assert_eq!(file_names(out.path()), names, "temporary files were left behind");
}

#[tokio::test]
async fn a_backup_never_replaces_an_existing_file_unless_asked() {
    let db = TestDb::sqlite().await.unwrap();
    let _store = db.store().await.unwrap();
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("keystead.backup");
    std::fs::write(&path, "precious").unwrap();

    let refused = backup_sqlite(&db.database_config(), &path, IfExists::Refuse).await;
    assert!(matches!(refused, Err(BackupError::Exists(ref p)) if p == &path), "{refused:?}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "precious");

    backup_sqlite(&db.database_config(), &path, IfExists::Replace).await.unwrap();
    assert_ne!(std::fs::read(&path).unwrap(), b"precious");
    assert_eq!(file_names(out.path()), ["keystead.backup"]);

    let itself = PathBuf::from(db.url().trim_start_matches("sqlite://"));
    let same = backup_sqlite(&db.database_config(), &itself, IfExists::Replace).await;
    assert!(matches!(same, Err(BackupError::SameFile(_))), "{same:?}");
}

#[tokio::test]
async fn a_restore_waits_for_every_connection_to_close_and_leaves_no_stale_wal() {
    let source = TestDb::sqlite().await.unwrap();
    let source_store = store_with_probe(&source).await;
    execute(&source_store, "INSERT INTO probe (n) VALUES (1)").await;
    execute(&source_store, "UPDATE probe_total SET n = 1").await;
    let out = tempfile::tempdir().unwrap();
    let backup = out.path().join("backup.db");
    backup_sqlite(&source.database_config(), &backup, IfExists::Refuse).await.unwrap();

    let target = TestDb::sqlite().await.unwrap();
    let target_store = target.store().await.unwrap();
    let config = target.database_config();
    let refused = restore_sqlite(&config, &backup, IfExists::Refuse).await;
    assert!(matches!(refused, Err(BackupError::Exists(_))), "{refused:?}");
    let live = restore_sqlite(&config, &backup, IfExists::Replace).await;
    assert!(matches!(live, Err(BackupError::InUse(_))), "{live:?}");
    assert!(target_store.is_migrated().await.unwrap(), "the live database was touched");

    target_store.close().await;
    let info = restore_sqlite(&config, &backup, IfExists::Replace).await.unwrap();

    assert_eq!(info.schema_version, known_schema_version());
    let file = PathBuf::from(target.url().trim_start_matches("sqlite://"));
    assert_eq!(file_names(file.parent().unwrap()), ["keystead.db"]);
    assert_eq!(probe_rows(&file).await, (1, 1));
    let reopened = target.store().await.unwrap();
    assert!(reopened.is_migrated().await.unwrap());
}

#[tokio::test]
async fn a_restore_into_a_new_directory_creates_it_private() {
    let source = TestDb::sqlite().await.unwrap();
    let _store = source.store().await.unwrap();
    let out = tempfile::tempdir().unwrap();
    let backup = out.path().join("backup.db");
    backup_sqlite(&source.database_config(), &backup, IfExists::Refuse).await.unwrap();

    let file = out.path().join("data").join("keystead.db");
    restore_sqlite(&sqlite_config(&file), &backup, IfExists::Refuse).await.unwrap();

    #[cfg(unix)]
    for (path, mode) in [(file.clone(), 0o600), (out.path().join("data"), 0o700)] {
        let actual = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&path).unwrap().permissions());
        assert_eq!(actual & 0o777, mode, "{}", path.display());
    }
    assert_eq!(file_names(&out.path().join("data")), ["keystead.db"]);
}

/// Restores `input` into a fresh directory and returns the error.
async fn restore_error(input: &Path) -> BackupError {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("keystead.db");
    let err = restore_sqlite(&sqlite_config(&file), input, IfExists::Refuse).await.unwrap_err();
    assert!(file_names(dir.path()).is_empty(), "{:?} left behind", file_names(dir.path()));
    err
}

#[tokio::test]
async fn a_restore_refuses_files_that_are_not_this_keysteads_databases() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "hello ".repeat(1000)).unwrap();
    assert!(matches!(restore_error(&junk).await, BackupError::NotADatabase(p) if p == junk));

    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, "").unwrap();
    assert!(matches!(restore_error(&empty).await, BackupError::NotKeystead { .. }));

    let source = TestDb::sqlite().await.unwrap();
    let _store = source.store().await.unwrap();
    let newer = dir.path().join("newer.db");
    backup_sqlite(&source.database_config(), &newer, IfExists::Refuse).await.unwrap();
    let mut conn = SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(&newer)).await.unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (99999, 'from the future', TRUE, x'00', 0)",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    conn.close().await.unwrap();
    let err = restore_error(&newer).await;
    assert!(matches!(err, BackupError::NewerSchema { found: 99999, .. }), "{err:?}");
    assert!(err.to_string().contains("newer than this keystead"), "{err}");
}

#[tokio::test]
async fn postgresql_is_refused_naming_pg_dump_and_pg_restore_without_connecting() {
    // Nothing listens on port 1: a connection attempt would fail differently.
    let config = DatabaseConfig {
        url: SecretString::from("postgres://nobody@127.0.0.1:1/keystead".to_owned()),
        max_connections: 1,
    };
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("x.db");

    let backup = backup_sqlite(&config, &path, IfExists::Refuse).await.unwrap_err();
    assert!(matches!(backup, BackupError::PostgresBackup) && backup.to_string().contains("pg_dump --format=custom"));
    let restore = restore_sqlite(&config, &path, IfExists::Refuse).await.unwrap_err();
    assert!(matches!(restore, BackupError::PostgresRestore) && restore.to_string().contains("pg_restore "));
    assert!(file_names(out.path()).is_empty());
}

#[tokio::test]
async fn a_forced_restore_replaces_a_damaged_database_and_its_stale_side_files() {
    let source = TestDb::sqlite().await.unwrap();
    let _store = source.store().await.unwrap();
    let out = tempfile::tempdir().unwrap();
    let backup = out.path().join("backup.db");
    backup_sqlite(&source.database_config(), &backup, IfExists::Refuse).await.unwrap();
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("keystead.db");
    std::fs::write(&file, "garbage ".repeat(1000)).unwrap();
    for side in ["keystead.db-wal", "keystead.db-shm", "keystead.db-journal"] {
        std::fs::write(data.path().join(side), "left by a crash ".repeat(100)).unwrap();
    }

    let info = restore_sqlite(&sqlite_config(&file), &backup, IfExists::Replace).await.unwrap();

    assert_eq!(info.schema_version, known_schema_version());
    assert_eq!(file_names(data.path()), ["keystead.db"]);
    let store = Store::connect(&sqlite_config(&file)).await.unwrap();
    assert!(store.is_migrated().await.unwrap());
}
