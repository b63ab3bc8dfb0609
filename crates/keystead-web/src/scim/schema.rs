//! The one definition of the SCIM attributes we store (RFC 7643 §4, §8.7), and what is derived
//! from it: the discovery documents (RFC 7644 §4), attribute lookup by path, normalisation of
//! incoming resources and the `attributes`/`excludedAttributes` projection.

use serde_json::Value;

use super::filter::AttrPath;

/// The core User schema (RFC 7643 §4.1).
pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// The core Group schema (RFC 7643 §4.2).
pub const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
/// The Enterprise User extension (RFC 7643 §4.3).
pub const ENTERPRISE_USER: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
/// The schema of a list response (RFC 7644 §3.4.2).
pub const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
/// The most resources one query returns (`filter.maxResults` of the service provider config).
pub const MAX_RESULTS: usize = 200;

/// An attribute's data type (RFC 7643 §2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrType {
    /// A string.
    String,
    /// `true` or `false`.
    Boolean,
    /// A real number.
    Decimal,
    /// A whole number.
    Integer,
    /// An RFC 3339 date and time.
    DateTime,
    /// Base64-encoded bytes.
    Binary,
    /// A URI of a resource.
    Reference,
    /// An object of sub-attributes.
    Complex,
}

/// Who may change an attribute (RFC 7643 §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutability {
    /// Set by the server only.
    ReadOnly,
    /// Set by the client.
    ReadWrite,
    /// Set by the client once.
    Immutable,
    /// Set by the client, never returned.
    WriteOnly,
}

/// When an attribute is returned (RFC 7643 §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returned {
    /// Even when not asked for.
    Always,
    /// Never.
    Never,
    /// Unless excluded.
    Default,
    /// Only when asked for.
    Request,
}

/// How unique an attribute's value is (RFC 7643 §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uniqueness {
    /// Not unique.
    None,
    /// Unique within the organization.
    Server,
    /// Unique everywhere.
    Global,
}

/// An attribute definition (RFC 7643 §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attribute {
    /// The name in its schema spelling.
    pub name: &'static str,
    /// The data type.
    pub kind: AttrType,
    /// Whether the value is an array.
    pub multi_valued: bool,
    /// Whether a resource must have it.
    pub required: bool,
    /// Whether string comparison is case-sensitive.
    pub case_exact: bool,
    /// Who may change it.
    pub mutability: Mutability,
    /// When it is returned.
    pub returned: Returned,
    /// How unique it is.
    pub uniqueness: Uniqueness,
    /// The suggested values (`type` of an email, …).
    pub canonical_values: &'static [&'static str],
    /// What a reference may point to.
    pub reference_types: &'static [&'static str],
    /// The sub-attributes of a complex attribute.
    pub sub_attributes: &'static [Attribute],
    /// A sentence on what it holds.
    pub description: &'static str,
}

/// A schema: an id (URN) and its attributes (RFC 7643 §7).
#[derive(Debug)]
pub struct Schema {
    /// The URN.
    pub id: &'static str,
    /// A short name.
    pub name: &'static str,
    /// A sentence.
    pub description: &'static str,
    /// The top-level attributes.
    pub attributes: &'static [Attribute],
}

/// A resource type: an endpoint, its core schema and its extensions (RFC 7643 §6).
#[derive(Debug)]
pub struct ResourceSchema {
    /// `User` or `Group`.
    pub name: &'static str,
    /// `/Users` or `/Groups`.
    pub endpoint: &'static str,
    /// The core schema; its attributes sit at the top of a resource.
    pub core: &'static Schema,
    /// The extensions; their attributes sit under the extension's URN.
    pub extensions: &'static [&'static Schema],
}

/// What [`find`] found: the schema, the attribute and the sub-attribute a path names.
#[derive(Debug, Clone, Copy)]
pub struct Found<'a> {
    /// The schema the attribute belongs to.
    pub schema: &'a Schema,
    /// The (top-level) attribute.
    pub attribute: &'a Attribute,
    /// The sub-attribute, when the path names one.
    pub sub: Option<&'a Attribute>,
}

use AttrType::{Boolean, Complex, DateTime, Reference, String as Str};

const fn attr(name: &'static str, kind: AttrType, description: &'static str) -> Attribute {
    Attribute {
        name,
        kind,
        multi_valued: false,
        required: false,
        case_exact: false,
        mutability: Mutability::ReadWrite,
        returned: Returned::Default,
        uniqueness: Uniqueness::None,
        canonical_values: &[],
        reference_types: &[],
        sub_attributes: &[],
        description,
    }
}

impl Attribute {
    const fn multi(self) -> Self {
        Self { multi_valued: true, ..self }
    }
    const fn required(self) -> Self {
        Self { required: true, ..self }
    }
    const fn exact(self) -> Self {
        Self { case_exact: true, ..self }
    }
    const fn read_only(self) -> Self {
        Self { mutability: Mutability::ReadOnly, ..self }
    }
    const fn immutable(self) -> Self {
        Self { mutability: Mutability::Immutable, ..self }
    }
    const fn returned_always(self) -> Self {
        Self { returned: Returned::Always, ..self }
    }
    const fn unique(self) -> Self {
        Self { uniqueness: Uniqueness::Server, ..self }
    }
    const fn canonical(self, canonical_values: &'static [&'static str]) -> Self {
        Self { canonical_values, ..self }
    }
    const fn refs(self, reference_types: &'static [&'static str]) -> Self {
        Self { reference_types, ..self }
    }
    const fn subs(self, sub_attributes: &'static [Attribute]) -> Self {
        Self { sub_attributes, ..self }
    }

    /// The sub-attribute of that name, case-insensitively.
    pub fn sub(&self, name: &str) -> Option<&'static Attribute> {
        self.sub_attributes.iter().find(|s| s.name.eq_ignore_ascii_case(name))
    }
}

const ID: Attribute = attr("id", Str, "The identifier the service provider gave the resource.")
    .exact()
    .read_only()
    .unique()
    .returned_always();
const EXTERNAL_ID: Attribute =
    attr("externalId", Str, "The identifier the provisioning client gave the resource.").exact();
const TYPE_LABELS: &[&str] = &["work", "home", "other"];
// Always returned: `meta.version` is the ETag a client's next write sends back.
const META: Attribute = attr("meta", Complex, "Resource metadata.").read_only().returned_always().subs(&[
    attr("resourceType", Str, "The resource type.").exact().read_only(),
    attr("created", DateTime, "When the resource was created.").read_only(),
    attr("lastModified", DateTime, "When the resource last changed.").read_only(),
    attr("location", Reference, "The URI of the resource.").exact().read_only().refs(&["uri"]),
    attr("version", Str, "The version (ETag) of the resource.").exact().read_only(),
]);

static USER_CORE: Schema = Schema {
    id: USER_SCHEMA,
    name: "User",
    description: "User Account",
    attributes: &[
        ID,
        EXTERNAL_ID,
        attr("userName", Str, "The unique identifier the user signs in with.").required().unique(),
        attr("name", Complex, "The components of the user's name.").subs(&[
            attr("formatted", Str, "The full name, formatted for display."),
            attr("familyName", Str, "The family name."),
            attr("givenName", Str, "The given name."),
            attr("middleName", Str, "The middle name."),
            attr("honorificPrefix", Str, "The honorific prefix (Ms.)."),
            attr("honorificSuffix", Str, "The honorific suffix (III)."),
        ]),
        attr("displayName", Str, "The name shown for the user."),
        attr("nickName", Str, "The casual name of the user."),
        attr("profileUrl", Reference, "The user's online profile.").refs(&["external"]),
        attr("title", Str, "The user's title (Vice President)."),
        attr("userType", Str, "The relation of the user to the organization (Employee)."),
        attr("preferredLanguage", Str, "The user's preferred language (RFC 7231 §5.3.5)."),
        attr("locale", Str, "The user's locale for dates and numbers (en-US)."),
        attr("timezone", Str, "The user's time zone (Europe/Berlin)."),
        attr("active", Boolean, "Whether the user may sign in."),
        // Required here (RFC 7643 lets a provider require attributes): every account needs an
        // address, the primary (else work, else first) one.
        attr("emails", Complex, "Email addresses; the primary one is the account's.").multi().required().subs(&[
            attr("value", Str, "The email address.").required(),
            attr("display", Str, "A label for display."),
            attr("type", Str, "The kind of address.").canonical(TYPE_LABELS),
            attr("primary", Boolean, "Whether this is the primary address."),
        ]),
        attr("phoneNumbers", Complex, "Phone numbers.").multi().subs(&[
            attr("value", Str, "The phone number (RFC 3966)."),
            attr("display", Str, "A label for display."),
            attr("type", Str, "The kind of number.").canonical(&["work", "home", "mobile", "fax", "pager", "other"]),
            attr("primary", Boolean, "Whether this is the primary number."),
        ]),
        attr("addresses", Complex, "Physical mailing addresses.").multi().subs(&[
            attr("formatted", Str, "The full address, formatted for display."),
            attr("streetAddress", Str, "The street, house number and further lines."),
            attr("locality", Str, "The city."),
            attr("region", Str, "The state or region."),
            attr("postalCode", Str, "The postal code."),
            attr("country", Str, "The country (ISO 3166-1 alpha-2)."),
            attr("type", Str, "The kind of address.").canonical(TYPE_LABELS),
            attr("primary", Boolean, "Whether this is the primary address."),
        ]),
        attr("groups", Complex, "The groups the user belongs to.").multi().read_only().subs(&[
            attr("value", Str, "The id of the group.").read_only(),
            attr("$ref", Reference, "The URI of the group.").read_only().refs(&["User", "Group"]),
            attr("display", Str, "The group's display name.").read_only(),
            attr("type", Str, "How the user belongs to it.").read_only().canonical(&["direct", "indirect"]),
        ]),
        META,
    ],
};

static ENTERPRISE: Schema = Schema {
    id: ENTERPRISE_USER,
    name: "EnterpriseUser",
    description: "Enterprise User",
    attributes: &[
        attr("employeeNumber", Str, "The number the organization gave the user."),
        attr("costCenter", Str, "The cost center."),
        attr("organization", Str, "The organization."),
        attr("division", Str, "The division."),
        attr("department", Str, "The department."),
        attr("manager", Complex, "The user's manager.").subs(&[
            attr("value", Str, "The id of the manager's User resource."),
            attr("$ref", Reference, "The URI of the manager's User resource.").refs(&["User"]),
            attr("displayName", Str, "The manager's display name.").read_only(),
        ]),
    ],
};

static GROUP_CORE: Schema = Schema {
    id: GROUP_SCHEMA,
    name: "Group",
    description: "Group",
    attributes: &[
        ID,
        EXTERNAL_ID,
        attr("displayName", Str, "The name of the group.").required(),
        attr("members", Complex, "The members of the group.").multi().subs(&[
            attr("value", Str, "The id of the member resource.").immutable(),
            attr("$ref", Reference, "The URI of the member resource.").immutable().refs(&["User", "Group"]),
            attr("display", Str, "The member's display name.").read_only(),
            attr("type", Str, "The kind of member.").immutable().canonical(&["User", "Group"]),
        ]),
        META,
    ],
};

/// Users (RFC 7643 §4.1) with the Enterprise User extension (§4.3).
pub static USER: ResourceSchema =
    ResourceSchema { name: "User", endpoint: "/Users", core: &USER_CORE, extensions: &[&ENTERPRISE] };
/// Groups (RFC 7643 §4.2).
pub static GROUP: ResourceSchema =
    ResourceSchema { name: "Group", endpoint: "/Groups", core: &GROUP_CORE, extensions: &[] };

impl ResourceSchema {
    /// The core schema, then the extensions.
    pub fn schemas(&self) -> impl Iterator<Item = &'static Schema> {
        std::iter::once(self.core).chain(self.extensions.iter().copied())
    }

    /// The extension of that URN, case-insensitively.
    pub fn extension(&self, id: &str) -> Option<&'static Schema> {
        self.extensions.iter().copied().find(|s| s.id.eq_ignore_ascii_case(id))
    }
}

/// The attribute a path names, case-insensitively (RFC 7643 §2.1): `userName`, `name.givenName`,
/// `emails.value`, `urn:…:enterprise:2.0:User:manager.value`, `urn:…:core:2.0:User:userName`.
pub fn find<'a>(resource: &'a ResourceSchema, path: &AttrPath) -> Option<Found<'a>> {
    let schema = match &path.uri {
        Some(uri) => resource.schemas().find(|s| s.id.eq_ignore_ascii_case(uri))?,
        None => resource.core,
    };
    let attribute = schema.attributes.iter().find(|a| a.name.eq_ignore_ascii_case(&path.attr))?;
    let sub = match &path.sub {
        Some(name) => Some(attribute.sub(name)?),
        None => None,
    };
    Some(Found { schema, attribute, sub })
}

/// The member of an object whose key is `key`, ignoring ASCII case (the exact spelling first).
pub fn get_ci<'v>(object: &'v Value, key: &str) -> Option<&'v Value> {
    let map = object.as_object()?;
    map.get(key).or_else(|| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v))
}

#[path = "schema_docs.rs"]
mod docs;
#[path = "schema_normalize.rs"]
mod normalize;

pub use docs::{
    list_response, resource_type_document, resource_types_document, schema_document, schemas_document,
    service_provider_config,
};
pub use normalize::{normalize, normalize_value, project};

#[cfg(test)]
#[path = "schema_tests.rs"]
mod tests;
