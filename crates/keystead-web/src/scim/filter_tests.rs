use serde_json::{Value, json};

use super::*;
use crate::scim::schema::{GROUP, Mutability, Returned, Schema, USER, Uniqueness};

fn path(s: &str) -> AttrPath {
    AttrPath::parse(s).unwrap()
}

fn present(s: &str) -> Filter {
    Filter::Present(path(s))
}

fn eq(p: &str, value: Value) -> Filter {
    Filter::Compare { path: path(p), op: CompareOp::Eq, value }
}

fn err(input: &str) -> ScimError {
    parse(input).unwrap_err()
}

fn user_matches(filter: &str, doc: &Value) -> bool {
    let filter = parse(filter).unwrap();
    validate(&USER, &filter).unwrap();
    matches(&USER, &filter, doc)
}

fn ada() -> Value {
    json!({
        "schemas": [schema::USER_SCHEMA, schema::ENTERPRISE_USER],
        "id": "2819c223-7f76-453a-919d-413861904646",
        "externalId": "Ext-1",
        "userName": "Ada@Example.com",
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "title": "Mathematician",
        "nickName": "",
        "active": true,
        "emails": [
            {"value": "ada@work.example.com", "type": "work", "primary": true},
            {"value": "ada@home.example.org", "type": "home"},
        ],
        "meta": {"resourceType": "User", "created": "2026-01-02T03:04:05Z", "lastModified": "2026-12-04T10:00:00.123456Z"},
        schema::ENTERPRISE_USER: {"department": "Engines", "manager": {"value": "babbage-id"}},
    })
}

#[test]
fn attribute_paths_split_the_urn_at_its_last_colon() {
    assert_eq!(path("userName"), AttrPath { uri: None, attr: "userName".into(), sub: None });
    assert_eq!(path("name.familyName").sub.as_deref(), Some("familyName"));
    let p = path("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber");
    assert_eq!(p.uri.as_deref(), Some(schema::ENTERPRISE_USER));
    assert_eq!(p.attr, "employeeNumber");
    let p = path("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value");
    assert_eq!((p.attr.as_str(), p.sub.as_deref()), ("manager", Some("value")));
    assert_eq!(path("urn:ietf:params:scim:schemas:core:2.0:User:userName").uri.as_deref(), Some(schema::USER_SCHEMA));
    assert_eq!(path("emails.$ref").sub.as_deref(), Some("$ref"));
    assert_eq!(p.to_string(), "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value");
}

#[test]
fn malformed_attribute_paths_are_invalid_path() {
    for bad in ["", "1name", "name.", "a.b.c", "user name", "urn:", "urn:x:", "na\u{e9}me"] {
        let e = AttrPath::parse(bad).unwrap_err();
        assert_eq!((e.status, e.scim_type), (400, Some("invalidPath")), "{bad}");
    }
}

#[test]
fn and_binds_tighter_than_or_and_not_tighter_than_and() {
    let f = parse("title pr or userName pr and nickName pr").unwrap();
    let and = Filter::And(Box::new(present("userName")), Box::new(present("nickName")));
    assert_eq!(f, Filter::Or(Box::new(present("title")), Box::new(and)));
    let f = parse("not (title pr) and userName pr").unwrap();
    let not = Filter::Not(Box::new(present("title")));
    assert_eq!(f, Filter::And(Box::new(not), Box::new(present("userName"))));
    let f = parse("(title pr or userName pr) and nickName pr").unwrap();
    assert!(matches!(f, Filter::And(left, _) if matches!(*left, Filter::Or(..))));
}

#[test]
fn operators_and_keywords_are_case_insensitive() {
    let f = parse("userName EQ \"x\" AND title Pr OR NOT (active Eq TRUE)").unwrap();
    assert!(matches!(f, Filter::Or(..)));
    assert_eq!(
        parse("userName Sw \"a\"").unwrap(),
        Filter::Compare { path: path("userName"), op: CompareOp::Sw, value: json!("a") }
    );
}

#[test]
fn values_are_json_literals() {
    assert_eq!(parse(r#"title eq "a\"b\u00e9\\""#).unwrap(), eq("title", json!("a\"b\u{e9}\\")));
    assert_eq!(parse("title eq 42").unwrap(), eq("title", json!(42)));
    assert_eq!(
        parse("title gt -1.5e2").unwrap(),
        Filter::Compare { path: path("title"), op: CompareOp::Gt, value: json!(-150.0) }
    );
    assert_eq!(parse("active eq false").unwrap(), eq("active", json!(false)));
    assert_eq!(parse("title eq null").unwrap(), eq("title", Value::Null));
    assert!(err("title eq Mathematician").detail.contains("expected a value"));
    assert!(err(r#"title eq "bad \x escape""#).detail.contains("not valid"));
}

#[test]
fn value_paths_parse_but_a_trailing_sub_attribute_does_not() {
    let f = parse(r#"emails[type eq "work" and value co "@example.com"]"#).unwrap();
    let Filter::ValuePath { attr, filter } = f else { panic!("not a value path") };
    assert_eq!(attr, path("emails"));
    assert!(matches!(*filter, Filter::And(..)));
    let e = err(r#"emails[type eq "work"].value"#);
    assert_eq!(e.scim_type, Some("invalidFilter"));
    assert!(e.detail.contains("only allowed in a PATCH path"), "{}", e.detail);
    assert!(err(r#"emails[type eq "work" and x[y pr]]"#).detail.contains("cannot contain another"));
    assert!(parse(r#"userName eq "a" and emails[type eq "work"]"#).is_ok());
}

#[test]
fn syntax_errors_say_where_and_what() {
    let e = err("userName eq");
    assert_eq!((e.status, e.scim_type), (400, Some("invalidFilter")));
    assert!(e.detail.contains("at byte 11") && e.detail.contains("value"), "{}", e.detail);
    assert!(err("userName equals \"x\"").detail.contains("at byte 9: 'equals' is not an operator"));
    assert!(err("userName eq \"x").detail.contains("not closed"));
    assert!(err("userName eq \"x\")").detail.contains("unexpected ')'"));
    assert!(err("userName eq \"x\" # 1").detail.contains("unexpected character '#'"));
    assert!(err("(userName pr").detail.contains("ends where ')' was expected"));
    assert!(err("(userName pr title pr)").detail.contains("expected ')', found 'title'"));
    assert!(err("").detail.contains("empty"));
    assert!(err("and userName pr").detail.contains("not an operator"));
}

#[test]
fn long_or_deep_filters_are_refused() {
    let long = format!("userName eq \"{}\"", "a".repeat(MAX_FILTER_LEN));
    assert!(err(&long).detail.contains("longer than 4096"));
    let deep = format!("{}userName pr{}", "(".repeat(40), ")".repeat(40));
    assert!(err(&deep).detail.contains("nested deeper than 32"));
    let nots = format!("{}userName pr", "not ".repeat(40));
    assert!(err(&nots).detail.contains("nested deeper"));
    let fine = format!("{}userName pr{}", "(".repeat(20), ")".repeat(20));
    assert!(parse(&fine).is_ok());
}

#[test]
fn simple_equality_names_the_indexed_attribute() {
    let simple = |s: &str| parse(s).unwrap().simple_eq(&USER).map(|(a, v)| (a, v.to_owned()));
    assert_eq!(simple(r#"userName eq "bjensen""#), Some(("userName", "bjensen".to_owned())));
    assert_eq!(simple(r#"USERNAME eq "bjensen""#), Some(("userName", "bjensen".to_owned())));
    assert_eq!(simple(r#"urn:ietf:params:scim:schemas:core:2.0:User:userName eq "b""#), Some(("userName", "b".into())));
    assert_eq!(simple(r#"externalid eq "e""#), Some(("externalId", "e".into())));
    assert_eq!(simple(r#"id eq "i""#), Some(("id", "i".into())));
    assert_eq!(simple(r#"title eq "t""#), None);
    assert_eq!(simple(r#"userName co "b""#), None);
    assert_eq!(simple(r#"userName eq "b" and active eq true"#), None);
    assert_eq!(simple(r#"urn:ietf:params:scim:schemas:core:2.0:Group:userName eq "b""#), None);
    let group = parse(r#"displayName eq "Group1""#).unwrap();
    assert_eq!(group.simple_eq(&GROUP), Some(("displayName", "Group1")));
}

#[test]
fn strings_compare_case_insensitively_unless_case_exact() {
    let doc = ada();
    assert!(user_matches(r#"userName eq "ada@example.COM""#, &doc));
    assert!(user_matches(r#"USERNAME sw "ADA@""#, &doc));
    assert!(user_matches(r#"name.familyName ew "LACE""#, &doc));
    assert!(user_matches(r#"externalId eq "Ext-1""#, &doc));
    assert!(!user_matches(r#"externalId eq "ext-1""#, &doc));
    assert!(user_matches(r#"id eq "2819c223-7f76-453a-919d-413861904646""#, &doc));
    assert!(user_matches(r#"title gt "M" and title lt "N""#, &doc));
    assert!(!user_matches(r#"title ge "n""#, &doc));
}

#[test]
fn multi_valued_attributes_match_when_any_value_does() {
    let doc = ada();
    assert!(user_matches(r#"emails.value co "@home.example""#, &doc));
    assert!(user_matches(r#"emails co "@HOME.example""#, &doc));
    assert!(user_matches(r#"emails.type eq "home""#, &doc));
    assert!(!user_matches(r#"emails.type eq "other""#, &doc));
    assert!(user_matches(r#"emails[type eq "work" and value co "@work.example.com"]"#, &doc));
    assert!(!user_matches(r#"emails[type eq "home" and primary eq true]"#, &doc));
    assert!(user_matches(r#"emails[not (type eq "work")]"#, &doc));
}

#[test]
fn presence_and_null_follow_rfc_7644() {
    let doc = ada();
    assert!(user_matches("title pr", &doc));
    assert!(!user_matches("nickName pr", &doc), "an empty string is not present");
    assert!(!user_matches("displayName pr", &doc));
    assert!(user_matches("emails pr", &doc));
    assert!(user_matches("displayName eq null", &doc));
    assert!(user_matches("nickName eq null", &doc));
    assert!(!user_matches("title eq null", &doc));
    assert!(user_matches("title ne null", &doc));
    assert!(user_matches(r#"displayName ne "x""#, &doc));
    assert!(!user_matches(r#"title ne "mathematician""#, &doc));
    let mut no_emails = ada();
    no_emails["emails"] = json!([]);
    assert!(!user_matches("emails pr", &no_emails));
}

#[test]
fn date_times_compare_chronologically() {
    let doc = ada();
    assert!(user_matches(r#"meta.lastModified gt "2011-05-13T04:42:34Z""#, &doc));
    assert!(user_matches(r#"meta.lastModified gt "2026-12-04T10:00:00Z""#, &doc));
    assert!(user_matches(r#"meta.lastModified lt "2026-12-04T11:00:00.5+01:00""#, &doc));
    assert!(user_matches(r#"meta.created eq "2026-01-02T04:04:05+01:00""#, &doc));
    assert!(!user_matches(r#"meta.created gt "2026-01-02T03:04:05.000001Z""#, &doc));
}

#[test]
fn booleans_match_strings_that_spell_them() {
    let mut doc = ada();
    assert!(user_matches("active eq true", &doc));
    doc["active"] = json!("False");
    assert!(user_matches("active eq false", &doc));
    assert!(user_matches("not (active eq true)", &doc));
}

#[test]
fn extension_attributes_are_found_under_their_urn() {
    let doc = ada();
    let ext = schema::ENTERPRISE_USER;
    assert!(user_matches(&format!(r#"{ext}:department eq "engines""#), &doc));
    assert!(user_matches(&format!(r#"{ext}:manager.value eq "babbage-id""#), &doc));
    assert!(!user_matches(&format!(r#"{ext}:costCenter pr"#), &doc));
    assert!(!user_matches(r#"department eq "Engines""#, &doc), "extension attributes need their URN");
}

#[test]
fn unknown_attributes_match_nothing() {
    let doc = ada();
    assert!(!user_matches(r#"password eq "x""#, &doc));
    assert!(!user_matches("roles pr", &doc));
    assert!(!user_matches(r#"emails[nonsense eq "x"]"#, &doc));
    assert!(user_matches(r#"not (password eq "x")"#, &doc));
}

#[test]
fn ordering_booleans_or_malformed_date_times_is_invalid_filter() {
    let invalid = |s: &str| validate(&USER, &parse(s).unwrap()).unwrap_err().scim_type;
    assert_eq!(invalid("active gt true"), Some("invalidFilter"));
    assert_eq!(invalid("emails[primary le false]"), Some("invalidFilter"));
    assert_eq!(invalid(r#"meta.lastModified gt "yesterday""#), Some("invalidFilter"));
    assert!(validate(&USER, &parse(r#"meta.lastModified gt "2011-05-13T04:42:34Z""#).unwrap()).is_ok());
    assert!(validate(&USER, &parse("unknown gt true").unwrap()).is_ok());
}

static MEASURED_CORE: Schema = Schema {
    id: "urn:example:Measured",
    name: "Measured",
    description: "A test schema with numbers.",
    attributes: &[schema::Attribute {
        name: "height",
        kind: AttrType::Decimal,
        multi_valued: false,
        required: false,
        case_exact: false,
        mutability: Mutability::ReadWrite,
        returned: Returned::Default,
        uniqueness: Uniqueness::None,
        canonical_values: &[],
        reference_types: &[],
        sub_attributes: &[],
        description: "Height in metres.",
    }],
};
static MEASURED: ResourceSchema =
    ResourceSchema { name: "Measured", endpoint: "/M", core: &MEASURED_CORE, extensions: &[] };

#[test]
fn numbers_compare_numerically() {
    let doc = json!({"height": 10.5});
    let m = |s: &str| matches(&MEASURED, &parse(s).unwrap(), &doc);
    assert!(m("height gt 9"), "numerically 10.5 > 9, though \"10.5\" < \"9\"");
    assert!(m("height eq 10.50"));
    assert!(m("height le 10.5") && !m("height lt 10.5"));
}

#[test]
fn entra_id_and_okta_filters_work() {
    let doc = ada();
    assert!(user_matches(r#"userName eq "Ada@Example.com""#, &doc));
    assert!(user_matches(r#"externalId eq "Ext-1""#, &doc));
    let group = json!({"id": "g1", "displayName": "Group1", "members": [{"value": "u1"}, {"value": "u2"}]});
    let g = |s: &str| matches(&GROUP, &parse(s).unwrap(), &group);
    assert!(g(r#"displayName eq "group1""#));
    assert!(g(r#"id eq "g1" and members[value eq "u2"]"#));
    assert!(!g(r#"id eq "g1" and members[value eq "u3"]"#));
    assert!(g(r#"members.value eq "u1""#));
}
