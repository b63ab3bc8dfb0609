//! Two-factor authentication through the pages a person uses: enrolling the authenticator app
//! (reading the key from the page and computing codes as an app would), email codes, recovery
//! codes, the sign-in step, the re-authentication rules, rate limits and bad input.

use std::time::{Duration, Instant};

use keystead_core::config::Config;
use keystead_core::ids::UserId;
use keystead_core::mfa::{AssuranceLevel, totp_code_at};
use keystead_core::sessions::SessionStage;
use keystead_testkit::smtp::ReceivedMail;
use keystead_testkit::{TestApp, TestAppOptions};
use reqwest::{Client, StatusCode};

use super::auth::{PASSWORD, active_user, get, location, post_form};

const MAIL_TIMEOUT: Duration = Duration::from_secs(10);

pub(crate) async fn app_with(configure: impl FnOnce(&mut Config) + Send + 'static) -> TestApp {
    TestApp::start(TestAppOptions { configure: Some(Box::new(configure)), ..TestAppOptions::default() })
        .await
        .unwrap_or_else(|e| panic!("TestApp failed to start: {e:#}"))
}

/// The `value` of the first `<input>` called `name`.
pub(crate) fn input_value(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\""))?;
    let start = html[..at].rfind('<')?;
    let end = at + html[at..].find('>')?;
    let tag = &html[start..end];
    let value = tag.find("value=\"")? + "value=\"".len();
    let len = tag[value..].find('"')?;
    Some(
        tag[value..value + len]
            .replace("&#34;", "\"")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&"),
    )
}

/// The text between `start` and the next `end` after it.
pub(crate) fn between<'a>(html: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = html.find(start)? + start.len();
    let len = html[from..].find(end)?;
    Some(&html[from..from + len])
}

/// Waits for the `nth` (from 0) email to `to` whose subject contains `subject`.
pub(crate) async fn mail(app: &TestApp, to: &str, subject: &str, nth: usize) -> ReceivedMail {
    let deadline = Instant::now() + MAIL_TIMEOUT;
    loop {
        let found = app
            .smtp
            .messages()
            .into_iter()
            .filter(|m| m.to() == [to] && m.subject().is_some_and(|s| s.contains(subject)))
            .nth(nth);
        if let Some(found) = found {
            return found;
        }
        assert!(Instant::now() < deadline, "no email #{nth} to {to} about {subject:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// How many emails to `to` have a subject containing `subject`.
fn sent_to(app: &TestApp, to: &str, subject: &str) -> usize {
    app.smtp
        .messages()
        .into_iter()
        .filter(|m| m.to() == [to] && m.subject().is_some_and(|s| s.contains(subject)))
        .count()
}

/// The six-digit code in an email's subject ("123456 is your … code").
fn code_in(mail: &ReceivedMail) -> String {
    mail.subject().unwrap().chars().take(6).collect()
}

fn unix(app: &TestApp) -> u64 {
    u64::try_from(app.core.clock().now().unix_timestamp()).unwrap()
}

/// What an authenticator app shows now for `secret`.
pub(crate) fn app_code(app: &TestApp, secret: &str) -> String {
    totp_code_at(secret, unix(app)).unwrap()
}

/// A code no app would accept now (none of the three steps around now).
pub(crate) fn wrong_code(app: &TestApp, secret: &str) -> String {
    let t = unix(app);
    let near: Vec<String> = [t - 30, t, t + 30].iter().map(|t| totp_code_at(secret, *t).unwrap()).collect();
    (0..).map(|n| format!("{n:06}")).find(|c| !near.contains(c)).unwrap()
}

async fn signed_in(app: &TestApp, client: &Client) -> bool {
    let (_, html) = get(app, client, "/").await;
    html.contains("You are signed in as")
}

/// Signs in with the password; asserts the second step is asked for.
pub(crate) async fn password_step(app: &TestApp, email: &str) -> Client {
    let client = app.client();
    let res = post_form(app, &client, "/sign-in/password", &[("email", email), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/sign-in/second-factor");
    client
}

/// A browser signed in with the password only (the account has no second factor).
async fn password_only(app: &TestApp, email: &str) -> Client {
    let client = app.client();
    let res = post_form(app, &client, "/sign-in/password", &[("email", email), ("password", PASSWORD)]).await;
    assert_eq!(location(&res), "/landing");
    client
}

/// Starts the authenticator-app setup; returns (setup page, the key shown, its fingerprint).
async fn start_totp(app: &TestApp, client: &Client) -> (String, String, String) {
    let res = post_form(app, client, "/account/two-factor/totp/setup", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/account/two-factor/totp");
    let (status, html) = get(app, client, "/account/two-factor/totp").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let secret = between(&html, "id=\"secret-key\">", "</code>").unwrap().to_owned();
    let setup = input_value(&html, "setup").unwrap();
    (html, secret, setup)
}

/// Enrols the authenticator app for an active user; returns (key, recovery codes). Every
/// session of the user has ended afterwards.
pub(crate) async fn enrol_totp(app: &TestApp, email: &str) -> (String, Vec<String>) {
    let client = password_only(app, email).await;
    let (_, secret, setup) = start_totp(app, &client).await;
    let code = app_code(app, &secret);
    let res = post_form(app, &client, "/account/two-factor/totp/confirm", &[("setup", &setup), ("code", &code)]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("Two-factor authentication is on"), "{html}");
    // The codes of this step are used: move to the next one.
    app.clock.advance(time::Duration::seconds(30));
    (secret, recovery_codes(&html))
}

fn recovery_codes(html: &str) -> Vec<String> {
    let list = between(html, "id=\"recovery-codes\">", "</ol>").unwrap();
    list.split("<code>").skip(1).map(|c| c[..c.find("</code>").unwrap()].to_owned()).collect()
}

async fn submit_code(app: &TestApp, client: &Client, method: &str, code: &str) -> reqwest::Response {
    post_form(app, client, "/sign-in/second-factor", &[("method", method), ("code", code)]).await
}

async fn audit_actions(app: &TestApp, user: UserId) -> Vec<String> {
    app.core.audit_events_for(user, 50).await.unwrap().into_iter().map(|e| e.action).collect()
}

#[tokio::test]
async fn enrolling_an_authenticator_app_ends_every_session_and_sign_in_then_asks_for_its_code() {
    let app = TestApp::new().await;
    let id = active_user(&app, "ada@example.com").await;
    let client = password_only(&app, "ada@example.com").await;
    let other = password_only(&app, "ada@example.com").await;

    let (page, secret, setup) = start_totp(&app, &client).await;
    assert!(page.contains("<svg role=\"img\"") && page.contains("Set up an authenticator app"), "{page}");
    assert_eq!(secret.split(' ').count(), 8, "160 bits in groups of four: {secret}");

    // Wrong, malformed and tampered confirmations enable nothing.
    let wrong = wrong_code(&app, &secret);
    let right = app_code(&app, &secret);
    for (setup_field, code, message) in [
        (setup.as_str(), wrong.as_str(), "That code is not right"),
        (setup.as_str(), "12ab56", "Enter the six digits"),
        ("forged-setup", right.as_str(), "replaced by a newer one"),
    ] {
        let res =
            post_form(&app, &client, "/account/two-factor/totp/confirm", &[("setup", setup_field), ("code", code)])
                .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains(message), "{message}: {html}");
        assert!(!app.core.mfa_status(id).await.unwrap().enabled());
    }

    let code = app_code(&app, &secret);
    let res = post_form(&app, &client, "/account/two-factor/totp/confirm", &[("setup", &setup), ("code", &code)]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    let codes = recovery_codes(&html);
    assert_eq!(codes.len(), 10);
    assert!(html.contains("download=\"recovery-codes.txt\"") && html.contains("shown only once"), "{html}");
    // Every session ended, this one included.
    assert!(!signed_in(&app, &client).await && !signed_in(&app, &other).await);
    assert!(app.core.sessions_of(id).await.unwrap().is_empty());
    mail(&app, "ada@example.com", "Two-factor authentication changed", 0).await;
    assert!(audit_actions(&app, id).await.contains(&"mfa.method_added".to_owned()));
    // The key is sealed at rest.
    let status = app.core.mfa_status(id).await.unwrap();
    assert!(status.totp && status.recovery_codes_left == 10);

    // The password alone no longer signs in; the code used to confirm is refused as a replay.
    let client = password_step(&app, "ada@example.com").await;
    assert!(!signed_in(&app, &client).await);
    let (status, page) = get(&app, &client, "/account/profile").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let (_, page) = get(&app, &client, "/sign-in/second-factor").await;
    assert!(page.contains("Code from your authenticator app") && page.contains("Recovery code"), "{page}");
    let replay = submit_code(&app, &client, "totp", &code).await;
    assert_eq!(replay.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(replay.text().await.unwrap().contains("used already"));

    app.clock.advance(time::Duration::seconds(30));
    let fresh = app_code(&app, &secret);
    let res = submit_code(&app, &client, "totp", &fresh).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/landing");
    assert!(signed_in(&app, &client).await);
    let session = app.core.sessions_of(id).await.unwrap().remove(0);
    assert_eq!(session.amr, ["pwd", "otp", "mfa"]);
    assert_eq!(session.assurance, AssuranceLevel::Aal2);
    assert_eq!(session.auth_time, app.core.clock().now());

    // The same code in another sign-in within its step is a replay.
    let again = password_step(&app, "ada@example.com").await;
    let replay = submit_code(&app, &again, "totp", &fresh).await;
    assert_eq!(replay.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!signed_in(&app, &again).await);
}

#[tokio::test]
async fn a_recovery_code_signs_in_once_and_says_how_many_are_left() {
    let app = TestApp::new().await;
    let id = active_user(&app, "rec@example.com").await;
    let (_, codes) = enrol_totp(&app, "rec@example.com").await;

    let client = password_step(&app, "rec@example.com").await;
    let res = submit_code(&app, &client, "recovery", &codes[3].to_uppercase()).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/landing");
    // No license: the landing is the home page, which shows the message.
    let (_, home) = get(&app, &client, "/").await;
    assert!(home.contains("9 recovery codes are left"), "{home}");
    let session = app.core.sessions_of(id).await.unwrap().remove(0);
    assert_eq!(session.amr, ["pwd", "recovery", "mfa"]);
    assert!(audit_actions(&app, id).await.contains(&"mfa.recovery_code_used".to_owned()));
    // The data export says what is set up, never a secret or a code.
    let export = client.get(app.at("/account/data/download")).send().await.unwrap().text().await.unwrap();
    let json: serde_json::Value = serde_json::from_str(&export).unwrap();
    assert_eq!(
        (json["two_factor"]["totp"].as_bool(), json["two_factor"]["recovery_codes_left"].as_u64()),
        (Some(true), Some(9))
    );
    assert!(codes.iter().all(|c| !export.contains(c.as_str())));

    let client = password_step(&app, "rec@example.com").await;
    for used in [codes[3].as_str(), "not-a-code", ""] {
        let res = submit_code(&app, &client, "recovery", used).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().await.unwrap().contains("not right, or it was used already"));
    }
    assert_eq!(app.core.mfa_status(id).await.unwrap().recovery_codes_left, 9);
}

#[tokio::test]
async fn wrong_codes_lock_the_second_step_of_the_account_like_wrong_passwords() {
    let app = TestApp::new().await;
    let id = active_user(&app, "lock@example.com").await;
    let (secret, _) = enrol_totp(&app, "lock@example.com").await;
    let client = password_step(&app, "lock@example.com").await;
    let wrong = wrong_code(&app, &secret);
    for _ in 0..5 {
        let res = submit_code(&app, &client, "totp", &wrong).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    // Locked for the account, even with the right code and from another browser.
    let other = password_step(&app, "lock@example.com").await;
    let res = submit_code(&app, &other, "totp", &app_code(&app, &secret)).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key("retry-after"));
    assert!(!signed_in(&app, &other).await);
    assert!(audit_actions(&app, id).await.contains(&"session.second_factor_failed".to_owned()));
    // The lock ends.
    app.clock.advance(time::Duration::minutes(1));
    let res = submit_code(&app, &other, "totp", &app_code(&app, &secret)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_second_step_must_follow_the_password_within_ten_minutes() {
    let app = TestApp::new().await;
    let id = active_user(&app, "slow@example.com").await;
    let (secret, _) = enrol_totp(&app, "slow@example.com").await;
    let client = password_step(&app, "slow@example.com").await;
    app.clock.advance(time::Duration::minutes(11));
    let res = submit_code(&app, &client, "totp", &app_code(&app, &secret)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/sign-in");
    let (_, page) = get(&app, &client, "/sign-in").await;
    assert!(page.contains("Too much time has passed"), "{page}");
    assert!(!signed_in(&app, &client).await);
    // Unfinished second steps do not linger among the user's sessions.
    app.clock.advance(time::Duration::hours(1));
    assert!(app.core.sessions_of(id).await.unwrap().is_empty());
}

#[tokio::test]
async fn email_codes_turn_on_with_a_code_and_then_sign_in_with_a_resend_cooldown() {
    let app = TestApp::new().await;
    let id = active_user(&app, "mail@example.com").await;
    let client = password_only(&app, "mail@example.com").await;

    // An expired enabling code enables nothing.
    let res = post_form(&app, &client, "/account/two-factor/email", &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let first = code_in(&mail(&app, "mail@example.com", "sign-in code", 0).await);
    app.clock.advance(time::Duration::minutes(11));
    let res = post_form(&app, &client, "/account/two-factor/email/confirm", &[("code", &first)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("expired"));
    assert!(!app.core.mfa_status(id).await.unwrap().email);

    let client = password_only(&app, "mail@example.com").await;
    post_form(&app, &client, "/account/two-factor/email", &[]).await;
    let code = code_in(&mail(&app, "mail@example.com", "sign-in code", 1).await);
    let res = post_form(&app, &client, "/account/two-factor/email/confirm", &[("code", "12x456")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = post_form(&app, &client, "/account/two-factor/email/confirm", &[("code", &code)]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("Two-factor authentication is on"));
    assert!(app.core.mfa_status(id).await.unwrap().email);

    let client = password_step(&app, "mail@example.com").await;
    // The step emails the code as it is shown; "Send again" waits for the cooldown.
    let (_, page) = get(&app, &client, "/sign-in/second-factor").await;
    assert!(page.contains("Send again") && page.contains("You can ask for another code in"), "{page}");
    mail(&app, "mail@example.com", "sign-in code", 2).await;
    let res = post_form(&app, &client, "/sign-in/second-factor/email", &[]).await;
    assert_eq!(location(&res), "/sign-in/second-factor?method=email");
    let (_, page) = get(&app, &client, &location(&res)).await;
    assert!(page.contains("A code was sent a moment ago"), "{page}");
    app.clock.advance(time::Duration::seconds(61));
    let res = post_form(&app, &client, "/sign-in/second-factor/email", &[]).await;
    let (_, page) = get(&app, &client, &location(&res)).await;
    assert!(page.contains("We sent a six-digit code to mail@example.com."), "{page}");
    let sign_in_code = code_in(&mail(&app, "mail@example.com", "sign-in code", 3).await);
    assert_eq!(sent_to(&app, "mail@example.com", "sign-in code"), 4);
    let wrong = if sign_in_code == "000000" { "111111" } else { "000000" };
    let res = submit_code(&app, &client, "email", wrong).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("4 attempts left"));
    let res = submit_code(&app, &client, "email", &sign_in_code).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.core.sessions_of(id).await.unwrap()[0].amr, ["pwd", "email", "mfa"]);
    // A code is used once.
    let again = password_step(&app, "mail@example.com").await;
    assert_eq!(submit_code(&app, &again, "email", &sign_in_code).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn removing_a_method_or_making_new_recovery_codes_needs_a_sign_in_within_ten_minutes() {
    let app = TestApp::new().await;
    let id = active_user(&app, "re@example.com").await;
    let (secret, old_codes) = enrol_totp(&app, "re@example.com").await;
    let client = password_step(&app, "re@example.com").await;
    assert_eq!(submit_code(&app, &client, "totp", &app_code(&app, &secret)).await.status(), StatusCode::SEE_OTHER);

    app.clock.advance(time::Duration::minutes(11));
    for path in ["/account/two-factor/totp/remove", "/account/two-factor/recovery-codes"] {
        let res = post_form(&app, &client, path, &[]).await;
        assert_eq!(location(&res), "/account/reauthenticate?return_to=%2Faccount%2Ftwo-factor", "{path}");
    }
    assert!(app.core.mfa_status(id).await.unwrap().totp, "nothing removed");

    let res = post_form(
        &app,
        &client,
        "/account/reauthenticate",
        &[("password", "wrong password"), ("return_to", "/account/two-factor")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("That password is not right"));
    let res = post_form(
        &app,
        &client,
        "/account/reauthenticate",
        &[("password", PASSWORD), ("return_to", "/account/two-factor")],
    )
    .await;
    assert_eq!(location(&res), "/account/two-factor");

    let res = post_form(&app, &client, "/account/two-factor/recovery-codes", &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let new_codes = recovery_codes(&res.text().await.unwrap());
    assert_eq!(new_codes.len(), 10);
    assert!(new_codes.iter().all(|c| !old_codes.contains(c)));
    mail(&app, "re@example.com", "New recovery codes", 0).await;

    let res = post_form(&app, &client, "/account/two-factor/totp/remove", &[]).await;
    assert_eq!(location(&res), "/account/two-factor");
    let status = app.core.mfa_status(id).await.unwrap();
    assert!(!status.enabled() && status.recovery_codes_left == 0, "MFA off, recovery codes gone");
    mail(&app, "re@example.com", "Two-factor authentication changed", 1).await;
    let actions = audit_actions(&app, id).await;
    for a in ["session.reauthenticated", "mfa.recovery_codes_generated", "mfa.method_removed"] {
        assert!(actions.contains(&a.to_owned()), "{a} in {actions:?}");
    }
    // The password alone signs in again.
    password_only(&app, "re@example.com").await;
}

#[tokio::test]
async fn a_deployment_that_requires_mfa_leads_users_without_it_to_set_it_up_at_sign_in() {
    let app = app_with(|c| c.mfa.required = true).await;
    active_user(&app, "req@example.com").await;
    let client = app.client();
    let res =
        post_form(&app, &client, "/sign-in/password", &[("email", "req@example.com"), ("password", PASSWORD)]).await;
    assert_eq!(location(&res), "/account/two-factor");
    for path in ["/account/profile", "/account/security"] {
        let res = client.get(app.at(path)).send().await.unwrap();
        assert_eq!(location(&res), "/account/two-factor", "{path}");
    }
    let (status, page) = get(&app, &client, "/account/two-factor").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Your account needs two-factor authentication"), "{page}");
    let (_, secret, setup) = start_totp(&app, &client).await;
    let res = post_form(
        &app,
        &client,
        "/account/two-factor/totp/confirm",
        &[("setup", &setup), ("code", &app_code(&app, &secret))],
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    app.clock.advance(time::Duration::seconds(30));
    let client = password_step(&app, "req@example.com").await;
    assert_eq!(submit_code(&app, &client, "totp", &app_code(&app, &secret)).await.status(), StatusCode::SEE_OTHER);
    assert!(signed_in(&app, &client).await);
}

#[tokio::test]
async fn the_second_step_refuses_unknown_methods_and_methods_the_user_does_not_have() {
    let app = TestApp::new().await;
    active_user(&app, "m@example.com").await;
    enrol_totp(&app, "m@example.com").await;
    let client = password_step(&app, "m@example.com").await;
    for method in ["sms", "email", "passkey"] {
        let res = submit_code(&app, &client, method, "123456").await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{method}");
    }
    assert!(!signed_in(&app, &client).await);
    // Without a pending sign-in the step leads back to the start.
    let stranger = app.client();
    let res = submit_code(&app, &stranger, "totp", "123456").await;
    assert_eq!(location(&res), "/sign-in");
}

#[tokio::test]
async fn an_operator_reset_removes_every_factor_ends_sessions_and_tells_the_user() {
    let app = TestApp::new().await;
    let id = active_user(&app, "lost@example.com").await;
    enrol_totp(&app, "lost@example.com").await;
    let lost = app.core.user_by_email("lost@example.com").await.unwrap().id;
    let before = app
        .core
        .reset_mfa(keystead_core::organizations::Actor::Operator, lost, &keystead_core::audit::RequestMeta::cli())
        .await
        .unwrap();
    assert!(before.totp);
    assert!(!app.core.mfa_status(id).await.unwrap().enabled());
    mail(&app, "lost@example.com", "Two-factor authentication reset", 0).await;
    assert!(audit_actions(&app, id).await.contains(&"mfa.reset".to_owned()));
    password_only(&app, "lost@example.com").await;
}

#[tokio::test]
async fn reactivating_a_closed_account_with_a_second_factor_still_asks_for_it() {
    let app = TestApp::new().await;
    let id = active_user(&app, "back@example.com").await;
    let (secret, _) = enrol_totp(&app, "back@example.com").await;
    let client = password_step(&app, "back@example.com").await;
    assert_eq!(submit_code(&app, &client, "totp", &app_code(&app, &secret)).await.status(), StatusCode::SEE_OTHER);
    let res = post_form(&app, &client, "/account/close", &[("accept", "on"), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());

    app.clock.advance(time::Duration::days(1));
    let client = app.client();
    let res =
        post_form(&app, &client, "/sign-in/password", &[("email", "back@example.com"), ("password", PASSWORD)]).await;
    let html = res.text().await.unwrap();
    let form =
        [("csrf_token", input_value(&html, "csrf_token").unwrap()), ("token", input_value(&html, "token").unwrap())];
    let res = client.post(app.at("/sign-in/reactivate")).form(&form).send().await.unwrap();
    let res = client.get(app.at(&location(&res))).send().await.unwrap();
    assert!(location(&res).starts_with("/sign-in/second-factor"), "{}", location(&res));
    let stage = |app: &TestApp| {
        let core = app.core.clone();
        async move { core.sessions_of(id).await.unwrap().remove(0) }
    };
    assert_eq!(stage(&app).await.stage, SessionStage::SecondFactorPending);
    assert_eq!(submit_code(&app, &client, "totp", &app_code(&app, &secret)).await.status(), StatusCode::SEE_OTHER);
    let session = stage(&app).await;
    assert_eq!(
        (session.stage, session.amr.as_slice()),
        (SessionStage::Authenticated, &["pwd", "otp", "mfa"].map(String::from)[..])
    );
}

#[tokio::test]
async fn an_organization_that_requires_mfa_leads_its_members_to_set_it_up_at_sign_in() {
    use keystead_core::audit::RequestMeta;
    use keystead_core::organizations::{Actor, NewOrganization, OrganizationSettings};
    let app = app_with(|_| {}).await;
    let user = active_user(&app, "member@example.com").await;
    active_user(&app, "outsider@example.com").await;
    let meta = RequestMeta::cli();
    let new = NewOrganization { name: "Strict", slug: None, owner: None };
    let org = app.core.create_organization(Actor::Operator, new, &meta).await.unwrap().id;
    app.core.add_organization_member(Actor::Operator, org, user, "member", &meta).await.unwrap();
    let sign_in = |email: &'static str| {
        let app = &app;
        async move {
            let client = app.client();
            post_form(app, &client, "/sign-in/password", &[("email", email), ("password", PASSWORD)]).await
        }
    };
    assert_eq!(location(&sign_in("member@example.com").await), "/landing", "no rule yet");

    let strict = OrganizationSettings { require_mfa: true, ..OrganizationSettings::default() };
    app.core.update_organization_settings(Actor::Operator, org, strict, &meta).await.unwrap();
    assert_eq!(location(&sign_in("member@example.com").await), "/account/two-factor");
    assert_eq!(location(&sign_in("outsider@example.com").await), "/landing", "only the organization's members");
}

/// Turns on email codes for an active user through the pages (every session ends).
async fn enable_email_codes(app: &TestApp, email: &str) {
    let client = password_only(app, email).await;
    let before = sent_to(app, email, "sign-in code");
    post_form(app, &client, "/account/two-factor/email", &[]).await;
    let code = code_in(&mail(app, email, "sign-in code", before).await);
    let res = post_form(app, &client, "/account/two-factor/email/confirm", &[("code", &code)]).await;
    assert_eq!(res.status(), StatusCode::OK);
}

async fn get_in(app: &TestApp, client: &Client, path: &str, language: &str) -> (StatusCode, String) {
    let res = client.get(app.at(path)).header("accept-language", language).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

#[tokio::test]
async fn the_email_code_goes_out_when_the_second_step_is_first_shown_and_the_header_offers_no_sign_in() {
    let app = TestApp::new().await;
    active_user(&app, "arrive@example.com").await;
    enable_email_codes(&app, "arrive@example.com").await;
    assert_eq!(sent_to(&app, "arrive@example.com", "sign-in code"), 1);

    let client = password_step(&app, "arrive@example.com").await;
    let (status, page) = get(&app, &client, "/sign-in/second-factor").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let code = code_in(&mail(&app, "arrive@example.com", "sign-in code", 1).await);
    assert!(page.contains("We emailed a six-digit code to arrive@example.com"), "{page}");
    assert!(page.contains("You can ask for another code in 60 seconds."), "{page}");
    assert!(page.contains("Send again"), "{page}");
    // A code field for six digits, on the number pad, offered from the email by the phone.
    let field = between(&page, "<input id=\"code\"", ">").unwrap();
    assert!(field.contains("inputmode=\"numeric\"") && field.contains("autocomplete=\"one-time-code\""), "{field}");
    assert!(field.contains("class=\"one-time-code\""), "{field}");
    // The header does not offer to sign in or create an account in the middle of signing in.
    assert!(!page.contains("href=\"/register\""), "{page}");
    assert!(!page.contains("<a href=\"/sign-in\">Sign in</a>"), "{page}");

    // Shown again (a reload, another method and back, a minute later): no second email.
    get(&app, &client, "/sign-in/second-factor?method=email").await;
    app.clock.advance(time::Duration::seconds(61));
    let (_, page) = get(&app, &client, "/sign-in/second-factor").await;
    assert!(!page.contains("You can ask for another code in"), "the cooldown is over: {page}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sent_to(&app, "arrive@example.com", "sign-in code"), 2);

    let res = submit_code(&app, &client, "email", &code).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(signed_in(&app, &client).await);
}

#[tokio::test]
async fn the_second_step_and_my_account_security_pages_read_in_german_and_turkish() {
    let app = TestApp::new().await;
    active_user(&app, "sprache@example.com").await;
    enable_email_codes(&app, "sprache@example.com").await;

    // The second step, with a wrong code's message and its number of tries left translated.
    let client = password_step(&app, "sprache@example.com").await;
    let (_, page) = get_in(&app, &client, "/sign-in/second-factor", "de").await;
    assert!(page.contains("<html lang=\"de\">"), "{page}");
    assert!(page.contains("<h1 id=\"heading\">Bestätigung in zwei Schritten</h1>"), "{page}");
    assert!(page.contains("Erneut senden"), "{page}");
    let code = code_in(&mail(&app, "sprache@example.com", "sign-in code", 1).await);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let csrf = input_value(&page, "csrf_token").unwrap();
    let res = client
        .post(app.at("/sign-in/second-factor"))
        .header("accept-language", "tr")
        .form(&[("csrf_token", csrf.as_str()), ("method", "email"), ("code", wrong)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("<html lang=\"tr\">"), "{page}");
    assert!(page.contains("İki adımlı doğrulama"), "{page}");
    assert!(page.contains("Bu kod doğru değil. 4 deneme hakkınız kaldı."), "{page}");
    assert_eq!(submit_code(&app, &client, "email", &code).await.status(), StatusCode::SEE_OTHER);

    let pages = [
        ("/account/two-factor", "Zwei-Faktor-Authentifizierung", "İki adımlı doğrulama"),
        ("/account/security", "Sitzungen und Geräte", "Oturumlar ve cihazlar"),
        ("/account/password", "Passwort", "Parola"),
        ("/account/email", "E-Mail-Adresse", "E-posta adresi"),
    ];
    for (path, de, tr) in pages {
        let (status, page) = get_in(&app, &client, path, "de").await;
        assert_eq!(status, StatusCode::OK, "{path}: {page}");
        assert!(page.contains("<html lang=\"de\">"), "{path}: {page}");
        assert!(page.contains(&format!("\">{de}</h1>")), "{path}: {page}");
        let (_, page) = get_in(&app, &client, path, "tr").await;
        assert!(page.contains("<html lang=\"tr\">"), "{path}: {page}");
        assert!(page.contains(&format!("\">{tr}</h1>")), "{path}: {page}");
    }
    let (_, page) = get_in(&app, &client, "/account/security", "de").await;
    assert!(page.contains("Dieses Gerät") && page.contains("Bestätigung in zwei Schritten erfolgreich"), "{page}");
    let (_, page) = get_in(&app, &client, "/account/password", "tr").await;
    assert!(page.contains("Sıfırlama bağlantısı gönder"), "{page}");
}

#[tokio::test]
async fn send_reset_link_emails_the_user_a_link_to_set_their_password() {
    let app = TestApp::new().await;
    active_user(&app, "reset-own@example.com").await;
    let client = password_only(&app, "reset-own@example.com").await;
    let (_, page) = get(&app, &client, "/account/password").await;
    assert!(page.contains("Send reset link"), "{page}");
    let res = post_form(&app, &client, "/account/password/reset-link", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/account/password");
    let (_, page) = get(&app, &client, "/account/password").await;
    assert!(page.contains("We sent a link to reset-own@example.com. Open it to set your password."), "{page}");
    let sent = mail(&app, "reset-own@example.com", "Reset your Keystead password", 0).await;
    assert!(sent.links().iter().any(|l| l.contains("/password/reset?token=")), "{:?}", sent.links());
}
