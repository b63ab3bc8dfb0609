//! Sign-up, sign-in, sessions and password recovery through the pages a person uses: every form
//! posted with its CSRF token, every email read from the SMTP sink, time moved with the fake clock.
//! "Nothing was sent" is read from the outbox, which is complete once the request is answered.

use std::time::{Duration, Instant};

use keystead_core::accounts::admin::NewUser;
use keystead_core::accounts::sign_in::INVALID_CREDENTIALS;
use keystead_core::audit::RequestMeta;
use keystead_core::config::{Config, RegistrationMode};
use keystead_core::ids::UserId;
use keystead_testkit::smtp::ReceivedMail;
use keystead_testkit::{TestApp, TestAppOptions};
use reqwest::header::{COOKIE, LOCATION, RETRY_AFTER, SET_COOKIE};
use reqwest::{Client, Response, StatusCode};
use secrecy::SecretString;

pub(crate) const PASSWORD: &str = "quietly-orbiting-walrus-92";
const NEW_PASSWORD: &str = "lantern-meadow-copper-51";
const SIGNED_IN: &str = "You are signed in as";
const LINK_GONE: &str = "This link no longer works";
const MAIL_TIMEOUT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

async fn app_with(configure: impl FnOnce(&mut Config) + Send + 'static) -> TestApp {
    TestApp::start(TestAppOptions { configure: Some(Box::new(configure)), ..TestAppOptions::default() })
        .await
        .unwrap_or_else(|e| panic!("TestApp failed to start: {e:#}"))
}

fn minutes(n: i64) -> time::Duration {
    time::Duration::minutes(n)
}

/// The `value` of the first `<input>` called `name`, HTML entities decoded.
pub(crate) fn input_value(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\""))?;
    let start = html[..at].rfind('<')?;
    let end = at + html[at..].find('>')?;
    let tag = &html[start..end];
    let value = tag.find("value=\"")? + "value=\"".len();
    let len = tag[value..].find('"')?;
    Some(unescape(&tag[value..value + len]))
}

fn unescape(s: &str) -> String {
    [("&#x2f;", "/"), ("&#47;", "/"), ("&#x27;", "'"), ("&#39;", "'"), ("&quot;", "\""), ("&#34;", "\"")]
        .into_iter()
        .chain([("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")])
        .fold(s.to_owned(), |s, (entity, c)| s.replace(entity, c))
}

/// The page with the per-browser values (CSRF token, the address the person typed) blanked, to
/// compare two answers byte for byte.
fn neutral(html: &str, email: &str) -> String {
    let csrf = input_value(html, "csrf_token").unwrap();
    assert!(!csrf.is_empty());
    html.replace(&csrf, "CSRF").replace(email, "EMAIL")
}

async fn page(response: Response) -> (StatusCode, String) {
    let status = response.status();
    (status, response.text().await.unwrap())
}

pub(crate) async fn get(app: &TestApp, client: &Client, path: &str) -> (StatusCode, String) {
    page(client.get(app.at(path)).send().await.unwrap()).await
}

pub(crate) fn location(response: &Response) -> String {
    response.headers().get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

fn retry_after(response: &Response) -> u64 {
    let header = response.headers().get(RETRY_AFTER).unwrap_or_else(|| panic!("no Retry-After: {response:?}"));
    header.to_str().unwrap().parse().unwrap()
}

/// The value of the session cookie a response sets.
fn session_cookie(response: &Response) -> Option<String> {
    response.headers().get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|c| {
        let value = c.strip_prefix("keystead-session=")?.split(';').next()?;
        (!value.is_empty()).then(|| value.to_owned())
    })
}

/// The CSRF token of `client`'s cookie (GETting a form page sets the cookie when missing).
async fn csrf_token(app: &TestApp, client: &Client) -> String {
    let (_, html) = get(app, client, "/password/forgot").await;
    input_value(&html, "csrf_token").unwrap_or_else(|| panic!("no csrf_token on the page: {html}"))
}

/// Posts a form the way the browser would: with the CSRF token of its cookie.
pub(crate) async fn post_form(app: &TestApp, client: &Client, path: &str, fields: &[(&str, &str)]) -> Response {
    let token = csrf_token(app, client).await;
    let mut form = vec![("csrf_token", token.as_str())];
    form.extend_from_slice(fields);
    client.post(app.at(path)).form(&form).send().await.unwrap()
}

/// Both steps of the registration form; the answer to the second.
async fn register(app: &TestApp, client: &Client, email: &str, password: &str) -> Response {
    let (status, html) = page(post_form(app, client, "/register", &[("email", email)]).await).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Choose a password"), "{html}");
    post_form(app, client, "/register/password", &[("email", email), ("password", password)]).await
}

/// Opens the emailed confirmation link and presses its button; the answer to the button.
async fn confirm(app: &TestApp, client: &Client, mail: &ReceivedMail) -> Response {
    let (status, html) = page(client.get(link(mail, "/verify-email?token=")).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Confirm your email address"), "{html}");
    let token = input_value(&html, "token").unwrap();
    let csrf = input_value(&html, "csrf_token").unwrap();
    client.post(app.at("/verify-email")).form(&[("csrf_token", &csrf), ("token", &token)]).send().await.unwrap()
}

/// An active account created by the operator, with [`PASSWORD`] and the names the default
/// profile settings require (so that it is not sent to "complete your profile").
pub(crate) async fn active_user(app: &TestApp, email: &str) -> UserId {
    let new = NewUser {
        email,
        given_name: Some("Test"),
        family_name: Some("User"),
        verified: true,
        password: Some(SecretString::from(PASSWORD)),
    };
    app.core.create_user(new, &RequestMeta::cli()).await.unwrap().id
}

pub(crate) async fn sign_in(app: &TestApp, client: &Client, email: &str, password: &str) -> Response {
    post_form(app, client, "/sign-in/password", &[("email", email), ("password", password)]).await
}

/// A new browser signed in as `email`.
pub(crate) async fn signed_in_browser(app: &TestApp, email: &str, password: &str) -> Client {
    let client = app.client();
    let response = sign_in(app, &client, email, password).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{}", response.text().await.unwrap());
    assert_eq!(location(&response), "/landing");
    client
}

async fn home(app: &TestApp, client: &Client) -> String {
    let (status, html) = get(app, client, "/").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    html
}

async fn is_signed_in(app: &TestApp, client: &Client) -> bool {
    home(app, client).await.contains(SIGNED_IN)
}

/// The home page for a browser that has only this session cookie, set by hand.
async fn home_with_session(app: &TestApp, session: &str) -> String {
    let plain = Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let response = plain.get(app.at("/")).header(COOKIE, format!("keystead-session={session}")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

/// Waits for the `nth` (from 0) email to `to` whose subject contains `subject`.
pub(crate) async fn mail(app: &TestApp, to: &str, subject: &str, nth: usize) -> ReceivedMail {
    let deadline = Instant::now() + MAIL_TIMEOUT;
    loop {
        let matching = app
            .smtp
            .messages()
            .into_iter()
            .filter(|m| m.to() == [to] && m.subject().is_some_and(|s| s.contains(subject)));
        if let Some(found) = matching.into_iter().nth(nth) {
            return found;
        }
        if Instant::now() > deadline {
            let got: Vec<_> = app.smtp.messages().iter().map(|m| (m.to(), m.subject())).collect();
            panic!("no email #{nth} to {to} about {subject:?} within {MAIL_TIMEOUT:?}; received {got:?}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The link in `mail` whose URL contains `part`.
fn link(mail: &ReceivedMail, part: &str) -> String {
    let links = mail.links();
    links.iter().find(|l| l.contains(part)).cloned().unwrap_or_else(|| panic!("no {part} link in {links:?}"))
}

/// (recipient, subject) of every email queued so far, oldest first.
async fn outbox(app: &TestApp) -> Vec<(String, String)> {
    let jobs = app.core.outbox(1000).await.unwrap();
    let field = |job: &keystead_core::jobs::JobInfo, name: &str| {
        job.payload.get(name).and_then(|v| v.as_str()).unwrap_or_default().to_owned()
    };
    jobs.iter().map(|job| (field(job, "to"), field(job, "subject"))).collect()
}

/// How many queued emails to `to` have a subject containing `subject`.
async fn sent(app: &TestApp, to: &str, subject: &str) -> usize {
    outbox(app).await.iter().filter(|(t, s)| t == to && s.contains(subject)).count()
}

async fn audit_actions(app: &TestApp, user: UserId) -> Vec<String> {
    app.core.audit_events_for(user, 20).await.unwrap().into_iter().map(|e| e.action).collect()
}

// ---------------------------------------------------------------------------------------------
// Registration
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn registering_and_confirming_the_email_signs_the_user_in_and_is_audited() {
    let app = TestApp::new().await;
    let client = app.client();
    let (status, form) = get(&app, &client, "/register").await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("Create your account"), "{form}");

    let created = register(&app, &client, "ada@example.com", PASSWORD).await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&created), "/register/check-email");
    let (status, inbox) = get(&app, &client, "/register/check-email").await;
    assert_eq!(status, StatusCode::OK);
    assert!(inbox.contains("Check your inbox") && inbox.contains("ada@example.com"), "{inbox}");
    assert!(!is_signed_in(&app, &client).await, "signed in before confirming the address");

    let mail = mail(&app, "ada@example.com", "Confirm", 0).await;
    assert_eq!(mail.subject().as_deref(), Some("Confirm your email address for Keystead"));
    assert!(link(&mail, "/verify-email?token=").starts_with(&app.at("/verify-email?token=")));
    let confirmed = confirm(&app, &client, &mail).await;
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&confirmed), "/landing");
    assert!(session_cookie(&confirmed).is_some(), "{confirmed:?}");
    // A new account has no name yet (required by default): the profile step comes first.
    let step = client.get(app.at("/")).send().await.unwrap();
    assert_eq!(step.status(), StatusCode::SEE_OTHER);
    assert!(location(&step).starts_with("/complete-profile"), "{}", location(&step));
    let done =
        post_form(&app, &client, "/complete-profile", &[("given_name", "Ada"), ("family_name", "Lovelace")]).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER, "{}", done.text().await.unwrap());
    let home = home(&app, &client).await;
    assert!(home.contains(SIGNED_IN) && home.contains("Ada Lovelace"), "{home}");

    let user = app.core.user_by_email("ada@example.com").await.unwrap();
    let actions = audit_actions(&app, user.id).await;
    for expected in ["user.registered", "user.email_verified", "session.signed_in"] {
        assert!(actions.iter().any(|a| a == expected), "{expected} missing from {actions:?}");
    }
}

#[tokio::test]
async fn registering_an_existing_email_reveals_nothing_and_notifies_the_owner() {
    let app = TestApp::new().await;
    active_user(&app, "grace@example.com").await;

    let newcomer = app.client();
    let fresh = register(&app, &newcomer, "linus@example.com", PASSWORD).await;
    let impostor = app.client();
    let taken = register(&app, &impostor, "grace@example.com", PASSWORD).await;
    assert_eq!(fresh.status(), StatusCode::SEE_OTHER);
    assert_eq!((taken.status(), location(&taken)), (fresh.status(), location(&fresh)));
    let (fresh_status, fresh_page) = get(&app, &newcomer, "/register/check-email").await;
    let (taken_status, taken_page) = get(&app, &impostor, "/register/check-email").await;
    assert_eq!(fresh_status, taken_status);
    assert_eq!(neutral(&taken_page, "grace@example.com"), neutral(&fresh_page, "linus@example.com"));

    let notice = mail(&app, "grace@example.com", "account", 0).await;
    assert_eq!(notice.subject().as_deref(), Some("You already have a Keystead account"));
    assert!(notice.links().contains(&app.at("/sign-in")), "{:?}", notice.links());
    assert_eq!(sent(&app, "grace@example.com", "Confirm").await, 0);

    // Again within the hour (the address typed differently): the same page, no second notice.
    app.clock.advance(minutes(30));
    let again = register(&app, &app.client(), "Grace@Example.COM", PASSWORD).await;
    assert_eq!((again.status(), location(&again)), (fresh.status(), location(&fresh)));
    assert_eq!(sent(&app, "grace@example.com", "You already have").await, 1);
    // An hour after the notice the owner is told again.
    app.clock.advance(minutes(31));
    register(&app, &app.client(), "grace@example.com", PASSWORD).await;
    assert_eq!(sent(&app, "grace@example.com", "You already have").await, 2);
    assert_eq!(outbox(&app).await.iter().filter(|(_, s)| s.contains("Confirm")).count(), 1, "only linus's");
}

#[tokio::test]
async fn a_verification_link_works_once_and_for_24_hours() {
    let app = TestApp::new().await;
    let early = app.client();
    register(&app, &early, "ada@example.com", PASSWORD).await;
    let late = app.client();
    register(&app, &late, "grace@example.com", PASSWORD).await;
    let ada_mail = mail(&app, "ada@example.com", "Confirm", 0).await;
    let grace_mail = mail(&app, "grace@example.com", "Confirm", 0).await;

    app.clock.advance(time::Duration::hours(23));
    assert_eq!(confirm(&app, &early, &ada_mail).await.status(), StatusCode::SEE_OTHER);
    let (status, html) = page(confirm(&app, &app.client(), &ada_mail).await).await;
    assert_eq!(status, StatusCode::GONE, "a used link: {html}");
    assert!(html.contains(LINK_GONE), "{html}");

    app.clock.advance(time::Duration::hours(2));
    let (status, html) = page(confirm(&app, &late, &grace_mail).await).await;
    assert_eq!(status, StatusCode::GONE, "a 25-hour-old link: {html}");
    assert!(html.contains(LINK_GONE) && html.contains("action=\"/register/resend\""), "{html}");
    assert!(!is_signed_in(&app, &late).await);
}

#[tokio::test]
async fn the_return_to_given_at_registration_is_where_the_confirmation_link_leads_when_local() {
    let app = TestApp::new().await;
    for (email, return_to, expected) in [
        ("ada@example.com", "/somewhere?x=1", "/somewhere?x=1"),
        ("grace@example.com", "https://evil.example", "/landing"),
        ("linus@example.com", "//evil.example", "/landing"),
    ] {
        let client = app.client();
        let fields = [("email", email), ("password", PASSWORD), ("return_to", return_to)];
        let created = post_form(&app, &client, "/register/password", &fields).await;
        assert_eq!(created.status(), StatusCode::SEE_OTHER);
        let confirmed = confirm(&app, &client, &mail(&app, email, "Confirm", 0).await).await;
        assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&confirmed), expected, "return_to={return_to}");
    }
}

#[tokio::test]
async fn each_broken_password_rule_is_reported_and_nothing_is_created() {
    let app = TestApp::new().await;
    let client = app.client();
    let short = "Use at least 10 characters.";
    let common = "This password is too common";
    let personal = "Do not use your email address in your password.";
    for (email, password, message) in [
        ("ada@example.com", "tiny-pw7", short),
        ("ada@example.com", "password1234", common),
        ("marguerite@example.com", "marguerite-in-paris-1903", personal),
    ] {
        let (status, html) = page(register(&app, &client, email, password).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{password}: {html}");
        assert!(html.contains("Choose a password") && html.contains(message), "{password}: {html}");
    }
    // A password breaking all three rules gets the three messages together.
    let (status, html) = page(register(&app, &client, "password@example.com", "password1").await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [short, common, personal] {
        assert!(html.contains(message), "{message} missing: {html}");
    }

    assert!(outbox(&app).await.is_empty(), "{:?}", outbox(&app).await);
    for (email, password) in [("ada@example.com", "password1234"), ("password@example.com", "password1")] {
        assert!(app.core.user_by_email(email).await.is_err(), "{email} was created");
        let (status, html) = page(sign_in(&app, &client, email, password).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains(INVALID_CREDENTIALS), "{html}");
    }
}

#[tokio::test]
async fn a_deployment_that_requires_work_addresses_refuses_free_mail_addresses() {
    let app = app_with(|c| c.registration.require_work_email = true).await;
    let client = app.client();
    let message = "Use your company email address";
    let (status, html) = page(post_form(&app, &client, "/register", &[("email", "someone@gmail.com")]).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(message), "{html}");
    // Skipping the first step does not get round it.
    let fields = [("email", "someone@gmail.com"), ("password", PASSWORD)];
    let (status, html) = page(post_form(&app, &client, "/register/password", &fields).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(message), "{html}");
    assert!(app.core.user_by_email("someone@gmail.com").await.is_err());
    assert!(outbox(&app).await.is_empty());

    let (status, html) =
        page(post_form(&app, &client, "/register", &[("email", "someone@acme-works.com")]).await).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Choose a password"), "{html}");
}

#[tokio::test]
async fn an_invitation_only_deployment_says_so_and_creates_no_account() {
    let app = app_with(|c| c.registration.mode = RegistrationMode::InviteOnly).await;
    let client = app.client();
    let message = "Registration is by invitation only";
    let (status, html) = get(&app, &client, "/register").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(message) && !html.contains("action=\"/register\""), "{html}");

    let (status, html) = page(post_form(&app, &client, "/register", &[("email", "ada@example.com")]).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains(message), "{html}");
    // Posting the second step directly is refused the same way.
    let fields = [("email", "ada@example.com"), ("password", PASSWORD)];
    let (status, html) = page(post_form(&app, &client, "/register/password", &fields).await).await;
    assert!(app.core.user_by_email("ada@example.com").await.is_err());
    assert!(outbox(&app).await.is_empty());
    assert_eq!(status, StatusCode::FORBIDDEN, "{html}");
    assert!(html.contains(message), "{html}");
}

// ---------------------------------------------------------------------------------------------
// Sign-in
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn wrong_password_unknown_email_and_unconfirmed_account_get_the_same_answer() {
    let app = TestApp::new().await;
    active_user(&app, "ada@example.com").await;
    let pending = app.client();
    register(&app, &pending, "pending@example.com", PASSWORD).await;
    let first_link = mail(&app, "pending@example.com", "Confirm", 0).await;

    let client = app.client();
    let (wrong_status, wrong) = page(sign_in(&app, &client, "ada@example.com", "not-the-password-at-all").await).await;
    let (unknown_status, unknown) = page(sign_in(&app, &client, "nobody@example.com", PASSWORD).await).await;
    let (unconfirmed_status, unconfirmed) = page(sign_in(&app, &client, "pending@example.com", PASSWORD).await).await;
    assert_eq!(wrong_status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown_status, wrong_status);
    assert_eq!(unconfirmed_status, wrong_status);
    assert!(wrong.contains(INVALID_CREDENTIALS), "{wrong}");
    // Byte for byte the same, apart from the address the person typed.
    let wrong = wrong.replace("ada@example.com", "EMAIL");
    assert_eq!(unknown.replace("nobody@example.com", "EMAIL"), wrong);
    assert_eq!(unconfirmed.replace("pending@example.com", "EMAIL"), wrong);

    // The owner of the unconfirmed account gets a fresh link, and the earlier one is retired.
    let fresh_link = mail(&app, "pending@example.com", "Confirm", 1).await;
    assert_ne!(link(&first_link, "token="), link(&fresh_link, "token="));
    assert_eq!(confirm(&app, &pending, &first_link).await.status(), StatusCode::GONE);
    assert_eq!(confirm(&app, &pending, &fresh_link).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(sent(&app, "ada@example.com", "").await, 0, "a single wrong password sends nothing");
}

#[tokio::test]
async fn sign_in_ignores_a_return_to_off_the_site_and_honours_a_local_one() {
    let app = TestApp::new().await;
    active_user(&app, "ada@example.com").await;
    for (return_to, expected) in [
        ("//evil.example", "/landing"),
        ("https://evil.example", "/landing"),
        ("/\\evil.example", "/landing"),
        ("/somewhere?x=1", "/somewhere?x=1"),
    ] {
        let client = app.client();
        let mut url = url::Url::parse(&app.at("/sign-in")).unwrap();
        url.query_pairs_mut().append_pair("return_to", return_to);
        let (status, html) = page(client.get(url).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::OK);
        let kept = (expected != "/landing").then(|| expected.to_owned());
        assert_eq!(input_value(&html, "return_to"), kept, "sign-in page, return_to={return_to}");

        let step_one = [("email", "ada@example.com"), ("return_to", return_to)];
        let (status, html) = page(post_form(&app, &client, "/sign-in", &step_one).await).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(input_value(&html, "return_to"), kept, "password page, return_to={return_to}");

        let fields = [("email", "ada@example.com"), ("password", PASSWORD), ("return_to", return_to)];
        let signed_in = post_form(&app, &client, "/sign-in/password", &fields).await;
        assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&signed_in), expected, "return_to={return_to}");
    }
}

#[tokio::test]
async fn a_disabled_account_cannot_sign_in_and_is_not_shown_an_error_page() {
    let app = TestApp::new().await;
    active_user(&app, "ada@example.com").await;
    let browser = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let ada = app.core.user_by_email("ada@example.com").await.unwrap().id;
    app.core.disable_user(keystead_core::organizations::Actor::Operator, ada, &RequestMeta::cli()).await.unwrap();
    assert!(!is_signed_in(&app, &browser).await, "disabling ends the sessions");

    let (status, html) = page(sign_in(&app, &app.client(), "ada@example.com", PASSWORD).await).await;
    assert!(status.is_client_error(), "a disabled account with the right password: {status} {html}");
    assert!(!html.contains("Something went wrong"), "{html}");
}

// ---------------------------------------------------------------------------------------------
// Rate limits
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_sixth_failed_sign_in_in_15_minutes_is_refused_even_with_the_right_password_until_the_pause_ends() {
    let app = TestApp::new().await;
    active_user(&app, "ada@example.com").await;
    let client = app.client();
    // Five failures spread over 12 minutes; the sixth attempt follows the fifth at once.
    for attempt in 1..=5 {
        if attempt > 1 {
            app.clock.advance(minutes(3));
        }
        let response = sign_in(&app, &client, "ada@example.com", "not-the-password-at-all").await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "attempt {attempt}");
    }
    // The address typed differently is the same account, and as locked.
    let locked = sign_in(&app, &client, " ADA@Example.com ", PASSWORD).await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait = retry_after(&locked);
    assert!((1..=900).contains(&wait), "Retry-After: {wait}");
    let (_, html) = page(locked).await;
    assert!(html.starts_with("<!doctype html>") && html.contains("Too many attempts"), "{html}");
    assert!(!is_signed_in(&app, &client).await);

    let notice = mail(&app, "ada@example.com", "failed sign-ins", 0).await;
    assert_eq!(notice.subject().as_deref(), Some("Several failed sign-ins to your Keystead account"));
    let again = sign_in(&app, &client, "ada@example.com", "not-the-password-at-all").await;
    assert_eq!(again.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(sent(&app, "ada@example.com", "failed sign-ins").await, 1, "the owner is told once");

    app.clock.advance(time::Duration::seconds(i64::try_from(wait).unwrap() + 1));
    let signed_in = sign_in(&app, &client, "ada@example.com", PASSWORD).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert!(is_signed_in(&app, &client).await);
}

#[tokio::test]
async fn repeated_failures_for_an_unknown_address_are_throttled_the_same_way() {
    let app = TestApp::new().await;
    active_user(&app, "ada@example.com").await;
    let client = app.client();
    for email in ["ada@example.com", "nobody@example.com"] {
        for attempt in 1..=5 {
            let response = sign_in(&app, &client, email, "not-the-password-at-all").await;
            assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{email} attempt {attempt}");
        }
        let locked = sign_in(&app, &client, email, "not-the-password-at-all").await;
        assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS, "{email}");
        assert_eq!(retry_after(&locked), 30, "{email}");
        assert!(page(locked).await.1.contains("Too many attempts"), "{email}");
    }
}

#[tokio::test]
async fn asking_for_a_new_confirmation_link_answers_the_same_whatever_the_address() {
    let app = TestApp::new().await;
    active_user(&app, "ada@example.com").await;
    register(&app, &app.client(), "pending@example.com", PASSWORD).await;
    let mut answers = Vec::new();
    for email in ["pending@example.com", "ada@example.com", "nobody@example.com"] {
        let client = app.client();
        let response = post_form(&app, &client, "/register/resend", &[("email", email)]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{email}");
        assert_eq!(location(&response), "/register/check-email");
        let (_, html) = get(&app, &client, "/register/check-email").await;
        answers.push(neutral(&html, email));
    }
    assert!(answers.iter().all(|a| a == &answers[0] && a.contains("a new link is on its way")), "{answers:?}");
    let confirmations: Vec<_> = outbox(&app).await.into_iter().filter(|(_, s)| s.contains("Confirm")).collect();
    assert!(confirmations.iter().all(|(to, _)| to == "pending@example.com"), "{confirmations:?}");
    assert_eq!(confirmations.len(), 2, "registration and one resend");
}

#[tokio::test]
async fn the_address_is_compared_without_case_or_surrounding_spaces_at_sign_in() {
    let app = TestApp::new().await;
    active_user(&app, "ada@example.com").await;
    let client = app.client();
    let response = sign_in(&app, &client, "  ADA@Example.COM ", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(home(&app, &client).await.contains("ada@example.com"));
}

#[tokio::test]
async fn asking_for_the_confirmation_link_twice_within_a_minute_is_answered_429_with_a_wait_message() {
    let app = TestApp::new().await;
    let client = app.client();
    register(&app, &client, "pending@example.com", PASSWORD).await;
    let resend = || post_form(&app, &client, "/register/resend", &[("email", "pending@example.com")]);

    let first = resend().await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&first), "/register/check-email");
    let (_, html) = get(&app, &client, "/register/check-email").await;
    assert!(html.contains("a new link is on its way"), "{html}");

    let second = resend().await;
    assert_eq!(second.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!((1..=60).contains(&retry_after(&second)));
    let (_, html) = page(second).await;
    assert!(html.contains("Please wait") && html.contains("seconds before asking for another link"), "{html}");
    assert_eq!(sent(&app, "pending@example.com", "Confirm").await, 2, "registration and one resend");

    app.clock.advance(time::Duration::seconds(61));
    assert_eq!(resend().await.status(), StatusCode::SEE_OTHER);
    assert_eq!(sent(&app, "pending@example.com", "Confirm").await, 3);
}

#[tokio::test]
async fn sign_in_attempts_from_one_address_are_limited_per_ip() {
    let app = app_with(|c| c.rate_limits.sign_in_per_ip = 3).await;
    active_user(&app, "ada@example.com").await;
    let client = app.client();
    for email in ["one@example.com", "two@example.com", "three@example.com"] {
        assert_eq!(sign_in(&app, &client, email, PASSWORD).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let limited = sign_in(&app, &client, "ada@example.com", PASSWORD).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!((1..=300).contains(&retry_after(&limited)));
    assert!(page(limited).await.1.contains("Too many attempts"));
    // A forged X-Forwarded-For from an untrusted peer does not get round it.
    let token = csrf_token(&app, &client).await;
    let fields = [("csrf_token", token.as_str()), ("email", "ada@example.com"), ("password", PASSWORD)];
    let spoofed = client.post(app.at("/sign-in/password")).header("x-forwarded-for", "203.0.113.9").form(&fields);
    assert_eq!(spoofed.send().await.unwrap().status(), StatusCode::TOO_MANY_REQUESTS);

    app.clock.advance(minutes(5) + time::Duration::seconds(1));
    assert_eq!(sign_in(&app, &client, "ada@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
}

// ---------------------------------------------------------------------------------------------
// Password reset and expiry
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn asking_for_a_reset_link_answers_the_same_for_known_and_unknown_addresses() {
    let app = TestApp::new().await;
    active_user(&app, "ada@example.com").await;
    let client = app.client();
    let (known_status, known) =
        page(post_form(&app, &client, "/password/forgot", &[("email", "ada@example.com")]).await).await;
    let (unknown_status, unknown) =
        page(post_form(&app, &client, "/password/forgot", &[("email", "nobody@example.com")]).await).await;
    assert_eq!(known_status, StatusCode::OK);
    assert_eq!(unknown_status, known_status);
    assert!(known.contains("Check your inbox"), "{known}");
    assert_eq!(known.replace("ada@example.com", "EMAIL"), unknown.replace("nobody@example.com", "EMAIL"));
    assert_eq!(outbox(&app).await, [("ada@example.com".to_owned(), "Reset your Keystead password".to_owned())]);
}

#[tokio::test]
async fn a_reset_link_works_once_ends_every_session_and_the_new_password_signs_in() {
    let app = TestApp::new().await;
    active_user(&app, "ada@example.com").await;
    let old_browser = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let browser = app.client();
    post_form(&app, &browser, "/password/forgot", &[("email", "ada@example.com")]).await;
    let url = link(&mail(&app, "ada@example.com", "Reset your Keystead password", 0).await, "/password/reset?token=");

    let (status, form) = page(browser.get(&url).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("Choose a new password") && form.contains("ada@example.com"), "{form}");
    let token = input_value(&form, "token").unwrap();
    let csrf = input_value(&form, "csrf_token").unwrap();
    let fields = [("csrf_token", csrf.as_str()), ("token", token.as_str()), ("password", "short")];
    let (status, html) = page(browser.post(app.at("/password/reset")).form(&fields).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Use at least 10 characters.") && html.contains(&token), "{html}");
    let fields = [("csrf_token", csrf.as_str()), ("token", token.as_str()), ("password", NEW_PASSWORD)];
    let reset = browser.post(app.at("/password/reset")).form(&fields).send().await.unwrap();
    assert_eq!(reset.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&reset), "/sign-in");

    assert!(!is_signed_in(&app, &old_browser).await, "the old session survived the reset");
    mail(&app, "ada@example.com", "Your Keystead password was changed", 0).await;
    let old = sign_in(&app, &browser, "ada@example.com", PASSWORD).await;
    assert_eq!(old.status(), StatusCode::UNPROCESSABLE_ENTITY);
    signed_in_browser(&app, "ada@example.com", NEW_PASSWORD).await;

    // The link is used up.
    let (status, html) = page(browser.get(&url).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(html.contains(LINK_GONE) && !html.contains("name=\"token\""), "{html}");
    let fields = [("csrf_token", csrf.as_str()), ("token", token.as_str()), ("password", "another-fine-passphrase-7")];
    let (status, html) = page(browser.post(app.at("/password/reset")).form(&fields).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(html.contains(LINK_GONE), "{html}");
}

#[tokio::test]
async fn a_reset_link_older_than_an_hour_no_longer_works() {
    let app = TestApp::new().await;
    active_user(&app, "ada@example.com").await;
    let browser = app.client();
    post_form(&app, &browser, "/password/forgot", &[("email", "ada@example.com")]).await;
    let url = link(&mail(&app, "ada@example.com", "Reset", 0).await, "/password/reset?token=");
    let (_, form) = page(browser.get(&url).send().await.unwrap()).await;
    let token = input_value(&form, "token").unwrap();

    app.clock.advance(minutes(61));
    let (status, html) = page(browser.get(&url).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(html.contains(LINK_GONE), "{html}");
    let fields = [("token", token.as_str()), ("password", NEW_PASSWORD)];
    let (status, html) = page(post_form(&app, &browser, "/password/reset", &fields).await).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(html.contains(LINK_GONE), "{html}");
    signed_in_browser(&app, "ada@example.com", PASSWORD).await;
}

#[tokio::test]
async fn an_expired_password_must_be_replaced_before_anything_else_and_not_by_itself() {
    let app = app_with(|c| {
        c.password_policy.max_age_days = Some(90);
        c.password_policy.history = 3;
    })
    .await;
    active_user(&app, "ada@example.com").await;
    app.clock.advance(time::Duration::days(91));
    let client = app.client();
    let signed_in = sign_in(&app, &client, "ada@example.com", PASSWORD).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&signed_in), "/password/expired");
    let home = client.get(app.at("/")).send().await.unwrap();
    assert_eq!((home.status(), location(&home)), (StatusCode::SEE_OTHER, "/password/expired".to_owned()));

    let (status, form) = get(&app, &client, "/password/expired").await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("Your password has expired") && form.contains("ada@example.com"), "{form}");
    let (status, html) = page(post_form(&app, &client, "/password/expired", &[("password", PASSWORD)]).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("you have not used before"), "{html}");
    let (status, html) = page(post_form(&app, &client, "/password/expired", &[("password", "short")]).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Use at least 10 characters."), "{html}");

    let changed = post_form(&app, &client, "/password/expired", &[("password", NEW_PASSWORD)]).await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&changed), "/landing");
    let home = self::home(&app, &client).await;
    assert!(home.contains(SIGNED_IN) && home.contains("Your new password is saved."), "{home}");
    mail(&app, "ada@example.com", "Your Keystead password was changed", 0).await;
    signed_in_browser(&app, "ada@example.com", NEW_PASSWORD).await;
    let old = sign_in(&app, &app.client(), "ada@example.com", PASSWORD).await;
    assert_eq!(old.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

// ---------------------------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn signing_out_ends_the_session_so_its_cookie_no_longer_works() {
    let app = TestApp::new().await;
    let user = active_user(&app, "ada@example.com").await;
    let client = app.client();
    let signed_in = sign_in(&app, &client, "ada@example.com", PASSWORD).await;
    let cookie = session_cookie(&signed_in).unwrap();
    assert!(home_with_session(&app, &cookie).await.contains(SIGNED_IN));

    let csrf = input_value(&home(&app, &client).await, "csrf_token").unwrap();
    let out = client.post(app.at("/sign-out")).form(&[("csrf_token", csrf.as_str())]).send().await.unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&out), "/sign-in");
    let (_, sign_in_page) = get(&app, &client, "/sign-in").await;
    assert!(sign_in_page.contains("You are signed out."), "{sign_in_page}");
    assert!(!is_signed_in(&app, &client).await);
    let replayed = home_with_session(&app, &cookie).await;
    assert!(!replayed.contains(SIGNED_IN), "the old cookie still works: {replayed}");
    assert!(audit_actions(&app, user).await.iter().any(|a| a == "session.signed_out"));
}

#[tokio::test]
async fn a_session_expires_after_14_idle_days_and_each_use_extends_it() {
    let app = TestApp::new().await;
    active_user(&app, "ada@example.com").await;
    let used = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let idle = signed_in_browser(&app, "ada@example.com", PASSWORD).await;

    app.clock.advance(time::Duration::days(10));
    assert!(is_signed_in(&app, &used).await, "day 10");
    app.clock.advance(time::Duration::days(4) + minutes(1));
    assert!(!is_signed_in(&app, &idle).await, "untouched for 14 days");
    app.clock.advance(time::Duration::days(6));
    assert!(is_signed_in(&app, &used).await, "day 20, last used on day 10 and 14");
    app.clock.advance(time::Duration::days(14) + minutes(1));
    assert!(!is_signed_in(&app, &used).await, "14 days after its last use");
}

// ---------------------------------------------------------------------------------------------
// Bad input
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn malformed_email_addresses_are_refused_with_a_message_saying_what_is_wrong() {
    let app = TestApp::new().await;
    let client = app.client();
    let long = format!("{}@example.com", "a".repeat(288));
    assert_eq!(long.len(), 300);
    for (input, message) in [
        ("", "Enter your email address."),
        (long.as_str(), "An email address has at most 254 characters."),
        ("ada.example.com", "Enter an email address with an @, such as name@example.com."),
    ] {
        for path in ["/register", "/sign-in", "/password/forgot"] {
            let (status, html) = page(post_form(&app, &client, path, &[("email", input)]).await).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path} {input:?}: {html}");
            assert!(html.contains(message), "{path} {input:?}: {html}");
        }
    }
    assert!(outbox(&app).await.is_empty());
}

#[tokio::test]
async fn a_malformed_address_posted_straight_to_a_second_step_is_refused_with_its_message() {
    let app = TestApp::new().await;
    let client = app.client();
    for path in ["/register/password", "/sign-in/password"] {
        for (input, message) in
            [("", "Enter your email address."), ("ada.example.com", "Enter an email address with an @")]
        {
            let fields = [("email", input), ("password", PASSWORD)];
            let (status, html) = page(post_form(&app, &client, path, &fields).await).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path} {input:?}: {html}");
            assert!(html.contains(message), "{path} {input:?}: the message is not shown: {html}");
        }
    }
}

#[tokio::test]
async fn a_ten_thousand_character_password_is_refused_as_too_long_at_once() {
    let app = TestApp::new().await;
    let client = app.client();
    let huge = "correct horse ".repeat(715);
    assert!(huge.len() >= 10_000);
    let token = csrf_token(&app, &client).await;
    let fields = [("csrf_token", token.as_str()), ("email", "ada@example.com"), ("password", huge.as_str())];
    let started = Instant::now();
    let response = client.post(app.at("/register/password")).form(&fields).send().await.unwrap();
    let took = started.elapsed();
    let (status, html) = page(response).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Use at most 128 characters."), "{html}");
    // Refused on its length alone: no other rule ran, and the password is not echoed.
    assert!(!html.contains("Use at least") && !html.contains("too common") && !html.contains("horse"), "{html}");
    assert!(took < Duration::from_secs(2), "took {took:?}");
    assert!(app.core.user_by_email("ada@example.com").await.is_err());
}

#[tokio::test]
async fn every_form_without_its_csrf_token_is_refused() {
    let app = TestApp::new().await;
    active_user(&app, "ada@example.com").await;
    let client = app.client();
    csrf_token(&app, &client).await; // the cookie is there; only the field is missing
    let email = ("email", "new@example.com");
    let password = ("password", PASSWORD);
    let token = ("token", "abc");
    let forms: [(&str, Vec<(&str, &str)>); 10] = [
        ("/register", vec![email]),
        ("/register/password", vec![email, password]),
        ("/register/resend", vec![email]),
        ("/verify-email", vec![token]),
        ("/sign-in", vec![email]),
        ("/sign-in/password", vec![("email", "ada@example.com"), password]),
        ("/sign-out", vec![]),
        ("/password/forgot", vec![("email", "ada@example.com")]),
        ("/password/reset", vec![token, password]),
        ("/password/expired", vec![password]),
    ];
    for (path, fields) in forms {
        let (status, html) = page(client.post(app.at(path)).form(&fields).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {html}");
        assert!(html.contains("This form has expired"), "{path}: {html}");
    }
    assert!(app.core.user_by_email("new@example.com").await.is_err());
    assert!(outbox(&app).await.is_empty());
    assert!(!is_signed_in(&app, &client).await);
}

// ---------------------------------------------------------------------------------------------
// Languages
// ---------------------------------------------------------------------------------------------

/// A browser whose `Accept-Language` is `lang`.
fn browser_in(lang: &str) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::ACCEPT_LANGUAGE, reqwest::header::HeaderValue::from_str(lang).unwrap());
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_sign_in_registration_and_recovery_pages_speak_german_and_turkish() {
    let app = TestApp::new().await;
    let pages: [(&str, &str, [&str; 2]); 6] = [
        ("/sign-in", "<h1 id=\"heading\">", ["Anmelden</h1>", "Giriş yap</h1>"]),
        ("/register", "<h1 id=\"heading\">", ["Konto erstellen</h1>", "Hesabınızı oluşturun</h1>"]),
        ("/password/forgot", "<h1 id=\"heading\">", ["Passwort vergessen?</h1>", "Parolanızı mı unuttunuz?</h1>"]),
        (
            "/verify-email",
            "<h1 id=\"heading\">",
            ["Dieser Link funktioniert nicht mehr</h1>", "Bu bağlantı artık geçerli değil</h1>"],
        ),
        ("/", "<h1>", ["Keystead-Konten</h1>", "Keystead hesapları</h1>"]),
        ("/no-such-page", "<h1 id=\"error-heading\">", ["Seite nicht gefunden</h1>", "Sayfa bulunamadı</h1>"]),
    ];
    for (i, lang) in ["de", "tr"].into_iter().enumerate() {
        let client = browser_in(lang);
        for (path, open, headings) in &pages {
            let (_, html) = get(&app, &client, path).await;
            assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{lang} {path}: {html}");
            let heading = format!("{open}{}", headings[i]);
            let heading = heading.replace("Keystead", app.core.site_name());
            assert!(html.contains(&heading), "{lang} {path}: {heading} missing: {html}");
        }
    }
    // The email step's errors and the password step in German.
    let client = browser_in("de-DE,de;q=0.9,en;q=0.5");
    let (status, html) = page(post_form(&app, &client, "/register", &[("email", "ada")]).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Geben Sie eine E-Mail-Adresse mit @ ein"), "{html}");
    let (_, html) = page(post_form(&app, &client, "/register", &[("email", "ada@example.com")]).await).await;
    assert!(html.contains("Passwort wählen") && html.contains("<li>Mindestens 10 Zeichen</li>"), "{html}");
}

#[tokio::test]
async fn a_broken_password_rule_is_explained_in_german_and_turkish() {
    let app = TestApp::new().await;
    for (lang, messages) in [
        ("de", ["Verwenden Sie mindestens 10 Zeichen.", "Verwenden Sie Ihre E-Mail-Adresse nicht in Ihrem Passwort."]),
        ("tr", ["En az 10 karakter kullanın.", "Parolanızda e-posta adresinizi kullanmayın."]),
    ] {
        let client = browser_in(lang);
        let fields = [("email", "mia@example.com"), ("password", "mia-1234")];
        let (status, html) = page(post_form(&app, &client, "/register/password", &fields).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
        for message in messages {
            assert!(html.contains(message), "{lang}: {message} missing: {html}");
        }
        assert!(!html.contains("Use at least 10 characters."), "{html}");
    }
}

#[tokio::test]
async fn the_password_hint_lists_the_deployments_rules_once_and_describes_the_field() {
    let app = app_with(|c| {
        c.password_policy.min_length = 12;
        c.password_policy.require_digit = true;
    })
    .await;
    let client = app.client();
    let (_, html) = page(post_form(&app, &client, "/register", &[("email", "ada@acme-works.com")]).await).await;
    for rule in
        ["At least 12 characters", "A digit (0–9)", "Not a commonly used password", "None of your personal data"]
    {
        assert_eq!(html.matches(rule).count(), 1, "{rule}: {html}");
    }
    assert!(!html.contains("An uppercase letter"), "{html}");
    assert!(html.contains("aria-describedby=\"password-hint\"") && html.contains("id=\"password-hint\""), "{html}");
    assert!(html.contains("type=\"password\"") && html.contains("data-reveal=\"Show\""), "{html}");
    assert!(html.contains("<script src=\"/static/auth-password.js?v="), "{html}");
    let (status, js) = get(&app, &client, "/static/auth-password.js").await;
    assert_eq!(status, StatusCode::OK);
    assert!(js.contains("data-reveal"), "{js}");

    // A refused password: its errors join the hint in the description, the hint still shows once.
    let fields = [("email", "ada@acme-works.com"), ("password", "short")];
    let (status, html) = page(post_form(&app, &client, "/register/password", &fields).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("aria-describedby=\"password-hint password-error\""), "{html}");
    assert_eq!(html.matches("At least 12 characters").count(), 1, "{html}");
    assert!(html.contains("Use at least 12 characters.") && html.contains("Add at least one digit (0–9)."), "{html}");
}

#[tokio::test]
async fn a_free_mail_address_is_warned_about_before_the_password_and_may_continue() {
    let app = TestApp::new().await;
    let client = app.client();
    let warning = "Licenses are tied to your work address";
    let (status, html) = page(post_form(&app, &client, "/register", &[("email", "someone@gmail.com")]).await).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(warning) && html.contains("someone@gmail.com is a personal address"), "{html}");
    assert!(html.contains("Continue anyway") && html.contains("href=\"/register\">Use another address"), "{html}");
    assert!(!html.contains("name=\"password\""), "the password form waits: {html}");

    // "Continue anyway": the password form as usual, and the account is created.
    let fields = [("email", "someone@gmail.com"), ("personal_address", "1")];
    let (status, html) = page(post_form(&app, &client, "/register", &fields).await).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("name=\"password\"") && !html.contains(warning), "{html}");
    let fields = [("email", "someone@gmail.com"), ("password", PASSWORD)];
    let response = post_form(&app, &client, "/register/password", &fields).await;
    assert_eq!(location(&response), "/register/check-email");

    // A work address sees no warning; nor does the German page lack one for free mail.
    let (_, html) = page(post_form(&app, &client, "/register", &[("email", "ada@acme-works.com")]).await).await;
    assert!(!html.contains(warning) && html.contains("name=\"password\""), "{html}");
    let (_, html) = page(post_form(&app, &browser_in("de"), "/register", &[("email", "x@gmail.com")]).await).await;
    assert!(html.contains("x@gmail.com ist eine private Adresse") && html.contains("Trotzdem fortfahren"), "{html}");
}
