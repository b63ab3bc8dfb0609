//! Test databases: a SQLite file in a temporary directory, or a fresh PostgreSQL database
//! copied from a migrated template (as crates.io does), dropped again when the test ends.

use std::sync::atomic::{AtomicU32, Ordering};

use anyhow::Context;
use secrecy::SecretString;
use sqlx::{Connection, PgConnection};
use tokio::sync::OnceCell;

use crate::config::DatabaseConfig;
use crate::store::{Backend, Store};

mod dns;
pub use dns::DnsServer;

/// Where the PostgreSQL test server is (`KEYSTEAD_TEST_POSTGRES_URL`).
pub fn postgres_admin_url() -> String {
    std::env::var("KEYSTEAD_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// True when `KEYSTEAD_REQUIRE_POSTGRES=1`: an unreachable server fails instead of skipping.
pub fn postgres_required() -> bool {
    std::env::var("KEYSTEAD_REQUIRE_POSTGRES").is_ok_and(|v| v == "1")
}

/// A database for one test.
#[derive(Debug)]
pub struct TestDb {
    backend: Backend,
    url: String,
    _dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
}

static TEMPLATE: OnceCell<String> = OnceCell::const_new();
static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TestDb {
    /// A new SQLite database file in its own temporary directory.
    pub async fn sqlite() -> anyhow::Result<Self> {
        let dir = tempfile::tempdir().context("temporary directory")?;
        let url = format!("sqlite://{}", dir.path().join("keystead.db").display());
        Ok(Self { backend: Backend::Sqlite, url, _dir: Some(dir), pg_name: None })
    }

    /// A new, migrated PostgreSQL database; `None` (after a loud warning) when the server cannot
    /// be reached and `KEYSTEAD_REQUIRE_POSTGRES` is not `1`.
    pub async fn postgres() -> anyhow::Result<Option<Self>> {
        let admin = postgres_admin_url();
        let template = match TEMPLATE.get_or_try_init(|| create_template(&admin)).await {
            Ok(t) => t.clone(),
            Err(e) if !postgres_required() => {
                eprintln!(
                    "\n!!!!! SKIPPED: PostgreSQL test — cannot reach {admin}: {e:#}\n!!!!! Set KEYSTEAD_TEST_POSTGRES_URL, or KEYSTEAD_REQUIRE_POSTGRES=1 to fail instead.\n"
                );
                return Ok(None);
            }
            Err(e) => {
                return Err(e.context(format!("PostgreSQL required (KEYSTEAD_REQUIRE_POSTGRES=1) but {admin} failed")));
            }
        };
        let name = format!("keystead_t_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
        let mut conn = PgConnection::connect(&admin).await.context("connect to the PostgreSQL test server")?;
        let create = format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
        // Concurrent copies of one template can collide briefly; retry a few times.
        let mut last = None;
        for _ in 0..20 {
            match sqlx::raw_sql(sqlx::AssertSqlSafe(create.clone())).execute(&mut conn).await {
                Ok(_) => {
                    last = None;
                    break;
                }
                Err(e) => {
                    last = Some(e);
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
            }
        }
        if let Some(e) = last {
            return Err(anyhow::Error::new(e).context(format!("create test database {name}")));
        }
        let url = with_database(&admin, &name)?;
        Ok(Some(Self { backend: Backend::Postgres, url, _dir: None, pg_name: Some(name) }))
    }

    /// The backend named by `KEYSTEAD_TEST_DATABASE` (`sqlite`, the default, or `postgres`).
    /// With `postgres` and an unreachable server this fails: the choice was explicit.
    pub async fn from_env() -> anyhow::Result<Self> {
        match std::env::var("KEYSTEAD_TEST_DATABASE").as_deref() {
            Ok("postgres") => Self::postgres()
                .await?
                .ok_or_else(|| anyhow::anyhow!("KEYSTEAD_TEST_DATABASE=postgres but PostgreSQL is unreachable")),
            _ => Self::sqlite().await,
        }
    }

    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Database settings pointing at this database.
    pub fn database_config(&self) -> DatabaseConfig {
        DatabaseConfig { url: SecretString::from(self.url.clone()), max_connections: 5 }
    }

    /// A connected store with every migration applied.
    pub async fn store(&self) -> anyhow::Result<Store> {
        let store = Store::connect(&self.database_config()).await?;
        store.migrate().await?;
        Ok(store)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(name) = self.pg_name.take() else {
            return;
        };
        let admin = postgres_admin_url();
        // Drop runs inside the test's runtime; use a thread with its own runtime to wait for it.
        let handle = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                return;
            };
            rt.block_on(async move {
                if let Ok(mut conn) = PgConnection::connect(&admin).await {
                    let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                    let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut conn).await;
                }
            });
        });
        let _ = handle.join();
    }
}

/// A new master key, encoded as the configuration holds it.
pub fn new_master_key() -> anyhow::Result<String> {
    Ok(crate::crypto::MasterKey::generate()?.encode().to_string())
}

/// A core on `db` for core tests: files under `data_dir`, the (encoded) `master_key`, the log
/// mail transport, cheap password hashing and `clock`, then whatever `adjust` changes; the schema
/// migrated. Another call with the same database and master key is a second node.
pub async fn core_on(
    db: &TestDb,
    data_dir: &std::path::Path,
    master_key: &str,
    clock: crate::clock::FakeClock,
    adjust: impl FnOnce(&mut crate::config::Config),
) -> anyhow::Result<crate::Core> {
    let mut config = crate::config::Config::for_data_dir(data_dir).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    config.database = db.database_config();
    config.master_key = crate::config::MasterKeySource::Inline(SecretString::from(master_key.to_owned()));
    config.passwords.memory_kib = 64;
    config.passwords.iterations = 1;
    config.mail.transport = crate::config::MailTransportConfig::Log;
    adjust(&mut config);
    let core = crate::Core::open(config, std::sync::Arc::new(clock)).await?;
    core.store().migrate().await?;
    Ok(core)
}

fn with_database(admin: &str, name: &str) -> anyhow::Result<String> {
    let mut url = url::Url::parse(admin).context("KEYSTEAD_TEST_POSTGRES_URL is not a URL")?;
    url.set_path(&format!("/{name}"));
    Ok(url.to_string())
}

/// Creates (once per migration set, shared by every test process) a migrated template database.
async fn create_template(admin: &str) -> anyhow::Result<String> {
    let name = format!("keystead_tpl_{}", crate::store::postgres_migrations_fingerprint());
    let mut conn = tokio::time::timeout(std::time::Duration::from_secs(5), PgConnection::connect(admin))
        .await
        .context("timed out")??;
    // Serialise template creation across test processes.
    sqlx::query("SELECT pg_advisory_lock(7423001)").execute(&mut conn).await?;
    let result = async {
        let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
            .bind(&name)
            .fetch_optional(&mut conn)
            .await?;
        if exists.is_none() {
            let building = format!("{name}_building");
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS \"{building}\" WITH (FORCE)")))
                .execute(&mut conn)
                .await?;
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{building}\""))).execute(&mut conn).await?;
            let store = Store::connect(&DatabaseConfig {
                url: SecretString::from(with_database(admin, &building)?),
                max_connections: 1,
            })
            .await?;
            store.migrate().await?;
            store.close().await;
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("ALTER DATABASE \"{building}\" RENAME TO \"{name}\"")))
                .execute(&mut conn)
                .await?;
        }
        anyhow::Ok(())
    }
    .await;
    let _ = sqlx::query("SELECT pg_advisory_unlock(7423001)").execute(&mut conn).await;
    result?;
    Ok(name)
}

/// Declares a store test run once on SQLite and once on PostgreSQL: `store_test!(name);` for an
/// `async fn name(store: &Store)` in scope.
#[macro_export]
macro_rules! store_test {
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let db = $crate::testing::TestDb::sqlite().await.unwrap();
                let store = db.store().await.unwrap();
                super::$name(&store).await;
            }

            #[tokio::test]
            async fn postgres() {
                let Some(db) = $crate::testing::TestDb::postgres().await.unwrap() else {
                    return;
                };
                let store = db.store().await.unwrap();
                super::$name(&store).await;
            }
        }
    };
}

/// Declares a core test run once on SQLite and once on PostgreSQL (multi-threaded):
/// `core_test!(name);` for an `async fn name(t: &T)`, with a `T::new(TestDb)` in the calling module.
#[cfg(test)]
macro_rules! core_test {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = crate::testing::TestDb::sqlite().await.unwrap();
                let t = super::T::new(db).await;
                super::$name(&t).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(db) = crate::testing::TestDb::postgres().await.unwrap() else {
                    return;
                };
                let t = super::T::new(db).await;
                super::$name(&t).await;
            }
        }
    };
}
#[cfg(test)]
pub(crate) use core_test;
