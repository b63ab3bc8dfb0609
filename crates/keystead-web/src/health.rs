//! Operations endpoints: liveness, readiness (the database answers and is migrated) and
//! Prometheus metrics, which are served only on the private `metrics_listen` address.

use std::sync::OnceLock;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tower_http::timeout::TimeoutLayer;

use crate::state::AppState;

/// The process-wide Prometheus recorder. The `metrics` facade is global by design, so it is
/// installed once and shared by every server in the process (tests start many).
pub fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            const BUCKETS: [f64; 14] =
                [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
            let builder = PrometheusBuilder::new();
            let builder = builder
                .set_buckets_for_metric(Matcher::Suffix("duration_seconds".into()), &BUCKETS)
                .unwrap_or_else(|_| PrometheusBuilder::new());
            let recorder = builder.build_recorder();
            let handle = recorder.handle();
            // Fails only if another recorder was installed first; then ours just stays empty.
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}

/// `GET /healthz`: the process is up.
pub async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

/// `GET /readyz`: the database answers and every migration is applied.
pub async fn readyz(State(state): State<AppState>) -> Response {
    let store = state.core.store();
    match (store.ping().await, store.is_migrated().await) {
        (Ok(()), Ok(true)) => Json(serde_json::json!({ "status": "ready" })).into_response(),
        (Ok(()), _) => unready("the database schema is not migrated"),
        (Err(e), _) => {
            tracing::warn!(error = %e, "readiness check: database unreachable");
            unready("the database is unreachable")
        }
    }
}

fn unready(reason: &str) -> Response {
    (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "status": "unavailable", "reason": reason })))
        .into_response()
}

/// The router of the metrics listener (`metrics_listen`): `GET /metrics` and nothing else
/// (404), under the request timeout. It is never merged into [`crate::router`], so the public
/// port does not reveal the server's load.
pub fn metrics_router(state: AppState) -> Router {
    let timeout = state.core.config().http.request_timeout;
    Router::new()
        .route("/metrics", get(metrics))
        .fallback(|| async { StatusCode::NOT_FOUND })
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout))
        .with_state(state)
}

/// `GET /metrics` on the metrics listener: Prometheus text format.
pub async fn metrics(State(state): State<AppState>) -> Response {
    let pool = state.core.passwords().stats();
    metrics::gauge!("keystead_password_hash_workers").set(pool.workers as f64);
    metrics::gauge!("keystead_password_hash_queue_capacity").set(pool.queue as f64);
    let body = state.metrics().render();
    let mut response = body.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"));
    response
}
