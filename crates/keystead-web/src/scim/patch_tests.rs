use serde_json::{Value, json};

use super::*;
use crate::scim::schema::{ENTERPRISE_USER, GROUP, GROUP_SCHEMA, USER, USER_SCHEMA, normalize};

fn body(operations: Value) -> Value {
    json!({"schemas": [PATCH_OP], "Operations": operations})
}

/// Parses, applies and normalises, as the handler does.
fn patch(resource: &ResourceSchema, doc: &Value, operations: Value) -> Result<Value, ScimError> {
    let ops = parse(&body(operations))?;
    let mut doc = doc.clone();
    apply(resource, &mut doc, &ops)?;
    normalize(resource, &doc)
}

fn user() -> Value {
    json!({
        "schemas": [USER_SCHEMA, ENTERPRISE_USER],
        "id": "u1",
        "userName": "ada",
        "active": true,
        "title": "Countess",
        "name": {"familyName": "Lovelace"},
        "emails": [
            {"value": "ada@work.example", "type": "work", "primary": true},
            {"value": "ada@home.example", "type": "home"},
        ],
        ENTERPRISE_USER: {"department": "Engines"},
    })
}

fn group() -> Value {
    json!({"schemas": [GROUP_SCHEMA], "id": "g1", "displayName": "Group1", "members": [{"value": "u1"}, {"value": "u2"}]})
}

fn error(result: Result<impl std::fmt::Debug, ScimError>) -> (u16, Option<&'static str>) {
    let e = result.unwrap_err();
    (e.status, e.scim_type)
}

fn members(doc: &Value) -> Vec<&str> {
    doc["members"].as_array().map_or(Vec::new(), |m| m.iter().map(|m| m["value"].as_str().unwrap()).collect())
}

#[test]
fn a_patch_needs_the_patch_op_schema_and_one_to_a_thousand_operations() {
    let one = json!([{"op": "add", "path": "title", "value": "x"}]);
    assert_eq!(error(parse(&json!({"Operations": one}))), (400, Some("invalidSyntax")));
    assert_eq!(error(parse(&json!({"schemas": [USER_SCHEMA], "Operations": one}))), (400, Some("invalidSyntax")));
    assert_eq!(error(parse(&body(json!([])))), (400, Some("invalidSyntax")));
    let many: Vec<Value> = (0..=MAX_OPERATIONS).map(|_| json!({"op": "remove", "path": "title"})).collect();
    assert_eq!(error(parse(&body(Value::Array(many)))), (400, Some("invalidSyntax")));
    assert_eq!(parse(&json!({"schemas": [PATCH_OP], "operations": one})).unwrap().len(), 1);
}

#[test]
fn operations_are_read_case_insensitively_and_checked() {
    let ops = parse(&body(json!([
        {"op": "Add", "path": "title", "value": "x"},
        {"op": "Replace", "value": {"active": false}},
        {"op": "remove", "path": "nickName"},
    ])))
    .unwrap();
    assert_eq!(ops.iter().map(|o| o.op).collect::<Vec<_>>(), [Op::Add, Op::Replace, Op::Remove]);
    assert!(ops[1].path.is_none());
    assert_eq!(error(parse(&body(json!([{"op": "move", "path": "title"}])))), (400, Some("invalidSyntax")));
    assert_eq!(error(parse(&body(json!([{"op": "remove"}])))), (400, Some("noTarget")));
    assert_eq!(error(parse(&body(json!([{"op": "add", "path": "title"}])))), (400, Some("invalidValue")));
    let e =
        parse(&body(json!([{"op": "add", "path": "title", "value": 1}, {"op": "remove", "path": "a b"}]))).unwrap_err();
    assert_eq!(e.scim_type, Some("invalidPath"));
    assert!(e.detail.starts_with("operation 2: "), "{}", e.detail);
}

#[test]
fn patch_paths_parse_with_filters_and_sub_attributes() {
    let p = PatchPath::parse("name.givenName").unwrap();
    assert_eq!((p.attr.attr.as_str(), p.attr.sub.as_deref(), p.filter.is_none()), ("name", Some("givenName"), true));
    let p = PatchPath::parse(r#"emails[type eq "work"].value"#).unwrap();
    assert_eq!((p.attr.attr.as_str(), p.sub.as_deref()), ("emails", Some("value")));
    assert!(matches!(p.filter, Some(Filter::Compare { op: CompareOp::Eq, .. })));
    let p = PatchPath::parse(r#"members[value eq "2819c223-7f76-453a-919d-413861904646"]"#).unwrap();
    assert!(p.filter.is_some() && p.sub.is_none());
    let p = PatchPath::parse(&format!("{ENTERPRISE_USER}:manager.value")).unwrap();
    assert_eq!((p.attr.uri.as_deref(), p.attr.sub.as_deref()), (Some(ENTERPRISE_USER), Some("value")));
    for bad in [
        r#"emails[type eq "work""#,
        r#"emails[type eq "work"]x"#,
        r#"name.givenName[x pr]"#,
        "emails[x eq]",
        "emails[a[b pr]]",
    ] {
        assert_eq!(PatchPath::parse(bad).unwrap_err().scim_type, Some("invalidPath"), "{bad}");
    }
}

#[test]
fn entra_id_replaces_active_with_a_string_boolean() {
    let out = patch(&USER, &user(), json!([{"op": "Replace", "path": "active", "value": "False"}])).unwrap();
    assert_eq!(out["active"], false);
}

#[test]
fn entra_id_adds_a_work_email_that_is_missing_or_updates_the_one_there() {
    let mut doc = user();
    doc["emails"] = json!([{"value": "ada@home.example", "type": "home"}]);
    let op = json!([{"op": "Add", "path": "emails[type eq \"work\"].value", "value": "a@b.c"}]);
    let out = patch(&USER, &doc, op.clone()).unwrap();
    assert_eq!(
        out["emails"],
        json!([{"value": "ada@home.example", "type": "home"}, {"type": "work", "value": "a@b.c"}])
    );
    let out = patch(&USER, &user(), op).unwrap();
    assert_eq!(out["emails"][0], json!({"value": "a@b.c", "type": "work", "primary": true}));
    assert_eq!(out["emails"].as_array().unwrap().len(), 2);
}

#[test]
fn entra_id_replaces_and_adds_without_a_path() {
    let out = patch(&USER, &user(), json!([{"op": "Replace", "value": {"active": false}}])).unwrap();
    assert_eq!((&out["active"], &out["title"]), (&json!(false), &json!("Countess")));
    let add = json!([{"op": "Add", "value": {
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": "Sales",
        "name.givenName": "Ada",
    }}]);
    let out = patch(&USER, &user(), add).unwrap();
    assert_eq!(out[ENTERPRISE_USER], json!({"department": "Sales"}));
    assert_eq!(out["name"], json!({"familyName": "Lovelace", "givenName": "Ada"}));
    let nested = json!([{"op": "add", "value": {ENTERPRISE_USER: {"costCenter": "42", "manager": {"value": "m1"}}}}]);
    let out = patch(&USER, &user(), nested).unwrap();
    assert_eq!(out[ENTERPRISE_USER], json!({"department": "Engines", "costCenter": "42", "manager": {"value": "m1"}}));
}

#[test]
fn entra_id_sets_the_manager_with_a_bare_id_and_removes_it() {
    let path = format!("{ENTERPRISE_USER}:manager");
    let out = patch(&USER, &user(), json!([{"op": "Replace", "path": path, "value": "m1"}])).unwrap();
    assert_eq!(out[ENTERPRISE_USER]["manager"], json!({"value": "m1"}));
    let out = patch(&USER, &out, json!([{"op": "Replace", "path": format!("{path}.value"), "value": "m2"}])).unwrap();
    assert_eq!(out[ENTERPRISE_USER]["manager"], json!({"value": "m2"}));
    let out = patch(&USER, &out, json!([{"op": "Remove", "path": path, "value": [{"value": "m2"}]}])).unwrap();
    assert_eq!(out[ENTERPRISE_USER], json!({"department": "Engines"}));
    let gone = patch(&USER, &out, json!([{"op": "remove", "path": format!("{ENTERPRISE_USER}:department")}])).unwrap();
    assert_eq!(gone["schemas"], json!([USER_SCHEMA]));
    assert!(gone.get(ENTERPRISE_USER).is_none());
}

#[test]
fn a_new_manager_does_not_keep_the_old_managers_ref() {
    let mut doc = user();
    doc[ENTERPRISE_USER]["manager"] = json!({"value": "m1", "$ref": "https://x/Users/m1", "displayName": "Babbage"});
    let path = format!("{ENTERPRISE_USER}:manager");
    let out = patch(&USER, &doc, json!([{"op": "replace", "path": path, "value": "m2"}])).unwrap();
    assert_eq!(out[ENTERPRISE_USER]["manager"], json!({"value": "m2"}));
    let out = patch(&USER, &doc, json!([{"op": "replace", "path": format!("{path}.value"), "value": "m3"}])).unwrap();
    assert_eq!(out[ENTERPRISE_USER]["manager"], json!({"value": "m3"}));
    let same = patch(&USER, &doc, json!([{"op": "add", "path": path, "value": {"value": "m1"}}])).unwrap();
    assert_eq!(same[ENTERPRISE_USER]["manager"], json!({"value": "m1", "$ref": "https://x/Users/m1"}));
}

#[test]
fn entra_id_adds_and_removes_group_members_and_renames_the_group() {
    let out =
        patch(&GROUP, &group(), json!([{"op": "Add", "path": "members", "value": [{"value": "u3"}, {"value": "U1"}]}]));
    assert_eq!(members(&out.unwrap()), ["u1", "u2", "u3"], "a member already there is not added twice");
    let out =
        patch(&GROUP, &group(), json!([{"op": "Remove", "path": "members", "value": [{"value": "u1"}]}])).unwrap();
    assert_eq!(members(&out), ["u2"], "only the listed members go");
    let out = patch(&GROUP, &group(), json!([{"op": "Replace", "path": "displayName", "value": "New"}])).unwrap();
    assert_eq!(out["displayName"], "New");
}

#[test]
fn okta_replaces_with_its_own_id_in_the_value() {
    let out = patch(&USER, &user(), json!([{"op": "replace", "value": {"id": "u1", "active": false}}])).unwrap();
    assert_eq!(out["active"], false);
    let other = patch(&USER, &user(), json!([{"op": "replace", "value": {"id": "u9", "active": false}}]));
    assert_eq!(error(other), (400, Some("mutability")));
    let out = patch(&GROUP, &group(), json!([{"op": "replace", "value": {"id": "g1", "displayName": "X"}}])).unwrap();
    assert_eq!(out["displayName"], "X");
}

#[test]
fn okta_removes_a_member_by_filter_and_replaces_the_member_list() {
    let out = patch(&GROUP, &group(), json!([{"op": "remove", "path": "members[value eq \"u2\"]"}])).unwrap();
    assert_eq!(members(&out), ["u1"]);
    let absent = patch(&GROUP, &group(), json!([{"op": "remove", "path": "members[value eq \"u9\"]"}])).unwrap();
    assert_eq!(members(&absent), ["u1", "u2"], "removing a member who is not there is no error");
    let out = patch(
        &GROUP,
        &group(),
        json!([{"op": "replace", "path": "members", "value": [{"value": "u7"}, {"value": "u8"}]}]),
    );
    assert_eq!(members(&out.unwrap()), ["u7", "u8"]);
    let out = patch(&GROUP, &group(), json!([{"op": "remove", "path": "members"}])).unwrap();
    assert!(out.get("members").is_none());
}

#[test]
fn paths_are_case_insensitive_and_unknown_ones_are_invalid() {
    let out = patch(&USER, &user(), json!([{"op": "replace", "path": "NAME.FAMILYNAME", "value": "Byron"}])).unwrap();
    assert_eq!(out["name"], json!({"familyName": "Byron"}));
    assert_eq!(
        error(patch(&USER, &user(), json!([{"op": "add", "path": "password", "value": "x"}]))),
        (400, Some("invalidPath"))
    );
    assert_eq!(
        error(patch(&USER, &user(), json!([{"op": "add", "path": "name.nickName", "value": "x"}]))),
        (400, Some("invalidPath"))
    );
    let ignored =
        patch(&USER, &user(), json!([{"op": "replace", "value": {"password": "secret", "title": "Lady"}}])).unwrap();
    assert_eq!((ignored.get("password"), &ignored["title"]), (None, &json!("Lady")));
}

#[test]
fn read_only_attributes_and_schemas_cannot_be_patched() {
    for path in ["id", "meta", "meta.lastModified", "groups", "schemas", "SCHEMAS"] {
        let result = patch(&USER, &user(), json!([{"op": "replace", "path": path, "value": "x"}]));
        assert_eq!(error(result), (400, Some("mutability")), "{path}");
    }
    let member_value = json!([{"op": "replace", "path": "members[value eq \"u1\"].value", "value": "u9"}]);
    assert_eq!(error(patch(&GROUP, &group(), member_value)), (400, Some("mutability")));
    let display = json!([{"op": "replace", "path": format!("{ENTERPRISE_USER}:manager.displayName"), "value": "x"}]);
    assert_eq!(error(patch(&USER, &user(), display)), (400, Some("mutability")));
}

#[test]
fn a_replace_whose_filter_matches_nothing_is_no_target_and_changes_nothing() {
    let ops = parse(&body(json!([
        {"op": "replace", "path": "title", "value": "Lady"},
        {"op": "replace", "path": "emails[type eq \"other\"].value", "value": "x@y.z"},
    ])))
    .unwrap();
    let mut doc = user();
    let e = apply(&USER, &mut doc, &ops).unwrap_err();
    assert_eq!((e.scim_type, e.detail.starts_with("operation 2:")), (Some("noTarget"), true));
    assert_eq!(doc, user(), "all or nothing");
}

#[test]
fn a_replace_with_a_filter_changes_only_the_matching_values() {
    let out =
        patch(&USER, &user(), json!([{"op": "replace", "path": "emails[type eq \"home\"].value", "value": "h@x"}]));
    let emails = out.unwrap()["emails"].clone();
    assert_eq!(emails[0]["value"], "ada@work.example");
    assert_eq!(emails[1], json!({"value": "h@x", "type": "home"}));
    let whole =
        json!([{"op": "replace", "path": "emails[type eq \"home\"]", "value": {"value": "n@x", "type": "other"}}]);
    assert_eq!(patch(&USER, &user(), whole).unwrap()["emails"][1], json!({"value": "n@x", "type": "other"}));
}

#[test]
fn removes_take_an_attribute_a_sub_attribute_or_the_matching_values() {
    let out = patch(&USER, &user(), json!([{"op": "remove", "path": "title"}])).unwrap();
    assert!(out.get("title").is_none());
    let out = patch(&USER, &user(), json!([{"op": "remove", "path": "emails[type eq \"work\"].value"}])).unwrap();
    assert_eq!(out["emails"][0], json!({"type": "work", "primary": true}));
    let out = patch(&USER, &user(), json!([{"op": "remove", "path": "emails[type eq \"work\"]"}])).unwrap();
    assert_eq!(out["emails"], json!([{"value": "ada@home.example", "type": "home"}]));
    let out = patch(&USER, &user(), json!([{"op": "remove", "path": "name.familyName"}])).unwrap();
    assert!(out.get("name").is_none(), "an object left empty goes");
    let required = patch(&USER, &user(), json!([{"op": "remove", "path": "userName"}]));
    assert_eq!(error(required), (400, Some("invalidValue")));
}

#[test]
fn add_appends_replaces_single_values_and_merges_complex_ones() {
    let out = patch(&USER, &user(), json!([{"op": "add", "path": "title", "value": "Lady"}])).unwrap();
    assert_eq!(out["title"], "Lady");
    let out = patch(&USER, &user(), json!([{"op": "add", "path": "name", "value": {"givenName": "Ada"}}])).unwrap();
    assert_eq!(out["name"], json!({"familyName": "Lovelace", "givenName": "Ada"}));
    let add = json!([{"op": "add", "path": "phoneNumbers", "value": {"value": "+1 555", "type": "work"}}]);
    assert_eq!(patch(&USER, &user(), add).unwrap()["phoneNumbers"], json!([{"value": "+1 555", "type": "work"}]));
    let dup = json!([{"op": "add", "path": "emails", "value": [{"value": "ada@home.example", "type": "home"}]}]);
    assert_eq!(patch(&USER, &user(), dup).unwrap()["emails"].as_array().unwrap().len(), 2);
    let replace = json!([{"op": "replace", "path": "emails", "value": [{"value": "only@x"}]}]);
    assert_eq!(patch(&USER, &user(), replace).unwrap()["emails"], json!([{"value": "only@x"}]));
}

#[test]
fn a_new_primary_value_takes_primary_from_the_others() {
    let add = json!([{"op": "add", "path": "emails", "value": {"value": "new@x", "type": "other", "primary": "True"}}]);
    let emails = patch(&USER, &user(), add).unwrap()["emails"].clone();
    assert_eq!(emails[0], json!({"value": "ada@work.example", "type": "work"}));
    assert_eq!(emails[2], json!({"value": "new@x", "type": "other", "primary": true}));
    let set = json!([{"op": "replace", "path": "emails[type eq \"home\"].primary", "value": true}]);
    let emails = patch(&USER, &user(), set).unwrap()["emails"].clone();
    assert_eq!((emails[0].get("primary"), &emails[1]["primary"]), (None, &json!(true)));
}

#[test]
fn path_filters_compare_string_booleans_as_booleans() {
    let mut doc = user();
    doc["emails"][0]["primary"] = json!("True");
    let op = json!([{"op": "replace", "path": "emails[primary eq true].value", "value": "p@x"}]);
    assert_eq!(patch(&USER, &doc, op).unwrap()["emails"][0]["value"], "p@x");
}

#[test]
fn wrong_values_are_invalid_value() {
    assert_eq!(error(patch(&USER, &user(), json!([{"op": "add", "value": "title"}]))), (400, Some("invalidValue")));
    assert_eq!(
        error(patch(&USER, &user(), json!([{"op": "replace", "path": "active", "value": "maybe"}]))),
        (400, Some("invalidValue"))
    );
    let replace_null = patch(&USER, &user(), json!([{"op": "replace", "path": "title", "value": null}])).unwrap();
    assert!(replace_null.get("title").is_none(), "replacing with null unassigns");
}
