use serde_json::{Value, json};

use super::*;
use crate::scim::error::ScimError;

const BASE: &str = "https://id.example.com/scim/v2/acme";

fn found(s: &str) -> Option<(&'static str, &'static str, Option<&'static str>)> {
    find(&USER, &AttrPath::parse(s).ok()?).map(|f| (f.schema.id, f.attribute.name, f.sub.map(|s| s.name)))
}

fn user_attr(path: &str) -> &'static Attribute {
    let f = find(&USER, &AttrPath::parse(path).unwrap()).unwrap();
    f.sub.unwrap_or(f.attribute)
}

fn invalid(result: Result<Value, ScimError>) -> String {
    let e = result.unwrap_err();
    assert_eq!((e.status, e.scim_type), (400, Some("invalidValue")), "{}", e.detail);
    e.detail
}

#[test]
fn the_user_schema_has_exactly_the_attributes_we_store() {
    let names: Vec<&str> = USER.core.attributes.iter().map(|a| a.name).collect();
    assert_eq!(
        names,
        [
            "id",
            "externalId",
            "userName",
            "name",
            "displayName",
            "nickName",
            "profileUrl",
            "title",
            "userType",
            "preferredLanguage",
            "locale",
            "timezone",
            "active",
            "emails",
            "phoneNumbers",
            "addresses",
            "groups",
            "meta"
        ]
    );
    let ext: Vec<&str> = USER.extensions[0].attributes.iter().map(|a| a.name).collect();
    assert_eq!(ext, ["employeeNumber", "costCenter", "organization", "division", "department", "manager"]);
    let group: Vec<&str> = GROUP.core.attributes.iter().map(|a| a.name).collect();
    assert_eq!(group, ["id", "externalId", "displayName", "members", "meta"]);
}

#[test]
fn paths_resolve_case_insensitively_with_or_without_the_urn() {
    assert_eq!(found("userName"), Some((USER_SCHEMA, "userName", None)));
    assert_eq!(found("USERNAME"), Some((USER_SCHEMA, "userName", None)));
    assert_eq!(found("name.GIVENNAME"), Some((USER_SCHEMA, "name", Some("givenName"))));
    assert_eq!(found("emails.value"), Some((USER_SCHEMA, "emails", Some("value"))));
    assert_eq!(found("urn:ietf:params:scim:schemas:core:2.0:User:userName"), Some((USER_SCHEMA, "userName", None)));
    let department = format!("{ENTERPRISE_USER}:department");
    assert_eq!(found(&department), Some((ENTERPRISE_USER, "department", None)));
    let manager = "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:Manager.Value";
    assert_eq!(found(manager), Some((ENTERPRISE_USER, "manager", Some("value"))));
    assert_eq!(found("department"), None);
    assert_eq!(found("password"), None);
    assert_eq!(found("name.nonsense"), None);
    assert_eq!(found("urn:ietf:params:scim:schemas:core:2.0:Group:displayName"), None);
}

#[test]
fn the_schemas_document_follows_rfc_7643_section_7() {
    let doc = schemas_document(BASE);
    assert_eq!(doc["schemas"], json!([LIST_RESPONSE]));
    assert_eq!(doc["totalResults"], 3);
    let ids: Vec<&str> = doc["Resources"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [USER_SCHEMA, ENTERPRISE_USER, GROUP_SCHEMA]);
    let user = &doc["Resources"][0];
    assert_eq!(user["meta"]["location"], format!("{BASE}/Schemas/{USER_SCHEMA}"));
    let attr = |name: &str| user["attributes"].as_array().unwrap().iter().find(|a| a["name"] == name).unwrap().clone();
    let user_name = attr("userName");
    assert_eq!(
        (&user_name["type"], &user_name["required"], &user_name["caseExact"], &user_name["uniqueness"]),
        (&json!("string"), &json!(true), &json!(false), &json!("server"))
    );
    assert_eq!((&attr("id")["returned"], &attr("id")["mutability"]), (&json!("always"), &json!("readOnly")));
    assert_eq!(attr("profileUrl")["referenceTypes"], json!(["external"]));
    assert_eq!(attr("active")["type"], "boolean");
    let emails = attr("emails");
    assert_eq!((&emails["multiValued"], &emails["type"]), (&json!(true), &json!("complex")));
    assert_eq!(emails["subAttributes"][2]["canonicalValues"], json!(["work", "home", "other"]));
    assert_eq!(attr("meta")["subAttributes"][1]["type"], "dateTime");
    assert_eq!(attr("groups")["subAttributes"][1]["referenceTypes"], json!(["User", "Group"]));
    assert!(attr("name").get("referenceTypes").is_none());
}

#[test]
fn one_schema_is_found_by_its_id() {
    let ext = schema_document(BASE, ENTERPRISE_USER).unwrap();
    assert_eq!(ext["attributes"][5]["subAttributes"][0]["name"], "value");
    assert_eq!(ext["attributes"][5]["subAttributes"][2]["mutability"], "readOnly");
    let group = schema_document(&format!("{BASE}/"), GROUP_SCHEMA).unwrap();
    assert_eq!(group["meta"]["location"], format!("{BASE}/Schemas/{GROUP_SCHEMA}"));
    assert_eq!(group["attributes"][3]["subAttributes"][3]["canonicalValues"], json!(["User", "Group"]));
    assert!(schema_document(BASE, "urn:nope").is_none());
}

#[test]
fn resource_types_list_user_with_its_extension_and_group() {
    let doc = resource_types_document(BASE);
    assert_eq!(doc["totalResults"], 2);
    let user = &doc["Resources"][0];
    assert_eq!(
        (&user["name"], &user["endpoint"], &user["schema"]),
        (&json!("User"), &json!("/Users"), &json!(USER_SCHEMA))
    );
    assert_eq!(user["schemaExtensions"], json!([{"schema": ENTERPRISE_USER, "required": false}]));
    assert_eq!(user["meta"]["location"], format!("{BASE}/ResourceTypes/User"));
    let group = resource_type_document(BASE, "group").unwrap();
    assert_eq!((&group["endpoint"], &group["schemaExtensions"]), (&json!("/Groups"), &json!([])));
    assert!(resource_type_document(BASE, "Device").is_none());
}

#[test]
fn the_service_provider_config_offers_patch_filter_and_etag_but_no_bulk() {
    let doc = service_provider_config(BASE);
    assert_eq!(doc["patch"]["supported"], true);
    assert_eq!(doc["bulk"], json!({"supported": false, "maxOperations": 0, "maxPayloadSize": 0}));
    assert_eq!(doc["filter"], json!({"supported": true, "maxResults": 200}));
    assert_eq!((&doc["changePassword"]["supported"], &doc["sort"]["supported"]), (&json!(false), &json!(false)));
    assert_eq!(doc["etag"]["supported"], true);
    let scheme = &doc["authenticationSchemes"][0];
    assert_eq!((&scheme["type"], &scheme["primary"]), (&json!("oauthbearertoken"), &json!(true)));
    assert_eq!(scheme["name"], "OAuth Bearer Token");
    assert_eq!(doc["meta"]["location"], format!("{BASE}/ServiceProviderConfig"));
}

#[test]
fn an_entra_id_user_is_normalized() {
    let body = json!({
        "schemas": [USER_SCHEMA, ENTERPRISE_USER],
        "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
        "userName": "Test_User_ab6490ee@testuser.com",
        "active": "True",
        "emails": [{"primary": "true", "type": "work", "value": "Test_User_fd0ea19b@testuser.com"}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName"},
        "roles": [],
        ENTERPRISE_USER: {"employeeNumber": "701984", "department": "Sales", "manager": {"value": "m1", "displayName": "Boss"}},
    });
    let user = normalize(&USER, &body).unwrap();
    assert_eq!(
        user,
        json!({
            "schemas": [USER_SCHEMA, ENTERPRISE_USER],
            "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
            "userName": "Test_User_ab6490ee@testuser.com",
            "active": true,
            "emails": [{"primary": true, "type": "work", "value": "Test_User_fd0ea19b@testuser.com"}],
            "name": {"formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName"},
            ENTERPRISE_USER: {"employeeNumber": "701984", "department": "Sales", "manager": {"value": "m1"}},
        })
    );
}

#[test]
fn an_okta_user_is_normalized_without_password_or_groups() {
    let body = json!({
        "schemas": [USER_SCHEMA],
        "userName": "isaac.brock@example.com",
        "name": {"givenName": "Isaac", "familyName": "Brock"},
        "emails": [{"primary": true, "value": "isaac.brock@example.com", "type": "work"}],
        "displayName": "Isaac Brock",
        "locale": "en-US",
        "externalId": "00ujl29u0le5T6Aj10h7",
        "groups": [],
        "password": "1mz050nq",
        "active": true,
    });
    let user = normalize(&USER, &body).unwrap();
    assert!(user.get("password").is_none() && user.get("groups").is_none());
    assert_eq!(user["schemas"], json!([USER_SCHEMA]));
    assert_eq!(user["locale"], "en-US");
}

#[test]
fn names_take_their_schema_spelling_and_read_only_or_unknown_attributes_go() {
    let body = json!({
        "SCHEMAS": ["whatever"], "id": "client-chosen", "username": "ada", "Active": false, "EMAILS": [{"VALUE": "a@b.c"}],
        "NAME": {"GIVENNAME": "Ada", "nonsense": 1}, "x509Certificates": [{"value": "MII"}],
        "groups": [{"value": "g1"}], "meta": {"version": "W/\"1\""},
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user": {"Department": "Engines"},
    });
    let user = normalize(&USER, &body).unwrap();
    assert_eq!(
        user,
        json!({
            "schemas": [USER_SCHEMA, ENTERPRISE_USER], "userName": "ada", "active": false,
            "emails": [{"value": "a@b.c"}], "name": {"givenName": "Ada"}, ENTERPRISE_USER: {"department": "Engines"},
        })
    );
}

#[test]
fn dotted_and_full_urn_keys_land_in_their_place() {
    let body = json!({
        "userName": "ada", "emails": [{"value": "a@b.c"}], "name": {"familyName": "Lovelace"}, "name.givenName": "Ada",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": "Sales",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value": "m1",
        "urn:ietf:params:scim:schemas:core:2.0:User:title": "Countess",
    });
    let user = normalize(&USER, &body).unwrap();
    assert_eq!(user["name"], json!({"familyName": "Lovelace", "givenName": "Ada"}));
    assert_eq!(user[ENTERPRISE_USER], json!({"department": "Sales", "manager": {"value": "m1"}}));
    assert_eq!(user["title"], "Countess");
}

#[test]
fn single_values_are_wrapped_and_empty_values_unassigned() {
    let body = json!({
        "userName": "ada", "emails": {"value": "a@example.com", "primary": "False"}, "title": "", "nickName": null,
        "phoneNumbers": [{"value": ""}, {"value": "+1 555", "type": "work"}], "addresses": [],
        ENTERPRISE_USER: {"department": "", "manager": "m1"}, "name": {"givenName": ""},
    });
    let user = normalize(&USER, &body).unwrap();
    assert_eq!(user["emails"], json!([{"value": "a@example.com", "primary": false}]));
    assert_eq!(user["phoneNumbers"], json!([{"value": "+1 555", "type": "work"}]));
    for gone in ["title", "nickName", "addresses", "name"] {
        assert!(user.get(gone).is_none(), "{gone}");
    }
    assert_eq!(user[ENTERPRISE_USER], json!({"manager": {"value": "m1"}}), "a bare string is the manager's value");
    let only_empty_extension =
        normalize(&USER, &json!({"userName": "a", "emails": "a@b.c", ENTERPRISE_USER: {"department": ""}})).unwrap();
    assert_eq!(
        only_empty_extension,
        json!({"schemas": [USER_SCHEMA], "userName": "a", "emails": [{"value": "a@b.c"}]})
    );
}

#[test]
fn wrong_types_are_invalid_value_naming_the_attribute() {
    assert!(invalid(normalize(&USER, &json!({"userName": 5}))).contains("\"userName\""));
    assert!(invalid(normalize(&USER, &json!({"userName": "a", "displayName": {"x": 1}}))).contains("\"displayName\""));
    assert!(invalid(normalize(&USER, &json!({"userName": "a", "active": "yes"}))).contains("\"active\""));
    assert!(invalid(normalize(&USER, &json!({"userName": "a", "name": "Ada"}))).contains("\"name\""));
    let emails = json!({"userName": "a", "emails": [{"value": {"nested": true}}]});
    assert!(invalid(normalize(&USER, &emails)).contains("\"emails.value\""));
    let manager = json!({"userName": "a", ENTERPRISE_USER: {"manager": {"value": 7}}});
    assert!(invalid(normalize(&USER, &manager)).contains(&format!("\"{ENTERPRISE_USER}:manager.value\"")));
    let e = normalize_value(user_attr("meta.lastModified"), "meta.lastModified", &json!("yesterday")).unwrap_err();
    assert!(e.detail.contains("RFC 3339"));
    let ok =
        normalize_value(user_attr("meta.lastModified"), "meta.lastModified", &json!("2026-12-04T10:00:00.123456Z"));
    assert!(ok.unwrap().is_some());
    assert_eq!(normalize(&USER, &json!([])).unwrap_err().scim_type, Some("invalidSyntax"));
}

#[test]
fn missing_required_attributes_are_named() {
    assert!(invalid(normalize(&USER, &json!({"displayName": "Ada"}))).contains("userName"));
    assert!(invalid(normalize(&USER, &json!({"userName": ""}))).contains("userName"));
    assert!(invalid(normalize(&GROUP, &json!({"members": []}))).contains("displayName"));
    assert!(
        invalid(normalize(&USER, &json!({"userName": "ada"}))).contains("emails"),
        "every account needs an address"
    );
}

#[test]
fn a_group_keeps_member_values_and_drops_their_display() {
    let body = json!({
        "schemas": [GROUP_SCHEMA], "displayName": "Group1", "externalId": "e1",
        "members": [{"value": "u1", "display": "Ada", "type": "User"}, {"value": "u2", "$ref": "https://x/Users/u2"}],
    });
    let group = normalize(&GROUP, &body).unwrap();
    assert_eq!(
        group["members"],
        json!([{"value": "u1", "type": "User"}, {"value": "u2", "$ref": "https://x/Users/u2"}])
    );
}

fn stored_user() -> Value {
    json!({
        "schemas": [USER_SCHEMA, ENTERPRISE_USER], "id": "u1", "userName": "ada", "title": "Countess",
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "emails": [{"value": "a@example.com", "type": "work", "primary": true}],
        "meta": {"resourceType": "User", "version": "W/\"1\""},
        ENTERPRISE_USER: {"department": "Engines", "manager": {"value": "m1", "displayName": "Babbage"}},
    })
}

#[test]
fn attributes_keeps_what_was_asked_and_what_is_always_returned() {
    let doc = stored_user();
    assert_eq!(
        project(&USER, &doc, Some("USERNAME"), None),
        json!({"schemas": [USER_SCHEMA], "id": "u1", "userName": "ada", "meta": doc["meta"]}),
        "meta is always returned: its version is the ETag"
    );
    let some = project(&USER, &doc, Some("name.givenName, emails.value"), None);
    assert_eq!(some["name"], json!({"givenName": "Ada"}));
    assert_eq!(some["emails"], json!([{"value": "a@example.com"}]));
    assert!(some.get("title").is_none());
    let ext = project(&USER, &doc, Some(&format!("{ENTERPRISE_USER}:manager.value")), None);
    assert_eq!(ext[ENTERPRISE_USER], json!({"manager": {"value": "m1"}}));
    assert_eq!(ext["schemas"], json!([USER_SCHEMA, ENTERPRISE_USER]));
    let whole = project(&USER, &doc, Some(ENTERPRISE_USER), None);
    assert_eq!(whole[ENTERPRISE_USER], doc[ENTERPRISE_USER]);
}

#[test]
fn excluded_attributes_removes_all_but_the_always_returned() {
    let doc = stored_user();
    let out = project(&USER, &doc, None, Some("emails,name.familyName,id,meta"));
    assert!(out.get("emails").is_none());
    assert_eq!(out["meta"], doc["meta"], "meta cannot be excluded");
    assert_eq!(out["name"], json!({"givenName": "Ada"}));
    assert_eq!(out["id"], "u1");
    let ext = project(&USER, &doc, None, Some(&format!("{ENTERPRISE_USER}:department,{ENTERPRISE_USER}:manager")));
    assert!(ext.get(ENTERPRISE_USER).is_none());
    assert_eq!(ext["schemas"], json!([USER_SCHEMA]), "an extension with nothing left is not listed");
    assert_eq!(project(&USER, &doc, None, None), doc);
    assert_eq!(project(&USER, &doc, Some(" "), Some("")), doc);
}

const fn plain(name: &'static str, returned: Returned) -> Attribute {
    Attribute { returned, ..attr(name, AttrType::String, "A test attribute.") }
}

static SECRETIVE_CORE: Schema = Schema {
    id: "urn:example:Secretive",
    name: "Secretive",
    description: "A test schema with every kind of returned.",
    attributes: &[
        plain("id", Returned::Always),
        plain("secret", Returned::Never),
        plain("photo", Returned::Request),
        plain("motto", Returned::Default),
    ],
};
static SECRETIVE: ResourceSchema =
    ResourceSchema { name: "Secretive", endpoint: "/S", core: &SECRETIVE_CORE, extensions: &[] };

#[test]
fn never_returned_attributes_never_show_and_request_ones_only_when_asked() {
    let doc = json!({"id": "s1", "secret": "x", "photo": "p", "motto": "m"});
    assert_eq!(project(&SECRETIVE, &doc, None, None), json!({"id": "s1", "motto": "m"}));
    assert_eq!(project(&SECRETIVE, &doc, Some("photo,secret"), None), json!({"id": "s1", "photo": "p"}));
    assert_eq!(project(&SECRETIVE, &doc, None, Some("motto")), json!({"id": "s1"}));
}
