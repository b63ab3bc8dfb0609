//! The organization admin's member list over HTTP, in the console's look: columns sorted both
//! ways by a header link (the order marked with `aria-sort`, kept by the search and the pages),
//! the open invitations as a table with its empty state; deleting a group or a role asks first.

use keystead_core::audit::RequestMeta;
use keystead_core::organizations::{Actor, NewOrganization};
use keystead_testkit::TestApp;
use reqwest::StatusCode;
use time::Duration;

use super::auth::{PASSWORD, active_user, get, location, post_form, signed_in_browser};

/// The addresses in the order the page lists them.
fn listed(html: &str, addresses: &[&str]) -> Vec<String> {
    let mut found: Vec<(usize, String)> = addresses
        .iter()
        .filter_map(|a| html.find(&format!("<span class=\"muted small\">{a}</span>")).map(|i| (i, (*a).to_owned())))
        .collect();
    found.sort();
    found.into_iter().map(|(_, a)| a).collect()
}

/// The `href` of the header link of the column named `label`, and its `aria-sort`.
fn header(html: &str, label: &str) -> (String, String) {
    let end = html.find(&format!("\">{label}</a></th>")).unwrap_or_else(|| panic!("no sortable {label}: {html}"));
    let th = &html[html[..end].rfind("<th").unwrap()..end];
    let href = th.rsplit("href=\"").next().unwrap().replace("&amp;", "&");
    let aria = th.split("aria-sort=\"").nth(1).map(|s| s.split('"').next().unwrap().to_owned()).unwrap_or_default();
    (href, aria)
}

#[tokio::test]
async fn an_admin_sorts_the_members_by_address_and_by_joining_both_ways() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let new = NewOrganization { name: "Acme", slug: None, owner: Some(ada) };
    let acme = app.core.create_organization(Actor::Operator, new, &RequestMeta::cli()).await.unwrap().id;
    for name in ["cy", "bo", "di"] {
        app.clock.advance(Duration::days(1));
        let u = active_user(&app, &format!("{name}@example.com")).await;
        app.core.add_organization_member(Actor::Operator, acme, u, "member", &RequestMeta::cli()).await.unwrap();
    }
    let all = ["ada@example.com", "bo@example.com", "cy@example.com", "di@example.com"];
    let admin = signed_in_browser(&app, "ada@example.com", PASSWORD).await;

    let (_, html) = get(&app, &admin, "/org/acme/members").await;
    assert_eq!(listed(&html, &all), ["ada@example.com", "bo@example.com", "cy@example.com", "di@example.com"]);
    let (by_member, aria) = header(&html, "Member");
    assert_eq!((by_member.as_str(), aria.as_str()), ("/org/acme/members?sort=-email", "ascending"));
    let (by_joined, aria) = header(&html, "Joined");
    assert_eq!((by_joined.as_str(), aria.as_str()), ("/org/acme/members?sort=joined", ""));

    let (_, html) = get(&app, &admin, &by_member).await;
    assert_eq!(listed(&html, &all), ["di@example.com", "cy@example.com", "bo@example.com", "ada@example.com"]);
    assert_eq!(header(&html, "Member"), ("/org/acme/members".to_owned(), "descending".to_owned()));

    let (_, html) = get(&app, &admin, &by_joined).await;
    assert_eq!(listed(&html, &all), ["ada@example.com", "cy@example.com", "bo@example.com", "di@example.com"]);
    let (newest, aria) = header(&html, "Joined");
    assert_eq!((newest.as_str(), aria.as_str()), ("/org/acme/members?sort=-joined", "ascending"));
    let (_, html) = get(&app, &admin, &newest).await;
    assert_eq!(listed(&html, &all), ["di@example.com", "bo@example.com", "cy@example.com", "ada@example.com"]);
    assert!(html.contains("<input type=\"hidden\" name=\"sort\" value=\"-joined\">"), "the search keeps the order");

    // A search keeps the order in the column links; a nonsense order is the default one.
    let (_, html) = get(&app, &admin, "/org/acme/members?q=example&sort=-joined").await;
    assert_eq!(header(&html, "Member").0, "/org/acme/members?q=example");
    let (status, html) = get(&app, &admin, "/org/acme/members?sort=%27;drop").await;
    assert_eq!(status, reqwest::StatusCode::OK);
    assert_eq!(listed(&html, &all)[0], "ada@example.com");
    // The dates the members joined are shown, and no invitation is open.
    assert!(
        html.contains("data-label=\"Joined\" class=\"date\">") && html.contains("No invitation is open."),
        "{html}"
    );
}

#[tokio::test]
async fn deleting_a_group_or_a_role_asks_first_and_only_those_who_may() {
    let app = TestApp::new().await;
    let ada = active_user(&app, "ada@example.com").await;
    let bob = active_user(&app, "bob@example.com").await;
    let new = NewOrganization { name: "Acme", slug: None, owner: Some(ada) };
    let meta = RequestMeta::cli();
    let acme = app.core.create_organization(Actor::Operator, new, &meta).await.unwrap().id;
    app.core.add_organization_member(Actor::Operator, acme, bob, "member", &meta).await.unwrap();
    let staff = app.core.create_group(Actor::Operator, acme, "Staff", "", "closed", &meta).await.unwrap();
    app.core.add_to_group(Actor::Operator, staff, bob, &meta).await.unwrap();
    let role = app.core.create_role(Actor::Operator, acme, "Auditors", &["members:read".to_owned()], &meta).await;
    let role = role.unwrap();
    let admin = signed_in_browser(&app, "ada@example.com", PASSWORD).await;

    let (_, html) = get(&app, &admin, "/org/acme/groups").await;
    let ask = format!("/org/acme/groups/delete?group={staff}");
    assert!(html.contains(&format!("href=\"{ask}\"")), "a link, not a form that deletes at once: {html}");
    let (status, html) = get(&app, &admin, &ask).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("The group Staff is deleted: its member leaves it and stays in Acme."), "{html}");
    assert!(html.contains("href=\"/org/acme/groups\">Cancel</a>"), "{html}");

    let (_, html) = get(&app, &admin, "/org/acme/roles").await;
    let ask_role = format!("/org/acme/roles/delete?role={role}");
    assert!(html.contains(&format!("href=\"{ask_role}\"")), "{html}");
    let (status, html) = get(&app, &admin, &ask_role).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("The role Auditors is deleted") && html.contains("name=\"role\""), "{html}");

    // Unknown or malformed ids are not found; a member without the permission may not ask.
    for path in ["/org/acme/groups/delete?group=nonsense", "/org/acme/roles/delete?role=", "/org/acme/groups/delete"] {
        assert_eq!(get(&app, &admin, path).await.0, StatusCode::NOT_FOUND, "{path}");
    }
    let member = signed_in_browser(&app, "bob@example.com", PASSWORD).await;
    assert_eq!(get(&app, &member, &ask).await.0, StatusCode::FORBIDDEN);
    assert_eq!(get(&app, &member, &ask_role).await.0, StatusCode::FORBIDDEN);

    // The forms delete.
    let res = post_form(&app, &admin, "/org/acme/groups/delete", &[("group", &staff.to_string())]).await;
    assert_eq!(location(&res), "/org/acme/groups");
    assert!(app.core.groups_for(ada, acme).await.unwrap().is_empty());
    let res = post_form(&app, &admin, "/org/acme/roles/delete", &[("role", &role.to_string())]).await;
    assert_eq!(location(&res), "/org/acme/roles");
    let roles = app.core.organization_roles(Actor::Operator, acme).await.unwrap();
    assert!(roles.iter().all(|r| r.name != "Auditors"));
}
