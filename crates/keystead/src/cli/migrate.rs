//! `keystead migrate`: apply pending migrations.

use keystead_core::config::Config;

pub(super) async fn run(config: Config) -> anyhow::Result<()> {
    let core = super::open_core(config).await?;
    core.store().migrate().await?;
    println!("database is up to date");
    core.store().close().await;
    Ok(())
}
