//! Social sign-in end to end over HTTP. The Google preset is pointed at a second Keystead (an
//! OpenID provider, as Google is: the presets differ only in URLs and claims); the GitHub preset
//! at the test kit's stand-in for GitHub's OAuth endpoints and user API. Covered: the buttons,
//! an account made just in time (verified, no organization), linking an existing account by a
//! verified address, `registration.require_work_email`, invite-only registration, GitHub's
//! verified-address rule and its refused code, and an organization's own SSO taking precedence.

use keystead_core::accounts::admin::NewUser;
use keystead_core::audit::RequestMeta;
use keystead_core::config::{Config, RegistrationMode, SocialOidc};
use keystead_core::oauth::ClientKind;
use keystead_core::organizations::Actor;
use keystead_testkit::github::{GithubAccount, GithubStandIn};
use keystead_testkit::{TestApp, TestAppOptions};
use reqwest::{Client, StatusCode};
use secrecy::SecretString;
use tokio::net::TcpListener;

use super::auth::{get, location, sign_in};
use super::oauth::{approve, query_param, register};
use super::sso_flow::{acme_connected, identity_provider_with};

const ADA: &str = "ada@mail.example";
const PASSWORD: &str = "correct horse battery staple";

#[expect(
    clippy::disallowed_methods,
    reason = "the provider signs with the real time; both servers' clocks are set to it"
)]
fn real_now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

type Tweak = Box<dyn FnOnce(&mut Config) + Send>;

/// Keystead on `listener`, allowed to reach providers on loopback, with `tweak` applied.
async fn keystead_on(listener: TcpListener, tweak: Tweak) -> TestApp {
    let configure: keystead_testkit::app::Configure = Box::new(move |c| {
        c.outbound.allow_private_networks = true;
        tweak(c);
    });
    let options = TestAppOptions { listener: Some(listener), configure: Some(configure), ..Default::default() };
    let app = TestApp::start(options).await.unwrap();
    app.clock.set(real_now());
    app
}

/// A second Keystead standing in for Google, with Ada's verified account there, and our
/// Keystead configured with it as `social.google` (plus `tweak`).
async fn with_google(tweak: impl FnOnce(&mut Config) + Send + 'static) -> (TestApp, TestApp) {
    let google = TestApp::new().await;
    google.clock.set(real_now());
    let ada = NewUser {
        email: ADA,
        given_name: Some("Ada"),
        family_name: Some("Lovelace"),
        verified: true,
        password: Some(SecretString::from(PASSWORD)),
    };
    google.core.create_user(ada, &RequestMeta::cli()).await.unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let callback = format!("http://{}/sso/oidc/callback", listener.local_addr().unwrap());
    let created = register(&google, ClientKind::Confidential, true, &["authorization_code"], |n| {
        n.name = "Keystead".into();
        n.redirect_uris = vec![callback];
    })
    .await;
    let preset = SocialOidc {
        client_id: created.client.client_id.clone(),
        client_secret: created.secret.unwrap(),
        issuer: google.url.clone(),
    };
    let sp = keystead_on(
        listener,
        Box::new(move |c| {
            c.social.google = Some(preset);
            tweak(c);
        }),
    )
    .await;
    (sp, google)
}

/// "Continue with Google" → Google's sign-in → back: the callback's answer.
async fn continue_with_google(sp: &TestApp, google: &TestApp, browser: &Client) -> reqwest::Response {
    let response = browser.get(sp.at("/sso/social/google?return_to=/account/profile")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let authorize = location(&response);
    assert!(authorize.starts_with(google.url.as_str()), "{authorize}");
    assert_eq!(query_param(&authorize, "prompt").as_deref(), Some("select_account"));
    assert_eq!(query_param(&authorize, "code_challenge_method").as_deref(), Some("S256"));
    let at_google = super::auth::signed_in_browser(google, ADA, PASSWORD).await;
    let callback = approve(google, &at_google, &authorize).await;
    assert!(callback.starts_with(&sp.at("/sso/oidc/callback")), "{callback}");
    browser.get(&callback).send().await.unwrap()
}

/// The failure page's code.
async fn refusal(response: reqwest::Response) -> String {
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let html = response.text().await.unwrap();
    assert!(html.contains("Single sign-on did not work"), "{html}");
    html
}

#[tokio::test]
async fn a_newcomer_continues_with_google_and_gets_a_verified_account_of_their_own() {
    let (sp, google) = with_google(|_| {}).await;
    let browser = sp.client();
    for page in ["/sign-in", "/register"] {
        let (status, html) = get(&sp, &browser, page).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Continue with Google") && html.contains("href=\"/sso/social/google\""), "{html}");
        assert!(!html.contains("Continue with GitHub"), "only configured presets show");
    }
    let back = continue_with_google(&sp, &google, &browser).await;
    assert_eq!(back.status(), StatusCode::SEE_OTHER, "{}", back.text().await.unwrap());
    assert_eq!(location(&back), "/account/profile", "back where the user was headed");
    let (status, html) = get(&sp, &browser, "/account/profile").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains(ADA));

    let user = sp.core.user_by_email(ADA).await.unwrap();
    assert!(user.email_verified_at.is_some(), "Google vouched for the address");
    assert_eq!((user.given_name.as_deref(), user.family_name.as_deref()), (Some("Ada"), Some("Lovelace")));
    assert!(user.password_changed_at.is_none(), "no Keystead password was made");
    let linked = sp.core.linked_identities(user.id).await.unwrap();
    assert_eq!(linked.len(), 1);
    assert_eq!(linked[0].provider_name, "Google");

    // Next time the linked identity is found again, whatever the address.
    let again = continue_with_google(&sp, &google, &sp.client()).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    assert_eq!(sp.core.linked_identities(user.id).await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_existing_account_is_linked_through_the_verified_address_and_keeps_its_password() {
    let (sp, google) = with_google(|_| {}).await;
    let mine = NewUser {
        email: ADA,
        given_name: Some("Ada"),
        family_name: None,
        verified: true,
        password: Some(SecretString::from("my own keystead password")),
    };
    let id = sp.core.create_user(mine, &RequestMeta::cli()).await.unwrap().id;
    let back = continue_with_google(&sp, &google, &sp.client()).await;
    assert_eq!(back.status(), StatusCode::SEE_OTHER, "{}", back.text().await.unwrap());
    let linked = sp.core.linked_identities(id).await.unwrap();
    assert_eq!(linked.len(), 1, "the same account, now also reachable through Google");
    let with_password = sign_in(&sp, &sp.client(), ADA, "my own keystead password").await;
    assert_eq!(with_password.status(), StatusCode::SEE_OTHER, "the password still works");
}

#[tokio::test]
async fn a_free_mail_address_from_a_social_login_obeys_the_work_email_rule() {
    let (sp, google) = with_google(|c| {
        c.registration.require_work_email = true;
        let mut free = (*c.registration.free_email_domains).clone();
        free.insert("mail.example".into());
        c.registration.free_email_domains = std::sync::Arc::new(free);
    })
    .await;
    let html = refusal(continue_with_google(&sp, &google, &sp.client()).await).await;
    assert!(html.contains("work_email_required") && html.contains("work email address"), "{html}");
    assert!(sp.core.user_by_email(ADA).await.is_err(), "no account was made");
}

#[tokio::test]
async fn invite_only_registration_lets_existing_accounts_in_through_google_but_makes_none() {
    let (sp, google) = with_google(|c| c.registration.mode = RegistrationMode::InviteOnly).await;
    let (_, register_page) = get(&sp, &sp.client(), "/register").await;
    assert!(!register_page.contains("Continue with Google"), "no sign-up button while closed");
    let refused = continue_with_google(&sp, &google, &sp.client()).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN, "registration is closed");
    assert!(sp.core.user_by_email(ADA).await.is_err());
    let ada = NewUser { email: ADA, given_name: None, family_name: None, verified: true, password: None };
    sp.core.create_user(ada, &RequestMeta::cli()).await.unwrap();
    let back = continue_with_google(&sp, &google, &sp.client()).await;
    assert_eq!(back.status(), StatusCode::SEE_OTHER, "an existing account signs in");
}

#[tokio::test]
async fn an_organizations_own_provider_comes_before_any_social_login() {
    // Ada's address is at acme.example, whose organization signs its domain in through Acme SSO.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let callback = format!("http://{}/sso/oidc/callback", listener.local_addr().unwrap());
    let google = TestApp::new().await;
    google.clock.set(real_now());
    let created = register(&google, ClientKind::Confidential, true, &["authorization_code"], |n| {
        n.redirect_uris = vec![callback];
    })
    .await;
    let preset = SocialOidc {
        client_id: created.client.client_id.clone(),
        client_secret: created.secret.unwrap(),
        issuer: google.url.clone(),
    };
    let sp = keystead_on(listener, Box::new(move |c| c.social.google = Some(preset))).await;
    let (google, acme_client, acme_secret) = identity_provider_with(google, &sp, None).await;
    let (org, _) = acme_connected(&sp, &google, &acme_client, &acme_secret, false).await;

    let at_google = super::auth::signed_in_browser(&google, super::sso_flow::EMAIL, super::sso_flow::PASSWORD).await;
    let browser = sp.client();
    let start = browser.get(sp.at("/sso/social/google")).send().await.unwrap();
    let back = browser.get(approve(&google, &at_google, &location(&start)).await).send().await.unwrap();
    let html = refusal(back).await;
    assert!(html.contains("sso_required") && html.contains("through Acme SSO"), "{html}");
    assert!(sp.core.user_by_email(super::sso_flow::EMAIL).await.is_err(), "no account past the organization");

    // Eve (another address) linked Google before her organization required its own SSO.
    let eve = NewUser {
        email: "eve@other.example",
        given_name: Some("Eve"),
        family_name: Some("Example"),
        verified: true,
        password: Some(SecretString::from(PASSWORD)),
    };
    google.core.create_user(eve, &RequestMeta::cli()).await.unwrap();
    let at_google = super::auth::signed_in_browser(&google, "eve@other.example", PASSWORD).await;
    let google_sign_in = |browser: Client| {
        let (sp, google, at_google) = (&sp, &google, at_google.clone());
        async move {
            let start = browser.get(sp.at("/sso/social/google")).send().await.unwrap();
            browser.get(approve(google, &at_google, &location(&start)).await).send().await.unwrap()
        }
    };
    assert_eq!(google_sign_in(sp.client()).await.status(), StatusCode::SEE_OTHER);
    let eve = sp.core.user_by_email("eve@other.example").await.unwrap().id;
    sp.core.add_organization_member(Actor::Operator, org, eve, "member", &RequestMeta::cli()).await.unwrap();
    sp.core.set_sso_required(Actor::Operator, org, true, &RequestMeta::cli()).await.unwrap();
    let html = refusal(google_sign_in(sp.client()).await).await;
    assert!(html.contains("sso_required") && html.contains("Acme signs its members in through Acme SSO"), "{html}");
}

fn octocat(emails: Vec<(String, bool, bool)>) -> GithubAccount {
    GithubAccount { id: 583231, login: "octocat".into(), name: Some("Mona Octocat".into()), emails }
}

async fn with_github(account: GithubAccount) -> (TestApp, GithubStandIn) {
    let github = GithubStandIn::start(account).await.unwrap();
    let settings = github.settings();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let sp = keystead_on(listener, Box::new(move |c| c.social.github = Some(settings))).await;
    (sp, github)
}

/// "Continue with GitHub" → the stand-in answers at once → back: the callback's answer.
async fn continue_with_github(sp: &TestApp, browser: &Client) -> reqwest::Response {
    let start = browser.get(sp.at("/sso/social/github")).send().await.unwrap();
    assert_eq!(start.status(), StatusCode::SEE_OTHER);
    let authorize = location(&start);
    assert_eq!(query_param(&authorize, "scope").as_deref(), Some("read:user user:email"));
    let at_github = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let callback = location(&at_github.get(&authorize).send().await.unwrap());
    assert!(callback.starts_with(&sp.at("/sso/oidc/callback")), "{callback}");
    browser.get(&callback).send().await.unwrap()
}

#[tokio::test]
async fn github_signs_in_with_the_primary_verified_address() {
    let emails = vec![("mona@old.example".into(), false, true), ("mona@work.example".into(), true, true)];
    let (sp, github) = with_github(octocat(emails)).await;
    let browser = sp.client();
    let back = continue_with_github(&sp, &browser).await;
    assert_eq!(back.status(), StatusCode::SEE_OTHER, "{}", back.text().await.unwrap());
    let user = sp.core.user_by_email("mona@work.example").await.unwrap();
    assert!(user.email_verified_at.is_some());
    assert_eq!((user.given_name.as_deref(), user.family_name.as_deref()), (Some("Mona"), Some("Octocat")));
    let linked = sp.core.linked_identities(user.id).await.unwrap();
    assert_eq!((linked[0].provider_name.as_str(), linked.len()), ("GitHub", 1));
    assert_eq!(
        github.seen(),
        ["GET /login/oauth/authorize", "POST /login/oauth/access_token", "GET /api/user", "GET /api/user/emails"]
    );

    // The primary address changes at GitHub: the account id still finds the same account.
    github.set_account(octocat(vec![("mona@new.example".into(), true, true)]));
    let again = continue_with_github(&sp, &sp.client()).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    assert!(sp.core.user_by_email("mona@new.example").await.is_err(), "no second account");
}

#[tokio::test]
async fn github_without_a_verified_address_or_with_a_stale_code_is_refused_clearly() {
    let (sp, github) = with_github(octocat(vec![("mona@work.example".into(), true, false)])).await;
    let html = refusal(continue_with_github(&sp, &sp.client()).await).await;
    assert!(html.contains("email_not_proven") && html.contains("GitHub did not confirm"), "{html}");
    assert!(sp.core.user_by_email("mona@work.example").await.is_err());

    github.set_account(octocat(vec![("mona@work.example".into(), true, true)]));
    let browser = sp.client();
    let start = browser.get(sp.at("/sso/social/github")).send().await.unwrap();
    let at_github = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let callback = location(&at_github.get(location(&start)).send().await.unwrap());
    github.expire_codes();
    let html = refusal(browser.get(&callback).send().await.unwrap()).await;
    assert!(html.contains("token_refused") && html.contains("bad_verification_code"), "{html}");
}

#[tokio::test]
async fn an_unconfigured_or_unknown_preset_is_not_found() {
    let (sp, _github) = with_github(octocat(vec![])).await;
    for path in ["/sso/social/google", "/sso/social/facebook", "/sso/social/github%2F.."] {
        let response = sp.client().get(sp.at(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
}
