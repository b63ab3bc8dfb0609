//! Webhook fan-out (issue 14 §6): 10 000 events (accounts created, each a `user.created` for one
//! endpoint) are queued while no job runner runs; then one node's runner is started and the
//! time until a loopback receiver has every delivery is measured: deliveries per second, with
//! each delivery signed, POSTed over HTTP and recorded in the delivery log.
//!
//! Runs on SQLite by default, on PostgreSQL with `KEYSTEAD_TEST_DATABASE=postgres`;
//! `KEYSTEAD_BENCH_EVENTS` changes the number. Run with
//! `cargo bench -p keystead-web --bench webhook_fanout`.

use std::time::{Duration, Instant};

use keystead_core::accounts::admin::NewUser;
use keystead_core::audit::RequestMeta;
use keystead_core::config::Config;
use keystead_core::jobs::JobRunner;
use keystead_core::organizations::Actor;
use keystead_core::webhooks::NewEndpoint;
use keystead_testkit::{TestApp, TestAppOptions, WebhookReceiver};

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let events: usize = std::env::var("KEYSTEAD_BENCH_EVENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let configure = |c: &mut Config| {
        c.outbound.allow_private_networks = true;
        c.jobs.poll_interval = Duration::from_millis(50);
    };
    let app = TestApp::start(TestAppOptions {
        configure: Some(Box::new(configure)),
        without_job_runner: true,
        ..TestAppOptions::default()
    })
    .await?;
    let backend = format!("{:?}", app.core.store().backend());
    let hook = WebhookReceiver::start().await?;
    let new =
        NewEndpoint { url: hook.url().to_owned(), description: "bench".into(), events: vec!["user.created".into()] };
    app.core
        .create_webhook_endpoint(Actor::Operator, None, new, &RequestMeta::cli())
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let started = Instant::now();
    for i in 0..events {
        let email = format!("fan{i:06}@example.com");
        let new = NewUser { email: &email, given_name: None, family_name: None, verified: true, password: None };
        app.core.create_user(new, &RequestMeta::cli()).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    }
    println!(
        "Keystead webhook fan-out benchmark on {backend}: {events} events queued in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let runner = JobRunner::new(app.core.clone());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(runner.run(async {
        let _ = stopped.await;
    }));
    let started = Instant::now();
    hook.wait_for(events, Duration::from_secs(600)).await;
    let took = started.elapsed().as_secs_f64();
    let _ = stop.send(());
    let _ = task.await;
    let received = hook.received().len();
    println!(
        "drained {events} deliveries in {took:.2} s: {:.0} deliveries/s ({received} requests received, repeats included)",
        events as f64 / took
    );
    Ok(())
}
