//! The API's OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]` annotations:
//! every `/api/v1` route is registered through [`router`], which yields the routes and the
//! document from the same list, so no route can be served without being documented. Served at
//! `/api/v1/openapi.json`.

use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// The document's frame: title, version, the bearer schemes.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Keystead API",
        description = "Applications call /api/v1/me/… with a user's OAuth access token; integrations call the admin API with a personal access token (kst_…). Errors are RFC 9457 problem documents with a stable `code`."
    ),
    modifiers(&BearerSchemes)
)]
struct ApiDoc;

/// Adds the two bearer schemes: OAuth access tokens (JWT) and personal access tokens.
struct BearerSchemes;

impl Modify for BearerSchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut oauth = Http::new(HttpAuthScheme::Bearer);
        oauth.bearer_format = Some("JWT".into());
        oauth.description = Some("A user's OAuth 2.0 access token (RFC 9068).".into());
        components.add_security_scheme("oauth", SecurityScheme::Http(oauth));
        let mut pat = Http::new(HttpAuthScheme::Bearer);
        pat.description = Some("A personal access token (kst_…), made with `keystead admin token create` or on an organization's API tokens page; or an OAuth client's own access token (client_credentials grant at /oauth/token) carrying the admin API scopes the operator granted the client.".into());
        components.add_security_scheme("token", SecurityScheme::Http(pat));
    }
}

/// Every `/api/v1` route, and the document describing them.
pub fn router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(super::admin::show_current_token))
        .routes(routes!(super::users::search_users, super::users_write::create_user))
        .routes(routes!(super::users::show_user, super::users_write::update_user, super::users_write::delete_user))
        .routes(routes!(super::users_write::disable_user))
        .routes(routes!(super::users_write::enable_user))
        .routes(routes!(super::users_write::reset_user_mfa))
        .routes(routes!(super::users_write::resend_verification))
        .routes(routes!(super::users_write::change_user_email))
        .routes(routes!(super::users_import::import_users))
        .routes(routes!(super::courses::list_completions, super::courses::record_completion))
        .routes(routes!(super::invoices::list_user_invoices, super::invoices::create_user_invoice))
        .routes(routes!(super::invoices::list_org_invoices, super::invoices::create_org_invoice))
        .routes(routes!(super::invoices::show_invoice))
        .routes(routes!(super::invoices::invoice_pdf))
        .routes(routes!(super::sessions::list_user_sessions, super::sessions::end_user_sessions))
        .routes(routes!(super::sessions::end_user_session))
        .routes(routes!(super::audit::search_audit_events))
        .routes(routes!(super::organizations::list_organizations, super::organizations::create_organization))
        .routes(routes!(super::organizations::show_organization, super::organizations::update_organization))
        .routes(routes!(super::org_domains::list_domains, super::org_domains::add_domain))
        .routes(routes!(super::org_domains::show_domain, super::org_domains::remove_domain))
        .routes(routes!(super::org_domains::verify_domain))
        .routes(routes!(super::organizations::list_members, super::organizations::add_member))
        .routes(routes!(super::organizations::change_member, super::organizations::remove_member))
        .routes(routes!(super::invitations::list_invitations, super::invitations::invite))
        .routes(routes!(super::invitations::resend_invitation))
        .routes(routes!(super::invitations::revoke_invitation))
        .routes(routes!(super::groups_roles::list_groups, super::groups_roles::create_group))
        .routes(routes!(super::groups_roles::delete_group))
        .routes(routes!(super::groups_roles::add_group_member, super::groups_roles::remove_group_member))
        .routes(routes!(super::groups_roles::list_roles, super::groups_roles::create_role))
        .routes(routes!(super::groups_roles::delete_role))
        .routes(routes!(super::agreements::list_agreements, super::agreements::publish_agreement))
        .routes(routes!(super::agreements::list_acceptances))
        .routes(routes!(super::oauth_clients::list_clients, super::oauth_clients::create_client))
        .routes(routes!(
            super::oauth_clients::show_client,
            super::oauth_clients::update_client,
            super::oauth_clients::delete_client
        ))
        .routes(routes!(super::oauth_clients::rotate_client_secret))
        .routes(routes!(super::webhooks::list_webhooks, super::webhooks::create_webhook))
        .routes(routes!(
            super::webhooks::show_webhook,
            super::webhooks::update_webhook,
            super::webhooks::delete_webhook
        ))
        .routes(routes!(super::webhooks::rotate_webhook_secret))
        .routes(routes!(super::webhooks::test_webhook))
        .routes(routes!(super::webhooks::list_webhook_deliveries))
        .routes(routes!(super::webhooks::resend_webhook_delivery))
        .routes(routes!(super::webhooks::list_webhook_event_types))
        .routes(routes!(super::licensing_admin::list_products, super::licensing_admin::create_product))
        .routes(routes!(super::licensing_admin::show_product))
        .routes(routes!(super::licensing_admin::list_plans, super::licensing_admin::create_plan))
        .routes(routes!(super::licensing_admin::show_plan))
        .routes(routes!(super::licensing_admin::list_downloads))
        .routes(routes!(super::subscriptions_api::list_subscriptions, super::subscriptions_api::create_subscription))
        .routes(routes!(super::subscriptions_api::show_subscription, super::subscriptions_api::update_subscription))
        .routes(routes!(super::subscriptions_api::end_subscription))
        .routes(routes!(super::seats_api::list_seat_holders))
        .routes(routes!(super::seats_api::assign_seat, super::seats_api::unassign_seat))
        .routes(routes!(super::seats_api::assign_group_seats))
        .routes(routes!(super::licenses::show_my_licenses))
        .routes(routes!(super::licenses::issue_license_token))
        .routes(routes!(super::licenses::show_my_briefcase, super::licenses::replace_my_briefcase))
        .routes(routes!(super::licenses::deactivate_my_machine))
        .split_for_parts()
}

static DOCUMENT: OnceLock<Arc<String>> = OnceLock::new();

/// The document as JSON, built once.
pub fn document() -> Arc<String> {
    DOCUMENT
        .get_or_init(|| Arc::new(router().1.to_pretty_json().unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))))
        .clone()
}

/// `GET /api/v1/openapi.json`
pub async fn show_openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], document().as_str().to_owned())
}
