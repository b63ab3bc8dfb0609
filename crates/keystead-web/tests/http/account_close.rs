//! Closing an account over HTTP: the confirmation and password it needs, the end of every
//! session, the emailed purge date, reactivation during the grace period, and the purge job
//! (with the fake clock) that leaves an anonymised tombstone.

use std::time::{Duration, Instant};

use keystead_core::accounts::UserStatus;
use keystead_core::accounts::sign_in::INVALID_CREDENTIALS;
use keystead_core::clock::Clock;
use keystead_core::ids::UserId;
use keystead_core::jobs::JobRunner;
use keystead_testkit::smtp::ReceivedMail;
use keystead_testkit::{TestApp, TestAppOptions};
use reqwest::{Client, StatusCode};

use super::auth::{PASSWORD, active_user, get, location, post_form, signed_in_browser};

const ACCEPT: (&str, &str) = ("accept", "on");

fn long_date(t: time::OffsetDateTime) -> String {
    t.format(time::macros::format_description!("[day padding:none] [month repr:long] [year]")).unwrap()
}

/// The `value` of the first `<input>` called `name`.
fn input_value(html: &str, name: &str) -> String {
    let at = html.find(&format!("name=\"{name}\"")).unwrap_or_else(|| panic!("no {name} in {html}"));
    let start = html[..at].rfind('<').unwrap();
    let tag = &html[start..at + html[at..].find('>').unwrap()];
    let value = tag.find("value=\"").unwrap() + "value=\"".len();
    tag[value..value + tag[value..].find('"').unwrap()].to_owned()
}

/// Waits for the first email to `to` whose subject contains `subject`.
async fn mail(app: &TestApp, to: &str, subject: &str) -> ReceivedMail {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let found = app
            .smtp
            .messages()
            .into_iter()
            .find(|m| m.to() == [to] && m.subject().is_some_and(|s| s.contains(subject)));
        if let Some(found) = found {
            return found;
        }
        assert!(Instant::now() < deadline, "no email to {to} about {subject:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn status_of(app: &TestApp, email: &str) -> UserStatus {
    app.core.user_by_email(email).await.unwrap().status
}

async fn audit_actions(app: &TestApp, user: UserId) -> Vec<String> {
    app.core.audit_events_for(user, 100).await.unwrap().into_iter().map(|e| e.action).collect()
}

async fn is_signed_in(app: &TestApp, client: &Client) -> bool {
    get(app, client, "/account/profile").await.0 == StatusCode::OK
}

/// Closes the account `client` is signed in to; asserts it worked.
async fn close(app: &TestApp, client: &Client) {
    let res = post_form(app, client, "/account/close", &[ACCEPT, ("password", PASSWORD)]).await;
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/sign-in".to_owned()));
}

async fn sign_in(app: &TestApp, client: &Client, email: &str, password: &str) -> (StatusCode, String) {
    let res = post_form(app, client, "/sign-in/password", &[("email", email), ("password", password)]).await;
    (res.status(), res.text().await.unwrap())
}

#[tokio::test]
async fn closing_needs_the_confirmation_box_and_the_right_password_and_otherwise_changes_nothing() {
    let app = TestApp::new().await;
    let id = active_user(&app, "ada@example.com").await;
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let (status, html) = get(&app, &client, "/account/close").await;
    assert_eq!(status, StatusCode::OK);
    for text in ["<label for=\"accept\">I have carefully read and accept the above", "30 days", "Close my account"] {
        assert!(html.contains(text), "{text} missing: {html}");
    }
    assert!(html.contains("<label for=\"password\">Current password"), "{html}");
    assert!(html.contains("href=\"/account/close\" aria-current=\"page\""), "in the navigation: {html}");

    for (fields, message) in [
        (vec![("password", PASSWORD)], "Tick the box to confirm"),
        (vec![ACCEPT, ("password", "")], "Enter your current password."),
        (vec![ACCEPT, ("password", "not-the-password-at-all")], "The password is not right."),
    ] {
        let res = post_form(&app, &client, "/account/close", &fields).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        let html = res.text().await.unwrap();
        assert!(html.contains(message), "{message} missing: {html}");
        assert_eq!(status_of(&app, "ada@example.com").await, UserStatus::Active);
        assert!(is_signed_in(&app, &client).await, "still signed in after: {message}");
    }
    assert!(!audit_actions(&app, id).await.contains(&"user.closed".to_owned()));
    let closing_mails =
        app.core.outbox(100).await.unwrap().iter().filter(|j| j.payload.to_string().contains("closed")).count();
    assert_eq!(closing_mails, 0, "nothing sent");
}

#[tokio::test]
async fn closing_ends_every_session_and_the_email_states_the_purge_date() {
    let app = TestApp::new().await;
    let id = active_user(&app, "ada@example.com").await;
    let laptop = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let phone = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let purge_date = long_date(app.clock.now() + time::Duration::days(30));
    close(&app, &laptop).await;

    assert_eq!(status_of(&app, "ada@example.com").await, UserStatus::Closing);
    assert!(app.core.sessions_of(id).await.unwrap().is_empty(), "every session ended");
    assert!(!is_signed_in(&app, &laptop).await && !is_signed_in(&app, &phone).await);
    let (_, html) = get(&app, &laptop, "/sign-in").await;
    assert!(html.contains("Your account is closed") && html.contains(&purge_date), "{html}");
    assert!(audit_actions(&app, id).await.contains(&"user.closed".to_owned()));

    let mail = mail(&app, "ada@example.com", "account is closed").await;
    let body = words(&mail.text_body().unwrap());
    assert!(body.contains(&format!("Your personal data will be deleted permanently on {purge_date}.")), "{body}");
}

#[tokio::test]
async fn signing_in_during_the_grace_period_offers_reactivation_which_does_not_bring_back_old_sessions() {
    let app = TestApp::new().await;
    let id = active_user(&app, "ada@example.com").await;
    let old = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let saved = post_form(&app, &old, "/account/profile", &[("given_name", "Ada"), ("family_name", "Lovelace")]).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    close(&app, &old).await;
    app.clock.advance(time::Duration::days(10));
    let purge_date = long_date(app.clock.now() + time::Duration::days(20));

    let client = app.client();
    let (status, html) = sign_in(&app, &client, "ada@example.com", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("<h1 id=\"heading\">Reactivate your account</h1>") && html.contains(&purge_date), "{html}");
    assert!(app.core.sessions_of(id).await.unwrap().is_empty(), "no session before reactivating");
    assert!(!is_signed_in(&app, &client).await);

    let token = input_value(&html, "token");
    let csrf = input_value(&html, "csrf_token");
    let form = [("csrf_token", csrf.as_str()), ("token", token.as_str())];
    let res = client.post(app.at("/sign-in/reactivate")).form(&form).send().await.unwrap();
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/account/profile".to_owned()));
    let (_, html) = get(&app, &client, "/account/profile").await;
    assert!(html.contains("your account is active again"), "{html}");
    assert_eq!(status_of(&app, "ada@example.com").await, UserStatus::Active);
    assert_eq!(app.core.sessions_of(id).await.unwrap().len(), 1, "only the new session");
    assert!(!is_signed_in(&app, &old).await, "the old session stays ended");
    assert!(audit_actions(&app, id).await.contains(&"user.reactivated".to_owned()));
    mail(&app, "ada@example.com", "active again").await;

    // The offer is spent, and the account is no longer purged when the grace period would end.
    let replay = app.client();
    let csrf = input_value(&get(&app, &replay, "/sign-in").await.1, "csrf_token");
    let form = [("csrf_token", csrf.as_str()), ("token", token.as_str())];
    let res = replay.post(app.at("/sign-in/reactivate")).form(&form).send().await.unwrap();
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/sign-in".to_owned()));
    app.clock.advance(time::Duration::days(30));
    JobRunner::new(app.core.clone()).run_due().await.unwrap();
    assert_eq!(status_of(&app, "ada@example.com").await, UserStatus::Active);
    signed_in_browser(&app, "ada@example.com", PASSWORD).await;
}

#[tokio::test]
async fn a_wrong_password_for_a_closing_account_looks_exactly_like_any_wrong_password() {
    let app = TestApp::new().await;
    active_user(&app, "ada@example.com").await;
    active_user(&app, "bob@example.com").await;
    close(&app, &signed_in_browser(&app, "ada@example.com", PASSWORD).await).await;

    let client = app.client();
    let (closing_status, closing) = sign_in(&app, &client, "ada@example.com", "not-the-password-at-all").await;
    let (active_status, active) = sign_in(&app, &client, "bob@example.com", "not-the-password-at-all").await;
    let (unknown_status, unknown) = sign_in(&app, &client, "carol@example.com", "not-the-password-at-all").await;
    assert_eq!(closing_status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!((active_status, unknown_status), (closing_status, closing_status));
    assert!(closing.contains(INVALID_CREDENTIALS) && !closing.contains("Reactivate"), "{closing}");
    let closing = closing.replace("ada@example.com", "EMAIL");
    assert_eq!(active.replace("bob@example.com", "EMAIL"), closing);
    assert_eq!(unknown.replace("carol@example.com", "EMAIL"), closing);
}

#[tokio::test]
async fn after_the_grace_period_the_account_is_purged_to_a_tombstone_and_the_address_is_free() {
    let app = TestApp::new().await;
    let id = active_user(&app, "ada@example.com").await;
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let saved =
        post_form(&app, &client, "/account/profile", &[("given_name", "Ada"), ("family_name", "Lovelace")]).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    close(&app, &client).await;

    // The purge itself, called directly: the server's own job runner runs beside this test, and
    // the lease of its periodic run may be held at the moment the clock moves (the periodic
    // path is covered by `two_runners_purging_at_once_purge_each_account_once`).
    app.clock.advance(time::Duration::days(29));
    app.core.purge_closed_accounts().await.unwrap();
    assert_eq!(status_of(&app, "ada@example.com").await, UserStatus::Closing, "not before the purge date");

    app.clock.advance(time::Duration::days(1) + time::Duration::minutes(1));
    app.core.purge_closed_accounts().await.unwrap();
    let tombstone = app.core.user_by_id(id).await.unwrap();
    assert_eq!((tombstone.email, tombstone.status), (format!("purged-{}@invalid", id.0.simple()), UserStatus::Purged));
    assert!(!tombstone.has_password && tombstone.email_verified_at.is_none() && tombstone.last_sign_in_at.is_none());
    let profile = app.core.profile(id).await.unwrap();
    assert!(profile.given_name.is_none() && profile.family_name.is_none(), "{profile:?}");
    let events = app.core.audit_events_for(id, 100).await.unwrap();
    assert_eq!(events.iter().filter(|e| e.action == "user.purged").count(), 1);
    assert!(events.iter().all(|e| e.ip.is_none() && e.user_agent.is_none()), "{events:?}");
    assert!(app.core.user_by_email("ada@example.com").await.is_err(), "the address is gone");

    let (status, html) = sign_in(&app, &app.client(), "ada@example.com", PASSWORD).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(INVALID_CREDENTIALS), "{html}");

    // The address can register again, as a new account.
    let newcomer = app.client();
    let res = post_form(&app, &newcomer, "/register", &[("email", "ada@example.com")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res =
        post_form(&app, &newcomer, "/register/password", &[("email", "ada@example.com"), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    mail(&app, "ada@example.com", "Confirm your email address").await;
    let again = app.core.user_by_email("ada@example.com").await.unwrap();
    assert_ne!(again.id, id);
    assert_eq!(again.status, UserStatus::Unverified);
}

#[tokio::test]
async fn two_runners_purging_at_once_purge_each_account_once() {
    let app = TestApp::start(TestAppOptions { without_job_runner: true, ..TestAppOptions::default() }).await.unwrap();
    let mut ids = Vec::new();
    for email in ["a@example.com", "b@example.com", "c@example.com"] {
        ids.push(active_user(&app, email).await);
        close(&app, &signed_in_browser(&app, email, PASSWORD).await).await;
    }
    app.clock.advance(time::Duration::days(31));
    let (one, two) = (JobRunner::new(app.core.clone()), JobRunner::new(app.core.clone()));
    one.register_periodic().await.unwrap();
    let (a, b) = tokio::join!(one.run_due(), two.run_due());
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(a.periodic + b.periodic >= 1);
    // And the purge itself, called twice at once, finds nothing left to do.
    let (x, y) = tokio::join!(app.core.purge_closed_accounts(), app.core.purge_closed_accounts());
    assert_eq!(x.unwrap() + y.unwrap(), 0);
    for id in ids {
        let purged = audit_actions(&app, id).await.iter().filter(|a| *a == "user.purged").count();
        assert_eq!(purged, 1, "{id}");
    }
}

#[tokio::test]
async fn concurrent_purges_of_the_same_due_accounts_purge_each_once() {
    let app = TestApp::start(TestAppOptions { without_job_runner: true, ..TestAppOptions::default() }).await.unwrap();
    let mut ids = Vec::new();
    for email in ["a@example.com", "b@example.com", "c@example.com", "d@example.com"] {
        ids.push(active_user(&app, email).await);
        close(&app, &signed_in_browser(&app, email, PASSWORD).await).await;
    }
    app.clock.advance(time::Duration::days(31));
    let (x, y) = tokio::join!(app.core.purge_closed_accounts(), app.core.purge_closed_accounts());
    assert_eq!(x.unwrap() + y.unwrap(), 4);
    for id in ids {
        let purged = audit_actions(&app, id).await.iter().filter(|a| *a == "user.purged").count();
        assert_eq!(purged, 1, "{id}");
    }
}

#[tokio::test]
async fn the_close_page_names_the_support_contact_only_when_there_is_one() {
    let app = TestApp::new().await;
    active_user(&app, "ada@example.com").await;
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let (_, html) = get(&app, &client, "/account/close").await;
    assert!(!html.contains("mailto:") && !html.contains("Changed your mind"), "no support contact: {html}");

    let configure = Box::new(|c: &mut keystead_core::config::Config| {
        c.interface.support_email = Some("help@example.com".to_owned());
        c.interface.support_url = Some(url::Url::parse("https://example.com/support").unwrap());
    });
    let app = TestApp::start(TestAppOptions { configure: Some(configure), ..TestAppOptions::default() }).await.unwrap();
    active_user(&app, "ada@example.com").await;
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let (_, html) = get(&app, &client, "/account/close").await;
    assert!(html.contains("Within 30 days of closing, support can help you get your account and data back"), "{html}");
    assert!(html.contains("<a href=\"mailto:help@example.com\">help@example.com</a>"), "{html}");
    assert!(html.contains("<a href=\"https://example.com/support\" rel=\"noopener\">the support page</a>"), "{html}");
    let res = client.get(app.at("/account/close")).header(reqwest::header::ACCEPT_LANGUAGE, "tr").send().await.unwrap();
    let html = res.text().await.unwrap();
    assert!(html.contains("<html lang=\"tr\">") && html.contains("Hesabı kapat</h1>"), "{html}");
    assert!(html.contains("30 gün içinde destek ekibi") && html.contains("destek sayfası"), "{html}");

    // A refusal shows its reason beside the box, in the page's language.
    let (_, page) = get(&app, &client, "/account/close").await;
    let token = input_value(&page, "csrf_token");
    let res = client
        .post(app.at("/account/close"))
        .header(reqwest::header::ACCEPT_LANGUAGE, "de")
        .form(&[("csrf_token", token.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("<html lang=\"de\">") && html.contains("Konto schließen</h1>"), "{html}");
    assert!(html.contains("id=\"accept-error\"><p>Setzen Sie das Häkchen"), "{html}");
}
