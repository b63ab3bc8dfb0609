//! The admin console's Records pages through HTTP: the dashboard (figures that data changes,
//! both charts), the audit log (filters by address, field errors instead of a failure, the
//! "Older" link), its streamed CSV export (header, rows, defused formula cells, invalid filters
//! led back to the page) and the email outbox (a failed message sent again, audited with the
//! operator as actor); a member is refused everywhere.

use std::time::Duration;

use keystead_core::audit::RequestMeta;
use keystead_core::audit::query::AuditQuery;
use keystead_core::ids::{JobId, UserId};
use keystead_core::jobs::JobStatus;
use keystead_core::mail::outbox::{OutboxQuery, OutboxStatus};
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::{TestApp, TestAppOptions};
use reqwest::{Client, StatusCode};

use super::auth::{PASSWORD, active_user, get, location, post_form, sign_in, signed_in_browser};
use super::console::operator_browser;

/// A user agent a spreadsheet would run as a formula if it were written as it is.
const FORMULA_AGENT: &str = "=1+2 evil-agent";

/// A failed sign-in to `email` from a browser sending `agent`.
async fn failed_sign_in(app: &TestApp, email: &str, agent: &str) {
    let client = Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(agent)
        .build()
        .unwrap();
    let res = sign_in(app, &client, email, "not-the-password-at-all").await;
    assert_ne!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());
}

/// The `href` of the link with `rel="next"`, unescaped.
fn next_link(html: &str) -> String {
    let end = html.find("\" rel=\"next\"").unwrap_or_else(|| panic!("no next link: {html}"));
    let start = html[..end].rfind("href=\"").unwrap() + 6;
    html[start..end].replace("&#38;", "&").replace("&amp;", "&")
}

/// Waits until the job `id` reaches `status`.
pub(crate) async fn job_reaches(app: &TestApp, id: JobId, status: JobStatus) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while app.core.job(id).await.unwrap().status != status {
        assert!(tokio::time::Instant::now() < deadline, "job {id} never became {status:?}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Waits until no email is waiting (so the next one sent is the next one the sink sees).
pub(crate) async fn outbox_drained(app: &TestApp) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let pending = OutboxQuery { status: OutboxStatus::Pending, ..Default::default() };
    while app.core.outbox_messages(Actor::Operator, &pending).await.unwrap().pending > 0 {
        assert!(tokio::time::Instant::now() < deadline, "emails still waiting");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test]
async fn each_records_page_opens_for_an_operator_and_is_refused_to_a_member() {
    let app = TestApp::new().await;
    active_user(&app, "member@example.com").await;
    let member = signed_in_browser(&app, "member@example.com", PASSWORD).await;
    let pages = ["/admin", "/admin/audit", "/admin/audit.csv", "/admin/outbox", "/admin/outbox?status=failed"];
    for path in pages {
        assert_eq!(get(&app, &member, path).await.0, StatusCode::FORBIDDEN, "{path}");
    }
    let retry = format!("/admin/outbox/{}/retry", JobId::new());
    assert_eq!(post_form(&app, &member, &retry, &[]).await.status(), StatusCode::FORBIDDEN);

    let (op, _) = operator_browser(&app, "boss@example.com").await;
    outbox_drained(&app).await;
    for path in pages {
        let (status, body) = get(&app, &op, path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
    }
    let (_, html) = get(&app, &op, "/admin").await;
    assert!(html.contains("aria-current=\"page\">Dashboard</a>"), "{html}");
    for href in ["href=\"/admin/audit\"", "href=\"/admin/outbox\"", "href=\"/admin/keys\""] {
        assert!(html.contains(href), "{href}: {html}");
    }
    let (_, html) = get(&app, &op, "/admin/outbox").await;
    assert!(html.contains("No message is waiting to be sent."), "{html}");
    let (_, html) = get(&app, &op, "/admin/outbox?status=failed").await;
    assert!(html.contains("No message has failed."), "{html}");
    // Unknown or malformed ids are not found.
    assert_eq!(post_form(&app, &op, &retry, &[]).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(post_form(&app, &op, "/admin/outbox/nope/retry", &[]).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_dashboard_counts_accounts_and_failed_sign_ins_and_draws_both_charts() {
    let app = TestApp::new().await;
    let (op, _) = operator_browser(&app, "boss@example.com").await;
    let (_, before) = get(&app, &op, "/admin").await;
    assert!(before.contains("Accounts in all</dt><dd class=\"admin-dash-num\">1</dd>"), "{before}");
    assert!(before.contains("Failed sign-ins, last 24 hours</dt><dd class=\"admin-dash-num\">0</dd>"), "{before}");
    for email in ["ada@example.com", "bob@example.com", "cy@example.com"] {
        active_user(&app, email).await;
    }
    failed_sign_in(&app, "ada@example.com", "Firefox").await;
    failed_sign_in(&app, "bob@example.com", "Firefox").await;

    let (status, html) = get(&app, &op, "/admin").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Accounts in all</dt><dd class=\"admin-dash-num\">4</dd>"), "{html}");
    assert!(html.contains("New in the last 24 hours</dt><dd class=\"admin-dash-num\">4</dd>"), "{html}");
    assert!(html.contains("Active</dt><dd class=\"admin-dash-num\">4</dd>"), "{html}");
    assert!(html.contains("Failed sign-ins, last 24 hours</dt><dd class=\"admin-dash-num\">2</dd>"), "{html}");
    assert!(html.contains("Failed sign-ins, last 7 days</dt><dd class=\"admin-dash-num\">2</dd>"), "{html}");
    // Two charts, each an image with a title and a description, and the same figures in a table.
    assert_eq!(html.matches("<svg").count(), 2, "{html}");
    for id in ["day", "week"] {
        assert!(html.contains(&format!("aria-labelledby=\"chart-{id}-title chart-{id}-desc\"")), "{html}");
        assert!(html.contains(&format!("<title id=\"chart-{id}-title\">")), "{html}");
    }
    assert!(html.contains("and 2 failed sign-ins in this period."), "{html}");
    assert!(html.contains("class=\"admin-dash-bar-failed\""), "{html}");
    assert!(html.contains("<table class=\"visually-hidden\">"), "{html}");
    assert!(!html.contains("style="), "the CSP forbids inline styles: {html}");
}

#[tokio::test]
async fn the_audit_log_filters_by_subject_address_and_shows_bad_filters_next_to_their_fields() {
    let app = TestApp::new().await;
    let (op, _) = operator_browser(&app, "boss@example.com").await;
    let ada = active_user(&app, "ada@example.com").await;
    let bob = active_user(&app, "bob@example.com").await;
    failed_sign_in(&app, "ada@example.com", "Firefox").await;
    failed_sign_in(&app, "ada@example.com", "Firefox").await;
    failed_sign_in(&app, "bob@example.com", "Firefox").await;

    let (status, html) = get(&app, &op, "/admin/audit?subject=Ada%40Example.com&action=session.*").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains(&format!("<a href=\"/admin/users/{ada}\">ada@example.com</a>")), "{html}");
    assert!(html.contains("session.sign_in_failed"), "{html}");
    assert!(!html.contains(&format!("/admin/users/{bob}")), "only ada's events: {html}");
    assert!(html.contains("href=\"/admin/audit.csv?subject=Ada%40Example.com&#38;action=session.*\""), "{html}");

    // One a page: the "Older" link keeps the filters and leads to the other event.
    let (_, first) =
        get(&app, &op, "/admin/audit?subject=ada%40example.com&action=session.sign_in_failed&limit=1").await;
    assert_eq!(first.matches("session.sign_in_failed</code>").count(), 1, "{first}");
    let older = next_link(&first);
    assert!(older.contains("subject=ada%40example.com") && older.contains("cursor="), "{older}");
    let (status, second) = get(&app, &op, &older).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    assert_eq!(second.matches("session.sign_in_failed</code>").count(), 1, "{second}");
    assert!(!second.contains("rel=\"next\""), "the last page: {second}");

    // Bad filters: the page again with the message next to the field, never a failure.
    for (query, message) in [
        ("since=2026-12-05&until=2026-12-01", "The last day must not be before the first."),
        ("subject=nobody%40example.com", "No account has this address."),
        ("actor=nobody%40example.com", "No account has this address."),
        ("since=yesterday", "Give a date as YYYY-MM-DD."),
        ("organization=no-such-org", "No organization has this id or slug."),
        ("action=Users!", "Give an action such as user.disabled"),
        ("limit=9999", "Ask for 1 to 500 events a page."),
        ("cursor=forged", "This page link is not valid"),
    ] {
        let (status, html) = get(&app, &op, &format!("/admin/audit?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {html}");
        assert!(html.contains(message), "{query}: {html}");
        assert!(html.contains("Correct the filters above to see events."), "{query}: {html}");
    }
    let (_, html) = get(&app, &op, "/admin/audit?since=2026-12-05&until=2026-12-01").await;
    assert!(html.contains("id=\"audit-until\" name=\"until\" type=\"date\" value=\"2026-12-01\""), "{html}");
    assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"audit-until-hint audit-until-error\""), "{html}");
    // An organization by its slug, shown by its slug.
    let acme = NewOrganization { name: "Acme", slug: Some("acme"), owner: Some(ada) };
    app.core.create_organization(Actor::Operator, acme, &RequestMeta::cli()).await.unwrap();
    let (status, html) = get(&app, &op, "/admin/audit?organization=ACME").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("<span class=\"admin-audit-org\">acme</span>"), "{html}");
    assert!(!html.contains("session.sign_in_failed"), "only the organization's events: {html}");
    let csv = op.get(app.at("/admin/audit.csv?organization=acme")).send().await.unwrap().text().await.unwrap();
    assert!(csv.lines().count() > 1 && csv.lines().skip(1).all(|l| l.contains(",acme,")), "{csv}");
    // A range with nothing in it is an empty state, not an error.
    let (status, html) = get(&app, &op, "/admin/audit?since=2001-01-01&until=2001-01-02").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("No event matches these filters."), "{html}");
}

#[tokio::test]
async fn the_csv_export_streams_the_filtered_events_with_formula_cells_defused() {
    let app = TestApp::new().await;
    let (op, _) = operator_browser(&app, "boss@example.com").await;
    let ada = active_user(&app, "ada@example.com").await;
    active_user(&app, "bob@example.com").await;
    failed_sign_in(&app, "ada@example.com", FORMULA_AGENT).await;
    failed_sign_in(&app, "bob@example.com", "Firefox").await;

    let res = op.get(app.at("/admin/audit.csv?subject=ada%40example.com&limit=1&cursor=ignored")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let header = |name: &str| res.headers().get(name).unwrap().to_str().unwrap().to_owned();
    assert_eq!(header("content-type"), "text/csv; charset=utf-8");
    let disposition = header("content-disposition");
    assert!(
        disposition.starts_with("attachment; filename=\"audit-") && disposition.ends_with(".csv\""),
        "{disposition}"
    );
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.split_terminator("\r\n").collect();
    assert_eq!(
        lines[0],
        "id,occurred_at,action,actor_id,actor_email,subject_id,subject_email,organization_id,organization_slug,ip,user_agent,details"
    );
    let failed = lines.iter().find(|l| l.contains("session.sign_in_failed")).unwrap_or_else(|| panic!("{csv}"));
    assert!(failed.contains(&format!(",{ada},ada@example.com,")), "{failed}");
    assert!(failed.contains(&format!(",'{FORMULA_AGENT},")), "the formula is defused: {failed}");
    assert!(!csv.contains(&format!(",{FORMULA_AGENT}")), "{csv}");
    assert!(!csv.contains("bob@example.com"), "only ada's events: {csv}");
    // Every event of ada's, the page size and cursor of the page notwithstanding.
    let query = AuditQuery { subject: Some(ada), ..Default::default() };
    let all = app.core.search_audit_events(Actor::Operator, None, &query).await.unwrap().items.len();
    assert!(all >= 2, "created and failed sign-in at least");
    assert_eq!(lines.len(), all + 1, "{csv}");

    // Invalid filters: back to the page, which says why.
    let res = op.get(app.at("/admin/audit.csv?since=2026-12-05&until=2026-12-01")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/admin/audit?since=2026-12-05&until=2026-12-01");
    let res = op.get(app.at("/admin/audit.csv?subject=nobody%40example.com")).send().await.unwrap();
    assert_eq!(
        (res.status(), location(&res)),
        (StatusCode::SEE_OTHER, "/admin/audit?subject=nobody%40example.com".to_owned())
    );
}

#[tokio::test]
async fn a_failed_email_is_sent_again_from_the_outbox_and_the_operator_is_the_audited_actor() {
    let app = TestApp::new().await;
    let (op, op_id): (Client, UserId) = operator_browser(&app, "boss@example.com").await;
    outbox_drained(&app).await;
    app.smtp.fail_next(1, 550);
    let id = app.core.send_test_email("nobody@example.com").await.unwrap();
    job_reaches(&app, id, JobStatus::Dead).await;

    let (status, html) = get(&app, &op, "/admin/outbox?status=failed").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("nobody@example.com") && html.contains("550"), "{html}");
    assert!(html.contains(&format!("action=\"/admin/outbox/{id}/retry\"")), "{html}");
    assert!(html.contains("aria-current=\"page\">Failed <span class=\"badge\">1</span>"), "{html}");
    let (_, dashboard) = get(&app, &op, "/admin").await;
    assert!(dashboard.contains("Given up</dt><dd class=\"admin-dash-num\">1</dd>"), "{dashboard}");
    assert!(dashboard.contains("href=\"/admin/outbox?status=failed\""), "{dashboard}");

    let retry = format!("/admin/outbox/{id}/retry");
    let res = post_form(&app, &op, &retry, &[]).await;
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/admin/outbox?status=failed".to_owned()));
    let (_, html) = get(&app, &op, "/admin/outbox?status=failed").await;
    assert!(html.contains("The message to nobody@example.com is back in the outbox"), "{html}");
    job_reaches(&app, id, JobStatus::Done).await;
    assert!(app.smtp.messages().iter().any(|m| m.to().iter().any(|t| t == "nobody@example.com")));

    let query = AuditQuery { action: Some("mail.retried".to_owned()), ..Default::default() };
    let events = app.core.search_audit_events(Actor::Operator, None, &query).await.unwrap().items;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].actor, Some(op_id));
    assert_eq!(events[0].details["job_id"], id.to_string());

    // Once delivered it cannot be sent again: a word why, not an error page.
    let res = post_form(&app, &op, &retry, &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = get(&app, &op, "/admin/outbox?status=failed").await;
    assert!(html.contains("This message is not failed any more"), "{html}");
}

#[tokio::test]
async fn a_csv_export_longer_than_one_statement_follows_the_cursor_to_the_end() {
    let app = TestApp::new().await;
    let (op, _) = operator_browser(&app, "boss@example.com").await;
    let bob = active_user(&app, "bob@example.com").await;
    // 520 events at the same instant: the pages are told apart by the events' ids.
    for _ in 0..260 {
        app.core.grant_operator(Actor::Operator, bob, &RequestMeta::cli()).await.unwrap();
        app.core.revoke_operator(Actor::Operator, bob, &RequestMeta::cli()).await.unwrap();
    }
    let res = op.get(app.at("/admin/audit.csv?subject=bob%40example.com&action=operator.*")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let csv = res.text().await.unwrap();
    let rows: Vec<&str> = csv.split_terminator("\r\n").skip(1).collect();
    assert_eq!(rows.len(), 520);
    assert_eq!(rows.iter().filter(|r| r.contains(",operator.granted,")).count(), 260);
    let mut ids: Vec<&str> = rows.iter().map(|r| r.split(',').next().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 520, "each event once");
}

#[tokio::test]
async fn the_outbox_lists_waiting_messages_a_page_at_a_time_with_their_count() {
    let app = TestApp::start(TestAppOptions { without_job_runner: true, ..Default::default() }).await.unwrap();
    let (op, _) = operator_browser(&app, "boss@example.com").await;
    for i in 0..51 {
        app.core.send_test_email(&format!("reader{i}@example.com")).await.unwrap();
    }
    let pending = OutboxQuery { status: OutboxStatus::Pending, ..Default::default() };
    let total = app.core.outbox_messages(Actor::Operator, &pending).await.unwrap().pending;
    assert!(total >= 51);

    let (status, first) = get(&app, &op, "/admin/outbox").await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert!(first.contains(&format!("aria-current=\"page\">Waiting <span class=\"badge\">{total}</span>")), "{first}");
    assert_eq!(first.matches("<td data-label=\"To\">").count(), 50, "{first}");
    assert!(first.contains("reader0@example.com") && first.contains("Next attempt"), "{first}");
    assert!(!first.contains("Send again"), "only failed messages are sent again: {first}");
    let next = next_link(&first);
    assert!(next.starts_with("/admin/outbox?status=pending&cursor="), "{next}");
    let (status, second) = get(&app, &op, &next).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    let rest = usize::try_from(total).unwrap() - 50;
    assert_eq!(second.matches("<td data-label=\"To\">").count(), rest, "{second}");
    assert!(second.contains("reader50@example.com") && !second.contains("rel=\"next\""), "{second}");
    // A forged page link starts again from the first page.
    let res = op.get(app.at("/admin/outbox?status=failed&cursor=forged")).send().await.unwrap();
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/admin/outbox?status=failed".to_owned()));
}
