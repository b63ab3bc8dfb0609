//! Organizations (create, rename, settings, groups, roles, invitations' roles, domains, member
//! search) and agreements (publishing, rendering).

use proptest::prelude::*;

use super::{accepted_or_field_errors, config, input, text};
use crate::agreements::{check_new_agreement, markdown};
use crate::organizations::domains::parse_domain;
use crate::organizations::groups::check_new_group;
use crate::organizations::members::like_pattern;
use crate::organizations::roles::check_new_role;
use crate::organizations::{
    BuiltinRole, JoinPolicy, OrganizationSettings, Permission, check_settings, check_slug, clean_text, dns, logo,
    slug_from,
};

const NAMES: &[&str] = &["Acme Widgets GmbH", "Café Ünïcode", "ACME"];
const SLUGS: &[&str] = &["acme", "acme-widgets", "a1"];
const DOMAINS: &[&str] = &["example.com", "@example.com", "münchen.de", "sub.example.co.uk"];

proptest! {
    #![proptest_config(config())]

    #[test]
    fn organization_names_are_cleaned_or_refused(name in input(NAMES)) {
        let mut errors = crate::FieldErrors::new();
        let cleaned = clean_text("name", &name, 100, &mut errors);
        let result = errors.into_result().map(|()| cleaned);
        accepted_or_field_errors(&result, &["name"])?;
    }

    #[test]
    fn short_names_are_checked_or_refused(slug in input(SLUGS)) {
        let checked = check_slug(&slug);
        accepted_or_field_errors(&checked, &["slug"])?;
        if let Ok(s) = checked {
            prop_assert!((2..=50).contains(&s.len()) && s.is_ascii());
        }
    }

    #[test]
    fn short_names_derived_from_any_name_are_ascii_and_short(name in input(NAMES)) {
        let slug = slug_from(&name);
        prop_assert!(slug.len() <= 50 && slug.is_ascii() && !slug.ends_with('-'), "{slug:?}");
        let _ = check_slug(&slug);
    }

    #[test]
    fn organization_settings_are_checked_or_refused(
        min in proptest::option::of(any::<u32>()),
        max in proptest::option::of(any::<u32>()),
        require_mfa in any::<bool>(),
    ) {
        let settings = OrganizationSettings { require_mfa, password_min_length: min, password_max_length: max };
        accepted_or_field_errors(&check_settings(&settings), &["password_min_length", "password_max_length"])?;
    }

    #[test]
    fn new_groups_are_checked_or_refused(
        name in input(&["Engineering", "Ünïcode"]),
        description in text(),
        policy in input(&["open", "permission", "closed"]),
    ) {
        let checked = check_new_group(&name, &description, &policy);
        accepted_or_field_errors(&checked, &["name", "description", "join_policy"])?;
    }

    #[test]
    fn new_roles_are_checked_or_refused(
        name in input(&["Auditor", "owner", "Prüfer"]),
        permissions in proptest::collection::vec(input(&["members:read", "groups:manage", "roles:manage"]), 0..4),
    ) {
        accepted_or_field_errors(&check_new_role(&name, &permissions), &["name", "permissions"])?;
    }

    #[test]
    fn role_permission_and_policy_names_parse_or_not(word in input(&["owner", "admin", "members:read", "open"])) {
        // An invitation or a role change names its role: built-in ones parse, anything else
        // is looked up (and refused as `unknown_role` when absent).
        let _ = (BuiltinRole::parse(&word), Permission::parse(&word), JoinPolicy::parse(&word));
    }

    #[test]
    fn domains_parse_or_name_the_field(domain in input(DOMAINS)) {
        let parsed = parse_domain(&domain);
        accepted_or_field_errors(&parsed, &["domain"])?;
        if let Ok(d) = parsed {
            prop_assert!(d.is_ascii() && d == d.to_ascii_lowercase(), "{d:?}");
            prop_assert!(dns::record_name(&d).ends_with(&d));
        }
    }

    #[test]
    fn member_searches_become_literal_patterns(search in text()) {
        let pattern = like_pattern(&search);
        prop_assert!(pattern.starts_with('%') && pattern.ends_with('%'));
    }

    #[test]
    fn initials_come_from_any_name(name in input(NAMES)) {
        prop_assert!(logo::initials(&name).chars().count() <= 6);
    }

    #[test]
    fn new_agreements_are_checked_or_refused(
        key in input(&["terms", "privacy-2", "dpa_eu"]),
        title in input(&["Terms of Service"]),
        body in input(&["# Terms\n\nYou agree.", "[link](https://example.com)"]),
    ) {
        accepted_or_field_errors(&check_new_agreement(&key, &title, &body), &["key", "title", "body"])?;
    }

    #[test]
    fn agreement_markdown_renders_without_unsafe_links(body in input(&["[x](javascript:alert(1))", "# T\n\n*a*"])) {
        let html = markdown::render(&body);
        prop_assert!(!html.to_ascii_lowercase().contains("href=\"javascript:"), "{html}");
    }
}
