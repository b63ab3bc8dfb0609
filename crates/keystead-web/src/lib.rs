//! Keystead's HTTP layer. Handlers extract input, make one core call and render; no SQL and no
//! business rule lives here. [`router`] is the index of every route; Prometheus `/metrics` is
//! served apart from it, on the private `metrics_listen` address ([`health::metrics_router`]).

pub mod api;
pub mod assets;
pub mod csrf;
pub mod error;
pub mod extract;
pub mod flash;
pub mod health;
pub mod i18n;
pub mod middleware;
pub mod oauth;
pub mod scim;
mod scope;
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

pub use health::metrics_router;
pub use server::{Listeners, serve, serve_app, serve_metrics};
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
        .route("/language", get(i18n::switch_language))
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
        // Single sign-on through an organization's identity provider
        .route("/sso/start/{id}", get(ui::sso::start_sso))
        .route("/sso/social/{provider}", get(ui::sso::start_social))
        .route("/sso/oidc/callback", get(ui::sso::finish_oidc_sso))
        .route("/sso/saml/{id}/metadata", get(ui::sso::show_saml_metadata))
        .route("/sso/saml/{id}/acs", post(ui::sso::finish_saml_sso))
        // Passwords
        .route("/password/forgot", get(ui::show_forgot_password).post(ui::submit_forgot_password))
        .route("/password/reset", get(ui::show_reset_password).post(ui::submit_reset_password))
        .route("/password/expired", get(ui::show_expired_password).post(ui::submit_expired_password))
        // Complete your profile (missing required data, agreements to accept)
        .route("/complete-profile", get(ui::show_complete_profile).post(ui::submit_complete_profile))
        // Where a signed-in user lands without a return_to (by their licenses)
        .route("/landing", get(ui::show_landing))
        // My Account
        .route("/account", get(ui::account::show_overview))
        .route("/account/profile", get(ui::account::show_profile).post(ui::account::submit_profile))
        .route(
            ui::account::PICTURE_UPLOAD_PATH,
            post(ui::account::upload_profile_picture).layer(DefaultBodyLimit::max(ui::account::PICTURE_DRAIN_LIMIT)),
        )
        .route("/account/picture/remove", post(ui::account::remove_profile_picture))
        .route("/account/picture/{user_id}/{size}", get(ui::account::show_profile_picture))
        .route("/account/email", get(ui::account::show_email).post(ui::account::submit_new_email))
        .route("/account/email/code", post(ui::account::submit_email_code))
        .route("/account/email/confirm", get(ui::account::show_email_confirm).post(ui::account::submit_email_confirm))
        .route("/account/password", get(ui::account::show_password).post(ui::account::submit_password))
        .route("/account/password/code", post(ui::account::submit_password_code))
        .route("/account/password/reset-link", post(ui::account::send_password_reset_link))
        .route("/account/security", get(ui::account::show_security))
        .route("/account/sessions/revoke", post(ui::account::revoke_session))
        .route("/account/identities/remove", post(ui::account::remove_linked_identity))
        .route("/account/sessions/revoke-others", post(ui::account::revoke_other_sessions))
        .route("/account/notifications", get(ui::account::show_notifications).post(ui::account::submit_notifications))
        .route("/account/billing", get(ui::account::show_billing).post(ui::account::submit_billing))
        .route("/account/licenses", get(ui::account::show_licenses))
        .route("/account/licenses/machines/deactivate", post(ui::account::deactivate_my_machine))
        .route("/account/licenses/briefcase/reset", post(ui::account::reset_my_briefcase))
        .route("/account/licenses/briefcase/{product}", get(ui::account::download_my_briefcase))
        .route("/account/extensions", get(ui::account::show_extensions))
        .route("/account/extensions/select", post(ui::account::select_extension))
        .route("/account/downloads", get(ui::account::show_downloads))
        .route("/account/downloads/{id}", get(ui::account::start_download))
        .route("/downloads/file/{token}", get(ui::account::serve_download))
        .route("/account/invoices", get(ui::account::show_invoices))
        .route("/account/invoices/{id}", get(ui::account::show_invoice))
        .route("/account/invoices/{id}/pdf", get(ui::account::download_invoice_pdf))
        .route("/account/courses", get(ui::account::show_courses))
        .route("/account/developer", get(ui::account::show_developer))
        .route("/account/developer/tokens", post(ui::account::create_my_api_token))
        .route("/account/developer/tokens/revoke", post(ui::account::revoke_my_api_token))
        .route("/account/agreements", get(ui::account::show_agreements))
        .route("/account/agreements/{id}", get(ui::account::show_accepted_agreement))
        .route("/account/data", get(ui::account::show_data))
        .route("/account/data/download", get(ui::account::download_data))
        .route("/account/close", get(ui::account::show_close_account).post(ui::account::submit_close_account))
        .route("/sign-in/reactivate", post(ui::account::reactivate_account))
        // Two-factor authentication, organizations, the OAuth provider
        .merge(two_factor_routes())
        .merge(organization_routes())
        .merge(admin_routes())
        .merge(oauth_routes())
        .merge(api_routes())
        .merge(scim_routes())
        // Operations (`/metrics` is not here: it has its own listener, see `health::metrics_router`)
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        // Assets
        .route("/static/{*path}", get(assets::serve_asset))
        .route("/brand/logo", get(ui::brand::serve_logo))
        .route("/brand/{file}", get(ui::brand::serve_palette))
        .route("/brand/organizations/{id}/{version}", get(ui::brand::serve_organization_logo))
        .fallback(not_found)
}

/// The second sign-in step, passkey sign-in and My Account → Two-factor and passkeys.
fn two_factor_routes() -> Router<AppState> {
    Router::new()
        .route("/sign-in/second-factor", get(ui::mfa::show_second_factor).post(ui::mfa::submit_second_factor))
        .route("/sign-in/second-factor/email", post(ui::mfa::send_second_factor_email))
        .route("/sign-in/second-factor/passkey", post(ui::mfa::start_second_factor_passkey))
        .route("/sign-in/second-factor/passkey/finish", post(ui::mfa::finish_second_factor_passkey))
        .route("/sign-in/passkey", post(ui::mfa::start_passkey_sign_in))
        .route("/sign-in/passkey/finish", post(ui::mfa::finish_passkey_sign_in))
        .route("/account/two-factor", get(ui::account::show_two_factor))
        .route("/account/two-factor/totp", get(ui::account::show_totp_setup))
        .route("/account/two-factor/totp/setup", post(ui::account::start_totp_setup))
        .route("/account/two-factor/totp/confirm", post(ui::account::confirm_totp_setup))
        .route("/account/two-factor/totp/remove", post(ui::account::remove_totp))
        .route("/account/two-factor/email", post(ui::account::start_email_mfa))
        .route("/account/two-factor/email/confirm", post(ui::account::confirm_email_mfa))
        .route("/account/two-factor/email/remove", post(ui::account::remove_email_mfa))
        .route("/account/two-factor/passkeys/new", post(ui::account::start_passkey_registration))
        .route("/account/two-factor/passkeys/finish", post(ui::account::finish_passkey_registration))
        .route("/account/two-factor/passkeys/remove", post(ui::account::remove_passkey))
        .route("/account/two-factor/recovery-codes", post(ui::account::regenerate_recovery_codes))
        .route(
            "/account/reauthenticate",
            get(ui::account::show_reauthenticate).post(ui::account::submit_reauthenticate),
        )
}

/// My Account → Organizations and Groups, invitation links, and the organization admin pages.
fn organization_routes() -> Router<AppState> {
    Router::new()
        .route("/account/organizations", get(ui::account::show_organizations))
        .route("/account/organizations/switch", post(ui::account::switch_organization))
        .route("/account/organizations/leave", post(ui::account::leave_organization))
        .route("/account/organizations/create", post(ui::account::create_my_organization))
        .route("/account/invitations/accept", post(ui::account::accept_my_invitation))
        .route("/account/invitations/decline", post(ui::account::decline_my_invitation))
        .route("/account/groups", get(ui::account::show_groups))
        .route("/account/groups/join", post(ui::account::join_group))
        .route("/account/groups/leave", post(ui::account::leave_group))
        .route("/invitations/accept", get(ui::show_invitation).post(ui::accept_invitation))
        .route("/invitations/register", post(ui::register_through_invitation))
        .route("/org/{slug}/members", get(ui::org_admin::show_org_members))
        .route("/org/{slug}/members/invite", post(ui::org_admin::invite_org_member))
        .route("/org/{slug}/members/role", post(ui::org_admin::change_org_member_role))
        .route(
            "/org/{slug}/members/remove",
            get(ui::org_admin::confirm_remove_org_member).post(ui::org_admin::remove_org_member),
        )
        .route("/org/{slug}/invitations/revoke", post(ui::org_admin::revoke_org_invitation))
        .route("/org/{slug}/invitations/resend", post(ui::org_admin::resend_org_invitation))
        .route("/org/{slug}/groups", get(ui::org_admin::show_org_groups).post(ui::org_admin::create_org_group))
        .route(
            "/org/{slug}/groups/delete",
            get(ui::org_admin::confirm_delete_org_group).post(ui::org_admin::delete_org_group),
        )
        .route("/org/{slug}/groups/add", post(ui::org_admin::add_org_group_member))
        .route("/org/{slug}/roles", get(ui::org_admin::show_org_roles).post(ui::org_admin::create_org_role))
        .route(
            "/org/{slug}/roles/delete",
            get(ui::org_admin::confirm_delete_org_role).post(ui::org_admin::delete_org_role),
        )
        .route("/org/{slug}/licenses", get(ui::org_licenses::show_org_licenses))
        .route("/org/{slug}/invoices", get(ui::org_invoices::show_org_invoices))
        .route("/org/{slug}/licenses/assign", post(ui::org_licenses::assign_org_seat))
        .route("/org/{slug}/licenses/unassign", post(ui::org_licenses::unassign_org_seat))
        .route("/org/{slug}/licenses/assign-group", post(ui::org_licenses::assign_org_group_seats))
        .route("/org/{slug}/sso", get(ui::org_sso::show_org_sso))
        .route("/org/{slug}/sso/oidc", post(ui::org_sso::add_org_oidc_connection))
        .route(
            "/org/{slug}/sso/saml",
            post(ui::org_sso::add_org_saml_connection).layer(DefaultBodyLimit::max(ui::org_sso::SAML_FORM_BODY_LIMIT)),
        )
        .route(
            "/org/{slug}/sso/{id}/edit",
            get(ui::org_sso_edit::show_org_sso_edit)
                .post(ui::org_sso_edit::submit_org_sso_edit)
                .layer(DefaultBodyLimit::max(ui::org_sso::SAML_FORM_BODY_LIMIT)),
        )
        .route("/org/{slug}/sso/enable", post(ui::org_sso::enable_org_sso_connection))
        .route("/org/{slug}/sso/remove", post(ui::org_sso::remove_org_sso_connection))
        .route("/org/{slug}/sso/policy", post(ui::org_sso::submit_org_sso_policy))
        .route("/org/{slug}/tokens", get(ui::org_tokens::show_org_tokens).post(ui::org_tokens::create_org_token))
        .route("/org/{slug}/tokens/revoke", post(ui::org_tokens::revoke_org_token))
        .route("/org/{slug}/settings", get(ui::org_admin::show_org_settings).post(ui::org_admin::submit_org_settings))
        .route("/org/{slug}/delete", post(ui::org_admin::delete_org))
        .route("/org/{slug}/domains", post(ui::org_assets::claim_org_domain))
        .route("/org/{slug}/domains/verify", post(ui::org_assets::verify_org_domain))
        .route("/org/{slug}/domains/remove", post(ui::org_assets::remove_org_domain))
        .route(
            "/org/{slug}/logo",
            get(ui::org_assets::show_org_logo)
                .post(ui::org_assets::upload_org_logo)
                .layer(DefaultBodyLimit::max(ui::org_assets::LOGO_BODY_LIMIT)),
        )
        .route("/org/{slug}/logo/remove", post(ui::org_assets::remove_org_logo))
}

/// The OAuth 2.0 / OpenID Connect provider, the device page and My Account → Connected apps.
/// The admin console under `/admin`: operators with a second factor ([`ui::admin`]); actions
/// that can lock people out ask for a recent sign-in and a confirmation page first.
fn admin_routes() -> Router<AppState> {
    Router::new()
        // People: users (search; a user's page; actions, the destructive ones confirmed first
        // and, but for ending sessions, after a recent sign-in)
        .route("/admin/users", get(ui::admin::show_users))
        .route("/admin/users/{id}", get(ui::admin::show_user))
        .route("/admin/users/{id}/disable", get(ui::admin::confirm_disable_user).post(ui::admin::disable_user))
        .route("/admin/users/{id}/enable", post(ui::admin::enable_user))
        .route("/admin/users/{id}/reset-mfa", get(ui::admin::confirm_reset_user_mfa).post(ui::admin::reset_user_mfa))
        .route(
            "/admin/users/{id}/end-sessions",
            get(ui::admin::confirm_end_user_sessions).post(ui::admin::end_user_sessions),
        )
        .route("/admin/users/{id}/close", get(ui::admin::confirm_close_user).post(ui::admin::close_user))
        .route("/admin/users/{id}/resend-verification", post(ui::admin::resend_user_verification))
        .route("/admin/users/{id}/send-reset", post(ui::admin::send_user_password_reset))
        // Organizations (deleting one after a recent sign-in, typing its short name)
        .route("/admin/organizations", get(ui::admin::show_organizations).post(ui::admin::create_organization))
        .route("/admin/organizations/new", get(ui::admin::show_new_organization))
        .route("/admin/organizations/{slug}", get(ui::admin::show_organization))
        .route(
            "/admin/organizations/{slug}/delete",
            get(ui::admin::confirm_delete_organization).post(ui::admin::delete_organization),
        )
        // Operators
        .route("/admin/operators", get(ui::admin::show_operators).post(ui::admin::grant_operator))
        .route("/admin/operators/{id}/revoke", get(ui::admin::confirm_revoke_operator).post(ui::admin::revoke_operator))
        // Applications: OAuth clients (secrets shown once; a new secret and deletion after a
        // recent sign-in), signing keys (rotate and retire likewise), agreements (with preview)
        .route("/admin/clients", get(ui::admin::show_clients).post(ui::admin::create_client))
        .route("/admin/clients/new", get(ui::admin::show_new_client))
        .route("/admin/clients/{id}", get(ui::admin::show_client).post(ui::admin::update_client))
        .route(
            "/admin/clients/{id}/secret",
            get(ui::admin::confirm_rotate_client_secret).post(ui::admin::rotate_client_secret),
        )
        .route("/admin/clients/{id}/delete", get(ui::admin::confirm_delete_client).post(ui::admin::delete_client))
        // Webhooks of the deployment (a new secret and deletion after a recent sign-in)
        .route("/admin/webhooks", get(ui::admin::show_webhooks).post(ui::admin::create_webhook))
        .route("/admin/webhooks/new", get(ui::admin::show_new_webhook))
        .route("/admin/webhooks/{id}", get(ui::admin::show_webhook).post(ui::admin::update_webhook))
        .route("/admin/webhooks/{id}/test", post(ui::admin::test_webhook))
        .route("/admin/webhooks/{id}/deliveries/{delivery}/resend", post(ui::admin::resend_webhook_delivery))
        .route(
            "/admin/webhooks/{id}/secret",
            get(ui::admin::confirm_rotate_webhook_secret).post(ui::admin::rotate_webhook_secret),
        )
        .route("/admin/webhooks/{id}/delete", get(ui::admin::confirm_delete_webhook).post(ui::admin::delete_webhook))
        .route("/admin/keys", get(ui::admin::show_keys))
        .route("/admin/keys/rotate", get(ui::admin::confirm_rotate_keys).post(ui::admin::rotate_keys))
        .route("/admin/keys/{kid}/retire", get(ui::admin::confirm_retire_key).post(ui::admin::retire_key))
        // Business: the product catalogue
        .route("/admin/products", get(ui::admin::show_products))
        .route("/admin/agreements", get(ui::admin::show_agreement_versions).post(ui::admin::publish_agreement_version))
        .route("/admin/agreements/new", get(ui::admin::show_new_agreement))
        .route("/admin/agreements/preview", post(ui::admin::preview_agreement))
        .route("/admin/agreements/{id}", get(ui::admin::show_agreement_version))
        // Records: the dashboard (the console's first page), the audit log and its CSV export
        // (streamed), the email outbox (a failed message sent again)
        .route("/admin", get(ui::admin::show_dashboard))
        .route("/admin/audit", get(ui::admin::show_audit_log))
        .route("/admin/audit.csv", get(ui::admin::export_audit_csv))
        .route("/admin/outbox", get(ui::admin::show_outbox))
        .route(
            "/admin/outbox/{id}/retry",
            get(ui::admin::show_retry_outbox_message).post(ui::admin::retry_outbox_message),
        )
}

fn oauth_routes() -> Router<AppState> {
    Router::new()
        .route("/.well-known/openid-configuration", get(oauth::show_openid_configuration))
        // RFC 8414: OAuth 2.0 clients look here; the same document.
        .route("/.well-known/oauth-authorization-server", get(oauth::show_openid_configuration))
        .route("/.well-known/jwks.json", get(oauth::show_jwks))
        .route("/oauth/authorize", get(oauth::show_authorization).post(oauth::authorize_by_post))
        .route("/oauth/authorize/decision", post(oauth::decide_authorization))
        .route("/oauth/par", post(oauth::push_authorization_request))
        .route("/oauth/token", post(oauth::token))
        .route("/oauth/userinfo", get(oauth::userinfo).post(oauth::userinfo))
        .route("/oauth/introspect", post(oauth::introspect))
        .route("/oauth/revoke", post(oauth::revoke))
        .route("/oauth/device_authorization", post(oauth::device_authorization))
        .route("/oauth/logout", get(oauth::end_session).post(oauth::end_session_by_post))
        .route("/oauth/logout/confirm", post(oauth::confirm_end_session))
        .route("/device", get(oauth::show_device))
        .route("/device/decide", post(oauth::decide_device))
        .route("/account/apps", get(ui::account::show_connected_apps))
        .route("/account/apps/revoke", post(ui::account::revoke_connected_app))
}

/// The JSON API (`/api/`, exempt from the CSRF layer: no cookies are involved). Its routes are
/// listed in `api::openapi::router`, which documents each one in `/api/v1/openapi.json`:
/// `/api/v1/token`, `/api/v1/users/{id}`, `/api/v1/me/licenses`, `/api/v1/me/license-token`,
/// `/api/v1/me/briefcase/{product}` (GET, PUT), `/api/v1/me/machines/{id}` (DELETE).
fn api_routes() -> Router<AppState> {
    Router::new().route("/api/v1/openapi.json", get(api::openapi::show_openapi)).merge(api::openapi::router().0)
}

/// SCIM 2.0 per organization (`/scim/v2/{org}`, exempt from the CSRF layer like the API).
fn scim_routes() -> Router<AppState> {
    use scim::{discovery, groups, users};
    Router::new()
        .route("/scim/v2/{org}/ServiceProviderConfig", get(discovery::service_provider_config))
        .route("/scim/v2/{org}/ResourceTypes", get(discovery::resource_types))
        .route("/scim/v2/{org}/ResourceTypes/{name}", get(discovery::resource_type))
        .route("/scim/v2/{org}/Schemas", get(discovery::schemas))
        .route("/scim/v2/{org}/Schemas/{id}", get(discovery::one_schema))
        .route("/scim/v2/{org}/Users", get(users::list_users).post(users::create_user))
        .route("/scim/v2/{org}/Users/.search", post(users::search_users))
        .route("/scim/v2/{org}/.search", post(users::search_all))
        .route(
            "/scim/v2/{org}/Users/{id}",
            get(users::show_user).put(users::replace_user).patch(users::patch_user).delete(users::delete_user),
        )
        .route("/scim/v2/{org}/Groups", get(groups::list_groups).post(groups::create_group))
        .route("/scim/v2/{org}/Groups/.search", post(groups::search_groups))
        .route(
            "/scim/v2/{org}/Groups/{id}",
            get(groups::show_group).put(groups::replace_group).patch(groups::patch_group).delete(groups::delete_group),
        )
        .route("/scim/v2/{org}/{*rest}", axum::routing::any(users::unknown))
}

/// Wraps routes in the standard middleware stack (outermost first): request context (id, client
/// address, span, metrics), security headers, error pages, CORS, panic catching, cross-origin
/// refusal, timeout and body limits.
pub fn with_middleware(routes: Router<AppState>, state: AppState) -> Router {
    let config = state.core.config();
    let mut csrf = CsrfLayer::new().with_insecure_bypass(|_, uri| {
        uri.path().starts_with("/api/")
            || uri.path().starts_with("/scim/")
            || oauth::CSRF_EXEMPT.contains(&uri.path())
            || ui::sso::is_saml_acs(uri.path())
    });
    let origin = config.public_url.origin().ascii_serialization();
    match csrf.clone().add_trusted_origin(&origin) {
        Ok(with_origin) => csrf = with_origin,
        Err(e) => tracing::warn!(%origin, error = %e, "public_url origin not usable as a trusted origin"),
    }
    let stack = ServiceBuilder::new()
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::request_context))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::security_headers))
        .layer(axum::middleware::from_fn_with_state(state.clone(), i18n::locale))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::render_errors))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::cors))
        .layer(CatchPanicLayer::new())
        .layer(csrf)
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, config.http.request_timeout))
        .layer(axum::middleware::from_fn_with_state(config.http.body_limit, limit_request_body))
        .layer(DefaultBodyLimit::max(config.http.body_limit));
    routes.layer(stack).with_state(state)
}

/// The server-wide body limit, except on the picture and logo uploads (those routes set their
/// own larger limit and answer an oversized file with a message on their form), on the SAML
/// connection form (pasted IdP metadata; its route sets its own limit) and on briefcase writes
/// (limited to `licenses.briefcase_max_kib` by their handler, answered `too_large`).
async fn limit_request_body(
    axum::extract::State(limit): axum::extract::State<usize>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use tower::ServiceExt;
    let path = req.uri().path();
    let upload = req.method() == axum::http::Method::POST
        && (path == ui::account::PICTURE_UPLOAD_PATH
            || ui::org_assets::is_logo_upload(path)
            || ui::org_sso::is_saml_form(path));
    let briefcase = req.method() == axum::http::Method::PUT && path.starts_with(api::BRIEFCASE_PATH_PREFIX);
    if upload || briefcase {
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
