//! The two tasks that keep a node's cache fresh: the listener (one connection of its own,
//! `LISTEN keystead_hot`) and the pinger (a ping every [`PING_EVERY`], and one right after each
//! commit of this node).

use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};

use super::{CHANNEL, HotCache, PING_EVERY};

/// Runs until `stop` resolves; the cache answers nothing afterwards.
pub(crate) async fn run(hot: &HotCache, pool: &PgPool, stop: impl Future<Output = ()>) {
    hot.lost();
    hot.running.store(true, std::sync::atomic::Ordering::Release);
    tokio::select! {
        () = listen(hot, pool.connect_options().as_ref().clone()) => {}
        () = ping(hot, pool) => {}
        () = stop => {}
    }
    hot.running.store(false, std::sync::atomic::Ordering::Release);
    hot.lost();
}

async fn listen(hot: &HotCache, options: PgConnectOptions) {
    let options = options.application_name("keystead cache listener");
    let mut backoff = Duration::from_millis(50);
    loop {
        match subscribe(&options).await {
            Ok(mut listener) => loop {
                match listener.try_recv().await {
                    Ok(Some(n)) => {
                        hot.announced(n.payload());
                        backoff = Duration::from_millis(50);
                    }
                    // Lost and connected again: what was announced meanwhile is lost.
                    Ok(None) => hot.lost(),
                    Err(e) => {
                        tracing::warn!(error = %e, "cache listener failed; the cache is off until it listens again");
                        hot.lost();
                        break;
                    }
                }
            },
            Err(e) => {
                tracing::warn!(error = %e, "cache listener cannot connect; the cache is off until it can");
                hot.lost();
            }
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(2));
    }
}

async fn subscribe(options: &PgConnectOptions) -> Result<PgListener, sqlx::Error> {
    // A pool of one connection of its own (not one of the request pool's), which the listener
    // connects again when it is lost.
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .max_lifetime(None)
        .idle_timeout(None)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options.clone())
        .await?;
    let mut listener = PgListener::connect_with(&pool).await?;
    listener.ignore_pool_close_event(true);
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

async fn ping(hot: &HotCache, pool: &PgPool) {
    loop {
        let payload = hot.ping_payload();
        let sent = sqlx::query("SELECT pg_notify($1, $2)").bind(CHANNEL).bind(&payload).execute(pool).await;
        if let Err(e) = sent {
            // The lease runs out and the cache stops answering; say so once per failure.
            tracing::debug!(error = %e, "cache ping failed");
        }
        tokio::select! {
            () = tokio::time::sleep(PING_EVERY) => {}
            () = hot.wake.notified() => {
                // Commits come in bursts: one ping for the burst.
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
    }
}
