//! Both migration sets must describe the same schema: same tables, same columns.

use std::collections::BTreeSet;

use crate::testing::TestDb;

async fn columns(store: &super::Store) -> BTreeSet<(String, String)> {
    let mut conn = store.conn().await.unwrap();
    let rows: Vec<(String, String)> = match conn.db() {
        super::Db::Sqlite(c) => sqlx::query_as(
            "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'",
        )
        .fetch_all(c)
        .await
        .unwrap(),
        super::Db::Postgres(c) => sqlx::query_as(
            "SELECT table_name::text, column_name::text FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
        )
        .fetch_all(c)
        .await
        .unwrap(),
    };
    rows.into_iter().collect()
}

#[tokio::test]
async fn sqlite_and_postgres_migrations_produce_the_same_tables_and_columns() {
    let sqlite = TestDb::sqlite().await.unwrap();
    let sqlite_columns = columns(&sqlite.store().await.unwrap()).await;
    assert!(sqlite_columns.contains(&("jobs".to_owned(), "lease_until".to_owned())));
    let Some(pg) = TestDb::postgres().await.unwrap() else {
        return;
    };
    let pg_columns = columns(&pg.store().await.unwrap()).await;
    let only_sqlite: Vec<_> = sqlite_columns.difference(&pg_columns).collect();
    let only_pg: Vec<_> = pg_columns.difference(&sqlite_columns).collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "only in SQLite: {only_sqlite:?}; only in PostgreSQL: {only_pg:?}"
    );
}

#[tokio::test]
async fn migration_files_have_the_same_numbered_names_on_both_backends() {
    let names = |dir: &str| -> BTreeSet<String> {
        std::fs::read_dir(format!("{}/migrations/{dir}", env!("CARGO_MANIFEST_DIR")))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    assert_eq!(names("sqlite"), names("postgres"));
}

#[tokio::test]
async fn a_fresh_store_reports_itself_migrated_and_reachable() {
    let db = TestDb::sqlite().await.unwrap();
    let store = super::Store::connect(&db.database_config()).await.unwrap();
    assert!(!store.is_migrated().await.unwrap());
    store.migrate().await.unwrap();
    assert!(store.is_migrated().await.unwrap());
    store.ping().await.unwrap();
}
