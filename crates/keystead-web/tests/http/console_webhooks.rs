//! The admin console's Webhooks pages through HTTP: adding a deployment endpoint with the API's
//! checks (mistakes by their fields) and its secret shown once; a test event that reaches the
//! receiver signed (checked by the independent `standardwebhooks` package), the delivery log and
//! a resend; changing it; a new secret and deletion after a recent sign-in; refusals for
//! members, 404s for unknown ids, and the audit log naming the operator.

use std::time::Duration;

use keystead_core::audit::query::AuditQuery;
use keystead_core::ids::{UserId, WebhookDeliveryId};
use keystead_core::organizations::Actor;
use keystead_testkit::{TestApp, TestAppOptions, WebhookReceiver, verify_independently};
use reqwest::StatusCode;

use super::auth::{PASSWORD, active_user, get, location, post_form, signed_in_browser};
use super::console::operator_browser;

/// The text of the element `<code id="{id}">`.
fn code_text(html: &str, id: &str) -> String {
    let start = html.find(&format!("<code id=\"{id}\">")).unwrap_or_else(|| panic!("no {id}: {html}")) + id.len() + 12;
    html[start..start + html[start..].find("</code>").unwrap()].to_owned()
}

async fn webhook_events(app: &TestApp, actor: UserId) -> Vec<String> {
    let query = AuditQuery { actor: Some(actor), action: Some("webhook.*".to_owned()), ..Default::default() };
    let events = app.core.search_audit_events(Actor::Operator, None, &query).await.unwrap().items;
    events.iter().map(|e| e.details["event"].as_str().unwrap_or_default().to_owned()).collect()
}

#[tokio::test]
async fn an_operator_adds_tests_changes_rotates_and_deletes_a_webhook_endpoint() {
    let configure: keystead_testkit::app::Configure = Box::new(|c| c.outbound.allow_private_networks = true);
    let app = TestApp::start(TestAppOptions { configure: Some(configure), ..TestAppOptions::default() }).await.unwrap();
    let hook = WebhookReceiver::start().await.unwrap();
    let (op, op_id) = operator_browser(&app, "op@example.com").await;
    let (status, html) = get(&app, &op, "/admin/webhooks").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("No endpoint yet.") && html.contains("aria-current=\"page\">Webhooks</a>"), "{html}");
    // Mistakes come back by their fields, with what was typed.
    let res =
        post_form(&app, &op, "/admin/webhooks", &[("url", "ftp://crm.example/hook"), ("description", "CRM")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("aria-invalid=\"true\"") && html.contains("value=\"CRM\""), "{html}");
    // Added: the secret once.
    let fields = [("url", hook.url()), ("description", "CRM"), ("event", "user.disabled"), ("event", "webhook.test")];
    let res = post_form(&app, &op, "/admin/webhooks", &fields).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    let secret = code_text(&html, "webhook-secret");
    assert!(html.contains("shown this once"), "{html}");
    let endpoint = app.core.webhook_endpoints(Actor::Operator, None).await.unwrap().remove(0);
    let page = format!("/admin/webhooks/{}", endpoint.id);
    let (_, list) = get(&app, &op, "/admin/webhooks").await;
    assert!(list.contains(&format!("href=\"{page}\"")) && !list.contains(&secret), "{list}");
    // A test event arrives signed; the log lists it; a resend sends it again.
    let res = post_form(&app, &op, &format!("{page}/test"), &[]).await;
    assert_eq!(location(&res), page);
    let got = hook.wait_for(1, Duration::from_secs(10)).await;
    let now = app.core.clock().now().unix_timestamp();
    let payload = verify_independently(&secret, &got[0], now).unwrap();
    assert_eq!(payload["type"], "webhook.test");
    let delivery = app.core.webhook_deliveries(Actor::Operator, endpoint.id, 10).await.unwrap().remove(0);
    let (_, html) = get(&app, &op, &page).await;
    assert!(html.contains("A test event is on its way.") && html.contains("<code>webhook.test</code>"), "{html}");
    let res = post_form(&app, &op, &format!("{page}/deliveries/{}/resend", delivery.id), &[]).await;
    assert_eq!(location(&res), page);
    hook.wait_for(2, Duration::from_secs(10)).await;
    let stranger = format!("{page}/deliveries/{}/resend", WebhookDeliveryId::new());
    assert_eq!(post_form(&app, &op, &stranger, &[]).await.status(), StatusCode::NOT_FOUND);
    // Changed: every event, turned off.
    let fields = [("url", hook.url()), ("description", "CRM (paused)"), ("all", "on")];
    let res = post_form(&app, &op, &page, &fields).await;
    assert_eq!(location(&res), page);
    let changed = app.core.webhook_endpoint(Actor::Operator, endpoint.id).await.unwrap();
    assert_eq!((changed.enabled, changed.events.clone()), (false, vec!["*".to_owned()]));
    let (_, html) = get(&app, &op, &page).await;
    assert!(html.contains("The endpoint is saved.") && html.contains("All events, including"), "{html}");
    // A new secret needs a recent sign-in; the old one keeps signing for a day.
    app.clock.advance(time::Duration::minutes(11));
    let res = op.get(app.at(&format!("{page}/secret"))).send().await.unwrap();
    assert!(location(&res).starts_with("/account/reauthenticate?return_to=%2Fadmin%2Fwebhooks%2F"));
    let res = post_form(&app, &op, &format!("{page}/secret"), &[]).await;
    assert!(location(&res).starts_with("/account/reauthenticate"), "the POST checks too");
    let back = format!("{page}/secret");
    let res = post_form(&app, &op, "/account/reauthenticate", &[("password", PASSWORD), ("return_to", &back)]).await;
    assert_eq!(location(&res), back);
    let (status, confirm) = get(&app, &op, &back).await;
    assert_eq!(status, StatusCode::OK);
    assert!(confirm.contains("keeps signing for 24 hours"), "{confirm}");
    let res = post_form(&app, &op, &back, &[]).await;
    let html = res.text().await.unwrap();
    let new_secret = code_text(&html, "webhook-secret");
    assert_ne!(new_secret, secret);
    assert!(html.contains("The previous secret also signs until"), "{html}");
    // Deleted.
    let (status, _) = get(&app, &op, &format!("{page}/delete")).await;
    assert_eq!(status, StatusCode::OK);
    let res = post_form(&app, &op, &format!("{page}/delete"), &[]).await;
    assert_eq!(location(&res), "/admin/webhooks");
    assert!(app.core.webhook_endpoints(Actor::Operator, None).await.unwrap().is_empty());
    assert_eq!(get(&app, &op, &page).await.0, StatusCode::NOT_FOUND);
    assert_eq!(webhook_events(&app, op_id).await, ["deleted", "secret_rotated", "changed", "created"]);
}

#[tokio::test]
async fn members_are_refused_and_malformed_ids_are_not_found() {
    let app = TestApp::new().await;
    let (op, _) = operator_browser(&app, "op@example.com").await;
    assert_eq!(get(&app, &op, "/admin/webhooks/not-an-id").await.0, StatusCode::NOT_FOUND);
    assert_eq!(post_form(&app, &op, "/admin/webhooks/not-an-id/test", &[]).await.status(), StatusCode::NOT_FOUND);
    active_user(&app, "member@example.com").await;
    let member = signed_in_browser(&app, "member@example.com", PASSWORD).await;
    assert_eq!(get(&app, &member, "/admin/webhooks").await.0, StatusCode::FORBIDDEN);
    let res = post_form(&app, &member, "/admin/webhooks", &[("url", "https://crm.example/hook"), ("all", "on")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(app.core.webhook_endpoints(Actor::Operator, None).await.unwrap().is_empty());
}
