//! My Account over HTTP: profile, sessions and activity, notifications, billing address, data
//! export, and that every page needs a signed-in session.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};

use super::auth::{PASSWORD, active_user, get, location, post_form, signed_in_browser};
use keystead_testkit::TestApp;

#[tokio::test]
async fn every_my_account_page_sends_a_signed_out_visitor_to_sign_in_and_back() {
    let app = TestApp::new().await;
    for path in [
        "/account/profile",
        "/account/security",
        "/account/notifications",
        "/account/billing",
        "/account/data",
        "/account/data/download",
        "/account/licenses",
        "/account/invoices",
        "/account/courses",
    ] {
        let res = app.client().get(app.at(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location(&res), format!("/sign-in?return_to={}", path.replace('/', "%2F")), "{path}");
    }
}

#[tokio::test]
async fn the_profile_is_saved_and_each_bad_field_gets_its_own_message() {
    let app = TestApp::new().await;
    let id = active_user(&app, "ada@example.com").await;
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let (status, html) = get(&app, &client, "/account/profile").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<label for=\"given_name\">Given name") && html.contains("aria-current=\"page\""), "{html}");

    let bad = post_form(
        &app,
        &client,
        "/account/profile",
        &[("given_name", ""), ("family_name", &"x".repeat(101)), ("country", "ZZ")],
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.unwrap();
    for message in ["Enter your given name.", "Use at most 100 characters.", "Choose a country from the list."] {
        assert!(html.contains(message), "{message} missing: {html}");
    }
    assert_eq!(app.core.profile(id).await.unwrap().given_name.as_deref(), Some("Test"), "nothing saved");

    let ok = post_form(
        &app,
        &client,
        "/account/profile",
        &[("given_name", " Ada "), ("family_name", "Lovelace"), ("country", "GB"), ("company", "")],
    )
    .await;
    assert_eq!((ok.status(), location(&ok)), (StatusCode::SEE_OTHER, "/account/profile".to_owned()));
    let profile = app.core.profile(id).await.unwrap();
    assert_eq!(
        (profile.given_name.as_deref(), profile.country.as_deref(), profile.company),
        (Some("Ada"), Some("GB"), None)
    );
    let (_, html) = get(&app, &client, "/account/profile").await;
    assert!(html.contains("Your profile is saved.") && html.contains("value=\"Lovelace\""), "{html}");
    assert!(html.contains("<option value=\"GB\" selected>"), "{html}");
    // The account menu now shows the name.
    assert!(html.contains("<summary>Ada Lovelace</summary>"), "{html}");
}

#[tokio::test]
async fn sessions_are_listed_and_others_can_be_signed_out_one_or_all() {
    let app = TestApp::new().await;
    active_user(&app, "ada@example.com").await;
    let me = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let laptop = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let phone = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let (_, html) = get(&app, &me, "/account/security").await;
    assert_eq!(html.matches("class=\"session\"").count(), 3, "{html}");
    assert_eq!(html.matches("This device").count(), 1);
    assert!(html.contains("Signed in") && html.contains("Recent security activity"), "{html}");

    // Sign out one of the other two.
    let ids: Vec<String> = html
        .match_indices("name=\"session\" value=\"")
        .map(|(i, m)| html[i + m.len()..i + m.len() + 36].to_owned())
        .collect();
    assert_eq!(ids.len(), 2, "only other sessions have a sign-out button");
    let res = post_form(&app, &me, "/account/sessions/revoke", &[("session", &ids[0])]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let alive = [get(&app, &laptop, "/account/security").await.0, get(&app, &phone, "/account/security").await.0];
    assert_eq!(alive.iter().filter(|s| **s == StatusCode::OK).count(), 1, "exactly one of the others was signed out");

    let res = post_form(&app, &me, "/account/sessions/revoke-others", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(get(&app, &laptop, "/account/security").await.0, StatusCode::SEE_OTHER);
    assert_eq!(get(&app, &phone, "/account/security").await.0, StatusCode::SEE_OTHER);
    let (status, html) = get(&app, &me, "/account/security").await;
    assert_eq!(status, StatusCode::OK, "this session stays");
    assert_eq!(html.matches("class=\"session\"").count(), 1);
    assert!(html.contains("Signed out other sessions"), "{html}");
}

#[tokio::test]
async fn another_users_session_cannot_be_signed_out() {
    let app = TestApp::new().await;
    active_user(&app, "ada@example.com").await;
    active_user(&app, "eve@example.com").await;
    let ada = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let _ada_other = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let eve = signed_in_browser(&app, "eve@example.com", PASSWORD).await;
    let html = get(&app, &ada, "/account/security").await.1;
    let at = html.find("name=\"session\" value=\"").unwrap() + "name=\"session\" value=\"".len();
    let ada_session = &html[at..at + 36];
    let res = post_form(&app, &eve, "/account/sessions/revoke", &[("session", ada_session)]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(get(&app, &ada, "/account/security").await.1.matches("class=\"session\"").count(), 2);
    let res = post_form(&app, &eve, "/account/sessions/revoke", &[("session", "not-a-uuid")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn notification_choices_are_saved_and_security_notices_stay_on() {
    let app = TestApp::new().await;
    let id = active_user(&app, "ada@example.com").await;
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let (_, html) = get(&app, &client, "/account/notifications").await;
    assert!(html.contains("Always on") && html.contains("id=\"n-security\"") && html.contains("disabled"), "{html}");
    use keystead_core::accounts::preferences::Category;
    assert!(!app.core.wants_email(id, Category::Newsletter).await.unwrap(), "news is opt-in");
    // Turn the newsletter on and everything else off, trying to switch security off too.
    let res = post_form(&app, &client, "/account/notifications", &[("newsletter", "on"), ("security", "")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(app.core.wants_email(id, Category::Newsletter).await.unwrap());
    assert!(!app.core.wants_email(id, Category::Licenses).await.unwrap());
    assert!(app.core.wants_email(id, Category::Security).await.unwrap(), "security cannot be turned off");
    let (_, html) = get(&app, &client, "/account/notifications").await;
    assert!(html.contains("id=\"n-newsletter\" name=\"newsletter\" value=\"on\" checked"), "{html}");
}

#[tokio::test]
async fn the_billing_address_is_validated_per_field_and_saved() {
    let app = TestApp::new().await;
    let id = active_user(&app, "ada@example.com").await;
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let bad = post_form(
        &app,
        &client,
        "/account/billing",
        &[("name", "Example GmbH"), ("postal_code", "1#"), ("country", "XX"), ("vat_id", "12")],
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.unwrap();
    for message in [
        "Enter the street and number.",
        "Use letters, digits, spaces and hyphens only.",
        "Choose a country from the list.",
        "Enter the VAT number",
    ] {
        assert!(html.contains(message), "{message}: {html}");
    }
    assert!(html.contains("value=\"Example GmbH\""), "the typed values stay: {html}");
    assert!(app.core.billing_address(id).await.unwrap().is_none());
    let fields = [
        ("name", "Example GmbH"),
        ("line1", "Hauptstraße 1"),
        ("postal_code", "10115"),
        ("city", "Berlin"),
        ("country", "DE"),
        ("vat_id", "DE 123 456 789"),
    ];
    let ok = post_form(&app, &client, "/account/billing", &fields).await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let saved = app.core.billing_address(id).await.unwrap().unwrap();
    assert_eq!((saved.city.as_str(), saved.vat_id.as_deref()), ("Berlin", Some("DE123456789")));
    let (_, html) = get(&app, &client, "/account/billing").await;
    assert!(html.contains("value=\"Hauptstraße 1\"") || html.contains("Hauptstra"), "{html}");
}

#[tokio::test]
async fn your_data_downloads_as_json_with_profile_sessions_and_activity() {
    let app = TestApp::new().await;
    let id = active_user(&app, "ada@example.com").await;
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    post_form(&app, &client, "/account/profile", &[("given_name", "Ada"), ("family_name", "Lovelace")]).await;
    let (status, html) = get(&app, &client, "/account/data").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Download your data"));
    let res = client.get(app.at("/account/data/download")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[CONTENT_TYPE], "application/json");
    assert!(res.headers()[CONTENT_DISPOSITION].to_str().unwrap().starts_with("attachment; filename=\"keystead-data-"));
    let data: serde_json::Value = res.json().await.unwrap();
    assert_eq!(data["account"]["id"], id.to_string());
    assert_eq!(data["account"]["email"], "ada@example.com");
    assert!(data["account"].get("password_hash").is_none(), "never the hash");
    assert_eq!(data["profile"]["family_name"], "Lovelace");
    assert_eq!(data["sessions"].as_array().unwrap().len(), 1);
    let actions: Vec<&str> =
        data["security_activity"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
    assert!(actions.contains(&"session.signed_in") && actions.contains(&"user.profile_updated"), "{actions:?}");
    let after = app.core.audit_events_for(id, 5).await.unwrap();
    assert_eq!(after[0].action, "user.data_exported");
}

/// The six-digit code of the newest email whose subject carries one.
async fn emailed_code(app: &TestApp, count: usize) -> String {
    let mails = app.smtp.wait_for(count, std::time::Duration::from_secs(10)).await.unwrap();
    let subject = mails.last().unwrap().subject().unwrap();
    assert!(subject.ends_with("is your Keystead confirmation code"), "{subject}");
    subject[..6].to_owned()
}

#[tokio::test]
async fn the_password_changes_after_the_emailed_code_and_other_sessions_end() {
    let app = TestApp::new().await;
    active_user(&app, "ada@example.com").await;
    let me = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let other = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let new = "violet-harbour-engine-17";
    let bad = post_form(
        &app,
        &me,
        "/account/password",
        &[("current_password", "wrong"), ("password", "short"), ("repeat_password", "other")],
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.unwrap();
    for message in ["Your current password is not right.", "The two new passwords are not the same."] {
        assert!(html.contains(message), "{message}: {html}");
    }
    let res = post_form(
        &app,
        &me,
        "/account/password",
        &[("current_password", PASSWORD), ("password", new), ("repeat_password", new)],
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("We sent a six-digit code"));
    let code = emailed_code(&app, 1).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let res = post_form(&app, &me, "/account/password/code", &[("code", wrong)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("4 attempts left"));
    let res = post_form(&app, &me, "/account/password/code", &[("code", &code)]).await;
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/account/password".to_owned()));
    assert_eq!(get(&app, &other, "/account/profile").await.0, StatusCode::SEE_OTHER, "the other session ended");
    assert_eq!(get(&app, &me, "/account/profile").await.0, StatusCode::OK, "this one stays");
    let notice = app.smtp.wait_for(2, std::time::Duration::from_secs(10)).await.unwrap();
    assert!(notice.last().unwrap().subject().unwrap().contains("password was changed"));
    // Reusing the code does nothing; the new password signs in.
    let again = post_form(&app, &me, "/account/password/code", &[("code", &code)]).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    signed_in_browser(&app, "ada@example.com", new).await;
}

#[tokio::test]
async fn a_code_dies_after_five_wrong_tries_and_after_ten_minutes() {
    let app = TestApp::new().await;
    active_user(&app, "ada@example.com").await;
    let me = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let new = "violet-harbour-engine-17";
    post_form(
        &app,
        &me,
        "/account/password",
        &[("current_password", PASSWORD), ("password", new), ("repeat_password", new)],
    )
    .await;
    let code = emailed_code(&app, 1).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        post_form(&app, &me, "/account/password/code", &[("code", wrong)]).await;
    }
    let res = post_form(&app, &me, "/account/password/code", &[("code", &code)]).await;
    assert!(res.text().await.unwrap().contains("Too many wrong codes"));
    post_form(
        &app,
        &me,
        "/account/password",
        &[("current_password", PASSWORD), ("password", new), ("repeat_password", new)],
    )
    .await;
    let code = emailed_code(&app, 2).await;
    app.clock.advance(time::Duration::minutes(11));
    let res = post_form(&app, &me, "/account/password/code", &[("code", &code)]).await;
    assert!(res.text().await.unwrap().contains("This code has expired"));
    let res = post_form(&app, &me, "/account/password/code", &[("code", "12a456")]).await;
    assert!(res.text().await.unwrap().contains("Enter the six digits"));
}

#[tokio::test]
async fn the_email_changes_after_a_code_to_the_old_address_and_a_link_to_the_new_one() {
    let app = TestApp::new().await;
    let id = active_user(&app, "ada@example.com").await;
    let me = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let bad = post_form(&app, &me, "/account/email", &[("new_email", "not an address")]).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = post_form(&app, &me, "/account/email", &[("new_email", "Ada.New@Example.org")]).await;
    assert!(res.text().await.unwrap().contains("We sent a six-digit code to your current address"));
    let mails = app.smtp.wait_for(1, std::time::Duration::from_secs(10)).await.unwrap();
    assert_eq!(mails[0].to(), ["ada@example.com"], "the code goes to the current address");
    let code = emailed_code(&app, 1).await;
    let res = post_form(&app, &me, "/account/email/code", &[("code", &code)]).await;
    assert!(res.text().await.unwrap().contains("we sent a link to"));
    let mails = app.smtp.wait_for(2, std::time::Duration::from_secs(10)).await.unwrap();
    assert_eq!(mails[1].to(), ["Ada.New@example.org"]);
    let link = mails[1].links().into_iter().find(|l| l.contains("/account/email/confirm?token=")).unwrap();
    let html = me.get(&link).send().await.unwrap().text().await.unwrap();
    let token = link.split("token=").nth(1).unwrap();
    assert!(html.contains("Use this address"));
    let res = post_form(&app, &me, "/account/email/confirm", &[("token", token)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.core.user_by_email("ada.new@example.org").await.unwrap().id, id);
    let mails = app.smtp.wait_for(3, std::time::Duration::from_secs(10)).await.unwrap();
    assert_eq!(mails[2].to(), ["ada@example.com"], "the old address is told");
    assert!(mails[2].subject().unwrap().contains("email address of your Keystead account was changed"));
    signed_in_browser(&app, "ada.new@example.org", PASSWORD).await;
    // The link works once.
    let again = post_form(&app, &me, "/account/email/confirm", &[("token", token)]).await;
    assert_eq!(again.status(), StatusCode::GONE);
}

#[tokio::test]
async fn a_taken_address_gives_no_hint_until_the_end_and_changes_nothing() {
    let app = TestApp::new().await;
    active_user(&app, "ada@example.com").await;
    active_user(&app, "taken@example.com").await;
    let me = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let res = post_form(&app, &me, "/account/email", &[("new_email", "taken@example.com")]).await;
    assert!(res.text().await.unwrap().contains("We sent a six-digit code"), "no hint at the start");
    let code = emailed_code(&app, 1).await;
    post_form(&app, &me, "/account/email/code", &[("code", &code)]).await;
    let mails = app.smtp.wait_for(2, std::time::Duration::from_secs(10)).await.unwrap();
    let link = mails[1].links().into_iter().find(|l| l.contains("token=")).unwrap();
    let token = link.split("token=").nth(1).unwrap();
    let res = post_form(&app, &me, "/account/email/confirm", &[("token", token)]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("We could not use this address."));
    assert_eq!(app.core.user_by_email("ada@example.com").await.unwrap().email, "ada@example.com");
}

#[tokio::test]
async fn a_sign_in_from_a_new_device_sends_a_security_notice_once() {
    let app = TestApp::new().await;
    active_user(&app, "ada@example.com").await;
    let browser = |ua: &str| {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(ua.to_owned())
            .build()
            .unwrap()
    };
    let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";
    let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1";
    let sign_in = |client: reqwest::Client| {
        let app = &app;
        async move {
            let res =
                post_form(app, &client, "/sign-in/password", &[("email", "ada@example.com"), ("password", PASSWORD)])
                    .await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER);
        }
    };
    sign_in(browser(firefox)).await; // the first sign-in of the account: no notice
    sign_in(browser(firefox)).await; // a known device: no notice
    sign_in(browser(iphone)).await; // new: a notice
    sign_in(browser(iphone)).await; // known now
    let mails = app.smtp.wait_for(1, std::time::Duration::from_secs(10)).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let notices: Vec<_> =
        app.smtp.messages().into_iter().filter(|m| m.subject().is_some_and(|s| s.starts_with("New sign-in"))).collect();
    assert_eq!(notices.len(), 1, "{:?}", mails.iter().map(|m| m.subject()).collect::<Vec<_>>());
    let text = notices[0].text_body().unwrap();
    assert!(text.contains("Safari on iPhone"), "{text}");
}

#[tokio::test]
async fn sections_without_records_yet_have_their_place_and_say_there_is_nothing() {
    let app = TestApp::new().await;
    active_user(&app, "ada@example.com").await;
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    for (path, heading, empty) in [
        ("/account/licenses", "Licenses and downloads", "No licenses are assigned to you."),
        ("/account/invoices", "Invoices", "There are no invoices to show."),
        ("/account/courses", "Completed courses", "You have not completed any courses."),
    ] {
        let (status, html) = get(&app, &client, path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {html}");
        assert!(html.contains(&format!("<h1 id=\"section-heading\">{heading}</h1>")), "{path}: {html}");
        assert!(html.contains(empty), "{path}: {html}");
        assert!(html.contains(&format!("<a href=\"{path}\" aria-current=\"page\">{heading}</a>")), "{html}");
    }
    // The navigation lists every section under its heading, in order.
    let (_, html) = get(&app, &client, "/account/profile").await;
    let order = [
        "Personal",
        "/account/profile",
        "/account/security",
        "Work and billing",
        "/account/licenses",
        "/account/billing",
        "/account/invoices",
        "Records and privacy",
        "/account/agreements",
        "/account/courses",
        "/account/data",
        "/account/close",
    ];
    let mut from = 0;
    for text in order {
        let at = html[from..].find(text).unwrap_or_else(|| panic!("{text} missing or out of order: {html}"));
        from += at + text.len();
    }
}

/// A page of My Account asked for in `lang` (`Accept-Language`).
async fn get_in(app: &TestApp, client: &reqwest::Client, path: &str, lang: &str) -> (StatusCode, String) {
    let res = client.get(app.at(path)).header(reqwest::header::ACCEPT_LANGUAGE, lang).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

#[tokio::test]
async fn my_account_speaks_german_and_turkish() {
    let app = TestApp::new().await;
    active_user(&app, "ada@example.com").await;
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let pages: [(&str, &str, &str, &str); 16] = [
        ("/account/profile", "Angemeldet als", "olarak oturum açıldı", "Signed in as"),
        ("/account/notifications", "E-Mail-Benachrichtigungen", "E-posta bildirimleri", "Email notifications"),
        ("/account/billing", "Straße und Hausnummer", "Sokak ve numara", "Street and number"),
        ("/account/organizations", "Organisationen</h1>", "Kuruluşlar</h1>", "Organizations</h1>"),
        ("/account/groups", "Gruppen</h1>", "Gruplar</h1>", "Groups</h1>"),
        (
            "/account/licenses",
            "Lizenzen und Downloads</h1>",
            "Lisanslar ve indirmeler</h1>",
            "Licenses and downloads</h1>",
        ),
        (
            "/account/downloads",
            "Es gibt nichts für Sie herunterzuladen.",
            "İndirebileceğiniz bir şey yok.",
            "There is nothing",
        ),
        ("/account/extensions", "Erweiterungen</h1>", "Uzantılar</h1>", "Extensions</h1>"),
        ("/account/developer", "Neues Token</h2>", "Yeni token</h2>", "New token</h2>"),
        ("/account/apps", "Verbundene Apps</h1>", "Bağlı uygulamalar</h1>", "Connected apps</h1>"),
        ("/account/agreements", "Vereinbarungen</h1>", "Sözleşmeler</h1>", "Agreements</h1>"),
        ("/account/data", "Ihre Daten herunterladen", "Verilerinizi indirin", "Download your data"),
        ("/account/close", "Mein Konto schließen", "Hesabımı kapat", "Close my account"),
        (
            "/account/invoices",
            "Es gibt keine Rechnungen anzuzeigen.",
            "Gösterilecek fatura yok.",
            "There are no invoices",
        ),
        ("/account/courses", "Abgeschlossene Kurse</h1>", "Tamamlanan kurslar</h1>", "Completed courses</h1>"),
        ("/account/profile", "Persönliches", "Kişisel", "Personal"),
    ];
    for (path, de, tr, en) in pages {
        let (status, html) = get_in(&app, &client, path, "de-DE,de;q=0.9").await;
        assert_eq!(status, StatusCode::OK, "{path}: {html}");
        assert!(html.contains("<html lang=\"de\">") && html.contains(de), "{path} in German: {html}");
        assert!(!html.contains(en), "{path} has English left: {html}");
        let (_, html) = get_in(&app, &client, path, "tr").await;
        assert!(html.contains("<html lang=\"tr\">") && html.contains(tr), "{path} in Turkish: {html}");
        let (_, html) = get_in(&app, &client, path, "en").await;
        assert!(html.contains("<html lang=\"en\">") && html.contains(en), "{path} in English: {html}");
    }
    // The navigation is a disclosure naming the current section.
    let (_, html) = get_in(&app, &client, "/account/billing", "de").await;
    assert!(html.contains("<details class=\"account-nav-menu\">"), "{html}");
    assert!(html.contains("Bereiche: </span>Rechnungsadresse</summary>"), "{html}");
    // Countries are named in the page's language.
    assert!(html.contains("<option value=\"DE\">Deutschland</option>"), "{html}");
    let (_, html) = get_in(&app, &client, "/account/billing", "tr").await;
    assert!(html.contains("<option value=\"DE\">Almanya</option>"), "{html}");
    // Form errors in the page's language.
    let res = client
        .post(app.at("/account/billing"))
        .header(reqwest::header::ACCEPT_LANGUAGE, "de")
        .form(&[("csrf_token", csrf(&app, &client).await.as_str()), ("postal_code", "1234$")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    for message in
        ["Geben Sie Straße und Hausnummer ein.", "Verwenden Sie nur Buchstaben, Ziffern", "Geben Sie den Ort ein."]
    {
        assert!(html.contains(message), "{message} missing: {html}");
    }
}

/// The CSRF token of `client`'s cookie, as a form carries it.
async fn csrf(app: &TestApp, client: &reqwest::Client) -> String {
    let (_, html) = get(app, client, "/account/billing").await;
    let at = html.find("name=\"csrf_token\" value=\"").unwrap() + "name=\"csrf_token\" value=\"".len();
    html[at..at + html[at..].find('"').unwrap()].to_owned()
}

#[tokio::test]
async fn the_language_chosen_in_the_profile_wins_over_the_browser() {
    let app = TestApp::new().await;
    active_user(&app, "ada@example.com").await;
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let (_, html) = get_in(&app, &client, "/account/profile", "en").await;
    assert!(html.contains("<label for=\"locale\">Language</label>"), "{html}");
    assert!(html.contains("<option value=\"\" selected>Browser language</option>"), "{html}");
    assert!(html.contains("<option value=\"de\" lang=\"de\">Deutsch</option>"), "{html}");
    assert!(html.contains("<option value=\"tr\" lang=\"tr\">Türkçe</option>"), "{html}");

    let fields = [("given_name", "Ada"), ("family_name", "Lovelace"), ("locale", "de")];
    let res = post_form(&app, &client, "/account/profile", &fields).await;
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/account/profile".to_owned()));
    assert_eq!(app.core.user_by_email("ada@example.com").await.unwrap().locale.as_deref(), Some("de"));
    let (_, html) = get_in(&app, &client, "/account/profile", "en").await;
    assert!(html.contains("<html lang=\"de\">") && html.contains("Ihr Profil ist gespeichert."), "{html}");
    assert!(html.contains("Angemeldet als") && html.contains("<option value=\"de\" lang=\"de\" selected>"), "{html}");
    let (_, html) = get_in(&app, &client, "/account/billing", "tr").await;
    assert!(html.contains("<html lang=\"de\">"), "every page follows the choice: {html}");

    let fields = [("given_name", "Ada"), ("family_name", "Lovelace"), ("locale", "")];
    let res = post_form(&app, &client, "/account/profile", &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.core.user_by_email("ada@example.com").await.unwrap().locale, None);
    let (_, html) = get_in(&app, &client, "/account/profile", "en").await;
    assert!(html.contains("<html lang=\"en\">") && html.contains("Signed in as"), "{html}");
    assert!(html.contains("<option value=\"\" selected>Browser language</option>"), "{html}");
}

#[tokio::test]
async fn counted_things_are_said_with_plurals_and_closed_groups_offer_no_join() {
    use keystead_core::audit::RequestMeta;
    use keystead_core::organizations::{Actor, NewOrganization};
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let bob = active_user(&app, "bob@example.com").await;
    let meta = RequestMeta::cli();
    let new = NewOrganization { name: "Acme", slug: None, owner: Some(ada) };
    let acme = app.core.create_organization(Actor::Operator, new, &meta).await.unwrap().id;
    app.core.add_organization_member(Actor::Operator, acme, bob, "member", &meta).await.unwrap();
    let open = app.core.create_group(Actor::User(ada), acme, "Beta", "", "open", &meta).await.unwrap();
    app.core.create_group(Actor::User(ada), acme, "Staff", "", "closed", &meta).await.unwrap();
    app.core.join_group(ada, open, &meta).await.unwrap();
    let client = signed_in_browser(&app, "bob@example.com", PASSWORD).await;
    let (_, html) = get_in(&app, &client, "/account/groups", "en").await;
    assert!(html.contains("1 member<") && html.contains("0 members<"), "{html}");
    assert!(!html.contains("1 members"), "{html}");
    assert!(html.contains("aria-label=\"Join Beta\"") && !html.contains("aria-label=\"Join Staff\""), "{html}");
    assert!(html.contains("An administrator adds members."), "{html}");
    let (_, html) = get_in(&app, &client, "/account/groups", "de").await;
    assert!(html.contains("1 Mitglied<") && html.contains("0 Mitglieder<"), "{html}");
}
