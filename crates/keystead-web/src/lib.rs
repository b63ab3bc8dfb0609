//! Keystead's HTTP layer. Handlers extract input, make one core call and render; no SQL and no
//! business rule lives here. [`router`] is the index of every route.

pub mod assets;
pub mod csrf;
pub mod error;
pub mod extract;
pub mod flash;
pub mod health;
pub mod middleware;
pub mod server;
pub mod state;
pub mod ui;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::csrf::CsrfLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

pub use server::{serve, serve_app};
pub use state::AppState;

/// Every route of the server, and the middleware around them.
pub fn router(state: AppState) -> Router {
    with_middleware(routes(), state)
}

/// Every route of the server, without middleware (tests add their own routes to these).
pub fn routes() -> Router<AppState> {
    Router::new()
        // Pages
        .route("/", get(ui::show_home))
        // Registration and email confirmation
        .route("/register", get(ui::show_register).post(ui::submit_register_email))
        .route("/register/password", post(ui::submit_register_password))
        .route("/register/check-email", get(ui::show_check_email))
        .route("/register/resend", post(ui::resend_verification))
        .route("/verify-email", get(ui::show_verify_email).post(ui::confirm_email))
        // Sign-in and sign-out
        .route("/sign-in", get(ui::show_sign_in).post(ui::submit_sign_in_email))
        .route("/sign-in/password", post(ui::submit_sign_in_password))
        .route("/sign-out", post(ui::sign_out))
        // Passwords
        .route("/password/forgot", get(ui::show_forgot_password).post(ui::submit_forgot_password))
        .route("/password/reset", get(ui::show_reset_password).post(ui::submit_reset_password))
        .route("/password/expired", get(ui::show_expired_password).post(ui::submit_expired_password))
        // Complete your profile (missing required data, agreements to accept)
        .route("/complete-profile", get(ui::show_complete_profile).post(ui::submit_complete_profile))
        // My Account
        .route("/account", get(|| async { axum::response::Redirect::to("/account/profile") }))
        .route("/account/profile", get(ui::account::show_profile).post(ui::account::submit_profile))
        .route(
            ui::account::PICTURE_UPLOAD_PATH,
            post(ui::account::upload_profile_picture).layer(DefaultBodyLimit::max(ui::account::PICTURE_BODY_LIMIT)),
        )
        .route("/account/picture/remove", post(ui::account::remove_profile_picture))
        .route("/account/picture/{user_id}/{size}", get(ui::account::show_profile_picture))
        .route("/account/email", get(ui::account::show_email).post(ui::account::submit_new_email))
        .route("/account/email/code", post(ui::account::submit_email_code))
        .route("/account/email/confirm", get(ui::account::show_email_confirm).post(ui::account::submit_email_confirm))
        .route("/account/password", get(ui::account::show_password).post(ui::account::submit_password))
        .route("/account/password/code", post(ui::account::submit_password_code))
        .route("/account/security", get(ui::account::show_security))
        .route("/account/sessions/revoke", post(ui::account::revoke_session))
        .route("/account/sessions/revoke-others", post(ui::account::revoke_other_sessions))
        .route("/account/notifications", get(ui::account::show_notifications).post(ui::account::submit_notifications))
        .route("/account/billing", get(ui::account::show_billing).post(ui::account::submit_billing))
        .route("/account/agreements", get(ui::account::show_agreements))
        .route("/account/agreements/{id}", get(ui::account::show_accepted_agreement))
        .route("/account/data", get(ui::account::show_data))
        .route("/account/data/download", get(ui::account::download_data))
        .route("/account/close", get(ui::account::show_close_account).post(ui::account::submit_close_account))
        .route("/sign-in/reactivate", post(ui::account::reactivate_account))
        // Operations
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        // Assets
        .route("/static/{*path}", get(assets::serve_asset))
        .fallback(not_found)
}

/// Wraps routes in the standard middleware stack (outermost first): request context (id, client
/// address, span, metrics), security headers, error pages, panic catching, cross-origin
/// refusal, timeout and body limits.
pub fn with_middleware(routes: Router<AppState>, state: AppState) -> Router {
    let config = state.core.config();
    let mut csrf = CsrfLayer::new().with_insecure_bypass(|_, uri| uri.path().starts_with("/api/"));
    let origin = config.public_url.origin().ascii_serialization();
    match csrf.clone().add_trusted_origin(&origin) {
        Ok(with_origin) => csrf = with_origin,
        Err(e) => tracing::warn!(%origin, error = %e, "public_url origin not usable as a trusted origin"),
    }
    let stack = ServiceBuilder::new()
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::request_context))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::security_headers))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::render_errors))
        .layer(CatchPanicLayer::new())
        .layer(csrf)
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, config.http.request_timeout))
        .layer(axum::middleware::from_fn_with_state(config.http.body_limit, limit_request_body))
        .layer(DefaultBodyLimit::max(config.http.body_limit));
    routes.layer(stack).with_state(state)
}

/// The server-wide body limit, except on the picture upload: that route sets its own larger
/// limit and answers an oversized file with a message on its form.
async fn limit_request_body(
    axum::extract::State(limit): axum::extract::State<usize>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use tower::ServiceExt;
    if req.method() == axum::http::Method::POST && req.uri().path() == ui::account::PICTURE_UPLOAD_PATH {
        return next.run(req).await;
    }
    let service = ServiceBuilder::new().layer(RequestBodyLimitLayer::new(limit)).map_request(boxed_body).service(next);
    match service.oneshot(req).await {
        Ok(response) => response.into_response(),
        Err(never) => match never {},
    }
}

fn boxed_body<B>(req: axum::http::Request<B>) -> axum::extract::Request
where
    B: axum::body::HttpBody<Data = axum::body::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    req.map(axum::body::Body::new)
}

async fn not_found() -> StatusCode {
    StatusCode::NOT_FOUND
}
