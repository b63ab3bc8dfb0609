//! The rest of the organization pages over HTTP: email domains proved by a DNS TXT record (a real
//! DNS server in the test), the logo (upload, bad files, serving with ETag, removal), the
//! organization's password length in the forms, the organization a new sign-in starts in, and the
//! Close account warning for a last owner.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use keystead_core::audit::RequestMeta;
use keystead_core::ids::{OrganizationId, UserId};
use keystead_core::organizations::{Actor, NewOrganization, OrganizationSettings};
use keystead_testkit::{DnsServer, TestApp, TestAppOptions};
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use reqwest::{Client, Response, StatusCode};

use super::auth::{PASSWORD, active_user, get, input_value, location, post_form, signed_in_browser};

const BOUNDARY: &str = "keystead-test-boundary";

async fn org(app: &TestApp, name: &str, owner: UserId) -> OrganizationId {
    let new = NewOrganization { name, slug: None, owner: Some(owner) };
    app.core.create_organization(Actor::Operator, new, &RequestMeta::cli()).await.unwrap().id
}

async fn add(app: &TestApp, org: OrganizationId, user: UserId, role: &str) {
    app.core.add_organization_member(Actor::Operator, org, user, role, &RequestMeta::cli()).await.unwrap();
}

async fn follow(app: &TestApp, client: &Client, res: Response) -> String {
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());
    let to = location(&res);
    let (status, html) = get(app, client, &to).await;
    assert_eq!(status, StatusCode::OK, "{to}: {html}");
    html
}

/// An app whose domain checks ask `dns`.
async fn app_with_dns(dns: &DnsServer) -> TestApp {
    let addr = dns.addr();
    let configure = Box::new(move |c: &mut keystead_core::config::Config| {
        c.organizations.dns_resolver = Some(addr);
        c.organizations.dns_timeout = std::time::Duration::from_secs(1);
    });
    TestApp::start(TestAppOptions { configure: Some(configure), ..TestAppOptions::default() }).await.unwrap()
}

/// The text between `<code>` and `</code>` after `label` on the page.
fn code_after(html: &str, label: &str) -> String {
    let at = html.find(label).unwrap();
    let start = at + html[at..].find("<code>").unwrap() + "<code>".len();
    html[start..start + html[start..].find("</code>").unwrap()].to_owned()
}

#[tokio::test]
async fn an_admin_adds_a_domain_publishes_its_txt_record_and_checks_it_now() {
    let dns = DnsServer::start().await.unwrap();
    let app = app_with_dns(&dns).await;
    let ada = active_user(&app, "ada@example.com").await;
    let bob = active_user(&app, "bob@example.com").await;
    let acme = org(&app, "Acme", ada).await;
    add(&app, acme, bob, "member").await;
    let admin = signed_in_browser(&app, "ada@example.com", PASSWORD).await;

    let res = post_form(&app, &admin, "/org/acme/domains", &[("domain", "not a domain")]).await;
    let html = follow(&app, &admin, res).await;
    assert!(html.contains("Enter a domain such as example.com."), "{html}");
    let res = post_form(&app, &admin, "/org/acme/domains", &[("domain", "Acme.Example")]).await;
    let html = follow(&app, &admin, res).await;
    assert!(html.contains("acme.example is added.") && html.contains(">Pending<"), "{html}");
    let name = code_after(&html, "TXT record name");
    let value = code_after(&html, "Value</dt>");
    assert_eq!(name, "_keystead-challenge.acme.example");
    assert!(value.starts_with("keystead-domain-verification="), "{value}");

    // Not published yet: the message says what was found and what is expected.
    let res = post_form(&app, &admin, "/org/acme/domains/verify", &[("domain", "acme.example")]).await;
    let html = follow(&app, &admin, res).await;
    assert!(html.contains("_keystead-challenge.acme.example does not exist (NXDOMAIN)"), "{html}");
    assert!(html.contains(&value) && html.contains("Last checked"), "{html}");
    dns.set_txt(&name, &["keystead-domain-verification=old"]);
    let res = post_form(&app, &admin, "/org/acme/domains/verify", &[("domain", "acme.example")]).await;
    let html = follow(&app, &admin, res).await;
    assert!(html.contains("keystead-domain-verification=old") && html.contains("not the expected value"), "{html}");

    // A member may not check or remove.
    let member = signed_in_browser(&app, "bob@example.com", PASSWORD).await;
    for path in ["/org/acme/domains", "/org/acme/domains/verify", "/org/acme/domains/remove"] {
        let res = post_form(&app, &member, path, &[("domain", "acme.example")]).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
    }

    dns.set_txt(&name, &[&value]);
    let res = post_form(&app, &admin, "/org/acme/domains/verify", &[("domain", "acme.example")]).await;
    let html = follow(&app, &admin, res).await;
    assert!(html.contains("acme.example is verified.") && html.contains(">Verified<"), "{html}");
    assert!(!html.contains("Check now: acme.example"), "{html}");
    let res = post_form(&app, &admin, "/org/acme/domains/remove", &[("domain", "acme.example")]).await;
    let html = follow(&app, &admin, res).await;
    assert!(html.contains("acme.example is removed.") && html.contains("No domains yet."), "{html}");
    let events = app.core.organization_audit(Actor::Operator, acme, 10).await.unwrap();
    let names: Vec<_> = events.iter().filter_map(|e| e.details["event"].as_str()).collect();
    assert_eq!(names[..3], ["domain_removed", "domain_verified", "domain_added"]);
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = DynamicImage::ImageRgb8(RgbImage::from_pixel(w, h, Rgb([10, 120, 200])));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Png).unwrap();
    out.into_inner()
}

async fn upload_logo(app: &TestApp, client: &Client, file: &[u8]) -> Response {
    let (_, html) = get(app, client, "/org/acme-widgets/settings").await;
    let token = input_value(&html, "csrf_token").unwrap();
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n--{BOUNDARY}\r\n\
         Content-Disposition: form-data; name=\"logo\"; filename=\"logo.img\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    client
        .post(app.at("/org/acme-widgets/logo"))
        .header(CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(body)
        .send()
        .await
        .unwrap()
}

/// The `src` of the first logo image on a page.
fn logo_src(html: &str) -> Option<String> {
    let at = html.find("class=\"org-logo")?;
    let tag = &html[html[..at].rfind('<')?..];
    let tag = &tag[..tag.find('>')?];
    let start = tag.find("src=\"")? + 5;
    Some(tag[start..start + tag[start..].find('"')?].replace("&#x3d;", "=").replace("&#61;", "="))
}

#[tokio::test]
async fn an_admin_uploads_a_logo_members_see_it_and_bad_files_get_a_message() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let bob = active_user(&app, "bob@example.com").await;
    active_user(&app, "eve@example.com").await;
    let acme = org(&app, "Acme Widgets", ada).await;
    add(&app, acme, bob, "member").await;
    let admin = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let (_, html) = get(&app, &admin, "/account/organizations").await;
    assert!(html.contains(">AW</span>") && logo_src(&html).is_none(), "initials before a logo: {html}");

    // Not an image, and too large: the settings page again with the message on the field.
    let bad = upload_logo(&app, &admin, b"%PDF-1.7 not an image").await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.unwrap();
    assert!(html.contains("id=\"logo-error\"") && html.contains("This file is not an image we can read."), "{html}");
    let huge = upload_logo(&app, &admin, &vec![7u8; 7 * 1024 * 1024]).await;
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(huge.text().await.unwrap().contains("upload an image of at most 5 MB"));
    assert!(app.core.organization(Actor::Operator, acme).await.unwrap().logo_version.is_none());

    let res = upload_logo(&app, &admin, &png(300, 200)).await;
    let html = follow(&app, &admin, res).await;
    assert!(html.contains("The logo is saved."), "{html}");
    let src = logo_src(&html).unwrap();
    assert!(src.starts_with("/org/acme-widgets/logo?v="), "{src}");
    let member = signed_in_browser(&app, "bob@example.com", PASSWORD).await;
    let (_, mine) = get(&app, &member, "/account/organizations").await;
    assert_eq!(logo_src(&mine).as_deref(), Some(src.as_str()), "{mine}");
    let served = member.get(app.at(&src)).send().await.unwrap();
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.headers()[CONTENT_TYPE], "image/jpeg");
    assert_eq!(served.headers()[CACHE_CONTROL], "private, max-age=31536000, immutable");
    let etag = served.headers()[ETAG].to_str().unwrap().to_owned();
    let img = image::load_from_memory(&served.bytes().await.unwrap()).unwrap();
    assert_eq!((img.width(), img.height()), (128, 128));
    let again = member.get(app.at(&src)).header(IF_NONE_MATCH, &etag).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    // Outsiders do not see it; members cannot change it.
    let eve = signed_in_browser(&app, "eve@example.com", PASSWORD).await;
    assert_eq!(eve.get(app.at(&src)).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let res = post_form(&app, &member, "/org/acme-widgets/logo/remove", &[]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    let res = post_form(&app, &admin, "/org/acme-widgets/logo/remove", &[]).await;
    let html = follow(&app, &admin, res).await;
    assert!(html.contains("The logo is removed.") && html.contains(">AW</span>"), "{html}");
    assert_eq!(member.get(app.at(&src)).send().await.unwrap().status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_organizations_minimum_password_length_is_shown_and_enforced_for_its_members() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    active_user(&app, "loner@example.com").await;
    let acme = org(&app, "Acme", ada).await;
    let s = OrganizationSettings { require_mfa: false, password_min_length: Some(16), password_max_length: None };
    app.core.update_organization_settings(Actor::Operator, acme, s, &RequestMeta::cli()).await.unwrap();
    let twelve = "plover-kite9";

    let member = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let (_, html) = get(&app, &member, "/account/password").await;
    // The rules are listed as on the sign-up form, with the organization's minimum.
    assert!(
        html.contains("<li>At least 16 characters</li>") && html.contains("<li>Not a commonly used password</li>"),
        "{html}"
    );
    let fields = [("current_password", PASSWORD), ("password", twelve), ("repeat_password", twelve)];
    let res = post_form(&app, &member, "/account/password", &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Use at least 16 characters."), "{html}");

    // Someone outside the organization keeps the deployment's minimum.
    let loner = signed_in_browser(&app, "loner@example.com", PASSWORD).await;
    let (_, html) = get(&app, &loner, "/account/password").await;
    let minimum = app.core.config().password_policy.min_length;
    assert!(html.contains(&format!("<li>At least {minimum} characters</li>")), "{html}");
    let res = post_form(&app, &loner, "/account/password", &fields).await;
    assert_eq!(res.status(), StatusCode::OK, "a code is sent: {}", res.text().await.unwrap());

    // The invitation's registration form shows and applies the organization's minimum.
    let meta = RequestMeta::cli();
    app.core.invite_to_organization(Actor::User(ada), acme, "new@example.com", "member", &meta).await.unwrap();
    // (the second email: the first is the loner's confirmation code)
    let mails = app.smtp.wait_for(2, std::time::Duration::from_secs(10)).await.unwrap();
    let link = mails.iter().flat_map(|m| m.links()).find(|l| l.contains("/invitations/accept?token=")).unwrap();
    let guest = app.client();
    let (_, html) = get(&app, &guest, link.trim_start_matches(app.url.as_str()).trim_start_matches('/')).await;
    assert!(html.contains("<li>At least 16 characters</li>"), "{html}");
    let token = input_value(&html, "token").unwrap();
    let res = post_form(&app, &guest, "/invitations/register", &[("token", &token), ("password", twelve)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Use at least 16 characters."));

    // A reset link of a member: the same minimum, shown and applied.
    let anonymous = app.client();
    post_form(&app, &anonymous, "/password/forgot", &[("email", "ada@example.com")]).await;
    let mails = app.smtp.wait_for(3, std::time::Duration::from_secs(10)).await.unwrap();
    let link = mails.iter().flat_map(|m| m.links()).find(|l| l.contains("/password/reset?token=")).unwrap();
    let (_, html) = get(&app, &anonymous, link.trim_start_matches(app.url.as_str()).trim_start_matches('/')).await;
    assert!(html.contains("<li>At least 16 characters</li>"), "{html}");
    let token = input_value(&html, "token").unwrap();
    let res = post_form(&app, &anonymous, "/password/reset", &[("token", &token), ("password", twelve)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Use at least 16 characters."));
}

#[tokio::test]
async fn signing_in_again_starts_in_the_organization_last_chosen() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let bob = active_user(&app, "bob@example.com").await;
    org(&app, "Acme", ada).await;
    let zeta = org(&app, "Zeta", bob).await;
    add(&app, zeta, ada, "member").await;
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let res = post_form(&app, &client, "/account/organizations/switch", &[("organization", &zeta.to_string())]).await;
    follow(&app, &client, res).await;
    let res = post_form(&app, &client, "/sign-out", &[]).await;
    assert_eq!(location(&res), "/sign-in");

    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let (_, html) = get(&app, &client, "/account/organizations").await;
    // "Current" follows Zeta; Acme offers "Log in".
    let zeta_at = html.find("<strong>Zeta</strong>").unwrap();
    let current_at = html.find(">Current<").unwrap();
    assert!(current_at > zeta_at && html.contains("aria-label=\"Log in to Acme\""), "{html}");
    assert!(!html.contains("aria-label=\"Log in to Zeta\""), "{html}");
}

#[tokio::test]
async fn the_close_account_page_names_the_organizations_the_user_is_last_owner_of() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let bob = active_user(&app, "bob@example.com").await;
    org(&app, "Acme", ada).await;
    let shared = org(&app, "Shared", ada).await;
    add(&app, shared, bob, "owner").await;
    let zeta = org(&app, "Zeta", ada).await;
    add(&app, zeta, bob, "admin").await;
    let client = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let (_, html) = get(&app, &client, "/account/close").await;
    assert!(html.contains("You are the last owner of Acme and Zeta."), "{html}");
    let main = &html[html.find("<main").unwrap()..];
    assert!(!main.contains("Shared"), "the header's organization menu may list it; the page does not: {html}");
    let bob_client = signed_in_browser(&app, "bob@example.com", PASSWORD).await;
    let (_, html) = get(&app, &bob_client, "/account/close").await;
    assert!(!html.contains("last owner of"), "{html}");
}

/// A page of `path` asked for in `lang` (the user has chosen no language, so Accept-Language
/// decides).
async fn get_in(app: &TestApp, client: &Client, path: &str, lang: &str) -> String {
    let res = client.get(app.at(path)).header("Accept-Language", lang).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path} in {lang}");
    res.text().await.unwrap()
}

#[tokio::test]
async fn the_admin_pages_are_written_in_german_and_turkish() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let bob = active_user(&app, "bob@example.com").await;
    let acme = org(&app, "Acme", ada).await;
    add(&app, acme, bob, "member").await;
    let meta = RequestMeta::cli();
    let group = app.core.create_group(Actor::Operator, acme, "Staff", "", "closed", &meta).await.unwrap();
    app.core.add_to_group(Actor::Operator, group, bob, &meta).await.unwrap();
    let admin = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let pages = [
        ("/org/acme/members", "Mitglieder", "Üyeler"),
        ("/org/acme/groups", "Gruppen", "Gruplar"),
        ("/org/acme/roles", "Rollen", "Roller"),
        ("/org/acme/licenses", "Lizenzen", "Lisanslar"),
        ("/org/acme/sso", "Single Sign-on", "Çoklu oturum açma"),
        ("/org/acme/tokens", "API-Tokens", "API belirteçleri"),
        ("/org/acme/settings", "Einstellungen", "Ayarlar"),
    ];
    for (path, de, tr) in pages {
        for (lang, heading) in [("de", de), ("tr", tr)] {
            let html = get_in(&app, &admin, path, lang).await;
            assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{path}: {html}");
            assert!(html.contains(&format!("-heading\">{heading}</h1>")), "{path} in {lang}: {html}");
        }
    }
    let html = get_in(&app, &admin, "/org/acme/members", "de").await;
    assert!(html.contains("Rolle ändern") && html.contains("Meine Organisationen"), "{html}");
    assert!(html.contains("Inhaber</option>") && html.contains("Jemanden einladen"), "{html}");
    let html = get_in(&app, &admin, "/org/acme/members", "tr").await;
    assert!(
        html.contains("İşlemler") && html.contains("Rolü değiştir") && html.contains("Birini davet edin"),
        "{html}"
    );
    // Counted things follow the language's plurals.
    let html = get_in(&app, &admin, "/org/acme/groups", "de").await;
    assert!(html.contains(">geschlossen</td>") && html.contains(">1 Mitglied</td>"), "{html}");
    let html = get_in(&app, &admin, "/org/acme/groups", "tr").await;
    assert!(html.contains(">kapalı</td>") && html.contains(">1 üye</td>"), "{html}");
    let html = get_in(&app, &admin, "/org/acme/groups", "en").await;
    assert!(html.contains(">closed</td>") && html.contains(">1 member</td>"), "{html}");
    // A refusal on the settings form is in the page's language too.
    let html = get_in(&app, &admin, "/org/acme/settings", "tr").await;
    assert!(html.contains("Kuruluşu silin") && html.contains("Alan adı ekle"), "{html}");
}

#[tokio::test]
async fn the_last_owner_is_offered_neither_remove_nor_change_role() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let bob = active_user(&app, "bob@example.com").await;
    let acme = org(&app, "Acme", ada).await;
    add(&app, acme, bob, "member").await;
    let admin = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let (_, html) = get(&app, &admin, "/org/acme/members").await;
    // Bob can be given another role or removed; Ada, the only owner, cannot.
    assert!(html.contains("Change role<span class=\"visually-hidden\"> of bob@example.com</span>"), "{html}");
    assert!(html.contains("Remove<span class=\"visually-hidden\"> bob@example.com</span>"), "{html}");
    assert!(!html.contains("of ada@example.com</span>") && !html.contains("> ada@example.com</span>"), "{html}");
    assert!(!html.contains("Role of ada@example.com") && html.contains("The last owner"), "{html}");
    // The accessible name of "Change role" contains its visible label (no other aria-label).
    assert!(!html.contains("aria-label=\"Change the role"), "{html}");
    // With a second owner, either may be changed or removed.
    app.core.change_member_role(Actor::Operator, acme, bob, "owner", &RequestMeta::cli()).await.unwrap();
    let (_, html) = get(&app, &admin, "/org/acme/members").await;
    assert!(html.contains("Change role<span class=\"visually-hidden\"> of ada@example.com</span>"), "{html}");
    assert!(html.contains("Remove<span class=\"visually-hidden\"> ada@example.com</span>"), "{html}");
    assert!(!html.contains("The last owner"), "{html}");
}

#[tokio::test]
async fn removing_a_member_asks_first_and_only_those_who_may() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let bob = active_user(&app, "bob@example.com").await;
    let cy = active_user(&app, "cy@example.com").await;
    let acme = org(&app, "Acme", ada).await;
    add(&app, acme, bob, "member").await;
    add(&app, acme, cy, "member").await;
    let admin = signed_in_browser(&app, "ada@example.com", PASSWORD).await;
    let (_, html) = get(&app, &admin, "/org/acme/members").await;
    assert!(html.contains(&format!("href=\"/org/acme/members/remove?user={bob}\"")), "{html}");
    let ask = format!("/org/acme/members/remove?user={bob}");
    let (status, html) = get(&app, &admin, &ask).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("bob@example.com loses access to Acme") && html.contains("name=\"user\""), "{html}");
    // Someone who is not in the organization, or no one: not found.
    let outsider = active_user(&app, "eve@example.com").await;
    assert_eq!(get(&app, &admin, &format!("/org/acme/members/remove?user={outsider}")).await.0, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, &admin, "/org/acme/members/remove?user=nobody").await.0, StatusCode::NOT_FOUND);
    // A member may not even ask.
    let member = signed_in_browser(&app, "cy@example.com", PASSWORD).await;
    assert_eq!(get(&app, &member, &ask).await.0, StatusCode::FORBIDDEN);
    // The form removes.
    let res = post_form(&app, &admin, "/org/acme/members/remove", &[("user", &bob.to_string())]).await;
    assert_eq!(location(&res), "/org/acme/members");
    let members = app.core.organization_members(Actor::Operator, acme, "", 0).await.unwrap().members;
    assert!(members.iter().all(|m| m.user_id != bob), "bob is gone");
}
